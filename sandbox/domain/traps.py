"""The traps a report sets, and whether someone fell into one: one rule, read from the
answer key alone (so stored reports, archives and scenario topics all answer alike).

A trap is what makes a report easy to get wrong:
- its expected action (the decision trap): a report that is not the Pemda's to handle
  (bukan wewenang), one to archive (spam, too general, duplicate), one that needs the
  reporter's answer first (tunda), one the Admin Instansi handles itself, or an ordinary
  disposition to the right OPD;
- the reporter's identity (the confidentiality traps): a rahasia or anonim report, where
  naming the reporter is the fall.

Every report sets exactly one decision trap and zero, one or two confidentiality traps.
Used by the pre/post tests (the same traps before and after), the per-trap accuracy of a
studi komparasi, and the refresher scenario (the traps a person fell into).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sandbox.domain.decisions import Verdict


@dataclass(frozen=True)
class Trap:
    key: str
    label: str  # short, for tables
    lesson: str  # one sentence: what the trap tests, for a trainee


TRAPS: tuple[Trap, ...] = (
    Trap("disposisi", "Disposisi ke OPD yang tepat",
         "Menemukan OPD yang berwenang dari isi laporan, bukan dari kata yang pertama muncul."),
    Trap("bukan-wewenang", "Bukan wewenang Pemda",
         "Mengenali urusan instansi pusat, provinsi atau BUMN dan meneruskannya, "
         "bukan mendisposisikan ke OPD."),
    Trap("arsip", "Layak diarsipkan",
         "Mengenali spam, laporan terlalu umum, bukan pelayanan publik atau duplikat."),
    Trap("kurang-info", "Perlu keterangan pelapor",
         "Menunda dan bertanya kepada pelapor saat lokasi atau pokok aduan belum jelas."),
    Trap("kelola-sendiri", "Dikelola Admin Instansi sendiri",
         "Menjawab sendiri pertanyaan yang tidak perlu diteruskan ke OPD."),
    Trap("rahasia", "Pelapor rahasia",
         "Tidak menyebut nama atau identitas pelapor yang minta dirahasiakan."),
    Trap("anonim", "Pelapor anonim",
         "Tidak menebak atau menyebut identitas pelapor anonim."),
)
TRAPS_BY_KEY = {t.key: t for t in TRAPS}
DECISION_TRAPS = ("disposisi", "bukan-wewenang", "arsip", "kurang-info", "kelola-sendiri")
CONFIDENTIALITY_TRAPS = ("rahasia", "anonim")

# The answer key's expected action -> its decision trap.
_BY_ACTION = {
    "disposisi": "disposisi",
    "verifikasi": "disposisi",
    "bukan_wewenang": "bukan-wewenang",
    "arsipkan": "arsip",
    "tunda": "kurang-info",
    "kelola_sendiri": "kelola-sendiri",
}


def decision_trap(key: Mapping[str, Any]) -> str:
    """The decision trap of a report, from its answer key (an unknown action is treated
    as an ordinary disposition)."""
    return _BY_ACTION.get(str(key.get("expected_action") or ""), "disposisi")


def traps_of(key: Mapping[str, Any]) -> tuple[str, ...]:
    """Every trap a report sets: its decision trap first, then rahasia and anonim when
    the key says so. `key` is an answer key as stored (Complaint.answer_key) or any
    mapping with `expected_action`, `rahasia` and `anonim`."""
    found = [decision_trap(key)]
    found += [name for name in CONFIDENTIALITY_TRAPS if key.get(name)]
    return tuple(found)


def fell(trap: str, verdict: Verdict, confidentiality_errors: int) -> bool | None:
    """Whether someone fell into `trap` on one report: the decision trap by the verdict
    on their decision (sebagian and salah fall; a report not yet decided is None, not a
    fall), a confidentiality trap by any exposure of the reporter's identity."""
    if trap in CONFIDENTIALITY_TRAPS:
        return confidentiality_errors > 0
    if verdict == Verdict.BELUM:
        return None
    return verdict != Verdict.TEPAT


def label(trap: str) -> str:
    found = TRAPS_BY_KEY.get(trap)
    return found.label if found else trap
