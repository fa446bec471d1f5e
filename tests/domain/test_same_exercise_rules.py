"""The domain rules behind "the same exercise for everyone": the planned end, who may act
in which session state, and where a latecomer's limits start."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sandbox.domain.clock import Calendar, ClockChange, ManualClock, WorkdayClock, planned_end
from sandbox.domain.session import (
    ClockCommand,
    SessionError,
    SessionState,
    acting_refusal,
    check_may_act,
    decide,
    session_state,
    state_text,
)
from sandbox.domain.sla import SlaSettings, joined_late, limit_start, limits

CAL = Calendar()
MONDAY = datetime(2026, 3, 2, 8, 0)
WALL = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def test_the_planned_end_is_fixed_in_simulated_time():
    # 60 minutes at 4 minutes per HK: 15 HK, three working weeks.
    assert planned_end(CAL, MONDAY, 60, 4) == datetime(2026, 3, 20, 16, 0)
    assert planned_end(CAL, MONDAY, 30, 4) == CAL.add_hk(MONDAY, 7.5)


def test_the_clock_stops_by_itself_at_its_end():
    wall = ManualClock(WALL)
    end = CAL.add_hk(MONDAY, 2)
    clock = WorkdayClock(CAL, MONDAY, (ClockChange(WALL, CAL.day_length / timedelta(minutes=4)),),
                         wall, until=end)
    wall.advance(minutes=7)
    assert clock.now() == CAL.add_hk(MONDAY, 1.75) and not clock.time_up()
    wall.advance(minutes=1)
    assert clock.now() == end and clock.time_up()
    wall.advance(hours=5)
    assert clock.now() == end
    # Never started: not up, whatever the wall clock says.
    assert not WorkdayClock(CAL, MONDAY, (), wall, until=MONDAY).time_up()


def test_time_up_ends_the_session_and_every_screen_says_so():
    assert session_state(["mulai"], time_up=True) == SessionState.BERAKHIR
    assert session_state(["mulai", "jeda"], time_up=False) == SessionState.DIJEDA
    assert state_text(SessionState.BERAKHIR, time_up=True) == "Waktu latihan habis"
    assert state_text(SessionState.BERAKHIR, time_up=False) == "Berakhir"
    with pytest.raises(SessionError, match="Waktu latihan sudah habis"):
        decide(SessionState.BERAKHIR, ClockCommand.AKHIRI, time_up=True)


@pytest.mark.parametrize(("state", "time_up", "solo", "words"), [
    (SessionState.LOBI, False, False, "belum dimulai"),
    (SessionState.DIJEDA, False, False, "dijeda oleh fasilitator"),
    (SessionState.DIJEDA, False, True, "Lanjutkan waktu"),
    (SessionState.BERAKHIR, True, False, "Waktu latihan habis"),
    (SessionState.BERAKHIR, False, True, "sudah diakhiri"),
])
def test_only_a_running_clock_takes_actions(state, time_up, solo, words):
    assert words in (acting_refusal(state, time_up=time_up, solo=solo) or "")
    with pytest.raises(SessionError, match=words):
        check_may_act(state, time_up=time_up, solo=solo)
    assert acting_refusal(SessionState.BERJALAN, time_up=False, solo=solo) is None
    check_may_act(SessionState.BERJALAN, time_up=False, solo=solo)


def test_a_latecomer_s_limits_start_when_they_joined():
    arrived = MONDAY + timedelta(hours=1)
    joined = CAL.add_hk(MONDAY, 5)
    assert limit_start(arrived, None) == arrived
    assert limit_start(arrived, joined) == joined
    assert limit_start(joined + timedelta(hours=1), joined) == joined + timedelta(hours=1)
    assert joined_late(arrived, joined) and not joined_late(joined, joined)

    now = CAL.add_hk(joined, 1)
    there_all_along = limits(arrived, [], None, SlaSettings(), CAL, now)
    latecomer = limits(arrived, [], None, SlaSettings(), CAL, now, joined_at=joined)
    verification = {s.key: s for s in there_all_along}["verifikasi"]
    late_verification = {s.key: s for s in latecomer}["verifikasi"]
    assert verification.used > verification.limit  # red for whoever saw it arrive
    assert late_verification.used == CAL.day_length  # 1 HK since joining
