"""The same exercise for everyone in the room (issue 11, part 4).

A session's schedule is fixed in simulated time at its creation, from scenario and seed;
a latecomer's limits start when they join; a paused or finished clock takes no actions
and the scripted reporters wait with it; at the planned end the clock stops by itself.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sandbox.domain.errors import DomainError
from sandbox.domain.session import SessionError, SessionState
from sandbox.domain.workflow import State
from sandbox.extensions import db
from sandbox.models import Complaint, Event, Exercise, Participant
from sandbox.services.accounts import create_facilitator
from sandbox.services.complaints import record_action, visible_complaints
from sandbox.services.roster import import_roster
from sandbox.services.scoring import report_card
from sandbox.services.ticker import tick
from sandbox.services.timekeeping import (
    clock_state,
    command_clock,
    exercise_end,
    joined_at,
    session_status,
    sim_clock,
    time_is_up,
)
from sandbox.services.workshops import WorkshopForm, create_workshop, join_workshop


def _schedule(participant: Participant) -> list[tuple]:
    rows = db.session.scalars(select(Complaint).where(Complaint.participant_id ==
                                                      participant.id)
                              .order_by(Complaint.position))
    return [(c.position, c.tracking_no, c.arrived_at, c.text, c.answer_key["topic"])
            for c in rows]


def _reports(participant: Participant) -> list[Complaint]:
    return list(db.session.scalars(select(Complaint).where(
        Complaint.participant_id == participant.id).order_by(Complaint.position)))


@pytest.fixture
def ratna(app):
    with app.app_context():
        yield create_facilitator("ratna", "Bu Ratna", "rahasia-123")


def _session(ratna, minutes: str = "", scenario: str = "bimtek-dasar") -> Exercise:
    return create_workshop(ratna, WorkshopForm(scenario, "Bimtek", "", "", minutes, ""))


def _verify(participant: Participant, complaint: Complaint, key: str) -> None:
    answer = complaint.answer_key
    record_action(participant, complaint.tracking_no, "verifikasi", {
        "judul": "Laporan warga untuk ditindaklanjuti", "klasifikasi": answer["klasifikasi"],
        "kategori": answer["kategori"], "unit": answer["expected_target"]}, key.ljust(20, "k"))


# ------------------------------------------------------------------ the schedule


def test_a_latecomer_after_a_speed_change_gets_the_same_schedule(app, clock, ratna):
    exercise = _session(ratna)
    siti = join_workshop(exercise.code, "Siti", "Dinas Kesehatan")
    command_clock(exercise, "mulai", "Bu Ratna")
    clock.advance(minutes=5)
    command_clock(exercise, "kecepatan", "Bu Ratna", "1")
    clock.advance(minutes=3)
    andi = join_workshop(exercise.code, "Andi", "Dinas PUPR")
    command_clock(exercise, "kecepatan", "Bu Ratna", "15")
    import_roster(exercise, "daftar.csv", b"nama,unit\nBudi,Dinas Sosial\n", "Bu Ratna")
    db.session.commit()
    budi = db.session.scalar(select(Participant).where(Participant.name == "Budi"))
    assert _schedule(andi) == _schedule(siti)
    assert _schedule(budi) == _schedule(siti)
    assert len(_schedule(siti)) > 5


def test_the_schedule_depends_on_scenario_and_seed_not_on_the_starting_speed(app, ratna):
    nominal = join_workshop(_session(ratna).code, "Siti", "Dinas Kesehatan")
    fast = join_workshop(_session(ratna, "1").code, "Siti", "Dinas Kesehatan")
    slow = join_workshop(_session(ratna, "15").code, "Siti", "Dinas Kesehatan")
    assert _schedule(fast) == _schedule(nominal) == _schedule(slow)
    # The speed only maps simulated to real time: the faster session ends sooner in real
    # time, at the same simulated moment.
    assert exercise_end(fast.exercise) == exercise_end(nominal.exercise)
    assert fast.exercise.speed == 1 and slow.exercise.speed == 15


def test_an_older_session_keeps_the_speed_its_schedule_was_expanded_at(app, ratna):
    """Sessions made before this rule stored their creation speed as the schedule's speed;
    a latecomer there still gets the schedule the others have."""
    from sandbox.services.practice import scenario_plan

    exercise = _session(ratna)
    old_plan = scenario_plan("bimtek-dasar", exercise.seed, expand_at=2)
    siti = join_workshop(exercise.code, "Siti", "Dinas Kesehatan")
    exercise.settings = {**exercise.settings, "minutes_per_hk": 2}
    for complaint, (item, _) in zip(_reports(siti), old_plan.complaints, strict=True):
        complaint.arrived_at = item.arrived_at
        complaint.tracking_no = item.tracking_no
    db.session.flush()
    andi = join_workshop(exercise.code, "Andi", "Dinas PUPR")
    assert [r[:3] for r in _schedule(andi)] == [r[:3] for r in _schedule(siti)]


# ------------------------------------------------------------------ latecomers


def test_a_latecomer_s_limits_start_when_they_join(app, clock, ratna):
    exercise = _session(ratna)
    siti = join_workshop(exercise.code, "Siti", "Dinas Kesehatan")
    command_clock(exercise, "mulai", "Bu Ratna")
    clock.advance(minutes=30)  # 7.5 HK at 4 minutes per HK: verification (3 HK) is red
    andi = join_workshop(exercise.code, "Andi", "Dinas PUPR")
    db.session.commit()
    joined = joined_at(andi)
    assert joined == sim_clock(exercise).now()
    assert joined_at(siti) is None  # there when the clock started

    clock.advance(minutes=2)  # half an HK later
    siti_card, andi_card = report_card(siti), report_card(andi)
    assert siti_card.summary.breaches > 0
    assert andi_card.summary.breaches == 0
    assert andi_card.summary.speed_pct >= 0
    assert andi_card.joined_at == joined
    arrived_before = sum(c.arrived_at < joined for c in visible_complaints(andi))
    assert andi_card.joined_after == arrived_before > 0
    assert siti_card.joined_after == 0

    # Acting late still costs: once 3 HK have passed since joining, Andi is red too.
    clock.advance(minutes=12)
    first = next(c for c in visible_complaints(andi) if c.arrived_at < joined
                 and c.answer_key["expected_action"] == "disposisi")
    _verify(andi, first, "andi-late")
    db.session.commit()
    line = next(r for r in report_card(andi).reports if r.tracking_no == first.tracking_no)
    waktu = next(x for x in line.lines if x.dimension.value == "waktu")
    assert "sejak Anda bergabung" in waktu.explanation
    assert line.breaches == 1


# ------------------------------------------------------------------ pause


def test_a_paused_clock_refuses_actions_and_the_reporter_waits(app, clock, ratna):
    exercise = _session(ratna)
    siti = join_workshop(exercise.code, "Siti", "Dinas Kesehatan")
    command_clock(exercise, "mulai", "Bu Ratna")
    clock.advance(minutes=1)
    complaint = visible_complaints(siti)[-1]
    record_action(siti, complaint.tracking_no, "tunda",
                  {"pertanyaan": "Mohon sebutkan lokasi persisnya (desa, RT/RW)."},
                  "tunda-first".ljust(20, "k"))
    command_clock(exercise, "jeda", "Bu Ratna")
    db.session.commit()
    before = db.session.scalar(select(db.func.count(Event.id)))

    clock.advance(minutes=30)  # 7.5 HK of real time; the reply is due 1 HK after the tunda
    assert tick() == 0  # the server's ticker finds nothing due: the clock stands still
    assert db.session.get(Complaint, complaint.id).state == State.TUNDA.value
    with pytest.raises(SessionError, match="Jam dijeda oleh fasilitator"):
        _verify(siti, visible_complaints(siti)[0], "while-paused")
    db.session.rollback()
    assert db.session.scalar(select(db.func.count(Event.id))) == before

    command_clock(exercise, "lanjut", "Bu Ratna")
    clock.advance(minutes=5)  # 1.25 HK of running clock: now the reply comes
    assert tick() == 1
    replied = db.session.get(Complaint, complaint.id)
    assert [e.action for e in replied.events][-1] == "pelapor_membalas"
    assert replied.state != State.TUNDA.value


# ------------------------------------------------------------------ the planned end


def test_at_the_planned_end_the_clock_stops_by_itself(app, clock, ratna):
    exercise = _session(ratna)
    siti = join_workshop(exercise.code, "Siti", "Dinas Kesehatan")
    command_clock(exercise, "mulai", "Bu Ratna")
    clock.advance(minutes=10)
    command_clock(exercise, "jeda", "Bu Ratna")
    clock.advance(minutes=20)  # a pause does not use up the exercise
    command_clock(exercise, "lanjut", "Bu Ratna")
    clock.advance(minutes=49)  # 59 running minutes of 60
    db.session.commit()
    end = exercise_end(exercise)
    assert sim_clock(exercise).now() < end
    assert clock_state(exercise) == SessionState.BERJALAN

    # A tunda whose reply (1 HK) would come after the end.
    complaint = visible_complaints(siti)[0]
    record_action(siti, complaint.tracking_no, "tunda",
                  {"pertanyaan": "Mohon sebutkan lokasi persisnya (desa, RT/RW)."},
                  "tunda-late".ljust(20, "k"))
    db.session.commit()

    clock.advance(minutes=30)
    assert sim_clock(exercise).now() == end
    assert time_is_up(exercise) and clock_state(exercise) == SessionState.BERAKHIR
    status = session_status(exercise)
    assert status.label == "Waktu latihan habis" and status.ended
    assert tick() == 0  # the reply would come after the end: it never does
    assert not db.session.scalars(select(Event).where(Event.sim_at > end)).all()
    assert db.session.get(Complaint, complaint.id).state == State.TUNDA.value

    with pytest.raises(SessionError, match="Waktu latihan habis"):
        _verify(siti, visible_complaints(siti)[-1], "after-end")
    for command in ("jeda", "lanjut", "kecepatan", "akhiri"):
        with pytest.raises(SessionError, match="Waktu latihan sudah habis"):
            command_clock(exercise, command, "Bu Ratna", "4")
    with pytest.raises(DomainError, match="sudah berakhir"):
        join_workshop(exercise.code, "Telat", "Dinas Sosial")


def test_a_faster_clock_reaches_the_same_end_sooner(app, clock, ratna):
    exercise = _session(ratna, "1")  # 1 minute per HK: the 15-HK scenario takes 15 minutes
    join_workshop(exercise.code, "Siti", "Dinas Kesehatan")
    command_clock(exercise, "mulai", "Bu Ratna")
    clock.advance(minutes=14)
    assert not time_is_up(exercise)
    assert session_status(exercise).minutes_left(exercise.speed) == 1
    clock.advance(minutes=1)
    assert time_is_up(exercise)
