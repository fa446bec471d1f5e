"""The refresher scenario: the traps one person fell into, practised again a week later.

From one person's reports, each with its answer key, the verdict on their decision and
their confidentiality errors (domain.traps says which traps a report sets and whether
they fell), a short solo scenario is written: 20 minutes of real time, feedback
langsung, mode individu, in the region and calendar of the original session, with
catalogue topics that set those traps and that the person did not receive. Someone who
fell into nothing gets a mixed refresher of every decision trap instead.

Everything in the file comes from its inputs (no clock, no randomness that is not
seeded by them), so the same session and person give the same file, byte for byte, on
every machine. The text is TOML in the scenario format (docs/scenario-format.md).
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import textwrap
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sandbox.domain.catalogue import Catalogue, Topic
from sandbox.domain.decisions import Verdict
from sandbox.domain.errors import DomainError
from sandbox.domain.numbers import SEED_MAX
from sandbox.domain.text import FORBIDDEN
from sandbox.domain.traps import DECISION_TRAPS, TRAPS, TRAPS_BY_KEY, fell, traps_of

DURATION_MINUTES = 20
# Four real minutes per HK, as the short shipped scenarios: 20 minutes are five HK, so
# the verification limit (3 HK) is 12 minutes and there is time to write a TL.
MINUTES_PER_HK = 4
REPORTS_MIN, REPORTS_MAX = 6, 8  # reports in one refresher
REPORTS_PER_SMALL_TRAP = 2  # of a trap the catalogue has only a topic or two for
FIRST_AT, LAST_AT = 1.0, 13.0  # real minutes of the first and the last report
CLOSING_AT = 17  # "three minutes left"
WEEK = timedelta(days=7)
ID_MAX = 80  # as a scenario id (and Exercise.scenario_id) allows
TITLE_MAX = 200
YEAR_MAX = 2100  # the last year a scenario's calendar handles (domain.scenario.YEARS)

_ORDER = {trap.key: n for n, trap in enumerate(TRAPS)}


class NothingToPractise(DomainError):
    """The person decided no report: there is nothing to build a refresher from."""


class TopicsGone(DomainError):
    """The catalogue no longer has a topic for any trap the person fell into."""


@dataclass(frozen=True)
class HandledReport:
    """One of the person's reports: its answer key, the verdict on their decision
    (domain.decisions) and how often they exposed the reporter on it (the report card)."""

    key: Mapping[str, Any]
    verdict: Verdict
    confidentiality_errors: int


@dataclass(frozen=True)
class FallenTrap:
    """A trap the person fell into: on how many reports, of how many that set it."""

    key: str
    falls: int
    received: int

    @property
    def label(self) -> str:
        return TRAPS_BY_KEY[self.key].label

    @property
    def lesson(self) -> str:
        return TRAPS_BY_KEY[self.key].lesson


@dataclass(frozen=True)
class Origin:
    """The session and person a refresher is for, as stored."""

    code: str  # the session's code
    title: str
    seed: int
    region: str  # the region file
    start: datetime  # the session's simulated start (local time of the region)
    results_at: datetime  # the simulated moment the results are taken at (the end)
    person: str
    unit_name: str
    number: int  # the person's number in the session (in the order they joined)
    office_hours: tuple[time, time] = (time(8, 0), time(16, 0))
    extra_holidays: tuple[date, ...] = ()  # the session's holidays beyond the shipped ones
    scenario: str | None = None  # the scenario the session ran, if any


@dataclass(frozen=True)
class Pick:
    """One report of the refresher: a catalogue topic and the trap it is there for.
    `reused` when the person received that topic already, or it comes twice here."""

    topic: str
    trap: str
    reused: bool = False


@dataclass(frozen=True)
class Refresher:
    """A refresher scenario and what it was built from."""

    id: str
    title: str
    traps: tuple[FallenTrap, ...]  # what the person fell into, most-fallen first
    practised: tuple[str, ...]  # the traps the reports set (the fallen ones with a topic)
    missing: tuple[str, ...]  # fallen traps no catalogue topic sets any more
    picks: tuple[Pick, ...]
    seed: int
    text: str  # the scenario file (TOML)

    @property
    def filename(self) -> str:
        return f"{self.id}.toml"

    @property
    def missing_labels(self) -> list[str]:
        return [TRAPS_BY_KEY[t].label for t in self.missing]

    @property
    def mixed(self) -> bool:
        """Whether the person fell into nothing, so every decision trap is practised."""
        return not self.traps


# ------------------------------------------------------------------ what they fell into


def handled_any(reports: Iterable[HandledReport]) -> bool:
    """Whether the person decided at least one report (a refresher needs something)."""
    return any(r.verdict != Verdict.BELUM for r in reports)


def fallen_traps(reports: Iterable[HandledReport]) -> list[FallenTrap]:
    """The traps the person fell into, most-fallen first (then in the order of TRAPS),
    each with how many of their reports set it (domain.traps.fell decides each one)."""
    falls: dict[str, int] = {}
    received: dict[str, int] = {}
    for report in reports:
        for trap in traps_of(report.key):
            received[trap] = received.get(trap, 0) + 1
            if fell(trap, report.verdict, report.confidentiality_errors):
                falls[trap] = falls.get(trap, 0) + 1
    return sorted((FallenTrap(trap, count, received[trap]) for trap, count in falls.items()),
                  key=lambda t: (-t.falls, _ORDER.get(t.key, len(_ORDER))))


def topic_traps(topic: Topic) -> tuple[str, ...]:
    """The traps a report of `topic` sets, as its answer key would (domain.traps): a
    duplicate is archived; a reporter of a reporter_anonim topic always asks anonymity."""
    return traps_of({"expected_action": "arsipkan" if topic.duplicate else topic.action,
                     "rahasia": topic.rahasia, "anonim": topic.anonim or topic.reporter_anonim})


# ------------------------------------------------------------------ names and numbers


def refresher_seed(session_seed: int, code: str, number: int) -> int:
    """The refresher's seed, from the session's seed and code and the person's number."""
    digest = hashlib.sha256(f"latihan-ulang:{code}:{session_seed}:{number}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % (SEED_MAX + 1)


def _slug(text: str) -> str:
    """Lower-case ASCII letters, digits and '-' of a name ("Siti Rahmawati" -> "siti-rahmawati")."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def refresher_id(code: str, number: int, person: str) -> str:
    """The scenario id (and file name): the session code, the person's number, their name."""
    base = f"latihan-ulang-{_slug(code) or 'sesi'}-{number}"
    name = _slug(person)
    if name:
        base = f"{base}-{name}"[:ID_MAX].rstrip("-")
    return base[:ID_MAX].rstrip("-")


def _line(text: str) -> str:
    """A stored text as one clean line: refused characters dropped, whitespace collapsed."""
    return " ".join(FORBIDDEN.sub("", text).split())


# ------------------------------------------------------------------ choosing topics


def _quota(traps: int, pool: int) -> int:
    """Reports of one of `traps` traps that `pool` topics set: about six in all, but no
    more than two of a trap with fewer topics than that (one topic six times teaches
    little)."""
    return min(-(-REPORTS_MIN // traps), max(REPORTS_PER_SMALL_TRAP, pool))


def _choose(traps: Sequence[str], catalogue: Catalogue, received: set[str],
            seed: int) -> tuple[list[Pick], list[str]]:
    """The refresher's reports, in arrival order: for each trap in turn, a topic that sets
    it and that the person did not receive (topics that set only practised traps first);
    a received topic (or one already picked) when no other is left. Also the traps no
    topic sets at all."""
    wanted = set(traps)
    pools: dict[str, list[Topic]] = {}
    missing = []
    for trap in traps:
        pool = sorted((t for t in catalogue.topics if not t.duplicate and trap in topic_traps(t)),
                      key=lambda t: t.id)
        if pool:
            pools[trap] = pool
        else:
            missing.append(trap)
    present = [trap for trap in traps if trap in pools]
    picks: list[Pick] = []
    if not present:
        return picks, missing
    chosen: set[str] = set()
    quotas = {trap: _quota(len(present), len(pools[trap])) for trap in present}
    for round_ in range(max(quotas.values())):
        for trap in present:
            if len(picks) >= REPORTS_MAX:
                return picks, missing
            if round_ >= quotas[trap]:
                continue
            rng = random.Random(f"{seed}:{trap}:{round_}")  # noqa: S311 - a simulation
            pool = pools[trap]
            fresh = [t for t in pool if t.id not in received and t.id not in chosen]
            clean = [t for t in fresh if set(topic_traps(t)) <= wanted]
            if clean or fresh:
                topic = rng.choice(clean or fresh)
                picks.append(Pick(topic.id, trap))
            else:
                topic = rng.choice(pool)
                picks.append(Pick(topic.id, trap, reused=True))
            chosen.add(topic.id)
    return picks, missing


# ------------------------------------------------------------------ the file


def _string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)


def _multiline(text: str) -> str:
    """A TOML multi-line basic string, every backslash and quote escaped."""
    body = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"""\n{body}"""'


def _minutes(value: float) -> str:
    return f"{value:g}"


def _at(index: int, count: int) -> float:
    """When report `index` of `count` arrives: evenly from FIRST_AT to LAST_AT, by half
    minutes."""
    if count == 1:
        return FIRST_AT
    return round(2 * (FIRST_AT + (LAST_AT - FIRST_AT) * index / (count - 1))) / 2


def _wrap(text: str) -> str:
    """Lines of at most 78 characters; a list item's lines indented under its text."""
    return "\n".join(textwrap.fill(line, 78, break_on_hyphens=False, break_long_words=False,
                                   subsequent_indent="  " if line.startswith("- ") else "")
                     for line in text.split("\n"))


def _description(origin: Origin, fallen: Sequence[FallenTrap], practised: Sequence[str],
                 missing: Sequence[str], picks: Sequence[Pick]) -> str:
    person, title = _line(origin.person), _line(origin.title)
    unit = _line(origin.unit_name)
    who = f"{person} ({unit})" if unit else person
    lines = [f"Latihan ulang pribadi {DURATION_MINUTES} menit untuk {who}, peserta "
             f"{origin.number} sesi {origin.code} «{title}». Umpan balik langsung: kunci "
             f"jawaban tampil setelah setiap keputusan. Ada {len(picks)} laporan baru."]
    if fallen:
        lines.append("Jebakan yang terlewat di sesi itu, yang paling sering lebih dulu:")
        lines += [f"- {t.label} ({t.falls} dari {t.received} laporan): {t.lesson}"
                  for t in fallen]
        lines.append("Setiap laporan di sini memasang salah satu jebakan itu, dengan topik "
                     "yang belum pernah diterima di sesi itu.")
    else:
        lines.append("Di sesi itu tidak ada jebakan yang terlewat. Latihan ini campuran "
                     "semua jenis jebakan keputusan, dengan topik yang belum pernah "
                     "diterima di sesi itu:")
        lines += [f"- {TRAPS_BY_KEY[t].label}: {TRAPS_BY_KEY[t].lesson}" for t in practised]
    reused = [t for t in practised if any(p.reused and p.trap == t for p in picks)]
    if reused:
        lines.append("Untuk " + ", ".join(f"«{TRAPS_BY_KEY[t].label}»" for t in reused)
                     + " katalog tidak punya topik lain lagi: laporannya sejenis dengan yang "
                     "pernah dikerjakan, dengan pelapor, tempat dan kata-kata yang berbeda.")
    if missing:
        lines.append("Tidak dilatih karena katalog wilayah ini tidak lagi punya topiknya: "
                     + ", ".join(f"«{TRAPS_BY_KEY[t].label}»" for t in missing) + ".")
    return _wrap("\n".join(lines)) + "\n"


def _title(origin: Origin, fallen: Sequence[FallenTrap], practised: Sequence[str]) -> str:
    person = _line(origin.person)
    if fallen:
        what = "; ".join(TRAPS_BY_KEY[t].label for t in practised)
        text = f"Latihan ulang {person}: {what}"
    else:
        text = f"Latihan ulang {person}: campuran semua jebakan keputusan"
    return text if len(text) <= TITLE_MAX else text[:TITLE_MAX - 1].rstrip() + "…"


def _start(origin: Origin) -> datetime:
    """A week after the session's simulated start, at the opening of the office."""
    day = origin.start.date()
    if (day + WEEK).year <= YEAR_MAX:
        day += WEEK
    return datetime.combine(day, origin.office_hours[0])


def build_refresher(origin: Origin, reports: Sequence[HandledReport],
                    catalogue: Catalogue) -> Refresher:
    """The refresher scenario of one person (see the module docstring).

    NothingToPractise when they decided no report; TopicsGone when no topic of the
    catalogue sets any trap they fell into any more.
    """
    if not handled_any(reports):
        raise NothingToPractise(
            "Belum ada laporan yang diputuskan (disposisi, kelola sendiri, tunda, arsip atau "
            "bukan wewenang) di sesi ini, jadi belum ada bahan untuk latihan ulang.")
    fallen = fallen_traps(reports)
    traps = [t.key for t in fallen] or list(DECISION_TRAPS)
    received = {str(r.key.get("topic") or "") for r in reports}
    seed = refresher_seed(origin.seed, origin.code, origin.number)
    picks, missing = _choose(traps, catalogue, received, seed)
    if not picks:
        names = ", ".join(f"«{TRAPS_BY_KEY[t].label}»" for t in missing)
        raise TopicsGone(
            f"Katalog wilayah {catalogue.region.name} sudah berubah: tidak ada lagi topik "
            f"laporan untuk jebakan {names}, jadi latihan ulang tidak dapat dibuat. Minta "
            "fasilitator memeriksa katalog (lapor-sandbox catalogue check).")
    practised = [t for t in traps if t not in missing]
    scenario_id = refresher_id(origin.code, origin.number, origin.person)
    title = _title(origin, fallen, practised)
    text = _render(origin, scenario_id, title, seed, fallen, practised, missing, picks)
    return Refresher(scenario_id, title, tuple(fallen), tuple(practised), tuple(missing),
                     tuple(picks), seed, text)


def _render(origin: Origin, scenario_id: str, title: str, seed: int,
            fallen: Sequence[FallenTrap], practised: Sequence[str], missing: Sequence[str],
            picks: Sequence[Pick]) -> str:
    person = _line(origin.person)
    unit = _line(origin.unit_name)
    opening, closing = origin.office_hours
    fell_into = ", ".join(f"{t.label} ({t.falls} kali)" for t in fallen) or \
        "tidak ada (latihan campuran)"
    source = f", skenario {origin.scenario}" if origin.scenario else ""
    out = [
        f"# Latihan ulang untuk {person}{f' ({unit})' if unit else ''}, peserta "
        f"{origin.number} sesi {origin.code} «{_line(origin.title)}»{source}.",
        f"# Dibuat dari hasil sesi per {origin.results_at:%Y-%m-%d %H:%M} (waktu simulasi sesi).",
        f"# Jebakan yang terlewat: {fell_into}.",
        f"# Jalankan di server lain: simpan sebagai scenarios/{scenario_id}.toml, lalu "
        f"lapor-sandbox scenario check.",
        "format = 1",
        "",
        "[scenario]",
        f"id = {_string(scenario_id)}",
        f"title = {_string(title)}",
        f"description = {_multiline(_description(origin, fallen, practised, missing, picks))}",
        "goals = [",
        *(f"  {_string(TRAPS_BY_KEY[t].lesson)}," for t in practised),
        "]",
        f"duration_minutes = {DURATION_MINUTES}",
        f"minutes_per_hk = {MINUTES_PER_HK}",
        f"region = {_string(origin.region)}",
        f"seed = {seed}",
        'mode = "individu"',
        f"start = {_start(origin).isoformat()}",
        f'office_hours = ["{opening:%H:%M}", "{closing:%H:%M}"]',
        f"extra_holidays = [{', '.join(d.isoformat() for d in sorted(origin.extra_holidays))}]",
        'feedback = "langsung"',
        "",
        "[reporter]",
        'tunda_reply = "1 HK"',
        'respond_after = "0.5 HK"',
        'accept = "if_concrete"',
        "chase = false",
        'rating = "by_answer"',
        "",
        "[[timeline]]",
        'id = "pembukaan"',
        'at = "+0 menit"',
        'note_for = "peserta"',
        "note = " + _string(
            f"Latihan ulang {DURATION_MINUTES} menit: {len(picks)} laporan datang sampai "
            f"menit ke-{_minutes(LAST_AT)}. Baca setiap laporan sampai habis sebelum "
            "memutuskan, lalu tulis TL yang konkret."),
    ]
    for index, pick in enumerate(picks):
        out += ["", "[[timeline]]", f'id = "laporan-{index + 1}"',
                f'at = "+{_minutes(_at(index, len(picks)))} menit"',
                f"topics = [{_string(pick.topic)}]"]
        if pick.reused:
            out += ['note_for = "peserta"',
                    "note = " + _string("Laporan berikut sejenis dengan laporan yang pernah "
                                        "Anda kerjakan (katalog tidak punya topik lain), "
                                        "tetapi pelapor, tempat dan kata-katanya berbeda.")]
    out += ["", "[[timeline]]", 'id = "penutup"', f'at = "+{CLOSING_AT} menit"',
            'note_for = "peserta"',
            "note = " + _string(f"{DURATION_MINUTES - CLOSING_AT} menit lagi: selesaikan TL "
                                "dan periksa sekali lagi kerahasiaan setiap laporan."),
            ""]
    return "\n".join(out)
