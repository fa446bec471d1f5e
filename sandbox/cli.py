"""The `lapor-sandbox` command line: demo, serve, init-db."""

from __future__ import annotations

import sys
from typing import Any

import click
from sqlalchemy import select

from sandbox.app import create_app
from sandbox.domain.errors import DomainError
from sandbox.extensions import db

DEMO_TOKEN_FILE = "demo_token"  # noqa: S105 - a file name, not a secret
DEMO_SEED = 2026


def _app() -> Any:
    try:
        return create_app()
    except DomainError as error:
        raise click.ClickException(error.message) from None


def _init_db(app: Any) -> None:
    from sandbox import models  # noqa: F401 - registers the tables

    with app.app_context():
        db.create_all()


def _serve(app: Any, host: str, port: int, threads: int) -> None:
    from waitress import serve

    serve(app, host=host, port=port, threads=threads, ident="lapor-sandbox")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Sandbox LAPOR!: practise the SP4N-LAPOR! admin workflow on synthetic complaints."""


@main.command("init-db")
def init_db() -> None:
    """Create the database tables (safe to run again; nothing is deleted)."""
    app = _app()
    _init_db(app)
    click.echo(f"Database ready: {app.config['SQLALCHEMY_DATABASE_URI']}")


def prepare_demo(app: Any) -> str:
    """Create (once) a demo practice session and return its personal rejoin path."""
    from pathlib import Path

    from sandbox.models import Participant
    from sandbox.services.practice import start_practice

    token_file = Path(app.instance_path) / DEMO_TOKEN_FILE
    with app.app_context():
        if token_file.exists():
            token = token_file.read_text().strip()
            if db.session.scalar(select(Participant).where(Participant.token == token)):
                return f"/lanjut/{token}"
        participant = start_practice("Peserta Demo", "Dinas Komunikasi dan Informatika",
                                     seed=DEMO_SEED, title="Latihan demo")
        token = participant.token
        db.session.commit()
    token_file.write_text(token)
    return f"/lanjut/{token}"


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 to serve a room over the hotspot).")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64))
def demo(host: str, port: int, threads: int) -> None:
    """Create the database if needed, prepare a demo practice session, and serve it."""
    app = _app()
    _init_db(app)
    path = prepare_demo(app)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104
    click.echo("Sandbox LAPOR! demo is ready.")
    click.echo(f"  Open the demo inbox:   http://{shown}:{port}{path}")
    click.echo(f"  Start a new practice:  http://{shown}:{port}/")
    click.echo("Press Ctrl+C to stop.")
    _serve(app, host, port, threads)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 to serve a room over the hotspot).")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64))
def serve(host: str, port: int, threads: int) -> None:
    """Serve an existing instance (tables are created if missing)."""
    app = _app()
    _init_db(app)
    click.echo(f"Sandbox LAPOR! on http://{host}:{port}/")
    _serve(app, host, port, threads)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
