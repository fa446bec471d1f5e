"""Facilitator pages: the participant list of a session, importing it from a file, and
printable entry cards with each trainee's personal code."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import segno
from flask import Blueprint, Response, g, request, url_for

from sandbox.domain.errors import DomainError, ValidationError
from sandbox.domain.hosts import PrintHost, parse_print_host, print_host_warnings
from sandbox.domain.numbers import parse_optional_int
from sandbox.domain.session import SessionState
from sandbox.extensions import db
from sandbox.models import Exercise, Participant
from sandbox.services.attendance import listed, presences
from sandbox.services.participants import (
    NoSuchParticipant,
    hide_participant,
    merge_participants,
    remove_participant,
    rename_participant,
    show_participant,
)
from sandbox.services.roster import ROW_LIMIT, RosterError, import_roster, roster_template
from sandbox.services.timekeeping import clock_state
from sandbox.services.workshops import NoSuchWorkshop, get_workshop, session_cohorts
from sandbox.web import error_page
from sandbox.web.facilitator import join_url
from sandbox.web.htmx import redirect_to, render
from sandbox.web.once import once

bp = Blueprint("roster", __name__, url_prefix="/fasilitator")

PROBLEMS_SHOWN = 100  # a list with every row wrong would otherwise fill several screens


def _ordered(participants: list[Participant]) -> list[Participant]:
    """By cohort, then name: the order cards are handed out in."""
    return sorted(participants, key=lambda p: ((p.cohort or "").casefold(), p.name.casefold(),
                                               p.id))


def _page(exercise: Exercise, status: int = 200, problems: list[str] | None = None,
          imported: int | None = None, manage_errors: dict[str, str] | None = None,
          editing: int | None = None, values: Any = None) -> Any:
    return render("roster/index.html", status=status, exercise=exercise,
                  participants=_ordered(listed(exercise)), problems=problems or [],
                  shown=PROBLEMS_SHOWN, imported=imported, row_limit=ROW_LIMIT,
                  ended=clock_state(exercise) == SessionState.BERAKHIR,
                  cohorts=session_cohorts(exercise), presence=presences(exercise),
                  manage_errors=manage_errors or {}, editing=editing, values=values or {})


@bp.get("/sesi/<code>/peserta")
def index(code: str) -> Any:
    try:
        exercise = get_workshop(g.facilitator, code)
    except NoSuchWorkshop as error:
        return error_page(404, error.message)
    try:  # how many the import just added, shown once after the redirect
        imported = parse_optional_int(request.args.get("impor"), "impor", "Jumlah", 0,
                                      ROW_LIMIT)
    except ValidationError:
        imported = None
    return _page(exercise, imported=imported)


@bp.post("/sesi/<code>/peserta")
@once
def upload(code: str) -> Any:
    try:
        exercise = get_workshop(g.facilitator, code)
    except NoSuchWorkshop as error:
        return error_page(404, error.message)
    sent = request.files.get("berkas")
    if sent is None or not sent.filename:
        return _page(exercise, 422, ["Pilih berkas daftar peserta (.csv atau .xlsx) dulu."])
    try:
        added = import_roster(exercise, sent.filename, sent.read(), g.facilitator.name)
    except RosterError as error:
        db.session.rollback()
        return _page(exercise, 422, error.problems)
    db.session.commit()
    return redirect_to(url_for("roster.index", code=exercise.code, impor=len(added)))


@bp.get("/sesi/<code>/peserta/contoh.csv")
def template(code: str) -> Any:
    """An example list to fill in, named after the session."""
    try:
        exercise = get_workshop(g.facilitator, code)
    except NoSuchWorkshop as error:
        return error_page(404, error.message)
    return Response(roster_template().encode("utf-8"), mimetype="text/csv",
                    headers={"Content-Disposition":
                             f'attachment; filename="peserta-{exercise.code}.csv"'})


@bp.get("/sesi/<code>/peserta/kartu")
def cards(code: str) -> Any:
    """Entry cards to print and cut: session code, personal code, address and a QR each."""
    try:
        exercise = get_workshop(g.facilitator, code)
    except NoSuchWorkshop as error:
        return error_page(404, error.message)
    cohort = request.args.get("kohort", "")
    chosen = [p for p in _ordered(listed(exercise))
              if p.personal_code and (not cohort or p.cohort == cohort)]
    # The cards carry the host the facilitator confirms (`alamat`), prefilled with the
    # server's address now: tomorrow's hotspot may give the laptop another one.
    now = urlsplit(join_url(exercise.code))
    try:
        current: PrintHost | None = parse_print_host(now.netloc)
    except ValidationError:  # a Host header no card could carry: nothing to compare with
        current = None
    typed = request.args.get("alamat")
    context: dict[str, Any] = {"exercise": exercise, "cohort": cohort,
                               "cohorts": session_cohorts(exercise),
                               "host_text": now.netloc if typed is None else typed}
    try:
        host = current if typed is None and current else parse_print_host(typed or "")
    except ValidationError as error:
        return render("roster/cards.html", status=422, participants=[], qr={}, address="",
                      warnings=[], host_error=error.message, **context)
    path = url_for("practice.join_with_code", code=exercise.code)
    address = f"{now.scheme}://{host.netloc}{path}"
    # The QR fills in both codes; the trainee still presses "Masuk lagi" themselves.
    qr = {p.id: segno.make(f"{address}?pribadi={p.personal_code}", error="m")
          .svg_data_uri(scale=3, border=1) for p in chosen}
    return render("roster/cards.html", participants=chosen, qr=qr, address=address,
                  warnings=print_host_warnings(host, current, now.scheme), host_error="",
                  **context)


# ------------------------------------------------------------------ managing participants

MANAGE: dict[str, Callable[[Exercise, int, str], Participant]] = {
    "sembunyikan": hide_participant, "tampilkan": show_participant,
    "hapus": remove_participant,
}


def _managed(code: str, act: Callable[[Exercise], object],
             editing: int | None = None) -> Any:
    """Run one change to the participants; refusals come back on the list, in Indonesian."""
    try:
        exercise = get_workshop(g.facilitator, code)
    except NoSuchWorkshop as error:
        return error_page(404, error.message)
    try:
        act(exercise)
    except NoSuchParticipant as error:
        db.session.rollback()
        return error_page(404, error.message)
    except ValidationError as error:
        db.session.rollback()
        return _page(exercise, 422, manage_errors=error.errors, editing=editing,
                     values=request.form)
    except DomainError as error:
        db.session.rollback()
        return error_page(400, error.message)
    db.session.commit()
    return redirect_to(url_for("roster.index", code=exercise.code, _anchor="roster"))


@bp.post("/sesi/<code>/peserta/<int:participant_id>/ubah")
@once
def rename(code: str, participant_id: int) -> Any:
    """A new name and OPD, checked as joining checks them."""
    form = request.form
    return _managed(code, lambda exercise: rename_participant(
        exercise, participant_id, form.get("name", ""), form.get("unit_name", ""),
        g.facilitator.name), editing=participant_id)


@bp.post("/sesi/<code>/peserta/<int:participant_id>/<kind>")
@once
def manage(code: str, participant_id: int, kind: str) -> Any:
    """Hide, show again or remove one participant (their events stay in the log)."""
    if kind not in MANAGE:
        return error_page(404, "Perintah untuk peserta tidak dikenal.")
    return _managed(code, lambda exercise: MANAGE[kind](exercise, participant_id,
                                                       g.facilitator.name))


@bp.post("/sesi/<code>/peserta/gabung")
@once
def merge(code: str) -> Any:
    """Two entries of one person become one: the kept one's name, code and reports."""
    form = request.form
    return _managed(code, lambda exercise: merge_participants(
        exercise, form.get("simpan"), form.get("gabung"), g.facilitator.name))
