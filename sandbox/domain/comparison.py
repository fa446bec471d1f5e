"""Studi komparasi: whether sessions did the same work, and how their groups compare.

Rules owned here, once:
- `compatibility`: which differences between sessions mean the work was not the same.
  A different scenario, seed, scoring version or mode refuses the comparison (unless
  the caller allows it, then every difference is a visible warning); the others
  (region file, starting speed, app version) are only said.
- `group_figures`: a group's figures, pooled over its participants' reports.
- `percentile` and `median` are domain.stats's (re-exported here).
- `difference`: how large a difference between two groups is, against the spread
  inside the groups (a standardised mean difference), in plain Indonesian, and never a
  claim of significance.

Percentiles (nearest rank) and medians are domain.stats's, the same as a report card's.

A participant here is whoever holds a report card: a person, or in mode tim a team.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING, Any

from sandbox.domain.decisions import Verdict
from sandbox.domain.scoring import ReportScore, TraineeScore
from sandbox.domain.stats import mean, median, percentile

if TYPE_CHECKING:  # domain.people builds on this module
    from sandbox.domain.learning import SessionLearning
    from sandbox.domain.people import Attendee

SMALL_GROUP = 5  # fewer participants than this in a group: too small to tell
# |standardised difference| from which a difference is worded so (Cohen's usual marks
# for "medium" and "large"; anything under 0.5 is called small).
SIZE_MARKS: tuple[tuple[float, str], ...] = ((0.8, "besar"), (0.5, "sedang"), (0.0, "kecil"))
TOO_SMALL = "kelompok terlalu kecil untuk disimpulkan"
NOT_SIGNIFICANCE = ("Ini ukuran besarnya perbedaan dibanding sebaran di dalam kelompok, "
                    "bukan uji signifikansi.")


# ------------------------------------------------------------------ the same work?


@dataclass(frozen=True)
class SessionFacts:
    """What a session's work was: the facts compared before any result is."""

    code: str
    scenario: str | None
    seed: int
    scoring_version: int | None
    region_file: str
    mode: str  # individu, opd or tim
    minutes_per_hk: float | None = None  # the speed it started at
    app_version: str | None = None  # None: not recorded
    generator_version: int = 1  # how reports were written from the seed (1: unrecorded)


@dataclass(frozen=True)
class FactRule:
    """One fact of `SessionFacts`, how it is named, and whether a difference refuses."""

    name: str
    label: str
    refuses: bool
    known_only: bool = False  # compared only between sessions that recorded it


FACT_RULES: tuple[FactRule, ...] = (
    FactRule("scenario", "Skenario", refuses=True),
    FactRule("seed", "Seed (laporan yang diterima peserta)", refuses=True),
    FactRule("scoring_version", "Versi aturan penilaian", refuses=True),
    FactRule("mode", "Mode sesi", refuses=True),
    FactRule("generator_version", "Versi pembuat laporan (teks dan kunci dari seed)",
             refuses=True),
    FactRule("region_file", "Berkas wilayah", refuses=False),
    FactRule("minutes_per_hk", "Kecepatan awal (menit per HK)", refuses=False),
    FactRule("app_version", "Versi aplikasi", refuses=False, known_only=True),
)


def _shown(value: Any) -> str:
    if value is None:
        return "tidak ada"
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)


@dataclass(frozen=True)
class Mismatch:
    """One fact that differs between the sessions, with each session's value."""

    label: str
    values: tuple[tuple[str, str], ...]  # (session code, value as shown)
    refuses: bool

    @property
    def text(self) -> str:
        values = ", ".join(f"{code} «{value}»" for code, value in self.values)
        return f"{self.label} berbeda: {values}."


@dataclass(frozen=True)
class Compatibility:
    """Whether the sessions did the same work, and what to say if not."""

    mismatches: tuple[Mismatch, ...]
    allowed: bool = False  # the caller chose to compare anyway

    @property
    def refusing(self) -> bool:
        """Whether a difference is one that makes the work not the same."""
        return any(m.refuses for m in self.mismatches)

    @property
    def refused(self) -> bool:
        return self.refusing and not self.allowed

    @property
    def reasons(self) -> list[str]:
        """Every difference as a sentence, those that refuse first."""
        return [m.text for m in sorted(self.mismatches, key=lambda m: not m.refuses)]

    @property
    def summary(self) -> str:
        """One sentence for the top of the page."""
        if self.refused:
            return ("Sesi-sesi ini tidak mengerjakan latihan yang sama, jadi hasilnya tidak "
                    "dibandingkan.")
        if self.refusing:
            return ("Peringatan: sesi-sesi ini tidak mengerjakan latihan yang sama. "
                    "Perbandingan di bawah tetap ditampilkan atas permintaan Anda; "
                    "bacalah dengan hati-hati.")
        if self.mismatches:
            return "Sesi-sesi ini mengerjakan latihan yang sama, dengan perbedaan kecil berikut."
        return "Sesi-sesi ini mengerjakan latihan yang sama (skenario, seed dan aturan penilaian)."


def compatibility(sessions: Sequence[SessionFacts], allow: bool = False) -> Compatibility:
    """Which facts differ between the sessions (FACT_RULES), and whether that refuses."""
    found = []
    for rule in FACT_RULES:
        pairs = [(s.code, getattr(s, rule.name)) for s in sessions]
        if rule.known_only:
            pairs = [(code, value) for code, value in pairs if value is not None]
        if len({value for _, value in pairs}) > 1:
            found.append(Mismatch(rule.label, tuple((code, _shown(v)) for code, v in pairs),
                                  rule.refuses))
    return Compatibility(tuple(found), allow)


# ------------------------------------------------------------------ statistics


def _share(part: int, whole: int) -> float | None:
    return 100 * part / whole if whole else None


@dataclass(frozen=True)
class Spread:
    """A set of times (HK), with its median and nearest-rank 90th percentile."""

    values: tuple[float, ...]  # ascending

    @classmethod
    def of(cls, values: Iterable[float]) -> Spread:
        return cls(tuple(sorted(values)))

    @property
    def median(self) -> float | None:
        return median(self.values)

    @property
    def p90(self) -> float | None:
        return percentile(self.values, 90)


# ------------------------------------------------------------------ participants and groups


@dataclass(frozen=True)
class Member:
    """One participant of a group (a person, or a team in mode tim): their report card's
    reports, and the verdict on each report's decision (domain.decisions)."""

    label: str
    reports: tuple[ReportScore, ...]
    total_pct: float | None = None
    cohort: str = ""
    verdicts: Mapping[str, Verdict] = field(default_factory=dict)  # by tracking number

    @classmethod
    def of_card(cls, label: str, card: TraineeScore, cohort: str = "",
                verdicts: Mapping[str, Verdict] | None = None) -> Member:
        return cls(label, tuple(card.reports), card.summary.total_pct, cohort,
                   dict(verdicts or {}))

    def verdict(self, tracking_no: str) -> Verdict:
        return self.verdicts.get(tracking_no, Verdict.BELUM)


@dataclass(frozen=True)
class Figure:
    """A figure computed for each participant, compared between groups by `difference`."""

    key: str
    label: str
    unit: str  # "%", "HK" or "" (a count)
    higher_is_better: bool
    value: Callable[[Member], float | None]


def _routing_pct(member: Member) -> float | None:
    routed = [r for r in member.reports if r.routed_exactly is not None]
    return _share(sum(bool(r.routed_exactly) for r in routed), len(routed))


def _quality_pct(member: Member) -> float | None:
    qualities = [r.quality for r in member.reports if r.quality is not None]
    average = mean(qualities)
    return None if average is None else 100 * average


FIGURES: tuple[Figure, ...] = (
    Figure("total", "Nilai total", "%", True, lambda m: m.total_pct),
    Figure("routing", "Disposisi tepat", "%", True, _routing_pct),
    Figure("verify", "Waktu verifikasi (median per peserta)", "HK", False,
           lambda m: median([r.verify_hk for r in m.reports if r.verify_hk is not None])),
    Figure("first_tl", "Waktu TL pertama (median per peserta)", "HK", False,
           lambda m: median([r.first_tl_hk for r in m.reports if r.first_tl_hk is not None])),
    Figure("breaches", "Batas waktu terlewati", "", False,
           lambda m: float(sum(r.breaches for r in m.reports))),
    Figure("quality", "Mutu TL", "%", True, _quality_pct),
    Figure("confidentiality", "Kesalahan kerahasiaan", "", False,
           lambda m: float(sum(r.confidentiality_errors for r in m.reports))),
)
FIGURES_BY_KEY = {f.key: f for f in FIGURES}


@dataclass(frozen=True)
class Accuracy:
    """How a group did on one topic or one report: received, right (tepat), wrong
    (sebagian or kurang tepat) and not handled."""

    received: int = 0
    right: int = 0
    wrong: int = 0
    idle: int = 0

    @property
    def pct(self) -> float | None:
        """The share decided right, of those who received it."""
        return _share(self.right, self.received)

    @property
    def trapped(self) -> bool:
        """Whether the group fell into this trap: at least half of those who received it
        decided it wrongly (not handling it is not falling in)."""
        return self.wrong > 0 and 2 * self.wrong >= self.received

    def add(self, verdict: Verdict) -> Accuracy:
        return Accuracy(self.received + 1, self.right + (verdict == Verdict.TEPAT),
                        self.wrong + (verdict in (Verdict.SALAH, Verdict.SEBAGIAN)),
                        self.idle + (verdict == Verdict.BELUM))


@dataclass(frozen=True)
class GroupFigures:
    """A group's figures. Routing accuracy, times and TL quality are pooled over every
    report of the group's participants; breaches and confidentiality errors are per
    participant (the group's total divided by its participants). Routing accuracy counts,
    as the report card does, every report whose key names a destination: one not yet
    routed counts as not routed exactly."""

    participants: int
    reports: int
    routed: int
    routed_exactly: int
    verify: Spread
    first_tl: Spread
    breaches: int
    quality: tuple[float, ...]  # 0..1, one per report with a TL scored
    confidentiality_errors: int
    totals: tuple[float, ...]  # each participant's total (%)

    @property
    def routing_pct(self) -> float | None:
        return _share(self.routed_exactly, self.routed)

    @property
    def breaches_per_participant(self) -> float | None:
        return self.breaches / self.participants if self.participants else None

    @property
    def quality_pct(self) -> float | None:
        average = mean(self.quality)
        return None if average is None else 100 * average

    @property
    def confidentiality_per_participant(self) -> float | None:
        return self.confidentiality_errors / self.participants if self.participants else None

    @property
    def total_pct(self) -> float | None:
        return mean(self.totals)


def group_figures(members: Sequence[Member]) -> GroupFigures:
    """The figures of a group of participants (see GroupFigures for what is pooled)."""
    reports = [r for m in members for r in m.reports]
    routed = [r for r in reports if r.routed_exactly is not None]
    return GroupFigures(
        participants=len(members), reports=len(reports), routed=len(routed),
        routed_exactly=sum(bool(r.routed_exactly) for r in routed),
        verify=Spread.of(r.verify_hk for r in reports if r.verify_hk is not None),
        first_tl=Spread.of(r.first_tl_hk for r in reports if r.first_tl_hk is not None),
        breaches=sum(r.breaches for r in reports),
        quality=tuple(r.quality for r in reports if r.quality is not None),
        confidentiality_errors=sum(r.confidentiality_errors for r in reports),
        totals=tuple(m.total_pct for m in members if m.total_pct is not None),
    )


def accuracy_by(members: Sequence[Member], key_of: Callable[[str], str | None]
                ) -> dict[str, Accuracy]:
    """Accuracy per key (a topic, or the report itself): every report a participant
    received counts once under `key_of(tracking number)`; None leaves it out."""
    found: dict[str, Accuracy] = {}
    for member in members:
        for report in member.reports:
            key = key_of(report.tracking_no)
            if key is not None:
                found[key] = found.get(key, Accuracy()).add(member.verdict(report.tracking_no))
    return found


# ------------------------------------------------------------------ how large a difference?


@dataclass(frozen=True)
class Difference:
    """One figure compared between two groups, worded for people."""

    figure: Figure
    first: str  # group labels
    second: str
    first_n: int  # participants with this figure
    second_n: int
    first_mean: float | None
    second_mean: float | None
    pooled_sd: float | None
    effect: float | None  # (first mean − second mean) / pooled SD
    size: str  # "kecil", "sedang", "besar", "tidak ada", or TOO_SMALL
    text: str

    @property
    def effect_shown(self) -> float | None:
        """The standardised difference as the text gives it, to two decimals (cut_effect)."""
        return None if self.effect is None else cut_effect(self.effect)


def cut_effect(effect: float) -> float:
    """A standardised difference cut toward zero (not rounded) to two decimals, so the
    number shown never crosses the mark that gives its word: 0.797 is 0.79, «sedang»,
    never 0.8 beside «sedang»; a 0.5 computed as 0.4999… stays 0.5."""
    return math.copysign(math.floor(abs(effect) * 100 + 1e-9) / 100, effect)


def _number(value: float, unit: str) -> str:
    text = f"{value:.2f}" if unit == "HK" else f"{value:.1f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return text.replace(".", ",") + ("%" if unit == "%" else f" {unit}" if unit else "")


def size_word(effect: float) -> str:
    """How a standardised difference is worded: kecil, sedang or besar (SIZE_MARKS)."""
    return next(word for mark, word in SIZE_MARKS if abs(effect) >= mark)


def _pooled_sd(a: Sequence[float], b: Sequence[float]) -> float:
    """The pooled standard deviation of two samples (n − 1 in each variance)."""
    spread = (len(a) - 1) * statistics.variance(a) + (len(b) - 1) * statistics.variance(b)
    return math.sqrt(spread / (len(a) + len(b) - 2))


def difference(figure: Figure, first: str, first_members: Sequence[Member], second: str,
               second_members: Sequence[Member]) -> Difference:
    """How large the difference in `figure` between two groups is, against the spread
    inside them: the standardised mean difference (pooled SD). With fewer than
    SMALL_GROUP participants in a group it says the groups are too small to tell."""
    a = [v for v in (figure.value(m) for m in first_members) if v is not None]
    b = [v for v in (figure.value(m) for m in second_members) if v is not None]
    mean_a, mean_b = mean(a), mean(b)

    def made(sd: float | None, effect: float | None, size: str, text: str) -> Difference:
        return Difference(figure, first, second, len(a), len(b), mean_a, mean_b, sd, effect,
                          size, text)

    if len(a) < SMALL_GROUP or len(b) < SMALL_GROUP:
        return made(None, None, TOO_SMALL, (
            f"{TOO_SMALL.capitalize()}: {first} {len(a)} peserta, {second} {len(b)} peserta "
            f"dengan angka ini; perlu minimal {SMALL_GROUP} di tiap kelompok."))
    assert mean_a is not None and mean_b is not None  # both groups have values
    gap = mean_a - mean_b
    means = (f"rata-rata {first} {_number(mean_a, figure.unit)}, {second} "
             f"{_number(mean_b, figure.unit)}")
    sd = _pooled_sd(a, b)
    if gap == 0:
        return made(sd, 0.0, "tidak ada", f"Tidak ada perbedaan ({means}). {NOT_SIGNIFICANCE}")
    higher, lower = (first, second) if gap > 0 else (second, first)
    better = higher if figure.higher_is_better else lower
    direction = f"{better} lebih baik ({means})"
    if sd == 0:
        return made(sd, None, "besar", (
            f"Perbedaan besar: {direction}, dan semua peserta di tiap kelompok sama persis "
            f"(tidak ada sebaran). {NOT_SIGNIFICANCE}"))
    effect = gap / sd
    seen = abs(cut_effect(effect))  # the word is given by the number shown
    word = size_word(seen)
    times = f"{seen:.2f}".replace(".", ",")
    return made(sd, effect, word, (
        f"Perbedaan {word}: {direction}; selisihnya {times} kali sebaran di dalam kelompok "
        f"(SD gabungan {_number(sd, figure.unit)}). {NOT_SIGNIFICANCE}"))


# ------------------------------------------------------------------ the comparison


@dataclass(frozen=True)
class ReportInfo:
    """What the comparison shows of one report of a session's schedule."""

    tracking_no: str
    position: int
    topic: str  # the answer key's topic id
    topic_title: str
    subject: str
    expected: str = ""


@dataclass(frozen=True)
class SessionResults:
    """One session as the comparison reads it: its facts, its counted participants."""

    facts: SessionFacts
    title: str
    members: tuple[Member, ...]
    reports: Mapping[str, ReportInfo]  # by tracking number
    label: str = ""  # how the session is named in the comparison; default its code
    teams: bool = False  # members are teams (mode tim)
    # Its counted people (in mode tim too), as people over time reads them (domain.people).
    people: tuple[Attendee, ...] = ()
    # Its tes awal and tes akhir measured (domain.learning); None: the session has none.
    learning: SessionLearning | None = None

    @property
    def name(self) -> str:
        return self.label or self.facts.code


@dataclass(frozen=True)
class Group:
    """A session, or one cohort within a session, with its figures."""

    label: str
    session: str  # the session's name in the comparison
    cohort: str  # "" for the whole session
    members: tuple[Member, ...]
    figures: GroupFigures
    topics: dict[str, Accuracy]  # by topic id
    traps: dict[str, Accuracy]  # by tracking number


def _group(session: SessionResults, members: Sequence[Member], cohort: str = "") -> Group:
    def topic(number: str) -> str | None:
        info = session.reports.get(number)
        return info.topic if info else None

    label = f"{session.name} · {cohort}" if cohort else session.name
    return Group(label, session.name, cohort, tuple(members), group_figures(members),
                 accuracy_by(members, topic), accuracy_by(members, lambda n: n))


def cohorts_of(cohorts: Iterable[str]) -> list[str]:
    """The cohorts a group is split into, by name: every named one when there are two or
    more, or one beside members without a cohort; none when everyone is in one cohort."""
    given = list(cohorts)
    named = sorted({c for c in given if c}, key=str.casefold)
    return named if len(named) > 1 or (named and any(not c for c in given)) else []


def groups_of(session: SessionResults) -> list[Group]:
    """The session as one group, then each of its cohorts (cohorts_of)."""
    groups = [_group(session, session.members)]
    for cohort in cohorts_of(m.cohort for m in session.members):
        groups.append(_group(session, [m for m in session.members if m.cohort == cohort],
                             cohort))
    return groups


@dataclass(frozen=True)
class Comparison:
    """Sessions side by side: the verdict on whether they are comparable, then (unless
    refused) their groups, per-topic and per-report accuracy, and the differences."""

    sessions: tuple[SessionResults, ...]
    compatibility: Compatibility
    groups: tuple[Group, ...] = ()
    differences: tuple[Difference, ...] = ()

    @property
    def session_groups(self) -> list[Group]:
        return [g for g in self.groups if not g.cohort]

    def topics(self) -> list[tuple[str, str]]:
        """(topic id, title) of every topic any group received, by first appearance."""
        seen: dict[str, str] = {}
        for session in self.sessions:
            for info in sorted(session.reports.values(), key=lambda i: i.position):
                seen.setdefault(info.topic, info.topic_title)
        received = {key for g in self.groups for key in g.topics}
        return [(key, title) for key, title in seen.items() if key in received]

    def difference_pairs(self) -> list[tuple[str, str, list[Difference]]]:
        """The differences by pair of sessions: (first, second, every figure's)."""
        pairs: dict[tuple[str, str], list[Difference]] = {}
        for found in self.differences:
            pairs.setdefault((found.first, found.second), []).append(found)
        return [(first, second, found) for (first, second), found in pairs.items()]

    def traps(self) -> list[ReportInfo]:
        """Every report any group received, in the order of the schedule."""
        seen: dict[str, ReportInfo] = {}
        for session in self.sessions:
            for info in sorted(session.reports.values(), key=lambda i: i.position):
                seen.setdefault(info.tracking_no, info)
        received = {key for g in self.groups for key in g.traps}
        return sorted((i for i in seen.values() if i.tracking_no in received),
                      key=lambda i: (i.position, i.tracking_no))


def compare(sessions: Sequence[SessionResults], allow: bool = False) -> Comparison:
    """Compare sessions: refused (no groups) when they did not do the same work, unless
    `allow`; else their groups and, for every pair of sessions, every figure's difference."""
    verdict = compatibility([s.facts for s in sessions], allow)
    if verdict.refused:
        return Comparison(tuple(sessions), verdict)
    groups = [g for s in sessions for g in groups_of(s)]
    whole = [g for g in groups if not g.cohort]
    differences = [difference(figure, a.label, a.members, b.label, b.members)
                   for a, b in combinations(whole, 2) for figure in FIGURES]
    return Comparison(tuple(sessions), verdict, tuple(groups), tuple(differences))
