"""Who is here: each participant's attendance facts, and who counts in the results.

The rule is domain.attendance; this module loads the facts it needs (one query for who
has acted) and hands every page the same answer: the leaderboard, the dashboard, the
exports and the debrief all take their participants from `counted`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select

from sandbox.domain.attendance import AttendanceFacts, Presence, counts, presence
from sandbox.domain.workflow import Role
from sandbox.extensions import db
from sandbox.models import Complaint, Event, Exercise, Participant
from sandbox.services.timekeeping import wall_now

TRAINEE_ROLES = (Role.ADMIN_INSTANSI.value, Role.ADMIN_PENGHUBUNG.value)
INCLUDE_PARAM = "sertakan"  # ?sertakan=1 on a facilitator page includes the inactive
MERGE_DEPTH = 20  # a chain of merges longer than this is broken data, not a person


def include_requested(value: str | None) -> bool:
    """The facilitator's "Sertakan peserta yang tidak hadir/tidak aktif" toggle."""
    return (value or "").strip() == "1"


def acted_ids(exercise: Exercise, as_of: datetime | None = None) -> set[int]:
    """Participants of the session who had taken an action as a trainee (by `as_of`): the
    person who recorded it, or (before mode tim kept that) the report's owner."""
    who = func.coalesce(Event.participant_id, Complaint.participant_id)
    query = select(who).select_from(Complaint).join(Event, Event.complaint_id == Complaint.id) \
        .where(Complaint.exercise_id == exercise.id, Event.role.in_(TRAINEE_ROLES))
    if as_of is not None:  # a frozen board: who had acted when it was frozen
        query = query.where(Event.wall_at <= as_of)
    return set(db.session.scalars(query.distinct()))


def facts_of(participant: Participant, acted: set[int]) -> AttendanceFacts:
    return AttendanceFacts(participant.first_seen_at, participant.hidden_at,
                           participant.removed_at, participant.merged_into_id,
                           participant.id in acted)


def presences(exercise: Exercise) -> dict[int, Presence]:
    """Participant id -> what the facilitator's lists show for them."""
    acted = acted_ids(exercise)
    return {p.id: presence(facts_of(p, acted)) for p in exercise.participants}


def counted(exercise: Exercise, include_inactive: bool = False,
            as_of: datetime | None = None) -> list[Participant]:
    """The participants who count in ranks, means, "Perhatian" and certificates."""
    acted = acted_ids(exercise, as_of)
    return [p for p in exercise.participants if counts(facts_of(p, acted), include_inactive)]


def listed(exercise: Exercise) -> list[Participant]:
    """Everyone still on the session's lists: not removed, not merged into another."""
    return [p for p in exercise.participants
            if p.removed_at is None and p.merged_into_id is None]


def apart(exercise: Exercise, include_inactive: bool = False
          ) -> dict[Presence, list[Participant]]:
    """Those left out of the results, by why: "Belum hadir", "Belum bertindak" (none when
    the facilitator included them), and the hidden ("Keluar", removed ones not listed)."""
    shown = presences(exercise)
    groups: dict[Presence, list[Participant]] = {
        Presence.BELUM_HADIR: [], Presence.BELUM_BERTINDAK: [], Presence.KELUAR: []}
    for participant in sorted(listed(exercise), key=lambda p: (p.name.casefold(), p.id)):
        state = shown[participant.id]
        if state == Presence.KELUAR or (state != Presence.AKTIF and not include_inactive):
            groups[state].append(participant)
    return groups


def mark_seen(participant: Participant) -> None:
    """The participant signed in by a POST form: attendance starts now (if not before)."""
    if participant.first_seen_at is None:
        participant.first_seen_at = wall_now()
        db.session.flush()


def signed_in_as(participant: Participant | None) -> Participant | None:
    """Who a sign-in as `participant` becomes: the kept one after a merge; nobody after a
    removal."""
    for _ in range(MERGE_DEPTH):
        if participant is None or participant.removed_at is not None:
            return None
        if participant.merged_into_id is None:
            return participant
        participant = db.session.get(Participant, participant.merged_into_id)
    return None


def person_key(name: str, unit_name: str) -> tuple[str, str]:
    """A name and OPD compared case- and space-insensitively."""
    return " ".join(name.casefold().split()), " ".join(unit_name.casefold().split())


def registered_as(exercise: Exercise, name: str, unit_name: str,
                  among: Iterable[Participant] | None = None) -> Participant | None:
    """A participant still listed in the session under this name and OPD, if any."""
    wanted = person_key(name, unit_name)
    for participant in among if among is not None else listed(exercise):
        if person_key(participant.name, participant.unit_name) == wanted:
            return participant
    return None
