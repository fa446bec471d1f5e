"""Shared fixtures: an app on a throwaway database, a manual clock, and a joined trainee."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from sandbox import create_app
from sandbox.config import TestConfig
from sandbox.domain.clock import ManualClock
from sandbox.extensions import db
from tests.factories import make_participant
from tests.postgres import throwaway_cluster


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


def build_app(tmp_path: Path, clock: ManualClock, database_url: str | None = None,
              fresh: bool = True, **overrides: object) -> Flask:
    """An app on a test database; `fresh=False` keeps what is stored (a restart)."""
    os.environ["LAPOR_INSTANCE_PATH"] = str(tmp_path / "instance")
    url = database_url or f"sqlite:///{tmp_path / 'test.db'}"
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url, WALL_CLOCK=clock, **overrides)
    with app.app_context():
        from sandbox import models  # noqa: F401

        if fresh:
            db.drop_all()
        db.create_all()
    return app


# The whole suite runs on SQLite, and in CI a second time on PostgreSQL (.ci/run).
TEST_DATABASE = os.environ.get("LAPOR_TEST_DATABASE", "sqlite")


@pytest.fixture
def app(tmp_path: Path, clock: ManualClock, monkeypatch: pytest.MonkeyPatch,
        request: pytest.FixtureRequest) -> Iterator[Flask]:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    url = request.getfixturevalue("postgres_url") if TEST_DATABASE == "postgresql" else None
    application = build_app(tmp_path, clock, database_url=url)
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@dataclass
class Trainee:
    participant_id: int
    token: str
    tracking_numbers: list[str]


@pytest.fixture
def trainee(app: Flask) -> Trainee:
    """A trainee with a 12-report practice set from a fixed seed."""
    with app.app_context():
        participant = make_participant(seed=2026, count=12)
        numbers = [c.tracking_no for c in sorted(participant_complaints(participant),
                                                 key=lambda c: c.position)]
        result = Trainee(participant.id, participant.token, numbers)
        db.session.commit()
    return result


def participant_complaints(participant: object) -> list:
    from sqlalchemy import select

    from sandbox.models import Complaint

    return list(db.session.scalars(
        select(Complaint).where(Complaint.participant_id == participant.id)))  # type: ignore[attr-defined]


@pytest.fixture
def logged_in(client: FlaskClient, trainee: Trainee) -> FlaskClient:
    """The client signed in as `trainee` through their rejoin link."""
    response = client.get(f"/lanjut/{trainee.token}")
    assert response.status_code == 303
    return client


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """URL of a throwaway PostgreSQL cluster; missing PostgreSQL fails under CI, else skips."""
    with throwaway_cluster() as url:
        if url is None:
            if os.environ.get("CI"):
                pytest.fail("PostgreSQL is not installed, but CI must test it (see .ci/run)")
            pytest.skip("PostgreSQL is not installed here (apt-get install postgresql)")
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def any_app(request: pytest.FixtureRequest, tmp_path: Path, clock: ManualClock,
            monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """The app on each supported database."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    application = build_app(tmp_path, clock, database_url=url)
    yield application
    with application.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
