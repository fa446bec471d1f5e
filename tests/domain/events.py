"""Building event records by hand for the pure SLA and simulation tests."""

from __future__ import annotations

from datetime import datetime

from sandbox.domain.workflow import Action, EventRecord


def ev(action: str, sim_at: datetime, **payload: object) -> EventRecord:
    """One event of `action` at a simulated moment (its sequence number is set by `seq`)."""
    kind = Action(action)
    return EventRecord(seq=0, action=kind, role=kind.role, actor="uji", payload=payload,
                       sim_at=sim_at, wall_at=sim_at)


def seq(*events: EventRecord) -> list[EventRecord]:
    """The events numbered 1, 2, 3, ... in the order given."""
    return [EventRecord(i, e.action, e.role, e.actor, e.payload, e.sim_at, e.wall_at)
            for i, e in enumerate(events, 1)]
