"""Simulated reporters: what a scripted reporter (or the system) does next, and when.

`next_scripted` is pure: given a report's events it returns the next scripted
event and its simulated time. The service records it once that time has come,
so no timer or background job is needed.

The reporter judges a final TL as the trainee's score does (tl_quality.judge_tl): a
vague TL is rejected under `accept = "if_concrete"`, and accepted but rated low, with a
comment saying why, under `accept = "always"`. A reporter whose identity the trainee
exposed (identity.report_exposures) protests and rates one star, whatever the script.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sandbox.domain.clock import Calendar
from sandbox.domain.identity import ADDRESS, NAME, NIK, PHONE, Exposure, report_exposures
from sandbox.domain.sla import DISPOSING, SlaSettings
from sandbox.domain.teammate import Crew, next_instansi, next_teammate
from sandbox.domain.tl_quality import judge_tl
from sandbox.domain.workflow import Action, EventRecord, State, replay

ACCEPT_RULES = ("always", "if_concrete")
RATING_RULES = ("by_answer", "none")

STARS_CONCRETE = 5
STARS_VAGUE = 2  # accepted only because the scenario's reporter always accepts
STARS_EXPOSED = 1

ACCEPTED = "Terima kasih, laporan saya sudah ditangani."
ACCEPTED_VAGUE = ("Baik, saya terima. Tetapi jawaban ini belum menyebut apa yang dilakukan, "
                  "di mana, kapan dan oleh siapa.")
REJECTED = "Belum selesai. Jawaban ini tidak menyebut tindakan nyata dan kapan dilakukan."
_MINE = {NAME: "nama saya", PHONE: "nomor telepon saya", NIK: "NIK saya",
         ADDRESS: "alamat rumah saya"}
_PLACES = {"judul": "judul laporan", "TL": "tindak lanjut", "pertanyaan tunda": "pertanyaan "
           "kepada saya", "catatan bukan wewenang": "catatan penerusan laporan"}


def protest_text(exposures: Sequence[Exposure], asked: bool) -> str:
    """The reporter's protest at an exposed identity, in their own words."""
    found = list(dict.fromkeys(_MINE[item] for e in exposures for item in e.found))
    places = list(dict.fromkeys(_PLACES.get(e.place, e.place) for e in exposures))
    why = ("Saya sudah meminta identitas saya dirahasiakan." if asked
           else "Identitas saya seharusnya dilindungi.")
    return (f"Saya keberatan: {' dan '.join(found)} terbuka di {' dan '.join(places)}. {why} "
            "Saya kecewa dengan penanganan laporan ini.")


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
class Instansi:
    """What the simulated Admin Instansi of a report needs (mode OPD)."""

    plan: Mapping[str, Any]  # the scenario's disposition: unit, after, redispose_after
    arrived_at: datetime
    title: str  # the neutral title it gives the report


@dataclass(frozen=True)
class Planned:
    """A scripted event that will be recorded when `sim_at` has come."""

    action: Action
    sim_at: datetime
    payload: dict[str, Any] = field(default_factory=dict)


def _last(events: Sequence[EventRecord], action: Action) -> EventRecord | None:
    return next((e for e in reversed(events) if e.action == action), None)


def next_scripted(events: Sequence[EventRecord], script: ReporterScript, settings: SlaSettings,
                  calendar: Calendar, tunda_answer: str, *,
                  reporter: Mapping[str, Any] | None = None,
                  key: Mapping[str, Any] | None = None,
                  instansi: Instansi | None = None,
                  crew: Crew | None = None) -> Planned | None:
    """The next thing the reporter, the system or a simulated teammate will do on this
    report, if anything (the earliest, when several will).

    `reporter` and `key` (the report's reporter and answer key) let the reporter notice
    that the trainee exposed their identity. `instansi` (mode OPD): the simulated Admin
    Instansi who disposes the report to the trainee; `crew` (mode tim): the seats of the
    report's team that simulated teammates play (domain.teammate).
    """
    teammate = None
    if instansi is not None:
        teammate = next_instansi(events, instansi.plan, key or {}, instansi.arrived_at,
                                 calendar, instansi.title)
    elif crew is not None:
        teammate = next_teammate(events, crew, key or {}, calendar)
    scripted = _reporter_next(events, script, settings, calendar, tunda_answer, reporter, key)
    if teammate is not None and (scripted is None or teammate[1] <= scripted.sim_at):
        return Planned(*teammate)
    return scripted


def _reporter_next(events: Sequence[EventRecord], script: ReporterScript,
                   settings: SlaSettings, calendar: Calendar, tunda_answer: str,
                   reporter: Mapping[str, Any] | None, key: Mapping[str, Any] | None
                   ) -> Planned | None:
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
        exposures = report_exposures(events, reporter or {}, key or {})
        protested = any(e.payload.get("protes") for e in events)
        if script.respond_after is not None and not protested:
            respond_at = calendar.add_hk(final.sim_at, script.respond_after)
            if respond_at < window_end:
                if exposures:
                    # Protest once, whatever the script: one star, or (when this reporter
                    # never rates) a refusal. After that the reporter stays silent.
                    protest = {"isi": protest_text(exposures, bool((reporter or {}).get(
                        "requested_anonim"))), "protes": "identitas"}
                    if script.rating == "by_answer":
                        return Planned(Action.PELAPOR_MENILAI, respond_at,
                                       {**protest, "bintang": str(STARS_EXPOSED)})
                    return Planned(Action.PELAPOR_MENOLAK, respond_at, protest)
                concrete = judge_tl(str(final.payload.get("isi", ""))).concrete
                if concrete:
                    return Planned(Action.PELAPOR_MENERIMA, respond_at, {"isi": ACCEPTED})
                if script.accept == "always":
                    return Planned(Action.PELAPOR_MENERIMA, respond_at, {"isi": ACCEPTED_VAGUE})
                return Planned(Action.PELAPOR_MENOLAK, respond_at, {"isi": REJECTED})
        return Planned(Action.SELESAI_OTOMATIS, window_end,
                       {"isi": "Batas waktu tanggapan pelapor telah lewat."})

    if state == State.SELESAI and script.rating == "by_answer":
        accepted = _last(events, Action.PELAPOR_MENERIMA)
        if accepted is None or _last(events, Action.PELAPOR_MENILAI) is not None:
            return None
        final = _last(events, Action.TINDAK_LANJUT)
        concrete = final is not None and judge_tl(str(final.payload.get("isi", ""))).concrete
        stars = STARS_CONCRETE if concrete else STARS_VAGUE
        return Planned(Action.PELAPOR_MENILAI, accepted.sim_at, {"bintang": str(stars)})
    return None


def due_events(events: Sequence[EventRecord], script: ReporterScript, settings: SlaSettings,
               calendar: Calendar, tunda_answer: str, now: datetime, *,
               reporter: Mapping[str, Any] | None = None,
               key: Mapping[str, Any] | None = None,
               instansi: Instansi | None = None, crew: Crew | None = None) -> list[Planned]:
    """Every scripted event due by `now`, in order, each applied before planning the next."""
    history = list(events)
    due: list[Planned] = []
    while True:
        planned = next_scripted(history, script, settings, calendar, tunda_answer,
                                reporter=reporter, key=key, instansi=instansi, crew=crew)
        if planned is None or planned.sim_at > now:
            return due
        due.append(planned)
        history.append(EventRecord(
            seq=len(history) + 1, action=planned.action, role=planned.action.role,
            actor="", payload=planned.payload, sim_at=planned.sim_at, wall_at=planned.sim_at))
