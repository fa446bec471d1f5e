"""The report page hides the reporter's identity by the one verdict (identity.must_protect):
the trainee's rahasia/anonim flags or the reporter's own request, never the answer key."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sandbox.extensions import db
from sandbox.models import Complaint


def _set_reporter(app, number, requested):
    with app.app_context():
        complaint = db.session.scalar(select(Complaint).where(Complaint.tracking_no == number))
        complaint.reporter = {**complaint.reporter, "requested_anonim": requested}
        complaint.answer_key = {**complaint.answer_key, "anonim": False, "rahasia": False}
        db.session.commit()
        return complaint.reporter["nik"]


@pytest.mark.parametrize(("requested", "hidden"), [(True, True), (False, False)])
def test_a_reporter_who_asked_for_anonymity_is_hidden_before_any_flag(
        logged_in, trainee, app, requested, hidden):
    number = trainee.tracking_numbers[0]
    nik = _set_reporter(app, number, requested)
    html = logged_in.get(f"/laporan/{number}").get_data(as_text=True)
    assert ("pelapor meminta anonim" in html) is hidden
    assert (nik in html) is not hidden
