"""Importing through the web: the archive form's own size limit, pages that render for
whatever an import accepts, round trips of real and tricky sessions, and two imports at
once."""

from __future__ import annotations

import csv
import gzip
import http.client
import io
import json
import re
import secrets
import threading
import urllib.parse

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.serving import make_server
from werkzeug.test import encode_multipart

from sandbox.domain.fields import HELD_ON_MAX, LOCATION_MAX, TITLE_MAX
from sandbox.extensions import db
from sandbox.models import Complaint, Exercise, Participant
from sandbox.services.archive import archive_data
from sandbox.services.complaints import record_action, visible_complaints
from sandbox.services.roster import import_roster
from sandbox.services.session_log import MESSAGE_MAX, broadcast
from sandbox.services.timekeeping import command_clock
from sandbox.services.workshops import WorkshopForm, create_workshop
from sandbox.web.exports import ARCHIVE_UPLOAD_MAX
from tests.conftest import build_app
from tests.exports_kit import facilitator_named
from tests.upload_kit import MB, exercise_by_code, stage_workshop
from tests.web.kit import PASSWORD, FormClient, login

FORM_KEY = "kunci"


def _multipart(fields: dict) -> tuple[str, bytes]:
    """A form body made in memory (the test client would spool a large one to a file)."""
    return encode_multipart({FORM_KEY: secrets.token_urlsafe(18), **fields})


def _upload(client, data: bytes, **extra):
    boundary, body = _multipart({"arsip": FileStorage(io.BytesIO(data), "arsip.json.gz"),
                                 **extra})
    return client.post("/fasilitator/impor-arsip", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def _imported_code(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return re.search(r'id="imported-code">([A-Z0-9]+)<', response.get_data(as_text=True)).group(1)


# ------------------------------------------------------------------ the form's own limit


@pytest.fixture
def csrf_app(tmp_path, clock):
    app = build_app(tmp_path, clock, WTF_CSRF_ENABLED=True)
    app.test_client_class = FormClient
    with app.app_context():
        facilitator_named("ratna")
        db.session.commit()
    return app


def _csrf_login(app):
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      client.get("/fasilitator/masuk").get_data(as_text=True)).group(1)
    response = client.post("/fasilitator/masuk", data={
        "username": "ratna", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303
    home = client.get("/fasilitator/").get_data(as_text=True)
    return client, re.search(r'name="csrf_token" value="([^"]+)"', home).group(1)


def _padded_archive(app, clock, size: int) -> bytes:
    """A valid archive of `size` bytes: a real session, stored uncompressed and padded
    with the whitespace JSON allows."""
    staged = stage_workshop(app, clock, trainees=2, minutes=6, username="budi")
    with app.app_context():
        text = json.dumps(archive_data(exercise_by_code(staged.code)))
        db.session.commit()
    body = text.encode() + b" " * max(0, size - len(text) - 40)
    return gzip.compress(body, compresslevel=0)


def test_a_3mb_archive_passes_csrf_and_imports(csrf_app, clock):
    archive = _padded_archive(csrf_app, clock, 3 * MB)
    assert 3 * MB <= len(archive) < 4 * MB
    client, token = _csrf_login(csrf_app)
    code = _imported_code(_upload(client, archive, csrf_token=token))
    assert client.get(f"/fasilitator/sesi/{code}").status_code == 200


def test_the_csrf_check_still_applies_to_a_large_upload(csrf_app, clock):
    archive = _padded_archive(csrf_app, clock, 3 * MB)
    client, _ = _csrf_login(csrf_app)
    response = _upload(client, archive)
    assert response.status_code == 400 and "CSRF" in response.get_data(as_text=True)


def test_the_413_page_names_the_limit_of_the_form_in_use(csrf_app, clock):
    client, token = _csrf_login(csrf_app)
    response = _upload(client, b"\x1f\x8b" + b"\x00" * (ARCHIVE_UPLOAD_MAX + MB),
                       csrf_token=token)
    assert response.status_code == 413
    assert "melebihi batas 64 MB" in response.get_data(as_text=True)
    with csrf_app.app_context():
        code = create_workshop(facilitator_named("ratna"), WorkshopForm(
            scenario="bimtek-dasar", title="Bimtek", held_on="", location="",
            minutes_per_hk="", seed="")).code
        db.session.commit()
    boundary, body = _multipart({"csrf_token": token, "berkas": FileStorage(
        io.BytesIO(b"Nama;OPD\n" + b"Siti;Dinkes\n" * (3 * MB // 12)), "peserta.csv")})
    response = client.post(f"/fasilitator/sesi/{code}/peserta", data=body,
                           content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413
    assert "melebihi batas 2 MB" in response.get_data(as_text=True)


# ------------------------------------------------------------------ the workshop form


def test_the_workshop_form_accepts_what_its_columns_hold(app, accounts):
    ratna = login(app, "ratna")
    page = ratna.get("/fasilitator/").get_data(as_text=True)
    for name, maximum in (("title", TITLE_MAX), ("held_on", HELD_ON_MAX),
                          ("location", LOCATION_MAX)):
        assert re.search(rf'id="{name}" name="{name}"[^>]* maxlength="{maximum}"', page), name
    response = ratna.post("/fasilitator/sesi", data={
        "scenario": "bimtek-dasar", "title": "Bimtek", "held_on": "x" * (HELD_ON_MAX + 1),
        "location": "", "minutes_per_hk": "", "seed": ""})
    assert response.status_code == 422
    assert f"Tanggal terlalu panjang: maksimal {HELD_ON_MAX} karakter." in \
        response.get_data(as_text=True)


# ------------------------------------------------------------------ round trips


def _comparable(data: dict) -> dict:
    """An archive without what an import may renumber: ids and the export's own stamp."""
    ids = {key: {row["id"]: i for i, row in enumerate(data[key])}
           for key in ("participants", "complaints")}

    def strip(row: dict) -> dict:
        row = {k: v for k, v in row.items() if k not in ("id", "exercise_id", "facilitator_id")}
        for column in ("participant_id", "team_id", "merged_into_id"):
            if row.get(column) is not None:  # an event's author may be nobody (a script)
                row[column] = ids["participants"][row[column]]
        if "complaint_id" in row:
            row["complaint_id"] = ids["complaints"][row["complaint_id"]]
        if str(row.get("idem_key", "")).startswith("auto-"):
            row["idem_key"] = "auto"
        return row

    return {key: [strip(r) for r in value] if isinstance(value, list)
            else strip(value) if isinstance(value, dict) else value
            for key, value in data.items()
            if key not in ("exported_at", "facilitator")}


def _pages(client, code: str) -> list[str]:
    """Every facilitator page of a session, and its downloads."""
    with client.application.app_context():
        exercise = exercise_by_code(code)
        first = min(p.id for p in exercise.participants)
        position = db.session.scalar(select(func.min(Complaint.position))
                                     .where(Complaint.exercise_id == exercise.id))
    base = f"/fasilitator/sesi/{code}"
    return [base, f"{base}/debrief", f"{base}/debrief/{position}",
            f"{base}/debrief/peserta/{first}", f"{base}/ekspor", f"{base}/ekspor/peserta",
            f"{base}/ekspor/peserta/{first}", f"{base}/ekspor/sertifikat", f"{base}/ekspor/rekap",
            f"{base}/peserta", f"{base}/peserta/kartu", f"{base}/layar",
            f"{base}/ekspor/hasil.csv", f"{base}/ekspor/hasil.xlsx", f"{base}/ekspor/log.jsonl",
            f"{base}/ekspor/arsip.json.gz", "/fasilitator/"]


def assert_renders(app, client, code: str) -> None:
    """The facilitator's pages and every trainee's inbox, reports and card return 200."""
    for url in _pages(client, code):
        response = client.get(url)
        assert response.status_code == 200, (url, response.get_data(as_text=True)[:500])
    with app.app_context():
        tokens = [p.token for p in exercise_by_code(code).participants]
    for token in tokens:
        trainee = app.test_client()
        assert trainee.get(f"/lanjut/{token}").status_code == 303
        inbox = trainee.get("/kotak-masuk")
        assert inbox.status_code == 200
        for number in sorted(set(re.findall(r'href="/laporan/([^"/]+)"',
                                            inbox.get_data(as_text=True))))[:3]:
            assert trainee.get(f"/laporan/{number}").status_code == 200, number
        assert trainee.get("/hasil").status_code == 200


@pytest.fixture
def laptop_b(tmp_path, clock):
    """Another laptop: its own database, the same clock, Pak Sari as its facilitator."""
    app = build_app(tmp_path / "b", clock)
    app.test_client_class = FormClient
    with app.app_context():
        facilitator_named("sari")
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


def _round_trip(app, laptop_b, code: str) -> str:
    ratna = login(app, "ratna")
    exported = ratna.get(f"/fasilitator/sesi/{code}/ekspor/arsip.json.gz")
    assert exported.status_code == 200
    sari = login(laptop_b, "sari")
    new_code = _imported_code(_upload(sari, exported.get_data()))
    assert new_code == code  # free on the other laptop: kept
    with app.app_context():
        before = _comparable(archive_data(exercise_by_code(code)))
        db.session.commit()
    with laptop_b.app_context():
        after = _comparable(archive_data(exercise_by_code(code)))
        db.session.commit()
    assert after == before
    assert_renders(laptop_b, sari, code)
    return code


def test_a_staged_demo_session_round_trips(app, laptop_b, clock):
    staged = stage_workshop(app, clock, trainees=6, minutes=20)
    _round_trip(app, laptop_b, staged.code)


TITLE = ("Bimtek «Admin Penghubung» SP4N-LAPOR! — Kab. Sukamaju 🇮🇩 \"angkatan\" 'II' & <b>"
         "Dinas Komunikasi, Informatika, Statistik dan Persandian ")
NAME = "Ni Luh Putu Sa'diyah \"Dewi\" Ayu Ketut Widyaningsih Ñoño 😀 "
UNIT = "Dinas Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk & KB «DP3AP2KB» "


def _longest(text: str, size: int) -> str:
    """`text` repeated to exactly `size` characters, ending in a letter (forms trim)."""
    repeated = (text * (size // len(text) + 1))[:size]
    return repeated[:-1] + "x" if repeated[-1].isspace() else repeated


def test_a_session_of_maximum_length_and_tricky_values_round_trips(app, laptop_b, accounts,
                                                                   clock):
    with app.app_context():
        ratna = facilitator_named("ratna")
        exercise = create_workshop(ratna, WorkshopForm(
            scenario="bimtek-dasar", title=_longest(TITLE, TITLE_MAX),
            held_on=_longest("Selasa, 10 Maret 2026 (pagi) ", HELD_ON_MAX),
            location=_longest("Aula «Pendopo» Kabupaten, Jl. Merdeka No. 1 ", LOCATION_MAX),
            minutes_per_hk="", seed="7"))
        cohort = _longest("Kelompok «A» — Sa'diyah 🌺 ", 80)
        out = io.StringIO()
        csv.writer(out, delimiter=";").writerows(
            [("Nama", "OPD", "Kohort")]
            + [(_longest(f"{i} " + NAME, 120), _longest(UNIT, 160), cohort) for i in range(2)])
        listing = out.getvalue()
        added = import_roster(exercise, "daftar «hadir».csv", listing.encode("utf-8-sig"),
                              ratna.name)
        assert [len(p.name) for p in added] == [120, 120]
        first_id = added[0].id
        command_clock(exercise, "mulai", ratna.name)
        broadcast(exercise, ratna.name, _longest("Pesan «penting» 😀 \"segera\" ", MESSAGE_MAX))
        code = exercise.code
        db.session.commit()
    clock.advance(minutes=5)
    with app.app_context():
        participant = db.session.get(Participant, first_id)
        complaint = visible_complaints(participant)[0]
        key = complaint.answer_key
        judul = _longest("Jalan «rusak» di Desa Sukamaju 😀 \"RT 03\" ", 200)
        if key["expected_action"] in ("disposisi", "kelola_sendiri"):
            record_action(participant, complaint.tracking_no, "kelola_sendiri", {
                "judul": judul, "klasifikasi": key["klasifikasi"], "kategori": key["kategori"],
                "rahasia": "1"}, "f" * 20)
        else:
            record_action(participant, complaint.tracking_no, "tunda", {
                "pertanyaan": _longest("Mohon «lokasi» persisnya? 😀 ", 1000)}, "f" * 20)
        db.session.commit()
    _round_trip(app, laptop_b, code)
    with laptop_b.app_context():
        copy = exercise_by_code(code)
        assert copy.title == _longest(TITLE, TITLE_MAX) and len(copy.held_on) == HELD_ON_MAX
        assert {p.cohort for p in copy.participants} == {cohort}


def test_a_lowercase_code_in_an_archive_is_listed_and_opens(app, accounts, clock):
    staged = stage_workshop(app, clock, trainees=1, minutes=4, username="ratna")
    with app.app_context():
        data = archive_data(exercise_by_code(staged.code))
        db.session.commit()
    data["exercise"]["code"] = "qwer23"
    budi = login(app, "budi")
    code = _imported_code(_upload(budi, json.dumps(data).encode()))
    assert code == "QWER23"
    assert "QWER23" in budi.get("/fasilitator/").get_data(as_text=True)
    assert_renders(app, budi, code)


@pytest.mark.parametrize("change", ["office hours", "held_on", "nul"])
def test_what_import_refuses_is_explained_on_the_page(app, accounts, clock, change):
    staged = stage_workshop(app, clock, trainees=1, minutes=4, username="ratna")
    with app.app_context():
        data = archive_data(exercise_by_code(staged.code))
        db.session.commit()
        count = db.session.scalar(select(func.count()).select_from(Exercise))
    if change == "office hours":
        data["exercise"]["settings"]["office_start"] = "25:99"
    elif change == "held_on":
        data["exercise"]["held_on"] = "x" * 160
    else:
        data["participants"][0]["name"] = "Siti\x00"
    response = _upload(login(app, "budi"), json.dumps(data).encode())
    assert response.status_code == 422
    assert "tidak ada yang diimpor" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Exercise)) == count


# ------------------------------------------------------------------ two imports at once


@pytest.fixture
def any_server(any_app):
    server = make_server("127.0.0.1", 0, any_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield any_app, server.server_port
    server.shutdown()
    thread.join(5)


def _http_login(port: int) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    body = urllib.parse.urlencode({"username": "ratna", "password": PASSWORD,
                                   FORM_KEY: secrets.token_urlsafe(18)})
    conn.request("POST", "/fasilitator/masuk", body=body,
                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    response.read()
    conn.close()
    assert response.status == 303
    return response.getheader("Set-Cookie").split(";", 1)[0]


def test_two_imports_of_one_archive_at_once_both_succeed(any_server, clock):
    app, port = any_server
    staged = stage_workshop(app, clock, trainees=2, minutes=6, username="ratna")
    with app.app_context():
        data = archive_data(exercise_by_code(staged.code))
        db.session.commit()
    data["exercise"]["code"] = "SAMA23"  # free here: both imports want it
    archive = json.dumps(data).encode()
    cookie = _http_login(port)
    barrier = threading.Barrier(2)
    results: list[tuple[int, str]] = []

    def send() -> None:
        boundary, body = _multipart({"arsip": FileStorage(io.BytesIO(archive), "a.json")})
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        barrier.wait()
        conn.request("POST", "/fasilitator/impor-arsip", body=body, headers={
            "Cookie": cookie, "Content-Type": f"multipart/form-data; boundary={boundary}"})
        response = conn.getresponse()
        results.append((response.status, response.read().decode()))
        conn.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(180)
    assert sorted(status for status, _ in results) == [200, 200], [s for s, _ in results]
    codes = {re.search(r'id="imported-code">([A-Z0-9]+)<', html).group(1) for _, html in results}
    assert len(codes) == 2 and "SAMA23" in codes
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Exercise)
                                 .where(Exercise.code.in_(codes))) == 2
