"""Quality of the shipped catalogue: what a facilitator would catch in the first ten minutes."""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from sandbox.domain.catalogue import KATEGORI_LABELS, Catalogue, load_catalogue
from sandbox.domain.generator import _Region, _reporter, _Slots, generate
from sandbox.domain.voice import classify
from sandbox.domain.workflow import Klasifikasi

ROOT = Path(__file__).resolve().parents[2]
REGIONS = sorted((ROOT / "seed" / "regions").glob("*.toml"))
START = datetime(2026, 3, 2, 7, 0)

# Words that betray machine text in an Indonesian report: Latin filler and plain English.
FOREIGN = {"lorem", "ipsum", "dolor", "amet", "consectetur", "adipiscing", "elit", "sed",
           "the", "and", "please", "with", "this", "that", "you", "your", "from", "have",
           "will", "would", "should", "road", "water", "school", "hospital", "report",
           "complaint", "thanks", "thank"}


@pytest.fixture(scope="module", params=REGIONS, ids=lambda p: p.stem)
def catalogue(request) -> Catalogue:
    return load_catalogue(request.param, ROOT / "seed" / "topics")


def test_two_region_templates_ship():
    assert {p.name for p in REGIONS} >= {"kabupaten-sukamaju.toml", "kota-mekarsari.toml"}


def test_size_of_the_catalogue(catalogue):
    units = [u for u in catalogue.units.values() if not u.is_agency and
             not u.code.startswith("kec-")]
    agencies = [u for u in catalogue.units.values() if u.is_agency]
    assert len(units) >= 28
    assert "pdam" in catalogue.units
    assert any(u.code.startswith("kec-") for u in catalogue.units.values())
    assert len(agencies) >= 15
    assert len(catalogue.topics) >= 75  # a few topics are kabupaten-only
    for topic in catalogue.topics:
        assert len(set(topic.templates)) >= 4, topic.id
        assert topic.explanation.endswith("."), topic.id


def test_at_least_80_topics_in_the_kabupaten():
    kabupaten = load_catalogue(ROOT / "seed/regions/kabupaten-sukamaju.toml", ROOT / "seed/topics")
    assert len(kabupaten.topics) >= 80


def test_every_template_renders_cleanly_for_many_seeds(catalogue):
    region = _Region(catalogue)
    today = START.date()
    for seed in range(8):
        rng = random.Random(seed)
        index = seed % len(catalogue.region.kecamatan)
        kecamatan = catalogue.region.kecamatan[index]
        for topic in catalogue.topics:
            place = region.book[rng.choice(kecamatan.places(topic.lokasi))]
            for template in topic.templates:
                reporter, home = _reporter(region, rng, today, index, place, False)
                slots = _Slots(region, rng, reporter, home, index, place, today,
                               classify(template), topic, template)
                text = template.format_map(slots)
                assert "{" not in text and "}" not in text, (topic.id, text)
                words = set(re.findall(r"[a-z]+", text.lower()))
                assert not words & FOREIGN, (topic.id, words & FOREIGN, text)
                assert len(text) >= 15, (topic.id, text)


# Routing traps of LAPOR.md §5: (name, expected action, target, words one template must hold).
TRAPS = [
    ("jalan nasional", "bukan_wewenang", "bpjn", r"nasional|marka kuning|lintas"),
    ("jalan provinsi", "bukan_wewenang", "pu-prov", r"provinsi"),
    ("jalan kabupaten", "disposisi", "pupr", r"jalan|jln"),
    ("SD/SMP", "disposisi", "disdik", r"\bSD|SMP|PAUD|BOS"),
    ("SMA/SMK/SLB", "bukan_wewenang", "disdik-prov", r"SMA|SMK|SLB"),
    ("madrasah", "bukan_wewenang", "kemenag", r"madrasah|MTs|MI |MA |\bRA\b|\{madrasah\}"),
    ("PDAM", "disposisi", "pdam", r"PDAM|air"),
    ("sedot tinja", "disposisi", "@sedot_tinja", r"tinja|septic|septik|IPLT"),
    ("STBM / BAB sembarangan", "disposisi", "dinkes", r"BAB|buang air besar|jamban|STBM"),
    ("sampah", "disposisi", "dlh", r"sampah|TPS"),
    ("listrik", "bukan_wewenang", "pln", r"listrik|token|meteran|padam"),
    ("BPJS Kesehatan", "bukan_wewenang", "bpjs-kes", r"BPJS"),
    ("RS menolak pasien", "disposisi", "rsud", r"RSUD|rumah sakit|\{rsud\}"),
    ("KTP-el / KK / akta", "disposisi", "disdukcapil", r"KTP|KK|akta|kartu keluarga"),
    ("pajak kendaraan", "bukan_wewenang", "samsat", r"STNK|pajak kendaraan|pajak motor|samsat"),
    ("SIM / SKCK", "bukan_wewenang", "polres", r"SIM|SKCK"),
    ("sertifikat tanah", "bukan_wewenang", "bpn", r"sertifikat|sertipikat"),
    ("PKL / bangunan liar", "disposisi", "satpolpp", r"PKL|pedagang|bangunan liar|lapak"),
    ("izin usaha / PBG", "disposisi", "dpmptsp", r"izin|PBG|NIB"),
    ("bansos", "disposisi", "dinsos", r"bansos|PKH|BPNT|bantuan"),
]


@pytest.mark.parametrize(("name", "action", "target", "words"), TRAPS,
                         ids=[t[0] for t in TRAPS])
def test_every_routing_trap_is_in_every_region(catalogue, name, action, target, words):
    if target.startswith("@"):
        target = catalogue.region.config[target[1:]]
    matches = [t for t in catalogue.topics if t.action == action and t.target == target
               and any(re.search(words, tpl) for tpl in t.templates)]
    assert matches, f"no topic for the trap «{name}» ({action} → {target})"


def test_wash_topics_cover_water_sanitation_and_hygiene(catalogue):
    wash = [t for t in catalogue.topics if t.kategori == "air_minum_sanitasi"]
    assert len(wash) >= 6
    assert any(t.target == "pdam" for t in wash)
    hygiene = [t for t in catalogue.topics if t.target == "dinkes" and any(
        re.search(r"cuci tangan|STBM|jamban|BAB|buang air", tpl) for tpl in t.templates)]
    assert len(hygiene) >= 2


def test_all_klasifikasi_and_kategori_are_used(catalogue):
    used = Counter(t.klasifikasi for t in catalogue.topics)
    assert set(used) == set(Klasifikasi)
    assert used[Klasifikasi.ASPIRASI] >= 4
    assert used[Klasifikasi.PERMINTAAN_INFORMASI] >= 4
    assert len({t.kategori for t in catalogue.topics}) >= 12
    assert {t.kategori for t in catalogue.topics} <= set(KATEGORI_LABELS)


def test_expected_actions_come_in_fitting_proportions(catalogue):
    complaints = list(generate(catalogue, 2026, 3000, START))
    share = Counter(c.key.expected_action for c in complaints)
    total = len(complaints)
    assert 0.50 <= share["disposisi"] / total <= 0.85
    assert 0.08 <= share["bukan_wewenang"] / total <= 0.30
    assert 0.03 <= share["tunda"] / total <= 0.12
    assert 0.04 <= share["arsipkan"] / total <= 0.14
    assert share["kelola_sendiri"] >= 1
    reasons = Counter(c.key.archive_reason for c in complaints if c.key.archive_reason)
    assert {"spam", "terlalu_umum", "duplikat"} <= set(reasons)
    assert sum(c.key.rahasia for c in complaints) / total >= 0.03
    assert sum(c.key.anonim for c in complaints) / total >= 0.03


def test_rahasia_topics_cover_the_reasons_an_admin_must_recognise(catalogue):
    rahasia = [t for t in catalogue.topics if t.rahasia]
    assert len(rahasia) >= 6
    texts = " ".join(tpl for t in rahasia for tpl in t.templates)
    assert "{petugas}" in texts  # a named official
    assert re.search(r"pungli|pungut|minta uang|uang pelicin", texts)
    assert any(a.kind in ("ktp", "foto") for t in rahasia for a in t.attachments)
    assert any(t.reporter_anonim for t in catalogue.topics)


def test_tunda_topics_say_what_to_ask(catalogue):
    tunda = [t for t in catalogue.topics if t.action == "tunda"]
    assert len(tunda) >= 5
    assert all(t.question_hint for t in tunda)


def test_no_doubled_names_such_as_pasar_pasar(catalogue):
    for complaint in generate(catalogue, 31, 1500, START):
        doubled = re.search(r"\b([A-Z][a-z]+\.?) \1\b", complaint.text)
        assert doubled is None, (complaint.key.topic, doubled.group(0), complaint.text)


def test_duplicates_resend_the_reporters_words_not_the_channel_note(catalogue):
    complaints = list(generate(catalogue, 8, 1500, START))
    by_number = {c.tracking_no: c for c in complaints}
    resends = [c for c in complaints if c.key.duplicate_of in by_number]
    assert resends
    for resend in resends:
        note = "dicatat petugas"
        assert resend.text.count(note) <= (1 if resend.channel == "telepon" else 0), resend.text


def test_generated_texts_are_diverse(catalogue):
    complaints = list(generate(catalogue, 77, 1000, START))
    bodies = Counter(c.text for c in complaints if c.key.archive_reason != "duplikat")
    repeated = sum(n - 1 for n in bodies.values() if n > 1)
    assert repeated / len(complaints) < 0.01, bodies.most_common(3)
