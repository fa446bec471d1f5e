"""Synthetic complaints: deterministic by seed, with a consistent ground truth."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from sandbox.domain.catalogue import CHANNELS, EXPECTED_ACTIONS, load_catalogue
from sandbox.domain.generator import generate
from sandbox.domain.workflow import ArchiveReason, Klasifikasi

ROOT = Path(__file__).resolve().parents[2]
REGION = ROOT / "seed" / "regions" / "kabupaten-sukamaju.toml"
TOPICS = ROOT / "seed" / "topics"
START = datetime(2026, 3, 2, 7, 0)


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(REGION, TOPICS)


@pytest.fixture(scope="module")
def batch(catalogue):
    return list(generate(catalogue, 2026, 300, START))


def _records(catalogue, seed, count=30):
    return [c.to_record() for c in generate(catalogue, seed, count, START)]


def _digest(records) -> str:
    blob = json.dumps(records, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


# ----------------------------------------------------------------- determinism


def test_same_seed_same_records(catalogue):
    first = _records(catalogue, 42)
    second = _records(catalogue, 42)
    assert len(first) == 30
    assert first == second


def test_different_seed_different_records(catalogue):
    a, b = _records(catalogue, 42), _records(catalogue, 43)
    assert len(a) == len(b) == 30
    assert a != b
    assert [r["text"] for r in a] != [r["text"] for r in b]


def test_prefix_is_stable(catalogue):
    """Asking for more complaints does not change the first ones."""
    assert _records(catalogue, 9, 40)[:10] == _records(catalogue, 9, 10)


def test_records_are_json_ready(catalogue):
    record = _records(catalogue, 1, 1)[0]
    assert json.loads(json.dumps(record)) == record
    assert set(record) >= {"position", "tracking_no", "channel", "arrived_at", "text",
                           "reporter", "attachments", "topic", "expected_action",
                           "expected_target", "klasifikasi", "explanation", "duplicate_of"}


def test_determinism_across_processes(catalogue):
    code = (
        "import hashlib, json; from datetime import datetime; from pathlib import Path; "
        "from sandbox.domain.catalogue import load_catalogue; "
        "from sandbox.domain.generator import generate; "
        f"cat = load_catalogue(Path({str(REGION)!r}), Path({str(TOPICS)!r})); "
        "records = [c.to_record() for c in generate(cat, 42, 30, datetime(2026, 3, 2, 7, 0))]; "
        "blob = json.dumps(records, sort_keys=True, ensure_ascii=False); "
        "print(hashlib.sha256(blob.encode('utf-8')).hexdigest())"
    )
    # A different hash seed would expose any dependence on set or dict-of-str ordering.
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == _digest(_records(catalogue, 42))


# ---------------------------------------------------------------- ground truth


def test_answer_keys_are_consistent(catalogue, batch):
    units = catalogue.units
    klasifikasi = {k.value for k in Klasifikasi}
    for c in batch:
        key = c.key
        assert key.expected_action in EXPECTED_ACTIONS
        assert key.klasifikasi in klasifikasi
        assert key.explanation.strip()
        topic = catalogue.topic(key.topic)
        assert key.kategori == topic.kategori or topic.duplicate
        if key.expected_action in ("disposisi", "tunda"):
            assert key.expected_target in units and not units[key.expected_target].is_agency
        elif key.expected_action == "bukan_wewenang":
            assert key.expected_target in units and units[key.expected_target].is_agency
        else:
            assert key.expected_target is None
        for code in (*key.acceptable_targets, *key.partial_targets):
            assert code in units
        if key.expected_action == "arsipkan":
            assert key.archive_reason in {r.value for r in ArchiveReason}
        else:
            assert key.archive_reason is None
        if key.expected_action == "tunda":
            assert key.question_hint
        assert c.channel in CHANNELS
        assert c.channel in topic.channels


def test_batch_covers_the_kinds_of_answer(batch):
    actions = {c.key.expected_action for c in batch}
    assert actions == set(EXPECTED_ACTIONS)


def test_no_slot_leftovers(batch):
    for c in batch:
        assert c.text.strip()
        assert "{" not in c.text and "}" not in c.text, c.text
        for attachment in c.attachments:
            assert "{" not in attachment["name"] and "}" not in attachment["name"]


def test_reporters(catalogue, batch):
    prefix = catalogue.region.nik_prefix
    kecamatan_count = len(catalogue.region.kecamatan)
    genders = set()
    for c in batch:
        r = c.reporter
        genders.add(r.gender)
        assert len(r.nik) == 16 and r.nik.isdigit(), r.nik
        assert r.nik.startswith(prefix)
        assert int(r.nik[4:6]) in range(1, kecamatan_count + 1)
        day = int(r.nik[6:8])
        assert (day > 40) == (r.gender == "P"), (r.nik, r.gender)
        assert (day - 40 if day > 40 else day) in range(1, 32)
        assert int(r.nik[8:10]) in range(1, 13)
        assert r.gender in ("L", "P")
        assert r.title == {"L": "Bapak", "P": "Ibu"}[r.gender]
        assert r.salutation == f"{r.title} {r.name}"
        assert r.phone.startswith("08") and r.phone.isdigit() and 11 <= len(r.phone) <= 13
        assert catalogue.region.name in r.address
    assert genders == {"L", "P"}


def test_arrivals_increase_and_tracking_numbers_are_unique(batch):
    assert [c.position for c in batch] == list(range(1, 301))
    arrivals = [c.arrived_at for c in batch]
    assert arrivals[0] > START
    assert all(a < b for a, b in zip(arrivals, arrivals[1:], strict=False))
    numbers = [c.tracking_no for c in batch]
    assert len(set(numbers)) == len(numbers)
    assert all(n.isdigit() for n in numbers)
    assert [int(n) for n in numbers] == sorted(int(n) for n in numbers)


def test_duplicates_point_at_an_earlier_complaint(batch):
    by_number = {c.tracking_no: c for c in batch}
    duplicates = [c for c in batch if c.key.archive_reason == "duplikat"]
    assert duplicates, "300 complaints should include some duplicates"
    for dup in duplicates:
        assert dup.key.expected_action == "arsipkan"
        original = by_number.get(dup.key.duplicate_of)
        assert original is not None, dup.key.duplicate_of
        assert original.position < dup.position
        # The reporter's own words, without the officer's note or the mention around them.
        assert original.voice.words in dup.text
        assert dup.text != original.text
        assert dup.reporter == original.reporter
        assert original.key.expected_action != "arsipkan"
        assert f"#{original.tracking_no}" in dup.key.explanation
    others = [c for c in batch if c.key.archive_reason != "duplikat"]
    assert all(c.key.duplicate_of is None for c in others)


def test_first_complaint_is_never_a_duplicate(catalogue):
    for seed in range(20):
        first = next(generate(catalogue, seed, 1, START))
        assert first.key.duplicate_of is None


def test_topic_subset(catalogue):
    topic = catalogue.topic("pdam-air-mati")
    batch = list(generate(catalogue, 5, 15, START, topics=[topic]))
    assert len(batch) == 15
    assert {c.key.topic for c in batch} == {"pdam-air-mati"}
    assert {c.key.expected_target for c in batch} == {"pdam"}


def test_only_duplicate_topic_yields_nothing(catalogue):
    duplicate = [t for t in catalogue.topics if t.duplicate]
    assert list(generate(catalogue, 5, 10, START, topics=duplicate)) == []


# ---------------------------------------------------------------------- laziness


def test_generate_is_lazy(catalogue):
    began = time.perf_counter()
    stream = generate(catalogue, 7, 10**9, START)
    assert isinstance(stream, Iterator)
    first = next(stream)
    second = next(stream)
    assert time.perf_counter() - began < 2.0
    assert (first.position, second.position) == (1, 2)


def test_zero_count_yields_nothing(catalogue):
    assert list(generate(catalogue, 7, 0, START)) == []


def test_duplicate_prefix_slots_are_filled(catalogue):
    """Re-send prefixes such as "LAPOR ULANG, sdh {angka} hari blm dibalas:" get their slots
    filled like any other template's."""
    import dataclasses

    duplicate = next(t for t in catalogue.topics if t.duplicate)
    prefix = "LAPOR ULANG, sdh {angka} hari blm dibalas:"
    only_prefix = dataclasses.replace(duplicate, templates=(prefix,), weight=1.0,
                                      channels=("web",))
    original = next(t for t in catalogue.topics if t.action == "disposisi")
    complaints = list(generate(catalogue, 7, 60, START, topics=[only_prefix, original]))
    resends = [c for c in complaints if c.key.archive_reason == "duplikat"]
    assert len(resends) > 10
    for complaint in resends:
        assert complaint.text.startswith("LAPOR ULANG, sdh ")
        assert "{" not in complaint.text and "}" not in complaint.text
        days = complaint.text.removeprefix("LAPOR ULANG, sdh ").split(" ", 1)[0]
        assert days.isdigit() and 2 <= int(days) <= 12