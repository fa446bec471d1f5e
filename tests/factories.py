"""Factories that return model objects (call inside an app context)."""

from __future__ import annotations

from sqlalchemy import select

from sandbox.extensions import db
from sandbox.models import Complaint, Participant
from sandbox.services.practice import start_practice


def make_participant(name: str = "Siti Rahmawati", unit_name: str = "Dinas Kesehatan",
                     seed: int = 2026, count: int = 12) -> Participant:
    return start_practice(name, unit_name, seed=seed, count=count)


def complaint_for(participant: Participant, *, action: str | None = None,
                  topic: str | None = None) -> Complaint:
    """The participant's first complaint whose answer key matches the filters."""
    complaints = db.session.scalars(
        select(Complaint).where(Complaint.participant_id == participant.id)
        .order_by(Complaint.position))
    for complaint in complaints:
        key = complaint.answer_key
        if action and key["expected_action"] != action:
            continue
        if topic and key["topic"] != topic:
            continue
        return complaint
    raise LookupError(f"no complaint with action={action} topic={topic}")
