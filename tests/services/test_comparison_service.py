"""Studi komparasi through the services: the verdict on each report agrees with the
debrief's, only counted participants are compared, and in mode tim the teams are."""

from __future__ import annotations

from sandbox.domain.session import ClockCommand
from sandbox.extensions import db
from sandbox.services.comparison import compare_exercises, session_results
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
