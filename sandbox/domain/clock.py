"""Time, injected: the only module that reads the real clock; and working-day arithmetic.

Wall time is timezone-aware UTC. Simulated time is a naive datetime in the
region's local time (WIB, WITA or WIT), which is how the UI shows it. In a
scenario only working time passes: office hours on working days, minus holidays.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol


class WallClock(Protocol):
    def now(self) -> datetime:
        """The current real time, timezone-aware UTC."""
        ...


class SystemClock:
    """The real clock. Nothing else in the code base calls datetime.now()."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A wall clock that only moves when told to: for tests and scripted demos."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 3, 2, 1, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, **delta: float) -> None:
        """Move the clock forward by a timedelta's keyword arguments."""
        self._now += timedelta(**delta)

    def set(self, moment: datetime) -> None:
        self._now = moment


# ----------------------------------------------------------- working days


@dataclass(frozen=True)
class Calendar:
    """Office hours, working weekdays (0 = Monday) and holidays of the simulated year."""

    office_start: time = time(8, 0)
    office_end: time = time(16, 0)
    workdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    holidays: frozenset[date] = frozenset()

    @property
    def day_length(self) -> timedelta:
        """The working time of one HK (hari kerja)."""
        return (datetime.combine(date.min, self.office_end)
                - datetime.combine(date.min, self.office_start))

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.workdays and day not in self.holidays

    def _next_working_day(self, day: date) -> date:
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def next_working_moment(self, moment: datetime) -> datetime:
        """`moment` itself if it is within office hours of a working day, else the next opening."""
        day = moment.date()
        if self.is_working_day(day):
            opening = datetime.combine(day, self.office_start)
            if moment < opening:
                return opening
            if moment < datetime.combine(day, self.office_end):
                return moment
        return datetime.combine(self._next_working_day(day), self.office_start)

    def add_working(self, moment: datetime, amount: timedelta) -> datetime:
        """The moment after `amount` of working time has passed from `moment`."""
        if amount < timedelta(0):
            raise ValueError("working time to add must not be negative")
        current = self.next_working_moment(moment)
        while True:
            closing = datetime.combine(current.date(), self.office_end)
            if amount <= closing - current:
                return current + amount
            amount -= closing - current
            current = datetime.combine(self._next_working_day(current.date()),
                                       self.office_start)

    def add_hk(self, moment: datetime, days: float) -> datetime:
        """The moment `days` HK after `moment`."""
        return self.add_working(moment, self.day_length * days)

    def working_between(self, start: datetime, end: datetime) -> timedelta:
        """Working time in the interval [start, end); zero if end is not after start."""
        total = timedelta(0)
        if end <= start:
            return total
        day = start.date()
        while day <= end.date():
            if self.is_working_day(day):
                opening = max(start, datetime.combine(day, self.office_start))
                closing = min(end, datetime.combine(day, self.office_end))
                if closing > opening:
                    total += closing - opening
            day += timedelta(days=1)
        return total

    def in_hk(self, amount: timedelta) -> float:
        """A working-time span as a number of HK."""
        return amount / self.day_length

    def day_number(self, start: datetime, moment: datetime) -> int:
        """Which HK of the exercise `moment` falls on, counting the first working day as 1."""
        first, day, number = self.next_working_moment(start).date(), moment.date(), 1
        while first < day:
            first = self._next_working_day(first)
            number += 1
        return number

    def day_end(self, moment: datetime) -> datetime:
        """When the working day `moment` lies in closes: the simulated clock jumps from there."""
        return datetime.combine(self.next_working_moment(moment).date(), self.office_end)


def format_hk(amount: timedelta, calendar: Calendar) -> str:
    """Working time the way admins say it: "1 HK 3 jam", "4 jam 20 menit", "15 menit"."""
    minutes = max(0, int(amount.total_seconds() // 60))
    day_minutes = int(calendar.day_length.total_seconds() // 60)
    days, rest = divmod(minutes, day_minutes)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} HK")
    if hours:
        parts.append(f"{hours} jam")
    if mins and not days:
        parts.append(f"{mins} menit")
    return " ".join(parts) or "0 menit"


@dataclass(frozen=True)
class ClockChange:
    """From `wall_at` on, simulated working time runs `rate` times faster than real time.

    A rate of 0 is a pause. The first change of a session is its start.
    """

    wall_at: datetime
    rate: float


def working_elapsed(changes: Sequence[ClockChange], wall_moment: datetime) -> timedelta:
    """Simulated working time that has passed by `wall_moment`, from the stored changes."""
    elapsed = timedelta(0)
    ordered = sorted(changes, key=lambda c: c.wall_at)  # stable: same-moment changes keep order
    for change, following in zip(ordered, [*ordered[1:], None][:len(ordered)], strict=True):
        if change.wall_at >= wall_moment:
            break
        until = wall_moment if following is None else min(following.wall_at, wall_moment)
        elapsed += (until - change.wall_at) * change.rate
    return elapsed


def wall_elapsed_until(changes: Sequence[ClockChange], working: timedelta,
                       rate_after: float) -> timedelta | None:
    """Real time from the first change (the start) until `working` simulated working time
    has passed: read off the stored changes, and after the last one at `rate_after` (the
    speed the clock would run at now). None when that rate is zero."""
    ordered = sorted(changes, key=lambda c: c.wall_at)
    if not ordered:
        return working / rate_after if rate_after > 0 else None
    done = timedelta(0)
    for change, following in zip(ordered, [*ordered[1:], None], strict=True):
        if following is None:
            break
        span = (following.wall_at - change.wall_at) * change.rate
        if change.rate > 0 and done + span >= working:
            return change.wall_at - ordered[0].wall_at + (working - done) / change.rate
        done += span
    last = ordered[-1]
    rate = last.rate if last.rate > 0 else rate_after
    if rate <= 0:
        return None
    return last.wall_at - ordered[0].wall_at + (working - done) / rate


@dataclass(frozen=True)
class WorkdayClock:
    """A session's simulated clock, derived only from stored facts.

    Every process that reads the same start and changes agrees on "now"; a restart
    loses nothing because nothing lives in memory. With `until` (the scenario's planned
    end) the clock stops by itself there: simulated time never passes it.
    """

    calendar: Calendar
    sim_start: datetime
    changes: tuple[ClockChange, ...]
    wall: WallClock
    until: datetime | None = None

    def now(self) -> datetime:
        return self.at(self.wall.now())

    def at(self, wall_moment: datetime) -> datetime:
        """The simulated time at a wall moment (never after `until`)."""
        start = self.calendar.next_working_moment(self.sim_start)
        moment = self.calendar.add_working(start, working_elapsed(self.changes, wall_moment))
        return moment if self.until is None else min(moment, self.until)

    def time_up(self) -> bool:
        """Whether the planned end has come: the clock has stopped by itself."""
        return self.until is not None and bool(self.changes) and self.now() >= self.until

    @property
    def paused(self) -> bool:
        return not self.changes or self.changes[-1].rate == 0  # changes are in order


def planned_end(calendar: Calendar, sim_start: datetime, duration_minutes: float,
                minutes_per_hk: float) -> datetime:
    """The simulated moment a scenario's planned duration runs out.

    The duration is in real minutes at the scenario's own speed (`minutes_per_hk`, the one
    its schedule was expanded at), so the end is fixed in simulated time: running the
    clock faster or slower changes when it comes in real time, not where it is.
    """
    start = calendar.next_working_moment(sim_start)
    return calendar.add_working(start, calendar.day_length * (duration_minutes / minutes_per_hk))


def rate_for(calendar: Calendar, minutes_per_hk: float) -> float:
    """The clock rate that makes one HK pass in `minutes_per_hk` real minutes."""
    return calendar.day_length / timedelta(minutes=minutes_per_hk)


TIMEZONE_OFFSETS = {"WIB": 7, "WITA": 8, "WIT": 9}

HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)


def format_tanggal(moment: datetime, *, with_day: bool = True, with_time: bool = True,
                   zone: str | None = None) -> str:
    """Indonesian calendar text, e.g. "Kamis, 5 Maret 2026 10:14 WITA"."""
    text = f"{moment.day} {BULAN[moment.month - 1]} {moment.year}"
    if with_day:
        text = f"{HARI[moment.weekday()]}, {text}"
    if with_time:
        text = f"{text} {moment:%H:%M}"
        if zone:
            text = f"{text} {zone}"
    return text


def to_local(wall_moment: datetime, zone: str) -> datetime:
    """A UTC wall moment as naive local time of the region's zone."""
    aware = wall_moment if wall_moment.tzinfo else wall_moment.replace(tzinfo=UTC)
    return (aware.astimezone(UTC) + timedelta(hours=TIMEZONE_OFFSETS[zone])).replace(tzinfo=None)
