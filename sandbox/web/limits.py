"""How large a request body may be, per endpoint: the app-wide limit unless a view says more.

The limit must be in force before anything reads the body. CSRF protection reads the
form in its own before_request, so the hook here is registered ahead of it (see
app.init_request_limits); a limit set inside the view would come too late, and an
archive of 3 MB would be refused under the 2 MB meant for ordinary forms.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app, request

View = TypeVar("View", bound=Callable[..., Any])
ATTRIBUTE = "body_limit"


def body_limit(size: int) -> Callable[[View], View]:
    """Let a view accept a request body of up to `size` bytes (an upload form)."""

    def mark(view: View) -> View:
        setattr(view, ATTRIBUTE, size)
        return view

    return mark


def apply_body_limit() -> None:
    """Before any hook reads the body: the matched view's own limit, if it has one."""
    view = current_app.view_functions.get(request.endpoint or "")
    size = getattr(view, ATTRIBUTE, None)
    if size is not None:
        request.max_content_length = size
