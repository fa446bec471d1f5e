"""Recording actions as events through the service layer, and starting a practice set."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from sandbox.domain.errors import DomainError, TransitionError, ValidationError
from sandbox.extensions import db
from sandbox.models import Complaint, Event, Exercise, Participant
from sandbox.services.complaints import (
    NotFound,
    get_complaint,
    record_action,
    report_view,
)
from sandbox.services.practice import start_practice
from sandbox.services.timekeeping import sim_clock
from tests.factories import complaint_for, make_participant

_keys = itertools.count(1)


def new_key() -> str:
    return f"test-key-{next(_keys):08d}"


VERIF = {"judul": "  Jalan berlubang di Desa Sukamaju ", "klasifikasi": "aspirasi",
         "kategori": "infrastruktur", "unit": "pupr", "rahasia": "on", "csrf_token": "x"}
VERIF_CLEAN = {"judul": "Jalan berlubang di Desa Sukamaju", "klasifikasi": "aspirasi",
               "kategori": "infrastruktur", "rahasia": True, "anonim": False, "unit": "pupr"}
KELOLA = {"judul": "Pertanyaan jam layanan kantor", "klasifikasi": "permintaan_informasi",
          "kategori": "lainnya", "anonim": "1"}
KELOLA_CLEAN = {"judul": "Pertanyaan jam layanan kantor", "klasifikasi": "permintaan_informasi",
                "kategori": "lainnya", "rahasia": False, "anonim": True}
TUNDA = {"pertanyaan": "Mohon sebutkan lokasi lampu jalan yang mati."}
TL = {"isi": "Tim sudah meninjau lokasi dan menjadwalkan perbaikan."}
TL_CLEAN = {**TL, "akhir": False}
TL_FINAL = {"isi": "Perbaikan jalan sudah selesai dikerjakan hari ini.", "akhir": "1"}
TL_FINAL_CLEAN = {**TL_FINAL, "akhir": True}
KEMBALIKAN = {"alasan": "Salah disposisi, ini kewenangan Dinas Pendidikan."}

# (action, raw form, cleaned payload, role, state after, judul, unit column)
STEP = {
    "verifikasi": ("verifikasi", VERIF, VERIF_CLEAN, "admin_instansi", "TERDISPOSISI",
                   VERIF_CLEAN["judul"], "pupr"),
    "kelola_sendiri": ("kelola_sendiri", KELOLA, KELOLA_CLEAN, "admin_instansi", "TERDISPOSISI",
                       KELOLA_CLEAN["judul"], None),
    "tunda": ("tunda", TUNDA, TUNDA, "admin_instansi", "TUNDA", None, None),
    "membalas": ("pelapor_membalas", {"isi": "Di depan masjid Al-Ikhlas."},
                 {"isi": "Di depan masjid Al-Ikhlas."}, "pelapor", "BARU", None, None),
    "arsip_baru": ("arsipkan", {"alasan": "spam", "catatan": ""}, {"alasan": "spam"},
                   "admin_instansi", "DIARSIPKAN", None, None),
    "arsip_tunda": ("arsipkan", {"alasan": "tidak_ada_informasi", "catatan": " tidak dibalas "},
                    {"alasan": "tidak_ada_informasi", "catatan": "tidak dibalas"},
                    "admin_instansi", "DIARSIPKAN", None, None),
    "bukan_wewenang": ("bukan_wewenang", {"instansi": "bpjn"}, {"instansi": "bpjn"},
                       "admin_instansi", "BUKAN_WEWENANG", None, "bpjn"),
    "kembalikan": ("kembalikan", KEMBALIKAN, KEMBALIKAN, "admin_penghubung", "BARU",
                   VERIF_CLEAN["judul"], None),
    "tl": ("tindak_lanjut", TL, TL_CLEAN, "admin_penghubung", "DIPROSES",
           VERIF_CLEAN["judul"], "pupr"),
    "tl_final": ("tindak_lanjut", TL_FINAL, TL_FINAL_CLEAN, "admin_penghubung",
                 "MENUNGGU_PELAPOR", VERIF_CLEAN["judul"], "pupr"),
    "menerima": ("pelapor_menerima", {"isi": "Terima kasih."}, {"isi": "Terima kasih."},
                 "pelapor", "SELESAI", VERIF_CLEAN["judul"], "pupr"),
    "menolak": ("pelapor_menolak", {"isi": "Belum selesai, masih berlubang."},
                {"isi": "Belum selesai, masih berlubang."}, "pelapor", "DIPROSES",
                VERIF_CLEAN["judul"], "pupr"),
    "menilai": ("pelapor_menilai", {"bintang": "4"}, {"bintang": 4}, "pelapor", "SELESAI",
                VERIF_CLEAN["judul"], "pupr"),
    "menanyakan": ("pelapor_menanyakan", {"isi": "Kapan ditindaklanjuti?"},
                   {"isi": "Kapan ditindaklanjuti?"}, "pelapor", "TERDISPOSISI",
                   VERIF_CLEAN["judul"], "pupr"),
}

# The path that ends with the action under test.
PATHS = {
    "verifikasi": ["verifikasi"],
    "kelola_sendiri": ["kelola_sendiri"],
    "tunda": ["tunda"],
    "pelapor_membalas": ["tunda", "membalas"],
    "arsipkan_from_baru": ["arsip_baru"],
    "arsipkan_from_tunda": ["tunda", "arsip_tunda"],
    "bukan_wewenang": ["bukan_wewenang"],
    "kembalikan": ["verifikasi", "kembalikan"],
    "tindak_lanjut": ["verifikasi", "tl"],
    "tindak_lanjut_final": ["verifikasi", "tl_final"],
    "pelapor_menerima": ["verifikasi", "tl_final", "menerima"],
    "pelapor_menolak": ["verifikasi", "tl_final", "menolak"],
    "pelapor_menilai": ["verifikasi", "tl_final", "menerima", "menilai"],
    "pelapor_menanyakan": ["verifikasi", "menanyakan"],
}


def _event_count() -> int:
    return db.session.scalar(select(func.count(Event.id)))


def _check_projection(complaint: Complaint) -> None:
    view = report_view(complaint)
    assert complaint.state == view.state.value
    assert complaint.judul == view.judul
    assert complaint.unit == (view.unit or view.agency)


@pytest.mark.parametrize("path", list(PATHS.values()), ids=list(PATHS))
def test_record_action(app, clock, path):
    with app.app_context():
        participant = make_participant(name="Siti Rahmawati", seed=2026, count=12)
        complaint = complaint_for(participant)
        tracking_no = complaint.tracking_no
        speed = participant.exercise.speed  # real minutes per HK
        assert speed == 8.0
        calendar = sim_clock(participant.exercise).calendar
        db.session.commit()
        previous_sim = None
        for seq, name in enumerate(path, 1):
            action, form, payload, role, state, judul, unit = STEP[name]
            if seq > 1:
                clock.advance(minutes=10)
            result = record_action(participant, tracking_no, action, dict(form), new_key())
            assert result.duplicate is False
            event = result.event
            assert event.seq == seq
            assert event.action == action
            assert event.role == role
            assert event.actor == "Siti Rahmawati"
            assert event.payload == payload
            assert event.state_after == state
            assert event.complaint_id == complaint.id
            expected_sim = sim_clock(participant.exercise).now()
            assert event.sim_at == expected_sim
            if previous_sim is None:
                assert event.sim_at == participant.exercise.sim_start_at
            else:
                # 10 real minutes at 8 minutes per HK: 1.25 HK of working time passed.
                worked = calendar.working_between(previous_sim, event.sim_at)
                assert worked == calendar.day_length * (10 / speed) == timedelta(hours=10)
            previous_sim = event.sim_at
            assert result.complaint is complaint
            assert complaint.state == state
            assert complaint.judul == judul
            assert complaint.unit == unit
            _check_projection(complaint)
            db.session.commit()

        # What was committed is what a fresh read sees.
        db.session.expire_all()
        stored = db.session.scalars(
            select(Event).where(Event.complaint_id == complaint.id).order_by(Event.seq)).all()
        assert [e.seq for e in stored] == list(range(1, len(path) + 1))
        assert [e.action for e in stored] == [STEP[n][0] for n in path]
        fresh = db.session.get(Complaint, complaint.id)
        assert fresh.state == STEP[path[-1]][4]
        _check_projection(fresh)


def test_kembalikan_clears_unit_keeps_judul(app):
    with app.app_context():
        participant = make_participant()
        tn = complaint_for(participant).tracking_no
        record_action(participant, tn, "verifikasi", VERIF, new_key())
        result = record_action(participant, tn, "kembalikan", KEMBALIKAN, new_key())
        view = report_view(result.complaint)
        assert (view.state.value, view.unit, view.judul) == ("BARU", None, VERIF_CLEAN["judul"])
        assert result.complaint.unit is None
        # It can be verified again, to another unit.
        again = record_action(participant, tn, "verifikasi", {**VERIF, "unit": "disdik"},
                              new_key())
        assert again.complaint.unit == "disdik"
        assert again.event.seq == 3
        assert report_view(again.complaint).verified_at == result.complaint.events[0].sim_at


def test_rating_is_projected(app):
    with app.app_context():
        participant = make_participant()
        tn = complaint_for(participant).tracking_no
        for action, form in [("verifikasi", VERIF), ("tindak_lanjut", TL_FINAL),
                             ("pelapor_menilai", {"bintang": "2"})]:
            result = record_action(participant, tn, action, form, new_key())
        view = report_view(result.complaint)
        assert view.rating == 2
        assert view.state.value == "MENUNGGU_PELAPOR"
        assert view.follow_ups == 1


# ------------------------------------------------------------- failed actions


FAILURES = [
    ("verifikasi-no-unit", [], "verifikasi", {**VERIF, "unit": ""}, ValidationError,
     "Unit tujuan wajib diisi."),
    ("verifikasi-agency", [], "verifikasi", {**VERIF, "unit": "bpjn"}, ValidationError,
     "gunakan aksi Bukan Wewenang"),
    ("bw-pemda", [], "bukan_wewenang", {"instansi": "pupr"}, ValidationError,
     "adalah perangkat daerah sendiri"),
    ("tl-in-baru", [], "tindak_lanjut", TL, TransitionError,
     "tidak berlaku untuk status Belum Terverifikasi"),
    ("unknown-action", [], "hapus", {}, TransitionError, "Aksi tidak dikenal: «hapus»."),
    ("tl-short", [("verifikasi", VERIF)], "tindak_lanjut", {"isi": "Sudah."}, ValidationError,
     "Isi tindak lanjut terlalu pendek: minimal 20 karakter."),
    ("verifikasi-twice", [("verifikasi", VERIF)], "verifikasi", VERIF, TransitionError,
     "tidak berlaku untuk status Belum Ditindaklanjuti"),
    ("menerima-before-final", [("verifikasi", VERIF), ("tindak_lanjut", TL)], "pelapor_menerima",
     {}, TransitionError, "tidak berlaku untuk status Proses"),
    ("tl-after-archive", [("arsipkan", {"alasan": "spam"})], "tindak_lanjut", TL,
     TransitionError, "tidak berlaku untuk status Diarsipkan"),
    ("bintang-6", [("verifikasi", VERIF), ("tindak_lanjut", TL_FINAL)], "pelapor_menilai",
     {"bintang": "6"}, ValidationError, "Bintang harus bilangan 1 sampai 5."),
]


@pytest.mark.parametrize(("before", "action", "form", "error", "message"),
                         [f[1:] for f in FAILURES], ids=[f[0] for f in FAILURES])
def test_failed_action_changes_nothing(app, before, action, form, error, message):
    with app.app_context():
        participant = make_participant()
        complaint = complaint_for(participant)
        tn = complaint.tracking_no
        for name, raw in before:
            record_action(participant, tn, name, raw, new_key())
        db.session.commit()
        snapshot = (complaint.state, complaint.judul, complaint.unit)
        events_before = _event_count()
        assert events_before == len(before)

        with pytest.raises(error) as exc:
            record_action(participant, tn, action, dict(form), new_key())
        assert message in exc.value.message

        assert _event_count() == events_before
        assert len(complaint.events) == len(before)
        assert (complaint.state, complaint.judul, complaint.unit) == snapshot
        db.session.commit()
        db.session.expire_all()
        fresh = db.session.get(Complaint, complaint.id)
        assert (fresh.state, fresh.judul, fresh.unit) == snapshot
        assert _event_count() == events_before


def test_validation_error_reports_every_field(app):
    with app.app_context():
        participant = make_participant()
        tn = complaint_for(participant).tracking_no
        with pytest.raises(ValidationError) as exc:
            record_action(participant, tn, "verifikasi", {}, new_key())
        assert set(exc.value.errors) == {"judul", "klasifikasi", "kategori", "unit"}
        assert _event_count() == 0


# ---------------------------------------------------------------- idempotency


def test_same_idem_key_twice_records_one_event(app):
    with app.app_context():
        participant = make_participant()
        tn = complaint_for(participant).tracking_no
        key = new_key()
        first = record_action(participant, tn, "verifikasi", VERIF, key)
        db.session.commit()
        second = record_action(participant, tn, "verifikasi", VERIF, key)
        assert first.duplicate is False
        assert second.duplicate is True
        assert second.event.id == first.event.id
        assert second.complaint.id == first.complaint.id
        assert _event_count() == 1
        assert second.complaint.state == "TERDISPOSISI"
        # Even a different action with the same key is the earlier submit, not a new event.
        third = record_action(participant, tn, "tindak_lanjut", TL, key)
        assert third.duplicate is True
        assert third.event.action == "verifikasi"
        assert _event_count() == 1


def test_same_idem_key_on_another_complaint_is_refused(app):
    with app.app_context():
        participant = make_participant()
        numbers = [c.tracking_no for c in db.session.scalars(
            select(Complaint).where(Complaint.participant_id == participant.id)
            .order_by(Complaint.position))]
        key = new_key()
        record_action(participant, numbers[0], "arsipkan", {"alasan": "spam"}, key)
        db.session.commit()
        with pytest.raises(DomainError) as exc:
            record_action(participant, numbers[1], "arsipkan", {"alasan": "spam"}, key)
        assert type(exc.value) is DomainError
        assert exc.value.message == ("Kunci formulir sudah dipakai untuk laporan lain. "
                                     "Muat ulang halaman.")
        assert _event_count() == 1
        other = get_complaint(participant, numbers[1])
        assert other.state == "BARU"
        assert other.events == []


@pytest.mark.parametrize("key", [None, "", "short", "a" * 15, "a" * 65, "kunci dengan spasi 123",
                                 "kunci/dengan/garis/miring", "ключ-ключ-ключ-ключ"])
def test_missing_or_bad_idem_key_is_refused(app, key):
    with app.app_context():
        participant = make_participant()
        tn = complaint_for(participant).tracking_no
        with pytest.raises(DomainError) as exc:
            record_action(participant, tn, "verifikasi", VERIF, key)
        assert type(exc.value) is DomainError
        assert "kunci formulir hilang" in exc.value.message
        assert _event_count() == 0


@pytest.mark.parametrize("key", ["a" * 16, "A-b_C" * 12 + "1234", "0123456789abcdef"])
def test_good_idem_keys_are_accepted(app, key):
    assert 16 <= len(key) <= 64
    with app.app_context():
        participant = make_participant()
        tn = complaint_for(participant).tracking_no
        assert record_action(participant, tn, "tunda", TUNDA, key).event.idem_key == key


# ------------------------------------------------------------------- not found


def test_unknown_tracking_number(app):
    with app.app_context():
        participant = make_participant()
        known = {c.tracking_no for c in db.session.scalars(select(Complaint))}
        unknown = "1"
        assert unknown not in known
        with pytest.raises(NotFound) as exc:
            record_action(participant, unknown, "tunda", TUNDA, new_key())
        assert exc.value.message == "Laporan #1 tidak ditemukan."
        assert _event_count() == 0


def test_another_participants_report_is_not_found(app):
    with app.app_context():
        siti = make_participant(name="Siti", seed=2026)
        budi = make_participant(name="Budi", seed=77)
        siti_numbers = {c.tracking_no for c in db.session.scalars(
            select(Complaint).where(Complaint.participant_id == siti.id))}
        budi_only = [c.tracking_no for c in db.session.scalars(
            select(Complaint).where(Complaint.participant_id == budi.id))
            if c.tracking_no not in siti_numbers]
        assert budi_only
        db.session.commit()
        with pytest.raises(NotFound) as exc:
            record_action(siti, budi_only[0], "tunda", TUNDA, new_key())
        assert exc.value.message == f"Laporan #{budi_only[0]} tidak ditemukan."
        with pytest.raises(NotFound):
            get_complaint(siti, budi_only[0])
        assert get_complaint(budi, budi_only[0]).participant_id == budi.id
        assert _event_count() == 0


def test_same_tracking_number_belongs_to_each_trainee_separately(app):
    with app.app_context():
        siti = make_participant(name="Siti", seed=2026)
        budi = make_participant(name="Budi", seed=2026)
        tn = complaint_for(siti).tracking_no
        record_action(siti, tn, "tunda", TUNDA, new_key())
        db.session.commit()
        assert get_complaint(siti, tn).state == "TUNDA"
        assert get_complaint(budi, tn).state == "BARU"
        assert get_complaint(budi, tn).events == []


@pytest.mark.parametrize(("tracking_no", "message"), [
    ("abc", "Laporan «abc» tidak ditemukan."),
    ("12a4", "Laporan «12a4» tidak ditemukan."),
    ("", "Laporan «» tidak ditemukan."),
    ("-5", "Laporan «-5» tidak ditemukan."),
    ("1" * 21, f"Laporan «{'1' * 21}» tidak ditemukan."),
    ("1 OR 1=1", "Laporan «1 OR 1=1» tidak ditemukan."),
])
def test_non_digit_tracking_number(app, tracking_no, message):
    with app.app_context():
        participant = make_participant()
        with pytest.raises(NotFound) as exc:
            record_action(participant, tracking_no, "tunda", TUNDA, new_key())
        assert exc.value.message == message


def test_report_not_yet_arrived_is_not_found(app):
    with app.app_context():
        participant = make_participant()
        complaint = complaint_for(participant)
        complaint.arrived_at = sim_clock(participant.exercise).now() + timedelta(hours=1)
        db.session.commit()
        with pytest.raises(NotFound):
            record_action(participant, complaint.tracking_no, "tunda", TUNDA, new_key())
        assert _event_count() == 0


# -------------------------------------------------------------- start practice


@pytest.mark.parametrize(("args", "errors"), [
    (("", "Dinas Kesehatan", None, None), {"name": "Nama wajib diisi."}),
    (("   ", "Dinas Kesehatan", None, None), {"name": "Nama wajib diisi."}),
    (("x" * 200, "Dinas Kesehatan", None, None),
     {"name": "Nama terlalu panjang: maksimal 120 karakter."}),
    (("Siti", "", None, None), {"unit_name": "Unit kerja wajib diisi."}),
    (("Siti", "u" * 161, None, None),
     {"unit_name": "Unit kerja terlalu panjang: maksimal 160 karakter."}),
    (("Siti", "Dinkes", "abc", None), {"seed": "Seed harus bilangan bulat 0 sampai 2147483647."}),
    (("Siti", "Dinkes", "-1", None), {"seed": "Seed harus bilangan bulat 0 sampai 2147483647."}),
    (("Siti", "Dinkes", str(2**31), None),
     {"seed": "Seed harus bilangan bulat 0 sampai 2147483647."}),
    (("Siti", "Dinkes", "²", None), {"seed": "Seed harus bilangan bulat 0 sampai 2147483647."}),
    (("Siti", "Dinkes", None, "0"), {"count": "Jumlah laporan harus 1 sampai 200."}),
    (("Siti", "Dinkes", None, "999"), {"count": "Jumlah laporan harus 1 sampai 200."}),
    (("Siti", "Dinkes", None, "lima"), {"count": "Jumlah laporan harus 1 sampai 200."}),
    (("Siti", "Dinkes", None, "²"), {"count": "Jumlah laporan harus 1 sampai 200."}),
    (("", "", "abc", "0"), {"name": "Nama wajib diisi.", "unit_name": "Unit kerja wajib diisi.",
                            "seed": "Seed harus bilangan bulat 0 sampai 2147483647.",
                            "count": "Jumlah laporan harus 1 sampai 200."}),
], ids=["empty-name", "blank-name", "long-name", "empty-unit", "long-unit", "seed-abc",
        "seed-negative", "seed-too-big", "seed-superscript", "count-0", "count-999",
        "count-word", "count-superscript", "all-at-once"])
def test_start_practice_validation(app, args, errors):
    with app.app_context():
        with pytest.raises(ValidationError) as exc:
            start_practice(*args)
        assert exc.value.errors == errors
        assert db.session.scalar(select(func.count(Participant.id))) == 0
        assert db.session.scalar(select(func.count(Exercise.id))) == 0
        assert db.session.scalar(select(func.count(Complaint.id))) == 0


@pytest.mark.parametrize(("seed", "count", "expected"), [
    ("5", "1", 1), (5, 3, 3), (" 0 ", " 200 ", 200), ("2147483647", "2", 2),
])
def test_start_practice_accepts_bounds(app, seed, count, expected):
    with app.app_context():
        participant = start_practice(" Siti ", " Dinkes ", seed=seed, count=count)
        assert participant.name == "Siti"
        assert participant.unit_name == "Dinkes"
        assert participant.exercise.seed == int(str(seed).strip())
        assert participant.exercise.complaint_count == expected
        assert db.session.scalar(select(func.count(Complaint.id))) == expected


def test_start_practice_default_count_and_clock(app, clock):
    with app.app_context():
        participant = start_practice("Siti", "Dinkes", seed=1)
        exercise = participant.exercise
        complaints = db.session.scalars(
            select(Complaint).where(Complaint.participant_id == participant.id)
            .order_by(Complaint.position)).all()
        assert len(complaints) == app.config["PRACTICE_COMPLAINTS"] == 12
        assert exercise.sim_start_at == complaints[-1].arrived_at + timedelta(minutes=5)
        assert exercise.wall_start_at == clock.now().replace(tzinfo=None)
        assert exercise.speed == app.config["PRACTICE_MINUTES_PER_HK"] == 8.0
        assert exercise.mode == "solo"
        assert all(c.state == "BARU" for c in complaints)
        # Every report has arrived by the time the practice starts.
        assert all(c.arrived_at <= sim_clock(exercise).now() for c in complaints)


def test_same_seed_gives_identical_sets(app):
    with app.app_context():
        a = start_practice("Siti", "Dinkes", seed="31337", count="15")
        b = start_practice("Budi", "PUPR", seed=31337, count=15)
        c = start_practice("Ani", "Disdik", seed=31338, count=15)

        def content(participant):
            rows = db.session.scalars(
                select(Complaint).where(Complaint.participant_id == participant.id)
                .order_by(Complaint.position)).all()
            return [(r.tracking_no, r.text, r.answer_key, r.reporter, r.arrived_at)
                    for r in rows]

        assert len(content(a)) == 15
        assert content(a) == content(b)
        assert [row[1] for row in content(a)] != [row[1] for row in content(c)]
        assert a.exercise_id != b.exercise_id
        assert a.token != b.token
        assert a.exercise.code != b.exercise.code


def test_record_action_flushes_but_does_not_commit(app):
    with app.app_context():
        participant = make_participant()
        complaint = complaint_for(participant)
        db.session.commit()
        record_action(participant, complaint.tracking_no, "tunda", TUNDA, new_key())
        assert _event_count() == 1  # flushed: visible inside the transaction
        db.session.rollback()
        assert _event_count() == 0
        assert db.session.get(Complaint, complaint.id).state == "BARU"
