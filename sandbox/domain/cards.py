"""A report card as plain JSON data and back, so a computed card can be kept.

`card_from_data(card_to_data(card)) == card` for every card: the kept card is the
computed one, line for line. The format is versioned by `CARD_FORMAT`; a kept card of
another format is simply computed again.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from typing import Any

from sandbox.domain.identity import Exposure
from sandbox.domain.scoring import Dimension, Line, ReportScore, Summary, TraineeScore
from sandbox.domain.workflow import Action

CARD_FORMAT = 2  # 2: each report keeps its basis (domain.scoring.report_basis)

# ReportScore fields that are not plain JSON values, with their encoders and decoders.
_REPORT_CODECS: dict[str, tuple[Any, Any]] = {
    "lines": (
        lambda lines: [[x.dimension.value, x.points, x.maximum, x.explanation, x.passed]
                       for x in lines],
        lambda rows: [Line(Dimension(d), p, m, e, passed) for d, p, m, e, passed in rows],
    ),
    "exposures": (
        lambda found: [[x.seq, x.action.value, x.field, x.place, list(x.found)] for x in found],
        lambda rows: tuple(Exposure(seq, Action(action), name, place, tuple(what))
                           for seq, action, name, place, what in rows),
    ),
    "stock_phrases": (list, tuple),
    "steady_until": (lambda moment: _moment(moment), lambda text: _parse(text)),
}


def _moment(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _parse(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _report_data(report: ReportScore) -> dict[str, Any]:
    data = {}
    for item in fields(ReportScore):
        value = getattr(report, item.name)
        codec = _REPORT_CODECS.get(item.name)
        data[item.name] = codec[0](value) if codec else value
    return data


def _report(data: dict[str, Any]) -> ReportScore:
    values = {}
    for item in fields(ReportScore):
        codec = _REPORT_CODECS.get(item.name)
        values[item.name] = codec[1](data[item.name]) if codec else data[item.name]
    return ReportScore(**values)


def card_to_data(card: TraineeScore) -> dict[str, Any]:
    """The card as JSON-ready data (lists, numbers, strings)."""
    return {
        "format": CARD_FORMAT,
        "reports": [_report_data(r) for r in card.reports],
        "summary": {item.name: getattr(card.summary, item.name) for item in fields(Summary)},
        "by_dimension": {d.value: list(pair) for d, pair in card.by_dimension.items()},
        "version": card.version,
        "joined_at": _moment(card.joined_at),
        "joined_after": card.joined_after,
        "steady_until": _moment(card.steady_until),
    }


def summary_to_data(summary: Summary) -> dict[str, Any]:
    """A card's totals alone, read by a leaderboard without the reports' lines."""
    return {"format": CARD_FORMAT, **{item.name: getattr(summary, item.name)
                                      for item in fields(Summary)}}


def summary_from_data(data: dict[str, Any]) -> Summary | None:
    """The totals kept as `data`, or None when they were kept in another format."""
    if data.get("format") != CARD_FORMAT:
        return None
    return Summary(**{item.name: data[item.name] for item in fields(Summary)})


def card_from_data(data: dict[str, Any]) -> TraineeScore | None:
    """The card kept as `data`, or None when it was kept in another format."""
    if data.get("format") != CARD_FORMAT:
        return None
    return TraineeScore(
        reports=[_report(r) for r in data["reports"]],
        summary=Summary(**data["summary"]),
        by_dimension={Dimension(d): (p, m) for d, (p, m) in data["by_dimension"].items()},
        version=data["version"], joined_at=_parse(data["joined_at"]),
        joined_after=data["joined_after"], steady_until=_parse(data["steady_until"]),
    )
