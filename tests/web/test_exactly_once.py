"""Exactly once: every state-changing POST carries a one-time key, so a request sent twice
(a lost answer on a flaky hotspot, a raw double POST) records once and answers the same."""

from __future__ import annotations

import http.client
import io
import re
import threading
import urllib.parse
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.serving import make_server

from sandbox.domain import request_keys as verdicts
from sandbox.extensions import db
from sandbox.models import (
    Complaint,
    Exercise,
    Participant,
    RequestKey,
    SessionEvent,
)
from sandbox.services.accounts import create_facilitator
from sandbox.services.timekeeping import wall_now
from sandbox.web import once as once_module
from sandbox.web.once import FIELD, MISSING_KEY, RECORDED
from tests.web.kit import HX, PASSWORD, FormClient, create_session, form_key, join, login

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

# POST endpoints without a one-time key, and why they need none.
EXEMPT = {
    # Signing in changes only this browser's cookie (and logs the attempt for the rate
    # limit); a repeat signs the same browser in again. A stale login page must keep working.
    "facilitator.login": "a repeat is the same sign-in",
    # A repeat comes with the signed-out cookie (or the stale one, whose session version
    # the first request bumped), so default-deny turns it away before the view runs.
    "facilitator.logout": "a repeat is already signed out",
}
# Report actions keep their own one-time key (`idem_key`, unique on Event).
OWN_KEY = {"reports.perform"}
TOPIC = "jalan-kabupaten-berlubang"
ROSTER = "Nama;OPD;Kohort\nRina Wulandari;Dinas Sosial;Kelompok A\n"
VERIFY = {"judul": "KTP-el belum jadi", "klasifikasi": "pengaduan_tidak_berkadar_pengawasan",
          "kategori": "administrasi_kependudukan", "unit": "disdukcapil"}
FOLLOW_UP = ("Yth. Bapak/Ibu, petugas Disdukcapil telah memeriksa berkas KTP-el Anda pada "
             "Selasa, 3 Maret 2026; pencetakan dijadwalkan pekan depan.")


# ------------------------------------------------------------------ helpers


def post_endpoints(app) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}


def snapshot(app) -> dict[str, list[tuple]]:
    """Every row of every table, the request keys included."""
    with app.app_context():
        return {table.name: [tuple(row) for row in db.session.execute(
                    select(table).order_by(*table.primary_key.columns))]
                for table in db.metadata.sorted_tables}


def key_rows(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [(row.key, row.endpoint) for row in db.session.scalars(select(RequestKey))]


def count(app, model, **where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).filter_by(**where))


def session_log(app, code) -> list[str]:
    with app.app_context():
        exercise = db.session.scalar(select(Exercise).where(Exercise.code == code))
        return list(db.session.scalars(select(SessionEvent.kind).where(
            SessionEvent.exercise_id == exercise.id).order_by(SessionEvent.seq)))


def answer(response) -> tuple:
    """What a browser does with a response: where it goes, or what it shows."""
    target = response.headers.get("Location") or response.headers.get("HX-Redirect")
    body = response.get_data() if target is None else None
    return response.status_code, target, body


def solo(app) -> FlaskClient:
    """A trainee in a short free practice of their own."""
    client = app.test_client()
    started = client.post("/mulai", data={"name": "Ani", "unit_name": "DLH", "scenario": "",
                                          "count": "3"})
    assert started.status_code == 303
    return client


def running(app, clock):
    """Bu Ratna's session, started, with Siti in it: (ratna, code, siti)."""
    ratna = login(app, "ratna")
    code = create_session(ratna)
    siti = join(app, code)
    assert ratna.post(f"/fasilitator/sesi/{code}/kontrol/mulai").status_code == 303
    clock.advance(minutes=2)
    return ratna, code, siti


# ------------------------------------------------------------------ one case per endpoint


@dataclass
class Case:
    send: Callable[[], object]  # posts the same request (same key) each time it is called
    same_page_only: bool = False  # the repeat lands on the same page by another way


def _sender(client, path, fields, **kwargs) -> Callable[[], object]:
    key = form_key()

    def send():
        data = {k: (io.BytesIO(v[0]), v[1]) if isinstance(v, tuple) else v
                for k, v in fields.items()}
        return client.post(path, data={**data, FIELD: key}, **kwargs)

    return send


def case_start(app, clock):
    return Case(_sender(app.test_client(), "/mulai", {
        "name": "Ani", "unit_name": "DLH", "scenario": "", "count": "3"}))


def case_join(app, clock):
    code = create_session(login(app, "ratna"))
    return Case(_sender(app.test_client(), "/ikut", {
        "code": code, "name": "Andi", "unit_name": "Dinas PUPR"}))


def case_rejoin(app, clock):
    code = create_session(login(app, "ratna"))
    join(app, code)
    with app.app_context():
        personal = db.session.scalar(select(Participant.personal_code).where(
            Participant.name == "Siti"))
    return Case(_sender(app.test_client(), "/ikut/lanjut", {
        "code": code, "personal_code": personal}))


def case_leave(app, clock):
    # The repeat carries a signed-out cookie, so default-deny sends it to the landing page
    # before the view runs: the same page, with a `next`.
    return Case(_sender(solo(app), "/keluar", {}), same_page_only=True)


def case_solo_clock(app, clock):
    return Case(_sender(solo(app), "/jam/jeda", {}))


def case_finish(app, clock):
    return Case(_sender(solo(app), "/latihan/akhiri", {}))


def case_refresher(app, clock):
    trainee = solo(app)
    number = re.findall(r"/laporan/(\d+)", trainee.get("/kotak-masuk").get_data(as_text=True))[0]
    decided = trainee.post(f"/laporan/{number}/aksi/arsipkan", data={
        "idem_key": "refresher-case-key-0001", "alasan": "spam"})
    assert decided.status_code == 303
    assert trainee.post("/latihan/akhiri").status_code == 303
    return Case(_sender(trainee, "/hasil/latihan-ulang/mulai", {}))


def case_perform(app, clock):
    trainee = solo(app)
    number = re.findall(r"/laporan/(\d+)", trainee.get("/kotak-masuk").get_data(as_text=True))[0]
    key = "retried-action-key-0001"
    return Case(lambda: trainee.post(f"/laporan/{number}/aksi/tunda", data={
        "idem_key": key, "pertanyaan": "Di mana lokasi tepatnya?"}))


def case_create(app, clock):
    return Case(_sender(login(app, "ratna"), "/fasilitator/sesi", {
        "scenario": "bimtek-dasar", "title": "Bimtek 2026", "held_on": "Selasa, 10 Maret 2026",
        "location": "Aula", "minutes_per_hk": "", "seed": ""}))


def case_clock(app, clock):
    ratna = login(app, "ratna")
    code = create_session(ratna)
    return Case(_sender(ratna, f"/fasilitator/sesi/{code}/kontrol/mulai", {}))


def case_scoreboard(app, clock):
    ratna, code, _ = running(app, clock)
    return Case(_sender(ratna, f"/fasilitator/sesi/{code}/papan/bekukan", {}))


def case_message(app, clock):
    ratna, code, _ = running(app, clock)
    return Case(_sender(ratna, f"/fasilitator/sesi/{code}/pesan",
                        {"pesan": "Lima menit lagi jeda."}))


def case_clear(app, clock):
    ratna, code, _ = running(app, clock)
    ratna.post(f"/fasilitator/sesi/{code}/pesan", data={"pesan": "Lima menit lagi jeda."})
    return Case(_sender(ratna, f"/fasilitator/sesi/{code}/pesan/hapus", {}))


def case_inject(app, clock):
    ratna, code, _ = running(app, clock)
    return Case(_sender(ratna, f"/fasilitator/sesi/{code}/suntik",
                        {"sumber": "topik", "topik": TOPIC}))


def case_admin(app, clock):
    return Case(_sender(login(app, "ratna"), "/fasilitator/admin", {
        "username": "dewi", "name": "Bu Dewi", "password": "sandi-dewi-123"}))


def case_account(app, clock):
    return Case(_sender(login(app, "ratna"), "/fasilitator/akun", {
        "current": PASSWORD, "new": "sandi-baru-456", "repeat": "sandi-baru-456"}))


def case_rate(app, clock):
    ratna, code, siti = running(app, clock)
    with app.app_context():
        number = db.session.scalar(select(Complaint.tracking_no).join(Participant).where(
            Participant.name == "Siti", Complaint.position == 1))
    for action, fields in (("verifikasi", VERIFY), ("tindak_lanjut", {"isi": FOLLOW_UP})):
        done = siti.post(f"/laporan/{number}/aksi/{action}",
                         data={**fields, "idem_key": f"rate-case-{action}-key"})
        assert done.status_code == 303, done.get_data(as_text=True)
    with app.app_context():
        complaint = db.session.scalar(select(Complaint).where(Complaint.tracking_no == number))
        seq = next(e.seq for e in complaint.events if e.action == "tindak_lanjut")
        complaint_id = complaint.id
    return Case(_sender(ratna, f"/fasilitator/sesi/{code}/debrief/nilai", {
        "complaint": str(complaint_id), "tl_seq": str(seq), "rubric": "4", "kembali": ""}))


def case_roster(app, clock):
    ratna = login(app, "ratna")
    code = create_session(ratna)
    return Case(_sender(ratna, f"/fasilitator/sesi/{code}/peserta",
                        {"berkas": (ROSTER.encode(), "peserta.csv")},
                        content_type="multipart/form-data"))


def _participant_id(app, name):
    with app.app_context():
        return db.session.scalar(select(Participant.id).where(Participant.name == name))


def case_rename(app, clock):
    ratna, code, _ = running(app, clock)
    return Case(_sender(ratna, f"/fasilitator/sesi/{code}/peserta/"
                               f"{_participant_id(app, 'Siti')}/ubah",
                        {"name": "Siti Rahmawati", "unit_name": "Dinas Kesehatan"}))


def case_manage(app, clock):
    ratna, code, _ = running(app, clock)
    return Case(_sender(ratna, f"/fasilitator/sesi/{code}/peserta/"
                               f"{_participant_id(app, 'Siti')}/sembunyikan", {}))


def case_merge(app, clock):
    ratna, code, _ = running(app, clock)
    join(app, code, "Siti R.", "Dinas Kesehatan")
    return Case(_sender(ratna, f"/fasilitator/sesi/{code}/peserta/gabung", {
        "simpan": str(_participant_id(app, "Siti")),
        "gabung": str(_participant_id(app, "Siti R."))}))


def case_import(app, clock):
    ratna = login(app, "ratna")
    code = create_session(ratna)
    archive = ratna.get(f"/fasilitator/sesi/{code}/ekspor/arsip.json.gz").get_data()
    return Case(_sender(ratna, "/fasilitator/impor-arsip", {"arsip": (archive, "arsip.json.gz")},
                        content_type="multipart/form-data"))


CASES: dict[str, Callable] = {
    "practice.start": case_start,
    "practice.join_submit": case_join,
    "practice.rejoin_with_code": case_rejoin,
    "practice.leave": case_leave,
    "reports.clock": case_solo_clock,
    "reports.perform": case_perform,
    "results.finish": case_finish,
    "refresher.start": case_refresher,
    "facilitator.create": case_create,
    "facilitator.clock": case_clock,
    "facilitator.scoreboard": case_scoreboard,
    "facilitator.message": case_message,
    "facilitator.clear": case_clear,
    "facilitator.inject": case_inject,
    "facilitator.admin": case_admin,
    "facilitator.account": case_account,
    "debrief.rate": case_rate,
    "roster.upload": case_roster,
    "roster.rename": case_rename,
    "roster.manage": case_manage,
    "roster.merge": case_merge,
    "exports.import_upload": case_import,
}


def test_every_post_endpoint_has_a_key_and_a_case_below(app):
    """A new POST endpoint fails here until it is guarded and has its case in CASES."""
    posts = post_endpoints(app)
    assert posts - EXEMPT.keys() == CASES.keys()
    unguarded = sorted(endpoint for endpoint in posts - EXEMPT.keys() - OWN_KEY
                       if not getattr(app.view_functions[endpoint], "exactly_once", False))
    assert unguarded == []


@pytest.mark.parametrize("endpoint", sorted(CASES))
def test_a_request_sent_twice_records_once_and_answers_the_same(app, accounts, clock, endpoint):
    case = CASES[endpoint](app, clock)
    before = snapshot(app)
    first = case.send()
    assert 200 <= first.status_code < 400, first.get_data(as_text=True)
    recorded = snapshot(app)
    assert recorded != before  # the first request did record something
    clock.advance(minutes=1)  # a second run would stamp other times, even on an update
    second = case.send()
    assert snapshot(app) == recorded
    if case.same_page_only:
        assert second.status_code == first.status_code
        assert urllib.parse.urlsplit(second.headers["Location"]).path == \
            urllib.parse.urlsplit(first.headers["Location"]).path
    else:
        assert answer(second) == answer(first)


# ------------------------------------------------------------------ signing in again


def test_a_retried_join_without_the_first_cookie_signs_in_the_same_trainee(app, workshop):
    _, code, _ = workshop
    data = {"code": code, "name": "Andi", "unit_name": "Dinas PUPR", FIELD: form_key()}
    first = app.test_client().post("/ikut", data=data, headers=HX)
    assert first.status_code == 204
    lost = app.test_client()  # the first answer, cookie and all, never reached the phone
    again = lost.post("/ikut", data=data, headers=HX)
    assert answer(again) == answer(first)
    assert count(app, Participant, name="Andi") == 1
    assert "Andi · Dinas PUPR" in lost.get("/kotak-masuk").get_data(as_text=True)
    # Resent as a plain form (no JavaScript): the same place, as a 303.
    plain = app.test_client().post("/ikut", data=data)
    assert plain.status_code == 303
    assert plain.headers["Location"] == first.headers["HX-Redirect"]
    assert count(app, Participant, name="Andi") == 1


def test_a_retried_start_signs_in_the_same_new_trainee(app):
    data = {"name": "Ani", "unit_name": "DLH", "scenario": "", "count": "3",
            FIELD: form_key()}
    first = app.test_client().post("/mulai", data=data)
    lost = app.test_client()
    assert answer(lost.post("/mulai", data=data)) == answer(first)
    assert count(app, Participant) == 1
    assert "Ani · DLH" in lost.get("/kotak-masuk").get_data(as_text=True)


# ------------------------------------------------------------------ refused repeats


def test_a_key_used_at_another_address_is_refused_and_records_nothing(app, accounts, clock):
    ratna, code, _ = running(app, clock)
    key = form_key()
    sent = ratna.post(f"/fasilitator/sesi/{code}/pesan", data={"pesan": "Halo", FIELD: key})
    assert sent.status_code == 303
    before = snapshot(app)
    reused = ratna.post(f"/fasilitator/sesi/{code}/suntik",
                        data={"sumber": "topik", "topik": TOPIC, FIELD: key})
    assert reused.status_code == 409
    assert verdicts.OTHER_ADDRESS in reused.get_data(as_text=True)
    assert snapshot(app) == before


def test_a_key_of_another_signed_in_user_is_refused(app, accounts, clock):
    ratna, code, _ = running(app, clock)
    fields = {"sumber": "topik", "topik": TOPIC, FIELD: form_key()}
    assert ratna.post(f"/fasilitator/sesi/{code}/suntik", data=fields).status_code == 303
    budi = login(app, "budi")
    before = snapshot(app)
    refused = budi.post(f"/fasilitator/sesi/{code}/suntik", data=fields)
    assert refused.status_code == 409
    assert verdicts.OTHER_USER in refused.get_data(as_text=True)
    assert snapshot(app) == before
    assert session_log(app, code).count("suntik") == 1


def test_a_join_key_cannot_sign_in_someone_already_signed_in_as_another(app, workshop):
    _, code, siti = workshop
    fields = {"code": code, "name": "Andi", "unit_name": "Dinas PUPR", FIELD: form_key()}
    assert app.test_client().post("/ikut", data=fields).status_code == 303
    before = snapshot(app)
    refused = siti.post("/ikut", data=fields)
    assert refused.status_code == 409
    assert verdicts.OTHER_USER in refused.get_data(as_text=True)
    assert snapshot(app) == before
    assert "Siti · Dinas Kesehatan" in siti.get("/kotak-masuk").get_data(as_text=True)


def test_the_same_key_with_other_fields_is_refused(app, accounts, clock):
    """A stale page (Back button) sent with new text must not vanish into the old answer."""
    ratna, code, _ = running(app, clock)
    key = form_key()
    first = ratna.post(f"/fasilitator/sesi/{code}/pesan", data={"pesan": "Halo", FIELD: key})
    assert first.status_code == 303
    changed = ratna.post(f"/fasilitator/sesi/{code}/pesan", data={"pesan": "Jeda", FIELD: key},
                         headers=HX)
    assert changed.status_code == 409
    assert verdicts.OTHER_FIELDS in changed.get_data(as_text=True)
    assert session_log(app, code).count("pesan") == 1


@pytest.mark.parametrize("key", [None, "", "pendek", "x" * 65, "kunci dengan spasi!!"])
def test_a_post_without_a_good_key_is_refused_with_a_reload_hint(app, accounts, clock, key):
    ratna, code, _ = running(app, clock)
    cookie = ratna.get_cookie("session").value
    raw = FlaskClient(app)  # no form key added
    raw.set_cookie("session", cookie)
    fields = {"sumber": "topik", "topik": TOPIC}
    if key is not None:
        fields[FIELD] = key
    before = snapshot(app)
    refused = raw.post(f"/fasilitator/sesi/{code}/suntik", data=fields)
    assert refused.status_code == 400
    assert MISSING_KEY in refused.get_data(as_text=True)
    assert snapshot(app) == before


# ------------------------------------------------------------------ refused first requests


def test_a_refused_request_leaves_no_key_and_a_corrected_resubmit_runs(app, accounts, clock):
    ratna, code, _ = running(app, clock)
    key = form_key()
    keys_before = key_rows(app)
    bad = ratna.post(f"/fasilitator/sesi/{code}/suntik",
                     data={"sumber": "topik", "topik": "tidak-ada", FIELD: key})
    assert bad.status_code == 422
    assert key_rows(app) == keys_before
    good = ratna.post(f"/fasilitator/sesi/{code}/suntik",
                      data={"sumber": "topik", "topik": TOPIC, FIELD: key})
    assert good.status_code == 303
    assert session_log(app, code).count("suntik") == 1
    assert len(key_rows(app)) == len(keys_before) + 1


def test_a_refused_join_can_be_corrected_with_the_same_key(app, workshop):
    _, code, _ = workshop
    phone = app.test_client()
    key = form_key()
    blank = phone.post("/ikut", data={"code": code, "name": "", "unit_name": "Dinas PUPR",
                                      FIELD: key}, headers=HX)
    assert blank.status_code == 422
    assert not any(row[0] == key for row in key_rows(app))
    fixed = phone.post("/ikut", data={"code": code, "name": "Andi", "unit_name": "Dinas PUPR",
                                      FIELD: key}, headers=HX)
    assert fixed.status_code == 204
    assert count(app, Participant, name="Andi") == 1


def test_a_request_whose_answer_was_never_stored_is_not_run_again(app, accounts, clock,
                                                                monkeypatch):
    """The server died between the action's commit and its answer: say so, record nothing."""
    ratna, code, _ = running(app, clock)
    fields = {"sumber": "topik", "topik": TOPIC, FIELD: form_key()}
    assert ratna.post(f"/fasilitator/sesi/{code}/suntik", data=fields).status_code == 303
    with app.app_context():
        row = db.session.scalar(select(RequestKey).where(RequestKey.key == fields[FIELD]))
        row.result = {k: v for k, v in row.result.items() if k != "answer"}
        db.session.commit()
    monkeypatch.setattr(once_module, "PENDING_WAIT_SECONDS", 0.2)
    before = snapshot(app)
    again = ratna.post(f"/fasilitator/sesi/{code}/suntik", data=fields)
    assert again.status_code == 409
    assert RECORDED in again.get_data(as_text=True)
    assert snapshot(app) == before


def _add_key(app, key, age):
    with app.app_context():
        db.session.add(RequestKey(key=key, endpoint="/fasilitator/sesi", result={},
                                  wall_at=wall_now() - age))
        db.session.commit()


def test_keys_older_than_two_days_are_pruned_now_and_then(app, accounts, clock):
    ratna = login(app, "ratna")
    _add_key(app, "old-key-three-days", timedelta(days=3))
    _add_key(app, "young-key-one-day", timedelta(days=1))
    create_session(ratna)
    kept = [key for key, _ in key_rows(app)]
    assert "old-key-three-days" not in kept
    assert "young-key-one-day" in kept
    # At most hourly: a key that grows old within the hour waits for the next round.
    _add_key(app, "old-key-second-round", timedelta(days=3))
    create_session(ratna)
    assert "old-key-second-round" in [key for key, _ in key_rows(app)]
    clock.advance(minutes=61)
    create_session(ratna)
    assert "old-key-second-round" not in [key for key, _ in key_rows(app)]


# ------------------------------------------------------------------ the forms


def test_every_post_form_carries_a_one_time_key():
    forms = []
    for path in TEMPLATES.rglob("*.html"):
        for head, body in re.findall(r'(<form\b[^>]*method="post"[^>]*>)(.*?)</form>',
                                     path.read_text(), re.S):
            if "facilitator.login" in head or "facilitator.logout" in head:
                continue
            forms.append(path.name)
            assert '{% include "_form_key.html" %}' in body or 'name="idem_key"' in body, \
                f"{path.relative_to(TEMPLATES)}: {head}"
    assert len(forms) >= 15
    assert 'name="kunci"' in (TEMPLATES / "_form_key.html").read_text()


def test_pages_hand_out_fresh_keys(app, workshop):
    _, code, siti = workshop
    join_page = app.test_client().get(f"/ikut/{code}").get_data(as_text=True)
    keys = re.findall(r'name="kunci" value="([^"]+)"', join_page)
    assert len(keys) == 2 and len(set(keys)) == 2  # the join and rejoin forms
    leave = siti.get("/keluar").get_data(as_text=True)  # the «Keluar» confirm step
    assert re.search(r'name="kunci" value="[A-Za-z0-9_-]{24}"', leave)


# ------------------------------------------------------------------ raw double POSTs


@pytest.fixture
def any_db_app(any_app):
    """The app on SQLite and on PostgreSQL, with Bu Ratna's account."""
    any_app.test_client_class = FormClient
    with any_app.app_context():
        create_facilitator("ratna", "Bu Ratna", PASSWORD, is_admin=True)
        db.session.commit()
    return any_app


@pytest.fixture
def server(any_db_app):
    srv = make_server("127.0.0.1", 0, any_db_app, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv.server_port
    srv.shutdown()
    thread.join(5)


def _raw_posts(port: int, path: str, fields: dict[str, str], cookie: str = "",
               times: int = 8) -> list[tuple[int, str | None, str | None]]:
    """`times` identical POSTs sent at the same moment; (status, Location, session cookie)."""
    start = threading.Barrier(times)

    def send(_):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        body = urllib.parse.urlencode(fields)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if cookie:
            headers["Cookie"] = cookie
        start.wait()
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        conn.close()
        return response.status, response.getheader("Location"), response.getheader("Set-Cookie")

    with ThreadPoolExecutor(times) as pool:
        return list(pool.map(send, range(times)))


def _signed_in_as(app, set_cookie: str) -> str:
    client = app.test_client()
    client.set_cookie("session", set_cookie.split(";", 1)[0].split("=", 1)[1])
    html = client.get("/kotak-masuk").get_data(as_text=True)
    return re.search(r'<span class="who" title="Peserta">([^<]+)</span>', html).group(1)


def test_raw_double_joins_record_one_trainee(any_db_app, server):
    app = any_db_app
    code = create_session(login(app, "ratna"))
    fields = {"code": code, "name": "Andi", "unit_name": "Dinas PUPR", FIELD: form_key()}
    answers = _raw_posts(server, "/ikut", fields)
    assert {(status, location) for status, location, _ in answers} == {(303, "/kotak-masuk?baru=1")}
    assert count(app, Participant, name="Andi") == 1
    assert {_signed_in_as(app, cookie) for _, _, cookie in answers} == {"Andi · Dinas PUPR"}


def test_raw_double_injects_record_one_report(any_db_app, clock, server):
    app = any_db_app
    ratna, code, _ = running(app, clock)
    reports = count(app, Complaint)
    fields = {"sumber": "topik", "topik": TOPIC, FIELD: form_key()}
    answers = _raw_posts(server, f"/fasilitator/sesi/{code}/suntik", fields,
                         cookie=f"session={ratna.get_cookie('session').value}")
    assert {(status, location) for status, location, _ in answers} == {
        (303, f"/fasilitator/sesi/{code}")}
    assert session_log(app, code).count("suntik") == 1
    assert count(app, Complaint) == reports + 1  # Siti's copy of the injected report
