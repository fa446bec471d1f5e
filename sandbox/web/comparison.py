"""The facilitator's studi komparasi: their sessions side by side, on screen, on paper and
as a workbook."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, g, request

from sandbox.domain.comparison import FIGURES, NOT_SIGNIFICANCE, TOO_SMALL, Comparison, Group
from sandbox.domain.errors import DomainError, ValidationError
from sandbox.domain.learning import WORDING, side_by_side
from sandbox.domain.people import PeopleOverTime, parse_confirmations
from sandbox.extensions import db
from sandbox.services.comparison import (
    METHOD_NOTE,
    compare_workshops,
    comparison_xlsx,
)
from sandbox.services.people import people_over_time
from sandbox.services.timekeeping import session_status
from sandbox.services.workshops import NoSuchWorkshop, workshops_of
from sandbox.web import error_page
from sandbox.web.charts import BarChart, DistributionChart, bar_chart, distribution_chart, shown
from sandbox.web.htmx import render

bp = Blueprint("comparison", __name__, url_prefix="/fasilitator")

SESSION_PARAM, ALLOW_PARAM = "sesi", "izinkan"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The figures drawn as bars, each from a group's figures (domain.comparison.GroupFigures).
BARS: tuple[tuple[str, str, str], ...] = (
    ("Disposisi tepat", "%", "routing_pct"),
    ("Mutu TL rata-rata", "%", "quality_pct"),
    ("Nilai total rata-rata", "%", "total_pct"),
    ("Batas waktu terlewati per peserta", "", "breaches_per_participant"),
    ("Kesalahan kerahasiaan per peserta", "", "confidentiality_per_participant"),
)


STUDI_PARAM = "studi"


def _asked() -> tuple[list[str], bool]:
    """The sessions asked for: chosen one by one, or every session of a studi komparasi
    (the name given when they were created); and whether a mismatch is allowed."""
    codes = [c for c in request.args.getlist(SESSION_PARAM) if c.strip()]
    studi = " ".join((request.args.get(STUDI_PARAM) or "").split()).casefold()
    if studi:
        codes += [w.code for w in workshops_of(g.facilitator)
                  if (w.settings or {}).get("studi", "").casefold() == studi
                  and w.code not in codes]
    return codes, (request.args.get(ALLOW_PARAM) or "").strip() == "1"


def _studies() -> list[tuple[str, int]]:
    """The facilitator's studi komparasi names, with how many sessions each has."""
    names: dict[str, tuple[str, int]] = {}  # matched as _asked matches: case aside
    for workshop in workshops_of(g.facilitator):
        name = (workshop.settings or {}).get("studi")
        if name:
            shown, count = names.get(name.casefold(), (name, 0))
            names[name.casefold()] = (shown, count + 1)
    return sorted(names.values(), key=lambda item: item[0].casefold())


def chart_label(group: Group) -> str:
    """A group as a chart names it: a session by its name, a cohort (drawn right under
    its session) by «↳ cohort», so a cut never hides which cohort a bar is."""
    return f"↳ {group.cohort}" if group.cohort else group.label


def charts(comparison: Comparison) -> tuple[list[BarChart], list[DistributionChart]]:
    """The bars per figure, and the distributions of verification and first-TL times."""
    groups = comparison.groups
    bars = [bar_chart(title, unit, [(chart_label(g), getattr(g.figures, name))
                                    for g in groups])
            for title, unit, name in BARS]
    times = [
        distribution_chart("Waktu verifikasi (HK)", [
            (chart_label(g), g.figures.verify.values, g.figures.verify.median,
             g.figures.verify.p90) for g in groups]),
        distribution_chart("Waktu sampai TL pertama (HK)", [
            (chart_label(g), g.figures.first_tl.values, g.figures.first_tl.median,
             g.figures.first_tl.p90) for g in groups]),
    ]
    return bars, times


CONFIRM_PARAM = "cocok"


def _people(comparison: Comparison) -> PeopleOverTime:
    """The people of the compared sessions, with the name matches this request confirms
    (`cocok`, repeated: a GET that stores nothing)."""
    confirmed, refused = parse_confirmations(request.args.getlist(CONFIRM_PARAM))
    return people_over_time(comparison, confirmed, refused)


def _page(status: int = 200, comparison: Comparison | None = None, chosen: list[str] | None = None,
          allow: bool = False, error: str | None = None) -> Any:
    bars, times = charts(comparison) if comparison and comparison.groups else ([], [])
    codes = [c.strip().upper() for c in chosen or []]
    people = _people(comparison) if comparison and comparison.groups else None
    # The sessions' tes awal and tes akhir side by side, when any session has them.
    tests = [s.learning for s in comparison.sessions if s.learning is not None] \
        if comparison and comparison.groups else []
    return render("comparison/index.html", status=status, comparison=comparison, people=people,
                  workshops=workshops_of(g.facilitator), status_of=session_status,
                  chosen=set(codes), codes=codes, allow=allow, error=error, bars=bars,
                  times=times, shown=shown, method=METHOD_NOTE, too_small=TOO_SMALL,
                  studies=_studies(),
                  not_significance=NOT_SIGNIFICANCE,  # said once, above
                  learning=side_by_side(tests) if tests else None, **WORDING)


@bp.get("/studi")
def index() -> Any:
    """Choose sessions, then see them compared (or why they are not comparable)."""
    codes, allow = _asked()
    if not codes:
        return _page()
    try:
        comparison = compare_workshops(g.facilitator, codes, allow)
    except ValidationError as error:
        return _page(422, chosen=codes, error=" ".join(error.errors.values()))
    except NoSuchWorkshop as error:
        return _page(404, chosen=codes, error=error.message)
    except DomainError as error:
        db.session.rollback()
        return _page(400, chosen=codes, error=error.message)
    status = 422 if comparison.compatibility.refused else 200
    return _page(status, comparison, codes, allow)


@bp.get("/studi.xlsx")
def workbook() -> Any:
    """The comparison as a workbook: one sheet per view, a session column in each."""
    codes, allow = _asked()
    try:
        comparison = compare_workshops(g.facilitator, codes, allow)
        data = comparison_xlsx(comparison, _people(comparison))
    except ValidationError as error:
        return error_page(422, " ".join(error.errors.values()))
    except NoSuchWorkshop as error:
        return error_page(404, error.message)
    except DomainError as error:
        db.session.rollback()
        return error_page(422, error.message)
    # ASCII only (a header): a session headed «Kab. Kotabaru · N8V7GF» gives its code.
    name = "-".join(s.name.rsplit(" · ", 1)[-1] for s in comparison.sessions)
    name = re.sub(r"[^A-Za-z0-9()-]+", "-", name).strip("-")
    return Response(data, mimetype=XLSX, headers={
        "Content-Disposition": f'attachment; filename="studi-{name}.xlsx"',
        "Cache-Control": "no-store"})


@bp.get("/studi/peserta")
def people() -> Any:
    """People over time: the same person followed across the compared sessions, and the
    name+OPD matches to confirm (ticked boxes come back as `cocok`; nothing is stored)."""
    codes, allow = _asked()
    try:
        comparison = compare_workshops(g.facilitator, codes, allow)
    except ValidationError as error:
        return error_page(422, " ".join(error.errors.values()))
    except NoSuchWorkshop as error:
        return error_page(404, error.message)
    except DomainError as error:
        db.session.rollback()
        return error_page(400, error.message)
    refused = comparison.compatibility.refused
    return render("comparison/people.html", status=422 if refused else 200,
                  comparison=comparison, people=None if refused else _people(comparison),
                  codes=[c.strip().upper() for c in codes], allow=allow, shown=shown,
                  figures=FIGURES)
