"""Report cards: load a trainee's reports and events, and score them with the pure domain.

Every card is computed from the event log, with the rules of the scoring version
recorded when the session began. A computed card is kept (`ScoreCard`) with what it was
computed from, so the projector, dashboard and debrief of a room read each trainee's card
instead of rescoring everyone: a card is computed again only after that trainee's next
event, or when time alone changes it (a limit running out, a report arriving).

The card is the exercise's: the reports of a tes awal or tes akhir (domain.learning) are
left out of it here, in `compute_cards`, so every page and export that reads a card
agrees. Each test has its own card (`cards_for_test`), scored by the same rules.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from importlib import resources

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import selectinload

from sandbox.domain.cards import (
    CARD_FORMAT,
    card_from_data,
    card_to_data,
    summary_from_data,
    summary_to_data,
)
from sandbox.domain.disclosure import answer_withheld, feedback_open
from sandbox.domain.errors import DomainError, ValidationError
from sandbox.domain.learning import Phase, phase_of
from sandbox.domain.numbers import ID_MAX, parse_int
from sandbox.domain.scoring import (
    SCORING_VERSION,
    ReportInput,
    ReportScore,
    ScoringSettings,
    Summary,
    TraineeScore,
    score_trainee,
)
from sandbox.domain.session import ClockKind
from sandbox.domain.team import all_theirs, sees
from sandbox.domain.workflow import State
from sandbox.extensions import db
from sandbox.models import Complaint, Event, Exercise, Participant, ScoreCard, ScoreOverride
from sandbox.services.catalogue import get_catalogue
from sandbox.services.roles import answering_unit
from sandbox.services.teams import seat_of
from sandbox.services.timekeeping import (
    calendar_of,
    change_clock,
    has_ended,
    joined_at,
    sim_clock,
    sla_of,
    wall_now,
)
from sandbox.transactions import may_write


def _fingerprint() -> str:
    """A hash of the scoring code (the pure domain): a kept card computed by another
    build of the app is computed again."""
    digest = hashlib.sha256()
    for item in sorted(resources.files("sandbox.domain").iterdir(), key=lambda f: f.name):
        if item.name.endswith(".py"):
            digest.update(item.read_bytes())
    return digest.hexdigest()[:16]


RULES_FINGERPRINT = _fingerprint()


def scoring_settings(exercise: Exercise) -> ScoringSettings:
    values = (exercise.settings or {}).get("scoring")
    return ScoringSettings(**values) if values else ScoringSettings()


def scoring_moment(exercise: Exercise, as_of: datetime | None = None) -> datetime:
    """Simulated "now" for scoring (or at the wall moment `as_of`); the clock never runs past
    the planned end, so neither does scoring."""
    clock = sim_clock(exercise)
    return clock.now() if as_of is None else clock.at(as_of.replace(tzinfo=UTC))


def feedback_now(exercise: Exercise, test: bool = False) -> bool:
    """Whether the trainee may see right/wrong answers yet (scenario setting); `test`: on a
    report of the tes awal or the tes akhir (domain.disclosure: only after the end)."""
    return feedback_open((exercise.settings or {}).get("feedback"), has_ended(exercise), test)


def answers_withheld(exercise: Exercise, complaints: Iterable[Complaint]) -> dict[str, str | None]:
    """For each report (by tracking number), why its answer is hidden from the trainee, or None."""
    feedback, ended = (exercise.settings or {}).get("feedback"), has_ended(exercise)
    return {c.tracking_no: answer_withheld(State(c.state), feedback, ended,
                                           phase_of(c.answer_key) is not None)
            for c in complaints}


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


def _rules(exercise: Exercise) -> str:
    """What a session's cards are scored by, besides its events: the scoring code and the
    session's settings (weights, limits, calendar, region)."""
    return json.dumps([CARD_FORMAT, SCORING_VERSION, RULES_FINGERPRINT, exercise.region_file,
                       exercise.settings or {}], sort_keys=True, default=str)


def _rules_key(exercise: Exercise) -> str:
    return hashlib.sha256(_rules(exercise).encode()).hexdigest()[:16]


def earlier_reports(exercise: Exercise, participant_ids: Sequence[int], now: datetime
                    ) -> dict[int, dict[str, ReportScore]]:
    """The report scores of the trainees' kept cards, stale or not, that a new card may
    reuse (domain.scoring.score_trainee): computed by these rules, no later than `now`."""
    rules = _rules_key(exercise)
    found = {}
    for pid, computed_at, data in db.session.execute(
            select(ScoreCard.participant_id, ScoreCard.computed_at, ScoreCard.card)
            .where(ScoreCard.participant_id.in_(participant_ids))):
        card = card_from_data(data) if data.get("rules") == rules and computed_at <= now \
            else None
        if card is not None:
            found[pid] = {report.tracking_no: report for report in card.reports}
    return found


def card_bases(exercise: Exercise, participants: Sequence[Participant]) -> dict[int, str]:
    """What each trainee's card is computed from now, as a short key (participant id ->
    key): their last event and number of events, their last rubric, when they joined, and
    the rules. Recording an event changes the key: that is the one invalidation."""
    ids = list({p.owner_id for p in participants})  # a team's people share its reports
    events = {pid: (last, count) for pid, last, count in db.session.execute(
        select(Complaint.participant_id, func.max(Event.id), func.count(Event.id))
        .join(Event, Event.complaint_id == Complaint.id)
        .where(Complaint.participant_id.in_(ids)).group_by(Complaint.participant_id))}
    rubrics = dict(db.session.execute(
        select(Complaint.participant_id, func.max(ScoreOverride.id))
        .join(ScoreOverride, ScoreOverride.complaint_id == Complaint.id)
        .where(Complaint.participant_id.in_(ids)).group_by(Complaint.participant_id)).all())
    rules = _rules(exercise)
    return {p.id: hashlib.sha256(json.dumps(
        [events.get(p.owner_id), rubrics.get(p.owner_id), str(joined_at(p)), p.seat, rules]
    ).encode()).hexdigest()[:40] for p in participants}


def _current(kept_basis: str, computed_at: datetime, steady_until: datetime | None,
             basis: str, now: datetime) -> bool:
    """Whether a kept card is still the card of the simulated moment `now`."""
    return kept_basis == basis and computed_at <= now and (
        steady_until is None or now < steady_until)


def _kept_card(row: ScoreCard | None, basis: str, now: datetime) -> TraineeScore | None:
    """The kept card if it is still the card of this moment, else None."""
    if row is None or not _current(row.basis, row.computed_at, row.steady_until, basis, now):
        return None
    return card_from_data(row.card)


def _check_version(exercise: Exercise) -> None:
    version = (exercise.settings or {}).get("scoring_version", SCORING_VERSION)
    if version != SCORING_VERSION:
        raise DomainError(f"Sesi ini dinilai dengan aturan versi {version}, yang tidak dikenal "
                          f"oleh aplikasi ini (versi {SCORING_VERSION}).")


def report_cards(exercise: Exercise, participants: Sequence[Participant],
                 as_of: datetime | None = None) -> dict[int, TraineeScore]:
    """The report cards of several trainees of one session (participant id -> card).

    Now (no `as_of`): each kept card that is still current is read as it is; the others
    are computed, and kept if this transaction may write (an action, the ticker, the
    CLI; a page view never writes). A card for a past moment is always computed.
    """
    _check_version(exercise)
    if not participants:
        return {}
    now = scoring_moment(exercise, as_of)
    if as_of is not None:
        return compute_cards(exercise, participants, now, as_of)[0]
    bases = card_bases(exercise, participants)
    kept = {row.participant_id: row for row in db.session.scalars(
        select(ScoreCard).where(ScoreCard.participant_id.in_(bases)))}
    cards: dict[int, TraineeScore] = {}
    for participant in participants:
        card = _kept_card(kept.get(participant.id), bases[participant.id], now)
        if card is not None:
            cards[participant.id] = card
    return cards | _compute_missing(exercise, participants, cards, bases, now)


def report_summaries(exercise: Exercise, participants: Sequence[Participant],
                     as_of: datetime | None = None) -> dict[int, Summary]:
    """Only the totals of each trainee's card, what a leaderboard needs: kept totals are
    read without the lines of every report."""
    _check_version(exercise)
    if as_of is not None or not participants:
        return {pid: card.summary
                for pid, card in report_cards(exercise, participants, as_of).items()}
    now = scoring_moment(exercise)
    bases = card_bases(exercise, participants)
    found: dict[int, Summary] = {}
    for pid, basis, computed, steady, data in db.session.execute(
            select(ScoreCard.participant_id, ScoreCard.basis, ScoreCard.computed_at,
                   ScoreCard.steady_until, ScoreCard.summary)
            .where(ScoreCard.participant_id.in_(bases))):
        summary = summary_from_data(data) if _current(basis, computed, steady, bases[pid],
                                                       now) else None
        if summary is not None:
            found[pid] = summary
    computed_cards = _compute_missing(exercise, participants, found, bases, now)
    return found | {pid: card.summary for pid, card in computed_cards.items()}


def _compute_missing(exercise: Exercise, participants: Sequence[Participant],
                     found: Mapping[int, object], bases: dict[int, str],
                     now: datetime) -> dict[int, TraineeScore]:
    """Compute the cards of the trainees not in `found`, and keep them if we may write."""
    missing = [p for p in participants if p.id not in found]
    if not missing:
        return {}
    computed, steady = compute_cards(exercise, missing, now, None, earlier_reports(
        exercise, [p.id for p in missing], now))
    if may_write():
        keep_cards(exercise, computed, bases, now, steady)
    return computed


def keep_cards(exercise: Exercise, cards: dict[int, TraineeScore], bases: dict[int, str],
               now: datetime, steady: dict[int, datetime | None]) -> None:
    """Store computed cards, replacing older ones (one statement; safe when several
    processes keep the same trainee's card at once: the last one wins, and both are
    correct for their basis)."""
    table, rules = ScoreCard.__table__, _rules_key(exercise)
    dialect = db.session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(table).values([
        {"participant_id": pid, "basis": bases[pid], "computed_at": now,
         "steady_until": steady[pid], "card": {**card_to_data(card), "rules": rules},
         "summary": summary_to_data(card.summary)}
        for pid, card in cards.items()])
    db.session.execute(statement.on_conflict_do_update(
        index_elements=["participant_id"],
        set_={name: statement.excluded[name]
              for name in ("basis", "computed_at", "steady_until", "card", "summary")}))


def stale_cards(exercise: Exercise, bases: dict[int, str], now: datetime) -> list[int]:
    """The trainees (of `bases`, their current keys) whose kept card is missing or no
    longer the card of the simulated moment `now`."""
    current = {pid for pid, basis, computed, steady in db.session.execute(
        select(ScoreCard.participant_id, ScoreCard.basis, ScoreCard.computed_at,
               ScoreCard.steady_until).where(ScoreCard.participant_id.in_(bases)))
        if _current(basis, computed, steady, bases[pid], now)}
    return [pid for pid in bases if pid not in current]


def cards_for_test(exercise: Exercise, participants: Sequence[Participant], phase: Phase,
                   as_of: datetime | None = None) -> dict[int, TraineeScore]:
    """Each trainee's card of one test (the tes awal's or the tes akhir's reports only),
    computed now (or as of `as_of`, naive UTC wall time) and never kept: a test is a
    handful of reports."""
    _check_version(exercise)
    if not participants:
        return {}
    return compute_cards(exercise, participants, scoring_moment(exercise, as_of), as_of,
                         phase=phase)[0]


def compute_cards(exercise: Exercise, participants: Sequence[Participant], now: datetime,
                  as_of: datetime | None = None,
                  earlier: Mapping[int, Mapping[str, ReportScore]] | None = None,
                  phase: Phase | None = None
                  ) -> tuple[dict[int, TraineeScore], dict[int, datetime | None]]:
    """Score trainees from their events at the simulated `now`: the cards, and until when
    each one stays as it is without a new event (its limits, its next report, its next
    recorded event). `earlier`: reports of their kept cards (earlier_reports), reused
    where nothing of theirs has changed. The exercise's cards leave the test reports out;
    with `phase`, the cards of that test, of its reports only.

    Loaded in four statements whatever the number of trainees (their reports, the
    reports' events, the facilitator's rubrics, the next arrivals).
    """
    late = as_of or datetime.max
    catalogue = get_catalogue(exercise.region_file)
    names = {code: (unit.name, unit.short) for code, unit in catalogue.units.items()}
    ids = list({p.owner_id for p in participants})  # a team's people share its reports
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
    by_owner: dict[int, list[Complaint]] = {pid: [] for pid in ids}
    for complaint in complaints:
        by_owner[complaint.participant_id].append(complaint)
    next_arrival: dict[int, datetime] = dict(db.session.execute(
        select(Complaint.participant_id, func.min(Complaint.arrived_at))
        .where(Complaint.participant_id.in_(ids), Complaint.arrived_at > now)
        .group_by(Complaint.participant_id)).all()) if as_of is None else {}
    settings, sla, calendar = scoring_settings(exercise), sla_of(exercise), calendar_of(exercise)
    cards, steady = {}, {}
    for participant in participants:
        joined, seat = joined_at(participant), seat_of(participant)
        inputs = []
        for c in by_owner[participant.owner_id]:
            if phase_of(c.answer_key) != phase:
                continue  # the exercise and each test are scored apart
            # After the planned end nothing counts any more.
            counted = [e for e in c.events if e.sim_at <= now and e.wall_at <= late]
            records = [e.to_record() for e in counted]
            if seat is not None and not (sees(seat, records) and all_theirs(
                    seat, records, [e.participant_id for e in counted], participant.id)):
                continue  # mode tim: only what reached their seat, and what they handled
            inputs.append(ReportInput(
                tracking_no=c.tracking_no, arrived_at=c.arrived_at, key=c.answer_key,
                reporter=c.reporter, unit_names=names, events=records,
                admin_unit=catalogue.region.admin_unit, scripted=c.script is not None,
                overrides=overrides.get(c.id, {}), joined_at=joined,
                own_unit=answering_unit(participant, records),
                instansi_only=seat is not None and seat.is_instansi,
            ))
        card = cards[participant.id] = score_trainee(
            inputs, settings, sla, calendar, now, (earlier or {}).get(participant.id))
        coming = [e.sim_at for c in by_owner[participant.owner_id] for e in c.events
                  if e.sim_at > now]
        moments = [m for m in (card.steady_until, next_arrival.get(participant.owner_id),
                               *coming) if m is not None]
        steady[participant.id] = min(moments, default=None)
    return cards, steady


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
