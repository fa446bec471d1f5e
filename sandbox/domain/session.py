"""A session's lifecycle as data: its states, the clock commands and the table between them.

A session (a workshop, or a trainee's own practice) is in the lobby until its clock
starts, then running or paused, until it is ended for good. The state is never stored:
it is derived from the stored clock changes (`session_state`), whose kinds are
`ClockKind`. `decide` is the one place that says what a clock command does in a state:
change the clock, change nothing because it is already in effect, or refuse.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from sandbox.domain.errors import DomainError


class SessionError(DomainError):
    """A clock command that cannot be given in the session's state."""


class SessionState(StrEnum):
    LOBI = "lobi"
    BERJALAN = "berjalan"
    DIJEDA = "dijeda"
    BERAKHIR = "berakhir"

    @property
    def label(self) -> str:
        return SESSION_STATE_LABELS[self]

    @property
    def badge(self) -> str:
        """The report-state colour the session's badge borrows (CSS class state-…)."""
        return SESSION_STATE_BADGES[self]

    @property
    def open_for_joining(self) -> bool:
        """Whether trainees may still join with the session code: until the session ends."""
        return self != SessionState.BERAKHIR


SESSION_STATE_LABELS: dict[SessionState, str] = {
    SessionState.LOBI: "Lobi: menunggu dimulai",
    SessionState.BERJALAN: "Berjalan",
    SessionState.DIJEDA: "Dijeda",
    SessionState.BERAKHIR: "Berakhir",
}
SESSION_STATE_BADGES: dict[SessionState, str] = {
    SessionState.LOBI: "baru",
    SessionState.BERJALAN: "diproses",
    SessionState.DIJEDA: "tunda",
    SessionState.BERAKHIR: "selesai",
}


class ClockCommand(StrEnum):
    """What a facilitator (or a solo trainee) asks of the clock; also the URL's last part."""

    MULAI = "mulai"
    JEDA = "jeda"
    LANJUT = "lanjut"
    KECEPATAN = "kecepatan"
    AKHIRI = "akhiri"

    @property
    def label(self) -> str:
        return CLOCK_COMMAND_LABELS[self]


CLOCK_COMMAND_LABELS: dict[ClockCommand, str] = {
    ClockCommand.MULAI: "Mulai sesi",
    ClockCommand.JEDA: "Jeda",
    ClockCommand.LANJUT: "Lanjutkan",
    ClockCommand.KECEPATAN: "Ubah kecepatan",
    ClockCommand.AKHIRI: "Akhiri sesi",
}
# A solo trainee runs their own clock, but starts it by starting the practice and ends it
# with «Akhiri latihan» (scoring.end_practice), not through these commands.
SOLO_COMMANDS = frozenset({ClockCommand.JEDA, ClockCommand.LANJUT, ClockCommand.KECEPATAN})


class ClockKind(StrEnum):
    """The kind of a stored clock change (ClockChange.kind); the values are stored."""

    MULAI = "mulai"
    JEDA = "jeda"
    LANJUT = "lanjut"
    KECEPATAN = "kecepatan"
    SELESAI = "selesai"

    @property
    def stops(self) -> bool:
        """A pause or the end: the simulated clock stands still from this change on."""
        return self in (ClockKind.JEDA, ClockKind.SELESAI)


@dataclass(frozen=True)
class ClockStep:
    """What a command does in a state.

    `effective` is False when the command is already in effect: nothing is recorded or
    logged. `change` is the clock change to record, if any: a new speed in the lobby or
    while paused is only remembered (no change of the standing clock) but is still logged.
    """

    target: SessionState
    change: ClockKind | None
    effective: bool = True


def _go(target: SessionState, change: ClockKind | None) -> ClockStep:
    return ClockStep(target, change)


def _same(state: SessionState) -> ClockStep:
    """Already in effect (a second click, another tab): nothing happens."""
    return ClockStep(state, None, effective=False)


_LOBI, _BERJALAN, _DIJEDA = SessionState.LOBI, SessionState.BERJALAN, SessionState.DIJEDA
_BERAKHIR = SessionState.BERAKHIR

# Every (state, command) pair: a step, or the Indonesian reason it is refused.
CLOCK_TABLE: dict[tuple[SessionState, ClockCommand], ClockStep | str] = {
    (_LOBI, ClockCommand.MULAI): _go(_BERJALAN, ClockKind.MULAI),
    (_LOBI, ClockCommand.JEDA): "Sesi belum dimulai: tidak ada yang dijeda.",
    (_LOBI, ClockCommand.LANJUT): "Sesi belum dimulai: mulai sesi lebih dulu.",
    (_LOBI, ClockCommand.KECEPATAN): _go(_LOBI, None),
    (_LOBI, ClockCommand.AKHIRI): _go(_BERAKHIR, ClockKind.SELESAI),
    (_BERJALAN, ClockCommand.MULAI): _same(_BERJALAN),
    (_BERJALAN, ClockCommand.JEDA): _go(_DIJEDA, ClockKind.JEDA),
    (_BERJALAN, ClockCommand.LANJUT): _same(_BERJALAN),
    (_BERJALAN, ClockCommand.KECEPATAN): _go(_BERJALAN, ClockKind.KECEPATAN),
    (_BERJALAN, ClockCommand.AKHIRI): _go(_BERAKHIR, ClockKind.SELESAI),
    (_DIJEDA, ClockCommand.MULAI): "Sesi sudah dimulai dan sedang dijeda: gunakan Lanjutkan.",
    (_DIJEDA, ClockCommand.JEDA): _same(_DIJEDA),
    (_DIJEDA, ClockCommand.LANJUT): _go(_BERJALAN, ClockKind.LANJUT),
    (_DIJEDA, ClockCommand.KECEPATAN): _go(_DIJEDA, None),
    (_DIJEDA, ClockCommand.AKHIRI): _go(_BERAKHIR, ClockKind.SELESAI),
    **{(_BERAKHIR, command): "Sesi sudah berakhir." for command in ClockCommand},
}


TIME_UP = "Waktu latihan habis"
TIME_UP_REFUSAL = ("Waktu latihan sudah habis: jam berhenti sendiri di akhir skenario, "
                   "dan tidak ada lagi yang bisa diubah.")


def state_text(state: SessionState, *, time_up: bool) -> str:
    """What every screen says of the session's state; an end by the clock says so."""
    return TIME_UP if state == SessionState.BERAKHIR and time_up else state.label


def acting_refusal(state: SessionState, *, time_up: bool, solo: bool) -> str | None:
    """Why a trainee's action on a report cannot be recorded now, or None if it can.

    Only a running clock takes actions: work done while the clock stands still would cost
    no simulated time and so earn speed points nobody else could. The scripted reporter
    waits by the same clock (its events fall due in simulated time).
    """
    if state == SessionState.BERJALAN:
        return None
    if state == SessionState.LOBI:
        return "Sesi belum dimulai: tunggu fasilitator memulai jam."
    if state == SessionState.DIJEDA:
        if solo:
            return ("Jam latihan Anda sedang dijeda: tekan «Lanjutkan waktu» di kotak masuk, "
                    "lalu kirim lagi. Isian Anda masih ada di formulir ini.")
        return ("Jam dijeda oleh fasilitator: tindakan belum bisa dicatat. Isian Anda masih "
                "ada di formulir ini; kirim lagi setelah jam berjalan.")
    if time_up:
        return f"{TIME_UP}: tindakan tidak dicatat lagi. Lihat «Hasil saya»."
    return "Latihan sudah diakhiri; tindakan tidak dicatat lagi. Lihat «Hasil saya»."


def check_may_act(state: SessionState, *, time_up: bool, solo: bool) -> None:
    """A SessionError with `acting_refusal`'s reason when a trainee may not act now."""
    reason = acting_refusal(state, time_up=time_up, solo=solo)
    if reason is not None:
        raise SessionError(reason)


def parse_command(value: str) -> ClockCommand:
    """The ClockCommand named `value`, or a SessionError naming the unknown command."""
    try:
        return ClockCommand(value)
    except ValueError:
        raise SessionError(f"Perintah jam tidak dikenal: «{value[:20]}».") from None


def decide(state: SessionState, command: ClockCommand, *, time_up: bool = False) -> ClockStep:
    """What `command` does in `state`; a SessionError with the reason when it is refused."""
    if time_up:
        raise SessionError(TIME_UP_REFUSAL)
    step = CLOCK_TABLE[state, command]
    if isinstance(step, str):
        raise SessionError(step)
    return step


def session_state(kinds: Iterable[str], *, time_up: bool = False) -> SessionState:
    """The state that a session's clock changes, oldest first, leave it in.

    `time_up`: the clock has reached the scenario's planned end and stopped by itself;
    the session has ended as surely as if the end button had been pressed.
    """
    stored = [ClockKind(kind) for kind in kinds]
    if not stored:
        return SessionState.LOBI
    if ClockKind.SELESAI in stored or time_up:
        return SessionState.BERAKHIR
    return SessionState.DIJEDA if stored[-1] == ClockKind.JEDA else SessionState.BERJALAN


SPEED_LOCKED = ("Kecepatan sesi studi komparasi dikunci sejak sesi dibuat, agar setiap "
                "daerah mengerjakan latihan yang sama dengan kecepatan yang disepakati. Jeda "
                "dan lanjutkan tetap bisa.")


def check_speed_change(locked: bool) -> None:
    """Refuse any speed change of a studi komparasi session (`locked`): its speed is the
    one agreed for every district, set when the session was created."""
    if locked:
        raise SessionError(SPEED_LOCKED)

