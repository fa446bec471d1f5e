"""Scoring: pure functions from a trainee's event records and the answer key to points.

Every line of a score carries its points, its maximum and an Indonesian
explanation. Nothing here is stored: scores are recomputed from events, and
`SCORING_VERSION` is recorded with each session so old results read the same
after a rule changes.
"""

from __future__ import annotations

import re
import statistics
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sandbox.domain.clock import Calendar
from sandbox.domain.decisions import (
    ACTION_LABELS,
    DISPOSING,
    NOT_HANDLED,
    answered_at,
    expects_answer,
    judge_decision,
    judge_receipt,
    received_by,
    wrongly_disposed,
)
from sandbox.domain.identity import Exposure, exposures_in, report_protected
from sandbox.domain.sla import (
    LimitStatus,
    SlaSettings,
    Zone,
    joined_late,
    limits,
    own_limits,
)
from sandbox.domain.stats import percentile
from sandbox.domain.tl_quality import assess_tl
from sandbox.domain.workflow import (
    KLASIFIKASI_LABELS,
    Action,
    ArchiveReason,
    EventRecord,
    Klasifikasi,
    Role,
    replay,
)

SCORING_VERSION = 1


class Dimension(StrEnum):
    ROUTING = "routing"
    AKSI = "aksi"
    KLASIFIKASI = "klasifikasi"
    KERAHASIAAN = "kerahasiaan"
    WAKTU = "waktu"
    KUALITAS = "kualitas"
    HASIL = "hasil"
    PENERIMAAN = "penerimaan"  # mode OPD: recognising a wrong disposition to one's OPD

    @property
    def label(self) -> str:
        return DIMENSION_LABELS[self]


DIMENSION_LABELS = {
    Dimension.ROUTING: "Ketepatan tujuan (disposisi)",
    Dimension.AKSI: "Pilihan tindakan",
    Dimension.KLASIFIKASI: "Klasifikasi dan kategori",
    Dimension.KERAHASIAAN: "Kerahasiaan",
    Dimension.WAKTU: "Ketepatan waktu",
    Dimension.KUALITAS: "Mutu tindak lanjut",
    Dimension.HASIL: "Tanggapan pelapor",
    Dimension.PENERIMAAN: "Pemeriksaan disposisi",
}
# The dimensions a trainee is scored on: every admin decision in individual mode; only
# what the admin penghubung does in mode OPD.
INDIVIDUAL_DIMENSIONS = tuple(d for d in Dimension if d != Dimension.PENERIMAAN)
PENGHUBUNG_DIMENSIONS = (Dimension.PENERIMAAN, Dimension.KERAHASIAAN, Dimension.WAKTU,
                         Dimension.KUALITAS, Dimension.HASIL)


def dimensions(penghubung: bool, team: bool = False) -> tuple[Dimension, ...]:
    """The dimensions of a session's trainees (`penghubung`: mode OPD; `team`: mode tim,
    whose people are scored on their role's dimensions, and the team on all)."""
    if team:
        return tuple(Dimension)
    return PENGHUBUNG_DIMENSIONS if penghubung else INDIVIDUAL_DIMENSIONS


ACCURACY = (Dimension.ROUTING, Dimension.AKSI, Dimension.KLASIFIKASI, Dimension.KERAHASIAAN,
            Dimension.KUALITAS, Dimension.PENERIMAAN)


@dataclass(frozen=True)
class ScoringSettings:
    """Points per report for each dimension, and the penalties; overridable per scenario."""

    weights: Mapping[str, float] = field(default_factory=lambda: {
        "routing": 25, "aksi": 15, "klasifikasi": 10, "kerahasiaan": 15, "waktu": 15,
        "kualitas": 10, "hasil": 10, "penerimaan": 25})
    # Points a report loses for exposing its reporter's identity: never less than its whole
    # confidentiality weight; any excess is an extra penalty line.
    leak_penalty: float = 15
    redispose_cost: float = 0.1  # share of routing lost per extra disposition
    late_penalty: float = 0.25  # share of a time limit's points lost when it is missed
    tl_min: int = 150
    tl_max: int = 1500
    copy_threshold: float = 0.6  # word-trigram Jaccard similarity counted as a copy

    def weight(self, dimension: Dimension) -> float:
        return float(self.weights.get(dimension.value, 0))


@dataclass(frozen=True)
class Line:
    """One scored line: points out of a maximum, and why."""

    dimension: Dimension
    points: float
    maximum: float
    explanation: str
    passed: bool | None = None  # for checklist items

    @property
    def missed(self) -> bool:
        """Whether this line cost the trainee anything: a failed check or points short."""
        return self.passed is False or (self.passed is None and self.points < self.maximum)


@dataclass(frozen=True)
class ReportInput:
    """What scoring needs about one report of one trainee."""

    tracking_no: str
    arrived_at: datetime
    key: Mapping[str, Any]
    reporter: Mapping[str, Any]
    events: Sequence[EventRecord]
    unit_names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    admin_unit: str = ""
    scripted: bool = True
    overrides: Mapping[int, int] = field(default_factory=dict)  # TL seq -> rubric 1..5
    joined_at: datetime | None = None  # when the trainee joined (simulated), if after the start
    # Mode OPD: the trainee is only the admin penghubung of this OPD; they are scored on
    # answering what was disposed to them, not on the Admin Instansi's decisions.
    own_unit: str | None = None
    # Mode tim: the trainee is the team's Admin Instansi; they are scored on verifying and
    # disposing, and on answering only the reports they kept (kelola sendiri), not on the
    # OPDs' TLs.
    instansi_only: bool = False


@dataclass
class ReportScore:
    tracking_no: str
    lines: list[Line]
    did: str
    expected: str
    explanation: str
    first_time_correct: bool | None
    routed_exactly: bool | None
    verify_hk: float | None
    first_tl_hk: float | None
    breaches: int
    quality: float | None  # 0..1 share of the TL checklist (or the facilitator's rubric)
    confidentiality_errors: int
    has_tl: bool
    selesai: bool
    exposures: tuple[Exposure, ...] = ()  # where the reporter's identity was exposed
    tl_concrete: bool | None = None  # the judge's verdict on the scored TL
    stock_phrases: tuple[str, ...] = ()  # stock phrases of the scored TL
    # The score reads the same until this simulated moment unless a new event comes
    # (None: until the next event). See `steady_until`. Not part of what the score reads,
    # so two equal scores computed at different moments compare equal.
    steady_until: datetime | None = field(default=None, compare=False)
    # What it was scored from besides time (report_basis): a later card may reuse it.
    basis: str = field(default="", compare=False)

    @property
    def headline_failures(self) -> list[str]:
        """Failures shown first on the card and in the feedback: an exposed identity."""
        if not self.exposures:
            return []
        return [f"Identitas pelapor terbuka: {'; '.join(e.text for e in self.exposures)}. "
                "Seluruh poin kerahasiaan laporan ini hilang."]

    def points(self, dimension: Dimension | None = None) -> float:
        return sum(x.points for x in self.lines if dimension is None or x.dimension == dimension)

    def maximum(self, dimension: Dimension | None = None) -> float:
        return sum(x.maximum for x in self.lines
                   if (dimension is None or x.dimension == dimension) and x.passed is None)


# ------------------------------------------------------------------ TL checks

_WORD = re.compile(r"[a-z0-9]+")


def _shingles(text: str) -> frozenset[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return frozenset(zip(words, words[1:], words[2:], strict=False))


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of word trigrams: 1.0 for the same text, near 0 for unrelated ones."""
    return _jaccard(_shingles(a), _shingles(b))


def _jaccard(x: frozenset[tuple[str, ...]], y: frozenset[tuple[str, ...]]) -> float:
    if not x or not y:
        return 0.0
    return len(x & y) / len(x | y)


# ------------------------------------------------------------------ one report


def _time_fraction(used: timedelta, limit: timedelta, yellow: float, late: float) -> float:
    """Full points in the green zone, decaying to half through yellow, a penalty past it."""
    if used >= limit:
        return -late
    start = limit * yellow
    if used <= start:
        return 1.0
    return 1.0 - 0.5 * ((used - start) / (limit - start))


def score_report(report: ReportInput, copies: Sequence[str], settings: ScoringSettings,
                 sla: SlaSettings, calendar: Calendar, now: datetime) -> ReportScore:
    """Every dimension of one report, each line with points, maximum and explanation."""
    key = report.key
    events = list(report.events)
    view = replay(events)
    disposals = [e for e in events if e.action in DISPOSING]
    lines: list[Line] = []

    def add(dimension: Dimension, fraction: float, text: str) -> None:
        weight = settings.weight(dimension)
        if weight:
            lines.append(Line(dimension, round(weight * fraction, 2), weight, text))

    def destination(event: EventRecord) -> str:
        if event.action == Action.BUKAN_WEWENANG:
            return str(event.payload.get("instansi"))
        if event.action == Action.KELOLA_SENDIRI:
            return report.admin_unit
        return str(event.payload.get("unit"))

    def name(code: str | None) -> str:
        names = report.unit_names.get(code or "")
        return names[0] if names else str(code)

    receipt = None
    # Mode tim's Admin Instansi answers only what it kept; the OPDs answer the rest.
    kept = bool(disposals) and disposals[-1].action == Action.KELOLA_SENDIRI
    answers = not report.instansi_only or kept
    # An admin penghubung answers only for what they wrote while the report was with their
    # OPD, not for another OPD's TL after a return (domain.decisions.answered_at).
    own = answered_at(events, report.own_unit) if report.own_unit is not None else events
    theirs = {e.seq for e in own}
    if report.own_unit is None:
        # Action choice and routing: the one verdict on the decision (domain.decisions)
        judged = judge_decision(key, events, unit_names=report.unit_names,
                                admin_unit=report.admin_unit,
                                redispose_cost=settings.redispose_cost)
        did = judged.did
        add(Dimension.AKSI, judged.action.fraction, judged.action.text)
        if judged.routing is not None:
            add(Dimension.ROUTING, judged.routing.fraction, judged.routing.text)
        first_time, exact = judged.first_time_correct, judged.routed_exactly
        verified = next((e for e in reversed(events)
                         if e.action in (Action.VERIFIKASI, Action.KELOLA_SENDIRI)), None)
    else:
        # Mode OPD: was a wrong disposition recognised, a right one acted on?
        receipt = judge_receipt(key, events, report.own_unit, unit_names=report.unit_names)
        did = receipt.did if receipt is not None else NOT_HANDLED
        if receipt is not None:
            add(Dimension.PENERIMAAN, receipt.part.fraction, receipt.part.text)
        first_time = exact = None
        verified = None  # classification and flags are the Admin Instansi's, not theirs

    # Classification ----------------------------------------------------------
    if verified is not None:
        right_k, right_c = key.get("klasifikasi"), key.get("kategori")
        chosen_k, chosen_c = verified.payload.get("klasifikasi"), verified.payload.get("kategori")
        score, notes = 0.0, []
        if chosen_k == right_k:
            score += 0.5
            notes.append("klasifikasi tepat")
        else:
            notes.append(f"klasifikasi seharusnya {_klasifikasi(right_k)}")
        if chosen_c == right_c:
            score += 0.5
            notes.append("kategori tepat")
        else:
            notes.append(f"kategori seharusnya {right_c}")
        add(Dimension.KLASIFIKASI, score, "; ".join(notes).capitalize() + ".")

    # Confidentiality ---------------------------------------------------------
    # An exposed identity is a headline failure: it costs the report's whole
    # confidentiality dimension, however right the flags were.
    errors = 0
    need_r, need_a = bool(key.get("rahasia")), bool(key.get("anonim"))
    protected = report_protected(events, report.reporter, key)
    exposures = [e for e in exposures_in(events, report.reporter, protected=protected)
                 if _written_by_trainee(report, e.action, e.seq, kept, theirs)]
    flag_line: tuple[float, str] | None = None
    if verified is not None:
        set_r, set_a = bool(verified.payload.get("rahasia")), bool(verified.payload.get("anonim"))
        missing = [n for n, need, done in (("rahasia", need_r, set_r), ("anonim", need_a, set_a))
                   if need and not (done or (n == "anonim" and set_r))]
        if missing:
            errors += len(missing)
            flag_line = (0, f"Seharusnya ditandai {' dan '.join(missing)}: identitas pelapor "
                            "harus dilindungi.")
        elif (set_r and not need_r) or (set_a and not (need_a or need_r)):
            flag_line = (0.75, "Tanda kerahasiaan tidak diperlukan: laporan ini boleh tampil "
                               "utuh untuk publik.")
        else:
            flag_line = (1, "Tanda kerahasiaan tepat." if (need_r or need_a) else
                         "Tepat: laporan ini tidak perlu dirahasiakan.")
    if exposures:
        errors += len(exposures)
        where = "; ".join(e.text for e in exposures)
        flags = f" ({flag_line[1]})" if flag_line else ""
        add(Dimension.KERAHASIAAN, 0, f"Identitas pelapor terbuka: {where}. Pelanggaran berat: "
                                      f"seluruh poin kerahasiaan laporan ini hilang{flags}.")
        surplus = settings.leak_penalty - settings.weight(Dimension.KERAHASIAAN)
        if surplus > 0:
            lines.append(Line(Dimension.KERAHASIAAN, -round(surplus, 2), 0,
                              f"Denda kebocoran identitas di atas bobot kerahasiaan: "
                              f"−{surplus:g}."))
    elif flag_line is not None:
        add(Dimension.KERAHASIAAN, *flag_line)
    elif receipt is not None and receipt.response is not None:
        add(Dimension.KERAHASIAAN, 1, "Identitas pelapor tetap terlindungi dalam tanggapan "
                                      "Anda.")
    follow_ups = [e for e in events if e.action == Action.TINDAK_LANJUT]

    # Timeliness --------------------------------------------------------------
    if receipt is None:
        statuses = {s.key: s for s in limits(report.arrived_at, events, view.klasifikasi, sla,
                                             calendar, now, joined_at=report.joined_at)
                    if answers or s.key == "verifikasi"}
    else:  # mode OPD: only their own limit, to answer the disposition
        statuses = {s.key: s for s in own_limits(events, str(report.own_unit), sla, calendar,
                                                 now, joined_at=report.joined_at)}
    breaches = 0
    steady = steady_until(statuses.values(), now)
    time_parts: list[tuple[float, str]] = []
    for limit_key, label in (("verifikasi", "Verifikasi"), ("tindak_lanjut", "TL pertama"),
                             ("penyelesaian", "Penyelesaian"),
                             ("tanggapan", "Tanggapan atas disposisi")):
        status = statuses.get(limit_key)
        # A limit still running earns nothing yet; it only costs once it is missed.
        if status is None or (status.running and status.zone != Zone.MERAH):
            continue
        fraction = _time_fraction(status.used, status.limit, sla.kuning, settings.late_penalty)
        if status.zone == Zone.MERAH:
            breaches += 1
        limit_text = f"{calendar.in_hk(status.limit):g}".replace(".", ",")
        if status.running:  # the card reads the same until the next event (see steady_until)
            time_parts.append((fraction, f"{label}: batas {limit_text} HK terlewati, masih "
                                         f"berjalan ({_zone(status.zone)})"))
            continue
        used_text = f"{calendar.in_hk(status.used):.1f}".replace(".", ",")
        time_parts.append((fraction, f"{label} {used_text} dari {limit_text} HK (selesai, "
                                     f"{_zone(status.zone)})"))
    if time_parts:
        fraction = sum(f for f, _ in time_parts) / len(time_parts)
        since_join = (" Batas waktu dihitung sejak Anda bergabung, bukan sejak laporan masuk."
                      if joined_late(report.arrived_at, report.joined_at) else "")
        add(Dimension.WAKTU, fraction, "; ".join(t for _, t in time_parts) + "." + since_join)

    # TL quality --------------------------------------------------------------
    quality: float | None = None
    concrete: bool | None = None
    stock: tuple[str, ...] = ()
    needs_tl = expects_answer(key, report.own_unit) and did not in (
        "arsipkan", "bukan_wewenang", "kembalikan")
    tl = trainee_tl(report) if answers else None
    needs_tl = needs_tl and answers
    if tl is not None:
        override = report.overrides.get(tl.seq)
        units = report.unit_names.get(destination(disposals[-1]) if disposals else "", ())
        assessment = assess_tl(str(tl.payload.get("isi", "")), protected=protected,
                               reporter=report.reporter, unit_names=units, copies=copies,
                               tl_min=settings.tl_min, tl_max=settings.tl_max)
        concrete, stock = assessment.concrete, assessment.stock_phrases
        checks = assessment.checklist
        weight = settings.weight(Dimension.KUALITAS)
        if override is not None:
            quality = (override - 1) / 4
            add(Dimension.KUALITAS, quality, f"Dinilai fasilitator: {override}/5 (daftar "
                                             f"periksa otomatis {assessment.passed}/"
                                             f"{len(checks)}).")
        else:
            quality = assessment.quality
            add(Dimension.KUALITAS, quality, assessment.summary)
        for check in checks:
            lines.append(Line(Dimension.KUALITAS, 0, weight / len(checks),
                              f"{check.name}: {check.reason}", passed=check.passed))
    elif needs_tl and disposals:
        add(Dimension.KUALITAS, 0, "Belum ada tindak lanjut.")
        quality = 0.0

    # Outcome ------------------------------------------------------------------
    if report.scripted and disposals and needs_tl and answers:
        rating = view.rating
        accepted = any(e.action == Action.PELAPOR_MENERIMA for e in events)
        rejected = sum(e.action == Action.PELAPOR_MENOLAK for e in events)
        auto = any(e.action == Action.SELESAI_OTOMATIS for e in events)
        protest = next((e for e in events if e.payload.get("protes")), None)
        vague = " TL yang dinilai tidak konkret." if concrete is False else ""
        if rating is not None:
            why = f" Pelapor memprotes: {protest.payload.get('isi')}" if protest else vague
            add(Dimension.HASIL, rating / 5, f"Pelapor memberi {rating} bintang.{why}")
        elif accepted:
            add(Dimension.HASIL, 0.8, f"Pelapor menerima jawaban.{vague}")
        elif auto:
            add(Dimension.HASIL, 0.5, "Pelapor tidak menanggapi; laporan selesai otomatis.")
        elif rejected:
            add(Dimension.HASIL, 0, f"Pelapor menolak jawaban ({rejected} kali).")
        else:
            add(Dimension.HASIL, 0, "Belum ada jawaban akhir yang diterima pelapor.")

    verification = statuses.get("verifikasi")
    first_answer = statuses.get("tindak_lanjut") or statuses.get("tanggapan")
    return ReportScore(
        tracking_no=report.tracking_no, lines=lines, did=_did(events, report, name),
        expected=_expected_of(report, name), explanation=str(key.get("explanation", "")),
        first_time_correct=first_time, routed_exactly=exact,
        # Measured like the limits: working time, time in TUNDA left out.
        verify_hk=calendar.in_hk(verification.used)
        if verification is not None and not verification.running else None,
        first_tl_hk=calendar.in_hk(first_answer.used)
        if first_answer is not None and not first_answer.running else None,
        breaches=breaches, quality=quality, confidentiality_errors=errors,
        has_tl=bool(follow_ups), selesai=view.state.value == "SELESAI",
        exposures=tuple(exposures), tl_concrete=concrete, stock_phrases=stock,
        steady_until=steady,
    )


STEADY_MARGIN = timedelta(seconds=1)


def _written_by_trainee(report: ReportInput, action: Action, seq: int, kept: bool,
                        theirs: set[int]) -> bool:
    """Whether the trainee answers for what an event wrote: all of it in individual
    mode; for an admin penghubung only their OPD's answers (`theirs`); only the Admin
    Instansi's (and the TL of a report it kept) for a team's Admin Instansi."""
    if report.own_unit is not None:
        return seq in theirs
    if report.instansi_only:
        return action.role == Role.ADMIN_INSTANSI or kept
    return True


def steady_until(statuses: Iterable[LimitStatus], now: datetime) -> datetime | None:
    """The earliest simulated moment after `now` at which a report's score could read
    differently although no event came (None: it cannot change without an event).

    Only a running limit moves a score by itself, when it is missed: from then on it
    costs points (and the card says it was missed, without the time used so far, which
    the report page shows). The moment is computed as if every hour were a working hour,
    so it is never late (a limit uses working time at most as fast as the clock runs);
    at worst the card is scored again a little early.
    """
    return min((now + max(s.limit - s.used - STEADY_MARGIN, timedelta(0))
                for s in statuses if s.running and s.zone != Zone.MERAH), default=None)


def _reason(code: str | None) -> str:
    try:
        return ArchiveReason(code or "").label
    except ValueError:
        return str(code)


def _klasifikasi(code: Any) -> str:
    try:
        return KLASIFIKASI_LABELS[Klasifikasi(code)]
    except ValueError:
        return str(code)


def _zone(zone: Zone) -> str:
    return {Zone.HIJAU: "hijau", Zone.KUNING: "kuning", Zone.MERAH: "merah"}[zone]


def _did(events: Sequence[EventRecord], report: ReportInput, name: Any) -> str:
    steps = []
    own = {e.seq for e in answered_at(events, report.own_unit)} if report.own_unit else set()
    kept = {e.seq for e in answered_at(events, None)}  # TLs of a report kept (kelola sendiri)
    for event in events:
        if report.own_unit is not None and event.seq not in own:
            continue  # only what their OPD did, not the Admin Instansi nor another OPD
        if report.instansi_only and event.role == Role.ADMIN_PENGHUBUNG \
                and event.seq not in kept:
            continue  # a team's Admin Instansi: not the OPD's answers
        if event.action == Action.VERIFIKASI:
            steps.append(f"disposisi ke {name(event.payload.get('unit'))}")
        elif event.action == Action.KELOLA_SENDIRI:
            steps.append("kelola sendiri")
        elif event.action == Action.BUKAN_WEWENANG:
            steps.append(f"bukan wewenang → {name(event.payload.get('instansi'))}")
        elif event.action == Action.ARSIPKAN:
            steps.append(f"arsip ({_reason(event.payload.get('alasan'))})")
        elif event.action in (Action.TUNDA, Action.KEMBALIKAN):
            steps.append(event.action.label.lower())
        elif event.action == Action.TINDAK_LANJUT:
            steps.append("TL akhir" if event.payload.get("akhir") else "TL")
    return ", ".join(steps) or NOT_HANDLED


def _expected_of(report: ReportInput, name: Any) -> str:
    """What the trainee should have done, in words."""
    if report.own_unit is None:
        return _expected(report.key, name)
    if not wrongly_disposed(report.key, report.own_unit):
        return f"tindak lanjut oleh {name(report.own_unit)}"
    return f"kembalikan ke Admin Instansi: {_expected(report.key, name)}"


def _expected(key: Mapping[str, Any], name: Any) -> str:
    action = str(key["expected_action"])
    target = key.get("expected_target")
    text = ACTION_LABELS.get(action, action)
    if action == "arsipkan":
        return f"arsip ({_reason(key.get('archive_reason'))})"
    if target:
        text += f" → {name(target)}"
    extras = [name(c) for c in key.get("acceptable_targets") or ()]
    if extras:
        text += f" (juga tepat: {', '.join(extras)})"
    return text


# ------------------------------------------------------------------ one trainee


@dataclass
class Summary:
    reports: int
    with_tl_pct: float
    selesai_pct: float
    routing_exact_pct: float
    routing_first_time_pct: float
    verify_median_hk: float | None
    verify_p90_hk: float | None
    first_tl_median_hk: float | None
    first_tl_p90_hk: float | None
    breaches: int
    quality_avg_pct: float | None
    confidentiality_errors: int
    accuracy_pct: float
    speed_pct: float
    total_pct: float
    exposed_reports: int = 0  # reports whose reporter's identity the trainee exposed
    vague_tls: int = 0  # reports whose scored TL names no concrete action
    handled: int = 0  # reports the trainee has done anything with


@dataclass
class TraineeScore:
    reports: list[ReportScore]
    summary: Summary
    by_dimension: dict[Dimension, tuple[float, float]]  # points, maximum
    version: int = SCORING_VERSION
    joined_at: datetime | None = None  # a latecomer's joining (simulated)
    joined_after: int = 0  # reports that arrived before the trainee joined
    # The earliest of its reports' (see steady_until); not part of what the card reads.
    steady_until: datetime | None = field(default=None, compare=False)

    @property
    def headline_failures(self) -> list[tuple[str, str]]:
        """(tracking number, failure) for every headline failure, shown first on the card."""
        return [(r.tracking_no, text) for r in self.reports for text in r.headline_failures]


def _pct(part: float, whole: float) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def _p90(values: Sequence[float]) -> float | None:
    """The nearest-rank P90 (domain.stats), as every workbook and comparison gives it."""
    found = percentile(values, 90)
    return None if found is None else round(found, 2)


def _median(values: Sequence[float]) -> float | None:
    return round(statistics.median(values), 2) if values else None


SIGNATURE_BITS = 4096


def _bits(shingles: frozenset[tuple[str, ...]]) -> int:
    """Word trigrams as a bit set (crc32, so the same in every process)."""
    bits = 0
    for shingle in shingles:
        bits |= 1 << (zlib.crc32(" ".join(shingle).encode()) % SIGNATURE_BITS)
    return bits


def scored_tl(events: Sequence[EventRecord]) -> EventRecord | None:
    """The TL a report is judged by: its last final TL, else its last TL."""
    follow_ups = [e for e in events if e.action == Action.TINDAK_LANJUT]
    finals = [e for e in follow_ups if e.payload.get("akhir")]
    chosen = finals or follow_ups
    return chosen[-1] if chosen else None


def trainee_tl(report: ReportInput) -> EventRecord | None:
    """The TL the trainee is judged by on this report: the report's (scored_tl), or only
    among their own OPD's answers for an admin penghubung (domain.decisions.answered_at),
    or only among the TLs of a report they kept for a team's Admin Instansi."""
    if report.own_unit is not None:
        return scored_tl(answered_at(report.events, report.own_unit))
    if report.instansi_only:
        return scored_tl(answered_at(report.events, None))
    return scored_tl(report.events)


def copies_among(reports: Sequence[ReportInput], threshold: float) -> dict[str, list[str]]:
    """For each report, the other reports whose scored TL is a near-copy of this one's.

    Trigram sets are compared as bit signatures: two popcounts per pair, so a trainee
    with 60 answers costs milliseconds, not a second.
    """
    signatures = []
    for report in reports:
        tl = trainee_tl(report)
        if tl is not None:
            shingles = _shingles(str(tl.payload.get("isi", "")))
            if shingles:
                signatures.append((report.tracking_no, _bits(shingles), shingles))
    found: dict[str, list[str]] = {}
    # The signatures only pick candidates (generously); the exact Jaccard decides.
    loose = threshold * 0.8
    for i, (number, bits, shingles) in enumerate(signatures):
        for other, other_bits, other_shingles in signatures[i + 1:]:
            size, other_size = len(shingles), len(other_shingles)
            if min(size, other_size) < threshold * max(size, other_size):
                continue  # too different in length to reach the threshold
            union = (bits | other_bits).bit_count()
            if not union or (bits & other_bits).bit_count() < loose * union:
                continue
            if _jaccard(shingles, other_shingles) >= threshold:
                found.setdefault(number, []).append(other)
                found.setdefault(other, []).append(number)
    return {k: sorted(set(v)) for k, v in found.items()}


def report_basis(report: ReportInput, copies: Sequence[str]) -> str:
    """What a report's score depends on besides time and the session's rules: its events
    (append-only, so their number and the last one), the rubrics, the trainee's joining
    and OPD, and the TLs its own is a near-copy of."""
    last = report.events[-1] if report.events else None
    return repr((report.tracking_no, len(report.events),
                 (last.seq, last.action.value, last.sim_at.isoformat()) if last else None,
                 sorted(report.overrides.items()), report.joined_at, report.own_unit,
                 tuple(copies)))


def _reusable(previous: ReportScore | None, basis: str, now: datetime) -> bool:
    """Whether a score computed earlier (at or before `now`) is still this report's."""
    return previous is not None and previous.basis == basis and (
        previous.steady_until is None or now < previous.steady_until)


def score_trainee(reports: Sequence[ReportInput], settings: ScoringSettings, sla: SlaSettings,
                  calendar: Calendar, now: datetime,
                  previous: Mapping[str, ReportScore] | None = None) -> TraineeScore:
    """A trainee's report card: every report scored, the totals, and the evaluators' figures.

    `previous`: the reports of a card computed earlier (no later than `now`, with the same
    rules), by tracking number; a report whose inputs have not changed since and that time
    alone has not changed keeps its score instead of being scored again.
    """
    # Mode OPD: a report counts once it has been disposed to the trainee's OPD.
    reports = [r for r in reports
               if r.own_unit is None or received_by(r.events, r.own_unit) is not None]
    copies = copies_among(reports, settings.copy_threshold)
    scores = []
    for report in reports:
        near = copies.get(report.tracking_no, ())
        basis = report_basis(report, near)
        earlier = (previous or {}).get(report.tracking_no)
        if earlier is not None and _reusable(earlier, basis, now):
            scores.append(earlier)
            continue
        scored = score_report(report, near, settings, sla, calendar, now)
        scored.basis = basis
        scores.append(scored)
    by_dimension: dict[Dimension, tuple[float, float]] = {}
    for dimension in Dimension:
        by_dimension[dimension] = (round(sum(s.points(dimension) for s in scores), 2),
                                   sum(s.maximum(dimension) for s in scores))
    accuracy_points = sum(by_dimension[d][0] for d in ACCURACY)
    accuracy_max = sum(by_dimension[d][1] for d in ACCURACY)
    speed_points, speed_max = by_dimension[Dimension.WAKTU]
    total_points = sum(p for p, _ in by_dimension.values())
    total_max = sum(m for _, m in by_dimension.values())
    answerable = [s for s, r in zip(scores, reports, strict=True)
                  if expects_answer(r.key, r.own_unit)]
    routed = [s for s in scores if s.routed_exactly is not None]
    verify = [s.verify_hk for s in scores if s.verify_hk is not None]
    first_tl = [s.first_tl_hk for s in scores if s.first_tl_hk is not None]
    qualities = [s.quality for s in scores if s.quality is not None]
    summary = Summary(
        reports=len(scores),
        with_tl_pct=_pct(sum(s.has_tl for s in answerable), len(answerable)),
        selesai_pct=_pct(sum(s.selesai for s in answerable), len(answerable)),
        routing_exact_pct=_pct(sum(bool(s.routed_exactly) for s in routed), len(routed)),
        routing_first_time_pct=_pct(sum(bool(s.first_time_correct) for s in routed),
                                    len(routed)),
        verify_median_hk=_median(verify), verify_p90_hk=_p90(verify),
        first_tl_median_hk=_median(first_tl), first_tl_p90_hk=_p90(first_tl),
        breaches=sum(s.breaches for s in scores),
        quality_avg_pct=round(100 * sum(qualities) / len(qualities), 1) if qualities else None,
        confidentiality_errors=sum(s.confidentiality_errors for s in scores),
        accuracy_pct=_pct(accuracy_points, accuracy_max),
        speed_pct=_pct(speed_points, speed_max),
        total_pct=_pct(total_points, total_max),
        exposed_reports=sum(bool(s.exposures) for s in scores),
        vague_tls=sum(s.tl_concrete is False for s in scores),
        handled=sum(s.did != NOT_HANDLED for s in scores),
    )
    joined_at = next((r.joined_at for r in reports if r.joined_at is not None), None)
    return TraineeScore(scores, summary, by_dimension, joined_at=joined_at,
                        joined_after=sum(joined_late(r.arrived_at, r.joined_at) for r in reports),
                        steady_until=min((s.steady_until for s in scores
                                          if s.steady_until is not None), default=None))

