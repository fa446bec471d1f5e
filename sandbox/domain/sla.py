"""Working-day limits of a report (LAPOR.md §3), computed from its events.

Every limit is measured in simulated working time. Time spent in TUNDA does not
count: the limits pause while the admin waits for the reporter. Limits stop on a
closed report (selesai, diarsipkan, bukan wewenang): one that was still open when the
report closed no longer applies, unless it had already run out by then.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from sandbox.domain.clock import Calendar, format_hk
from sandbox.domain.decisions import first_response, received_by
from sandbox.domain.workflow import Action, EventRecord, Klasifikasi, State, replay

DEFAULT_COMPLETION: Mapping[str, float] = {
    Klasifikasi.PENGADUAN_BERKADAR_PENGAWASAN.value: 60,
    Klasifikasi.PENGADUAN_TIDAK_BERKADAR_PENGAWASAN.value: 14,
    Klasifikasi.ASPIRASI.value: 5,
    Klasifikasi.PERMINTAAN_INFORMASI.value: 5,
}
DISPOSING = (Action.VERIFIKASI, Action.KELOLA_SENDIRI)
LEAVES_BARU = (*DISPOSING, Action.ARSIPKAN, Action.BUKAN_WEWENANG)


@dataclass(frozen=True)
class SlaSettings:
    """Limits in HK; the defaults are those of LAPOR.md §3, all overridable per scenario."""

    verifikasi: float = 3
    tindak_lanjut: float = 5
    jendela_pelapor: float = 10
    kuning: float = 0.6
    penyelesaian: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_COMPLETION))

    def completion(self, klasifikasi: str | None) -> float:
        fallback = DEFAULT_COMPLETION[Klasifikasi.PENGADUAN_TIDAK_BERKADAR_PENGAWASAN.value]
        return self.penyelesaian.get(klasifikasi or "", fallback)


class Zone(StrEnum):
    HIJAU = "hijau"
    KUNING = "kuning"
    MERAH = "merah"


LABELS = {
    "verifikasi": "Verifikasi",
    "tindak_lanjut": "Tindak lanjut pertama",
    "penyelesaian": "Penyelesaian",
    "jendela_pelapor": "Tanggapan pelapor",
    "tanggapan": "Tanggapan OPD",
}


@dataclass(frozen=True)
class LimitStatus:
    """One limit of one report: how much of it is used, and whether it still runs."""

    key: str
    limit: timedelta
    used: timedelta
    running: bool
    paused: bool
    zone: Zone

    @property
    def label(self) -> str:
        return LABELS[self.key]

    @property
    def remaining(self) -> timedelta:
        return self.limit - self.used

    @property
    def share(self) -> float:
        return self.used / self.limit if self.limit else 1.0

    def text(self, calendar: Calendar) -> str:
        """Indonesian status, e.g. "sisa 1 HK 3 jam", "lewat 2 jam", "selesai dalam 4 jam"."""
        if self.running:
            if self.remaining > timedelta(0):
                suffix = " (dijeda: ditunda)" if self.paused else ""
                return f"sisa {format_hk(self.remaining, calendar)}{suffix}"
            return f"lewat {format_hk(-self.remaining, calendar)}"
        if self.remaining >= timedelta(0):
            return f"selesai dalam {format_hk(self.used, calendar)}"
        return f"terlambat {format_hk(-self.remaining, calendar)}"


def _zone(used: timedelta, limit: timedelta, yellow: float) -> Zone:
    if used >= limit:
        return Zone.MERAH
    return Zone.KUNING if used >= limit * yellow else Zone.HIJAU


def tunda_periods(events: Sequence[EventRecord], now: datetime) -> list[tuple[datetime, datetime]]:
    """The simulated intervals the report spent in TUNDA (the last may still be open)."""
    periods: list[tuple[datetime, datetime]] = []
    since: datetime | None = None
    for event in events:
        if event.action == Action.TUNDA:
            since = event.sim_at
        elif since is not None and event.action in (Action.PELAPOR_MEMBALAS, Action.ARSIPKAN):
            periods.append((since, event.sim_at))
            since = None
    if since is not None:
        periods.append((since, max(since, now)))
    return periods


def limit_start(arrived_at: datetime, joined_at: datetime | None) -> datetime:
    """When a report's own limits (verification, completion) start running for a trainee.

    At its arrival; but a trainee who joined the session after the report arrived could
    not have seen it before: for them the limits start when they joined.
    """
    return arrived_at if joined_at is None else max(arrived_at, joined_at)


def joined_late(arrived_at: datetime, joined_at: datetime | None) -> bool:
    """Whether the report arrived before the trainee joined (its limits start at the join)."""
    return limit_start(arrived_at, joined_at) > arrived_at


def limits(arrived_at: datetime, events: Sequence[EventRecord], klasifikasi: str | None,
           settings: SlaSettings, calendar: Calendar, now: datetime, *,
           joined_at: datetime | None = None) -> list[LimitStatus]:
    """Every limit that applies to the report now, in the order an admin meets them.

    `joined_at`: when the trainee joined the session (simulated), see `limit_start`.
    """
    arrived_at = limit_start(arrived_at, joined_at)
    view = replay(events)
    pauses = tunda_periods(events, now)
    in_tunda = view.state == State.TUNDA
    closed_at = view.closed_at if view.state.is_closed else None

    def measure(key: str, start: datetime, end: datetime | None,
                hk: float) -> LimitStatus | None:
        # A closed report stops every limit at its closing (kembalikan, then bukan
        # wewenang: the first TL is owed by nobody any more).
        cut = end is None and closed_at is not None
        if cut and closed_at is not None:
            end = max(start, closed_at)
        stop = end if end is not None else max(now, start)
        used = calendar.working_between(start, stop) - sum(
            (calendar.working_between(max(start, a), min(stop, b)) for a, b in pauses),
            timedelta(0))
        limit = calendar.day_length * hk
        if cut and used < limit:
            return None  # closed before it ran out: the limit no longer applies
        return LimitStatus(key, limit, used, running=end is None,
                           paused=end is None and in_tunda,
                           zone=_zone(used, limit, settings.kuning))

    def first(actions: tuple[Action, ...], after: datetime | None = None) -> EventRecord | None:
        return next((e for e in events if e.action in actions
                     and (after is None or e.sim_at >= after)), None)

    measured: list[LimitStatus | None] = []
    left_baru = first(LEAVES_BARU)
    measured.append(measure("verifikasi", arrived_at, left_baru.sim_at if left_baru else None,
                            settings.verifikasi))
    disposed = first(DISPOSING)
    if disposed is not None:
        follow_up = first((Action.TINDAK_LANJUT,), disposed.sim_at)
        measured.append(measure("tindak_lanjut", disposed.sim_at,
                                follow_up.sim_at if follow_up else None,
                                settings.tindak_lanjut))
    if view.state not in (State.DIARSIPKAN, State.BUKAN_WEWENANG):
        finals = [e for e in events if e.action == Action.TINDAK_LANJUT and e.payload.get("akhir")]
        done = view.state in (State.MENUNGGU_PELAPOR, State.SELESAI) and finals
        measured.append(measure("penyelesaian", arrived_at,
                                finals[-1].sim_at if done else None,
                                settings.completion(klasifikasi)))
        if view.state == State.MENUNGGU_PELAPOR and finals:
            measured.append(measure("jendela_pelapor", finals[-1].sim_at, None,
                                    settings.jendela_pelapor))
    return [status for status in measured if status is not None]


def most_urgent(statuses: Sequence[LimitStatus]) -> LimitStatus | None:
    """The running limit closest to (or furthest past) its end; the reporter window never
    counts, because waiting for the reporter is not the admin's delay."""
    running = [s for s in statuses if s.running and s.key != "jendela_pelapor"]
    return max(running, key=lambda s: s.share, default=None)


def response_limit(received_at: datetime, response_at: datetime | None,
                   settings: SlaSettings, calendar: Calendar, now: datetime, *,
                   joined_at: datetime | None = None) -> LimitStatus:
    """Mode OPD: the admin penghubung's limit to answer a disposition to their OPD, with a
    TL or by returning it (kembalikan), the first-TL limit counted from the disposition
    (or from when they joined, if later)."""
    start = limit_start(received_at, joined_at)
    stop = response_at if response_at is not None else max(now, start)
    used = calendar.working_between(start, max(start, stop))
    limit = calendar.day_length * settings.tindak_lanjut
    return LimitStatus("tanggapan", limit, used, running=response_at is None, paused=False,
                       zone=_zone(used, limit, settings.kuning))


def own_limits(events: Sequence[EventRecord], own_unit: str, settings: SlaSettings,
               calendar: Calendar, now: datetime, *,
               joined_at: datetime | None = None) -> list[LimitStatus]:
    """Mode OPD: the limits an admin penghubung sees on a report: their limit to answer
    its disposition to their OPD (none before it was disposed to them)."""
    received = received_by(events, own_unit)
    if received is None:
        return []
    response = first_response(events, received)
    return [response_limit(received.sim_at, response.sim_at if response else None, settings,
                           calendar, now, joined_at=joined_at)]
