"""The refresher scenario of one person (domain.refresher): the traps they fell into,
topics they did not receive, 20 minutes, a file that parses and is the same every time."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import subprocess
import sys
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path

import pytest

from sandbox.domain.catalogue import Catalogue, load_catalogue
from sandbox.domain.decisions import Verdict
from sandbox.domain.refresher import (
    DURATION_MINUTES,
    REPORTS_MAX,
    HandledReport,
    NothingToPractise,
    Origin,
    TopicsGone,
    build_refresher,
    fallen_traps,
    refresher_seed,
    topic_traps,
)
from sandbox.domain.scenario import Scenario, expand, load_holidays, parse_scenario
from sandbox.domain.traps import DECISION_TRAPS, TRAPS

ROOT = Path(__file__).resolve().parents[2]
REGIONS = ROOT / "seed" / "regions"
TOPICS = ROOT / "seed" / "topics"
SUKAMAJU = "kabupaten-sukamaju.toml"


@lru_cache(maxsize=4)
def catalogue(region: str = SUKAMAJU) -> Catalogue:
    return load_catalogue(REGIONS / region, TOPICS)


@lru_cache(maxsize=1)
def holidays() -> frozenset[date]:
    return load_holidays(ROOT / "seed" / "calendar" / "hari-libur.toml")


def parse(text: str, name: str) -> Scenario:
    """The refresher read as any scenario file: a problem raises ScenarioError."""
    return parse_scenario(text, name, catalogue, holidays())


ORIGIN = Origin(code="ABCD12", title="Bimtek Admin Penghubung 2026", seed=101,
                region=SUKAMAJU, start=datetime(2026, 3, 2, 8, 0),
                results_at=datetime(2026, 3, 13, 14, 0), person="Siti Rahmawati",
                unit_name="Dinas Kesehatan", number=3, scenario="bimtek-dasar",
                office_hours=(time(7, 30), time(15, 30)), extra_holidays=(date(2026, 3, 11),))


def key_of(topic_id: str, region: str = SUKAMAJU) -> dict[str, object]:
    """An answer key as stored for a report of that topic (the fields traps read)."""
    topic = catalogue(region).topic(topic_id)
    return {"topic": topic.id, "expected_action": topic.action,
            "expected_target": topic.target, "rahasia": topic.rahasia,
            "anonim": topic.anonim or topic.reporter_anonim}


def topics_setting(trap: str, region: str = SUKAMAJU) -> list[str]:
    return sorted(t.id for t in catalogue(region).topics
                  if not t.duplicate and trap in topic_traps(t))


def scenario_topics(scenario: Scenario) -> list[str]:
    return [topic for entry in scenario.timeline for topic in entry.topics]


# A hand-built participant: a national road disposed to an OPD (twice), a rahasia report
# decided rightly but with the reporter named, and two reports done well.
ROAD, BPJS = "jalan-nasional-rusak", "bpjs-kesehatan-kepesertaan"
PUNGLI, PDAM, SPAM = "pungli-petugas-adminduk", "pdam-air-mati", "spam-promosi-judi"
SITI = [
    HandledReport(key_of(ROAD), Verdict.SALAH, 0),
    HandledReport(key_of(BPJS), Verdict.SEBAGIAN, 0),
    HandledReport(key_of(PUNGLI), Verdict.TEPAT, 1),
    HandledReport(key_of(PDAM), Verdict.TEPAT, 0),
    HandledReport(key_of(SPAM), Verdict.TEPAT, 0),
]
RECEIVED = {ROAD, BPJS, PUNGLI, PDAM, SPAM}


def test_the_traps_fallen_into_most_fallen_first():
    assert key_of(ROAD)["expected_action"] == "bukan_wewenang"
    assert key_of(PUNGLI)["rahasia"] is True
    fallen = fallen_traps(SITI)
    assert [(t.key, t.falls, t.received) for t in fallen] == [
        ("bukan-wewenang", 2, 2), ("rahasia", 1, 1)]
    assert fallen[0].label == "Bukan wewenang Pemda"


def test_a_refresher_practises_only_those_traps_with_topics_not_received():
    refresher = build_refresher(ORIGIN, SITI, catalogue())
    assert [t.key for t in refresher.traps] == ["bukan-wewenang", "rahasia"]
    assert refresher.practised == ("bukan-wewenang", "rahasia") and not refresher.missing
    scenario = parse(refresher.text, refresher.filename)
    topics = scenario_topics(scenario)
    assert topics == [p.topic for p in refresher.picks]
    assert 6 <= len(topics) <= REPORTS_MAX
    assert not set(topics) & RECEIVED  # none they received
    assert len(set(topics)) == len(topics)  # different texts: no topic twice
    for topic_id in topics:  # each sets a trap they fell into
        assert set(topic_traps(catalogue().topic(topic_id))) & {"bukan-wewenang", "rahasia"}
    practised = {p.trap for p in refresher.picks}
    assert practised == {"bukan-wewenang", "rahasia"}
    assert not any(p.reused for p in refresher.picks)


def test_a_refresher_is_twenty_minutes_of_solo_practice_in_the_sessions_calendar():
    refresher = build_refresher(ORIGIN, SITI, catalogue())
    scenario = parse(refresher.text, refresher.filename)
    assert scenario.duration_minutes == DURATION_MINUTES == 20
    assert scenario.duration_minutes / scenario.minutes_per_hk == 5  # five HK
    assert (scenario.mode, scenario.feedback) == ("individu", "langsung")
    assert scenario.region == SUKAMAJU
    assert scenario.office_hours == (time(7, 30), time(15, 30))
    assert scenario.extra_holidays == (date(2026, 3, 11),)
    assert scenario.start == datetime(2026, 3, 9, 7, 30)  # a week after, at the opening
    assert scenario.seed == refresher.seed == refresher_seed(101, "ABCD12", 3)
    assert scenario.id == refresher.id == "latihan-ulang-abcd12-3-siti-rahmawati"
    # Reports spread over the time, the last one early enough to answer it.
    moments = [e.at_minutes for e in scenario.timeline if e.topics]
    assert moments == sorted(moments) and moments[0] >= 1 and moments[-1] <= 13
    # Title and description name the person, the session and what each trap tests.
    assert "Siti Rahmawati" in scenario.title and "Bukan wewenang Pemda" in scenario.title
    assert "sesi ABCD12" in scenario.description
    for trap in refresher.traps:
        assert trap.lesson.split(",")[0] in " ".join(scenario.description.split())
    assert set(scenario.goals) == {t.lesson for t in refresher.traps}
    header = refresher.text.splitlines()[:4]
    assert all(line.startswith("#") for line in header)
    assert "Siti Rahmawati" in header[0] and "2026-03-13 14:00" in header[1]
    # It expands into exactly those topics' reports.
    schedule, notes = expand(scenario, catalogue(), scenario.calendar(holidays()))
    assert [s.complaint.key.topic for s in schedule] == scenario_topics(scenario)
    assert all(n.audience.value == "peserta" for n in notes)


def test_the_same_person_gives_the_same_bytes_and_another_person_another_file():
    first = build_refresher(ORIGIN, SITI, catalogue())
    assert build_refresher(ORIGIN, list(SITI), catalogue()).text == first.text
    other = build_refresher(dataclasses.replace(ORIGIN, number=4, person="Andi"), SITI,
                            catalogue())
    assert other.seed != first.seed and other.id == "latihan-ulang-abcd12-4-andi"


def test_the_file_is_the_same_in_another_interpreter():
    """Nothing depends on hash order or the machine: a fresh Python with another hash
    seed writes the same bytes."""
    script = (
        "import hashlib, sys\n"
        "sys.path.insert(0, '.')\n"
        "from tests.domain.test_refresher import ORIGIN, SITI, catalogue\n"
        "from sandbox.domain.refresher import build_refresher\n"
        "print(hashlib.sha256(build_refresher(ORIGIN, SITI, catalogue()).text.encode())"
        ".hexdigest())\n")
    mine = hashlib.sha256(build_refresher(ORIGIN, SITI, catalogue()).text.encode()).hexdigest()
    for seed in ("1", "4242"):
        found = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                               text=True, check=True,
                               env={**os.environ, "PYTHONHASHSEED": seed}).stdout.strip()
        assert found == mine


@pytest.mark.parametrize("region", [SUKAMAJU, "kota-mekarsari.toml"])
@pytest.mark.parametrize("trap", [t.key for t in TRAPS])
def test_a_refresher_for_every_trap_parses_without_problems(trap, region):
    received = topics_setting(trap, region)[:1]
    reports = [HandledReport({**key_of(received[0], region), "rahasia": trap == "rahasia",
                              "anonim": trap == "anonim"},
                             Verdict.TEPAT if trap in ("rahasia", "anonim") else Verdict.SALAH,
                             1 if trap in ("rahasia", "anonim") else 0)]
    assert [t.key for t in fallen_traps(reports)] == [trap]
    origin = dataclasses.replace(ORIGIN, region=region)
    refresher = build_refresher(origin, reports, catalogue(region))
    scenario = parse(refresher.text, refresher.filename)
    topics = scenario_topics(scenario)
    assert topics and all(trap in topic_traps(catalogue(region).topic(t)) for t in topics)
    fresh = [t for t in topics_setting(trap, region) if t not in received]
    if fresh:  # a trap with other topics never repeats the one received
        assert received[0] not in topics[:len(fresh)]


@pytest.mark.parametrize(("trap", "count"), [
    ("disposisi", 6), ("kurang-info", 6), ("arsip", 3), ("kelola-sendiri", 2)])
def test_one_trap_gets_about_six_reports_unless_the_catalogue_has_few(trap, count):
    topic = topics_setting(trap)[0]
    refresher = build_refresher(ORIGIN, [HandledReport(key_of(topic), Verdict.SALAH, 0)],
                                catalogue())
    assert len(refresher.picks) == count
    assert {p.trap for p in refresher.picks} == {trap}


def test_a_trap_without_another_topic_reuses_one_with_a_note():
    only = topics_setting("kelola-sendiri")
    assert len(only) == 1  # the shipped catalogue has one such topic
    reports = [HandledReport(key_of(only[0]), Verdict.SALAH, 0)]
    refresher = build_refresher(ORIGIN, reports, catalogue())
    scenario = parse(refresher.text, refresher.filename)
    assert scenario_topics(scenario) == only * len(refresher.picks)
    assert all(p.reused for p in refresher.picks)
    reused = [e for e in scenario.timeline if e.topics]
    assert all(e.note and "sejenis" in e.note and e.note_for.value == "peserta"
               for e in reused)
    assert "katalog tidak punya topik lain" in " ".join(scenario.description.split())


def test_nothing_fallen_gives_a_mixed_refresher_of_the_decision_traps():
    reports = [HandledReport(key_of(PDAM), Verdict.TEPAT, 0),
               HandledReport(key_of(PUNGLI), Verdict.TEPAT, 0)]
    refresher = build_refresher(ORIGIN, reports, catalogue())
    assert refresher.mixed and refresher.traps == ()
    assert refresher.practised == DECISION_TRAPS
    scenario = parse(refresher.text, refresher.filename)
    assert "campuran" in scenario.title
    assert "tidak ada jebakan yang terlewat" in " ".join(scenario.description.split())
    topics = scenario_topics(scenario)
    assert {p.trap for p in refresher.picks} == set(DECISION_TRAPS)
    assert not set(topics) & {PDAM, PUNGLI}


def test_no_decided_report_is_nothing_to_build_from():
    undecided = [HandledReport(key_of(ROAD), Verdict.BELUM, 0)]
    with pytest.raises(NothingToPractise, match="belum ada bahan untuk latihan ulang"):
        build_refresher(ORIGIN, undecided, catalogue())
    with pytest.raises(NothingToPractise):
        build_refresher(ORIGIN, [], catalogue())


def test_a_catalogue_that_lost_every_topic_of_the_traps_is_said_so():
    shrunk = dataclasses.replace(catalogue(), topics=tuple(
        t for t in catalogue().topics if "bukan-wewenang" not in topic_traps(t)))
    reports = [HandledReport(key_of(ROAD), Verdict.SALAH, 0)]
    with pytest.raises(TopicsGone, match="Katalog wilayah .* sudah berubah.*Bukan wewenang"):
        build_refresher(ORIGIN, reports, shrunk)
    # With another trap still there, the gone one is left out and named.
    both = reports + [HandledReport(key_of(PUNGLI), Verdict.TEPAT, 1)]
    refresher = build_refresher(ORIGIN, both, shrunk)
    assert refresher.missing == ("bukan-wewenang",) and refresher.practised == ("rahasia",)
    scenario = parse(refresher.text, refresher.filename)
    assert "tidak lagi punya topiknya" in " ".join(scenario.description.split())


def test_names_with_quotes_and_strange_characters_still_give_a_valid_file():
    origin = dataclasses.replace(ORIGIN, person='Ni "Putu" \\ Ayu\x07\nÇağla',
                                 title='Sesi """tiga""" \\ kutip', unit_name="Dinas\tSosial")
    refresher = build_refresher(origin, SITI, catalogue())
    scenario = parse(refresher.text, refresher.filename)
    assert 'Ni "Putu" \\ Ayu' in scenario.title
    assert refresher.id == "latihan-ulang-abcd12-3-ni-putu-ayu-cagla"
    assert 'Sesi """tiga""" \\ kutip' in scenario.description
