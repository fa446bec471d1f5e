"""Mode OPD (issue 13): each trainee is the admin penghubung of their own OPD; a simulated
Admin Instansi disposes reports to them, some wrongly, and re-disposes what they return."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sandbox.domain.decisions import wrongly_disposed
from sandbox.domain.errors import RoleError, ValidationError
from sandbox.domain.scoring import Dimension
from sandbox.domain.session import ClockCommand
from sandbox.domain.workflow import Action, Actor, State, actions_for, replay
from sandbox.extensions import db
from sandbox.models import Complaint
from sandbox.services.accounts import create_facilitator
from sandbox.services.complaints import actor_on, record_action, visible_complaints
from sandbox.services.scoring import report_card
from sandbox.services.ticker import tick
from sandbox.services.timekeeping import command_clock
from sandbox.services.workshops import WorkshopForm, create_workshop, join_workshop
from tests.web.kit import form_key

TL = ("Petugas Puskesmas Sukamaju telah memeriksa keluhan ini pada Selasa, 3 Maret 2026 "
      "pukul 09.00 di lokasi yang disebut pelapor, dan jadwal layanan diperbaiki mulai Rabu.")
WHY = "Laporan ini bukan wewenang OPD kami: mohon diteruskan ke instansi yang berwenang."


@pytest.fixture
def room(app, clock):
    """A mode-OPD workshop with two trainees of different OPDs, its clock started."""
    with app.app_context():
        ratna = create_facilitator("ratna", "Bu Ratna", "rahasia-123")
        exercise = create_workshop(ratna, WorkshopForm("opd-penghubung", "OPD", "", "", "", ""))
        siti = join_workshop(exercise.code, "Siti", "dinas kesehatan")
        budi = join_workshop(exercise.code, "Budi", "Dinas Pendidikan")
        command_clock(exercise, ClockCommand.MULAI, "Bu Ratna")
        db.session.commit()
        yield exercise, siti, budi


def _at_minute(clock, minutes):
    clock.advance(minutes=minutes)
    tick()
    db.session.commit()


def _reports(participant):
    return list(db.session.scalars(select(Complaint).where(
        Complaint.participant_id == participant.id).order_by(Complaint.position)))


def test_a_trainee_joins_as_the_penghubung_of_an_opd_of_the_region(room):
    exercise, siti, budi = room
    assert (siti.unit_code, siti.unit_name) == ("dinkes", "Dinas Kesehatan Kabupaten Sukamaju")
    assert budi.unit_code == "disdik"
    with pytest.raises(ValidationError) as refused:
        join_workshop(exercise.code, "Ani", "Dinas Pariwisata")  # no reports of its own
    assert "tidak ada di daftar OPD" in refused.value.errors["unit_name"]


def test_every_report_fits_the_trainees_opd_or_is_a_planned_wrong_disposition(room):
    _exercise, siti, budi = room
    for trainee in (siti, budi):
        reports = _reports(trainee)
        wrong = [wrongly_disposed(c.answer_key, trainee.unit_code) for c in reports]
        assert len(reports) == 8 and sum(wrong) == 2
        assert all(c.script["instansi"]["unit"] == trainee.unit_code for c in reports)
    # The same moments, and wrong dispositions at the same positions, for both OPDs.
    assert [c.arrived_at for c in _reports(siti)] == [c.arrived_at for c in _reports(budi)]
    assert [wrongly_disposed(c.answer_key, "dinkes") for c in _reports(siti)] == \
        [wrongly_disposed(c.answer_key, "disdik") for c in _reports(budi)]


def test_a_report_shows_once_the_simulated_admin_instansi_disposed_it(room, clock):
    _exercise, siti, _budi = room
    first = _reports(siti)[0]
    _at_minute(clock, 2.5)  # arrived (minute 2), not yet disposed (0.25 HK = 1 minute later)
    assert db.session.get(Complaint, first.id).state == State.BARU.value
    assert visible_complaints(siti) == []
    _at_minute(clock, 1)
    shown = visible_complaints(siti)
    assert [c.id for c in shown] == [first.id]
    disposed = shown[0].events[0]
    assert (disposed.action, disposed.role, disposed.actor) == (
        "verifikasi", "admin_instansi", "Admin Instansi (simulasi)")
    assert disposed.payload["unit"] == "dinkes"
    assert actor_on(siti, shown[0]) == Actor.PESERTA_PENGHUBUNG
    assert actions_for(State.TERDISPOSISI, Actor.PESERTA_PENGHUBUNG) == [
        Action.KEMBALIKAN, Action.TINDAK_LANJUT]


def test_a_returned_report_is_redisposed_and_leaves_the_trainees_hands(room, clock):
    _exercise, siti, _budi = room
    _at_minute(clock, 30)
    wrong = next(c for c in visible_complaints(siti)
                 if wrongly_disposed(c.answer_key, "dinkes"))
    record_action(siti, wrong.tracking_no, "kembalikan", {"alasan": WHY}, form_key())
    db.session.commit()
    assert db.session.get(Complaint, wrong.id).state == State.BARU.value
    with pytest.raises(RoleError, match="tidak sedang berada di OPD Anda"):
        record_action(siti, wrong.tracking_no, "tindak_lanjut", {"isi": TL}, form_key())
    db.session.rollback()
    _at_minute(clock, 1.5)  # the simulated Admin Instansi re-disposes 0.25 HK later
    view = replay(e.to_record() for e in db.session.get(Complaint, wrong.id).events)
    key = wrong.answer_key
    if key["expected_action"] == "bukan_wewenang":
        assert (view.state, view.agency) == (State.BUKAN_WEWENANG, key["expected_target"])
    else:
        assert (view.state, view.unit) == (State.TERDISPOSISI, key["expected_target"])
    assert wrong.id in {c.id for c in visible_complaints(siti)}  # still in their history
    with pytest.raises(RoleError):
        record_action(siti, wrong.tracking_no, "tindak_lanjut", {"isi": TL}, form_key())


def test_a_right_report_returned_comes_back_with_a_note(room, clock):
    _exercise, siti, _budi = room
    _at_minute(clock, 5)
    right = next(c for c in visible_complaints(siti)
                 if not wrongly_disposed(c.answer_key, "dinkes"))
    record_action(siti, right.tracking_no, "kembalikan", {"alasan": WHY}, form_key())
    db.session.commit()
    _at_minute(clock, 1.5)
    back = db.session.get(Complaint, right.id).events[-1]
    assert (back.action, back.payload["unit"]) == ("verifikasi", "dinkes")
    assert "memang wewenang OPD Anda" in back.payload["catatan"]


def test_the_penghubung_is_scored_on_the_receiving_end_only(room, clock):
    _exercise, siti, _budi = room
    _at_minute(clock, 30)
    shown = visible_complaints(siti)
    wrong = [c for c in shown if wrongly_disposed(c.answer_key, "dinkes")]
    right = [c for c in shown if not wrongly_disposed(c.answer_key, "dinkes")]
    assert wrong and len(right) >= 2
    record_action(siti, wrong[0].tracking_no, "kembalikan", {"alasan": WHY}, form_key())
    record_action(siti, right[0].tracking_no, "tindak_lanjut", {"isi": TL}, form_key())
    record_action(siti, right[1].tracking_no, "kembalikan", {"alasan": WHY}, form_key())
    db.session.commit()
    card = report_card(siti)
    by_number = {r.tracking_no: r for r in card.reports}
    assert set(by_number) == {c.tracking_no for c in shown}, "only what reached the OPD"

    def points(complaint, dimension):
        return sum(x.points for x in by_number[complaint.tracking_no].lines
                   if x.dimension == dimension and x.passed is None)

    assert points(wrong[0], Dimension.PENERIMAAN) == 25
    assert points(right[0], Dimension.PENERIMAAN) == 25
    assert points(right[1], Dimension.PENERIMAAN) == 0
    scored = {x.dimension for r in card.reports for x in r.lines}
    assert not scored & {Dimension.ROUTING, Dimension.AKSI, Dimension.KLASIFIKASI}
    assert by_number[wrong[0].tracking_no].did == "kembalikan ke admin instansi"
    assert by_number[wrong[0].tracking_no].expected.startswith("kembalikan ke Admin Instansi")
    assert "dikembalikan ke Admin Instansi" in next(
        x.explanation for x in by_number[wrong[0].tracking_no].lines
        if x.dimension == Dimension.PENERIMAAN)
    assert card.summary.handled == 3


def test_a_trainee_practises_mode_opd_alone_as_their_opd(app):
    from sandbox.services.practice import start_practice
    from sandbox.services.roles import own_unit

    with app.app_context():
        solo = start_practice("Siti", "Dinas Sosial", scenario="opd-penghubung")
        assert (solo.unit_code, own_unit(solo)) == ("dinsos", "dinsos")
        assert all(c.script["instansi"]["unit"] == "dinsos" for c in _reports(solo))
        with pytest.raises(ValidationError) as refused:
            start_practice("Ani", "Bagian Umum", scenario="opd-penghubung")
        assert "salah satu dari" in refused.value.errors["unit_name"] and \
            "Dinkes" in refused.value.errors["unit_name"]


def test_an_archived_opd_session_comes_back_as_mode_opd(room, clock):
    from sandbox.models import Facilitator, Participant
    from sandbox.services.archive import export_archive, import_archive

    exercise, siti, _budi = room
    _at_minute(clock, 30)
    before = report_card(siti)
    data = export_archive(exercise)
    result = import_archive(data, db.session.scalar(select(Facilitator)))
    db.session.flush()
    copy = db.session.scalar(select(Participant).where(
        Participant.exercise_id == result.exercise.id, Participant.name == "Siti"))
    assert copy.unit_code == "dinkes"
    assert report_card(copy).summary == before.summary


def test_an_injected_report_is_disposed_to_every_opd_rightly_or_wrongly(room, clock):
    from sandbox.services.inject import inject_complaint

    exercise, siti, budi = room
    _at_minute(clock, 1)
    inject_complaint(exercise, "Bu Ratna", {"sumber": "topik", "topik": "jamban-sehat-posyandu"})
    db.session.commit()
    _at_minute(clock, 1.5)
    for trainee, wrong in ((siti, False), (budi, True)):
        injected = next(c for c in visible_complaints(trainee) if c.position > 8)
        assert injected.events[0].payload["unit"] == trainee.unit_code
        assert injected.script["instansi"]["wrong"] is wrong
