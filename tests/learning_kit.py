"""bimtek-tes played through the services: trainees who decide a chosen number of the
tes awal's and the tes akhir's reports right, for the pre/post tests' service and web
tests."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from sandbox.domain.learning import Phase, phase_of
from sandbox.extensions import db
from sandbox.models import Complaint, Exercise, Participant
from sandbox.services.catalogue import get_catalogue
from sandbox.services.complaints import get_complaint, visible_complaints
from sandbox.services.complaints import record_action as act
from sandbox.services.timekeeping import command_clock
from sandbox.services.workshops import WorkshopForm, create_workshop, join_workshop
from tests.exports_kit import TL, facilitator_named

SCENARIO = "bimtek-tes"
# Real minutes from the start: the tes awal has arrived (+1 to +3), nothing else yet; the
# tes akhir has arrived (+54 to +56); the planned end (+70).
AFTER_PRE, AFTER_POST = 6, 58


@dataclass(frozen=True)
class Trainee:
    name: str
    unit: str
    pre: int | None  # how many tes awal reports (in arrival order) they decide right; None: none
    post: int | None
    cohort: str = ""


def decide(participant: Participant, complaint: Complaint, right: bool, n: int) -> None:
    """Decide one report: as its key says (with its rahasia/anonim flags, and a concrete
    TL after a disposition, unless a team's admin penghubung writes it), or wrongly, by
    disposing it to a Pemda unit the key does not name."""
    key = complaint.answer_key
    prefix = f"{participant.id:04d}-{complaint.id:06d}-{n:04d}"

    def record_action(person: Participant, number: str, action: str, form: dict[str, str],
                      suffix: str) -> None:  # with the version the person saw (mode tim)
        seen = len(get_complaint(person, number).events)
        act(person, number, action, form, prefix + suffix, seen)

    verify = {"judul": "Laporan warga tentang layanan publik", "klasifikasi": key["klasifikasi"],
              "kategori": key["kategori"]}
    action = key["expected_action"]
    if not right:
        named = {key.get("expected_target"), *key.get("acceptable_targets", ()),
                 *key.get("partial_targets", ())}
        catalogue = get_catalogue(participant.exercise.region_file)
        unit = next(code for code in ("dinsos", "disdik", "dlh")
                    if code not in named and code in catalogue.units)
        record_action(participant, complaint.tracking_no, "verifikasi", {**verify, "unit": unit},
                      "w")
    elif action == "disposisi":
        flags = {name: "1" for name in ("rahasia", "anonim") if key.get(name)}
        record_action(participant, complaint.tracking_no, "verifikasi",
                      {**verify, **flags, "unit": key["expected_target"]}, "v")
        if participant.team is None:
            record_action(participant, complaint.tracking_no, "tindak_lanjut",
                          {"isi": TL.format(unit=key["expected_target"].upper()), "akhir": "1"},
                          "t")
    elif action == "tunda":
        record_action(participant, complaint.tracking_no, "tunda",
                      {"pertanyaan": "Mohon sebutkan lokasi persisnya (desa, RT/RW)."}, "q")
    elif action == "arsipkan":
        record_action(participant, complaint.tracking_no, "arsipkan",
                      {"alasan": key.get("archive_reason") or "spam"}, "a")
    elif action == "bukan_wewenang":
        record_action(participant, complaint.tracking_no, "bukan_wewenang",
                      {"instansi": key["expected_target"]}, "b")
    else:
        raise AssertionError(f"no test report expects {action}")


def _take(participant: Participant, phase: Phase, right: int | None, offset: int) -> None:
    if right is None:
        return
    tests = [c for c in visible_complaints(participant) if phase_of(c.answer_key) == phase]
    for n, complaint in enumerate(sorted(tests, key=lambda c: c.arrived_at)):
        decide(participant, complaint, n < right, offset + n)


def play_tests(app, clock, trainees: tuple[Trainee, ...], *, facilitator: str = "ratna",
               end: bool = True, mode: str = "", title: str = "Bimtek dengan tes") -> str:
    """A bimtek-tes workshop: every trainee joins, takes the tes awal and the tes akhir as
    told, and leaves the exercise alone; the session is ended unless `end` is False.
    Returns the session code."""
    with app.app_context():
        owner = facilitator_named(facilitator)
        exercise = create_workshop(owner, WorkshopForm(
            scenario=SCENARIO, title=title, held_on="", location="",
            minutes_per_hk="", seed="", mode=mode))
        ids = []
        for trainee in trainees:
            seat = {"seat": "baru:instansi"} if mode == "tim" else {}
            person = join_workshop(exercise.code, trainee.name, trainee.unit, **seat)
            person.cohort = trainee.cohort or None
            ids.append(person.id)
        command_clock(exercise, "mulai", owner.name)
        code, actor = exercise.code, owner.name
        db.session.commit()
    for minutes, phase in ((AFTER_PRE, Phase.AWAL), (AFTER_POST - AFTER_PRE, Phase.AKHIR)):
        clock.advance(minutes=minutes)
        with app.app_context():
            for i, (participant_id, trainee) in enumerate(zip(ids, trainees, strict=True)):
                participant = db.session.get(Participant, participant_id)
                _take(participant, phase, trainee.pre if phase == Phase.AWAL else trainee.post,
                      100 * i + (50 if phase == Phase.AKHIR else 0))
            db.session.commit()
    if end:
        with app.app_context():
            exercise = db.session.scalar(select(Exercise).where(Exercise.code == code))
            command_clock(exercise, "akhiri", actor)
            db.session.commit()
    return code
