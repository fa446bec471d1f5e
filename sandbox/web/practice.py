"""Starting, resuming and leaving a solo practice session."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, request, session, url_for

from sandbox.domain.errors import ValidationError
from sandbox.extensions import db
from sandbox.models import Participant
from sandbox.services.accounts import end_sessions
from sandbox.services.catalogue import shipped_regions
from sandbox.services.practice import participant_by_token, start_practice
from sandbox.services.ratelimit import (
    IKUT,
    LANJUT,
    check_attempt,
    record_attempt,
    record_failure,
)
from sandbox.services.scenarios import list_scenarios
from sandbox.services.workshops import (
    AlreadyRegistered,
    cohorts_for_code,
    join_workshop,
    opd_choices_for_code,
    rejoin_by_code,
    seat_choices_for_code,
)
from sandbox.web import error_page
from sandbox.web.htmx import redirect_to, render
from sandbox.web.once import once
from sandbox.web.sessions import sign_in_participant, sign_out_participant, too_many

bp = Blueprint("practice", __name__)


@bp.get("/")
def landing() -> Any:
    """The start page; it says how to come back after «Keluar» (`?keluar=1`, the codes
    noted by `leave`, shown once) and to a visitor sent here from a trainee page without
    a valid cookie (`?next=`)."""
    left = session.pop(LEFT_KEY, None) if request.args.get("keluar") else None
    return render("practice/landing.html", errors={}, values={}, **_choices(),
                  left=left if isinstance(left, dict) else None,
                  left_now=bool(request.args.get("keluar")),
                  signed_out=bool(request.args.get("next")) and g.participant is None)


@bp.post("/mulai")
@once
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
    _sign_in(participant)
    return redirect_to(url_for("reports.inbox", baru=1))


@bp.get("/lanjut/<token>")
def rejoin(token: str) -> Any:
    participant = participant_by_token(token)
    if participant is None:
        # A token has 128 random bits: guessing one is hopeless, so this GET records
        # nothing. It only reads whether this client is already blocked at the rejoin
        # door (guessing personal codes) and then says so, as that form would.
        verdict = check_attempt(LANJUT, "")
        if not verdict.allowed:
            return too_many(error_page(429, verdict.message), verdict)
        return error_page(404, "Tautan lanjutkan latihan tidak dikenal. Periksa kembali "
                               "tautan Anda, atau mulai latihan baru.")
    _sign_in(participant)
    return redirect_to(url_for("reports.inbox"))


# Where `leave` notes, for the start page to show once, how the trainee comes back.
LEFT_KEY = "keluar"


@bp.get("/keluar")
def leave_confirm() -> Any:
    """The confirm step of «Keluar» (works without JavaScript): how to come back, then
    the button that signs out."""
    return render("practice/leave.html")


@bp.post("/keluar")
@once
def leave() -> Any:
    """Sign out on the server too; the rejoin link and personal code still work, and
    the start page shows them once."""
    participant = g.participant
    comeback = comeback_of(participant)
    end_sessions(participant)
    db.session.commit()
    sign_out_participant()
    session[LEFT_KEY] = comeback
    return redirect_to(url_for("practice.landing", keluar=1))


@bp.app_template_global("comeback_of")
def comeback_of(participant: Participant) -> dict[str, str]:
    """What a trainee needs to come back: the session code and personal code in a
    workshop, the personal link in free practice."""
    if participant.personal_code:
        return {"sesi": participant.exercise.code, "pribadi": participant.personal_code}
    return {"tautan": url_for("practice.rejoin", token=participant.token, _external=True)}


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
                  cohorts=cohorts_for_code(code), units=opd_choices_for_code(code),
                  seats=seat_choices_for_code(code))


@bp.post("/ikut")
@once
def join_submit() -> Any:
    form = request.form
    code = form.get("code", "")
    verdict = check_attempt(IKUT, code)
    if not verdict.allowed:  # refused before the code is looked up
        return too_many(render("practice/join.html", "practice/_join_form.html", status=429,
                               errors={"code": verdict.message}, values=form, cohorts=[]),
                        verdict)
    try:
        participant = join_workshop(code, form.get("name", ""), form.get("unit_name", ""),
                                    form.get("cohort", ""), new_person=form.get("baru") == "1",
                                    seat=form.get("kursi", ""))
    except AlreadyRegistered as error:
        # Not a wrong code: nothing is counted against the rate limit, nothing is stored.
        db.session.rollback()
        return render("practice/join.html", "practice/_join_form.html", status=422,
                      errors=error.errors, values=form, already=True,
                      cohorts=cohorts_for_code(code), units=opd_choices_for_code(code),
                      seats=seat_choices_for_code(code))
    except ValidationError as error:
        db.session.rollback()
        if "code" in error.errors and code.strip():  # a wrong code, not a blank field
            record_failure(IKUT, code)
        return render("practice/join.html", "practice/_join_form.html", status=422,
                      errors=error.errors, values=form,
                      cohorts=cohorts_for_code(form.get("code", "")),
                      units=opd_choices_for_code(form.get("code", "")),
                      seats=seat_choices_for_code(form.get("code", "")))
    record_attempt(IKUT, code, succeeded=True)
    db.session.commit()
    _sign_in(participant)
    return redirect_to(url_for("reports.inbox", baru=1))


@bp.post("/ikut/lanjut")
@once
def rejoin_with_code() -> Any:
    form = request.form
    code, personal = form.get("code", ""), form.get("personal_code", "")
    verdict = check_attempt(LANJUT, code)
    if not verdict.allowed:  # refused before the codes are looked up
        return too_many(render("practice/join.html", "practice/_join_form.html", status=429,
                               errors={"personal_code": verdict.message}, values=form),
                        verdict)
    try:
        participant = rejoin_by_code(code, personal)
    except ValidationError as error:
        db.session.rollback()
        if code.strip() and personal.strip():  # a guess, not a blank field
            record_failure(LANJUT, code)
        return render("practice/join.html", "practice/_join_form.html", status=422,
                      errors=error.errors, values=form)
    record_attempt(LANJUT, code, succeeded=True)
    db.session.commit()
    _sign_in(participant)
    return redirect_to(url_for("reports.inbox"))


@bp.get("/kesehatan")
def health() -> Any:
    return {"status": "ok"}


def _choices() -> dict[str, Any]:
    return {"regions": shipped_regions(), "scenarios": list_scenarios()}


def _sign_in(participant: Participant) -> None:
    # A facilitator trying the trainee's side in the same browser stays signed in too.
    session.pop(LEFT_KEY, None)
    sign_in_participant(participant)
