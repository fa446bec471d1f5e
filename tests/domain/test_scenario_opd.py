"""Mode opd of scenarios: the [opd] table, `opd = N` entries, the OPDs a trainee may play,
and the schedule of one OPD (reports that fit it, wrong dispositions at shared moments)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sandbox.domain.catalogue import Topic, Unit
from sandbox.domain.decisions import wrongly_disposed
from sandbox.domain.scenario import (
    MODES,
    Disposition,
    OpdSettings,
    Problem,
    Scenario,
    ScenarioError,
    Scheduled,
    expand,
    load_scenario,
    opd_units,
    parse_scenario,
)
from tests.domain.test_scenario import holidays, load_region

ROOT = Path(__file__).resolve().parents[2]
SHIPPED_OPD = ROOT / "scenarios" / "opd-penghubung.toml"


SUKAMAJU = "kabupaten-sukamaju.toml"

MINIMAL_OPD = """\
format = 1

[scenario]
id = "opd"
title = "Skenario mode OPD untuk pengujian"
description = "Setiap peserta menerima disposisi ke OPD-nya sendiri."
goals = ["Mengembalikan disposisi yang keliru"]
duration_minutes = 30
minutes_per_hk = 4
region = "kabupaten-sukamaju.toml"
seed = 7
mode = "opd"
start = 2026-03-02T08:00:00

[opd]
salah_disposisi = 0.25
jeda_admin = "0.5 HK"
jeda_disposisi_ulang = "1 jam"

[[timeline]]
at = "+0 menit"
opd = 3
over = "4 menit"

[[timeline]]
at = "+10 menit"
opd = 5
note = "Lima laporan sekaligus."

[[timeline]]
at = "+20 menit"
note = "Bahas laporan yang dikembalikan."
"""


OPD_TABLE = ('[opd]\nsalah_disposisi = 0.25\njeda_admin = "0.5 HK"\n'
             'jeda_disposisi_ulang = "1 jam"\n')


def parse(text: str = MINIMAL_OPD) -> Scenario:
    return parse_scenario(text, "opd.toml", load_region, holidays())


def variant(old: str, new: str, text: str = MINIMAL_OPD) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def line_of(text: str, marker: str) -> int:
    """The line number (from 1) of the only line that contains `marker`."""
    found = [n for n, line in enumerate(text.splitlines(), 1) if marker in line]
    assert len(found) == 1, (marker, found)
    return found[0]


def schedule(scenario: Scenario, unit: str | None) -> list[Scheduled]:
    catalogue = load_region(scenario.region)
    return expand(scenario, catalogue, scenario.calendar(holidays()), unit)[0]


def units() -> list[Unit]:
    return opd_units(load_region(SUKAMAJU))


# ------------------------------------------------------------------ parsing


def test_modes_are_individu_opd_and_tim():
    assert MODES == ("individu", "opd", "tim")


def test_an_opd_scenario_parses():
    scenario = parse()
    assert scenario.mode == "opd"
    assert scenario.opd == OpdSettings(wrong_share=0.25, admin_delay=0.5, redispose_delay=1 / 8)
    first, second, third = scenario.timeline
    assert (first.opd, first.over_minutes, first.topics, first.count, first.random) == \
        (3, 4, (), 0, 0)
    assert (second.opd, second.note) == (5, "Lima laporan sekaligus.")
    assert third.opd == 0 and third.note


def test_the_opd_table_is_optional_and_has_the_documented_defaults():
    text = variant(OPD_TABLE, "")
    assert parse(text).opd == OpdSettings() == OpdSettings(0.2, 0.25, 0.25)


def test_individu_scenarios_default_to_no_opd_settings():
    text = variant('mode = "opd"', 'mode = "individu"')
    text = variant(OPD_TABLE, "", text)
    text = text.replace("opd = 3", 'topics = ["pdam-air-mati"]').replace("opd = 5", "random = 2")
    scenario = parse(text)
    assert scenario.mode == "individu" and scenario.opd == OpdSettings()
    assert all(e.opd == 0 for e in scenario.timeline)


INDIVIDU = variant('mode = "opd"', 'mode = "individu"')

# (name, old text, new text, field, marker of the line named, part of the message)
BROKEN = [
    ("opd-table-in-mode-individu", 'mode = "opd"', 'mode = "individu"', "opd", "[opd]",
     'tabel [opd] hanya dipakai bersama mode = "opd"'),
    ("opd-table-without-mode", 'mode = "opd"\n', "", "opd", "[opd]",
     'hanya dipakai bersama mode = "opd"'),
    ("share-too-big", "salah_disposisi = 0.25", "salah_disposisi = 0.6",
     "opd.salah_disposisi", "salah_disposisi", "paling besar 0.5 (tertulis: 0.6)"),
    ("share-negative", "salah_disposisi = 0.25", "salah_disposisi = -0.1",
     "opd.salah_disposisi", "salah_disposisi", "paling sedikit 0"),
    ("share-text", "salah_disposisi = 0.25", 'salah_disposisi = "seperempat"',
     "opd.salah_disposisi", "salah_disposisi", "harus angka"),
    ("delay-zero", 'jeda_admin = "0.5 HK"', 'jeda_admin = "0 HK"', "opd.jeda_admin",
     "jeda_admin", "harus lebih dari 0 dan paling lama 3 HK (tertulis: '0 HK')"),
    ("delay-too-long", 'jeda_admin = "0.5 HK"', 'jeda_admin = "4 HK"', "opd.jeda_admin",
     "jeda_admin", "paling lama 3 HK"),
    ("delay-never", 'jeda_admin = "0.5 HK"', 'jeda_admin = "never"', "opd.jeda_admin",
     "jeda_admin", 'harus lama waktu seperti "0.25 HK"'),
    ("delay-number", 'jeda_disposisi_ulang = "1 jam"', "jeda_disposisi_ulang = 2",
     "opd.jeda_disposisi_ulang", "jeda_disposisi_ulang", "harus lama waktu"),
    ("typo-in-opd-table", "salah_disposisi = 0.25", "salah = 0.25", "opd.salah", "salah =",
     "kunci tidak dikenal"),
    ("count-zero", "opd = 3", "opd = 0", "timeline[1].opd", "opd = 0",
     "harus paling sedikit 1 (tertulis: 0)"),
    ("count-too-big", "opd = 3", "opd = 51", "timeline[1].opd", "opd = 51",
     "paling besar 50 (tertulis: 51)"),
    ("count-fraction", "opd = 3", "opd = 2.5", "timeline[1].opd", "opd = 2.5",
     "harus bilangan bulat"),
    ("count-bool", "opd = 3", "opd = true", "timeline[1].opd", "opd = true",
     "bukan true/false"),
    ("topics-in-mode-opd", "opd = 3", 'topics = ["pdam-air-mati"]', "timeline[1].topics",
     "topics =", 'tidak dipakai dalam mode "opd"'),
    ("kategori-in-mode-opd", "opd = 5", 'kategori = "kesehatan"\ncount = 2',
     "timeline[2].kategori", "kategori =", "cocok dengan OPD-nya sendiri"),
    ("count-in-mode-opd", "opd = 5", 'kategori = "kesehatan"\ncount = 2',
     "timeline[2].count", "count =", 'tidak dipakai dalam mode "opd"'),
    ("random-in-mode-opd", "opd = 5", "random = 2", "timeline[2].random", "random =",
     'tidak dipakai dalam mode "opd"'),
    ("complaint-in-mode-opd", "opd = 5", 'complaint = { id = "x" }', "timeline[2].complaint",
     "complaint =", 'tidak dipakai dalam mode "opd"'),
]
BROKEN_INDIVIDU = [
    ("opd-entry-in-mode-individu", "opd = 5", "opd = 5", "timeline[2].opd", "opd = 5",
     'hanya dipakai bersama mode = "opd"'),
]


def _one_problem(text: str, field: str) -> Problem:
    with pytest.raises(ScenarioError) as caught:
        parse(text)
    found = [p for p in caught.value.problems if p.field == field]
    assert found, [str(p) for p in caught.value.problems]
    return found[0]


@pytest.mark.parametrize(("old", "new", "field", "marker", "message"),
                         [case[1:] for case in BROKEN], ids=[case[0] for case in BROKEN])
def test_a_broken_opd_scenario_names_line_field_and_problem(old, new, field, marker, message):
    text = variant(old, new)
    problem = _one_problem(text, field)
    assert problem.file == "opd.toml"
    assert problem.line == line_of(text, marker)
    assert message in problem.message


@pytest.mark.parametrize(("old", "new", "field", "marker", "message"),
                         [case[1:] for case in BROKEN_INDIVIDU],
                         ids=[case[0] for case in BROKEN_INDIVIDU])
def test_a_broken_individu_scenario_refuses_opd_entries(old, new, field, marker, message):
    text = variant(OPD_TABLE, "", INDIVIDU)
    text = variant(old, new, text)
    problem = _one_problem(text, field)
    assert problem.line == line_of(text, marker)
    assert message in problem.message


def test_opd_must_be_a_table():
    text = variant(OPD_TABLE, "")
    text = variant("format = 1\n", "format = 1\nopd = 2\n", text)
    problem = _one_problem(text, "opd")
    assert problem.line == line_of(text, "opd = 2")
    assert "harus tabel [opd]" in problem.message


def test_an_opd_entry_without_reports_needs_a_note():
    text = variant('note = "Bahas laporan yang dikembalikan."\n', "")
    problem = _one_problem(text, "timeline[3]")
    assert problem.line == line_of(text, 'at = "+20 menit"') - 1  # its [[timeline]] header
    assert "entri tanpa opd harus punya note" in problem.message


def test_reports_of_opd_entries_count_against_the_limit_per_trainee():
    text = MINIMAL_OPD.replace("duration_minutes = 30", "duration_minutes = 480")
    entry = '\n[[timeline]]\nat = "+1 menit"\nopd = 50\n'
    problem = _one_problem(text + entry * 41, "timeline")
    assert "terlalu banyak laporan (2058, paling banyak 2000 per peserta)" in problem.message


def test_a_region_without_playable_opds_is_refused():
    catalogue = load_region(SUKAMAJU)
    bare = dataclasses.replace(catalogue, topics=tuple(
        t for t in catalogue.topics if t.action != "disposisi"))
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(MINIMAL_OPD, "opd.toml", lambda _: bare, holidays())
    mode = [p for p in caught.value.problems if p.field == "scenario.mode"]
    assert mode and "tidak punya OPD yang dapat dipilih" in mode[0].message
    assert mode[0].line == line_of(MINIMAL_OPD, 'mode = "opd"')


# ------------------------------------------------------------------ the OPDs to choose from


def _topic(topic_id: str, target: str | None, action: str = "disposisi",
           **extra: object) -> Topic:
    base = load_region(SUKAMAJU).topic("pdam-air-mati")
    return dataclasses.replace(base, id=topic_id, target=target, action=action,
                               acceptable=(), partial=(), **extra)


def test_opd_units_are_the_pemda_units_some_report_belongs_to():
    catalogue = load_region(SUKAMAJU)
    codes = [u.code for u in opd_units(catalogue)]
    owners = {t.target for t in catalogue.topics if t.action == "disposisi" and t.target}
    assert codes and set(codes) <= owners
    assert {"pupr", "pdam", "dinkes", "disdukcapil"} <= set(codes)
    for unit in opd_units(catalogue):
        assert not unit.is_agency
        assert unit.code not in {k.unit for k in catalogue.region.kecamatan}
    names = [u.name for u in opd_units(catalogue)]
    assert names == sorted(names)


def test_opd_units_leave_out_topic_less_units():
    catalogue = load_region(SUKAMAJU)
    codes = {u.code for u in opd_units(catalogue)}
    # Sekretariat Daerah, Bappeda and Diskominfo are Pemda units no topic is disposed to.
    for code in ("setda", "bappeda", "diskominfo"):
        assert code in catalogue.units and not catalogue.units[code].is_agency
        assert not any(t.target == code for t in catalogue.topics)
        assert code not in codes


@pytest.mark.parametrize(("code", "extra_topic"), [
    ("bpjn", _topic("ke-bpjn", "bpjn")),                      # an agency outside the Pemda
    ("kec-sukamaju", _topic("ke-kecamatan", "kec-sukamaju")),  # a kecamatan
    ("setda", _topic("setda-duplikat", "setda", duplicate=True)),  # a duplicate topic
    ("setda", _topic("setda-tunda", "setda", action="tunda")),  # reaches the OPD only later
], ids=["agency", "kecamatan", "duplicate", "tunda-only"])
def test_opd_units_leave_out(code, extra_topic):
    catalogue = load_region(SUKAMAJU)
    widened = dataclasses.replace(catalogue, topics=catalogue.topics + (extra_topic,))
    assert code not in {u.code for u in opd_units(widened)}
    # The same topic as a plain disposisi to a Pemda unit does make it playable.
    plain = dataclasses.replace(catalogue, topics=catalogue.topics + (
        _topic("setda-biasa", "setda"),))
    assert "setda" in {u.code for u in opd_units(plain)}


# ------------------------------------------------------------------ expansion


def test_expand_needs_a_playable_opd_in_mode_opd():
    scenario = parse()
    for unit, message in ((None, 'memakai mode "opd": pilih OPD Anda'),
                          ("", 'memakai mode "opd"'),
                          ("setda", "«setda» bukan OPD yang dapat dipilih di Kabupaten Sukamaju"),
                          ("bpjn", "«bpjn» bukan OPD"),
                          ("kec-sukamaju", "«kec-sukamaju» bukan OPD"),
                          ("tidak-ada", "«tidak-ada» bukan OPD")):
        with pytest.raises(ScenarioError) as caught:
            schedule(scenario, unit)
        [problem] = caught.value.problems
        assert problem.field == "unit" and message in problem.message, (unit, problem)


def test_every_trainee_gets_reports_that_fit_their_own_opd():
    scenario = parse()
    for unit in units():
        items = schedule(scenario, unit.code)
        assert len(items) == 8
        for item in items:
            assert item.disposition is not None and item.disposition.unit == unit.code
            key = item.complaint.key
            if not item.disposition.wrong:
                assert key.expected_action == "disposisi", (unit.code, key.topic)
                assert key.expected_target == unit.code, (unit.code, key.topic)


def test_the_planned_wrong_dispositions_are_those_the_judge_calls_wrong():
    """The schedule and the scoring agree: decisions.wrongly_disposed, over the generated
    answer key, says wrong exactly where the scenario planned a wrong disposition."""
    scenario = dataclasses.replace(parse(), opd=OpdSettings(wrong_share=0.5))
    for seed in range(3):
        for unit in units():
            for item in schedule(dataclasses.replace(scenario, seed=seed), unit.code):
                assert item.disposition is not None
                key = dataclasses.asdict(item.complaint.key)
                assert wrongly_disposed(key, unit.code) == item.disposition.wrong, \
                    (unit.code, key["topic"])


def test_an_opd_gets_a_topic_twice_only_once_it_has_had_all_of_its_topics():
    scenario = parse()
    catalogue = load_region(SUKAMAJU)
    for unit in units():
        own = {t.id for t in catalogue.topics
               if t.action == "disposisi" and t.target == unit.code and not t.duplicate}
        rights = [s.complaint.key.topic for s in schedule(scenario, unit.code)
                  if s.disposition and not s.disposition.wrong]
        assert len(set(rights)) == min(len(rights), len(own)), (unit.code, rights)


def test_wrong_dispositions_never_belong_to_the_trainees_opd():
    scenario = dataclasses.replace(parse(), opd=OpdSettings(wrong_share=0.5))
    for seed in range(5):
        for unit in units():
            for item in schedule(dataclasses.replace(scenario, seed=seed), unit.code):
                assert item.disposition is not None
                if not item.disposition.wrong:
                    continue
                key = item.complaint.key
                assert key.expected_action in ("disposisi", "bukan_wewenang"), key.topic
                assert key.expected_target != unit.code, (unit.code, key.topic)
                assert unit.code not in key.acceptable_targets + key.partial_targets


def test_wrong_dispositions_lean_to_near_misses():
    """A topic of a kategori the OPD itself handles is drawn more often as a wrong
    disposition than its share of the other topics: neighbours get confused."""
    catalogue = load_region(SUKAMAJU)
    scenario = dataclasses.replace(parse(), opd=OpdSettings(wrong_share=0.5))
    near_drawn = drawn = 0
    near_share = []
    for unit in units():
        own = {t.kategori for t in catalogue.topics
               if t.action == "disposisi" and t.target == unit.code} | set(unit.kategori)
        others = [t for t in catalogue.topics if t.action in ("disposisi", "bukan_wewenang")
                  and t.target != unit.code and not t.duplicate
                  and unit.code not in t.acceptable + t.partial]
        near_share.append(sum(t.weight for t in others if t.kategori in own)
                          / sum(t.weight for t in others))
        for seed in range(4):
            for item in schedule(dataclasses.replace(scenario, seed=seed), unit.code):
                if item.disposition and item.disposition.wrong:
                    drawn += 1
                    near_drawn += item.complaint.key.kategori in own
    assert near_drawn / drawn > 2 * sum(near_share) / len(near_share)


def test_no_archive_tunda_duplicate_or_kelola_sendiri_report_in_mode_opd():
    scenario = dataclasses.replace(parse(), opd=OpdSettings(wrong_share=0.5))
    for seed in range(5):
        for unit in units():
            for item in schedule(dataclasses.replace(scenario, seed=seed), unit.code):
                key = item.complaint.key
                assert key.expected_action in ("disposisi", "bukan_wewenang"), key.topic
                assert key.duplicate_of is None


@pytest.mark.parametrize(("share", "wrong"), [(0.25, 2), (0.0, 0), (0.5, 4), (0.1, 1),
                                              (0.2, 2)])
def test_exactly_the_share_of_wrong_dispositions(share, wrong):
    scenario = dataclasses.replace(parse(), opd=OpdSettings(wrong_share=share))
    items = schedule(scenario, "pupr")
    assert sum(1 for s in items if s.disposition and s.disposition.wrong) == wrong
    assert round(share * len(items)) == wrong


def test_wrong_dispositions_come_at_the_same_moments_for_every_opd():
    scenario = parse()
    rooms = {unit.code: schedule(scenario, unit.code) for unit in units()}
    pattern = {code: [bool(s.disposition and s.disposition.wrong) for s in items]
               for code, items in rooms.items()}
    arrivals = {code: [s.complaint.arrived_at for s in items] for code, items in rooms.items()}
    assert len(set(map(tuple, pattern.values()))) == 1
    assert len(set(map(tuple, arrivals.values()))) == 1
    assert sum(pattern["pupr"]) == 2
    # Different OPDs do get different reports.
    assert [s.complaint.key.topic for s in rooms["pupr"]] != \
        [s.complaint.key.topic for s in rooms["pdam"]]


def test_the_seed_moves_the_wrong_dispositions_for_everyone():
    scenario = parse()
    patterns = set()
    for seed in range(8):
        seeded = dataclasses.replace(scenario, seed=seed)
        per_unit = {tuple(bool(s.disposition and s.disposition.wrong)
                          for s in schedule(seeded, code)) for code in ("pupr", "dinkes")}
        assert len(per_unit) == 1
        patterns |= per_unit
    assert len(patterns) > 1


def test_opd_reports_arrive_by_the_timeline_and_over_spreads_them():
    scenario = parse()
    calendar = scenario.calendar(holidays())
    items = schedule(scenario, "dinkes")
    first = [s.complaint.arrived_at for s in items if s.entry == 1]
    second = [s.complaint.arrived_at for s in items if s.entry == 2]
    assert first == [scenario.sim_offset(m, calendar) for m in (0, 2, 4)]
    assert second == [scenario.sim_offset(10, calendar)] * 5
    assert [s.complaint.position for s in items] == list(range(1, 9))
    assert len({s.complaint.tracking_no for s in items}) == 8


def test_dispositions_carry_the_delays_of_the_opd_table():
    scenario = parse()
    for item in schedule(scenario, "pdam"):
        assert item.disposition is not None
        assert (item.disposition.after, item.disposition.redispose_after) == (0.5, 0.125)


def test_a_disposition_is_json_ready_and_reads_back():
    disposition = Disposition(unit="pupr", wrong=True, after=0.25, redispose_after=0.5)
    stored = json.loads(json.dumps(disposition.to_dict()))
    assert stored == {"unit": "pupr", "wrong": True, "after": 0.25, "redispose_after": 0.5}
    assert Disposition.from_dict(stored) == disposition


@pytest.mark.parametrize("damaged", [
    {}, {"unit": "", "wrong": True, "after": 0.25, "redispose_after": 0.25},
    {"unit": "pupr", "wrong": "ya", "after": 0.25, "redispose_after": 0.25},
    {"unit": "pupr", "wrong": False, "after": True, "redispose_after": 0.25},
    {"unit": "pupr", "wrong": False, "after": 0, "redispose_after": 0.25},
    {"unit": "pupr", "wrong": False, "after": 0.25, "redispose_after": 99},
    {"unit": "pupr", "wrong": False, "after": "0.25", "redispose_after": 0.25},
    ["pupr"],
])
def test_a_damaged_stored_disposition_is_a_value_error(damaged):
    with pytest.raises(ValueError, match="disposisi"):
        Disposition.from_dict(damaged)


def test_the_same_scenario_seed_and_opd_give_the_same_schedule():
    scenario = parse()
    assert schedule(scenario, "dlh") == schedule(scenario, "dlh")
    assert schedule(scenario, "dlh") != schedule(scenario, "disdik")


def opd_digest() -> str:
    """The hash of one OPD's schedule of the shipped scenario; also run in a fresh
    interpreter, where string hashing differs."""
    scenario = load_scenario(SHIPPED_OPD, load_region, holidays())
    rows = [[s.complaint.tracking_no, s.complaint.text, s.complaint.arrived_at.isoformat(),
             s.complaint.key.topic, s.disposition.to_dict() if s.disposition else None]
            for code in ("pupr", "dinsos") for s in schedule(scenario, code)]
    blob = json.dumps(rows, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def test_an_opd_schedule_is_the_same_in_a_fresh_interpreter():
    here = opd_digest()
    env = {**os.environ, "PYTHONHASHSEED": "977"}
    result = subprocess.run(
        [sys.executable, "-c",
         "from tests.domain.test_scenario_opd import opd_digest; print(opd_digest())"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == here


def test_mode_individu_ignores_the_unit_and_has_no_dispositions():
    text = variant(OPD_TABLE, "", INDIVIDU)
    text = text.replace("opd = 3", 'topics = ["pdam-air-mati", "jalan-nasional-rusak"]')
    text = text.replace("opd = 5", "random = 3")
    scenario = parse(text)
    plain = schedule(scenario, None)
    assert schedule(scenario, "pupr") == plain == schedule(scenario, "tidak-ada")
    assert len(plain) == 5 and all(s.disposition is None for s in plain)


# ------------------------------------------------------------------ the shipped scenario


def test_the_shipped_opd_scenario_gives_every_opd_eight_reports_two_of_them_wrong():
    scenario = load_scenario(SHIPPED_OPD, load_region, holidays())
    assert scenario.mode == "opd" and scenario.feedback == "akhir"
    assert (scenario.duration_minutes, scenario.minutes_per_hk) == (60, 4)
    assert scenario.opd.wrong_share == 0.25
    assert scenario.reporter.chase and scenario.reporter.accept == "if_concrete"
    catalogue = load_region(scenario.region)
    for unit in opd_units(catalogue):
        items = schedule(scenario, unit.code)
        assert len(items) == 8
        assert [s.disposition.wrong for s in items if s.disposition].count(True) == 2
