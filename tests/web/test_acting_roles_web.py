"""A trainee acts only as Admin Instansi and Admin Penghubung: the scripted reporter's and
the system's actions are refused over every route, and nothing is recorded."""

from __future__ import annotations

import re

import pytest

from sandbox.domain.workflow import TRAINEE_ROLES, TRANSITIONS, Action, State
from sandbox.extensions import db
from sandbox.models import Complaint, Event, Participant
from tests.domain.test_workflow import VALID
from tests.web.kit import tick

# How a trainee brings a fresh report into a state where the action is allowed.
PATHS: dict[State, list[str]] = {
    State.TUNDA: ["tunda"],
    State.TERDISPOSISI: ["verifikasi"],
    State.DIPROSES: ["verifikasi", "tl"],
    State.MENUNGGU_PELAPOR: ["verifikasi", "tl_akhir"],
}
NOT_THE_TRAINEES = [a for a in Action if a.role not in TRAINEE_ROLES]


def _reachable(action: Action) -> State:
    """A state where the table allows `action` and a trainee can bring the report."""
    return next(source for (source, name) in TRANSITIONS if name == action and source in PATHS)


def _report(app, name="Siti"):
    with app.app_context():
        person = db.session.scalar(db.select(Participant.id).where(Participant.name == name))
        complaint = db.session.scalars(db.select(Complaint).where(
            Complaint.participant_id == person).order_by(Complaint.arrived_at)).first()
        return complaint.tracking_no, complaint.answer_key


def _facts(app, number):
    """The report's events and projected state."""
    with app.app_context():
        siti = db.select(Participant.id).where(Participant.name == "Siti").scalar_subquery()
        complaint = db.session.scalar(db.select(Complaint).where(
            Complaint.tracking_no == number, Complaint.participant_id == siti))
        events = db.session.scalars(db.select(Event).where(
            Event.complaint_id == complaint.id).order_by(Event.seq)).all()
        return [(e.action, e.role) for e in events], complaint.state


def _bring(client, number, key, path):
    forms = {
        "tunda": ("tunda", {"pertanyaan": "Mohon sebutkan lokasi persisnya."}),
        "verifikasi": ("verifikasi", {"judul": "Laporan warga untuk ditindaklanjuti",
                                      "klasifikasi": key["klasifikasi"],
                                      "kategori": key["kategori"],
                                      "unit": key.get("expected_target") or "pupr"}),
        "tl": ("tindak_lanjut", {"isi": "Petugas sudah meninjau lokasi dan menjadwalkan "
                                        "perbaikan pekan depan."}),
        "tl_akhir": ("tindak_lanjut", {"isi": "Petugas sudah memperbaiki kerusakan di lokasi "
                                              "pada hari Selasa.", "akhir": "1"}),
    }
    for i, step in enumerate(path):
        action, form = forms[step]
        response = client.post(f"/laporan/{number}/aksi/{action}",
                               data={**form, "idem_key": f"{step}{i}".ljust(20, "p")})
        assert response.status_code == 303, response.get_data(as_text=True)


@pytest.fixture
def started(app, workshop, clock):
    """Siti in a running workshop (bimtek-dasar: its script plays every reporter)."""
    ratna, code, siti = workshop
    assert ratna.post(f"/fasilitator/sesi/{code}/kontrol/mulai").status_code == 303
    clock.advance(minutes=2)
    return siti


@pytest.mark.parametrize("action", NOT_THE_TRAINEES, ids=lambda a: a.value)
def test_a_trainee_posting_the_reporters_or_systems_action_is_refused(app, started, action):
    number, key = _report(app)
    state = _reachable(action)
    _bring(started, number, key, PATHS[state])
    before = _facts(app, number)
    assert before[1] == state.value  # the table allows the action here: only the role stops it

    response = started.post(f"/laporan/{number}/aksi/{action.value}",
                            data={**VALID[action], "idem_key": "x" * 20})
    assert response.status_code == 403
    html = response.get_data(as_text=True)
    assert f"Aksi «{action.label}» adalah aksi {action.role.label}" in html
    assert _facts(app, number) == before  # nothing recorded, the state unchanged
    # The key was not spent either: nothing with it exists.
    with app.app_context():
        assert db.session.scalar(db.select(Event).where(Event.idem_key == "x" * 20)) is None

    # No form for it, by link or by htmx, and no button.
    assert started.get(f"/laporan/{number}/aksi/{action.value}").status_code == 403
    page = started.get(f"/laporan/{number}?aksi={action.value}").get_data(as_text=True)
    assert f'id="form-{action.value}"' not in page
    assert f'id="btn-{action.value}"' not in page
    assert 'class="reporter-sim"' not in page


def test_five_stars_for_ones_own_vague_answer_are_refused(app, started):
    """The case that scored 44%: accept one's own vague TL and rate it five stars."""
    number, key = _report(app)
    _bring(started, number, key, PATHS[State.MENUNGGU_PELAPOR])
    before = _facts(app, number)
    for action, form in (("pelapor_menerima", {"isi": "Terima kasih."}),
                         ("pelapor_menilai", {"bintang": "5"}),
                         ("selesai_otomatis", {})):
        response = started.post(f"/laporan/{number}/aksi/{action}",
                                data={**form, "idem_key": action.ljust(20, "z")})
        assert response.status_code == 403
    assert _facts(app, number) == before


def test_the_htmx_post_is_refused_too(app, started):
    number, key = _report(app)
    _bring(started, number, key, PATHS[State.MENUNGGU_PELAPOR])
    before = _facts(app, number)
    response = started.post(f"/laporan/{number}/aksi/pelapor_menerima",
                            headers={"HX-Request": "true"},
                            data={"isi": "Terima kasih.", "idem_key": "h" * 20})
    assert response.status_code == 403
    assert "<html" not in response.get_data(as_text=True)  # the error as a fragment
    assert _facts(app, number) == before


def test_the_reporters_answer_still_comes_from_the_script(app, started, clock):
    """What the trainee may not do, the script does when it comes due."""
    number, key = _report(app)
    _bring(started, number, key, PATHS[State.MENUNGGU_PELAPOR])
    clock.advance(minutes=3)  # bimtek-dasar's reporter answers 0.5 HK (2 minutes) later
    tick(app)  # the server's ticker records it
    actions, state = _facts(app, number)
    assert ("pelapor_menerima", "pelapor") in actions
    assert state == State.SELESAI.value


def test_in_free_practice_the_trainee_plays_the_reporter_but_never_the_system(
        app, logged_in, trainee):
    number = trainee.tracking_numbers[0]
    data = {"idem_key": "v" * 20, "judul": "Jalan kabupaten berlubang di Sukamaju",
            "klasifikasi": "pengaduan_tidak_berkadar_pengawasan", "kategori": "infrastruktur",
            "unit": "pupr"}
    assert logged_in.post(f"/laporan/{number}/aksi/verifikasi", data=data).status_code == 303
    final = {"idem_key": "t" * 20, "akhir": "1",
             "isi": "Petugas sudah memperbaiki kerusakan di lokasi pada hari Selasa."}
    assert logged_in.post(f"/laporan/{number}/aksi/tindak_lanjut", data=final).status_code == 303
    page = logged_in.get(f"/laporan/{number}").get_data(as_text=True)
    assert 'id="btn-pelapor_menerima"' in page  # no script: the trainee answers for them
    assert 'id="btn-selesai_otomatis"' not in page
    refused = logged_in.post(f"/laporan/{number}/aksi/selesai_otomatis",
                             data={"idem_key": "s" * 20})
    assert refused.status_code == 403
    assert re.search(r"aksi Sistem dan tidak dapat dilakukan oleh peserta latihan bebas",
                     refused.get_data(as_text=True))
    assert logged_in.get(f"/laporan/{number}/aksi/selesai_otomatis").status_code == 403
    accepted = logged_in.post(f"/laporan/{number}/aksi/pelapor_menerima",
                              data={"idem_key": "m" * 20, "isi": "Terima kasih."})
    assert accepted.status_code == 303
