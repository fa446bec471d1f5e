"""Sessions of one scenario played through the services, for the studi komparasi tests."""

from __future__ import annotations

from sandbox.extensions import db
from sandbox.models import Participant
from sandbox.services.complaints import visible_complaints
from sandbox.services.ticker import tick
from sandbox.services.timekeeping import command_clock
from sandbox.services.workshops import WorkshopForm, create_workshop, join_workshop
from tests.exports_kit import _act, facilitator_named

RIGHT, WRONG, IDLE = True, False, None


def play_session(app, clock, trainees, *, facilitator: str = "ratna", seed: str = "",
                 title: str = "Bimtek Admin Penghubung", end: bool = True,
                 location: str = "") -> str:
    """A bimtek-dasar workshop: each (name, OPD, how) trainee joins; RIGHT ones decide
    every report as the key says, WRONG ones send each disposition to the wrong OPD (and
    leave the rest), IDLE ones never act. Returns the session code."""
    with app.app_context():
        owner = facilitator_named(facilitator)
        exercise = create_workshop(owner, WorkshopForm(
            scenario="bimtek-dasar", title=title, held_on="", location=location, minutes_per_hk="",
            seed=seed))
        ids = [join_workshop(exercise.code, name, unit).id for name, unit, _ in trainees]
        command_clock(exercise, "mulai", owner.name)
        code, actor = exercise.code, owner.name
        db.session.commit()
    clock.advance(minutes=10)
    with app.app_context():
        for i, (participant_id, (_, _, how)) in enumerate(zip(ids, trainees, strict=True)):
            if how is IDLE:
                continue
            participant = db.session.get(Participant, participant_id)
            for n, complaint in enumerate(visible_complaints(participant)):
                _act(participant, complaint, how, 100 * i + n)
        db.session.commit()
    clock.advance(minutes=8)  # the reporters answer and rate
    with app.app_context():
        tick()
        if end:
            from sandbox.services.exports import workshop_by_code

            command_clock(workshop_by_code(code), "akhiri", actor)
        db.session.commit()
    return code
