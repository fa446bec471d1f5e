"""The LAPOR! report lifecycle as data: states, actions, the TRANSITIONS table and apply().

A report's state is never stored as the truth: it is the fold of its events
over this table (`replay`). `apply` is the one place that decides whether an
action may happen, who may perform it (the actor plays the action's role,
ACTOR_ROLES) and what its cleaned payload is.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sandbox.domain.errors import RoleError, TransitionError, ValidationError
from sandbox.domain.numbers import parse_int


class State(StrEnum):
    BARU = "BARU"
    TUNDA = "TUNDA"
    DIARSIPKAN = "DIARSIPKAN"
    BUKAN_WEWENANG = "BUKAN_WEWENANG"
    TERDISPOSISI = "TERDISPOSISI"
    DIPROSES = "DIPROSES"
    MENUNGGU_PELAPOR = "MENUNGGU_PELAPOR"
    SELESAI = "SELESAI"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]

    @property
    def is_closed(self) -> bool:
        return self in CLOSED_STATES


STATE_LABELS: dict[State, str] = {
    State.BARU: "Belum Terverifikasi",
    State.TUNDA: "Ditunda",
    State.DIARSIPKAN: "Diarsipkan",
    State.BUKAN_WEWENANG: "Bukan Wewenang",
    State.TERDISPOSISI: "Belum Ditindaklanjuti",
    State.DIPROSES: "Proses",
    State.MENUNGGU_PELAPOR: "Menunggu Tanggapan Pelapor",
    State.SELESAI: "Selesai",
}
CLOSED_STATES = frozenset({State.DIARSIPKAN, State.BUKAN_WEWENANG, State.SELESAI})
# States in which a disposed report is in the hands of the OPD it was disposed to.
HELD_STATES = frozenset({State.TERDISPOSISI, State.DIPROSES, State.MENUNGGU_PELAPOR})


class Role(StrEnum):
    ADMIN_INSTANSI = "admin_instansi"
    ADMIN_PENGHUBUNG = "admin_penghubung"
    PELAPOR = "pelapor"
    SISTEM = "sistem"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.ADMIN_INSTANSI: "Admin Instansi",
    Role.ADMIN_PENGHUBUNG: "Admin Penghubung",
    Role.PELAPOR: "Pelapor",
    Role.SISTEM: "Sistem",
}


class Klasifikasi(StrEnum):
    PENGADUAN_BERKADAR_PENGAWASAN = "pengaduan_berkadar_pengawasan"
    PENGADUAN_TIDAK_BERKADAR_PENGAWASAN = "pengaduan_tidak_berkadar_pengawasan"
    ASPIRASI = "aspirasi"
    PERMINTAAN_INFORMASI = "permintaan_informasi"

    @property
    def label(self) -> str:
        return KLASIFIKASI_LABELS[self]


KLASIFIKASI_LABELS: dict[Klasifikasi, str] = {
    Klasifikasi.PENGADUAN_BERKADAR_PENGAWASAN: "Pengaduan berkadar pengawasan",
    Klasifikasi.PENGADUAN_TIDAK_BERKADAR_PENGAWASAN: "Pengaduan tidak berkadar pengawasan",
    Klasifikasi.ASPIRASI: "Aspirasi",
    Klasifikasi.PERMINTAAN_INFORMASI: "Permintaan informasi",
}


class ArchiveReason(StrEnum):
    SPAM = "spam"
    TERLALU_UMUM = "terlalu_umum"
    BUKAN_PELAYANAN_PUBLIK = "bukan_pelayanan_publik"
    DUPLIKAT = "duplikat"
    TIDAK_ADA_INFORMASI = "tidak_ada_informasi"

    @property
    def label(self) -> str:
        return ARCHIVE_REASON_LABELS[self]


ARCHIVE_REASON_LABELS: dict[ArchiveReason, str] = {
    ArchiveReason.SPAM: "Spam / tidak relevan",
    ArchiveReason.TERLALU_UMUM: "Terlalu umum, tidak dapat ditindaklanjuti",
    ArchiveReason.BUKAN_PELAYANAN_PUBLIK: "Bukan tentang pelayanan publik",
    ArchiveReason.DUPLIKAT: "Duplikat laporan sebelumnya",
    ArchiveReason.TIDAK_ADA_INFORMASI: "Tidak ada informasi tambahan setelah ditunda",
}

KATEGORI_LABELS: dict[str, str] = {
    "kesehatan": "Kesehatan",
    "pendidikan": "Pendidikan",
    "infrastruktur": "Infrastruktur",
    "administrasi_kependudukan": "Administrasi Kependudukan",
    "lingkungan_hidup": "Lingkungan Hidup",
    "perhubungan": "Perhubungan",
    "sosial": "Sosial",
    "ketenagakerjaan": "Ketenagakerjaan",
    "perizinan": "Perizinan",
    "air_minum_sanitasi": "Air Minum & Sanitasi",
    "ketertiban_umum": "Ketertiban Umum",
    "kepegawaian": "Kepegawaian",
    "energi": "Energi & Listrik",
    "pertanahan": "Pertanahan",
    "perpajakan": "Perpajakan & Retribusi",
    "keamanan": "Keamanan",
    "lainnya": "Lainnya",
}


class Action(StrEnum):
    VERIFIKASI = "verifikasi"
    KELOLA_SENDIRI = "kelola_sendiri"
    TUNDA = "tunda"
    ARSIPKAN = "arsipkan"
    BUKAN_WEWENANG = "bukan_wewenang"
    KEMBALIKAN = "kembalikan"
    TINDAK_LANJUT = "tindak_lanjut"
    PELAPOR_MEMBALAS = "pelapor_membalas"
    PELAPOR_MENERIMA = "pelapor_menerima"
    PELAPOR_MENOLAK = "pelapor_menolak"
    PELAPOR_MENILAI = "pelapor_menilai"
    PELAPOR_MENANYAKAN = "pelapor_menanyakan"
    SELESAI_OTOMATIS = "selesai_otomatis"

    @property
    def label(self) -> str:
        return ACTION_SPECS[self].label

    @property
    def role(self) -> Role:
        return ACTION_SPECS[self].role


@dataclass(frozen=True)
class Transition:
    """One row of the table: `action` in `source` leads to `target`.

    `final_target` is used instead when the payload's `akhir` flag is set (a
    final tindak lanjut).
    """

    source: State
    action: Action
    target: State
    final_target: State | None = None


_ROWS: tuple[Transition, ...] = (
    Transition(State.BARU, Action.VERIFIKASI, State.TERDISPOSISI),
    Transition(State.BARU, Action.KELOLA_SENDIRI, State.TERDISPOSISI),
    Transition(State.BARU, Action.TUNDA, State.TUNDA),
    Transition(State.BARU, Action.ARSIPKAN, State.DIARSIPKAN),
    Transition(State.BARU, Action.BUKAN_WEWENANG, State.BUKAN_WEWENANG),
    Transition(State.TUNDA, Action.PELAPOR_MEMBALAS, State.BARU),
    Transition(State.TUNDA, Action.ARSIPKAN, State.DIARSIPKAN),
    Transition(State.TERDISPOSISI, Action.KEMBALIKAN, State.BARU),
    Transition(
        State.TERDISPOSISI, Action.TINDAK_LANJUT, State.DIPROSES, State.MENUNGGU_PELAPOR
    ),
    Transition(State.TERDISPOSISI, Action.PELAPOR_MENANYAKAN, State.TERDISPOSISI),
    Transition(State.DIPROSES, Action.TINDAK_LANJUT, State.DIPROSES, State.MENUNGGU_PELAPOR),
    Transition(State.DIPROSES, Action.PELAPOR_MENANYAKAN, State.DIPROSES),
    Transition(State.MENUNGGU_PELAPOR, Action.PELAPOR_MENERIMA, State.SELESAI),
    Transition(State.MENUNGGU_PELAPOR, Action.PELAPOR_MENOLAK, State.DIPROSES),
    Transition(State.MENUNGGU_PELAPOR, Action.PELAPOR_MENILAI, State.MENUNGGU_PELAPOR),
    Transition(State.SELESAI, Action.PELAPOR_MENILAI, State.SELESAI),
    # The reporter's window passed with no reply: the system closes the report.
    Transition(State.MENUNGGU_PELAPOR, Action.SELESAI_OTOMATIS, State.SELESAI),
)

TRANSITIONS: dict[tuple[State, Action], Transition] = {(t.source, t.action): t for t in _ROWS}


def allowed_actions(state: State, role: Role | None = None) -> list[Action]:
    """Actions allowed in `state`, in table order, optionally only those of `role`."""
    return [
        t.action
        for t in _ROWS
        if t.source == state and (role is None or t.action.role == role)
    ]


# ------------------------------------------------------------------ who may act


class Actor(StrEnum):
    """Who performs an action on a report. Each actor plays the roles in ACTOR_ROLES."""

    PESERTA = "peserta"  # a trainee, on a report whose reporter a script plays
    PESERTA_LATIHAN_BEBAS = "peserta_latihan_bebas"  # a trainee in free practice: no script
    PESERTA_PENGHUBUNG = "peserta_penghubung"  # mode OPD or tim: an OPD's admin penghubung
    PESERTA_INSTANSI = "peserta_instansi"  # mode tim: the team's Admin Instansi
    NASKAH = "naskah"  # the scenario's script: the simulated reporter and the system
    REKAN = "rekan"  # a simulated teammate: the Admin Instansi of mode OPD, a team's seat

    @property
    def label(self) -> str:
        return ACTOR_LABELS[self]

    @property
    def roles(self) -> frozenset[Role]:
        return ACTOR_ROLES[self]


ACTOR_LABELS: dict[Actor, str] = {
    Actor.PESERTA: "peserta",
    Actor.PESERTA_LATIHAN_BEBAS: "peserta latihan bebas",
    Actor.PESERTA_PENGHUBUNG: "admin penghubung",
    Actor.PESERTA_INSTANSI: "Admin Instansi",
    Actor.NASKAH: "naskah skenario",
    Actor.REKAN: "rekan simulasi",
}
# Individual mode: a trainee plays both admin roles on their own copy of the reports, never
# the reporter (the scenario's script does) nor the system. Only in free practice, where no
# script plays the reporter, does the trainee answer for the reporter too. In mode OPD a
# trainee is only the admin penghubung of their OPD, and a simulated teammate plays the
# Admin Instansi who disposes to them. In mode tim a team's Admin Instansi answers the
# reports it keeps (kelola sendiri) as well; domain.team decides which reports each seat
# holds.
TRAINEE_ROLES = frozenset({Role.ADMIN_INSTANSI, Role.ADMIN_PENGHUBUNG})
ACTOR_ROLES: dict[Actor, frozenset[Role]] = {
    Actor.PESERTA: TRAINEE_ROLES,
    Actor.PESERTA_LATIHAN_BEBAS: TRAINEE_ROLES | {Role.PELAPOR},
    Actor.PESERTA_PENGHUBUNG: frozenset({Role.ADMIN_PENGHUBUNG}),
    Actor.PESERTA_INSTANSI: TRAINEE_ROLES,
    Actor.NASKAH: frozenset({Role.PELAPOR, Role.SISTEM}),
    Actor.REKAN: TRAINEE_ROLES,
}


def trainee_actor(scripted: bool, own_unit: str | None = None) -> Actor:
    """The actor a trainee is on a report: a script plays its reporter, or nobody does;
    with `own_unit` (mode OPD) only the admin penghubung of that OPD."""
    if own_unit is not None:
        return Actor.PESERTA_PENGHUBUNG
    return Actor.PESERTA if scripted else Actor.PESERTA_LATIHAN_BEBAS


def holds(view: ReportView, own_unit: str | None) -> bool:
    """Whether the report is in the hands of a trainee whose OPD is `own_unit` (always, for
    a trainee who plays every role): disposed to their OPD and not sent on since."""
    return own_unit is None or (view.state in HELD_STATES and view.unit == own_unit)


RETURNED_LABEL = "Dikembalikan ke Admin Instansi"
ELSEWHERE_LABEL = "Di OPD lain"


def status_label(state: State, unit: str | None, own_units: Collection[str] | None) -> str:
    """A report's status as its trainee sees it. To an admin penghubung (mode OPD or tim,
    `own_units`: their OPDs) a report that has left their OPDs is shown as gone, not with
    the status it has at its new OPD (`unit`: where it is disposed now, or the body it
    was forwarded to)."""
    if own_units is None or unit in own_units or state in CLOSED_STATES:
        return state.label
    return RETURNED_LABEL if state == State.BARU else ELSEWHERE_LABEL


def check_holds(view: ReportView, own_unit: str | None) -> None:
    """Refuse, with a RoleError, an action on a report no longer (or not yet) with the OPD."""
    if not holds(view, own_unit):
        raise RoleError("Laporan ini tidak sedang berada di OPD Anda (sudah dikembalikan ke "
                        "Admin Instansi atau diteruskan): tidak ada aksi yang bisa dicatat.")


def may_act(actor: Actor, action: Action) -> bool:
    """Whether `actor` plays the role whose action `action` is."""
    return action.role in actor.roles


def check_actor(actor: Actor, action: Action) -> None:
    """Refuse, with a RoleError, an action whose role `actor` does not play."""
    if not may_act(actor, action):
        raise RoleError(
            f"Aksi «{action.label}» adalah aksi {action.role.label} dan tidak dapat "
            f"dilakukan oleh {actor.label}."
        )


def actions_for(state: State, actor: Actor) -> list[Action]:
    """Actions allowed in `state` that `actor` may perform, in table order."""
    return [action for action in allowed_actions(state) if may_act(actor, action)]


# ---------------------------------------------------------------- validation


@dataclass(frozen=True)
class Directory:
    """What an action's fields are checked against: the region's units and agencies."""

    units: Mapping[str, str]
    agencies: Mapping[str, str]
    kategori: Mapping[str, str] = field(default_factory=lambda: dict(KATEGORI_LABELS))


Raw = Mapping[str, Any]
Payload = dict[str, Any]

JUDUL_MIN, JUDUL_MAX = 10, 200
TEXT_MAX = 5000
TL_MIN = 20


def _angka(number: int) -> str:
    """A number with Indonesian thousands separators: 10000 -> "10.000"."""
    return f"{number:,}".replace(",", ".")


def _text(raw: Raw, name: str) -> str:
    value = raw.get(name)
    return "" if value is None else str(value).strip()


def _flag(raw: Raw, name: str) -> bool:
    value = raw.get(name)
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in {"1", "on", "true", "ya", "yes"}


class _Checker:
    """Collects field errors so a form shows every problem at once."""

    def __init__(self, raw: Raw) -> None:
        self.raw = raw
        self.errors: dict[str, str] = {}
        self.payload: Payload = {}

    def text(self, name: str, label: str, *, required: bool = True,
             minimum: int = 0, maximum: int = TEXT_MAX) -> None:
        value = _text(self.raw, name)
        if not value:
            if required:
                self.errors[name] = f"{label} wajib diisi."
                return
        elif len(value) > maximum:
            self.errors[name] = (
                f"{label} terlalu panjang: maksimal {_angka(maximum)} karakter, "
                f"Anda menulis {_angka(len(value))}."
            )
            return
        elif len(value) < minimum:
            self.errors[name] = f"{label} terlalu pendek: minimal {minimum} karakter."
            return
        if value or required:
            self.payload[name] = value

    def choice(self, name: str, label: str, choices: Mapping[str, str], unknown: str) -> None:
        value = _text(self.raw, name)
        if not value:
            self.errors[name] = f"{label} wajib diisi."
        elif value not in choices:
            self.errors[name] = f"{unknown}: «{value[:60]}»."
        else:
            self.payload[name] = value

    def flag(self, name: str) -> None:
        self.payload[name] = _flag(self.raw, name)

    def done(self) -> Payload:
        if self.errors:
            raise ValidationError(self.errors)
        return self.payload


def _classify(c: _Checker, directory: Directory) -> None:
    c.text("judul", "Judul", minimum=JUDUL_MIN, maximum=JUDUL_MAX)
    c.choice("klasifikasi", "Klasifikasi",
             {k.value: k.label for k in Klasifikasi}, "Klasifikasi tidak dikenal")
    c.choice("kategori", "Kategori", directory.kategori, "Kategori tidak dikenal")
    c.flag("rahasia")
    c.flag("anonim")


def _validate_verifikasi(raw: Raw, directory: Directory) -> Payload:
    c = _Checker(raw)
    _classify(c, directory)
    unit = _text(raw, "unit")
    if unit in directory.agencies:
        c.errors["unit"] = (
            f"{directory.agencies[unit]} berada di luar Pemda: gunakan aksi Bukan Wewenang."
        )
    elif not unit:
        c.errors["unit"] = "Unit tujuan wajib diisi."
    else:
        c.choice("unit", "Unit tujuan", directory.units, "Unit tujuan tidak dikenal")
    return c.done()


def _validate_kelola_sendiri(raw: Raw, directory: Directory) -> Payload:
    c = _Checker(raw)
    _classify(c, directory)
    return c.done()


def _validate_tunda(raw: Raw, directory: Directory) -> Payload:
    c = _Checker(raw)
    c.text("pertanyaan", "Pertanyaan kepada pelapor", minimum=10, maximum=1000)
    return c.done()


def _validate_arsipkan(raw: Raw, directory: Directory) -> Payload:
    c = _Checker(raw)
    c.choice("alasan", "Alasan pengarsipan",
             {r.value: r.label for r in ArchiveReason}, "Alasan pengarsipan tidak dikenal")
    c.text("catatan", "Catatan", required=False, maximum=1000)
    return c.done()


def _validate_bukan_wewenang(raw: Raw, directory: Directory) -> Payload:
    c = _Checker(raw)
    agency = _text(raw, "instansi")
    if agency in directory.units:
        c.errors["instansi"] = (
            f"{directory.units[agency]} adalah perangkat daerah sendiri: "
            "gunakan Verifikasi dan disposisi."
        )
    else:
        c.choice("instansi", "Instansi tujuan", directory.agencies, "Instansi tujuan tidak dikenal")
    c.text("catatan", "Catatan", required=False, maximum=1000)
    return c.done()


def _validate_kembalikan(raw: Raw, directory: Directory) -> Payload:
    c = _Checker(raw)
    c.text("alasan", "Alasan pengembalian", minimum=10, maximum=1000)
    return c.done()


def _validate_tindak_lanjut(raw: Raw, directory: Directory) -> Payload:
    c = _Checker(raw)
    c.text("isi", "Isi tindak lanjut", minimum=TL_MIN, maximum=TEXT_MAX)
    c.flag("akhir")
    return c.done()


def _validate_balasan(raw: Raw, directory: Directory) -> Payload:
    c = _Checker(raw)
    c.text("isi", "Balasan pelapor", maximum=2000)
    return c.done()


def _validate_komentar(raw: Raw, directory: Directory) -> Payload:
    c = _Checker(raw)
    c.text("isi", "Komentar", required=False, maximum=2000)
    return c.done()


def _validate_nilai(raw: Raw, directory: Directory) -> Payload:
    c = _Checker(raw)
    value = _text(raw, "bintang")
    if not value:
        c.errors["bintang"] = "Jumlah bintang wajib diisi."
    else:
        try:
            c.payload["bintang"] = parse_int(value, "bintang", "Bintang", 1, 5,
                                             message="Bintang harus bilangan 1 sampai 5.")
        except ValidationError as error:
            c.errors.update(error.errors)
    return c.done()


@dataclass(frozen=True)
class ActionSpec:
    label: str
    role: Role
    validate: Callable[[Raw, Directory], Payload]


ACTION_SPECS: dict[Action, ActionSpec] = {
    Action.VERIFIKASI: ActionSpec("Verifikasi & disposisi", Role.ADMIN_INSTANSI,
                                  _validate_verifikasi),
    Action.KELOLA_SENDIRI: ActionSpec("Kelola sendiri", Role.ADMIN_INSTANSI,
                                      _validate_kelola_sendiri),
    Action.TUNDA: ActionSpec("Tunda", Role.ADMIN_INSTANSI, _validate_tunda),
    Action.ARSIPKAN: ActionSpec("Arsipkan", Role.ADMIN_INSTANSI, _validate_arsipkan),
    Action.BUKAN_WEWENANG: ActionSpec("Bukan wewenang", Role.ADMIN_INSTANSI,
                                      _validate_bukan_wewenang),
    Action.KEMBALIKAN: ActionSpec("Kembalikan ke Admin Instansi", Role.ADMIN_PENGHUBUNG,
                                  _validate_kembalikan),
    Action.TINDAK_LANJUT: ActionSpec("Tindak lanjut", Role.ADMIN_PENGHUBUNG,
                                     _validate_tindak_lanjut),
    Action.PELAPOR_MEMBALAS: ActionSpec("Pelapor membalas", Role.PELAPOR, _validate_balasan),
    Action.PELAPOR_MENERIMA: ActionSpec("Pelapor menerima", Role.PELAPOR, _validate_komentar),
    Action.PELAPOR_MENOLAK: ActionSpec("Pelapor menolak", Role.PELAPOR, _validate_komentar),
    Action.PELAPOR_MENILAI: ActionSpec("Pelapor memberi nilai", Role.PELAPOR, _validate_nilai),
    Action.PELAPOR_MENANYAKAN: ActionSpec("Pelapor menanyakan kembali", Role.PELAPOR,
                                          _validate_komentar),
    Action.SELESAI_OTOMATIS: ActionSpec("Selesai otomatis (batas tanggapan pelapor lewat)",
                                        Role.SISTEM, _validate_komentar),
}


# ------------------------------------------------------------------- apply


@dataclass(frozen=True)
class Outcome:
    """The result of a valid action: the new state and the cleaned payload to record."""

    state: State
    payload: Payload


def parse_action(value: str) -> Action:
    """The Action named `value`, or a TransitionError naming the unknown action."""
    try:
        return Action(value)
    except ValueError:
        raise TransitionError(f"Aksi tidak dikenal: «{value[:40]}».") from None


def apply(state: State, action: Action, raw: Raw, directory: Directory, *,
          actor: Actor) -> Outcome:
    """Check who acts, then `action` against the table and its fields; return the new state
    and payload. An actor who does not play the action's role gets a RoleError."""
    check_actor(actor, action)
    transition = TRANSITIONS.get((state, action))
    if transition is None:
        raise TransitionError(
            f"Aksi «{action.label}» tidak berlaku untuk status {state.label}."
        )
    payload = ACTION_SPECS[action].validate(raw, directory)
    return Outcome(_target(transition, payload), payload)


def apply_recorded(state: State, action: Action, payload: Mapping[str, Any]) -> State:
    """The state after an action whose payload is already clean (recorded or scripted)."""
    transition = TRANSITIONS.get((state, action))
    if transition is None:
        raise TransitionError(
            f"Aksi «{action.label}» tidak berlaku untuk status {state.label}."
        )
    return _target(transition, payload)


def _target(transition: Transition, payload: Mapping[str, Any]) -> State:
    if transition.final_target is not None and payload.get("akhir"):
        return transition.final_target
    return transition.target


# ------------------------------------------------------------------ replay


@dataclass(frozen=True)
class EventRecord:
    """One recorded event, as the domain sees it (scoring works on these)."""

    seq: int
    action: Action
    role: Role
    actor: str
    payload: Mapping[str, Any]
    sim_at: datetime
    wall_at: datetime


@dataclass
class ReportView:
    """Everything about a report that is derived from its events."""

    state: State = State.BARU
    judul: str | None = None
    klasifikasi: str | None = None
    kategori: str | None = None
    rahasia: bool = False
    anonim: bool = False
    unit: str | None = None
    agency: str | None = None
    archive_reason: str | None = None
    follow_ups: int = 0
    rating: int | None = None
    verified_at: datetime | None = None
    first_follow_up_at: datetime | None = None
    closed_at: datetime | None = None


def replay(events: Iterable[EventRecord]) -> ReportView:
    """Fold events over the transition table; the result is the report's current view."""
    view = ReportView()
    for event in events:
        transition = TRANSITIONS.get((view.state, event.action))
        if transition is None:
            raise TransitionError(
                f"Log peristiwa tidak konsisten: «{event.action.label}» "
                f"pada status {view.state.label} (urutan {event.seq})."
            )
        view.state = _target(transition, event.payload)
        _project(view, event)
    return view


def _project(view: ReportView, event: EventRecord) -> None:
    payload = event.payload
    if event.action in (Action.VERIFIKASI, Action.KELOLA_SENDIRI):
        view.judul = payload["judul"]
        view.klasifikasi = payload["klasifikasi"]
        view.kategori = payload["kategori"]
        view.rahasia = bool(payload.get("rahasia"))
        view.anonim = bool(payload.get("anonim"))
        view.unit = payload.get("unit")
        if view.verified_at is None:
            view.verified_at = event.sim_at
    elif event.action == Action.KEMBALIKAN:
        view.unit = None
    elif event.action == Action.BUKAN_WEWENANG:
        view.agency = payload["instansi"]
    elif event.action == Action.ARSIPKAN:
        view.archive_reason = payload["alasan"]
    elif event.action == Action.TINDAK_LANJUT:
        view.follow_ups += 1
        if view.first_follow_up_at is None:
            view.first_follow_up_at = event.sim_at
    elif event.action == Action.PELAPOR_MENILAI:
        view.rating = int(payload["bintang"])
    if view.state.is_closed and view.closed_at is None:
        view.closed_at = event.sim_at
