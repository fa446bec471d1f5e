"""Where the data lives, which schema it has, and its backups.

Every command checks the schema before it touches data (`ensure_schema`): an empty
database is built by the migrations, an older SQLite database is copied to
`backups/` and upgraded, and anything else stops with a message naming the command
that fixes it. Databases made before migrations existed are recognised by their
tables and stamped with the revision they match, then upgraded like any other.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, current_app
from flask_migrate import stamp, upgrade
from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from sandbox.domain.errors import DomainError
from sandbox.extensions import db

DATABASE_FILE = "lapor-sandbox.db"
BACKUP_DIR = "backups"
UPGRADE_COMMAND = "lapor-sandbox db upgrade"

# Builds before migrations, newest first: a table that first appeared in a revision
# (and every revision after it has). `auth_attempt` marks a database made by
# `create_all` in build 0006 or later, without a stamp (0007 only added participant
# columns, so no table marks it; this build makes every database by migration, stamped).
LEGACY_MARKERS = (("auth_attempt", "0006"), ("session_event", "0005"),
                  ("facilitator", "0004"), ("score_override", "0003"),
                  ("clock_change", "0002"), ("exercise", "0001"))


class SchemaError(DomainError):
    """The database's schema is not the one this build needs, and was not upgraded."""


@dataclass(frozen=True)
class SchemaStatus:
    current: str | None  # None: no tables yet
    head: str
    stamped: bool  # False: a database from before migrations (current was recognised)
    known: bool  # False: a revision of a newer build

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


@dataclass(frozen=True)
class UpgradeReport:
    before: str | None
    after: str
    backup: Path | None


def migrations_dir() -> str:
    return str(Path(__file__).resolve().parent.parent / "migrations")


def _script() -> ScriptDirectory:
    config = current_app.extensions["migrate"].migrate.get_config(migrations_dir())
    return ScriptDirectory.from_config(config)


def schema_status() -> SchemaStatus:
    """The stored revision (or the one an unstamped database matches) and this build's."""
    script = _script()
    head = script.get_current_head()
    assert head is not None
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
        if current is not None:
            known = current in {s.revision for s in script.walk_revisions()}
            return SchemaStatus(current, head, stamped=True, known=known)
        tables = set(inspect(connection).get_table_names())
    recognised = next((revision for table, revision in LEGACY_MARKERS if table in tables),
                      None)
    return SchemaStatus(recognised, head, stamped=recognised is None, known=True)


def database_file(app: Flask | None = None) -> Path | None:
    """The SQLite file in use, or None on PostgreSQL (or an in-memory database)."""
    url = make_url((app or current_app).config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def is_sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"


def backup_database(destination: Path | None = None, label: str = "") -> Path:
    """A consistent copy of the live SQLite database (the sqlite3 backup API), mode 0600.

    Safe while the server runs: the copy is one snapshot, whatever is written meanwhile.
    """
    source = database_file()
    if source is None:
        raise DomainError(
            "A backup copy is made here only for SQLite. For PostgreSQL use pg_dump, e.g. "
            "pg_dump --format=custom --file=lapor-sandbox.dump \"$DATABASE_URL\"")
    if not source.exists():
        raise DomainError(f"There is no database at {source} yet: nothing to back up.")
    if destination is None:
        stamp_text = wall_stamp()
        suffix = f"-{label}" if label else ""
        destination = (Path(current_app.instance_path) / BACKUP_DIR
                       / f"lapor-sandbox-{stamp_text}{suffix}.db")
    destination.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if destination.exists():
        raise DomainError(f"{destination} already exists; name another file.")
    partial = destination.with_name(destination.name + ".partial")
    _copy_database(source, partial)
    partial.replace(destination)
    return destination


def _copy_database(source: Path, destination: Path) -> None:
    """One consistent snapshot of a live SQLite database into a new owner-only file."""
    prepare_database_file(destination)
    live, copy = sqlite3.connect(source), sqlite3.connect(destination)
    try:
        live.backup(copy)
    finally:
        copy.close()
        live.close()


def wall_stamp() -> str:
    """The injected wall clock's now, for file names: 20261130-181500."""
    now: datetime = current_app.extensions["lapor.clock"].now()
    return now.strftime("%Y%m%d-%H%M%S")


def upgrade_schema(backup: bool = True) -> UpgradeReport:
    """Bring the database to this build's schema: stamp an unstamped one, copy, upgrade."""
    status = schema_status()
    if not status.known:
        raise SchemaError(newer_message(status))
    if status.up_to_date and status.stamped:
        return UpgradeReport(status.current, status.head, None)
    copy = None
    if backup and status.current is not None and is_sqlite():
        copy = backup_database(label=f"sebelum-{status.current}-ke-{status.head}")
    if status.current is not None and not status.stamped:
        stamp(directory=migrations_dir(), revision=status.current)
    upgrade(directory=migrations_dir())
    db.session.remove()
    return UpgradeReport(status.current, status.head, copy)


def newer_message(status: SchemaStatus) -> str:
    return (f"The database has schema revision {status.current}, which this build of "
            f"Sandbox LAPOR! does not know (it knows up to {status.head}): it was made by a "
            "newer version. Install that version again, or use a backup made before it.")


def ensure_schema(auto_upgrade: bool | None = None) -> UpgradeReport | None:
    """Check the schema before serving; upgrade automatically where that is safe.

    An empty database is built. An older one is upgraded after a backup copy when it is
    SQLite (one laptop, one process); on PostgreSQL, where several servers may share it,
    the command stops and names `lapor-sandbox db upgrade`, unless `auto_upgrade`.
    Returns what was done, or None when nothing needed doing.
    """
    status = schema_status()
    if status.up_to_date and status.stamped:
        return None
    if not status.known:
        raise SchemaError(newer_message(status))
    allowed = is_sqlite() if auto_upgrade is None else auto_upgrade
    if status.current is not None and not allowed:
        how = "lapor-sandbox backup" if is_sqlite() else "pg_dump"
        raise SchemaError(
            f"The database has schema revision {status.current}; this build needs "
            f"{status.head}. Back it up ({how}), then run: {UPGRADE_COMMAND}")
    return upgrade_schema()


def secure_file(path: Path) -> None:
    """Readable by its owner only (no-op where the platform has no such modes)."""
    if os.name == "posix" and path.exists() and path.stat().st_mode & 0o077:
        path.chmod(0o600)


def prepare_database_file(path: Path) -> None:
    """Create the SQLite file (and its folder) owner-only before SQLite opens it.

    SQLite gives its -wal and -shm files the database file's mode, so they follow.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    secure_file(path)


def _has_data(path: Path) -> bool:
    """More than the empty file `prepare_database_file` leaves before SQLite opens it."""
    return path.exists() and path.stat().st_size > 0


def adopt_previous_instance(app: Flask) -> Path | None:
    """Copy the data of an install that kept it inside the venv or source tree.

    Earlier builds used Flask's default instance folder (`<venv>/var/sandbox-instance`
    when installed with pip), which vanished with the venv. If that folder has a
    database and the new data folder has none, its files are copied (the database
    with the backup API) and the old folder is left as it was. Returns the old folder.
    """
    new = Path(app.instance_path)
    old = Path(app.auto_find_instance_path())
    if old == new or not (old / DATABASE_FILE).exists() or _has_data(new / DATABASE_FILE):
        return None
    new.mkdir(parents=True, exist_ok=True)
    for item in old.iterdir():
        target = new / item.name
        if item.name.startswith(DATABASE_FILE) or target.exists():
            continue
        if item.is_dir():
            shutil.copytree(item, target)
        else:
            shutil.copy2(item, target)
    (new / DATABASE_FILE).unlink(missing_ok=True)
    _copy_database(old / DATABASE_FILE, new / DATABASE_FILE)
    for item in new.iterdir():
        if item.is_file():
            secure_file(item)
    return old
