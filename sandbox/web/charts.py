"""Charts drawn on the server: the geometry of small SVG charts, rendered by templates.

No chart library and nothing fetched: templates/comparison/_charts.html turns these
shapes into inline SVG (no style attributes, colours from css/comparison.css), so a chart
shows offline, passes the Content-Security-Policy and prints. Every bar and row carries its
number as text, so a chart printed in black and white still reads.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 640  # a distribution chart's viewBox width; the SVG scales to its container
LABEL = 170  # room for a group's name left of the dots
VALUE = 30  # room right of the axis
BAR_WIDTH = 360  # a bar chart's viewBox width: small multiples, several side by side
BAR_LABEL = 150  # room for «EKVCTZ · Angkatan 1» (117 px in Chromium's sans-serif at 11 px)
BAR_VALUE = 50  # room for the number right of the longest bar
ROW = 24
BAR = 15
TOP = 8
AXIS = 26  # room for the axis of a distribution chart
SERIES = 6  # css/comparison.css has .series-0 … .series-5
STEPS = (1.0, 2.0, 5.0)
# How wide a label's characters are at the charts' 11 px, erring wide (measured in
# Chromium's sans-serif: capitals and digits about 7.3 px, other letters about 6 px).
WIDE_PX, NARROW_PX = 8.0, 6.3


def text_width(text: str) -> float:
    """About how wide `text` is drawn at 11 px, never less than it is for ordinary text."""
    return sum(WIDE_PX if c.isupper() or c.isdigit() or c in "mwMW" else NARROW_PX
               for c in text)


def fitted(label: str, room: float) -> str:
    """The label as it fits in `room` px: whole, or cut with «…»; a label drawn to the left
    of its bar is never pushed past the chart's edge and clipped."""
    if text_width(label) <= room:
        return label
    while label and text_width(label + "…") > room:
        label = label[:-1]
    return label.rstrip() + "…"


def fitted_keeping_tail(label: str, room: float, separator: str = " · ") -> str:
    """Like `fitted`, but a label «place · CODE» that is too wide loses letters of the
    place, never the code after the last separator: «Kab. Kota… · N8V7GF»."""
    if text_width(label) <= room or separator not in label:
        return fitted(label, room)
    head, tail = label.rsplit(separator, 1)
    rest = room - text_width("…" + separator + tail)
    if rest <= 0:
        return fitted(label, room)
    return fitted(head, rest + text_width("…")).rstrip("…").rstrip() + "…" + separator + tail


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k at or above `value` (1 for nothing to show)."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    return next(float(step * power) for step in (1, 2, 2.5, 5, 10) if step * power >= value)


def axis_steps(largest: float, at_most: int = 5) -> tuple[float, int]:
    """(step, count) of an axis from 0 to at least `largest`: a round step (1, 2 or 5
    × 10^k) and at most `at_most` steps."""
    if largest <= 0:
        return 1.0, 1
    power = 10.0 ** math.floor(math.log10(largest / at_most))
    for step in (s * power for s in (*STEPS, 10.0)):
        count = math.ceil(largest / step - 1e-9)
        if count <= at_most:
            return step, max(count, 1)
    return 10 * power, 1  # not reached: a step of 10^k always fits


def shown(value: float | None, unit: str = "", digits: int | None = None) -> str:
    """A number the Indonesian way (decimal comma), with its unit joined by a no-break
    space (a narrow printed column never puts «HK» alone on the next line); «–» for none."""
    if value is None:
        return "–"
    places = digits if digits is not None else (2 if unit == "HK" else 1)
    text = f"{value:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    text = text.replace(".", ",")
    if text == "-0":
        text = "0"
    return text + ("%" if unit == "%" else f"\u00a0{unit}" if unit else "")


@dataclass(frozen=True)
class Bar:
    label: str
    y: float
    width: float  # 0 when there is no value
    text: str
    series: int

    @property
    def text_x(self) -> float:
        return BAR_LABEL + self.width + 4


@dataclass(frozen=True)
class BarChart:
    """One figure for each group: a horizontal bar per group, its number at the end."""

    title: str
    unit: str
    bars: tuple[Bar, ...]
    height: float
    scale: float  # the value of a full-width bar
    width: int = BAR_WIDTH

    @property
    def label_x(self) -> int:
        return BAR_LABEL - 5

    @property
    def baseline_x(self) -> int:
        return BAR_LABEL


def bar_chart(title: str, unit: str, values: Sequence[tuple[str, float | None]]) -> BarChart:
    """Bars for (group label, value); percentages run to 100, other figures to a round
    number at or above the largest value."""
    largest = max((v for _, v in values if v is not None), default=0.0)
    scale = 100.0 if unit == "%" else nice_ceiling(largest)
    room = BAR_WIDTH - BAR_LABEL - BAR_VALUE
    bars = tuple(Bar(fitted_keeping_tail(label, BAR_LABEL - 10), TOP + i * ROW,
                     0.0 if value is None else round(room * max(0.0, min(value, scale)) / scale, 1),
                     shown(value, unit), i % SERIES)
                 for i, (label, value) in enumerate(values))
    return BarChart(title, unit, bars, TOP * 2 + ROW * len(values), scale)


@dataclass(frozen=True)
class Dot:
    x: float
    y: float


@dataclass(frozen=True)
class Tick:
    x: float
    text: str


@dataclass(frozen=True)
class DistributionRow:
    label: str
    y: float  # the row's middle
    dots: tuple[Dot, ...]
    median: float | None  # x of the median mark
    p90: float | None  # x of the P90 mark
    text: str  # "median 0,4 · P90 1,2 HK (n = 30)", or that there is nothing
    series: int


@dataclass(frozen=True)
class DistributionChart:
    """Each group's times as dots on one axis, with its median and P90 marked."""

    title: str
    rows: tuple[DistributionRow, ...]
    ticks: tuple[Tick, ...]
    height: float
    axis_y: float

    @property
    def left(self) -> int:
        return LABEL

    @property
    def right(self) -> int:
        return WIDTH - VALUE

    @property
    def label_x(self) -> int:
        return LABEL - 6


def distribution_chart(title: str, rows: Sequence[tuple[str, Sequence[float], float | None,
                                                           float | None]]) -> DistributionChart:
    """A dot plot: for each (group label, values, median, P90) a row of dots on a shared
    axis from 0 to a round number, the median a solid mark and the P90 a dashed one."""
    largest = max((v for _, values, _, _ in rows for v in values), default=0.0)
    step, count = axis_steps(largest)
    scale = step * count
    room = WIDTH - LABEL - VALUE
    row_height = ROW + 8

    def x(value: float) -> float:
        return round(LABEL + room * value / scale, 1)

    drawn = []
    for i, (label, values, median, p90) in enumerate(rows):
        middle = TOP + i * row_height + row_height / 2
        # Equal times are spread a little up and down so each one stays visible.
        dots = tuple(Dot(x(v), round(middle + (n % 3 - 1) * 4, 1))
                     for n, v in enumerate(sorted(values)))
        text = (f"median {shown(median, digits=2)} · P90 {shown(p90, digits=2)} "
                f"(n = {len(values)})" if values else "belum ada data")
        drawn.append(DistributionRow(
            fitted_keeping_tail(label, LABEL - 12), middle, dots,
            None if median is None else x(median),
            None if p90 is None else x(p90), text, i % SERIES))
    axis_y = TOP + len(rows) * row_height + 4
    ticks = tuple(Tick(x(step * k), shown(step * k, digits=2)) for k in range(count + 1))
    return DistributionChart(title, tuple(drawn), ticks, axis_y + AXIS, axis_y)
