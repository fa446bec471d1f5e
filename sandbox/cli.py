"""The `lapor-sandbox` command line: demo, serve, bots, init-db, create-facilitator,
reset-password, generate, catalogue check, scenario check, tl-check, a workshop's export
and import, and compare (session archives side by side)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, NoReturn

import click
from sqlalchemy import select

from sandbox.app import create_app
from sandbox.domain.catalogue import Catalogue
from sandbox.domain.errors import DomainError
from sandbox.domain.numbers import SEED_MAX
from sandbox.extensions import db

DEMO_TOKEN_FILE = "demo_token"  # noqa: S105 - a file name, not a secret
DEMO_SEED = 2026


def _app(check_schema: bool = True) -> Any:
    """The app, with its data found and its schema checked before any command uses it."""
    from sandbox.services.database import (
        SchemaError,
        adopt_previous_instance,
        ensure_schema,
    )

    try:
        app = create_app()
    except DomainError as error:
        raise click.ClickException(error.message) from None
    if not os.environ.get("LAPOR_INSTANCE_PATH") and not os.environ.get("DATABASE_URL"):
        old = adopt_previous_instance(app)
        if old is not None:
            click.echo(f"Copied the data of an earlier install from {old} to "
                       f"{app.instance_path} (the old folder is left as it was).", err=True)
    if not check_schema:
        return app
    with app.app_context():
        try:
            report = ensure_schema()
        except SchemaError as error:
            _fail(error.message)
        except DomainError as error:  # e.g. the backup copy could not be written
            _fail(f"the database was not upgraded: {error.message}")
    if report is not None and report.before is None:
        click.echo(f"Database created (schema {report.after}).", err=True)
    elif report is not None:
        saved = f"; a copy of the old one is in {report.backup}" if report.backup else ""
        click.echo(f"Database upgraded from schema {report.before} to {report.after}{saved}.",
                   err=True)
    return app


def lan_address() -> str | None:
    """This laptop's address on the local network (hotspot), as werkzeug finds it: a UDP
    socket is 'connected' to a private address, which sends nothing."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.253.155.219", 58162))
            address: str = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def _serve(app: Any, host: str, port: int, threads: int,
           connections: int | None = None) -> None:
    from waitress import serve

    from sandbox.serving import (
        ServingError,
        connection_limit,
        raise_open_file_limit,
        waitress_options,
    )

    try:
        limit = connection_limit(connections)
    except ServingError as error:
        _fail(str(error))
    warning = raise_open_file_limit(limit, threads)
    if warning:
        click.echo(warning, err=True)
    if host in ("0.0.0.0", "::") and not app.config.get("PUBLIC_URL"):  # noqa: S104
        address = lan_address()
        if address:
            app.config["PUBLIC_URL"] = f"http://{address}:{port}"
            click.echo(f"Trainees on the same network join at http://{address}:{port}/ikut")
    from sandbox.services.ticker import start_ticker

    start_ticker(app)  # the scripted reporters' events, recorded as they fall due
    serve(app, host=host, port=port, **waitress_options(threads, limit))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Sandbox LAPOR!: practise the SP4N-LAPOR! admin workflow on synthetic complaints."""


@main.command("init-db")
def init_db() -> None:
    """Create the database, or upgrade an older one (safe to repeat; nothing is deleted)."""
    app = _app()
    click.echo(f"Database ready: {_shown_url(app)}")


@main.group("db")
def db_group() -> None:
    """The database schema: see its revision, or upgrade it after a backup copy."""


@db_group.command("upgrade")
@click.option("--no-backup", is_flag=True,
              help="Skip the automatic copy of an SQLite database before upgrading.")
def db_upgrade(no_backup: bool) -> None:
    """Upgrade the database to this build's schema (SQLite: a backup copy is made first)."""
    from sandbox.services.database import SchemaError, upgrade_schema

    app = _app(check_schema=False)
    with app.app_context():
        try:
            report = upgrade_schema(backup=not no_backup)
        except (SchemaError, DomainError) as error:
            _fail(error.message)
    if report.before == report.after:
        click.echo(f"The database is already at schema {report.after}; nothing to do.")
        return
    click.echo(f"Database upgraded from schema {report.before or '(empty)'} to "
               f"{report.after}.")
    if report.backup:
        click.echo(f"The database as it was is in {report.backup}")


@db_group.command("status")
def db_status() -> None:
    """Show the database's schema revision and this build's."""
    from sandbox.services.database import schema_status

    app = _app(check_schema=False)
    with app.app_context():
        status = schema_status()
    click.echo(f"Database:        {_shown_url(app)}")
    click.echo(f"Schema revision: {status.current or '(empty)'}"
               f"{'' if status.stamped else ' (recognised from its tables; not yet stamped)'}")
    click.echo(f"This build needs: {status.head}")
    if status.up_to_date and status.stamped:
        click.echo("Up to date.")
    elif not status.known:
        click.echo("Made by a newer version of Sandbox LAPOR!.")
    else:
        click.echo("Run 'lapor-sandbox db upgrade' (commands on SQLite do it on their own).")


@main.command("backup")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
def backup_command(file: Path | None) -> None:
    """Copy the live database to FILE (default: backups/ in the data folder).

    The copy is consistent even while the server is running. For PostgreSQL it prints the
    pg_dump command to use instead.
    """
    from sandbox.services.database import backup_database

    app = _app()
    with app.app_context():
        try:
            made = backup_database(file)
        except DomainError as error:
            _fail(error.message)
    click.echo(f"Backup written to {made} ({made.stat().st_size:,} bytes).")


@main.command("info")
def info_command() -> None:
    """Show where this install keeps its data, its database and its schema."""
    from importlib.metadata import PackageNotFoundError, version

    from sandbox.services.database import BACKUP_DIR, database_file, schema_status

    try:
        installed = version("lapor-sandbox")
    except PackageNotFoundError:  # pragma: no cover - running from a bare source tree
        installed = "(not installed)"
    app = _app(check_schema=False)
    with app.app_context():
        status = schema_status()
    path = database_file(app)
    click.echo(f"Sandbox LAPOR! {installed}")
    click.echo(f"Data folder:     {app.instance_path}")
    click.echo(f"Database:        {_shown_url(app)}")
    if path is not None:
        size = f"{path.stat().st_size:,} bytes" if path.exists() else "not created yet"
        click.echo(f"                 {size}; synchronous="
                   f"{app.config['SQLITE_SYNCHRONOUS'].upper()}")
    click.echo(f"Schema revision: {status.current or '(empty)'} (this build: {status.head})")
    secret = ("from LAPOR_SECRET_KEY" if os.environ.get("LAPOR_SECRET_KEY")
              else Path(app.instance_path) / "secret_key")
    click.echo(f"Secret key:      {secret}")
    click.echo(f"Backups:         {Path(app.instance_path) / BACKUP_DIR}")
    click.echo("Set LAPOR_INSTANCE_PATH to keep the data folder elsewhere, DATABASE_URL for "
               "PostgreSQL.")


def _shown_url(app: Any) -> str:
    """The database URL with any password hidden."""
    from sqlalchemy.engine import make_url

    return make_url(app.config["SQLALCHEMY_DATABASE_URI"]).render_as_string(
        hide_password=True)


@main.command("create-facilitator")
@click.option("--username", prompt="Username", help="Login name: lowercase letters, digits, . _ -")
@click.option("--name", prompt="Full name", help="Shown to trainees and on reports.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              envvar="LAPOR_FACILITATOR_PASSWORD",
              help="At least 8 characters (or set LAPOR_FACILITATOR_PASSWORD).")
@click.option("--admin", is_flag=True, help="May add other facilitators (the first is always).")
def create_facilitator_command(username: str, name: str, password: str, admin: bool) -> None:
    """Create a facilitator account (the first one is an admin)."""
    from sandbox.domain.errors import ValidationError
    from sandbox.services.accounts import create_facilitator, facilitator_count

    app = _app()
    with app.app_context():
        try:
            created = create_facilitator(username, name, password,
                                         admin or facilitator_count() == 0)
        except ValidationError as error:
            _fail_fields(error.errors)
        db.session.commit()
        click.echo(f"Facilitator '{created.username}' created"
                   f"{' (admin)' if created.is_admin else ''}. Sign in at /fasilitator/masuk")


@main.command("reset-password")
@click.option("--username", prompt="Username", help="The facilitator whose password to set.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              envvar="LAPOR_FACILITATOR_PASSWORD",
              help="At least 8 characters (or set LAPOR_FACILITATOR_PASSWORD).")
def reset_password_command(username: str, password: str) -> None:
    """Set a facilitator's password; everywhere they are signed in, they are signed out."""
    from sandbox.domain.errors import ValidationError
    from sandbox.services.accounts import reset_password

    app = _app()
    with app.app_context():
        try:
            facilitator = reset_password(username, password)
        except ValidationError as error:
            _fail_fields(error.errors)
        db.session.commit()
        click.echo(f"Password of '{facilitator.username}' changed; their sessions have ended. "
                   "Sign in at /fasilitator/masuk")


DEMO_FACILITATOR = "demo"


DEMO_ROOM_MINUTES = 45  # how much of the demo workshop the simulated trainees have played


def prepare_demo_workshop(app: Any) -> tuple[str, str, str]:
    """Create (once) a demo facilitator and a demo workshop; return login, password, code.

    The workshop is staged once: simulated trainees in two cohorts (services.simulated)
    have played its first minutes, so the dashboard, leaderboard and debrief show a real
    room; it is left paused at the moment the demo was prepared.
    """
    import random
    import secrets

    from sandbox.domain.session import SessionState
    from sandbox.models import Exercise, Facilitator
    from sandbox.services.accounts import create_facilitator
    from sandbox.services.simulated import DEMO_CAST, stage_session
    from sandbox.services.timekeeping import clock_state
    from sandbox.services.workshops import WorkshopForm, create_workshop

    secret_file = Path(app.instance_path) / "demo_facilitator"
    with app.app_context():
        facilitator = db.session.scalar(
            select(Facilitator).where(Facilitator.username == DEMO_FACILITATOR))
        if facilitator is None or not secret_file.exists():
            password = secrets.token_urlsafe(9)
            if facilitator is None:
                facilitator = create_facilitator(DEMO_FACILITATOR, "Fasilitator Demo",
                                                 password, is_admin=True)
            else:
                from werkzeug.security import generate_password_hash

                facilitator.password_hash = generate_password_hash(password)
            secret_file.write_text(password)
            secret_file.chmod(0o600)
        password = secret_file.read_text().strip()
        workshop = db.session.scalar(select(Exercise).where(
            Exercise.facilitator_id == facilitator.id).order_by(Exercise.id))
        if workshop is None:
            workshop = create_workshop(facilitator, WorkshopForm(
                scenario="bimtek-dasar", title="Bimtek demo: admin penghubung SP4N-LAPOR!",
                held_on="", location="Laptop fasilitator", minutes_per_hk="", seed=""))
        if not workshop.participants and clock_state(workshop) == SessionState.LOBI:
            rng = random.Random(DEMO_SEED)  # noqa: S311 - a seeded simulation, not security
            stage_session(workshop, DEMO_CAST, DEMO_ROOM_MINUTES, rng, facilitator.name)
        code = workshop.code
        db.session.commit()
    return DEMO_FACILITATOR, password, code


def prepare_demo(app: Any) -> str:
    """Create (once) a demo practice session and return its personal rejoin path."""
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


CONNECTIONS_OPTION = click.option(
    "--connections", default=None, type=int,
    help="Most connections open at once (default 4000, or LAPOR_CONNECTION_LIMIT): a "
         "phone keeps one or two open while a page polls.")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 to serve a room over the hotspot).")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64))
@CONNECTIONS_OPTION
def demo(host: str, port: int, threads: int, connections: int | None) -> None:
    """Create the database if needed, prepare a demo practice session, and serve it."""
    from sandbox.services.simulated import DEMO_CAST

    app = _app()
    path = prepare_demo(app)
    login, password, code = prepare_demo_workshop(app)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104
    base = f"http://{shown}:{port}"
    click.echo("Sandbox LAPOR! demo is ready.")
    click.echo(f"  Open the demo inbox:    {base}{path}")
    click.echo(f"  Start a new practice:   {base}/")
    click.echo(f"  Facilitator sign-in:    {base}/fasilitator/masuk  "
               f"(user '{login}', password '{password}')")
    click.echo(f"  Demo workshop:          code {code}, trainees join at {base}/ikut/{code}")
    click.echo(f"                          {len(DEMO_CAST)} simulated trainees in 2 cohorts have "
               f"played its first {DEMO_ROOM_MINUTES} minutes;")
    click.echo(f"                          it is paused: see {base}/fasilitator/sesi/{code} "
               "and press Lanjutkan")
    click.echo("Press Ctrl+C to stop.")
    _serve(app, host, port, threads, connections)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 to serve a room over the hotspot).")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64))
@CONNECTIONS_OPTION
def serve(host: str, port: int, threads: int, connections: int | None) -> None:
    """Serve an existing instance (tables are created if missing)."""
    app = _app()
    click.echo(f"Sandbox LAPOR! on http://{host}:{port}/")
    _serve(app, host, port, threads, connections)


@main.command()
@click.option("--url", required=True, help="The server, e.g. http://127.0.0.1:5000")
@click.option("--code", required=True, help="The workshop's session code.")
@click.option("--count", default=10, show_default=True, type=click.IntRange(1, 5000),
              help="How many simulated trainees join.")
@click.option("--skill", default=0.8, show_default=True, type=click.FloatRange(0, 1),
              help="Chance of the right decision (with --scenario) and of a concrete TL.")
@click.option("--think", default=15.0, show_default=True, type=click.FloatRange(0.5, 3600),
              help="Seconds between a bot's actions (jittered ±50%).")
@click.option("--duration", default=60.0, show_default=True,
              type=click.FloatRange(1, 7 * 24 * 3600), help="Seconds to run (Ctrl+C stops).")
@click.option("--seed", default=2026, show_default=True, type=click.IntRange(0, SEED_MAX),
              help="Seeds the bots' names, choices and timing.")
@click.option("--ramp", default=10.0, show_default=True, type=click.FloatRange(0, 3600),
              help="Seconds over which the bots join, one after another.")
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(1, 600),
              help="Seconds a request may take before it counts as a timeout.")
@click.option("--scenario", default=None,
              help="The workshop's scenario id: the bots rebuild its reports locally and "
                   "follow the answer key with chance --skill. Without it they pick among "
                   "the form's options at random.")
@click.option("--session-seed", default=None, type=click.IntRange(0, SEED_MAX),
              help="The seed the facilitator chose for the workshop, if any.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
def bots(url: str, code: str, count: int, skill: float, think: float, duration: float,
         seed: int, ramp: float, timeout: float, scenario: str | None,
         session_seed: int | None, as_json: bool) -> None:
    """Join simulated trainees to a running workshop over HTTP, like phones in the room.

    Each bot has its own connection and cookies, polls what its page polls and acts on a
    report every --think seconds through the same forms. A bot sees only what a trainee
    sees: give --scenario (and --session-seed if the facilitator chose a seed) for decisions
    that follow the answer key; otherwise they are guesses among the form's options. Ends
    with actions sent and acknowledged, errors, and p50/p95/p99 per endpoint.
    """
    import json
    from urllib.parse import urlsplit

    from sandbox.bots import BotSettings, BotSetupError, check_room, format_summary, run_bots

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        _fail(f"--url must be an http:// or https:// address (got {url[:80]!r})")
    settings = BotSettings(url=url.rstrip("/"), code=code.strip().upper(), count=count,
                           skill=skill, think=think, duration=duration, seed=seed, ramp=ramp,
                           timeout=timeout, scenario=scenario, session_seed=session_seed)
    try:
        check_room(settings)
        if not as_json:
            click.echo(f"{count} bots joining {settings.code} at {settings.url} for "
                       f"{duration:g} s (Ctrl+C stops)...", err=True)
        summary = run_bots(settings)
    except BotSetupError as error:
        _fail(str(error))
    except KeyboardInterrupt:  # pragma: no cover - Ctrl+C before the run began
        _fail("stopped before the bots had started")
    click.echo(json.dumps(summary) if as_json else format_summary(summary))


def _region_file(name: str | None) -> Path:
    """A region given as a path or as a file name in seed/regions/."""
    from sandbox.config import DEFAULT_REGION, find_region

    chosen = name or os.environ.get("LAPOR_REGION_FILE") or DEFAULT_REGION
    path = find_region(chosen)
    if not path.is_file():
        raise click.BadParameter(f"region file not found: {chosen}", param_hint="--region")
    return path


def _load(region: Path) -> Catalogue:
    from sandbox.config import resource_dir
    from sandbox.domain.catalogue import load_catalogue

    try:
        return load_catalogue(region, resource_dir("seed") / "topics")
    except DomainError as error:
        for line in error.message.splitlines()[1:]:
            click.echo(f"error: {line.removeprefix('- ')}", err=True)
        raise SystemExit(2) from None


@main.command()
@click.option("--count", required=True, type=click.IntRange(1, 100_000_000),
              help="Number of complaints to generate.")
# The same range as a practice or workshop seed, so any set generated here can be played.
@click.option("--seed", required=True, type=click.IntRange(0, SEED_MAX),
              help="The same seed always gives the same complaints.")
@click.option("--region", default=None,
              help="Region file (a path, or a name in seed/regions/). "
                   "Default: kabupaten-sukamaju.toml")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl",
              show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              default=None, help="Output file (default: standard output).")
@click.option("--messiness", type=click.FloatRange(0, 1), default=None,
              help="How messy the texts are, 0 (clean) to 1, as [teks] berantakan in a "
                   "scenario. Default: 0.35")
def generate(count: int, seed: int, region: str | None, fmt: str, out: Path | None,
             messiness: float | None) -> None:
    """Write synthetic complaints with their answer key (ground truth)."""
    from sandbox.domain.generator import generate as generate_complaints
    from sandbox.domain.messiness import DEFAULT_MESSINESS
    from sandbox.services.generation import write_complaints
    from sandbox.services.practice import PRACTICE_FIRST_ARRIVAL

    catalogue = _load(_region_file(region))
    complaints = generate_complaints(
        catalogue, seed, count, PRACTICE_FIRST_ARRIVAL,
        messiness=DEFAULT_MESSINESS if messiness is None else messiness)
    show_progress = count >= 1000 and sys.stderr.isatty() and (out is not None
                                                              or not sys.stdout.isatty())
    try:
        stream = out.open("w", encoding="utf-8", newline="") if out else sys.stdout
    except OSError as error:
        raise click.FileError(str(out), hint=error.strerror) from None
    try:
        if show_progress:
            with click.progressbar(complaints, length=count, label="Generating",
                                   file=sys.stderr) as bar:
                written = write_complaints(bar, fmt, stream)
        else:
            written = write_complaints(complaints, fmt, stream)
    finally:
        if out:
            stream.close()
    if out:
        click.echo(f"Wrote {written} complaints to {out}", err=True)


@main.group()
def catalogue() -> None:
    """Check the catalogue of units, agencies and topics in seed/."""


@catalogue.command("check")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--stats", is_flag=True,
              help="Also print the variety of a generated sample: channels, registers, "
                   "photos, follow-ups, distinct amounts and months, repeated phrases.")
@click.option("--sample", type=click.IntRange(100, 100_000), default=3000, show_default=True,
              help="Complaints generated per region for --stats.")
@click.option("--seed", type=click.IntRange(0, SEED_MAX), default=2026, show_default=True,
              help="Seed of the sample for --stats.")
def catalogue_check(files: tuple[str, ...], stats: bool, sample: int, seed: int) -> None:
    """Validate region files (default: every shipped region) against all topics."""
    from collections import Counter

    from sandbox.config import resource_dir

    paths = ([_region_file(f) for f in files] if files
             else sorted((resource_dir("seed") / "regions").glob("*.toml")))
    failed = False
    for path in paths:
        try:
            loaded = _load(path)
        except SystemExit:
            failed = True
            click.echo(f"FAILED {path.name}", err=True)
            continue
        units = [u for u in loaded.units.values() if not u.is_agency]
        actions = Counter(t.action for t in loaded.topics)
        summary = ", ".join(f"{name} {n}" for name, n in sorted(actions.items()))
        click.echo(f"OK {path.name}: {loaded.region.name}, {len(units)} units, "
                   f"{len(loaded.units) - len(units)} agencies, {len(loaded.topics)} topics "
                   f"({summary})")
        if stats:
            from sandbox.domain.generator import generate as generate_complaints
            from sandbox.domain.variety import measure
            from sandbox.services.practice import PRACTICE_FIRST_ARRIVAL

            variety = measure(generate_complaints(loaded, seed, sample, PRACTICE_FIRST_ARRIVAL))
            for line in variety.lines():
                click.echo(f"  {line}")
    if failed:
        raise SystemExit(1)


@main.group()
def scenario() -> None:
    """Check scenario files (scenarios/*.toml)."""


@scenario.command("check")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
def scenario_check(files: tuple[str, ...]) -> None:
    """Validate scenario files (default: every shipped scenario); list every problem."""
    from sandbox.config import resource_dir
    from sandbox.domain.scenario import ScenarioError, load_holidays, load_scenario

    paths = ([Path(f) for f in files] if files
             else sorted((resource_dir("scenarios")).glob("*.toml")))
    if not paths:
        raise click.ClickException("no scenario files found")
    try:
        holidays = load_holidays(resource_dir("seed") / "calendar" / "hari-libur.toml")
    except ScenarioError as error:  # the holiday calendar itself is broken
        for problem in error.problems:
            click.echo(f"error: {problem}", err=True)
        raise SystemExit(2) from None
    failed = 0
    for path in paths:
        try:
            checked = load_scenario(path, _catalogue_by_name, holidays)
        except ScenarioError as error:
            failed += 1
            for problem in error.problems:
                click.echo(f"error: {problem}", err=True)
            click.echo(f"FAILED {path}", err=True)
            continue
        click.echo(f"OK {path}: {checked.title} ({len(checked.timeline)} timeline entries, "
                   f"{checked.duration_minutes:g} min, 1 HK = {checked.minutes_per_hk:g} min)")
    if failed:
        raise SystemExit(1)


@main.command("tl-check")
@click.argument("file", type=click.File("rb"), default="-")
def tl_check(file: Any) -> None:
    """Judge TLs, one per line, from FILE or standard input: one JSON object per TL with
    `concrete`, `quality` (share of the TL-quality points), `stock_phrases` and the
    `checklist` with reasons. Empty lines are skipped; a line that is not UTF-8 gets an
    `error:` line on standard error."""
    import json

    from sandbox.domain.tl_quality import assess_tl

    for number, raw in enumerate(file, start=1):
        try:
            line = raw.decode("utf-8").removeprefix("\ufeff").strip()
        except UnicodeDecodeError:
            click.echo(f"error: line {number}: not UTF-8 text", err=True)
            continue
        if not line:
            continue
        verdict = assess_tl(line).to_dict()
        click.echo(json.dumps({"line": number, "text": line, **verdict}, ensure_ascii=False))


def _catalogue_by_name(name: str) -> Catalogue:
    from sandbox.config import find_region, resource_dir
    from sandbox.domain.catalogue import load_catalogue

    path = find_region(name)
    if not path.is_file():
        raise DomainError(f"file wilayah tidak ditemukan: {name}")
    return load_catalogue(path, resource_dir("seed") / "topics")


def _fail_fields(errors: dict[str, str]) -> NoReturn:
    """One `error: field: message` line per problem of a form, and exit code 2."""
    for field, message in errors.items():
        click.echo(f"error: {field}: {message}", err=True)
    raise SystemExit(2)


def _fail(message: str) -> NoReturn:
    """One `error:` line and exit code 2, as for every bad input on the command line."""
    click.echo(f"error: {message}", err=True)
    raise SystemExit(2)


EXPORT_FORMATS = ("csv", "xlsx", "jsonl", "archive")


@main.command("export")
@click.option("--session", "code", required=True, help="The workshop's code, as on its page.")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True,
              help="csv/xlsx: results per trainee; jsonl: the raw event log; archive: the "
                   "whole session, to import elsewhere.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The file to write (replaced if it exists).")
@click.option("--include-inactive", is_flag=True,
              help="csv/xlsx: also list trainees who never signed in or never acted.")
def export_command(code: str, fmt: str, out: Path, include_inactive: bool) -> None:
    """Write a workshop's results, raw log or full archive to a file.

    Results list the trainees who count (services.attendance): those who never signed in
    or never acted only with --include-inactive, as on the export page.
    """
    from sandbox.services.archive import export_archive
    from sandbox.services.exports import (
        counted_trainees,
        event_log_jsonl,
        results_csv,
        results_xlsx,
        workshop_by_code,
    )

    makers = {"csv": results_csv, "xlsx": results_xlsx, "jsonl": event_log_jsonl,
              "archive": export_archive}
    from sandbox.services.ticker import tick

    app = _app()
    with app.app_context():
        try:
            exercise = workshop_by_code(code)
            tick()  # what the reporters did by now, in case no server is ticking
            results = fmt in ("csv", "xlsx")
            data = (results_xlsx if fmt == "xlsx" else results_csv)(exercise, include_inactive) \
                if results else makers[fmt](exercise)
        except DomainError as error:
            db.session.rollback()
            _fail(error.message)
        title, code = exercise.title, exercise.code
        trainees = len(counted_trainees(exercise, include_inactive)) if results \
            else len(exercise.participants)
    try:
        out.write_bytes(data)
    except OSError as error:
        _fail(f"cannot write {out}: {error.strerror}")
    click.echo(f"Wrote {fmt} of session {code} ('{title}', {trainees} participants, "
               f"{len(data):,} bytes) to {out}")


def _owner(username: str | None) -> Any:
    """The facilitator who will own an imported session: the named one, else the first admin."""
    from sandbox.models import Facilitator

    if username:
        found = db.session.scalar(select(Facilitator).where(Facilitator.username == username))
        if found is None:
            _fail(f"no facilitator '{username}' (see lapor-sandbox create-facilitator)")
        return found
    found = db.session.scalar(select(Facilitator).order_by(
        Facilitator.is_admin.desc(), Facilitator.id).limit(1))
    if found is None:
        _fail("no facilitator account yet: create one first with "
              "'lapor-sandbox create-facilitator'")
    return found


@main.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--facilitator", "username", default=None,
              help="Username of the new owner (default: the first admin).")
def import_command(file: Path, username: str | None) -> None:
    """Recreate a workshop from an archive file (lapor-sandbox export --format archive)."""
    from sandbox.services.archive import import_archive
    from sandbox.services.uploads import ARCHIVE_MAX_BYTES

    try:
        if file.stat().st_size > ARCHIVE_MAX_BYTES:  # never read a huge file into memory
            _fail(f"{file} is {file.stat().st_size:,} bytes; a session archive may be at "
                  f"most {ARCHIVE_MAX_BYTES // (1024 * 1024)} MB")
        data = file.read_bytes()
    except OSError as error:
        _fail(f"cannot read {file}: {error.strerror}")
    app = _app()
    with app.app_context():
        owner = _owner(username)
        try:
            result = import_archive(data, owner)
        except DomainError as error:
            db.session.rollback()
            _fail(error.message)
        db.session.commit()
        counts = result.counts
        renamed = f" (code {result.original_code} was taken here)" if result.renamed else ""
        click.echo(f"Imported session '{result.exercise.title}' as {result.exercise.code}"
                   f"{renamed} for facilitator '{owner.username}': "
                   f"{counts['participants']} participants, {counts['complaints']} complaints, "
                   f"{counts['events']} events, {counts['session_events']} session events, "
                   f"{counts['score_overrides']} score overrides, "
                   f"{counts['clock_changes']} clock changes.")
        if result.new_tokens:
            click.echo(f"{result.new_tokens} participants got a new rejoin link (their token "
                       "was taken here); personal codes are unchanged.")


def _throwaway_app() -> Any:
    """An app on an empty in-memory database, gone when the command ends: `compare`
    reads archives without touching this laptop's database."""
    import secrets

    from sandbox import models  # noqa: F401 - the tables create_all makes
    from sandbox.config import Config

    try:
        app = create_app(Config, SQLALCHEMY_DATABASE_URI="sqlite://",
                         SECRET_KEY=secrets.token_hex(16))
    except DomainError as error:
        raise click.ClickException(error.message) from None
    with app.app_context():
        db.create_all()
    return app


def _num(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _group_row(cells: list[str], first: int = 22) -> str:
    """One row of the terminal table: the group's name in `first` characters (cut with
    «…» only past 48), then the figures right-aligned."""
    name = cells[0] if len(cells[0]) <= first else cells[0][:first - 1] + "…"
    return f"{name:<{first}} " + " ".join(f"{c:>{w}}" for c, w in zip(
        cells[1:], COMPARE_WIDTHS, strict=True))


def _learning_lines(comparison: Any) -> list[str]:
    """The sessions' tes awal and tes akhir in a few lines (domain.learning): per group
    the paired participants, the test total before and after, the mean change and its
    size; nothing when no session has tests."""
    from sandbox.domain.comparison import TOO_SMALL
    from sandbox.domain.learning import side_by_side

    found = [s.learning for s in comparison.sessions if s.learning is not None]
    if not found:
        return []
    both = side_by_side(found)
    total = next((row for measure, row in both.gains if measure.key == "total"), None)
    if total is None:
        return []
    width = min(48, max(len(g.label) for g in both.groups))
    lines = ["", "Tes awal -> tes akhir (test total, participants who took both; "
                 "not a significance test):"]
    for group, gain in zip(both.groups, total, strict=True):
        if gain is None or gain.mean_gain is None:
            lines.append(f"  {group.label:<{width}}  no pair took both tests")
            continue
        size = TOO_SMALL if gain.size == TOO_SMALL else f"change {gain.size}"
        lines.append(f"  {group.label:<{width}}  n={gain.pairs:<3} {_num(gain.mean_pre)}% -> "
                     f"{_num(gain.mean_post)}% ({gain.mean_gain:+.1f}; {gain.improved} up, "
                     f"{gain.same} same, {gain.worse} down): {size}")
    return lines


def _people_line(people: Any, match_names: bool) -> str:
    """People over time in a line, then what could not be matched and why (in Indonesian,
    as the page says it): domain.people.PeopleOverTime."""
    from sandbox.domain.people import How

    if not people.people:
        line = "People over time: nobody found in two or more sessions"
    else:
        ways = {How.NIP: "by NIP", How.NAME: "by name+OPD", How.BOTH: "by NIP and name+OPD"}
        counted = ", ".join(f"{people.count(how)} {ways[how]}" for how in How
                            if people.count(how))
        moves = people.total_moves()
        line = (f"People over time: {len(people.people)} followed in two or more sessions "
                f"({counted}); total up for {moves['naik']}, down for {moves['turun']}, "
                f"same for {moves['tetap']}")
    pending = len(people.pending)
    if pending and not match_names:
        line += f"; {pending} name+OPD matches not counted (--match-names accepts them)"
    return "\n".join([line + ".", *(f"  not matched: {note}" for note in people.notes)])


COMPARE_HEADERS = ["group", "n", "routing%", "verify med/p90", "1st TL med/p90",
                   "breach/p", "TL qual%", "conf/p", "total%"]
COMPARE_WIDTHS = [4, 8, 14, 14, 8, 8, 6, 6]


@main.command("compare")
@click.argument("archives", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the comparison workbook (XLSX, one sheet per view) here.")
@click.option("--allow-mismatch", is_flag=True,
              help="Compare sessions even if their scenario, seed, scoring version or mode "
                   "differ (the differences are printed as a warning).")
@click.option("--match-names", is_flag=True,
              help="Also follow people without a matching NIP whose name and OPD are the "
                   "same in several sessions (titles and degrees aside). Passing this flag "
                   "is your confirmation that those are the same people; without it they "
                   "are only counted as proposals. People with the same NIP are always "
                   "followed.")
def compare_command(archives: tuple[Path, ...], out: Path | None,
                    allow_mismatch: bool, match_names: bool) -> None:
    """Compare session archives (lapor-sandbox export --format archive) side by side.

    The archives are read into a throwaway in-memory database, never this laptop's;
    each session is scored as it stood when exported. Prints one row per session (and
    cohort), how large each difference is against the spread inside the groups, and
    how many people were followed across sessions (by the NIP of the participant list;
    with --match-names also by name and OPD).
    """
    from sandbox.domain.comparison import TOO_SMALL
    from sandbox.services.archive import ArchiveError
    from sandbox.services.comparison import compare_archives, comparison_xlsx
    from sandbox.services.people import people_over_time
    from sandbox.services.uploads import ARCHIVE_MAX_BYTES
    if len(archives) < 2:
        _fail("compare needs at least two archive files")
    files = []
    for path in archives:
        try:
            if path.stat().st_size > ARCHIVE_MAX_BYTES:
                _fail(f"{path} is {path.stat().st_size:,} bytes; a session archive may be at "
                      f"most {ARCHIVE_MAX_BYTES // (1024 * 1024)} MB")
            files.append((str(path), path.read_bytes()))
        except OSError as error:
            _fail(f"cannot read {path}: {error.strerror}")
    app = _throwaway_app()
    with app.app_context():
        try:
            comparison = compare_archives(files, allow_mismatch)
        except ArchiveError as error:
            _fail(error.message)
        except DomainError as error:
            _fail(f"cannot compare: {error.message}")
        verdict = comparison.compatibility
        if verdict.refused:
            _fail("the sessions did not do the same work: " + " ".join(verdict.reasons)
                  + " Use --allow-mismatch to compare them anyway.")
        for session in comparison.sessions:
            kind = "teams" if session.teams else "participants"
            click.echo(f"{session.name}: '{session.title}', scenario "
                       f"{session.facts.scenario or '-'}, seed {session.facts.seed}, "
                       f"{len(session.members)} {kind} counted")
        if verdict.mismatches:
            click.echo(("WARNING: " if verdict.refusing else "Note: ")
                       + " ".join(verdict.reasons))
        click.echo("")
        width = min(48, max([len(g.label) for g in comparison.groups] + [22]))
        click.echo(_group_row(COMPARE_HEADERS, width))
        for group in comparison.groups:
            f = group.figures
            click.echo(_group_row([
                group.label, str(f.participants), _num(f.routing_pct),
                f"{_num(f.verify.median, 2)}/{_num(f.verify.p90, 2)}",
                f"{_num(f.first_tl.median, 2)}/{_num(f.first_tl.p90, 2)}",
                _num(f.breaches_per_participant, 2), _num(f.quality_pct),
                _num(f.confidentiality_per_participant, 2), _num(f.total_pct)], width))
        click.echo("")
        click.echo("Differences (per-participant means against the spread inside the groups; "
                   "not a significance test):")
        for first, second, found_all in comparison.difference_pairs():
            if all(d.size == TOO_SMALL for d in found_all):  # said once for the pair
                click.echo(f"  {first} vs {second}: {TOO_SMALL}")
                continue
            for found in found_all:
                click.echo(f"  {first} vs {second}, {found.figure.label}: {found.size}")
        for line in _learning_lines(comparison):
            click.echo(line)
        people = people_over_time(comparison, confirm_all=match_names)
        click.echo("")
        click.echo(_people_line(people, match_names))
        data = comparison_xlsx(comparison, people) if out is not None else b""
    if out is not None:
        try:
            out.write_bytes(data)
        except OSError as error:
            _fail(f"cannot write {out}: {error.strerror}")
        click.echo(f"Wrote the comparison workbook ({len(data):,} bytes) to {out}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
