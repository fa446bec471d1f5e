"""Many trainees' requests at once through a real threaded server: no update may be lost."""

from __future__ import annotations

import http.client
import threading
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from sandbox.extensions import db
from sandbox.models import Event
from sandbox.services.complaints import record_action

THREADS = 16
REQUESTS_PER_THREAD = 12


@pytest.fixture
def app(any_app):
    """Run every test here on SQLite and on PostgreSQL."""
    return any_app


@pytest.fixture
def server(app):
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv.server_port
    srv.shutdown()
    thread.join(5)


def _cookie(port: int, token: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", f"/lanjut/{token}")
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.getheader("Set-Cookie").split(";", 1)[0]


def _post(port: int, cookie: str, path: str, fields: dict[str, str]) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("POST", path, body=urllib.parse.urlencode(fields),
                 headers={"Cookie": cookie, "HX-Request": "true",
                          "Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status


def _events(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Event))


def _dispose(app, trainee, numbers):
    """Bring reports to DIPROSES so follow-ups (a self-loop) can be posted many times."""
    with app.app_context():
        from sandbox.models import Participant

        participant = db.session.get(Participant, trainee.participant_id)
        for i, number in enumerate(numbers):
            record_action(participant, number, "verifikasi", {
                "judul": "Laporan untuk uji serentak", "klasifikasi": "aspirasi",
                "kategori": "infrastruktur", "unit": "pupr"}, f"setup-verify-{i:08d}")
            record_action(participant, number, "tindak_lanjut", {
                "isi": "Tindak lanjut awal untuk uji serentak."}, f"setup-tl-{i:012d}")
        db.session.commit()


def test_concurrent_actions_lose_no_update(app, trainee, server):
    numbers = trainee.tracking_numbers[:4]
    _dispose(app, trainee, numbers)
    before = _events(app)
    cookie = _cookie(server, trainee.token)

    def work(thread_no: int) -> int:
        acknowledged = 0
        for i in range(REQUESTS_PER_THREAD):
            number = numbers[(thread_no + i) % len(numbers)]
            status = _post(server, cookie, f"/laporan/{number}/aksi/tindak_lanjut", {
                "idem_key": f"thread{thread_no:03d}-req{i:04d}-xxxx",
                "isi": f"Tindak lanjut sementara nomor {i} dari petugas {thread_no}."})
            acknowledged += status == 200
        return acknowledged

    with ThreadPoolExecutor(THREADS) as pool:
        acknowledged = sum(pool.map(work, range(THREADS)))

    assert acknowledged == THREADS * REQUESTS_PER_THREAD
    assert _events(app) - before == acknowledged
    # Sequence numbers per report are gapless: no two writers took the same seq.
    with app.app_context():
        rows = db.session.execute(select(Event.complaint_id, func.count(), func.max(Event.seq))
                                  .group_by(Event.complaint_id)).all()
    assert all(count == max_seq for _, count, max_seq in rows)


def test_concurrent_double_submits_record_one_event(app, trainee, server):
    number = trainee.tracking_numbers[0]
    cookie = _cookie(server, trainee.token)
    fields = {"idem_key": "same-key-for-every-click", "pertanyaan": "Di mana lokasi tepatnya?"}
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(
            lambda _: _post(server, cookie, f"/laporan/{number}/aksi/tunda", fields), range(8)))
    assert statuses == [200] * 8
    assert _events(app) == 1
