"""Mode OPD in the browser's terms (issue 13): joining as the admin penghubung of an OPD,
the inbox and report page of that role, and the facilitator's dashboard, debrief and
exports of such a session."""

from __future__ import annotations

import csv
import io
import re

import pytest

from sandbox.domain.decisions import wrongly_disposed
from sandbox.extensions import db
from sandbox.models import Complaint, Participant
from tests.web.kit import create_session, join, login, tick

WHY = "Laporan ini bukan wewenang OPD kami: mohon diteruskan ke instansi yang berwenang."


@pytest.fixture
def opd_room(app, accounts, clock):
    """Bu Ratna's client, the code of a mode-OPD session started 30 minutes ago, and the
    clients of Siti (Dinas Kesehatan) and Budi (Dinas Sosial)."""
    ratna = login(app, "ratna")
    code = create_session(ratna, scenario="opd-penghubung")
    siti = join(app, code, "Siti", "Dinas Kesehatan")
    budi = join(app, code, "Budi", "Dinas Sosial Kabupaten Sukamaju")
    ratna.post(f"/fasilitator/sesi/{code}/kontrol/mulai")
    clock.advance(minutes=30)
    tick(app)
    return ratna, code, siti, budi


def _reports(app, name):
    with app.app_context():
        who = db.session.scalar(db.select(Participant).where(Participant.name == name))
        rows = db.session.scalars(db.select(Complaint).where(
            Complaint.participant_id == who.id, Complaint.state != "BARU")
            .order_by(Complaint.position)).all()
        return [(c.tracking_no, wrongly_disposed(c.answer_key, who.unit_code)) for c in rows]


def test_the_join_form_lists_the_sessions_opds(app, accounts):
    ratna = login(app, "ratna")
    code = create_session(ratna, scenario="opd-penghubung")
    html = app.test_client().get(f"/ikut/{code}").get_data(as_text=True)
    assert '<select id="unit_name" name="unit_name"' in html
    assert ">Dinas Kesehatan Kabupaten Sukamaju</option>" in html
    assert "Dinas Pariwisata" not in html  # no reports of its own in the catalogue
    refused = app.test_client().post("/ikut", data={
        "code": code, "name": "Ani", "unit_name": "Dinas Pariwisata"})
    assert refused.status_code == 422
    assert "tidak ada di daftar OPD sesi ini" in refused.get_data(as_text=True)
    # a bimtek in individual mode keeps its free text field
    plain = create_session(ratna)
    assert '<input id="unit_name"' in app.test_client().get(f"/ikut/{plain}").get_data(
        as_text=True)


def test_the_penghubung_sees_their_role_and_only_their_answers(app, opd_room):
    _ratna, _code, siti, _budi = opd_room
    inbox = siti.get("/kotak-masuk").get_data(as_text=True)
    assert 'id="role-note"' in inbox and "Admin Penghubung Dinas Kesehatan" in inbox
    reports = _reports(app, "Siti")
    assert reports and all(number in inbox for number, _ in reports)
    number, _wrong = reports[0]
    page = siti.get(f"/laporan/{number}").get_data(as_text=True)
    assert 'id="btn-kembalikan"' in page and 'id="btn-tindak_lanjut"' in page
    assert 'id="btn-verifikasi"' not in page and 'id="btn-arsipkan"' not in page
    assert "Admin Instansi (simulasi)" in page
    assert "Admin Instansi (Admin Instansi" not in page  # named once in the history
    refused = siti.post(f"/laporan/{number}/aksi/verifikasi", data={"idem_key": "x" * 20})
    assert refused.status_code == 403


def test_a_returned_report_says_where_it_went(app, opd_room, clock):
    _ratna, _code, siti, _budi = opd_room
    number = next(n for n, wrong in _reports(app, "Siti") if wrong)
    answer = siti.post(f"/laporan/{number}/aksi/kembalikan",
                       data={"idem_key": "k" * 20, "alasan": WHY})
    assert answer.status_code == 303
    page = siti.get(f"/laporan/{number}").get_data(as_text=True)
    assert 'id="not-held"' in page and "sudah dikembalikan ke Admin Instansi" in page
    assert 'id="state-badge">Dikembalikan ke Admin Instansi<' in page
    clock.advance(minutes=2)
    tick(app)
    page = siti.get(f"/laporan/{number}").get_data(as_text=True)
    assert 'id="not-held"' in page and 'id="btn-tindak_lanjut"' not in page
    # its status at another OPD is not hers
    assert re.search(r'id="state-badge">(Di OPD lain|Bukan Wewenang)<', page)
    row = re.search(rf'/laporan/{number}".*?</tr>', siti.get("/kotak-masuk").get_data(
        as_text=True), re.S)
    assert row and ("Di OPD lain" in row.group(0) or "Bukan Wewenang" in row.group(0))


def test_dashboard_debrief_and_exports_speak_of_the_receiving_end(app, opd_room):
    ratna, code, siti, _budi = opd_room
    number = next(n for n, wrong in _reports(app, "Siti") if wrong)
    siti.post(f"/laporan/{number}/aksi/kembalikan", data={"idem_key": "k" * 20,
                                                          "alasan": WHY})
    live = ratna.get(f"/fasilitator/sesi/{code}").get_data(as_text=True)
    assert "(disposisi keliru)" in live and "dikembalikan" in live
    with app.app_context():
        siti_id = db.session.scalar(db.select(Participant.id).where(Participant.name == "Siti"))
    replay = ratna.get(f"/fasilitator/sesi/{code}/debrief/peserta/{siti_id}")
    text = replay.get_data(as_text=True)
    assert replay.status_code == 200
    assert "Laporan menunggu" in text and "sebelum dikembalikan" in text
    assert "Admin Instansi (simulasi)" in text
    table = ratna.get(f"/fasilitator/sesi/{code}/ekspor/hasil.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(table.lstrip("\ufeff")), delimiter=";"))
    header = rows[0]
    assert "Peran" in header and "Pemeriksaan disposisi: poin" in header
    assert "Ketepatan tujuan (disposisi): poin" not in header
    siti_row = next(r for r in rows[1:] if r[0] == "Siti")
    assert siti_row[header.index("Peran")] == "Admin Penghubung (mode OPD)"


def test_a_debrief_report_page_speaks_of_the_position_not_one_trainees_report(app, opd_room):
    ratna, code, _siti, _budi = opd_room
    with app.app_context():
        copies = db.session.scalars(db.select(Complaint).join(Participant).where(
            Participant.unit_code.is_not(None))).all()
        wrong = next(c.position for c in copies
                     if wrongly_disposed(c.answer_key, c.participant.unit_code))
        texts = {c.text for c in copies if c.position == wrong}
    page = ratna.get(f"/fasilitator/sesi/{code}/debrief/{wrong}").get_data(as_text=True)
    assert f"Laporan urutan ke-{wrong}" in page
    assert "setiap peserta menerima laporan yang berbeda" in page
    assert not any(text[:60] in page for text in texts)  # nobody's own report as "the" one
    assert "Kembalikan ke admin instansi" in page  # the answer at this position
