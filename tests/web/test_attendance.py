"""Attendance through the pages: who counts in ranks, means, "Perhatian" and certificates,
a second join with the same name, and the facilitator's rename, hide, remove and merge."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from sandbox.extensions import db
from sandbox.models import Complaint, Event, Exercise, Participant, SessionEvent
from tests.exports_kit import play_workshop
from tests.web.kit import create_session, join, login

PROJECTOR_ROW = re.compile(r'class="board-name">([^<]+)<span class="board-unit">')
DASHBOARD_ROW = re.compile(r'<tr class="[^"]*">\s*<td data-label="Nama">([^<]+?) <span')
ROSTER = "Nama;OPD\nRina Wulandari;Dinas Sosial\n"


def _person(app, name) -> Participant:
    with app.app_context():
        found = db.session.scalar(select(Participant).where(Participant.name == name))
        db.session.expunge(found)
        return found


def _people(app, code) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Participant.id)).join(Exercise)
                                 .where(Exercise.code == code))


def _log(app, code) -> list[tuple[str, dict]]:
    with app.app_context():
        exercise_id = db.session.scalar(select(Exercise.id).where(Exercise.code == code))
        return [(e.kind, e.payload) for e in db.session.scalars(
            select(SessionEvent).where(SessionEvent.exercise_id == exercise_id)
            .order_by(SessionEvent.seq))]


def _set_cohort(app, code, cohort):
    with app.app_context():
        for person in db.session.scalars(select(Participant).join(Exercise)
                                         .where(Exercise.code == code)):
            person.cohort = cohort
        db.session.commit()


# ------------------------------------------------------------------ who counts


def test_the_idle_are_left_out_of_ranks_means_perhatian_and_certificates(app, clock):
    """Ni Luh joined and never acted: apart everywhere unless the facilitator includes her."""
    played = play_workshop(app, clock, end=False)
    code, idle = played.code, "Ni Luh Putu Sa&#39;diyah"
    _set_cohort(app, code, "Kab. Sukamaju")
    ratna = login(app, "ratna")

    html = ratna.get(f"/fasilitator/sesi/{code}/layar?top=semua").get_data(as_text=True)
    assert PROJECTOR_ROW.findall(html.split('id="board-cohorts"')[0]) and \
        idle not in html.split('id="board-cohorts"')[0]
    assert "2 peserta" in html.split('id="board-cohorts"')[1]  # the cohort mean over two
    included = ratna.get(f"/fasilitator/sesi/{code}/layar?top=semua&sertakan=1").get_data(
        as_text=True)
    assert idle in included.split('id="board-cohorts"')[0]
    assert "3 peserta" in included.split('id="board-cohorts"')[1]

    dash = ratna.get(f"/fasilitator/sesi/{code}").get_data(as_text=True)
    table = dash[dash.index('id="participants"'):dash.index("</table>", dash.index(
        'id="participants"'))]
    assert idle not in table
    apart = dash[dash.index('id="apart-belum_bertindak"'):]
    assert "Belum bertindak (1)" in apart and idle in apart
    dash = ratna.get(f"/fasilitator/sesi/{code}?sertakan=1").get_data(as_text=True)
    assert idle in dash[dash.index('id="participants"'):] and "apart-belum_bertindak" not in dash

    csv = ratna.get(f"/fasilitator/sesi/{code}/ekspor/hasil.csv").get_data().decode("utf-8-sig")
    assert "Siti Rahmawati" in csv and "Ni Luh" not in csv
    csv = ratna.get(f"/fasilitator/sesi/{code}/ekspor/hasil.csv?sertakan=1").get_data() \
        .decode("utf-8-sig")
    assert "Ni Luh" in csv
    certificates = ratna.get(f"/fasilitator/sesi/{code}/ekspor/sertifikat").get_data(
        as_text=True)
    assert "Andi Saputra" in certificates and idle not in certificates
    ni_luh = _person(app, "Ni Luh Putu Sa'diyah")
    one = ratna.get(f"/fasilitator/sesi/{code}/ekspor/sertifikat/{ni_luh.id}")
    assert one.status_code == 404 and "tidak mendapat sertifikat" in one.get_data(as_text=True)
    one = ratna.get(f"/fasilitator/sesi/{code}/ekspor/sertifikat/{ni_luh.id}?sertakan=1")
    assert one.status_code == 200 and idle in one.get_data(as_text=True)
    exports = ratna.get(f"/fasilitator/sesi/{code}/ekspor").get_data(as_text=True)
    assert idle in exports[exports.index('id="apart-belum_bertindak"'):]

    debrief = ratna.get(f"/fasilitator/sesi/{code}/debrief?nama=1").get_data(as_text=True)
    assert "· 2 peserta ·" in debrief and idle not in debrief
    report = ratna.get(f"/fasilitator/sesi/{code}/debrief/1").get_data(as_text=True)
    assert "Yang dilakukan peserta (2)" in report  # the room's figures without Ni Luh
    debrief = ratna.get(f"/fasilitator/sesi/{code}/debrief?sertakan=1&nama=1").get_data(
        as_text=True)
    assert "· 3 peserta ·" in debrief and idle in debrief


def test_an_imported_trainee_is_absent_until_they_sign_in(app, accounts):
    ratna = login(app, "ratna")
    code = create_session(ratna)
    imported = ratna.post(f"/fasilitator/sesi/{code}/peserta",
                          data={"berkas": (io.BytesIO(ROSTER.encode()), "peserta.csv")},
                          content_type="multipart/form-data")
    assert imported.status_code == 303, imported.get_data(as_text=True)
    rina = _person(app, "Rina Wulandari")
    assert rina.first_seen_at is None
    dash = ratna.get(f"/fasilitator/sesi/{code}").get_data(as_text=True)
    assert "Rina Wulandari" in dash[dash.index('id="apart-belum_hadir"'):]
    roster = ratna.get(f"/fasilitator/sesi/{code}/peserta").get_data(as_text=True)
    assert "presence-belum_hadir" in roster

    back = app.test_client().post("/ikut/lanjut", data={"code": code,
                                                        "personal_code": rina.personal_code})
    assert back.status_code == 303
    assert _person(app, "Rina Wulandari").first_seen_at is not None
    dash = ratna.get(f"/fasilitator/sesi/{code}").get_data(as_text=True)
    assert "apart-belum_hadir" not in dash
    assert "Rina Wulandari" in dash[dash.index('id="apart-belum_bertindak"'):]


# ------------------------------------------------------------------ Perhatian


def _first(app, name):
    with app.app_context():
        person = db.session.scalar(select(Participant.id).where(Participant.name == name))
        complaint = db.session.scalars(select(Complaint).where(
            Complaint.participant_id == person).order_by(Complaint.arrived_at)).first()
        return complaint.tracking_no, complaint.answer_key


def _dispose(client, number, key, unit, idem):
    response = client.post(f"/laporan/{number}/aksi/verifikasi", data={
        "judul": "Laporan warga untuk ditindaklanjuti", "klasifikasi": key["klasifikasi"],
        "kategori": key["kategori"], "idem_key": idem * 20, "unit": unit})
    assert response.status_code in (200, 303), response.get_data(as_text=True)


def test_perhatian_puts_the_worst_first_not_the_most_flagged(app, workshop, clock):
    """Ani is only idle (one flag); Zainal routed wrong (no flag) and is doing worse."""
    ratna, code, _ = workshop
    ani = join(app, code, "Ani", "Dinas Sosial")
    zainal = join(app, code, "Zainal", "Dinas PUPR")
    ratna.post(f"/fasilitator/sesi/{code}/kontrol/mulai")
    clock.advance(minutes=2)
    number, key = _first(app, "Ani")
    _dispose(ani, number, key, key["expected_target"], "a")
    clock.advance(minutes=5)
    number, key = _first(app, "Zainal")
    wrong = "dlh" if key["expected_target"] != "dlh" else "pupr"
    _dispose(zainal, number, key, wrong, "z")
    clock.advance(minutes=1)  # Ani idle for six minutes, Zainal for one
    html = ratna.get(f"/fasilitator/sesi/{code}").get_data(as_text=True)
    rows = DASHBOARD_ROW.findall(html)
    assert rows == ["Zainal", "Ani"]  # Siti never acted: apart, not in "Perhatian"
    assert "tidak aktif 6 menit" in html


# ------------------------------------------------------------------ joining twice


def test_a_second_join_with_the_same_name_asks_instead_of_duplicating(app, workshop):
    _, code, _ = workshop  # Siti · Dinas Kesehatan is in already
    again = app.test_client().post("/ikut", data={"code": code, "name": "  siti ",
                                                  "unit_name": "DINAS  kesehatan"})
    assert again.status_code == 422
    html = again.get_data(as_text=True)
    assert "Anda sudah terdaftar — masuk lagi?" in html
    assert '<details class="rejoin" open>' in html  # the personal-code route, opened
    not_me = html[html.index('id="not-me-form"'):]
    assert 'name="baru" value="1"' in not_me and 'name="kunci"' in not_me
    assert "Bukan saya, daftar sebagai peserta baru" in not_me
    assert _people(app, code) == 1

    deliberate = app.test_client().post("/ikut", data={
        "code": code, "name": "siti", "unit_name": "Dinas Kesehatan", "baru": "1"})
    assert deliberate.status_code == 303
    assert _people(app, code) == 2


def test_the_same_name_from_another_opd_joins_without_asking(app, workshop):
    _, code, _ = workshop
    join(app, code, "Siti", "Dinas Sosial")
    assert _people(app, code) == 2


# ------------------------------------------------------------------ managing participants


def test_rename_checks_like_joining_and_is_logged(app, workshop):
    ratna, code, _ = workshop
    siti = _person(app, "Siti")
    base = f"/fasilitator/sesi/{code}/peserta/{siti.id}"
    bad = ratna.post(f"{base}/ubah", data={"name": " ", "unit_name": "Dinas Kesehatan"})
    assert bad.status_code == 422 and "Nama wajib diisi." in bad.get_data(as_text=True)
    join(app, code, "Andi", "Dinas PUPR")
    clash = ratna.post(f"{base}/ubah", data={"name": "andi", "unit_name": "Dinas PUPR"})
    assert clash.status_code == 422 and "Gabungkan keduanya" in clash.get_data(as_text=True)
    done = ratna.post(f"{base}/ubah", data={"name": "Siti Rahmawati",
                                            "unit_name": "Dinas Kesehatan"})
    assert done.status_code == 303
    assert _person(app, "Siti Rahmawati").id == siti.id
    assert ("ganti_nama", {"peserta": siti.id, "nama_lama": "Siti",
                           "opd_lama": "Dinas Kesehatan", "nama": "Siti Rahmawati",
                           "opd": "Dinas Kesehatan"}) in _log(app, code)


def test_hide_leaves_out_everywhere_and_is_reversible(app, workshop, clock):
    ratna, code, siti = workshop
    ratna.post(f"/fasilitator/sesi/{code}/kontrol/mulai")
    clock.advance(minutes=2)
    number, key = _first(app, "Siti")
    _dispose(siti, number, key, key["expected_target"], "s")
    person = _person(app, "Siti")
    board = f"/fasilitator/sesi/{code}/layar?top=semua&sertakan=1"
    assert "Siti" in ratna.get(board).get_data(as_text=True).split('id="board-cohorts"')[0]
    assert ratna.post(f"/fasilitator/sesi/{code}/peserta/{person.id}/sembunyikan"
                      ).status_code == 303
    assert "Siti" not in ratna.get(board).get_data(as_text=True).split('id="board-cohorts"')[0]
    dash = ratna.get(f"/fasilitator/sesi/{code}?sertakan=1").get_data(as_text=True)
    assert "Siti" in dash[dash.index('id="apart-keluar"'):]
    assert siti.get("/kotak-masuk").status_code == 200  # hiding does not sign her out
    assert ratna.post(f"/fasilitator/sesi/{code}/peserta/{person.id}/tampilkan"
                      ).status_code == 303
    assert "Siti" in ratna.get(board).get_data(as_text=True).split('id="board-cohorts"')[0]
    assert [k for k, _ in _log(app, code)][-2:] == ["sembunyikan", "tampilkan"]


def test_remove_keeps_the_events_and_locks_the_trainee_out(app, workshop, clock):
    ratna, code, siti = workshop
    ratna.post(f"/fasilitator/sesi/{code}/kontrol/mulai")
    clock.advance(minutes=2)
    number, key = _first(app, "Siti")
    _dispose(siti, number, key, key["expected_target"], "s")
    person = _person(app, "Siti")
    roster = ratna.get(f"/fasilitator/sesi/{code}/peserta").get_data(as_text=True)
    assert re.search(rf'peserta/{person.id}/hapus"\s+data-confirm="Hapus Siti', roster)
    assert ratna.post(f"/fasilitator/sesi/{code}/peserta/{person.id}/hapus").status_code == 303
    with app.app_context():
        events = db.session.scalar(select(func.count(Event.id)).join(Complaint)
                                   .where(Complaint.participant_id == person.id))
    assert events > 0  # still in the log
    assert "Siti" not in ratna.get(f"/fasilitator/sesi/{code}/peserta").get_data(as_text=True) \
        .split('id="roster"')[1]
    assert siti.get("/kotak-masuk").status_code != 200  # signed out
    assert app.test_client().get(f"/lanjut/{person.token}").status_code == 404
    assert app.test_client().post("/ikut/lanjut", data={
        "code": code, "personal_code": person.personal_code}).status_code == 422
    assert ("hapus_peserta", {"peserta": person.id, "nama": "Siti",
                              "opd": "Dinas Kesehatan"}) in _log(app, code)
    again = ratna.post(f"/fasilitator/sesi/{code}/peserta/{person.id}/hapus")
    assert again.status_code == 404


def test_merge_keeps_one_identity_and_signs_the_other_in_as_it(app, workshop):
    ratna, code, _ = workshop
    join(app, code, "Siti R.", "Dinas Kesehatan")
    keep, other = _person(app, "Siti"), _person(app, "Siti R.")
    same = ratna.post(f"/fasilitator/sesi/{code}/peserta/gabung",
                      data={"simpan": str(keep.id), "gabung": str(keep.id)})
    assert same.status_code == 422 and "dirinya sendiri" in same.get_data(as_text=True)
    roster = ratna.get(f"/fasilitator/sesi/{code}/peserta").get_data(as_text=True)
    assert 'id="merge-form" novalidate\n        data-confirm="Gabungkan' in roster
    done = ratna.post(f"/fasilitator/sesi/{code}/peserta/gabung",
                      data={"simpan": str(keep.id), "gabung": str(other.id)})
    assert done.status_code == 303
    assert _person(app, "Siti R.").merged_into_id == keep.id
    assert "Siti R." not in ratna.get(f"/fasilitator/sesi/{code}/peserta").get_data(
        as_text=True)
    back = app.test_client()
    assert back.post("/ikut/lanjut", data={"code": code, "personal_code": other.personal_code}
                     ).status_code == 303
    assert "Siti · Dinas Kesehatan" in back.get("/kotak-masuk").get_data(as_text=True)
    assert ("gabung", {"peserta": keep.id, "nama": "Siti", "digabung": other.id,
                       "nama_digabung": "Siti R."}) in _log(app, code)
