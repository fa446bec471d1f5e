"""Everything the app knows about htmx request and response headers lives here."""

from __future__ import annotations

from typing import Any

from flask import make_response, redirect, render_template
from werkzeug.wrappers import Response

from sandbox.extensions import htmx


def is_htmx() -> bool:
    """True for requests made by htmx (and not boosted full-page navigations)."""
    return bool(htmx) and not htmx.boosted


def render(page: str, partial: str | None = None, status: int = 200, **context: Any) -> Response:
    """Render the whole page, or only `partial` for htmx requests; caches must vary on that."""
    template = partial if partial and is_htmx() else page
    response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    return response


def redirect_to(url: str) -> Response:
    """A redirect that htmx follows as a full navigation and a browser as a 303."""
    if is_htmx():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, 303)


def trigger(response: Response, event: str) -> Response:
    """Have htmx fire `event` (bubbling to <body>) when it receives the response."""
    response.headers["HX-Trigger"] = event
    return response


def replace_url(response: Response, url: str) -> Response:
    """Have htmx put `url` in the address bar in place of the current entry."""
    response.headers["HX-Replace-Url"] = url
    return response


def redirect_target(response: Response) -> str | None:
    """Where a response sends the browser: a redirect's Location or htmx's HX-Redirect."""
    if 300 <= response.status_code < 400:
        return response.location
    return response.headers.get("HX-Redirect")
