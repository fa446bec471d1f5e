"""The facilitator's live view: who is handling what, who is stuck, where the room errs.

Cheap enough to poll: one query for the session's reports and their events, and
per report only the workflow replay and its limits (no full scoring).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from sandbox.domain.sla import Zone, limits
from sandbox.domain.workflow import Action, EventRecord, replay
from sandbox.extensions import db
from sandbox.models import Complaint, Exercise, Participant
from sandbox.services.catalogue import get_catalogue
from sandbox.services.timekeeping import calendar_of, clock_state, sim_clock, sla_of, wall_now

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
    last_action: datetime | None = None
    flags: list[str] = field(default_factory=list)

    @property
    def open(self) -> int:
        return self.received - self.handled

    @property
    def accuracy(self) -> float | None:
        return 100 * self.routed_right / self.routed if self.routed else None


@dataclass
class ReportRow:
    """What the room did with one report: the heat map of mistakes."""

    tracking_no: str
    subject: str
    expected: str
    outcomes: Counter[str] = field(default_factory=Counter)
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


def outcome_names(exercise: Exercise) -> dict[str, str]:
    """Unit codes to the short names outcomes are worded with ("Disdik", "Dinas PUPR")."""
    catalogue = get_catalogue(exercise.region_file)
    return {code: unit.short or unit.name for code, unit in catalogue.units.items()}


def dashboard(exercise: Exercise) -> tuple[list[TraineeRow], list[ReportRow]]:
    """Per trainee and per report figures of a session, as of now."""
    now = sim_clock(exercise).now()
    released = now if exercise.clock_changes else datetime.min
    names = outcome_names(exercise)
    calendar, sla = calendar_of(exercise), sla_of(exercise)
    rows = {p.id: TraineeRow(p) for p in exercise.participants}
    reports: dict[str, ReportRow] = {}
    complaints = db.session.scalars(
        select(Complaint).options(selectinload(Complaint.events))
        .where(Complaint.exercise_id == exercise.id, Complaint.arrived_at <= released)
        .order_by(Complaint.arrived_at, Complaint.position))
    wall = wall_now()
    running = clock_state(exercise) == "berjalan"
    for complaint in complaints:
        row = rows[complaint.participant_id]
        events = [e.to_record() for e in complaint.events]
        row.received += 1
        admin = [e for e in complaint.events if e.role in ("admin_instansi",
                                                           "admin_penghubung")]
        if admin:
            row.handled += 1
            last = max(e.wall_at for e in admin)
            row.last_action = max(row.last_action or last, last)
        for status in limits(complaint.arrived_at, events, replay(events).klasifikasi, sla,
                             calendar, now):
            if status.running and status.key != "jendela_pelapor":
                row.yellow += status.zone == Zone.KUNING
                row.red += status.zone == Zone.MERAH
        key = complaint.answer_key
        expected = expected_outcome(key, names)
        report = reports.setdefault(complaint.tracking_no, ReportRow(
            complaint.tracking_no, (complaint.text[:80] + "…") if len(complaint.text) > 80
            else complaint.text, expected))
        done = destination_of(events, names)
        report.outcomes[done or "belum ditangani"] += 1
        if done is not None and key["expected_action"] not in ("arsipkan", "tunda"):
            row.routed += 1
            right = done == expected or any(
                done.endswith(names.get(code, code)) for code in key.get("acceptable_targets")
                or ())
            row.routed_right += right
        report.right += done == expected
    for row in rows.values():
        since = row.last_action or row.participant.created_at
        # Only a running clock makes idleness worth a look: paused, nobody is expected to act.
        if running and wall - since >= IDLE_AFTER:
            row.flags.append(f"tidak aktif {int((wall - since).total_seconds() // 60)} menit")
        if row.red >= MANY_RED:
            row.flags.append(f"{row.red} laporan merah")
    ordered = sorted(rows.values(), key=lambda r: (-len(r.flags), -r.red, r.participant.name))
    return ordered, list(reports.values())
