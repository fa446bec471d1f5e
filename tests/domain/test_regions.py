"""Region features: [config] routing choices, @kecamatan, topics limited by region kind,
channel wording and occasional anonymous reporters."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime

import pytest

from sandbox.domain.catalogue import load_catalogue
from sandbox.domain.errors import CatalogueError
from sandbox.domain.generator import generate
from tests.domain.test_catalogue import REGION_TOML, TOPIC_TOML, _write

START = datetime(2026, 3, 2, 7, 0)


def _in(folder):
    folder.mkdir()
    return folder

REGION = REGION_TOML.replace('''[[kecamatan]]
name = "Ujiharjo"
kelurahan = ["Satu", "Dua"]
''', '''[config]
sedot_tinja = "perkim"

[[kecamatan]]
name = "Ujiharjo"
unit = "kec-ujiharjo"
kelurahan = ["Satu", "Dua"]

[[kecamatan]]
name = "Mulyo Asri"
kelurahan = ["Tiga"]

[[unit]]
code = "perkim"
name = "Dinas Perumahan dan Kawasan Permukiman"
short = "Perkim"

[[unit]]
code = "kec-ujiharjo"
name = "Kecamatan Ujiharjo"
short = "Kec. Ujiharjo"

[[unit]]
code = "kec-mulyo-asri"
name = "Kecamatan Mulyo Asri"
short = "Kec. Mulyo Asri"
''')

TINJA = '''\
format = 1

[[topic]]
id = "sedot-tinja"
title = "Sedot tinja"
kategori = "air_minum_sanitasi"
klasifikasi = "pengaduan_tidak_berkadar_pengawasan"
action = "disposisi"
target = "@sedot_tinja"
partial = ["@kecamatan"]
explanation = "Layanan sedot tinja diatur oleh unit yang ditunjuk daerah."
templates = ["Septic tank di {kelurahan}, Kecamatan {kecamatan} penuh, mohon disedot."]
'''

LOCAL = '''\
format = 1

[[topic]]
id = "selokan-kecamatan"
title = "Selokan lingkungan"
kategori = "infrastruktur"
klasifikasi = "pengaduan_tidak_berkadar_pengawasan"
action = "disposisi"
target = "@kecamatan"
explanation = "Saluran lingkungan kecil ditangani kecamatan."
templates = ["Selokan di Kecamatan {kecamatan} mampet."]
'''


def test_config_choice_is_resolved_per_region(tmp_path):
    catalogue = load_catalogue(*_write(tmp_path, REGION, {"t.toml": TINJA})[:2])
    assert catalogue.topic("sedot-tinja").target == "perkim"
    assert catalogue.region.config == {"sedot_tinja": "perkim"}


def test_unknown_config_choice_is_a_clear_error(tmp_path):
    region_file, topics_dir, _ = _write(tmp_path, REGION.replace("sedot_tinja =", "tinja ="),
                                        {"t.toml": TINJA})
    with pytest.raises(CatalogueError) as exc:
        load_catalogue(region_file, topics_dir)
    assert "topik «sedot-tinja», target: pilihan «sedot_tinja» tidak ada di [config]" \
        in exc.value.message


def test_config_value_must_be_a_unit(tmp_path):
    region_file, topics_dir, _ = _write(tmp_path, REGION.replace('sedot_tinja = "perkim"',
                                                                 'sedot_tinja = "dinas-tinja"'))
    with pytest.raises(CatalogueError) as exc:
        load_catalogue(region_file, topics_dir)
    assert "[config], sedot_tinja: kode unit tidak dikenal «dinas-tinja»" in exc.value.message


def test_kecamatan_reference_follows_the_place_in_the_complaint(tmp_path):
    catalogue = load_catalogue(*_write(tmp_path, REGION, {"t.toml": TINJA, "l.toml": LOCAL})[:2])
    seen = Counter()
    for complaint in generate(catalogue, 4, 60, START):
        # Case-blind: a messy reporter may write in caps lock.
        place = "Mulyo Asri" if "mulyo asri" in complaint.text.lower() else "Ujiharjo"
        expected = {"Ujiharjo": "kec-ujiharjo", "Mulyo Asri": "kec-mulyo-asri"}[place]
        key = complaint.key
        if key.topic == "selokan-kecamatan":
            assert key.expected_target == expected
        else:
            assert key.expected_target == "perkim"
            assert key.partial_targets == (expected,)
        seen[place] += 1
    assert seen["Ujiharjo"] and seen["Mulyo Asri"]  # both kecamatan were drawn


def test_kecamatan_without_unit_is_an_error_only_when_referenced(tmp_path):
    region = REGION.replace('''[[unit]]
code = "kec-mulyo-asri"''', '''[[unit]]
code = "kec-lain"''')
    assert load_catalogue(*_write(_in(tmp_path / "a"), region, {"a.toml": TOPIC_TOML})[:2])
    region_file, topics_dir, _ = _write(_in(tmp_path / "b"), region, {"l.toml": LOCAL})
    with pytest.raises(CatalogueError) as exc:
        load_catalogue(region_file, topics_dir)
    assert "@kecamatan: kecamatan «Mulyo Asri» tidak punya unit «kec-mulyo-asri»" \
        in exc.value.message


def test_topics_limited_to_a_region_kind(tmp_path):
    only_kota = TOPIC_TOML.replace('action = "disposisi"', 'action = "disposisi"\nregions = ["kota"]')
    topics = {"a.toml": only_kota.replace('"jalan-rusak"', '"khusus-kota"'), "b.toml": TOPIC_TOML}
    catalogue = load_catalogue(*_write(_in(tmp_path / "a"), REGION, topics)[:2])
    assert [t.id for t in catalogue.topics] == ["jalan-rusak"]
    kota = REGION.replace('kind = "kabupaten"', 'kind = "kota"')
    catalogue = load_catalogue(*_write(_in(tmp_path / "b"), kota, topics)[:2])
    assert sorted(t.id for t in catalogue.topics) == ["jalan-rusak", "khusus-kota"]


def test_unknown_region_kind_in_a_topic_is_an_error(tmp_path):
    topic = TOPIC_TOML.replace('action = "disposisi"', 'action = "disposisi"\nregions = ["desa"]')
    region_file, topics_dir, _ = _write(tmp_path, REGION, {"a.toml": topic})
    with pytest.raises(CatalogueError) as exc:
        load_catalogue(region_file, topics_dir)
    assert "regions: jenis wilayah tidak dikenal «desa»" in exc.value.message


def test_channel_wording_and_attachments(tmp_path):
    topic = TOPIC_TOML.replace('explanation =', 'attachments = [{ name = "foto_{kelurahan}.jpg", '
                               'kind = "foto" }]\nexplanation =')
    catalogue = load_catalogue(*_write(tmp_path, REGION, {"a.toml": topic})[:2])
    complaints = list(generate(catalogue, 9, 300, START))
    by_channel = Counter(c.channel for c in complaints)
    assert set(by_channel) == {"web", "aplikasi", "sms", "medsos", "langsung", "telepon"}
    for complaint in complaints:
        if complaint.channel in ("langsung", "telepon"):
            # Written by the officer around the reporter's words, never in the first person.
            assert complaint.text != complaint.voice.words
            assert not re.search(r"\b(saya|kami|sy)\b", complaint.text, re.IGNORECASE)
        if complaint.channel in ("sms", "telepon"):
            assert complaint.attachments == ()
        else:
            assert complaint.attachments[0]["kind"] == "foto"
    medsos = [c for c in complaints if c.channel == "medsos"]
    assert any(c.text.startswith("@lapor1708 ") for c in medsos)
    assert all("@lapor1708" in c.text or "#lapor1708" in c.text for c in medsos)


def test_some_reporters_ask_for_anonymity_and_the_key_follows(tmp_path):
    catalogue = load_catalogue(*_write(tmp_path, REGION)[:2])
    complaints = list(generate(catalogue, 5, 2000, START))
    asked = [c for c in complaints if c.reporter.requested_anonim]
    assert 0.01 < len(asked) / len(complaints) < 0.08
    assert all(c.key.anonim for c in asked)
    assert not any(c.key.anonim for c in complaints if not c.reporter.requested_anonim)
