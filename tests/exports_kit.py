"""A played workshop for the export tests: three trainees who act differently on the
same reports, a facilitator's rubric, a broadcast, and reporters who answered."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from sandbox.extensions import db
from sandbox.models import Complaint, Event, Exercise, Facilitator, Participant
from sandbox.services.accounts import create_facilitator
from sandbox.services.catalogue import get_catalogue
from sandbox.services.complaints import record_action, visible_complaints
from sandbox.services.scoring import override_quality
from sandbox.services.session_log import log_control
from sandbox.services.ticker import tick
from sandbox.services.timekeeping import command_clock
from sandbox.services.workshops import WorkshopForm, create_workshop, join_workshop

PASSWORD = "rahasia-123"
TRAINEES = (("Siti Rahmawati", "Dinas Kesehatan"), ("Andi Saputra", "Dinas PUPR"),
            ("Ni Luh Putu Sa'diyah", "Kecamatan Sukamaju"))
TL = ("Yth. Bapak/Ibu, terima kasih atas laporannya. Petugas {unit} telah memeriksa lokasi "
      "di Jl. Merdeka RT 003 pada Selasa, 3 Maret 2026 dan memperbaikinya; pemeriksaan "
      "lanjutan dijadwalkan pekan depan. Kami akan menginformasikan perkembangan selanjutnya.")


def facilitator_named(username: str) -> Facilitator:
    found = db.session.scalar(select(Facilitator).where(Facilitator.username == username))
    return found or create_facilitator(username, f"Fasilitator {username.title()}", PASSWORD,
                                       is_admin=True)


def _act(participant: Participant, complaint: Complaint, right: bool, n: int) -> None:
    key = complaint.answer_key
    units = sorted(get_catalogue(participant.exercise.region_file).directory.units)
    key_ = f"{participant.id:04d}-{complaint.id:06d}-{n:04d}-form"
    action = key["expected_action"]
    verify = {"judul": "Laporan warga tentang layanan publik", "klasifikasi": key["klasifikasi"],
              "kategori": key["kategori"]}
    if action == "disposisi":
        unit = key["expected_target"] if right else next(u for u in units
                                                        if u != key["expected_target"])
        record_action(participant, complaint.tracking_no, "verifikasi", {**verify, "unit": unit},
                      key_ + "v")
        record_action(participant, complaint.tracking_no, "tindak_lanjut",
                      {"isi": TL.format(unit=unit.upper()), "akhir": "1"}, key_ + "t")
    elif action == "kelola_sendiri" and right:
        record_action(participant, complaint.tracking_no, "kelola_sendiri", verify, key_ + "k")
    elif action == "tunda" and right:
        record_action(participant, complaint.tracking_no, "tunda",
                      {"pertanyaan": "Mohon sebutkan lokasi persisnya (desa, RT/RW)."},
                      key_ + "q")
    elif action == "arsipkan" and right:
        record_action(participant, complaint.tracking_no, "arsipkan",
                      {"alasan": key.get("archive_reason") or "spam"}, key_ + "a")
    elif action == "bukan_wewenang" and right:
        record_action(participant, complaint.tracking_no, "bukan_wewenang",
                      {"instansi": key["expected_target"]}, key_ + "b")


@dataclass
class Played:
    code: str
    names: tuple[str, ...]


def play_workshop(app, clock, facilitator: str = "ratna", end: bool = True) -> Played:
    """Bimtek-dasar with three trainees: one right, one routing wrong, one idle."""
    with app.app_context():
        owner = facilitator_named(facilitator)
        exercise = create_workshop(owner, WorkshopForm(
            scenario="bimtek-dasar", title="Bimtek Admin Penghubung 2026",
            held_on="Selasa, 10 Maret 2026", location="Aula Diskominfo", minutes_per_hk="",
            seed=""))
        ids = [join_workshop(exercise.code, name, unit).id for name, unit in TRAINEES]
        command_clock(exercise, "mulai", owner.name)
        code, actor = exercise.code, owner.name
        db.session.commit()
    clock.advance(minutes=10)
    with app.app_context():
        for i, (participant_id, right) in enumerate(((ids[0], True), (ids[1], False))):
            participant = db.session.get(Participant, participant_id)
            for n, complaint in enumerate(visible_complaints(participant)):
                _act(participant, complaint, right, 10 * i + n)
        db.session.commit()
    clock.advance(minutes=8)  # reporters answer (0.5 HK = 2 min) and rate
    with app.app_context():
        exercise = db.session.scalar(select(Exercise).where(Exercise.code == code))
        siti = db.session.get(Participant, ids[0])
        tick()  # the server's ticker records the reporters' due answers
        tl = db.session.scalars(
            select(Event).join(Complaint).where(Complaint.participant_id == siti.id,
                                                Event.action == "tindak_lanjut")
            .order_by(Event.id)).first()
        override_quality(tl.complaint, tl.seq, 4, actor)
        log_control(exercise, "pesan", actor, {"teks": "Sepuluh menit lagi."})
        if end:
            command_clock(exercise, "akhiri", actor)
        db.session.commit()
    return Played(code, tuple(name for name, _ in TRAINEES))


def count_events(code: str) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Event).join(Complaint).join(Exercise)
        .where(Exercise.code == code))
