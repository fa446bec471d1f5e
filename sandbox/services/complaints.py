"""Reading a trainee's reports and recording actions on them as events.

`record_action` is the only writer of events and of the complaint projection.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from sandbox.domain.errors import DomainError
from sandbox.domain.workflow import (
    EventRecord,
    ReportView,
    State,
    apply,
    parse_action,
    replay,
)
from sandbox.extensions import db
from sandbox.models import Complaint, Event, Participant
from sandbox.services.catalogue import get_catalogue
from sandbox.services.timekeeping import sim_clock, wall_now

IDEM_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class NotFound(DomainError):
    """The report does not exist for this trainee."""


@dataclass(frozen=True)
class ActionResult:
    complaint: Complaint
    event: Event
    duplicate: bool  # True when the idempotency key had already been used


def visible_complaints(participant: Participant, state: State | None = None) -> list[Complaint]:
    """The trainee's reports that have arrived by simulated now, newest first."""
    now = sim_clock(participant.exercise).now()
    query = (select(Complaint)
             .where(Complaint.participant_id == participant.id, Complaint.arrived_at <= now)
             .order_by(Complaint.arrived_at.desc(), Complaint.id.desc()))
    if state is not None:
        query = query.where(Complaint.state == state.value)
    return list(db.session.scalars(query))


def state_counts(participant: Participant) -> Counter[str]:
    now = sim_clock(participant.exercise).now()
    rows = db.session.execute(
        select(Complaint.state, func.count())
        .where(Complaint.participant_id == participant.id, Complaint.arrived_at <= now)
        .group_by(Complaint.state)
    )
    return Counter({state: count for state, count in rows})  # noqa: C416


def get_complaint(participant: Participant, tracking_no: str, *, for_update: bool = False
                  ) -> Complaint:
    """The trainee's own report by tracking number, or NotFound."""
    if not (tracking_no.isascii() and tracking_no.isdigit()) or len(tracking_no) > 20:
        raise NotFound(f"Laporan «{tracking_no[:30]}» tidak ditemukan.")
    query = select(Complaint).where(Complaint.participant_id == participant.id,
                                    Complaint.tracking_no == tracking_no)
    if for_update:
        query = query.with_for_update()
    complaint: Complaint | None = db.session.scalar(query)
    if complaint is None or complaint.arrived_at > sim_clock(participant.exercise).now():
        raise NotFound(f"Laporan #{tracking_no} tidak ditemukan.")
    return complaint


def report_view(complaint: Complaint) -> ReportView:
    """The report's current view, derived from its events."""
    return replay(event.to_record() for event in complaint.events)


def record_action(participant: Participant, tracking_no: str, action_name: str,
                  form: dict[str, Any], idem_key: str | None) -> ActionResult:
    """Validate an action against the report's derived state and append it as one event.

    A repeated `idem_key` returns the event it already recorded instead of a new one.
    """
    if not idem_key or not IDEM_KEY_RE.match(idem_key):
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
    history = [event.to_record() for event in complaint.events]
    directory = get_catalogue(complaint.exercise.region_file).directory
    outcome = apply(replay(history).state, action, form, directory)
    clock = sim_clock(participant.exercise)
    event = Event(
        complaint=complaint, seq=len(history) + 1, action=action.value,
        role=action.role.value, actor=participant.name, payload=outcome.payload,
        state_after=outcome.state.value, sim_at=clock.now(), wall_at=wall_now(),
        idem_key=idem_key,
    )
    db.session.add(event)
    _project(complaint, [*history, event.to_record()])
    db.session.flush()
    return ActionResult(complaint, event, duplicate=False)


def _project(complaint: Complaint, history: list[EventRecord]) -> None:
    view = replay(history)
    complaint.state = view.state.value
    complaint.judul = view.judul
    complaint.unit = view.unit or view.agency

