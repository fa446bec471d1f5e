"""Every facilitator POST is refused without a CSRF token, and changes nothing; with the
token the same request goes through (so the refusal is the token's doing)."""

from __future__ import annotations

import re

import pytest

from sandbox.extensions import db
from sandbox.models import ClockChange, Exercise, Facilitator, Participant, SessionEvent
from sandbox.services.accounts import create_facilitator
from sandbox.services.workshops import WorkshopForm, create_workshop, join_workshop
from sandbox.web import FACILITATOR_BLUEPRINTS
from tests.conftest import build_app
from tests.web.kit import PASSWORD, FormClient

REFUSED = "token keamanan (CSRF) tidak valid"
# A valid value for each kind of URL part, so that only the token can be the problem.
KINDS = {"facilitator.clock": "mulai", "facilitator.scoreboard": "bekukan"}


@pytest.fixture
def guarded(tmp_path, clock, monkeypatch):
    """An app with CSRF on, Bu Ratna signed in with a token, a session with one trainee."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = build_app(tmp_path, clock, WTF_CSRF_ENABLED=True)
    app.test_client_class = FormClient
    with app.app_context():
        ratna = create_facilitator("ratna", "Bu Ratna", PASSWORD, is_admin=True)
        exercise = create_workshop(ratna, WorkshopForm("bimtek-dasar", "Bimtek", "", "", "",
                                                       ""))
        trainee = join_workshop(exercise.code, "Siti", "Dinas Kesehatan")
        db.session.commit()
        code, trainee_id = exercise.code, trainee.id
    client = app.test_client()
    login_page = client.get("/fasilitator/masuk").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', login_page).group(1)
    signed_in = client.post("/fasilitator/masuk", data={
        "username": "ratna", "password": PASSWORD, "csrf_token": token})
    assert signed_in.status_code == 303
    yield app, client, code, trainee_id
    with app.app_context():
        db.engine.dispose()


def _facilitator_posts(app):
    rules = [rule for rule in app.url_map.iter_rules() if "POST" in (rule.methods or ())
             and rule.endpoint.split(".")[0] in FACILITATOR_BLUEPRINTS]
    return sorted(rules, key=lambda rule: rule.rule)


def _url(rule, code, trainee_id):
    values = {"code": code, "participant_id": trainee_id,
              "kind": KINDS.get(rule.endpoint, "keluar")}
    return re.sub(r"<(?:int:)?(\w+)>", lambda m: str(values[m.group(1)]), rule.rule)


def _stored(app):
    with app.app_context():
        return tuple(db.session.scalar(db.select(db.func.count()).select_from(table))
                     for table in (ClockChange, SessionEvent, Exercise, Facilitator,
                                   Participant))


def test_every_facilitator_post_is_refused_without_a_token(guarded):
    app, client, code, trainee_id = guarded
    rules = _facilitator_posts(app)
    # The facilitator's screens and the ones hung on them: clock, board, messages,
    # injections, accounts, debrief rubric, archive import and the roster.
    assert {"facilitator.clock", "facilitator.scoreboard", "facilitator.message",
            "facilitator.inject", "facilitator.create", "facilitator.account",
            "facilitator.logout", "debrief.rate", "exports.import_upload",
            "roster.upload"} <= {rule.endpoint for rule in rules}
    before = _stored(app)
    for rule in rules:
        url = _url(rule, code, trainee_id)
        for headers in ({}, {"HX-Request": "true"}):
            response = client.post(url, headers=headers, data={
                "pesan": "Halo", "menit_per_hk": "4", "title": "Sesi baru",
                "scenario": "bimtek-dasar"})
            assert response.status_code == 400, (url, response.status_code)
            assert REFUSED in response.get_data(as_text=True), url
    assert _stored(app) == before  # nothing was recorded by any of them


def test_with_the_token_the_same_control_goes_through(guarded):
    app, client, code, _ = guarded
    page = client.get(f"/fasilitator/sesi/{code}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post(f"/fasilitator/sesi/{code}/kontrol/mulai").status_code == 400
    started = client.post(f"/fasilitator/sesi/{code}/kontrol/mulai",
                          data={"csrf_token": token})
    assert started.status_code == 303
    with app.app_context():
        assert [c.kind for c in db.session.scalars(db.select(ClockChange))] == ["mulai"]
