"""One-time request keys: claim a key, keep its first answer, forget it after two days.

The web layer's `once` decorator (sandbox/web/once.py) is the only caller; the design is
described there. This module only loads, adds and flushes `RequestKey` rows.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import delete, select

from sandbox.domain.request_keys import Claim
from sandbox.extensions import db
from sandbox.models import RequestKey
from sandbox.services.timekeeping import wall_now

KEEP_FOR = timedelta(days=2)  # a hotspot retries within seconds; a key is forgotten after this
PRUNE_EVERY = timedelta(hours=1)
ADDRESS_MAX = 80  # RequestKey.endpoint
_PRUNED_AT = "lapor.request_keys_pruned_at"


def stored_address(path: str) -> str:
    """`path` as the key row keeps it: itself, or its digest when too long for the column."""
    if len(path) <= ADDRESS_MAX:
        return path
    return "#" + hashlib.sha256(path.encode()).hexdigest()


def find_key(key: str) -> RequestKey | None:
    return db.session.scalar(select(RequestKey).where(RequestKey.key == key))


def claim_of(row: RequestKey) -> Claim:
    result = row.result or {}
    return Claim(address=row.endpoint,
                 owners=tuple((owner[0], owner[1]) for owner in result.get("owners", [])),
                 fingerprint=str(result.get("fingerprint", "")))


def answer_of(row: RequestKey) -> dict[str, Any] | None:
    """The first answer, or None while the first request has not stored it yet."""
    answer: dict[str, Any] | None = (row.result or {}).get("answer")
    return answer


def claim_key(key: str, claim: Claim) -> RequestKey:
    """Add the key row and flush it, so a twin request waits on (or trips over) it.

    On PostgreSQL a twin's flush blocks on the unique index until this transaction ends,
    then raises IntegrityError; the caller rolls back and replays.
    """
    row = RequestKey(key=key, endpoint=claim.address, wall_at=wall_now(),
                     result=_claim_result(claim))
    db.session.add(row)
    db.session.flush()
    return row


def store_answer(row: RequestKey, claim: Claim, answer: dict[str, Any]) -> None:
    """Keep the first answer with the claim (whose owners may have grown by a sign-in)."""
    row.result = {**_claim_result(claim), "answer": answer}
    db.session.add(row)  # back in, should the view have rolled back and still succeeded
    db.session.flush()


def forget_key(row: RequestKey) -> None:
    """Drop a key whose request was refused after all, so a corrected resubmit runs."""
    db.session.delete(row)
    db.session.flush()


def prune_keys() -> None:
    """Delete keys older than KEEP_FOR, at most once per PRUNE_EVERY per process."""
    now = wall_now()
    last = current_app.extensions.get(_PRUNED_AT)
    if last is not None and timedelta(0) <= now - last < PRUNE_EVERY:
        return
    current_app.extensions[_PRUNED_AT] = now
    db.session.execute(delete(RequestKey).where(RequestKey.wall_at < now - KEEP_FOR))


def _claim_result(claim: Claim) -> dict[str, Any]:
    return {"owners": [list(owner) for owner in claim.owners],
            "fingerprint": claim.fingerprint}
