"""Helpers for workshop tests: facilitator accounts, sessions, trainees joining by code."""

from __future__ import annotations

import pytest

from sandbox.extensions import db
from sandbox.services.accounts import create_facilitator

HX = {"HX-Request": "true"}
PASSWORD = "rahasia-123"


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
