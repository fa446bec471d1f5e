"""The reporter's identity: whether a report must protect it, and where a trainee exposed it.

One verdict, used by scoring, the simulated reporter, the report page and the facilitator's
dashboard. A reporter is protected when the report is (or should be) *rahasia* or
*anonim*, or when the reporter asked for anonymity (LAPOR.md §4). The trainee's public
texts are the fields the public or the reporter's thread can see (`PUBLIC_FIELDS`): the
judul written at verification, every TL, the question of a tunda and the note sent with
*bukan wewenang*. A protected reporter's name (any part of it, any capitals), phone, NIK
or home address in one of them is an exposure; so is a phone, NIK or home address of any
reporter, whose name alone may be public.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sandbox.domain.workflow import Action, EventRecord

NAME = "nama pelapor"
PHONE = "nomor telepon"
NIK = "NIK"
ADDRESS = "alamat rumah pelapor"

# The payload fields of each action that leave the admin's desk, with how a trainee would
# name the place ("judul", "TL"). Internal notes (kembalikan, arsip) stay inside the Pemda.
PUBLIC_FIELDS: Mapping[Action, tuple[tuple[str, str], ...]] = {
    Action.VERIFIKASI: (("judul", "judul"),),
    Action.KELOLA_SENDIRI: (("judul", "judul"),),
    Action.TINDAK_LANJUT: (("isi", "TL"),),
    Action.TUNDA: (("pertanyaan", "pertanyaan tunda"),),
    Action.BUKAN_WEWENANG: (("catatan", "catatan bukan wewenang"),),
}

_WORD = re.compile(r"[a-z0-9]+")
_NON_DIGIT = re.compile(r"\D")
_NUMBER_RUN = re.compile(r"\+?\d(?:[\d\s().-]*\d)?")
_NON_WORD = re.compile(r"[^a-z0-9]+")
# Name parts that are also ordinary words ("lingkungan yang indah", "kondisinya bagus"):
# they count only where they are plainly used as a name (after a title, or next to
# another part of the name).
_COMMON_WORDS = frozenset({"indah", "bunga", "putri", "putra", "ayu", "jaya", "mulia",
                           "agung", "baik", "adil", "intan", "permata", "cahaya", "sehat",
                           "rahayu", "bakti", "kasih", "suci", "setia", "bagus", "selamat",
                           "untung", "guna", "lestari", "terang", "mekar"})
_TITLES = (r"bapak|bpk|pak|ibu|bu|sdr|sdri|saudara|saudari|tuan|nyonya|ny|mas|mbak|kak|"
           r"a\s*\.?\s*n|atas\s+nama|dari|oleh|pelapor|pengaduan|laporan|keluhan")
_STREET = re.compile(r"^\s*(?:jl|jln|jalan|gg|gang)?\s*\.?\s*(?P<street>.+?)\s+"
                     r"(?:no|nomor)\s*\.?\s*(?P<number>\d+[a-z]?)\b", re.IGNORECASE)


def must_protect(reporter: Mapping[str, Any], *, rahasia: bool, anonim: bool) -> bool:
    """Whether the reporter's identity must stay hidden: a rahasia or anonim report, or a
    reporter who asked for anonymity."""
    return bool(rahasia or anonim or reporter.get("requested_anonim"))


def _name_used(text: str, words: set[str], parts: list[str]) -> bool:
    distinctive = [part for part in parts if part not in _COMMON_WORDS]
    if any(part in words for part in distinctive):
        return True
    lowered = text.lower()
    for part in parts:
        if part in distinctive:
            continue
        # An ordinary word is a name after a title ("Ibu Indah", "a.n. Bagus") or right
        # next to another part of the name ("Putri Indah").
        titled = re.search(rf"\b(?:{_TITLES})\.?\s+{re.escape(part)}\b", lowered)
        paired = any(re.search(rf"\b{re.escape(part)}\s+{re.escape(other)}\b|"
                               rf"\b{re.escape(other)}\s+{re.escape(part)}\b", lowered)
                     for other in parts if other != part)
        if titled or paired:
            return True
    return False


def _address_used(text: str, address: str) -> bool:
    """The reporter's house address (street and number) in `text`; a street name alone is
    where many reported problems are, and is no exposure."""
    found = _STREET.match(address.split(",")[0])
    if found is None:
        return False
    street = _NON_WORD.sub(" ", found["street"].lower()).split()
    if not street:
        return False
    normal = " " + _NON_WORD.sub(" ", text.lower()) + " "
    pattern = r"\b" + r"\s+".join(map(re.escape, street)) + \
        rf"\s+(?:no|nomor)\s*{re.escape(found['number'].lower())}\b"
    return bool(re.search(pattern, normal))


def personal_data_in(text: str, reporter: Mapping[str, Any], *,
                     with_name: bool = True) -> list[str]:
    """The reporter's identifying data in `text`: a name part (any capitals; only when
    `with_name`), phone, NIK or house address."""
    found = []
    if with_name:
        words = set(_WORD.findall(text.lower()))
        parts = [part for part in _WORD.findall(str(reporter.get("name", "")).lower())
                 if len(part) >= 3]
        if parts and _name_used(text, words, parts):
            found.append(NAME)
    # Digit groups joined only across the separators a phone number or NIK is written with.
    runs = [_NON_DIGIT.sub("", run) for run in _NUMBER_RUN.findall(text)]
    for label, value in ((PHONE, reporter.get("phone")), (NIK, reporter.get("nik"))):
        number = _NON_DIGIT.sub("", str(value or ""))
        if len(number) >= 8 and any(number[-8:] in run for run in runs):
            found.append(label)
    if reporter.get("address") and _address_used(text, str(reporter["address"])):
        found.append(ADDRESS)
    return found


@dataclass(frozen=True)
class Exposure:
    """Identifying data of the reporter in one public field of one event."""

    seq: int
    action: Action
    field: str
    place: str  # "judul", "TL", ... (PUBLIC_FIELDS)
    found: tuple[str, ...]

    @property
    def where(self) -> str:
        """The place in words, e.g. "judul (peristiwa #1)" or "TL #4"."""
        if self.place == "TL":
            return f"TL #{self.seq}"
        return f"{self.place} (peristiwa #{self.seq})"

    @property
    def text(self) -> str:
        """E.g. "nama pelapor, nomor telepon di TL #4"."""
        return f"{', '.join(self.found)} di {self.where}"


def exposures_in(events: Sequence[EventRecord], reporter: Mapping[str, Any], *,
                 protected: bool) -> list[Exposure]:
    """Every public field of the trainee's events that shows the reporter's identity."""
    exposures = []
    for event in events:
        for field, place in PUBLIC_FIELDS.get(event.action, ()):
            value = event.payload.get(field)
            if not value:
                continue
            found = personal_data_in(str(value), reporter, with_name=protected)
            if found:
                exposures.append(Exposure(event.seq, event.action, field, place, tuple(found)))
    return exposures


def report_protected(events: Sequence[EventRecord], reporter: Mapping[str, Any],
                     key: Mapping[str, Any]) -> bool:
    """Whether a report protects its reporter: by the answer key, by the reporter's own
    request, or because the trainee marked it rahasia/anonim at its last verification."""
    verified = next((e for e in reversed(events)
                     if e.action in (Action.VERIFIKASI, Action.KELOLA_SENDIRI)), None)
    flags = verified.payload if verified is not None else {}
    return must_protect(reporter, rahasia=bool(key.get("rahasia") or flags.get("rahasia")),
                        anonim=bool(key.get("anonim") or flags.get("anonim")))


def report_exposures(events: Sequence[EventRecord], reporter: Mapping[str, Any],
                     key: Mapping[str, Any]) -> list[Exposure]:
    """Where this report's public texts expose its reporter (the one verdict)."""
    return exposures_in(events, reporter,
                        protected=report_protected(events, reporter, key))
