"""The catalogue keys behind details that fit: a topic's money range and kind of place, a
region's desa, dusun, name pools and regional language, each checked with a clear message."""

from __future__ import annotations

from datetime import datetime

import pytest

from sandbox.domain.catalogue import load_catalogue
from sandbox.domain.details import AmountRange
from sandbox.domain.generator import generate
from tests.domain.test_catalogue import REGION_TOML, TOPIC_TOML, _error, _write

START = datetime(2026, 3, 2, 7, 0)
DESA_TOML = TOPIC_TOML.replace('"jln poros kec {kecamatan} rusak parah"',
                               '"jalan desa di Desa {kelurahan} rusak, dana desa ke mana?"')


def _topic(extra):
    return TOPIC_TOML.replace('target = "pupr"', f'target = "pupr"\n{extra}')


def test_a_topic_money_range_is_read_in_rupiah(tmp_path):
    topic = _topic("jumlah = { min = 40_000, max = 180_000 }")
    catalogue = load_catalogue(*_write(tmp_path, topics={"a.toml": topic})[:2])
    assert catalogue.topic("jalan-rusak").amounts == AmountRange(40_000, 180_000)
    bill = tmp_path / "b"
    bill.mkdir()
    topic = _topic("jumlah = { min = 80_000, max = 450_000, tepat = true }")
    catalogue = load_catalogue(*_write(bill, topics={"a.toml": topic})[:2])
    assert catalogue.topic("jalan-rusak").amounts == AmountRange(80_000, 450_000, True)


@pytest.mark.parametrize("value", [
    "500", '{ min = 100, max = "banyak" }', "{ min = 200_000, max = 100_000 }",
    "{ min = 0, max = 10 }", "{ min = 10, max = 20, bulat = true }",
    "{ min = 10, max = 20, tepat = 1 }", "{ min = 1.5, max = 20 }",
    "{ min = 10, max = 10_000_000_000_000 }",
])
def test_a_broken_money_range_is_named(tmp_path, value):
    message = _error(*_write(tmp_path, topics={"a.toml": _topic(f"jumlah = {value}")})[:2])
    assert "topik «jalan-rusak», jumlah: harus { min = 10000, max = 75000 }" in message


def test_a_topic_place_kind_decides_where_it_happens(tmp_path):
    topic = DESA_TOML.replace('target = "pupr"', 'target = "pupr"\nlokasi = "desa"')
    catalogue = load_catalogue(*_write(tmp_path, topics={"a.toml": topic})[:2])
    # An older region file: "Satu" is the kecamatan's kelurahan, "Dua" a desa.
    kecamatan = catalogue.region.kecamatan[0]
    assert kecamatan.desa == ("Dua",) and kecamatan.places("kelurahan") == ("Satu",)
    for complaint in generate(catalogue, 3, 60, START, messiness=0):
        assert "Satu" not in complaint.text
        assert "Desa Dua" in complaint.reporter.address


def test_a_template_naming_the_kind_of_place_sets_it(tmp_path):
    """"Desa {kelurahan}" makes a desa topic (older files without `lokasi` stay valid); a
    topic naming both kinds, or naming the other kind than its `lokasi`, is refused."""
    catalogue = load_catalogue(*_write(tmp_path, topics={"a.toml": DESA_TOML})[:2])
    assert catalogue.topic("jalan-rusak").lokasi == "desa"
    both = tmp_path / "b"
    both.mkdir()
    topic = DESA_TOML.replace('"Jalan di {jalan} {kelurahan} berlubang sejak {tanggal}."',
                              '"Jalan di Kelurahan {kelurahan} berlubang."')
    assert ("templates: template #2 menyebut desa dan template #1 menyebut kelurahan: tulis "
            "{desa_kelurahan} {kelurahan}, atau pisahkan menjadi dua topik") in _error(
        *_write(both, topics={"a.toml": topic})[:2])
    other = tmp_path / "c"
    other.mkdir()
    topic = DESA_TOML.replace('target = "pupr"', 'target = "pupr"\nlokasi = "kelurahan"')
    assert ('templates: template #2 menyebut desa ({desa_kelurahan} {kelurahan} cocok untuk '
            'keduanya), padahal lokasi = "kelurahan"') in _error(
        *_write(other, topics={"a.toml": topic})[:2])
    wrong = tmp_path / "d"
    wrong.mkdir()
    topic = _topic('lokasi = "dusun"')
    assert "topik «jalan-rusak», lokasi: harus desa atau kelurahan" in _error(
        *_write(wrong, topics={"a.toml": topic})[:2])


def test_a_desa_topic_in_a_kota_must_be_limited_to_kabupaten(tmp_path):
    kota = REGION_TOML.replace('kind = "kabupaten"', 'kind = "kota"')
    topic = DESA_TOML.replace('target = "pupr"', 'target = "pupr"\nlokasi = "desa"')
    message = _error(*_write(tmp_path, kota, {"a.toml": topic})[:2])
    assert "tidak punya desa, padahal templatnya menyebut Desa {kelurahan}" in message
    limited = tmp_path / "b"
    limited.mkdir()
    topic = topic.replace('lokasi = "desa"', 'lokasi = "desa"\nregions = ["kabupaten"]')
    other = TOPIC_TOML.replace('"jalan-rusak"', '"lain"')
    catalogue = load_catalogue(*_write(limited, kota, {"a.toml": topic, "b.toml": other})[:2])
    assert [t.id for t in catalogue.topics] == ["lain"]


def test_a_region_lists_its_desa_and_dusun(tmp_path):
    region = REGION_TOML.replace('kelurahan = ["Satu", "Dua"]',
                                 'kelurahan = ["Satu", "Dua"]\ndesa = ["Tiga"]').replace(
        'admin_unit = "diskominfo"', 'admin_unit = "diskominfo"\ndusun = ["Krajan", "Ngasem"]')
    catalogue = load_catalogue(*_write(tmp_path, region)[:2])
    kecamatan = catalogue.region.kecamatan[0]
    assert kecamatan.kelurahan == ("Satu", "Dua", "Tiga") and kecamatan.desa == ("Tiga",)
    assert catalogue.region.dusun == ("Krajan", "Ngasem")
    both = tmp_path / "b"
    both.mkdir()
    region = region.replace('desa = ["Tiga"]', 'desa = ["Tiga", "Dua"]')
    assert "«Dua» juga tertulis di kelurahan: pilih salah satu" in _error(
        *_write(both, region)[:2])


@pytest.mark.parametrize(("line", "message"), [
    ("name_pools = { sunda = 1 }", "name_pools: harus tabel budaya = bobot"),
    ('name_pools = { jawa = "banyak" }', "name_pools: harus tabel budaya = bobot"),
    ('name_pools = ["jawa"]', "name_pools: harus tabel budaya = bobot"),
    ('bahasa = "sunda"', "bahasa: harus salah satu dari jawa, banjar"),
])
def test_a_region_people_and_language_are_checked(tmp_path, line, message):
    region = REGION_TOML.replace('admin_unit = "diskominfo"',
                                 f'admin_unit = "diskominfo"\n{line}')
    assert f"[region], {message}" in _error(*_write(tmp_path, region)[:2])
