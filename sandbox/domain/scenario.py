"""Scenario files: schema, validation with line numbers, and timeline expansion.

A scenario (docs/scenario-format.md) is checked completely before anything is
used: every problem is collected with its file, line, field and an Indonesian
message, and a file with problems is never half-loaded. A valid scenario plus
its seed expands into a fixed schedule of complaints, the same on every machine.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from itertools import accumulate
from pathlib import Path
from typing import Any

from sandbox.domain import tomlfile
from sandbox.domain.catalogue import (
    CHANNELS,
    CODE_RE,
    EXPECTED_ACTIONS,
    KECAMATAN_REF,
    Catalogue,
    Topic,
    Unit,
)
from sandbox.domain.clock import Calendar
from sandbox.domain.decisions import wrongly_disposed
from sandbox.domain.disclosure import NoteAudience
from sandbox.domain.errors import DomainError
from sandbox.domain.fields import parse_clock
from sandbox.domain.generator import GeneratedComplaint, generate
from sandbox.domain.learning import Phase, parse_phase
from sandbox.domain.messiness import DEFAULT_MESSINESS
from sandbox.domain.numbers import SEED_MAX
from sandbox.domain.scoring import Dimension, ScoringSettings
from sandbox.domain.simulation import ACCEPT_RULES, RATING_RULES, ReporterScript
from sandbox.domain.sla import DEFAULT_COMPLETION, SlaSettings
from sandbox.domain.text import forbidden_character, printable
from sandbox.domain.traps import decision_trap
from sandbox.domain.traps import label as trap_label
from sandbox.domain.workflow import KATEGORI_LABELS, ArchiveReason, Klasifikasi

FORMAT_VERSION = 1
OPD_MODE = "opd"  # each trainee the admin penghubung of their own OPD
TEAM_MODE = "tim"  # a team shares its reports: one Admin Instansi, several admin penghubung
MODES = ("individu", OPD_MODE, TEAM_MODE)
TEAM_SEATS_MAX = 12
FEEDBACK = ("langsung", "akhir")
NEVER = "never"
# Sane bounds that keep every later computation finite: the slowest speed a session can
# run at, the longest reporter delay, the years the calendar and the database handle,
# and how many reports one session may hold.
PER_HK_MIN = 0.1
DURATION_MAX_HK = 365
YEARS = (2000, 2100)
COMPLAINTS_MAX = 2000
# Mode OPD: the most a scenario may set for the share of wrong dispositions (beyond half,
# sending back becomes the job instead of the lesson), the longest delay of the simulated
# Admin Instansi, and the most reports one timeline entry brings.
WRONG_SHARE_MAX = 0.5
ADMIN_DELAY_MAX_HK = 3.0
OPD_ENTRY_MAX = 50
# A wrong disposition is drawn this many times more often from topics that share a kategori
# with the trainee's own OPD: a real Admin Instansi confuses neighbours (PDAM and Dinas PUPR)
# more often than Dinas Kesehatan and Samsat. With the shipped catalogue about a third of the
# wrong dispositions are such near misses.
NEAR_MISS_WEIGHT = 8.0

# Numbers in texts are ASCII digits only ([0-9], not \d, which takes any script's digits).
_NUMBER = r"([0-9]{1,9}(?:[.,][0-9]{1,9})?)"
_DURATION = re.compile(rf"^\s*{_NUMBER}\s*(hk|jam|menit)\s*$", re.IGNORECASE)
_AT = re.compile(rf"^\s*\+\s*{_NUMBER}\s*menit\s*$", re.IGNORECASE)
_MINUTES = re.compile(rf"^\s*{_NUMBER}\s*menit\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}"


class ScenarioError(DomainError):
    """A scenario file has problems; `problems` lists every one of them."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        # In file order, so a facilitator can fix them from the top; stable for ties.
        self.problems = sorted(problems, key=lambda p: p.line or 0)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class HandComplaint:
    """A complaint written in the scenario file itself, with its own answer key."""

    id: str
    topic: Topic


@dataclass(frozen=True)
class Entry:
    """One [[timeline]] entry."""

    index: int
    at_minutes: float | None
    at_sim: datetime | None
    topics: tuple[str, ...] = ()
    kategori: str | None = None
    count: int = 0
    random: int = 0
    complaint: HandComplaint | None = None
    over_minutes: float = 0.0
    reporter: Mapping[str, Any] = field(default_factory=dict)
    note: str | None = None
    id: str | None = None
    note_for: NoteAudience = NoteAudience.FASILITATOR
    opd: int = 0  # mode opd: reports the simulated Admin Instansi disposes to the trainee
    tes: Phase | None = None  # the entry's reports are the tes awal's or the tes akhir's


@dataclass(frozen=True)
class OpdSettings:
    """[opd]: how the simulated Admin Instansi of mode opd disposes (delays in HK)."""

    wrong_share: float = 0.2
    admin_delay: float = 0.25
    redispose_delay: float = 0.25


@dataclass(frozen=True)
class TeamSettings:
    """[tim]: the seats of every team (groups of OPD codes, one admin penghubung each),
    and the simulated teammates who play the seats nobody sits in."""

    seats: tuple[tuple[str, ...], ...] = ()
    skill: float = 0.7  # chance a teammate's decision is right
    delay: float = 0.25  # HK a teammate takes to act

    def to_dict(self) -> dict[str, Any]:
        return {"kursi": [list(group) for group in self.seats], "skill": self.skill,
                "delay": self.delay}


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    description: str
    goals: tuple[str, ...]
    duration_minutes: float
    minutes_per_hk: float
    region: str
    seed: int
    start: datetime
    mode: str = "individu"
    office_hours: tuple[time, time] = (time(8, 0), time(16, 0))
    extra_holidays: tuple[date, ...] = ()
    feedback: str = "akhir"
    sla: SlaSettings = field(default_factory=SlaSettings)
    scoring: ScoringSettings = field(default_factory=ScoringSettings)
    reporter: ReporterScript = field(default_factory=ReporterScript)
    timeline: tuple[Entry, ...] = ()
    source: str = ""
    opd: OpdSettings = field(default_factory=OpdSettings)
    tim: TeamSettings = field(default_factory=TeamSettings)
    messiness: float = DEFAULT_MESSINESS  # [teks] berantakan: how messy the reports read

    def calendar(self, holidays: frozenset[date]) -> Calendar:
        """The working-day calendar of this scenario on top of the shipped holidays."""
        return Calendar(office_start=self.office_hours[0], office_end=self.office_hours[1],
                        holidays=holidays | frozenset(self.extra_holidays))

    def sim_offset(self, minutes: float, calendar: Calendar) -> datetime:
        """The simulated moment `minutes` real minutes after the start at nominal speed."""
        start = calendar.next_working_moment(self.start)
        return calendar.add_working(start, calendar.day_length * (minutes / self.minutes_per_hk))


# ------------------------------------------------------------------ line numbers


class _Lines:
    """Finds the line of a table or key in the raw text, for messages a person can act on."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        # Lines inside multi-line strings are text, never headers or keys.
        self.in_string: list[bool] = []
        open_quote: str | None = None
        for line in self.lines:
            self.in_string.append(open_quote is not None)
            for quote in ('"""', "'''"):
                if open_quote in (None, quote) and line.count(quote) % 2 == 1:
                    open_quote = None if open_quote == quote else quote

    def _code(self, number: int) -> bool:
        return not self.in_string[number - 1]

    def header(self, name: str, occurrence: int = 1, after: int = 0) -> int | None:
        pattern = re.compile(rf"^\s*\[{{1,2}}\s*{re.escape(name)}\s*\]{{1,2}}")
        seen = 0
        for number, line in enumerate(self.lines[after:], after + 1):
            if self._code(number) and pattern.match(line):
                seen += 1
                if seen == occurrence:
                    return number
        return None

    def key(self, key: str, start: int | None) -> int | None:
        """The line of `key = ...` in the table starting at line `start` (None: top level)."""
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        begin = start or 0
        for number, line in enumerate(self.lines[begin:], begin + 1):
            if not self._code(number):
                continue
            if number > begin + 1 and line.lstrip().startswith("["):
                break
            if pattern.match(line):
                return number
        return start


# ------------------------------------------------------------------ checking


class _Check:
    """Collects problems for one table of the file."""

    def __init__(self, problems: list[Problem], source: str, lines: _Lines, prefix: str,
                 table: Mapping[str, Any], allowed: set[str], start: int | None) -> None:
        self.problems, self.source, self.lines = problems, source, lines
        self.prefix, self.table, self.start = prefix, table, start
        for key in sorted(set(table) - allowed):
            self.fail(key, "kunci tidak dikenal (salah ketik?)")

    def fail(self, key: str, message: str) -> None:
        line = self.lines.key(key.split(".")[0], self.start) if key else self.start
        name = f"{self.prefix}{printable(key)}" if key else self.prefix.rstrip(".")
        self.problems.append(Problem(self.source, line, name, message))

    def get(self, key: str, kinds: type | tuple[type, ...], kind_name: str, *,
            required: bool = True) -> Any:
        value = self.table.get(key)
        if value is None:
            if required:
                self.fail(key, "wajib diisi")
            return None
        if isinstance(value, bool) and bool not in (kinds if isinstance(kinds, tuple)
                                                    else (kinds,)):
            self.fail(key, f"harus {kind_name}, bukan true/false")
            return None
        if not isinstance(value, kinds):
            self.fail(key, f"harus {kind_name} (tertulis: {value!r:.60})")
            return None
        return value

    def text(self, key: str, *, required: bool = True, maximum: int = 5000) -> str | None:
        value = self.get(key, str, "teks", required=required)
        if value is not None and not value.strip():
            self.fail(key, "tidak boleh kosong")
            return None
        if value is not None and (found := forbidden_character(value)):
            self.fail(key, f"berisi karakter yang tidak diizinkan {found}")
            return None
        if value is not None and len(value.strip()) > maximum:
            self.fail(key, f"terlalu panjang ({len(value.strip())} karakter, maksimal "
                           f"{maximum})")
            return None
        return value.strip() if value is not None else None

    def number(self, key: str, *, required: bool = True, minimum: float = 0,
               maximum: float, above: bool = True) -> float | None:
        value = self.get(key, (int, float), "angka", required=required)
        if value is None:
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.fail(key, f"harus angka biasa, bukan {value!r}")
            return None
        if (above and value <= minimum) or (not above and value < minimum):
            limit = f"lebih dari {minimum:g}" if above else f"paling sedikit {minimum:g}"
            self.fail(key, f"harus {limit} (tertulis: {_number(value)})")
            return None
        if value > maximum:
            self.fail(key, f"paling besar {maximum:g} (tertulis: {_number(value)})")
            return None
        return float(value)

    def strings(self, key: str, *, required: bool = False) -> tuple[str, ...]:
        value = self.get(key, list, "daftar teks [...]", required=required)
        if value is None:
            return ()
        if not all(isinstance(item, str) and item.strip() for item in value):
            self.fail(key, "setiap isi daftar harus teks yang tidak kosong")
            return ()
        for item in value:
            if found := forbidden_character(item):
                self.fail(key, f"berisi karakter yang tidak diizinkan {found}")
                return ()
        return tuple(item.strip() for item in value)


def _number(value: float) -> str:
    """A number from the file for a message; an integer too large for a float stays whole."""
    if isinstance(value, int) and abs(value) >= 10**15:
        digits = str(abs(value))
        return f"{'-' if value < 0 else ''}{digits[:6]}… ({len(digits)} angka)"
    return f"{value:g}"


def parse_duration(value: Any) -> float | None | str:
    """A duration in HK from "1 HK", "3 jam", "30 menit"; None for "never"; else an error."""
    if isinstance(value, str) and value.strip().lower() == NEVER:
        return None
    match = _DURATION.match(value) if isinstance(value, str) else None
    if match is None:
        return 'harus seperti "1 HK", "3 jam", "30 menit" atau "never"'
    amount = float(match.group(1).replace(",", "."))
    unit = match.group(2).lower()
    # One HK is 8 working hours; a different office day is rescaled by the calendar anyway.
    days = amount if unit == "hk" else amount / 8 if unit == "jam" else amount / 480
    if days > DURATION_MAX_HK:
        return f"paling lama {DURATION_MAX_HK} HK (tertulis: {value.strip()[:40]!r})"
    return days


def _reporter(check: _Check, base: ReporterScript) -> ReporterScript:
    values = base.to_dict()
    for key in ("tunda_reply", "respond_after"):
        if key in check.table:
            parsed = parse_duration(check.table[key])
            if isinstance(parsed, str):
                check.fail(key, parsed)
            else:
                values[key] = parsed
    for key, allowed in (("accept", ACCEPT_RULES), ("rating", RATING_RULES)):
        if key in check.table:
            value = check.table[key]
            if value not in allowed:
                check.fail(key, f"harus salah satu dari {', '.join(allowed)} "
                                f"(tertulis: {value!r:.40})")
            else:
                values[key] = value
    if "chase" in check.table:
        if not isinstance(check.table["chase"], bool):
            check.fail("chase", "harus true atau false")
        else:
            values["chase"] = check.table["chase"]
    return ReporterScript.from_dict(values)


RegionLoader = Callable[[str], Catalogue]

_SCENARIO_KEYS = {"id", "title", "description", "goals", "duration_minutes", "minutes_per_hk",
                  "region", "seed", "mode", "start", "office_hours", "extra_holidays", "feedback"}
_SLA_KEYS = {"verifikasi", "tindak_lanjut", "jendela_pelapor", "kuning", "penyelesaian"}
_REPORTER_KEYS = {"tunda_reply", "respond_after", "accept", "chase", "rating"}
_ENTRY_KEYS = {"at", "topics", "kategori", "count", "random", "complaint", "over", "reporter",
               "note", "note_for", "id", "opd", "tes"}
# The entry keys that pick reports by topic: mode individu only.
_PICKED_KEYS = ("topics", "kategori", "count", "random", "complaint")
_COMPLAINT_KEYS = {"id", "text", "channel", "expected_action", "target", "acceptable", "partial",
                   "klasifikasi", "kategori", "rahasia", "anonim", "explanation",
                   "archive_reason", "question_hint", "tunda_answer", "reporter_anonim"}


def parse_scenario(text: str, source: str, load_region: RegionLoader,
                   holidays: frozenset[date] = frozenset()) -> Scenario:
    """Check a scenario's text completely and return it; ScenarioError lists every problem."""
    problems: list[Problem] = []
    try:
        data = tomlfile.parse(text)
    except tomlfile.UnreadableToml as error:
        raise ScenarioError([Problem(source, error.line, "TOML", error.message)]) from None
    lines = _Lines(text)
    top = _Check(problems, source, lines, "", data,
                 {"format", "scenario", "sla", "scoring", "reporter", "timeline", "opd", "tim",
                  "teks"}, None)
    if type(data.get("format")) is not int or data.get("format") != FORMAT_VERSION:
        top.fail("format", f"harus {FORMAT_VERSION} (tertulis: {data.get('format')!r:.40})")

    meta_table = data.get("scenario")
    if not isinstance(meta_table, dict):
        top.fail("scenario", "tabel [scenario] wajib ada")
        meta_table = {}
    meta = _Check(problems, source, lines, "scenario.", meta_table, _SCENARIO_KEYS,
                  lines.header("scenario"))
    scenario_id = meta.text("id", maximum=80)
    if scenario_id and not CODE_RE.match(scenario_id):
        meta.fail("id", "hanya huruf kecil, angka dan '-'")
    stem = Path(source).stem
    if scenario_id and stem and scenario_id != stem and Path(source).suffix == ".toml":
        meta.fail("id", f"harus sama dengan nama file «{stem}»")
    title = meta.text("title", maximum=200)
    description = meta.text("description")
    goals = meta.strings("goals", required=True)
    if meta_table.get("goals") == []:
        meta.fail("goals", "minimal satu tujuan belajar")
    duration = meta.number("duration_minutes", minimum=1, above=False, maximum=480)
    per_hk = meta.number("minutes_per_hk", maximum=600)
    if per_hk is not None and per_hk < PER_HK_MIN:
        meta.fail("minutes_per_hk", f"paling sedikit {PER_HK_MIN:g} (tertulis: {per_hk:g})")
        per_hk = None
    seed = meta.get("seed", int, "bilangan bulat")
    if seed is not None and seed < 0:
        meta.fail("seed", "tidak boleh negatif")
        seed = None
    elif seed is not None and seed > SEED_MAX:
        meta.fail("seed", f"paling besar {SEED_MAX} (tertulis: {_number(seed)})")
        seed = None
    mode = meta_table.get("mode", "individu")
    if mode not in MODES:
        meta.fail("mode", f"harus salah satu dari {', '.join(MODES)}")
    feedback = meta_table.get("feedback", "akhir")
    if feedback not in FEEDBACK:
        meta.fail("feedback", "harus langsung atau akhir")
    start = meta.get("start", datetime, "tanggal-waktu seperti 2026-03-02T08:00:00")
    if start is not None and start.tzinfo is not None:
        meta.fail("start", "tulis waktu setempat tanpa zona (mis. 2026-03-02T08:00:00)")
        start = None
    elif start is not None and not YEARS[0] <= start.year <= YEARS[1]:
        meta.fail("start", f"tahun harus {YEARS[0]} sampai {YEARS[1]}")
        start = None
    office = (time(8, 0), time(16, 0))
    if "office_hours" in meta_table:
        value = meta_table["office_hours"]
        if (not isinstance(value, list) or len(value) != 2
                or not all(parse_clock(v) is not None for v in value)):
            meta.fail("office_hours", 'harus ["08:00", "16:00"]')
        else:
            opening, closing = (time(int(v[:2]), int(v[3:])) for v in value)
            if opening >= closing:
                meta.fail("office_hours", "jam buka harus sebelum jam tutup")
            else:
                office = (opening, closing)
    extra = meta.get("extra_holidays", list, "daftar tanggal", required=False) or []
    if not all(isinstance(d, date) and not isinstance(d, datetime) for d in extra):
        meta.fail("extra_holidays", "setiap isi harus tanggal seperti 2026-03-04")
        extra = []

    catalogue: Catalogue | None = None
    region = meta.text("region", maximum=200)
    if region:
        try:
            catalogue = load_region(region)
        except DomainError as error:
            first = error.message.splitlines()
            meta.fail("region", f"wilayah «{region}» tidak dapat dipakai: "
                                f"{first[-1].removeprefix('- ') if first else error.message}")
        except (OSError, ValueError):  # a name the file system cannot even look up
            meta.fail("region", f"wilayah «{region[:60]}» tidak dapat dipakai: nama file "
                                "tidak dapat dibuka")

    if mode == OPD_MODE and catalogue is not None and not opd_units(catalogue):
        meta.fail("mode", f"wilayah {catalogue.region.name} tidak punya OPD yang dapat dipilih "
                          "peserta (unit Pemda yang menjadi tujuan disposisi suatu topik)")

    sla = _parse_sla(data, problems, source, lines)
    scoring = _parse_scoring(data, problems, source, lines)
    opd = _parse_opd(data, problems, source, lines, mode)
    tim = _parse_tim(data, problems, source, lines, mode, catalogue)
    reporter_table = data.get("reporter", {})
    if not isinstance(reporter_table, dict):
        top.fail("reporter", "harus tabel [reporter]")
        reporter_table = {}
    reporter = _reporter(_Check(problems, source, lines, "reporter.", reporter_table,
                                _REPORTER_KEYS, lines.header("reporter")), ReporterScript())
    messiness = _parse_teks(data, problems, source, lines)

    timeline_raw = data.get("timeline", [])
    if not isinstance(timeline_raw, list) or not all(isinstance(e, dict) for e in timeline_raw):
        top.fail("timeline", "harus [[timeline]] (daftar tabel)")
        timeline_raw = []
    if not timeline_raw:
        top.fail("timeline", "minimal satu [[timeline]]")
    calendar = Calendar(office[0], office[1], holidays=holidays | frozenset(extra))
    end_sim = None
    if start is not None and duration and per_hk:
        first_moment = calendar.next_working_moment(start)
        end_sim = calendar.add_working(first_moment, calendar.day_length * (duration / per_hk))
    entries = []
    seen_ids: dict[str, int] = {}
    for number, raw in enumerate(timeline_raw, 1):
        entry = _parse_entry(number, raw, problems, source, lines, catalogue, duration,
                             start, end_sim, seen_ids, mode)
        if entry is not None:
            entries.append(entry)
    if catalogue is not None:
        _check_tests(entries, problems, source, lines, catalogue)
    total = sum(len(e.topics) + e.count + e.random + (e.complaint is not None) + e.opd
                for e in entries)
    if total > COMPLAINTS_MAX:
        top.fail("timeline", f"terlalu banyak laporan ({total}, paling banyak "
                             f"{COMPLAINTS_MAX} per peserta)")

    if problems:
        raise ScenarioError(problems)
    assert scenario_id and title and description and region  # checked above
    assert duration and per_hk and seed is not None and start is not None
    return Scenario(
        id=scenario_id, title=title, description=description, goals=goals,
        duration_minutes=duration, minutes_per_hk=per_hk, region=region, seed=seed,
        start=start, mode=mode, office_hours=office, extra_holidays=tuple(extra),
        feedback=feedback, sla=sla, scoring=scoring, reporter=reporter,
        timeline=tuple(entries),
        source=source, opd=opd, tim=tim, messiness=messiness,
    )


def _parse_sla(data: Mapping[str, Any], problems: list[Problem], source: str,
               lines: _Lines) -> SlaSettings:
    table = data.get("sla", {})
    if not isinstance(table, dict):
        problems.append(Problem(source, lines.key("sla", None), "sla", "harus tabel [sla]"))
        return SlaSettings()
    check = _Check(problems, source, lines, "sla.", table, _SLA_KEYS, lines.header("sla"))
    values: dict[str, Any] = {}
    for key in ("verifikasi", "tindak_lanjut", "jendela_pelapor"):
        number = check.number(key, required=False, maximum=365)
        if number is not None:
            values[key] = number
    yellow = check.number("kuning", required=False, maximum=0.99)
    if yellow is not None:
        values["kuning"] = yellow
    completion = dict(DEFAULT_COMPLETION)
    sub = table.get("penyelesaian", {})
    if not isinstance(sub, dict):
        check.fail("penyelesaian", "harus tabel [sla.penyelesaian]")
    else:
        inner = _Check(problems, source, lines, "sla.penyelesaian.", sub,
                       {k.value for k in Klasifikasi}, lines.header("sla.penyelesaian"))
        for key in sub:
            if key in completion:
                number = inner.number(key, maximum=365)
                if number is not None:
                    completion[key] = number
    values["penyelesaian"] = completion
    return SlaSettings(**values)


def _parse_teks(data: Mapping[str, Any], problems: list[Problem], source: str,
                lines: _Lines) -> float:
    """[teks] berantakan: how messy the generated reports read, 0 (clean) to 1."""
    table = data.get("teks", {})
    line = lines.header("teks") or lines.key("teks", None)
    if not isinstance(table, dict):
        problems.append(Problem(source, line, "teks", "harus tabel [teks]"))
        return DEFAULT_MESSINESS
    check = _Check(problems, source, lines, "teks.", table, {"berantakan"}, line)
    value = table.get("berantakan", DEFAULT_MESSINESS)
    if isinstance(value, bool) or not isinstance(value, int | float) \
            or not math.isfinite(value) or not 0 <= value <= 1:
        written = str(value).lower() if isinstance(value, bool) else repr(value)
        check.fail("berantakan", "harus angka dari 0 (teks rapi) sampai 1 (sangat berantakan), "
                                 f"mis. {DEFAULT_MESSINESS} (tertulis: {written:.40})")
        return DEFAULT_MESSINESS
    return float(value)


_OPD_KEYS = {"salah_disposisi", "jeda_admin", "jeda_disposisi_ulang"}


def _mode_table(data: Mapping[str, Any], problems: list[Problem], source: str,
                lines: _Lines, name: str, mode: Any) -> Mapping[str, Any] | None:
    """The table of a mode's own settings ([opd], [tim]), if the file has one and uses
    that mode; a table of another mode, or not a table, is a problem on its line."""
    if name not in data:
        return None
    table = data[name]
    line = lines.header(name) or lines.key(name, None)
    if not isinstance(table, dict):
        problems.append(Problem(source, line, name, f"harus tabel [{name}]"))
        return None
    if mode != name:
        problems.append(Problem(source, line, name, f'tabel [{name}] hanya dipakai bersama '
                                                    f'mode = "{name}" di [scenario]'))
        return None
    return table
_TIM_KEYS = {"kursi", "keterampilan_rekan", "jeda_rekan"}


def _parse_tim(data: Mapping[str, Any], problems: list[Problem], source: str, lines: _Lines,
               mode: Any, catalogue: Catalogue | None) -> TeamSettings:
    """[tim]: the seats of mode tim and its simulated teammates; required in that mode."""
    if "tim" not in data and mode == TEAM_MODE:
        problems.append(Problem(source, lines.key("mode", lines.header("scenario")), "tim",
                                'mode = "tim" memerlukan tabel [tim] dengan kursi = '
                                '[["kode-opd"], ...]'))
    table = _mode_table(data, problems, source, lines, TEAM_MODE, mode)
    if table is None:
        return TeamSettings()
    check = _Check(problems, source, lines, "tim.", table, _TIM_KEYS, lines.header("tim"))
    raw = table.get("kursi")
    seats: list[tuple[str, ...]] = []
    if (not isinstance(raw, list) or not raw or not all(
            isinstance(g, list) and g and all(isinstance(c, str) for c in g) for g in raw)):
        check.fail("kursi", 'harus daftar kursi admin penghubung, masing-masing daftar kode '
                            'OPD, mis. [["dinkes"], ["disdik", "dinsos"]]')
    elif len(raw) > TEAM_SEATS_MAX:
        check.fail("kursi", f"paling banyak {TEAM_SEATS_MAX} kursi admin penghubung")
    else:
        taken: set[str] = set()
        for group in raw:
            for code in group:
                unit = catalogue.units.get(code) if catalogue is not None else None
                if catalogue is not None and (unit is None or unit.is_agency):
                    check.fail("kursi", f"«{code[:40]}» bukan kode OPD Pemda di wilayah ini")
                elif code in taken:
                    check.fail("kursi", f"OPD «{code}» muncul di dua kursi")
                taken.add(code)
            seats.append(tuple(group))
    values: dict[str, Any] = {"seats": tuple(seats)}
    skill = check.number("keterampilan_rekan", required=False, minimum=0, above=False,
                         maximum=1)
    if skill is not None:
        values["skill"] = skill
    if "jeda_rekan" in table:
        value = table["jeda_rekan"]
        parsed = parse_duration(value) if isinstance(value, str) and _DURATION.match(value) \
            else None
        if not isinstance(parsed, float) or not 0 < parsed <= ADMIN_DELAY_MAX_HK:
            check.fail("jeda_rekan", f'harus lama waktu lebih dari 0 dan paling lama '
                                     f'{ADMIN_DELAY_MAX_HK:g} HK, seperti "0.25 HK" atau '
                                     f'"2 jam" (tertulis: {value!r:.40})')
        else:
            values["delay"] = parsed
    return TeamSettings(**values)


def _parse_opd(data: Mapping[str, Any], problems: list[Problem], source: str, lines: _Lines,
               mode: Any) -> OpdSettings:
    """[opd]: the simulated Admin Instansi of mode opd; the table belongs to that mode only."""
    table = _mode_table(data, problems, source, lines, OPD_MODE, mode)
    if table is None:
        return OpdSettings()
    check = _Check(problems, source, lines, "opd.", table, _OPD_KEYS, lines.header("opd"))
    values: dict[str, float] = {}
    share = check.number("salah_disposisi", required=False, minimum=0, above=False,
                         maximum=WRONG_SHARE_MAX)
    if share is not None:
        values["wrong_share"] = share
    for key, name in (("jeda_admin", "admin_delay"), ("jeda_disposisi_ulang", "redispose_delay")):
        if key not in table:
            continue
        value = table[key]
        if not isinstance(value, str) or not _DURATION.match(value):
            check.fail(key, f'harus lama waktu seperti "0.25 HK", "2 jam" atau "30 menit" '
                            f"(tertulis: {value!r:.40})")
            continue
        parsed = parse_duration(value)
        if not isinstance(parsed, float) or not 0 < parsed <= ADMIN_DELAY_MAX_HK:
            check.fail(key, f"harus lebih dari 0 dan paling lama {ADMIN_DELAY_MAX_HK:g} HK "
                            f"(tertulis: {value.strip()[:40]!r})")
        else:
            values[name] = parsed
    return OpdSettings(**values)


_SCORING_KEYS = {d.value for d in Dimension} | {"kebocoran"}


def _parse_scoring(data: Mapping[str, Any], problems: list[Problem], source: str,
                   lines: _Lines) -> ScoringSettings:
    """[scoring]: points per report for each dimension, and the identity-leak penalty."""
    table = data.get("scoring", {})
    if not isinstance(table, dict):
        problems.append(Problem(source, lines.key("scoring", None), "scoring",
                                "harus tabel [scoring]"))
        return ScoringSettings()
    check = _Check(problems, source, lines, "scoring.", table, _SCORING_KEYS,
                   lines.header("scoring"))
    defaults = ScoringSettings()
    weights = dict(defaults.weights)
    for key in sorted(set(table) & {d.value for d in Dimension}):
        number = check.number(key, minimum=0, above=False, maximum=100)
        if number is not None:
            weights[key] = number
    if table and not any(weights.values()):
        check.fail("", "minimal satu bobot harus lebih dari 0")
    leak = check.number("kebocoran", required=False, minimum=0, above=False, maximum=100)
    return ScoringSettings(weights=weights,
                           leak_penalty=defaults.leak_penalty if leak is None else leak)


def _parse_entry(number: int, raw: Mapping[str, Any], problems: list[Problem], source: str,
                 lines: _Lines, catalogue: Catalogue | None, duration: float | None,
                 start: datetime | None, end_sim: datetime | None,
                 seen_ids: dict[str, int], mode: Any = "individu") -> Entry | None:
    header = lines.header("timeline", number)
    # Mode opd: every report must fit the trainee's own OPD, so an entry names only how many.
    opd_mode = mode == OPD_MODE
    refused = [key for key in _PICKED_KEYS if key in raw] if opd_mode else []
    raw = {key: value for key, value in raw.items() if key not in refused}
    check = _Check(problems, source, lines, f"timeline[{number}].", raw, _ENTRY_KEYS, header)
    before = len(problems)
    for key in refused:
        check.fail(key, 'tidak dipakai dalam mode "opd": setiap peserta mendapat laporan yang '
                        "cocok dengan OPD-nya sendiri; tulis opd = N (jumlah laporan)")
    if "opd" in raw and not opd_mode:
        check.fail("opd", 'hanya dipakai bersama mode = "opd" di [scenario]')

    entry_id = check.text("id", required=False)
    if entry_id:
        if entry_id in seen_ids:
            check.fail("id", f"«{entry_id}» sudah dipakai di timeline[{seen_ids[entry_id]}]")
        seen_ids[entry_id] = number

    at_minutes: float | None = None
    at_sim: datetime | None = None
    at = raw.get("at")
    if at is None:
        check.fail("at", 'wajib diisi: "+N menit" atau tanggal-waktu simulasi')
    elif isinstance(at, str):
        match = _AT.match(at)
        if match is None:
            if at.strip().startswith("-"):
                check.fail("at", f"waktu tidak boleh negatif (tertulis: {at!r})")
            else:
                check.fail("at", f'harus seperti "+15 menit" (tertulis: {at!r:.40})')
        else:
            at_minutes = float(match.group(1).replace(",", "."))
            if duration and at_minutes > duration:
                check.fail("at", f"{at_minutes:g} menit melewati durasi skenario "
                                 f"({duration:g} menit)")
    elif isinstance(at, datetime) and at.tzinfo is not None:
        check.fail("at", "tulis waktu setempat tanpa zona (mis. 2026-03-03T10:00:00)")
    elif isinstance(at, datetime):
        at_sim = at
        if start is not None and at < start:
            check.fail("at", "sebelum waktu mulai skenario")
        elif end_sim is not None and at > end_sim:
            check.fail("at", f"melewati akhir skenario (waktu simulasi {end_sim:%Y-%m-%d %H:%M})")
    else:
        check.fail("at", f'harus "+N menit" atau tanggal-waktu (tertulis: {at!r:.40})')

    kinds = [key for key in ("topics", "kategori", "random", "complaint") if key in raw]
    if len(kinds) > 1:
        check.fail(kinds[1], f"satu entri hanya boleh satu dari topics, kategori, random, "
                             f"complaint (ada: {', '.join(kinds)})")
    note = check.text("note", required=False)
    if opd_mode and "opd" not in raw and not note:
        check.fail("", "entri tanpa opd harus punya note")
    elif not opd_mode and not kinds and not note:
        check.fail("", "entri tanpa topics/kategori/random/complaint harus punya note")
    note_for = _note_audience(check, raw, note)

    reports = 0
    if opd_mode and "opd" in raw:
        reports = int(check.number("opd", minimum=1, above=False, maximum=OPD_ENTRY_MAX) or 0)
        if isinstance(raw["opd"], float) and not raw["opd"].is_integer():
            check.fail("opd", "harus bilangan bulat")

    topic_ids = check.strings("topics")
    if raw.get("topics") == []:
        check.fail("topics", "daftar topik kosong")
    if catalogue is not None:
        known = {t.id for t in catalogue.topics}
        for topic_id in topic_ids:
            if topic_id not in known:
                check.fail("topics", f"topik tidak dikenal «{topic_id}» untuk wilayah "
                                     f"{catalogue.region.name}")

    kategori = check.text("kategori", required=False)
    count = 0
    if "kategori" in raw:
        if kategori and kategori not in KATEGORI_LABELS:
            check.fail("kategori", f"kategori tidak dikenal «{kategori}»")
        elif kategori and catalogue is not None and not any(
                t.kategori == kategori and not t.duplicate for t in catalogue.topics):
            check.fail("kategori", f"tidak ada topik berkategori «{kategori}» di wilayah ini")
        count = int(check.number("count", maximum=500) or 0)
        if "count" in raw and isinstance(raw["count"], float) and not raw["count"].is_integer():
            check.fail("count", "harus bilangan bulat")
    elif "count" in raw:
        check.fail("count", "hanya dipakai bersama kategori")
    randoms = 0
    if "random" in raw:
        value = check.number("random", maximum=500)
        randoms = int(value or 0)
        if isinstance(raw["random"], float) and not raw["random"].is_integer():
            check.fail("random", "harus bilangan bulat")

    over = 0.0
    if "over" in raw and at_sim is not None:
        check.fail("over", 'hanya dapat dipakai bersama at = "+N menit"')
    elif "over" in raw:
        match = _MINUTES.match(raw["over"]) if isinstance(raw["over"], str) else None
        if match is None:
            check.fail("over", f'harus seperti "10 menit" (tertulis: {raw["over"]!r:.40})')
        else:
            over = float(match.group(1).replace(",", "."))
            if duration and at_minutes is not None and at_minutes + over > duration:
                check.fail("over", f"berakhir pada menit {at_minutes + over:g}, melewati durasi "
                                   f"skenario ({duration:g} menit)")

    overrides: dict[str, Any] = {}
    if "reporter" in raw:
        if not isinstance(raw["reporter"], dict):
            check.fail("reporter", "harus tabel, mis. { tunda_reply = \"never\" }")
        else:
            sub = _Check(problems, source, lines, f"timeline[{number}].reporter.", raw["reporter"],
                         _REPORTER_KEYS, lines.key("reporter", header))
            _reporter(sub, ReporterScript())
            overrides = dict(raw["reporter"])

    complaint = None
    if "complaint" in raw:
        if not isinstance(raw["complaint"], dict):
            check.fail("complaint", "harus tabel [timeline.complaint]")
        else:
            complaint = _parse_complaint(number, raw["complaint"], problems, source, lines,
                                         catalogue, header, seen_ids)

    tes = _test_phase(check, raw, opd_mode, catalogue)

    if len(problems) > before:
        return None
    return Entry(index=number, at_minutes=at_minutes, at_sim=at_sim, topics=topic_ids,
                 kategori=kategori if "kategori" in raw else None, count=count,
                 random=randoms, complaint=complaint, over_minutes=over, reporter=overrides,
                 note=note, id=entry_id, note_for=note_for, opd=reports, tes=tes)


def _test_phase(check: _Check, raw: Mapping[str, Any], opd_mode: bool,
                catalogue: Catalogue | None) -> Phase | None:
    """`tes = "awal"|"akhir"`: the entry's reports are a test, scored apart (domain.learning).
    Only reports that are the same for everyone may be a test: named topics or a
    hand-written complaint, never drawn ones, and never in mode opd."""
    if "tes" not in raw:
        return None
    value = raw["tes"]
    phase = parse_phase(value)
    if phase is None:
        check.fail("tes", f'harus "awal" (tes awal) atau "akhir" (tes akhir) '
                          f"(tertulis: {value!r:.40})")
    elif opd_mode:
        check.fail("tes", 'tidak dipakai dalam mode "opd": setiap OPD menerima laporan yang '
                          "berbeda, jadi tes awal dan tes akhir tidak sama untuk semua peserta")
    elif "random" in raw or "kategori" in raw:
        drawn = "random" if "random" in raw else "kategori"
        check.fail("tes", f"entri tes harus memakai topics atau complaint, bukan {drawn}: "
                          "laporan yang diundi tidak sama untuk semua peserta, jadi tes awal "
                          "dan tes akhir tidak dapat dibandingkan")
    elif "topics" not in raw and "complaint" not in raw:
        check.fail("tes", "entri tes harus punya topics atau complaint (laporan tesnya)")
    elif catalogue is not None:
        by_id = {t.id: t for t in catalogue.topics}
        for topic_id in raw.get("topics") or []:
            topic = by_id.get(topic_id) if isinstance(topic_id, str) else None
            if topic is not None and topic.duplicate:
                check.fail("tes", f"topik «{topic_id}» mengirim ulang laporan lain, jadi tidak "
                                  "dapat menjadi laporan tes")
    return phase


def _entry_topics(entry: Entry, catalogue: Catalogue) -> list[Topic]:
    by_id = {t.id: t for t in catalogue.topics}
    found = [by_id[t] for t in entry.topics if t in by_id]
    return found + ([entry.complaint.topic] if entry.complaint else [])


def _check_tests(entries: Sequence[Entry], problems: list[Problem], source: str,
                 lines: _Lines, catalogue: Catalogue) -> None:
    """A tes awal needs a tes akhir and the other way round; the tes akhir sets the same
    decision traps (domain.traps) as the tes awal, with other topics (another topic,
    another text), and comes after it."""
    tests = {phase: [e for e in entries if e.tes == phase] for phase in Phase}
    if not any(tests.values()):
        return

    def fail(entry: Entry, message: str) -> None:
        line = lines.key("tes", lines.header("timeline", entry.index))
        problems.append(Problem(source, line, f"timeline[{entry.index}].tes", message))

    for phase, other in ((Phase.AWAL, Phase.AKHIR), (Phase.AKHIR, Phase.AWAL)):
        if tests[phase] and not tests[other]:
            fail(tests[phase][0], f"ada {phase.label.lower()} tetapi tidak ada "
                                  f"{other.label.lower()}: tambahkan entri dengan "
                                  f'tes = "{other.value}" (topik lain, jebakan yang sama)')
            return
    awal, akhir = tests[Phase.AWAL], tests[Phase.AKHIR]
    first = akhir[0]
    before = {t.id: e for e in awal for t in _entry_topics(e, catalogue)}
    for entry in akhir:
        for topic in _entry_topics(entry, catalogue):
            if topic.id in before:
                fail(entry, f"topik «{topic.id}» dipakai di tes awal (timeline"
                            f"[{before[topic.id].index}]) dan tes akhir: tes akhir harus "
                            "memakai topik lain dengan jebakan yang sama")
    traps = {phase: {decision_trap({"expected_action": t.action})
                     for e in tests[phase] for t in _entry_topics(e, catalogue)}
             for phase in Phase}
    missing = []
    for phase, other in ((Phase.AKHIR, Phase.AWAL), (Phase.AWAL, Phase.AKHIR)):
        lacking = sorted(traps[other] - traps[phase])
        if lacking:
            names = ", ".join(f"«{trap_label(t)}» ({t})" for t in lacking)
            missing.append(f"{phase.label.lower()} tidak punya {names} yang ada di "
                           f"{other.label.lower()}")
    if missing:
        fail(first, "tes akhir harus memasang jebakan keputusan yang sama dengan tes awal: "
                    + "; ".join(missing))
    # Moments written as a simulated date-time are not compared: that needs the calendar.
    last_awal = max((e.at_minutes + e.over_minutes for e in awal if e.at_minutes is not None),
                    default=None)
    first_akhir = min((e.at_minutes for e in akhir if e.at_minutes is not None), default=None)
    if last_awal is not None and first_akhir is not None and first_akhir < last_awal:
        fail(first, f"tes akhir (menit {first_akhir:g}) harus datang setelah laporan tes awal "
                    f"terakhir (menit {last_awal:g})")


def _note_audience(check: _Check, raw: Mapping[str, Any], note: str | None) -> NoteAudience:
    """Who may read the entry's note: facilitator-only unless marked for trainees."""
    if "note_for" not in raw:
        return NoteAudience.FASILITATOR
    value = raw["note_for"]
    if "note" not in raw:
        check.fail("note_for", "hanya dipakai bersama note")
    elif value not in tuple(NoteAudience):
        check.fail("note_for", f'harus "peserta" (boleh dibaca peserta latihan mandiri) atau '
                               f'"fasilitator" (tertulis: {value!r:.40})')
    elif note is not None:
        return NoteAudience(value)
    return NoteAudience.FASILITATOR


def _parse_complaint(number: int, raw: Mapping[str, Any], problems: list[Problem], source: str,
                     lines: _Lines, catalogue: Catalogue | None, header: int | None,
                     seen_ids: dict[str, int]) -> HandComplaint | None:
    inline = lines.key("complaint", header)
    table = lines.header("timeline.complaint", 1, after=(header or 1) - 1)
    following = lines.header("timeline", number + 1)
    start = table if table and (following is None or table < following) and \
        inline == header else inline
    check = _Check(problems, source, lines, f"timeline[{number}].complaint.", raw,
                   _COMPLAINT_KEYS, start)
    before = len(problems)
    complaint_id = check.text("id")
    if complaint_id:
        if not CODE_RE.match(complaint_id):
            check.fail("id", "hanya huruf kecil, angka dan '-'")
        if f"complaint:{complaint_id}" in seen_ids:
            check.fail("id", f"«{complaint_id}» sudah dipakai di "
                             f"timeline[{seen_ids[f'complaint:{complaint_id}']}]")
        seen_ids[f"complaint:{complaint_id}"] = number
    body = check.text("text")
    if body and len(body) > 5000:
        check.fail("text", f"terlalu panjang ({len(body)} karakter, maksimal 5000)")
    channel = raw.get("channel", "web")
    if not isinstance(channel, str) or channel not in CHANNELS:
        check.fail("channel", f"harus salah satu dari {', '.join(CHANNELS)}")
    action = check.text("expected_action")
    if action and action not in EXPECTED_ACTIONS:
        check.fail("expected_action", f"harus salah satu dari {', '.join(EXPECTED_ACTIONS)}")
    klasifikasi = check.text("klasifikasi")
    if klasifikasi and klasifikasi not in {k.value for k in Klasifikasi}:
        check.fail("klasifikasi", f"klasifikasi tidak dikenal «{klasifikasi}»")
    kategori = check.text("kategori")
    if kategori and kategori not in KATEGORI_LABELS:
        check.fail("kategori", f"kategori tidak dikenal «{kategori}»")
    explanation = check.text("explanation")
    reason = check.text("archive_reason", required=False)
    if action == "arsipkan" and not reason:
        check.fail("archive_reason", "wajib diisi untuk expected_action arsipkan")
    if reason and reason not in {r.value for r in ArchiveReason}:
        check.fail("archive_reason", f"alasan tidak dikenal «{reason}»")
    flags = {}
    for key in ("rahasia", "anonim", "reporter_anonim"):
        value = raw.get(key, False)
        if not isinstance(value, bool):
            check.fail(key, "harus true atau false")
        flags[key] = bool(value)

    target = check.text("target", required=False)
    if action in ("disposisi", "tunda", "bukan_wewenang") and not target:
        check.fail("target", f"wajib diisi untuk expected_action {action}")
    acceptable = check.strings("acceptable")
    partial = check.strings("partial")
    resolved: dict[str, Any] = {}
    if catalogue is not None:
        def resolve(key: str, code: str) -> str:
            if code == KECAMATAN_REF:
                check.fail(key, "@kecamatan tidak dapat dipakai di laporan yang ditulis tangan "
                                "(tidak ada tempat yang diundi); tulis kode kecamatannya, "
                                "mis. kec-sukamaju")
                return code
            real = catalogue.region.config.get(code[1:], "") if code.startswith("@") else code
            if real not in catalogue.units:
                check.fail(key, f"kode unit/instansi tidak dikenal «{code}» di wilayah "
                                f"{catalogue.region.name}")
            elif key == "target" and action == "bukan_wewenang" and \
                    not catalogue.units[real].is_agency:
                check.fail(key, f"«{code}» adalah unit Pemda, padahal expected_action "
                                "bukan_wewenang")
            elif key == "target" and action in ("disposisi", "tunda") and \
                    catalogue.units[real].is_agency:
                check.fail(key, f"«{code}» adalah instansi luar, padahal expected_action {action}")
            return real
        if target:
            resolved["target"] = resolve("target", target)
        resolved["acceptable"] = tuple(resolve("acceptable", c) for c in acceptable)
        resolved["partial"] = tuple(resolve("partial", c) for c in partial)

    if len(problems) > before or catalogue is None:
        return None
    assert complaint_id and body and action and klasifikasi and kategori and explanation
    topic = Topic(
        id=f"skenario:{complaint_id}", title=complaint_id, kategori=kategori,
        klasifikasi=Klasifikasi(klasifikasi), action=action,
        target=resolved.get("target") if action not in ("arsipkan", "kelola_sendiri") else None,
        templates=(body.replace("{", "{{").replace("}", "}}"),), explanation=explanation,
        acceptable=resolved["acceptable"], partial=resolved["partial"],
        rahasia=flags["rahasia"], anonim=flags["anonim"],
        reporter_anonim=flags["reporter_anonim"],
        archive_reason=ArchiveReason(reason) if reason else None,
        question_hint=check.text("question_hint", required=False),
        tunda_answer=(check.text("tunda_answer", required=False) or "").replace("{", "{{")
        .replace("}", "}}") or None,
        channels=(channel,), source=source, verbatim=True,
    )
    return HandComplaint(complaint_id, topic)


def hand_topic(raw: Mapping[str, Any], catalogue: Catalogue) -> Topic:
    """A hand-written complaint (the keys of [timeline.complaint]) checked as a scenario's
    would be: the facilitator's ad-hoc report. Problems name the bare key (`text`, ...)."""
    problems: list[Problem] = []
    found = _parse_complaint(1, raw, problems, "form", _Lines(""), catalogue, None, {})
    if problems or found is None:
        prefix = "timeline[1].complaint."
        raise ScenarioError([replace(p, field=p.field.removeprefix(prefix)) for p in problems])
    return found.topic


# ------------------------------------------------------------------ loading files


def load_scenario(path: Path, load_region: RegionLoader,
                  holidays: frozenset[date] = frozenset()) -> Scenario:
    """Read and check a scenario file."""
    return parse_scenario(_read_text(path), str(path), load_region, holidays)


def _read_text(path: Path) -> str:
    """A scenario or calendar file's text; ScenarioError if it cannot be read as UTF-8."""
    try:
        return tomlfile.decode(path.read_bytes())
    except tomlfile.UnreadableToml as error:
        raise ScenarioError([Problem(str(path), error.line, "file", error.message)]) from None
    except (OSError, ValueError) as exc:  # ValueError: a path the system cannot look up
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "nama file " \
            "tidak dapat dipakai"
        raise ScenarioError([Problem(printable(str(path), 200), None, "file",
                                     f"tidak dapat dibaca: {reason}")]) from None


def load_holidays(path: Path) -> frozenset[date]:
    """The holiday calendar file (seed/calendar/hari-libur.toml)."""
    problems: list[Problem] = []
    try:
        data = tomlfile.parse(_read_text(path))
    except tomlfile.UnreadableToml as error:
        raise ScenarioError([Problem(str(path), error.line, "TOML", error.message)]) from None
    days = set()
    entries = data.get("libur", [])
    if not isinstance(entries, list):
        problems.append(Problem(str(path), None, "libur", "harus [[libur]] (daftar tabel)"))
        entries = []
    for number, entry in enumerate(entries, 1):
        day = entry.get("date") if isinstance(entry, dict) else None
        if not isinstance(day, date) or isinstance(day, datetime):
            problems.append(Problem(str(path), None, f"libur[{number}].date",
                                    "harus tanggal seperti 2026-03-19"))
        else:
            days.add(day)
    if problems:
        raise ScenarioError(problems)
    return frozenset(days)


# ------------------------------------------------------------------ mode opd


def fits_opd(topic: Topic, unit: str) -> bool:
    """Whether a report of `topic` belongs to OPD `unit`, so disposing it there is right.

    Only a plain disposisi counts: a tunda report first goes back to its reporter, and a
    kelola-sendiri one never leaves the Admin Instansi.
    """
    return topic.action == "disposisi" and not topic.duplicate and topic.target == unit


def wrong_for_opd(topic: Topic, unit: str) -> bool:
    """Whether a report of `topic` may come to OPD `unit` as a wrong disposition, for the OPD
    to send back: one the answer key sends to another Pemda unit or outside the Pemda, as
    decisions.wrongly_disposed judges it. Never a report to archive, hold or keep, nor one
    the answer key half-credits `unit` for: sending back should be a clear lesson."""
    if topic.duplicate or topic.action not in ("disposisi", "bukan_wewenang") or \
            unit in topic.acceptable + topic.partial:
        return False
    return wrongly_disposed({"expected_action": topic.action, "expected_target": topic.target,
                             "acceptable_targets": topic.acceptable,
                             "partial_targets": topic.partial}, unit)


def opd_units(catalogue: Catalogue) -> list[Unit]:
    """The Pemda units a trainee may play in mode opd, sorted by name: those some topic's
    reports belong to. Kecamatan are left out: an `@kecamatan` report goes by its place."""
    kecamatan = {k.unit for k in catalogue.region.kecamatan}
    owned = {t.target for t in catalogue.topics if t.target and fits_opd(t, t.target)}
    return sorted((u for code, u in catalogue.units.items()
                   if code in owned and code not in kecamatan and not u.is_agency),
                  key=lambda u: (u.name, u.code))


@dataclass(frozen=True)
class Disposition:
    """Mode opd: how the simulated Admin Instansi disposes one report to the trainee's OPD.

    `unit` is the trainee's OPD, where it is disposed; `wrong` whether that is a wrong
    disposition the trainee should send back (kembalikan); `after` the HK after arrival at
    which it is disposed, `redispose_after` the HK after a kembalikan at which the Admin
    Instansi disposes it again to the right OPD or forwards it as bukan wewenang.
    """

    unit: str
    wrong: bool
    after: float
    redispose_after: float

    def to_dict(self) -> dict[str, Any]:
        return {"unit": self.unit, "wrong": self.wrong, "after": self.after,
                "redispose_after": self.redispose_after}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Disposition:
        """The stored form back; ValueError names what is wrong with a damaged one."""
        if not isinstance(data, Mapping):
            raise ValueError("disposisi harus objek")
        unit, wrong = data.get("unit"), data.get("wrong")
        if not isinstance(unit, str) or not unit:
            raise ValueError("disposisi.unit harus kode unit")
        if not isinstance(wrong, bool):
            raise ValueError("disposisi.wrong harus true atau false")
        delays = []
        for key in ("after", "redispose_after"):
            value = data.get(key)
            if isinstance(value, bool) or not isinstance(value, int | float) or \
                    not 0 < value <= ADMIN_DELAY_MAX_HK:
                raise ValueError(f"disposisi.{key} harus lebih dari 0 dan paling lama "
                                 f"{ADMIN_DELAY_MAX_HK:g} HK")
            delays.append(float(value))
        return cls(unit, wrong, delays[0], delays[1])


def _opd_unit(scenario: Scenario, catalogue: Catalogue, unit: str | None) -> str:
    """The trainee's OPD for a mode opd schedule; ScenarioError if missing or not playable."""
    where = scenario.source or scenario.id
    if not unit:
        raise ScenarioError([Problem(where, None, "unit", 'Skenario ini memakai mode "opd": '
                                     "pilih OPD Anda dari daftar OPD wilayahnya.")])
    if unit not in {u.code for u in opd_units(catalogue)}:
        raise ScenarioError([Problem(where, None, "unit", f"«{printable(unit)}» bukan OPD yang "
                                     f"dapat dipilih di {catalogue.region.name}: pilih dari "
                                     "daftar.")])
    return unit


def _draw(rng: random.Random, pool: Sequence[Topic], weights: Sequence[float],
          k: int) -> list[Topic]:
    """`k` topics drawn by weight, none twice until every topic of the pool has come up."""
    drawn: list[Topic] = []
    left: list[int] = []
    for _ in range(k):
        if not left:
            left = list(range(len(pool)))
        index = rng.choices(left, weights=[weights[i] for i in left])[0]
        left.remove(index)
        drawn.append(pool[index])
    return drawn


def _opd_reports(scenario: Scenario, catalogue: Catalogue, unit: str,
                 total: int) -> tuple[list[Topic], list[Disposition]]:
    """The topics and dispositions of one trainee's `total` reports, in arrival order.

    Which positions are wrong dispositions comes from the scenario and seed alone, so a
    whole room gets them at the same moments whatever each one's OPD; the topics come
    from the OPD.
    """
    salah = random.Random(f"{scenario.id}:{scenario.seed}:salah")  # noqa: S311 - a simulation
    wrong = set(salah.sample(range(total), round(scenario.opd.wrong_share * total)))
    rng = random.Random(f"{scenario.id}:{scenario.seed}:{unit}")  # noqa: S311 - a simulation
    own = [t for t in catalogue.topics if fits_opd(t, unit)]
    near = {t.kategori for t in own} | set(catalogue.units[unit].kategori)
    others = [t for t in catalogue.topics if wrong_for_opd(t, unit)]
    if wrong and not others:
        raise ScenarioError([Problem(scenario.source or scenario.id, None, "opd.salah_disposisi",
                                     f"tidak ada topik milik unit lain untuk disposisi keliru "
                                     f"ke {catalogue.units[unit].name}")])
    rights = iter(_draw(rng, own, [t.weight for t in own], total - len(wrong)))
    wrongs = iter(_draw(rng, others, [t.weight * (NEAR_MISS_WEIGHT if t.kategori in near else 1)
                                      for t in others], len(wrong)))
    topics = [next(wrongs) if position in wrong else next(rights) for position in range(total)]
    dispositions = [Disposition(unit, position in wrong, scenario.opd.admin_delay,
                                scenario.opd.redispose_delay) for position in range(total)]
    return topics, dispositions


# ------------------------------------------------------------------ expansion


@dataclass(frozen=True)
class Scheduled:
    """One complaint of the expanded schedule, released at its simulated arrival time."""

    complaint: GeneratedComplaint
    reporter: ReporterScript
    entry: int
    disposition: Disposition | None = None  # mode opd only
    phase: Phase | None = None  # a test report: the tes awal's or the tes akhir's


@dataclass(frozen=True)
class Note:
    at: datetime
    text: str
    audience: NoteAudience = NoteAudience.FASILITATOR


def expand(scenario: Scenario, catalogue: Catalogue, calendar: Calendar,
           unit: str | None = None) -> tuple[list[Scheduled], list[Note]]:
    """The fixed schedule of a scenario: the same scenario and seed give the same everywhere.

    In mode opd the schedule is that of one trainee's OPD, `unit` (required there); the
    arrival times are the same for every OPD. Mode individu ignores `unit`.
    """
    opd = scenario.mode == OPD_MODE
    if opd:
        unit = _opd_unit(scenario, catalogue, unit)
    rng = random.Random(f"{scenario.id}:{scenario.seed}")  # noqa: S311 - a simulation
    weights = list(accumulate(t.weight for t in catalogue.topics))
    by_id = {t.id: t for t in catalogue.topics}
    plan: list[tuple[Topic | None, datetime, ReporterScript, int]] = []
    notes: list[Note] = []
    for entry in scenario.timeline:
        base = entry.at_sim or scenario.sim_offset(entry.at_minutes or 0.0, calendar)
        if entry.note:
            notes.append(Note(base, entry.note, entry.note_for))
        # Mode opd: which report each one is depends on the OPD, chosen once all have a time.
        topics: list[Topic | None] = [None] * entry.opd
        topics += [by_id[t] for t in entry.topics]
        if entry.kategori:
            pool = [t for t in catalogue.topics if t.kategori == entry.kategori
                    and not t.duplicate]
            pool_weights = list(accumulate(t.weight for t in pool))
            topics += rng.choices(pool, cum_weights=pool_weights, k=entry.count)
        if entry.random:
            topics += rng.choices(list(catalogue.topics), cum_weights=weights, k=entry.random)
        if entry.complaint:
            topics.append(entry.complaint.topic)
        script = ReporterScript.from_dict({**scenario.reporter.to_dict(),
                                           **_reporter_values(entry.reporter)})
        for i, topic in enumerate(topics):
            at = base
            if entry.over_minutes and len(topics) > 1 and entry.at_minutes is not None:
                offset = entry.at_minutes + entry.over_minutes * i / (len(topics) - 1)
                at = scenario.sim_offset(offset, calendar)
            plan.append((topic, at, script, entry.index))
    plan.sort(key=lambda item: item[1])
    dispositions: list[Disposition | None] = [None] * len(plan)
    if opd and unit:
        sequence, chosen = _opd_reports(scenario, catalogue, unit, len(plan))
        dispositions = list(chosen)
    else:
        sequence = [topic for topic, _, _, _ in plan if topic is not None]
    complaints = generate(catalogue, scenario.seed, len(plan), scenario.start,
                          sequence=sequence, messiness=scenario.messiness,
                          arrivals=[at for _, at, _, _ in plan])
    phases = {entry.index: entry.tes for entry in scenario.timeline}
    schedule = [
        Scheduled(replace(complaint, arrived_at=at), script, index, disposition,
                  phases.get(index))
        for complaint, (_, at, script, index), disposition
        in zip(complaints, plan, dispositions, strict=True)
    ]
    return schedule, notes


def _reporter_values(raw: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key in ("tunda_reply", "respond_after"):
            parsed = parse_duration(value)
            values[key] = None if parsed is None else parsed
        else:
            values[key] = value
    return values
