"""Tes awal and tes akhir on the pages: the facilitator's debrief section, the trainee's
inbox badge and a test report that teaches nothing before the end (feedback "langsung"
or not), «Hasil saya» after the end, the studi komparasi section and both workbooks."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook
from sqlalchemy import select

from sandbox.domain.comparison import TOO_SMALL
from sandbox.domain.learning import GAIN_METHOD, Phase, phase_of
from sandbox.extensions import db
from sandbox.models import Complaint, Exercise, Participant
from sandbox.services.complaints import visible_complaints
from sandbox.services.timekeeping import command_clock
from sandbox.services.workshops import WorkshopForm, create_workshop, join_workshop
from tests.comparison_kit import RIGHT, play_session
from tests.exports_kit import facilitator_named
from tests.learning_kit import AFTER_PRE, SCENARIO, Trainee, decide, play_tests
from tests.web.kit import login

ROOM = (Trainee("Ani", "Dinas Kesehatan", 1, 3, "Kotabaru"),
        Trainee("Budi", "Dinas PUPR", 2, 3, "Kotabaru"),
        Trainee("Cici", "Dinas Sosial", 2, 4, "Banjar"),
        Trainee("Dodi", "Dinas Pendidikan", 0, 2, "Banjar"),
        Trainee("Eka", "Bappeda", 3, 3, "Banjar"),
        Trainee("Fajar", "DLH", 4, 3, "Kotabaru"),
        Trainee("Gita", "Diskominfo", 2, None, "Banjar"))


def _cells(html: str, table: str) -> list[list[str]]:
    """The text of each row of the table with this id (tags dropped, spaces squeezed)."""
    body = re.search(rf'<table[^>]*id="{table}".*?</table>', html, re.S)
    assert body, table
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body.group(0), re.S)
    return [[" ".join(re.sub(r"<[^>]+>", " ", cell).split())
             for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)] for row in rows]


def _text(html: str, element_id: str) -> str:
    body = re.search(rf'id="{element_id}"[^>]*>(.*?)</p>', html, re.S)
    assert body, element_id
    return " ".join(re.sub(r"<[^>]+>", " ", body.group(1)).split())


# ------------------------------------------------------------------ the facilitator's session


def test_the_debrief_shows_the_rooms_and_each_cohorts_gain(app, clock):
    code = play_tests(app, clock, ROOM)
    html = login(app, "ratna").get(f"/fasilitator/sesi/{code}/debrief").get_data(as_text=True)
    assert "Tes awal dan tes akhir" in html
    assert GAIN_METHOD.split(":")[0] in html  # the plain explanation of the statistic
    assert _text(html, "learning-paired-1") == (
        "6 dari 7 peserta mengerjakan kedua tes dan dihitung berpasangan; 1 tidak dihitung "
        "(0 tanpa tes awal, 1 tanpa tes akhir).")
    rows = {row[0]: row for row in _cells(html, "learning-gains-1")[1:]}
    # Right decisions of 4, pre → post: 1→3, 2→3, 2→4, 0→2, 3→3, 4→3: 50% → 75%.
    assert rows["Keputusan tepat"][1:5] == ["50%", "75%", "+25", "4 · 1 · 1"]
    assert rows["Keputusan tepat"][6] in ("kecil", "sedang", "besar")
    assert "signifikansi" not in rows["Keputusan tepat"][7]  # said once, above the tables
    traps = {row[0]: row for row in _cells(html, "learning-traps-1")[1:]}
    assert traps["Layak diarsipkan"][1:] == ["66,7% (4/6)", "16,7% (1/6)"]  # Dodi, post
    # The cohorts (Banjar: Cici, Dodi, Eka paired; Kotabaru: three) are too small to tell.
    assert "learning-group-3" in html
    for index in (2, 3):
        assert f'id="learning-too-small-{index}"' in html
        assert all(row[6] == TOO_SMALL for row in _cells(html, f"learning-gains-{index}")[1:])
    assert 'id="learning-too-small-1"' not in html
    # The overview marks the test reports.
    assert html.count('class="badge tes">Tes awal<') == 4


def test_a_session_without_tests_has_no_such_section(app, clock):
    code = play_session(app, clock, (("Siti", "Dinas Kesehatan", RIGHT),))
    html = login(app, "ratna").get(f"/fasilitator/sesi/{code}/debrief").get_data(as_text=True)
    assert "learning-section" not in html and "badge tes" not in html


# ------------------------------------------------------------------ the trainee


def _siti_in_the_session(app, clock) -> tuple[str, str, str, str]:
    """bimtek-tes with Siti, who has decided her first tes awal report and her first
    exercise report (feedback "langsung"). Returns (token, code, test no., exercise no.)."""
    with app.app_context():
        owner = facilitator_named("ratna")
        exercise = create_workshop(owner, WorkshopForm(SCENARIO, "Bimtek", "", "", "", ""))
        siti = join_workshop(exercise.code, "Siti", "Dinas Kesehatan")
        command_clock(exercise, "mulai", owner.name)
        db.session.commit()
        token, code, siti_id = siti.token, exercise.code, siti.id
    clock.advance(minutes=AFTER_PRE + 10)  # the exercise has begun to arrive
    with app.app_context():
        siti = db.session.get(Participant, siti_id)
        arrived = visible_complaints(siti)
        test = next(c for c in arrived if phase_of(c.answer_key) == Phase.AWAL)
        practice = next(c for c in arrived if phase_of(c.answer_key) is None)
        decide(siti, test, True, 1)
        decide(siti, practice, True, 2)
        db.session.commit()
        return token, code, test.tracking_no, practice.tracking_no


def test_a_test_report_teaches_nothing_while_the_session_runs(app, clock):
    token, code, test, practice = _siti_in_the_session(app, clock)
    siti = app.test_client()
    siti.get(f"/lanjut/{token}")
    inbox = siti.get("/kotak-masuk").get_data(as_text=True)
    assert re.search(rf'data-tes="{test}">Tes awal<', inbox)
    assert f'data-tes="{practice}"' not in inbox
    page = siti.get(f"/laporan/{test}").get_data(as_text=True)
    assert 'id="tes-badge">Tes awal<' in page
    assert 'id="feedback"' not in page and "Yang diharapkan" not in page
    # An exercise report of the same session teaches at once (feedback "langsung").
    assert 'id="feedback"' in siti.get(f"/laporan/{practice}").get_data(as_text=True)
    card = siti.get("/hasil").get_data(as_text=True)
    assert f'id="score-{practice}"' in card and f"score-{test}" not in card
    assert 'id="my-tests"' not in card

    ratna = login(app, "ratna")
    with app.app_context():
        exercise = db.session.scalar(select(Exercise).where(Exercise.code == code))
        command_clock(exercise, "akhiri", "Bu Ratna")
        db.session.commit()
    page = siti.get(f"/laporan/{test}").get_data(as_text=True)
    assert 'id="feedback"' in page and "Yang diharapkan" in page
    card = siti.get("/hasil").get_data(as_text=True)
    assert 'id="my-tests"' in card and f'id="test-score-{test}"' in card
    assert f"score-{test}\"" not in card.replace(f"test-score-{test}", "")  # not in the exercise
    rows = {row[0]: row for row in _cells(card, "my-test-changes")[1:]}
    assert rows["Keputusan tepat"] == ["Keputusan tepat", "25%", "–", "–"]  # 1 of 4, no tes akhir
    assert "Tes akhir tidak dikerjakan" in card
    assert ratna.get(f"/fasilitator/sesi/{code}/debrief").status_code == 200


def test_hasil_saya_compares_the_trainees_own_tests_after_the_end(app, clock):
    code = play_tests(app, clock, ROOM[:1])
    with app.app_context():
        token = db.session.scalar(select(Participant.token).where(Participant.name == "Ani"))
        numbers = db.session.execute(select(Complaint.tracking_no, Complaint.answer_key).join(
            Participant).where(Participant.name == "Ani")).all()
    ani = app.test_client()
    ani.get(f"/lanjut/{token}")
    card = ani.get("/hasil").get_data(as_text=True)
    rows = {row[0]: row for row in _cells(card, "my-test-changes")[1:]}
    assert rows["Keputusan tepat"][1:] == ["25%", "75%", "+50"]
    assert "tests-missing" not in card
    tests = [n for n, key in numbers if phase_of(key) is not None]
    assert len(tests) == 8 and all(f'id="test-score-{n}"' in card for n in tests)
    assert code


# ------------------------------------------------------------------ studi komparasi and workbooks


def test_the_studi_page_sets_the_sessions_gains_side_by_side(app, clock):
    first = play_tests(app, clock, ROOM, title="Bimtek Kotabaru")
    second = play_tests(app, clock, ROOM[:3], title="Bimtek Banjar")
    ratna = login(app, "ratna")
    html = ratna.get(f"/fasilitator/studi?sesi={first}&sesi={second}").get_data(as_text=True)
    assert 'id="learning-section"' in html
    rows = _cells(html, "learning-gains")
    # Each session's room, then its cohorts.
    assert rows[0][1:] == [first, f"{first} · Banjar", f"{first} · Kotabaru",
                           second, f"{second} · Banjar", f"{second} · Kotabaru"]
    paired = rows[1]
    assert paired[1] == "6 dari 7" and paired[4] == "3 dari 3 terlalu kecil untuk disimpulkan"
    decisions = next(row for row in rows if row[0].startswith("Keputusan tepat"))
    assert decisions[1].startswith("50% → 75% (+25) ")
    # Ani 1→3, Budi 2→3, Cici 2→4 of 4: 41,7% → 83,3%, too few to tell.
    # The group's column already says it is too small (the paired row): its cells give
    # the numbers without a size word, never «kelompok terlalu kecil» in every cell.
    assert decisions[4] == "41,7% → 83,3% (+41,7)"
    assert TOO_SMALL not in " ".join(row[4] for row in rows[2:])
    traps = _cells(html, "learning-traps")
    assert traps[0][1:] == rows[0][1:]

    other = play_session(app, clock, (("Siti", "Dinas Kesehatan", RIGHT),))
    third = play_session(app, clock, (("Andi", "Dinas PUPR", RIGHT),))
    html = ratna.get(f"/fasilitator/studi?sesi={other}&sesi={third}").get_data(as_text=True)
    assert "learning-section" not in html


def test_the_studi_workbook_has_the_tests_with_a_session_column(app, clock):
    first = play_tests(app, clock, ROOM, title="Bimtek Kotabaru")
    second = play_tests(app, clock, ROOM[:3], title="Bimtek Banjar")
    response = login(app, "ratna").get(f"/fasilitator/studi.xlsx?sesi={first}&sesi={second}")
    book = load_workbook(io.BytesIO(response.get_data()))
    rows = list(book["Tes"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Sesi", "Nama", "Unit kerja")
    assert [(r[0], r[1]) for r in rows[1:]] == [
        *[(first, t.name) for t in ROOM], *[(second, t.name) for t in ROOM[:3]]]
    groups = list(book["Tes kelompok"].iter_rows(values_only=True))
    assert groups[0][0] == "Sesi" and {g[0] for g in groups[1:]} == {first, second}
    assert book["Tes jebakan"].cell(1, 1).value == "Sesi"
    notes = [row[1] for row in book["Catatan"].iter_rows(min_row=2, values_only=True)]
    assert GAIN_METHOD in notes


def test_the_session_workbook_has_a_tes_sheet(app, clock):
    code = play_tests(app, clock, ROOM)
    response = login(app, "ratna").get(f"/fasilitator/sesi/{code}/ekspor/hasil.xlsx")
    book = load_workbook(io.BytesIO(response.get_data()))
    rows = list(book["Tes"].iter_rows(values_only=True))
    head = rows[0]
    assert head[:6] == ("Nama", "Unit kerja", "Kohort", "Mengerjakan tes awal",
                        "Mengerjakan tes akhir", "Dihitung berpasangan")
    ani = next(r for r in rows if r[0] == "Ani")
    column = head.index("Keputusan tepat: tes awal (%)")
    assert ani[column:column + 3] == (25, 75, 50)
    gita = next(r for r in rows if r[0] == "Gita")
    assert gita[3:6] == ("Ya", "Tidak", "Tidak") and gita[column + 1] is None
    # The exercise's sheets hold no test report.
    with app.app_context():
        tests = {n for n, key in db.session.execute(select(
            Complaint.tracking_no, Complaint.answer_key)) if phase_of(key) is not None}
    numbers = {r[2] for r in book["Laporan"].iter_rows(min_row=2, values_only=True)}
    assert numbers and not numbers & tests
    facts = {r[0]: r[1] for r in book["Sesi"].iter_rows(values_only=True)}
    assert facts["Tes awal dan tes akhir"] == GAIN_METHOD
