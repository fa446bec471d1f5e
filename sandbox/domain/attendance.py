"""Attendance: whether a participant is here, and whether they count in the results.

A participant is in one of three states, derived (never stored) from a few facts:

- terdaftar: on the list (imported, or created) but never seen signing in;
- hadir: seen: they joined or rejoined by a POST form (`first_seen_at`), or they acted;
- keluar: the facilitator hid, removed or merged them.

Signing in through the rejoin link `/lanjut/<token>` is a GET, and a GET writes nothing,
so such a sign-in is not recorded; the trainee counts as seen at their first action
(an action is an event in a trainee's role, on the log anyway). Signing out (`/keluar`)
is not leaving the training: the rejoin link and personal code still work.

Within hadir, the facilitator sees who has acted ("aktif") apart from who has only
joined ("Belum bertindak"). `counts` is the one rule for ranks, cohort means, the
dashboard's "Perhatian" and certificates: the active count, the absent and the idle
only when the facilitator includes them, those who left never. `severity` says how
badly a trainee is doing, to order "Perhatian" by it rather than by how many flags.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Attendance(StrEnum):
    TERDAFTAR = "terdaftar"
    HADIR = "hadir"
    KELUAR = "keluar"


class Presence(StrEnum):
    """What the facilitator's lists show: attendance, with hadir split by having acted."""

    BELUM_HADIR = "belum_hadir"
    BELUM_BERTINDAK = "belum_bertindak"
    AKTIF = "aktif"
    KELUAR = "keluar"

    @property
    def label(self) -> str:
        return PRESENCE_LABELS[self]


PRESENCE_LABELS: dict[Presence, str] = {
    Presence.BELUM_HADIR: "Belum hadir",
    Presence.BELUM_BERTINDAK: "Belum bertindak",
    Presence.AKTIF: "Aktif",
    Presence.KELUAR: "Keluar",
}


@dataclass(frozen=True)
class AttendanceFacts:
    """What is stored about one participant's attendance, plus whether they acted."""

    first_seen_at: datetime | None = None
    hidden_at: datetime | None = None
    removed_at: datetime | None = None
    merged_into_id: int | None = None
    acted: bool = False

    @property
    def gone(self) -> bool:
        """Removed or merged: out of every list and score, for good."""
        return self.removed_at is not None or self.merged_into_id is not None


def attendance(facts: AttendanceFacts) -> Attendance:
    """The participant's attendance state."""
    if facts.gone or facts.hidden_at is not None:
        return Attendance.KELUAR
    if facts.first_seen_at is not None or facts.acted:
        return Attendance.HADIR
    return Attendance.TERDAFTAR


def presence(facts: AttendanceFacts) -> Presence:
    """The state as the facilitator's lists show it."""
    state = attendance(facts)
    if state == Attendance.KELUAR:
        return Presence.KELUAR
    if state == Attendance.TERDAFTAR:
        return Presence.BELUM_HADIR
    return Presence.AKTIF if facts.acted else Presence.BELUM_BERTINDAK


def counts(facts: AttendanceFacts, include_inactive: bool = False) -> bool:
    """Whether the participant counts in ranks, cohort means, "Perhatian" and certificates.

    Those who never joined or never acted count only when the facilitator includes
    them (`include_inactive`); the hidden, removed and merged never do.
    """
    state = presence(facts)
    if state == Presence.KELUAR:
        return False
    return state == Presence.AKTIF or include_inactive


@dataclass(frozen=True)
class Trouble:
    """What the dashboard knows of how a trainee is doing."""

    red: int = 0  # reports past a limit
    exposed: int = 0  # reports whose reporter's identity the trainee exposed
    routed: int = 0  # decided destinations
    routed_right: int = 0
    idle_minutes: int = 0  # real minutes without an action while the clock runs


# How much each problem weighs: an exposed identity is the worst harm a trainee can do
# (a reporter put at risk), a report past its limit breaks a rule of the law, a wrong
# destination sends a citizen to the wrong office, idleness is only a reason to look.
EXPOSURE_WEIGHT = 40.0
RED_WEIGHT = 10.0
WRONG_ROUTE_WEIGHT = 8.0
IDLE_WEIGHT_PER_MINUTE = 0.5
IDLE_WEIGHT_MAX = 10.0


def severity(trouble: Trouble) -> float:
    """How badly a trainee is doing: higher is worse, 0 is nothing to worry about."""
    wrong = trouble.routed - trouble.routed_right
    return (EXPOSURE_WEIGHT * trouble.exposed + RED_WEIGHT * trouble.red
            + WRONG_ROUTE_WEIGHT * wrong
            + min(IDLE_WEIGHT_MAX, IDLE_WEIGHT_PER_MINUTE * trouble.idle_minutes))
