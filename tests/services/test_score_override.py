"""A facilitator's 1-5 rubric replaces the automatic TL checklist; the latest one counts."""

from __future__ import annotations

import pytest

from sandbox.domain.errors import ValidationError
from sandbox.domain.scoring import Dimension
from sandbox.extensions import db
from sandbox.models import ScoreOverride
from sandbox.services.complaints import record_action
from sandbox.services.scoring import override_quality, report_card
from tests.factories import complaint_for, make_participant

TL = ("Yth. Bapak/Ibu, terima kasih. Petugas Dinas PUPR telah menambal jalan di RT 003 pada "
      "Selasa, 3 Maret 2026; pengaspalan ulang dijadwalkan pekan depan. Kami akan "
      "menginformasikan perkembangan selanjutnya.")


def _quality_line(card, number):
    report = next(r for r in card.reports if r.tracking_no == number)
    return next(x for x in report.lines if x.dimension == Dimension.KUALITAS and x.passed is None)


def test_override_replaces_the_checklist_and_the_latest_counts(app):
    with app.app_context():
        participant = make_participant()
        complaint = complaint_for(participant, action="disposisi")
        key = complaint.answer_key
        record_action(participant, complaint.tracking_no, "verifikasi", {
            "judul": "Laporan warga untuk ditindaklanjuti", "klasifikasi": key["klasifikasi"],
            "kategori": key["kategori"], "unit": key["expected_target"]}, "o" * 20)
        tl = record_action(participant, complaint.tracking_no, "tindak_lanjut",
                           {"isi": TL, "akhir": "1"}, "p" * 20).event
        automatic = _quality_line(report_card(participant), complaint.tracking_no)
        assert automatic.explanation.startswith("Daftar periksa TL:")

        override_quality(complaint, tl.seq, 2, "Bu Ratna")
        override_quality(complaint, str(tl.seq), "5", "Bu Ratna")  # a second opinion
        line = _quality_line(report_card(participant), complaint.tracking_no)
        assert line.points == line.maximum == 10  # (5 - 1) / 4 of 10 points
        assert line.explanation.startswith("Dinilai fasilitator: 5/5")
        assert db.session.scalar(db.select(db.func.count()).select_from(ScoreOverride)) == 2


@pytest.mark.parametrize(("seq", "rubric", "field"), [
    (99, 3, "tl"), ("x", 3, "tl"), (None, 0, "rubric"), (None, 6, "rubric"), (None, "a", "rubric"),
])
def test_bad_override_is_refused(app, seq, rubric, field):
    with app.app_context():
        participant = make_participant()
        complaint = complaint_for(participant, action="disposisi")
        key = complaint.answer_key
        record_action(participant, complaint.tracking_no, "verifikasi", {
            "judul": "Laporan warga untuk ditindaklanjuti", "klasifikasi": key["klasifikasi"],
            "kategori": key["kategori"], "unit": key["expected_target"]}, "q" * 20)
        tl = record_action(participant, complaint.tracking_no, "tindak_lanjut",
                           {"isi": TL, "akhir": "1"}, "r" * 20).event
        with pytest.raises(ValidationError) as error:
            override_quality(complaint, tl.seq if seq is None else seq, rubric, "Bu Ratna")
        assert field in error.value.errors
