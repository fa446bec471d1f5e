"""Team mode: one Admin Instansi and several admin penghubung share one team's reports.

A team's seats are data (the scenario's [tim] table): the Admin Instansi's, and one seat
per group of OPDs, each played by a person or, while nobody sits in it, by a simulated
teammate (domain.teammate.next_teammate). Every verdict on who may see or act on a shared
report lives here: which seat holds it now (`holder`), whether a seat may see it at all
(`sees`), and whether a teammate changed it since the person loaded it (`conflict`). The
relay itself (hand-offs and the stretches a report waited with each seat) is derived from
the events here too, for the dashboard, the debrief and the team's card.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sandbox.domain.clock import Calendar, format_hk
from sandbox.domain.decisions import answered_at
from sandbox.domain.errors import ConflictError, RoleError
from sandbox.domain.workflow import (
    HELD_STATES,
    Action,
    Actor,
    EventRecord,
    ReportView,
    Role,
    State,
    replay,
)

TEAM_SEAT = "tim"  # the row that owns a team's shared reports (not a person)
INSTANSI_SEAT = "instansi"
OPD_SEAT_PREFIX = "opd-"
OUTSIDE = "luar"  # disposed to an OPD no seat of the team owns: a simulated OPD answers
INSTANSI_LABEL = "Admin Instansi"


@dataclass(frozen=True)
class Seat:
    """One seat of a team: the Admin Instansi's, or an admin penghubung's OPDs."""

    code: str  # "instansi", or "opd-1", "opd-2", … in the order of the scenario's list
    units: tuple[str, ...] = ()

    @property
    def is_instansi(self) -> bool:
        return self.code == INSTANSI_SEAT

    def label(self, names: Mapping[str, str]) -> str:
        """How the seat is named to people: "Admin Instansi", or "Admin Penghubung Dinas
        Kesehatan, Dinas Sosial"."""
        if self.is_instansi:
            return INSTANSI_LABEL
        return "Admin Penghubung " + ", ".join(names.get(u, u) for u in self.units)


def seats_of(groups: Sequence[Sequence[str]]) -> tuple[Seat, ...]:
    """A team's seats from the scenario's groups of OPD codes (the Admin Instansi first)."""
    return (Seat(INSTANSI_SEAT), *(Seat(f"{OPD_SEAT_PREFIX}{number}", tuple(group))
                                   for number, group in enumerate(groups, start=1)))


def find_seat(seats: Sequence[Seat], code: str | None) -> Seat | None:
    return next((seat for seat in seats if seat.code == code), None)


def seat_of_unit(seats: Sequence[Seat], unit: str | None) -> Seat | None:
    """The seat whose admin penghubung answers for `unit`, if the team has one."""
    return next((seat for seat in seats if unit is not None and unit in seat.units), None)


def holder(view: ReportView, seats: Sequence[Seat]) -> str | None:
    """Which seat holds the report now: the Admin Instansi while it awaits verification
    (or the reporter's answer to a tunda) and when it keeps the report (kelola sendiri);
    the seat owning the OPD it is disposed to; OUTSIDE for an OPD no seat owns; None once
    the report is closed."""
    if view.state.is_closed:
        return None
    if view.state in HELD_STATES:
        if view.unit is None:
            return INSTANSI_SEAT  # kelola sendiri: the Admin Instansi answers it
        seat = seat_of_unit(seats, view.unit)
        return seat.code if seat is not None else OUTSIDE
    return INSTANSI_SEAT


def seat_actor(seat: Seat) -> Actor:
    """Who a seat's person is on the team's reports: the Admin Instansi (who also answers
    what it keeps), or only an admin penghubung."""
    return Actor.PESERTA_INSTANSI if seat.is_instansi else Actor.PESERTA_PENGHUBUNG


def holds(view: ReportView, seat: Seat, seats: Sequence[Seat]) -> bool:
    """Whether the report is in this seat's hands now, so its person may act on it."""
    return holder(view, seats) == seat.code


def check_holds(view: ReportView, seat: Seat, seats: Sequence[Seat]) -> None:
    """Refuse, with a RoleError, an action by a seat that does not hold the report."""
    if holds(view, seat, seats):
        return
    if view.state.is_closed:
        raise RoleError("Laporan ini sudah ditutup: tidak ada aksi yang bisa dicatat.")
    if seat.is_instansi:
        raise RoleError("Laporan ini sedang berada di OPD tujuan disposisi: tunggu tindak "
                        "lanjutnya atau pengembaliannya.")
    raise RoleError("Laporan ini tidak sedang berada di OPD Anda (sudah dikembalikan ke "
                    "Admin Instansi atau diteruskan): tidak ada aksi yang bisa dicatat.")


def sees(seat: Seat, events: Sequence[EventRecord]) -> bool:
    """Whether a seat's person sees a report: the Admin Instansi sees every report of the
    team; an admin penghubung only one ever disposed to their OPDs."""
    return seat.is_instansi or any(
        e.action == Action.VERIFIKASI and e.payload.get("unit") in seat.units for e in events)


def answered_unit(seat: Seat, events: Sequence[EventRecord]) -> str | None:
    """The seat's OPD a report was (last) disposed to: the unit its admin penghubung is
    scored as (domain.scoring.ReportInput.own_unit); None for the Admin Instansi."""
    if seat.is_instansi:
        return None
    return next((str(e.payload["unit"]) for e in reversed(events)
                 if e.action == Action.VERIFIKASI and e.payload.get("unit") in seat.units),
                None)


def all_theirs(seat: Seat, events: Sequence[EventRecord],
               authors: Sequence[int | None], person: int) -> bool:
    """Whether every action of the seat's role on a report was recorded by `person`
    (`authors`: who recorded each event, None for scripts and simulated teammates). A
    report a simulated teammate (or someone who sat there before) handled for that seat
    is not scored as the person's."""
    if seat.is_instansi:
        done = {e.seq for e in events if e.role == Role.ADMIN_INSTANSI}
        done |= {e.seq for e in answered_at(events, None)}
    else:
        done = {e.seq for unit in seat.units for e in answered_at(events, unit)}
    return all(by == person for e, by in zip(events, authors, strict=True) if e.seq in done)


ADMIN_ROLES = frozenset({Role.ADMIN_INSTANSI, Role.ADMIN_PENGHUBUNG})


def conflict(events: Sequence[EventRecord], seen: int) -> EventRecord | None:
    """The first admin action recorded after the person loaded the report (when it had
    `seen` events), if any: theirs would overwrite a teammate's decision they never saw.
    The reporter's and the system's events are not conflicts; the state machine judges
    whether an action still fits after them."""
    return next((e for e in events if e.seq > seen and e.role in ADMIN_ROLES), None)


def check_conflict(events: Sequence[EventRecord], seen: int | None,
                   authors: Sequence[int | None] = (), me: int | None = None) -> None:
    """Refuse, with a ConflictError naming who changed the report, an action made on an
    outdated page; a form without the count it was loaded with is refused too.
    `authors` (who recorded each event) and `me` tell apart the person's own other tab."""
    if seen is None:
        raise ConflictError("Formulir ini tidak membawa versi laporan yang Anda lihat. Muat "
                            "ulang halaman laporan lalu kirim lagi; isian Anda masih ada di "
                            "bawah.")
    changed = conflict(events, seen)
    if changed is not None and me is not None and len(authors) == len(events) \
            and authors[changed.seq - 1] == me:
        raise ConflictError(
            f"Anda sudah mencatat «{changed.action.label}» pada laporan ini di tab atau "
            "perangkat lain setelah halaman ini dibuka. Aksi ini belum dicatat: periksa "
            "riwayat laporan, lalu putuskan lagi. Isian Anda masih ada di bawah.")
    if changed is not None:
        raise ConflictError(
            f"Laporan ini baru saja diubah oleh {changed.actor} ({changed.action.label}) "
            "setelah Anda membukanya. Aksi Anda belum dicatat: periksa keadaan laporan "
            "sekarang di riwayat, lalu putuskan lagi. Isian Anda masih ada di bawah.")


# ------------------------------------------------------------------ the relay


def hand_offs(events: Sequence[EventRecord]) -> int:
    """How many times the report changed hands: each disposition to an OPD, each return
    to the Admin Instansi, each forward outside the Pemda."""
    return sum(e.action in (Action.VERIFIKASI, Action.KEMBALIKAN, Action.BUKAN_WEWENANG)
               for e in events)


@dataclass(frozen=True)
class Stretch:
    """A stretch of time a report spent with one holder, and how it ended."""

    holder: str  # "instansi", a unit code, or "pelapor" (waiting for the reporter)
    start: datetime
    end: datetime | None  # None: still there
    ended_by: Action | None
    worked: timedelta  # working time spent (up to `now` while still there)
    hk: float  # the same in working days
    first_answer: timedelta | None = None  # an OPD's first (interim) TL, from the start


REPORTER = "pelapor"


def stretches(events: Sequence[EventRecord], arrived_at: datetime, calendar: Calendar,
              now: datetime) -> list[Stretch]:
    """The report's path as stretches with each holder: the Admin Instansi from arrival,
    an OPD from its disposition until it answers with its final TL or returns it, the
    reporter while a tunda or a final TL awaits their reply. Closed reports end there."""
    result: list[Stretch] = []
    who, since = INSTANSI_SEAT, arrived_at
    history: list[EventRecord] = []
    first: timedelta | None = None
    for event in events:
        history.append(event)
        view = replay(history)
        if event.action == Action.TINDAK_LANJUT and first is None:
            first = calendar.working_between(since, event.sim_at)
        if view.state.is_closed:
            after = None
        elif view.state == State.TUNDA or view.state == State.MENUNGGU_PELAPOR:
            after = REPORTER
        elif view.state in HELD_STATES:
            after = view.unit or INSTANSI_SEAT
        else:
            after = INSTANSI_SEAT
        if after != who:
            worked = calendar.working_between(since, event.sim_at)
            result.append(Stretch(who, since, event.sim_at, event.action, worked,
                                  calendar.in_hk(worked),
                                  first if first is not None and first < worked else None))
            first = None
            if after is None:
                return result
            who, since = after, event.sim_at
    worked = calendar.working_between(since, max(since, now))
    result.append(Stretch(who, since, None, None, worked, calendar.in_hk(worked), first))
    return result


def end_to_end_hk(events: Sequence[EventRecord], arrived_at: datetime,
                  calendar: Calendar) -> float | None:
    """Working days from arrival to selesai (None until the report is selesai)."""
    view = replay(events)
    if view.state != State.SELESAI or view.closed_at is None:
        return None
    return calendar.in_hk(calendar.working_between(arrived_at, view.closed_at))


ENDINGS = {
    Action.KEMBALIKAN: "sebelum dikembalikan", Action.VERIFIKASI: "sebelum didisposisikan",
    Action.KELOLA_SENDIRI: "sebelum dikelola sendiri", Action.TINDAK_LANJUT: "sebelum TL akhir",
    Action.BUKAN_WEWENANG: "sebelum diteruskan ke instansi di luar Pemda",
    Action.TUNDA: "sebelum ditunda", Action.ARSIPKAN: "sebelum diarsipkan",
    Action.PELAPOR_MEMBALAS: "sampai pelapor menjawab",
    Action.PELAPOR_MENERIMA: "sampai pelapor menerima jawaban",
    Action.PELAPOR_MENOLAK: "sampai pelapor menolak jawaban",
    Action.SELESAI_OTOMATIS: "sampai selesai otomatis",
}


def describe_stretch(stretch: Stretch, names: Mapping[str, str], calendar: Calendar) -> str:
    """A stretch in plain words: "menunggu 2 HK di Disdik sebelum dikembalikan".
    `names` names the holders (unit codes, and "instansi" for the Admin Instansi)."""
    days = format_hk(stretch.worked, calendar)
    tail = ENDINGS.get(stretch.ended_by, "") if stretch.ended_by else "sampai sekarang"
    if stretch.holder == REPORTER:
        return f"menunggu pelapor {days} {tail}".strip()
    where = names.get(stretch.holder) or (
        INSTANSI_LABEL if stretch.holder == INSTANSI_SEAT else stretch.holder)
    interim = f" (TL pertama setelah {format_hk(stretch.first_answer, calendar)})" \
        if stretch.first_answer is not None and stretch.holder != INSTANSI_SEAT else ""
    return f"menunggu {days} di {where} {tail}{interim}".strip()
