"""What the room sees of a session's clock: the projector's clock and countdown, and the
scenario notes the facilitator reads, restated at the speed the clock runs at now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sandbox.domain.clock import ClockChange, rate_for, wall_elapsed_until
from sandbox.domain.notes import restate_speed
from sandbox.domain.session import SessionState
from sandbox.models import Exercise
from sandbox.services.timekeeping import SessionStatus, sim_clock, wall_now


@dataclass(frozen=True)
class RoomClock:
    """The projector's clock, as of the request; the page ticks it on between polls."""

    state: SessionState
    now: datetime  # simulated, local to the region
    day_number: int  # HK ke-…
    rate: float  # simulated seconds per real second now; 0 while the clock stands
    tick_until: datetime  # the page may tick up to here (the day's close, or the end)
    seconds_left: int | None  # real seconds to the planned end at the current speed

    @property
    def open_for_joining(self) -> bool:
        return self.state.open_for_joining


def room_clock(exercise: Exercise, status: SessionStatus) -> RoomClock:
    """The simulated time, the HK it falls on and the real time left, from one status."""
    clock = sim_clock(exercise)
    calendar = status.calendar
    running = status.state == SessionState.BERJALAN
    rate = clock.changes[-1].rate if running and clock.changes else 0.0
    at_speed = rate or rate_for(calendar, exercise.speed)
    seconds_left = None
    if status.remaining is not None and not status.ended:
        seconds_left = round(status.remaining.total_seconds() / at_speed)
    tick_until = calendar.day_end(status.now)
    if status.ends_at is not None:
        tick_until = min(tick_until, status.ends_at)
    return RoomClock(status.state, status.now,
                     calendar.day_number(exercise.sim_start_at, status.now), rate,
                     tick_until, seconds_left)


@dataclass(frozen=True)
class ScenarioNote:
    """A note for the facilitator: when it comes, in simulated time and in real minutes."""

    at: datetime  # simulated
    text: str  # with "N HK = M menit" at the current speed
    minute: int | None  # real minutes from the start («menit ke-12»); None if unknown
    past: bool


def scenario_notes(exercise: Exercise, status: SessionStatus) -> list[ScenarioNote]:
    """The scenario's notes as the facilitator reads them now: every "N HK = M menit" at
    the current speed, and the real minute each note's moment comes (came, for one already
    passed; for one ahead, if the clock runs on from now at the current speed)."""
    calendar = status.calendar
    start = calendar.next_working_moment(exercise.sim_start_at)
    changes = [ClockChange(row.wall_at.replace(tzinfo=UTC), row.rate)
               for row in exercise.clock_changes]
    speed_rate = 0.0 if status.ended else rate_for(calendar, exercise.speed)
    if status.paused:  # count the notes ahead as if the clock ran on from now
        changes.append(ClockChange(wall_now().replace(tzinfo=UTC), speed_rate))
    notes = []
    for raw in (exercise.settings or {}).get("notes", []):
        at = datetime.fromisoformat(raw["at"])
        elapsed = wall_elapsed_until(changes, calendar.working_between(start, at), speed_rate)
        minute = None if elapsed is None else round(elapsed / timedelta(minutes=1))
        notes.append(ScenarioNote(at, restate_speed(raw["text"], exercise.speed), minute,
                                  at <= status.now))
    return notes
