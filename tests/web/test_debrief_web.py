"""The debrief screens through the client: overview, one report on the projector, names
hidden until revealed, rubric overrides, and one trainee's replay."""

from __future__ import annotations

import re

import pytest

from sandbox.extensions import db
from sandbox.models import Complaint, Exercise, Participant, ScoreOverride, SessionEvent
from tests.web.kit import HX
from tests.web.kit import create_session as _create
from tests.web.kit import join as _join
from tests.web.kit import login as _login

# Names that never occur in the synthetic reports, so their absence from a page means
# something.
NAMES = ["Xaverina Qoriah", "Yohanna Zulkarnaen", "Wilhelmina Quartz", "Zenobia Kwartini",
         "Quirinus Xylander"]
GOOD_TL = ("Yth. Bapak/Ibu, terima kasih atas laporan Anda. Petugas Disdukcapil telah memeriksa "
           "berkas KTP-el Anda di kantor Disdukcapil pada Selasa, 3 Maret 2026, dan pencetakan "
           "dijadwalkan pekan depan. Kami akan menginformasikan perkembangan selanjutnya.")
POOR_TL = "Sudah kami terima. Salam, Yohanna."
MIDDLING_TL = "Yth. Bapak/Ibu, laporan Anda sudah kami teruskan ke Kecamatan Tegalsari."
FORM = {"judul": "KTP-el belum jadi", "klasifikasi": "pengaduan_tidak_berkadar_pengawasan",
        "kategori": "administrasi_kependudukan"}


def _post(client, number, action, data, key):
    response = client.post(f"/laporan/{number}/aksi/{action}",
                           data={**data, "idem_key": key.ljust(20, "k")})
    assert response.status_code == 303, response.get_data(as_text=True)


@pytest.fixture
def room(app, accounts, clock):
    """Bu Ratna's session; on report 1 (Disdukcapil) the five trainees act differently."""
    ratna = _login(app, "ratna")
    code = _create(ratna)
    trainees = [_join(app, code, name, "Dinas Uji") for name in NAMES]
    ratna.post(f"/fasilitator/sesi/{code}/kontrol/mulai")
    clock.advance(minutes=2)
    with app.app_context():
        exercise = db.session.scalar(db.select(Exercise).where(Exercise.code == code))
        number = db.session.scalar(db.select(Complaint.tracking_no).where(
            Complaint.exercise_id == exercise.id, Complaint.position == 1))
        ids = {p.name: p.id for p in exercise.participants}
        # The half-right kecamatan is the one the generator placed report 1 in: pin it.
        for complaint in db.session.scalars(db.select(Complaint).where(
                Complaint.exercise_id == exercise.id, Complaint.position == 1)):
            complaint.answer_key = {**complaint.answer_key, "partial_targets": ["kec-tegalsari"]}
        db.session.commit()
    right, wrong, archiver, _idle, halfway = trainees
    _post(right, number, "verifikasi", {**FORM, "unit": "disdukcapil"}, "right-1")
    _post(right, number, "tindak_lanjut", {"isi": GOOD_TL, "akhir": "1"}, "right-2")
    _post(wrong, number, "verifikasi", {**FORM, "unit": "dlh"}, "wrong-1")
    _post(wrong, number, "tindak_lanjut", {"isi": POOR_TL, "akhir": "1"}, "wrong-2")
    _post(archiver, number, "arsipkan", {"alasan": "spam"}, "archive-1")
    _post(halfway, number, "verifikasi", {**FORM, "unit": "kec-tegalsari"}, "half-1")
    _post(halfway, number, "tindak_lanjut", {"isi": MIDDLING_TL, "akhir": "1"}, "half-2")
    return ratna, code, number, ids


def _tl(app, participant_id):
    """(complaint id, TL seq) of a trainee's TL on report 1."""
    with app.app_context():
        complaint = db.session.scalar(db.select(Complaint).where(
            Complaint.participant_id == participant_id, Complaint.position == 1))
        seq = next(e.seq for e in complaint.events if e.action == "tindak_lanjut")
        return complaint.id, seq


def _names_absent(html):
    for name in NAMES:
        for part in name.split():
            assert part not in html, part


def test_overview_lists_reports_with_their_right_share(app, room):
    ratna, code, number, _ = room
    response = ratna.get(f"/fasilitator/sesi/{code}/debrief?sertakan=1")  # idle ones too
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    row = re.search(r'<tr id="report-1">.*?</tr>', html, re.S).group(0)
    assert f"#{number}" in row and "1 dari 5 (20%)" in row
    assert f'href="/fasilitator/sesi/{code}/debrief/1"' in html
    assert "Peserta 1" in html and "Peserta 5" in html
    _names_absent(html)


def test_report_page_shows_answer_distribution_and_tl_examples_anonymously(app, room):
    ratna, code, _, ids = room
    response = ratna.get(f"/fasilitator/sesi/{code}/debrief/1?sertakan=1")  # idle ones too
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Sukamaju" in html  # the answer
    assert "Kecamatan Tegalsari" in html  # half right
    assert "Penerbitan KTP-el" in html  # why
    summary = re.search(r'id="distribution-summary">([^<]+)<', html).group(1)
    assert summary == ("1 ke Disdukcapil, 1 diarsipkan, 1 ke DLH, 1 ke Kec. Tegalsari, "
                       "1 belum ditangani")  # most first; the right one, then the idle last
    right = re.findall(r'<li class="bar-row verdict-tepat">\s*<span class="bar-label">([^<]+)',
                       html)
    assert [r.strip() for r in right] == ["1 ke Disdukcapil"]
    half = re.findall(r'<li class="bar-row verdict-sebagian">\s*<span class="bar-label">([^<]+)',
                      html)
    assert [h.strip() for h in half] == ["1 ke Kec. Tegalsari"]
    best_id, best_seq = _tl(app, ids[NAMES[0]])
    worst_id, worst_seq = _tl(app, ids[NAMES[1]])
    best = re.search(rf'<article class="tl-card best" id="tl-{best_id}-{best_seq}">.*?</article>',
                     html, re.S).group(0)
    worst = re.search(rf'<article class="tl-card worst" id="tl-{worst_id}-{worst_seq}">.*?'
                      r"</article>", html, re.S).group(0)
    assert "Peserta 1" in best and "Petugas Disdukcapil telah memeriksa" in best
    assert "Peserta 2" in worst and "Salam, [nama peserta]." in worst  # own name blanked
    middle = html[html.index('id="all-tl"'):]
    assert "Peserta 5" in middle and "sudah kami teruskan ke Kecamatan Tegalsari" in middle
    assert 'data-nav="next"' in html and f"/fasilitator/sesi/{code}/debrief/2" in html
    _names_absent(html)


def test_names_show_only_when_revealed_and_stay_while_browsing(app, room):
    ratna, code, _, _ = room
    html = ratna.get(f"/fasilitator/sesi/{code}/debrief/1?nama=1").get_data(as_text=True)
    assert "Peserta 1 · Xaverina Qoriah (Dinas Uji)" in html
    assert "Salam, Yohanna." in html
    assert f"/fasilitator/sesi/{code}/debrief/2?nama=1" in html  # next keeps names shown
    assert "Sembunyikan nama peserta" in html
    _names_absent(ratna.get(f"/fasilitator/sesi/{code}/debrief/1?nama=ya").get_data(
        as_text=True))


def test_rubric_override_reorders_examples_and_is_logged(app, room):
    ratna, code, _, ids = room
    poor_id, poor_seq = _tl(app, ids[NAMES[1]])
    good_id, good_seq = _tl(app, ids[NAMES[0]])
    response = ratna.post(f"/fasilitator/sesi/{code}/debrief/nilai", data={
        "complaint": poor_id, "tl_seq": poor_seq, "rubric": "5", "kembali": "laporan",
        "nama": "1"})
    assert response.status_code == 303
    assert response.headers["Location"] == \
        f"/fasilitator/sesi/{code}/debrief/1?nama=1#tl-{poor_id}-{poor_seq}"
    ratna.post(f"/fasilitator/sesi/{code}/debrief/nilai", data={
        "complaint": good_id, "tl_seq": good_seq, "rubric": "1", "kembali": "laporan"})
    html = ratna.get(f"/fasilitator/sesi/{code}/debrief/1").get_data(as_text=True)
    best = re.search(r'<article class="tl-card best".*?</article>', html, re.S).group(0)
    assert "Peserta 2" in best and "mutu <b class=\"tl-quality\">100%</b>" in best
    assert "<b>5/5</b> (sangat baik)" in best and "oleh Bu Ratna" in best
    with app.app_context():
        logged = db.session.scalars(db.select(SessionEvent).where(
            SessionEvent.kind == "nilai_tl").order_by(SessionEvent.seq)).all()
        assert [(e.payload["complaint_id"], e.payload["rubric"]) for e in logged] == [
            (poor_id, 5), (good_id, 1)]
        from sandbox.services.scoring import report_card

        card = report_card(db.session.get(Participant, ids[NAMES[1]]))
        assert card.reports[0].quality == 1.0


@pytest.mark.parametrize("rubric", ["0", "6", "x"])
def test_invalid_rubric_is_explained_and_nothing_is_stored(app, room, rubric):
    ratna, code, _, ids = room
    complaint_id, seq = _tl(app, ids[NAMES[0]])
    response = ratna.post(f"/fasilitator/sesi/{code}/debrief/nilai", data={
        "complaint": complaint_id, "tl_seq": seq, "rubric": rubric, "kembali": "laporan"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Nilai rubrik harus 1 sampai 5." in html
    assert 'id="rating-error"' in html
    _names_absent(html)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(ScoreOverride)) == 0
        assert db.session.scalar(db.select(db.func.count()).select_from(SessionEvent).where(
            SessionEvent.kind == "nilai_tl")) == 0


def test_invalid_rubric_on_the_replay_shows_the_replay_again(app, room):
    ratna, code, _, ids = room
    complaint_id, seq = _tl(app, ids[NAMES[0]])
    response = ratna.post(f"/fasilitator/sesi/{code}/debrief/nilai", data={
        "complaint": complaint_id, "tl_seq": seq, "rubric": "", "kembali": "peserta",
        "langkah": "2"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Nilai rubrik harus 1 sampai 5." in html and 'id="step-count">Langkah 2 dari' in html


def test_a_tl_of_another_session_is_404(app, room, clock):
    ratna, code, _, _ = room
    budi = _login(app, "budi")
    other = _create(budi)
    stranger = _join(app, other, "Orang Lain", "Dinas Lain")
    budi.post(f"/fasilitator/sesi/{other}/kontrol/mulai")
    clock.advance(minutes=2)
    with app.app_context():
        complaint = db.session.scalar(db.select(Complaint).join(Participant).where(
            Participant.name == "Orang Lain", Complaint.position == 1))
        number, complaint_id = complaint.tracking_no, complaint.id
    _post(stranger, number, "verifikasi", {**FORM, "unit": "disdukcapil"}, "stranger-1")
    _post(stranger, number, "tindak_lanjut", {"isi": GOOD_TL, "akhir": "1"}, "stranger-2")
    for bad in (complaint_id, "x", ""):
        response = ratna.post(f"/fasilitator/sesi/{code}/debrief/nilai", data={
            "complaint": bad, "tl_seq": "2", "rubric": "4", "kembali": "laporan"})
        assert response.status_code == 404
        assert "Tindak lanjut yang dinilai tidak ditemukan di sesi ini." in \
            response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(ScoreOverride)) == 0


def test_replay_lists_one_trainees_steps_in_order(app, room):
    ratna, code, number, ids = room
    response = ratna.get(f"/fasilitator/sesi/{code}/debrief/peserta/{ids[NAMES[0]]}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    steps = re.findall(r'<li id="step-(\d+)".*?<span class="what"><b>([^<]+)</b>', html, re.S)
    assert steps == [("1", "Verifikasi &amp; disposisi"), ("2", "Tindak lanjut")]
    assert "Tepat ke Dinas Kependudukan dan Pencatatan Sipil Kabupaten Sukamaju." in html  # the verdict scoring gives (domain.decisions)
    assert "Petugas Disdukcapil telah memeriksa" in html
    assert "Sudah kami terima" not in html and "ke DLH" not in html  # another trainee's
    assert "Putar ulang: Peserta 1" in html
    _names_absent(html)

    wrong = ratna.get(f"/fasilitator/sesi/{code}/debrief/peserta/{ids[NAMES[1]]}"
                      ).get_data(as_text=True)
    assert "Salah tujuan: Dinas Lingkungan Hidup Kabupaten Sukamaju; seharusnya Dinas Kependudukan dan Pencatatan Sipil Kabupaten Sukamaju." in wrong
    idle = ratna.get(f"/fasilitator/sesi/{code}/debrief/peserta/{ids[NAMES[3]]}"
                     ).get_data(as_text=True)
    assert "Peserta ini belum melakukan apa pun." in idle


def test_replay_steps_through_with_links_and_htmx(app, room):
    ratna, code, _, ids = room
    base = f"/fasilitator/sesi/{code}/debrief/peserta/{ids[NAMES[0]]}"
    html = ratna.get(f"{base}?langkah=1").get_data(as_text=True)
    assert 'id="step-count">Langkah 1 dari 2<' in html
    assert re.findall(r'<li id="step-(\d+)"', html) == ["1"]
    assert f'href="{base}?langkah=2"' in html and 'data-nav="next"' in html
    partial = ratna.get(f"{base}?langkah=2", headers=HX)
    text = partial.get_data(as_text=True)
    assert partial.status_code == 200 and "<html" not in text and text.lstrip().startswith(
        '<div id="replay"')
    assert re.findall(r'<li id="step-(\d+)"', text) == ["2", "1"]  # newest first
    assert "HX-Request" in partial.headers["Vary"]
    clamped = ratna.get(f"{base}?langkah=99").get_data(as_text=True)
    assert 'id="step-count">Langkah 2 dari 2<' in clamped
    bad = ratna.get(f"{base}?langkah=x")
    assert bad.status_code == 400
    assert "Langkah «x» tidak dikenal: pilih angka 1 sampai 2." in bad.get_data(as_text=True)


@pytest.mark.parametrize(("path", "message"), [
    ("/debrief/99", "Laporan urutan ke-99 tidak ada atau belum masuk di sesi ini."),
    ("/debrief/peserta/99999", "Peserta dengan nomor data 99999 tidak ada di sesi ini."),
])
def test_unknown_report_or_trainee_is_a_clear_404(app, room, path, message):
    ratna, code, _, _ = room
    response = ratna.get(f"/fasilitator/sesi/{code}{path}")
    assert response.status_code == 404
    assert message in response.get_data(as_text=True)


def test_another_sessions_trainee_is_404_and_unknown_session_too(app, room):
    ratna, code, _, _ = room
    other = _create(ratna, title="Sesi kedua")
    stranger = _join(app, other, "Orang Lain", "Dinas Lain")
    assert stranger is not None
    with app.app_context():
        stranger_id = db.session.scalar(db.select(Participant.id).where(
            Participant.name == "Orang Lain"))
    assert ratna.get(f"/fasilitator/sesi/{code}/debrief/peserta/{stranger_id}"
                     ).status_code == 404
    missing = ratna.get("/fasilitator/sesi/ZZZZZZ/debrief")
    assert missing.status_code == 404
    assert "Sesi «ZZZZZZ» tidak ditemukan" in missing.get_data(as_text=True)


def test_debrief_before_the_start_says_so(app, accounts):
    ratna = _login(app, "ratna")
    code = _create(ratna)
    html = ratna.get(f"/fasilitator/sesi/{code}/debrief").get_data(as_text=True)
    assert 'id="no-reports"' in html
    assert ratna.get(f"/fasilitator/sesi/{code}/debrief/1").status_code == 404
