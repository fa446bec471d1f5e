"""The debrief service: distribution per report, best and worst TL by card quality,
rubric overrides logged as session events, and one trainee's replay."""

from __future__ import annotations

import pytest

from sandbox.domain.errors import ValidationError
from sandbox.extensions import db
from sandbox.models import Complaint, Participant, ScoreOverride, SessionEvent
from sandbox.services import debrief as debrief_service
from sandbox.services.accounts import create_facilitator
from sandbox.services.complaints import record_action
from sandbox.services.debrief import (
    Debrief,
    NoSuchFollowUp,
    NoSuchReport,
    NoSuchTrainee,
    rate_follow_up,
)
from sandbox.services.scoring import report_card
from sandbox.services.timekeeping import command_clock
from sandbox.services.workshops import WorkshopForm, create_workshop, join_workshop

GOOD_TL = ("Yth. Bapak/Ibu, terima kasih atas laporan Anda. Petugas Disdukcapil telah memeriksa "
           "berkas KTP-el Anda di kantor Disdukcapil pada Selasa, 3 Maret 2026, dan pencetakan "
           "dijadwalkan pekan depan. Kami akan menginformasikan perkembangan selanjutnya.")
POOR_TL = "Sudah kami terima, terima kasih."
DUKCAPIL = "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Sukamaju"
FORM = {"judul": "KTP-el belum jadi", "klasifikasi": "pengaduan_tidak_berkadar_pengawasan",
        "kategori": "administrasi_kependudukan"}


def _session(clock, names):
    facilitator = create_facilitator(f"f{len(names)}{names[0][:3].lower()}", "Bu Ratna",
                                     "rahasia-123")
    exercise = create_workshop(facilitator, WorkshopForm("bimtek-dasar", "Bimtek", "", "", "",
                                                         ""))
    people = [join_workshop(exercise.code, name, "Dinas Uji") for name in names]
    command_clock(exercise, "mulai", "Bu Ratna")
    clock.advance(minutes=2)
    return exercise, people


def _number(participant, position=1):
    return db.session.scalar(db.select(Complaint.tracking_no).where(
        Complaint.participant_id == participant.id, Complaint.position == position))


def _act(participant, *steps):
    number = _number(participant)
    for i, (action, form) in enumerate(steps):
        record_action(participant, number, action, form, f"{participant.id:04d}-{i}".ljust(20, "k"))


@pytest.fixture
def room(app, clock):
    """Five trainees on report 1 (Disdukcapil; Kec. Tegalsari half right): right with a good
    TL, wrong unit with a poor TL, archived, half right, untouched."""
    with app.app_context():
        exercise, people = _session(clock, ["Ani", "Budi", "Cici", "Dedi", "Eka"])
        ani, budi, cici, dedi, _ = people
        # The half-right kecamatan is the one the generator placed report 1 in: pin it.
        for complaint in db.session.scalars(db.select(Complaint).where(
                Complaint.exercise_id == exercise.id, Complaint.position == 1)):
            complaint.answer_key = {**complaint.answer_key, "partial_targets": ["kec-tegalsari"]}
        _act(ani, ("verifikasi", {**FORM, "unit": "disdukcapil"}),
             ("tindak_lanjut", {"isi": GOOD_TL, "akhir": "1"}))
        _act(budi, ("verifikasi", {**FORM, "unit": "dlh"}),
             ("tindak_lanjut", {"isi": POOR_TL, "akhir": "1"}))
        _act(cici, ("arsipkan", {"alasan": "spam"}))
        _act(dedi, ("verifikasi", {**FORM, "unit": "kec-tegalsari"}))
        db.session.commit()
        return exercise.id, [p.id for p in people]


def _exercise(exercise_id):
    from sandbox.models import Exercise

    return db.session.get(Exercise, exercise_id)


def test_distribution_is_worded_counted_and_marked(app, room):
    exercise_id, _ = room
    with app.app_context():
        # The idle trainee counts in the room's figures only when included.
        report = Debrief(_exercise(exercise_id), include_inactive=True).report(1)
        outcomes = {o.text: (o.count, o.verdict) for o in report.outcomes}
        assert outcomes == {
            "ke Disdukcapil": (1, "tepat"), "ke DLH": (1, "salah"),
            "diarsipkan": (1, "salah"), "ke Kec. Tegalsari": (1, "sebagian"),
            "belum ditangani": (1, "belum"),
        }
        assert (report.total, report.right) == (5, 1)
        assert report.answer.outcome == "ke Disdukcapil"
        assert report.answer.target == "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Sukamaju"
        assert report.answer.partial == ["Kecamatan Tegalsari"]
        assert report.answer.klasifikasi == "Pengaduan tidak berkadar pengawasan"
        assert "Disdukcapil" in report.answer.explanation
        assert "1 ke Disdukcapil" in report.summary and "1 belum ditangani" in report.summary


def test_nobody_right_still_shows_the_right_outcome(app, clock):
    with app.app_context():
        exercise, (ani,) = _session(clock, ["Ani"])
        _act(ani, ("arsipkan", {"alasan": "spam"}))
        outcomes = {o.text: o.count for o in Debrief(exercise).report(1).outcomes}
        assert outcomes == {"diarsipkan": 1, "ke Disdukcapil": 0}


def test_best_and_worst_tl_follow_card_quality_and_rubric(app, room):
    exercise_id, (ani, budi, *_) = room
    with app.app_context():
        exercise = _exercise(exercise_id)
        debrief = Debrief(exercise)
        ranked = debrief.follow_ups(debrief.report(1))
        assert [f.trainee.id for f in ranked] == [ani, budi]  # only two wrote a TL
        assert ranked[0].trainee.label(False) == "Peserta 1"
        assert ranked[0].quality > ranked[1].quality
        assert ranked[0].text == GOOD_TL and ranked[0].rubric is None

        complaint = ranked[1].complaint
        rate_follow_up(exercise, str(complaint.id), str(ranked[1].seq), "5", "Bu Ratna")
        rate_follow_up(exercise, str(ranked[0].complaint.id), str(ranked[0].seq), "1",
                       "Bu Ratna")
        db.session.commit()

        card = report_card(db.session.get(Participant, budi))
        assert next(r for r in card.reports if r.tracking_no == complaint.tracking_no
                    ).quality == 1.0
        again = Debrief(_exercise(exercise_id))
        ranked = again.follow_ups(again.report(1))
        assert [f.trainee.id for f in ranked] == [budi, ani]
        assert ranked[0].rubric.value == 5 and ranked[0].rubric.actor == "Bu Ratna"
        assert ranked[0].verdict.startswith("Dinilai fasilitator: 5/5")
        logged = db.session.scalars(db.select(SessionEvent).where(
            SessionEvent.exercise_id == exercise_id, SessionEvent.kind == "nilai_tl")).all()
        assert [e.payload["rubric"] for e in logged] == [5, 1]
        assert logged[0].payload["complaint_id"] == complaint.id
        assert logged[0].actor == "Bu Ratna"


@pytest.mark.parametrize("rubric", ["0", "6", "x", ""])
def test_invalid_rubric_is_refused_and_nothing_is_stored(app, room, rubric):
    exercise_id, (ani, *_) = room
    with app.app_context():
        exercise = _exercise(exercise_id)
        debrief = Debrief(exercise)
        best = debrief.follow_ups(debrief.report(1))[0]
        with pytest.raises(ValidationError) as error:
            rate_follow_up(exercise, str(best.complaint.id), str(best.seq), rubric, "Bu Ratna")
        assert error.value.errors == {"rubric": "Nilai rubrik harus 1 sampai 5."}
        db.session.rollback()
        assert db.session.scalar(db.select(db.func.count()).select_from(ScoreOverride)) == 0


def test_a_tl_of_another_session_is_not_found(app, room, clock):
    exercise_id, _ = room
    with app.app_context():
        other, (zed,) = _session(clock, ["Zed"])
        _act(zed, ("verifikasi", {**FORM, "unit": "disdukcapil"}),
             ("tindak_lanjut", {"isi": GOOD_TL, "akhir": "1"}))
        theirs = db.session.scalar(db.select(Complaint).where(
            Complaint.participant_id == zed.id, Complaint.position == 1))
        for complaint_id in (str(theirs.id), "x", "", "99999999"):
            with pytest.raises(NoSuchFollowUp):
                rate_follow_up(_exercise(exercise_id), complaint_id, "2", "4", "Bu Ratna")
        with pytest.raises(NoSuchReport):
            Debrief(_exercise(exercise_id)).report(99)
        with pytest.raises(NoSuchTrainee):
            Debrief(_exercise(exercise_id)).replay(zed.id)


def test_replay_lists_one_trainees_events_in_time_order(app, room, clock):
    exercise_id, (ani, budi, *_) = room
    with app.app_context():
        ani_p = db.session.get(Participant, ani)
        clock.advance(minutes=1)
        number = _number(ani_p, 2)
        record_action(ani_p, number, "verifikasi", {**FORM, "judul": "Jalan berlubang",
                                                    "klasifikasi": "aspirasi",
                                                    "kategori": "infrastruktur",
                                                    "unit": "pupr"}, "later-step-000000")
        db.session.commit()
        replay = Debrief(_exercise(exercise_id)).replay(ani)
        assert [(s.complaint.position, s.event.action) for s in replay.steps] == [
            (1, "verifikasi"), (1, "tindak_lanjut"), (2, "verifikasi")]
        assert [s.number for s in replay.steps] == [1, 2, 3]
        assert {s.complaint.participant_id for s in replay.steps} == {ani}
        first, tl, later = replay.steps
        assert (first.tone, first.verdict) == ("tepat", f"Tepat ke {DUKCAPIL}.")
        assert tl.follow_up is not None and tl.follow_up.text == GOOD_TL
        # Report 2 went to the right unit (PUPR) with the wrong klasifikasi: the tone is the
        # decision's verdict, as scoring judges it; the classification is a note beside it.
        assert later.tone == "tepat"
        assert later.verdict.startswith(
            "Tepat ke Dinas Pekerjaan Umum dan Penataan Ruang Kabupaten Sukamaju.")
        assert "Klasifikasi seharusnya Pengaduan tidak berkadar pengawasan." in later.verdict
        budi_steps = Debrief(_exercise(exercise_id)).replay(budi).steps
        assert budi_steps[0].tone == "salah"
        assert budi_steps[0].verdict == (f"Salah tujuan: Dinas Lingkungan Hidup Kabupaten Sukamaju; "
                                         f"seharusnya {DUKCAPIL}.")


def test_report_cards_are_computed_once_per_debrief(app, room, monkeypatch):
    exercise_id, people = room
    calls = []
    real = debrief_service.report_cards

    def counting(exercise, participants, *args, **kwargs):
        calls.append(sorted(p.id for p in participants))
        return real(exercise, participants, *args, **kwargs)

    monkeypatch.setattr(debrief_service, "report_cards", counting)
    with app.app_context():
        debrief = Debrief(_exercise(exercise_id), include_inactive=True)
        for report in debrief.reports():
            debrief.follow_ups(report)
        debrief.replay(people[0])
        assert calls == [sorted(people)]  # every card once, in one batch


def test_names_are_hidden_until_revealed(app, room):
    exercise_id, _ = room
    with app.app_context():
        trainee = Debrief(_exercise(exercise_id)).trainees[1]
        assert trainee.label(False) == "Peserta 2"
        assert trainee.label(True) == "Peserta 2 · Budi (Dinas Uji)"
        assert trainee.shown("Salam, BUDI dari dinas", False) == "Salam, [nama peserta] dari dinas"
        assert trainee.shown("Salam, Budi", True) == "Salam, Budi"
