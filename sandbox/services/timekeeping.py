"""The injected wall clock, and each exercise's working-day clock derived from stored facts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import current_app

from sandbox.domain.clock import (
    Calendar,
    ClockChange,
    WallClock,
    WorkdayClock,
    format_hk,
    planned_end,
    rate_for,
)
from sandbox.domain.errors import DomainError, ValidationError
from sandbox.domain.numbers import parse_decimal
from sandbox.domain.session import (
    SOLO_COMMANDS,
    ClockCommand,
    ClockKind,
    SessionError,
    SessionState,
    check_speed_change,
    decide,
    parse_command,
    session_state,
    state_text,
)
from sandbox.domain.sla import SlaSettings
from sandbox.extensions import db
from sandbox.models import ClockChange as ClockChangeRow
from sandbox.models import Exercise, Participant


def wall_clock() -> WallClock:
    clock: WallClock = current_app.extensions["lapor.clock"]
    return clock


@contextmanager
def staged_wall_clock(clock: WallClock) -> Iterator[None]:
    """Run the app on `clock` until the block ends: for staging a session's past.

    The demo plays simulated trainees through the ordinary services while a ManualClock
    walks from some minutes ago up to now, so every fact is stored with the wall time it
    would have had. The wall clock is app-wide: never use this while requests are served.
    """
    previous = current_app.extensions["lapor.clock"]
    current_app.extensions["lapor.clock"] = clock
    try:
        yield
    finally:
        current_app.extensions["lapor.clock"] = previous


def wall_now() -> datetime:
    """The current wall time as naive UTC, the form it is stored in."""
    return wall_clock().now().astimezone(UTC).replace(tzinfo=None)


def calendar_settings(calendar: Calendar) -> dict[str, Any]:
    """A calendar as JSON-ready settings for Exercise.settings."""
    return {"office_start": calendar.office_start.strftime("%H:%M"),
            "office_end": calendar.office_end.strftime("%H:%M"),
            "holidays": sorted(d.isoformat() for d in calendar.holidays)}


def calendar_of(exercise: Exercise) -> Calendar:
    settings = exercise.settings or {}
    if "office_start" not in settings:
        return Calendar()
    return Calendar(office_start=time.fromisoformat(settings["office_start"]),
                    office_end=time.fromisoformat(settings["office_end"]),
                    holidays=frozenset(date.fromisoformat(d) for d in settings["holidays"]))


def sla_of(exercise: Exercise) -> SlaSettings:
    values = (exercise.settings or {}).get("sla")
    return SlaSettings(**values) if values else SlaSettings()


def schedule_speed(exercise: Exercise) -> float | None:
    """The real minutes per HK the session's schedule was expanded at, fixed at creation.

    Whatever speed the clock runs at later, every participant's reports are expanded at
    this one, so a latecomer gets the same tracking numbers at the same simulated moments.
    None for a session without a scenario speed (free practice).
    """
    value = (exercise.settings or {}).get("minutes_per_hk")
    return float(value) if value else None


def exercise_end(exercise: Exercise) -> datetime | None:
    """The simulated moment the scenario's planned duration runs out, if it has one."""
    duration, speed = (exercise.settings or {}).get("duration_minutes"), schedule_speed(exercise)
    if not duration or not speed:
        return None
    return planned_end(calendar_of(exercise), exercise.sim_start_at, duration, speed)


def sim_clock(exercise: Exercise) -> WorkdayClock:
    """The exercise's simulated clock; every process computes the same "now" from these rows.

    It stops by itself at the planned end (exercise_end).
    """
    changes = tuple(ClockChange(row.wall_at.replace(tzinfo=UTC), row.rate)
                    for row in exercise.clock_changes)
    return WorkdayClock(calendar_of(exercise), exercise.sim_start_at, changes, wall_clock(),
                        until=exercise_end(exercise))


def joined_at(participant: Participant) -> datetime | None:
    """When a latecomer joined, in simulated time (sla.limit_start starts their limits
    there); None for whoever was there when the clock started, or never came."""
    exercise, seen = participant.exercise, participant.first_seen_at
    if seen is None or not exercise.clock_changes:
        return None
    clock = sim_clock(exercise)
    moment = clock.at(seen.replace(tzinfo=UTC))
    return moment if moment > clock.calendar.next_working_moment(exercise.sim_start_at) else None


def time_is_up(exercise: Exercise) -> bool:
    """The clock reached the planned end and stopped by itself ("Waktu latihan habis")."""
    return sim_clock(exercise).time_up()


SOLO_SPEEDS = (0.25, 0.5, 1, 2, 4, 8, 15, 30, 60)  # real minutes per HK a solo trainee may pick


def has_ended(exercise: Exercise) -> bool:
    """Ended by hand (the end button), or by the clock at the planned end."""
    return clock_state(exercise) == SessionState.BERAKHIR


def clock_state(exercise: Exercise) -> SessionState:
    """The session's state (lobi, berjalan, dijeda, berakhir), derived from its clock changes
    and, for the end, from the clock having reached the planned end."""
    return session_state((change.kind for change in exercise.clock_changes),
                         time_up=time_is_up(exercise))


@dataclass(frozen=True)
class SessionStatus:
    """What every screen says of a session's clock, computed once per page."""

    state: SessionState
    time_up: bool  # stopped by itself at the planned end
    now: datetime  # simulated
    ends_at: datetime | None  # simulated planned end, if the scenario has one
    remaining: timedelta | None  # working time left until the planned end
    calendar: Calendar

    @property
    def label(self) -> str:
        return state_text(self.state, time_up=self.time_up)

    @property
    def ended(self) -> bool:
        return self.state == SessionState.BERAKHIR

    @property
    def paused(self) -> bool:
        return self.state == SessionState.DIJEDA

    def minutes_left(self, minutes_per_hk: float) -> int:
        """Real minutes until the planned end if the clock keeps running at this speed."""
        if self.remaining is None:
            return 0
        return round(self.calendar.in_hk(self.remaining) * minutes_per_hk)

    def remaining_text(self) -> str | None:
        """"sisa 1 HK 2 jam" until the planned end, while the session is not over."""
        if self.remaining is None or self.ended:
            return None
        return f"sisa {format_hk(self.remaining, self.calendar)}"


def session_status(exercise: Exercise) -> SessionStatus:
    clock = sim_clock(exercise)
    time_up = clock.time_up()
    now = clock.now()
    state = session_state((change.kind for change in exercise.clock_changes), time_up=time_up)
    remaining = None if clock.until is None else clock.calendar.working_between(now, clock.until)
    return SessionStatus(state, time_up, now, clock.until, remaining, clock.calendar)


def command_clock(exercise: Exercise, command: ClockCommand | str, actor: str,
                  minutes: str | None = None) -> None:
    """Start, pause, resume, re-speed or end, as the session's table decides
    (domain.session.decide): a command already in effect changes nothing, one that does
    not fit the state is refused with a SessionError.

    Every command that changes something is also appended to the session's log.
    """
    from sandbox.services.session_log import log_control  # the log reads this module's clock

    command = parse_command(command)
    if command == ClockCommand.KECEPATAN:  # a studi komparasi keeps one speed
        check_speed_change(speed_locked(exercise))
    step = decide(clock_state(exercise), command, time_up=time_is_up(exercise))
    if not step.effective:
        return
    if command == ClockCommand.KECEPATAN:
        speed = _solo_speed(minutes)
        if step.change is not None:
            change_clock(exercise, step.change, actor, speed)
        else:
            exercise.speed = speed  # takes effect when the clock runs
        log_control(exercise, command.value, actor, {"menit_per_hk": speed})
        return
    if step.change is not None:
        change_clock(exercise, step.change, actor)
    log_control(exercise, command.value, actor)


def speed_locked(exercise: Exercise) -> bool:
    """Whether the session's speed is locked (a studi komparasi session)."""
    return bool((exercise.settings or {}).get("kunci_kecepatan"))


def _solo_speed(minutes: str | None) -> float:
    """One of SOLO_SPEEDS, or a DomainError on the speed field."""
    try:
        speed: float | None = parse_decimal(minutes or "", "speed", "Kecepatan",
                                            min(SOLO_SPEEDS), max(SOLO_SPEEDS))
    except ValidationError:
        speed = None
    if speed is None or speed not in SOLO_SPEEDS:
        raise DomainError("Kecepatan tidak dikenal: pilih salah satu dari daftar.", "speed")
    return speed


def control_solo_clock(participant: Participant, command: str, minutes: str | None) -> None:
    """A solo trainee pauses, resumes or re-speeds their own clock."""
    if participant.exercise.mode != "solo":
        raise DomainError("Jam sesi ini diatur oleh fasilitator.", "mode")
    if parse_command(command) not in SOLO_COMMANDS:
        raise SessionError("Perintah jam ini tidak tersedia untuk latihan mandiri.")
    command_clock(participant.exercise, command, participant.name, minutes)


def change_clock(exercise: Exercise, kind: ClockKind | str, actor: str,
                 minutes_per_hk: float | None = None) -> ClockChangeRow:
    """Record a start, pause, resume, speed change or the end; the clock derives from these
    rows. Callers decide first (domain.session.decide) whether the change fits the state."""
    kind = ClockKind(kind)
    calendar = calendar_of(exercise)
    if kind.stops:  # a pause, or the end: the clock stands still
        rate = 0.0
    else:
        if minutes_per_hk is not None:
            exercise.speed = minutes_per_hk
        rate = rate_for(calendar, exercise.speed)
    row = ClockChangeRow(exercise=exercise, kind=kind.value, rate=rate, wall_at=wall_now(),
                         actor=actor)
    db.session.add(row)
    db.session.flush()
    return row
