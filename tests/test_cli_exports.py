"""`lapor-sandbox export` and `lapor-sandbox import`: files written, sessions moved between
databases, and one `error:` line with exit code 2 for every bad input."""

from __future__ import annotations

import csv
import gzip
import io
import json

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import func, select

from sandbox import cli
from sandbox.extensions import db
from sandbox.models import Complaint
from sandbox.services.accounts import create_facilitator
from sandbox.services.exports import workshop_by_code
from sandbox.services.scoring import report_card
from tests.conftest import build_app
from tests.exports_kit import PASSWORD, count_events, play_workshop


def run(app, monkeypatch, *args: str):
    """The command line on `app`'s database (and its manual clock)."""
    monkeypatch.setattr(cli, "_app", lambda: app)
    return CliRunner().invoke(cli.main, list(args), catch_exceptions=False)


@pytest.fixture
def played(app, clock):
    return play_workshop(app, clock).code


@pytest.fixture
def other_app(tmp_path, clock):
    """A second laptop: its own database, with two facilitators (the first an admin)."""
    application = build_app(tmp_path / "other", clock)
    with application.app_context():
        create_facilitator("sari", "Bu Sari", PASSWORD, is_admin=True)
        create_facilitator("dedi", "Pak Dedi", PASSWORD)
        db.session.commit()
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "jsonl", "archive"])
def test_export_writes_the_file_and_says_what(app, monkeypatch, tmp_path, played, fmt):
    out = tmp_path / f"hasil.{fmt}"
    # The idle trainee is in the results only with --include-inactive.
    result = run(app, monkeypatch, "export", "--session", played.lower(), "--format", fmt,
                 "--out", str(out), "--include-inactive")
    assert result.exit_code == 0, result.output
    assert f"Wrote {fmt} of session {played}" in result.output
    assert "3 participants" in result.output and str(out) in result.output
    data = out.read_bytes()
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
        assert len(rows) == 3
    elif fmt == "xlsx":
        assert load_workbook(io.BytesIO(data)).sheetnames[0] == "Ringkasan"
    elif fmt == "jsonl":
        with app.app_context():
            events = count_events(played)
        assert sum(json.loads(x)["type"] == "event" for x in data.splitlines()) == events
    else:
        assert json.loads(gzip.decompress(data))["version"] == 1


def test_export_leaves_the_idle_out_of_the_results_by_default(app, monkeypatch, tmp_path,
                                                              played):
    out = tmp_path / "hasil.csv"
    result = run(app, monkeypatch, "export", "--session", played, "--format", "csv",
                 "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "2 participants" in result.output
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig")),
                               delimiter=";"))
    assert sorted(row["Nama"] for row in rows) == ["Andi Saputra", "Siti Rahmawati"]


@pytest.mark.parametrize(("args", "message"), [
    (["--session", "ZZZZZZ", "--format", "csv"], "error: no workshop with code 'ZZZZZZ'"),
    (["--session", "{code}", "--format", "csv", "--out", "/nonexistent-dir/x.csv"],
     "error: cannot write /nonexistent-dir/x.csv"),
])
def test_export_errors_are_one_line(app, monkeypatch, tmp_path, played, args, message):
    args = [a.replace("{code}", played) for a in args]
    if "--out" not in args:
        args += ["--out", str(tmp_path / "x.csv")]
    result = run(app, monkeypatch, "export", *args)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith(message)


def test_import_moves_a_session_to_another_laptop(app, other_app, monkeypatch, tmp_path,
                                                  played):
    archive = tmp_path / "arsip.json.gz"
    assert run(app, monkeypatch, "export", "--session", played, "--format", "archive",
               "--out", str(archive)).exit_code == 0
    with app.app_context():
        events = count_events(played)
        complaints = db.session.scalar(select(func.count()).select_from(Complaint))
        totals = {p.name: report_card(p).summary for p in workshop_by_code(played).participants}

    result = run(other_app, monkeypatch, "import", str(archive))
    assert result.exit_code == 0, result.output
    assert f"as {played} for facilitator 'sari'" in result.output  # the first admin
    assert f"3 participants, {complaints} complaints, {events} events" in result.output
    with other_app.app_context():
        copy = workshop_by_code(played)
        assert count_events(played) == events
        assert {p.name: report_card(p).summary for p in copy.participants} == totals

    again = run(other_app, monkeypatch, "import", str(archive), "--facilitator", "dedi")
    assert again.exit_code == 0, again.output
    assert f"(code {played} was taken here) for facilitator 'dedi'" in again.output
    assert "3 participants got a new rejoin link" in again.output


def test_import_errors_are_one_line(app, other_app, monkeypatch, tmp_path):
    broken = tmp_path / "rusak.json.gz"
    broken.write_bytes(b'{"format": "lapor-sandbox-arsip", "version": 3}')
    cases = [
        ([str(broken)], "error: Arsip versi 3 tidak dapat dibaca"),
        ([str(tmp_path / "tidak-ada.json.gz")], "error: cannot read"),
        ([str(broken), "--facilitator", "siapa"], "error: no facilitator 'siapa'"),
    ]
    for args, message in cases:
        result = run(other_app, monkeypatch, "import", *args)
        assert result.exit_code == 2, args
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert result.stderr.startswith(message), result.stderr
    empty = run(app, monkeypatch, "import", str(broken))  # no facilitator account at all
    assert empty.exit_code == 2
    assert empty.stderr.startswith("error: no facilitator account yet")


def test_import_refuses_a_file_over_the_archive_limit_without_reading_it(tmp_path, monkeypatch):
    """A huge file is refused by its size on disk, before anything is read into memory."""
    from click.testing import CliRunner

    from sandbox.cli import main

    monkeypatch.setenv("LAPOR_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    big = tmp_path / "besar.json.gz"
    with big.open("wb") as handle:
        handle.truncate(64 * 1024 * 1024 + 1)  # sparse: no memory or disk used
    monkeypatch.setattr("pathlib.Path.read_bytes", lambda self: (_ for _ in ()).throw(
        AssertionError("the file was read")))
    result = CliRunner().invoke(main, ["import", str(big)])
    assert result.exit_code == 2
    assert "a session archive may be at most 64 MB" in result.output
