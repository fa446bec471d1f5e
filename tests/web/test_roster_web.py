"""The participant list page: importing a file, row-by-row errors, entry cards, and an
imported trainee signing in with the personal code from their card."""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from sqlalchemy import func, select

from sandbox.extensions import db
from sandbox.models import Complaint, Participant, SessionEvent
from tests.web.kit import create_session, login

GOOD = "Nama;OPD;Kohort\nSiti Rahmawati;Dinas Kesehatan;Kelompok A\nAndi Pratama;Dinas PUPR;" \
       "Kelompok B\n"


def upload(client, code, data, filename="peserta.csv"):
    return client.post(f"/fasilitator/sesi/{code}/peserta",
                       data={"berkas": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def counts(app):
    with app.app_context():
        return (db.session.scalar(select(func.count(Participant.id))),
                db.session.scalar(select(func.count(Complaint.id))),
                db.session.scalar(select(func.count(SessionEvent.id))))


def test_page_has_the_form_the_template_and_an_empty_list(app, accounts):
    ratna = login(app, "ratna")
    code = create_session(ratna)
    response = ratna.get(f"/fasilitator/sesi/{code}/peserta")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html and 'name="csrf_token"' in html
    assert "Belum ada peserta." in html
    template = ratna.get(f"/fasilitator/sesi/{code}/peserta/contoh.csv")
    assert template.status_code == 200 and template.mimetype == "text/csv"
    assert f'filename="peserta-{code}.csv"' in template.headers["Content-Disposition"]
    text = template.get_data().decode("utf-8-sig")
    assert text.splitlines()[0] == "Nama;OPD;Kohort"
    # The example itself imports cleanly.
    assert upload(ratna, code, template.get_data()).status_code == 303


def test_import_lists_everyone_with_cohort_and_personal_code(app, accounts):
    ratna = login(app, "ratna")
    code = create_session(ratna)
    response = upload(ratna, code, GOOD.encode("utf-8-sig"))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/sesi/{code}/peserta?impor=2")
    html = ratna.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 peserta berhasil diimpor." in html
    rows = re.findall(r'<td data-label="Nama">([^<]+)</td>\s*<td data-label="OPD">([^<]+)</td>'
                      r'\s*<td data-label="Kohort">([^<]+)</td>\s*'
                      r'<td data-label="Kode pribadi"><code>([A-Z2-9]{6})</code>', html)
    assert [r[:3] for r in rows] == [("Siti Rahmawati", "Dinas Kesehatan", "Kelompok A"),
                                     ("Andi Pratama", "Dinas PUPR", "Kelompok B")]
    # The session page counts them too.
    assert "Andi Pratama" in ratna.get(f"/fasilitator/sesi/{code}").get_data(as_text=True)


def test_import_from_xlsx(app, accounts):
    ratna = login(app, "ratna")
    code = create_session(ratna)
    book = Workbook()
    for row in (("Nama", "Unit kerja", "Asal daerah"), ("Siti", "Dinkes", "Sukamaju"),
                ("Andi", "DLH", "Mekarsari")):
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    assert upload(ratna, code, out.getvalue(), "hadir.xlsx").status_code == 303
    html = ratna.get(f"/fasilitator/sesi/{code}/peserta").get_data(as_text=True)
    assert "Mekarsari" in html and "Sukamaju" in html


def test_bad_rows_are_listed_and_nothing_is_saved(app, accounts):
    ratna = login(app, "ratna")
    code = create_session(ratna)
    before = counts(app)
    data = GOOD + ";Dinas Sosial;A\nRina;;B\nSiti Rahmawati;Dinas Kesehatan;A\n"
    response = upload(ratna, code, data.encode())
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Tidak ada peserta yang disimpan." in html
    for message in ("Baris 4: Nama wajib diisi.", "Baris 5: OPD wajib diisi.",
                    "Baris 6: nama dan OPD sama dengan baris 2"):
        assert message in html
    assert "Traceback" not in html
    assert counts(app) == before


def test_a_long_list_of_problems_is_cut_short(app, accounts):
    ratna = login(app, "ratna")
    code = create_session(ratna)
    data = "Nama;OPD\n" + "".join(f"Peserta {i};\n" for i in range(150))
    html = upload(ratna, code, data.encode()).get_data(as_text=True)
    assert html.count("OPD wajib diisi.") == 100
    assert "… dan 50 masalah lain." in html


def test_a_second_import_of_the_same_people_is_refused(app, accounts):
    ratna = login(app, "ratna")
    code = create_session(ratna)
    assert upload(ratna, code, GOOD.encode()).status_code == 303
    before = counts(app)
    again = upload(ratna, code, GOOD.encode())
    assert again.status_code == 422
    assert "«Siti Rahmawati» (Dinas Kesehatan) sudah terdaftar di sesi ini." in \
        again.get_data(as_text=True)
    assert counts(app) == before


def test_wrong_or_missing_file_is_explained(app, accounts):
    ratna = login(app, "ratna")
    code = create_session(ratna)
    for data, name, message in (
            (b"%PDF-1.7", "daftar.pdf", "Jenis berkas «.pdf» tidak didukung"),
            (b"", "kosong.csv", "Berkas kosong"),
            (b"Peserta;Unit\nSiti;Dinkes\n", "x.csv", "kolom Nama tidak ada")):
        response = upload(ratna, code, data, name)
        assert response.status_code == 422, name
        assert message in response.get_data(as_text=True)
    nothing = ratna.post(f"/fasilitator/sesi/{code}/peserta", data={},
                         content_type="multipart/form-data")
    assert nothing.status_code == 422
    assert "Pilih berkas daftar peserta" in nothing.get_data(as_text=True)
    assert counts(app)[0] == 0


def test_an_ended_session_refuses_an_import(app, accounts):
    ratna = login(app, "ratna")
    code = create_session(ratna)
    ratna.post(f"/fasilitator/sesi/{code}/kontrol/akhiri")
    response = upload(ratna, code, GOOD.encode())
    assert response.status_code == 422
    assert "Sesi ini sudah berakhir" in response.get_data(as_text=True)


def test_import_is_logged_once(app, accounts):
    ratna = login(app, "ratna")
    code = create_session(ratna)
    upload(ratna, code, GOOD.encode(), "bimtek maret.csv")
    with app.app_context():
        events = db.session.scalars(select(SessionEvent).where(
            SessionEvent.kind == "impor")).all()
        assert [(e.actor, e.payload) for e in events] == [
            ("Bu Ratna", {"jumlah": 2, "berkas": "bimtek maret.csv"})]


def test_cards_carry_both_codes_and_rejoin_shows_the_trainees_own_reports(app, accounts,
                                                                           clock):
    ratna = login(app, "ratna")
    code = create_session(ratna)
    upload(ratna, code, GOOD.encode())
    cards = ratna.get(f"/fasilitator/sesi/{code}/peserta/kartu")
    assert cards.status_code == 200
    html = cards.get_data(as_text=True)
    personal = re.findall(r'class="personal-code">([A-Z2-9]{6})<', html)
    assert len(personal) == 2
    assert html.count(f"Kode sesi <b>{code}</b>") == 2
    assert html.count('src="data:image/svg+xml') == 2
    only_b = ratna.get(f"/fasilitator/sesi/{code}/peserta/kartu?kohort=Kelompok+B")
    assert "Andi Pratama" in only_b.get_data(as_text=True)
    assert "Siti Rahmawati" not in only_b.get_data(as_text=True)

    # The QR's address fills in both codes on the join page.
    page = app.test_client().get(f"/ikut/{code}?pribadi={personal[0].lower()}")
    assert f'name="personal_code" value="{personal[0]}"' in page.get_data(as_text=True)

    ratna.post(f"/fasilitator/sesi/{code}/kontrol/mulai")
    clock.advance(minutes=2)
    siti = app.test_client()
    assert siti.post("/ikut/lanjut", data={"code": code, "personal_code": personal[0]}
                     ).status_code == 303
    inbox = siti.get("/kotak-masuk").get_data(as_text=True)
    assert "Siti Rahmawati · Dinas Kesehatan" in inbox
    assert len(set(re.findall(r"/laporan/(\d+)", inbox))) == 2


def test_join_form_offers_the_imported_cohorts(app, accounts):
    ratna = login(app, "ratna")
    code = create_session(ratna)
    plain = app.test_client().get(f"/ikut/{code}").get_data(as_text=True)
    assert 'name="cohort"' not in plain  # no cohorts yet: no field
    upload(ratna, code, GOOD.encode())
    html = app.test_client().get(f"/ikut/{code}").get_data(as_text=True)
    assert '<option value="Kelompok A"' in html and '<option value="Kelompok B"' in html
    bad = app.test_client().post("/ikut", data={"code": code, "name": "Rina",
                                                "unit_name": "DLH", "cohort": "Kelompok Z"})
    assert bad.status_code == 422
    assert "Kohort «Kelompok Z» tidak ada di sesi ini" in bad.get_data(as_text=True)
    assert app.test_client().post("/ikut", data={"code": code, "name": "Rina",
                                                 "unit_name": "DLH",
                                                 "cohort": "Kelompok B"}).status_code == 303
    with app.app_context():
        rina = db.session.scalar(select(Participant).where(Participant.name == "Rina"))
        assert rina.cohort == "Kelompok B"


def test_another_facilitator_sees_nothing(app, accounts):
    ratna = login(app, "ratna")
    code = create_session(ratna)
    budi = login(app, "budi")
    assert budi.get(f"/fasilitator/sesi/{code}/peserta").status_code == 404
    assert upload(budi, code, GOOD.encode()).status_code == 404
    assert counts(app)[0] == 0
