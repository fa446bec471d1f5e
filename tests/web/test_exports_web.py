"""The facilitator's exports page: downloads, printable records and certificates, and
importing an archive; only for the session's own facilitator."""

from __future__ import annotations

import gzip
import io
import json
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from sandbox.config import PACKAGE_DIR
from sandbox.extensions import db
from sandbox.models import Event, Exercise, Participant
from sandbox.services.exports import workshop_by_code
from sandbox.services.scoring import report_card
from sandbox.web import poin
from sandbox.web.once import FIELD
from tests.exports_kit import play_workshop
from tests.web.kit import create_session, form_key, join, login


@pytest.fixture
def played(app, clock, accounts):
    """(Bu Ratna's client, the played session's code, trainee ids by name)."""
    result = play_workshop(app, clock, facilitator="ratna")
    with app.app_context():
        ids = {p.name: p.id for p in workshop_by_code(result.code).participants}
    return login(app, "ratna"), result.code, ids


def _cards(app, code):
    with app.app_context():
        return {p.name: report_card(p) for p in workshop_by_code(code).participants}


def test_exports_page_lists_downloads_and_every_trainee(app, played):
    ratna, code, ids = played
    # Ni Luh never acted: listed with the others only when the inactive are included.
    html = ratna.get(f"/fasilitator/sesi/{code}/ekspor?sertakan=1").get_data(as_text=True)
    for kind in ("hasil.xlsx", "hasil.csv", "log.jsonl", "arsip.json.gz"):
        assert f"/fasilitator/sesi/{code}/ekspor/{kind}" in html
    for name, participant_id in ids.items():
        assert name.replace("'", "&#39;") in html
        assert f"/ekspor/peserta/{participant_id}" in html
        assert f"/ekspor/sertifikat/{participant_id}" in html
    session_page = ratna.get(f"/fasilitator/sesi/{code}").get_data(as_text=True)
    assert f"/fasilitator/sesi/{code}/ekspor" in session_page


@pytest.mark.parametrize(("kind", "mimetype"), [
    ("hasil.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("hasil.csv", "text/csv"),
    ("log.jsonl", "application/x-ndjson"),
    ("arsip.json.gz", "application/gzip"),
])
def test_downloads_are_attachments_named_after_the_session(app, played, kind, mimetype):
    ratna, code, _ = played
    response = ratna.get(f"/fasilitator/sesi/{code.lower()}/ekspor/{kind}?sertakan=1")
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert response.headers["Content-Type"].count("charset") <= 1  # never said twice
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and code in disposition
    assert disposition.endswith(kind.split(".", 1)[1] + '"')
    body = response.get_data()
    if kind == "hasil.xlsx":
        book = load_workbook(io.BytesIO(body))
        names = {row[0] for row in book["Ringkasan"].iter_rows(min_row=2, values_only=True)}
        assert names == {"Siti Rahmawati", "Andi Saputra", "Ni Luh Putu Sa'diyah"}
    elif kind == "hasil.csv":
        assert body.startswith(b"\xef\xbb\xbfNama;Unit kerja;")
        assert len(body.decode("utf-8-sig").splitlines()) == 4
    elif kind == "log.jsonl":
        with app.app_context():
            events = db.session.scalar(select(func.count()).select_from(Event))
        types = [json.loads(line)["type"] for line in body.decode().splitlines()]
        assert types.count("event") == events
    else:
        assert json.loads(gzip.decompress(body))["exercise"]["code"] == code


def test_unknown_download_is_a_clear_404(app, played):
    ratna, code, _ = played
    response = ratna.get(f"/fasilitator/sesi/{code}/ekspor/hasil.pdf")
    assert response.status_code == 404
    assert "Tidak ada unduhan «hasil.pdf»" in response.get_data(as_text=True)


def test_trainee_record_shows_the_cards_totals_and_every_report(app, played):
    ratna, code, ids = played
    cards = _cards(app, code)
    for name, participant_id in ids.items():
        response = ratna.get(f"/fasilitator/sesi/{code}/ekspor/peserta/{participant_id}")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        card = cards[name]
        assert name.replace("'", "&#39;") in html
        total = re.search(r'class="big total-pct">([^<]+)<', html).group(1)
        assert total == poin(card.summary.total_pct)
        assert re.search(r'class="big speed-pct">([^<]+)<', html).group(1) == \
            poin(card.summary.speed_pct)
        shown = re.findall(rf'id="score-{participant_id}-(\d+)"', html)
        assert shown == [r.tracking_no for r in card.reports]
        assert "css/print.css" in html and "data-print" in html  # static/js/app.js prints
    everyone = ratna.get(f"/fasilitator/sesi/{code}/ekspor/peserta?sertakan=1").get_data(
        as_text=True)
    assert everyone.count('class="print-page trainee-record"') == 3


def test_certificates_name_the_trainee_session_date_place_and_facilitator(app, played):
    ratna, code, ids = played
    html = ratna.get(f"/fasilitator/sesi/{code}/ekspor/sertifikat/{ids['Andi Saputra']}"
                     ).get_data(as_text=True)
    assert html.count('class="certificate"') == 1
    for text in ("Sertifikat Keikutsertaan", "Andi Saputra", "Dinas PUPR",
                 "Bimtek Admin Penghubung 2026", "Selasa, 10 Maret 2026", "Aula Diskominfo",
                 "Bu Ratna"):
        assert text in html, text
    everyone = ratna.get(f"/fasilitator/sesi/{code}/ekspor/sertifikat?sertakan=1").get_data(
        as_text=True)
    assert everyone.count('class="certificate"') == 3
    assert "Ni Luh Putu Sa&#39;diyah" in everyone


def test_summary_page_lists_everyone_with_their_totals(app, played):
    ratna, code, _ = played
    html = ratna.get(f"/fasilitator/sesi/{code}/ekspor/rekap?sertakan=1").get_data(as_text=True)
    for name, card in _cards(app, code).items():
        row = re.search(rf"<td>{re.escape(name.replace(chr(39), '&#39;'))}</td>.*?"
                        r'class="num total">([^<]+)<', html, re.S)
        assert row and row.group(1) == poin(card.summary.total_pct), name


def test_print_stylesheet_gives_a4_pages(app):
    css = (PACKAGE_DIR / "static" / "css" / "print.css").read_text()
    assert "@media print" in css and "size: A4" in css and "break-after: page" in css
    with app.test_client().get("/static/css/print.css") as response:
        assert response.status_code == 200


def test_a_participant_of_another_session_is_not_found(app, played):
    ratna, code, _ = played
    other = create_session(ratna, title="Sesi lain")
    join(app, other, "Rina", "Dinas Sosial")
    with app.app_context():
        rina = db.session.scalar(select(Participant.id).where(Participant.name == "Rina"))
    for page in ("peserta", "sertifikat"):
        assert ratna.get(f"/fasilitator/sesi/{other}/ekspor/{page}/{rina}?sertakan=1"
                         ).status_code == 200
        response = ratna.get(f"/fasilitator/sesi/{code}/ekspor/{page}/{rina}")
        assert response.status_code == 404
        assert "Peserta tidak ditemukan di sesi ini." in response.get_data(as_text=True)
        for missing in ("999999", "0", "99999999999999999999999"):
            url = f"/fasilitator/sesi/{code}/ekspor/{page}/{missing}"
            assert ratna.get(url).status_code == 404, url


def test_a_session_in_the_lobby_exports_without_errors(app, accounts):
    ratna = login(app, "ratna")
    code = create_session(ratna, held_on="", location="")
    join(app, code, "Rina", "Dinas Sosial")
    for page in ("", "/hasil.csv", "/hasil.xlsx", "/log.jsonl", "/arsip.json.gz", "/rekap",
                 "/sertifikat", "/peserta"):
        response = ratna.get(f"/fasilitator/sesi/{code}/ekspor{page}")
        assert response.status_code == 200, page
    # Without a typed date, the certificate gives the day the session was created (Rina
    # has not acted yet: she gets one when the inactive are included).
    assert "Senin, 2 Maret 2026" in ratna.get(
        f"/fasilitator/sesi/{code}/ekspor/sertifikat?sertakan=1").get_data(as_text=True)


def test_another_facilitator_and_trainees_get_nothing(app, played):
    _, code, ids = played
    budi = login(app, "budi")
    siti = app.test_client()
    with app.app_context():
        token = db.session.get(Participant, ids["Siti Rahmawati"]).token
    assert siti.get(f"/lanjut/{token}").status_code == 303
    pages = ["", "/hasil.csv", "/hasil.xlsx", "/log.jsonl", "/arsip.json.gz", "/rekap",
             "/sertifikat", "/peserta", f"/peserta/{ids['Siti Rahmawati']}",
             f"/sertifikat/{ids['Siti Rahmawati']}"]
    for page in pages:
        url = f"/fasilitator/sesi/{code}/ekspor{page}"
        assert budi.get(url).status_code == 404, url
        assert siti.get(url).status_code == 403, url
        assert app.test_client().get(url).status_code == 303, url


# ------------------------------------------------------------------ importing


def _upload(client, data: bytes, name="arsip.json.gz"):
    # Encoded in memory: the test client spools a large body to a file it never closes.
    boundary, body = encode_multipart({"arsip": FileStorage(io.BytesIO(data), name),
                                       FIELD: form_key()})
    return client.post("/fasilitator/impor-arsip", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def test_an_uploaded_archive_becomes_a_session_of_the_uploader(app, played):
    ratna, code, _ = played
    archive = ratna.get(f"/fasilitator/sesi/{code}/ekspor/arsip.json.gz").get_data()
    budi = login(app, "budi")
    response = _upload(budi, archive)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    new_code = re.search(r'id="imported-code">([A-Z0-9]+)<', html).group(1)
    assert new_code != code and f"kode aslinya {code}" in html
    assert "3 peserta" in html
    assert budi.get(f"/fasilitator/sesi/{new_code}").status_code == 200
    assert ratna.get(f"/fasilitator/sesi/{new_code}").status_code == 404
    before, after = _cards(app, code), _cards(app, new_code)
    assert {n: c.summary for n, c in after.items()} == {n: c.summary for n, c in before.items()}
    home = budi.get("/fasilitator/").get_data(as_text=True)
    assert 'id="import-archive"' in home and new_code in home


@pytest.mark.parametrize(("data", "message"), [
    (b"", "Pilih berkas arsip sesi"),
    (b"ini bukan arsip", "bukan JSON yang sah"),
    (b'{"format": "lapor-sandbox-arsip", "version": 7}', "Arsip versi 7"),
    # Larger than the 2 MB a form may send: the upload limit is the archive's own.
    (b"\x1f\x8b" + b"\x00" * (3 * 1024 * 1024), "isi gzip-nya tidak dapat dibuka"),
])
def test_a_bad_upload_is_explained_and_nothing_is_stored(app, accounts, data, message):
    ratna = login(app, "ratna")
    response = _upload(ratna, data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Exercise)) == 0
