"""Messier texts on purpose and by seed (issue 15, item 3): a rate a scenario sets, and mess
that never touches what the trainee needs to decide."""

from __future__ import annotations

import random
import re
from datetime import datetime
from pathlib import Path

import pytest

from sandbox.domain.catalogue import load_catalogue
from sandbox.domain.generator import _Region, _reporter, _Slots, generate
from sandbox.domain.messiness import (
    CAREFUL_WRITERS,
    KEY_WORDS,
    _typo,
    level,
    roughen,
)
from sandbox.domain.voice import Register, classify

ROOT = Path(__file__).resolve().parents[2]
START = datetime(2026, 3, 2, 7, 0)
MESS = {"salah_ketik", "singkatan", "autokoreksi", "tanda_baca", "huruf_kecil", "huruf_ganda",
        "kapital", "emoji"}
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9./-]*[A-Za-z0-9]|[A-Za-z0-9]")


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(ROOT / "seed/regions/kabupaten-sukamaju.toml", ROOT / "seed/topics")


def _messy_share(complaints):
    return sum(bool(c.voice.features & MESS) for c in complaints) / len(complaints)


def test_a_clean_scenario_gets_clean_texts(catalogue):
    complaints = list(generate(catalogue, 8, 800, START, messiness=0.0))
    assert not any(c.voice.features & MESS for c in complaints)


def test_a_higher_rate_gives_messier_texts(catalogue):
    shares = [_messy_share(list(generate(catalogue, 8, 800, START, messiness=rate)))
              for rate in (0.1, 0.35, 1.0)]
    assert 0 < shares[0] < shares[1] < shares[2], shares
    typos = [sum("salah_ketik" in c.voice.features
                 for c in generate(catalogue, 8, 800, START, messiness=rate))
             for rate in (0.1, 1.0)]
    assert typos[0] * 3 < typos[1], typos


def test_some_writers_are_careful_whatever_the_rate():
    rng = random.Random(4)
    levels = [level(1.0, Register.SINGKAT, 1.0, rng) for _ in range(4000)]
    clean = sum(value == 0 for value in levels) / len(levels)
    assert abs(clean - CAREFUL_WRITERS) < 0.03
    assert level(0.0, Register.SINGKAT, 1.0, rng) == 0.0


def test_the_answer_key_does_not_depend_on_how_messy_the_texts_are(catalogue):
    clean = list(generate(catalogue, 11, 400, START, messiness=0.0))
    messy = list(generate(catalogue, 11, 400, START, messiness=1.0))
    assert [c.key for c in clean] == [c.key for c in messy]
    assert [(c.tracking_no, c.channel, c.arrived_at, c.reporter) for c in clean] == \
        [(c.tracking_no, c.channel, c.arrived_at, c.reporter) for c in messy]
    assert sum(a.text != b.text for a, b in zip(clean, messy, strict=True)) > 150


def _decisive(text, keep):
    """The words a trainee decides by, lower case: what was filled in, the routing words,
    numbers, acronyms (PDAM, KTP-el) and names written with a capital inside a sentence."""
    found = set()
    for match in _TOKEN.finditer(text):
        token, word = match.group(), match.group().lower()
        inside = match.start() > 1 and text[match.start() - 2] not in ".!?"
        if (word in keep or word in KEY_WORDS or any(ch.isdigit() for ch in token)
                or sum(ch.isupper() for ch in token) > 1 or (inside and token[0].isupper())):
            found.add(word.rstrip("."))
    return found


def test_mess_never_touches_a_place_a_unit_a_name_or_a_number(catalogue):
    """Every template of the catalogue, filled and made as messy as it gets: each decisive
    word of the clean text is still in the messy one (caps lock may change its case)."""
    region = _Region(catalogue)
    today = START.date()
    rng = random.Random(15)
    checked = 0
    for topic in catalogue.topics:
        kecamatan = catalogue.region.kecamatan[checked % len(catalogue.region.kecamatan)]
        place = region.book[kecamatan.places(topic.lokasi)[0]]
        for template in topic.templates:
            reporter, home = _reporter(region, rng, today, 0, place, False)
            register = classify(template)
            slots = _Slots(region, rng, reporter, home, 0, place, today, register, topic,
                           template)
            clean = template.format_map(slots)
            keep = slots.keep()
            for _ in range(3):
                messy, done = roughen(clean, rng, 1.0, register, keep)
                left = {w.lower().rstrip(".") for w in _TOKEN.findall(messy)}
                lost = _decisive(clean, keep) - left
                assert not lost, (topic.id, lost, clean, messy)
                checked += bool(done)
    assert checked > 1000


def test_a_typo_is_one_slip_and_keeps_the_first_letter():
    rng = random.Random(2)
    for word in ("diperbaiki", "tagihan", "selokan", "mengalir") * 50:
        slip = _typo(word, rng)
        assert slip != word
        assert slip[0] == word[0]
        assert abs(len(slip) - len(word)) <= 1


def test_routing_words_stay_whole_even_in_shorthand():
    text = ("sudah lapor ke pdam tapi air tidak mengalir, sampah di tps juga belum diangkut, "
            "jalan nasional rusak dan sekolah madrasah bocor, tolong segera")
    rng = random.Random(9)
    for _ in range(200):
        messy, _ = roughen(text, rng, 1.0, Register.SINGKAT, set())
        words = {w.rstrip(".,!?") for w in messy.lower().split()}
        assert {"pdam", "air", "sampah", "tps", "jalan", "nasional", "sekolah",
                "madrasah"} <= words, messy


def test_the_mess_is_the_same_for_the_same_seed(catalogue):
    first = [c.text for c in generate(catalogue, 5, 200, START, messiness=0.8)]
    again = [c.text for c in generate(catalogue, 5, 200, START, messiness=0.8)]
    assert first == again
