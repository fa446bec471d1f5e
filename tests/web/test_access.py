"""Default-deny access, checked over every endpoint the app has (read from its URL map),
so a page added later is covered without editing this file."""

from __future__ import annotations

import re

from sandbox.web import FACILITATOR_BLUEPRINTS, PUBLIC_ENDPOINTS
from tests.web.kit import join, login


def _routes(app, facilitator: bool):
    """(method, path with placeholders) for every rule of one side of the app."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS or rule.endpoint == "static":
            continue
        if (rule.endpoint.split(".")[0] in FACILITATOR_BLUEPRINTS) != facilitator:
            continue
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            found.append((method.lower(), rule.rule))
    assert found, "no routes found: the URL map changed shape"
    return found


def _fill(path: str, code: str, number: str = "1") -> str:
    """Real values for the session code and report number, harmless ones elsewhere."""
    path = path.replace("<code>", code).replace("<tracking_no>", number)
    path = re.sub(r"<int:[^>]+>", "1", path)
    return re.sub(r"<[^>]+>", "x", path)


def test_a_trainee_is_refused_every_facilitator_page(app, workshop):
    _, code, trainee = workshop
    for method, path in _routes(app, facilitator=True):
        response = getattr(trainee, method)(_fill(path, code))
        assert response.status_code == 403, (method, path, response.status_code)


def test_an_anonymous_visitor_is_sent_to_the_login_from_every_facilitator_page(app, workshop):
    _, code, _ = workshop
    visitor = app.test_client()
    for method, path in _routes(app, facilitator=True):
        response = getattr(visitor, method)(_fill(path, code))
        assert response.status_code == 303, (method, path)
        assert response.headers["Location"].startswith("/fasilitator/masuk"), (method, path)


def test_a_facilitator_cannot_open_another_facilitators_session(app, workshop):
    _, code, _ = workshop
    budi = login(app, "budi")
    session_pages = [(m, p) for m, p in _routes(app, facilitator=True) if "<code>" in p]
    assert len(session_pages) >= 3
    for method, path in session_pages:
        response = getattr(budi, method)(_fill(path, code))
        assert response.status_code == 404, (method, path, response.status_code)


def test_a_facilitator_alone_is_refused_every_trainee_page(app, workshop):
    _, code, _ = workshop
    budi = login(app, "budi")
    for method, path in _routes(app, facilitator=False):
        response = getattr(budi, method)(_fill(path, code))
        assert response.status_code == 403, (method, path, response.status_code)


def test_a_trainee_cannot_reach_another_trainees_report(app, workshop, clock):
    ratna, code, siti = workshop
    andi = join(app, code, "Andi", "Dinas PUPR")
    ratna.post(f"/fasilitator/sesi/{code}/kontrol/mulai")
    with app.app_context():
        from sandbox.extensions import db
        from sandbox.models import Complaint, Participant

        siti_id = db.session.scalar(db.select(Participant.id).where(Participant.name == "Siti"))
        number = db.session.scalars(db.select(Complaint.tracking_no).where(
            Complaint.participant_id == siti_id).order_by(Complaint.arrived_at)).first()
        # Andi's copy has the same numbers; the report must be resolved within his own set.
        db.session.execute(db.delete(Complaint).where(Complaint.participant_id != siti_id))
        db.session.commit()
    clock.advance(minutes=5)
    report_pages = [(m, p) for m, p in _routes(app, facilitator=False) if "<tracking_no>" in p]
    assert len(report_pages) >= 3
    for method, path in report_pages:
        assert getattr(siti, method)(_fill(path, code, number)).status_code != 404 or \
            method == "post", (method, path)
        response = getattr(andi, method)(_fill(path, code, number))
        assert response.status_code == 404, (method, path, response.status_code)
