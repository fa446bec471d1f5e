"""Simulated trainees and the staged demo room: real actions through the services,
a mix of right and wrong, deterministic by seed, stored at past wall times."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy import select

from sandbox.cli import DEMO_ROOM_MINUTES, DEMO_SEED, prepare_demo_workshop
from sandbox.domain.errors import DomainError
from sandbox.domain.identity import personal_data_in
from sandbox.extensions import db
from sandbox.models import Complaint, Event, Exercise, Participant
from sandbox.services.accounts import create_facilitator
from sandbox.services.dashboard import dashboard
from sandbox.services.scoring import report_card
from sandbox.services.session_log import session_log
from sandbox.services.simulated import (
    DEMO_CAST,
    SimulatedTrainee,
    simulate_trainee,
    stage_session,
)
from sandbox.services.timekeeping import clock_state, command_clock, wall_now
from sandbox.services.workshops import WorkshopForm, create_workshop, join_workshop

ADMIN_ROLES = ("admin_instansi", "admin_penghubung")


@pytest.fixture
def facilitator(app):
    with app.app_context():
        yield create_facilitator("demo", "Fasilitator Demo", "rahasia-123", is_admin=True)


def new_workshop(facilitator):
    return create_workshop(facilitator, WorkshopForm(
        scenario="bimtek-dasar", title="Bimtek demo", held_on="", location="",
        minutes_per_hk="", seed=""))


def staged(facilitator):
    exercise = new_workshop(facilitator)
    stage_session(exercise, DEMO_CAST, DEMO_ROOM_MINUTES, random.Random(DEMO_SEED),
                  facilitator.name)
    db.session.commit()
    return exercise


def admin_events(participant):
    return db.session.scalars(
        select(Event).join(Complaint).where(Complaint.participant_id == participant.id,
                                            Event.role.in_(ADMIN_ROLES))).all()


def test_the_demo_room_has_acted_with_right_and_wrong_decisions(facilitator):
    exercise = staged(facilitator)
    people = exercise.participants
    assert len(people) == len(DEMO_CAST) == 6
    assert sorted({p.cohort for p in people}) == ["Kelompok A", "Kelompok B"]
    assert all(admin_events(p) for p in people)

    trainees, reports = dashboard(exercise)
    assert all(row.handled > 0 for row in trainees)
    assert any(row.routed_right == row.routed for row in trainees)  # someone all right
    assert any(row.routed_right < row.routed / 2 for row in trainees)  # someone mostly wrong
    assert any(len(r.outcomes) > 1 for r in reports)  # the room split on some reports
    actions = {e.action for e in db.session.scalars(select(Event))}
    assert {"verifikasi", "tunda", "arsipkan", "bukan_wewenang", "kembalikan",
            "tindak_lanjut", "pelapor_membalas", "pelapor_menerima"} <= actions

    # TLs of every quality: concrete ones pass the checklist, vague ones do not, and the
    # careless trainee greets a protected reporter by name.
    cards = {p.name: report_card(p) for p in people}
    assert cards["Dewi Lestari"].summary.total_pct > cards["Bambang Sutrisno"].summary.total_pct
    leaks = [e for e in db.session.scalars(select(Event).where(
        Event.action == "tindak_lanjut"))
        if (e.complaint.answer_key["anonim"] or e.complaint.answer_key["rahasia"])
        and "nama pelapor" in personal_data_in(e.payload["isi"], e.complaint.reporter)]
    assert [e.actor for e in leaks] == ["Bambang Sutrisno"]
    # ... which is his card's headline failure, the dashboard's flag and the reporter's
    # one-star protest; the others' cards have none.
    assert [number for number, _ in cards["Bambang Sutrisno"].headline_failures] == [
        leaks[0].complaint.tracking_no]
    assert all(not card.headline_failures for name, card in cards.items()
               if name != "Bambang Sutrisno")
    flags = {row.participant.name: row.flags for row in trainees}
    assert "identitas pelapor terbuka di 1 laporan" in flags["Bambang Sutrisno"]
    protests = [e for e in leaks[0].complaint.events if e.payload.get("protes")]
    assert [(e.action, e.payload["bintang"]) for e in protests] == [("pelapor_menilai", "1")]
    assert protests[0].payload["isi"].startswith("Saya keberatan: nama saya terbuka")
    # Vague TLs are accepted in this scenario (accept = "always") but rated two stars.
    vague = [e for e in db.session.scalars(select(Event).where(
        Event.action == "pelapor_menerima")) if e.payload["isi"].startswith("Baik, saya terima")]
    assert vague and all(
        any(r.action == "pelapor_menilai" and r.payload["bintang"] == "2"
            for r in e.complaint.events) for e in vague)
    assert sum(card.summary.vague_tls for card in cards.values()) >= len(vague)


def test_the_room_is_left_paused_with_its_past_in_the_log(facilitator, clock):
    exercise = staged(facilitator)
    assert clock_state(exercise) == "dijeda"
    log = session_log(exercise)
    assert [e.kind for e in log] == ["mulai", "jeda"]
    assert log[1].wall_at - log[0].wall_at == timedelta(minutes=DEMO_ROOM_MINUTES)
    assert log[1].wall_at == wall_now()
    joined = [p.created_at for p in exercise.participants]
    assert all(moment == log[0].wall_at for moment in joined)
    walls = [e.wall_at for e in db.session.scalars(select(Event))]
    assert log[0].wall_at < min(walls) and max(walls) <= log[1].wall_at
    # Paused: an hour later the room looks the same.
    before = [(r.participant.name, r.handled, r.open) for r in dashboard(exercise)[0]]
    clock.advance(hours=1)
    assert [(r.participant.name, r.handled, r.open) for r in dashboard(exercise)[0]] == before


def test_the_same_seed_plays_the_same_session(facilitator):
    def played(exercise):
        return [(c.participant_id - exercise.participants[0].id, c.tracking_no, e.action,
                 e.payload, e.sim_at)
                for c in db.session.scalars(select(Complaint).where(
                    Complaint.exercise_id == exercise.id).order_by(Complaint.id))
                for e in c.events]

    first, second = staged(facilitator), staged(facilitator)
    assert played(first) == played(second)
    assert len(played(first)) > 100


@pytest.mark.parametrize(("skill", "all_right"), [(1.0, True), (0.0, False)])
def test_skill_decides_the_disposition(app, facilitator, clock, skill, all_right):
    exercise = new_workshop(facilitator)
    trainee = join_workshop(exercise.code, "Siti", "Dinkes")
    command_clock(exercise, "mulai", "x")
    clock.advance(minutes=10)  # seven reports have arrived
    rng = random.Random(1)
    for _ in range(20):  # twenty looks at the same moment: everything gets handled
        simulate_trainee(trainee, skill, rng)
    verified = [(c.answer_key["expected_target"], c.unit)
                for c in db.session.scalars(select(Complaint).where(
                    Complaint.participant_id == trainee.id)) if c.unit]
    assert verified
    assert all(expected == unit for expected, unit in verified) == all_right


def test_an_unsure_trainee_does_not_act_on_everything_at_once(app, facilitator, clock):
    exercise = new_workshop(facilitator)
    trainee = join_workshop(exercise.code, "Siti", "Dinkes")
    command_clock(exercise, "mulai", "x")
    clock.advance(minutes=10)
    assert simulate_trainee(trainee, 0.5, random.Random(3)) <= 2


def test_prepare_demo_workshop_stages_once(app):
    login, _, code = prepare_demo_workshop(app)
    again = prepare_demo_workshop(app)
    assert again[2] == code and login == "demo"
    with app.app_context():
        exercise = db.session.scalar(select(Exercise).where(Exercise.code == code))
        assert len(exercise.participants) == len(DEMO_CAST)
        assert clock_state(exercise) == "dijeda"
        assert db.session.scalar(select(Participant).where(
            Participant.name == "Dewi Lestari")).cohort == "Kelompok A"


def test_a_custom_cast_and_only_once(facilitator):
    exercise = new_workshop(facilitator)
    cast = [SimulatedTrainee("Ani", "DLH", "X", 0.9)]
    (ani,) = stage_session(exercise, cast, 10, random.Random(0), "Bu Ratna")
    assert ani.cohort == "X" and admin_events(ani)
    with pytest.raises(DomainError, match="masih di lobi"):
        stage_session(exercise, cast, 10, random.Random(0), "Bu Ratna")
