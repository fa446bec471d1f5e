"""The identity verdict (domain.identity) where services show it: the debrief's replay,
the facilitator's dashboard and the report page's hidden identity."""

from __future__ import annotations

from sandbox.extensions import db
from sandbox.models import Complaint
from sandbox.services.dashboard import dashboard
from sandbox.services.debrief import WRONG, Debrief
from tests.services.test_debrief import FORM, _act, _exercise, _number, _session

CONCRETE_TL = ("Yth. Bapak/Ibu, terima kasih atas laporan Anda. Petugas Disdukcapil telah "
               "mencetak KTP-el Anda di kantor Disdukcapil pada Selasa, 3 Maret 2026. Silakan "
               "ambil di loket 2 dan balas laporan ini bila ada kendala.")


def _reporter(participant):
    return db.session.scalar(db.select(Complaint).where(
        Complaint.tracking_no == _number(participant),
        Complaint.participant_id == participant.id)).reporter


def test_the_replay_and_the_dashboard_show_an_exposed_judul(app, clock):
    with app.app_context():
        exercise, (ani, budi) = _session(clock, ["Ani", "Budi"])
        name = _reporter(ani)["name"]
        _act(ani, ("verifikasi", {**FORM, "judul": f"Pengaduan {name} soal KTP-el",
                                  "unit": "disdukcapil", "anonim": "1"}),
             ("tindak_lanjut", {"isi": CONCRETE_TL, "akhir": "1"}))
        _act(budi, ("verifikasi", {**FORM, "unit": "disdukcapil", "anonim": "1"}),
             ("tindak_lanjut", {"isi": CONCRETE_TL, "akhir": "1"}))
        db.session.commit()
        debrief = Debrief(_exercise(exercise.id))
        first = debrief.replay(ani.id).steps[0]
        assert first.tone == WRONG
        assert first.verdict.startswith("Pelanggaran berat: identitas pelapor terbuka (nama "
                                        "pelapor di judul (peristiwa #1)).")
        assert not any((s.verdict or "").startswith("Pelanggaran berat")
                       for s in debrief.replay(budi.id).steps)
        rows = {row.participant.name: row for row in dashboard(_exercise(exercise.id))[0]}
        assert rows["Ani"].exposed == 1
        assert "identitas pelapor terbuka di 1 laporan" in rows["Ani"].flags
        assert rows["Budi"].exposed == 0
        assert not any("identitas" in flag for flag in rows["Budi"].flags)
