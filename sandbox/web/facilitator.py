"""The facilitator's side: sign in, create workshops, show the join code, run the clock."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import segno
from flask import Blueprint, Response, current_app, g, request, url_for

from sandbox.domain.errors import DomainError, ValidationError
from sandbox.domain.numbers import parse_int
from sandbox.domain.workflow import KATEGORI_LABELS, ArchiveReason, Klasifikasi
from sandbox.extensions import db
from sandbox.models import Exercise, Facilitator
from sandbox.services.accounts import (
    PASSWORD_MIN,
    authenticate,
    change_password,
    create_facilitator,
    end_sessions,
)
from sandbox.services.attendance import INCLUDE_PARAM, apart, include_requested, listed
from sandbox.services.catalogue import get_catalogue
from sandbox.services.dashboard import dashboard
from sandbox.services.inject import inject_complaint, injectable_topics
from sandbox.services.leaderboard import METRICS, board
from sandbox.services.ratelimit import MASUK, check_attempt, record_attempt, record_failure
from sandbox.services.relay import team_flows
from sandbox.services.roles import is_opd, role_label
from sandbox.services.room import room_clock, scenario_notes
from sandbox.services.scenarios import list_scenarios
from sandbox.services.session_log import (
    KIND_LABELS,
    MESSAGE_MAX,
    broadcast,
    clear_message,
    current_message,
    freeze_board,
    frozen_since,
    reveal_board,
    session_log,
)
from sandbox.services.teams import is_team_mode
from sandbox.services.timekeeping import SOLO_SPEEDS, command_clock, session_status
from sandbox.services.workshops import (
    CREATION_MODES,
    NoSuchWorkshop,
    WorkshopForm,
    create_workshop,
    get_workshop,
    workshops_of,
)
from sandbox.transactions import reading
from sandbox.web import error_page
from sandbox.web.htmx import redirect_to, render
from sandbox.web.once import once
from sandbox.web.sessions import (
    restamp_facilitator,
    sign_in_facilitator,
    sign_out_facilitator,
    too_many,
)

bp = Blueprint("facilitator", __name__, url_prefix="/fasilitator")


@bp.route("/masuk", methods=["GET", "POST"])
def login() -> Any:
    """Sign in; guessing is rate-limited per address and per username (domain.ratelimit)."""
    if request.method == "GET":
        return render("facilitator/login.html", error=None, username="")
    username = request.form.get("username", "")
    # The check and the slow password hash run in a read: a flood of sign-ins never holds
    # the write lock that every trainee's action needs (sandbox.transactions).
    db.session.commit()  # end the transaction the request's first lookups began
    with reading():
        verdict = check_attempt(MASUK, username)
        facilitator = None if not verdict.allowed else authenticate(
            username, request.form.get("password", ""))
        db.session.commit()
    if not verdict.allowed:  # refused before the password is even looked at
        return too_many(render("facilitator/login.html", status=429, username=username,
                                error=verdict.message), verdict)
    if facilitator is None:
        record_failure(MASUK, username)
        return render("facilitator/login.html", status=422, username=username,
                      error="Nama pengguna atau kata sandi salah.")
    record_attempt(MASUK, username, succeeded=True)
    db.session.commit()
    sign_in_facilitator(facilitator)
    return redirect_to(url_for("facilitator.home"))


@bp.post("/keluar")
def logout() -> Any:
    """Sign out on the server too: a copy of this cookie stops working as well."""
    end_sessions(g.facilitator)
    db.session.commit()
    sign_out_facilitator()
    return redirect_to(url_for("facilitator.login"))


@bp.route("/akun", methods=["GET", "POST"])
@once
def account() -> Any:
    """Change one's own password; every other signed-in browser is signed out."""
    if request.method == "GET":
        return _account_page()
    me: Facilitator = g.facilitator
    verdict = check_attempt(MASUK, me.username)  # the present password is guessable here
    if not verdict.allowed:
        return too_many(_account_page(429, {"current": verdict.message}), verdict)
    form = request.form
    try:
        change_password(me, form.get("current", ""), form.get("new", ""),
                        form.get("repeat", ""))
    except ValidationError as error:
        db.session.rollback()
        if "current" in error.errors:
            record_failure(MASUK, me.username)
        return _account_page(422, error.errors)
    db.session.commit()
    restamp_facilitator(me)
    return _account_page(changed=True)


def _account_page(status: int = 200, errors: dict[str, str] | None = None,
                  changed: bool = False) -> Any:
    return render("facilitator/account.html", status=status, errors=errors or {},
                  changed=changed, password_min=PASSWORD_MIN)


@bp.get("/")
def home() -> Any:
    return render("facilitator/home.html", workshops=workshops_of(g.facilitator),
                  creation_modes=CREATION_MODES,
                  scenarios=list_scenarios(), speeds=SOLO_SPEEDS, errors={}, values={},
                  status_of=session_status)


@bp.post("/sesi")
@once
def create() -> Any:
    form = request.form
    try:
        exercise = create_workshop(g.facilitator, WorkshopForm(
            scenario=form.get("scenario", ""), title=form.get("title", ""),
            held_on=form.get("held_on", ""), location=form.get("location", ""),
            minutes_per_hk=form.get("minutes_per_hk", ""), seed=form.get("seed", ""),
            mode=form.get("mode", ""), skill=form.get("skill", ""),
            studi=form.get("studi", "")))
    except ValidationError as error:
        db.session.rollback()
        return render("facilitator/home.html", status=422, creation_modes=CREATION_MODES,
                      workshops=workshops_of(g.facilitator), scenarios=list_scenarios(),
                      speeds=SOLO_SPEEDS, errors=error.errors, values=form,
                      status_of=session_status)
    db.session.commit()
    return redirect_to(url_for("facilitator.workshop", code=exercise.code))


def join_url(code: str) -> str:
    """Where trainees join: the configured public address, else the one in use."""
    path = url_for("practice.join_with_code", code=code)
    public = current_app.config.get("PUBLIC_URL")
    return f"{public}{path}" if public else url_for("practice.join_with_code", code=code,
                                                    _external=True)


def _workshop_context(code: str, errors: dict[str, str] | None = None,
                      values: Any = None) -> dict[str, Any]:
    exercise = get_workshop(g.facilitator, code)
    status = session_status(exercise)
    now = status.now
    include = include_requested(request.args.get(INCLUDE_PARAM))
    trainees, reports = dashboard(exercise, include)
    catalogue = get_catalogue(exercise.region_file)
    return {"exercise": exercise, "state": status.state, "timing": status,
            "trainees": trainees, "reports": reports,
            "now": now, "speeds": SOLO_SPEEDS,
            "join_url": join_url(exercise.code), "zone": catalogue.region.timezone,
            "participants": sorted(listed(exercise), key=lambda p: p.created_at),
            "include": include, "apart": apart(exercise, include),
            "frozen_at": frozen_since(exercise), "message": current_message(exercise),
            "control_log": session_log(exercise)[-8:][::-1], "kind_labels": KIND_LABELS,
            "notes": scenario_notes(exercise, status),
            "topics": injectable_topics(exercise), "units": sorted(
                catalogue.units.values(), key=lambda u: (u.is_agency, u.name)),
            "kategori_labels": KATEGORI_LABELS, "klasifikasi": list(Klasifikasi),
            "archive_reasons": list(ArchiveReason),
            "errors": errors or {}, "values": values or {}, "message_max": MESSAGE_MAX,
            "opd": is_opd(exercise), "flows": team_flows(exercise),
            "roles": {p.id: role_label(p) for p in exercise.participants}
            if is_team_mode(exercise) else {}}


@bp.get("/sesi/<code>")
def workshop(code: str) -> Any:
    try:
        context = _workshop_context(code)
    except NoSuchWorkshop as error:
        return error_page(404, error.message)
    return render("facilitator/workshop.html", "facilitator/_workshop_live.html", **context)


@bp.post("/sesi/<code>/kontrol/<kind>")
@once
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


def _control(code: str, act: Callable[[Exercise], object]) -> Any:
    """Run one session control; errors go back to the session page, in Indonesian."""
    try:
        exercise = get_workshop(g.facilitator, code)
        act(exercise)
    except NoSuchWorkshop as error:
        return error_page(404, error.message)
    except ValidationError as error:
        db.session.rollback()
        return render("facilitator/workshop.html", status=422,
                      **_workshop_context(code, error.errors, request.form))
    except DomainError as error:
        db.session.rollback()
        return error_page(400, error.message)
    db.session.commit()
    return redirect_to(url_for("facilitator.workshop", code=code))


@bp.post("/sesi/<code>/papan/<kind>")
@once
def scoreboard(code: str, kind: str) -> Any:
    """Freeze the leaderboard, or reveal it (unfreeze with the animation)."""
    actions = {"bekukan": freeze_board, "ungkap": reveal_board}
    if kind not in actions:
        return error_page(404, "Perintah papan skor tidak dikenal.")
    back = request.form.get("kembali")
    response = _control(code, lambda exercise: actions[kind](exercise, g.facilitator.name))
    if back == "layar" and response.status_code in (204, 303):
        values: dict[str, Any] = {"urut": request.args.get("urut", "total"),
                                  "top": request.args.get("top", "10"),
                                  INCLUDE_PARAM: request.args.get(INCLUDE_PARAM) or None}
        return redirect_to(url_for("facilitator.projector", code=code, **values))
    return response


@bp.post("/sesi/<code>/pesan")
@once
def message(code: str) -> Any:
    return _control(code, lambda exercise: broadcast(exercise, g.facilitator.name,
                                                     request.form.get("pesan", "")))


@bp.post("/sesi/<code>/pesan/hapus")
@once
def clear(code: str) -> Any:
    return _control(code, lambda exercise: clear_message(exercise, g.facilitator.name))


@bp.post("/sesi/<code>/suntik")
@once
def inject(code: str) -> Any:
    return _control(code, lambda exercise: inject_complaint(exercise, g.facilitator.name,
                                                            request.form))


TOP_CHOICES = (5, 10, 20)


def _top(text: str) -> int | None:
    """How many rows the projector shows: one of TOP_CHOICES, anything else shows all."""
    try:
        top = parse_int(text, "top", "Jumlah baris", min(TOP_CHOICES), max(TOP_CHOICES))
    except ValidationError:
        return None
    return top if top in TOP_CHOICES else None


@bp.get("/sesi/<code>/layar")
def projector(code: str) -> Any:
    """The full-screen leaderboard for the projector; htmx refreshes the board only."""
    try:
        exercise = get_workshop(g.facilitator, code)
        metric = request.args.get("urut", "total")
        top = _top(request.args.get("top", "10"))
        include = include_requested(request.args.get(INCLUDE_PARAM))
        shown = board(exercise, metric, top, include)
    except NoSuchWorkshop as error:
        return error_page(404, error.message)
    except DomainError as error:
        return error_page(400, error.message)
    timing = session_status(exercise)
    return render("facilitator/projector.html", "facilitator/_board.html", exercise=exercise,
                  board=shown, metrics=METRICS, top=top, tops=TOP_CHOICES,
                  state=timing.state, timing=timing, include=include,
                  room=room_clock(exercise, timing), join_url=join_url(exercise.code),
                  zone=get_catalogue(exercise.region_file).region.timezone)


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
@once
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
