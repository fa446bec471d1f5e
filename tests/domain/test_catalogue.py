"""The shipped catalogue and the loader's error reporting on broken files."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

from sandbox.domain.catalogue import (
    AGENCY_LEVELS,
    EXPECTED_ACTIONS,
    SLOTS,
    Catalogue,
    load_catalogue,
)
from sandbox.domain.errors import CatalogueError, DomainError
from sandbox.domain.generator import generate
from sandbox.domain.workflow import KATEGORI_LABELS, ArchiveReason, Klasifikasi

ROOT = Path(__file__).resolve().parents[2]
REGION = ROOT / "seed" / "regions" / "kabupaten-sukamaju.toml"
TOPICS = ROOT / "seed" / "topics"


@pytest.fixture(scope="module")
def shipped() -> Catalogue:
    return load_catalogue(REGION, TOPICS)


# ------------------------------------------------------------ shipped catalogue


def test_shipped_region(shipped):
    region = shipped.region
    assert region.name == "Kabupaten Sukamaju"
    assert region.kind in ("kabupaten", "kota")
    assert region.timezone in ("WIB", "WITA", "WIT")
    assert len(region.nik_prefix) == 4 and region.nik_prefix.isdigit()
    assert region.kecamatan, "at least one kecamatan"
    assert all(k.kelurahan for k in region.kecamatan)
    assert region.admin_unit in shipped.units
    assert not shipped.units[region.admin_unit].is_agency


def test_shipped_units(shipped):
    units = {c for c, u in shipped.units.items() if not u.is_agency}
    assert len(units) >= 12
    assert {"pdam", "pupr", "disdik", "dinkes"} <= units
    assert all(shipped.units[c].name for c in units)


def test_shipped_agencies(shipped):
    agencies = {c: u for c, u in shipped.units.items() if u.is_agency}
    assert len(agencies) >= 5
    assert {"bpjn", "kemenag", "pln", "bpn"} <= set(agencies)
    assert any(u.level == "provinsi" for u in agencies.values())
    assert all(u.level in AGENCY_LEVELS for u in agencies.values())


def test_directory_splits_units_and_agencies(shipped):
    directory = shipped.directory
    assert "pdam" in directory.units and "pdam" not in directory.agencies
    assert "bpjn" in directory.agencies and "bpjn" not in directory.units
    assert set(directory.units) | set(directory.agencies) == set(shipped.units)
    assert not set(directory.units) & set(directory.agencies)


def test_shipped_topics(shipped):
    topics = shipped.topics
    assert len(topics) >= 15
    ids = [t.id for t in topics]
    assert len(ids) == len(set(ids))
    for topic in topics:
        assert len(topic.templates) >= 2, topic.id
        assert topic.explanation, topic.id
        assert topic.action in EXPECTED_ACTIONS, topic.id
        assert topic.kategori in KATEGORI_LABELS, topic.id
        assert isinstance(topic.klasifikasi, Klasifikasi)


def test_shipped_archive_topics(shipped):
    arsip = [t for t in shipped.topics if t.action == "arsipkan"]
    assert len(arsip) >= 3
    reasons = {t.archive_reason for t in arsip}
    assert {ArchiveReason.SPAM, ArchiveReason.TERLALU_UMUM} <= reasons
    duplicates = [t for t in shipped.topics if t.duplicate]
    assert len(duplicates) == 1
    assert duplicates[0].action == "arsipkan"
    assert duplicates[0].archive_reason == ArchiveReason.DUPLIKAT
    assert all(t.archive_reason is not None for t in arsip)


def test_shipped_tunda_and_rahasia(shipped):
    tunda = [t for t in shipped.topics if t.action == "tunda"]
    assert len(tunda) >= 1
    assert all(t.question_hint for t in tunda)
    assert sum(t.rahasia for t in shipped.topics) >= 1


def test_shipped_routing_traps(shipped):
    targets = {t.target for t in shipped.topics}
    assert {"bpjn", "disdik-prov", "kemenag", "pdam"} <= targets


def test_shipped_targets_match_their_action(shipped):
    # "@kecamatan" stays symbolic until a complaint has a place; all its units must exist.
    kecamatan_units = {k.unit for k in shipped.region.kecamatan}
    assert kecamatan_units <= set(shipped.units)

    def units(code):
        return kecamatan_units if code == "@kecamatan" else {code}

    for topic in shipped.topics:
        if topic.action in ("disposisi", "tunda"):
            assert not any(shipped.units[c].is_agency for c in units(topic.target)), topic.id
        elif topic.action == "bukan_wewenang":
            assert all(shipped.units[c].is_agency for c in units(topic.target)), topic.id
        else:
            assert topic.target is None, topic.id
        for code in (*topic.acceptable, *topic.partial):
            assert units(code) <= set(shipped.units), (topic.id, code)


def test_topic_lookup_and_unit_name(shipped):
    first = shipped.topics[0]
    assert shipped.topic(first.id) is first
    with pytest.raises(CatalogueError) as exc:
        shipped.topic("tidak-ada")
    assert exc.value.message == "Topik tidak dikenal: tidak-ada"
    assert shipped.unit_name("pdam") == shipped.units["pdam"].name
    assert shipped.unit_name(None) == "-"
    assert shipped.unit_name("xyz") == "xyz"


# ---------------------------------------------------------------- broken files

REGION_TOML = '''\
format = 1

[region]
kind = "kabupaten"
name = "Kabupaten Uji"
short = "Uji"
province = "Jawa Tengah"
timezone = "WIB"
nik_prefix = "3399"
instansi = "Pemerintah Kabupaten Uji"
admin_unit = "diskominfo"

[[kecamatan]]
name = "Ujiharjo"
kelurahan = ["Satu", "Dua"]

[[unit]]
code = "diskominfo"
name = "Dinas Komunikasi dan Informatika"
short = "Diskominfo"

[[unit]]
code = "pupr"
name = "Dinas Pekerjaan Umum"
short = "PUPR"
kategori = ["infrastruktur"]

[[agency]]
code = "bpjn"
name = "Balai Pelaksanaan Jalan Nasional"
short = "BPJN"
level = "pusat"
'''

TOPIC_TOML = '''\
format = 1

[[topic]]
id = "jalan-rusak"
title = "Jalan kabupaten rusak"
kategori = "infrastruktur"
klasifikasi = "pengaduan_tidak_berkadar_pengawasan"
action = "disposisi"
target = "pupr"
explanation = "Jalan kabupaten adalah kewenangan Dinas PUPR."
templates = [
  "Jalan di {jalan} {kelurahan} berlubang sejak {tanggal}.",
  "jln poros kec {kecamatan} rusak parah",
]
'''

SPAM_TOML = '''\
format = 1

[[topic]]
id = "spam"
title = "Spam"
kategori = "lainnya"
klasifikasi = "aspirasi"
action = "arsipkan"
archive_reason = "spam"
explanation = "Promosi, bukan laporan."
templates = ["Menang besar tiap hari, daftar sekarang!", "slot gacor hari ini"]
'''


def _write(tmp_path, region=REGION_TOML, topics=None):
    region_file = tmp_path / "region.toml"
    region_file.write_text(region, encoding="utf-8")
    topics_dir = tmp_path / "topics"
    topics_dir.mkdir()
    files = {}
    for name, text in (topics or {"a.toml": TOPIC_TOML}).items():
        files[name] = topics_dir / name
        files[name].write_text(text, encoding="utf-8")
    return region_file, topics_dir, files


def _error(region_file, topics_dir) -> str:
    with pytest.raises(CatalogueError) as exc:
        load_catalogue(region_file, topics_dir)
    assert isinstance(exc.value, DomainError)
    assert exc.value.message.startswith("Katalog tidak valid:\n- ")
    return exc.value.message


def test_minimal_catalogue_loads(tmp_path):
    """The base files the broken variants start from are themselves valid."""
    catalogue = load_catalogue(*_write(tmp_path, topics={"a.toml": TOPIC_TOML,
                                                         "b.toml": SPAM_TOML})[:2])
    assert [t.id for t in catalogue.topics] == ["jalan-rusak", "spam"]
    assert catalogue.topics[0].source.endswith("a.toml")
    assert catalogue.directory.units == {"diskominfo": "Dinas Komunikasi dan Informatika",
                                         "pupr": "Dinas Pekerjaan Umum"}
    assert catalogue.directory.agencies == {"bpjn": "Balai Pelaksanaan Jalan Nasional"}
    assert catalogue.units["bpjn"].level == "pusat"


TOPIC_BREAKS = [
    ("unknown-key", ('target = "pupr"', 'target = "pupr"\nrahasiaa = true'),
     "topik «jalan-rusak», rahasiaa: kunci tidak dikenal (salah ketik?)"),
    ("unknown-slot", ('"jln poros kec {kecamatan} rusak parah"',
                      '"jln poros kota {kota} rusak parah"'),
     "topik «jalan-rusak», templates: template #2: slot tidak dikenal {kota}"),
    ("unbalanced-brace", ('"jln poros kec {kecamatan} rusak parah"',
                          '"jln poros kec {kecamatan rusak parah"'),
     "topik «jalan-rusak», templates: template #2: kurung kurawal tidak seimbang"),
    ("target-not-in-region", ('target = "pupr"', 'target = "dinas-jalan"'),
     "topik «jalan-rusak», target: kode unit/instansi tidak dikenal «dinas-jalan»"),
    ("partial-not-in-region", ('target = "pupr"', 'target = "pupr"\npartial = ["kec-x"]'),
     "topik «jalan-rusak», partial: kode unit/instansi tidak dikenal «kec-x»"),
    ("bukan-wewenang-to-pemda-unit", ('action = "disposisi"', 'action = "bukan_wewenang"'),
     "topik «jalan-rusak», target: «pupr» adalah unit Pemda, padahal action bukan_wewenang"),
    ("disposisi-to-agency", ('target = "pupr"', 'target = "bpjn"'),
     "topik «jalan-rusak», target: «bpjn» adalah instansi luar, padahal action disposisi"),
    ("disposisi-without-target", ('target = "pupr"\n', ''),
     "topik «jalan-rusak», target: wajib diisi untuk action disposisi"),
    ("unknown-action", ('action = "disposisi"', 'action = "teruskan"'),
     "topik «jalan-rusak», action: harus salah satu dari disposisi, kelola_sendiri"),
    ("unknown-kategori", ('kategori = "infrastruktur"', 'kategori = "jalan"'),
     "topik «jalan-rusak», kategori: kategori tidak dikenal «jalan»"),
    ("unknown-klasifikasi", ('klasifikasi = "pengaduan_tidak_berkadar_pengawasan"',
                             'klasifikasi = "keluhan"'),
     "topik «jalan-rusak», klasifikasi: klasifikasi tidak dikenal «keluhan»"),
    ("bad-id", ('id = "jalan-rusak"', 'id = "Jalan_Rusak"'),
     "topik «Jalan_Rusak», id: hanya boleh huruf kecil, angka dan '-'"),
    ("missing-id", ('id = "jalan-rusak"\n', ''), "a.toml [[topic]] #1, id: wajib diisi"),
    ("bad-weight", ('target = "pupr"', 'target = "pupr"\nweight = 0'),
     "topik «jalan-rusak», weight: harus angka lebih dari 0"),
    ("bad-channel", ('target = "pupr"', 'target = "pupr"\nchannels = ["faks"]'),
     "topik «jalan-rusak», channels: kanal tidak dikenal «faks»"),
    ("templates-not-list", ('templates = [', 'templates = "satu"\nxtemplates = ['),
     "topik «jalan-rusak», templates: harus berupa daftar [...]"),
]


@pytest.mark.parametrize(("change", "expected"), [c[1:] for c in TOPIC_BREAKS],
                         ids=[c[0] for c in TOPIC_BREAKS])
def test_broken_topic_names_file_entry_and_field(tmp_path, change, expected):
    old, new = change
    assert old in TOPIC_TOML
    region_file, topics_dir, files = _write(tmp_path, topics={"a.toml":
                                                              TOPIC_TOML.replace(old, new, 1)})
    message = _error(region_file, topics_dir)
    assert f"- {files['a.toml']}" in message
    assert expected in message


def test_attachment_name_with_unknown_slot_is_a_catalogue_error(tmp_path):
    """Attachment names are templates too: an unknown slot must be caught at load time,
    not crash the generator with a KeyError."""
    topic = TOPIC_TOML.replace(
        'target = "pupr"',
        'target = "pupr"\nattachments = [{ name = "foto_{kota}.jpg", kind = "foto" }]')
    region_file, topics_dir, _ = _write(tmp_path, topics={"a.toml": topic})
    try:
        catalogue = load_catalogue(region_file, topics_dir)
    except CatalogueError as exc:
        assert "{kota}" in exc.message
        assert "attachments" in exc.message
    else:
        # The loader accepted it; show what that leads to.
        try:
            complaint = next(generate(catalogue, 1, 1, datetime(2026, 3, 2, 7, 0)))
        except KeyError as exc:
            pytest.fail(f"catalogue accepted attachment slot {{kota}}; generate() then "
                        f"crashes with KeyError {exc}")
        pytest.fail(f"unknown slot accepted in attachment name: {complaint.attachments}")


def test_attachment_with_known_slots_is_filled(tmp_path):
    topic = TOPIC_TOML.replace(
        'target = "pupr"',
        'target = "pupr"\nattachments = [{ name = "Foto {kelurahan}.JPG", kind = "foto" }]')
    catalogue = load_catalogue(*_write(tmp_path, topics={"a.toml": topic})[:2])
    complaint = next(generate(catalogue, 3, 1, datetime(2026, 3, 2, 7, 0)))
    assert complaint.attachments[0]["kind"] == "foto"
    assert complaint.attachments[0]["name"] in ("foto_satu.jpg", "foto_dua.jpg")


def test_arsipkan_without_archive_reason(tmp_path):
    topic = SPAM_TOML.replace('archive_reason = "spam"\n', "")
    region_file, topics_dir, files = _write(tmp_path, topics={"s.toml": topic})
    message = _error(region_file, topics_dir)
    assert (f"{files['s.toml']} topik «spam», archive_reason: wajib diisi untuk action arsipkan"
            in message)


def test_arsipkan_with_target(tmp_path):
    topic = SPAM_TOML.replace('archive_reason = "spam"', 'archive_reason = "spam"\ntarget = "pupr"')
    region_file, topics_dir, files = _write(tmp_path, topics={"s.toml": topic})
    message = _error(region_file, topics_dir)
    assert f"{files['s.toml']} topik «spam», target: tidak dipakai untuk action arsipkan" in message


def test_unknown_archive_reason(tmp_path):
    topic = SPAM_TOML.replace('archive_reason = "spam"', 'archive_reason = "iklan"')
    region_file, topics_dir, files = _write(tmp_path, topics={"s.toml": topic})
    assert "topik «spam», archive_reason: alasan tidak dikenal «iklan»" in _error(
        region_file, topics_dir)


def test_missing_format_in_topic_file(tmp_path):
    region_file, topics_dir, files = _write(
        tmp_path, topics={"a.toml": TOPIC_TOML.replace("format = 1\n", "")})
    message = _error(region_file, topics_dir)
    assert f"{files['a.toml']}: format harus 1 (tertulis: None)" in message


def test_wrong_format_in_region_file(tmp_path):
    region_file, topics_dir, _ = _write(tmp_path, region=REGION_TOML.replace("format = 1",
                                                                             "format = 2"))
    assert f"{region_file}: format harus 1 (tertulis: 2)" in _error(region_file, topics_dir)


def test_toml_syntax_error(tmp_path):
    broken = TOPIC_TOML.replace('title = "Jalan kabupaten rusak"', 'title = "Jalan kabupaten rusak')
    region_file, topics_dir, files = _write(tmp_path, topics={"a.toml": broken})
    message = _error(region_file, topics_dir)
    assert f"{files['a.toml']}: TOML tidak valid:" in message
    assert "line" in message  # the parser's position is passed on


def test_duplicate_topic_id_across_files(tmp_path):
    region_file, topics_dir, files = _write(
        tmp_path, topics={"a.toml": TOPIC_TOML, "b.toml": TOPIC_TOML})
    message = _error(region_file, topics_dir)
    assert (f"{files['b.toml']} topik «jalan-rusak»: id sudah dipakai di {files['a.toml']}"
            in message)
    assert message.count("id sudah dipakai") == 1


def test_no_topic_files(tmp_path):
    region_file, topics_dir, _ = _write(tmp_path, topics={"readme.txt": "x"})
    assert f"{topics_dir}: tidak ada file topik (*.toml)" in _error(region_file, topics_dir)


def test_missing_region_file(tmp_path):
    _, topics_dir, _ = _write(tmp_path)
    missing = tmp_path / "nope.toml"
    assert f"{missing}: tidak dapat dibaca" in _error(missing, topics_dir)


REGION_BREAKS = [
    ("unit-unknown-key", ('short = "PUPR"', 'short = "PUPR"\nsingkatan = "PU"'),
     "[[unit]] #2, singkatan: kunci tidak dikenal (salah ketik?)"),
    ("region-unknown-key", ('province = "Jawa Tengah"', 'provinsi = "Jawa Tengah"'),
     "[region], provinsi: kunci tidak dikenal (salah ketik?)"),
    ("bad-timezone", ('timezone = "WIB"', 'timezone = "UTC"'),
     "[region], timezone: harus WIB, WITA atau WIT"),
    ("bad-nik-prefix", ('nik_prefix = "3399"', 'nik_prefix = "33a9"'),
     "[region], nik_prefix: harus 4 angka"),
    ("bad-kind", ('kind = "kabupaten"', 'kind = "provinsi"'),
     "[region], kind: harus kabupaten atau kota"),
    ("admin-unit-is-agency", ('admin_unit = "diskominfo"', 'admin_unit = "bpjn"'),
     "[region], admin_unit: «bpjn» bukan kode [[unit]] di file ini"),
    ("duplicate-code", ('code = "pupr"', 'code = "diskominfo"'),
     "[[unit]] #2, code: kode «diskominfo» dipakai dua kali"),
    ("bad-code", ('code = "pupr"', 'code = "Dinas PUPR"'),
     "[[unit]] #2, code: «Dinas PUPR» hanya boleh huruf kecil, angka dan '-'"),
    ("bad-level", ('level = "pusat"', 'level = "kementerian"'),
     "[[agency]] #1, level: harus salah satu dari provinsi, pusat, vertikal, bumn, desa"),
    ("unit-unknown-kategori", ('kategori = ["infrastruktur"]', 'kategori = ["jalan"]'),
     "[[unit]] #2, kategori: kategori tidak dikenal «jalan»"),
    ("empty-kelurahan", ('kelurahan = ["Satu", "Dua"]', 'kelurahan = []'),
     "[[kecamatan]] #1, kelurahan: minimal satu kelurahan/desa"),
]


@pytest.mark.parametrize(("change", "expected"), [c[1:] for c in REGION_BREAKS],
                         ids=[c[0] for c in REGION_BREAKS])
def test_broken_region_names_file_entry_and_field(tmp_path, change, expected):
    old, new = change
    assert old in REGION_TOML
    region_file, topics_dir, _ = _write(tmp_path, region=REGION_TOML.replace(old, new, 1))
    message = _error(region_file, topics_dir)
    assert f"- {region_file} {expected}" in message


def test_all_problems_reported_at_once(tmp_path):
    topic = (TOPIC_TOML
             .replace('"jln poros kec {kecamatan} rusak parah"', '"jln {kota} rusak parah"')
             .replace('target = "pupr"', 'target = "pupr"\nrahasiaa = true'))
    spam = SPAM_TOML.replace('archive_reason = "spam"\n', "")
    region = REGION_TOML.replace('timezone = "WIB"', 'timezone = "GMT"')
    region_file, topics_dir, files = _write(
        tmp_path, region=region, topics={"a.toml": topic, "b.toml": spam, "c.toml": TOPIC_TOML})
    message = _error(region_file, topics_dir)
    expected = [
        f"{region_file} [region], timezone: harus WIB, WITA atau WIT",
        f"{files['a.toml']} topik «jalan-rusak», rahasiaa: kunci tidak dikenal",
        f"{files['a.toml']} topik «jalan-rusak», templates: template #2: slot tidak dikenal {{kota}}",
        f"{files['b.toml']} topik «spam», archive_reason: wajib diisi untuk action arsipkan",
    ]
    for line in expected:
        assert line in message
    lines = message.splitlines()[1:]
    assert all(line.startswith("- ") for line in lines)
    assert len(lines) >= len(expected)


def test_two_problems_in_one_topic_both_reported(tmp_path):
    topic = (TOPIC_TOML
             .replace('target = "pupr"', 'target = "dinas-jalan"')
             .replace('"jln poros kec {kecamatan} rusak parah"', '"jln {kota} rusak"'))
    region_file, topics_dir, _ = _write(tmp_path, topics={"a.toml": topic})
    message = _error(region_file, topics_dir)
    assert "target: kode unit/instansi tidak dikenal «dinas-jalan»" in message
    assert "templates: template #2: slot tidak dikenal {kota}" in message
    assert len(message.splitlines()) == 3


def test_every_documented_slot_is_known():
    """The slot table in docs/catalogue-format.md and the loader agree exactly."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "catalogue-format.md").read_text()
    section = doc.split("### Template slots", 1)[1].split("| slot | example |", 1)[1]
    documented = set(re.findall(r"`\{([a-z_]+)\}`", section))
    assert documented == SLOTS


def test_every_slot_can_be_filled(tmp_path):
    """A template using every slot loads and renders without leftovers."""
    template = " ".join(f"{{{slot}}}" for slot in sorted(SLOTS))
    topic = TOPIC_TOML.replace('"jln poros kec {kecamatan} rusak parah"',
                               f'"{template}", "{template} lagi"')
    catalogue = load_catalogue(*_write(tmp_path, topics={"a.toml": topic})[:2])
    for complaint in generate(catalogue, 5, 10, datetime(2026, 3, 2, 7, 0)):
        assert "{" not in complaint.text and "}" not in complaint.text
