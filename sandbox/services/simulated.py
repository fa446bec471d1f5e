"""Simulated trainees: scripted admins who act on their reports through the same services.

They stage the demo workshop, so that its dashboard, leaderboard and debrief show a
real-looking session on first run: some right and some wrong dispositions, a needless
tunda, returned reports, concrete and vague TLs, and one TL that leaks a protected
reporter's name. Every decision is drawn from the Random passed in, so the same seed
gives the same session; every action goes through `record_action`, so nothing is stored
that a real trainee could not have done.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sandbox.domain.catalogue import Catalogue
from sandbox.domain.clock import ManualClock, format_tanggal
from sandbox.domain.decisions import judge_decision
from sandbox.domain.errors import CatalogueError, DomainError
from sandbox.domain.identity import must_protect
from sandbox.domain.session import ClockCommand, SessionState
from sandbox.domain.teammate import CONCRETE_TL, QUESTIONS, VAGUE_TL, neutral_title
from sandbox.domain.workflow import Action, Klasifikasi, ReportView, State
from sandbox.models import Complaint, Exercise, Participant
from sandbox.services.catalogue import get_catalogue
from sandbox.services.complaints import record_action, report_view, visible_complaints
from sandbox.services.practice import add_participant, session_plan
from sandbox.services.ticker import tick_session
from sandbox.services.timekeeping import (
    calendar_of,
    clock_state,
    command_clock,
    sim_clock,
    staged_wall_clock,
    wall_clock,
)


@dataclass(frozen=True)
class SimulatedTrainee:
    """Who a simulated trainee is, and how good: `skill` 0..1 is the chance of getting a
    decision right (and, below 0.4, of leaking a protected reporter's name in a TL)."""

    name: str
    unit_name: str
    cohort: str
    skill: float


# Six trainees in two cohorts, from careful to careless: the demo workshop's room.
DEMO_CAST = (
    SimulatedTrainee("Dewi Lestari", "Dinas Kesehatan", "Kelompok A", 0.92),
    SimulatedTrainee("Agus Setiawan", "Dinas PUPR", "Kelompok A", 0.75),
    SimulatedTrainee("Rina Marlina", "Disdukcapil", "Kelompok A", 0.5),
    SimulatedTrainee("Yuliana Sari", "Dinas Lingkungan Hidup", "Kelompok B", 0.82),
    SimulatedTrainee("Hendra Gunawan", "Satpol PP", "Kelompok B", 0.55),
    SimulatedTrainee("Bambang Sutrisno", "Dinas Sosial", "Kelompok B", 0.3),
)
# Below this skill a trainee misses what makes a report sensitive: they rush it like any
# other (straight to an OPD, answered at once) and greet the protected reporter by name.
CARELESS = 0.4
BY_DEADLINE = 0.6  # from this skill on, the oldest report is handled first

# Classifications trainees confuse with each other.
CONFUSED = {
    Klasifikasi.PENGADUAN_TIDAK_BERKADAR_PENGAWASAN.value: (
        Klasifikasi.PENGADUAN_BERKADAR_PENGAWASAN.value, Klasifikasi.ASPIRASI.value),
    Klasifikasi.PENGADUAN_BERKADAR_PENGAWASAN.value: (
        Klasifikasi.PENGADUAN_TIDAK_BERKADAR_PENGAWASAN.value,),
    Klasifikasi.ASPIRASI.value: (Klasifikasi.PENGADUAN_TIDAK_BERKADAR_PENGAWASAN.value,),
    Klasifikasi.PERMINTAAN_INFORMASI.value: (
        Klasifikasi.PENGADUAN_TIDAK_BERKADAR_PENGAWASAN.value, Klasifikasi.ASPIRASI.value),
}

# Outside bodies a trainee wrongly forwards a Pemda report to, by kategori (the level trap).
WRONG_AGENCIES = {
    "infrastruktur": ("pu-prov", "bpjn"), "pendidikan": ("disdik-prov", "kemenag"),
    "kesehatan": ("bpjs-kes",), "ketenagakerjaan": ("bpjs-tk",), "energi": ("pln",),
    "pertanahan": ("bpn",), "perpajakan": ("samsat", "kpp"), "keamanan": ("polres",),
    "ketertiban_umum": ("polres",), "air_minum_sanitasi": ("bbws",),
}

Decision = tuple[str, dict[str, Any]]  # action name and its form, as a trainee posts it


def _idem_key(participant: Participant, rng: random.Random) -> str:
    """A form key as a browser would send; unique per trainee, so a seed can be replayed."""
    return f"sim-{participant.id}-{rng.getrandbits(64):016x}"


def _protected(complaint: Complaint) -> bool:
    """The reporter's identity must be hidden (by the answer key or the reporter's request)."""
    key = complaint.answer_key
    return must_protect(complaint.reporter, rahasia=bool(key.get("rahasia")),
                        anonim=bool(key.get("anonim")))


def _local_units(catalogue: Catalogue) -> list[str]:
    return sorted(code for code, unit in catalogue.units.items() if not unit.is_agency)


def _agencies(catalogue: Catalogue) -> list[str]:
    return sorted(code for code, unit in catalogue.units.items() if unit.is_agency)


def _wrong_unit(key: dict[str, Any], catalogue: Catalogue, rng: random.Random) -> str:
    """A plausible wrong unit: a near miss from the answer key, else one of the same field."""
    right = {key.get("expected_target"), *(key.get("acceptable_targets") or ())}
    local = set(_local_units(catalogue))
    near = [str(code) for code in key.get("partial_targets") or () if code in local]
    if near:
        return rng.choice(sorted(near))
    same_field = [code for code in sorted(local) if code not in right
                  and key["kategori"] in catalogue.units[code].kategori]
    return rng.choice(same_field or [c for c in sorted(local) if c not in right])


def _classify(complaint: Complaint, catalogue: Catalogue, skill: float,
              rng: random.Random) -> dict[str, Any]:
    """Judul, klasifikasi, kategori and flags: each right with a chance that grows with skill."""
    key = complaint.answer_key
    try:
        topic_title = catalogue.topic(str(key.get("topic"))).title
    except CatalogueError:
        topic_title = ""
    if topic_title and len(topic_title) >= 10 and rng.random() < skill:
        judul = neutral_title(topic_title)  # a neutral summary
    else:
        judul = complaint.text.split(".")[0][:80].strip()  # the reporter's own first words
        if len(judul) < 10:
            judul = complaint.text[:80].strip()
    klasifikasi = key["klasifikasi"]
    if rng.random() > 0.55 + 0.45 * skill:
        klasifikasi = rng.choice(CONFUSED.get(klasifikasi, (klasifikasi,)))
    kategori = key["kategori"]
    if rng.random() > 0.6 + 0.4 * skill:
        kategori = "lainnya" if kategori != "lainnya" else "infrastruktur"
    protect = rng.random() < skill
    return {"judul": judul, "klasifikasi": klasifikasi, "kategori": kategori,
            "rahasia": bool(key.get("rahasia")) and protect,
            "anonim": bool(key.get("anonim")) and protect}


def _verify(complaint: Complaint, unit: str, catalogue: Catalogue, skill: float,
            rng: random.Random) -> Decision:
    return "verifikasi", {**_classify(complaint, catalogue, skill, rng), "unit": unit}



def _first_look(complaint: Complaint, catalogue: Catalogue, skill: float,
                rng: random.Random) -> Decision:
    """What a trainee does with a new report: the key's answer with chance `skill`, else a
    typical mistake for that kind of report."""
    key = complaint.answer_key
    expected, target = key["expected_action"], key.get("expected_target")
    right = rng.random() < skill
    if expected == "disposisi" and target:
        if right:
            return _verify(complaint, target, catalogue, skill, rng)
        slip = rng.random()
        outside = [c for c in WRONG_AGENCIES.get(key["kategori"], ())
                   if c in catalogue.units and catalogue.units[c].is_agency]
        rushed = skill < CARELESS and _protected(complaint)
        if slip < 0.6 or rushed or (slip < 0.75 and not outside):
            return _verify(complaint, _wrong_unit(key, catalogue, rng), catalogue, skill, rng)
        if slip < 0.75:
            return "bukan_wewenang", {"instansi": rng.choice(outside),
                                      "catatan": "Sepertinya bukan kewenangan Pemda."}
        if slip < 0.9:
            return "tunda", {"pertanyaan": rng.choice(QUESTIONS)}  # asks what was clear
        return "arsipkan", {"alasan": "terlalu_umum", "catatan": ""}
    if expected == "tunda":
        if right:
            hint = str(key.get("question_hint") or "")  # some hints speak to the admin
            usable = len(hint) >= 10 and not hint.startswith("Tanyakan")
            return "tunda", {"pertanyaan": hint if usable else rng.choice(QUESTIONS)}
        guess = target if target and rng.random() < 0.5 else _wrong_unit(key, catalogue, rng)
        return _verify(complaint, guess, catalogue, skill, rng)  # guesses instead of asking
    if expected == "arsipkan":
        if right:
            return "arsipkan", {"alasan": key.get("archive_reason") or "spam", "catatan": ""}
        if rng.random() < 0.5:
            return "arsipkan", {"alasan": "terlalu_umum", "catatan": "Tidak jelas."}
        return _verify(complaint, catalogue.region.admin_unit if catalogue.region.admin_unit
                       in catalogue.units else _local_units(catalogue)[0], catalogue, skill, rng)
    if expected == "bukan_wewenang" and target:
        if right:
            return "bukan_wewenang", {"instansi": target,
                                      "catatan": "Diteruskan kepada instansi yang berwenang."}
        near = [c for c in key.get("partial_targets") or () if c in _agencies(catalogue)]
        if near and rng.random() < 0.4:
            return "bukan_wewenang", {"instansi": rng.choice(sorted(near)), "catatan": ""}
        return _verify(complaint, _wrong_unit(key, catalogue, rng), catalogue, skill, rng)
    if expected == "kelola_sendiri" and right:
        return "kelola_sendiri", _classify(complaint, catalogue, skill, rng)
    return _verify(complaint, _wrong_unit(key, catalogue, rng), catalogue, skill, rng)


def _second_look(complaint: Complaint, catalogue: Catalogue, skill: float,
                 rng: random.Random) -> Decision:
    """A report back in BARU (returned, or answered after a tunda): usually handled better."""
    key = complaint.answer_key
    target = key.get("expected_target")
    local = set(_local_units(catalogue))
    if target in local and rng.random() < 0.5 + 0.5 * skill:
        return _verify(complaint, target, catalogue, skill, rng)
    if key["expected_action"] == "bukan_wewenang" and target and rng.random() < 0.5 + 0.5 * skill:
        return "bukan_wewenang", {"instansi": target, "catatan": ""}
    if key["expected_action"] == "arsipkan":
        return "arsipkan", {"alasan": key.get("archive_reason") or "spam", "catatan": ""}
    return _verify(complaint, _wrong_unit(key, catalogue, rng), catalogue, skill, rng)


LEAKY_TL = (
    "Yth. {title} {reporter}, terima kasih atas laporan Anda mengenai {topic}. Petugas {unit} "
    "telah turun ke lokasi pada {today} dan menghubungi Anda di alamat yang Anda tuliskan. "
    "Tindak lanjut dijadwalkan pada {later}."
)


def _follow_up(complaint: Complaint, view: ReportView, catalogue: Catalogue, skill: float,
               rng: random.Random, *, final_only: bool = False) -> Decision:
    """A TL whose quality follows skill: concrete with a date, vague, or (careless, on a
    protected report) naming the reporter."""
    exercise = complaint.exercise
    now = sim_clock(exercise).now()
    calendar = calendar_of(exercise)
    words = {"topic": f"«{view.judul}»" if view.judul else "hal yang Anda sampaikan",
             "unit": catalogue.unit_name(view.unit or catalogue.region.admin_unit),
             "today": format_tanggal(now, with_time=False),
             "later": format_tanggal(calendar.add_hk(now, rng.choice((2, 3, 5))),
                                     with_time=False),
             "title": complaint.reporter.get("title", "Bapak/Ibu"),
             "reporter": complaint.reporter.get("name", "")}
    if _protected(complaint) and skill < CARELESS:
        return "tindak_lanjut", {"isi": LEAKY_TL.format(**words), "akhir": "1"}
    if final_only or rng.random() < skill:
        return "tindak_lanjut", {"isi": rng.choice(CONCRETE_TL).format(**words), "akhir": "1"}
    return "tindak_lanjut", {"isi": rng.choice(VAGUE_TL),
                             "akhir": "1" if rng.random() < 0.5 else ""}


def _returned_wrongly_disposed(complaint: Complaint, view: ReportView, catalogue: Catalogue,
                               skill: float, rng: random.Random) -> Decision | None:
    """The Admin Penghubung sees the report is not theirs and returns it (sometimes)."""
    key = complaint.answer_key
    if view.unit is None or key["expected_action"] != "disposisi":
        return None
    judged = judge_decision(key, [e.to_record() for e in complaint.events], unit_names={},
                            admin_unit=catalogue.region.admin_unit)
    if judged.routed_exactly:
        return None
    if any(e.action == Action.KEMBALIKAN.value for e in complaint.events):
        return None
    if rng.random() >= 0.5 * skill:
        return None
    return "kembalikan", {"alasan": f"Bukan kewenangan {catalogue.unit_name(view.unit)}; "
                                    f"mohon didisposisikan ulang ke OPD yang tepat."}


def simulate_trainee(participant: Participant, skill: float, rng: random.Random) -> int:
    """One look at the inbox: act on the released reports that await this trainee.

    Meant to be called again as simulated time passes: not every report is handled at the
    first look (attention grows with skill), and TLs come after dispositions. Returns how
    many actions were recorded.
    """
    # A person reads, decides and types: one or two actions a minute, fewer when unsure,
    # none while chatting or on the phone (the less sure, the more often).
    budget = 0 if rng.random() < 0.6 * (1 - skill) else 2 if rng.random() < skill else 1
    if not budget:
        return 0  # not even looking: reporters' due answers are recorded at the next look
    catalogue = get_catalogue(participant.exercise.region_file)
    attention = 0.35 + 0.5 * skill
    acted = 0
    # Careful trainees work oldest first, by deadline; the others top-down through the inbox,
    # newest first, and let older reports age.
    inbox = visible_complaints(participant)
    if skill >= BY_DEADLINE:
        ordered = sorted(inbox, key=lambda c: (c.arrived_at, c.position))
    elif skill < CARELESS:
        ordered = sorted(inbox, key=lambda c: not _protected(c))  # the sensitive case first
    else:
        ordered = inbox
    for complaint in ordered:
        if acted >= budget:
            break
        view = report_view(complaint)
        decision: Decision | None = None
        rushed = skill < CARELESS and _protected(complaint)
        if view.state == State.BARU and (rushed or rng.random() < attention):
            again = any(e.action in (Action.KEMBALIKAN.value, Action.PELAPOR_MEMBALAS.value)
                        for e in complaint.events)
            decision = (_second_look if again else _first_look)(complaint, catalogue, skill,
                                                                rng)
        elif view.state == State.TERDISPOSISI:
            decision = _returned_wrongly_disposed(complaint, view, catalogue, skill, rng)
            if decision is None and (rushed or rng.random() < 0.25 + 0.5 * skill):
                decision = _follow_up(complaint, view, catalogue, skill, rng)
        elif view.state == State.DIPROSES and rng.random() < 0.3 + 0.4 * skill:
            decision = _follow_up(complaint, view, catalogue, skill, rng, final_only=True)
        if decision is not None:
            action, form = decision
            record_action(participant, complaint.tracking_no, action, form,
                          _idem_key(participant, rng))
            acted += 1
    return acted


def stage_session(exercise: Exercise, cast: Sequence[SimulatedTrainee], minutes: int,
                  rng: random.Random, actor: str, step_minutes: float = 1.0
                  ) -> list[Participant]:
    """Play the first `minutes` of a workshop in the lobby with simulated trainees; the
    session ends up paused at the real now.

    A ManualClock walks from `minutes` ago up to now in steps, standing in for the wall
    clock (timekeeping.staged_wall_clock); at each step every trainee takes one look at
    their inbox. Joining, the start, reporters' answers and every action are stored with
    the wall and simulated times they would have had, through the ordinary services.
    """
    if clock_state(exercise) != SessionState.LOBI or exercise.participants:
        raise DomainError("Peserta simulasi hanya dapat memainkan sesi baru yang masih di lobi.")
    now = wall_clock().now()
    staged = ManualClock(now - timedelta(minutes=minutes))
    with staged_wall_clock(staged):
        plan = session_plan(exercise)
        joined = [(add_participant(exercise, member.name, member.unit_name, plan,
                                   cohort=member.cohort), member.skill) for member in cast]
        command_clock(exercise, ClockCommand.MULAI, actor)
        for _ in range(int(minutes / step_minutes)):
            staged.advance(minutes=step_minutes)
            tick_session(exercise)  # as the server's ticker would have
            for participant, skill in joined:
                simulate_trainee(participant, skill, rng)
        staged.set(now)
        command_clock(exercise, ClockCommand.JEDA, actor)
    return [participant for participant, _ in joined]
