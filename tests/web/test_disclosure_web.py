"""Nothing to peek at: no trainee page shows a report's answer before the trainee decides it.

One report is followed through a scenario (tunda expected, then Dinas PUPR) with feedback
"langsung" and "akhir": before any decision, after the tunda, after the reporter's reply,
after the final disposition and after the end. Every page and htmx partial the trainee can
fetch is searched for the answer key's unit, its "Yang diharapkan" line and its explanation.
"""

from __future__ import annotations

import html as htmllib
import re

import pytest

from sandbox.domain.disclosure import (
    WITHHELD_UNDECIDED,
    WITHHELD_UNTIL_END,
)
from sandbox.extensions import db
from sandbox.models import Complaint, Exercise
from sandbox.services.accounts import create_facilitator
from sandbox.services.catalogue import get_catalogue
from tests.conftest import build_app
from tests.services.test_scenario_run import SCENARIO
from tests.web.kit import HX, FormClient, create_session, login

NOTES = """
[[timeline]]
at = "+0 menit"
note_for = "peserta"
note = "Baca setiap laporan sampai habis sebelum memutuskan."

[[timeline]]
at = "+1 menit"
note_for = "fasilitator"
note = "Jalan tanpa lokasi: tunda, lalu ke Dinas PUPR."
"""


def _app(tmp_path, clock, monkeypatch, feedback):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    text = SCENARIO.replace("start = 2026-03-02T08:00:00",
                            f'start = 2026-03-02T08:00:00\nfeedback = "{feedback}"') + NOTES
    (folder / "uji.toml").write_text(text, encoding="utf-8")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    application = build_app(tmp_path, clock, SCENARIOS_DIR=str(folder))
    application.test_client_class = FormClient
    return application


@pytest.fixture(params=["langsung", "akhir"])
def practice(request, tmp_path, clock, monkeypatch):
    """(app, client, feedback) for a solo practice of the test scenario."""
    app = _app(tmp_path, clock, monkeypatch, request.param)
    client = app.test_client()
    response = client.post("/mulai", data={"name": "Ani", "unit_name": "Bagian Umum",
                                           "scenario": "uji"})
    assert response.status_code == 303
    return app, client, request.param


def _report(app, topic):
    """(tracking number, answer strings that must not leak) of the report of `topic`."""
    with app.app_context():
        complaint = db.session.scalar(db.select(Complaint).where(
            Complaint.answer_key["topic"].as_string() == topic))
        key = complaint.answer_key
        unit = get_catalogue(complaint.exercise.region_file).unit_name(key["expected_target"])
        return complaint.tracking_no, key, unit


def _text(response):
    assert response.status_code in (200, 303), response.status_code
    return htmllib.unescape(response.get_data(as_text=True))


def _pages(client, number):
    """Every page and partial a trainee can open about the report, as text."""
    return {
        "hasil": _text(client.get("/hasil")),
        "hasil-htmx": _text(client.get("/hasil", headers=HX)),
        "laporan": _text(client.get(f"/laporan/{number}")),
        "laporan-htmx": _text(client.get(f"/laporan/{number}", headers=HX)),
        "kotak-masuk": _text(client.get("/kotak-masuk")),
        "kotak-masuk-htmx": _text(client.get("/kotak-masuk", headers=HX)),
        "denyut": _text(client.get("/denyut?v=0", headers=HX)),
    }


def _leaks(pages, key, unit):
    """The pages that show the report's answer: its unit, expected line or explanation."""
    found = {}
    for name, text in pages.items():
        hits = [s for s in (unit, f"→ {unit}", key["explanation"][:60]) if s in text]
        if hits:
            found[name] = hits
    return found


def _tunda(client, number, idem):
    return client.post(f"/laporan/{number}/aksi/tunda", headers=HX, data={
        "idem_key": idem * 20, "pertanyaan": "Mohon sebutkan nama jalan dan desanya."})


def _dispose(client, number, key, unit_code, idem):
    return client.post(f"/laporan/{number}/aksi/verifikasi", headers=HX, data={
        "idem_key": idem * 20, "judul": "Jalan rusak parah di permukiman warga",
        "klasifikasi": key["klasifikasi"], "kategori": key["kategori"], "unit": unit_code})


def test_the_answer_shows_only_once_decided_and_when_feedback_allows(practice, clock):
    app, client, feedback = practice
    number, key, unit = _report(app, "jalan-rusak-tanpa-lokasi")
    assert key["expected_action"] == "tunda" and key["expected_target"] == "pupr"

    # Before any decision: nothing anywhere.
    assert _leaks(_pages(client, number), key, unit) == {}

    # After the tunda (which is right, but not a final decision): the response partial and
    # every page hold no answer; the card says why.
    assert _leaks({"tunda-htmx": _text(_tunda(client, number, "a"))}, key, unit) == {}
    pages = _pages(client, number)
    assert _leaks(pages, key, unit) == {}
    if feedback == "langsung":
        assert WITHHELD_UNDECIDED in pages["hasil"]
        assert WITHHELD_UNDECIDED in pages["laporan"]
        assert 'id="feedback"' in pages["laporan"]  # points so far are shown
    else:
        assert 'id="locked"' in pages["hasil"]
        assert 'id="feedback"' not in pages["laporan"]

    # The reporter answers the tunda (1 HK = 4 minutes): back in the inbox, still undecided.
    clock.advance(minutes=5)
    pages = _pages(client, number)
    assert "Belum Terverifikasi" in pages["laporan"]
    assert _leaks(pages, key, unit) == {}

    # The final decision: with "langsung" the answer shows at once, with "akhir" not yet.
    decided = _text(_dispose(client, number, key, "dlh", "b"))  # a wrong unit, on purpose
    pages = {**_pages(client, number), "dispose-htmx": decided}
    leaks = _leaks(pages, key, unit)
    if feedback == "langsung":
        for name in ("hasil", "hasil-htmx", "laporan", "laporan-htmx", "dispose-htmx"):
            assert leaks.get(name) == [unit, f"→ {unit}", key["explanation"][:60]], name
        assert "kotak-masuk" not in leaks and "denyut" not in leaks
    else:
        assert leaks == {}
        assert WITHHELD_UNTIL_END not in pages["laporan"]  # no panel at all before the end

    # After the end the decided report's answer shows in both modes.
    assert client.post("/latihan/akhiri").status_code == 303
    pages = _pages(client, number)
    leaks = _leaks(pages, key, unit)
    for name in ("hasil", "laporan"):
        assert leaks.get(name) == [unit, f"→ {unit}", key["explanation"][:60]], name


def test_a_report_returned_to_undecided_hides_its_answer_again(practice):
    app, client, feedback = practice
    number, key, unit = _report(app, "pdam-air-mati")
    # Disposed (to a wrong unit, so the trainee never wrote the right one), then returned.
    assert WITHHELD_UNDECIDED not in _text(_dispose(client, number, key, "dlh", "c"))
    response = client.post(f"/laporan/{number}/aksi/kembalikan", headers=HX, data={
        "idem_key": "d" * 20, "alasan": "Bukan tugas unit kami, mohon dicek ulang."})
    assert response.status_code == 200
    assert "Belum Terverifikasi" in _text(response)
    pages = _pages(client, number)
    assert _leaks(pages, key, unit) == {}
    if feedback == "langsung":  # with "akhir" the whole card waits for the end
        assert WITHHELD_UNDECIDED in pages["hasil"]


def test_an_untouched_report_shows_its_answer_only_after_the_end(practice):
    app, client, feedback = practice
    number, key, unit = _report(app, "jalan-rusak-tanpa-lokasi")
    pages = _pages(client, number)
    assert _leaks(pages, key, unit) == {}
    if feedback == "langsung":  # with "akhir" the whole card waits for the end
        assert WITHHELD_UNDECIDED in pages["hasil"]
    assert client.post("/latihan/akhiri").status_code == 303
    pages = _pages(client, number)
    assert "hasil" in _leaks(pages, key, unit)  # the exercise is over: the lesson is shown
    assert WITHHELD_UNDECIDED not in pages["hasil"]


def test_a_solo_trainee_reads_only_the_notes_written_for_trainees(practice, clock):
    _, client, _ = practice
    clock.advance(minutes=2)  # both notes are due
    html = _text(client.get("/kotak-masuk"))
    assert "Catatan skenario (1)" in html
    assert "Baca setiap laporan sampai habis" in html
    assert "ke Dinas PUPR" not in html
    assert "Mulai." not in html  # a note without note_for is the facilitator's


def test_notes_stored_without_an_audience_stay_with_the_facilitator(practice):
    app, client, _ = practice
    with app.app_context():
        exercise = db.session.scalar(db.select(Exercise))
        settings = dict(exercise.settings)
        settings["notes"] = [{"at": "2026-03-02T08:00:00", "text": "Catatan lama: ke PDAM."}]
        exercise.settings = settings
        db.session.commit()
    html = _text(client.get("/kotak-masuk"))
    assert "Catatan lama" not in html
    assert "Catatan skenario" not in html


def test_the_facilitator_sees_every_note(app, clock):
    with app.app_context():
        create_facilitator("ratna", "Bu Ratna", "rahasia-123", is_admin=True)
        db.session.commit()
    ratna = login(app, "ratna")
    code = create_session(ratna, scenario="rahasia-dan-anonim")
    html = _text(ratna.get(f"/fasilitator/sesi/{code}"))
    assert "rahasia, dan diteruskan ke Polres" in html.replace("\n", " ")
    assert re.search(r"Catatan skenario untuk fasilitator \((\d+)\)", html)
