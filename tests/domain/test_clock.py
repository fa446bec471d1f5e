"""Injected time: the manual and system wall clocks, and Indonesian dates.

The working-day simulated clock is tested in test_workday_clock.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sandbox.domain.clock import (
    ManualClock,
    SystemClock,
    format_tanggal,
    to_local,
)


def test_manual_clock_default_and_advance():
    clock = ManualClock()
    assert clock.now() == datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    clock.advance(minutes=10)
    assert clock.now() == datetime(2026, 3, 2, 1, 10, tzinfo=UTC)
    clock.advance(hours=2, seconds=30)
    assert clock.now() == datetime(2026, 3, 2, 3, 10, 30, tzinfo=UTC)
    assert clock.now() == clock.now()  # it does not move on its own


def test_manual_clock_set_and_custom_start():
    clock = ManualClock(datetime(2025, 1, 1, tzinfo=UTC))
    assert clock.now() == datetime(2025, 1, 1, tzinfo=UTC)
    clock.set(datetime(2030, 6, 1, 12, 0, tzinfo=UTC))
    assert clock.now() == datetime(2030, 6, 1, 12, 0, tzinfo=UTC)


def test_system_clock_is_aware_utc():
    now = SystemClock().now()
    assert now.tzinfo is not None
    assert now.utcoffset() == timedelta(0)
    assert abs(now - datetime.now(UTC)) < timedelta(seconds=5)


@pytest.mark.parametrize(("moment", "kwargs", "expected"), [
    (datetime(2026, 3, 5, 10, 14), {"zone": "WITA"}, "Kamis, 5 Maret 2026 10:14 WITA"),
    (datetime(2026, 3, 5, 10, 14), {}, "Kamis, 5 Maret 2026 10:14"),
    (datetime(2026, 3, 5, 10, 14), {"with_time": False, "zone": "WIB"}, "Kamis, 5 Maret 2026"),
    (datetime(2026, 3, 5, 10, 14), {"with_day": False}, "5 Maret 2026 10:14"),
    (datetime(2026, 3, 5, 10, 14), {"with_day": False, "with_time": False}, "5 Maret 2026"),
    (datetime(2026, 1, 1, 7, 5), {"zone": "WIT"}, "Kamis, 1 Januari 2026 07:05 WIT"),
    (datetime(2026, 12, 31, 23, 59), {"zone": "WIB"}, "Kamis, 31 Desember 2026 23:59 WIB"),
    (datetime(2026, 8, 17, 0, 0), {}, "Senin, 17 Agustus 2026 00:00"),
])
def test_format_tanggal(moment, kwargs, expected):
    assert format_tanggal(moment, **kwargs) == expected


@pytest.mark.parametrize(("day", "hari"), [
    (2, "Senin"), (3, "Selasa"), (4, "Rabu"), (5, "Kamis"), (6, "Jumat"), (7, "Sabtu"),
    (8, "Minggu"),
])
def test_format_tanggal_day_names(day, hari):
    assert format_tanggal(datetime(2026, 3, day), with_time=False) == f"{hari}, {day} Maret 2026"


@pytest.mark.parametrize(("month", "bulan"), list(enumerate(
    ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
     "Oktober", "November", "Desember"], 1)))
def test_format_tanggal_month_names(month, bulan):
    text = format_tanggal(datetime(2026, month, 15), with_day=False, with_time=False)
    assert text == f"15 {bulan} 2026"


@pytest.mark.parametrize(("zone", "expected"), [
    ("WIB", datetime(2026, 3, 2, 8, 0)),
    ("WITA", datetime(2026, 3, 2, 9, 0)),
    ("WIT", datetime(2026, 3, 2, 10, 0)),
])
def test_to_local(zone, expected):
    assert to_local(datetime(2026, 3, 2, 1, 0, tzinfo=UTC), zone) == expected
    # naive input is taken as UTC
    assert to_local(datetime(2026, 3, 2, 1, 0), zone) == expected


def test_to_local_crosses_midnight_and_converts_other_zones():
    from datetime import timezone

    jakarta = timezone(timedelta(hours=7))
    assert to_local(datetime(2026, 3, 2, 22, 30, tzinfo=UTC), "WIT") == datetime(2026, 3, 3, 7, 30)
    assert to_local(datetime(2026, 3, 2, 8, 0, tzinfo=jakarta), "WIB") == datetime(2026, 3, 2, 8, 0)
