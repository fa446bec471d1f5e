"""The app's injected wall clock and each exercise's simulated clock, derived from stored facts."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app

from sandbox.domain.clock import LinearSimClock, WallClock
from sandbox.models import Exercise


def wall_clock() -> WallClock:
    clock: WallClock = current_app.extensions["lapor.clock"]
    return clock


def wall_now() -> datetime:
    """The current wall time as naive UTC, the form it is stored in."""
    return wall_clock().now().astimezone(UTC).replace(tzinfo=None)


def sim_clock(exercise: Exercise) -> LinearSimClock:
    """The exercise's simulated clock; every process computes the same "now" from these facts."""
    return LinearSimClock(
        sim_start=exercise.sim_start_at,
        wall_start=exercise.wall_start_at.replace(tzinfo=UTC),
        speed=exercise.speed,
        wall=wall_clock(),
    )
