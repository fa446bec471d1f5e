"""Facilitator pages: a session's downloads, printable records and importing an archive."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, g, request, url_for

from sandbox.domain.errors import DomainError
from sandbox.domain.scoring import Dimension
from sandbox.extensions import db
from sandbox.models import Complaint, Exercise, Participant
from sandbox.services.archive import export_archive, import_archive
from sandbox.services.attendance import INCLUDE_PARAM, apart, include_requested
from sandbox.services.complaints import NotFound
from sandbox.services.exports import (
    counted_trainees,
    event_log_jsonl,
    participant_in,
    results_csv,
    results_xlsx,
    session_info,
    session_results,
)
from sandbox.services.roles import role_label
from sandbox.services.scoring import report_card
from sandbox.services.uploads import ARCHIVE_MAX_BYTES
from sandbox.services.workshops import NoSuchWorkshop, get_workshop
from sandbox.web import error_page
from sandbox.web.htmx import render
from sandbox.web.limits import body_limit
from sandbox.web.once import once

bp = Blueprint("exports", __name__, url_prefix="/fasilitator")

ARCHIVE_UPLOAD_MAX = ARCHIVE_MAX_BYTES  # a session archive is far larger than a form
RESULTS = ("hasil.csv", "hasil.xlsx")  # the downloads that follow the attendance toggle
DOWNLOADS: dict[str, tuple[str, str, Callable[..., bytes]]] = {
    # kind in the URL: (file name pattern, MIME type, service)
    "hasil.csv": ("hasil-{code}.csv", "text/csv; charset=utf-8", results_csv),
    "hasil.xlsx": ("hasil-{code}.xlsx",
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   results_xlsx),
    "log.jsonl": ("log-{code}.jsonl", "application/x-ndjson; charset=utf-8", event_log_jsonl),
    "arsip.json.gz": ("arsip-{code}.json.gz", "application/gzip", export_archive),
}


@bp.get("/sesi/<code>/ekspor")
def index(code: str) -> Any:
    try:
        exercise = get_workshop(g.facilitator, code)
    except NoSuchWorkshop as error:
        return error_page(404, error.message)
    include = _include()
    return render("exports/index.html", exercise=exercise,
                  trainees=counted_trainees(exercise, include), include=include,
                  apart=apart(exercise, include), info=session_info(exercise))


def _include() -> bool:
    """The facilitator's toggle: results and certificates for the inactive too."""
    return include_requested(request.args.get(INCLUDE_PARAM))


@bp.get("/sesi/<code>/ekspor/<kind>")
def download(code: str, kind: str) -> Any:
    """One of the session's files, as an attachment named after the session code."""
    try:
        exercise = get_workshop(g.facilitator, code)
    except NoSuchWorkshop as error:
        return error_page(404, error.message)
    if kind not in DOWNLOADS:
        return error_page(404, f"Tidak ada unduhan «{kind[:30]}». Pilih dari halaman ekspor.")
    pattern, mimetype, make = DOWNLOADS[kind]
    try:
        data = make(exercise, _include()) if kind in RESULTS else make(exercise)
    except DomainError as error:
        db.session.rollback()
        return error_page(400, error.message)
    return Response(data, content_type=mimetype, headers={  # charset given: not twice
        "Content-Disposition": f'attachment; filename="{pattern.format(code=exercise.code)}"',
        "Cache-Control": "no-store"})


def _records(exercise: Exercise, participants: list[Participant]) -> list[dict[str, Any]]:
    """What a printed record shows of each trainee: the card and the reports' subjects."""
    records = []
    for participant in participants:
        card = report_card(participant)
        subjects = {c.tracking_no: c for c in db.session.scalars(
            db.select(Complaint).where(Complaint.participant_id == participant.id))}
        records.append({"participant": participant, "scores": card, "subjects": subjects})
    return records


@bp.get("/sesi/<code>/ekspor/peserta/<int:participant_id>")
def trainee(code: str, participant_id: int) -> Any:
    """One trainee's results on paper: totals, aspects, figures and every report."""
    try:
        exercise = get_workshop(g.facilitator, code)
        records = _records(exercise, [participant_in(exercise, participant_id)])
    except (NoSuchWorkshop, NotFound) as error:
        return error_page(404, error.message)
    except DomainError as error:
        db.session.rollback()
        return error_page(400, error.message)
    return render("exports/trainee.html", exercise=exercise, records=records,
                  info=session_info(exercise), Dimension=Dimension)


@bp.get("/sesi/<code>/ekspor/peserta")
def trainees(code: str) -> Any:
    """Every trainee's record at once, each starting on a new page and compact (one line
    per report) so the stack stays one or two pages a trainee."""
    try:
        exercise = get_workshop(g.facilitator, code)
        records = _records(exercise, counted_trainees(exercise, _include()))
    except NoSuchWorkshop as error:
        return error_page(404, error.message)
    except DomainError as error:
        db.session.rollback()
        return error_page(400, error.message)
    return render("exports/trainee.html", exercise=exercise, records=records,
                  info=session_info(exercise), Dimension=Dimension, compact=True)


@bp.get("/sesi/<code>/ekspor/sertifikat/<int:participant_id>")
def certificate(code: str, participant_id: int) -> Any:
    try:
        exercise = get_workshop(g.facilitator, code)
        participant = participant_in(exercise, participant_id)
    except (NoSuchWorkshop, NotFound) as error:
        return error_page(404, error.message)
    if participant not in counted_trainees(exercise, _include()):
        return error_page(404, "Peserta ini tidak dihitung (belum hadir, belum bertindak, "
                               "disembunyikan atau dihapus), jadi tidak mendapat sertifikat. "
                               "Sertakan peserta yang tidak hadir/tidak aktif di halaman "
                               "ekspor bila ia memang mengikuti pelatihan.")
    return render("exports/certificates.html", exercise=exercise, trainees=[participant],
                  info=session_info(exercise))


@bp.get("/sesi/<code>/ekspor/sertifikat")
def certificates(code: str) -> Any:
    """Every trainee's certificate, one per printed page."""
    try:
        exercise = get_workshop(g.facilitator, code)
    except NoSuchWorkshop as error:
        return error_page(404, error.message)
    return render("exports/certificates.html", exercise=exercise,
                  trainees=counted_trainees(exercise, _include()),
                  info=session_info(exercise))


@bp.get("/sesi/<code>/ekspor/rekap")
def summary(code: str) -> Any:
    """Every trainee's totals on one printable page (the Ringkasan sheet on paper)."""
    try:
        exercise = get_workshop(g.facilitator, code)
        results = session_results(exercise, _include())
    except NoSuchWorkshop as error:
        return error_page(404, error.message)
    except DomainError as error:
        db.session.rollback()
        return error_page(400, error.message)
    return render("exports/summary.html", exercise=exercise, results=results,
                  info=session_info(exercise), Dimension=Dimension,
                  roles={r.participant.id: role_label(r.participant) for r in results})


@bp.post("/impor-arsip")
@body_limit(ARCHIVE_UPLOAD_MAX)  # in force before CSRF reads the body (web/limits.py)
@once
def import_upload() -> Any:
    """A session archive from another laptop becomes one of this facilitator's sessions."""
    upload = request.files.get("arsip")
    data = b""
    if upload is not None:
        try:
            data = upload.read()
        finally:
            upload.close()  # a large upload is spooled to a temporary file: close it now
    if not data:
        return render("exports/imported.html", status=422, result=None,
                      error="Pilih berkas arsip sesi (arsip-KODE.json.gz) terlebih dahulu.")
    try:
        result = import_archive(data, g.facilitator)
    except DomainError as error:
        db.session.rollback()
        return render("exports/imported.html", status=422, result=None, error=error.message)
    db.session.commit()
    return render("exports/imported.html", result=result, error=None,
                  session_url=url_for("facilitator.workshop", code=result.exercise.code))
