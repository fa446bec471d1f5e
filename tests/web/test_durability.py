"""Acknowledged means stored: a server killed mid-burst keeps every action it answered,
and SQLite syncs every commit to disk (synchronous=FULL) so a power cut keeps it too."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest
from sqlalchemy import select, text

from sandbox import create_app
from sandbox.config import TestConfig
from sandbox.extensions import db
from sandbox.models import Event, Participant
from sandbox.services.complaints import record_action, visible_complaints
from sandbox.services.database import ensure_schema
from sandbox.services.practice import start_practice


@pytest.mark.sqlite_only
def test_sqlite_syncs_every_commit_by_default(app):
    with app.app_context(), db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL


def test_synchronous_mode_is_a_setting_and_checked(tmp_path, clock):
    app = create_app(TestConfig, WALL_CLOCK=clock, SQLITE_SYNCHRONOUS="normal",
                     SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'n.db'}")
    with app.app_context(), db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
    from sandbox.domain.errors import DomainError

    with pytest.raises(DomainError, match="LAPOR_SQLITE_SYNCHRONOUS must be one of"):
        create_app(TestConfig, WALL_CLOCK=clock, SQLITE_SYNCHRONOUS="OFF",
                   SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'o.db'}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _request(port: int, method: str, path: str, headers: dict[str, str] | None = None,
             body: str | None = None) -> tuple[int, dict[str, str], str]:
    """One request on its own connection, always closed (OSError if the server is gone)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        conn.close()


def _wait_until_up(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server exited at start"
        try:
            if _request(port, "GET", "/kesehatan")[0] == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the server did not start")


def test_a_killed_server_loses_no_acknowledged_action(tmp_path):
    """SIGKILL the real server (waitress, SQLite) during a burst of follow-ups."""
    instance = tmp_path / "instance"
    os.environ["LAPOR_INSTANCE_PATH"] = str(instance)
    app = create_app()
    with app.app_context():
        ensure_schema()
        participant = start_practice("Peserta Uji", "Dinas Kominfo", seed=11, count=12)
        db.session.commit()
        numbers = [c.tracking_no for c in visible_complaints(participant)][:6]
        for i, number in enumerate(numbers):
            record_action(participant, number, "verifikasi", {
                "judul": "Laporan untuk uji matinya server", "klasifikasi": "aspirasi",
                "kategori": "infrastruktur", "unit": "pupr"}, f"kill-verify-{i:08d}")
        db.session.commit()
        token = participant.token
        db.engine.dispose()

    port = _free_port()
    env = {**os.environ, "LAPOR_INSTANCE_PATH": str(instance)}
    server = subprocess.Popen(
        [sys.executable, "-m", "sandbox.cli", "serve", "--port", str(port), "--threads", "4"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_until_up(port, server)
        _, headers, _ = _request(port, "GET", f"/lanjut/{token}")
        cookie = headers["Set-Cookie"].split(";", 1)[0]
        status, headers, page = _request(port, "GET", "/kotak-masuk", {"Cookie": cookie})
        # The page's CSRF token lives in the session cookie it sets.
        cookie = headers.get("Set-Cookie", cookie).split(";", 1)[0]
        found = re.search(r'"X-CSRFToken": "([^"]+)"', page)
        assert found, (status, page[:300])
        csrf = found.group(1)

        acknowledged: list[str] = []
        statuses: list[int] = []
        lock = threading.Lock()
        stop = threading.Event()

        def burst(worker: int) -> None:
            for i in range(200):
                if stop.is_set():
                    return
                key = f"kill-tl-{worker:02d}-{i:06d}"
                body = urllib.parse.urlencode({
                    "isi": f"Tindak lanjut {worker}/{i}: petugas meninjau lokasi besok.",
                    "idem_key": key})
                try:
                    status, _, answer = _request(
                        port, "POST", f"/laporan/{numbers[worker]}/aksi/tindak_lanjut",
                        {"Cookie": cookie, "HX-Request": "true", "X-CSRFToken": csrf,
                         "Content-Type": "application/x-www-form-urlencoded"}, body)
                except (OSError, http.client.HTTPException):
                    return  # the server is gone: this one was never acknowledged
                statuses.append((status, re.sub(r"\s+", " ", answer)[-300:]))
                if status < 300:
                    with lock:
                        acknowledged.append(key)

        workers = [threading.Thread(target=burst, args=(w,)) for w in range(len(numbers))]
        for worker in workers:
            worker.start()
        deadline = time.monotonic() + 60
        while len(acknowledged) < 40 and time.monotonic() < deadline:
            time.sleep(0.01)
        server.send_signal(signal.SIGKILL)  # mid-burst: requests are still in flight
        server.wait(10)
        stop.set()
        for worker in workers:
            worker.join(15)
    finally:
        if server.poll() is None:
            server.kill()

    assert len(acknowledged) >= 40, f"the burst did not get going: {statuses[:5]}"
    app = create_app()
    with app.app_context():
        stored = set(db.session.scalars(select(Event.idem_key).join(Event.complaint).where(
            Event.idem_key.like("kill-tl-%"))))
        assert db.session.scalar(select(Participant).where(Participant.token == token))
        db.engine.dispose()
    missing = set(acknowledged) - stored
    assert not missing, f"{len(missing)} acknowledged actions were lost"
    assert Path(instance / "lapor-sandbox.db").stat().st_mode & 0o777 == 0o600
