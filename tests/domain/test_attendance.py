"""Attendance: the state from the stored facts, who counts in the results, and severity."""

from __future__ import annotations

from datetime import datetime

import pytest

from sandbox.domain.attendance import (
    Attendance,
    AttendanceFacts,
    Presence,
    Trouble,
    attendance,
    counts,
    presence,
    severity,
)

SEEN = datetime(2026, 3, 10, 9, 0)
LATER = datetime(2026, 3, 10, 11, 0)

# facts -> (attendance, presence, counts by default, counts when the inactive are included)
CASES = [
    (AttendanceFacts(), Attendance.TERDAFTAR, Presence.BELUM_HADIR, False, True),
    (AttendanceFacts(first_seen_at=SEEN), Attendance.HADIR, Presence.BELUM_BERTINDAK,
     False, True),
    # A sign-in through the rejoin link (a GET) is not recorded: acting makes them seen.
    (AttendanceFacts(acted=True), Attendance.HADIR, Presence.AKTIF, True, True),
    (AttendanceFacts(first_seen_at=SEEN, acted=True), Attendance.HADIR, Presence.AKTIF,
     True, True),
    (AttendanceFacts(first_seen_at=SEEN, acted=True, hidden_at=LATER), Attendance.KELUAR,
     Presence.KELUAR, False, False),
    (AttendanceFacts(first_seen_at=SEEN, acted=True, removed_at=LATER), Attendance.KELUAR,
     Presence.KELUAR, False, False),
    (AttendanceFacts(first_seen_at=SEEN, acted=True, merged_into_id=7), Attendance.KELUAR,
     Presence.KELUAR, False, False),
    (AttendanceFacts(hidden_at=LATER), Attendance.KELUAR, Presence.KELUAR, False, False),
]


@pytest.mark.parametrize(("facts", "state", "shown", "counted", "included"), CASES)
def test_state_presence_and_who_counts(facts, state, shown, counted, included):
    assert attendance(facts) == state
    assert presence(facts) == shown
    assert counts(facts) is counted
    assert counts(facts, include_inactive=True) is included


def test_presence_labels_are_indonesian():
    assert Presence.BELUM_HADIR.label == "Belum hadir"
    assert Presence.BELUM_BERTINDAK.label == "Belum bertindak"


def test_gone_means_removed_or_merged_not_hidden():
    assert AttendanceFacts(removed_at=LATER).gone
    assert AttendanceFacts(merged_into_id=3).gone
    assert not AttendanceFacts(hidden_at=LATER).gone


def test_severity_puts_real_harm_above_many_small_flags():
    """An exposed identity and wrong routing outweigh a long idle spell."""
    failing = Trouble(red=0, exposed=1, routed=4, routed_right=1)
    idle_only = Trouble(idle_minutes=60)
    two_red = Trouble(red=2)
    assert severity(failing) > severity(two_red) > severity(idle_only) > 0
    assert severity(Trouble()) == 0
    assert severity(Trouble(routed=5, routed_right=5)) == 0  # all right: nothing to worry


@pytest.mark.parametrize(("worse", "better"), [
    (Trouble(red=4), Trouble(red=3)),
    (Trouble(exposed=2), Trouble(exposed=1)),
    (Trouble(routed=3, routed_right=0), Trouble(routed=3, routed_right=2)),
    (Trouble(idle_minutes=10), Trouble(idle_minutes=6)),
])
def test_severity_grows_with_each_problem(worse, better):
    assert severity(worse) > severity(better)
