"""Starting, resuming and leaving a solo practice session."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request, session, url_for

from sandbox.domain.errors import ValidationError
from sandbox.extensions import db
from sandbox.services.catalogue import shipped_regions
from sandbox.services.practice import participant_by_token, start_practice
from sandbox.services.scenarios import list_scenarios
from sandbox.services.workshops import cohorts_for_code, join_workshop, rejoin_by_code
from sandbox.web import error_page
from sandbox.web.htmx import redirect_to, render

bp = Blueprint("practice", __name__)


@bp.get("/")
def landing() -> Any:
    return render("practice/landing.html", errors={}, values={}, **_choices())


@bp.post("/mulai")
def start() -> Any:
    form = request.form
    try:
        participant = start_practice(form.get("name", ""), form.get("unit_name", ""),
                                     seed=form.get("seed"), count=form.get("count"),
                                     region=form.get("region") or None,
                                     scenario=form.get("scenario") or None)
    except ValidationError as error:
        db.session.rollback()
        return render("practice/landing.html", "practice/_start_form.html", status=422,
                      errors=error.errors, values=form, **_choices())
    db.session.commit()
    _sign_in(participant.id)
    return redirect_to(url_for("reports.inbox", baru=1))


@bp.get("/lanjut/<token>")
def rejoin(token: str) -> Any:
    participant = participant_by_token(token)
    if participant is None:
        return error_page(404, "Tautan lanjutkan latihan tidak dikenal. Periksa kembali "
                               "tautan Anda, atau mulai latihan baru.")
    _sign_in(participant.id)
    return redirect_to(url_for("reports.inbox"))


@bp.post("/keluar")
def leave() -> Any:
    session.pop("participant_id", None)
    return redirect_to(url_for("practice.landing"))


@bp.get("/ikut")
def join() -> Any:
    return render("practice/join.html", errors={}, values={})


@bp.get("/ikut/<code>")
def join_with_code(code: str) -> Any:
    """The address behind the QR code: the session code is filled in already.

    The QR on a printed entry card also carries the trainee's personal code (`?pribadi=`),
    which fills in the rejoin form; signing in still takes the trainee's own press.
    """
    values = {"code": code.upper()[:12],
              "personal_code": request.args.get("pribadi", "").upper()[:8]}
    return render("practice/join.html", errors={}, values=values,
                  cohorts=cohorts_for_code(code))


@bp.post("/ikut")
def join_submit() -> Any:
    form = request.form
    try:
        participant = join_workshop(form.get("code", ""), form.get("name", ""),
                                    form.get("unit_name", ""), form.get("cohort", ""))
    except ValidationError as error:
        db.session.rollback()
        return render("practice/join.html", "practice/_join_form.html", status=422,
                      errors=error.errors, values=form,
                      cohorts=cohorts_for_code(form.get("code", "")))
    db.session.commit()
    _sign_in(participant.id)
    return redirect_to(url_for("reports.inbox", baru=1))


@bp.post("/ikut/lanjut")
def rejoin_with_code() -> Any:
    form = request.form
    try:
        participant = rejoin_by_code(form.get("code", ""), form.get("personal_code", ""))
    except ValidationError as error:
        return render("practice/join.html", "practice/_join_form.html", status=422,
                      errors=error.errors, values=form)
    _sign_in(participant.id)
    return redirect_to(url_for("reports.inbox"))


@bp.get("/kesehatan")
def health() -> Any:
    return {"status": "ok"}


def _choices() -> dict[str, Any]:
    return {"regions": shipped_regions(), "scenarios": list_scenarios()}


def _sign_in(participant_id: int) -> None:
    # A facilitator trying the trainee's side in the same browser stays signed in too.
    session["participant_id"] = participant_id
    session.permanent = True
