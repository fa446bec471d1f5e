"""The same exercise for everyone, through HTTP: a paused clock refuses actions and keeps
the draft, the planned end says "Waktu latihan habis" on every screen and refuses
everything, and a latecomer is told their limits start when they joined."""

from __future__ import annotations

from sandbox.extensions import db
from sandbox.models import Event
from tests.web.kit import first_report, join

TITLE = "Jalan rusak di depan SD Negeri 2 perlu ditambal"




def _events(app):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(Event.id)))


def _verify(client, number, key, idem):
    return client.post(f"/laporan/{number}/aksi/verifikasi", data={
        "judul": TITLE, "klasifikasi": key["klasifikasi"], "kategori": key["kategori"],
        "unit": key["expected_target"], "idem_key": idem * 20})


def test_a_paused_clock_refuses_an_action_and_keeps_the_draft(app, workshop, clock):
    ratna, code, siti = workshop
    ratna.post(f"/fasilitator/sesi/{code}/kontrol/mulai")
    clock.advance(minutes=2)
    assert ratna.post(f"/fasilitator/sesi/{code}/kontrol/jeda").status_code == 303
    number, key = first_report(app, "Siti")
    before = _events(app)

    response = _verify(siti, number, key, "p")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Jam dijeda oleh fasilitator" in html
    assert TITLE in html  # the draft is still in the form
    assert _events(app) == before
    for page in ("/kotak-masuk", f"/laporan/{number}"):
        assert 'id="paused-notice"' in siti.get(page).get_data(as_text=True)

    ratna.post(f"/fasilitator/sesi/{code}/kontrol/lanjut")
    assert _verify(siti, number, key, "p").status_code == 303  # the same draft, resent
    assert _events(app) == before + 1


def test_time_up_is_said_on_every_screen_and_refuses_everything(app, workshop, clock):
    ratna, code, siti = workshop
    ratna.post(f"/fasilitator/sesi/{code}/kontrol/mulai")
    clock.advance(minutes=61)  # bimtek-dasar runs 60 minutes at its own speed
    number, key = first_report(app, "Siti")

    inbox = siti.get("/kotak-masuk").get_data(as_text=True)
    assert 'id="time-up"' in inbox and "Waktu latihan habis" in inbox
    report = siti.get(f"/laporan/{number}").get_data(as_text=True)
    assert 'id="time-up"' in report
    assert 'id="btn-verifikasi"' not in report  # nothing to act on any more
    card = siti.get("/hasil").get_data(as_text=True)
    assert 'id="card-ended"' in card and "Waktu latihan habis" in card
    session_page = ratna.get(f"/fasilitator/sesi/{code}").get_data(as_text=True)
    assert 'id="workshop-state">Waktu latihan habis<' in session_page
    assert 'id="ctl-akhiri"' not in session_page
    projector = ratna.get(f"/fasilitator/sesi/{code}/layar").get_data(as_text=True)
    assert "Waktu latihan habis · hasil akhir" in projector

    before = _events(app)
    refused = _verify(siti, number, key, "t")
    assert refused.status_code == 422
    assert "Waktu latihan habis: tindakan tidak dicatat lagi" in refused.get_data(as_text=True)
    clock_refused = ratna.post(f"/fasilitator/sesi/{code}/kontrol/jeda")
    assert clock_refused.status_code == 400
    assert "Waktu latihan sudah habis" in clock_refused.get_data(as_text=True)
    assert _events(app) == before
    joined = app.test_client().post("/ikut", data={"code": code, "name": "Telat",
                                                   "unit_name": "Dinas Sosial"})
    assert joined.status_code == 422 and "sudah berakhir" in joined.get_data(as_text=True)


def test_a_latecomer_is_told_their_limits_start_when_they_joined(app, workshop, clock):
    ratna, code, siti = workshop
    ratna.post(f"/fasilitator/sesi/{code}/kontrol/mulai")
    clock.advance(minutes=20)
    andi = join(app, code, "Andi", "Dinas PUPR")
    clock.advance(minutes=1)
    assert 'id="joined-note"' in andi.get("/kotak-masuk").get_data(as_text=True)
    assert 'id="joined-note"' not in siti.get("/kotak-masuk").get_data(as_text=True)
    card = andi.get("/hasil").get_data(as_text=True)
    assert 'id="joined-late"' in card and "dihitung sejak Anda bergabung" in card
    number, _ = first_report(app, "Andi")
    assert 'id="sla-since-join"' in andi.get(f"/laporan/{number}").get_data(as_text=True)
    assert 'id="sla-since-join"' not in siti.get(f"/laporan/{number}").get_data(as_text=True)
