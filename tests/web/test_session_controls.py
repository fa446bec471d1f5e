"""The facilitator's session controls: freeze and reveal, broadcast, injected reports,
the projector leaderboard, and the session log that records every control."""

from __future__ import annotations

import re

from sandbox.extensions import db
from sandbox.models import Complaint, Participant, SessionEvent
from tests.web.kit import HX, first_report, join
from tests.web.test_poll_cost import pulse_url

PROJECTOR_ROW = re.compile(
    r'class="board-name">([^<]+)<span class="board-unit">[^<]*</span></span>\s*'
    r'<span class="board-value">([^<]+)</span>')


def _log(app, code):
    with app.app_context():
        from sandbox.models import Exercise

        exercise_id = db.session.scalar(db.select(Exercise.id).where(Exercise.code == code))
        return [(e.kind, e.payload) for e in db.session.scalars(
            db.select(SessionEvent).where(SessionEvent.exercise_id == exercise_id)
            .order_by(SessionEvent.seq))]




def _dispose(client, number, key, unit, idem):
    response = client.post(f"/laporan/{number}/aksi/verifikasi", data={
        "judul": "Laporan warga untuk ditindaklanjuti", "klasifikasi": key["klasifikasi"],
        "kategori": key["kategori"], "idem_key": idem * 20, "unit": unit})
    assert response.status_code in (200, 303), response.get_data(as_text=True)


def _board(client, code, **query):
    args = "&".join(f"{k}={v}" for k, v in query.items())
    html = client.get(f"/fasilitator/sesi/{code}/layar?{args}").get_data(as_text=True)
    people = html.split('id="board-cohorts"')[0]
    return html, dict(PROJECTOR_ROW.findall(people))


def test_freeze_keeps_the_projected_standings_until_the_reveal(app, workshop, clock):
    ratna, code, siti = workshop
    andi = join(app, code, "Andi", "Dinas PUPR")
    ratna.post(f"/fasilitator/sesi/{code}/kontrol/mulai")
    clock.advance(minutes=2)
    number, key = first_report(app, "Siti")
    _dispose(siti, number, key, key["expected_target"], "s")
    _, live = _board(ratna, code, top="semua", sertakan=1)  # Andi has not acted: included
    assert float(live["Siti"].replace(",", ".")) > float(live["Andi"].replace(",", "."))

    assert ratna.post(f"/fasilitator/sesi/{code}/papan/bekukan").status_code == 303
    clock.advance(minutes=1)
    _dispose(andi, number, key, key["expected_target"], "a")  # after the freeze
    html, frozen = _board(ratna, code, top="semua", sertakan=1)
    assert 'id="board-frozen"' in html
    assert frozen["Andi"] == live["Andi"]  # Andi's right answer after the freeze is hidden
    session_page = ratna.get(f"/fasilitator/sesi/{code}").get_data(as_text=True)
    assert 'id="ctl-ungkap"' in session_page and 'id="ctl-bekukan"' not in session_page

    assert ratna.post(f"/fasilitator/sesi/{code}/papan/ungkap").status_code == 303
    html, revealed = _board(ratna, code, top="semua", sertakan=1)
    assert 'id="board-frozen"' not in html
    assert float(revealed["Andi"].replace(",", ".")) > float(frozen["Andi"].replace(",", "."))
    assert 'data-reveal-fresh="ya"' in html  # a projector opened now animates the reveal
    clock.advance(minutes=5)
    assert 'data-reveal-fresh=""' in _board(ratna, code)[0]

    again = ratna.post(f"/fasilitator/sesi/{code}/papan/ungkap")
    assert again.status_code == 400
    assert "tidak sedang dibekukan" in again.get_data(as_text=True)
    assert [k for k, _ in _log(app, code)] == ["mulai", "bekukan", "ungkap"]


def test_projector_top_n_metric_and_cohorts(app, workshop, clock):
    ratna, code, siti = workshop
    andi = join(app, code, "Andi", "Dinas PUPR")
    join(app, code, "Budi", "Dinas Sosial")
    with app.app_context():
        for person in db.session.scalars(db.select(Participant)):
            person.cohort = "Kab. Sukamaju" if person.name != "Budi" else "Kota Mekarsari"
        db.session.commit()
    ratna.post(f"/fasilitator/sesi/{code}/kontrol/mulai")
    clock.advance(minutes=2)
    number, key = first_report(app, "Siti")
    _dispose(siti, number, key, key["expected_target"], "s")
    wrong = "dlh" if key["expected_target"] != "dlh" else "pupr"
    _dispose(andi, number, key, wrong, "a")

    # Budi has not acted: his cohort is on the board only when the inactive are included.
    html, rows = _board(ratna, code, top="semua", urut="akurasi", sertakan=1)
    assert list(rows)[0] == "Siti"
    value = {name: float(text.replace(",", ".")) for name, text in rows.items()}
    assert value["Siti"] > value["Andi"]
    assert 'id="metric-akurasi"' in html and "pill active\" id=\"metric-akurasi" in html
    cohorts = html[html.index('id="board-cohorts"'):]
    assert "Kab. Sukamaju" in cohorts and "Kota Mekarsari" in cohorts
    assert "2 peserta" in cohorts

    html, rows = _board(ratna, code, top="5", urut="kecepatan", sertakan=1)
    assert len(rows) == 3  # fewer than five people: everyone (idle Budi included) is shown
    # A partial refresh (htmx) returns the board alone, as the projector polls it.
    partial = ratna.get(f"/fasilitator/sesi/{code}/layar?top=5",
                        headers={"HX-Request": "true"}).get_data(as_text=True)
    assert partial.lstrip().startswith("{#") is False and 'id="board"' in partial
    assert "<html" not in partial
    # Unknown choices fall back rather than fail.
    assert ratna.get(f"/fasilitator/sesi/{code}/layar?urut=x&top=abc").status_code == 200


def _message_after(client, url):
    """The message slot a trainee's pulse brings, out of band, after `url`'s version."""
    response = client.get(url, headers=HX)
    assert response.status_code == 200, response.status_code
    html = response.get_data(as_text=True)
    assert 'id="message-slot" hx-swap-oob="true"' in html
    return html, pulse_url(html)


def test_broadcast_reaches_every_trainee_until_cleared(app, workshop):
    ratna, code, siti = workshop
    andi = join(app, code, "Andi", "Dinas PUPR")
    pulses = {}
    for name, trainee in (("siti", siti), ("andi", andi)):
        inbox = trainee.get("/kotak-masuk").get_data(as_text=True)
        assert "Pesan fasilitator" not in inbox
        pulses[name] = pulse_url(inbox)
    response = ratna.post(f"/fasilitator/sesi/{code}/pesan",
                          data={"pesan": "  Lima menit lagi   ishoma. "})
    assert response.status_code == 303
    for name, trainee in (("siti", siti), ("andi", andi)):
        html, pulses[name] = _message_after(trainee, pulses[name])
        assert "Lima menit lagi ishoma." in html
        inbox = trainee.get("/kotak-masuk").get_data(as_text=True)
        assert 'id="broadcast"' in inbox and "Lima menit lagi ishoma." in inbox
    session_page = ratna.get(f"/fasilitator/sesi/{code}").get_data(as_text=True)
    assert 'id="current-message"' in session_page

    too_long = ratna.post(f"/fasilitator/sesi/{code}/pesan", data={"pesan": "x" * 281})
    assert too_long.status_code == 422
    assert "Pesan terlalu panjang: 281 karakter, maksimal 280." in too_long.get_data(as_text=True)
    empty = ratna.post(f"/fasilitator/sesi/{code}/pesan", data={"pesan": "   "})
    assert empty.status_code == 422 and "Tulis pesannya dulu." in empty.get_data(as_text=True)
    assert siti.get(pulses["siti"], headers=HX).status_code == 204  # unchanged
    assert "Lima menit lagi ishoma." in siti.get("/hasil").get_data(as_text=True)

    ratna.post(f"/fasilitator/sesi/{code}/pesan/hapus")
    html, _ = _message_after(siti, pulses["siti"])
    assert "Pesan fasilitator" not in html
    assert "Pesan fasilitator" not in siti.get("/kotak-masuk").get_data(as_text=True)
    assert [k for k, _ in _log(app, code)] == ["pesan", "hapus_pesan"]


def _reports_of(app, name):
    with app.app_context():
        person = db.session.scalar(db.select(Participant.id).where(Participant.name == name))
        return {c.tracking_no: c for c in db.session.scalars(
            db.select(Complaint).where(Complaint.participant_id == person))}


def test_inject_from_a_topic_reaches_everyone_now_and_later_joiners(app, workshop, clock):
    ratna, code, siti = workshop
    join(app, code, "Andi", "Dinas PUPR")
    ratna.post(f"/fasilitator/sesi/{code}/kontrol/mulai")
    clock.advance(minutes=1)
    before = set(_reports_of(app, "Siti"))
    response = ratna.post(f"/fasilitator/sesi/{code}/suntik",
                          data={"sumber": "topik", "topik": "jalan-kabupaten-berlubang"})
    assert response.status_code == 303, response.get_data(as_text=True)
    new = set(_reports_of(app, "Siti")) - before
    assert len(new) == 1
    number = new.pop()
    assert number not in before
    assert number in _reports_of(app, "Andi")
    complaint = _reports_of(app, "Siti")[number]
    assert complaint.answer_key["topic"] == "jalan-kabupaten-berlubang"
    assert complaint.script is not None  # the reporter answers like the scenario's others
    assert f"/laporan/{number}" in siti.get("/kotak-masuk").get_data(as_text=True)  # at once

    late = join(app, code, "Budi", "Dinas Sosial")
    assert number in _reports_of(app, "Budi")
    assert f"/laporan/{number}" in late.get("/kotak-masuk").get_data(as_text=True)
    kinds = _log(app, code)
    assert [k for k, _ in kinds] == ["mulai", "suntik"]
    assert kinds[1][1]["laporan"]["tracking_no"] == number


def test_inject_hand_written_with_its_answer_key(app, workshop, clock):
    ratna, code, siti = workshop
    ratna.post(f"/fasilitator/sesi/{code}/kontrol/mulai")
    form = {"sumber": "tulis", "text": "", "expected_action": "bukan_wewenang",
            "target": "dinkes", "klasifikasi": "pengaduan_tidak_berkadar_pengawasan", "kategori": "kesehatan",
            "explanation": ""}
    bad = ratna.post(f"/fasilitator/sesi/{code}/suntik", data=form)
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert 'id="error-text">wajib diisi<' in html
    assert 'id="error-explanation">wajib diisi<' in html
    assert "adalah unit Pemda, padahal expected_action bukan_wewenang" in html
    assert 'id="inject-panel" open' in html  # the form stays open with what was typed
    assert not any(k == "suntik" for k, _ in _log(app, code))

    before = set(_reports_of(app, "Siti"))
    good = {**form, "text": "Obat di puskesmas kosong sejak minggu lalu, mohon dicek.",
            "expected_action": "disposisi", "explanation": "Puskesmas di bawah Dinkes.",
            "rahasia": "1"}
    assert ratna.post(f"/fasilitator/sesi/{code}/suntik", data=good).status_code == 303
    (number,) = set(_reports_of(app, "Siti")) - before
    complaint = _reports_of(app, "Siti")[number]
    assert complaint.text.startswith("Obat di puskesmas kosong")
    assert complaint.answer_key["expected_target"] == "dinkes"
    assert complaint.answer_key["rahasia"] is True
    assert complaint.answer_key["explanation"] == "Puskesmas di bawah Dinkes."
    heat = ratna.get(f"/fasilitator/sesi/{code}?sertakan=1").get_data(as_text=True)  # idle Siti
    assert f"#{number}" in heat[heat.index('id="heatmap"'):]


def test_inject_needs_a_choice_and_a_live_session(app, workshop):
    ratna, code, _ = workshop
    none = ratna.post(f"/fasilitator/sesi/{code}/suntik", data={"sumber": "topik"})
    assert none.status_code == 422 and "Pilih topik dari daftar." in none.get_data(as_text=True)
    odd = ratna.post(f"/fasilitator/sesi/{code}/suntik", data={"sumber": "lain"})
    assert odd.status_code == 422
    ratna.post(f"/fasilitator/sesi/{code}/kontrol/akhiri")
    ended = ratna.post(f"/fasilitator/sesi/{code}/suntik",
                       data={"sumber": "topik", "topik": "jalan-kabupaten-berlubang"})
    assert ended.status_code == 400
    assert "Sesi sudah berakhir" in ended.get_data(as_text=True)


def test_every_control_is_in_the_session_log(app, workshop, clock):
    ratna, code, _ = workshop
    steps = [("kontrol/mulai", {}), ("kontrol/jeda", {}), ("kontrol/jeda", {}),
             ("kontrol/lanjut", {}), ("kontrol/kecepatan", {"menit_per_hk": "4"}),
             ("papan/bekukan", {}), ("papan/bekukan", {}), ("pesan", {"pesan": "Halo"}),
             ("suntik", {"sumber": "topik", "topik": "jalan-kabupaten-berlubang"}),
             ("papan/ungkap", {}), ("kontrol/akhiri", {})]
    for path, data in steps:
        clock.advance(seconds=30)
        response = ratna.post(f"/fasilitator/sesi/{code}/{path}", data=data)
        assert response.status_code == 303, (path, response.get_data(as_text=True))
    kinds = [k for k, _ in _log(app, code)]
    # A repeated pause or freeze changes nothing, so it is not logged twice.
    assert kinds == ["mulai", "jeda", "lanjut", "kecepatan", "bekukan", "pesan", "suntik",
                     "ungkap", "akhiri"]
    page = ratna.get(f"/fasilitator/sesi/{code}").get_data(as_text=True)
    log = page[page.index('id="control-log"'):]
    assert "Menyuntikkan laporan" in log and "Membekukan papan skor" in log
    assert "Mengirim pesan: «Halo»" in log
