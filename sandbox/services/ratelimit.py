"""Storage for the sign-in limits: attempts in the `auth_attempt` table, read back by door.

The verdict is `domain.ratelimit.decide`; this module only feeds it the recent failures
of a client and of an account, and records attempts. The table, not process memory, is
what lets the limit hold when several server processes answer the same room.

The views commit by hand and roll back a failed form, so a failure must be recorded after
that rollback and committed on its own (see `record_failure`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, request
from sqlalchemy import delete, select
from sqlalchemy.orm import InstrumentedAttribute

from sandbox.domain.errors import DomainError
from sandbox.domain.ratelimit import RateLimitPolicy, Verdict, decide
from sandbox.extensions import db
from sandbox.models import AuthAttempt
from sandbox.services.timekeeping import wall_now

# The doors: facilitator sign-in, joining by session code, rejoining with a personal code.
MASUK, IKUT, LANJUT = "masuk", "ikut", "lanjut"
# Doors where one client's attempts of any outcome are capped (domain.ratelimit): only the
# facilitator's sign-in; a room behind one address must be able to join at once.
CAPPED_DOORS = (MASUK,)
KEEP = timedelta(days=1)  # attempts older than this are pruned
PRUNE_EVERY = 100  # prune when the new row's id is a multiple of this: now and then


def policy_from(config: Mapping[str, Any]) -> RateLimitPolicy:
    """The limits from the RATE_LIMIT_* settings; a DomainError names nonsense at startup."""
    try:
        rules = RateLimitPolicy(
            window=timedelta(seconds=int(config["RATE_LIMIT_WINDOW_SECONDS"])),
            client_failures=int(config["RATE_LIMIT_CLIENT_FAILURES"]),
            account_failures=int(config["RATE_LIMIT_ACCOUNT_FAILURES"]),
            account_delay=timedelta(seconds=int(config["RATE_LIMIT_ACCOUNT_DELAY_SECONDS"])),
            account_max_delay=timedelta(
                seconds=int(config["RATE_LIMIT_ACCOUNT_MAX_DELAY_SECONDS"])),
            clean_client_until=int(config["RATE_LIMIT_CLEAN_CLIENT_UNTIL"]),
            client_attempts=int(config["RATE_LIMIT_CLIENT_ATTEMPTS"]))
    except (TypeError, ValueError):
        raise DomainError("Every RATE_LIMIT_* setting must be a whole number.") from None
    if rules.window > KEEP:
        raise DomainError("RATE_LIMIT_WINDOW_SECONDS must be at most one day (older "
                          "attempts are pruned).")
    return rules


def policy() -> RateLimitPolicy:
    """The limits of the running app."""
    return policy_from(current_app.config)


def client_address() -> str:
    """The address the request came from (behind trusted proxies, as they report it)."""
    return (request.remote_addr or "unknown")[:64]


def account_key(value: str) -> str:
    """How an account is written in the table: trimmed, lowercase, at most 120 characters."""
    return (value or "").strip().lower()[:120]


def _recent_failures(scope: str, column: InstrumentedAttribute[str], value: str, since: datetime,
                     limit: int) -> list[datetime]:
    # Served by the (scope, client|account, wall_at) indexes; `limit` keeps an attack's
    # thousands of rows from being read back.
    return list(db.session.scalars(
        select(AuthAttempt.wall_at)
        .where(AuthAttempt.scope == scope, column == value, AuthAttempt.wall_at > since,
               AuthAttempt.succeeded.is_(False))
        .order_by(AuthAttempt.wall_at.desc()).limit(limit)))


def check_attempt(scope: str, account: str) -> Verdict:
    """Whether this client may try `account` on the door `scope` now (reads only)."""
    rules, now = policy(), wall_now()
    since = now - rules.window
    key = account_key(account)
    by_client = _recent_failures(scope, AuthAttempt.client, client_address(), since,
                                 rules.client_history)
    by_account = _recent_failures(scope, AuthAttempt.account, key, since,
                                  rules.account_history)
    attempts = list(db.session.scalars(
        select(AuthAttempt.wall_at)
        .where(AuthAttempt.scope == scope, AuthAttempt.client == client_address(),
               AuthAttempt.wall_at > since)
        .order_by(AuthAttempt.wall_at.desc()).limit(rules.client_attempts)
    )) if scope in CAPPED_DOORS else None
    return decide(rules, by_client, by_account, now, attempts)


def record_attempt(scope: str, account: str, succeeded: bool) -> AuthAttempt:
    """Add one attempt by this client (flushed, not committed); prune old rows now and then."""
    now = wall_now()
    attempt = AuthAttempt(scope=scope, client=client_address(), account=account_key(account),
                          succeeded=succeeded, wall_at=now)
    db.session.add(attempt)
    db.session.flush()
    if attempt.id % PRUNE_EVERY == 0:
        prune_attempts(now)
    return attempt


def record_failure(scope: str, account: str) -> None:
    """Record a failed attempt and commit it at once.

    Call after rolling back the failed form: the request writes nothing else, but the
    failure must stay even though the rest of the request was undone.
    """
    record_attempt(scope, account, succeeded=False)
    db.session.commit()


def prune_attempts(now: datetime) -> int:
    """Delete attempts older than a day (the window is far shorter); return how many."""
    result = db.session.execute(delete(AuthAttempt).where(AuthAttempt.wall_at < now - KEEP))
    return int(getattr(result, "rowcount", 0) or 0)
