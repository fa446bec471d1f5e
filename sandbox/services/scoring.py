"""Report cards: load a trainee's reports and events, and score them with the pure domain.

Nothing is stored: every card is recomputed from the event log, with the rules of
the scoring version recorded when the session began.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from sandbox.domain.disclosure import answer_withheld, feedback_open
from sandbox.domain.errors import DomainError, ValidationError
from sandbox.domain.numbers import ID_MAX, parse_int
from sandbox.domain.scoring import (
    SCORING_VERSION,
    ReportInput,
    ScoringSettings,
    TraineeScore,
    score_trainee,
)
from sandbox.domain.session import ClockKind
from sandbox.domain.workflow import State
from sandbox.extensions import db
from sandbox.models import Complaint, Exercise, Participant, ScoreOverride
from sandbox.services.catalogue import get_catalogue
from sandbox.services.timekeeping import (
    calendar_of,
    change_clock,
    has_ended,
    joined_at,
    sim_clock,
    sla_of,
    wall_now,
)


def scoring_settings(exercise: Exercise) -> ScoringSettings:
    values = (exercise.settings or {}).get("scoring")
    return ScoringSettings(**values) if values else ScoringSettings()


def scoring_moment(exercise: Exercise, as_of: datetime | None = None) -> datetime:
    """Simulated "now" for scoring (or at the wall moment `as_of`); the clock never runs past
    the planned end, so neither does scoring."""
    clock = sim_clock(exercise)
    return clock.now() if as_of is None else clock.at(as_of.replace(tzinfo=UTC))


def feedback_now(exercise: Exercise) -> bool:
    """Whether the trainee may see right/wrong answers yet (scenario setting)."""
    return feedback_open((exercise.settings or {}).get("feedback"), has_ended(exercise))


def answers_withheld(exercise: Exercise, complaints: Iterable[Complaint]) -> dict[str, str | None]:
    """For each report (by tracking number), why its answer is hidden from the trainee, or None."""
    feedback, ended = (exercise.settings or {}).get("feedback"), has_ended(exercise)
    return {c.tracking_no: answer_withheld(State(c.state), feedback, ended) for c in complaints}


def end_practice(participant: Participant) -> None:
    """The trainee ends their solo practice: the clock stops for good."""
    exercise = participant.exercise
    if exercise.mode != "solo":
        raise DomainError("Sesi ini diakhiri oleh fasilitator.", "mode")
    if not has_ended(exercise):
        change_clock(exercise, ClockKind.SELESAI, participant.name)


def report_card(participant: Participant, as_of: datetime | None = None) -> TraineeScore:
    """The trainee's scores for every report released so far, recomputed from events.

    With `as_of` (naive UTC wall time), the card as it stood then: later events and
    overrides are left out. A frozen leaderboard is computed this way.
    """
    return report_cards(participant.exercise, [participant], as_of)[participant.id]


def report_cards(exercise: Exercise, participants: Sequence[Participant],
                 as_of: datetime | None = None) -> dict[int, TraineeScore]:
    """The report cards of several trainees of one session (participant id -> card).

    Loaded in three statements whatever the number of trainees (their reports, the
    reports' events, the facilitator's rubrics), then scored one trainee at a time.
    """
    version = (exercise.settings or {}).get("scoring_version", SCORING_VERSION)
    if version != SCORING_VERSION:
        raise DomainError(f"Sesi ini dinilai dengan aturan versi {version}, yang tidak dikenal "
                          f"oleh aplikasi ini (versi {SCORING_VERSION}).")
    if not participants:
        return {}
    now = scoring_moment(exercise, as_of)
    late = as_of or datetime.max
    catalogue = get_catalogue(exercise.region_file)
    names = {code: (unit.name, unit.short) for code, unit in catalogue.units.items()}
    ids = [p.id for p in participants]
    complaints = db.session.scalars(
        select(Complaint).options(selectinload(Complaint.events))
        .where(Complaint.participant_id.in_(ids), Complaint.arrived_at <= now)
        .order_by(Complaint.arrived_at, Complaint.id)).all()
    overrides: dict[int, dict[int, int]] = {}
    query = select(ScoreOverride).join(Complaint, ScoreOverride.complaint_id == Complaint.id) \
        .where(Complaint.participant_id.in_(ids))
    if as_of is not None:
        query = query.where(ScoreOverride.wall_at <= as_of)
    for row in db.session.scalars(query.order_by(ScoreOverride.id)):
        overrides.setdefault(row.complaint_id, {})[row.tl_seq] = row.rubric  # latest counts
    by_trainee: dict[int, list[Complaint]] = {pid: [] for pid in ids}
    for complaint in complaints:
        by_trainee[complaint.participant_id].append(complaint)
    settings, sla, calendar = scoring_settings(exercise), sla_of(exercise), calendar_of(exercise)
    cards = {}
    for participant in participants:
        joined = joined_at(participant)
        inputs = [
            ReportInput(
                tracking_no=c.tracking_no, arrived_at=c.arrived_at, key=c.answer_key,
                reporter=c.reporter, unit_names=names,
                # After the planned end nothing counts any more.
                events=[e.to_record() for e in c.events
                        if e.sim_at <= now and e.wall_at <= late],
                admin_unit=catalogue.region.admin_unit, scripted=c.script is not None,
                overrides=overrides.get(c.id, {}), joined_at=joined,
            )
            for c in by_trainee[participant.id]
        ]
        cards[participant.id] = score_trainee(inputs, settings, sla, calendar, now)
    return cards


def override_quality(complaint: Complaint, tl_seq: int | str, rubric: int | str,
                     actor: str) -> ScoreOverride:
    """A facilitator scores one TL 1–5 by rubric; recorded as an event, never overwritten."""
    errors = {}
    try:
        seq = parse_int(tl_seq, "tl", "Tindak lanjut", 0, ID_MAX)
    except ValidationError:
        seq = -1
    if not any(e.seq == seq and e.action == "tindak_lanjut" for e in complaint.events):
        errors["tl"] = "Tindak lanjut yang dinilai tidak ditemukan pada laporan ini."
    try:
        value = parse_int(rubric, "rubric", "Nilai rubrik", 1, 5,
                          message="Nilai rubrik harus 1 sampai 5.")
    except ValidationError as error:
        errors.update(error.errors)
    if errors:
        raise ValidationError(errors)
    row = ScoreOverride(complaint_id=complaint.id, tl_seq=seq, rubric=value, actor=actor,
                        wall_at=wall_now())
    db.session.add(row)
    db.session.flush()
    return row
