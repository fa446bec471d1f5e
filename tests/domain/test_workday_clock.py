"""The working-day clock: office hours, weekends and holidays, clock changes, format_hk."""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from sandbox.domain.clock import (
    Calendar,
    ClockChange,
    ManualClock,
    WorkdayClock,
    format_hk,
    rate_for,
    working_elapsed,
)
from sandbox.domain.scenario import load_holidays

ROOT = Path(__file__).resolve().parents[2]
# Keep Hypothesis' cache out of the source tree (it would otherwise create ./.hypothesis).
if not os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
    set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "lapor-sandbox-hypothesis")
HOLIDAYS_FILE = ROOT / "seed" / "calendar" / "hari-libur.toml"

H = timedelta(hours=1)
M = timedelta(minutes=1)
DEFAULT = Calendar()
# 2026-03-02 is a Monday.
MON = date(2026, 3, 2)


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute)


# ------------------------------------------------------------- concrete cases


def test_default_calendar():
    assert DEFAULT.office_start == time(8, 0)
    assert DEFAULT.office_end == time(16, 0)
    assert DEFAULT.day_length == 8 * H
    assert DEFAULT.is_working_day(MON)
    assert DEFAULT.is_working_day(date(2026, 3, 6))  # Friday
    assert not DEFAULT.is_working_day(date(2026, 3, 7))  # Saturday
    assert not DEFAULT.is_working_day(date(2026, 3, 8))  # Sunday


@pytest.mark.parametrize(("start", "amount", "expected"), [
    # within one day
    (at(2, 8), 0 * H, at(2, 8)),
    (at(2, 8), 2 * H, at(2, 10)),
    (at(2, 9, 15), 45 * M, at(2, 10)),
    # exactly at closing time the result stays on the same day
    (at(2, 8), 8 * H, at(2, 16)),
    (at(2, 15), 1 * H, at(2, 16)),
    # across a night
    (at(2, 15), 2 * H, at(3, 9)),
    (at(2, 15, 30), 30 * M + 1 * M, at(3, 8, 1)),
    # across a weekend: Friday 15:00 + 2 h is Monday 09:00
    (at(6, 15), 2 * H, at(9, 9)),
    (at(6, 16), 1 * H, at(9, 9)),
    # starting outside office hours snaps to the next opening
    (at(2, 6, 30), 1 * H, at(2, 9)),
    (at(2, 6, 30), 0 * H, at(2, 8)),
    (at(2, 17), 1 * H, at(3, 9)),
    (at(2, 16), 0 * H, at(3, 8)),
    (at(7, 10), 0 * H, at(9, 8)),  # Saturday
    (at(8, 23, 59), 3 * H, at(9, 11)),  # Sunday night
    # several days
    (at(2, 8), 40 * H, at(6, 16)),  # 5 HK from Monday morning: Friday closing
    (at(2, 8), 41 * H, at(9, 9)),
    (at(4, 12), 16 * H, at(6, 12)),
])
def test_add_working_default_calendar(start, amount, expected):
    assert DEFAULT.add_working(start, amount) == expected


def test_add_working_skips_a_holiday_on_wednesday():
    calendar = Calendar(holidays=frozenset({date(2026, 3, 4)}))
    assert not calendar.is_working_day(date(2026, 3, 4))
    assert calendar.add_working(at(3, 15), 2 * H) == at(5, 9)  # Tue -> Thu
    assert calendar.add_working(at(4, 10), 1 * H) == at(5, 9)  # from inside the holiday
    assert calendar.add_hk(at(2, 8), 3) == at(5, 16)  # Mon, Tue, Thu
    # Without the holiday the same sums stay on Wednesday.
    assert DEFAULT.add_working(at(3, 15), 2 * H) == at(4, 9)


def test_add_working_skips_the_shipped_idul_fitri_holidays():
    calendar = Calendar(holidays=load_holidays(HOLIDAYS_FILE))
    # 18-24 March 2026 are Nyepi, Idul Fitri and cuti bersama; Tuesday 17 March is a working day.
    assert calendar.is_working_day(date(2026, 3, 17))
    assert all(not calendar.is_working_day(date(2026, 3, d)) for d in range(18, 25))
    assert calendar.add_working(at(17, 15), 2 * H) == at(25, 9)
    assert calendar.next_working_moment(at(19, 10)) == at(25, 8)


def test_add_working_custom_office_hours():
    calendar = Calendar(office_start=time(7, 30), office_end=time(15, 30))
    assert calendar.day_length == 8 * H
    assert calendar.add_working(at(2, 6), 0 * H) == at(2, 7, 30)
    assert calendar.add_working(at(2, 7), 1 * H) == at(2, 8, 30)
    assert calendar.add_working(at(2, 15), 30 * M) == at(2, 15, 30)
    assert calendar.add_working(at(2, 15), 1 * H) == at(3, 8)
    assert calendar.add_working(at(6, 15), 1 * H) == at(9, 8)  # Friday -> Monday
    assert calendar.add_working(at(2, 15, 45), 1 * M) == at(3, 7, 31)
    assert calendar.add_hk(at(2, 7, 30), 1) == at(2, 15, 30)


def test_add_hk_uses_the_calendars_day_length():
    short = Calendar(office_start=time(8, 0), office_end=time(12, 0))
    assert short.day_length == 4 * H
    assert short.add_hk(at(2, 8), 1.5) == at(3, 10)
    assert DEFAULT.add_hk(at(2, 8), 0.5) == at(2, 12)
    assert DEFAULT.in_hk(12 * H) == 1.5


def test_add_working_rejects_negative_amounts():
    with pytest.raises(ValueError, match="negative"):
        DEFAULT.add_working(at(2, 8), -M)


@pytest.mark.parametrize(("start", "end", "expected"), [
    (at(2, 8), at(2, 16), 8 * H),
    (at(2, 7), at(2, 17), 8 * H),
    (at(2, 15), at(3, 9), 2 * H),
    (at(6, 15), at(9, 9), 2 * H),  # over a weekend
    (at(7, 0), at(8, 23), 0 * H),  # the weekend itself
    (at(2, 8), at(9, 8), 40 * H),
    (at(3, 10), at(3, 10), 0 * H),
    (at(3, 10), at(2, 10), 0 * H),  # end before start
])
def test_working_between(start, end, expected):
    assert DEFAULT.working_between(start, end) == expected


def test_working_between_skips_holidays():
    calendar = Calendar(holidays=frozenset({date(2026, 3, 4)}))
    assert calendar.working_between(at(3, 8), at(5, 16)) == 16 * H
    assert DEFAULT.working_between(at(3, 8), at(5, 16)) == 24 * H


# ------------------------------------------------------------- properties

HOLIDAYS = frozenset({date(2026, 1, 1), date(2026, 3, 19), date(2026, 3, 20), date(2026, 5, 1),
                      date(2026, 8, 17), date(2026, 12, 25), date(2026, 6, 1)})
CALENDARS = [Calendar(holidays=HOLIDAYS),
             Calendar(office_start=time(7, 30), office_end=time(15, 30), holidays=HOLIDAYS)]
YEAR_START = datetime(2026, 1, 1)
YEAR_MINUTES = 365 * 24 * 60

moments = st.integers(0, YEAR_MINUTES - 1).map(lambda m: YEAR_START + timedelta(minutes=m))
amounts = st.integers(0, 25 * 8 * 60).map(lambda m: timedelta(minutes=m))
calendars = st.sampled_from(CALENDARS)


def _in_office(calendar: Calendar, moment: datetime) -> bool:
    return (calendar.is_working_day(moment.date())
            and calendar.office_start <= moment.time() < calendar.office_end)


@settings(max_examples=150, deadline=None, database=None)
@given(calendars, moments, amounts, amounts)
def test_add_working_is_monotonic(calendar, start, first, second):
    small, large = sorted((first, second))
    assert calendar.add_working(start, small) <= calendar.add_working(start, large)


@settings(max_examples=150, deadline=None, database=None)
@given(calendars, moments, amounts)
def test_working_between_inverts_add_working(calendar, moment, amount):
    start = calendar.next_working_moment(moment)
    assert _in_office(calendar, start)
    end = calendar.add_working(start, amount)
    assert end >= start
    assert calendar.working_between(start, end) == amount


@settings(max_examples=150, deadline=None, database=None)
@given(calendars, moments, st.integers(0, 20 * 24 * 60), st.integers(0, 20 * 24 * 60))
def test_working_between_is_additive(calendar, a, gap_ab, gap_bc):
    b = a + timedelta(minutes=gap_ab)
    c = b + timedelta(minutes=gap_bc)
    assert (calendar.working_between(a, c)
            == calendar.working_between(a, b) + calendar.working_between(b, c))


@settings(max_examples=150, deadline=None, database=None)
@given(calendars, moments, amounts)
def test_add_working_lands_in_office_hours(calendar, moment, amount):
    result = calendar.add_working(moment, amount)
    assert calendar.is_working_day(result.date())
    if result.time() == calendar.office_end:
        assert amount > timedelta(0)  # closing time only after some work was done
    else:
        assert calendar.office_start <= result.time() < calendar.office_end
    assert result.date() not in HOLIDAYS


@settings(max_examples=100, deadline=None, database=None)
@given(calendars, moments)
def test_next_working_moment_is_a_working_moment_not_before(calendar, moment):
    result = calendar.next_working_moment(moment)
    assert result >= moment
    assert _in_office(calendar, result)
    assert calendar.working_between(moment, result) == timedelta(0)


# ------------------------------------------------------------- clock changes

W0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
SIM_START = at(2, 8)


def wall(minutes: float) -> datetime:
    return W0 + timedelta(minutes=minutes)


RATE = rate_for(DEFAULT, 4)
CHANGES = (
    ClockChange(wall(0), RATE),       # start: 1 HK per 4 real minutes
    ClockChange(wall(2), 0),          # pause
    ClockChange(wall(5), RATE),       # resume
    ClockChange(wall(7), RATE * 2),   # speed change: 1 HK per 2 real minutes
)


def test_rate_for():
    assert rate_for(Calendar(), 4) == 120
    assert rate_for(Calendar(), 8) == 60
    assert rate_for(Calendar(office_start=time(8, 0), office_end=time(12, 0)), 4) == 60


def test_working_elapsed_concrete():
    assert working_elapsed(CHANGES, wall(-1)) == timedelta(0)
    assert working_elapsed(CHANGES, wall(0)) == timedelta(0)
    assert working_elapsed(CHANGES, wall(1)) == 2 * H
    assert working_elapsed(CHANGES, wall(2)) == 4 * H
    assert working_elapsed(CHANGES, wall(4)) == 4 * H  # paused
    assert working_elapsed(CHANGES, wall(6)) == 6 * H
    assert working_elapsed(CHANGES, wall(7)) == 8 * H
    assert working_elapsed(CHANGES, wall(8)) == 12 * H
    assert working_elapsed(list(reversed(CHANGES)), wall(8)) == 12 * H  # order of storage
    assert working_elapsed(CHANGES[:1], wall(3)) == 6 * H


def test_working_elapsed_without_changes_is_zero():
    # An exercise that was never started has no clock changes: no time has passed.
    assert working_elapsed((), wall(8)) == timedelta(0)


@pytest.mark.parametrize(("minutes", "expected"), [
    (-5, at(2, 8)),
    (0, at(2, 8)),
    (1, at(2, 10)),
    (2, at(2, 12)),
    (3, at(2, 12)),
    (4.5, at(2, 12)),
    (6, at(2, 14)),
    (7, at(2, 16)),
    (7.5, at(3, 10)),
    (8, at(3, 12)),
    (10, at(4, 12)),
])
def test_workday_clock_at(minutes, expected):
    clock = WorkdayClock(DEFAULT, SIM_START, CHANGES, ManualClock(W0))
    assert clock.at(wall(minutes)) == expected


SAMPLES = [wall(m / 4) for m in range(-4, 60)]


def test_appending_a_change_keeps_earlier_times_exact():
    for count in range(1, len(CHANGES)):
        before = WorkdayClock(DEFAULT, SIM_START, CHANGES[:count], ManualClock(W0))
        after = WorkdayClock(DEFAULT, SIM_START, CHANGES[:count + 1], ManualClock(W0))
        cut = CHANGES[count].wall_at
        checked = [m for m in SAMPLES if m <= cut]
        assert len(checked) >= 4
        for moment in checked:
            assert after.at(moment) == before.at(moment), (count, moment)


changes_strategy = st.lists(
    st.tuples(st.integers(1, 600), st.sampled_from([0, 0, 30, 60, 120, 240, 480])),
    min_size=0, max_size=6)


@settings(max_examples=100, deadline=None, database=None)
@given(st.integers(0, 240), changes_strategy, st.integers(1, 600), st.sampled_from([0, 60, 240]),
       st.lists(st.integers(0, 4000), min_size=1, max_size=8))
def test_appending_a_later_change_never_moves_the_past(first_rate, steps, gap, new_rate,
                                                       probes):
    changes = [ClockChange(W0, first_rate)]
    moment = W0
    for seconds, rate in steps:
        moment += timedelta(seconds=seconds)
        changes.append(ClockChange(moment, rate))
    appended = ClockChange(moment + timedelta(seconds=gap), new_rate)
    calendar = CALENDARS[0]
    before = WorkdayClock(calendar, SIM_START, tuple(changes), ManualClock(W0))
    after = WorkdayClock(calendar, SIM_START, (*changes, appended), ManualClock(W0))
    for probe in probes:
        probe_moment = W0 + timedelta(seconds=probe)
        if probe_moment <= appended.wall_at:
            assert after.at(probe_moment) == before.at(probe_moment)
            assert (working_elapsed((*changes, appended), probe_moment)
                    == working_elapsed(changes, probe_moment))


def test_paused_clock_does_not_move():
    manual = ManualClock(wall(3))
    clock = WorkdayClock(DEFAULT, SIM_START, CHANGES[:2], manual)
    assert clock.paused
    first = clock.now()
    assert first == at(2, 12)
    manual.advance(minutes=30)
    assert clock.now() == first
    manual.advance(days=3)
    assert clock.now() == first
    running = WorkdayClock(DEFAULT, SIM_START, CHANGES[:3], manual)
    assert not running.paused


def test_clock_without_changes_is_paused_at_the_first_working_moment():
    manual = ManualClock(wall(10))
    clock = WorkdayClock(DEFAULT, at(7, 10), (), manual)  # a Saturday start
    assert clock.paused
    assert clock.now() == at(9, 8)
    manual.advance(hours=5)
    assert clock.now() == at(9, 8)


def test_two_clocks_built_from_the_same_facts_agree():
    wall_a, wall_b = ManualClock(wall(1.5)), ManualClock(wall(1.5))
    a = WorkdayClock(DEFAULT, SIM_START, tuple(CHANGES), wall_a)
    b = WorkdayClock(Calendar(), datetime(2026, 3, 2, 8, 0), tuple(CHANGES[:]), wall_b)
    assert a is not b
    assert a.now() == b.now() == at(2, 11)
    for minutes in (2, 3.25, 5.5, 7.75, 30):
        wall_a.set(wall(minutes))
        wall_b.set(wall(minutes))
        assert a.now() == b.now() == a.at(wall(minutes))
    assert (a.calendar, a.sim_start, a.changes) == (b.calendar, b.sim_start, b.changes)


# ------------------------------------------------------------- format_hk


@pytest.mark.parametrize(("amount", "expected"), [
    (11 * H, "1 HK 3 jam"),
    (4 * H + 20 * M, "4 jam 20 menit"),
    (15 * M, "15 menit"),
    (timedelta(0), "0 menit"),
    (timedelta(seconds=59), "0 menit"),
    (-3 * H, "0 menit"),
    (8 * H, "1 HK"),
    (16 * H, "2 HK"),
    (2 * H, "2 jam"),
    (11 * H + 20 * M, "1 HK 3 jam"),  # with days the minutes are dropped
    (16 * H + 45 * M, "2 HK"),
    (8 * H + 59 * M, "1 HK"),
    (7 * H + 59 * M, "7 jam 59 menit"),
    (61 * M + timedelta(seconds=30), "1 jam 1 menit"),
])
def test_format_hk(amount, expected):
    assert format_hk(amount, DEFAULT) == expected


def test_format_hk_uses_the_calendar_day_length():
    short = Calendar(office_start=time(8, 0), office_end=time(12, 0))
    assert format_hk(5 * H, short) == "1 HK 1 jam"
    assert format_hk(5 * H, DEFAULT) == "5 jam"
