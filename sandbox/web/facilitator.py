"""The facilitator's side: sign in, create workshops, show the join code, run the clock."""

from __future__ import annotations

import io
from typing import Any

import segno
from flask import Blueprint, Response, current_app, g, request, session, url_for

from sandbox.domain.errors import DomainError, ValidationError
from sandbox.extensions import db
from sandbox.services.accounts import authenticate, create_facilitator
from sandbox.services.dashboard import dashboard
from sandbox.services.scenarios import list_scenarios
from sandbox.services.timekeeping import SOLO_SPEEDS, clock_state, command_clock, sim_clock
from sandbox.services.workshops import (
    STATUS_LABELS,
    NoSuchWorkshop,
    WorkshopForm,
    create_workshop,
    get_workshop,
    workshops_of,
)
from sandbox.web import error_page
from sandbox.web.htmx import redirect_to, render

bp = Blueprint("facilitator", __name__, url_prefix="/fasilitator")


@bp.route("/masuk", methods=["GET", "POST"])
def login() -> Any:
    if request.method == "GET":
        return render("facilitator/login.html", error=None, username="")
    facilitator = authenticate(request.form.get("username", ""),
                               request.form.get("password", ""))
    if facilitator is None:
        return render("facilitator/login.html", status=422, username=request.form.get(
            "username", ""), error="Nama pengguna atau kata sandi salah.")
    session["facilitator_id"] = facilitator.id
    session.permanent = True
    return redirect_to(url_for("facilitator.home"))


@bp.post("/keluar")
def logout() -> Any:
    session.pop("facilitator_id", None)
    return redirect_to(url_for("facilitator.login"))


@bp.get("/")
def home() -> Any:
    return render("facilitator/home.html", workshops=workshops_of(g.facilitator),
                  scenarios=list_scenarios(), speeds=SOLO_SPEEDS, errors={}, values={},
                  status_of=clock_state, labels=STATUS_LABELS)


@bp.post("/sesi")
def create() -> Any:
    form = request.form
    try:
        exercise = create_workshop(g.facilitator, WorkshopForm(
            scenario=form.get("scenario", ""), title=form.get("title", ""),
            held_on=form.get("held_on", ""), location=form.get("location", ""),
            minutes_per_hk=form.get("minutes_per_hk", ""), seed=form.get("seed", "")))
    except ValidationError as error:
        db.session.rollback()
        return render("facilitator/home.html", status=422, workshops=workshops_of(
            g.facilitator), scenarios=list_scenarios(), speeds=SOLO_SPEEDS,
            errors=error.errors, values=form, status_of=clock_state, labels=STATUS_LABELS)
    db.session.commit()
    return redirect_to(url_for("facilitator.workshop", code=exercise.code))


def join_url(code: str) -> str:
    """Where trainees join: the configured public address, else the one in use."""
    path = url_for("practice.join_with_code", code=code)
    public = current_app.config.get("PUBLIC_URL")
    return f"{public}{path}" if public else url_for("practice.join_with_code", code=code,
                                                    _external=True)


def _workshop_context(code: str) -> dict[str, Any]:
    exercise = get_workshop(g.facilitator, code)
    now = sim_clock(exercise).now()
    trainees, reports = dashboard(exercise)
    return {"exercise": exercise, "state": clock_state(exercise), "labels": STATUS_LABELS,
            "trainees": trainees, "reports": reports,
            "now": now, "speeds": SOLO_SPEEDS,
            "join_url": join_url(exercise.code), "zone": _zone(exercise),
            "participants": sorted(exercise.participants, key=lambda p: p.created_at)}


def _zone(exercise: Any) -> str:
    from sandbox.services.catalogue import get_catalogue

    return get_catalogue(exercise.region_file).region.timezone


@bp.get("/sesi/<code>")
def workshop(code: str) -> Any:
    try:
        context = _workshop_context(code)
    except NoSuchWorkshop as error:
        return error_page(404, error.message)
    return render("facilitator/workshop.html", "facilitator/_workshop_live.html", **context)


@bp.post("/sesi/<code>/kontrol/<kind>")
def clock(code: str, kind: str) -> Any:
    try:
        exercise = get_workshop(g.facilitator, code)
        command_clock(exercise, kind, g.facilitator.name, request.form.get("menit_per_hk"))
    except NoSuchWorkshop as error:
        return error_page(404, error.message)
    except DomainError as error:
        db.session.rollback()
        return error_page(400, error.message)
    db.session.commit()
    return redirect_to(url_for("facilitator.workshop", code=code))


@bp.get("/sesi/<code>/qr.svg")
def qr(code: str) -> Any:
    """The join address as a QR code, drawn here: no network needed."""
    try:
        exercise = get_workshop(g.facilitator, code)
    except NoSuchWorkshop as error:
        return error_page(404, error.message)
    out = io.BytesIO()
    segno.make(join_url(exercise.code), error="m").save(out, kind="svg", scale=10, border=2,
                                                      xmldecl=False)
    return Response(out.getvalue(), mimetype="image/svg+xml")


@bp.route("/admin", methods=["GET", "POST"])
def admin() -> Any:
    if not g.facilitator.is_admin:
        return error_page(403, "Hanya admin yang dapat menambah fasilitator.")
    if request.method == "GET":
        return render("facilitator/admin.html", errors={}, values={}, created=None)
    form = request.form
    try:
        created = create_facilitator(form.get("username", ""), form.get("name", ""),
                                     form.get("password", ""), bool(form.get("is_admin")))
    except ValidationError as error:
        db.session.rollback()
        return render("facilitator/admin.html", status=422, errors=error.errors, values=form,
                      created=None)
    db.session.commit()
    return render("facilitator/admin.html", errors={}, values={}, created=created)
