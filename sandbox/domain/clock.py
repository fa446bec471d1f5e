"""Time, injected: the only module that reads the real clock.

Wall time is timezone-aware UTC. Simulated time is a naive datetime in the
region's local time (WIB, WITA or WIT), which is how the UI shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
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


@dataclass(frozen=True)
class LinearSimClock:
    """Simulated time running `speed` times faster than the wall clock, from stored facts.

    It holds no state of its own: any process with the same start facts and
    wall clock agrees on "now".
    """

    sim_start: datetime
    wall_start: datetime
    speed: float
    wall: WallClock

    def now(self) -> datetime:
        return self.at(self.wall.now())

    def at(self, wall_moment: datetime) -> datetime:
        """The simulated time at a given wall moment."""
        elapsed = max(wall_moment - self.wall_start, timedelta(0))
        return self.sim_start + elapsed * self.speed


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
