"""A trainee page's one poll, its pulse (GET /denyut?v=VERSION): 204 while nothing the page
shows has changed; the message slot out of band when the facilitator's broadcast changed;
the HX-Trigger event the inbox and the report workspace refresh on when their content did."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from sandbox.extensions import db
from sandbox.models import Complaint, Event, Participant
from sandbox.services.complaints import released_until
from tests.web.kit import HX, first_report, login, tick
from tests.web.test_poll_cost import pulse_url

CHANGED = "lapor-berubah"
TL = ("Petugas Dinas PUPR telah menambal lubang di Jl. Merdeka RT 003 pada Selasa, "
      "3 Maret 2026 pukul 10.00; pemeriksaan ulang dijadwalkan Jumat.")


def _started(workshop, clock):
    ratna, code, siti = workshop
    ratna.post(f"/fasilitator/sesi/{code}/kontrol/mulai")
    clock.advance(minutes=1)
    return ratna, code, siti


def _pulse(client, url):
    """One pulse as htmx sends it; (response, the pulse to poll next)."""
    response = client.get(url, headers=HX)
    html = response.get_data(as_text=True)
    return response, (pulse_url(html) if response.status_code == 200 else url)


def _oob_message(html):
    """The message slot sent out of band, or None."""
    found = re.search(r'<div id="message-slot" hx-swap-oob="true">(.*?)</div>\s*$', html, re.S)
    return found.group(1) if found else None


def test_nothing_changed_answers_204_with_an_empty_body(app, workshop, clock):
    _ratna, _code, siti = _started(workshop, clock)
    for page in ("/kotak-masuk", "/hasil"):
        url = pulse_url(siti.get(page).get_data(as_text=True))
        for _ in range(2):
            response = siti.get(url, headers=HX)
            assert response.status_code == 204 and response.get_data() == b""
            assert "HX-Trigger" not in response.headers


def test_a_broadcast_comes_out_of_band_without_a_refresh(app, workshop, clock):
    ratna, code, siti = _started(workshop, clock)
    url = pulse_url(siti.get("/kotak-masuk").get_data(as_text=True))

    ratna.post(f"/fasilitator/sesi/{code}/pesan", data={"pesan": "Lima menit lagi ishoma."})
    response, url = _pulse(siti, url)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "HX-Trigger" not in response.headers  # the inbox itself did not change
    assert html.lstrip().startswith('<div id="pulse"')
    slot = _oob_message(html)
    assert slot is not None and "Lima menit lagi ishoma." in slot and 'data-message="' in slot
    assert siti.get(url, headers=HX).status_code == 204  # the new version is current

    ratna.post(f"/fasilitator/sesi/{code}/pesan/hapus")
    response, url = _pulse(siti, url)
    assert response.status_code == 200 and "HX-Trigger" not in response.headers
    slot = _oob_message(response.get_data(as_text=True))
    assert slot is not None and 'id="broadcast"' not in slot  # the message is gone

    # Another session control (a frozen board) changes nothing a trainee sees.
    assert ratna.post(f"/fasilitator/sesi/{code}/papan/bekukan").status_code == 303
    assert siti.get(url, headers=HX).status_code == 204


def test_a_report_an_action_or_a_reporter_sends_the_refresh_event(app, workshop, clock):
    ratna, code, siti = _started(workshop, clock)
    url = pulse_url(siti.get("/kotak-masuk").get_data(as_text=True))

    # A report released now (injected by the facilitator), the clock standing still.
    ratna.post(f"/fasilitator/sesi/{code}/suntik",
               data={"sumber": "topik", "topik": "jalan-kabupaten-berlubang"})
    response, url = _pulse(siti, url)
    assert response.status_code == 200 and response.headers["HX-Trigger"] == CHANGED
    assert _oob_message(response.get_data(as_text=True)) is None  # the message did not change
    assert siti.get(url, headers=HX).status_code == 204

    # Her own action (from another tab): a new event.
    number, key = first_report(app, "Siti")
    assert siti.post(f"/laporan/{number}/aksi/verifikasi", data={
        "idem_key": "v" * 20, "judul": "Jalan berlubang perlu ditambal",
        "klasifikasi": key["klasifikasi"], "kategori": key["kategori"],
        "unit": key["expected_target"]}).status_code == 303
    response, url = _pulse(siti, url)
    assert response.status_code == 200 and response.headers["HX-Trigger"] == CHANGED

    # The simulated reporter answers her final follow-up: recorded by the ticker, not by
    # the pulse, which only reads.
    siti.post(f"/laporan/{number}/aksi/tindak_lanjut",
              data={"idem_key": "t" * 20, "isi": TL, "akhir": "1"})
    clock.advance(minutes=3)
    _response, url = _pulse(siti, url)
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(Event))
    assert siti.get(url, headers=HX).status_code == 204  # the answer is due, not recorded
    assert tick(app) >= 1
    response, url = _pulse(siti, url)
    assert response.status_code == 200 and response.headers["HX-Trigger"] == CHANGED
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Event)) > before

    # The facilitator pauses: the inbox refreshes to say so.
    ratna.post(f"/fasilitator/sesi/{code}/kontrol/jeda")
    response, url = _pulse(siti, url)
    assert response.headers["HX-Trigger"] == CHANGED
    assert 'id="paused-notice"' in siti.get("/kotak-masuk", headers=HX).get_data(as_text=True)


def test_a_report_released_within_the_simulated_hour_sends_the_refresh_event(app, workshop,
                                                                           clock):
    _ratna, _code, siti = _started(workshop, clock)
    url = pulse_url(siti.get("/kotak-masuk").get_data(as_text=True))
    with app.app_context():
        siti_id = db.session.scalar(select(Participant.id).where(Participant.name == "Siti"))
        now = released_until(db.session.get(Participant, siti_id))
        waiting = db.session.scalars(select(Complaint).where(
            Complaint.participant_id == siti_id, Complaint.arrived_at > now)
            .order_by(Complaint.arrived_at)).first()
        waiting.arrived_at = now  # it arrives at this very moment: same hour, same events
        number = waiting.tracking_no
        db.session.commit()
    response, url = _pulse(siti, url)
    assert response.status_code == 200 and response.headers["HX-Trigger"] == CHANGED
    assert f"/laporan/{number}" in siti.get("/kotak-masuk", headers=HX).get_data(as_text=True)


def test_the_regions_refresh_on_the_event_not_on_a_timer(app, workshop, clock):
    _ratna, _code, siti = _started(workshop, clock)
    number, _key = first_report(app, "Siti")
    inbox = siti.get("/kotak-masuk?status=BARU", headers=HX).get_data(as_text=True)
    assert re.search(r'<section id="inbox" hx-get="/kotak-masuk\?status=BARU"\s+'
                     rf'hx-trigger="{CHANGED} from:body"', inbox)
    workspace = siti.get(f"/laporan/{number}", headers=HX).get_data(as_text=True)
    assert re.search(rf'hx-trigger="{CHANGED} from:body" data-poll-pause=".action-form"',
                     workspace)
    # The inbox no longer answers 204 to a version: its refresh always renders.
    assert siti.get("/kotak-masuk?v=x", headers=HX).status_code == 200


def test_the_pulse_is_a_trainee_route(app, workshop):
    _ratna, _code, _siti = workshop
    budi = login(app, "budi")
    assert budi.get("/denyut?v=0", headers=HX).status_code == 403
    assert budi.get("/denyut?v=0").status_code == 403
    visitor = app.test_client()
    response = visitor.get("/denyut?v=0")
    assert response.status_code == 303 and response.headers["Location"].startswith("/?next=")
    response = visitor.get("/denyut?v=0", headers=HX)
    assert response.headers["HX-Redirect"].startswith("/?next=")


def test_solo_practice_has_the_pulse_but_no_message(logged_in, clock):
    html = logged_in.get("/kotak-masuk").get_data(as_text=True)
    url = pulse_url(html)
    assert url.endswith(".0")  # no broadcast in free practice
    assert 'id="message-slot"' not in html
    assert logged_in.get(url, headers=HX).status_code == 204
    clock.advance(minutes=10)  # 1 HK = 8 minutes: reports arrive, the hour moves on
    response, url = _pulse(logged_in, url)
    assert response.headers["HX-Trigger"] == CHANGED
    # Even a version that is nonsense sends no message slot the page does not have.
    response = logged_in.get("/denyut?v=rusak", headers=HX)
    assert response.headers["HX-Trigger"] == CHANGED
    assert "message-slot" not in response.get_data(as_text=True)


def test_her_own_action_moves_the_pulse_on_so_the_notice_stays(app, workshop, clock):
    """After an action in the workspace the page already shows the change: the answer
    carries the new pulse out of band, so the next pulse answers 204 instead of
    refreshing the "Tercatat" notice away, and a broadcast sent meanwhile still shows."""
    ratna, code, siti = _started(workshop, clock)
    number, key = first_report(app, "Siti")
    siti.get(f"/laporan/{number}")
    ratna.post(f"/fasilitator/sesi/{code}/pesan", data={"pesan": "Sepuluh menit lagi."})
    answer = siti.post(f"/laporan/{number}/aksi/verifikasi", headers=HX, data={
        "idem_key": "w" * 20, "judul": "Jalan berlubang perlu ditambal",
        "klasifikasi": key["klasifikasi"], "kategori": key["kategori"],
        "unit": key["expected_target"]})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "Tercatat: " in html
    found = re.search(r'<div id="pulse" hx-swap-oob="true" hx-get="(/denyut\?v=[^"]+)"', html)
    assert found, "the new pulse comes out of band"
    assert "Sepuluh menit lagi." in (_oob_message(html) or "")
    assert siti.get(found.group(1).replace("&amp;", "&"), headers=HX).status_code == 204
