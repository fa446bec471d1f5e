"""The leaderboard of a workshop: live, or frozen at the moment the facilitator froze it.

Standings come from each trainee's report card (the event log, scored by the domain).
Scoring a room of 60 costs about two seconds, so standings are memoised per process
under a key that changes whenever anything they depend on changes: a new event, a
new rubric override, a new participant, or (live boards only) a 10-second tick of the
wall clock, since limits age with time. A second worker computes its own copy; the
memo holds nothing a worker needs, only what it can recompute.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from sandbox.extensions import db
from sandbox.models import Complaint, Event, Exercise, Participant, ScoreOverride
from sandbox.services.attendance import counted
from sandbox.services.scoring import report_summaries
from sandbox.services.session_log import frozen_since, last_of
from sandbox.services.teams import is_team_mode
from sandbox.services.timekeeping import wall_now

METRICS = {"total": "Nilai total", "akurasi": "Akurasi", "kecepatan": "Kecepatan"}
LIVE_TICK = 10  # seconds a live board may be reused when nothing else changed
REVEAL_FRESH = timedelta(seconds=90)  # a projector opened this soon after a reveal animates it


@dataclass(frozen=True)
class Standing:
    participant_id: int
    number: int  # "Peserta 7": order of joining, stable for the whole session
    name: str
    unit_name: str
    cohort: str | None
    total: float
    accuracy: float
    speed: float
    reports: int
    handled: int

    def value(self, metric: str) -> float:
        return {"total": self.total, "akurasi": self.accuracy, "kecepatan": self.speed}[metric]


@dataclass(frozen=True)
class CohortRow:
    name: str
    members: int
    value: float  # the cohort's mean of the chosen metric


@dataclass(frozen=True)
class Board:
    metric: str
    rows: list[tuple[int, Standing]]  # (rank, standing), best first; ties share a rank
    everyone: int
    cohorts: list[CohortRow]
    frozen_at: datetime | None
    reveal_seq: int | None  # the latest reveal in the session log
    reveal_fresh: bool  # that reveal happened moments ago: animate it


def participant_numbers(exercise: Exercise) -> dict[int, int]:
    """Participant id -> their number in the session, in the order they joined."""
    ordered = sorted(exercise.participants, key=lambda p: (p.created_at, p.id))
    return {p.id: n for n, p in enumerate(ordered, 1)}


_MEMO_SIZE = 64
_memo_lock = threading.Lock()


def _memo() -> OrderedDict[tuple[object, ...], list[Standing]]:
    """This app's memo (each app has its own database, so its own memo)."""
    memo: OrderedDict[tuple[object, ...], list[Standing]] = \
        current_app.extensions.setdefault("lapor.standings", OrderedDict())
    return memo


def standings(exercise: Exercise, as_of: datetime | None = None,
              include_inactive: bool = False) -> list[Standing]:
    """Every counted trainee's figures now, or as they stood at the wall moment `as_of`.

    Who counts is services.attendance.counted: the absent and the idle only if included.
    """
    key = (*_memo_key(exercise, as_of), include_inactive)
    memo = _memo()
    with _memo_lock:
        if key in memo:
            memo.move_to_end(key)
            return memo[key]
    numbers = participant_numbers(exercise)
    result = []
    # Joined after the freeze: not on the frozen board.
    shown = [p for p in counted(exercise, include_inactive, as_of)
             if as_of is None or p.created_at <= as_of]
    people = {p.id: p.unit_name for p in shown}
    if is_team_mode(exercise):
        # Mode tim: the board ranks teams (people in different seats are scored on
        # different things); a team with someone counted in it, with its people's names.
        sitting: dict[int, list[str]] = {}
        for person in shown:
            if person.team_id is not None:
                sitting.setdefault(person.team_id, []).append(person.name)
        shown = [team for team in exercise.teams if team.id in sitting]
        numbers = {team.id: n for n, team in enumerate(exercise.teams, 1)}
        people = {team.id: ", ".join(sitting[team.id]) for team in shown}
    summaries = report_summaries(exercise, shown, as_of)
    for participant in shown:
        summary = summaries[participant.id]
        result.append(Standing(
            participant.id, numbers[participant.id], participant.name, people[participant.id],
            participant.cohort, summary.total_pct, summary.accuracy_pct, summary.speed_pct,
            summary.reports, summary.handled))
    with _memo_lock:
        memo[key] = result
        while len(memo) > _MEMO_SIZE:
            memo.popitem(last=False)
    return result


def _memo_key(exercise: Exercise, as_of: datetime | None) -> tuple[object, ...]:
    """Changes whenever the standings could: events, overrides, participants, time."""
    last_event = db.session.scalar(
        select(func.max(Event.id)).join(Complaint).where(Complaint.exercise_id == exercise.id))
    last_override = db.session.scalar(
        select(func.max(ScoreOverride.id)).join(Complaint)
        .where(Complaint.exercise_id == exercise.id))
    people = db.session.scalar(select(func.count(Participant.id))
                               .where(Participant.exercise_id == exercise.id))
    clock = tuple((c.kind, c.wall_at, c.rate) for c in exercise.clock_changes)
    # Attendance facts: a hide, removal, merge or first sign-in changes who is on the board.
    attendance = tuple((p.id, p.first_seen_at, p.hidden_at, p.removed_at, p.merged_into_id)
                       for p in exercise.participants)
    if as_of is not None:
        # Nothing recorded later counts, but an override may still be added to an old TL.
        return (exercise.id, exercise.code, "as_of", as_of, last_override, people, attendance,
                clock)
    tick = int(wall_now().timestamp()) // LIVE_TICK
    return (exercise.id, exercise.code, "live", tick, last_event, last_override, people,
            attendance, clock)


def board(exercise: Exercise, metric: str = "total", top: int | None = None,
          include_inactive: bool = False) -> Board:
    """The leaderboard to project: frozen standings while frozen, else live ones."""
    metric = metric if metric in METRICS else "total"
    frozen_at = frozen_since(exercise)
    rows = standings(exercise, frozen_at, include_inactive)
    ordered = sorted(rows, key=lambda s: (-round(s.value(metric), 1), s.name.casefold()))
    ranked: list[tuple[int, Standing]] = []
    for index, standing in enumerate(ordered):
        tied = ranked and round(ranked[-1][1].value(metric), 1) == round(standing.value(metric), 1)
        ranked.append((ranked[-1][0] if tied else index + 1, standing))
    cohorts: dict[str, list[float]] = {}
    for standing in rows:
        if standing.cohort:
            cohorts.setdefault(standing.cohort, []).append(standing.value(metric))
    cohort_rows = sorted((CohortRow(name, len(values), sum(values) / len(values))
                          for name, values in cohorts.items()),
                         key=lambda c: (-c.value, c.name.casefold()))
    reveal = last_of(exercise, ("ungkap",))
    fresh = reveal is not None and frozen_at is None and \
        wall_now() - reveal.wall_at <= REVEAL_FRESH
    return Board(metric, ranked[:top] if top else ranked, len(ranked), cohort_rows, frozen_at,
                 reveal.seq if reveal is not None else None, fresh)
