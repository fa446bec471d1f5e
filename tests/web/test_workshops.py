"""Workshops: facilitator accounts, creating sessions, joining by code, the shared clock,
and who may see what."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from sandbox.extensions import db
from sandbox.models import ClockChange, Exercise, Facilitator
from tests.web.kit import HX, PASSWORD
from tests.web.kit import create_session as _create
from tests.web.kit import join as _join
from tests.web.kit import login as _login


def test_login_with_a_wrong_password_is_refused(app, accounts):
    client = app.test_client()
    response = client.post("/fasilitator/masuk", data={"username": "ratna", "password": "x"})
    assert response.status_code == 422
    assert "Nama pengguna atau kata sandi salah." in response.get_data(as_text=True)
    assert client.get("/fasilitator/").status_code == 303  # still not signed in


def test_passwords_are_hashed(app, accounts):
    with app.app_context():
        stored = db.session.scalars(db.select(Facilitator)).all()
        assert all(PASSWORD not in f.password_hash and f.password_hash.startswith("scrypt:")
                   for f in stored)


def test_create_workshop_shows_code_url_and_qr(app, accounts):
    ratna = _login(app, "ratna")
    code = _create(ratna)
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{6}", code)
    html = ratna.get(f"/fasilitator/sesi/{code}").get_data(as_text=True)
    assert f'id="join-code">{code}<' in html
    assert f"/ikut/{code}" in html
    with ratna.get(f"/fasilitator/sesi/{code}/qr.svg") as qr:
        assert qr.status_code == 200 and qr.mimetype == "image/svg+xml"
        assert qr.get_data(as_text=True).startswith("<svg")
    assert "Lobi: menunggu dimulai" in html


@pytest.mark.parametrize(("fields", "message"), [
    ({"title": ""}, "Judul sesi wajib diisi."),
    ({"scenario": ""}, "Pilih skenario."),
    ({"seed": "abc"}, "Seed harus bilangan bulat"),
    ({"minutes_per_hk": "3"}, "Kecepatan harus salah satu pilihan"),
    ({"location": "x" * 200}, "Tempat terlalu panjang"),
])
def test_bad_workshop_form_is_explained(app, accounts, fields, message):
    ratna = _login(app, "ratna")
    data = {"scenario": "bimtek-dasar", "title": "Bimtek", "held_on": "", "location": "",
            "minutes_per_hk": "", "seed": "", **fields}
    response = ratna.post("/fasilitator/sesi", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(db.select(Exercise)).all() == []


def test_trainees_wait_in_the_lobby_until_the_facilitator_starts(app, workshop, clock):
    ratna, code, trainee = workshop
    inbox = trainee.get("/kotak-masuk").get_data(as_text=True)
    assert 'id="lobby"' in inbox
    assert not re.findall(r"/laporan/\d+", inbox)
    assert 'id="clock-toggle"' not in inbox  # the facilitator runs the clock
    assert ratna.post(f"/fasilitator/sesi/{code}/kontrol/mulai").status_code == 303
    clock.advance(minutes=2)
    inbox = trainee.get("/kotak-masuk").get_data(as_text=True)
    assert 'id="lobby"' not in inbox
    assert len(set(re.findall(r"/laporan/(\d+)", inbox))) == 2


def test_two_trainees_get_their_own_copy_of_the_same_reports(app, workshop, clock):
    ratna, code, first = workshop
    second = _join(app, code, "Andi", "Dinas PUPR")
    ratna.post(f"/fasilitator/sesi/{code}/kontrol/mulai")
    clock.advance(minutes=2)
    a = set(re.findall(r"/laporan/(\d+)", first.get("/kotak-masuk").get_data(as_text=True)))
    b = set(re.findall(r"/laporan/(\d+)", second.get("/kotak-masuk").get_data(as_text=True)))
    assert a == b and a  # same scenario and seed: the same reports
    number = sorted(a)[0]
    first.post(f"/laporan/{number}/aksi/tunda",
               data={"idem_key": "q" * 20, "pertanyaan": "Mohon sebutkan lokasinya."})
    assert "Ditunda" in first.get(f"/laporan/{number}").get_data(as_text=True)
    assert 'id="state-badge">Belum Terverifikasi' in second.get(
        f"/laporan/{number}").get_data(as_text=True)


@pytest.mark.parametrize(("form", "message"), [
    ({"code": "ZZZZZZ", "name": "Siti", "unit_name": "Dinkes"}, "Kode sesi «ZZZZZZ» tidak dikenal"),
    ({"code": "", "name": "Siti", "unit_name": "Dinkes"}, "tidak dikenal"),
    ({"code": "{code}", "name": "", "unit_name": "Dinkes"}, "Nama wajib diisi."),
    ({"code": "{code}", "name": "Siti", "unit_name": ""}, "Unit kerja (OPD) wajib diisi."),
])
def test_bad_join_is_explained(app, workshop, form, message):
    _, code, _ = workshop
    data = {k: v.replace("{code}", code) for k, v in form.items()}
    response = app.test_client().post("/ikut", data=data, headers=HX)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_rejoin_with_personal_code_from_another_device(app, workshop):
    _, code, trainee = workshop
    personal = re.search(r'id="personal-code">([A-Z0-9]+)<',
                         trainee.get("/kotak-masuk?baru=1").get_data(as_text=True)).group(1)
    phone = app.test_client()
    assert phone.post("/ikut/lanjut", data={"code": code.lower(),
                                            "personal_code": personal.lower()}).status_code == 303
    assert "Siti · Dinas Kesehatan" in phone.get("/kotak-masuk").get_data(as_text=True)
    wrong = app.test_client().post("/ikut/lanjut", data={"code": code, "personal_code": "AAAAAA"})
    assert wrong.status_code == 422
    assert "Kode pribadi tidak cocok" in wrong.get_data(as_text=True)


def test_qr_address_fills_in_the_code(app, workshop):
    _, code, _ = workshop
    html = app.test_client().get(f"/ikut/{code.lower()}").get_data(as_text=True)
    assert f'name="code" value="{code}"' in html


def test_controls_move_the_shared_clock_and_repeat_safely(app, workshop, clock):
    ratna, code, trainee = workshop
    for kind in ("mulai", "mulai", "jeda", "jeda", "lanjut"):
        assert ratna.post(f"/fasilitator/sesi/{code}/kontrol/{kind}").status_code == 303
    ratna.post(f"/fasilitator/sesi/{code}/kontrol/kecepatan", data={"menit_per_hk": "2"})
    ratna.post(f"/fasilitator/sesi/{code}/kontrol/akhiri")
    with app.app_context():
        exercise = db.session.scalar(db.select(Exercise).where(Exercise.code == code))
        kinds = [c.kind for c in db.session.scalars(
            db.select(ClockChange).where(ClockChange.exercise_id == exercise.id)
            .order_by(ClockChange.id))]
        assert kinds == ["mulai", "jeda", "lanjut", "kecepatan", "selesai"]
        assert exercise.speed == 2.0
    frozen = re.search(r'id="sim-now">([^<]+)', ratna.get(
        f"/fasilitator/sesi/{code}").get_data(as_text=True)).group(1)
    clock.advance(minutes=30)  # an ended session's clock stands still
    assert re.search(r'id="sim-now">([^<]+)', ratna.get(
        f"/fasilitator/sesi/{code}").get_data(as_text=True)).group(1) == frozen
    assert ratna.post(f"/fasilitator/sesi/{code}/kontrol/jeda").status_code == 400
    late = app.test_client().post("/ikut", data={"code": code, "name": "X", "unit_name": "Y"})
    assert late.status_code == 422
    assert "Sesi ini sudah berakhir." in late.get_data(as_text=True)


def test_unknown_control_is_refused(app, workshop):
    ratna, code, _ = workshop
    response = ratna.post(f"/fasilitator/sesi/{code}/kontrol/mundur")
    assert response.status_code == 400
    assert "Perintah jam tidak dikenal: «mundur»." in response.get_data(as_text=True)


def test_only_admins_add_facilitators(app, workshop):
    budi = _login(app, "budi")
    assert budi.get("/fasilitator/admin").status_code == 403
    ratna, _, _ = workshop
    response = ratna.post("/fasilitator/admin", data={"username": "sari", "name": "Bu Sari",
                                                      "password": "kata-sandi-1"})
    assert response.status_code == 200
    assert "Akun «sari» (Bu Sari) dibuat." in response.get_data(as_text=True)
    again = ratna.post("/fasilitator/admin", data={"username": "sari", "name": "X",
                                                   "password": "pendek"})
    assert again.status_code == 422
    html = again.get_data(as_text=True)
    assert "Nama pengguna «sari» sudah dipakai." in html
    assert "Kata sandi minimal 8 karakter." in html


def test_create_facilitator_command(app, monkeypatch, tmp_path):
    from sandbox.cli import main

    monkeypatch.setenv("LAPOR_INSTANCE_PATH", str(tmp_path / "cli-instance"))
    runner = CliRunner()
    ok = runner.invoke(main, ["create-facilitator", "--username", "ratna", "--name", "Bu Ratna",
                              "--password", PASSWORD])
    assert ok.exit_code == 0, ok.output
    assert "Facilitator 'ratna' created (admin)." in ok.output
    second = runner.invoke(main, ["create-facilitator", "--username", "budi", "--name",
                                  "Pak Budi", "--password", PASSWORD])
    assert "(admin)" not in second.output  # only the first is an admin by default
    bad = runner.invoke(main, ["create-facilitator", "--username", "ratna", "--name", "",
                               "--password", "x"])
    assert bad.exit_code == 2
    assert "error: username: Nama pengguna «ratna» sudah dipakai." in bad.output
    assert "error: password: Kata sandi minimal 8 karakter." in bad.output


def test_join_address_uses_the_public_url_for_phones(app, workshop):
    ratna, code, _ = workshop
    html = ratna.get(f"/fasilitator/sesi/{code}").get_data(as_text=True)
    assert 'id="localhost-warning"' in html  # the test client browses as localhost
    app.config["PUBLIC_URL"] = "http://192.168.43.10:5000"
    html = ratna.get(f"/fasilitator/sesi/{code}").get_data(as_text=True)
    assert f'id="join-url">http://192.168.43.10:5000/ikut/{code}<' in html
    assert 'id="localhost-warning"' not in html


def _first_report(trainee):
    return re.findall(r"/laporan/(\d+)", trainee.get("/kotak-masuk").get_data(as_text=True))[0]


def test_dashboard_shows_progress_mistakes_and_who_needs_help(app, workshop, clock):
    ratna, code, siti = workshop
    andi = _join(app, code, "Andi", "Dinas PUPR")
    ratna.post(f"/fasilitator/sesi/{code}/kontrol/mulai")
    clock.advance(minutes=2)
    number = _first_report(siti)
    with app.app_context():
        from sandbox.models import Complaint

        key = db.session.scalar(db.select(Complaint).where(
            Complaint.tracking_no == number)).answer_key
        assert key["expected_action"] == "disposisi"  # bimtek-dasar opens with easy reports
    form = {"judul": "Laporan warga untuk ditindaklanjuti", "klasifikasi": key["klasifikasi"],
            "kategori": key["kategori"]}
    siti.post(f"/laporan/{number}/aksi/verifikasi",
              data={**form, "idem_key": "s" * 20, "unit": key["expected_target"]})
    wrong = "dlh" if key["expected_target"] != "dlh" else "pupr"
    andi.post(f"/laporan/{number}/aksi/verifikasi",
              data={**form, "idem_key": "a" * 20, "unit": wrong})
    html = ratna.get(f"/fasilitator/sesi/{code}").get_data(as_text=True)
    rows = re.findall(r"<tr class=\"[^\"]*\">\s*<td data-label=\"Nama\">(\w+).*?"
                      r"data-label=\"Disposisi tepat\">([^<]+)<", html, re.S)
    assert ("Siti", "100% (1/1)") in rows and ("Andi", "0% (0/1)") in rows
    heat = html[html.index('id="heatmap"'):]
    assert f"#{number}" in heat
    assert re.search(r'class="outcome ok">1 ke ', heat)
    assert re.search(r'class="outcome bad">1 ke ', heat)

    clock.advance(minutes=6)  # nobody acts for six real minutes; limits run on
    html = ratna.get(f"/fasilitator/sesi/{code}").get_data(as_text=True)
    assert "tidak aktif 6 menit" in html
    clock.advance(minutes=12)
    html = ratna.get(f"/fasilitator/sesi/{code}").get_data(as_text=True)
    assert re.search(r"\d+ laporan merah", html)


def test_nobody_is_flagged_idle_while_the_session_is_paused(app, workshop, clock):
    ratna, code, _ = workshop
    ratna.post(f"/fasilitator/sesi/{code}/kontrol/mulai")
    clock.advance(minutes=6)
    # Siti has not acted yet: she is on the dashboard only when the inactive are included.
    assert "tidak aktif 6 menit" in ratna.get(f"/fasilitator/sesi/{code}?sertakan=1").get_data(
        as_text=True)
    ratna.post(f"/fasilitator/sesi/{code}/kontrol/jeda")
    clock.advance(minutes=10)
    assert not re.search(r"tidak aktif \d+ menit", ratna.get(
        f"/fasilitator/sesi/{code}?sertakan=1").get_data(as_text=True))
