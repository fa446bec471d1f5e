"""Tes awal and tes akhir: which reports are a test, and how much a group learned between
the two tests.

A scenario may open a session with a short pre-test (tes awal) and close it with a
post-test (tes akhir): a few reports drawn from the same traps but not the same texts
(domain.scenario checks that). They are scored apart from the exercise, by the same one
judge (domain.scoring on just those reports), so a participant has three cards: the
exercise's, the tes awal's and the tes akhir's.

Rules owned here, once:
- `phase_of`: whether a report is a test report, and of which test, read from its stored
  answer key (`"tes": "awal"` or `"akhir"`).
- `MEASURES`: what is compared between the two tests for one participant, read from their
  test card and the verdict on each decision (domain.decisions).
- `gain`: a group's paired change in one measure: only participants who handled both
  tests count; the mean change, how many improved, stayed or got worse, and the
  standardised mean gain (the mean of the paired differences divided by their standard
  deviation), worded kecil, sedang or besar with domain.comparison's marks and words,
  never as significance; fewer than SMALL_GROUP pairs is too small to tell, and the
  numbers are still shown.
- `trap_shifts`: per trap (domain.traps), the share of the group who fell into it in
  each test.

A participant here is whoever holds a card: a person, or in mode tim a team.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sandbox.domain.comparison import SMALL_GROUP, TOO_SMALL, cohorts_of, cut_effect, size_word
from sandbox.domain.decisions import Verdict
from sandbox.domain.scoring import Dimension, TraineeScore
from sandbox.domain.stats import mean
from sandbox.domain.traps import TRAPS, Trap, fell, traps_of

PHASE_KEY = "tes"  # the answer key's field that marks a test report
SAME = 1e-9  # a change smaller than this (floating point noise) is no change


class Phase(StrEnum):
    """Which test a report belongs to: the one at the start, or the one near the end."""

    AWAL = "awal"
    AKHIR = "akhir"

    @property
    def label(self) -> str:
        return PHASE_LABELS[self]


PHASE_LABELS = {Phase.AWAL: "Tes awal", Phase.AKHIR: "Tes akhir"}


def phase_of(key: Mapping[str, Any]) -> Phase | None:
    """The test a report belongs to, from its answer key; None for an exercise report
    (and for a value that is not a phase: archives are checked on import)."""
    value = key.get(PHASE_KEY)
    if not isinstance(value, str):
        return None
    try:
        return Phase(value)
    except ValueError:
        return None


def parse_phase(value: Any) -> Phase | None:
    """A phase as written in a scenario or an archive, or None when it is not one."""
    return Phase(value) if isinstance(value, str) and value in tuple(Phase) else None


# ------------------------------------------------------------------ one participant


@dataclass(frozen=True)
class Attempt:
    """One participant's one test: its card (domain.scoring on the test's reports only),
    the verdict on each report's decision and each report's answer key."""

    card: TraineeScore
    verdicts: Mapping[str, Verdict] = field(default_factory=dict)  # by tracking number
    keys: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    @property
    def handled(self) -> bool:
        """Whether the participant did anything with the test: one that was never touched
        is a test not taken, not a score of zero."""
        return self.card.summary.handled > 0

    def verdict(self, tracking_no: str) -> Verdict:
        return self.verdicts.get(tracking_no, Verdict.BELUM)


@dataclass(frozen=True)
class Learner:
    """A participant with their two tests (None: the test never reached them)."""

    label: str
    cohort: str = ""
    pre: Attempt | None = None
    post: Attempt | None = None
    unit: str = ""  # a person's unit of work, for a workbook; "" for a team

    def took(self, phase: Phase) -> bool:
        attempt = self.pre if phase == Phase.AWAL else self.post
        return attempt is not None and attempt.handled

    @property
    def paired(self) -> bool:
        """Whether both tests were handled: only such a participant's change counts."""
        return self.took(Phase.AWAL) and self.took(Phase.AKHIR)


@dataclass(frozen=True)
class Measure:
    """A figure of one test (a percentage), compared between the two tests."""

    key: str
    label: str
    value: Callable[[Attempt], float | None]  # None: not measured in this test


def _decisions_pct(attempt: Attempt) -> float | None:
    reports = attempt.card.reports
    if not reports:
        return None
    right = sum(attempt.verdict(r.tracking_no) == Verdict.TEPAT for r in reports)
    return 100 * right / len(reports)


def _dimension_pct(dimension: Dimension) -> Callable[[Attempt], float | None]:
    def value(attempt: Attempt) -> float | None:
        points, maximum = attempt.card.by_dimension.get(dimension, (0.0, 0.0))
        return 100 * points / maximum if maximum else None
    return value


MEASURES: tuple[Measure, ...] = (
    Measure("total", "Nilai total tes",
            lambda a: a.card.summary.total_pct if a.card.reports else None),
    Measure("keputusan", "Keputusan tepat", _decisions_pct),
    Measure("klasifikasi", Dimension.KLASIFIKASI.label, _dimension_pct(Dimension.KLASIFIKASI)),
    Measure("kerahasiaan", Dimension.KERAHASIAAN.label, _dimension_pct(Dimension.KERAHASIAAN)),
    Measure("kualitas", Dimension.KUALITAS.label, _dimension_pct(Dimension.KUALITAS)),
    Measure("waktu", Dimension.WAKTU.label, _dimension_pct(Dimension.WAKTU)),
)


@dataclass(frozen=True)
class Change:
    """One participant's figure in each test, and the change."""

    measure: Measure
    pre: float | None
    post: float | None

    @property
    def gain(self) -> float | None:
        return None if self.pre is None or self.post is None else self.post - self.pre


def changes(learner: Learner) -> list[Change]:
    """A participant's figures in the tes awal and the tes akhir, measure by measure (a
    test not handled has no figures); measures neither test has are left out."""
    pre = learner.pre if learner.took(Phase.AWAL) else None
    post = learner.post if learner.took(Phase.AKHIR) else None
    found = [Change(m, m.value(pre) if pre else None, m.value(post) if post else None)
             for m in MEASURES]
    return [c for c in found if c.pre is not None or c.post is not None]


# ------------------------------------------------------------------ a group


def number(value: float, suffix: str = "%") -> str:
    """A figure as the pages word it: one decimal, a decimal comma, no trailing ,0."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return ("0" if text in ("-0", "") else text).replace(".", ",") + suffix


GAIN_NOT_SIGNIFICANCE = ("Ini ukuran besarnya perubahan dibanding sebaran perubahan "
                         "antarpeserta, bukan uji signifikansi.")
GAIN_METHOD = (
    "Cara membaca: untuk setiap peserta yang mengerjakan kedua tes dihitung selisih tes akhir "
    "dikurangi tes awal (dalam poin persen). Rata-rata selisih itu dibagi simpangan baku (SD) "
    "selisihnya memberi kenaikan terstandar: seberapa besar perubahan dibanding perbedaan "
    "perubahan antarpeserta. Di bawah 0,5 disebut kecil, 0,5 sampai 0,8 sedang, 0,8 ke atas "
    f"besar. Kelompok dengan kurang dari {SMALL_GROUP} pasangan terlalu kecil untuk "
    "disimpulkan; angkanya tetap ditampilkan. Tes akhir memakai laporan lain dengan jebakan "
    "yang sama, jadi sebagian perubahan bisa datang dari laporannya, bukan dari pelatihan. "
    "Ini bukan uji signifikansi: angka ini tidak mengatakan apakah perubahan akan terulang "
    "pada kelompok lain.")


# What a page words the gain with (templates/_learning.html).
WORDING: Mapping[str, Any] = {"gain_method": GAIN_METHOD,
                              "gain_not_significance": GAIN_NOT_SIGNIFICANCE,
                              "small_group": SMALL_GROUP}


@dataclass(frozen=True)
class Gain:
    """A group's paired change in one measure, worded for people."""

    measure: Measure
    pairs: int  # participants with the figure in both tests
    mean_pre: float | None
    mean_post: float | None
    mean_gain: float | None
    improved: int
    same: int
    worse: int
    sd: float | None  # SD of the paired differences (n − 1); None for a small group
    effect: float | None  # mean gain / sd
    size: str  # "kecil", "sedang", "besar", "tidak ada", or TOO_SMALL
    text: str

    @property
    def effect_shown(self) -> float | None:
        """The standardised gain as the text gives it, to two decimals (cut_effect)."""
        return None if self.effect is None else cut_effect(self.effect)


def gain(measure: Measure, learners: Sequence[Learner]) -> Gain:
    """The paired change of a group in `measure`: only participants who handled both tests
    and have the figure in both count; the standardised mean gain is the mean of the
    differences over their SD. Fewer than SMALL_GROUP pairs: too small to tell."""
    pairs = []
    for learner in learners:
        if learner.paired and learner.pre is not None and learner.post is not None:
            before, after = measure.value(learner.pre), measure.value(learner.post)
            if before is not None and after is not None:
                pairs.append((before, after))
    differences = [after - before for before, after in pairs]
    mean_pre = mean([before for before, _ in pairs])
    mean_post = mean([after for _, after in pairs])
    mean_gain = mean(differences)
    improved = sum(d > SAME for d in differences)
    worse = sum(d < -SAME for d in differences)

    def made(sd: float | None, effect: float | None, size: str, text: str) -> Gain:
        return Gain(measure, len(pairs), mean_pre, mean_post, mean_gain, improved,
                    len(pairs) - improved - worse, worse, sd, effect, size, text)

    if len(pairs) < SMALL_GROUP:
        return made(None, None, TOO_SMALL, (
            f"{TOO_SMALL.capitalize()}: {len(pairs)} peserta dengan angka ini di kedua tes; "
            f"perlu minimal {SMALL_GROUP}."))
    assert mean_pre is not None and mean_post is not None and mean_gain is not None
    means = f"tes awal {number(mean_pre)}, tes akhir {number(mean_post)}"
    sd = statistics.stdev(differences)
    if abs(mean_gain) <= SAME:
        return made(sd, 0.0, "tidak ada", f"Tidak ada perubahan rata-rata ({means}). "
                                          f"{GAIN_NOT_SIGNIFICANCE}")
    way, moved = ("Kenaikan", "naik") if mean_gain > 0 else ("Penurunan", "turun")
    change = number(abs(mean_gain), " poin")
    if sd <= SAME:
        return made(sd, None, "besar", (
            f"{way} besar: semua peserta {moved} persis {change} ({means}); tidak ada sebaran. "
            f"{GAIN_NOT_SIGNIFICANCE}"))
    effect = mean_gain / sd
    seen = abs(cut_effect(effect))  # the word is given by the number shown
    word = size_word(seen)
    times = f"{seen:.2f}".replace(".", ",")
    return made(sd, effect, word, (
        f"{way} {word}: rata-rata {moved} {change} ({means}); {times} kali sebaran perubahan "
        f"antarpeserta (SD selisih {number(sd, ' poin')}). {GAIN_NOT_SIGNIFICANCE}"))


@dataclass(frozen=True)
class TrapShift:
    """How many of a group fell into one trap in each test, of those it was judged for."""

    trap: Trap
    pre_fell: int
    pre_judged: int
    post_fell: int
    post_judged: int

    @property
    def pre_pct(self) -> float | None:
        return 100 * self.pre_fell / self.pre_judged if self.pre_judged else None

    @property
    def post_pct(self) -> float | None:
        return 100 * self.post_fell / self.post_judged if self.post_judged else None


def _fallen(attempt: Attempt) -> dict[str, bool]:
    """Trap -> whether the participant fell into it on any report of this test that set
    it; a trap whose reports were all left undecided is not judged (absent)."""
    found: dict[str, bool] = {}
    for report in attempt.card.reports:
        key = attempt.keys.get(report.tracking_no, {})
        for trap in traps_of(key):
            verdict = fell(trap, attempt.verdict(report.tracking_no),
                           report.confidentiality_errors)
            if verdict is not None:
                found[trap] = found.get(trap, False) or verdict
    return found


def trap_shifts(learners: Sequence[Learner]) -> list[TrapShift]:
    """Per trap (in domain.traps order), how many of the paired participants fell into it
    in the tes awal and in the tes akhir."""
    counts = {t.key: [0, 0, 0, 0] for t in TRAPS}
    for learner in learners:
        if not learner.paired or learner.pre is None or learner.post is None:
            continue
        for offset, attempt in ((0, learner.pre), (2, learner.post)):
            for trap, fallen in _fallen(attempt).items():
                counts[trap][offset] += fallen
                counts[trap][offset + 1] += 1
    return [TrapShift(t, *counts[t.key]) for t in TRAPS if counts[t.key][1] or counts[t.key][3]]


@dataclass(frozen=True)
class LearningGroup:
    """A session, or one cohort of it, with its gains and trap shifts."""

    label: str
    cohort: str  # "" for the whole room
    members: int
    paired: int
    without_pre: int  # members who did not handle the tes awal
    without_post: int
    gains: tuple[Gain, ...]
    traps: tuple[TrapShift, ...]

    @property
    def lacking(self) -> int:
        """Members left out of the change: one test or both not handled."""
        return self.members - self.paired

    @property
    def too_small(self) -> bool:
        return self.paired < SMALL_GROUP


def learning_group(label: str, learners: Sequence[Learner], cohort: str = "") -> LearningGroup:
    """A group's gain in every measure some member has, and its trap shifts."""
    measured = {c.measure.key for learner in learners for c in changes(learner)}
    return LearningGroup(
        label=label, cohort=cohort, members=len(learners),
        paired=sum(learner.paired for learner in learners),
        without_pre=sum(not learner.took(Phase.AWAL) for learner in learners),
        without_post=sum(not learner.took(Phase.AKHIR) for learner in learners),
        gains=tuple(gain(m, learners) for m in MEASURES if m.key in measured),
        traps=tuple(trap_shifts(learners)))


def learning_groups(label: str, learners: Sequence[Learner]) -> list[LearningGroup]:
    """The whole room as one group, then each cohort (domain.comparison.cohorts_of)."""
    groups = [learning_group(label, learners)]
    for cohort in cohorts_of(learner.cohort for learner in learners):
        groups.append(learning_group(f"{label} · {cohort}" if label else cohort,
                                     [x for x in learners if x.cohort == cohort], cohort))
    return groups


@dataclass(frozen=True)
class SessionLearning:
    """One session's tests: its participants (or teams) and its groups (learning_groups)."""

    name: str
    learners: tuple[Learner, ...]
    groups: tuple[LearningGroup, ...]
    teams: bool = False  # the participants are teams (mode tim)

    @property
    def room(self) -> LearningGroup:
        return self.groups[0]


def session_learning(name: str, learners: Iterable[Learner],
                     teams: bool = False) -> SessionLearning:
    """A session's learners with the room's and each cohort's gains."""
    found = tuple(learners)
    return SessionLearning(name, found, tuple(learning_groups(name, found)), teams)


@dataclass(frozen=True)
class SideBySide:
    """Several sessions' tests side by side (a studi komparasi): every group (each session,
    then its cohorts) as a column; a row per measure and per trap that any group has."""

    groups: tuple[LearningGroup, ...]
    gains: tuple[tuple[Measure, tuple[Gain | None, ...]], ...]
    traps: tuple[tuple[Trap, tuple[TrapShift | None, ...]], ...]


def side_by_side(sessions: Sequence[SessionLearning]) -> SideBySide:
    """The groups of every session in order, with their gains and trap shifts by row."""
    groups = tuple(g for session in sessions for g in session.groups)
    gains = []
    for measure in MEASURES:
        row = tuple(next((x for x in g.gains if x.measure.key == measure.key), None)
                    for g in groups)
        if any(x is not None for x in row):
            gains.append((measure, row))
    traps = []
    for trap in TRAPS:
        shifts = tuple(next((x for x in g.traps if x.trap.key == trap.key), None)
                       for g in groups)
        if any(x is not None for x in shifts):
            traps.append((trap, shifts))
    return SideBySide(groups, tuple(gains), tuple(traps))


def has_tests(keys: Iterable[Mapping[str, Any]]) -> bool:
    """Whether any of these answer keys is a test report's."""
    return any(phase_of(key) is not None for key in keys)
