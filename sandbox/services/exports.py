"""Exports of a workshop session: results for evaluators, the raw log, printable records.

Every figure comes from `report_card`, so an export says exactly what the trainee's own
"Hasil saya" page says; nothing is scored here. Due reporter events are recorded first
(as reading a report card does), so the log and the results describe the same moment.
The full archive of a session lives in `services.archive`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]
from openpyxl.cell.cell import (  # type: ignore[import-untyped,unused-ignore]
    ILLEGAL_CHARACTERS_RE,
)
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped,unused-ignore]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped,unused-ignore]
from sqlalchemy import select

from sandbox.domain.clock import format_tanggal, to_local
from sandbox.domain.errors import DomainError
from sandbox.domain.learning import GAIN_METHOD, MEASURES, Phase, SessionLearning, changes
from sandbox.domain.scoring import Dimension, ReportScore, TraineeScore, dimensions
from sandbox.domain.session import ClockKind
from sandbox.extensions import db
from sandbox.models import (
    Complaint,
    Event,
    Exercise,
    Facilitator,
    Participant,
    ScoreOverride,
    SessionEvent,
)
from sandbox.services.attendance import counted
from sandbox.services.catalogue import get_catalogue
from sandbox.services.complaints import NotFound
from sandbox.services.learning import session_learning_of
from sandbox.services.practice import app_version
from sandbox.services.relay import team_flows
from sandbox.services.roles import is_opd, role_label
from sandbox.services.scoring import report_cards
from sandbox.services.teams import is_team_mode
from sandbox.services.timekeeping import calendar_of, wall_now


class NoSuchSession(DomainError):
    """No workshop with that code (the command line looks sessions up without an owner)."""


def workshop_by_code(code: str) -> Exercise:
    """Any workshop by its code, for the command line (which runs as the laptop's owner)."""
    cleaned = (code or "").strip().upper()
    exercise: Exercise | None = db.session.scalar(select(Exercise).where(
        Exercise.code == cleaned, Exercise.mode == "workshop")) if cleaned else None
    if exercise is None:
        raise NoSuchSession(f"no workshop with code '{cleaned[:16]}' in this database")
    return exercise


def trainees_of(exercise: Exercise) -> list[Participant]:
    """The session's trainees in the order every export lists them: by name."""
    return sorted(exercise.participants, key=lambda p: (p.name.casefold(), p.id))


def counted_trainees(exercise: Exercise, include_inactive: bool = False) -> list[Participant]:
    """Those in the results and given certificates (services.attendance.counted), by name;
    the raw log and the archive keep everyone."""
    return sorted(counted(exercise, include_inactive), key=lambda p: (p.name.casefold(), p.id))


def participant_in(exercise: Exercise, participant_id: int) -> Participant:
    """One trainee of this session; a trainee of another session is as good as missing."""
    # An id beyond the integer column (typed into the URL) cannot exist; the database
    # would refuse to even look for it.
    participant = db.session.get(Participant, participant_id) \
        if 0 < participant_id < 2**31 else None
    if participant is None or participant.exercise_id != exercise.id:
        raise NotFound("Peserta tidak ditemukan di sesi ini.")
    return participant


@dataclass
class TraineeResult:
    participant: Participant
    card: TraineeScore


def session_results(exercise: Exercise, include_inactive: bool = False) -> list[TraineeResult]:
    """Every counted trainee's report card, recomputed from the event log."""
    trainees = counted_trainees(exercise, include_inactive)
    cards = report_cards(exercise, trainees)
    return [TraineeResult(p, cards[p.id]) for p in trainees]


# ------------------------------------------------------------------ results table

PCT, HK, POINTS, COUNT = "0.0", "0.00", "0.##", "0"


@dataclass(frozen=True)
class Column:
    header: str
    number_format: str | None  # None: text
    value: Callable[[TraineeResult], Any]


def _dimension_value(dimension: Dimension, index: int) -> Callable[[TraineeResult], Any]:
    return lambda r: r.card.by_dimension[dimension][index]


def _disposes(result: TraineeResult) -> bool:
    """Whether the trainee's card scores dispositions at all."""
    return bool(result.card.by_dimension[Dimension.ROUTING][1])


def result_columns(penghubung: bool = False, team: bool = False,
                   nip: bool = False) -> list[Column]:
    """The evaluators' table: one row per trainee, the same figures as «Hasil saya»; the
    dimensions of the session's mode (`penghubung`: mode OPD; `team`: mode tim, with the
    team's name); `nip`: the participant list gave NIPs."""
    columns = [
        Column("Nama", None, lambda r: r.participant.name),
        Column("Unit kerja", None, lambda r: r.participant.unit_name),
        Column("Kohort", None, lambda r: r.participant.cohort or ""),
        *([Column("NIP", None, lambda r: r.participant.nip or "")] if nip else []),
        *([Column("Tim", None, lambda r: r.participant.team.name if r.participant.team
                  else r.participant.name)] if team else []),
        Column("Peran", None, lambda r: role_label(r.participant)),
        Column("Laporan diterima", COUNT, lambda r: r.card.summary.reports),
        Column("Nilai total (%)", PCT, lambda r: r.card.summary.total_pct),
        Column("Ketepatan (%)", PCT, lambda r: r.card.summary.accuracy_pct),
        Column("Kecepatan (%)", PCT, lambda r: r.card.summary.speed_pct),
    ]
    for dimension in dimensions(penghubung, team):
        columns.append(Column(f"{dimension.label}: poin", POINTS,
                              _dimension_value(dimension, 0)))
        columns.append(Column(f"{dimension.label}: maks.", POINTS,
                              _dimension_value(dimension, 1)))
    columns += [
        # Blank for an admin penghubung, who disposes nothing (mode OPD, a team's seat).
        Column("Disposisi tepat (%)", PCT, lambda r: r.card.summary.routing_exact_pct
               if _disposes(r) else None),
        Column("Disposisi tepat sejak awal (%)", PCT,
               lambda r: r.card.summary.routing_first_time_pct if _disposes(r) else None),
        Column("Laporan dengan TL (%)", PCT, lambda r: r.card.summary.with_tl_pct),
        Column("Laporan selesai (%)", PCT, lambda r: r.card.summary.selesai_pct),
        Column("Verifikasi median (HK)", HK, lambda r: r.card.summary.verify_median_hk),
        Column("Verifikasi P90 (HK)", HK, lambda r: r.card.summary.verify_p90_hk),
        Column("TL pertama median (HK)", HK, lambda r: r.card.summary.first_tl_median_hk),
        Column("TL pertama P90 (HK)", HK, lambda r: r.card.summary.first_tl_p90_hk),
        Column("Batas waktu terlewati", COUNT, lambda r: r.card.summary.breaches),
        Column("Mutu TL rata-rata (%)", PCT, lambda r: r.card.summary.quality_avg_pct),
        Column("Kesalahan kerahasiaan", COUNT, lambda r: r.card.summary.confidentiality_errors),
    ]
    return columns


def _has_nip(results: list[TraineeResult]) -> bool:
    """Whether a NIP column is wanted: someone's participant list gave one."""
    return any(r.participant.nip for r in results)


def _safe_text(value: str) -> str:
    """Text a spreadsheet shows as text: a trainee typed it, so it must never run as a
    formula (CSV injection), hence the leading apostrophe Excel itself uses."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return _safe_text(value)
    if isinstance(value, float):
        return f"{round(value, 2):g}".replace(".", ",")
    return str(value)


def results_csv(exercise: Exercise, include_inactive: bool = False) -> bytes:
    """One row per trainee, for Excel as it is set up in Indonesia.

    Windows with Indonesian regional settings uses the comma as the decimal mark and
    the semicolon as the list separator, and Excel splits a double-clicked CSV with
    that list separator. So: `;` between fields, decimal commas, and UTF-8 with a BOM
    (without the BOM Excel reads UTF-8 as ANSI and breaks names like «Sa'diyah» or
    «Ni Luh Putu Ayu»). Excel set to English needs Data > From Text, or the XLSX.
    """
    results = session_results(exercise, include_inactive)
    columns = result_columns(is_opd(exercise), is_team_mode(exercise), _has_nip(results))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([c.header for c in columns])
    for result in results:
        writer.writerow([_csv_cell(c.value(result)) for c in columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# ------------------------------------------------------------------ workbook

SHEET_TITLE_MAX = 31  # Excel's limit
_SHEET_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def _sheet_title(text: str) -> str:
    return text.translate(_SHEET_FORBIDDEN)[:SHEET_TITLE_MAX]


def _xlsx_value(value: Any) -> Any:
    # openpyxl refuses control characters, which a name pasted from elsewhere may hold.
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _write_sheet(sheet: Any, headers: list[str], rows: Iterable[list[Any]],
                 formats: Sequence[str | None], freeze: str = "B2") -> None:
    """A table with a bold, frozen header, numbers as numbers and fitting column widths."""
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = [min(len(h), 24) for h in headers]
    for number, row in enumerate(rows, start=2):
        for i, value in enumerate(row):
            if value is None:
                continue
            cell = sheet.cell(row=number, column=i + 1, value=_xlsx_value(value))
            if isinstance(cell.value, str):
                if cell.value.startswith("="):
                    cell.data_type = "s"  # typed by a trainee: text, never a formula
                widths[i] = max(widths[i], min(len(cell.value), 60))
            elif formats[i] is not None and cell.value is not None:
                cell.number_format = formats[i]
                widths[i] = max(widths[i], 8)
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(width, 6) + 2
    sheet.freeze_panes = freeze
    if sheet.max_row > 1:
        sheet.auto_filter.ref = sheet.dimensions


def _tracking_numbers(results: list[TraineeResult]) -> list[str]:
    """Every report anyone received, in the order they arrived (first seen)."""
    seen: dict[str, None] = {}
    for result in results:
        for report in result.card.reports:
            seen.setdefault(report.tracking_no, None)
    return list(seen)


def _dimension_points(report: ReportScore | None, dimension: Dimension) -> float | None:
    """The report's points in one aspect; blank where the aspect was not scored (yet)."""
    if report is None or not any(x.dimension == dimension for x in report.lines):
        return None
    return report.points(dimension)


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("Ya" if value else "Tidak")


def _team_sheet(book: Any, exercise: Exercise) -> None:
    """Mode tim: one row per team: its card (every dimension, on the shared reports), the
    hand-offs and the time from arrival to selesai; its people and seats."""
    teams = list(exercise.teams)
    cards = report_cards(exercise, teams)
    flows = {flow.team.id: flow for flow in team_flows(exercise)}
    rows = []
    for team in teams:
        flow, summary = flows.get(team.id), cards[team.id].summary
        rows.append([
            team.name, ", ".join(f"{s.label}: {s.person or 'rekan simulasi'}"
                                 for s in flow.seats) if flow else "",
            summary.reports, summary.total_pct, summary.accuracy_pct, summary.selesai_pct,
            flow.hand_offs if flow else None,
            round(flow.median_hk, 2) if flow and flow.median_hk is not None else None,
            summary.breaches, summary.confidentiality_errors])
    _write_sheet(book.create_sheet("Tim"), [
        "Tim", "Kursi", "Laporan", "Nilai tim (%)", "Ketepatan (%)", "Laporan selesai (%)",
        "Serah-terima", "Masuk sampai selesai, median (HK)", "Batas waktu terlewati",
        "Kesalahan kerahasiaan"], rows,
        [None, None, COUNT, PCT, PCT, PCT, COUNT, HK, COUNT, COUNT])


def results_xlsx(exercise: Exercise, include_inactive: bool = False) -> bytes:
    """The workbook: «Ringkasan», one sheet per scoring aspect, «Laporan» and «Sesi»."""
    results = session_results(exercise, include_inactive)
    book = Workbook()
    team = is_team_mode(exercise)
    columns = result_columns(is_opd(exercise), team, _has_nip(results))
    _write_sheet(book.active, [c.header for c in columns],
                 ([c.value(r) for c in columns] for r in results),
                 [c.number_format for c in columns])
    book.active.title = "Ringkasan"

    numbers = _tracking_numbers(results)
    for dimension in dimensions(is_opd(exercise), team):
        headers = ["Nama", "Unit kerja", "Kohort", *[f"#{n}" for n in numbers],
                   "Jumlah poin", "Maks.", "Persen (%)"]
        rows = []
        for result in results:
            by_number = {r.tracking_no: r for r in result.card.reports}
            points, maximum = result.card.by_dimension[dimension]
            rows.append([result.participant.name, result.participant.unit_name,
                         result.participant.cohort or "",
                         *[_dimension_points(by_number.get(n), dimension) for n in numbers],
                         points, maximum, round(100 * points / maximum, 1) if maximum else None])
        formats = [None, None, None, *[POINTS] * len(numbers), POINTS, POINTS, PCT]
        _write_sheet(book.create_sheet(_sheet_title(dimension.label)), headers, rows, formats)

    subjects = {(c.participant_id, c.tracking_no): c for c in db.session.scalars(
        select(Complaint).where(Complaint.exercise_id == exercise.id))}
    report_rows = []
    for result in results:
        for report in result.card.reports:
            complaint = subjects.get((result.participant.owner_id, report.tracking_no))
            subject = (complaint.judul or complaint.text[:80]) if complaint else ""
            report_rows.append([
                result.participant.name, result.participant.unit_name, report.tracking_no,
                subject, report.did, report.expected, report.points(), report.maximum(),
                _yes_no(report.routed_exactly), _yes_no(report.first_time_correct),
                report.verify_hk, report.first_tl_hk, report.breaches,
                None if report.quality is None else round(100 * report.quality, 1),
                report.confidentiality_errors, _yes_no(report.selesai)])
    _write_sheet(book.create_sheet("Laporan"), [
        "Nama", "Unit kerja", "No. laporan", "Judul/isi", "Yang dilakukan", "Yang diharapkan",
        "Poin", "Maks.", "Disposisi tepat", "Tepat sejak awal", "Verifikasi (HK)",
        "TL pertama (HK)", "Batas terlewati", "Mutu TL (%)", "Kesalahan kerahasiaan", "Selesai",
    ], report_rows, [None] * 6 + [POINTS, POINTS, None, None, HK, HK, COUNT, PCT, COUNT, None],
        freeze="D2")

    if team:
        _team_sheet(book, exercise)
    learning = session_learning_of(exercise, exercise.code, include_inactive)
    if learning is not None:
        write_learning_sheets(book, [learning])
    info = session_info(exercise)
    _write_sheet(book.create_sheet("Sesi"), ["Keterangan", "Isi"], [
        ["Judul", exercise.title], ["Kode sesi", exercise.code],
        ["Skenario", exercise.scenario_id or ""], ["Tanggal", info.held_on],
        ["Tempat", info.location], ["Fasilitator", info.facilitator],
        ["Peserta", len(results)], ["Laporan per peserta (rencana)", exercise.complaint_count],
        ["Aturan penilaian versi", (exercise.settings or {}).get("scoring_version", "")],
        *session_facts(exercise, info.zone),
        *([["Tes awal dan tes akhir", GAIN_METHOD]] if learning is not None else []),
        ["Diekspor pada", format_tanggal(to_local(wall_now(), info.zone), zone=info.zone)],
    ], [None, None], freeze="A2")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _one(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def write_learning_sheets(book: Any, sessions: Sequence[SessionLearning],
                          session_column: bool = False) -> None:
    """The tes awal and tes akhir (domain.learning): «Tes», each participant's figures in
    both tests and the change; «Tes kelompok», each group's paired gain per measure;
    «Tes jebakan», who fell into each trap in each test. With `session_column` (a studi
    komparasi) every row starts with its session."""
    lead = ["Sesi"] if session_column else []

    def first(session: SessionLearning) -> list[Any]:
        return [session.name] if session_column else []

    heads, formats = [], []
    for measure in MEASURES:
        heads += [f"{measure.label}: tes awal (%)", f"{measure.label}: tes akhir (%)",
                  f"{measure.label}: perubahan (poin)"]
        formats += [PCT, PCT, PCT]
    rows = []
    for session in sessions:
        for learner in session.learners:
            found = {c.measure.key: c for c in changes(learner)}
            cells: list[Any] = []
            for measure in MEASURES:
                change = found.get(measure.key)
                cells += [_one(change.pre), _one(change.post), _one(change.gain)] \
                    if change else [None, None, None]
            rows.append([*first(session), learner.label, learner.unit, learner.cohort,
                         _yes_no(learner.took(Phase.AWAL)), _yes_no(learner.took(Phase.AKHIR)),
                         _yes_no(learner.paired), *cells])
    teams = any(s.teams for s in sessions)
    _write_sheet(book.create_sheet("Tes"), [
        *lead, "Tim" if teams else "Nama", "Unit kerja", "Kohort", "Mengerjakan tes awal",
        "Mengerjakan tes akhir", "Dihitung berpasangan", *heads], rows,
        [*[None] * len(lead), None, None, None, None, None, None, *formats],
        freeze=f"{'C' if session_column else 'B'}2")

    _write_sheet(book.create_sheet("Tes kelompok"), [
        *lead, "Kohort", "Kelompok", "Angka", "Anggota", "Berpasangan", "Tanpa tes awal",
        "Tanpa tes akhir", "Pasangan dengan angka ini", "Rata-rata tes awal (%)",
        "Rata-rata tes akhir (%)", "Rata-rata perubahan (poin)", "Naik", "Sama", "Turun",
        "SD selisih (poin)", "Kenaikan terstandar", "Besarnya", "Penjelasan"],
        ([*first(session), group.cohort, group.label, found.measure.label, group.members,
          group.paired, group.without_pre, group.without_post, found.pairs,
          _one(found.mean_pre), _one(found.mean_post), _one(found.mean_gain), found.improved,
          found.same, found.worse, None if found.sd is None else round(found.sd, 2),
          found.effect_shown, found.size, found.text]
         for session in sessions for group in session.groups for found in group.gains),
        [*[None] * len(lead), None, None, None, COUNT, COUNT, COUNT, COUNT, COUNT, PCT, PCT,
         PCT, COUNT, COUNT, COUNT, HK, HK, None, None], freeze=f"{'D' if session_column else 'C'}2")

    _write_sheet(book.create_sheet("Tes jebakan"), [
        *lead, "Kohort", "Kelompok", "Jebakan", "Terjebak di tes awal", "Dinilai di tes awal",
        "Terjebak di tes awal (%)", "Terjebak di tes akhir", "Dinilai di tes akhir",
        "Terjebak di tes akhir (%)"],
        ([*first(session), group.cohort, group.label, shift.trap.label, shift.pre_fell,
          shift.pre_judged, _one(shift.pre_pct), shift.post_fell, shift.post_judged,
          _one(shift.post_pct)]
         for session in sessions for group in session.groups for shift in group.traps),
        [*[None] * len(lead), None, None, None, COUNT, COUNT, PCT, COUNT, COUNT, PCT],
        freeze=f"{'D' if session_column else 'C'}2")


# ------------------------------------------------------------------ session facts


@dataclass(frozen=True)
class SessionInfo:
    """What a certificate or a printed page says about the session."""

    held_on: str
    location: str
    facilitator: str
    zone: str


def _first_start(exercise: Exercise) -> datetime | None:
    starts = [c.wall_at for c in exercise.clock_changes if c.kind == ClockKind.MULAI]
    return min(starts) if starts else None


def session_facts(exercise: Exercise, zone: str) -> list[list[Any]]:
    """What makes two sessions the same exercise, for the «Sesi» sheet: seed, mode, the
    studi komparasi it belongs to, the speed at each clock change, the pauses, and the
    app's version (scenario and scoring version are rows of their own)."""
    settings = exercise.settings or {}
    day = calendar_of(exercise).day_length.total_seconds()
    speeds, pauses, paused = [], 0, timedelta(0)
    pause_from: datetime | None = None
    for change in exercise.clock_changes:
        when = to_local(change.wall_at, zone).strftime("%H:%M")
        if change.kind in (ClockKind.MULAI, ClockKind.KECEPATAN, ClockKind.LANJUT) \
                and change.rate > 0:
            speeds.append(f"{when} 1 HK = {day / change.rate / 60:g} menit".replace(".", ","))
        if change.kind == ClockKind.JEDA:
            pauses, pause_from = pauses + 1, change.wall_at
        elif pause_from is not None:
            paused, pause_from = paused + (change.wall_at - pause_from), None
    return [["Seed", exercise.seed], ["Mode", settings.get("mode") or "individu"],
            ["Studi komparasi", settings.get("studi") or "–"],
            ["Kecepatan dikunci", "Ya" if settings.get("kunci_kecepatan") else "Tidak"],
            ["Riwayat kecepatan", "; ".join(dict.fromkeys(speeds)) or "belum dimulai"],
            ["Jeda", f"{pauses} kali, {round(paused.total_seconds() / 60)} menit"],
            ["Versi aplikasi saat sesi dibuat", settings.get("app_version") or "tidak tercatat"],
            ["Versi aplikasi saat diekspor", app_version()],
            ["Versi pembuat laporan", settings.get("generator_version") or 1]]


def session_info(exercise: Exercise) -> SessionInfo:
    """Date, place and facilitator: as the facilitator wrote them, else from the records."""
    zone = get_catalogue(exercise.region_file).region.timezone
    held_on = exercise.held_on
    if not held_on:
        started = _first_start(exercise) or exercise.created_at
        held_on = format_tanggal(to_local(started, zone), with_time=False)
    facilitator = db.session.get(Facilitator, exercise.facilitator_id) \
        if exercise.facilitator_id is not None else None
    return SessionInfo(held_on=held_on, location=exercise.location or "",
                       facilitator=facilitator.name if facilitator else "", zone=zone)


# ------------------------------------------------------------------ raw log


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def event_log_lines(exercise: Exercise) -> list[dict[str, Any]]:
    """Every report event, session event and score override of the session, by wall time.

    Wall time (UTC) is the order things were recorded in; each line also carries the
    simulated time (`sim_at`) where it has one, to reorder by the session's own clock.
    """
    # A report's owner: the trainee, or in mode tim the team (whose people share it).
    names = {p.id: p.name for p in (*exercise.participants, *exercise.teams)}
    lines: list[tuple[datetime, int, int, dict[str, Any]]] = []
    rows = db.session.execute(
        select(Event, Complaint.tracking_no, Complaint.participant_id)
        .join(Complaint, Event.complaint_id == Complaint.id)
        .where(Complaint.exercise_id == exercise.id))
    for event, tracking_no, participant_id in rows:
        lines.append((event.wall_at, 1, event.id, {
            "type": "event", "participant_id": participant_id,
            "participant": names.get(participant_id), "tracking_no": tracking_no,
            "seq": event.seq, "action": event.action, "role": event.role,
            "actor": event.actor, "payload": event.payload, "state_after": event.state_after,
            # Who recorded it (mode tim tells a team's people apart); None for scripts
            # and simulated teammates.
            "by_participant_id": event.participant_id,
            "sim_at": _iso(event.sim_at), "wall_at": _iso(event.wall_at)}))
    for row in db.session.scalars(select(SessionEvent)
                                  .where(SessionEvent.exercise_id == exercise.id)):
        lines.append((row.wall_at, 0, row.id, {
            "type": "session_event", "seq": row.seq, "kind": row.kind, "actor": row.actor,
            "payload": row.payload, "sim_at": _iso(row.sim_at), "wall_at": _iso(row.wall_at)}))
    overrides = db.session.execute(
        select(ScoreOverride, Complaint.tracking_no, Complaint.participant_id)
        .join(Complaint, ScoreOverride.complaint_id == Complaint.id)
        .where(Complaint.exercise_id == exercise.id))
    for override, tracking_no, participant_id in overrides:
        lines.append((override.wall_at, 2, override.id, {
            "type": "score_override", "participant_id": participant_id,
            "participant": names.get(participant_id), "tracking_no": tracking_no,
            "tl_seq": override.tl_seq, "rubric": override.rubric, "actor": override.actor,
            "wall_at": _iso(override.wall_at)}))
    lines.sort(key=lambda item: item[:3])
    return [line for *_, line in lines]


def event_log_jsonl(exercise: Exercise) -> bytes:
    """The raw log as JSON Lines (UTF-8, one JSON object per line)."""
    return "".join(json.dumps(line, ensure_ascii=False) + "\n"
                   for line in event_log_lines(exercise)).encode("utf-8")
