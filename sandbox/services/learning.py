"""Tes awal and tes akhir of a session: load each participant's two test cards and the
verdict on each test report, and measure the learning gain with the pure domain
(domain.learning).

Nothing is stored or scored here: the cards are services.scoring's (`cards_for_test`: the
one judge on the test's reports only), the verdicts the one judge of decisions
(domain.decisions, as the debrief and the studi komparasi use it). Who counts is
services.attendance's `counted`; in mode tim the teams hold the cards.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from sandbox.domain.decisions import Verdict
from sandbox.domain.learning import (
    Attempt,
    Learner,
    Phase,
    SessionLearning,
    has_tests,
    phase_of,
    session_learning,
)
from sandbox.extensions import db
from sandbox.models import Complaint, Exercise, Participant
from sandbox.services.attendance import counted
from sandbox.services.dashboard import decision_judge
from sandbox.services.scoring import cards_for_test, scoring_moment
from sandbox.services.teams import is_team_mode


def card_holders(exercise: Exercise, include_inactive: bool = False,
                 as_of: datetime | None = None) -> list[Participant]:
    """Who holds the cards a room's figures are made of: the counted people by name, or
    in mode tim the teams with at least one counted person (services.attendance.counted)."""
    people = counted(exercise, include_inactive, as_of=as_of)
    if not is_team_mode(exercise):
        return sorted(people, key=lambda p: (p.name.casefold(), p.id))
    seated = {p.team_id for p in people if p.team_id is not None}
    return [team for team in exercise.teams if team.id in seated]


def session_has_tests(exercise: Exercise) -> bool:
    """Whether the session's scenario gave it a tes awal and a tes akhir: read from one
    copy of its reports (everyone's copy has the same tests)."""
    owner = db.session.scalar(select(func.min(Complaint.participant_id))
                              .where(Complaint.exercise_id == exercise.id))
    if owner is None:
        return False
    return has_tests(db.session.scalars(select(Complaint.answer_key)
                                        .where(Complaint.participant_id == owner)))


def learners_of(exercise: Exercise, holders: Sequence[Participant],
                as_of: datetime | None = None) -> list[Learner]:
    """Each card holder with their tes awal and tes akhir: the test cards, the verdict on
    each test report's decision, counting only the events its card counts, and the
    reports' answer keys (for the traps)."""
    if not holders:
        return []
    cards = {phase: cards_for_test(exercise, holders, phase, as_of) for phase in Phase}
    numbers = {r.tracking_no for found in cards.values() for card in found.values()
               for r in card.reports}
    owners = {p.owner_id for p in holders}
    moment = scoring_moment(exercise, as_of) if exercise.clock_changes else datetime.min
    late = as_of or datetime.max
    judge = decision_judge(exercise)
    verdicts: dict[tuple[int, Phase], dict[str, Verdict]] = {
        (owner, phase): {} for owner in owners for phase in Phase}
    keys: dict[tuple[int, Phase], dict[str, dict[str, Any]]] = {
        (owner, phase): {} for owner in owners for phase in Phase}
    complaints: Sequence[Complaint] = db.session.scalars(
        select(Complaint).options(selectinload(Complaint.events))
        .where(Complaint.participant_id.in_(owners), Complaint.tracking_no.in_(numbers),
               Complaint.arrived_at <= moment)).all() if numbers else []
    for complaint in complaints:
        phase = phase_of(complaint.answer_key)
        if phase is None:
            continue
        events = [e.to_record() for e in complaint.events
                  if e.sim_at <= moment and e.wall_at <= late]
        where = (complaint.participant_id, phase)
        verdicts[where][complaint.tracking_no] = judge(complaint.answer_key, events).verdict
        keys[where][complaint.tracking_no] = complaint.answer_key

    def attempt(phase: Phase, holder: Participant) -> Attempt | None:
        card = cards[phase].get(holder.id)
        where = (holder.owner_id, phase)
        return None if card is None else Attempt(card, verdicts[where], keys[where])

    return [Learner(holder.name, holder.cohort or "", attempt(Phase.AWAL, holder),
                    attempt(Phase.AKHIR, holder),
                    "" if holder.is_team else holder.unit_name) for holder in holders]


def session_learning_of(exercise: Exercise, name: str, include_inactive: bool = False,
                        as_of: datetime | None = None,
                        holders: Sequence[Participant] | None = None
                        ) -> SessionLearning | None:
    """The session's tests measured for the room and each cohort (domain.learning), or
    None when its scenario has no tests. `holders`: the card holders when the caller has
    them already (card_holders)."""
    if not session_has_tests(exercise):
        return None
    found = holders if holders is not None else card_holders(exercise, include_inactive,
                                                             as_of)
    return session_learning(name, learners_of(exercise, found, as_of), is_team_mode(exercise))


def own_learning(participant: Participant) -> Learner | None:
    """A trainee's own tes awal and tes akhir (in mode tim their team's), or None when the
    session has no tests."""
    exercise = participant.exercise
    if not session_has_tests(exercise):
        return None
    holder = participant.team if participant.team is not None else participant
    return learners_of(exercise, [holder])[0]
