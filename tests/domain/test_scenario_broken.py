"""Broken scenario files (tests/scenarios_broken/): every problem with its line, field and message.

Each file is a small variation of MINIMAL below. The expected problem of each file is
declared here, with the line of the offending key counted by hand from the file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest

from sandbox.domain.catalogue import Catalogue, load_catalogue
from sandbox.domain.errors import DomainError
from sandbox.domain.scenario import Problem, ScenarioError, load_scenario, parse_scenario

ROOT = Path(__file__).resolve().parents[2]
BROKEN = ROOT / "tests" / "scenarios_broken"
REGIONS = ROOT / "seed" / "regions"
TOPICS = ROOT / "seed" / "topics"


@lru_cache(maxsize=4)
def load_region(name: str) -> Catalogue:
    path = REGIONS / name
    if not path.is_file():
        raise DomainError(f"file wilayah tidak ditemukan: {name}")
    return load_catalogue(path, TOPICS)


MINIMAL = """\
format = 1

[scenario]
id = "minimal"
title = "Skenario rusak untuk pengujian"
description = "Variasi kecil dari skenario minimal yang valid."
goals = ["Memeriksa pesan kesalahan"]
duration_minutes = 30
minutes_per_hk = 4
region = "kabupaten-sukamaju.toml"
seed = 7
start = 2026-03-02T08:00:00

[[timeline]]
at = "+0 menit"
topics = ["pdam-air-mati"]
"""

# (file name, line of the offending key or None, field, part of the message)
EXPECTED: list[tuple[str, int | None, str, str]] = [
    # the timeline
    ("unknown-topic", 16, "timeline[1].topics", "topik tidak dikenal «jalan-ke-bulan»"),
    ("negative-time", 15, "timeline[1].at", "waktu tidak boleh negatif"),
    ("at-beyond-duration", 15, "timeline[1].at", "45 menit melewati durasi skenario (30 menit)"),
    ("at-before-start", 15, "timeline[1].at", "sebelum waktu mulai skenario"),
    ("at-with-offset", 15, "timeline[1].at", "zona"),
    ("missing-at", 14, "timeline[1].at", "wajib diisi"),
    ("duplicate-timeline-id", 20, "timeline[2].id", "«gelombang» sudah dipakai di timeline[1]"),
    ("duplicate-complaint-id", 28, "timeline[2].complaint.id",
     "«ambulans-desa» sudah dipakai di timeline[1]"),
    ("unknown-kategori", 16, "timeline[1].kategori", "kategori tidak dikenal «olahraga»"),
    ("kategori-count-zero", 17, "timeline[1].count", "harus lebih dari 0 (tertulis: 0)"),
    ("two-kinds", 17, "timeline[1].random",
     "satu entri hanya boleh satu dari topics, kategori, random, complaint"),
    ("empty-entry", 18, "timeline[2]", "harus punya note"),
    ("topics-not-text", 16, "timeline[1].topics", "setiap isi daftar harus teks"),
    ("over-beyond-duration", 17, "timeline[1].over", "berakhir pada menit 35, melewati durasi"),
    ("note-for-unknown", 18, "timeline[1].note_for",
     'harus "peserta" (boleh dibaca peserta latihan mandiri) atau "fasilitator" '
     "(tertulis: 'semua')"),
    ("note-for-without-note", 17, "timeline[1].note_for", "hanya dipakai bersama note"),
    # a line starting with "[" inside a multi-line note is text, not a table header
    ("bracket-line-in-note", 18, "timeline[1].topics", "topik tidak dikenal «jalan-ke-bulan»"),
    # hand-written complaints
    ("bukan-wewenang-to-pemda", 20, "timeline[1].complaint.target",
     "«pupr» adalah unit Pemda, padahal expected_action bukan_wewenang"),
    ("unknown-unit", 20, "timeline[1].complaint.target",
     "kode unit/instansi tidak dikenal «dinas-antah»"),
    ("inline-complaint-line", 16, "timeline[1].complaint.target",
     "kode unit/instansi tidak dikenal «dinas-antah»"),
    # [scenario]
    ("speed-zero", 9, "scenario.minutes_per_hk", "harus lebih dari 0 (tertulis: 0)"),
    ("speed-negative", 9, "scenario.minutes_per_hk", "harus lebih dari 0 (tertulis: -4)"),
    ("seed-text", 11, "scenario.seed", "harus bilangan bulat (tertulis: 'abc')"),
    ("duration-text", 8, "scenario.duration_minutes", "harus angka (tertulis: '60')"),
    # docs/scenario-format.md: duration_minutes is 1-480
    ("duration-too-short", 8, "scenario.duration_minutes", "(tertulis: 0.5)"),
    ("goals-text", 7, "scenario.goals", "harus daftar teks"),
    ("id-mismatch", 4, "scenario.id", "harus sama dengan nama file «id-mismatch»"),
    ("unknown-region", 10, "scenario.region", "wilayah «kabupaten-antah.toml» tidak dapat dipakai"),
    ("office-hours-reversed", 13, "scenario.office_hours", "jam buka harus sebelum jam tutup"),
    ("start-with-offset", 12, "scenario.start", "tanpa zona"),
    ("missing-title", 3, "scenario.title", "wajib diisi"),
    ("missing-start", 3, "scenario.start", "wajib diisi"),
    # [sla] and [reporter]
    ("kuning-too-big", 15, "sla.kuning", "paling besar 0.99 (tertulis: 1.5)"),
    ("chase-text", 15, "reporter.chase", "harus true atau false"),
    ("bad-duration", 15, "reporter.tunda_reply", 'harus seperti "1 HK", "3 jam", "30 menit"'),
    ("accept-maybe", 15, "reporter.accept",
     "harus salah satu dari always, if_concrete (tertulis: 'maybe')"),
    ("rating-unknown", 15, "reporter.rating", "harus salah satu dari by_answer, none"),
    # typos: unknown keys in every table
    ("typo-top-level", 2, "versi", "kunci tidak dikenal"),
    ("typo-scenario", 6, "scenario.titel", "kunci tidak dikenal"),
    ("typo-sla", 16, "sla.tindaklanjut", "kunci tidak dikenal"),
    ("typo-penyelesaian", 19, "sla.penyelesaian.aspirsi", "kunci tidak dikenal"),
    ("typo-reporter", 16, "reporter.respon_after", "kunci tidak dikenal"),
    ("typo-timeline", 17, "timeline[1].catatan", "kunci tidak dikenal"),
    ("typo-timeline-reporter", 17, "timeline[1].reporter.acept", "kunci tidak dikenal"),
    ("typo-complaint", 24, "timeline[1].complaint.judul", "kunci tidak dikenal"),
    # the file as a whole
    ("toml-syntax", 5, "TOML", "sintaks tidak valid"),
    ("format-missing", None, "format", "harus 1 (tertulis: None)"),
    ("format-two", 1, "format", "harus 1 (tertulis: 2)"),
    ("format-true", 1, "format", "harus 1 (tertulis: True)"),
]

SEVERAL = "several-problems"
SEVERAL_EXPECTED = [
    (9, "scenario.minutes_per_hk", "harus lebih dari 0"),
    (11, "scenario.seed", "harus bilangan bulat"),
    (13, "scenario.modus", "kunci tidak dikenal"),
    (16, "sla.kuning", "paling besar 0.99"),
    (19, "reporter.accept", "harus salah satu dari always, if_concrete"),
    (20, "reporter.chase", "harus true atau false"),
    (23, "timeline[1].at", "waktu tidak boleh negatif"),
    (24, "timeline[1].topics", "topik tidak dikenal «jalan-ke-bulan»"),
    (28, "timeline[2].kategori", "kategori tidak dikenal «olahraga»"),
    (29, "timeline[2].count", "harus lebih dari 0"),
]


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path, load_region)
    assert caught.value.problems, f"{path.name}: ScenarioError without problems"
    return caught.value.problems


def test_minimal_scenario_is_valid():
    """The base every broken file varies on loads without problems."""
    scenario = parse_scenario(MINIMAL, "minimal.toml", load_region)
    assert scenario.id == "minimal"
    assert [e.topics for e in scenario.timeline] == [("pdam-air-mati",)]


def test_every_broken_file_is_declared():
    files = {p.stem for p in BROKEN.glob("*.toml")}
    declared = {name for name, *_ in EXPECTED}
    assert len(EXPECTED) == len(declared), "a file is declared twice"
    assert files == declared | {SEVERAL}
    assert len(files) >= 25


@pytest.mark.parametrize(("name", "line", "field", "message"), EXPECTED,
                         ids=[e[0] for e in EXPECTED])
def test_broken_file_reports_its_problem(name, line, field, message):
    path = BROKEN / f"{name}.toml"
    problems = problems_of(path)
    found = [(p.line, p.field, p.message) for p in problems]
    matching = [p for p in problems
                if p.line == line and p.field == field and message in p.message]
    assert matching, f"{name}: expected ({line}, {field!r}, ~{message!r}), got {found}"
    problem = matching[0]
    assert problem.file == str(path)
    where = f"{path}:{line}" if line else str(path)
    assert str(problem) == f"{where}: {field}: {problem.message}"


@pytest.mark.parametrize("name", [e[0] for e in EXPECTED])
def test_broken_file_has_exactly_one_problem(name):
    """Each file changes one thing, so it should report one problem, not follow-up noise."""
    problems = problems_of(BROKEN / f"{name}.toml")
    assert len(problems) == 1, [str(p) for p in problems]


def test_declared_lines_really_hold_the_offending_key():
    """Guard the hand-counted line numbers: the line names the key (or is its table header)."""
    for name, line, field, _ in EXPECTED:
        if line is None or field == "TOML":
            continue
        text = (BROKEN / f"{name}.toml").read_text(encoding="utf-8").splitlines()[line - 1]
        key = field.rsplit(".", 1)[-1]
        if name.startswith("missing-") or name == "empty-entry":
            assert text.startswith("["), (name, text)
        elif name in ("inline-complaint-line", "typo-timeline-reporter"):
            assert text.split("=", 1)[0].strip() in ("complaint", "reporter"), (name, text)
        else:
            assert text.split("=", 1)[0].strip() == key, (name, text)


def test_several_problems_are_reported_at_once():
    problems = problems_of(BROKEN / f"{SEVERAL}.toml")
    assert len(problems) == len(SEVERAL_EXPECTED) == 10
    for line, field, message in SEVERAL_EXPECTED:
        assert any(p.line == line and p.field == field and message in p.message
                   for p in problems), (line, field, [str(p) for p in problems])
    error_text = str(ScenarioError(problems))
    assert error_text.count("\n") == 9


def test_several_problems_come_in_file_order():
    problems = problems_of(BROKEN / f"{SEVERAL}.toml")
    assert [(p.line, p.field) for p in problems] == [(line, field)
                                                    for line, field, _ in SEVERAL_EXPECTED]


def _problem_list(name: str) -> list[list[object]]:
    try:
        load_scenario(BROKEN / f"{name}.toml", load_region)
    except ScenarioError as error:
        return [[p.file, p.line, p.field, p.message] for p in error.problems]
    return []


def test_problems_are_stable():
    first = _problem_list(SEVERAL)
    assert first == _problem_list(SEVERAL)
    env = {**os.environ, "PYTHONHASHSEED": "977"}
    code = ("import json; from tests.domain.test_scenario_broken import _problem_list; "
            f"print(json.dumps(_problem_list({SEVERAL!r})))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == first


def test_unknown_keys_are_listed_in_file_order():
    text = MINIMAL.replace('seed = 7\n', 'seed = 7\nzeta = 1\nalpha = 2\nmu = 3\n')
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "minimal.toml", load_region)
    fields = [p.field for p in caught.value.problems]
    assert fields == ["scenario.zeta", "scenario.alpha", "scenario.mu"]
    assert [p.line for p in caught.value.problems] == [12, 13, 14]


def test_problems_in_text_without_a_file_name():
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(MINIMAL.replace("seed = 7", "seed = -1"), "", load_region)
    assert [(p.file, p.line, p.field) for p in caught.value.problems] == \
        [("", 11, "scenario.seed")]
    assert "tidak boleh negatif" in caught.value.problems[0].message
