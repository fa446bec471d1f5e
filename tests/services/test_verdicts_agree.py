"""The debrief and the dashboard judge each decision exactly as the report card does: a table
of cases, one trainee per case, through the ordinary services."""

from __future__ import annotations

from collections import Counter

import pytest

from sandbox.domain.decisions import Verdict
from sandbox.domain.scoring import Dimension
from sandbox.extensions import db
from sandbox.models import Complaint, Exercise, Participant
from sandbox.services.accounts import create_facilitator
from sandbox.services.complaints import record_action
from sandbox.services.dashboard import dashboard
from sandbox.services.debrief import Debrief
from sandbox.services.scoring import report_card
from sandbox.services.timekeeping import command_clock
from sandbox.services.workshops import WorkshopForm, create_workshop, join_workshop

T, S, W, B = Verdict.TEPAT, Verdict.SEBAGIAN, Verdict.SALAH, Verdict.BELUM
FORM = {"judul": "Laporan warga untuk ditindaklanjuti",
        "klasifikasi": "pengaduan_tidak_berkadar_pengawasan",
        "kategori": "administrasi_kependudukan"}
QUESTION = {"pertanyaan": "Mohon sebutkan alamat lengkap lokasi kejadian."}


def verify(unit):
    return ("verifikasi", {**FORM, "unit": unit})


# Report 1 of bimtek-dasar: Disdukcapil, Kecamatan Tegalsari half right; for this test the
# Kecamatan Wonosari is as right as Disdukcapil. Report 2 is made a tunda report (ask first,
# then Dinas PUPR).
# (case, position, steps, verdict of the debrief, the dashboard and the card)
CASES = [
    ("right-unit", 1, [verify("disdukcapil")], T),
    ("acceptable-unit", 1, [verify("kec-wonosari")], T),
    ("half-right-unit", 1, [verify("kec-tegalsari")], S),
    ("wrong-unit", 1, [verify("dlh")], W),
    ("archived-valid", 1, [("arsipkan", {"alasan": "spam"})], W),
    ("redisposed-right", 1, [verify("dlh"), ("kembalikan", {"alasan": "Bukan wewenang DLH."}),
                             verify("disdukcapil")], T),
    ("untouched", 1, [], B),
    ("tunda-waiting", 2, [("tunda", QUESTION)], T),
    ("tunda-unanswered-archived", 2, [("tunda", QUESTION),
                                      ("arsipkan", {"alasan": "tidak_ada_informasi"})], T),
    ("tunda-skipped", 2, [verify("pupr")], S),
    ("tunda-archived-as-spam", 2, [("tunda", QUESTION), ("arsipkan", {"alasan": "spam"})], W),
]
TUNDA_KEY = {"expected_action": "tunda", "expected_target": "pupr",
             "acceptable_targets": [], "partial_targets": []}
# The dashboard's «Disposisi tepat» per case: (counted, exact). Not counted: untouched, a
# tunda still awaiting its answer, and an archive after an unanswered tunda (nothing to route).
ROUTED = {"right-unit": (1, 1), "acceptable-unit": (1, 1), "half-right-unit": (1, 0),
          "wrong-unit": (1, 0), "archived-valid": (1, 0), "redisposed-right": (1, 1),
          "untouched": (0, 0), "tunda-waiting": (0, 0), "tunda-unanswered-archived": (0, 0),
          "tunda-skipped": (1, 1), "tunda-archived-as-spam": (1, 0)}


@pytest.fixture
def room(app, clock):
    """One trainee per case, each also verifying report 3 so that everyone counts."""
    with app.app_context():
        facilitator = create_facilitator("vera", "Bu Vera", "rahasia-123")
        exercise = create_workshop(facilitator, WorkshopForm("bimtek-dasar", "Bimtek", "", "",
                                                             "", ""))
        people = {case: join_workshop(exercise.code, f"Peserta {case}", "Dinas Uji")
                  for case, *_ in CASES}
        command_clock(exercise, "mulai", "Bu Vera")
        clock.advance(minutes=8)  # reports 1 to 3 have arrived (+1 and +5..7 minutes)
        for complaint in db.session.scalars(db.select(Complaint).where(
                Complaint.exercise_id == exercise.id, Complaint.position.in_((1, 2)))):
            complaint.answer_key = {**complaint.answer_key, **(
                TUNDA_KEY if complaint.position == 2 else {"acceptable_targets": ["kec-wonosari"],
                                                           "partial_targets": ["kec-tegalsari"]})}
        for case, position, steps, _ in CASES:
            participant = people[case]
            plan = [*[(position, step) for step in steps], (3, verify("pdam"))]
            for i, (where, (action, form)) in enumerate(plan):
                number = db.session.scalar(db.select(Complaint.tracking_no).where(
                    Complaint.participant_id == participant.id, Complaint.position == where))
                record_action(participant, number, action, form, f"{case}-{i}".ljust(20, "k"))
        db.session.commit()
        return exercise.id, {case: p.id for case, p in people.items()}


@pytest.mark.parametrize("position", [1, 2])
def test_the_debriefs_bars_and_the_dashboards_heat_map_count_the_tables_verdicts(
        app, room, position):
    exercise_id, _ = room
    # Every trainee has a copy; those whose case is on the other report left this one.
    expected = Counter(verdict if where == position else B for _, where, _, verdict in CASES)
    with app.app_context():
        exercise = db.session.get(Exercise, exercise_id)
        debrief = Counter()
        for outcome in Debrief(exercise).report(position).outcomes:
            debrief[outcome.verdict] += outcome.count
        assert +debrief == expected  # (+ drops the right outcome shown with 0)
        number = db.session.scalar(db.select(Complaint.tracking_no).where(
            Complaint.exercise_id == exercise_id, Complaint.position == position))
        _, reports = dashboard(exercise)
        heat = next(r for r in reports if r.tracking_no == number)
        board = Counter()
        for (_, verdict), count in heat.outcomes.items():
            board[verdict] += count
        assert board == expected
        assert heat.right == expected[T] == Debrief(exercise).report(position).right


@pytest.mark.parametrize(("case", "position", "steps", "verdict"), CASES,
                         ids=[case[0] for case in CASES])
def test_each_trainees_replay_and_card_agree_with_the_verdict(app, room, case, position,
                                                              steps, verdict):
    exercise_id, ids = room
    with app.app_context():
        exercise = db.session.get(Exercise, exercise_id)
        replay = Debrief(exercise).replay(ids[case])
        decided = [s for s in replay.steps if s.complaint.position == position and s.tone]
        assert (decided[-1].tone if decided else B) == verdict
        complaint = db.session.scalar(db.select(Complaint).where(
            Complaint.participant_id == ids[case], Complaint.position == position))
        card = next(r for r in report_card(db.session.get(Participant, ids[case])).reports
                    if r.tracking_no == complaint.tracking_no)
        action = next(x for x in card.lines if x.dimension == Dimension.AKSI)
        routing = [x for x in card.lines if x.dimension == Dimension.ROUTING]
        if verdict == T:  # full points for the action, and an exact destination if judged
            assert action.points == action.maximum
            waiting = case == "tunda-waiting"  # routed once the reporter has answered
            assert not routing or card.routed_exactly or waiting
        elif verdict == W:
            assert action.points == 0 or routing[0].points == 0
        elif verdict == S:
            got = action.points + sum(x.points for x in routing)
            assert 0 < got < action.maximum + sum(x.maximum for x in routing)
        if verdict in (S, W):  # the replay gives the card's own reason
            assert any(x.explanation in decided[-1].verdict for x in [action, *routing])


def test_each_trainees_routing_accuracy_on_the_dashboard_follows_the_cards_exactness(
        app, room):
    exercise_id, ids = room
    with app.app_context():
        exercise = db.session.get(Exercise, exercise_id)
        trainees, _ = dashboard(exercise)
        rows = {row.participant.id: (row.routed, row.routed_right) for row in trainees}
        third = db.session.scalar(db.select(Complaint).where(
            Complaint.exercise_id == exercise_id, Complaint.position == 3))
        pdam_right = int(third.answer_key.get("expected_target") == "pdam")  # report 3
        assert rows == {ids[case]: (counted + 1, exact + pdam_right)
                        for case, (counted, exact) in ROUTED.items()}
