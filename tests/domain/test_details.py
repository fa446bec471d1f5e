"""Details that fit (issue 15, item 5): money by topic, identifiers of the right shape, dates
spread and in season, places that keep their character, names and firms of the region."""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest

from sandbox.domain import details
from sandbox.domain.catalogue import load_catalogue
from sandbox.domain.generator import generate

ROOT = Path(__file__).resolve().parents[2]
START = datetime(2026, 3, 2, 7, 0)
REGIONS = ("kabupaten-sukamaju", "kota-mekarsari")


def _load(name):
    return load_catalogue(ROOT / "seed/regions" / f"{name}.toml", ROOT / "seed/topics")


@pytest.fixture(scope="module", params=REGIONS)
def world(request):
    catalogue = _load(request.param)
    return catalogue, list(generate(catalogue, 77, 3000, START))


# ------------------------------------------------------------------ identifiers


def test_identifier_shapes():
    rng = random.Random(1)
    for _ in range(2000):
        assert re.fullmatch(r"[1-5]\d{11}", details.pln_customer_id(rng))
        assert re.fullmatch(r"04(\.\d{2}\.\d{5}|\d{6})", details.pdam_customer_no(rng, 4))
        assert re.fullmatch(r"AA \d{1,4} [A-Z]{1,3}", details.plate(rng, "AA"))
        phone = details.mobile(rng)
        assert phone.startswith("08") and phone.isdigit() and 11 <= len(phone) <= 13


def test_identifiers_in_the_texts(world):
    catalogue, complaints = world
    region = catalogue.region
    pln = re.compile(r"(?:ID pelanggan|id plgn|ID pelanggan PLN) (\d+)", re.IGNORECASE)
    seen = Counter()
    for complaint in complaints:
        for number in pln.findall(complaint.text):
            if complaint.key.kategori == "energi":
                assert len(number) == 12, complaint.text
                seen["pln"] += 1
        if "kapital" in complaint.voice.features:  # "RT 011 LOA ..." in caps reads as a plate
            continue
        for plate in re.findall(r"\b([A-Z]{1,2}) [1-9]\d{0,3} [A-Z]{1,3}\b", complaint.text):
            assert plate == region.plate_prefix, complaint.text
            seen["plate"] += 1
        nik = complaint.reporter.nik
        assert len(nik) == 16 and nik.isdigit() and nik.startswith(region.nik_prefix)
        day, month = int(nik[6:8]) % 40, int(nik[8:10])
        date(2000, month, day)  # a real birth date (2000 is a leap year)
        assert (int(nik[6:8]) > 40) == (complaint.reporter.gender == "P")
    assert seen["pln"] > 5 and seen["plate"] > 5


# ------------------------------------------------------------------ money


def test_amounts_fit_their_topic_and_vary(world):
    catalogue, complaints = world
    amounts = Counter()
    for complaint in complaints:
        if complaint.key.duplicate_of:
            continue
        span = catalogue.topic(complaint.key.topic).amounts
        for value in complaint.voice.amounts:
            assert span is not None, complaint.key.topic  # every shipped topic says its range
            assert span.low <= value <= span.high, (complaint.key.topic, value)
            amounts[value] += 1
    assert len(amounts) > 60
    assert amounts.most_common(1)[0][1] / amounts.total() < 0.08


def test_an_sd_book_costs_tens_of_thousands_and_a_sim_broker_hundreds():
    catalogue = _load("kabupaten-sukamaju")
    lks = catalogue.topic("dana-bos-sd-tidak-transparan").amounts
    broker = catalogue.topic("sim-skck-polres").amounts
    assert lks is not None and broker is not None
    assert lks.high < 200_000 <= broker.low * 2


def test_amounts_are_rounded_as_people_round_them_and_bills_are_exact():
    rng = random.Random(3)
    quoted = [details.amount(rng, details.AmountRange(50_000, 900_000)) for _ in range(500)]
    assert all(value % 500 == 0 for value in quoted)
    assert sum(value % 5000 == 0 for value in quoted) > 0.8 * len(quoted)
    bills = [details.amount(rng, details.AmountRange(150_000, 900_000, exact=True))
             for _ in range(500)]
    assert sum(value % 1000 != 0 for value in bills) > 400
    texts = {details.rupiah(rng, 250_000, "singkat") for _ in range(100)}
    assert texts >= {"250rb", "Rp250.000"}
    assert all(t.startswith("Rp") for t in (details.rupiah(rng, 1_250_000, "formal")
                                            for _ in range(50)))


# ------------------------------------------------------------------ dates


def test_dates_spread_over_months_and_rain_falls_in_the_rainy_season():
    catalogue = _load("kabupaten-sukamaju")
    months = Counter()
    for complaint in generate(catalogue, 5, 3000, START):
        months.update(complaint.voice.months)
    assert len(months) >= 4
    assert months.most_common(1)[0][1] / months.total() < 0.6
    rng = random.Random(8)
    wet = [details.past_day(rng, date(2026, 3, 2), wet=True) for _ in range(500)]
    assert all(day.month in details.RAINY_MONTHS for day in wet)
    dry = [details.past_day(rng, date(2026, 8, 20)) for _ in range(500)]
    assert {day.month for day in dry} >= {5, 6, 7, 8}


# ------------------------------------------------------------------ places


def test_a_place_keeps_its_character(world):
    catalogue, complaints = world
    desa = {v for k in catalogue.region.kecamatan for v in k.desa}
    towns = {v for k in catalogue.region.kecamatan for v in k.kelurahan} - desa
    for complaint in complaints:
        for name in re.findall(r"\bDesa ([A-Z][a-z]+(?: [A-Z][a-z]+)?)", complaint.text):
            assert name in desa or name.split()[0] in desa, complaint.text
        for name in re.findall(r"\bKelurahan ([A-Z][a-z]+)", complaint.text):
            assert any(t.startswith(name) for t in towns), complaint.text
        topic = catalogue.topic(complaint.key.topic)
        address = complaint.reporter.address
        if topic.lokasi == "desa" and desa and not complaint.key.duplicate_of:
            assert ", Desa " in address and address.startswith(("Dusun", "Jl. Raya")), address
        if topic.lokasi == "kelurahan" and not complaint.key.duplicate_of:
            assert ", Kelurahan " in address, address


def test_a_street_belongs_to_one_kelurahan_and_a_desa_has_dusun():
    for name in REGIONS:
        catalogue = _load(name)
        region = catalogue.region
        villages = [(v, v in k.desa) for k in region.kecamatan for v in k.kelurahan]
        book = details.place_book(region.name, villages, region.streets, region.dusun)
        assert book == details.place_book(region.name, villages, region.streets, region.dusun)
        owners = Counter(street for place in book.values() if not place.desa
                         for street in place.streets)
        towns = sum(not place.desa for place in book.values())
        if len(region.streets) >= 2 * towns:  # enough streets: none shared
            assert max(owners.values()) == 1
        for place in book.values():
            if place.desa:
                assert all(s.startswith("Jl. Dusun ") or s == f"Jl. Raya {place.name}"
                           for s in place.streets)


# ------------------------------------------------------------------ people and firms


def _pool_words(cultures):
    words = set()
    for culture in cultures:
        for style in details.NAME_CULTURES[culture]:
            for names in (style.male, style.male_second, style.female, style.female_second):
                words |= {w for n in names for w in n.split()}
    words |= {w for names in details._JAWA_SINGLE for w in names}
    return words


def test_people_are_named_as_in_the_region(world):
    catalogue, complaints = world
    pool = _pool_words(catalogue.region.name_pools or {"umum": 1})
    for complaint in complaints:
        assert set(complaint.reporter.name.split()) <= pool, complaint.reporter.name


def test_firms_are_named_as_shops_of_the_region(world):
    catalogue, complaints = world
    words = {w for culture in catalogue.region.name_pools for w in details._COMPANY_FIRST[culture]}
    words |= set(details._COMPANY_SECOND) | {"Indonesia", "Group", "Persada", "Nusantara"}
    found = 0
    for complaint in complaints:
        for firm in re.findall(r"\b(?:PT|CV|UD) ([A-Z][a-z]+ [A-Z][a-z]+)", complaint.text):
            assert set(firm.split()) <= words, firm
            found += 1
    assert found > 20
