"""Reading a trainee's reports and recording actions on them as events.

`record_action` is the only writer of events and of the complaint projection.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, exists, func, select
from sqlalchemy.orm import selectinload

from sandbox.domain.errors import CatalogueError, DomainError
from sandbox.domain.request_keys import is_form_key
from sandbox.domain.session import check_may_act
from sandbox.domain.simulation import Instansi, ReporterScript, due_events, next_scripted
from sandbox.domain.sla import LimitStatus, limits, own_limits
from sandbox.domain.team import check_conflict, seat_actor, sees
from sandbox.domain.team import check_holds as check_seat_holds
from sandbox.domain.team import holds as seat_holds
from sandbox.domain.teammate import INSTANSI_KEY, Crew, teammate_name
from sandbox.domain.teammate import NAME as TEAMMATE_NAME
from sandbox.domain.workflow import (
    Action,
    Actor,
    EventRecord,
    ReportView,
    Role,
    State,
    apply,
    apply_recorded,
    check_actor,
    check_holds,
    holds,
    parse_action,
    replay,
    trainee_actor,
)
from sandbox.extensions import db
from sandbox.models import Complaint, Event, Participant, SessionEvent
from sandbox.services.catalogue import get_catalogue
from sandbox.services.roles import answering_unit, own_unit
from sandbox.services.session_log import BROADCAST_KINDS
from sandbox.services.teams import crew_of, seat_of, team_seats
from sandbox.services.timekeeping import (
    calendar_of,
    session_status,
    sim_clock,
    sla_of,
    wall_now,
)


class NotFound(DomainError):
    """The report does not exist for this trainee."""


@dataclass(frozen=True)
class ActionResult:
    complaint: Complaint
    event: Event
    duplicate: bool  # True when the idempotency key had already been used


def released_until(participant: Participant) -> datetime:
    """Reports that arrived by this simulated moment are visible; before a workshop starts
    (no clock change yet), none are."""
    exercise = participant.exercise
    if not exercise.clock_changes:
        return datetime.min
    return sim_clock(exercise).now()


def _visible(participant: Participant) -> list[Any]:
    """Which of the trainee's reports they may see: those arrived by simulated now; in
    mode OPD only those the simulated Admin Instansi has disposed to their OPD (a report's
    first event there is that disposition); in mode tim their team's, of which `_seen`
    keeps what their seat sees."""
    conditions = [Complaint.participant_id == participant.owner_id,
                  Complaint.arrived_at <= released_until(participant)]
    if seat_of(participant) is None and own_unit(participant) is not None:
        conditions.append(exists().where(Event.complaint_id == Complaint.id))
    return conditions


def _seen(participant: Participant, complaints: Sequence[Complaint]) -> list[Complaint]:
    """Of a team's reports, those the person's seat sees (domain.team.sees: an admin
    penghubung only what was ever disposed to their OPDs); all in other modes."""
    seat = seat_of(participant)
    if seat is None or seat.is_instansi:
        return list(complaints)
    return [c for c in complaints if sees(seat, [e.to_record() for e in c.events])]


def visible_complaints(participant: Participant, state: State | None = None) -> list[Complaint]:
    """The trainee's reports that have arrived by simulated now (see _visible), newest first.

    A read: the scripted reporters' events are recorded by the ticker (services.ticker)
    and before each action, never here.
    """
    query = (select(Complaint).options(selectinload(Complaint.events))
             .where(*_visible(participant))
             .order_by(Complaint.arrived_at.desc(), Complaint.id.desc()))
    if state is not None:
        query = query.where(Complaint.state == state.value)
    return _seen(participant, db.session.scalars(query).all())


@dataclass(frozen=True)
class PageVersion:
    """Everything a trainee's page shows depends on, in two parts a poll compares apart.

    `content`: the trainee's last event, the reports released so far, the session's
    state and the simulated hour (limits and the clock are shown to the hour's precision
    that matters: "sisa 1 HK 3 jam"). Two pages with the same content look the same.
    `message`: the number of the last broadcast or clearing in the session's log (0 when
    none, and always in free practice).
    """

    content: str
    message: int

    @property
    def text(self) -> str:
        """The version as the pulse sends it back: `<content>.<message>`."""
        return f"{self.content}.{self.message}"

    def changes_since(self, seen: str) -> tuple[bool, bool]:
        """(content changed, message changed) since the version text `seen` (anything
        unreadable counts as both)."""
        content, _, message = seen.rpartition(".")
        return content != self.content, message != str(self.message)


# The version's numbers in one statement of indexed lookups, built once (a poll runs it
# every few seconds for every trainee).
_VERSION_NUMBERS = select(
    select(func.max(Event.id)).join(Complaint, Event.complaint_id == Complaint.id)
    .where(Complaint.participant_id == bindparam("participant")).scalar_subquery(),
    select(func.count()).select_from(Complaint)
    .where(Complaint.participant_id == bindparam("participant"),
           Complaint.arrived_at <= bindparam("now")).scalar_subquery(),
    select(func.max(SessionEvent.seq))
    .where(SessionEvent.exercise_id == bindparam("exercise"),
           SessionEvent.kind.in_(BROADCAST_KINDS)).scalar_subquery(),
)


def page_version(participant: Participant) -> PageVersion:
    """The trainee's page version, read in one statement."""
    exercise = participant.exercise
    now = released_until(participant)
    last_event, released, message = db.session.execute(_VERSION_NUMBERS, {
        "participant": participant.owner_id, "now": now, "exercise": exercise.id}).one()
    state = session_status(exercise).state
    hour = now.strftime("%Y%m%d%H") if now != datetime.min else "0"
    return PageVersion(f"{last_event or 0}.{released}.{state.value}.{hour}",
                       (message or 0) if exercise.mode == "workshop" else 0)


def state_counts(participant: Participant) -> Counter[str]:
    seat = seat_of(participant)
    if seat is not None and not seat.is_instansi:  # only what their seat sees
        return Counter(c.state for c in visible_complaints(participant))
    rows = db.session.execute(
        select(Complaint.state, func.count()).where(*_visible(participant))
        .group_by(Complaint.state)
    )
    return Counter({state: count for state, count in rows})  # noqa: C416


def get_complaint(participant: Participant, tracking_no: str, *, for_update: bool = False
                  ) -> Complaint:
    """The trainee's own report by tracking number, or NotFound."""
    if not (tracking_no.isascii() and tracking_no.isdigit()) or len(tracking_no) > 20:
        raise NotFound(f"Laporan «{tracking_no[:30]}» tidak ditemukan.")
    query = select(Complaint).where(*_visible(participant),
                                    Complaint.tracking_no == tracking_no)
    if for_update:
        query = query.with_for_update()
    complaint: Complaint | None = db.session.scalar(query)
    if complaint is None or not _seen(participant, [complaint]):
        raise NotFound(f"Laporan #{tracking_no} tidak ditemukan.")
    return complaint


def open_complaint(participant: Participant, tracking_no: str) -> Complaint:
    """A report to show (a read: nothing is recorded or locked)."""
    return get_complaint(participant, tracking_no)


def settle(complaint: Complaint, now: datetime, *, final: bool = False) -> int:
    """Append the scripted reporter or system events due by `now`; return how many.

    Called only where a transaction may write: by the ticker and before an action. The
    keys are derived from the report and position, so two processes settling the same
    report at once cannot both record an event. `final`: the session's clock will never
    pass `now` (it has ended), so nothing later will fall due either.
    """
    if complaint.script is None:
        complaint.due_at = None
        return 0
    history = [event.to_record() for event in complaint.events]
    crew = _crew(complaint)
    due = due_events(history, _script(complaint), sla_of(complaint.exercise),
                     calendar_of(complaint.exercise), _tunda_answer(complaint), now,
                     reporter=complaint.reporter, key=complaint.answer_key,
                     instansi=_instansi(complaint), crew=crew)
    for planned in due:
        actor, name = SCRIPTED_BY[planned.action.role]
        if crew is not None and actor == Actor.REKAN:
            name = teammate_name(crew, history)
        _append(complaint, history, planned.action, planned.payload, actor, name,
                planned.sim_at, f"auto-{complaint.id}-{len(history) + 1}", crew)
    if not due:  # else the last _append has set it
        complaint.due_at = _next_due(complaint, history, crew)
    if final and complaint.due_at is not None and complaint.due_at > now:
        complaint.due_at = None
    return len(due)


# Who records a scripted event of each role, and the name it is shown under.
SCRIPTED_BY: dict[Role, tuple[Actor, str]] = {
    Role.SISTEM: (Actor.NASKAH, "Sistem"),
    Role.PELAPOR: (Actor.NASKAH, "Pelapor (simulasi)"),
    Role.ADMIN_INSTANSI: (Actor.REKAN, TEAMMATE_NAME),
    Role.ADMIN_PENGHUBUNG: (Actor.REKAN, "Admin Penghubung (simulasi)"),
}


def _script(complaint: Complaint) -> ReporterScript:
    """The report's simulated reporter (its script without the teammate's plan)."""
    script = dict(complaint.script or {})
    script.pop(INSTANSI_KEY, None)
    return ReporterScript.from_dict(script)


def _instansi(complaint: Complaint) -> Instansi | None:
    """Mode OPD: the simulated Admin Instansi that disposes the report to the trainee."""
    plan = (complaint.script or {}).get(INSTANSI_KEY)
    if not plan:
        return None
    return Instansi(plan, complaint.arrived_at, _title(complaint))


def _title(complaint: Complaint) -> str:
    """The neutral title a simulated Admin Instansi gives a report: its topic's."""
    try:
        return get_catalogue(complaint.exercise.region_file).topic(
            str(complaint.answer_key.get("topic"))).title
    except CatalogueError:  # a topic renamed since: the report keeps a plain title
        return "Laporan masyarakat"


def _crew(complaint: Complaint) -> Crew | None:
    """Mode tim: the simulated teammates of the report's team (services.teams)."""
    if complaint.script is None or not complaint.participant.is_team:
        return None
    return crew_of(complaint, _title(complaint))


def _tunda_answer(complaint: Complaint) -> str:
    return str(complaint.answer_key.get("tunda_answer") or "")


def _next_due(complaint: Complaint, history: list[EventRecord], crew: Crew | None
              ) -> datetime | None:
    """When the script acts next on this report (simulated), or None: what the ticker
    looks for (Complaint.due_at)."""
    if complaint.script is None:
        return None
    planned = next_scripted(history, _script(complaint), sla_of(complaint.exercise),
                            calendar_of(complaint.exercise), _tunda_answer(complaint),
                            reporter=complaint.reporter, key=complaint.answer_key,
                            instansi=_instansi(complaint), crew=crew)
    return None if planned is None else planned.sim_at


def limits_of(complaint: Complaint, now: datetime, joined: datetime | None,
              viewer: Participant) -> list[LimitStatus]:
    """The report's working-day limits now (verification, first TL, completion, window)
    as `viewer` answers for them; `joined`: the trainee's timekeeping.joined_at, where a
    latecomer's limits start."""
    exercise = complaint.exercise
    records = [event.to_record() for event in complaint.events]
    unit = answering_unit(viewer, records)
    if unit is not None:  # mode OPD or a team's penghubung: the admin penghubung's limit
        return own_limits(records, unit, sla_of(exercise), calendar_of(exercise), now,
                          joined_at=joined)
    return limits(complaint.arrived_at, records, replay(records).klasifikasi, sla_of(exercise),
                  calendar_of(exercise), now, joined_at=joined)


def report_view(complaint: Complaint) -> ReportView:
    """The report's current view, derived from its events."""
    return replay(event.to_record() for event in complaint.events)


def actor_on(participant: Participant, complaint: Complaint) -> Actor:
    """Who the trainee is on this report: never the reporter a scenario's script plays;
    in mode OPD only the admin penghubung of their OPD; in mode tim their seat's role."""
    seat = seat_of(participant)
    if seat is not None:
        return seat_actor(seat)
    return trainee_actor(scripted=complaint.script is not None,
                         own_unit=own_unit(participant))


def record_action(participant: Participant, tracking_no: str, action_name: str,
                  form: dict[str, Any], idem_key: str | None, seen: int | None = None
                  ) -> ActionResult:
    """Validate an action against the report's derived state and append it as one event.

    The trainee acts as `actor_on(participant, complaint)`: an action of a role they do
    not play (the scripted reporter's, the system's) is refused with a RoleError, and
    nothing is recorded. A repeated `idem_key` returns the event it already recorded
    instead of a new one. In mode tim `seen` is how many events the report had when the
    person loaded it: a teammate's action since is a ConflictError (domain.team).
    """
    if not is_form_key(idem_key):
        raise DomainError("Formulir tidak lengkap (kunci formulir hilang). Muat ulang halaman "
                          "lalu kirim lagi.")
    complaint = get_complaint(participant, tracking_no, for_update=True)
    existing = db.session.scalar(select(Event).where(Event.idem_key == idem_key))
    if existing is not None:
        if existing.complaint_id != complaint.id:
            raise DomainError("Kunci formulir sudah dipakai untuk laporan lain. "
                              "Muat ulang halaman.")
        return ActionResult(complaint, existing, duplicate=True)

    action = parse_action(action_name)
    actor = actor_on(participant, complaint)
    check_actor(actor, action)  # before anything is settled or looked at
    exercise = participant.exercise
    # Only while the clock runs: not paused, not after the end (by hand or by the clock).
    status = session_status(exercise)
    check_may_act(status.state, time_up=status.time_up, solo=exercise.mode == "solo")
    now = status.now
    settle(complaint, now)  # what the reporter did before this moment comes first
    history = [event.to_record() for event in complaint.events]
    seat = seat_of(participant)
    if seat is not None:  # mode tim: nobody's decision overwritten, and still theirs?
        check_conflict(history, seen, [e.participant_id for e in complaint.events],
                       participant.id)
        check_seat_holds(replay(history), seat, team_seats(exercise))
    else:
        check_holds(replay(history), own_unit(participant))  # mode OPD: still their OPD's?
    directory = get_catalogue(complaint.exercise.region_file).directory
    outcome = apply(replay(history).state, action, form, directory, actor=actor)
    event = _append(complaint, history, action, outcome.payload, actor, participant.name, now,
                    idem_key, _crew(complaint), participant)
    return ActionResult(complaint, event, duplicate=False)


def _append(complaint: Complaint, history: list[EventRecord], action: Action,
            payload: dict[str, Any], actor: Actor, name: str, sim_at: datetime,
            idem_key: str, crew: Crew | None = None, by: Participant | None = None) -> Event:
    """Add one event after `history` and update the projection; the only writer of both.

    `actor` must play the action's role (the one writer refuses anyone else's action).
    """
    check_actor(actor, action)
    state_after = apply_recorded(replay(history).state, action, payload)
    event = Event(
        complaint=complaint, seq=len(history) + 1, action=action.value, role=action.role.value,
        actor=name, payload=payload, state_after=state_after.value, sim_at=sim_at,
        wall_at=wall_now(), idem_key=idem_key, participant_id=by.id if by else None,
    )
    db.session.add(event)
    history.append(event.to_record())
    view = replay(history)
    complaint.state = view.state.value
    complaint.judul = view.judul
    complaint.unit = view.unit or view.agency
    complaint.due_at = _next_due(complaint, history, crew)
    db.session.flush()
    return event


def holds_now(viewer: Participant, view: ReportView) -> bool:
    """Whether the report is in `viewer`'s hands now (always, in individual mode)."""
    seat = seat_of(viewer)
    if seat is not None:
        return seat_holds(view, seat, team_seats(viewer.exercise))
    return holds(view, own_unit(viewer))
