"""The ticker: records the scripted reporters' (and the system's) events as they fall due.

Reads never write, so a reporter's reply is recorded here, a few seconds after its
simulated moment has come (the event carries that moment, not the tick's), and before
any action on the same report (services.complaints.record_action settles first).
Each tick then computes the stale report cards of the live workshops (see
services.scoring), so a room's projector and dashboard read cards instead of scoring. Each
report keeps when its script acts next (Complaint.due_at), so a tick is one indexed
query per session with something pending. Several server processes may tick at once:
each report is locked while it is settled and its events' keys are unique, so nothing is
recorded twice.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from sandbox.extensions import db
from sandbox.models import ClockChange, Complaint, Exercise
from sandbox.services.complaints import settle
from sandbox.services.scoring import (
    card_bases,
    compute_cards,
    earlier_reports,
    keep_cards,
    scoring_moment,
    stale_cards,
)
from sandbox.services.timekeeping import has_ended, sim_clock, wall_now
from sandbox.transactions import reading

TICK_SECONDS = 2.0
log = logging.getLogger(__name__)


def pending_sessions() -> list[int]:
    """Sessions with a report whose script still has something to do."""
    with reading():
        ids = list(db.session.scalars(select(Complaint.exercise_id)
                                      .where(Complaint.due_at.is_not(None)).distinct()))
        db.session.commit()  # ends the read (a caller's flushed work is kept, not lost)
    return ids


def tick_session(exercise: Exercise) -> int:
    """Record what has fallen due in one session by its simulated now; flushes, never
    commits. An ended session's reports that can never fall due are let go."""
    if not exercise.clock_changes:
        return 0
    now = sim_clock(exercise).now()
    ended = has_ended(exercise)
    due = db.session.scalars(
        select(Complaint).options(selectinload(Complaint.events))
        .where(Complaint.exercise_id == exercise.id, Complaint.due_at <= now)
        .order_by(Complaint.id).with_for_update())
    recorded = sum(settle(complaint, now, final=ended) for complaint in due)
    if ended:
        db.session.execute(update(Complaint).where(Complaint.exercise_id == exercise.id,
                                                   Complaint.due_at > now).values(due_at=None))
    db.session.flush()
    return recorded


def due_in(exercise_id: int) -> bool:
    """Whether a session has something due now: a read, so an idle tick takes no lock."""
    with reading():
        exercise = db.session.get(Exercise, exercise_id)
        found = exercise is not None and bool(exercise.clock_changes) and db.session.scalar(
            select(Complaint.id).where(Complaint.exercise_id == exercise_id,
                                       Complaint.due_at <= sim_clock(exercise).now())
            .limit(1)) is not None
        ended = exercise is not None and has_ended(exercise)
        db.session.commit()  # ends the read (a caller's flushed work is kept, not lost)
    return found or ended


def tick() -> int:
    """One tick over every session: each one with something due is settled and committed
    in its own short write transaction. Returns how many events were recorded."""
    recorded = 0
    for exercise_id in pending_sessions():
        if not due_in(exercise_id):
            continue
        exercise = db.session.get(Exercise, exercise_id)
        if exercise is None:
            continue
        recorded += tick_session(exercise)
        db.session.commit()
    return recorded


LIVE_WINDOW = timedelta(hours=12)  # a workshop whose clock changed this recently is live


def live_workshops() -> list[int]:
    """Workshops a projector or dashboard may be watching: clock started or changed lately."""
    since = wall_now() - LIVE_WINDOW
    with reading():
        ids = list(db.session.scalars(
            select(Exercise.id).where(Exercise.mode == "workshop", Exercise.id.in_(
                select(ClockChange.exercise_id).where(ClockChange.wall_at >= since)))))
        db.session.commit()
    return ids


def refresh_cards(exercise_id: int) -> int:
    """Compute the session's stale report cards in a read, then keep them in one short
    write: the room's boards then read cards instead of scoring. Returns how many."""
    with reading():
        exercise = db.session.get(Exercise, exercise_id)
        # Each trainee's card, and in mode tim each team's.
        participants = [*exercise.participants, *exercise.teams] if exercise is not None \
            else []
        if exercise is None or not participants:
            db.session.commit()
            return 0
        now = scoring_moment(exercise)
        bases = card_bases(exercise, participants)
        stale = stale_cards(exercise, bases, now)
        if stale:
            cards, steady = compute_cards(exercise, [p for p in participants if p.id in stale],
                                          now, earlier=earlier_reports(exercise, stale, now))
        db.session.commit()  # ends the read (a caller's flushed work is kept, not lost)
    if stale:
        keep_cards(exercise, cards, bases, now, steady)
        db.session.commit()
    return len(stale)


def tick_cards() -> int:
    """Refresh the stale cards of every live workshop; returns how many were computed."""
    return sum(refresh_cards(exercise_id) for exercise_id in live_workshops())


def start_ticker(app: Any, seconds: float = TICK_SECONDS) -> threading.Thread:
    """Tick every `seconds` in a daemon thread of this server process."""

    def run() -> None:
        while True:
            time.sleep(seconds)
            with app.app_context():
                try:
                    tick()
                    tick_cards()
                except Exception:  # keep ticking: a failed tick is retried on the next
                    log.exception("ticker: a tick failed")
                    db.session.rollback()
                finally:
                    db.session.remove()

    thread = threading.Thread(target=run, name="lapor-ticker", daemon=True)
    thread.start()
    return thread
