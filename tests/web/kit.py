"""Helpers for workshop tests: facilitator accounts, sessions, trainees joining by code."""

from __future__ import annotations

import secrets

import pytest
from flask.testing import FlaskClient

from sandbox.extensions import db
from sandbox.services.accounts import create_facilitator
from sandbox.web.once import FIELD

HX = {"HX-Request": "true"}
PASSWORD = "rahasia-123"


def form_key() -> str:
    """A fresh one-time form key, as `new_form_key()` puts in every form."""
    return secrets.token_urlsafe(18)


class FormClient(FlaskClient):
    """A test client that posts like our forms: with a fresh form key unless one is given.

    The app still refuses a POST without a key; pass `data={..., FIELD: ...}` to choose
    the key (a retry), or use a plain FlaskClient to send none. A report action's form
    carries its own `idem_key` instead, and so gets none.
    """

    def post(self, *args, **kwargs):
        data = kwargs.get("data")
        if data is None:
            kwargs["data"] = {FIELD: form_key()}
        elif isinstance(data, dict) and FIELD not in data and "idem_key" not in data:
            kwargs["data"] = {**data, FIELD: form_key()}
        return super().post(*args, **kwargs)


@pytest.fixture
def accounts(app):
    """Bu Ratna (admin) and Pak Budi, two facilitators."""
    with app.app_context():
        create_facilitator("ratna", "Bu Ratna", PASSWORD, is_admin=True)
        create_facilitator("budi", "Pak Budi", PASSWORD)
        db.session.commit()


def login(app, username):
    client = app.test_client()
    response = client.post("/fasilitator/masuk", data={"username": username,
                                                       "password": PASSWORD})
    assert response.status_code == 303
    return client


def create_session(client, **fields):
    """A workshop of bimtek-dasar; returns its join code."""
    data = {"scenario": "bimtek-dasar", "title": "Bimtek Admin Penghubung 2026",
            "held_on": "Selasa, 10 Maret 2026", "location": "Aula Diskominfo",
            "minutes_per_hk": "", "seed": "", **fields}
    response = client.post("/fasilitator/sesi", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[1]


def join(app, code, name="Siti", unit="Dinas Kesehatan"):
    client = app.test_client()
    response = client.post("/ikut", data={"code": code, "name": name, "unit_name": unit})
    assert response.status_code == 303
    return client


@pytest.fixture
def workshop(app, accounts):
    """(Bu Ratna's client, the session code, Siti's client) in the lobby."""
    ratna = login(app, "ratna")
    code = create_session(ratna)
    trainee = join(app, code)
    return ratna, code, trainee


def tick(app):
    """One tick of the server's ticker (services.ticker): the scripted reporters' events
    that have come due are recorded. A served app ticks every few seconds by itself."""
    from sandbox.services.ticker import tick as run_tick

    with app.app_context():
        return run_tick()


def first_report(app, name):
    """(tracking number, answer key) of the first report to arrive for the trainee `name`."""
    from sandbox.models import Complaint, Participant

    with app.app_context():
        person = db.session.scalar(db.select(Participant.id).where(Participant.name == name))
        complaint = db.session.scalars(db.select(Complaint).where(
            Complaint.participant_id == person).order_by(Complaint.arrived_at)).first()
        return complaint.tracking_no, complaint.answer_key
