"""Studi komparasi: load sessions, their counted participants' report cards and the
verdict on each report, and compare them with the pure domain (domain.comparison).

A comparison stores nothing and scores nothing itself: cards come from services.scoring
(`report_cards`, which keeps a computed card only in a transaction that may write, so a
page view stays a read), verdicts from the one judge of decisions (domain.decisions,
as the debrief uses it). In mode tim the teams' cards are compared, not the people's.
Archives are compared by importing them into a database the caller throws away
(`compare_archives`, for the command line).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from sandbox.domain.comparison import (
    FIGURES,
    NOT_SIGNIFICANCE,
    SMALL_GROUP,
    Accuracy,
    Comparison,
    Member,
    ReportInfo,
    SessionFacts,
    SessionResults,
    compare,
    compatibility,
)
from sandbox.domain.decisions import Verdict, judge_receipt
from sandbox.domain.errors import CatalogueError, DomainError, ValidationError
from sandbox.domain.learning import GAIN_METHOD
from sandbox.domain.people import PeopleOverTime
from sandbox.domain.scenario import OPD_MODE, TEAM_MODE
from sandbox.extensions import db
from sandbox.models import Complaint, Exercise, Facilitator, Participant
from sandbox.services.archive import ArchiveError, import_archive, read_archive
from sandbox.services.catalogue import get_catalogue
from sandbox.services.dashboard import decision_judge
from sandbox.services.exports import COUNT, HK, PCT, _write_sheet, write_learning_sheets
from sandbox.services.learning import card_holders, session_learning_of
from sandbox.services.people import people_over_time, session_people, write_people_sheets
from sandbox.services.roles import is_opd
from sandbox.services.scoring import report_cards, scoring_moment
from sandbox.services.teams import is_team_mode
from sandbox.services.timekeeping import wall_now
from sandbox.services.workshops import get_workshop

NO_PASSWORD = "!"  # noqa: S105 - matches no password: nobody signs in as the owner
SESSIONS_MAX = 8  # sessions on one page: more would not fit side by side
MODE_LABELS = {"individu": "individu", OPD_MODE: "OPD", TEAM_MODE: "tim"}


def parse_codes(values: Iterable[str]) -> list[str]:
    """The session codes asked for (upper case, each once, in order); ValidationError when
    fewer than two or more than SESSIONS_MAX."""
    codes: list[str] = []
    for value in values:
        code = (value or "").strip().upper()
        if code and code not in codes:
            codes.append(code)
    if len(codes) < 2:
        raise ValidationError({"sesi": "Pilih minimal dua sesi untuk dibandingkan."})
    if len(codes) > SESSIONS_MAX:
        raise ValidationError({"sesi": f"Pilih paling banyak {SESSIONS_MAX} sesi sekaligus."})
    return codes


def session_mode(exercise: Exercise) -> str:
    if is_team_mode(exercise):
        return MODE_LABELS[TEAM_MODE]
    return MODE_LABELS[OPD_MODE] if is_opd(exercise) else MODE_LABELS["individu"]


def generator_version_of(settings: Mapping[str, Any]) -> int:
    """How the session's reports were written (domain.generator.GENERATOR_VERSION when it
    was made; 1 for sessions made before the version was recorded)."""
    value = settings.get("generator_version")
    return value if isinstance(value, int) and not isinstance(value, bool) else 1


def session_facts(exercise: Exercise, label: str = "") -> SessionFacts:
    """What the session's work was (domain.comparison.compatibility compares these)."""
    settings = exercise.settings or {}
    version = settings.get("scoring_version")
    app_version = settings.get("app_version")
    return SessionFacts(
        code=label or exercise.code, scenario=exercise.scenario_id, seed=exercise.seed,
        scoring_version=version if isinstance(version, int) else None,
        region_file=exercise.region_file, mode=session_mode(exercise),
        minutes_per_hk=exercise.speed, app_version=str(app_version) if app_version else None,
        generator_version=generator_version_of(settings))


def _subjects(exercise: Exercise, as_of: datetime | None) -> list[Participant]:
    """Who holds the cards compared (services.learning.card_holders: the counted people,
    or in mode tim the teams with at least one counted person)."""
    return card_holders(exercise, as_of=as_of)


def _verdicts(exercise: Exercise, subjects: Sequence[Participant], complaints: list[Complaint],
              moment: datetime, as_of: datetime | None) -> dict[int, dict[str, Verdict]]:
    """The verdict on each report's decision (the one judge, domain.decisions), counting
    only the events its card counts; in mode OPD on the trainee's answer to a disposition."""
    judge = decision_judge(exercise)
    opd = is_opd(exercise)
    units = {p.id: p.unit_code for p in subjects}
    late = as_of or datetime.max
    found: dict[int, dict[str, Verdict]] = {p.id: {} for p in subjects}
    for complaint in complaints:
        events = [e.to_record() for e in complaint.events
                  if e.sim_at <= moment and e.wall_at <= late]
        if opd:
            unit = units.get(complaint.participant_id)
            receipt = judge_receipt(complaint.answer_key, events, unit,
                                    unit_names=judge.unit_names) if unit else None
            if receipt is not None:
                found[complaint.participant_id][complaint.tracking_no] = receipt.verdict
            continue
        found[complaint.participant_id][complaint.tracking_no] = \
            judge(complaint.answer_key, events).verdict
    return found


def _topic_title(exercise: Exercise, topic: str) -> str:
    try:
        return get_catalogue(exercise.region_file).topic(topic).title
    except CatalogueError:
        return topic


def session_results(exercise: Exercise, label: str = "",
                    as_of: datetime | None = None) -> SessionResults:
    """One session's counted participants (or teams) with their cards and verdicts; with
    `as_of` (naive UTC wall time) as it stood then (an archive, as it was exported)."""
    subjects = _subjects(exercise, as_of)
    cards = report_cards(exercise, subjects, as_of)
    moment = scoring_moment(exercise, as_of) if exercise.clock_changes else datetime.min
    complaints = list(db.session.scalars(
        select(Complaint).options(selectinload(Complaint.events))
        .where(Complaint.participant_id.in_([p.id for p in subjects]),
               Complaint.arrived_at <= moment)
        .order_by(Complaint.position, Complaint.participant_id)))
    verdicts = _verdicts(exercise, subjects, complaints, moment, as_of)
    expected = {r.tracking_no: r.expected for card in cards.values() for r in card.reports}
    reports: dict[str, ReportInfo] = {}
    titles: dict[str, str] = {}
    for complaint in complaints:
        if complaint.tracking_no in reports:
            continue
        topic = str(complaint.answer_key.get("topic") or "")
        if topic not in titles:
            titles[topic] = _topic_title(exercise, topic)
        text = " ".join(complaint.text.split())
        reports[complaint.tracking_no] = ReportInfo(
            tracking_no=complaint.tracking_no, position=complaint.position, topic=topic,
            topic_title=titles[topic], subject=text if len(text) <= 80 else text[:79] + "…",
            expected=expected.get(complaint.tracking_no, ""))
    members = tuple(Member.of_card(p.name, cards[p.id], p.cohort or "", verdicts[p.id])
                    for p in subjects)
    return SessionResults(session_facts(exercise, label), exercise.title, members, reports,
                          label=label, teams=is_team_mode(exercise),
                          people=session_people(exercise, label or exercise.code, subjects,
                                                members, as_of),
                          learning=session_learning_of(exercise, label or exercise.code,
                                                       as_of=as_of, holders=subjects))


def named(exercise: Exercise, code: str) -> str:
    """How a session is headed in a comparison: its place (the workshop's «Tempat», e.g.
    the district) with its code, so a column reads «Kotabaru · K7P2QX»; the code alone
    when no place was given."""
    place = " ".join((exercise.location or "").split())
    return f"{place} · {code}" if place else code


def compare_exercises(exercises: Sequence[Exercise], allow: bool = False,
                      labels: Sequence[str] | None = None,
                      as_of: Mapping[int, datetime] | None = None) -> Comparison:
    """Compare sessions (domain.comparison.compare), in the order they ran (their real
    start). Refused sessions are not scored at all: a session of another scoring version
    could not be."""
    names = list(labels) if labels is not None else [named(e, e.code) for e in exercises]
    # In the order they ran, whatever order they were asked in: columns read left to
    # right in time, and a person followed across sessions goes from first to last.
    ordered = sorted(zip(exercises, names, strict=True),
                     key=lambda pair: (pair[0].wall_start_at, pair[0].code))
    exercises, names = [e for e, _ in ordered], [name for _, name in ordered]
    facts = [session_facts(e, name) for e, name in zip(exercises, names, strict=True)]
    verdict = compatibility(facts, allow)
    if verdict.refused:
        shells = tuple(SessionResults(f, e.title, (), {}, label=name)
                       for f, e, name in zip(facts, exercises, names, strict=True))
        return Comparison(shells, verdict)
    return compare([session_results(e, name, (as_of or {}).get(e.id))
                    for e, name in zip(exercises, names, strict=True)], allow)


def compare_workshops(facilitator: Facilitator, codes: Iterable[str],
                      allow: bool = False) -> Comparison:
    """Compare the facilitator's own workshops by code (NoSuchWorkshop for another's)."""
    exercises = [get_workshop(facilitator, code) for code in parse_codes(codes)]
    return compare_exercises(exercises, allow)


def _exported_at(data: Mapping[str, Any]) -> datetime | None:
    """When an archive was exported (naive UTC), if it says so readably."""
    value = data.get("exported_at")
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
    return moment if moment is not None and moment.tzinfo is None else None


def compare_archives(archives: Sequence[tuple[str, bytes]], allow: bool = False) -> Comparison:
    """Compare session archives (name, bytes) by importing them into the current database,
    which the caller throws away afterwards (the command line uses an in-memory one).

    Each session is named by its original code (a second copy of one code gets «(2)»)
    and scored as it stood when it was exported. An unreadable archive raises
    ArchiveError naming the file.
    """
    owner = Facilitator(username="studi", name="Studi komparasi", password_hash=NO_PASSWORD,
                        created_at=wall_now())
    db.session.add(owner)
    db.session.flush()
    exercises, labels, moments = [], [], {}
    for name, data in archives:
        try:
            moment = _exported_at(read_archive(data))
            result = import_archive(data, owner)
        except ArchiveError as error:
            raise ArchiveError(f"{name}: {error.message}") from None
        first = named(result.exercise, result.original_code)
        label, copy = first, 2
        while label in labels:
            label, copy = f"{first} ({copy})", copy + 1
        exercises.append(result.exercise)
        labels.append(label)
        if moment is not None:
            moments[result.exercise.id] = moment
    return compare_exercises(exercises, allow, labels, moments)


# ------------------------------------------------------------------ workbook


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _accuracy_row(accuracy: Accuracy) -> list[Any]:
    return [accuracy.received, accuracy.right, accuracy.wrong, accuracy.idle,
            _round(accuracy.pct, 1)]


VERDICT_WORDS = {verdict: verdict.label for verdict in Verdict}
# A figure's cells by its unit: a count of errors shows as «1», not «1.00».
UNIT_FORMATS = {"%": PCT, "HK": HK, "": COUNT}


def comparison_xlsx(comparison: Comparison, people: PeopleOverTime | None = None) -> bytes:
    """The comparison as a workbook: one sheet per view, each with a «Sesi» column; the
    people followed across sessions are `people` (default: those matched by NIP)."""
    if comparison.compatibility.refused:
        raise DomainError(" ".join([comparison.compatibility.summary,
                                    *comparison.compatibility.reasons]))
    book = Workbook()
    groups = comparison.groups
    sheet = book.active
    sheet.title = "Kelompok"
    _write_sheet(sheet, [
        "Sesi", "Kohort", "Kelompok", "Peserta dihitung", "Laporan", "Disposisi tepat (%)",
        "Verifikasi median (HK)", "Verifikasi P90 (HK)", "TL pertama median (HK)",
        "TL pertama P90 (HK)", "Batas waktu terlewati per peserta", "Mutu TL rata-rata (%)",
        "Kesalahan kerahasiaan per peserta", "Nilai total rata-rata (%)"],
        ([g.session, g.cohort, g.label, g.figures.participants, g.figures.reports,
          _round(g.figures.routing_pct, 1), _round(g.figures.verify.median),
          _round(g.figures.verify.p90), _round(g.figures.first_tl.median),
          _round(g.figures.first_tl.p90), _round(g.figures.breaches_per_participant),
          _round(g.figures.quality_pct, 1), _round(g.figures.confidentiality_per_participant),
          _round(g.figures.total_pct, 1)] for g in groups),
        [None, None, None, COUNT, COUNT, PCT, HK, HK, HK, HK, HK, PCT, HK, PCT], freeze="D2")

    accuracy_headers = ["Diterima", "Tepat", "Kurang/sebagian tepat", "Belum ditangani",
                        "Tepat (%)"]
    accuracy_formats = [COUNT, COUNT, COUNT, COUNT, PCT]
    topics = comparison.topics()
    _write_sheet(book.create_sheet("Topik"), [
        "Sesi", "Kohort", "Topik", "Judul topik", *accuracy_headers],
        ([g.session, g.cohort, key, title, *_accuracy_row(g.topics[key])]
         for key, title in topics for g in groups if key in g.topics),
        [None, None, None, None, *accuracy_formats], freeze="E2")

    _write_sheet(book.create_sheet("Laporan"), [
        "Sesi", "Kohort", "Urutan", "No. laporan", "Topik", "Isi (awal)", "Yang diharapkan",
        *accuracy_headers],
        ([g.session, g.cohort, info.position, info.tracking_no, info.topic_title, info.subject,
          info.expected, *_accuracy_row(g.traps[info.tracking_no])]
         for info in comparison.traps() for g in groups if info.tracking_no in g.traps),
        [None, None, COUNT, None, None, None, None, *accuracy_formats], freeze="E2")

    _write_sheet(book.create_sheet("Perbedaan"), [
        "Sesi", "Dibandingkan dengan", "Angka", "Peserta (sesi)", "Peserta (pembanding)",
        "Rata-rata (sesi)", "Rata-rata (pembanding)", "SD gabungan", "Selisih terstandar",
        "Besarnya", "Penjelasan"],
        ([d.first, d.second, d.figure.label + (f" ({d.figure.unit})" if d.figure.unit else ""),
          d.first_n, d.second_n, _round(d.first_mean), _round(d.second_mean),
          _round(d.pooled_sd), d.effect_shown, d.size, d.text]
         for d in comparison.differences),
        [None, None, None, COUNT, COUNT, HK, HK, HK, HK, None, None], freeze="D2")

    _write_sheet(book.create_sheet("Peserta"), [
        "Sesi", "Kohort", "Tim" if any(s.teams for s in comparison.sessions) else "Nama",
        *[f.label + (f" ({f.unit})" if f.unit else "") for f in FIGURES]],
        ([session.name, m.cohort, m.label, *[_round(f.value(m)) for f in FIGURES]]
         for session in comparison.sessions for m in session.members),
        [None, None, None, *[UNIT_FORMATS[f.unit] for f in FIGURES]], freeze="D2")
    write_people_sheets(book, people or people_over_time(comparison))

    _write_sheet(book.create_sheet("Waktu"), [
        "Sesi", "Kohort", "Nama", "No. laporan", "Putusan", "Verifikasi (HK)",
        "TL pertama (HK)", "Batas terlewati", "Mutu TL (%)", "Kesalahan kerahasiaan"],
        ([session.name, m.cohort, m.label, r.tracking_no,
          VERDICT_WORDS[m.verdict(r.tracking_no)], _round(r.verify_hk), _round(r.first_tl_hk),
          r.breaches, None if r.quality is None else round(100 * r.quality, 1),
          r.confidentiality_errors]
         for session in comparison.sessions for m in session.members for r in m.reports),
        [None, None, None, None, None, HK, HK, COUNT, PCT, COUNT], freeze="D2")

    _write_sheet(book.create_sheet("Sesi"), [
        "Sesi", "Judul", "Skenario", "Seed", "Versi aturan penilaian", "Mode",
        "Berkas wilayah", "Kecepatan awal (menit per HK)", "Versi aplikasi",
        "Peserta dihitung"],
        ([s.name, s.title, s.facts.scenario or "", s.facts.seed, s.facts.scoring_version,
          s.facts.mode, s.facts.region_file, s.facts.minutes_per_hk,
          s.facts.app_version or "tidak tercatat", len(s.members)]
         for s in comparison.sessions),
        [None, None, None, COUNT, COUNT, None, None, "0.##", None, COUNT], freeze="B2")

    learning = [s.learning for s in comparison.sessions if s.learning is not None]
    if learning:  # the sessions' tes awal and tes akhir (domain.learning)
        write_learning_sheets(book, learning, session_column=True)
    codes = ", ".join(s.name for s in comparison.sessions)
    notes = [[codes, comparison.compatibility.summary],
             *[[codes, reason] for reason in comparison.compatibility.reasons],
             [codes, METHOD_NOTE], [codes, NOT_SIGNIFICANCE],
             *([[codes, GAIN_METHOD]] if learning else [])]
    _write_sheet(book.create_sheet("Catatan"), ["Sesi", "Catatan"], notes, [None, None],
                 freeze="A2")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


METHOD_NOTE = (
    "Cara menghitung: disposisi tepat, waktu dan mutu TL dihitung dari semua laporan para "
    "peserta kelompok; batas terlewati dan kesalahan kerahasiaan dibagi jumlah peserta. "
    "Median: nilai tengah (rata-rata dua nilai tengah bila jumlahnya genap). P90: nilai pada "
    "peringkat ke-⌈0,9 × n⌉ dari nilai yang diurutkan (metode peringkat terdekat). Besarnya "
    "perbedaan: selisih rata-rata per peserta dibagi SD gabungan kedua kelompok (kecil di bawah "
    f"0,5; sedang 0,5 sampai 0,8; besar 0,8 ke atas); kelompok di bawah {SMALL_GROUP} peserta "
    "terlalu kecil untuk disimpulkan.")
