"""Exactly once: a state-changing POST carries a one-time key, so a retry records nothing.

On a training room's hotspot a phone often sends a form twice: the first answer is lost
and the browser resends, or a raw double POST arrives. A join, an injected report or a
clock command must still be recorded once. `@once` guards every state-changing POST view
(a test walks the URL map); report actions keep their own key (`idem_key`, unique on
`Event`, see services.complaints.record_action).

How it works:
- Every POST form carries a fresh random key in the hidden field `kunci`
  (templates/_form_key.html). A POST without a well-formed key is refused with 400 and
  "muat ulang halaman": our forms always send one, with or without JavaScript.
- The first request with a key adds and flushes its `RequestKey` row *before* the view
  runs, with the claim: the address, the sender and a fingerprint of the fields. The
  view's own `db.session.commit()` then commits the key together with what the view
  recorded, so neither is ever stored without the other. When the view succeeded (2xx or
  a redirect) the answer is added to the row and committed: a redirect's target
  (re-issued as a 303 or an HX-Redirect, whichever the repeat needs) or a page's status
  and body, plus the session-cookie changes the view made, because the first response's
  cookie (a join's sign-in) may be exactly what the hotspot lost.
- When the view refused (4xx, a form with errors) or raised, everything is rolled back,
  the key row included, so a corrected resubmit with the same key runs.
- A repeat finds the row. If the domain's `replay_refusal` agrees it is the same request
  (same address, same sender or the person it signed in, same fields) it gets the stored
  answer and session changes and records nothing; otherwise a 409 says why.
- Twins at the same moment: on SQLite every writing transaction begins IMMEDIATE
  (app.py), so a twin waits for the first request's commit and then finds the row. On
  PostgreSQL the twin's insert blocks on the unique index until the first request commits,
  then fails with IntegrityError; the twin rolls back and reads the row. Between the view's
  commit and the stored answer a twin may find the row without an answer: it rolls back
  (freeing SQLite's write lock) and looks again for up to PENDING_WAIT_SECONDS. A row that
  stays without an answer (the server died between the two commits) gets a 409 asking to
  reload; the action itself was recorded once.
- Rows older than two days are pruned, at most hourly, when an answer is stored.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import replace
from functools import wraps
from typing import Any, TypeVar

from flask import current_app, g, make_response, request, session
from flask.json.tag import TaggedJSONSerializer
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from werkzeug.wrappers import Response

from sandbox.domain.request_keys import Claim, Identity, is_form_key, replay_refusal
from sandbox.extensions import db
from sandbox.models import RequestKey
from sandbox.services.request_keys import (
    answer_of,
    claim_key,
    claim_of,
    find_key,
    forget_key,
    prune_keys,
    store_answer,
    stored_address,
)
from sandbox.web import error_page
from sandbox.web.htmx import redirect_target, redirect_to

FIELD = "kunci"
PENDING_WAIT_SECONDS = 5.0
POLL_SECONDS = 0.05
BODY_MAX = 256 * 1024  # a page answer larger than this is not kept (POST views redirect)
# Session entries that belong to the browser, not to what the request did.
SESSION_OWN = frozenset({"csrf_token", "_flashes"})

MISSING_KEY = ("Formulir tidak lengkap (kunci formulir hilang). Muat ulang halaman lalu "
               "kirim lagi.")
RECORDED = ("Permintaan ini sudah tercatat sebelumnya. Muat ulang halaman untuk melihat "
            "hasilnya.")

View = TypeVar("View", bound=Callable[..., Any])
_session_json = TaggedJSONSerializer()  # what Flask's cookie holds, datetimes included


def once(view: View) -> View:
    """Guard a POST view with a one-time form key; GETs pass straight through.

    The key is read from the body, so a view that accepts a larger body than a form (an
    upload) raises its limit before any hook runs (web/limits.py's `body_limit`).
    """

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if request.method != "POST":
            return view(*args, **kwargs)
        return _exactly_once(view, args, kwargs)

    guarded.exactly_once = True  # type: ignore[attr-defined]
    return guarded  # type: ignore[return-value]


def _exactly_once(view: Callable[..., Any], args: tuple[Any, ...],
                  kwargs: dict[str, Any]) -> Any:
    key = request.form.get(FIELD, "")
    if not is_form_key(key):
        return error_page(400, MISSING_KEY)
    address, sender, fingerprint = stored_address(request.path), _sender(), _fingerprint()
    deadline = time.monotonic() + PENDING_WAIT_SECONDS
    while True:
        row = find_key(key)
        if row is None:
            claim = Claim(address, (sender,), fingerprint)
            try:
                row = claim_key(key, claim)
            except IntegrityError:
                db.session.rollback()  # a twin claimed it first (PostgreSQL): read its row
            else:
                return _first(row, claim, view, args, kwargs)
        else:
            refusal = replay_refusal(claim_of(row), address, sender, fingerprint)
            answer = answer_of(row)
            db.session.rollback()  # read only; frees SQLite's write lock for the first request
            if refusal is not None:
                return error_page(409, refusal)
            if answer is not None:
                return _replay(answer)
        if time.monotonic() >= deadline:
            return error_page(409, RECORDED)
        time.sleep(POLL_SECONDS)  # the first request is between its two commits


def _first(row: RequestKey, claim: Claim, view: Callable[..., Any], args: tuple[Any, ...],
           kwargs: dict[str, Any]) -> Response:
    """Run the view under a claimed key; keep its answer if it succeeded, else the key goes."""
    before = dict(session)
    try:
        response = make_response(view(*args, **kwargs))
    except BaseException:
        with suppress(SQLAlchemyError):  # the original error matters more
            _release(row)
        raise
    if not 200 <= response.status_code < 400:
        _release(row)
        return response
    became = _became(claim.owners[0], before)
    owners = claim.owners if became in claim.owners else (*claim.owners, became)
    store_answer(row, replace(claim, owners=owners), _answer(response, before))
    prune_keys()
    db.session.commit()
    return response


def _release(row: RequestKey) -> None:
    db.session.rollback()
    if inspect(row).persistent:  # the view committed before refusing: take the key back
        forget_key(row)
        db.session.commit()


def _sender() -> Identity:
    facilitator, participant = g.get("facilitator"), g.get("participant")
    return (facilitator.id if facilitator is not None else None,
            participant.id if participant is not None else None)


def _became(sender: Identity, before: dict[str, Any]) -> Identity:
    """Who the sender is after the view: the same, unless it signed someone in or out."""
    facilitator, participant = sender
    if session.get("facilitator_id") != before.get("facilitator_id"):
        facilitator = session.get("facilitator_id")
    if session.get("participant_id") != before.get("participant_id"):
        participant = session.get("participant_id")
    return (facilitator, participant)


def _fingerprint() -> str:
    """A digest of what the request said: query, fields (but the key and token) and files."""
    skip = {FIELD, current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")}
    fields = sorted((name, value) for name, value in request.form.items(multi=True)
                    if name not in skip)
    files = sorted((name, upload.filename or "", _file_digest(upload.stream))
                   for name, upload in request.files.items(multi=True))
    said = json.dumps([request.query_string.decode("latin-1"), fields, files])
    return hashlib.sha256(said.encode()).hexdigest()[:32]


def _file_digest(stream: Any) -> str:
    digest = hashlib.sha256()
    position = stream.tell()
    stream.seek(0)
    while chunk := stream.read(1024 * 1024):
        digest.update(chunk)
    stream.seek(position)
    return digest.hexdigest()


def _answer(response: Response, before: dict[str, Any]) -> dict[str, Any]:
    """What a repeat needs to answer the same: the redirect or the page, and the cookie."""
    changed = {name: value for name, value in session.items()
               if name not in SESSION_OWN and (name not in before or before[name] != value)}
    dropped = [name for name in before if name not in session and name not in SESSION_OWN]
    answer: dict[str, Any] = {
        "session": _session_json.dumps({"set": changed, "drop": dropped})
        if changed or dropped else None}
    target = redirect_target(response)
    if target is not None:
        answer["redirect"] = target
        return answer
    body = response.get_data(as_text=True) if response.is_sequence else None
    answer.update(status=response.status_code, mimetype=response.mimetype,
                  body=body if body is not None and len(body) <= BODY_MAX else None)
    return answer


def _replay(answer: dict[str, Any]) -> Any:
    """The first request's answer again, with the same sign-in (or sign-out) it made."""
    if answer.get("session"):
        changes = _session_json.loads(answer["session"])
        for name in changes["drop"]:
            session.pop(name, None)
        session.update(changes["set"])
    if "redirect" in answer:
        return redirect_to(answer["redirect"])
    if answer.get("body") is None:
        return error_page(409, RECORDED)
    response = make_response(answer["body"], answer["status"])
    response.mimetype = answer["mimetype"]
    response.vary.add("HX-Request")
    return response
