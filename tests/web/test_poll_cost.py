"""Polls that cost almost nothing (issue 12): an inbox poll whose inbox has not changed
answers 204 from a version, with a handful of indexed statements and no rendering; the
statement counts of the busiest pages are held where they are."""

from __future__ import annotations

import re
from contextlib import contextmanager

from sqlalchemy import event

from sandbox.extensions import db
from sandbox.models import Complaint, Participant
from tests.web.kit import HX, first_report, join

VERSION = re.compile(r'hx-get="/kotak-masuk\?v=([^"&]+)"')


@contextmanager
def statements(app):
    """Count the SQL statements the app runs inside the block (as Indico's fixture does)."""
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _version(html):
    found = VERSION.search(html)
    assert found, "the inbox polls with its version"
    return found.group(1)




def test_an_unchanged_inbox_answers_204_and_a_change_renders(app, workshop, clock):
    ratna, code, siti = workshop
    ratna.post(f"/fasilitator/sesi/{code}/kontrol/mulai")
    clock.advance(minutes=1)
    version = _version(siti.get("/kotak-masuk").get_data(as_text=True))

    with statements(app) as seen:
        unchanged = siti.get(f"/kotak-masuk?v={version}", headers=HX)
    assert unchanged.status_code == 204 and unchanged.get_data() == b""
    assert len(seen) <= 10, seen

    # Without htmx (a reload), or with an old version, the inbox is rendered.
    assert siti.get(f"/kotak-masuk?v={version}").status_code == 200
    assert siti.get("/kotak-masuk?v=0.0.x.0", headers=HX).status_code == 200

    number, key = first_report(app, "Siti")
    siti.post(f"/laporan/{number}/aksi/verifikasi", data={
        "idem_key": "v" * 20, "judul": "Jalan berlubang perlu ditambal",
        "klasifikasi": key["klasifikasi"], "kategori": key["kategori"],
        "unit": key["expected_target"]})
    acted = siti.get(f"/kotak-masuk?v={version}", headers=HX)
    assert acted.status_code == 200  # her own action changed the inbox
    after_action = _version(acted.get_data(as_text=True))
    assert after_action != version

    clock.advance(minutes=10)  # new reports arrive, the clock moves on
    moved = siti.get(f"/kotak-masuk?v={after_action}", headers=HX)
    assert moved.status_code == 200 and _version(moved.get_data(as_text=True)) != after_action

    ratna.post(f"/fasilitator/sesi/{code}/kontrol/jeda")
    paused = siti.get(f"/kotak-masuk?v={_version(moved.get_data(as_text=True))}", headers=HX)
    assert paused.status_code == 200 and 'id="paused-notice"' in paused.get_data(as_text=True)


def _room_counts(app, ratna, code, people):
    """Statements of each page with `people` trainees who have each acted once."""
    counts = {}
    for n, client in enumerate(people):
        with app.app_context():
            person = db.session.scalars(db.select(Participant).order_by(Participant.id)
                                        .offset(n)).first()
            complaint = db.session.scalars(db.select(Complaint).where(
                Complaint.participant_id == person.id).order_by(Complaint.arrived_at)).first()
            number, key = complaint.tracking_no, complaint.answer_key
        with statements(app) as seen:
            client.post(f"/laporan/{number}/aksi/verifikasi", data={
                "idem_key": f"{n:02d}" * 10, "judul": "Jalan berlubang perlu ditambal",
                "klasifikasi": key["klasifikasi"], "kategori": key["kategori"],
                "unit": key["expected_target"]})
        counts["action"] = len(seen)
    with statements(app) as seen:
        people[0].get("/kotak-masuk", headers=HX)
    counts["inbox"] = len(seen)
    with statements(app) as seen:
        ratna.get(f"/fasilitator/sesi/{code}", headers=HX)
    counts["dashboard"] = len(seen)
    with statements(app) as seen:
        ratna.get(f"/fasilitator/sesi/{code}/debrief/1")
    counts["debrief"] = len(seen)
    with statements(app) as seen:
        ratna.get(f"/fasilitator/sesi/{code}/layar", headers=HX)
    counts["projector"] = len(seen)
    return counts


def test_the_busiest_pages_do_not_query_per_trainee(app, workshop, clock):
    """A page that adds a statement per trainee (or per report) shows up as growth
    between a room of two and a room of six."""
    ratna, code, siti = workshop
    people = [siti, join(app, code, "Andi", "Dinas PUPR")]
    ratna.post(f"/fasilitator/sesi/{code}/kontrol/mulai")
    clock.advance(minutes=12)
    small = _room_counts(app, ratna, code, people)
    people += [join(app, code, f"Peserta {n}", "Dinas Sosial") for n in range(4)]
    large = _room_counts(app, ratna, code, people)
    print(small, large)
    assert large == small
    assert small["inbox"] <= 12 and small["action"] <= 14
