"""Refresher scenarios (services.refresher): a trainee downloads theirs or starts it as a
solo practice from «Hasil saya»; the facilitator downloads one person's, or a ZIP of all."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, g, url_for

from sandbox.domain.errors import DomainError
from sandbox.extensions import db
from sandbox.services.refresher import (
    NoSuchPerson,
    refresher_for,
    refresher_of,
    refresher_zip,
    start_refresher,
)
from sandbox.services.workshops import NoSuchWorkshop, get_workshop
from sandbox.web import error_page
from sandbox.web.htmx import redirect_to
from sandbox.web.once import once
from sandbox.web.sessions import sign_in_participant

bp = Blueprint("refresher", __name__)
facilitator_bp = Blueprint("refresher_facilitator", __name__, url_prefix="/fasilitator")

TOML_TYPE = "application/toml; charset=utf-8"


def _attachment(data: str | bytes, filename: str, mimetype: str) -> Response:
    return Response(data, content_type=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store"})


@bp.get("/hasil/latihan-ulang.toml")
def download() -> Any:
    """The signed-in trainee's refresher scenario, once their session has ended."""
    try:
        refresher = refresher_for(g.participant)
    except DomainError as error:
        return error_page(400, error.message)
    return _attachment(refresher.text, refresher.filename, TOML_TYPE)


@bp.post("/hasil/latihan-ulang/mulai")
@once
def start() -> Any:
    """Start the trainee's refresher as a solo practice on this server, signed in to it."""
    try:
        practice = start_refresher(g.participant)
    except DomainError as error:
        db.session.rollback()
        return error_page(400, error.message)
    db.session.commit()
    sign_in_participant(practice)
    return redirect_to(url_for("reports.inbox", baru=1))


@facilitator_bp.get("/sesi/<code>/latihan-ulang/<int:participant_id>.toml")
def person(code: str, participant_id: int) -> Any:
    """One person's refresher, for the facilitator to send them."""
    try:
        refresher = refresher_of(get_workshop(g.facilitator, code), participant_id)
    except (NoSuchWorkshop, NoSuchPerson) as error:
        return error_page(404, error.message)
    except DomainError as error:
        return error_page(400, error.message)
    return _attachment(refresher.text, refresher.filename, TOML_TYPE)


@facilitator_bp.get("/sesi/<code>/latihan-ulang.zip")
def everyone(code: str) -> Any:
    """Every person's refresher of the session in one ZIP (reads only)."""
    try:
        exercise = get_workshop(g.facilitator, code)
        data = refresher_zip(exercise)
    except NoSuchWorkshop as error:
        return error_page(404, error.message)
    except DomainError as error:
        return error_page(400, error.message)
    return _attachment(data, f"latihan-ulang-{exercise.code}.zip", "application/zip")
