"""«Rapor semua peserta» is the compact record (one table row per report, only what cost
points) so the stack stays one or two sheets a trainee; one trainee's own record keeps
every scored line. The page count itself is measured in tests/e2e/test_print_pages_browser.py."""

from __future__ import annotations

import random
import re

from sandbox.extensions import db
from sandbox.models import Facilitator
from sandbox.services.simulated import SimulatedTrainee, stage_session
from sandbox.services.workshops import WorkshopForm, create_workshop
from tests.web.kit import login

CAST = [SimulatedTrainee("Dewi Lestari", "Dinas Kesehatan", "A", 0.9),
        SimulatedTrainee("Bambang Sutrisno", "Dinas Sosial", "B", 0.3)]


def staged(app) -> tuple[str, list[int]]:
    with app.app_context():
        ratna = db.session.scalar(db.select(Facilitator).where(Facilitator.username == "ratna"))
        workshop = create_workshop(ratna, WorkshopForm(
            scenario="bimtek-dasar", title="Bimtek", held_on="", location="Aula",
            minutes_per_hk="", seed=""))
        people = stage_session(workshop, CAST, 30, random.Random(5), ratna.name)
        code, ids = workshop.code, [p.id for p in people]
        db.session.commit()
    return code, ids


def test_all_records_are_compact_and_one_record_is_full(app, accounts):
    code, ids = staged(app)
    ratna = login(app, "ratna")
    everyone = ratna.get(f"/fasilitator/sesi/{code}/ekspor/peserta")
    assert everyone.status_code == 200
    html = everyone.get_data(as_text=True)
    assert html.count('class="print-page trainee-record"') == 2
    rows = re.findall(r'<tr id="score-(\d+)-\d+">', html)
    assert rows and set(map(int, rows)) == set(ids)
    assert "Yang dilakukan" not in html and 'class="report-print"' not in html
    assert "Yang mengurangi nilai" in html and "(+" in html  # checklist lines are summed up

    one = ratna.get(f"/fasilitator/sesi/{code}/ekspor/peserta/{ids[1]}").get_data(as_text=True)
    assert "Yang dilakukan" in one and 'class="report-print"' in one
    assert "Yang mengurangi nilai" not in one
