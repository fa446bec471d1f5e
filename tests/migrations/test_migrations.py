"""Schema migrations: the revisions build the models' schema, and every earlier build's
database upgrades in place with its data readable afterwards.

The files in legacy/ are databases made by earlier builds with their own code (demo data
plus two trainee actions), dumped as SQL: 7bff2e9 is the oldest supported schema (0001),
c974edf the build that landed with workshops (0004), 582cb98 the build before migrations
(0005), whose demo workshop six simulated trainees have played.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select, text
from werkzeug.security import generate_password_hash

from sandbox import create_app
from sandbox.config import TestConfig
from sandbox.extensions import db
from sandbox.models import Complaint, Event, Exercise, Facilitator, Participant
from sandbox.services.database import (
    SchemaError,
    ensure_schema,
    schema_status,
    upgrade_schema,
)
from sandbox.services.ticker import tick
from sandbox.services.timekeeping import sim_clock

LEGACY = Path(__file__).parent / "legacy"
BUILDS = {"7bff2e9": "0001", "c974edf": "0004", "582cb98": "0005"}
HEAD = "0012"


def make_app(tmp_path, clock, url=None):
    instance = tmp_path / "instance"
    instance.mkdir(exist_ok=True)
    import os

    os.environ["LAPOR_INSTANCE_PATH"] = str(instance)
    return create_app(TestConfig, WALL_CLOCK=clock,
                      SQLALCHEMY_DATABASE_URI=url or f"sqlite:///{instance / 'lapor-sandbox.db'}")


def load_legacy(build: str, path: Path) -> None:
    """Recreate an old build's database file from its SQL dump."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as connection:
        connection.executescript((LEGACY / f"{build}.sql").read_text(encoding="utf-8"))
    connection.close()


def table_counts(connection) -> dict[str, int]:
    names = [row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
    return {name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            for name in names}


def drop_everything() -> None:
    """Leave the shared PostgreSQL cluster empty for the next test."""
    db.session.remove()
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    db.engine.dispose()


def schema_differences():
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_migrations_build_exactly_the_models_schema_on_sqlite(tmp_path, clock):
    app = make_app(tmp_path, clock)
    with app.app_context():
        report = ensure_schema()
        assert (report.before, report.after, report.backup) == (None, HEAD, None)
        assert schema_differences() == []
        assert ensure_schema() is None  # a second start finds nothing to do


def test_migrations_build_exactly_the_models_schema_on_postgresql(tmp_path, clock,
                                                                  postgres_url):
    app = make_app(tmp_path, clock, postgres_url)
    with app.app_context():
        try:
            upgrade_schema()
            assert schema_differences() == []
            assert schema_status().current == HEAD
        finally:
            drop_everything()


def test_every_revision_downgrades_and_upgrades_again(tmp_path, clock):
    from flask_migrate import downgrade, upgrade

    from sandbox.services.database import migrations_dir

    app = make_app(tmp_path, clock)
    with app.app_context():
        upgrade(directory=migrations_dir())
        downgrade(directory=migrations_dir(), revision="base")
        with db.engine.connect() as connection:
            left = connection.execute(text(
                "SELECT name FROM sqlite_master WHERE type='table'")).scalars().all()
        assert set(left) == {"alembic_version"}
        upgrade(directory=migrations_dir())
        assert schema_differences() == []


@pytest.mark.parametrize(("build", "revision"), BUILDS.items())
def test_an_earlier_builds_database_is_recognised(tmp_path, clock, build, revision):
    app = make_app(tmp_path, clock)
    load_legacy(build, Path(app.instance_path) / "lapor-sandbox.db")
    with app.app_context():
        status = schema_status()
    assert (status.current, status.stamped, status.up_to_date) == (revision, False, False)


def read_everything_back(app) -> dict[str, int]:
    """Open every trainee's inbox, reports and card, and every workshop's pages."""
    opened = {"inbox": 0, "report": 0, "card": 0, "workshop": 0}
    with app.app_context():
        participants = db.session.scalars(select(Participant)).all()
        tokens = [(p.token, [c.tracking_no for c in db.session.scalars(
            select(Complaint).where(Complaint.participant_id == p.id))]) for p in participants]
        owners = {e.code: e.facilitator_id for e in db.session.scalars(select(Exercise))}
        for facilitator in db.session.scalars(select(Facilitator)):
            facilitator.password_hash = generate_password_hash("kata-sandi-uji")
        db.session.commit()
    for token, numbers in tokens:
        client = app.test_client()
        assert client.get(f"/lanjut/{token}").status_code == 303
        page = client.get("/kotak-masuk")
        assert page.status_code == 200, page.get_data(as_text=True)[:500]
        opened["inbox"] += 1
        for number in numbers:
            response = client.get(f"/laporan/{number}")
            assert response.status_code in (200, 404), response.status_code  # 404: not yet due
            opened["report"] += response.status_code == 200
        card = client.get("/hasil")
        assert card.status_code == 200
        opened["card"] += 1
    with app.app_context():
        usernames = {f.id: f.username for f in db.session.scalars(select(Facilitator))}
    for code, owner in owners.items():
        if owner is None:
            continue
        client = app.test_client()
        assert client.post("/fasilitator/masuk", data={
            "username": usernames[owner], "password": "kata-sandi-uji"}).status_code == 303
        for path in ("", "/debrief", "/layar", "/ekspor", "/ekspor/hasil.xlsx",
                     "/ekspor/arsip.json.gz", "/ekspor/rekap"):
            response = client.get(f"/fasilitator/sesi/{code}{path}")
            assert response.status_code == 200, (path, response.get_data(as_text=True)[:500])
        opened["workshop"] += 1
    return opened


@pytest.mark.parametrize("build", BUILDS)
def test_an_earlier_builds_database_upgrades_with_a_backup_and_reads_back(tmp_path, clock,
                                                                          build):
    app = make_app(tmp_path, clock)
    database = Path(app.instance_path) / "lapor-sandbox.db"
    load_legacy(build, database)
    with sqlite3.connect(database) as connection:
        before = table_counts(connection)
    connection.close()

    with app.app_context():
        report = ensure_schema()
        assert (report.before, report.after) == (BUILDS[build], HEAD)
        assert schema_differences() == []
        counts = {"events": db.session.scalar(select(func.count()).select_from(Event)),
                  "exercises": db.session.scalar(select(func.count()).select_from(Exercise))}

    # The copy taken before the upgrade is the old database, whole and untouched.
    assert report.backup is not None and report.backup.parent.name == "backups"
    assert re.search(rf"sebelum-{BUILDS[build]}-ke-{HEAD}\.db$", report.backup.name)
    with sqlite3.connect(report.backup) as copy:
        assert table_counts(copy) == before
    copy.close()
    assert report.backup.stat().st_mode & 0o777 == 0o600

    # Nothing stored was lost, and every session can be opened.
    assert counts == {"events": before["event"], "exercises": before["exercise"]}
    opened = read_everything_back(app)
    assert opened["inbox"] == before["participant"] and opened["report"] > 0
    if build != "7bff2e9":
        assert opened["workshop"] >= 1

    # 0008: the ticker takes over the scripted reports of old sessions; one tick leaves
    # each with its next moment or with nothing, and a second tick records nothing more.
    with app.app_context():
        tick()
        assert tick() == 0
        pending = db.session.scalars(select(Complaint).where(Complaint.due_at.is_not(None)))
        for complaint in pending:
            assert complaint.due_at > sim_clock(complaint.exercise).now()


def test_a_linear_clock_exercise_gets_its_start_and_keeps_its_time(tmp_path, clock):
    """0002: a pre-workday-clock exercise gets a 'mulai' at its old start and rate."""
    app = make_app(tmp_path, clock)
    database = Path(app.instance_path) / "lapor-sandbox.db"
    load_legacy("7bff2e9", database)
    with sqlite3.connect(database) as connection:
        started, speed = connection.execute(
            "SELECT wall_start_at, speed FROM exercise").fetchone()
    connection.close()
    with app.app_context():
        ensure_schema()
        exercise = db.session.scalars(select(Exercise)).one()
        (change,) = exercise.clock_changes
        assert (change.kind, change.rate, str(change.wall_at)) == ("mulai", speed,
                                                                   started.replace("T", " "))
        assert exercise.speed == pytest.approx(8 * 60 / speed)


def test_postgresql_needs_the_upgrade_command_and_then_reads_back(tmp_path, clock,
                                                                  postgres_url):
    """An unstamped PostgreSQL database of the oldest schema, filled with an old build's
    rows: start refuses with the command to run, which then upgrades it."""
    app = make_app(tmp_path, clock, postgres_url)
    order = ["exercise", "participant", "complaint", "event"]  # parents first
    inserts = sorted((line for line in (LEGACY / "7bff2e9.sql").read_text().splitlines()
                      if line.startswith("INSERT INTO")),
                     key=lambda line: order.index(line.split('"')[1]))
    from flask_migrate import upgrade

    from sandbox.services.database import migrations_dir

    with app.app_context():
        try:
            upgrade(directory=migrations_dir(), revision="0001")
            with db.engine.begin() as connection:
                connection.execute(text("DROP TABLE alembic_version"))
                for line in inserts:
                    connection.exec_driver_sql(line)
                for table in ("exercise", "participant", "complaint", "event"):
                    connection.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT coalesce(max(id), 1) FROM {table}))"))
            with pytest.raises(SchemaError, match="lapor-sandbox db upgrade"):
                ensure_schema()
            report = upgrade_schema()
            assert (report.before, report.after, report.backup) == ("0001", HEAD, None)
            assert schema_differences() == []
            db.session.commit()
            opened = read_everything_back(app)
            assert opened["inbox"] == 1 and opened["report"] > 0
        finally:
            drop_everything()


def test_a_database_from_a_newer_build_is_refused_untouched(tmp_path, clock):
    app = make_app(tmp_path, clock)
    with app.app_context():
        ensure_schema()
        with db.engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '0999'"))
        with pytest.raises(SchemaError, match="newer version"):
            ensure_schema()
        with pytest.raises(SchemaError, match="newer version"):
            upgrade_schema()
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT version_num FROM alembic_version")
                                      ).scalar() == "0999"
