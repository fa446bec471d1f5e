"""The few statistics every page, card and workbook shares, defined once.

Percentiles, explicitly: the P-th percentile of n values is the value at rank
ceil(P/100 * n) (1-based) of the values sorted ascending (the nearest-rank method), so it
is always one of the values. P90 of 1..10 is 9; P90 of 1..5 is 5; P90 of one value is
that value. The median of an even number of values is the mean of the two middle ones.
A report card's P90 (domain.scoring), the results workbook and a studi komparasi all use
these, so the same times give the same P90 everywhere.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence


def median(values: Sequence[float]) -> float | None:
    """The middle value (the mean of the two middle ones for an even count); None if empty."""
    return float(statistics.median(values)) if values else None


def percentile(values: Sequence[float], p: float) -> float | None:
    """The nearest-rank P-th percentile: the value at rank ceil(p/100 * n) of the sorted
    values (rank at least 1); None if there are none."""
    if not values:
        return None
    ordered = sorted(values)
    # p * n / 100 rounded first: 0.07 * 100 is 7.000000000000001 in floating point, and
    # its ceiling would skip a rank.
    rank = max(1, math.ceil(round(p * len(ordered) / 100, 9)))
    return float(ordered[rank - 1])


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None
