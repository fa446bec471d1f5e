"""Tes awal and tes akhir through the services: test reports stored with their phase,
left out of the exercise's card (so of the board, the debrief's cards and the exports)
and scored on their own cards; the room's learning measured from the counted people (the
teams in mode tim), and an archive that keeps the tests."""

from __future__ import annotations

from sqlalchemy import select

from sandbox.domain.comparison import TOO_SMALL
from sandbox.domain.decisions import Verdict
from sandbox.domain.learning import Phase, phase_of
from sandbox.extensions import db
from sandbox.models import Complaint, Participant
from sandbox.services.archive import export_archive, import_archive
from sandbox.services.debrief import Debrief
from sandbox.services.exports import session_results, workshop_by_code
from sandbox.services.leaderboard import standings
from sandbox.services.learning import card_holders, own_learning, session_learning_of
from sandbox.services.scoring import cards_for_test, report_card
from tests.exports_kit import facilitator_named
from tests.learning_kit import Trainee, play_tests

# Right decisions of 4 in the tes awal and the tes akhir; Gita never takes the tes akhir,
# Hadi takes no test at all (and so never acts: not counted).
ROOM = (Trainee("Ani", "Dinas Kesehatan", 1, 3, "Kotabaru"),
        Trainee("Budi", "Dinas PUPR", 2, 3, "Kotabaru"),
        Trainee("Cici", "Dinas Sosial", 2, 4, "Banjar"),
        Trainee("Dodi", "Dinas Pendidikan", 0, 2, "Banjar"),
        Trainee("Eka", "Bappeda", 3, 3, "Banjar"),
        Trainee("Fajar", "DLH", 4, 3, "Kotabaru"),
        Trainee("Gita", "Diskominfo", 2, None, "Banjar"),
        Trainee("Hadi", "Inspektorat", None, None))


def _person(name: str) -> Participant:
    return db.session.scalar(select(Participant).where(Participant.name == name))


def _tests(person: Participant) -> dict[Phase, set[str]]:
    found: dict[Phase, set[str]] = {Phase.AWAL: set(), Phase.AKHIR: set()}
    for complaint in db.session.scalars(select(Complaint).where(
            Complaint.participant_id == person.owner_id)):
        phase = phase_of(complaint.answer_key)
        if phase is not None:
            found[phase].add(complaint.tracking_no)
    return found


def test_test_reports_are_stored_with_their_phase_and_scored_apart(app, clock):
    code = play_tests(app, clock, ROOM[:2], end=False)
    with app.app_context():
        ani = _person("Ani")
        tests = _tests(ani)
        assert [len(tests[p]) for p in Phase] == [4, 4]
        exercise_card = report_card(ani)
        numbers = {r.tracking_no for r in exercise_card.reports}
        assert numbers and not numbers & (tests[Phase.AWAL] | tests[Phase.AKHIR])
        # Ani acted only on the tests: her exercise card has nothing handled, her test
        # cards have every report handled.
        assert exercise_card.summary.handled == 0
        exercise = workshop_by_code(code)
        for phase in Phase:
            card = cards_for_test(exercise, [ani], phase)[ani.id]
            assert {r.tracking_no for r in card.reports} == tests[phase]
            assert card.summary.handled == 4
        # The same judge as the exercise: the first report of her tes awal (decided right)
        # is scored by the rules of every report.
        first = cards_for_test(exercise, [ani], Phase.AWAL)[ani.id].reports[0]
        assert first.did.startswith("disposisi") and first.points() > 0


def test_the_board_the_debrief_and_the_exports_read_the_exercise_card_only(app, clock):
    code = play_tests(app, clock, ROOM[:2])
    with app.app_context():
        exercise = workshop_by_code(code)
        ani = _person("Ani")
        tests = _tests(ani)[Phase.AWAL] | _tests(ani)[Phase.AKHIR]
        assert all(s.handled == 0 for s in standings(exercise))
        for result in session_results(exercise):
            assert not {r.tracking_no for r in result.card.reports} & tests
        debrief = Debrief(exercise)
        assert not {r.tracking_no for r in debrief.card(ani.id).reports} & tests
        phases = {r.tracking_no: r.phase for r in debrief.reports()}
        assert {n for n, p in phases.items() if p == Phase.AWAL} == _tests(ani)[Phase.AWAL]


def test_the_rooms_learning_is_measured_from_the_counted_people(app, clock):
    code = play_tests(app, clock, ROOM)
    with app.app_context():
        exercise = workshop_by_code(code)
        holders = card_holders(exercise)
        assert [p.name for p in holders] == [t.name for t in ROOM[:7]]  # Hadi never acted
        learning = session_learning_of(exercise, "Semua peserta")
        room = learning.room
        assert (room.members, room.paired, room.without_pre, room.without_post) == (7, 6, 0, 1)
        decisions = next(g for g in room.gains if g.measure.key == "keputusan")
        # Right of 4, pre → post: 1→3, 2→3, 2→4, 0→2, 3→3, 4→3 (Gita has no tes akhir).
        assert decisions.mean_pre == 50 and decisions.mean_post == 75
        assert (decisions.improved, decisions.same, decisions.worse) == (4, 1, 1)
        assert decisions.size != TOO_SMALL
        # The cohorts: Banjar has Cici, Dodi, Eka paired (Gita lacks one), Kotabaru three.
        assert [(g.label, g.members, g.paired) for g in learning.groups[1:]] == [
            ("Semua peserta · Banjar", 4, 3), ("Semua peserta · Kotabaru", 3, 3)]
        assert all(g.too_small for g in learning.groups[1:])
        # The verdicts are the one judge's: Dodi fell into every trap.
        dodi = next(x for x in learning.learners if x.label == "Dodi")
        assert {dodi.pre.verdict(r.tracking_no) for r in dodi.pre.card.reports} == \
            {Verdict.SALAH}


def test_a_session_without_tests_has_no_learning(app, clock):
    from tests.comparison_kit import RIGHT, play_session

    code = play_session(app, clock, (("Siti", "Dinas Kesehatan", RIGHT),))
    with app.app_context():
        assert session_learning_of(workshop_by_code(code), "Semua peserta") is None
        assert own_learning(_person("Siti")) is None


def test_in_mode_tim_the_teams_take_the_tests(app, clock):
    code = play_tests(app, clock, (Trainee("Ina", "Diskominfo", 4, 4),
                                   Trainee("Oki", "Dinas Sosial", None, None)), mode="tim")
    with app.app_context():
        exercise = workshop_by_code(code)
        learning = session_learning_of(exercise, "Semua tim")
        assert learning.teams
        assert [x.label for x in learning.learners] == ["Tim 1"]  # Oki's team never acted
        assert learning.learners[0].paired
        ina = own_learning(_person("Ina"))
        assert ina.label == "Tim 1" and ina.pre.card.summary.handled == 4


def test_an_archive_keeps_the_tests(app, clock):
    code = play_tests(app, clock, ROOM[:2])
    with app.app_context():
        exercise = workshop_by_code(code)
        before = session_learning_of(exercise, "A")
        data = export_archive(exercise)
        copy = import_archive(data, facilitator_named("budi")).exercise
        db.session.flush()
        after = session_learning_of(copy, "A")
        assert after is not None
        assert [(x.label, x.paired) for x in after.learners] == \
            [(x.label, x.paired) for x in before.learners]
        assert after.room.gains == before.room.gains


def test_the_debrief_judges_a_test_reports_tl_on_the_tests_card(app, clock):
    code = play_tests(app, clock, ROOM[:2])
    with app.app_context():
        debrief = Debrief(workshop_by_code(code))
        first = next(r for r in debrief.reports() if r.phase == Phase.AWAL)  # a disposition
        follow_ups = debrief.follow_ups(first)
        assert [f.trainee.participant.name for f in follow_ups] == ["Ani", "Budi"]
        assert all(f.quality > 0 for f in follow_ups)
        ani = _person("Ani")
        steps = [s for s in debrief.replay(ani.id).steps if s.action == "Tindak lanjut"]
        assert steps and all(s.follow_up is not None for s in steps)
        assert not any((s.verdict or "").startswith("TL ini tidak dinilai") for s in steps)
