"""Disclosure: what a trainee may see of the answers and of a scenario's notes, and when.

Scoring scores every report; this module only decides what is *shown* to the trainee.
A report's answer (expected action and unit, klasifikasi, kategori, the explanation)
is shown once the trainee has finally decided the report, and with feedback "akhir"
not before the exercise has ended. Otherwise a trainee could read the answer of a
report still in their inbox (in a second tab, or after a tunda) and copy it. Once the
exercise has ended nothing can be acted on any more, so every answer is shown: what
the trainee left undecided is part of the lesson. A test report (the tes awal or the
tes akhir, domain.learning) shows neither its answer nor its points before the end,
even with feedback "langsung": a test must not teach its own answers.
Facilitator pages show every answer and every note; they do not call this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any

from sandbox.domain.workflow import State

# A report still waiting for the trainee's decision: new, returned by the unit
# (kembalikan), waiting for the reporter's reply to a tunda, or replied to after one.
UNDECIDED_STATES = frozenset({State.BARU, State.TUNDA})

WITHHELD_UNDECIDED = "Jawaban ditampilkan setelah Anda memutuskan laporan ini."
WITHHELD_UNTIL_END = "Jawaban ditampilkan setelah latihan berakhir."
WITHHELD_TEST = ("Ini laporan tes: nilai dan jawabannya ditampilkan setelah sesi berakhir, "
                 "agar tes tidak membocorkan jawabannya sendiri.")


class Feedback(StrEnum):
    """A scenario's feedback setting: answers right after a decision, or at the end."""

    LANGSUNG = "langsung"
    AKHIR = "akhir"


class NoteAudience(StrEnum):
    """Who may read a scenario note. Facilitator-only unless the author says otherwise."""

    PESERTA = "peserta"
    FASILITATOR = "fasilitator"


NOTE_AUDIENCE_KEY = "audience"  # the key of a stored note's audience in Exercise.settings


def finally_decided(state: State) -> bool:
    """Whether the trainee has made the report's closing decision (not a tunda, not returned)."""
    return state not in UNDECIDED_STATES


def feedback_open(feedback: str | None, ended: bool, test: bool = False) -> bool:
    """Whether the trainee's results may be shown at all yet (feedback "akhir": after the
    end); a test report's (`test`: the tes awal's or the tes akhir's) only after the end."""
    if test:
        return ended
    return (feedback or Feedback.LANGSUNG) == Feedback.LANGSUNG or ended


def answer_withheld(state: State, feedback: str | None, ended: bool,
                    test: bool = False) -> str | None:
    """Why a report's answer is hidden from its trainee now, or None when it may be shown;
    `test`: the report belongs to the tes awal or the tes akhir."""
    if not feedback_open(feedback, ended, test):
        return WITHHELD_TEST if test else WITHHELD_UNTIL_END
    if not ended and not finally_decided(state):
        return WITHHELD_UNDECIDED
    return None


def note_audience(note: Mapping[str, Any]) -> NoteAudience:
    """A stored note's audience; notes stored without one (older sessions) are facilitator-only."""
    try:
        return NoteAudience(note.get(NOTE_AUDIENCE_KEY) or NoteAudience.FASILITATOR)
    except ValueError:
        return NoteAudience.FASILITATOR


def trainee_notes(notes: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The notes a trainee may read: only those written for trainees."""
    return [note for note in notes if note_audience(note) == NoteAudience.PESERTA]
