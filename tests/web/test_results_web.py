"""The trainee's report card and feedback through the web."""

from __future__ import annotations

import re

import pytest

from sandbox.extensions import db
from sandbox.models import Complaint
from tests.conftest import build_app
from tests.services.test_scenario_run import SCENARIO
from tests.web.kit import FormClient

HX = {"HX-Request": "true"}
CONCRETE_TL = ("Yth. Bapak/Ibu, terima kasih atas laporannya. Petugas {unit} telah meninjau "
               "lokasi pada Selasa, 3 Maret 2026 dan perbaikan dijadwalkan pekan depan. Kami "
               "akan menginformasikan perkembangan selanjutnya.")


def _free(client, count="4"):
    client.post("/mulai", data={"name": "Budi", "unit_name": "Dinkes", "scenario": "",
                                "seed": "3", "count": count})
    html = client.get("/kotak-masuk").get_data(as_text=True)
    return list(dict.fromkeys(re.findall(r"/laporan/(\d+)", html)))


def _key(app, number):
    with app.app_context():
        return db.session.scalar(db.select(Complaint).where(
            Complaint.tracking_no == number)).answer_key


def test_feedback_appears_after_a_decision_and_explains_the_key(app, client):
    number = next(n for n in _free(client) if _key(app, n)["expected_action"] == "disposisi")
    key = _key(app, number)
    before = client.get(f"/laporan/{number}").get_data(as_text=True)
    assert 'id="feedback"' not in before  # nothing given away before the trainee decides
    response = client.post(f"/laporan/{number}/aksi/verifikasi", headers=HX, data={
        "idem_key": "v" * 20, "judul": "Laporan warga tentang layanan publik",
        "klasifikasi": key["klasifikasi"], "kategori": key["kategori"],
        "unit": key["expected_target"]})
    html = response.get_data(as_text=True)
    assert 'id="feedback"' in html
    assert "Tepat ke " in html
    assert key["explanation"][:40] in html.replace("&#39;", "'")


def test_report_card_shows_totals_figures_and_every_report(app, client):
    numbers = _free(client)
    first = numbers[0]
    key = _key(app, first)
    target = key["expected_target"] if key["expected_action"] == "disposisi" else "pupr"
    client.post(f"/laporan/{first}/aksi/verifikasi", data={
        "idem_key": "w" * 20, "judul": "Laporan warga tentang layanan publik",
        "klasifikasi": key["klasifikasi"], "kategori": key["kategori"], "unit": target})
    client.post(f"/laporan/{first}/aksi/tindak_lanjut", data={
        "idem_key": "x" * 20, "akhir": "1", "isi": CONCRETE_TL.format(unit="Dinas PUPR")})
    html = client.get("/hasil").get_data(as_text=True)
    assert 'id="dimensions"' in html and 'id="figures"' in html
    for label in ("Ketepatan tujuan", "Pilihan tindakan", "Mutu tindak lanjut",
                  "Laporan dengan tindak lanjut", "Kesalahan kerahasiaan"):
        assert label in html
    for number in numbers:
        assert f'id="score-{number}"' in html
    assert "Daftar periksa TL" in html
    assert "aturan penilaian versi 1" in html


def test_ending_practice_stops_actions(app, client, clock):
    number = _free(client)[0]
    assert client.post("/latihan/akhiri").status_code == 303
    before = re.search(r'id="sim-now">([^<]+)', client.get("/kotak-masuk").get_data(
        as_text=True)).group(1)
    clock.advance(hours=2)  # the clock stands still once the practice has ended
    assert re.search(r'id="sim-now">([^<]+)', client.get("/kotak-masuk").get_data(
        as_text=True)).group(1) == before
    assert "Latihan berakhir" in client.get("/hasil").get_data(as_text=True)
    response = client.post(f"/laporan/{number}/aksi/tunda", headers=HX,
                           data={"idem_key": "e" * 20, "pertanyaan": "Lokasinya di mana?"})
    assert response.status_code == 422
    assert "Latihan sudah diakhiri" in response.get_data(as_text=True)


@pytest.fixture
def end_feedback_app(tmp_path, clock, monkeypatch):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "uji.toml").write_text(
        SCENARIO.replace('start = 2026-03-02T08:00:00',
                         'start = 2026-03-02T08:00:00\nfeedback = "akhir"'), encoding="utf-8")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    application = build_app(tmp_path, clock, SCENARIOS_DIR=str(folder))
    application.test_client_class = FormClient
    return application


def test_feedback_at_the_end_is_locked_until_the_end(end_feedback_app, clock):
    client = end_feedback_app.test_client()
    client.post("/mulai", data={"name": "Ani", "unit_name": "DLH", "scenario": "uji"})
    html = client.get("/kotak-masuk").get_data(as_text=True)
    number = re.findall(r"/laporan/(\d+)", html)[0]
    client.post(f"/laporan/{number}/aksi/tunda",
                data={"idem_key": "f" * 20, "pertanyaan": "Mohon sebutkan lokasinya."})
    assert 'id="feedback"' not in client.get(f"/laporan/{number}").get_data(as_text=True)
    assert 'id="locked"' in client.get("/hasil").get_data(as_text=True)
    clock.advance(minutes=61)  # the 60-minute scenario has run out
    assert 'id="locked"' not in client.get("/hasil").get_data(as_text=True)
    assert 'id="feedback"' in client.get(f"/laporan/{number}").get_data(as_text=True)


def test_an_ended_practice_cannot_be_resumed(app, client, clock):
    _free(client)
    client.post("/latihan/akhiri")
    response = client.post("/jam/lanjut")
    assert response.status_code == 400
    assert "Sesi sudah berakhir." in response.get_data(as_text=True)
    before = re.search(r'id="sim-now">([^<]+)', client.get("/kotak-masuk").get_data(
        as_text=True)).group(1)
    clock.advance(hours=1)
    assert re.search(r'id="sim-now">([^<]+)', client.get("/kotak-masuk").get_data(
        as_text=True)).group(1) == before
