"""The application factory: config, storage, extensions, blueprints and error pages."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from sandbox.config import PACKAGE_DIR, Config, resource_dir
from sandbox.domain.clock import SystemClock
from sandbox.extensions import csrf, db, htmx


def create_app(config: type[Config] | None = None, **overrides: Any) -> Flask:
    """Build the app from a config class plus keyword overrides of its settings."""
    app = Flask(
        "sandbox",
        instance_path=os.environ.get("LAPOR_INSTANCE_PATH") or None,
        template_folder=str(resource_dir("templates")),
        static_folder=str(PACKAGE_DIR / "static"),
    )
    config = config or Config
    app.config.from_object(config)
    app.config.update(config.from_env())
    app.config.update(overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    init_secret_key(app)
    init_storage(app)
    init_extensions(app)
    init_web(app)
    return app


def init_secret_key(app: Flask) -> None:
    """Use the configured key, else one generated on first run and kept in the instance folder."""
    if app.config.get("SECRET_KEY"):
        return
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    app.config["SECRET_KEY"] = path.read_text().strip()


def init_storage(app: Flask) -> None:
    """Default to SQLite in the instance folder; psycopg 3 for plain postgresql:// URLs."""
    uri = app.config.get("SQLALCHEMY_DATABASE_URI")
    if not uri:
        uri = f"sqlite:///{Path(app.instance_path) / 'lapor-sandbox.db'}"
    if uri.startswith("postgres://"):
        uri = "postgresql://" + uri.removeprefix("postgres://")
    if uri.startswith("postgresql://"):
        uri = "postgresql+psycopg://" + uri.removeprefix("postgresql://")
    app.config["SQLALCHEMY_DATABASE_URI"] = uri
    app.extensions["lapor.clock"] = app.config.get("WALL_CLOCK") or SystemClock()


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" hook issue BEGIN IMMEDIATE instead of pysqlite's
    # deferred transactions, which let two requests read the same row and lose an update.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "busy_timeout=30000", "synchronous=NORMAL",
                   "foreign_keys=ON"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _sqlite_on_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def init_extensions(app: Flask) -> None:
    db.init_app(app)
    csrf.init_app(app)
    htmx.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            engine: Engine = db.engine
            if not event.contains(engine, "connect", _sqlite_on_connect):
                event.listen(engine, "connect", _sqlite_on_connect)
                event.listen(engine, "begin", _sqlite_on_begin)


def init_web(app: Flask) -> None:
    from sandbox.web import register_web

    register_web(app)
