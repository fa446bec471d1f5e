"""The facilitator's debrief: what the room did with each report, why the answer is right,
the best and worst follow-ups, and one trainee's session replayed step by step.

Everything is derived from the event log and the answer keys; nothing is stored except a
facilitator's rubric for a TL (services.scoring.override_quality, logged as a session
event). Trainees appear as "Peserta N", numbered by their order of joining, unless the
facilitator asks for names. A `Debrief` scores each trainee at most once and reuses the
report cards for every report it shows, because scoring costs about 30 ms a trainee.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from sandbox.domain.catalogue import Catalogue
from sandbox.domain.clock import format_hk, to_local
from sandbox.domain.decisions import (
    ACTION_LABELS,
    DECISIONS,
    NOT_HANDLED,
    RESPONSES,
    ReceiptJudgement,
    Verdict,
    judge_receipt,
    units_at,
    wrongly_disposed,
)
from sandbox.domain.errors import DomainError, ValidationError
from sandbox.domain.learning import Phase, SessionLearning, phase_of
from sandbox.domain.numbers import ID_MAX, parse_int
from sandbox.domain.scoring import (
    Dimension,
    Line,
    ReportScore,
    TraineeScore,
    scored_tl,
)
from sandbox.domain.teammate import NAME as TEAMMATE
from sandbox.domain.workflow import (
    KATEGORI_LABELS,
    Action,
    ArchiveReason,
    EventRecord,
    Klasifikasi,
    Role,
    State,
)
from sandbox.extensions import db
from sandbox.models import Complaint, Event, Exercise, Participant, ScoreOverride
from sandbox.services.attendance import counted
from sandbox.services.catalogue import get_catalogue
from sandbox.services.dashboard import (
    RECEIPT_OUTCOMES,
    decision_judge,
    destination_of,
    expected_outcome,
    outcome_names,
)
from sandbox.services.leaderboard import participant_numbers
from sandbox.services.learning import session_learning_of
from sandbox.services.relay import FlowReport, TeamFlow, team_flows
from sandbox.services.roles import is_opd
from sandbox.services.scoring import (
    cards_for_test,
    override_quality,
    report_cards,
    scoring_moment,
)
from sandbox.services.session_log import log_control
from sandbox.services.teams import is_team_mode, members
from sandbox.services.timekeeping import calendar_of

# How an outcome compares with the answer key (domain.decisions, the one judge); the
# values are also the CSS modifiers of the bars.
RIGHT, PARTIAL, WRONG, IDLE = Verdict.TEPAT, Verdict.SEBAGIAN, Verdict.SALAH, Verdict.BELUM


class NoSuchReport(DomainError):
    """No report at that position in this session (yet)."""


class NoSuchTrainee(DomainError):
    """No trainee with that id in this session."""


class NoSuchFollowUp(DomainError):
    """The TL to be rated is not in this session."""


# ------------------------------------------------------------------ trainees


@dataclass(frozen=True)
class Trainee:
    """A participant with the number the debrief shows instead of their name."""

    participant: Participant
    number: int
    people: tuple[str, ...] = ()  # mode tim: the names of the people of the team

    @property
    def id(self) -> int:
        return self.participant.id

    def label(self, reveal: bool) -> str:
        """ "Peserta 7", or with the name and OPD once the facilitator reveals names; a
        team (mode tim) by its name."""
        if self.participant.is_team:
            return self.participant.name
        if not reveal:
            return f"Peserta {self.number}"
        return f"Peserta {self.number} · {self.participant.name} ({self.participant.unit_name})"

    def shown(self, text: str, reveal: bool) -> str:
        """The trainee's own writing, with their name blanked while names are hidden."""
        if reveal:
            return text
        names = self.people if self.participant.is_team else (self.participant.name,)
        parts = sorted({p for name in names for p in re.findall(r"\w+", name) if len(p) >= 3},
                       key=len, reverse=True)
        if not parts:
            return text
        pattern = re.compile(r"\b(" + "|".join(map(re.escape, parts)) + r")\b", re.IGNORECASE)
        return pattern.sub("[nama peserta]", text)


# ------------------------------------------------------------------ one report


@dataclass(frozen=True)
class Answer:
    """The answer key of a report, worded for the room."""

    action: str
    target: str | None
    acceptable: list[str]
    partial: list[str]
    archive_reason: str | None
    klasifikasi: str
    kategori: str
    confidentiality: str
    explanation: str
    question_hint: str | None
    outcome: str  # the right outcome as the distribution words it ("ke Disdik")


@dataclass(frozen=True)
class Outcome:
    """How many trainees ended a report one way ("12 ke Disdik"), and whether that is right.

    Trainees who ended it the same way but were judged differently (one asked a needless
    tunda first) are counted apart: each outcome has one verdict.
    """

    text: str
    count: int
    verdict: Verdict
    share: float  # percentage of the trainees

    @property
    def label(self) -> str:
        return f"{self.count} {self.text}"


@dataclass
class ReportDebrief:
    """One report of the session: its text, the answer and what the room did with it."""

    position: int
    tracking_no: str
    text: str
    attachments: list[dict[str, str]]
    answer: Answer
    outcomes: list[Outcome]
    copies: dict[int, Complaint]  # participant id -> their copy of the report
    phase: Phase | None = None  # a report of the tes awal or the tes akhir

    @property
    def total(self) -> int:
        return sum(o.count for o in self.outcomes)

    @property
    def right(self) -> int:
        return sum(o.count for o in self.outcomes if o.verdict == RIGHT)

    @property
    def right_pct(self) -> float:
        return 100 * self.right / self.total if self.total else 0.0

    @property
    def subject(self) -> str:
        return self.text if len(self.text) <= 90 else self.text[:90].rstrip() + "…"

    @property
    def summary(self) -> str:
        """The distribution in words: "12 ke Disdik, 30 diteruskan ke Disdik Provinsi"."""
        return ", ".join(o.label for o in self.outcomes if o.count)


@dataclass(frozen=True)
class Rubric:
    """A facilitator's current 1–5 rubric for a TL, and who set it."""

    value: int
    actor: str
    wall_at: datetime


@dataclass(frozen=True)
class FollowUp:
    """The TL a trainee's report is judged by, with its quality from the report card."""

    trainee: Trainee
    complaint: Complaint
    seq: int
    text: str
    final: bool
    quality: float
    verdict: str  # the quality line of the report card
    checks: list[Line]
    rubric: Rubric | None

    @property
    def anchor(self) -> str:
        return f"tl-{self.complaint.id}-{self.seq}"

    @property
    def quality_pct(self) -> float:
        return round(100 * self.quality, 0)


@dataclass(frozen=True)
class Step:
    """One event of a trainee's session, for the replay."""

    number: int
    event: Event
    complaint: Complaint
    who: str
    action: str
    details: list[tuple[str, str]]
    verdict: str | None
    tone: Verdict | None  # the verdict on the report's decision as of this step
    wall_local: datetime
    follow_up: FollowUp | None = None  # when this is the TL the report is judged by


@dataclass(frozen=True)
class Replay:
    """One trainee's session: their steps in time order, and their report card."""

    trainee: Trainee
    steps: list[Step]
    card: TraineeScore


class Debrief:
    """The debrief of one workshop session, as of now; holds the report cards it computed."""

    def __init__(self, exercise: Exercise, include_inactive: bool = False) -> None:
        self.exercise = exercise
        self.include_inactive = include_inactive
        self.catalogue: Catalogue = get_catalogue(exercise.region_file)
        self.zone = self.catalogue.region.timezone
        self.names = outcome_names(exercise)
        self.judge = decision_judge(exercise)
        self.opd = is_opd(exercise)  # trainees answer dispositions to their own OPD
        self.unit_names = {code: (unit.name, unit.short)
                           for code, unit in self.catalogue.units.items()}
        numbers = participant_numbers(exercise)
        # Who counts (services.attendance): the absent and the idle only if included.
        self.trainees = sorted((Trainee(p, numbers[p.id])
                                for p in counted(exercise, include_inactive)),
                               key=lambda t: t.number)
        # Anyone of the session can still be looked up (a replay), counted or not.
        self._trainee = {p.id: Trainee(p, numbers[p.id]) for p in exercise.participants}
        # Mode tim: the room's copies of a report are the teams', and each team's relay
        # (who held each report, for how long) is told in plain words.
        self.team = is_team_mode(exercise)
        self._flows: dict[bool, dict[int, TeamFlow]] = {}
        if self.team:
            self.trainees = [Trainee(team, n, tuple(p.name for p in members(team)))
                             for n, team in enumerate(exercise.teams, 1)]
            self._trainee.update({t.id: t for t in self.trainees})
        # Reports that count: the same cut-off as the report cards.
        self.released = scoring_moment(exercise) if exercise.clock_changes else datetime.min
        self.calendar = calendar_of(exercise)
        self._cards: dict[int, TraineeScore] = {}
        self._tested: dict[Phase, dict[int, TraineeScore]] = {}  # the tests' cards
        self._reports: list[ReportDebrief] | None = None

    # -------------------------------------------------------------- lookups

    def trainee(self, participant_id: int) -> Trainee:
        found = self._trainee.get(participant_id)
        if found is None:
            raise NoSuchTrainee(f"Peserta dengan nomor data {participant_id} tidak ada di "
                                "sesi ini.")
        return found

    def card(self, participant_id: int) -> TraineeScore:
        """A trainee's report card, computed once per debrief; the counted trainees' cards
        are all loaded at the first one (services.scoring.report_cards)."""
        if participant_id not in self._cards:
            wanted = [t.participant for t in self.trainees if t.participant.id not in self._cards]
            if all(p.id != participant_id for p in wanted):
                wanted.append(self.trainee(participant_id).participant)
            self._cards.update(report_cards(self.exercise, wanted))
        return self._cards[participant_id]

    def reports(self) -> list[ReportDebrief]:
        """The session's released reports in order, each with the room's distribution."""
        if self._reports is None:
            complaints = db.session.scalars(
                select(Complaint).options(selectinload(Complaint.events))
                .where(Complaint.exercise_id == self.exercise.id,
                       Complaint.arrived_at <= self.released,
                       Complaint.participant_id.in_([t.id for t in self.trainees]))
                .order_by(Complaint.position, Complaint.participant_id))
            groups: dict[int, list[Complaint]] = {}
            for complaint in complaints:
                groups.setdefault(complaint.position, []).append(complaint)
            self._reports = [self._report(copies) for _, copies in sorted(groups.items())]
        return self._reports

    def report(self, position: int) -> ReportDebrief:
        for report in self.reports():
            if report.position == position:
                return report
        raise NoSuchReport(f"Laporan urutan ke-{position} tidak ada atau belum masuk di sesi "
                           "ini.")

    def learning(self) -> SessionLearning | None:
        """The room's and each cohort's tes awal and tes akhir (services.learning), or None
        when the scenario has no tests."""
        return session_learning_of(self.exercise, "Semua tim" if self.team
                                   else "Semua peserta", self.include_inactive)

    def neighbours(self, position: int) -> tuple[int | None, int | None]:
        """The positions before and after `position`, for projector navigation."""
        positions = [r.position for r in self.reports()]
        index = positions.index(position)
        return (positions[index - 1] if index > 0 else None,
                positions[index + 1] if index + 1 < len(positions) else None)

    # -------------------------------------------------------------- building

    def _report(self, copies: list[Complaint]) -> ReportDebrief:
        first = copies[0]
        key = first.answer_key
        counts: Counter[tuple[str, Verdict]] = Counter()
        for complaint in copies:
            # The events the report card counts: none after the scoring moment.
            events = [e.to_record() for e in complaint.events if e.sim_at <= self.released]
            if self.opd:
                receipt = self._receipt(complaint, events)
                if receipt is not None:
                    counts[RECEIPT_OUTCOMES.get(receipt.did, NOT_HANDLED), receipt.verdict] += 1
                continue
            done = destination_of(events, self.names) or NOT_HANDLED
            counts[done, self.judge(key, events).verdict] += 1
        wrong = False
        if self.opd:  # the same positions are wrong dispositions for every OPD
            wrong = any(wrongly_disposed(c.answer_key, str(self._unit(c))) for c in copies)
            expected = RECEIPT_OUTCOMES["kembalikan" if wrong else "tindak_lanjut"]
        else:
            expected = expected_outcome(key, self.names)
        if not any(text == expected for text, _ in counts):
            counts[expected, RIGHT] = 0  # nobody right is worth showing too
        total = len(copies)
        outcomes = [Outcome(text, n, verdict, 100 * n / total if total else 0.0)
                    for (text, verdict), n in sorted(
                        counts.items(), key=lambda item: (-item[1], item[0][0] != expected,
                                                          item[0][0] == NOT_HANDLED,
                                                          item[0][0], item[0][1]))]
        if self.opd:  # every trainee had their own OPD's report at this position
            return ReportDebrief(
                position=first.position, tracking_no="", text=PER_OPD.format(
                    position=first.position, kind="disposisi keliru" if wrong
                    else "disposisi tepat"), attachments=[],
                answer=_per_opd_answer(wrong, expected), outcomes=outcomes,
                copies={c.participant_id: c for c in copies})
        return ReportDebrief(
            position=first.position, tracking_no=first.tracking_no, text=first.text,
            attachments=list(first.attachments or []), answer=self._answer(key, expected),
            outcomes=outcomes, copies={c.participant_id: c for c in copies},
            phase=phase_of(key))

    def _answer(self, key: Mapping[str, Any], outcome: str) -> Answer:
        unit = self.catalogue.unit_name
        action = str(key["expected_action"])
        reason = key.get("archive_reason")
        if key.get("rahasia"):
            confidentiality = "Rahasia: laporan tidak publik dan identitas pelapor dilindungi"
        elif key.get("anonim"):
            confidentiality = "Anonim: laporan publik, identitas pelapor disembunyikan"
        else:
            confidentiality = "Tidak perlu dirahasiakan"
        return Answer(
            action=ACTION_LABELS.get(action, action),
            target=unit(key["expected_target"]) if key.get("expected_target") else None,
            acceptable=[unit(c) for c in key.get("acceptable_targets") or ()],
            partial=[unit(c) for c in key.get("partial_targets") or ()],
            archive_reason=_reason(reason) if action == "arsipkan" and reason else None,
            klasifikasi=_klasifikasi(key.get("klasifikasi")),
            kategori=_kategori(key.get("kategori")),
            confidentiality=confidentiality,
            explanation=str(key.get("explanation") or ""),
            question_hint=str(key["question_hint"]) if key.get("question_hint") else None,
            outcome=outcome,
        )

    # -------------------------------------------------------------- follow-ups

    def follow_ups(self, report: ReportDebrief) -> list[FollowUp]:
        """Every trainee's judged TL on this report, best first, ranked by card quality."""
        for participant_id in report.copies:
            self.card(participant_id)  # every counted card at once (report_cards)
        rubrics = _rubrics([c.id for c in report.copies.values()])
        found = []
        for participant_id, complaint in report.copies.items():
            if self.opd and wrongly_disposed(complaint.answer_key, str(self._unit(complaint))):
                continue  # a TL on a report that was not theirs is no example
            score = self._score(participant_id, complaint.tracking_no, report.phase)
            follow_up = self._follow_up(self.trainee(participant_id), complaint, score, rubrics)
            if follow_up is not None:
                found.append(follow_up)
        return sorted(found, key=lambda f: (-f.quality, f.trainee.number))

    def _score(self, participant_id: int, tracking_no: str,
               phase: Phase | None = None) -> ReportScore | None:
        """A report's score on the trainee's card: the exercise's, or (a test report) the
        test's, computed once per debrief for every counted trainee."""
        if phase is not None and phase not in self._tested:
            self._tested[phase] = cards_for_test(
                self.exercise, [t.participant for t in self.trainees], phase)
        card = self.card(participant_id) if phase is None else \
            self._tested[phase].get(participant_id)
        return next((r for r in card.reports if r.tracking_no == tracking_no), None) \
            if card is not None else None

    def _follow_up(self, trainee: Trainee, complaint: Complaint, score: ReportScore | None,
                   rubrics: Mapping[tuple[int, int], Rubric]) -> FollowUp | None:
        """The TL the report card judged, if the trainee wrote one."""
        if score is None or score.quality is None:
            return None
        # The card only counts events up to the scoring moment; so does the TL it judged.
        tl = scored_tl([e.to_record() for e in complaint.events if e.sim_at <= self.released])
        if tl is None:
            return None
        written_by = next(e.participant_id for e in complaint.events if e.seq == tl.seq)
        if complaint.participant.is_team and written_by is None:
            return None  # mode tim: a simulated teammate's TL is no example of the team's
        quality = [x for x in score.lines if x.dimension == Dimension.KUALITAS]
        verdict = next((x.explanation for x in quality if x.passed is None), "")
        return FollowUp(
            trainee=trainee, complaint=complaint, seq=tl.seq,
            text=str(tl.payload.get("isi", "")), final=bool(tl.payload.get("akhir")),
            quality=score.quality, verdict=verdict,
            checks=[x for x in quality if x.passed is not None],
            rubric=rubrics.get((complaint.id, tl.seq)))

    # -------------------------------------------------------------- replay

    def replay(self, participant_id: int) -> Replay:
        """All events of one trainee across their reports, in simulated time order."""
        trainee = self.trainee(participant_id)
        card = self.card(participant_id)
        scores = {r.tracking_no: r for r in card.reports}
        complaints = list(db.session.scalars(
            select(Complaint).options(selectinload(Complaint.events))
            .where(Complaint.participant_id == participant_id)
            .order_by(Complaint.position)))
        # The tes awal's and tes akhir's reports are judged on their own cards.
        for phase in {found for c in complaints if (found := phase_of(c.answer_key))}:
            tested = cards_for_test(self.exercise, [trainee.participant], phase)
            scores.update({r.tracking_no: r for r in tested[participant_id].reports})
        rubrics = _rubrics([c.id for c in complaints])
        judged: dict[tuple[int, int], FollowUp] = {}
        for complaint in complaints:
            follow_up = self._follow_up(trainee, complaint, scores.get(complaint.tracking_no),
                                        rubrics)
            if follow_up is not None:
                judged[(complaint.id, follow_up.seq)] = follow_up
        rows = sorted(((event, complaint) for complaint in complaints
                       for event in complaint.events),
                      key=lambda pair: (pair[0].sim_at, pair[0].wall_at,
                                        pair[1].position, pair[0].seq))
        # Where the card found the reporter's identity exposed (the one verdict).
        exposed = {(c.id, e.seq): e.text for c in complaints if c.tracking_no in scores
                   for e in scores[c.tracking_no].exposures}
        # Mode tim: which OPD's admin penghubung recorded each answer.
        at_unit = {(c.id, e.seq): unit for c in complaints if c.participant.is_team
                   for e, unit in zip(c.events, units_at([x.to_record() for x in c.events]),
                                      strict=True)}
        steps = []
        for number, (event, complaint) in enumerate(rows, start=1):
            tone, verdict = self._judge(event, complaint)
            follow_up = judged.get((complaint.id, event.seq))
            if event.action == Action.TINDAK_LANJUT.value and follow_up is None:
                verdict = "TL ini tidak dinilai: yang dinilai TL akhir terakhir pada laporan ini."
            leak = exposed.get((complaint.id, event.seq))
            if leak:
                tone = WRONG
                verdict = " ".join(filter(None, (
                    f"Pelanggaran berat: identitas pelapor terbuka ({leak}).", verdict)))
            steps.append(Step(
                number=number, event=event, complaint=complaint,
                who=_who(event, complaint, self.catalogue.unit_name(unit) if (
                    unit := at_unit.get((complaint.id, event.seq))) else None),
                action=Action(event.action).label,
                details=self._details(event), verdict=verdict, tone=tone,
                wall_local=to_local(event.wall_at, self.zone), follow_up=follow_up))
        return Replay(trainee, steps, card)

    def flows(self, reveal: bool) -> dict[int, TeamFlow]:
        """Mode tim: each team's relay by team id, naming the people only once revealed."""
        if reveal not in self._flows:
            self._flows[reveal] = {flow.team.id: flow for flow in team_flows(
                self.exercise, named=reveal)} if self.team else {}
        return self._flows[reveal]

    def relay(self, report: ReportDebrief, reveal: bool) -> list[tuple[str, FlowReport]]:
        """Mode tim: each team's path of this report across people, in plain words."""
        found = []
        for team_id, complaint in report.copies.items():
            flow = self.flows(reveal).get(team_id)
            row = next((r for r in flow.reports if r.tracking_no == complaint.tracking_no),
                       None) if flow is not None else None
            if flow is not None and row is not None:
                found.append((flow.team.name, row))
        return found

    def _unit(self, complaint: Complaint) -> str | None:
        """Mode OPD: the OPD of the trainee whose copy this is."""
        return self._trainee[complaint.participant_id].participant.unit_code

    def _receipt(self, complaint: Complaint, events: list[EventRecord]
                 ) -> ReceiptJudgement | None:
        unit = self._unit(complaint)
        return None if unit is None else judge_receipt(complaint.answer_key, events, unit,
                                                       unit_names=self.unit_names)

    def _judge(self, event: Event, complaint: Complaint) -> tuple[Verdict | None, str | None]:
        """The verdict on the report's decision as it stood after this event (the one judge,
        domain.decisions); (None, None) for events that are not decisions. In mode OPD the
        verdict on the trainee's answer to a disposition, with how long the report waited
        at their OPD; the simulated Admin Instansi's steps are not judged."""
        if self.opd:
            if Action(event.action) not in RESPONSES or event.role != Role.ADMIN_PENGHUBUNG:
                return None, None
            receipt = self._receipt(complaint, [e.to_record() for e in complaint.events
                                                if e.seq <= event.seq])
            if receipt is None or receipt.response is None \
                    or receipt.response.seq != event.seq:
                return None, None
            waited = format_hk(self.calendar.working_between(receipt.received_at,
                                                             event.sim_at), self.calendar)
            done = "dikembalikan" if event.action == Action.KEMBALIKAN.value else \
                "ditindaklanjuti"
            opd = self.catalogue.unit_name(self._unit(complaint))
            return receipt.verdict, (f"Laporan menunggu {waited} di {opd} sebelum {done}. "
                                     f"{receipt.part.text}")
        if Action(event.action) not in DECISIONS:
            return None, None
        key = complaint.answer_key
        judged = self.judge(key, [e.to_record() for e in complaint.events
                                  if e.seq <= event.seq])
        text = judged.reason
        if event.action in (Action.VERIFIKASI.value, Action.KELOLA_SENDIRI.value):
            notes = self._verification_notes(event.payload, key)
            if notes:
                text += " " + " ".join(notes)
        return judged.verdict, text

    def _verification_notes(self, payload: Mapping[str, Any], key: Mapping[str, Any]
                            ) -> list[str]:
        notes = []
        if payload.get("klasifikasi") != key.get("klasifikasi"):
            notes.append(f"Klasifikasi seharusnya {_klasifikasi(key.get('klasifikasi'))}.")
        if payload.get("kategori") != key.get("kategori"):
            notes.append(f"Kategori seharusnya {_kategori(key.get('kategori'))}.")
        rahasia = bool(payload.get("rahasia"))
        if key.get("rahasia") and not rahasia:
            notes.append("Seharusnya ditandai rahasia.")
        elif key.get("anonim") and not (rahasia or payload.get("anonim")):
            notes.append("Seharusnya ditandai anonim.")
        return notes

    def _details(self, event: Event) -> list[tuple[str, str]]:
        """The payload in a few words; a TL's text is shown separately."""
        payload, action = event.payload, Action(event.action)
        unit = self.catalogue.unit_name
        details: list[tuple[str, str]] = []
        if action in (Action.VERIFIKASI, Action.KELOLA_SENDIRI):
            flags = [name for name in ("rahasia", "anonim") if payload.get(name)]
            details += [("Judul", str(payload.get("judul", ""))),
                        ("Klasifikasi", _klasifikasi(payload.get("klasifikasi"))),
                        ("Kategori", _kategori(payload.get("kategori"))),
                        ("Tanda", ", ".join(flags) if flags else "publik")]
            if payload.get("unit"):
                details.append(("Unit tujuan", unit(payload["unit"])))
        elif action == Action.BUKAN_WEWENANG:
            details.append(("Diteruskan ke", unit(payload.get("instansi"))))
        elif action == Action.ARSIPKAN:
            details.append(("Alasan", _reason(payload.get("alasan"))))
        elif action == Action.TUNDA:
            details.append(("Pertanyaan", str(payload.get("pertanyaan", ""))))
        elif action == Action.KEMBALIKAN:
            details.append(("Alasan", str(payload.get("alasan", ""))))
        elif action == Action.TINDAK_LANJUT:
            details.append(("Jenis", "Tindak lanjut akhir" if payload.get("akhir")
                            else "Tindak lanjut sementara"))
        elif action == Action.PELAPOR_MENILAI:
            details.append(("Nilai", "★" * int(payload.get("bintang") or 0)))
        elif payload.get("isi"):
            details.append(("Isi", str(payload["isi"])))
        if payload.get("catatan"):
            details.append(("Catatan", str(payload["catatan"])))
        details.append(("Status sesudahnya", State(event.state_after).label))
        return details


# ------------------------------------------------------------------ rating a TL


def rate_follow_up(exercise: Exercise, complaint_id: str, tl_seq: str, rubric: str,
                   actor: str) -> ScoreOverride:
    """A facilitator's 1–5 rubric for a TL of this session, also logged as a session event."""
    complaint = complaint_in(exercise, complaint_id)
    if complaint is None:
        raise NoSuchFollowUp("Tindak lanjut yang dinilai tidak ditemukan di sesi ini.")
    row = override_quality(complaint, tl_seq, rubric, actor)
    log_control(exercise, "nilai_tl", actor, {
        "complaint_id": complaint.id, "tracking_no": complaint.tracking_no,
        "participant_id": complaint.participant_id, "tl_seq": row.tl_seq,
        "rubric": row.rubric})
    return row


def complaint_in(exercise: Exercise, complaint_id: str) -> Complaint | None:
    """A report copy of this session by id, or None (for re-showing a refused form)."""
    try:
        number = parse_int(complaint_id, "complaint", "Laporan", 1, ID_MAX)
    except ValidationError:
        return None
    complaint = db.session.get(Complaint, number)
    return complaint if complaint is not None and complaint.exercise_id == exercise.id else None


# ------------------------------------------------------------------ helpers


def _rubrics(complaint_ids: Sequence[int]) -> dict[tuple[int, int], Rubric]:
    """The latest rubric per (complaint, TL seq): later rows replace earlier ones."""
    found: dict[tuple[int, int], Rubric] = {}
    if not complaint_ids:
        return found
    rows = db.session.scalars(select(ScoreOverride)
                              .where(ScoreOverride.complaint_id.in_(complaint_ids))
                              .order_by(ScoreOverride.id))
    for row in rows:
        found[(row.complaint_id, row.tl_seq)] = Rubric(row.rubric, row.actor, row.wall_at)
    return found


PER_OPD = ("Urutan ke-{position} ({kind}): setiap peserta menerima laporan yang berbeda, "
           "sesuai OPD-nya, pada saat yang sama. Buka «Putar ulang» seorang peserta untuk "
           "membaca laporannya.")
_VARIES = "berbeda untuk setiap OPD"


def _per_opd_answer(wrong: bool, outcome: str) -> Answer:
    """Mode OPD: the answer at one position of the schedule, the same for every OPD."""
    return Answer(
        action="kembalikan ke Admin Instansi" if wrong else "tindak lanjut oleh OPD penerima",
        target=None, acceptable=[], partial=[], archive_reason=None, klasifikasi=_VARIES,
        kategori=_VARIES, confidentiality=_VARIES, question_hint=None, outcome=outcome,
        explanation=("Pada urutan ini Admin Instansi (simulasi) mendisposisikan kepada setiap "
                     "peserta laporan yang bukan urusan OPD-nya: milik OPD lain atau instansi "
                     "di luar Pemda. Yang tepat: mengembalikannya dengan alasan yang menyebut "
                     "siapa yang semestinya menangani, bukan menulis TL.") if wrong else
                    ("Pada urutan ini setiap peserta menerima laporan yang memang urusan "
                     "OPD-nya. Yang tepat: menggerakkan unit kerja dan menulis TL yang konkret "
                     "sebelum batas waktu."))


def _who(event: Event, complaint: Complaint, unit: str | None = None) -> str:
    """Who recorded an event, by role (never by name: the replay may be projected); in
    mode tim an admin penghubung with their OPD (`unit`)."""
    role = Role(event.role)
    if role == Role.SISTEM:
        return "Sistem"
    if role == Role.PELAPOR:
        return "Pelapor (simulasi)" if complaint.script is not None else \
            "Pelapor (dimainkan peserta)"
    if event.actor == TEAMMATE or (event.participant_id is None
                                   and complaint.participant.is_team):
        return event.actor  # a simulated teammate (mode OPD, an empty seat of mode tim)
    if unit is not None and role == Role.ADMIN_PENGHUBUNG:
        return f"{role.label} {unit}"
    return role.label


def _klasifikasi(code: Any) -> str:
    try:
        return Klasifikasi(code).label
    except ValueError:
        return str(code)


def _kategori(code: Any) -> str:
    return KATEGORI_LABELS.get(str(code), str(code))


def _reason(code: Any) -> str:
    try:
        return ArchiveReason(code or "").label
    except ValueError:
        return str(code)
