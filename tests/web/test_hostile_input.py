"""Hostile input through every form and query parameter: never a 5xx, and nothing stored.

The endpoints come from the app's URL map, so a new one fails `test_every_endpoint_has_an_entry`
until it is added to CASES below with its fields. For each endpoint Hypothesis sends,
as the right signed-in person, requests whose fields (and, for some, path parts) carry
hostile values: control characters and NUL, lone surrogates, 10,000-character strings,
5,000-digit numbers, "²" and other non-ASCII digits, negative and overflowing numbers,
blanks, HTML/JS and template injection, right-to-left overrides. The other fields keep
valid values, so the hostile one reaches its parser. After each request:
- the status is below 500;
- a refused request (4xx) left every table exactly as it was (row counts and contents);
- a successful one only added or changed rows in the tables that endpoint is for;
- no stored text holds a control character.
Uploads (participant list, session archive) get files that are valid but for hostile
text in their cells.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select
from werkzeug.security import check_password_hash, generate_password_hash

from sandbox.domain.clock import ManualClock
from sandbox.domain.text import FORBIDDEN
from sandbox.extensions import db
from sandbox.models import AuthAttempt, Complaint, Participant
from sandbox.services import accounts
from sandbox.services.accounts import create_facilitator
from sandbox.web import FACILITATOR_BLUEPRINTS, PUBLIC_ENDPOINTS
from sandbox.web.once import FIELD as KEY_FIELD
from tests.conftest import build_app
from tests.web.kit import HX, PASSWORD, FormClient, create_session, form_key, join, login

EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "12"))

HOSTILE = st.one_of(
    st.sampled_from([
        "\x00", "a\x00b", "Siti\x1b[31m", "\x7f", "\x08\x07", "\ud800", "x\udfffy",
        "x" * 10_000, "9" * 5000, "-" + "9" * 5000, "²", "١٢", "１２", "-1", "0", "-0",
        "99999999999999999999", "2147483648", "4294967296", "1e400", "nan", "inf", "1,5",
        "0,25", "  ", "", "\t\n", "\u00a0", "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>', "{{ 7*7 }}", "{% raw %}", "' OR 1=1 --",
        "\u202egnp.exe", "\ufeff", "../../etc/passwd", "%00", "null", "[]", "{}",
    ]),
    st.text(max_size=40),
    st.integers().map(str),
    st.from_regex(r"[0-9]{1,25}", fullmatch=True),
)


@dataclass(frozen=True)
class Case:
    """How to send one endpoint: who, which fields (valid values), and what it may add."""

    role: str  # "anonym", "trainee", "solo_end", "facilitator", "budi"
    fields: dict[str, str] = field(default_factory=dict)
    path: dict[str, str] = field(default_factory=dict)
    adds: frozenset[str] = frozenset()  # tables a success may add rows to
    updates: frozenset[str] = frozenset()  # tables whose rows a success may change
    upload: str | None = None  # a file field filled with a valid file holding hostile text


def case(role: str, fields: dict[str, str] | None = None, path: dict[str, str] | None = None,
         adds: str = "", updates: str = "", upload: str | None = None) -> Case:
    return Case(role, fields or {}, path or {}, frozenset(adds.split()),
                frozenset(updates.split()), upload)


CODE = {"code": "{code}"}
# Every (endpoint, method) of the app. Values in braces come from the staged session.
CASES: dict[tuple[str, str], Case] = {
    # public pages
    ("practice.landing", "GET"): case("anonym", {"next": "/kotak-masuk", "keluar": "1"}),
    ("practice.health", "GET"): case("anonym"),
    ("practice.join", "GET"): case("anonym"),
    ("practice.join_with_code", "GET"): case("anonym", {"pribadi": "{personal}"}, CODE),
    ("practice.rejoin", "GET"): case("anonym", path={"token": "{token}"}),
    ("practice.start", "POST"): case(
        "anonym", {"name": "Siti", "unit_name": "Dinas Kesehatan", "seed": "7", "count": "3",
                   "region": "", "scenario": ""},
        adds="exercise participant complaint clock_change session_event"),
    ("practice.join_submit", "POST"): case(
        "anonym", {"code": "{code}", "name": "Andi", "unit_name": "Dinas PUPR", "cohort": "",
                   "kursi": ""},
        adds="participant complaint"),
    ("practice.rejoin_with_code", "POST"): case(
        "anonym", {"code": "{code}", "personal_code": "{personal}"}),
    ("facilitator.login", "GET"): case("anonym", {"next": "/fasilitator/"}),
    ("facilitator.login", "POST"): case("anonym", {"username": "ratna", "password": PASSWORD}),
    # a trainee's pages (free practice)
    ("practice.leave", "POST"): case("solo_end", updates="participant"),
    ("practice.leave_confirm", "GET"): case("trainee"),
    ("results.finish", "POST"): case("solo_end", adds="clock_change session_event event",
                                     updates="complaint"),
    ("results.card", "GET"): case("trainee"),
    # a refresher scenario (refused here: the staged sessions have not ended)
    ("refresher.download", "GET"): case("solo_end"),
    ("refresher.start", "POST"): case(
        "solo_end", adds="exercise participant complaint clock_change session_event"),
    ("reports.inbox", "GET"): case("trainee", {"status": "baru", "baru": "1"}),
    ("reports.pulse", "GET"): case("trainee", {"v": "0.0.berjalan.2026030209.0"}),
    ("reports.clock", "POST"): case("trainee", {"menit_per_hk": "4"}, {"kind": "kecepatan"},
                                    adds="clock_change session_event", updates="exercise"),
    ("reports.report", "GET"): case("trainee", {"aksi": "verifikasi"},
                                    {"tracking_no": "{tracking}"}),
    ("reports.action_form", "GET"): case("trainee", path={"tracking_no": "{tracking}",
                                                          "action": "verifikasi"}),
    ("reports.perform", "POST"): case(
        "trainee", {"idem_key": "", "judul": "Air PDAM mati", "klasifikasi": "{klasifikasi}",
                    "kategori": "{kategori}", "unit": "{unit}", "catatan": "Segera",
                    "rahasia": "", "anonim": "", "alasan": "tidak-lengkap",
                    "pertanyaan": "Di mana?", "isi": "Sudah ditangani", "akhir": "1",
                    "instansi": "pln", "bintang": "5"},
        {"tracking_no": "{tracking}", "action": "verifikasi"}, adds="event",
        updates="complaint"),
    # the facilitator's pages
    ("facilitator.home", "GET"): case("facilitator"),
    ("facilitator.logout", "POST"): case("budi", updates="facilitator"),
    ("facilitator.account", "GET"): case("budi"),
    ("facilitator.account", "POST"): case(
        "budi", {"current": "{budi_password}", "new": "kata-sandi-baru-1",
                 "repeat": "kata-sandi-baru-1"}, updates="facilitator"),
    ("facilitator.admin", "GET"): case("facilitator"),
    ("facilitator.admin", "POST"): case(
        "facilitator", {"username": "dewi", "name": "Bu Dewi", "password": "rahasia-456",
                        "is_admin": ""}, adds="facilitator"),
    ("facilitator.create", "POST"): case(
        "facilitator", {"scenario": "bimtek-dasar", "title": "Bimtek", "held_on": "Selasa",
                        "location": "Aula", "minutes_per_hk": "4", "seed": "11", "mode": "",
                        "skill": "", "studi": ""},
        adds="exercise"),
    ("facilitator.workshop", "GET"): case("facilitator", path=CODE),
    # comparing sessions (studi komparasi): reads only
    ("comparison.index", "GET"): case("facilitator", {"sesi": "{code}", "izinkan": "1",
                                                      "studi": "", "cocok": "0123456789ab"}),
    ("comparison.workbook", "GET"): case("facilitator", {"sesi": "{code}", "izinkan": "1",
                                                         "studi": "", "cocok": "0123456789ab"}),
    ("comparison.people", "GET"): case("facilitator", {"sesi": "{code}", "izinkan": "1",
                                                       "studi": "", "cocok": "0123456789ab"}),
    ("facilitator.clock", "POST"): case("facilitator", {"menit_per_hk": "4"},
                                        {**CODE, "kind": "kecepatan"},
                                        adds="clock_change session_event", updates="exercise"),
    ("facilitator.scoreboard", "POST"): case(
        "facilitator", {"kembali": "layar", "urut": "total", "top": "10"},
        {**CODE, "kind": "bekukan"}, adds="session_event"),
    ("facilitator.message", "POST"): case("facilitator", {"pesan": "Istirahat 10 menit"}, CODE,
                                          adds="session_event"),
    ("facilitator.clear", "POST"): case("facilitator", path=CODE, adds="session_event"),
    ("facilitator.inject", "POST"): case(
        "facilitator", {"sumber": "tulis", "topik": "pdam-air-mati", "text": "Air mati",
                        "channel": "web", "expected_action": "disposisi", "target": "pdam",
                        "klasifikasi": "pengaduan-tidak-berkadar-pengawasan",
                        "kategori": "infrastruktur", "explanation": "Urusan PDAM",
                        "archive_reason": "", "tunda_answer": "", "acceptable": "",
                        "rahasia": "", "anonim": "", "reporter_anonim": ""},
        CODE, adds="session_event complaint"),
    ("facilitator.projector", "GET"): case("facilitator", {"urut": "total", "top": "10"},
                                           CODE),
    ("facilitator.qr", "GET"): case("facilitator", path=CODE),
    ("debrief.index", "GET"): case("facilitator", {"nama": "1"}, CODE),
    ("debrief.report", "GET"): case("facilitator", {"nama": "1"},
                                    {**CODE, "position": "{position}"}),
    ("debrief.participant", "GET"): case("facilitator", {"nama": "1", "langkah": "1"},
                                         {**CODE, "participant_id": "{siti}"}),
    ("debrief.rate", "POST"): case(
        "facilitator", {"complaint": "{siti_complaint}", "tl_seq": "1", "rubric": "4",
                        "kembali": "peserta", "langkah": "1", "nama": "1"}, CODE,
        adds="score_override session_event"),
    ("refresher_facilitator.person", "GET"): case(
        "facilitator", path={**CODE, "participant_id": "{siti}"}),
    ("refresher_facilitator.everyone", "GET"): case("facilitator", path=CODE),
    ("exports.index", "GET"): case("facilitator", path=CODE),
    ("exports.download", "GET"): case("facilitator", path={**CODE, "kind": "hasil.csv"}),
    ("exports.trainees", "GET"): case("facilitator", path=CODE),
    ("exports.trainee", "GET"): case("facilitator", path={**CODE, "participant_id": "{siti}"}),
    ("exports.summary", "GET"): case("facilitator", path=CODE),
    ("exports.certificates", "GET"): case("facilitator", path=CODE),
    ("exports.certificate", "GET"): case("facilitator",
                                         path={**CODE, "participant_id": "{siti}"}),
    ("exports.import_upload", "POST"): case(
        "facilitator", upload="arsip",
        adds="exercise participant complaint event clock_change session_event score_override"),
    ("roster.index", "GET"): case("facilitator", {"impor": "2"}, CODE),
    ("roster.upload", "POST"): case("facilitator", path=CODE, upload="berkas",
                                    adds="participant complaint session_event"),
    ("roster.template", "GET"): case("facilitator", path=CODE),
    ("roster.cards", "GET"): case("facilitator", {"kohort": "Kelompok A",
                                                  "alamat": "192.168.43.10:5000"}, CODE),
    ("roster.rename", "POST"): case(
        "facilitator", {"name": "Siti Rahmawati", "unit_name": "Dinas Kesehatan"},
        {**CODE, "participant_id": "{siti}"}, adds="session_event", updates="participant"),
    # Hiding is reversible and keeps Siti listed, so the later cases still find her.
    ("roster.manage", "POST"): case(
        "facilitator", path={**CODE, "participant_id": "{siti}", "kind": "sembunyikan"},
        adds="session_event", updates="participant"),
    # The stage has one workshop trainee: merging her with herself is refused (422), which
    # still sends every hostile value through the form.
    ("roster.merge", "POST"): case(
        "facilitator", {"simpan": "{siti}", "gabung": "{siti}"}, CODE,
        adds="session_event", updates="participant"),
}
# Sign-in doors count failures (rate limiting): a refused attempt is meant to be recorded.
COUNTS_FAILURES = {"facilitator.login", "facilitator.account", "practice.join_submit",
                   "practice.rejoin_with_code"}
# ...and kept report cards, a cache any writing request may fill (services.scoring).
BOOKKEEPING = {"request_key", "auth_attempt", "score_card"}


def _url_map_endpoints(app: Flask) -> set[tuple[str, str]]:
    return {(rule.endpoint, method) for rule in app.url_map.iter_rules()
            if rule.endpoint != "static"
            for method in (rule.methods or set()) & {"GET", "POST"}}


def _rules(app: Flask) -> dict[tuple[str, str], str]:
    return {(rule.endpoint, method): rule.rule for rule in app.url_map.iter_rules()
            for method in (rule.methods or set()) & {"GET", "POST"}}


# ------------------------------------------------------------------ the staged app


@dataclass
class Stage:
    app: Flask
    clock: ManualClock
    values: dict[str, str]
    clients: dict[str, Any]
    rules: dict[tuple[str, str], str]
    dirty: bool = True  # a POST succeeded since the pages were last settled


def _sign_in(stage: Stage, role: str) -> Any:
    app = stage.app
    if role == "facilitator":
        return login(app, "ratna")
    if role == "budi":
        client = app.test_client()
        response = client.post("/fasilitator/masuk", data={
            "username": "budi", "password": stage.values["budi_password"]})
        assert response.status_code == 303
        return client
    client = app.test_client()
    token = stage.values["token" if role == "trainee" else "end_token"]
    assert client.get(f"/lanjut/{token}").status_code == 303
    return client


def _quick_hash(password: str) -> str:
    return generate_password_hash(password, method="pbkdf2:sha256:1000")


@pytest.fixture(scope="module")
def stage(tmp_path_factory) -> Iterator[Stage]:
    """One workshop (Bu Ratna's, Siti joined, running) and two solo trainees, module-wide.

    Passwords are hashed cheaply here: sign-ins are many, and the hash is not under test.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("DATABASE_URL", raising=False)  # as the `app` fixture: SQLite here
        patch.setattr(accounts, "generate_password_hash", _quick_hash)
        yield from _staged(tmp_path_factory)


def _staged(tmp_path_factory) -> Iterator[Stage]:
    clock = ManualClock()
    app = build_app(tmp_path_factory.mktemp("hostile"), clock)
    app.test_client_class = FormClient
    with app.app_context():
        create_facilitator("ratna", "Bu Ratna", PASSWORD, is_admin=True)
        create_facilitator("budi", "Pak Budi", PASSWORD)
        db.session.commit()
    ratna = login(app, "ratna")
    code = create_session(ratna)
    siti_client = join(app, code)
    assert ratna.post(f"/fasilitator/sesi/{code}/kontrol/mulai").status_code == 303
    solo = {}
    for name in ("Rina", "Dodi"):
        client = app.test_client()
        response = client.post("/mulai", data={"name": name, "unit_name": "Dinas Sosial",
                                               "seed": "2026", "count": "6"})
        assert response.status_code == 303
        solo[name] = client
    clock.advance(minutes=30)
    with app.app_context():
        siti = db.session.scalar(select(Participant).where(Participant.name == "Siti"))
        rina = db.session.scalar(select(Participant).where(Participant.name == "Rina"))
        dodi = db.session.scalar(select(Participant).where(Participant.name == "Dodi"))
        first = db.session.scalars(select(Complaint).where(Complaint.participant_id == rina.id)
                                   .order_by(Complaint.arrived_at)).first()
        siti_first = db.session.scalars(select(Complaint).where(
            Complaint.participant_id == siti.id).order_by(Complaint.arrived_at)).first()
        siti_key, siti_first_number = siti_first.answer_key, siti_first.tracking_no
        values = {"code": code, "personal": siti.personal_code, "token": rina.token,
                  "end_token": dodi.token, "siti": str(siti.id),
                  "siti_complaint": str(siti_first.id), "position": str(siti_first.position),
                  "tracking": first.tracking_no, "klasifikasi": first.answer_key["klasifikasi"],
                  "kategori": first.answer_key["kategori"],
                  "unit": first.answer_key["expected_target"] or "pupr",
                  "budi_password": PASSWORD}
    # Siti decides her first report, so her replay in the debrief has steps to choose from.
    response = siti_client.post(f"/laporan/{siti_first_number}/aksi/verifikasi", data={
        "judul": "Laporan warga", "klasifikasi": siti_key["klasifikasi"],
        "kategori": siti_key["kategori"], "unit": siti_key["expected_target"] or "",
        "idem_key": form_key()})
    assert response.status_code in (200, 303), response.get_data(as_text=True)[:300]
    stage = Stage(app, clock, values, {}, _rules(app))
    stage.clients.update({"facilitator": ratna, "trainee": solo["Rina"],
                          "solo_end": solo["Dodi"], "budi": _sign_in(stage, "budi")})
    _settle(stage)
    yield stage
    with app.app_context():
        db.engine.dispose()


def _settle(stage: Stage) -> None:
    """Open the pages that record due reporter events, so a later GET records nothing."""
    if not stage.dirty:
        return
    stage.dirty = False
    for role, path in (("trainee", "/kotak-masuk"), ("trainee", "/hasil"),
                       ("facilitator", f"/fasilitator/sesi/{stage.values['code']}"),
                       ("facilitator", f"/fasilitator/sesi/{stage.values['code']}/debrief"),
                       ("facilitator", f"/fasilitator/sesi/{stage.values['code']}/ekspor/rekap")):
        assert stage.clients[role].get(path).status_code < 500


def _snapshot(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table as the database holds it (JSON as text), in key order."""
    with app.app_context():
        connection = db.session.connection()
        rows = {}
        for table in db.metadata.sorted_tables:
            order = ", ".join(column.name for column in table.primary_key.columns)
            rows[table.name] = [tuple(row) for row in connection.exec_driver_sql(
                f"SELECT * FROM {table.name} ORDER BY {order}")]  # noqa: S608 - our tables
        db.session.rollback()
        return rows


# ------------------------------------------------------------------ building requests


def _encode(pairs: list[tuple[str, str]]) -> bytes:
    """A form or query string; lone surrogates are sent as the bytes a broken client sends."""
    return "&".join(f"{quote(k.encode('utf-8', 'surrogatepass'), safe='')}="
                    f"{quote(v.encode('utf-8', 'surrogatepass'), safe='')}"
                    for k, v in pairs).encode("ascii")


def _roster_file(hostile: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerows([("Nama", "OPD", "Kohort", "NIP"),
                      (hostile, "Dinas Kesehatan", "Kelompok A", hostile),
                      ("Andi Pratama", hostile, hostile, "")])
    return out.getvalue().encode("utf-8", "surrogatepass")


def _archive_file(stage: Stage, hostile: str) -> bytes:
    """The staged session's own archive with one trainee's name made hostile."""
    import gzip

    client = stage.clients["facilitator"]
    data = client.get(f"/fasilitator/sesi/{stage.values['code']}/ekspor/arsip.json.gz").data
    text_value = gzip.decompress(data).decode("utf-8")
    hostile_json = json.dumps(hostile, ensure_ascii=True)  # surrogates as \\ud800 escapes
    mutated = text_value.replace('"Siti"', hostile_json, 1)
    return gzip.compress(mutated.encode("utf-8"))


def _request(stage: Stage, endpoint: str, method: str, hostile: dict[str, str],
             extra: tuple[str, str] | None, htmx: bool) -> Any:
    spec = CASES[(endpoint, method)]
    values = {name: value.format_map(stage.values) for name, value in spec.fields.items()}
    path_values = {name: value.format_map(stage.values) for name, value in spec.path.items()}
    for name, value in hostile.items():
        if name == "file":
            continue
        if name.startswith("path:"):
            path_values[name[5:]] = value
        else:
            values[name] = value
    path = stage.rules[(endpoint, method)]
    for name, value in path_values.items():
        path = path.replace(f"<{name}>", quote(value.encode("utf-8", "surrogatepass"),
                                                safe="")).replace(
            f"<int:{name}>", quote(value.encode("utf-8", "surrogatepass"), safe=""))
    assert "<" not in path, f"{endpoint}: no value for a part of {path}"
    pairs = list(values.items())
    if method == "POST" and endpoint != "reports.perform" and KEY_FIELD not in values:
        pairs.append((KEY_FIELD, form_key()))
    if endpoint == "reports.perform" and not values.get("idem_key"):
        pairs = [(k, form_key() if k == "idem_key" else v) for k, v in pairs]
    if extra:
        pairs.append(extra)
    client = stage.app.test_client() if spec.role == "anonym" else stage.clients[spec.role]
    headers = HX if htmx else {}
    if method == "GET":
        return client.get(path, query_string=_encode(pairs).decode("ascii"),
                          headers=headers)
    if spec.upload:
        hostile_text = hostile.get("file", "Rahmat Hidayat")
        content = (_roster_file(hostile_text) if spec.upload == "berkas"
                   else _archive_file(stage, hostile_text))
        name = "peserta.csv" if spec.upload == "berkas" else "arsip.json.gz"
        form = {k: v.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
                for k, v in pairs}
        form[spec.upload] = (io.BytesIO(content), name)
        return client.post(path, data=form, headers=headers,
                           content_type="multipart/form-data")
    return client.post(path, data=_encode(pairs), headers=headers,
                       content_type="application/x-www-form-urlencoded")


# ------------------------------------------------------------------ the tests


def test_every_endpoint_has_an_entry(stage):
    """A new page or form must say here which fields it reads, or this fails."""
    found = _url_map_endpoints(stage.app)
    assert found - set(CASES) == set(), "endpoints without an entry in CASES"
    assert set(CASES) - found == set(), "entries for endpoints the app no longer has"
    for (endpoint, _), spec in CASES.items():
        blueprint = endpoint.split(".")[0]
        if endpoint in PUBLIC_ENDPOINTS:
            assert spec.role == "anonym", endpoint
        elif blueprint in FACILITATOR_BLUEPRINTS:
            assert spec.role in ("facilitator", "budi"), endpoint
        else:
            assert spec.role in ("trainee", "solo_end"), endpoint


def _candidates(endpoint: str, method: str) -> list[str]:
    """Fields (and path parts) that get hostile values; every endpoint has at least one."""
    spec = CASES[(endpoint, method)]
    names = list(spec.fields) + [f"path:{name}" for name in spec.path
                                 if name not in ("position", "participant_id")]
    if method == "POST" and endpoint != "reports.perform":
        names.append(KEY_FIELD)
    if spec.upload:
        names.append("file")  # hostile text inside an otherwise valid file
    return names or ["?"]  # "?": an unknown query parameter


@pytest.mark.parametrize(("endpoint", "method"), sorted(CASES), ids=[
    f"{method} {endpoint}" for endpoint, method in sorted(CASES)])
def test_hostile_values_never_break_an_endpoint(stage, endpoint, method):
    names = _candidates(endpoint, method)
    if method == "GET":
        _settle(stage)  # reporter events due after earlier POSTs are recorded now, not here

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=st.data())
    def run(data):
        chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=3,
                                    unique=True), label="fields")
        hostile = {name: data.draw(HOSTILE, label=name) for name in chosen}
        extra = None
        if "?" in hostile:
            extra = (data.draw(HOSTILE | st.just("x"), label="name"), hostile.pop("?"))
        htmx = data.draw(st.booleans(), label="htmx")
        _one_request(stage, endpoint, method, hostile, extra, htmx)

    run()


def _one_request(stage: Stage, endpoint: str, method: str, hostile: dict[str, str],
                 extra: tuple[str, str] | None, htmx: bool) -> Any:
    """Send one request and check the rules of this module; returns the response."""
    spec = CASES[(endpoint, method)]
    if endpoint in COUNTS_FAILURES:
        with stage.app.app_context():  # a fresh guessing allowance for every example
            db.session.execute(delete(AuthAttempt))
            db.session.commit()
    before = _snapshot(stage.app)
    response = _request(stage, endpoint, method, hostile, extra, htmx)
    after = _snapshot(stage.app)
    status = response.status_code
    shown = {k: (v[:40] + "…") if len(v) > 40 else v for k, v in hostile.items()}
    assert status < 500, (endpoint, shown, response.get_data(as_text=True)[:500])
    location = response.headers.get("Location", "") + response.headers.get("HX-Redirect", "")
    if spec.role != "anonym":
        # default-deny sends the signed-out to a sign-in page with ?next=
        assert not location.startswith(("/fasilitator/masuk?next=", "/?next=")), \
            (endpoint, "the request was not signed in as", spec.role)
    changed = {name for name in after if after[name] != before[name]}
    counted = {name for name in after if len(after[name]) != len(before[name])}
    if status >= 400:
        allowed = {"auth_attempt"} if endpoint in COUNTS_FAILURES else set()
        assert changed <= allowed, (endpoint, status, shown, "a refused request changed",
                                    changed - allowed)
    else:
        assert counted <= spec.adds | BOOKKEEPING, (
            endpoint, status, shown, "added rows where it should not", counted - spec.adds)
        assert changed <= spec.adds | spec.updates | BOOKKEEPING, (
            endpoint, status, shown, "changed rows where it should not",
            changed - spec.adds - spec.updates - BOOKKEEPING)
    for name, rows in after.items():
        for row in set(rows) - set(before[name]):
            for value in _strings(row):
                assert not FORBIDDEN.search(value), (endpoint, name, "stored", value[:80])
    if status < 400 and method == "POST":
        stage.dirty = True
    _after_request(stage, endpoint, status, hostile)
    return response


def _strings(value: Any) -> Iterator[str]:
    """Every text inside a stored row, JSON columns (stored as text) opened up."""
    if isinstance(value, str):
        yield value
        if value[:1] in "[{":
            try:
                inner = json.loads(value)
            except ValueError:
                inner = None
            yield from _strings(inner)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _after_request(stage: Stage, endpoint: str, status: int, hostile: dict[str, str]) -> None:
    """Keep the stage usable: sign back in after a sign-out or a password change."""
    if status >= 400:
        return
    if endpoint == "facilitator.account" and status == 200:
        new = hostile.get("new", CASES[(endpoint, "POST")].fields["new"])
        with stage.app.app_context():
            from sandbox.models import Facilitator

            budi = db.session.scalar(select(Facilitator).where(Facilitator.username == "budi"))
            if check_password_hash(budi.password_hash, new):
                stage.values["budi_password"] = new
    if endpoint in ("facilitator.logout", "facilitator.account"):
        stage.clients["budi"] = _sign_in(stage, "budi")
    if endpoint in ("practice.leave", "results.finish"):
        stage.clients["solo_end"] = _sign_in(stage, "solo_end")


NUMBER_FIELDS = {"seed", "count", "menit_per_hk", "minutes_per_hk", "top", "impor", "langkah",
                 "tl_seq", "rubric", "complaint", "bintang", "path:tracking_no"}
HOSTILE_NUMBERS = ["²", "١٢", "１２", "9" * 5000, "99999999999999999999", "2147483648", "-1",
                   "1e400", "nan", " 1 2 ", "0x10", "4,5"]
NUMBER_CASES = [(endpoint, method, name) for endpoint, method in sorted(CASES)
                for name in _candidates(endpoint, method) if name in NUMBER_FIELDS]


@pytest.mark.parametrize(("endpoint", "method", "name"), NUMBER_CASES,
                         ids=[f"{m} {e} {n}" for e, m, n in NUMBER_CASES])
def test_every_number_field_takes_every_hostile_number(stage, endpoint, method, name):
    """Each number a form or query reads, with each way a number can be hostile."""
    assert len(NUMBER_CASES) >= 12
    if method == "GET":
        _settle(stage)
    for value in HOSTILE_NUMBERS:
        _one_request(stage, endpoint, method, {name: value}, None, htmx=False)


@pytest.mark.parametrize(("endpoint", "method"), sorted(CASES), ids=[
    f"{method} {endpoint}" for endpoint, method in sorted(CASES)])
def test_a_nul_anywhere_is_refused_on_every_endpoint(stage, endpoint, method):
    """NUL in every field, path part and an extra parameter's name: 400 before the view."""
    hostile = {name: "a\x00b" for name in _candidates(endpoint, method)
               if name not in ("?", "file")}
    response = _one_request(stage, endpoint, method, hostile, ("x\x00", "1"), htmx=True)
    assert response.status_code == 400, (endpoint, response.status_code)
    html = response.get_data(as_text=True)
    assert "tidak diizinkan (U+0000 (NUL))" in html and "<html" not in html.lower()


UPLOADS = sorted(key for key, spec in CASES.items() if spec.upload)
HOSTILE_CELLS = ["Rahmat Hidayat", "a\x00b", "Siti\x1b[31m", "x\x7f", "x" * 10_000, "\u202eRTL",
                 "<script>alert(1)</script>", "=cmd|' /C calc'!A0", "١٢", ""]


@pytest.mark.parametrize(("endpoint", "method"), UPLOADS, ids=[e for e, _ in UPLOADS])
def test_import_files_with_hostile_text_in_them(stage, endpoint, method):
    """A valid participant list or archive whose names are hostile: imported cleanly
    (no control character stored) or refused with nothing stored; never a 5xx."""
    statuses = [_one_request(stage, endpoint, method, {"file": cell}, None, htmx=False)
                .status_code for cell in HOSTILE_CELLS]
    assert statuses[0] < 400, (endpoint, "the untouched file must import", statuses)


def test_a_nul_in_any_field_is_refused_before_the_view(stage):
    """The guard answers 400, names the field, and gives htmx its partial."""
    client = stage.clients["facilitator"]
    code = stage.values["code"]
    response = client.post(f"/fasilitator/sesi/{code}/pesan", data=_encode(
        [("pesan", "Halo\x00"), (KEY_FIELD, form_key())]),
        content_type="application/x-www-form-urlencoded", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "«pesan»" in html and "U+0000 (NUL)" in html
    assert "<html" not in html.lower()  # the partial, for htmx to swap in
    page = client.get(f"/fasilitator/sesi/{code}/layar?top=1%1b[2J")
    assert page.status_code == 400 and "«top»" in page.get_data(as_text=True)
    assert client.get(f"/fasilitator/sesi/{code}?a%00b=1").status_code == 400


def test_text_with_newlines_tabs_and_any_script_is_accepted(stage):
    client = stage.clients["facilitator"]
    response = client.post(f"/fasilitator/sesi/{stage.values['code']}/pesan", data={
        "pesan": "Istirahat\tsebentar\r\nلا بأس ١٢ — ²"})
    assert response.status_code == 303


def test_numbers_in_the_url_beyond_an_id_are_not_found(stage):
    client = stage.clients["facilitator"]
    code = stage.values["code"]
    for path in (f"/fasilitator/sesi/{code}/debrief/peserta/{2**31}",
                 f"/fasilitator/sesi/{code}/ekspor/peserta/{10**20}",
                 f"/fasilitator/sesi/{code}/debrief/{'9' * 5000}"):
        assert client.get(path).status_code == 404, path


@pytest.mark.parametrize(("field", "value"), [
    ("seed", "99999999999999999999"), ("seed", "9" * 5000), ("seed", "²"),
    ("seed", str(2**31)), ("count", "9" * 5000), ("count", "١٢"),
])
def test_hostile_numbers_on_the_start_form_get_the_range(stage, field, value):
    response = stage.app.test_client().post("/mulai", data={
        "name": "Siti", "unit_name": "Dinkes", field: value})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert ("Seed harus bilangan bulat 0 sampai 2147483647." in html if field == "seed"
            else "Jumlah laporan harus 1 sampai 200." in html)


def test_the_seed_range_is_what_every_database_stores(any_app):
    """The largest seed a form accepts is stored and read back on SQLite and PostgreSQL
    (a 32-bit INTEGER there); one more is refused with the range, before the database."""
    from sandbox.domain.errors import ValidationError
    from sandbox.domain.numbers import SEED_MAX
    from sandbox.models import Exercise
    from sandbox.services.workshops import WorkshopForm, create_workshop

    with any_app.app_context():
        ratna = create_facilitator("ratna", "Bu Ratna", PASSWORD)
        form = WorkshopForm(scenario="bimtek-dasar", title="Seed terbesar", held_on="",
                            location="", minutes_per_hk="", seed=str(SEED_MAX))
        exercise_id = create_workshop(ratna, form).id
        db.session.commit()
        db.session.expire_all()
        assert db.session.get(Exercise, exercise_id).seed == SEED_MAX
        with pytest.raises(ValidationError) as caught:
            create_workshop(ratna, WorkshopForm(**{**form.__dict__, "seed": str(SEED_MAX + 1)}))
        assert caught.value.errors == {"seed": f"Seed harus bilangan bulat 0 sampai {SEED_MAX}."}
