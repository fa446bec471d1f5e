"""People over time: the same person followed across the sessions of a studi komparasi.

Rules owned here, once:
- `nip_problem` (with `normal_nip`): what an explicit id from a participant list (a
  civil servant's NIP, or another id a province hands out) may be.
- `normal_name`: a name as two sessions' lists are compared: case, spacing, punctuation
  and academic titles and degrees («Drs.», «H.», «S.Kom», «M.Si», …) aside.
- `follow_people`: who is the same person. The same NIP is certain. Otherwise the same
  normalised name *and* the same OPD is only a proposal: it counts once the facilitator
  confirms it, and until then it is shown apart. The same name in another OPD is never
  proposed, nor two people whose NIPs differ. Two participants of one session are never
  the same person.
- `change`: how a figure of domain.comparison moved from a person's first to their last
  session with a card of their own, worded naik/turun/tetap and, by the figure's
  `higher_is_better`, membaik/memburuk (a falling time is an improvement).

In mode tim the cards are the teams' (domain.comparison): a person there is matched and
shown, with their team, but has no figures of their own, so a session of mode tim never
enters a person's change.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from sandbox.domain.comparison import FIGURES, Figure, Member

NIP_MAX = 40  # Participant.nip
_NIP_CHARACTERS = re.compile(r"^[0-9A-Za-z.\-]+$")
# What Excel makes of an 18-digit NIP typed into a number cell and saved as CSV.
_SCIENTIFIC = re.compile(r"^[0-9]+([.,][0-9]+)?[eE]\+[0-9]+$")
NIP_AS_NUMBER = ("NIP tersimpan sebagai angka di Excel, sehingga digit terakhirnya hilang "
                 "(terbaca «{shown}»). Format kolom NIP sebagai Teks, ketik ulang NIP-nya, "
                 "lalu simpan lagi.")

# Titles written before a name, compared without their dot.
PREFIX_TITLES = frozenset({"dr", "drs", "dra", "drg", "ir", "h", "hj", "prof", "kh", "ns",
                           "apt"})
# A degree after a name: one or two letters, then dotted parts (S.Kom, M.Si, S.E., A.Md,
# Ph.D, S.Tr.Kes); or one of these, written without dots.
_DOTTED_DEGREE = re.compile(r"^[a-z]{1,2}(\.[a-z]{1,5})+\.?$")
UNDOTTED_DEGREES = frozenset({"se", "sh", "mm", "msi", "mt", "st", "skom", "mkom", "skm",
                              "mkes", "amd", "spd", "mpd", "sip", "ssos", "msc", "phd", "mba",
                              "mh", "mpa", "map", "sap"})
_APOSTROPHES = re.compile(r"['’‘`]")
_PUNCTUATION = re.compile(r"[^\w\s]")
MATCH_KEY = re.compile(r"^[0-9a-f]{12}$")
MATCH_KEYS_MAX = 2000  # confirmations read from one request; more are ignored, and said


# ------------------------------------------------------------------ what an id and a name are


def normal_nip(text: str) -> str:
    """A NIP as typed, made comparable to itself: spaces (any kind, anywhere) removed, and
    the apostrophe Excel users type to keep a number as text dropped."""
    return "".join(text.split()).removeprefix("'")


def nip_problem(nip: str) -> str | None:
    """Why a NIP (after `normal_nip`) cannot be stored, in Indonesian; None if it can."""
    if len(nip) > NIP_MAX:
        return f"NIP terlalu panjang: maksimal {NIP_MAX} karakter (tertulis {len(nip)})."
    if _SCIENTIFIC.match(nip):
        return NIP_AS_NUMBER.format(shown=nip)
    if not _NIP_CHARACTERS.match(nip):
        return (f"NIP «{nip[:NIP_MAX]}» hanya boleh berisi angka, huruf, titik (.) dan tanda "
                "hubung (-).")
    return None


def nip_key(nip: str) -> str:
    """How two NIPs are compared: as `normal_nip` leaves them, case aside."""
    return normal_nip(nip).casefold()


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _PUNCTUATION.sub(" ", _APOSTROPHES.sub("", text))
    return " ".join(text.split())


def normal_unit(label: str) -> str:
    """An OPD as typed, compared: case, spacing and punctuation aside."""
    return _plain(label)


def normal_name(name: str) -> str:
    """A person's name compared: case, spacing, punctuation, titles before the name
    (Drs., H., Ir., …) and degrees after it (everything after the first comma, and
    trailing S.Kom, M.Si, S.E., …) aside. «Drs. H. Ahmad Yani, M.Si» is «ahmad yani»."""
    text = unicodedata.normalize("NFKC", name).casefold()
    before_comma = text.split(",", 1)[0]
    tokens = before_comma.split()
    while len(tokens) > 1 and tokens[0].rstrip(".") in PREFIX_TITLES:
        tokens.pop(0)
    # A prefix glued to the name by its dot ("drs.ahmad") is split off too.
    if tokens and "." in tokens[0]:
        head, _, rest = tokens[0].partition(".")
        if head in PREFIX_TITLES and rest:
            tokens[0] = rest
    while len(tokens) > 1 and (_DOTTED_DEGREE.match(tokens[-1])
                               or tokens[-1].rstrip(".") in UNDOTTED_DEGREES):
        tokens.pop()
    return _plain(" ".join(tokens)) or _plain(name)


# ------------------------------------------------------------------ who is the same person


@dataclass(frozen=True)
class Attendee:
    """One participant of one session, as people over time reads them."""

    session: str  # the session's name in the comparison
    key: str  # the participant, unique within its session
    name: str
    unit: str  # the OPD as shown
    cohort: str = ""
    nip: str | None = None
    unit_key: str = ""  # how the OPD is compared (a catalogue code); default `unit` normalised
    member: Member | None = None  # their own card; None: none of their own (mode tim)
    team: str = ""  # mode tim: their team's name

    @property
    def ref(self) -> str:
        return f"{self.session}\x1f{self.key}"

    @property
    def name_key(self) -> tuple[str, str]:
        """What a proposal by name compares: the name and the OPD, both normalised."""
        return normal_name(self.name), self.unit_key or normal_unit(self.unit)


class How(StrEnum):
    """How a person's sessions were joined."""

    NIP = "NIP"
    NAME = "nama+OPD dikonfirmasi"
    BOTH = "NIP dan nama+OPD dikonfirmasi"


@dataclass(frozen=True)
class Proposal:
    """Participants of several sessions with the same name and OPD and no NIP that tells
    them apart: perhaps one person, counted only once the facilitator confirms it."""

    key: str  # what a confirmation names (`cocok=<key>`)
    name: str  # as the latest of them wrote it
    unit: str
    attendees: tuple[Attendee, ...]  # in session order
    confirmed: bool = False

    @property
    def sessions(self) -> list[str]:
        return [a.session for a in self.attendees]


@dataclass(frozen=True)
class Change:
    """One figure from a person's first to their last session with a card of their own."""

    figure: Figure
    first: float | None
    last: float | None
    delta: float | None  # last − first, as shown (rounded); None: a value is missing
    direction: str  # "naik", "turun", "tetap", or "" when it cannot be said
    improved: bool | None  # None: unchanged, or cannot be said

    @property
    def text(self) -> str:
        if self.delta is None:
            return "tidak ada angka di salah satu sesi"
        if self.direction == "tetap":
            return "tetap"
        verdict = "membaik" if self.improved else "memburuk"
        return f"{self.direction} {amount(abs(self.delta), self.figure.unit, change=True)} " \
               f"({verdict})"


@dataclass(frozen=True)
class Person:
    """One person followed in two or more sessions."""

    attendances: tuple[Attendee | None, ...]  # one per session, in session order
    how: How
    changes: tuple[Change, ...] = ()  # empty: fewer than two sessions with own figures
    first: str = ""  # the sessions the changes are between
    last: str = ""

    @property
    def present(self) -> list[Attendee]:
        return [a for a in self.attendances if a is not None]

    @property
    def name(self) -> str:
        return self.present[-1].name

    @property
    def unit(self) -> str:
        return self.present[-1].unit

    @property
    def nip(self) -> str:
        return next((a.nip for a in reversed(self.present) if a.nip), "")

    def change(self, key: str) -> Change | None:
        return next((c for c in self.changes if c.figure.key == key), None)


@dataclass(frozen=True)
class PeopleOverTime:
    """The people of a comparison's sessions: those followed, proposals, and notes."""

    sessions: tuple[str, ...]
    people: tuple[Person, ...] = ()
    proposals: tuple[Proposal, ...] = ()
    notes: tuple[str, ...] = ()  # what could not be matched, and why
    ignored: int = 0  # confirmations that named no proposal
    teams: bool = False  # some session has no cards of people (mode tim)

    @property
    def pending(self) -> list[Proposal]:
        return [p for p in self.proposals if not p.confirmed]

    def count(self, how: How) -> int:
        return sum(p.how == how for p in self.people)

    def total_moves(self) -> dict[str, int]:
        """How many people's total went up, down or stayed (with two cards of their own)."""
        found = {"naik": 0, "turun": 0, "tetap": 0}
        for person in self.people:
            total = person.change("total")
            if total is not None and total.direction in found:
                found[total.direction] += 1
        return found

    @property
    def improved(self) -> int:
        """People whose total improved from their first to their last session."""
        return sum(bool(c and c.improved) for c in (p.change("total") for p in self.people))

    @property
    def summary(self) -> str:
        """One sentence: how many people were followed, and how their total moved."""
        if not self.people:
            text = ("Belum ada orang yang sama di dua sesi atau lebih. Isi kolom NIP di daftar "
                    "peserta tiap sesi agar orang yang sama dapat diikuti.")
        else:
            ways = [f"{self.count(how)} lewat {how.value}" for how in How if self.count(how)]
            moves = self.total_moves()
            compared = sum(moves.values())
            text = (f"{len(self.people)} orang diikuti di dua sesi atau lebih "
                    f"({', '.join(ways)}).")
            if compared:
                text += (f" Nilai total {moves['naik']} orang naik, {moves['turun']} turun, "
                         f"{moves['tetap']} tetap (dari {compared} orang dengan kartu "
                         "pribadi di dua sesi).")
            else:
                text += " Belum ada yang punya kartu pribadi di dua sesi, jadi perubahan belum " \
                        "dapat dihitung."
        if self.pending:
            text += (f" {len(self.pending)} usulan nama+OPD menunggu konfirmasi dan belum "
                     "dihitung.")
        return text


def parse_confirmations(values: Iterable[str]) -> tuple[frozenset[str], int]:
    """The match keys a request confirms, and how many values were not keys at all (or
    beyond MATCH_KEYS_MAX)."""
    keys: set[str] = set()
    bad = 0
    for value in values:
        text = (value or "").strip().lower()
        if MATCH_KEY.match(text) and len(keys) < MATCH_KEYS_MAX:
            keys.add(text)
        elif text:
            bad += 1
    return frozenset(keys), bad


def _match_key(name_key: tuple[str, str], attendees: Iterable[Attendee]) -> str:
    """A proposal's key: from its name, OPD and exactly who it joins, so a confirmation
    never carries over to a proposal that has changed since."""
    text = "\x1e".join([*name_key, *sorted(a.ref for a in attendees)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


class _Joined:
    """Union-find over bases (groups already known to be one person)."""

    def __init__(self, count: int) -> None:
        self.parent = list(range(count))

    def root(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int) -> None:
        self.parent[self.root(b)] = self.root(a)


@dataclass
class _Base:
    """Participants known to be one person before any name is confirmed: a NIP's, or one."""

    attendees: list[Attendee]
    nip: str | None = None  # the NIP key, if any
    by_nip: bool = False  # two or more sessions joined by that NIP


def _sessions(attendees: Iterable[Attendee]) -> list[str]:
    return [a.session for a in attendees]


def follow_people(sessions: Sequence[str], attendees: Sequence[Attendee],
                  confirmed: Collection[str] = (), confirm_all: bool = False,
                  ignored: int = 0) -> PeopleOverTime:
    """Group the sessions' participants into people (see the module's rules).

    `confirmed` holds the match keys the facilitator confirmed; `confirm_all` confirms every
    proposal (the command line's --match-names). `ignored` counts confirmations already
    refused by `parse_confirmations`; keys naming no proposal are added to it.
    """
    order = {name: i for i, name in enumerate(sessions)}
    known = sorted((a for a in attendees if a.session in order),
                   key=lambda a: (order[a.session], a.name_key, a.key))
    notes: list[str] = []

    # 1. The same NIP is the same person, unless one session has it twice.
    by_nip: dict[str, list[Attendee]] = {}
    for attendee in known:
        if attendee.nip:
            by_nip.setdefault(nip_key(attendee.nip), []).append(attendee)
    bases: list[_Base] = []
    for attendee in known:
        if not attendee.nip:
            bases.append(_Base([attendee]))
    for key, group in by_nip.items():
        doubled = sorted({s for s in _sessions(group) if _sessions(group).count(s) > 1},
                         key=order.__getitem__)
        if doubled:
            for session in doubled:
                names = ", ".join(f"«{a.name}»" for a in group if a.session == session)
                notes.append(f"NIP {group[0].nip} dipakai lebih dari satu peserta di sesi "
                             f"{session} ({names}): NIP ini tidak dipakai untuk mencocokkan.")
            bases.extend(_Base([a], key) for a in group)
        else:
            bases.append(_Base(group, key, by_nip=len(group) > 1))

    # 2. The same name and OPD, across sessions: a proposal, unless something says no.
    by_name: dict[tuple[str, str], list[int]] = {}
    for index, base in enumerate(bases):
        for name_key in dict.fromkeys(a.name_key for a in base.attendees):
            by_name.setdefault(name_key, []).append(index)
    proposals: list[tuple[Proposal, list[int]]] = []
    for name_key in sorted(by_name):
        members = by_name[name_key]
        if len(members) < 2:
            continue
        joined = [a for i in members for a in bases[i].attendees]
        joined.sort(key=lambda a: (order[a.session], a.key))
        shown = next(a for a in reversed(joined) if a.name_key == name_key)
        nips = {nip for i in members if (nip := bases[i].nip) is not None}
        sessions_seen = _sessions(joined)
        doubled = sorted({s for s in sessions_seen if sessions_seen.count(s) > 1},
                         key=order.__getitem__)
        if len(nips) > 1:
            notes.append(f"«{shown.name}» ({shown.unit}) tercatat dengan NIP berbeda di sesi "
                         "yang berbeda: dianggap orang yang berbeda, tidak diusulkan.")
            continue
        if doubled:
            notes.append(f"Ada lebih dari satu «{shown.name}» ({shown.unit}) di sesi "
                         f"{', '.join(doubled)}: tidak diusulkan. Isi NIP di daftar peserta "
                         "agar mereka dapat dibedakan.")
            continue
        key = _match_key(name_key, joined)
        proposals.append((Proposal(key, shown.name, shown.unit, tuple(joined),
                                   confirm_all or key in confirmed), members))

    # 3. Confirmed proposals join their bases, never two participants of one session.
    links = _Joined(len(bases))
    held = {i: _sessions(base.attendees) for i, base in enumerate(bases)}  # by root
    for proposal, members in proposals:
        if not proposal.confirmed:
            continue
        roots = sorted({links.root(i) for i in members})
        seen = [s for root in roots for s in held[root]]
        if len(seen) != len(set(seen)):
            notes.append(f"Usulan «{proposal.name}» ({proposal.unit}) tidak dapat digabung: "
                         "orang itu sudah dicocokkan dengan peserta lain di sesi yang sama.")
            continue
        for root in roots[1:]:
            links.join(roots[0], root)
            held[roots[0]] += held.pop(root)
    used = {p.key for p, _ in proposals}
    ignored += sum(key not in used for key in confirmed)

    # 4. Everyone found in two or more sessions, with their change.
    components: dict[int, list[int]] = {}
    for i in range(len(bases)):
        components.setdefault(links.root(i), []).append(i)
    people = []
    for indexes in components.values():
        present = sorted((a for i in indexes for a in bases[i].attendees),
                         key=lambda a: order[a.session])
        if len(present) < 2:
            continue
        named = len(indexes) > 1
        by_id = any(bases[i].by_nip for i in indexes)
        how = How.BOTH if named and by_id else How.NAME if named else How.NIP
        slots: list[Attendee | None] = [None] * len(sessions)
        for attendee in present:
            slots[order[attendee.session]] = attendee
        people.append(_person(tuple(slots), how))
    people.sort(key=lambda p: (normal_name(p.name), normal_unit(p.unit), p.nip,
                               p.present[0].ref))
    return PeopleOverTime(
        sessions=tuple(sessions), people=tuple(people),
        proposals=tuple(p for p, _ in proposals), notes=tuple(notes), ignored=ignored,
        teams=any(a.member is None for a in known))


# ------------------------------------------------------------------ how a figure moved


DIGITS = {"%": 1, "HK": 2, "": 1}  # as figures are shown; a smaller move is «tetap»


def amount(value: float, unit: str, change: bool = False) -> str:
    """A figure the Indonesian way: «72,5%», «0,75 HK», «2»; a change of a percentage is
    in «poin persen»."""
    text = f"{value:.{DIGITS.get(unit, 1)}f}"
    text = (text.rstrip("0").rstrip(".") if "." in text else text).replace(".", ",")
    if unit == "%":
        return f"{text} poin persen" if change else f"{text}%"
    return f"{text} {unit}" if unit else text


def change(figure: Figure, first: Member, last: Member) -> Change:
    """How `figure` moved from `first` to `last`, compared as shown (rounded by DIGITS):
    naik or turun, membaik when it moved the way `higher_is_better` says is better."""
    a, b = figure.value(first), figure.value(last)
    if a is None or b is None:
        return Change(figure, a, b, None, "", None)
    digits = DIGITS.get(figure.unit, 1)
    delta = round(round(b, digits) - round(a, digits), digits)
    if delta == 0:
        return Change(figure, a, b, 0.0, "tetap", None)
    up = delta > 0
    return Change(figure, a, b, delta, "naik" if up else "turun", up == figure.higher_is_better)


def _person(attendances: tuple[Attendee | None, ...], how: How) -> Person:
    carded = [a for a in attendances if a is not None and a.member is not None]
    if len(carded) < 2:
        return Person(attendances, how)
    first, last = carded[0], carded[-1]
    assert first.member is not None and last.member is not None  # noqa: S101 - filtered
    return Person(attendances, how, tuple(change(f, first.member, last.member)
                                          for f in FIGURES), first.session, last.session)
