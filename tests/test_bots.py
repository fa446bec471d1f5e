"""`lapor-sandbox bots`: simulated trainees over real HTTP against a real waitress server."""

from __future__ import annotations

import json
import socket
import threading
from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from sandbox import create_app
from sandbox.cli import main
from sandbox.domain.clock import ManualClock
from sandbox.domain.session import ClockCommand
from sandbox.domain.workflow import Role
from sandbox.extensions import db
from sandbox.models import Complaint, Event, Exercise, Participant
from sandbox.services.accounts import create_facilitator
from sandbox.services.database import ensure_schema
from sandbox.services.timekeeping import command_clock, staged_wall_clock, wall_clock
from sandbox.services.workshops import WorkshopForm, create_workshop

TRAINEE_ROLES = (Role.ADMIN_INSTANSI.value, Role.ADMIN_PENGHUBUNG.value)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _served_room(tmp_path, monkeypatch, scenario, minutes_per_hk, ticking=False):
    """A real app (CSRF on, wall clock) with a workshop of `scenario` started three minutes
    ago, served by waitress in a thread; yields (base URL, session code, app)."""
    from waitress import create_server

    from sandbox.services.ticker import tick

    monkeypatch.setenv("LAPOR_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app()
    with app.app_context():
        ensure_schema()
        facilitator = create_facilitator("ratna", "Bu Ratna", "rahasia-123", is_admin=True)
        workshop = create_workshop(facilitator, WorkshopForm(
            scenario=scenario, title="Uji bot", held_on="", location="",
            minutes_per_hk=minutes_per_hk, seed=""))
        started = ManualClock(wall_clock().now() - timedelta(minutes=3))
        with staged_wall_clock(started):
            command_clock(workshop, ClockCommand.MULAI, facilitator.name)
        code = workshop.code
        db.session.commit()
        tick()  # as the server's ticker would have (this thread-served app runs none)
    port = _free_port()
    server = create_server(app, host="127.0.0.1", port=port, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    stop = threading.Event()

    def ticker() -> None:  # the server's ticker, stopped with the room
        while not stop.wait(0.3):
            with app.app_context():
                try:
                    tick()
                finally:
                    db.session.remove()

    ticks = threading.Thread(target=ticker, daemon=True)
    if ticking:
        ticks.start()
    yield f"http://127.0.0.1:{port}", code, app
    stop.set()
    if ticking:
        ticks.join(5)
    server.close()
    thread.join(5)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def room(tmp_path, monkeypatch):
    """A bimtek-dasar workshop at a minute per HK: the first reports have arrived."""
    yield from _served_room(tmp_path, monkeypatch, "bimtek-dasar", "1")


@pytest.fixture
def opd_room(tmp_path, monkeypatch):
    """A mode-OPD workshop (opd-penghubung) at a quarter minute per HK: 12 HK have passed,
    every OPD's reports have been disposed to it."""
    yield from _served_room(tmp_path, monkeypatch, "opd-penghubung", "0.25", ticking=True)


def run(*args: str):
    return CliRunner().invoke(main, ["bots", *args], catch_exceptions=False)


def test_bots_join_act_and_every_acknowledged_action_is_recorded(room):
    url, code, app = room
    result = run("--url", url, "--code", code, "--count", "3", "--duration", "6",
                 "--think", "1", "--ramp", "0.5", "--skill", "1", "--scenario", "bimtek-dasar",
                 "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["joined"] == 3
    assert summary["errors"] == {}, summary
    actions = summary["actions"]
    assert actions["acknowledged"] >= 3, summary
    assert actions["acknowledged"] == actions["sent"]
    assert summary["answer_sheet"]["used"] >= 3
    for kind in ("join", "page", "report", "action"):
        assert summary["endpoints"][kind]["requests"] > 0
        assert summary["endpoints"][kind]["p95_ms"] is not None
    with app.app_context():
        exercise = db.session.scalar(select(Exercise).where(Exercise.code == code))
        assert db.session.scalar(select(func.count(Participant.id)).where(
            Participant.exercise_id == exercise.id)) == 3
        events = db.session.scalars(select(Event).join(Event.complaint).where(
            Complaint.exercise_id == exercise.id, Event.role.in_(TRAINEE_ROLES))).all()
        assert len(events) == actions["acknowledged"]
        assert all(event.idem_key for event in events)
        # --skill 1 with the scenario's answer sheet: every first disposition is the key's.
        verified = [e for e in events if e.action == "verifikasi"
                    and e.complaint.answer_key["expected_action"] == "disposisi"]
        assert verified
        for event in verified:
            assert event.payload["unit"] == event.complaint.answer_key["expected_target"]


def test_a_bot_polls_the_pulse_and_refreshes_the_inbox_on_its_event(room):
    """Like htmx: the pulse is the page's one poll; a 204 changes nothing, a broadcast
    only moves the pulse on, and a content change makes the bot fetch its inbox again."""
    from sandbox.bots import Bot, BotSettings, Stats, poll_kind
    from sandbox.services.inject import inject_complaint
    from sandbox.services.session_log import broadcast

    url, code, app = room

    def control(change):
        with app.app_context():
            exercise = db.session.scalar(select(Exercise).where(Exercise.code == code))
            change(exercise)
            db.session.commit()

    # Paused, so that nothing changes unless the test changes it (not even the hour).
    control(lambda exercise: command_clock(exercise, ClockCommand.JEDA, "Bu Ratna"))
    stats = Stats()
    bot = Bot(0, BotSettings(url=url, code=code, count=1, act=False), stats,
              threading.Event(), None, 0.0)
    try:
        assert bot.join() is None
        [(pulse, every)] = bot.polls  # the inbox page polls once: its pulse
        assert poll_kind(pulse) == "pulse" and every == 5
        assert bot.listeners == [("lapor-berubah", "/kotak-masuk")]
        listed = dict(bot.rows)

        assert bot.poll(pulse) == pulse  # 204: nothing changed
        control(lambda exercise: broadcast(exercise, "Bu Ratna", "Lima menit lagi jeda."))
        moved = bot.poll(pulse)
        assert moved != pulse and poll_kind(moved) == "pulse"
        assert stats.latency["inbox"] == []  # only the message changed: no refresh
        assert bot.poll(moved) == moved

        control(lambda exercise: inject_complaint(exercise, "Bu Ratna", {
            "sumber": "topik", "topik": "jalan-kabupaten-berlubang"}))
        again = bot.poll(moved)
        assert again != moved
        assert len(stats.latency["inbox"]) == 1  # the inbox fetched again, as htmx would
        assert len(bot.rows) == len(listed) + 1  # ... with the injected report in it
        assert bot.poll(again) == again
        assert len(stats.latency["pulse"]) == 5 and not stats.errors
    finally:
        bot.browser.close()


def test_an_unknown_session_code_stops_in_one_line(room):
    url, _code, app = room
    result = run("--url", url, "--code", "ZZZZZZ", "--count", "5", "--duration", "2")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("error: could not join session ZZZZZZ: the join was refused "
                                "(422)")
    assert "Traceback" not in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Participant.id))) == 0


@pytest.mark.parametrize(("url", "message"), [
    ("http://127.0.0.1:{closed}", "error: cannot reach http://127.0.0.1:{closed} ("),
    ("ftp://example.org", "error: --url must be an http:// or https:// address"),
])
def test_a_bad_url_stops_in_one_line(url, message):
    closed = _free_port()  # nothing listens there
    result = run("--url", url.format(closed=closed), "--code", "ABCDEF", "--duration", "2")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1].startswith(message.format(closed=closed))
    assert "Traceback" not in result.output


def test_a_server_that_is_not_the_sandbox_is_named(room):
    url, _code, _app = room
    result = run("--url", url + "/tidak-ada", "--code", "ABCDEF", "--duration", "2")
    assert result.exit_code == 2
    assert "does not look like a Sandbox LAPOR! server" in result.stderr
    assert "answered 404" in result.stderr


def test_the_load_bench_explains_itself():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "bench/load.py", "--help"], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "--quick" in result.stdout


def test_bots_play_mode_opd_as_admin_penghubung_of_the_listed_opds(opd_room):
    """In mode OPD each bot picks its OPD from the join form's list and answers what is
    disposed to it: at --skill 1 with the answer sheet it returns exactly the wrong
    dispositions and follows up the right ones."""
    url, code, app = opd_room
    result = run("--url", url, "--code", code, "--count", "3", "--duration", "8",
                 "--think", "0.5", "--ramp", "0.5", "--skill", "1",
                 "--scenario", "opd-penghubung", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["joined"] == 3 and summary["errors"] == {}, summary
    with app.app_context():
        exercise = db.session.scalar(select(Exercise).where(Exercise.code == code))
        people = db.session.scalars(select(Participant).where(
            Participant.exercise_id == exercise.id)).all()
        assert all(p.unit_code for p in people)
        answers = db.session.scalars(select(Event).join(Event.complaint).where(
            Complaint.exercise_id == exercise.id, Event.role == "admin_penghubung")).all()
        assert len(answers) == summary["actions"]["acknowledged"] > 0, summary
        assert {e.action for e in answers} == {"kembalikan", "tindak_lanjut"}
        for event in answers:
            wrong = event.complaint.script["instansi"]["wrong"]
            first = next(e for e in event.complaint.events if e.role == "admin_penghubung")
            assert first.action == ("kembalikan" if wrong else "tindak_lanjut")
