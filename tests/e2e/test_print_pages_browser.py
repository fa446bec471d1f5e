"""Printing every trainee's record at once stays one or two A4 sheets a trainee (issue 16:
it was about 13 sheets each, 169 for a room of 13 and 781 for 60).

A room of simulated trainees plays the first 59 minutes of bimtek-dasar through the ordinary
services (services.simulated), then Chromium prints «Rapor semua peserta» to PDF as a
facilitator's browser would. The pages are served to Chromium by the app's test client, so
no server process is needed.
"""

from __future__ import annotations

import random
import re

import pytest

from sandbox.extensions import db
from sandbox.services.simulated import SimulatedTrainee, stage_session
from sandbox.services.workshops import WorkshopForm, create_workshop
from tests.web.kit import PASSWORD, accounts, login  # noqa: F401 - accounts is a fixture

pytestmark = pytest.mark.browser

BASE = "http://sandbox.test"
PLAYED_MINUTES = 59  # bimtek-dasar lasts 60; the last minute's actions would be refused
PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def staged_room(app, trainees: int) -> str:
    """Bu Ratna's session of bimtek-dasar played by `trainees` people from careless to
    careful, in two cohorts; its code."""
    from sandbox.models import Facilitator

    with app.app_context():
        ratna = db.session.scalar(db.select(Facilitator).where(Facilitator.username == "ratna"))
        workshop = create_workshop(ratna, WorkshopForm(
            scenario="bimtek-dasar", title="Bimtek Admin Penghubung 2026",
            held_on="Selasa, 10 Maret 2026", location="Aula Diskominfo", minutes_per_hk="",
            seed=""))
        cast = [SimulatedTrainee(f"Peserta {i + 1:02d} Wijayakusuma", "Dinas Kesehatan",
                                 "Kelompok A" if i % 2 else "Kelompok B",
                                 0.3 + 0.65 * (i % 7) / 6) for i in range(trainees)]
        stage_session(workshop, cast, PLAYED_MINUTES, random.Random(2026), ratna.name)
        code = workshop.code
        db.session.commit()
    return code


def printed_pages(browser, client, path: str) -> tuple[int, int]:
    """(PDF pages, records on the page) when Chromium prints `path` on A4."""
    def serve(route) -> None:
        with client.get(route.request.url[len(BASE):]) as response:  # closes static files
            route.fulfill(status=response.status_code, body=response.get_data(),
                          headers={"content-type": response.content_type})

    context = browser.new_context(locale="id-ID")
    try:
        page = context.new_page()
        page.route(f"{BASE}/**", serve)
        page.goto(f"{BASE}{path}")
        records = page.locator(".trainee-record").count()
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
    finally:
        context.close()
    return len(PAGE_OBJECT.findall(pdf)), records


@pytest.mark.parametrize("trainees", [13, 60])
def test_printing_all_records_takes_one_or_two_pages_a_trainee(app, accounts, browser,  # noqa: F811
                                                               trainees):
    code = staged_room(app, trainees)
    ratna = login(app, "ratna")
    pages, records = printed_pages(browser, ratna, f"/fasilitator/sesi/{code}/ekspor/peserta")
    assert records == trainees
    # Each record starts on a sheet of its own, and fits on two.
    assert trainees <= pages <= 2 * trainees, f"{pages} pages for {trainees} trainees"
