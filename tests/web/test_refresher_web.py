"""Refresher scenarios through the client: «Latihan ulang» on «Hasil saya» after the end,
the .toml download, starting it as a solo practice, and the facilitator's downloads."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from sandbox.domain.scenario import parse_scenario
from sandbox.domain.traps import decision_trap, traps_of
from sandbox.extensions import db
from sandbox.models import ClockChange, Complaint, Exercise, Participant
from sandbox.services.accounts import create_facilitator
from sandbox.services.catalogue import get_catalogue
from sandbox.services.refresher import NOT_ENDED, SETTINGS_KEY
from sandbox.services.scenarios import holidays
from tests.conftest import build_app
from tests.web.kit import PASSWORD, FormClient, create_session, join, login

FORM = {"judul": "KTP-el belum jadi", "klasifikasi": "pengaduan_tidak_berkadar_pengawasan",
        "kategori": "administrasi_kependudukan"}
NOTHING = "belum ada bahan untuk latihan ulang"


def _post(client, number, action, data, key):
    response = client.post(f"/laporan/{number}/aksi/{action}",
                           data={**data, "idem_key": key.ljust(20, "k")})
    assert response.status_code == 303, response.get_data(as_text=True)


def _text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def room(app, accounts, clock):
    """Bu Ratna's running session: Siti disposes the first report (Disdukcapil's) to the
    DLH, Andi rightly, Eka decides nothing."""
    ratna = login(app, "ratna")
    code = create_session(ratna)
    siti = join(app, code, "Siti Rahmawati", "Dinas Kesehatan")
    andi = join(app, code, "Andi", "Dinas PUPR")
    eka = join(app, code, "Eka", "Dinas Sosial")
    ratna.post(f"/fasilitator/sesi/{code}/kontrol/mulai")
    clock.advance(minutes=2)
    with app.app_context():
        exercise = db.session.scalar(db.select(Exercise).where(Exercise.code == code))
        first = db.session.scalars(db.select(Complaint).where(
            Complaint.exercise_id == exercise.id, Complaint.position == 1)).first()
        number, key = first.tracking_no, first.answer_key
    assert key["expected_target"] == "disdukcapil"
    _post(siti, number, "verifikasi", {**FORM, "unit": "dlh"}, "siti-1")
    _post(andi, number, "verifikasi", {**FORM, "unit": "disdukcapil"}, "andi-1")
    return ratna, code, siti, andi, eka, key


def _end(ratna, code):
    assert ratna.post(f"/fasilitator/sesi/{code}/kontrol/akhiri").status_code == 303


def _person(app, name, code=None) -> Participant:
    with app.app_context():
        query = db.select(Participant).where(Participant.name == name)
        if code:
            query = query.join(Exercise).where(Exercise.code == code)
        person = db.session.scalar(query)
        db.session.expunge(person)
        return person


def _topics(app, text, filename) -> list[str]:
    """The file read back as any scenario file (a problem raises); its topics in order."""
    with app.app_context():
        scenario = parse_scenario(text, filename, get_catalogue, holidays())
    return [t for entry in scenario.timeline for t in entry.topics]


def test_before_the_end_there_is_no_refresher_and_the_download_says_why(app, room):
    ratna, code, siti, *_ = room
    assert 'id="refresher"' not in _text(siti.get("/hasil"))
    refused = siti.get("/hasil/latihan-ulang.toml")
    assert refused.status_code == 400 and NOT_ENDED in _text(refused)
    started = siti.post("/hasil/latihan-ulang/mulai")
    assert started.status_code == 400 and NOT_ENDED in _text(started)
    siti_id = _person(app, "Siti Rahmawati").id
    for path in (f"/fasilitator/sesi/{code}/latihan-ulang.zip",
                 f"/fasilitator/sesi/{code}/latihan-ulang/{siti_id}.toml"):
        response = ratna.get(path)
        assert response.status_code == 400 and NOT_ENDED in _text(response), path
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Exercise.id))) == 1


def test_after_the_end_results_offer_the_traps_and_the_file(app, room):
    ratna, code, siti, _andi, _eka, key = room
    _end(ratna, code)
    html = _text(siti.get("/hasil"))
    assert 'id="refresher"' in html
    trap = decision_trap(key)
    assert re.findall(r'data-trap="([^"]+)"', html) == [trap]
    assert "1 dari" in html and 'id="refresher-start"' in html
    assert _person(app, "Siti Rahmawati").personal_code in html  # to come back later
    response = siti.get("/hasil/latihan-ulang.toml")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/toml")
    filename = f"latihan-ulang-{code.lower()}-1-siti-rahmawati.toml"
    assert f'filename="{filename}"' in response.headers["Content-Disposition"]
    text = _text(response)
    assert text.startswith("# Latihan ulang untuk Siti Rahmawati (Dinas Kesehatan)")
    topics = _topics(app, text, filename)
    assert topics and key["topic"] not in topics
    with app.app_context():
        catalogue = get_catalogue()
    for topic in topics:  # each sets the trap she fell into
        assert trap in traps_of({"expected_action": catalogue.topic(topic).action})
    assert _text(siti.get("/hasil/latihan-ulang.toml")) == text  # the same every time


def test_starting_the_refresher_makes_a_solo_practice_of_its_reports(app, room):
    ratna, code, siti, *_ = room
    _end(ratna, code)
    text = _text(siti.get("/hasil/latihan-ulang.toml"))
    scenario_id = re.search(r'^id = "([^"]+)"', text, re.M).group(1)
    topics = _topics(app, text, f"{scenario_id}.toml")
    response = siti.post("/hasil/latihan-ulang/mulai")
    assert response.status_code == 303 and response.headers["Location"].startswith(
        "/kotak-masuk")
    with app.app_context():
        practice = db.session.scalar(db.select(Exercise).where(Exercise.mode == "solo"))
        assert practice.scenario_id == scenario_id
        assert practice.settings[SETTINGS_KEY]["sesi"] == code
        assert practice.settings["feedback"] == "langsung"
        assert practice.settings["duration_minutes"] == 20
        person = db.session.scalar(db.select(Participant).where(
            Participant.exercise_id == practice.id))
        assert (person.name, person.unit_name) == ("Siti Rahmawati", "Dinas Kesehatan")
        reports = db.session.scalars(db.select(Complaint).where(
            Complaint.participant_id == person.id).order_by(Complaint.position)).all()
        assert [c.answer_key["topic"] for c in reports] == topics
        assert [c.kind for c in db.session.scalars(db.select(ClockChange).where(
            ClockChange.exercise_id == practice.id))] == ["mulai"]
        original = db.session.scalar(db.select(Exercise).where(Exercise.code == code))
        assert original.settings.get(SETTINGS_KEY) is None
    # Signed in to the new practice now.
    assert practice.title in _text(siti.get("/hasil"))


def test_someone_who_decided_nothing_is_told_so(app, room):
    ratna, code, *_rest = room
    eka = room[4]
    _end(ratna, code)
    html = _text(eka.get("/hasil"))
    assert 'id="refresher-message"' in html and NOTHING in html
    assert 'id="refresher-start"' not in html
    refused = eka.get("/hasil/latihan-ulang.toml")
    assert refused.status_code == 400 and NOTHING in _text(refused)
    assert eka.post("/hasil/latihan-ulang/mulai").status_code == 400
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Exercise.id))) == 1


def test_the_personal_code_brings_them_back_to_it_after_the_end(app, room):
    ratna, code, *_ = room
    _end(ratna, code)
    siti = _person(app, "Siti Rahmawati")
    later = app.test_client()
    response = later.post("/ikut/lanjut", data={"code": code,
                                                "personal_code": siti.personal_code})
    assert response.status_code == 303
    assert 'id="refresher-start"' in _text(later.get("/hasil"))
    assert later.post("/hasil/latihan-ulang/mulai").status_code == 303


def test_the_facilitator_downloads_one_persons_file_and_a_zip_of_everyone(app, room):
    ratna, code, siti, andi, _eka, _key = room
    _end(ratna, code)
    siti_id, andi_id = _person(app, "Siti Rahmawati").id, _person(app, "Andi").id
    mine = _text(siti.get("/hasil/latihan-ulang.toml"))
    one = ratna.get(f"/fasilitator/sesi/{code}/latihan-ulang/{siti_id}.toml")
    assert one.status_code == 200 and _text(one) == mine
    response = ratna.get(f"/fasilitator/sesi/{code}/latihan-ulang.zip")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/zip"
    assert f'latihan-ulang-{code}.zip' in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = sorted(archive.namelist())
    lower = code.lower()
    assert names == ["DAFTAR.txt", f"latihan-ulang-{lower}-1-siti-rahmawati.toml",
                     f"latihan-ulang-{lower}-2-andi.toml"]
    assert archive.read(names[1]).decode() == mine
    assert archive.read(names[2]).decode() == _text(andi.get("/hasil/latihan-ulang.toml"))
    assert "campuran" in archive.read(names[2]).decode()  # Andi fell into nothing
    index = archive.read("DAFTAR.txt").decode()
    assert "Eka (Dinas Sosial): tidak ada berkas" in index and NOTHING in index
    # A GET that only reads: the same bytes again.
    assert ratna.get(f"/fasilitator/sesi/{code}/latihan-ulang.zip").data == response.data
    # The debrief pages link to them.
    page = _text(ratna.get(f"/fasilitator/sesi/{code}/debrief/peserta/{andi_id}"))
    assert f"/fasilitator/sesi/{code}/latihan-ulang/{andi_id}.toml" in page
    assert f"/fasilitator/sesi/{code}/latihan-ulang.zip" in _text(
        ratna.get(f"/fasilitator/sesi/{code}/debrief"))
    missing = ratna.get(f"/fasilitator/sesi/{code}/latihan-ulang/999999.toml")
    assert missing.status_code == 404 and "tidak ada di sesi ini" in _text(missing)


def test_a_solo_practice_offers_its_refresher_once_finished(app, client):
    client.post("/mulai", data={"name": "Budi", "unit_name": "Dinkes", "scenario": "",
                                "seed": "3", "count": "4"})
    html = _text(client.get("/kotak-masuk"))
    number = re.findall(r"/laporan/(\d+)", html)[0]
    _post(client, number, "arsipkan", {"alasan": "spam"}, "budi-1")
    assert 'id="refresher"' not in _text(client.get("/hasil"))
    assert client.post("/latihan/akhiri").status_code == 303
    html = _text(client.get("/hasil"))
    assert 'id="refresher-start"' in html and "/lanjut/" in html  # their rejoin link
    response = client.get("/hasil/latihan-ulang.toml")
    assert response.status_code == 200
    assert client.post("/hasil/latihan-ulang/mulai").status_code == 303
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Exercise.id)).where(
            Exercise.scenario_id.like("latihan-ulang-%"))) == 1


def test_a_rahasia_report_left_unmarked_is_a_rahasia_trap(app, accounts, clock):
    """The report card's confidentiality errors count: the right OPD, but no rahasia."""
    ratna = login(app, "ratna")
    code = create_session(ratna, scenario="rahasia-dan-anonim")
    siti = join(app, code, "Siti Rahmawati", "Dinas Kesehatan")
    ratna.post(f"/fasilitator/sesi/{code}/kontrol/mulai")
    clock.advance(minutes=4)
    with app.app_context():
        pungli = db.session.scalar(db.select(Complaint).where(
            Complaint.answer_key["topic"].as_string() == "pungli-petugas-adminduk"))
        number, key = pungli.tracking_no, pungli.answer_key
    assert key["rahasia"] and key["expected_action"] == "disposisi"
    _post(siti, number, "verifikasi", {**FORM, "unit": key["expected_target"]}, "siti-r")
    _end(ratna, code)
    html = _text(siti.get("/hasil"))
    assert re.findall(r'data-trap="([^"]+)"', html) == ["rahasia"]
    text = _text(siti.get("/hasil/latihan-ulang.toml"))
    scenario_id = re.search(r'^id = "([^"]+)"', text, re.M).group(1)
    with app.app_context():
        catalogue = get_catalogue()
    topics = _topics(app, text, f"{scenario_id}.toml")
    assert topics and all(catalogue.topic(t).rahasia for t in topics)
    assert "pungli-petugas-adminduk" not in topics


@pytest.fixture
def own_catalogue_app(tmp_path, clock, monkeypatch):
    """The app on a copy of the shipped topics, which a test may then change."""
    topics = tmp_path / "topics"
    shutil.copytree(Path(__file__).resolve().parents[2] / "seed" / "topics", topics)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    application = build_app(tmp_path, clock, TOPICS_DIR=str(topics))
    application.test_client_class = FormClient
    return application, topics


def test_a_catalogue_that_lost_the_topics_of_a_trap_is_said_so(own_catalogue_app, clock):
    app, topics = own_catalogue_app
    with app.app_context():
        create_facilitator("ratna", "Bu Ratna", PASSWORD)
        db.session.commit()
    ratna = login(app, "ratna")
    code = create_session(ratna, scenario="rahasia-dan-anonim")
    siti = join(app, code, "Siti Rahmawati", "Dinas Kesehatan")
    ratna.post(f"/fasilitator/sesi/{code}/kontrol/mulai")
    clock.advance(minutes=4)
    with app.app_context():
        pungli = db.session.scalar(db.select(Complaint).where(
            Complaint.answer_key["topic"].as_string() == "pungli-petugas-adminduk"))
        number, key = pungli.tracking_no, pungli.answer_key
    _post(siti, number, "verifikasi", {**FORM, "unit": key["expected_target"]}, "siti-r")
    _end(ratna, code)
    assert 'id="refresher-start"' in _text(siti.get("/hasil"))
    # The catalogue is edited afterwards: no topic is rahasia any more.
    for path in topics.glob("*.toml"):
        path.write_text(path.read_text(encoding="utf-8").replace(
            "rahasia = true", "rahasia = false"), encoding="utf-8")
    html = _text(siti.get("/hasil"))
    assert 'id="refresher-start"' not in html
    assert "sudah berubah: tidak ada lagi topik laporan untuk jebakan «Pelapor rahasia»" in html
    refused = siti.post("/hasil/latihan-ulang/mulai")
    assert refused.status_code == 400 and "sudah berubah" in _text(refused)
    zipped = zipfile.ZipFile(io.BytesIO(ratna.get(
        f"/fasilitator/sesi/{code}/latihan-ulang.zip").data))
    assert zipped.namelist() == ["DAFTAR.txt"]
    assert "sudah berubah" in zipped.read("DAFTAR.txt").decode()
