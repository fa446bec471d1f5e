"""The trainee's report card and feedback through the web."""

from __future__ import annotations

import re

import pytest

from sandbox.extensions import db
from sandbox.models import Complaint
from tests.conftest import build_app
from tests.services.test_scenario_run import SCENARIO
from tests.web.kit import FormClient, tick

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


@pytest.fixture
def scenario_client(tmp_path, clock, monkeypatch):
    """A trainee in the test scenario, whose simulated reporters answer on the fake clock."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "uji.toml").write_text(
        SCENARIO.replace('start = 2026-03-02T08:00:00',
                         'start = 2026-03-02T08:00:00\nfeedback = "langsung"'), encoding="utf-8")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    application = build_app(tmp_path, clock, SCENARIOS_DIR=str(folder))
    application.test_client_class = FormClient
    client = application.test_client()
    client.post("/mulai", data={"name": "Ani", "unit_name": "DLH", "scenario": "uji"})
    return application, client


def _pdam(app):
    """The tracking number and the reporter of the scenario's PDAM report."""
    with app.app_context():
        complaint = db.session.scalar(db.select(Complaint).where(
            Complaint.answer_key["topic"].as_string() == "pdam-air-mati"))
        return complaint.tracking_no, complaint.reporter


ANONIM_TL = ("Yth. Bapak/Ibu, terima kasih atas laporannya. Petugas Perumda Air Minum telah "
             "mengganti pipa yang bocor di jaringan distribusi pada Senin, 2 Maret 2026, dan "
             "aliran air normal kembali sejak pukul 14.00. Silakan balas bila air masih mati.")


def _leak_in_judul(client, number, reporter, clock):
    client.post(f"/laporan/{number}/aksi/verifikasi", data={
        "idem_key": "j" * 20, "judul": f"Pengaduan {reporter['name']} soal air PDAM mati",
        "klasifikasi": "pengaduan_tidak_berkadar_pengawasan",
        "kategori": "air_minum_sanitasi", "unit": "pdam", "anonim": "1"})
    client.post(f"/laporan/{number}/aksi/tindak_lanjut",
                data={"idem_key": "k" * 20, "akhir": "1", "isi": ANONIM_TL})
    clock.advance(minutes=3)  # the reporter answers 0.5 HK (2 minutes) after the final TL
    tick(client.application)


def test_an_identity_in_the_judul_leads_the_card_and_the_feedback(scenario_client, clock):
    app, client = scenario_client
    number, reporter = _pdam(app)
    _leak_in_judul(client, number, reporter, clock)

    card = client.get("/hasil").get_data(as_text=True)
    assert 'id="headline-failures"' in card
    # first on the card: above the total
    assert card.index('id="headline-failures"') < card.index("Nilai total")
    headline = card[card.index('id="headline-failures"'):card.index("Nilai total")]
    assert f"#{number}" in headline and "nama pelapor di judul (peristiwa #1)" in headline
    assert "Seluruh poin kerahasiaan laporan ini hilang" in headline
    assert re.search(r'id="exposed-reports">1 laporan', card)

    page = client.get(f"/laporan/{number}").get_data(as_text=True)
    feedback = page[page.index('id="feedback"'):]
    assert feedback.index('id="headline-failure"') < feedback.index("Umpan balik:")
    assert "nama pelapor di judul" in feedback
    # the whole confidentiality dimension: 0 of 15 on this report
    assert re.search(r"<b>Kerahasiaan</b> \(0/15\): Identitas pelapor terbuka", feedback)
    # the simulated reporter protests and gives one star, on the report's timeline
    assert "Saya keberatan: nama saya terbuka di judul laporan." in page
    assert "<dd>★</dd>" in page


def test_a_neutral_judul_has_no_headline_failure(scenario_client, clock):
    app, client = scenario_client
    number, reporter = _pdam(app)
    client.post(f"/laporan/{number}/aksi/verifikasi", data={
        "idem_key": "j" * 20, "judul": "Air PDAM mati di permukiman warga",
        "klasifikasi": "pengaduan_tidak_berkadar_pengawasan",
        "kategori": "air_minum_sanitasi", "unit": "pdam", "anonim": "1"})
    card = client.get("/hasil").get_data(as_text=True)
    assert 'id="headline-failures"' not in card
    assert 'id="headline-failure"' not in client.get(f"/laporan/{number}").get_data(
        as_text=True)


def test_a_vague_tl_is_flagged_in_the_feedback_and_on_the_card(scenario_client, clock):
    app, client = scenario_client
    number, _ = _pdam(app)
    client.post(f"/laporan/{number}/aksi/verifikasi", data={
        "idem_key": "j" * 20, "judul": "Air PDAM mati di permukiman warga",
        "klasifikasi": "pengaduan_tidak_berkadar_pengawasan",
        "kategori": "air_minum_sanitasi", "unit": "pdam"})
    client.post(f"/laporan/{number}/aksi/tindak_lanjut", data={
        "idem_key": "k" * 20, "akhir": "1",
        "isi": "Terima kasih, laporan Anda akan segera ditindaklanjuti."})
    page = client.get(f"/laporan/{number}").get_data(as_text=True)
    assert 'id="vague-tl"' in page and "«akan segera ditindaklanjuti»" in page
    card = client.get("/hasil").get_data(as_text=True)
    assert re.search(r'id="vague-tls">1 laporan', card)
    assert "TL tidak konkret" in card[card.index(f'id="score-{number}"'):]
