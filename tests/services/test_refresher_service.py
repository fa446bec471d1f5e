"""Refresher scenarios from a stored session (services.refresher): in mode tim each person
by their seat's reports; refused before the end; a solo practice of the refresher."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sandbox.domain.decisions import Verdict
from sandbox.domain.errors import DomainError
from sandbox.domain.scoring import Dimension
from sandbox.domain.session import ClockCommand
from sandbox.extensions import db
from sandbox.models import Complaint, Exercise, Participant
from sandbox.services.refresher import (
    SETTINGS_KEY,
    NotEnded,
    handled_reports,
    refresher_for,
    start_refresher,
)
from sandbox.services.scoring import report_card
from sandbox.services.timekeeping import command_clock
from tests.services.test_team_mode import TL, WHY, act, at_minute, report_about, room, verify

__all__ = ["room"]  # the mode-tim workshop fixture of test_team_mode


def test_in_mode_tim_each_person_is_judged_by_their_seats_reports(room, clock):
    exercise, team, ina, dodi, kiki = room
    at_minute(clock, 2)
    sd = report_about(team, "sd-ruang-kelas-rusak")
    act(ina, sd.tracking_no, "verifikasi", verify("disdik"))  # right
    act(dodi, sd.tracking_no, "tindak_lanjut", {"isi": TL, "akhir": "1"})  # right
    at_minute(clock, 9)
    kis = report_about(team, "kis-pbi-nonaktif")  # Dinsos's; Dinkes only half right
    act(ina, kis.tracking_no, "verifikasi", verify("dinkes"))
    act(kiki, kis.tracking_no, "kembalikan", {"alasan": WHY})  # a half-right one returned
    with pytest.raises(NotEnded, match="setelah sesi berakhir"):
        refresher_for(ina)
    command_clock(exercise, ClockCommand.AKHIRI, "Bu Ratna")
    db.session.commit()

    handled = handled_reports(exercise, [ina, dodi, kiki])
    # Each penghubung seat: only what was disposed to it, judged on their answer.
    assert [(r.key["topic"], r.verdict) for r in handled[dodi.id]] == [
        ("sd-ruang-kelas-rusak", Verdict.TEPAT)]
    assert [(r.key["topic"], r.verdict) for r in handled[kiki.id]] == [
        ("kis-pbi-nonaktif", Verdict.SALAH)]
    kiki_card = report_card(kiki).reports
    assert [r.points(Dimension.PENERIMAAN) for r in kiki_card] == [0]  # the card agrees
    # The Admin Instansi: every report that reached the team, judged on her decision.
    ina_verdicts = {r.key["topic"]: r.verdict for r in handled[ina.id]}
    assert ina_verdicts["sd-ruang-kelas-rusak"] == Verdict.TEPAT
    assert ina_verdicts["kis-pbi-nonaktif"] == Verdict.SEBAGIAN
    assert len(ina_verdicts) > 2

    assert [t.key for t in refresher_for(ina).traps] == ["disposisi"]
    assert [t.key for t in refresher_for(kiki).traps] == ["disposisi"]
    assert refresher_for(dodi).mixed  # he fell into nothing
    with pytest.raises(DomainError, match="per orang"):
        refresher_for(team)


def test_a_started_refresher_is_a_solo_practice_and_the_session_stays_as_it_was(room, clock):
    exercise, team, ina, _dodi, _kiki = room
    at_minute(clock, 11)
    act(ina, report_about(team, "kis-pbi-nonaktif").tracking_no, "verifikasi",
        verify("dinkes"))
    command_clock(exercise, ClockCommand.AKHIRI, "Bu Ratna")
    db.session.commit()
    before = db.session.scalar(select(db.func.count(Complaint.id)).where(
        Complaint.exercise_id == exercise.id))
    refresher = refresher_for(ina)
    practice = start_refresher(ina)
    db.session.commit()
    assert practice.id != ina.id and practice.exercise.mode == "solo"
    assert practice.exercise.scenario_id == refresher.id
    assert practice.exercise.settings[SETTINGS_KEY] == {
        "sesi": exercise.code, "peserta": ina.id, "jebakan": ["disposisi"],
        "dilatih": ["disposisi"]}
    topics = [c.answer_key["topic"] for c in db.session.scalars(
        select(Complaint).where(Complaint.participant_id == practice.id)
        .order_by(Complaint.position))]
    assert topics == [p.topic for p in refresher.picks]
    assert db.session.scalar(select(db.func.count(Complaint.id)).where(
        Complaint.exercise_id == exercise.id)) == before
    assert db.session.scalar(select(db.func.count(Exercise.id))) == 2
    assert db.session.scalar(select(db.func.count(Participant.id)).where(
        Participant.exercise_id == practice.exercise.id)) == 1
