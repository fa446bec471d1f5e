"""The sign-in limit's storage on each supported database: failures recorded by door and
read back newest first, successes ignored, old rows pruned."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from sandbox.domain.ratelimit import Limit
from sandbox.extensions import db
from sandbox.models import AuthAttempt
from sandbox.services import ratelimit
from sandbox.services.timekeeping import wall_now


def test_failures_are_counted_by_door_client_and_account(any_app, clock):
    limit = any_app.config["RATE_LIMIT_CLIENT_FAILURES"]
    with any_app.test_request_context(environ_base={"REMOTE_ADDR": "10.0.0.5"}):
        for n in range(limit):
            ratelimit.record_attempt(ratelimit.MASUK, f"tebak{n}", succeeded=False)
            ratelimit.record_attempt(ratelimit.MASUK, "ratna", succeeded=True)
        clock.advance(minutes=1)
        verdict = ratelimit.check_attempt(ratelimit.MASUK, "ratna")
        assert not verdict.allowed and verdict.limit is Limit.CLIENT
        assert verdict.wait == timedelta(minutes=14)
        assert ratelimit.check_attempt(ratelimit.IKUT, "ratna").allowed  # another door
        db.session.commit()
    with any_app.test_request_context(environ_base={"REMOTE_ADDR": "10.0.0.6"}):
        assert ratelimit.check_attempt(ratelimit.MASUK, "ratna").allowed
        for _ in range(5):
            ratelimit.record_attempt(ratelimit.MASUK, "  RATNA ", succeeded=False)
        verdict = ratelimit.check_attempt(ratelimit.MASUK, "ratna")
        assert not verdict.allowed and verdict.limit is Limit.ACCOUNT
        db.session.rollback()


def test_rows_older_than_a_day_are_pruned(any_app, clock):
    with any_app.test_request_context():
        ratelimit.record_attempt(ratelimit.IKUT, "SALAH1", succeeded=False)
        clock.advance(hours=23)
        ratelimit.record_attempt(ratelimit.IKUT, "SALAH2", succeeded=False)
        clock.advance(hours=2)
        assert ratelimit.prune_attempts(wall_now()) == 1
        assert db.session.scalars(select(AuthAttempt.account)).all() == ["salah2"]
        assert db.session.scalar(select(func.count()).select_from(AuthAttempt)) == 1
        db.session.rollback()
