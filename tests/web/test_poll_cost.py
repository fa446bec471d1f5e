"""Polls that cost almost nothing (issue 12): a trainee page polls once, its pulse, and a
pulse whose page has not changed answers 204 from a version, with a handful of indexed
statements and no rendering; the statement counts of the busiest pages are held where
they are."""

from __future__ import annotations

import re
from contextlib import contextmanager

from sqlalchemy import event

from sandbox.extensions import db
from sandbox.models import Complaint, Participant
from tests.web.kit import HX, first_report, join

PULSE = re.compile(r'<div id="pulse" hx-get="(/denyut\?v=[^"]+)"')
TIMED = re.compile(r'hx-trigger="every ')


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


def pulse_url(html):
    """The pulse a trainee page polls, with its page version."""
    found = PULSE.search(html)
    assert found, "the page has its pulse"
    return found.group(1)


def test_an_unchanged_page_answers_its_pulse_204_in_five_statements(app, workshop, clock):
    ratna, code, siti = workshop
    ratna.post(f"/fasilitator/sesi/{code}/kontrol/mulai")
    clock.advance(minutes=1)
    ratna.post(f"/fasilitator/sesi/{code}/pesan", data={"pesan": "Selamat berlatih."})
    url = pulse_url(siti.get("/kotak-masuk").get_data(as_text=True))

    with statements(app) as seen:
        unchanged = siti.get(url, headers=HX)
    assert unchanged.status_code == 204 and unchanged.get_data() == b""
    # BEGIN, the signed-in trainee, her session and its clock, and one statement for the
    # version (last event, reports released, last broadcast): nothing rendered.
    assert len(seen) <= 5, seen
    assert sum("max(event.id)" in s for s in seen) == 1, seen


def test_every_trainee_page_polls_once(app, workshop, logged_in, clock):
    """Every page a trainee opens has exactly one timed poll, its pulse; the regions that
    refresh themselves (inbox, report workspace) wait for the pulse's event instead."""
    ratna, code, siti = workshop
    ratna.post(f"/fasilitator/sesi/{code}/kontrol/mulai")
    clock.advance(minutes=1)
    number, _key = first_report(app, "Siti")
    for client, path in ((siti, "/kotak-masuk"), (siti, f"/laporan/{number}"),
                         (siti, f"/laporan/{number}/aksi/tunda"), (siti, "/hasil"),
                         (logged_in, "/kotak-masuk"), (logged_in, "/hasil")):
        html = client.get(path).get_data(as_text=True)
        assert len(TIMED.findall(html)) == 1, path
        assert TIMED.search(html).start() > html.index('<div id="pulse"'), path
    for path in ("/kotak-masuk", f"/laporan/{number}"):
        assert not TIMED.search(siti.get(path, headers=HX).get_data(as_text=True)), path


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
