"""Security headers, set on every response in one place: what a page may load and run, who
may frame it, what the browser may guess or send on, and what it may keep on disk.

The templates and static files follow the policy: no inline script, event-handler attribute
or style (a test scans the templates for them), and htmx is configured not to inject its
indicator <style> nor to evaluate JavaScript from attributes (see base.html).
"""

from __future__ import annotations

from flask import Flask, request
from werkzeug.wrappers import Response

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",           # vendored htmx, app.js and debrief.js only: nothing inline
    "style-src 'self'",            # css/*.css only: no style attributes, no <style> blocks
    "img-src 'self' data:",        # the entry cards' QR codes are data: URIs drawn by segno
    "connect-src 'self'",          # htmx requests go to this server only
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",      # never framed (clickjacking on the control bar)
])

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate CSP 2
    "X-Content-Type-Options": "nosniff",
    # Not "no-referrer": over HTTPS, Flask-WTF's CSRF check requires a same-origin
    # Referer on every form post. Other sites never learn a page's address (the session
    # code and a trainee's personal code travel in the join links).
    "Referrer-Policy": "same-origin",
    # Nothing here uses them. Fullscreen stays allowed: the projector asks for it.
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}

# Responses a browser or proxy may keep. Every page carries a CSRF token in its markup,
# and most show someone's results, a session code or a personal code; exports, printable
# records and entry cards are personal data. On a shared training-room computer nothing of
# that may stay in the disk cache or come back through the Back button after "Keluar", so
# everything but the static files (public, and revalidated by ETag) is `no-store`.
CACHEABLE_ENDPOINTS = frozenset({"static"})


def set_security_headers(response: Response) -> Response:
    """Add the security headers, and `Cache-Control: no-store` outside the static files."""
    response.headers.update(SECURITY_HEADERS)
    if request.endpoint not in CACHEABLE_ENDPOINTS:
        response.headers["Cache-Control"] = "no-store"
    return response


def init_security(app: Flask) -> None:
    app.after_request(set_security_headers)
