"""Simulated reporters: what a scripted reporter (or the system) does next, and when.

`next_scripted` is pure: given a report's events it returns the next scripted
event and its simulated time. The service records it once that time has come,
so no timer or background job is needed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sandbox.domain.clock import Calendar
from sandbox.domain.sla import DISPOSING, SlaSettings
from sandbox.domain.workflow import Action, EventRecord, State, replay

ACCEPT_RULES = ("always", "if_concrete")
RATING_RULES = ("by_answer", "none")

_DATE = re.compile(
    r"\b(\d{1,2}\s+(januari|februari|maret|april|mei|juni|juli|agustus|september|oktober|"
    r"november|desember)|\d{1,2}[/-]\d{1,2}|senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|"
    r"besok|lusa|hari ini|kemarin|pekan (depan|ini)|minggu (depan|ini)|bulan (depan|ini)|"
    r"tanggal|pukul\s*\d)", re.IGNORECASE)
# Words that say something was (or will concretely be) done; shared with the TL checklist.
ACTION_WORDS = (
    "telah", "sudah", "dijadwalkan", "terjadwal", "diperbaiki", "ditambal", "diangkut",
    "dibersihkan", "dilakukan", "diganti", "ditertibkan", "dikirim", "diterbitkan", "dicetak",
    "diaktifkan", "disalurkan", "dipasang", "disedot", "meninjau", "ditinjau", "memperbaiki",
    "mengangkut", "memasang", "menertibkan", "turun ke lokasi",
)


def words_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """A case-blind pattern matching any of `words` as whole words."""
    return re.compile(r"\b(" + "|".join(words) + r")\b", re.IGNORECASE)


_ACTION = words_pattern((*ACTION_WORDS, "petugas kami"))


def is_concrete(text: str) -> bool:
    """A TL is concrete when it names a date or day and an action taken or planned."""
    return bool(_DATE.search(text)) and bool(_ACTION.search(text))


@dataclass(frozen=True)
class ReporterScript:
    """How one simulated reporter behaves; durations are in HK, None means never."""

    tunda_reply: float | None = 1.0
    respond_after: float | None = 0.5
    accept: str = "if_concrete"
    chase: bool = True
    rating: str = "by_answer"

    def to_dict(self) -> dict[str, Any]:
        return {"tunda_reply": self.tunda_reply, "respond_after": self.respond_after,
                "accept": self.accept, "chase": self.chase, "rating": self.rating}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> ReporterScript:
        return cls(**dict(data)) if data else cls()


@dataclass(frozen=True)
class Planned:
    """A scripted event that will be recorded when `sim_at` has come."""

    action: Action
    sim_at: datetime
    payload: dict[str, Any] = field(default_factory=dict)


def _last(events: Sequence[EventRecord], action: Action) -> EventRecord | None:
    return next((e for e in reversed(events) if e.action == action), None)


def next_scripted(events: Sequence[EventRecord], script: ReporterScript, settings: SlaSettings,
                  calendar: Calendar, tunda_answer: str) -> Planned | None:
    """The next thing the reporter or the system will do on this report, if anything."""
    state = replay(events).state
    if state == State.TUNDA:
        question = _last(events, Action.TUNDA)
        if script.tunda_reply is None or question is None:
            return None
        reply_at = calendar.add_hk(question.sim_at, script.tunda_reply)
        return Planned(Action.PELAPOR_MEMBALAS, reply_at, {"isi": tunda_answer})

    if state == State.TERDISPOSISI and script.chase:
        disposed = next((e for e in reversed(events) if e.action in DISPOSING), None)
        if disposed is None or any(e.action == Action.PELAPOR_MENANYAKAN and
                                   e.sim_at >= disposed.sim_at for e in events):
            return None
        return Planned(Action.PELAPOR_MENANYAKAN,
                       calendar.add_hk(disposed.sim_at, settings.tindak_lanjut),
                       {"isi": "Sudah lewat batas waktu. Bagaimana tindak lanjut laporan saya?"})

    if state == State.MENUNGGU_PELAPOR:
        final = _last(events, Action.TINDAK_LANJUT)
        if final is None:
            return None
        window_end = calendar.add_hk(final.sim_at, settings.jendela_pelapor)
        if script.respond_after is not None:
            respond_at = calendar.add_hk(final.sim_at, script.respond_after)
            if respond_at < window_end:
                if script.accept == "always" or is_concrete(str(final.payload.get("isi", ""))):
                    return Planned(Action.PELAPOR_MENERIMA, respond_at,
                                   {"isi": "Terima kasih, laporan saya sudah ditangani."})
                return Planned(Action.PELAPOR_MENOLAK, respond_at, {
                    "isi": "Belum selesai. Jawaban ini tidak menyebut tindakan nyata dan "
                           "kapan dilakukan."})
        return Planned(Action.SELESAI_OTOMATIS, window_end,
                       {"isi": "Batas waktu tanggapan pelapor telah lewat."})

    if state == State.SELESAI and script.rating == "by_answer":
        accepted = _last(events, Action.PELAPOR_MENERIMA)
        if accepted is None or _last(events, Action.PELAPOR_MENILAI) is not None:
            return None
        final = _last(events, Action.TINDAK_LANJUT)
        stars = 5 if final is not None and is_concrete(str(final.payload.get("isi", ""))) else 3
        return Planned(Action.PELAPOR_MENILAI, accepted.sim_at, {"bintang": str(stars)})
    return None


def due_events(events: Sequence[EventRecord], script: ReporterScript, settings: SlaSettings,
               calendar: Calendar, tunda_answer: str, now: datetime) -> list[Planned]:
    """Every scripted event due by `now`, in order, each applied before planning the next."""
    history = list(events)
    due: list[Planned] = []
    while True:
        planned = next_scripted(history, script, settings, calendar, tunda_answer)
        if planned is None or planned.sim_at > now:
            return due
        due.append(planned)
        history.append(EventRecord(
            seq=len(history) + 1, action=planned.action, role=planned.action.role,
            actor="", payload=planned.payload, sim_at=planned.sim_at, wall_at=planned.sim_at))
