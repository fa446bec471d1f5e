"""Scenario files: the documented example, the shipped scenarios, and timeline expansion."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import subprocess
import sys
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path

import pytest

from sandbox.domain.catalogue import Catalogue, load_catalogue
from sandbox.domain.clock import Calendar
from sandbox.domain.errors import DomainError
from sandbox.domain.scenario import (
    Note,
    Scenario,
    Scheduled,
    expand,
    load_holidays,
    load_scenario,
    opd_units,
    parse_duration,
    parse_scenario,
)
from sandbox.domain.simulation import ReporterScript
from sandbox.domain.sla import DEFAULT_COMPLETION
from sandbox.domain.workflow import Klasifikasi

ROOT = Path(__file__).resolve().parents[2]
REGIONS = ROOT / "seed" / "regions"
TOPICS = ROOT / "seed" / "topics"
HOLIDAYS_FILE = ROOT / "seed" / "calendar" / "hari-libur.toml"
DOC = ROOT / "docs" / "scenario-format.md"
SHIPPED = sorted((ROOT / "scenarios").glob("*.toml"))


@lru_cache(maxsize=8)
def load_region(name: str) -> Catalogue:
    """Region files by name from seed/regions, as the app resolves them."""
    path = REGIONS / name
    if not path.is_file():
        raise DomainError(f"file wilayah tidak ditemukan: {name}")
    return load_catalogue(path, TOPICS)


@lru_cache(maxsize=1)
def holidays() -> frozenset[date]:
    return load_holidays(HOLIDAYS_FILE)


def doc_example() -> str:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(r"^## A complete example\s*```toml\n(.*?)^```", text, re.S | re.M)
    assert match, "docs/scenario-format.md has no ```toml block under '## A complete example'"
    return match.group(1)


def contoh() -> Scenario:
    return parse_scenario(doc_example(), "contoh.toml", load_region, holidays())


def expanded(scenario: Scenario) -> tuple[list[Scheduled], list[Note], Calendar]:
    """The schedule and notes; in mode opd, those of the first OPD a trainee may choose."""
    calendar = scenario.calendar(holidays())
    catalogue = load_region(scenario.region)
    unit = opd_units(catalogue)[0].code if scenario.mode == "opd" else None
    schedule, notes = expand(scenario, catalogue, calendar, unit)
    return schedule, notes, calendar


def schedule_facts(schedule: list[Scheduled], notes: list[Note]) -> list[object]:
    rows: list[object] = [
        [s.entry, s.complaint.position, s.complaint.tracking_no, s.complaint.channel,
         s.complaint.text, s.complaint.arrived_at.isoformat(), vars(s.complaint.reporter),
         {k: list(v) if isinstance(v, tuple) else v for k, v in vars(s.complaint.key).items()},
         list(s.complaint.attachments), s.reporter.to_dict()]
        for s in schedule]
    rows.append([[n.at.isoformat(), n.text] for n in notes])
    return rows


def schedule_digest() -> str:
    """The hash of the documented example's schedule; also run in a fresh interpreter."""
    schedule, notes, _ = expanded(contoh())
    blob = json.dumps(schedule_facts(schedule, notes), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


# ------------------------------------------------------------- the documented example


def test_doc_example_parses():
    scenario = contoh()
    assert scenario.id == "contoh"
    assert scenario.title == "Contoh: air PDAM dan jalan nasional"
    assert scenario.description.startswith("Untuk fasilitator: skenario singkat 20 menit")
    assert scenario.goals == ("Membedakan laporan PDAM dari laporan Dinas PUPR",
                              "Meneruskan laporan jalan nasional sebagai bukan wewenang")
    assert scenario.duration_minutes == 20
    assert scenario.minutes_per_hk == 4
    assert scenario.region == "kabupaten-sukamaju.toml"
    assert scenario.seed == 2026
    assert scenario.mode == "individu"
    assert scenario.start == datetime(2026, 3, 2, 8, 0)
    assert scenario.office_hours == (time(8, 0), time(16, 0))
    assert scenario.extra_holidays == ()
    assert scenario.feedback == "akhir"
    assert scenario.source == "contoh.toml"


def test_doc_example_sla_and_reporter():
    scenario = contoh()
    sla = scenario.sla
    assert (sla.verifikasi, sla.tindak_lanjut, sla.jendela_pelapor, sla.kuning) == (3, 5, 10, 0.6)
    assert dict(sla.penyelesaian) == dict(DEFAULT_COMPLETION)
    assert scenario.reporter == ReporterScript(tunda_reply=1.0, respond_after=0.5,
                                               accept="if_concrete", chase=True,
                                               rating="by_answer")


def test_sla_overrides_keep_the_other_defaults():
    text = doc_example()
    text = text.replace("verifikasi = 3 ", "verifikasi = 2 ").replace("kuning = 0.6", "kuning = 0.5")
    text = text.replace("aspirasi = 5\n", "aspirasi = 3\n")
    text = text.replace("pengaduan_berkadar_pengawasan = 60\n", "")
    text = text.replace('respond_after = "0.5 HK"', 'respond_after = "never"')
    scenario = parse_scenario(text, "contoh.toml", load_region, holidays())
    assert scenario.sla.verifikasi == 2 and scenario.sla.kuning == 0.5
    assert scenario.sla.tindak_lanjut == 5 and scenario.sla.jendela_pelapor == 10
    assert scenario.sla.penyelesaian[Klasifikasi.ASPIRASI.value] == 3
    assert scenario.sla.penyelesaian[Klasifikasi.PENGADUAN_BERKADAR_PENGAWASAN.value] == 60
    assert scenario.reporter.respond_after is None


def test_doc_example_timeline():
    timeline = contoh().timeline
    assert [e.index for e in timeline] == [1, 2, 3, 4, 5]
    first, surge, randoms, hand, last = timeline
    assert first.at_minutes == 0 and first.at_sim is None
    assert first.topics == ("pdam-air-mati", "jalan-nasional-rusak")
    assert first.note == "Minta peserta membaca laporan pertama dengan teliti sebelum disposisi."
    assert (surge.at_minutes, surge.kategori, surge.count, surge.over_minutes) == \
        (5, "air_minum_sanitasi", 3, 4)
    assert (randoms.at_minutes, randoms.random, randoms.topics) == (8, 2, ())
    assert hand.at_minutes is None and hand.at_sim == datetime(2026, 3, 4, 9, 0)
    assert dict(hand.reporter) == {"tunda_reply": "never"}
    assert last.at_minutes == 15 and last.note.startswith("Lima menit lagi")
    assert not (last.topics or last.kategori or last.random or last.complaint)


def test_doc_example_hand_written_complaint():
    complaint = contoh().timeline[3].complaint
    assert complaint is not None and complaint.id == "ambulans-desa"
    topic = complaint.topic
    assert topic.id == "skenario:ambulans-desa"
    assert topic.action == "disposisi"
    assert topic.target == "dinkes"
    assert topic.acceptable == ("rsud",)
    assert topic.partial == ("kec-sukamaju",)
    assert topic.klasifikasi == Klasifikasi.PENGADUAN_TIDAK_BERKADAR_PENGAWASAN
    assert topic.kategori == "kesehatan"
    assert topic.channels == ("sms",)
    assert (topic.rahasia, topic.anonim, topic.reporter_anonim) == (False, False, False)
    assert topic.templates == ("Ambulans desa kami di Kecamatan Sukamaju rusak sejak minggu "
                               "lalu, warga harus sewa mobil ke RSUD.",)
    assert topic.explanation == "Layanan ambulans desa dibina Dinas Kesehatan melalui puskesmas."
    assert topic.source == "contoh.toml"


def test_config_choice_in_a_hand_written_complaint_is_resolved():
    catalogue = load_region("kabupaten-sukamaju.toml")
    choice, real = next(iter(catalogue.region.config.items()))
    text = doc_example().replace('target = "dinkes"', f'target = "@{choice}"')
    topic = parse_scenario(text, "contoh.toml", load_region).timeline[3].complaint.topic
    assert topic.target == real


# ------------------------------------------------------------- shipped scenarios


def test_there_are_shipped_scenarios():
    assert len(SHIPPED) >= 7
    modes = {load_scenario(path, load_region, holidays()).mode for path in SHIPPED}
    assert modes == {"individu", "opd", "tim"}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_scenario_loads(path):
    scenario = load_scenario(path, load_region, holidays())
    assert scenario.id == path.stem
    assert scenario.source == str(path)
    assert scenario.title and scenario.description and scenario.goals
    assert scenario.timeline
    catalogue = load_region(scenario.region)
    calendar = scenario.calendar(holidays())
    # Mode opd: every OPD a trainee may choose gets its own schedule.
    for unit in [u.code for u in opd_units(catalogue)] if scenario.mode == "opd" else [None]:
        schedule, _ = expand(scenario, catalogue, calendar, unit)
        assert schedule, "every shipped scenario releases complaints"
        arrivals = [s.complaint.arrived_at for s in schedule]
        assert arrivals == sorted(arrivals)
        assert all(calendar.is_working_day(a.date()) for a in arrivals)
        assert len({s.complaint.tracking_no for s in schedule}) == len(schedule)


# ------------------------------------------------------------- expansion


def test_expand_is_deterministic():
    first, first_notes, _ = expanded(contoh())
    second, second_notes, _ = expanded(contoh())
    assert [s.complaint.tracking_no for s in first] == [s.complaint.tracking_no for s in second]
    assert [s.complaint.text for s in first] == [s.complaint.text for s in second]
    assert [s.complaint.arrived_at for s in first] == [s.complaint.arrived_at for s in second]
    assert [s.complaint.key for s in first] == [s.complaint.key for s in second]
    assert [s.reporter for s in first] == [s.reporter for s in second]
    assert first == second and first_notes == second_notes


def test_expand_is_the_same_in_a_fresh_interpreter():
    here = schedule_digest()
    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    result = subprocess.run(
        [sys.executable, "-c",
         "from tests.domain.test_scenario import schedule_digest; print(schedule_digest())"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == here


def test_a_different_seed_gives_a_different_schedule():
    scenario = contoh()
    schedule, _, _ = expanded(scenario)
    other, _, _ = expanded(dataclasses.replace(scenario, seed=scenario.seed + 1))
    assert len(other) == len(schedule)
    assert [s.complaint.tracking_no for s in other] != [s.complaint.tracking_no for s in schedule]
    assert [s.complaint.text for s in other] != [s.complaint.text for s in schedule]
    # The timeline, not the seed, decides when complaints arrive.
    assert [s.complaint.arrived_at for s in other] == [s.complaint.arrived_at for s in schedule]


def test_arrival_times_follow_the_timeline():
    scenario = contoh()
    schedule, _, calendar = expanded(scenario)
    assert len(schedule) == 2 + 3 + 2 + 1
    arrivals = [s.complaint.arrived_at for s in schedule]
    assert arrivals == sorted(arrivals)
    by_entry: dict[int, list[datetime]] = {}
    for item in schedule:
        by_entry.setdefault(item.entry, []).append(item.complaint.arrived_at)
    offset = scenario.sim_offset
    assert by_entry[1] == [offset(0, calendar)] * 2 == [datetime(2026, 3, 2, 8, 0)] * 2
    assert by_entry[3] == [offset(8, calendar)] * 2
    assert by_entry[3] == [datetime(2026, 3, 3, 16, 0)] * 2  # 2 HK: Tuesday's closing time
    assert by_entry[4] == [datetime(2026, 3, 4, 9, 0)]  # the simulated date-time itself
    assert 5 not in by_entry  # a note only
    for item in schedule:
        entry = scenario.timeline[item.entry - 1]
        if entry.at_sim is not None:
            assert item.complaint.arrived_at == entry.at_sim
        elif not entry.over_minutes:
            assert item.complaint.arrived_at == offset(entry.at_minutes, calendar)


def test_over_spreads_complaints_evenly():
    scenario = contoh()
    schedule, _, calendar = expanded(scenario)
    surge = [s.complaint.arrived_at for s in schedule if s.entry == 2]
    # "+5 menit" over "4 menit" with 3 complaints: minutes 5, 7 and 9 at 4 minutes per HK.
    assert surge == [scenario.sim_offset(m, calendar) for m in (5, 7, 9)]
    assert surge[0] == scenario.sim_offset(5, calendar) == datetime(2026, 3, 3, 10, 0)
    assert surge[-1] == scenario.sim_offset(5 + 4, calendar) == datetime(2026, 3, 4, 10, 0)
    assert surge[1] == datetime(2026, 3, 3, 14, 0)
    # Evenly in working time: 4 working hours between neighbours, over the night too.
    assert calendar.working_between(surge[0], surge[1]) == \
        calendar.working_between(surge[1], surge[2]) == calendar.day_length / 2


def test_tracking_numbers_are_unique():
    schedule, _, _ = expanded(contoh())
    numbers = [s.complaint.tracking_no for s in schedule]
    assert len(set(numbers)) == len(numbers) == 8
    assert all(n.isdigit() for n in numbers)
    assert [s.complaint.position for s in schedule] == list(range(1, 9))


def test_reporter_overrides_apply_only_to_their_entry():
    scenario = contoh()
    schedule, _, _ = expanded(scenario)
    for item in schedule:
        if item.entry == 4:
            assert item.reporter == dataclasses.replace(scenario.reporter, tunda_reply=None)
            assert item.complaint.key.topic == "skenario:ambulans-desa"
            assert item.complaint.channel == "sms"
            assert item.complaint.key.expected_target == "dinkes"
        else:
            assert item.reporter == scenario.reporter
            assert item.reporter.tunda_reply == 1.0


def test_notes_come_with_their_simulated_times():
    _, notes, _ = expanded(contoh())
    assert notes == [
        Note(datetime(2026, 3, 2, 8, 0),
             "Minta peserta membaca laporan pertama dengan teliti sebelum disposisi."),
        Note(datetime(2026, 3, 5, 14, 0),  # 15 minutes = 3.75 HK after Monday 08:00
             "Lima menit lagi: minta peserta memeriksa laporan yang mulai kuning."),
    ]


HOLIDAY_SCENARIO = """\
format = 1

[scenario]
id = "libur"
title = "Menjelang libur Idul Fitri"
description = "Laporan datang tepat sebelum dan sesudah libur panjang."
goals = ["Memperhatikan hari libur"]
duration_minutes = 30
minutes_per_hk = 4
region = "kabupaten-sukamaju.toml"
seed = 11
start = 2026-03-17T08:00:00
extra_holidays = [2026-03-26]

[[timeline]]
at = "+0 menit"
random = 2

[[timeline]]
at = "+3 menit"
random = 2
over = "6 menit"
note = "Libur panjang di antaranya."

[[timeline]]
at = "+13 menit"
topics = ["pdam-air-mati"]
"""


def test_complaints_are_released_on_working_moments_only():
    scenario = parse_scenario(HOLIDAY_SCENARIO, "libur.toml", load_region, holidays())
    assert scenario.extra_holidays == (date(2026, 3, 26),)
    schedule, notes, calendar = expanded(scenario)
    assert date(2026, 3, 26) in calendar.holidays and date(2026, 3, 19) in calendar.holidays
    arrivals = [s.complaint.arrived_at for s in schedule]
    assert arrivals == [
        datetime(2026, 3, 17, 8, 0), datetime(2026, 3, 17, 8, 0),
        datetime(2026, 3, 17, 14, 0),  # 0.75 HK
        datetime(2026, 3, 27, 10, 0),  # 2.25 HK: 18-24 March and 26 March skipped
        datetime(2026, 3, 30, 10, 0),  # 3.25 HK: and the weekend
    ]
    for moment in arrivals:
        assert calendar.is_working_day(moment.date())
        assert time(8, 0) <= moment.time() <= time(16, 0)
    assert notes == [Note(datetime(2026, 3, 17, 14, 0), "Libur panjang di antaranya.")]


# ------------------------------------------------------------- durations


@pytest.mark.parametrize(("text", "expected"), [
    ("1 HK", 1.0),
    ("0.5 HK", 0.5),
    ("0,5 hk", 0.5),
    ("3 jam", 0.375),
    ("30 menit", 0.0625),
    ("  2 Jam ", 0.25),
    ("never", None),
    ("NEVER", None),
])
def test_parse_duration(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("value", ["2 hari", "1 hari", "", "HK", "-1 HK", "1", 1, 1.5, None, True])
def test_parse_duration_errors(value):
    result = parse_duration(value)
    assert isinstance(result, str)
    assert '"1 HK"' in result and "never" in result
