"""The one HH:MM rule shared by scenario office hours and imported session settings."""

from datetime import time

import pytest

from sandbox.domain.fields import parse_clock


@pytest.mark.parametrize(("text", "expected"), [
    ("08:00", time(8, 0)), ("23:59", time(23, 59)), ("00:00", time(0, 0)),
    ("25:99", None), ("8:00", None), ("08:00\n", None), (" 08:00", None),
    ("٠٨:٠٠", None), ("０８:００", None), (800, None), (None, None),
])
def test_a_time_of_day_is_ascii_hh_mm_and_nothing_more(text, expected):
    assert parse_clock(text) == expected
