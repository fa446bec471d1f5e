"""Clock arithmetic the projector and the facilitator's notes rely on, and the restating of
"N HK = M menit" at another speed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from sandbox.domain.clock import Calendar, ClockChange, wall_elapsed_until
from sandbox.domain.notes import restate_speed
from sandbox.domain.session import SessionState

CAL = Calendar(holidays=frozenset({date(2026, 3, 4)}))  # a Wednesday off
START = datetime(2026, 3, 2, 8, 0)  # Monday


@pytest.mark.parametrize(("moment", "number"), [
    (datetime(2026, 3, 2, 15, 59), 1), (datetime(2026, 3, 3, 8, 0), 2),
    (datetime(2026, 3, 5, 9, 0), 3),  # the holiday is no HK
    (datetime(2026, 3, 9, 9, 0), 5),  # nor the weekend
])
def test_day_number_counts_working_days_from_the_start(moment, number):
    assert CAL.day_number(START, moment) == number


def test_day_end_is_the_close_of_the_working_day_in_progress():
    assert CAL.day_end(datetime(2026, 3, 2, 10, 0)) == datetime(2026, 3, 2, 16, 0)
    assert CAL.day_end(datetime(2026, 3, 3, 17, 0)) == datetime(2026, 3, 5, 16, 0)


def _at(minutes):
    return datetime(2026, 1, 1, 9, 0, tzinfo=UTC) + timedelta(minutes=minutes)


def test_wall_elapsed_until_reads_the_changes_then_runs_on_at_the_given_rate():
    # 1 HK (8 h) per 4 real minutes = rate 120; from minute 2 at rate 60, paused at minute 6.
    changes = [ClockChange(_at(0), 120.0), ClockChange(_at(2), 60.0), ClockChange(_at(6), 0.0)]
    assert wall_elapsed_until(changes, timedelta(hours=2), 120.0) == timedelta(minutes=1)
    assert wall_elapsed_until(changes, timedelta(hours=5), 120.0) == timedelta(minutes=3)
    # Past the pause: 8 h done by minute 6, the rest at the rate given.
    assert wall_elapsed_until(changes, timedelta(hours=10), 120.0) == timedelta(minutes=7)
    assert wall_elapsed_until(changes, timedelta(hours=10), 0.0) is None
    assert wall_elapsed_until([], timedelta(hours=4), 120.0) == timedelta(minutes=2)


@pytest.mark.parametrize(("text", "speed", "restated"), [
    ("Sampaikan: 1 HK = 3 menit, batas 2 HK = 6 menit.", 8,
     "Sampaikan: 1 HK = 8 menit, batas 2 HK = 16 menit."),
    ("0,5 HK=2 menit", 3, "0,5 HK=1,5 menit"),
    ("Laporan menguning setelah 3 menit.", 8, "Laporan menguning setelah 3 menit."),
])
def test_restate_speed_recomputes_every_hk_in_minutes(text, speed, restated):
    assert restate_speed(text, speed) == restated


def test_joining_is_open_until_the_session_ends():
    assert [s for s in SessionState if not s.open_for_joining] == [SessionState.BERAKHIR]
