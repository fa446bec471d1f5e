"""The application factory: config, storage, extensions, blueprints and error pages."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import platformdirs
from flask import Flask, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from sandbox.config import PACKAGE_DIR, Config, resource_dir
from sandbox.domain.clock import SystemClock
from sandbox.domain.errors import DomainError
from sandbox.extensions import csrf, db, htmx, migrate
from sandbox.services.database import (
    DATABASE_FILE,
    database_file,
    migrations_dir,
    prepare_database_file,
    secure_file,
)
from sandbox.transactions import (
    begin_statement,
    end_of_request,
    refuse_writes_when_reading,
    set_for_method,
)


def create_app(config: type[Config] | None = None, **overrides: Any) -> Flask:
    """Build the app from a config class plus keyword overrides of its settings."""
    app = Flask(
        "sandbox",
        instance_path=os.environ.get("LAPOR_INSTANCE_PATH") or default_instance_path(),
        template_folder=str(resource_dir("templates")),
        static_folder=str(PACKAGE_DIR / "static"),
    )
    config = config or Config
    app.config.from_object(config)
    app.config.update(config.from_env())
    app.config.update(overrides)
    Path(app.instance_path).mkdir(mode=0o700, parents=True, exist_ok=True)

    init_secret_key(app)
    init_storage(app)
    init_request_limits(app)  # before CSRF, which reads the form in its own hook
    init_extensions(app)
    init_sessions(app)
    init_web(app)
    return app


def default_instance_path() -> str:
    """The user's data folder (e.g. ~/.local/share/lapor-sandbox), never inside the venv."""
    return platformdirs.user_data_dir("lapor-sandbox", appauthor=False)


def init_secret_key(app: Flask) -> None:
    """Use the configured key, else one generated on first run and kept in the instance folder."""
    if app.config.get("SECRET_KEY"):
        return
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        descriptor = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as secret:
            secret.write(secrets.token_hex(32))
    secure_file(path)
    app.config["SECRET_KEY"] = path.read_text().strip()


def init_storage(app: Flask) -> None:
    """Default to SQLite in the instance folder; psycopg 3 for plain postgresql:// URLs."""
    uri = app.config.get("SQLALCHEMY_DATABASE_URI")
    if not uri:
        uri = f"sqlite:///{Path(app.instance_path) / DATABASE_FILE}"
    if uri.startswith("postgres://"):
        uri = "postgresql://" + uri.removeprefix("postgres://")
    if uri.startswith("postgresql://"):
        uri = "postgresql+psycopg://" + uri.removeprefix("postgresql://")
    app.config["SQLALCHEMY_DATABASE_URI"] = uri
    path = database_file(app)
    if path is not None:
        prepare_database_file(path)
    app.extensions["lapor.clock"] = app.config.get("WALL_CLOCK") or SystemClock()


SYNCHRONOUS_MODES = ("FULL", "NORMAL", "EXTRA")


def _sqlite_connect_hook(synchronous: str) -> Any:
    """PRAGMAs for every new SQLite connection.

    `synchronous=FULL` (the default) syncs the WAL on every commit, so an acknowledged
    action survives a power cut or a dead battery, not only a killed process; what it
    costs is measured in bench/durability.py.
    """
    if synchronous not in SYNCHRONOUS_MODES:
        raise DomainError(f"LAPOR_SQLITE_SYNCHRONOUS must be one of "
                          f"{', '.join(SYNCHRONOUS_MODES)}, not {synchronous!r}")

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" hook issue BEGIN IMMEDIATE instead of pysqlite's
        # deferred transactions, which let two requests read the same row and lose an
        # update.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in ("journal_mode=WAL", "busy_timeout=30000", f"synchronous={synchronous}",
                       "foreign_keys=ON"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    return on_connect


def _sqlite_on_begin(connection: Any) -> None:
    # IMMEDIATE for a transaction that may write, deferred for a read (sandbox.transactions).
    connection.exec_driver_sql(begin_statement())


def _transaction_mode() -> None:
    set_for_method(request.method)


def init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=migrations_dir())
    csrf.init_app(app)
    htmx.init_app(app)
    app.before_request(_transaction_mode)  # first: the session lookups below read already
    app.teardown_request(end_of_request)
    event.listen(db.session, "before_flush", refuse_writes_when_reading)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            engine: Engine = db.engine
            event.listen(engine, "connect",
                         _sqlite_connect_hook(app.config["SQLITE_SYNCHRONOUS"].upper()))
            event.listen(engine, "begin", _sqlite_on_begin)


def init_sessions(app: Flask) -> None:
    """Session cookies (Secure over HTTPS), trusted proxies and the sign-in limits."""
    from sandbox.web.sessions import init_sessions as install

    install(app)


def init_request_limits(app: Flask) -> None:
    """A view's own body limit (an archive upload), in force before any hook reads the body.

    Hooks run in the order they are registered, so this must come before csrf.init_app.
    """
    from sandbox.web.limits import apply_body_limit

    app.before_request(apply_body_limit)


def init_web(app: Flask) -> None:
    from sandbox.web import register_web

    register_web(app)
