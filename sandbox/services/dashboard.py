"""The facilitator's live view: who is handling what, who is stuck, where the room errs.

Cheap enough to poll: one query for the session's reports and their events, and
per report only the workflow replay and its limits (no full scoring).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from sandbox.domain.attendance import Trouble, severity
from sandbox.domain.clock import Calendar
from sandbox.domain.decisions import (
    DECISIONS,
    NOT_HANDLED,
    DecisionJudgement,
    Verdict,
    judge_decision,
    judge_receipt,
)
from sandbox.domain.identity import report_exposures
from sandbox.domain.session import SessionState
from sandbox.domain.sla import SlaSettings, Zone, limits, own_limits
from sandbox.domain.team import INSTANSI_SEAT, Seat, answered_unit, sees
from sandbox.domain.workflow import HELD_STATES, Action, EventRecord, Role, replay
from sandbox.extensions import db
from sandbox.models import Complaint, Event, Exercise, Participant
from sandbox.services.attendance import counted
from sandbox.services.catalogue import get_catalogue
from sandbox.services.roles import is_opd
from sandbox.services.scoring import scoring_settings
from sandbox.services.teams import seat_of
from sandbox.services.timekeeping import (
    calendar_of,
    clock_state,
    joined_at,
    sim_clock,
    sla_of,
    wall_now,
)

IDLE_AFTER = timedelta(minutes=5)  # real time without any action: flagged as idle
MANY_RED = 3  # this many reports past a limit: flagged


@dataclass
class TraineeRow:
    participant: Participant
    received: int = 0
    handled: int = 0
    yellow: int = 0
    red: int = 0
    routed: int = 0
    routed_right: int = 0
    exposed: int = 0  # reports whose reporter's identity the trainee exposed
    last_action: datetime | None = None
    flags: list[str] = field(default_factory=list)
    severity: float = 0.0  # domain.attendance.severity: "Perhatian" is ordered by it

    @property
    def open(self) -> int:
        return self.received - self.handled

    @property
    def accuracy(self) -> float | None:
        return 100 * self.routed_right / self.routed if self.routed else None


@dataclass
class ReportRow:
    """What the room did with one report: the heat map of mistakes.

    `outcomes` counts each outcome as worded by `destination_of`, with its verdict.
    """

    tracking_no: str
    subject: str
    expected: str
    outcomes: Counter[tuple[str, Verdict]] = field(default_factory=Counter)
    right: int = 0

    @property
    def total(self) -> int:
        return sum(self.outcomes.values())


def destination_of(events: list[EventRecord], names: dict[str, str]) -> str | None:
    """Where the report ended up, in the words of the debrief ("ke Dinas PUPR", "diarsipkan")."""
    for event in reversed(events):
        if event.action == Action.VERIFIKASI:
            return f"ke {names.get(str(event.payload.get('unit')), '?')}"
        if event.action == Action.KELOLA_SENDIRI:
            return "dikelola sendiri"
        if event.action == Action.BUKAN_WEWENANG:
            return f"diteruskan ke {names.get(str(event.payload.get('instansi')), '?')}"
        if event.action == Action.ARSIPKAN:
            return "diarsipkan"
        if event.action == Action.TUNDA:
            return "ditunda"
    return None


def expected_outcome(key: Mapping[str, Any], names: dict[str, str]) -> str:
    """The right outcome, worded like `destination_of`."""
    action = key["expected_action"]
    target = key.get("expected_target")
    if action in ("disposisi", "tunda"):
        return f"ke {names.get(target or '', target or '?')}"
    if action == "bukan_wewenang":
        return f"diteruskan ke {names.get(target or '', target or '?')}"
    if action == "kelola_sendiri":
        return "dikelola sendiri"
    return "diarsipkan"


@dataclass(frozen=True)
class DecisionJudge:
    """Judges decisions of one session as its report cards do: the same unit names,
    «kelola sendiri» unit and cost of re-disposing (domain.decisions.judge_decision)."""

    unit_names: Mapping[str, Sequence[str]]
    admin_unit: str
    redispose_cost: float

    def __call__(self, key: Mapping[str, Any], events: Sequence[EventRecord]
                 ) -> DecisionJudgement:
        return judge_decision(key, events, unit_names=self.unit_names,
                              admin_unit=self.admin_unit, redispose_cost=self.redispose_cost)


def decision_judge(exercise: Exercise) -> DecisionJudge:
    """The judge of this session's decisions."""
    catalogue = get_catalogue(exercise.region_file)
    return DecisionJudge({code: (unit.name, unit.short) for code, unit in
                          catalogue.units.items()}, catalogue.region.admin_unit,
                         scoring_settings(exercise).redispose_cost)


def outcome_names(exercise: Exercise) -> dict[str, str]:
    """Unit codes to the short names outcomes are worded with ("Disdik", "Dinas PUPR")."""
    catalogue = get_catalogue(exercise.region_file)
    return {code: unit.short or unit.name for code, unit in catalogue.units.items()}


RECEIPT_OUTCOMES = {"kembalikan": "dikembalikan", "tindak_lanjut": "ditindaklanjuti"}


def _receiving_end(row: TraineeRow, reports: dict[str, ReportRow], complaint: _Report,
                   events: list[EventRecord], unit: str, names: dict[str, tuple[str]],
                   sla: SlaSettings, calendar: Calendar, now: datetime,
                   joined: datetime | None) -> None:
    """Mode OPD: one report of an admin penghubung, as far as it reached their OPD. The
    room's rows are per position in the schedule (every trainee has their own OPD's
    reports, but the wrong dispositions come at the same positions for everyone)."""
    receipt = judge_receipt(complaint.answer_key, events, unit, unit_names=names)
    if receipt is None:
        return  # not yet disposed to them: they have not seen it
    row.received += 1
    mine = [e for e in complaint.events if e.role == "admin_penghubung"]
    if mine:
        row.handled += 1
        last = max(e.wall_at for e in mine)
        row.last_action = max(row.last_action or last, last)
    for status in own_limits(events, unit, sla, calendar, now, joined_at=joined):
        if status.running:
            row.yellow += status.zone == Zone.KUNING
            row.red += status.zone == Zone.MERAH
    row.exposed += bool(report_exposures(events, complaint.reporter, complaint.answer_key))
    if receipt.response is not None:
        row.routed += 1
        row.routed_right += receipt.verdict == Verdict.TEPAT
    kind = "disposisi keliru" if receipt.wrong else "disposisi tepat"
    report = reports.setdefault(f"{complaint.position}:{kind}", ReportRow(
        "", f"Laporan ke-{complaint.position} ({kind}) — tiap peserta "
        "menerima laporan OPD-nya sendiri", "dikembalikan" if receipt.wrong
        else "ditindaklanjuti"))
    report.outcomes[RECEIPT_OUTCOMES.get(receipt.did, NOT_HANDLED), receipt.verdict] += 1
    report.right += receipt.verdict == Verdict.TEPAT


@dataclass
class _Report:
    """What the dashboard reads of one report: plain rows, no ORM objects (a room has
    hundreds of reports and thousands of events, polled every few seconds)."""

    participant_id: int
    position: int
    tracking_no: str
    text: str
    answer_key: dict[str, Any]
    reporter: dict[str, Any]
    arrived_at: datetime
    events: list[EventRecord] = field(default_factory=list)
    authors: list[int | None] = field(default_factory=list)  # who recorded each event


def _reports_of(exercise: Exercise, released: datetime) -> list[_Report]:
    """The session's released reports with their events, in two statements."""
    found = {row.id: _Report(row.participant_id, row.position, row.tracking_no, row.text,
                             row.answer_key, row.reporter, row.arrived_at)
             for row in db.session.execute(
                 select(Complaint.id, Complaint.participant_id, Complaint.position,
                        Complaint.tracking_no, Complaint.text, Complaint.answer_key,
                        Complaint.reporter, Complaint.arrived_at)
                 .where(Complaint.exercise_id == exercise.id, Complaint.arrived_at <= released)
                 .order_by(Complaint.arrived_at, Complaint.position))}
    for row in db.session.execute(
            select(Event.complaint_id, Event.seq, Event.action, Event.role, Event.actor,
                   Event.payload, Event.sim_at, Event.wall_at, Event.participant_id)
            .join(Complaint, Event.complaint_id == Complaint.id)
            .where(Complaint.exercise_id == exercise.id, Complaint.arrived_at <= released)
            .order_by(Event.complaint_id, Event.seq)):
        found[row.complaint_id].events.append(EventRecord(
            row.seq, Action(row.action), Role(row.role), row.actor, row.payload, row.sim_at,
            row.wall_at))
        found[row.complaint_id].authors.append(row.participant_id)
    return list(found.values())


def _seat_row(row: TraineeRow, complaint: _Report, seat: Seat, sla: SlaSettings,
              calendar: Calendar, now: datetime, joined: datetime | None) -> None:
    """Mode tim: one shared report as one person of the team sees it: only if it reached
    their seat; handled once they acted on it; the limits their role answers for."""
    events = complaint.events
    if not sees(seat, events):
        return
    row.received += 1
    mine = [e for e, by in zip(events, complaint.authors, strict=True)
            if by == row.participant.id]
    if mine:
        row.handled += 1
        last = max(e.wall_at for e in mine)
        row.last_action = max(row.last_action or last, last)
    unit = answered_unit(seat, events)
    view = replay(events)
    kept = view.state in HELD_STATES and view.unit is None  # the Admin Instansi answers it
    statuses = own_limits(events, unit, sla, calendar, now, joined_at=joined) \
        if unit is not None else [s for s in limits(
            complaint.arrived_at, events, view.klasifikasi, sla, calendar, now,
            joined_at=joined) if kept or s.key == "verifikasi"]
    for status in statuses:
        if status.running:
            row.yellow += status.zone == Zone.KUNING
            row.red += status.zone == Zone.MERAH
    theirs = {e.seq for e in mine}
    row.exposed += any(x.seq in theirs for x in report_exposures(
        events, complaint.reporter, complaint.answer_key))


def _room_outcome(row: TraineeRow, reports: dict[str, ReportRow], complaint: _Report,
                  names: dict[str, str], judge: DecisionJudge, first: bool = False) -> None:
    """The decision on one report: into the room's heat map, and the deciding trainee's
    routing accuracy (reports whose destination they have decided: not those still
    waiting on a tunda, nor those the key wants archived). With `first` (mode tim) the
    Admin Instansi's first decision, before any OPD returned it: where the relay began."""
    key, events = complaint.answer_key, complaint.events
    if first:
        decided = next((i for i, e in enumerate(events) if e.action in DECISIONS), None)
        events = events if decided is None else events[:decided + 1]
    report = reports.setdefault(complaint.tracking_no, ReportRow(
        complaint.tracking_no, (complaint.text[:80] + "…") if len(complaint.text) > 80
        else complaint.text, expected_outcome(key, names)))
    judged = judge(key, events)
    report.outcomes[destination_of(events, names) or NOT_HANDLED, judged.verdict] += 1
    report.right += judged.verdict == Verdict.TEPAT
    if judged.routing is not None and judged.did != NOT_HANDLED and not judged.pending:
        row.routed += 1
        row.routed_right += bool(judged.routed_exactly)


def dashboard(exercise: Exercise, include_inactive: bool = False
              ) -> tuple[list[TraineeRow], list[ReportRow]]:
    """Per trainee and per report figures of a session, as of now.

    Only counted trainees (services.attendance.counted) have a row or add to the heat map:
    the absent and the idle only when the facilitator includes them.
    """
    now = sim_clock(exercise).now()
    released = now if exercise.clock_changes else datetime.min
    names = outcome_names(exercise)
    judge = decision_judge(exercise)
    calendar, sla = calendar_of(exercise), sla_of(exercise)
    rows = {p.id: TraineeRow(p) for p in counted(exercise, include_inactive)}
    joined = {pid: joined_at(row.participant) for pid, row in rows.items()}
    reports: dict[str, ReportRow] = {}
    complaints = _reports_of(exercise, released)
    wall = wall_now()
    running = clock_state(exercise) == SessionState.BERJALAN
    opd = is_opd(exercise)
    receipt_names = {code: (name,) for code, name in names.items()}  # for judge_receipt
    in_team: dict[int, list[TraineeRow]] = {}  # mode tim: a team's people, by the team
    for row in rows.values():
        if row.participant.team_id is not None:
            in_team.setdefault(row.participant.team_id, []).append(row)
    teams = {team.id: team for team in exercise.teams}
    for complaint in complaints:
        if complaint.participant_id in teams:
            people = in_team.get(complaint.participant_id, [])
            for row in people:
                seat = seat_of(row.participant)
                if seat is not None:
                    _seat_row(row, complaint, seat, sla, calendar, now,
                              joined[row.participant.id])
            # The team's decision, once per team: the Admin Instansi's routing, whether a
            # person or a simulated teammate made it.
            decider = next((row for row in people if row.participant.seat == INSTANSI_SEAT),
                           TraineeRow(teams[complaint.participant_id]))
            _room_outcome(decider, reports, complaint, names, judge, first=True)
            continue
        if complaint.participant_id not in rows:
            continue  # not counted: absent, idle, hidden, removed or merged
        row = rows[complaint.participant_id]
        events = complaint.events
        unit = row.participant.unit_code if opd else None
        if unit is not None:
            _receiving_end(row, reports, complaint, events, unit, receipt_names, sla, calendar, now,
                           joined[complaint.participant_id])
            continue
        row.received += 1
        admin = [e for e in complaint.events if e.role in ("admin_instansi",
                                                           "admin_penghubung")]
        if admin:
            row.handled += 1
            last = max(e.wall_at for e in admin)
            row.last_action = max(row.last_action or last, last)
        for status in limits(complaint.arrived_at, events, replay(events).klasifikasi, sla,
                             calendar, now, joined_at=joined[complaint.participant_id]):
            if status.running and status.key != "jendela_pelapor":
                row.yellow += status.zone == Zone.KUNING
                row.red += status.zone == Zone.MERAH
        row.exposed += bool(report_exposures(events, complaint.reporter,
                                             complaint.answer_key))
        _room_outcome(row, reports, complaint, names, judge)
    for row in rows.values():
        since = row.last_action or row.participant.created_at
        idle = int((wall - since).total_seconds() // 60)
        # Only a running clock makes idleness worth a look: paused, nobody is expected to act.
        if running and wall - since >= IDLE_AFTER:
            row.flags.append(f"tidak aktif {idle} menit")
        if row.exposed:
            row.flags.append(f"identitas pelapor terbuka di {row.exposed} laporan")
        if row.red >= MANY_RED:
            row.flags.append(f"{row.red} laporan merah")
        row.severity = severity(Trouble(row.red, row.exposed, row.routed, row.routed_right,
                                        idle if running and wall - since >= IDLE_AFTER else 0))
    # Worst first: how badly someone is doing, not how many flags they have.
    ordered = sorted(rows.values(), key=lambda r: (-r.severity, -len(r.flags),
                                                   r.participant.name.casefold(),
                                                   r.participant.id))
    return ordered, list(reports.values())
