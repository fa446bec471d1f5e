"""Mode tim in the browser's terms (issue 13): joining a team's seat, each seat's inbox
and report page, the version check over HTTP, access per route and role, and the
facilitator's flow, debrief and exports of a team session."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from openpyxl import load_workbook

from sandbox.extensions import db
from sandbox.models import Complaint, Participant
from tests.web.kit import create_session, login, tick

WHY = "Laporan ini bukan wewenang Dinas Kesehatan: KIS PBI diurus Dinas Sosial, mohon diteruskan."
TL = ("Petugas Dinas Pendidikan telah meninjau SD yang dilaporkan pada Selasa, 3 Maret 2026 "
      "pukul 09.00; perbaikan atap ruang kelas dijadwalkan mulai Senin, 9 Maret 2026.")
VERIFY = {"judul": "Ruang kelas SD rusak dan berbahaya",
          "klasifikasi": "pengaduan_tidak_berkadar_pengawasan", "kategori": "pendidikan"}


def join_seat(app, code, name, unit, seat):
    client = app.test_client()
    answer = client.post("/ikut", data={"code": code, "name": name, "unit_name": unit,
                                        "kursi": seat})
    assert answer.status_code == 303, answer.get_data(as_text=True)
    return client


def team_id(app):
    with app.app_context():
        return db.session.scalar(db.select(Participant.id).where(Participant.seat == "tim"))


def number_of(app, topic):
    with app.app_context():
        return db.session.scalar(db.select(Complaint.tracking_no).where(
            Complaint.answer_key["topic"].as_string() == topic))


def seen(client, number):
    page = client.get(f"/laporan/{number}").get_data(as_text=True)
    return re.search(r'name="versi" value="(\d+)"', client.get(
        f"/laporan/{number}/aksi/{'verifikasi' if 'btn-verifikasi' in page else 'tindak_lanjut'}"
    ).get_data(as_text=True)).group(1)


@pytest.fixture
def team_room(app, accounts, clock):
    """Bu Ratna, the session code, and the clients of Ina (Admin Instansi), Dodi (Disdik)
    and Kiki (Dinkes) of Tim 1, 12 minutes into a tim-estafet session."""
    ratna = login(app, "ratna")
    code = create_session(ratna, scenario="tim-estafet")
    ina = join_seat(app, code, "Ina", "Diskominfo", "baru:instansi")
    team = team_id(app)
    dodi = join_seat(app, code, "Dodi", "Disdik", f"{team}:opd-2")
    kiki = join_seat(app, code, "Kiki", "Dinkes", f"{team}:opd-1")
    ratna.post(f"/fasilitator/sesi/{code}/kontrol/mulai")
    clock.advance(minutes=12)
    tick(app)
    return ratna, code, ina, dodi, kiki


def test_the_join_form_offers_the_teams_free_seats(app, accounts):
    ratna = login(app, "ratna")
    code = create_session(ratna, scenario="tim-estafet")
    html = app.test_client().get(f"/ikut/{code}").get_data(as_text=True)
    assert '<select id="kursi" name="kursi"' in html and 'label="Tim 1 (tim baru)"' in html
    assert ">Tim 1 (tim baru) · Admin Penghubung Dinkes</option>" in html
    join_seat(app, code, "Ina", "Diskominfo", "baru:instansi")
    html = app.test_client().get(f"/ikut/{code}").get_data(as_text=True)
    assert 'label="Tim 1"' in html and 'label="Tim 2 (tim baru)"' in html
    refused = app.test_client().post("/ikut", data={
        "code": code, "name": "Eka", "unit_name": "Diskominfo",
        "kursi": f"{team_id(app)}:instansi"})
    assert refused.status_code == 422 and "sudah terisi" in refused.get_data(as_text=True)


def test_each_seat_sees_its_role_and_the_relay_runs_over_http(app, team_room, clock):
    _ratna, _code, ina, dodi, kiki = team_room
    inbox = ina.get("/kotak-masuk").get_data(as_text=True)
    assert "sebagai <b>Admin Instansi</b>" in inbox
    sd = number_of(app, "sd-ruang-kelas-rusak")
    assert sd in inbox and sd not in dodi.get("/kotak-masuk").get_data(as_text=True)
    assert "sebagai <b>Admin Penghubung Disdikbud</b>" in dodi.get("/kotak-masuk").get_data(
        as_text=True)
    answer = ina.post(f"/laporan/{sd}/aksi/verifikasi", data={
        **VERIFY, "unit": "disdik", "idem_key": "a" * 20, "versi": seen(ina, sd)})
    assert answer.status_code == 303
    assert sd in dodi.get("/kotak-masuk").get_data(as_text=True)
    assert kiki.get(f"/laporan/{sd}").status_code == 404
    page = ina.get(f"/laporan/{sd}").get_data(as_text=True)
    assert 'id="not-held"' in page and "admin penghubungnya yang menindaklanjuti" in page
    assert 'id="form-tindak_lanjut"' not in ina.get(
        f"/laporan/{sd}/aksi/tindak_lanjut").get_data(as_text=True)
    page = dodi.get(f"/laporan/{sd}").get_data(as_text=True)
    assert 'id="btn-tindak_lanjut"' in page and 'id="btn-verifikasi"' not in page
    assert dodi.get(f"/laporan/{sd}/aksi/verifikasi").status_code == 403


def test_an_outdated_page_gets_the_conflict_message_and_keeps_the_draft(app, team_room):
    _ratna, _code, ina, _dodi, kiki = team_room
    kis = number_of(app, "kis-pbi-nonaktif")
    ina.post(f"/laporan/{kis}/aksi/verifikasi", data={
        **VERIFY, "kategori": "sosial", "unit": "dinkes", "idem_key": "b" * 20,
        "versi": seen(ina, kis)})
    stale = seen(kiki, kis)
    kiki.post(f"/laporan/{kis}/aksi/kembalikan", data={
        "alasan": WHY, "idem_key": "c" * 20, "versi": stale})
    again = kiki.post(f"/laporan/{kis}/aksi/kembalikan", data={
        "alasan": "Draf kedua yang tidak boleh hilang dari formulir.", "idem_key": "d" * 20,
        "versi": stale})
    text = again.get_data(as_text=True)
    assert again.status_code == 422
    assert "Anda sudah mencatat «Kembalikan ke Admin Instansi»" in text  # her other tab
    assert "Draf kedua yang tidak boleh hilang" in text
    with app.app_context():
        actions = [e.action for e in db.session.scalar(db.select(Complaint).where(
            Complaint.tracking_no == kis)).events]
    assert actions == ["verifikasi", "kembalikan"]
    # Back with the Admin Instansi: marked in the inbox, and the reason on top of the page.
    row = re.search(rf'/laporan/{kis}".*?</tr>', ina.get("/kotak-masuk").get_data(
        as_text=True), re.S).group(0)
    assert ">dikembalikan</span>" in row
    page = ina.get(f"/laporan/{kis}").get_data(as_text=True)
    assert 'id="returned-note"' in page and f"Dikembalikan oleh Kiki: «{WHY}»" in page


@pytest.mark.parametrize("route", ["/laporan/{n}", "/laporan/{n}/aksi/kembalikan"])
def test_a_penghubung_never_reaches_a_report_not_disposed_to_them(app, team_room, route):
    _ratna, _code, _ina, dodi, kiki = team_room
    number = number_of(app, "info-jadwal-imunisasi")
    for client in (dodi, kiki):  # not yet disposed: nobody but the Admin Instansi
        assert client.get(route.format(n=number)).status_code == 404
    posted = kiki.post(f"/laporan/{number}/aksi/tindak_lanjut", data={
        "isi": TL, "akhir": "1", "idem_key": "e" * 20, "versi": "0"})
    assert posted.status_code == 404


def test_dashboard_debrief_and_exports_show_the_relay(app, team_room, clock):
    ratna, code, ina, _dodi, kiki = team_room
    kis = number_of(app, "kis-pbi-nonaktif")
    ina.post(f"/laporan/{kis}/aksi/verifikasi", data={
        **VERIFY, "kategori": "sosial", "unit": "dinkes", "idem_key": "f" * 20,
        "versi": seen(ina, kis)})
    clock.advance(minutes=8)  # two HK with Kiki before she returns it
    kiki.post(f"/laporan/{kis}/aksi/kembalikan", data={
        "alasan": WHY, "idem_key": "g" * 20, "versi": seen(kiki, kis)})
    live = ratna.get(f"/fasilitator/sesi/{code}").get_data(as_text=True)
    # Ina's first disposition of KIS went to Dinkes: the room sees where the relay began.
    assert "Disposisi pertama tepat" in live and "0% (0/1)" in live
    assert "apa yang dilakukan tim (disposisi pertama Admin Instansi)" in live
    assert 'id="team-flow"' in live and "Admin Penghubung DPUPR: <i>rekan simulasi</i>" in live
    assert "menunggu 2 HK di Dinkes (Kiki) sebelum dikembalikan" in live
    assert "Kiki <span class=\"muted small\">· Dinkes · Tim 1, Admin Penghubung Dinkes" in live
    index = ratna.get(f"/fasilitator/sesi/{code}/debrief").get_data(as_text=True)
    assert 'id="relay-summary"' in index and "Putar ulang per tim" in index
    with app.app_context():
        position = db.session.scalar(db.select(Complaint.position).where(
            Complaint.tracking_no == kis))
    report = ratna.get(f"/fasilitator/sesi/{code}/debrief/{position}")
    text = report.get_data(as_text=True)
    assert report.status_code == 200, text[:300]
    # On the projector names stay hidden until the facilitator reveals them.
    assert "Laporan menunggu 2 HK di Dinkes (peserta) sebelum dikembalikan." in text
    assert "Kiki" not in text
    named = ratna.get(f"/fasilitator/sesi/{code}/debrief/{position}?nama=1")
    assert "Laporan menunggu 2 HK di Dinkes (Kiki) sebelum dikembalikan." in named.get_data(
        as_text=True)
    table = ratna.get(f"/fasilitator/sesi/{code}/ekspor/hasil.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(table.lstrip("\ufeff")), delimiter=";"))
    header = rows[0]
    kiki_row = next(r for r in rows[1:] if r[0] == "Kiki")
    assert kiki_row[header.index("Tim")] == "Tim 1"
    assert kiki_row[header.index("Peran")] == "Admin Penghubung Dinkes"
    log = [json.loads(line) for line in ratna.get(
        f"/fasilitator/sesi/{code}/ekspor/log.jsonl").get_data(as_text=True).splitlines()]
    returned = next(x for x in log if x.get("action") == "kembalikan")
    with app.app_context():
        kiki_id = db.session.scalar(db.select(Participant.id).where(Participant.name == "Kiki"))
    assert (returned["participant"], returned["by_participant_id"]) == ("Tim 1", kiki_id)
    book = load_workbook(io.BytesIO(ratna.get(
        f"/fasilitator/sesi/{code}/ekspor/hasil.xlsx").data))
    sheet = book["Tim"]
    assert [c.value for c in sheet[1]][:3] == ["Tim", "Kursi", "Laporan"]
    assert sheet.cell(row=2, column=1).value == "Tim 1"
    assert "Admin Instansi: Ina" in sheet.cell(row=2, column=2).value


def test_the_projector_ranks_teams_not_people_in_different_seats(app, team_room):
    ratna, code, ina, _dodi, _kiki = team_room
    sd = number_of(app, "sd-ruang-kelas-rusak")
    ina.post(f"/laporan/{sd}/aksi/verifikasi", data={
        **VERIFY, "unit": "disdik", "idem_key": "h" * 20, "versi": seen(ina, sd)})
    tick(app)  # the ticker keeps the cards, as a served app does
    board = ratna.get(f"/fasilitator/sesi/{code}/layar").get_data(as_text=True)
    names = re.findall(r'class="board-name">([^<]*)<', board)
    assert names == ["Tim 1"]  # the team is ranked, nobody alone
    assert 'board-unit">Ina<' in board  # with who sits in it (and has acted)


def test_a_persons_results_show_their_seat_and_the_teams_result(app, team_room, clock):
    ratna, code, ina, dodi, _kiki = team_room
    sd = number_of(app, "sd-ruang-kelas-rusak")
    ina.post(f"/laporan/{sd}/aksi/verifikasi", data={
        **VERIFY, "unit": "disdik", "idem_key": "i" * 20, "versi": seen(ina, sd)})
    dodi.post(f"/laporan/{sd}/aksi/tindak_lanjut", data={
        "isi": TL, "akhir": "1", "idem_key": "j" * 20, "versi": seen(dodi, sd)})
    ratna.post(f"/fasilitator/sesi/{code}/kontrol/akhiri")  # feedback opens at the end
    page = dodi.get("/hasil").get_data(as_text=True)
    assert 'id="team-result"' in page and "Tim 1: hasil tim" in page
    assert "bagian kursi Anda (Admin Penghubung Disdikbud)" in page
    assert "Ruang kelas SD rusak dan berbahaya" in page  # his report, by its title
    assert "<dt>Disposisi tepat</dt>" not in page  # a penghubung disposes nothing
    assert "<dt>Disposisi tepat</dt>" in ina.get("/hasil").get_data(as_text=True)
