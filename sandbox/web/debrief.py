"""Facilitator pages: the debrief of a workshop session, made for the projector.

Names stay hidden ("Peserta 7") unless the URL asks for them with `nama=1`: a reveal
lasts only while the facilitator browses the debrief in that tab, so opening the debrief
afresh, or on another screen, never shows names by accident.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, request, url_for

from sandbox.domain.errors import DomainError, ValidationError
from sandbox.domain.learning import WORDING
from sandbox.domain.numbers import parse_int, parse_optional_int
from sandbox.extensions import db
from sandbox.services.attendance import INCLUDE_PARAM, include_requested
from sandbox.services.debrief import (
    Debrief,
    NoSuchFollowUp,
    NoSuchReport,
    NoSuchTrainee,
    complaint_in,
    rate_follow_up,
)
from sandbox.services.refresher import refresher_people
from sandbox.services.workshops import NoSuchWorkshop, get_workshop
from sandbox.web import error_page
from sandbox.web.htmx import redirect_to, render
from sandbox.web.once import once

bp = Blueprint("debrief", __name__, url_prefix="/fasilitator")

MISSING = (NoSuchWorkshop, NoSuchReport, NoSuchTrainee, NoSuchFollowUp)


class NoSuchReplayStep(DomainError):
    """A replay step that is not a number."""


RUBRIC_LABELS = {1: "sangat kurang", 2: "kurang", 3: "cukup", 4: "baik", 5: "sangat baik"}
STEP_MAX = 1_000_000  # far more steps than a replay has; a larger number is not a step


def _number_or_none(text: str | None) -> int | None:
    """A replay step or TL number from a form, for building a link; None if it is not one."""
    try:
        return parse_optional_int(text, "langkah", "Langkah", 0, STEP_MAX)
    except ValidationError:
        return None


def _reveal(values: Any) -> bool:
    return bool(values.get("nama") == "1")


def _include(values: Any) -> bool:
    """The facilitator's toggle: the absent and the idle in the room's figures too."""
    return include_requested(values.get(INCLUDE_PARAM))


@bp.get("/sesi/<code>/debrief")
def index(code: str) -> Any:
    try:
        debrief = Debrief(get_workshop(g.facilitator, code), _include(request.args))
        reports = debrief.reports()
    except MISSING as error:
        return error_page(404, error.message)
    return render("debrief/index.html", exercise=debrief.exercise, debrief=debrief,
                  reports=reports, reveal=_reveal(request.args),
                  learning=debrief.learning(), **WORDING)


@bp.get("/sesi/<code>/debrief/<int:position>")
def report(code: str, position: int) -> Any:
    try:
        context = _report_context(Debrief(get_workshop(g.facilitator, code),
                                          _include(request.args)), position,
                                  _reveal(request.args))
    except MISSING as error:
        return error_page(404, error.message)
    except DomainError as error:
        return error_page(400, error.message)
    return render("debrief/report.html", **context)


@bp.get("/sesi/<code>/debrief/peserta/<int:participant_id>")
def participant(code: str, participant_id: int) -> Any:
    try:
        context = _replay_context(Debrief(get_workshop(g.facilitator, code)), participant_id,
                                  _reveal(request.args), request.args.get("langkah"))
    except MISSING as error:
        return error_page(404, error.message)
    except DomainError as error:
        return error_page(400, error.message)
    return render("debrief/participant.html", "debrief/_replay.html", **context)


@bp.post("/sesi/<code>/debrief/nilai")
@once
def rate(code: str) -> Any:
    """A 1–5 rubric for one TL; back to the page it was given on."""
    form = request.form
    reveal, back, step = _reveal(form), form.get("kembali", ""), form.get("langkah") or None
    complaint_id, seq = form.get("complaint", ""), form.get("tl_seq", "")
    try:
        exercise = get_workshop(g.facilitator, code)
        row = rate_follow_up(exercise, complaint_id, seq, form.get("rubric", ""),
                             g.facilitator.name)
    except MISSING as error:
        db.session.rollback()
        return error_page(404, error.message)
    except ValidationError as error:
        db.session.rollback()
        return _refused(exercise, complaint_id, seq, error, form, reveal, back, step)
    anchor = f"tl-{row.complaint_id}-{row.tl_seq}"
    complaint = complaint_in(exercise, complaint_id)
    if complaint is None:  # cannot happen: rate_follow_up found it
        return error_page(404, "Tindak lanjut yang dinilai tidak ditemukan di sesi ini.")
    if back == "peserta":
        target = url_for("debrief.participant", code=exercise.code,
                         participant_id=complaint.participant_id, nama=1 if reveal else None,
                         langkah=_number_or_none(step), _anchor=anchor)
    else:
        target = url_for("debrief.report", code=exercise.code, position=complaint.position,
                         nama=1 if reveal else None, _anchor=anchor)
    db.session.commit()
    return redirect_to(target)


def _refused(exercise: Any, complaint_id: str, seq: str, error: ValidationError, form: Any,
             reveal: bool, back: str, step: str | None) -> Any:
    """The page the rubric came from, again, with the reasons next to its form (422)."""
    complaint = complaint_in(exercise, complaint_id)
    if complaint is None:  # cannot happen: the session check came first
        return error_page(404, "Tindak lanjut yang dinilai tidak ditemukan di sesi ini.")
    shown_seq = _number_or_none(seq)
    rejected = {"anchor": f"tl-{complaint.id}-{shown_seq}" if shown_seq is not None else "",
                "errors": error.errors, "value": form.get("rubric", "")}
    debrief = Debrief(exercise)
    try:
        if back == "peserta":
            context = _replay_context(debrief, complaint.participant_id, reveal, step)
            context["rejected"] = rejected
            return render("debrief/participant.html", status=422, **context)
        context = _report_context(debrief, complaint.position, reveal)
        context["rejected"] = rejected
        return render("debrief/report.html", status=422, **context)
    except MISSING as missing:
        return error_page(404, missing.message)
    except DomainError as other:
        return error_page(400, other.message)


def _report_context(debrief: Debrief, position: int, reveal: bool) -> dict[str, Any]:
    report = debrief.report(position)
    follow_ups = debrief.follow_ups(report)
    previous, following = debrief.neighbours(position)
    return {
        "exercise": debrief.exercise, "debrief": debrief, "report": report,
        "follow_ups": follow_ups,
        "best": follow_ups[0] if follow_ups else None,
        "worst": follow_ups[-1] if len(follow_ups) > 1 else None,
        "previous": previous, "following": following,
        "index": [r.position for r in debrief.reports()].index(position) + 1,
        "count": len(debrief.reports()),
        "reveal": reveal, "rejected": None, "rubric_labels": RUBRIC_LABELS,
        "zone": debrief.zone,
    }


def _replay_context(debrief: Debrief, participant_id: int, reveal: bool,
                    step: str | None) -> dict[str, Any]:
    replay = debrief.replay(participant_id)
    total = len(replay.steps)
    current = None
    if step is not None and total:
        try:  # a step past either end shows the first or the last one
            wanted = parse_int(step, "langkah", "Langkah", 0, STEP_MAX)
        except ValidationError:
            raise NoSuchReplayStep(f"Langkah «{step[:12]}» tidak dikenal: pilih angka 1 "
                                   f"sampai {total}.") from None
        current = min(max(wanted, 1), total)
    # Someone left out of the room's figures (not yet acting, hidden) can still be replayed;
    # the previous/next links walk the counted trainees only.
    trainees = debrief.trainees if replay.trainee in debrief.trainees else [replay.trainee]
    index = trainees.index(replay.trainee)
    return {
        "exercise": debrief.exercise, "debrief": debrief, "replay": replay,
        "trainee": replay.trainee, "current": current, "total": total,
        # While stepping, the newest step comes first so the projector shows it unscrolled.
        "shown": replay.steps if current is None else replay.steps[current - 1::-1],
        "previous_trainee": trainees[index - 1] if index > 0 else None,
        "next_trainee": trainees[index + 1] if index + 1 < len(trainees) else None,
        "reveal": reveal, "rejected": None, "rubric_labels": RUBRIC_LABELS,
        "zone": debrief.zone,
        # Their refresher scenarios (services.refresher), each person's own.
        "refresher_people": refresher_people(replay.trainee.participant),
    }
