"""Reads never take the write lock (issue 12): a GET begins a deferred transaction and
must not write; the scripted reporters' events are recorded by the ticker instead."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import func, select

from sandbox.extensions import db
from sandbox.models import Complaint, Event, Participant
from sandbox.services.ticker import tick, tick_session
from sandbox.services.timekeeping import sim_clock
from sandbox.transactions import ReadOnlyViolation, begin_statement, reading
from tests.web.kit import first_report
from tests.web.kit import tick as tick_app

TL = ("Petugas Dinas PUPR telah menambal lubang di Jl. Merdeka RT 003 pada Selasa, "
      "3 Maret 2026 pukul 10.00; pemeriksaan ulang dijadwalkan Jumat.")


def _events(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Event))




def _answered(client, app, clock):
    """Siti disposes her first report and gives a final TL; the reporter answers 0.5 HK
    later (bimtek-dasar)."""
    number, key = first_report(app, "Siti")
    assert client.post(f"/laporan/{number}/aksi/verifikasi", data={
        "idem_key": "v" * 20, "judul": "Jalan berlubang perlu ditambal",
        "klasifikasi": key["klasifikasi"], "kategori": key["kategori"],
        "unit": key["expected_target"]}).status_code == 303
    assert client.post(f"/laporan/{number}/aksi/tindak_lanjut", data={
        "idem_key": "t" * 20, "isi": TL, "akhir": "1"}).status_code == 303
    clock.advance(minutes=3)
    return number


def test_a_get_records_nothing_and_the_ticker_records_once(app, workshop, clock):
    ratna, code, siti = workshop
    ratna.post(f"/fasilitator/sesi/{code}/kontrol/mulai")
    clock.advance(minutes=1)
    number = _answered(siti, app, clock)
    before = _events(app)
    for page in ("/kotak-masuk", f"/laporan/{number}", "/hasil"):
        assert siti.get(page).status_code == 200
    for page in (f"/fasilitator/sesi/{code}", f"/fasilitator/sesi/{code}/layar",
                 f"/fasilitator/sesi/{code}/debrief"):
        assert ratna.get(page).status_code == 200
    assert _events(app) == before  # the reporter's answer is due, but reads record nothing

    assert tick_app(app) >= 1
    after = _events(app)
    assert tick_app(app) == 0 and _events(app) == after  # never twice
    assert "Pelapor (simulasi)" in siti.get(f"/laporan/{number}").get_data(as_text=True)


@pytest.mark.sqlite_only
def test_a_get_reads_beside_a_writer_holding_the_lock(app, workshop, clock):
    ratna, code, siti = workshop
    ratna.post(f"/fasilitator/sesi/{code}/kontrol/mulai")
    clock.advance(minutes=1)
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    writer = sqlite3.connect(path, isolation_level=None, timeout=0.1)
    writer.execute("BEGIN IMMEDIATE")  # another request is writing, right now
    try:
        # A read that wanted the write lock would wait 30 s and then fail (500).
        assert siti.get("/kotak-masuk").status_code == 200
        assert ratna.get(f"/fasilitator/sesi/{code}").status_code == 200
        # An idle tick only reads: it does not queue for the lock either.
        with app.app_context():
            assert tick() == 0
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_a_read_only_transaction_refuses_a_write(app, trainee):
    with app.app_context(), reading():
        assert begin_statement() == "BEGIN"
        participant = db.session.get(Participant, trainee.participant_id)
        participant.name = "Diubah diam-diam"
        with pytest.raises(ReadOnlyViolation, match="Participant"):
            db.session.flush()
        db.session.rollback()
    assert begin_statement() == "BEGIN IMMEDIATE"


def test_an_ended_session_lets_go_of_what_can_never_fall_due(app, workshop, clock):
    ratna, code, siti = workshop
    ratna.post(f"/fasilitator/sesi/{code}/kontrol/mulai")
    clock.advance(minutes=1)
    number, key = first_report(app, "Siti")
    siti.post(f"/laporan/{number}/aksi/tunda", data={
        "idem_key": "q" * 20, "pertanyaan": "Mohon sebutkan lokasi persisnya (desa, RT/RW)."})
    assert ratna.post(f"/fasilitator/sesi/{code}/kontrol/akhiri").status_code == 303
    clock.advance(minutes=30)
    with app.app_context():
        complaint = db.session.scalar(select(Complaint).where(Complaint.tracking_no == number))
        assert complaint.due_at is not None  # the reply was planned 1 HK after the tunda
        exercise = complaint.exercise
        assert tick_session(exercise) == 0  # the clock stopped before the reply came
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(Complaint).where(
            Complaint.exercise_id == exercise.id, Complaint.due_at.is_not(None))) == 0
        assert sim_clock(exercise).now() < complaint.events[-1].sim_at + \
            sim_clock(exercise).calendar.day_length


def test_the_password_hash_is_checked_outside_the_write_lock(app, accounts, monkeypatch):
    import sandbox.services.accounts as account_service
    from sandbox.transactions import may_write

    seen = []
    real = account_service.check_password_hash

    def watching(stored, password):
        seen.append(may_write())
        return real(stored, password)

    monkeypatch.setattr(account_service, "check_password_hash", watching)
    client = app.test_client()
    wrong = client.post("/fasilitator/masuk", data={"username": "ratna", "password": "salah"})
    right = client.post("/fasilitator/masuk", data={"username": "ratna",
                                                    "password": "rahasia-123"})
    assert (wrong.status_code, right.status_code) == (422, 303)
    assert seen == [False, False]  # both hashes were checked in a read-only transaction
