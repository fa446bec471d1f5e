"""Web layer: blueprints, default-deny access, template helpers and error pages."""

from __future__ import annotations

import secrets
from typing import Any

from flask import Flask, g, request, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from sandbox.domain import decisions, session, workflow
from sandbox.domain.catalogue import CHANNELS
from sandbox.domain.clock import format_tanggal, to_local
from sandbox.domain.workflow import status_label
from sandbox.extensions import db
from sandbox.services.complaints import NotFound
from sandbox.services.session_log import current_message
from sandbox.services.timekeeping import session_status
from sandbox.web.htmx import redirect_to, render
from sandbox.web.sessions import session_facilitator, session_participant

# Endpoints anyone may reach. Everything else needs a signed-in facilitator (the
# facilitator.* endpoints) or a joined trainee (all the others): default-deny.
PUBLIC_ENDPOINTS = frozenset({
    "static", "practice.landing", "practice.start", "practice.rejoin", "practice.health",
    "practice.join", "practice.join_with_code", "practice.join_submit",
    "practice.rejoin_with_code",
    "facilitator.login",
})
# Blueprints whose every endpoint needs a signed-in facilitator.
FACILITATOR_BLUEPRINTS = frozenset({"facilitator", "debrief", "exports", "roster",
                                    "comparison", "refresher_facilitator"})


def register_web(app: Flask) -> None:
    from sandbox.web.comparison import bp as comparison_bp
    from sandbox.web.debrief import bp as debrief_bp
    from sandbox.web.exports import bp as exports_bp
    from sandbox.web.facilitator import bp as facilitator_bp
    from sandbox.web.input_guard import refuse_hostile_input
    from sandbox.web.practice import bp as practice_bp
    from sandbox.web.refresher import bp as refresher_bp
    from sandbox.web.refresher import facilitator_bp as refresher_facilitator_bp
    from sandbox.web.reports import bp as reports_bp
    from sandbox.web.results import bp as results_bp
    from sandbox.web.roster import bp as roster_bp
    from sandbox.web.security import init_security

    app.register_blueprint(practice_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(results_bp)
    app.register_blueprint(facilitator_bp)
    app.register_blueprint(debrief_bp)
    app.register_blueprint(exports_bp)
    app.register_blueprint(roster_bp)
    app.register_blueprint(comparison_bp)
    app.register_blueprint(refresher_bp)
    app.register_blueprint(refresher_facilitator_bp)
    app.before_request(refuse_hostile_input)
    app.before_request(load_user)
    init_security(app)
    app.context_processor(template_globals)
    app.add_template_filter(format_tanggal, "tanggal")
    app.add_template_filter(poin, "poin")
    app.add_template_filter(lambda moment, zone: f"{to_local(moment, zone):%H:%M}", "jam")
    app.add_template_global(status_label, "status_label")  # as the trainee sees it
    register_error_handlers(app)


def poin(value: float) -> str:
    """A score the Indonesian way: one decimal at most, decimal comma ("88,6", "25")."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if text != "-0" else "0"


def load_user() -> Any:
    """Default-deny: outside the allowlist, a page needs the right kind of signed-in user."""
    # A cookie whose session version is out of date (after "Keluar" or a password
    # change) or a facilitator's that is too old counts as signed out.
    g.participant = session_participant()
    g.facilitator = session_facilitator()
    endpoint = request.endpoint
    if endpoint is None or endpoint in PUBLIC_ENDPOINTS:
        return None  # public, or an unknown URL for the 404 handler
    if request.blueprint in FACILITATOR_BLUEPRINTS:
        if g.facilitator is not None:
            return None
        if g.participant is not None:
            return error_page(403, "Halaman ini khusus fasilitator.")
        return redirect_to(url_for("facilitator.login", next=request.path))
    if g.participant is not None:
        return None
    if g.facilitator is not None:
        return error_page(403, "Halaman ini khusus peserta. Fasilitator melihat peserta dari "
                               "halaman sesi.")
    return redirect_to(url_for("practice.landing", next=request.path))


def template_globals() -> dict[str, Any]:
    return {
        "State": workflow.State,
        "Action": workflow.Action,
        "Role": workflow.Role,
        "Klasifikasi": workflow.Klasifikasi,
        "ArchiveReason": workflow.ArchiveReason,
        "SessionState": session.SessionState,
        "ClockCommand": session.ClockCommand,
        "Verdict": decisions.Verdict,
        "KATEGORI": workflow.KATEGORI_LABELS,
        "CHANNELS": CHANNELS,
        "participant": g.get("participant"),
        "facilitator": g.get("facilitator"),
        "new_form_key": lambda: secrets.token_urlsafe(18),
        "current_message": current_message,
        "session_status": session_status,
    }


ERROR_TITLES = {
    400: "Permintaan tidak valid",
    403: "Akses ditolak",
    404: "Halaman tidak ditemukan",
    405: "Metode tidak diizinkan",
    409: "Formulir sudah terkirim",
    413: "Data terlalu besar",
    429: "Terlalu banyak percobaan",
    500: "Terjadi kesalahan pada server",
}
ERROR_MESSAGES = {
    400: "Permintaan tidak dapat diproses. Periksa isian lalu coba lagi.",
    403: "Anda tidak memiliki akses ke halaman ini.",
    404: "Alamat yang Anda buka tidak ada, atau bukan milik sesi Anda.",
    405: "Halaman ini tidak menerima cara pengiriman tersebut.",
    500: "Maaf, terjadi kesalahan. Tidak ada data Anda yang hilang; silakan coba lagi.",
}


def error_page(status: int, message: str | None = None) -> Any:
    return render("errors/error.html", "errors/_error.html", status=status,
                  title=ERROR_TITLES.get(status, "Kesalahan"),
                  message=message or ERROR_MESSAGES.get(status, ""), code=status)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> Any:
        db.session.rollback()
        return error_page(400, "Sesi formulir kedaluwarsa atau token keamanan (CSRF) tidak "
                               "valid. Muat ulang halaman lalu kirim lagi.")

    @app.errorhandler(NotFound)
    def not_found(error: NotFound) -> Any:
        db.session.rollback()
        return error_page(404, error.message)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        db.session.rollback()
        if error.code == 413:  # the limit differs by form (an archive upload allows more)
            limit = (request.max_content_length or 0) / (1024 * 1024)
            return error_page(413, f"Data yang dikirim melebihi batas {limit:g} MB.")
        return error_page(error.code or 500)

    @app.errorhandler(Exception)
    def server_error(error: Exception) -> Any:
        db.session.rollback()
        app.logger.exception("Unhandled error")
        return error_page(500)
