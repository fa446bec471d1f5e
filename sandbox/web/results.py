"""The trainee's report card ("Hasil saya") and ending a solo practice."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, url_for

from sandbox.domain.errors import DomainError
from sandbox.domain.learning import changes
from sandbox.domain.scoring import ACCURACY, Dimension
from sandbox.extensions import db
from sandbox.models import Complaint
from sandbox.services.learning import own_learning
from sandbox.services.refresher import refresher_offer
from sandbox.services.relay import team_flows
from sandbox.services.roles import role_label
from sandbox.services.scoring import (
    answers_withheld,
    end_practice,
    feedback_now,
    report_card,
)
from sandbox.services.timekeeping import session_status
from sandbox.web import error_page
from sandbox.web.htmx import redirect_to, render
from sandbox.web.once import once

bp = Blueprint("results", __name__)


@bp.get("/hasil")
def card() -> Any:
    participant = g.participant
    exercise = participant.exercise
    if not feedback_now(exercise):
        return render("results/card.html", locked=True, exercise=exercise,
                      timing=session_status(exercise))
    try:
        scores = report_card(participant)
    except DomainError as error:
        return error_page(400, error.message)
    subjects = {c.tracking_no: c for c in db.session.scalars(
        db.select(Complaint).where(Complaint.participant_id == participant.owner_id))}
    # Mode tim: the team's result next to the person's own (their seat's part of it).
    team = participant.team
    flow = next(iter(team_flows(exercise, only=team)), None) if team is not None else None
    timing = session_status(exercise)
    # Once the session has ended: the traps they fell into, to practise again later.
    refresher = refresher_offer(participant) if timing.ended else None
    # Their own tes awal and tes akhir (in mode tim their team's): only once it has ended.
    tests = own_learning(participant) if timing.ended else None
    return render("results/card.html", locked=False, exercise=exercise, scores=scores,
                  team=team, team_scores=report_card(team) if team is not None else None,
                  flow=flow, role=role_label(participant) if team is not None else None,
                  Dimension=Dimension, accuracy=ACCURACY, subjects=subjects,
                  withheld=answers_withheld(exercise, subjects.values()),
                  timing=timing, refresher=refresher, tests=tests,
                  test_changes=changes(tests) if tests is not None else [])


@bp.post("/latihan/akhiri")
@once
def finish() -> Any:
    try:
        end_practice(g.participant)
    except DomainError as error:
        db.session.rollback()
        return error_page(403, error.message)
    db.session.commit()
    return redirect_to(url_for("results.card"))
