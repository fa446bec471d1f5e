"""Simulated teammates: the Admin Instansi who disposes reports to a trainee in mode OPD,
and any seat of a team in mode tim that no person sits in (`next_teammate`).

Pure, like the simulated reporter (domain.simulation): given a report's events and the
plan its scenario drew for it, `next_instansi` says what the simulated Admin Instansi does
next and when. It verifies and disposes each report to the trainee's OPD some working
time after it arrives (wrongly, for the share of reports the scenario planned so); after
the trainee returns a report with kembalikan it re-disposes it to the OPD the answer key
names, or forwards it as bukan wewenang, or (when the trainee returned a report that was
theirs) disposes it back to them with a note.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sandbox.domain.clock import Calendar, format_tanggal
from sandbox.domain.decisions import wrongly_disposed
from sandbox.domain.team import INSTANSI_SEAT, OUTSIDE, Seat, holder
from sandbox.domain.workflow import HELD_STATES, Action, EventRecord, State, replay

NAME = "Admin Instansi (simulasi)"
INSTANSI_KEY = "instansi"  # where a report's stored script keeps the teammate's plan
FORWARD_NOTE = "Diteruskan oleh Admin Instansi setelah dikembalikan oleh OPD."
BACK_TO_YOU = ("Disposisi ulang: Admin Instansi menilai laporan ini memang wewenang OPD "
               "Anda. Mohon ditindaklanjuti.")


def neutral_title(topic_title: str) -> str:
    """A catalogue topic's title as an Admin Instansi would write it as a report's judul:
    without the facilitator's hints in brackets ("(pelapor minta anonim)") and without
    "bernama" (the topic's reminder that the report names someone)."""
    text = re.sub(r"\s*\([^)]*\)", "", topic_title)
    text = re.sub(r"\s+bernama\b", "", text)
    return " ".join(text.split()) or topic_title


def _verifikasi(key: Mapping[str, Any], unit: str, title: str) -> dict[str, Any]:
    """The Admin Instansi's verification: a neutral title, the key's classification and
    confidentiality flags, and the OPD it is disposed to."""
    return {"judul": neutral_title(title), "klasifikasi": key.get("klasifikasi"),
            "kategori": key.get("kategori"), "rahasia": bool(key.get("rahasia")),
            "anonim": bool(key.get("anonim")), "unit": unit}


def next_instansi(events: Sequence[EventRecord], plan: Mapping[str, Any],
                  key: Mapping[str, Any], arrived_at: datetime, calendar: Calendar,
                  title: str) -> tuple[Action, datetime, dict[str, Any]] | None:
    """The simulated Admin Instansi's next action on a report (action, simulated moment,
    payload), or None when it has nothing to do. `plan` is the report's disposition as the
    scenario drew it: the trainee's `unit`, and the delays `after` (from arrival) and
    `redispose_after` (from a kembalikan), in HK."""
    if replay(events).state != State.BARU:
        return None
    unit = str(plan["unit"])
    if not events:
        return (Action.VERIFIKASI, calendar.add_hk(arrived_at, float(plan["after"])),
                _verifikasi(key, unit, title))
    returned = events[-1]
    if returned.action != Action.KEMBALIKAN:
        return None
    if key.get("expected_action") not in ("disposisi", "bukan_wewenang") \
            or not key.get("expected_target"):
        return None  # mode OPD only plans wrong dispositions of reports meant for an OPD
    at = calendar.add_hk(returned.sim_at, float(plan["redispose_after"]))
    action, payload = _decided(events, key, title)
    return action, at, payload


def _decided(events: Sequence[EventRecord], key: Mapping[str, Any], title: str
             ) -> tuple[Action, dict[str, Any]]:
    """The simulated Admin Instansi's decision by the key once it looks again (after a
    return, or the reporter's answer to a tunda): archive, forward outside the Pemda,
    dispose to the right OPD (back to the OPD that returned it, with a note, when that
    one was right after all), or keep it (kelola sendiri)."""
    expected, target = key.get("expected_action"), key.get("expected_target")
    if expected == "arsipkan":
        return Action.ARSIPKAN, {"alasan": key.get("archive_reason") or "terlalu_umum",
                                 "catatan": ""}
    if expected == "bukan_wewenang" and target:
        return Action.BUKAN_WEWENANG, {"instansi": target, "catatan": FORWARD_NOTE}
    if target and expected in ("disposisi", "tunda"):
        returned = next((e for e in reversed(events) if e.action == Action.KEMBALIKAN), None)
        came_from = _unit_before(events, returned) if returned is not None else None
        if came_from is not None and came_from in (target, *(key.get("acceptable_targets")
                                                              or ())):
            return Action.VERIFIKASI, {**_verifikasi(key, came_from, title),
                                       "catatan": BACK_TO_YOU}
        return Action.VERIFIKASI, _verifikasi(key, str(target), title)
    kept = _verifikasi(key, "", title)
    kept.pop("unit")
    return Action.KELOLA_SENDIRI, kept


# ------------------------------------------------------------------ mode tim

QUESTIONS = (
    "Mohon sebutkan nama jalan, desa/kelurahan dan kecamatan lokasi yang Anda laporkan.",
    "Mohon lengkapi lokasi kejadian dan patokan terdekat agar petugas dapat meninjau.",
)
CONCRETE_TL = (
    "Yth. Bapak/Ibu, terima kasih atas laporan Anda mengenai {topic}. Petugas {unit} telah "
    "turun ke lokasi pada {today} untuk memeriksa kondisi yang dilaporkan. Penanganan "
    "dijadwalkan pada {later}, dan kami akan menyampaikan perkembangan selanjutnya melalui "
    "kanal ini.",
    "Yth. Bapak/Ibu, menindaklanjuti laporan tentang {topic}, {unit} sudah meninjau lokasi "
    "pada {today}. Perbaikan dijadwalkan selesai paling lambat {later}. Silakan membalas "
    "tanggapan ini bila masih ada kendala di lapangan.",
    "Terima kasih, Bapak/Ibu. Laporan {topic} sudah kami terima dan petugas {unit} telah "
    "memeriksa lokasi pada {today}. Tahap berikutnya dijadwalkan {later}; hasilnya akan kami "
    "informasikan kembali kepada Bapak/Ibu.",
)
VAGUE_TL = (
    "Terima kasih atas laporannya. Laporan Anda akan segera kami tindak lanjuti sesuai "
    "ketentuan yang berlaku.",
    "Baik, laporan sudah kami terima dan akan diteruskan kepada bidang terkait.",
    "Terima kasih. Mohon bersabar, laporan sedang dalam proses.",
)
RETURN_REASON = ("Laporan ini bukan wewenang {unit}; mohon Admin Instansi mendisposisikan "
                 "ulang ke OPD yang berwenang sesuai isi laporan.")
TEAM_NAMES = {INSTANSI_SEAT: NAME}
PENGHUBUNG_NAME = "Admin Penghubung {unit} (simulasi)"


@dataclass(frozen=True)
class Crew:
    """Mode tim: which seats of a report's team simulated teammates play, and how well.

    `skill` (0..1) is the chance of each decision being right: the Admin Instansi's
    first disposition, an admin penghubung recognising a wrong one, a TL being concrete.
    A teammate acts `delay` HK after the last thing that happened to the report.
    """

    seats: tuple[Seat, ...]
    staffed: frozenset[str]  # seat codes a person sits in
    skill: float
    delay: float
    seed: str  # the session's seed and the report's number: the same draws on every machine
    title: str  # the neutral title the Admin Instansi gives the report
    arrived_at: datetime
    unit_names: Mapping[str, str] = field(default_factory=dict)
    # Seats whose person left (simulated moment): their teammate starts from then, not
    # before (nothing is recorded in the past of the seat's person).
    vacated: Mapping[str, datetime] = field(default_factory=dict)

    def plays(self, seat_code: str | None) -> bool:
        """Whether a teammate plays the seat holding the report (or an OPD outside)."""
        return seat_code is not None and (seat_code == OUTSIDE or seat_code not in self.staffed)


def next_teammate(events: Sequence[EventRecord], crew: Crew, key: Mapping[str, Any],
                  calendar: Calendar) -> tuple[Action, datetime, dict[str, Any]] | None:
    """What a simulated teammate of a team does next on a report, when, and with what
    payload; None when the report is not with a seat a teammate plays (or is waiting)."""
    view = replay(events)
    seat = holder(view, crew.seats)
    if not crew.plays(seat) or view.state in (State.TUNDA, State.MENUNGGU_PELAPOR):
        return None
    last = events[-1] if events else None
    at = calendar.add_hk(max(last.sim_at if last else crew.arrived_at,
                             crew.vacated.get(seat or "", datetime.min)), crew.delay)
    rng = random.Random(f"{crew.seed}:{len(events)}")  # noqa: S311 (a simulation)
    if view.state == State.BARU:
        first = last is None
        if last is not None and last.action not in (Action.KEMBALIKAN, Action.PELAPOR_MEMBALAS):
            return None
        return _at(_instansi_decision(events, crew, key, rng, first), at)
    if view.state not in HELD_STATES:
        return None
    unit = view.unit
    since = _last_disposition(events)
    answered = any(e.action in (Action.TINDAK_LANJUT, Action.KEMBALIKAN) and e.seq > since
                   for e in events)
    if (view.state == State.TERDISPOSISI and unit is not None and not answered
            and wrongly_disposed(key, unit) and rng.random() < crew.skill):
        name = crew.unit_names.get(unit, "OPD kami")
        return Action.KEMBALIKAN, at, {"alasan": RETURN_REASON.format(unit=name)}
    concrete = view.state == State.DIPROSES or rng.random() < crew.skill
    return Action.TINDAK_LANJUT, at, {"isi": _tl(crew, view.judul or crew.title, unit, at,
                                                  calendar, rng, concrete), "akhir": True}


def _at(decision: tuple[Action, dict[str, Any]], at: datetime
        ) -> tuple[Action, datetime, dict[str, Any]]:
    return decision[0], at, decision[1]


def _last_disposition(events: Sequence[EventRecord]) -> int:
    return next((e.seq for e in reversed(events)
                 if e.action in (Action.VERIFIKASI, Action.KELOLA_SENDIRI)), 0)


def _tl(crew: Crew, title: str, unit: str | None, at: datetime, calendar: Calendar,
        rng: random.Random, concrete: bool) -> str:
    """A TL on the report titled `title` (as the Admin Instansi titled it)."""
    if not concrete:
        return rng.choice(VAGUE_TL)
    words = {"topic": f"«{title}»", "unit": crew.unit_names.get(unit or "", "kami"),
             "today": format_tanggal(at, with_time=False),
             "later": format_tanggal(calendar.add_hk(at, rng.choice((2, 3, 5))),
                                     with_time=False)}
    return rng.choice(CONCRETE_TL).format(**words)


def _instansi_decision(events: Sequence[EventRecord], crew: Crew, key: Mapping[str, Any],
                       rng: random.Random, first: bool) -> tuple[Action, dict[str, Any]]:
    """The simulated Admin Instansi's decision on a report in BARU: at its first look the
    key's answer with chance `skill`, else a disposition to another OPD of the team; after
    a return or the reporter's answer to a tunda, the key's answer (never a second tunda)."""
    expected, target = key.get("expected_action"), key.get("expected_target")
    right = not first or rng.random() < crew.skill
    if not right:
        wrong = sorted({u for s in crew.seats for u in s.units} - {
            target, *(key.get("acceptable_targets") or ()), *(key.get("partial_targets") or ())})
        if wrong:
            return Action.VERIFIKASI, _verifikasi(key, rng.choice(wrong), crew.title)
    if expected == "tunda" and first:
        hint = str(key.get("question_hint") or "")
        usable = len(hint) >= 10 and not hint.startswith("Tanyakan")
        return Action.TUNDA, {"pertanyaan": hint if usable else rng.choice(QUESTIONS)}
    return _decided(events, key, crew.title)


def _unit_before(events: Sequence[EventRecord], returned: EventRecord) -> str | None:
    """The OPD that returned a report (its disposition before `returned`)."""
    return next((str(e.payload.get("unit")) for e in reversed(events)
                 if e.seq < returned.seq and e.action == Action.VERIFIKASI), None)


def teammate_name(crew: Crew, events: Sequence[EventRecord]) -> str:
    """The name a simulated teammate's next event on the report is recorded under: the
    Admin Instansi's, or the admin penghubung's of the OPD holding it."""
    unit = replay(events).unit
    if holder(replay(events), crew.seats) == INSTANSI_SEAT or unit is None:
        return NAME
    return PENGHUBUNG_NAME.format(unit=crew.unit_names.get(unit, unit))
