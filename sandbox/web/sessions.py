"""Who the session cookie says is signed in, and how that cookie is sent.

The cookie holds the person's id and their `session_version`; "Keluar" or a password
change bumps the version on the server, so a copied cookie stops working everywhere, not
only in the browser that signed out. A facilitator's sign-in also expires after
FACILITATOR_SESSION_HOURS, counted on the app's clock from the moment of signing in.

The cookie is marked Secure by setting (SECURE_COOKIES: auto, on, off); "auto" follows
`request.is_secure`, which believes X-Forwarded-Proto only when TRUSTED_PROXIES says how
many proxies stand in front (werkzeug's ProxyFix), never by default.

A sign-in or join refused by the rate limit (services.ratelimit) is answered 429 with its
form and a Retry-After header (`too_many`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app, has_request_context, request, session
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from sandbox.domain.errors import DomainError, ValidationError
from sandbox.domain.numbers import parse_int
from sandbox.domain.ratelimit import Verdict
from sandbox.models import Facilitator, Participant
from sandbox.services.accounts import facilitator_by_id
from sandbox.services.practice import participant_by_id
from sandbox.services.ratelimit import policy_from
from sandbox.services.timekeeping import wall_now

SECURE_MODES = ("auto", "on", "off")
MAX_TRUSTED_PROXIES = 5


class LaporSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, Secure when the setting or the request says so."""

    def get_cookie_secure(self, app: Flask) -> bool:
        mode = app.config["SECURE_COOKIES"]
        if mode == "on" or app.config.get("SESSION_COOKIE_SECURE"):
            return True
        if mode == "off":
            return False
        return has_request_context() and request.is_secure


def init_sessions(app: Flask) -> None:
    """Check the cookie, proxy and rate-limit settings; install the session interface."""
    mode = str(app.config.get("SECURE_COOKIES") or "auto").strip().lower()
    if mode not in SECURE_MODES:
        raise DomainError(f"LAPOR_SECURE_COOKIES must be one of {', '.join(SECURE_MODES)}, "
                          f"not {app.config['SECURE_COOKIES']!r}")
    app.config["SECURE_COOKIES"] = mode
    try:
        proxies = parse_int(str(app.config.get("TRUSTED_PROXIES") or 0), "TRUSTED_PROXIES",
                            "LAPOR_TRUSTED_PROXIES", 0, MAX_TRUSTED_PROXIES)
    except ValidationError:
        raise DomainError(f"LAPOR_TRUSTED_PROXIES must be a whole number from 0 to "
                          f"{MAX_TRUSTED_PROXIES} (how many proxies stand in front), "
                          f"not {app.config['TRUSTED_PROXIES']!r}") from None
    app.config["TRUSTED_PROXIES"] = proxies
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies,  # type: ignore[method-assign]
                                x_proto=proxies, x_host=proxies)
    policy_from(app.config)  # nonsense limits stop the start, not the first sign-in
    app.session_interface = LaporSessionInterface()


def sign_in_facilitator(facilitator: Facilitator) -> None:
    """Stamp the cookie with the facilitator, their session version and the time."""
    session["facilitator_id"] = facilitator.id
    session["facilitator_version"] = facilitator.session_version
    session["facilitator_since"] = wall_now().isoformat()
    session.permanent = True


def restamp_facilitator(facilitator: Facilitator) -> None:
    """Keep this browser signed in after the version changed (own password change)."""
    session["facilitator_version"] = facilitator.session_version


def sign_out_facilitator() -> None:
    for key in ("facilitator_id", "facilitator_version", "facilitator_since"):
        session.pop(key, None)


def sign_in_participant(participant: Participant) -> None:
    """Stamp the cookie with the trainee and their session version."""
    session["participant_id"] = participant.id
    session["participant_version"] = participant.session_version
    session.permanent = True


def sign_out_participant() -> None:
    for key in ("participant_id", "participant_version"):
        session.pop(key, None)


def _same_version(account: Any, stamped: object) -> bool:
    return account is not None and isinstance(stamped, int) \
        and stamped == (account.session_version or 0)


def session_facilitator() -> Facilitator | None:
    """The facilitator the cookie names, if its version and age still hold."""
    facilitator = facilitator_by_id(session.get("facilitator_id"))
    if not _same_version(facilitator, session.get("facilitator_version")):
        return None
    try:
        since = datetime.fromisoformat(str(session.get("facilitator_since")))
    except ValueError:
        return None
    hours = current_app.config["FACILITATOR_SESSION_HOURS"]
    if wall_now() - since >= timedelta(hours=hours):
        return None
    return facilitator


def session_participant() -> Participant | None:
    """The trainee the cookie names, if its version still holds."""
    participant = participant_by_id(session.get("participant_id"))
    return participant if _same_version(participant, session.get("participant_version")) \
        else None


def too_many(response: Response, verdict: Verdict) -> Response:
    """A form page refused by the rate limit: 429 (set by the caller) and Retry-After."""
    response.headers["Retry-After"] = str(verdict.retry_after)
    return response
