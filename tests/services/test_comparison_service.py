"""Studi komparasi through the services: the verdict on each report agrees with the
debrief's, only counted participants are compared, and in mode tim the teams are."""

from __future__ import annotations

import io
import math

from openpyxl import load_workbook

from sandbox.domain.comparison import Member, SessionFacts, SessionResults, compare
from sandbox.domain.scoring import ReportScore
from sandbox.domain.session import ClockCommand
from sandbox.extensions import db
from sandbox.services.comparison import compare_exercises, comparison_xlsx, session_results
from sandbox.services.complaints import get_complaint, record_action, visible_complaints
from sandbox.services.debrief import Debrief
from sandbox.services.exports import workshop_by_code
from sandbox.services.timekeeping import command_clock
from sandbox.services.workshops import WorkshopForm, create_workshop, join_workshop
from tests.comparison_kit import IDLE, RIGHT, WRONG, play_session
from tests.exports_kit import facilitator_named
from tests.web.kit import form_key


def test_each_reports_verdict_agrees_with_the_debrief(app, clock):
    code = play_session(app, clock, (("Siti", "Dinas Kesehatan", RIGHT),
                                     ("Andi", "Dinas PUPR", WRONG), ("Dodi", "Bappeda", IDLE)))
    with app.app_context():
        exercise = workshop_by_code(code)
        session = session_results(exercise)
        assert [m.label for m in session.members] == ["Andi", "Siti"]  # Dodi never acted
        group = compare_exercises([exercise, exercise], labels=["A", "B"]).groups[0]
        debrief = Debrief(exercise)
        assert debrief.reports()
        for report in debrief.reports():
            trap = group.traps[report.tracking_no]
            assert (trap.right, trap.received) == (report.right, report.total), report.position
        assert any(0 < trap.right < trap.received for trap in group.traps.values())


def _team_session(app, clock, mode: str) -> str:
    """bimtek-dasar played as teams (mode tim) or individually: Ina verifies the first
    report to where it belongs; Oki joins and never acts."""
    with app.app_context():
        owner = facilitator_named("ratna")
        exercise = create_workshop(owner, WorkshopForm(
            "bimtek-dasar", "Bimtek tim", "", "", "", "", mode=mode))
        seat = {"seat": "baru:instansi"} if mode == "tim" else {}
        ina = join_workshop(exercise.code, "Ina", "Diskominfo", **seat)
        join_workshop(exercise.code, "Oki", "Dinas Sosial", **seat)  # a second team in tim
        command_clock(exercise, ClockCommand.MULAI, owner.name)
        db.session.commit()
        code, ina_id = exercise.code, ina.id
    clock.advance(minutes=10)
    with app.app_context():
        from sandbox.models import Participant

        ina = db.session.get(Participant, ina_id)
        first = visible_complaints(ina)[0]
        key = first.answer_key
        complaint = get_complaint(ina, first.tracking_no)
        record_action(ina, first.tracking_no, "verifikasi", {
            "judul": "Laporan warga", "klasifikasi": key["klasifikasi"],
            "kategori": key["kategori"], "unit": key["expected_target"]},
            form_key(), len(complaint.events))
        db.session.commit()
    return code


def test_in_mode_tim_the_teams_are_compared(app, clock):
    first = _team_session(app, clock, "tim")
    second = _team_session(app, clock, "tim")
    with app.app_context():
        comparison = compare_exercises([workshop_by_code(first), workshop_by_code(second)])
        assert not comparison.compatibility.mismatches
        for session in comparison.sessions:
            assert session.teams and session.facts.mode == "tim"
            # Ina's team acted; Oki's team (Oki alone, who never acted) is not counted.
            assert [m.label for m in session.members] == ["Tim 1"]
            assert session.members[0].reports  # the team's shared reports
        assert [g.figures.participants for g in comparison.groups] == [1, 1]


def test_a_session_played_as_teams_is_not_compared_with_individuals(app, clock):
    teams = _team_session(app, clock, "tim")
    alone = _team_session(app, clock, "individu")
    with app.app_context():
        comparison = compare_exercises([workshop_by_code(teams), workshop_by_code(alone)])
        assert comparison.compatibility.refused and comparison.groups == ()
        assert comparison.compatibility.reasons == [
            f"Mode sesi berbeda: {teams} «tim», {alone} «individu»."]


def _room(code: str, totals: list[float]) -> SessionResults:
    """A session of five participants with these totals and one idle report each."""
    facts = SessionFacts(code=code, scenario="bimtek-dasar", seed=2026, scoring_version=1,
                         region_file="kabupaten-sukamaju.toml", mode="individu")
    members = tuple(Member(f"{code}{i}", (ReportScore(
        tracking_no=f"R{i}", lines=[], did="", expected="", explanation="",
        first_time_correct=None, routed_exactly=None, verify_hk=None, first_tl_hk=None,
        breaches=0, quality=None, confidentiality_errors=0, has_tl=False, selesai=False),),
        total) for i, total in enumerate(totals))
    return SessionResults(facts, code, members, {})


def test_the_workbook_gives_the_standardised_difference_as_the_page_words_it():
    """0.7997 pooled SDs: «sedang», so the workbook says 0.79 beside it, not 0.8."""
    shift = 0.7997 * math.sqrt(250)  # totals 60..100 have a variance of 250
    comparison = compare([_room("KTB", [60, 70, 80, 90, 100]),
                          _room("BJR", [t - shift for t in (60, 70, 80, 90, 100)])])
    book = load_workbook(io.BytesIO(comparison_xlsx(comparison)))
    rows = {row[2]: row for row in book["Perbedaan"].iter_rows(min_row=2, values_only=True)}
    total = rows["Nilai total (%)"]
    assert (total[0], total[1], total[8], total[9]) == ("KTB", "BJR", 0.79, "sedang")
    assert "selisihnya 0,79 kali" in total[10]
