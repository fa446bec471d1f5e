"""Alembic environment: migrate the app's own database, on its own engine.

Run through Flask-Migrate (`lapor-sandbox db upgrade`, or automatically at start; see
sandbox/services/schema.py), never with a bare `alembic` command.
"""

from alembic import context
from flask import current_app

config = context.config
target_db = current_app.extensions["migrate"].db


def run_migrations_online() -> None:
    engine = target_db.engine
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        raw = connection.connection.driver_connection  # autocommit: no BEGIN is sent
        if sqlite:
            # A batch migration copies a table and drops the old one; with foreign keys
            # enforced, dropping a referenced table would fail or cascade. Off for the
            # migration (it cannot change inside a transaction), checked and on again after.
            raw.execute("PRAGMA foreign_keys=OFF")
        options = {**current_app.extensions["migrate"].configure_args,
                   "render_as_batch": sqlite, "compare_type": True}
        context.configure(connection=connection, target_metadata=target_db.metadata,
                          **options)
        with context.begin_transaction():
            context.run_migrations()
        if sqlite:
            broken = raw.execute("PRAGMA foreign_key_check").fetchall()
            raw.execute("PRAGMA foreign_keys=ON")
            if broken:
                raise RuntimeError(f"foreign keys broken by the migration: {broken[:5]}")


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported; run them online.")
run_migrations_online()
