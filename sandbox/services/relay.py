"""Mode tim made visible: each team's reports as a flow (who holds what, for how long),
and each report's path across people in plain words, for the dashboard and the debrief.

Derived from the event log through domain.team (holder, stretches, hand-offs); nothing
here is stored.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from sandbox.domain.clock import Calendar, format_hk
from sandbox.domain.team import (
    INSTANSI_LABEL,
    INSTANSI_SEAT,
    OUTSIDE,
    REPORTER,
    Seat,
    describe_stretch,
    end_to_end_hk,
    hand_offs,
    holder,
    seat_of_unit,
    stretches,
)
from sandbox.domain.workflow import replay
from sandbox.extensions import db
from sandbox.models import Complaint, Exercise, Participant
from sandbox.services.teams import members, team_seats, unit_names
from sandbox.services.timekeeping import calendar_of, sim_clock

SIMULATED = "rekan simulasi"


@dataclass(frozen=True)
class SeatRow:
    label: str
    person: str | None  # None: a simulated teammate plays it


@dataclass(frozen=True)
class FlowReport:
    tracking_no: str
    position: int
    text: str
    status: str
    holder: str  # who holds it now, in words ("" once closed)
    waiting_hk: float | None  # how long with that holder so far (None once closed)
    waiting: str | None  # the same as admins say it ("2 HK 3 jam")
    hand_offs: int
    end_to_end_hk: float | None  # arrival to selesai
    path: list[str]  # each stretch in plain words, with who held it
    closed: bool  # selesai, archived or forwarded outside the Pemda


@dataclass
class TeamFlow:
    team: Participant
    seats: list[SeatRow]
    reports: list[FlowReport] = field(default_factory=list)

    @property
    def hand_offs(self) -> int:
        return sum(r.hand_offs for r in self.reports)

    @property
    def closed(self) -> int:
        return sum(r.closed for r in self.reports)

    @property
    def selesai(self) -> int:
        return sum(r.end_to_end_hk is not None for r in self.reports)

    @property
    def median_hk(self) -> float | None:
        done = [r.end_to_end_hk for r in self.reports if r.end_to_end_hk is not None]
        return statistics.median(done) if done else None

    @property
    def longest(self) -> list[str]:
        """The longest waits of the team's reports, in plain words (at most three)."""
        waits = sorted(((r.waiting_hk or 0.0, f"#{r.tracking_no}: {r.path[-1]}")
                        for r in self.reports if r.path and r.waiting_hk is not None),
                       reverse=True)
        return [text for hk, text in waits[:3] if hk > 0]


PERSON = "peserta"  # a seat's person while names are hidden (a debrief on the projector)


def holder_names(exercise: Exercise, people: list[Participant], named: bool = True
                 ) -> dict[str, str]:
    """How each holder of a team's report is named: the Admin Instansi and each OPD with
    the person in its seat (`named`; else only "peserta") or "rekan simulasi", OPDs
    outside the team as simulated."""
    seats = team_seats(exercise)
    names = unit_names(exercise)
    sitting = {p.seat: p.name if named else PERSON for p in people}
    result = {INSTANSI_SEAT: f"{INSTANSI_LABEL} ({sitting.get(INSTANSI_SEAT, SIMULATED)})"}
    for code, name in names.items():
        seat = seat_of_unit(seats, code)
        who = sitting.get(seat.code, SIMULATED) if seat is not None else \
            "OPD di luar tim, simulasi"
        result[code] = f"{name} ({who})"
    return result


def team_flows(exercise: Exercise, now: datetime | None = None, named: bool = True,
               only: Participant | None = None) -> list[TeamFlow]:
    """Every team's reports released so far (or only team `only`'s), each with where it
    is and its path (with the names of the people in the seats, unless not `named`)."""
    teams = [only] if only is not None else list(exercise.teams)
    if not teams or not exercise.clock_changes:
        return []
    now = now or sim_clock(exercise).now()
    calendar, seats = calendar_of(exercise), team_seats(exercise)
    complaints = db.session.scalars(
        select(Complaint).options(selectinload(Complaint.events))
        .where(Complaint.participant_id.in_([t.id for t in teams]),
               Complaint.arrived_at <= now)
        .order_by(Complaint.position, Complaint.id))
    flows = {}
    for team in teams:
        people = members(team)
        flows[team.id] = (TeamFlow(team, _seat_rows(exercise, seats, people, named)),
                          holder_names(exercise, people, named))
    for complaint in complaints:
        flow, names = flows[complaint.participant_id]
        flow.reports.append(_flow_report(complaint, seats, names, calendar, now))
    return [flow for flow, _ in flows.values()]


def _seat_rows(exercise: Exercise, seats: tuple[Seat, ...], people: list[Participant],
               named: bool) -> list[SeatRow]:
    sitting = {p.seat: p.name if named else PERSON for p in people}
    names = unit_names(exercise)
    return [SeatRow(seat.label(names), sitting.get(seat.code)) for seat in seats]


def _flow_report(complaint: Complaint, seats: tuple[Seat, ...], names: dict[str, str],
                 calendar: Calendar, now: datetime) -> FlowReport:
    records = [e.to_record() for e in complaint.events if e.sim_at <= now]
    view = replay(records)
    path = stretches(records, complaint.arrived_at, calendar, now)
    current = path[-1] if path and path[-1].end is None else None
    seat = holder(view, seats)
    if seat is None:
        where = ""
    elif current is not None and current.holder == REPORTER:
        where = "Pelapor (menunggu tanggapannya)"
    elif seat == OUTSIDE or (view.unit and seat != INSTANSI_SEAT):
        where = names.get(view.unit or "", str(view.unit))
    else:
        where = names[INSTANSI_SEAT]
    return FlowReport(
        tracking_no=complaint.tracking_no, position=complaint.position,
        # The Admin Instansi's neutral title once it has one: the board may be projected,
        # and the reporter's own words can name them.
        text=view.judul or ((complaint.text[:70] + "…") if len(complaint.text) > 70
                            else complaint.text),
        status=view.state.label, holder=where,
        waiting_hk=current.hk if current is not None else None,
        waiting=format_hk(current.worked, calendar) if current is not None else None,
        hand_offs=hand_offs(records),
        end_to_end_hk=end_to_end_hk(records, complaint.arrived_at, calendar),
        path=[describe_stretch(s, names, calendar) for s in path],
        closed=view.state.is_closed)
