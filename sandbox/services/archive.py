"""A whole workshop in one file, and rebuilding it in another database.

The archive holds every stored row of the session (the exercise with its settings,
clock changes, session events, participants, reports with their answer keys and
scripts, report events and score overrides), so results recomputed after an import
are the results of the original. Rows are written column by column from the models,
and checked against the same columns on the way in: a column added to a model is
carried without editing this file.

Importing gives every row a new id, rewires the foreign keys, and checks the file
completely first; nothing is written until the whole file has passed, and the
caller rolls back if anything still fails.
"""

from __future__ import annotations

import gzip
import json
import math
import re
import secrets
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, Integer, String, select, text
from sqlalchemy.orm import selectinload

from sandbox.domain.catalogue import CHANNELS, CODE_RE
from sandbox.domain.errors import DomainError, ValidationError
from sandbox.domain.fields import (
    PERSONAL_CODE,
    SESSION_CODE,
    check_text,
    check_workshop_text,
    normal_code,
    settings_problems,
)
from sandbox.domain.generator import AnswerKey, Reporter
from sandbox.domain.learning import PHASE_KEY, parse_phase
from sandbox.domain.numbers import SEED_MAX
from sandbox.domain.people import nip_problem, normal_nip
from sandbox.domain.scenario import Disposition
from sandbox.domain.session import ClockKind
from sandbox.domain.simulation import ReporterScript
from sandbox.domain.teammate import INSTANSI_KEY
from sandbox.domain.text import forbidden_character
from sandbox.domain.workflow import (
    ACTION_SPECS,
    KATEGORI_LABELS,
    Action,
    Directory,
    EventRecord,
    Klasifikasi,
    Role,
    State,
    apply_recorded,
    replay,
)
from sandbox.extensions import db
from sandbox.models import (
    ClockChange,
    Complaint,
    Event,
    Exercise,
    Facilitator,
    Participant,
    ScoreOverride,
    SessionEvent,
)
from sandbox.services.catalogue import get_catalogue, region_path
from sandbox.services.exports import trainees_of
from sandbox.services.practice import check_trainee
from sandbox.services.roster import COHORT_MAX
from sandbox.services.scoring import report_card
from sandbox.services.session_log import KIND_LABELS, MESSAGE_MAX
from sandbox.services.timekeeping import wall_now
from sandbox.services.uploads import JsonLimits, UploadRefused, read_json_bytes
from sandbox.services.workshops import _free_code

ARCHIVE_FORMAT = "lapor-sandbox-arsip"
ARCHIVE_VERSION = 1
# The tables of one session, in the order they are written back (parents first).
TABLES: tuple[tuple[str, Any], ...] = (
    ("clock_changes", ClockChange), ("session_events", SessionEvent),
    ("participants", Participant), ("complaints", Complaint), ("events", Event),
    ("score_overrides", ScoreOverride),
)
# Tables derived from the ones above and computed again when needed: never archived.
DERIVED_TABLES = frozenset({"score_card"})
# A 60-trainee, 90-minute studi komparasi archives to 0.7 MB (4.4 MB unpacked, 21,841
# objects, 146,517 commas): these limits are about 15 times that, and a bomb of tiny
# objects is refused after about a megabyte (bench/uploads.py measures both).
UNPACKED_MAX = 64 * 1024 * 1024
LIMITS = JsonLimits(unpacked=UNPACKED_MAX, containers=400_000, values=2_500_000)
PROBLEMS_SHOWN = 6
PROBLEMS_KEPT = 50  # checking stops here: a file with millions of bad rows is not listed
JSON_DEPTH_MAX = 16  # nesting of one JSON column (a payload, a reporter); the app writes 4
SPEED_MAX = 600  # real minutes per HK, as a scenario file allows
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")  # a rejoin token, as secrets.token_urlsafe
TRACKING_NO = re.compile(r"^[A-Za-z0-9-]{1,20}$")
# Serialises imports on PostgreSQL, so two imports of one archive never take the same
# code (SQLite already runs one writing transaction at a time).
IMPORT_LOCK = 0x4C41504F  # "LAPO"
CLOCK_KINDS = tuple(kind.value for kind in ClockKind)
EXPECTED_ACTIONS = ("disposisi", "kelola_sendiri", "tunda", "arsipkan", "bukan_wewenang")
INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # PostgreSQL's integer


class ArchiveError(DomainError):
    """An archive file that cannot be imported; the message says what is wrong and where."""


# ------------------------------------------------------------------ writing


def _encode(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _row(obj: Any) -> dict[str, Any]:
    return {c.key: _encode(getattr(obj, c.key)) for c in type(obj).__table__.columns}


def archive_data(exercise: Exercise) -> dict[str, Any]:
    """Every stored row of the session, as JSON-ready dicts keyed by table."""
    complaint_ids = select(Complaint.id).where(Complaint.exercise_id == exercise.id)
    queries = {
        "clock_changes": select(ClockChange).where(ClockChange.exercise_id == exercise.id)
        .order_by(ClockChange.id),
        "session_events": select(SessionEvent).where(SessionEvent.exercise_id == exercise.id)
        .order_by(SessionEvent.seq),
        "participants": select(Participant).where(Participant.exercise_id == exercise.id)
        .order_by(Participant.id),
        "complaints": select(Complaint).where(Complaint.exercise_id == exercise.id)
        .order_by(Complaint.id),
        "events": select(Event).where(Event.complaint_id.in_(complaint_ids))
        .order_by(Event.complaint_id, Event.seq),
        "score_overrides": select(ScoreOverride)
        .where(ScoreOverride.complaint_id.in_(complaint_ids)).order_by(ScoreOverride.id),
    }
    facilitator = db.session.get(Facilitator, exercise.facilitator_id) \
        if exercise.facilitator_id is not None else None
    data: dict[str, Any] = {
        "format": ARCHIVE_FORMAT, "version": ARCHIVE_VERSION,
        "exported_at": wall_now().isoformat(),
        # For people reading the file; the importing facilitator becomes the owner.
        "facilitator": {"username": facilitator.username, "name": facilitator.name}
        if facilitator else None,
        "exercise": _row(exercise),
    }
    for key, query in queries.items():
        data[key] = [_row(obj) for obj in db.session.scalars(query)]
    return data


def export_archive(exercise: Exercise) -> bytes:
    """The archive file: UTF-8 JSON, gzip-compressed (a session shrinks about tenfold)."""
    text = json.dumps(archive_data(exercise), ensure_ascii=False, separators=(",", ":"))
    return gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0)


# ------------------------------------------------------------------ reading


def read_archive(data: bytes) -> dict[str, Any]:
    """The archive's JSON (gzip-compressed or plain), or ArchiveError saying why not.

    The file is unpacked in chunks and its structure counted as it streams (see
    services.uploads), so a bomb is refused before it takes memory or time.
    """
    if not data:
        raise ArchiveError("Berkas arsip kosong.")
    try:
        unpacked = read_json_bytes(data, LIMITS)
    except UploadRefused as error:
        raise ArchiveError(error.message) from None
    try:
        decoded = unpacked.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ArchiveError("Ini bukan berkas arsip Sandbox LAPOR! (bukan teks UTF-8 atau "
                           "gzip).") from None
    del unpacked  # a gzip file's unpacked bytes are not needed once decoded
    try:
        parsed = json.loads(decoded)
    except json.JSONDecodeError as error:
        raise ArchiveError(f"Berkas arsip bukan JSON yang sah: baris {error.lineno}, kolom "
                           f"{error.colno}: {error.msg}.") from None
    except RecursionError:
        raise ArchiveError("Berkas arsip bukan JSON yang sah: bersarang terlalu dalam.") \
            from None
    if not isinstance(parsed, dict) or parsed.get("format") != ARCHIVE_FORMAT:
        raise ArchiveError("Ini bukan berkas arsip sesi Sandbox LAPOR! (penanda "
                           f"\"format\": \"{ARCHIVE_FORMAT}\" tidak ada).")
    version = parsed.get("version")
    if version != ARCHIVE_VERSION or isinstance(version, bool):
        raise ArchiveError(f"Arsip versi {str(version)[:10]} tidak dapat dibaca aplikasi ini, "
                           f"yang membaca arsip versi {ARCHIVE_VERSION}. Perbarui aplikasinya "
                           "atau ekspor ulang dengan versi yang sama.")
    return parsed


@dataclass
class _Problems:
    items: list[str] = field(default_factory=list)
    count: int = 0

    def add(self, where: str, text: str) -> None:
        self.count += 1
        if len(self.items) < PROBLEMS_KEPT:
            self.items.append(f"{where}: {text}")

    @property
    def full(self) -> bool:
        """Enough problems to refuse the file: checking more rows only costs time."""
        return self.count >= PROBLEMS_KEPT

    def check(self) -> None:
        if not self.items:
            return
        shown = "; ".join(self.items[:PROBLEMS_SHOWN])
        more = self.count - PROBLEMS_SHOWN
        raise ArchiveError(f"Berkas arsip tidak valid, tidak ada yang diimpor. {shown}"
                           + (f" (dan {more} masalah lain)." if more > 0 else "."))


def _unstorable(value: Any) -> str | None:
    """Why a text or JSON value cannot be stored as the forms would store it, or None.

    PostgreSQL refuses NUL and half of a surrogate pair, XML (the XLSX export) refuses
    control characters, and the forms refuse them all (domain.text.forbidden_character).
    A JSON value nested deeper than any the app writes is refused too: writing it back
    would overflow the JSON encoder's recursion.
    """
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            found = forbidden_character(item)
            if found is not None:
                return f"berisi karakter yang tidak diizinkan ({found}), tidak dapat disimpan"
        elif isinstance(item, dict | list):
            if depth >= JSON_DEPTH_MAX:
                return f"bersarang lebih dari {JSON_DEPTH_MAX} tingkat"
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return None


def _decode(column: Any, value: Any) -> Any:
    """A JSON value as the column stores it; ValueError says what was expected."""
    kind = column.type
    if isinstance(kind, DateTime):
        if not isinstance(value, str):
            raise ValueError("harus waktu ISO 8601 (teks)")
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"waktu tidak sah «{value[:30]}»") from None
        if moment.tzinfo is not None:
            raise ValueError("waktu harus tanpa zona (seperti yang diekspor)")
        return moment
    if isinstance(kind, Boolean):
        if not isinstance(value, bool):
            raise ValueError("harus true atau false")
        return value
    if isinstance(kind, Integer):
        if not isinstance(value, int) or isinstance(value, bool) or \
                not INT_MIN <= value <= INT_MAX:
            raise ValueError("harus bilangan bulat")
        return value
    if isinstance(kind, Float):
        if not isinstance(value, int | float) or isinstance(value, bool) or \
                not math.isfinite(value):
            raise ValueError("harus angka")
        return float(value)
    if isinstance(kind, String):
        if not isinstance(value, str):
            raise ValueError("harus teks")
        if kind.length is not None and len(value) > kind.length:
            raise ValueError(f"teks terlalu panjang (maksimal {kind.length} karakter)")
    elif isinstance(kind, JSON):
        shape = list if column.key == "attachments" else dict
        if not isinstance(value, shape):
            raise ValueError("harus daftar JSON" if shape is list else "harus objek JSON")
    problem = _unstorable(value)
    if problem is not None:
        raise ValueError(problem)
    return value


def _check_row(row: Any, model: Any, where: str, problems: _Problems) -> dict[str, Any] | None:
    """One row checked against its model's columns; None if it is unusable."""
    if not isinstance(row, dict):
        problems.add(where, "harus objek JSON")
        return None
    values: dict[str, Any] = {}
    ok = True
    for column in model.__table__.columns:
        name = column.key
        if name not in row:
            # Older archives may lack a newer column that has a default.
            if column.primary_key or not (column.nullable or column.default is not None):
                problems.add(f"{where}.{name}", "tidak ada")
                ok = False
            elif column.default is None:
                values[name] = None
            continue
        value = row[name]
        if value is None:
            if column.primary_key or not column.nullable:
                problems.add(f"{where}.{name}", "tidak boleh kosong (null)")
                ok = False
            values[name] = None
            continue
        try:
            values[name] = _decode(column, value)
        except ValueError as error:
            problems.add(f"{where}.{name}", str(error))
            ok = False
    return values if ok else None


@dataclass
class _Checked:
    exercise: dict[str, Any]
    tables: dict[str, list[dict[str, Any]]]


def check_archive(data: Mapping[str, Any]) -> _Checked:
    """Every row, reference and rule of the archive checked; ArchiveError lists problems."""
    problems = _Problems()
    exercise = _check_row(data.get("exercise"), Exercise, "exercise", problems)
    tables: dict[str, list[dict[str, Any]]] = {}
    for key, model in TABLES:
        rows = data.get(key)
        if not isinstance(rows, list):
            problems.add(key, "tidak ada (harus daftar)")
            continue
        tables[key] = []
        for i, row in enumerate(rows):
            if problems.full:
                break
            checked = _check_row(row, model, f"{key}[{i}]", problems)
            if checked is not None:
                tables[key].append(checked)
    problems.check()
    assert exercise is not None  # noqa: S101 - problems.check() raised otherwise
    _check_exercise(exercise, problems)
    _check_references(exercise, tables, problems)
    problems.check()
    _check_fields(exercise, tables, problems)
    problems.check()
    _check_content(exercise, tables, problems)
    problems.check()
    return _Checked(exercise, tables)


def _check_exercise(exercise: dict[str, Any], problems: _Problems) -> None:
    """The session row: what the workshop form and the scenario check would accept."""
    if exercise.get("mode") != "workshop":
        problems.add("exercise.mode", "hanya sesi pelatihan (workshop) yang dapat diimpor")
    region = exercise.get("region_file") or ""
    if Path(region).name != region or not region_path(region).is_file():
        problems.add("exercise.region_file", f"berkas wilayah «{region[:60]}» tidak ada di "
                     "komputer ini; salin dulu ke seed/regions/")
    # People type codes in lower case; the app looks them up in upper case.
    exercise["code"] = normal_code(exercise["code"])
    if not SESSION_CODE.match(exercise["code"]):
        problems.add("exercise.code", "kode sesi harus 4 sampai 16 huruf atau angka")
    for key, message in check_workshop_text(exercise["title"].strip(),
                                            (exercise["held_on"] or "").strip(),
                                            (exercise["location"] or "").strip()).items():
        problems.add(f"exercise.{key}", message)
    if not 0 <= exercise["seed"] <= SEED_MAX:
        problems.add("exercise.seed", f"harus bilangan bulat 0 sampai {SEED_MAX}")
    if exercise["complaint_count"] < 0:
        problems.add("exercise.complaint_count", "tidak boleh negatif")
    if not 0 < exercise["speed"] <= SPEED_MAX:
        problems.add("exercise.speed", f"harus lebih dari 0 sampai {SPEED_MAX} menit per HK")
    scenario = exercise.get("scenario_id")
    if scenario is not None and not CODE_RE.match(scenario):
        problems.add("exercise.scenario_id", "hanya huruf kecil, angka dan '-'")
    settings = exercise.get("settings") or {}
    if not isinstance(settings, dict):
        problems.add("exercise.settings", "harus objek JSON")
        return
    for key, message in settings_problems(settings):
        problems.add(f"exercise.settings.{key}", message)


def _unique(rows: list[dict[str, Any]], key: str, fields: tuple[str, ...],
            problems: _Problems) -> None:
    seen: set[tuple[Any, ...]] = set()
    for i, row in enumerate(rows):
        value = tuple(row.get(f) for f in fields)
        if None in value:
            continue
        if value in seen:
            problems.add(f"{key}[{i}].{'/'.join(fields)}", "ganda (harus unik)")
        seen.add(value)


def _check_references(exercise: dict[str, Any], tables: dict[str, list[dict[str, Any]]],
                      problems: _Problems) -> None:
    """Ids unique, every foreign key pointing at a row of this archive."""
    for key, _ in TABLES:
        _unique(tables[key], key, ("id",), problems)
    for key in ("clock_changes", "session_events", "participants", "complaints"):
        for i, row in enumerate(tables[key]):
            if row["exercise_id"] != exercise["id"]:
                problems.add(f"{key}[{i}].exercise_id", "tidak menunjuk sesi dalam arsip ini")
    participants = {row["id"] for row in tables["participants"]}
    complaints = {row["id"] for row in tables["complaints"]}
    for i, row in enumerate(tables["complaints"]):
        if row["participant_id"] not in participants:
            problems.add(f"complaints[{i}].participant_id", "peserta tidak ada dalam arsip")
    for key in ("events", "score_overrides"):
        for i, row in enumerate(tables[key]):
            if row["complaint_id"] not in complaints:
                problems.add(f"{key}[{i}].complaint_id", "laporan tidak ada dalam arsip")
    # Pointers between people (a merge, a team) and from an event to who recorded it.
    for key, column in (("participants", "merged_into_id"), ("participants", "team_id"),
                        ("events", "participant_id")):
        for i, row in enumerate(tables[key]):
            if row.get(column) is not None and row[column] not in participants:
                problems.add(f"{key}[{i}].{column}", "peserta tidak ada dalam arsip")
    _unique(tables["session_events"], "session_events", ("seq",), problems)
    _unique(tables["participants"], "participants", ("token",), problems)
    _unique(tables["complaints"], "complaints", ("participant_id", "tracking_no"), problems)
    _unique(tables["events"], "events", ("complaint_id", "seq"), problems)
    _unique(tables["events"], "events", ("idem_key",), problems)


def _shape_problem(schema: Any, value: Any) -> str | None:
    """Why a JSON object does not fit a domain dataclass (its keys and their types)."""
    if not isinstance(value, dict):
        return "harus objek JSON"
    known = {f.name: f for f in fields(schema)}
    unknown = sorted(set(value) - set(known))
    if unknown:
        return f"kunci tidak dikenal «{str(unknown[0])[:30]}»"
    for name, spec in known.items():
        if name not in value:
            if spec.default is MISSING and spec.default_factory is MISSING:
                return f"«{name}» tidak ada"
            continue
        item, kind = value[name], str(spec.type)
        fits = {"str": isinstance(item, str), "bool": isinstance(item, bool),
                "str | None": item is None or isinstance(item, str),
                "tuple[str, ...]": isinstance(item, list)
                and all(isinstance(x, str) for x in item)}.get(kind, True)
        if not fits:
            return f"«{name}» harus {kind.replace('tuple[str, ...]', 'daftar teks')}"
    return None


def _check_fields(exercise: dict[str, Any], tables: dict[str, list[dict[str, Any]]],
                  problems: _Problems) -> None:
    """Each row's values as the forms that wrote them accept them: names, codes, texts."""
    codes: dict[str, int] = {}
    for i, row in enumerate(tables["participants"]):
        where = f"participants[{i}]"
        errors: dict[str, str] = {}
        check_trainee(row["name"], row["unit_name"], errors)
        for key, message in errors.items():
            problems.add(f"{where}.{key}", message)
        problem = check_text("Kohort", row.get("cohort") or "", COHORT_MAX)
        if problem:
            problems.add(f"{where}.cohort", problem)
        if not TOKEN.match(row["token"]):
            problems.add(f"{where}.token", "tautan masuk kembali harus 16 sampai 64 huruf, "
                         "angka, '-' atau '_'")
        if row.get("personal_code") is not None:
            row["personal_code"] = code = normal_code(row["personal_code"])
            if not PERSONAL_CODE.match(code):
                problems.add(f"{where}.personal_code", "kode pribadi harus 4 sampai 8 huruf "
                             "atau angka")
            elif code in codes:
                problems.add(f"{where}.personal_code", f"sama dengan participants"
                             f"[{codes[code]}]: kode pribadi harus unik dalam sesi")
            codes.setdefault(code, i)
        if (row.get("session_version") or 0) < 0:
            problems.add(f"{where}.session_version", "tidak boleh negatif")
        nip = row.get("nip")  # older archives have none
        if nip is not None:
            problem = nip_problem(nip) if nip == normal_nip(nip) and nip else \
                "NIP harus seperti yang disimpan aplikasi: tidak kosong, tanpa spasi"
            if problem:
                problems.add(f"{where}.nip", problem)
    for i, row in enumerate(tables["complaints"]):
        where = f"complaints[{i}]"
        if not TRACKING_NO.match(row["tracking_no"]):
            problems.add(f"{where}.tracking_no", "nomor laporan harus huruf, angka atau '-'")
        if row["channel"] not in CHANNELS:
            problems.add(f"{where}.channel", f"kanal tidak dikenal «{row['channel'][:20]}»")
        if not row["text"].strip():
            problems.add(f"{where}.text", "isi laporan kosong")
        if row["position"] < 0:
            problems.add(f"{where}.position", "tidak boleh negatif")
        for key, schema in (("reporter", Reporter), ("answer_key", AnswerKey)):
            problem = _key_problem(row[key]) if key == "answer_key" else \
                _shape_problem(schema, row[key])
            if problem:
                problems.add(f"{where}.{key}", problem)
        attachments = row.get("attachments") or []
        if not all(isinstance(a, dict) and all(isinstance(v, str) for v in a.values())
                   for a in attachments):
            problems.add(f"{where}.attachments", "harus daftar objek berisi teks")
    for i, row in enumerate(tables["clock_changes"]):
        if not 0 <= row["rate"] < 1e9:
            problems.add(f"clock_changes[{i}].rate", "harus angka 0 atau lebih")
    for i, row in enumerate(tables["session_events"]):
        problem = _session_event_problem(row)
        if problem:
            problems.add(f"session_events[{i}]", problem)


def _key_problem(key: Any) -> str | None:
    """Why an answer key does not fit: AnswerKey's fields, plus the test a report may
    belong to (domain.learning: `"tes": "awal"` or `"akhir"`), then its choices."""
    if isinstance(key, dict) and PHASE_KEY in key:
        if parse_phase(key[PHASE_KEY]) is None:
            return f"«{PHASE_KEY}» harus «awal» atau «akhir»"
        key = {name: value for name, value in key.items() if name != PHASE_KEY}
    return _shape_problem(AnswerKey, key) or _answer_key_problem(key)


def _answer_key_problem(key: dict[str, Any]) -> str | None:
    """The answer key's choices, which the debrief and the scores compare with a form's."""
    if key["klasifikasi"] not in {k.value for k in Klasifikasi}:
        return f"klasifikasi tidak dikenal «{str(key['klasifikasi'])[:40]}»"
    if key["kategori"] not in KATEGORI_LABELS:
        return f"kategori tidak dikenal «{str(key['kategori'])[:40]}»"
    return None


def _session_event_problem(row: dict[str, Any]) -> str | None:
    """What the session page would fail on in a session event: its kind and payload."""
    kind, payload = row["kind"], row["payload"]
    if kind not in KIND_LABELS:
        return f"jenis tidak dikenal «{kind[:20]}»"
    if kind == "pesan":
        message = payload.get("teks")
        if not isinstance(message, str) or not message or len(message) > MESSAGE_MAX:
            return f"pesan harus teks 1 sampai {MESSAGE_MAX} karakter"
    elif kind == "kecepatan":
        speed = payload.get("menit_per_hk")
        if isinstance(speed, bool) or not isinstance(speed, int | float) or \
                not 0 < speed <= SPEED_MAX:
            return f"menit_per_hk harus angka lebih dari 0 sampai {SPEED_MAX}"
    elif kind == "impor":
        if not isinstance(payload.get("jumlah", 0), int):
            return "jumlah harus bilangan bulat"
    elif kind == "suntik":
        record = payload.get("laporan")
        if not isinstance(record, dict):
            return "laporan yang disuntikkan tidak ada"
        try:
            ReporterScript.from_dict(payload.get("skrip"))
            datetime.fromisoformat(record["arrived_at"])
        except (TypeError, ValueError, KeyError):
            return "laporan yang disuntikkan tidak lengkap (skrip atau waktu tiba)"
        if not (isinstance(record.get("position"), int)
                and TRACKING_NO.match(str(record.get("tracking_no")))
                and record.get("channel") in CHANNELS and isinstance(record.get("text"), str)
                and isinstance(record.get("attachments"), list)):
            return "laporan yang disuntikkan tidak lengkap"
        for key, schema in (("reporter", Reporter), ("answer_key", AnswerKey)):
            problem = _key_problem(record.get(key)) if key == "answer_key" else \
                _shape_problem(schema, record.get(key))
            if problem:
                return f"laporan yang disuntikkan: {key}: {problem}"
    return None


def _check_content(exercise: dict[str, Any], tables: dict[str, list[dict[str, Any]]],
                   problems: _Problems) -> None:
    """The values the app relies on: known kinds, replayable event logs, valid rubrics."""
    for i, row in enumerate(tables["clock_changes"]):
        if row["kind"] not in CLOCK_KINDS:
            problems.add(f"clock_changes[{i}].kind", f"jenis tidak dikenal «{row['kind'][:20]}»")
    for i, row in enumerate(tables["complaints"]):
        if (row.get("answer_key") or {}).get("expected_action") not in EXPECTED_ACTIONS:
            problems.add(f"complaints[{i}].answer_key", "kunci jawaban tanpa tindakan yang sah")
        script = dict(row.get("script") or {}) if isinstance(row.get("script"), dict) \
            else row.get("script")
        try:
            if isinstance(script, dict) and INSTANSI_KEY in script:  # mode OPD's teammate
                Disposition.from_dict(script.pop(INSTANSI_KEY))
            ReporterScript.from_dict(script)
        except (TypeError, ValueError):
            problems.add(f"complaints[{i}].script", "naskah pelapor tidak sah")
    try:
        directory = get_catalogue(exercise["region_file"]).directory
    except DomainError as error:
        problems.add("exercise.region_file", f"katalog wilayah bermasalah: "
                     f"{error.message.splitlines()[0][:120]}")
        return
    by_complaint: dict[int, list[tuple[int, EventRecord]]] = {}
    for i, row in enumerate(tables["events"]):
        if problems.full:
            return
        try:
            record = EventRecord(seq=row["seq"], action=Action(row["action"]),
                                 role=Role(row["role"]), actor=row["actor"],
                                 payload=row["payload"], sim_at=row["sim_at"],
                                 wall_at=row["wall_at"])
            State(row["state_after"])
        except ValueError:
            problems.add(f"events[{i}]", "aksi, peran atau status tidak dikenal")
            continue
        if record.role != record.action.role:
            problems.add(f"events[{i}].role", f"aksi «{record.action.value}» dilakukan oleh "
                         f"{record.action.role.value}, bukan {record.role.value}")
            continue
        problem = _payload_problem(record, directory)
        if problem:
            problems.add(f"events[{i}].payload", problem)
            continue
        by_complaint.setdefault(row["complaint_id"], []).append((i, record))
    states = {(row["complaint_id"], row["seq"]): row["state_after"] for row in tables["events"]}
    follow_ups: set[tuple[int, int]] = set()
    for complaint_id, records in by_complaint.items():
        records.sort(key=lambda item: item[1].seq)
        if [r.seq for _, r in records] != list(range(1, len(records) + 1)):
            problems.add(f"events[{records[0][0]}]", f"urutan (seq) laporan {complaint_id} "
                         "harus 1, 2, 3, … tanpa celah")
            continue
        try:
            replay(r for _, r in records)
            state = State.BARU
            for i, record in records:
                state = apply_recorded(state, record.action, record.payload)
                if states[complaint_id, record.seq] != state.value:
                    problems.add(f"events[{i}].state_after", f"harus «{state.value}» menurut "
                                 "urutan peristiwanya")
                    break
        except DomainError as error:
            problems.add(f"events[{records[0][0]}]", error.message)
        except (KeyError, TypeError, AttributeError, ValueError):
            problems.add(f"events[{records[0][0]}]", "isi (payload) peristiwa tidak lengkap")
        follow_ups.update((complaint_id, r.seq) for _, r in records
                          if r.action == Action.TINDAK_LANJUT)
    for i, row in enumerate(tables["score_overrides"]):
        if (row["complaint_id"], row["tl_seq"]) not in follow_ups:
            problems.add(f"score_overrides[{i}].tl_seq", "tindak lanjut yang dinilai tidak ada")
        if not 1 <= row["rubric"] <= 5:
            problems.add(f"score_overrides[{i}].rubric", "harus 1 sampai 5")


def _payload_problem(record: EventRecord, directory: Directory) -> str | None:
    """What the action's own form would say about this payload, or None if it passes.

    A recorded payload is the cleaned output of the form's validator (domain.workflow),
    so running the validator on it again must accept it: the same units, lengths and
    choices as a trainee's form. Scripted reporter events pass the same checks.
    """
    if not isinstance(record.payload, dict):
        return "harus objek JSON"
    if not all(value is None or isinstance(value, str | int) for value in record.payload.values()):
        return "setiap isian harus teks, angka atau true/false"
    try:
        ACTION_SPECS[record.action].validate(record.payload, directory)
    except ValidationError as error:
        return error.message
    return None


# ------------------------------------------------------------------ importing


@dataclass(frozen=True)
class ImportResult:
    exercise: Exercise
    original_code: str
    counts: dict[str, int]
    new_tokens: int  # trainees whose rejoin link had to change (the token was taken)

    @property
    def renamed(self) -> bool:
        return self.exercise.code != self.original_code


_AUTO_KEY = re.compile(r"^auto-(\d+)-(.+)$")


def _idem_key(key: str | None, old_complaint: int, new_complaint: int,
              taken: set[str]) -> str | None:
    """An event's one-time key in its new home.

    Keys of scripted events are derived from the report's id and position, so they are
    derived again from the new id: exactly the key this database would have given them.
    A form's key is kept unless this database already has it (importing the same archive
    twice); then it is dropped, because a key only serves to recognise a form sent twice,
    and no form of the archived session can reach the copy.
    """
    if key is None:
        return None
    match = _AUTO_KEY.match(key)
    if match and int(match.group(1)) == old_complaint:
        return f"auto-{new_complaint}-{match.group(2)}"
    return None if key in taken else key


def _taken(column: Any, values: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(values), 500):
        found.update(db.session.scalars(select(column).where(
            column.in_(values[start:start + 500]))))
    return found


def _new(model: Any, row: dict[str, Any], **changes: Any) -> Any:
    values = {k: v for k, v in row.items() if k != "id"}
    values.update(changes)
    return model(**values)


def import_archive(data: bytes, facilitator: Facilitator) -> ImportResult:
    """Recreate an archived workshop for `facilitator`, with new ids; flushes, never commits.

    The session keeps its code unless this database has it already; trainees keep their
    personal codes, and keep their rejoin tokens unless a token is taken here.
    """
    checked = check_archive(read_archive(data))
    source, tables = checked.exercise, checked.tables
    if db.session.get_bind().dialect.name == "postgresql":
        # Held to the end of the transaction: a second import of the same archive waits,
        # then finds the code and tokens taken and picks new ones.
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": IMPORT_LOCK})
    code = source["code"]
    if db.session.scalar(select(Exercise.id).where(Exercise.code == code)) is not None:
        code = _free_code()
    exercise = _new(Exercise, source, code=code, facilitator_id=facilitator.id)
    db.session.add(exercise)
    db.session.flush()
    db.session.add_all(_new(ClockChange, row, exercise_id=exercise.id)
                       for row in tables["clock_changes"])

    taken_tokens = _taken(Participant.token, [r["token"] for r in tables["participants"]])
    participants: dict[int, Participant] = {}
    for row in tables["participants"]:
        token = row["token"] if row["token"] not in taken_tokens else secrets.token_urlsafe(16)
        participants[row["id"]] = _new(Participant, row, exercise_id=exercise.id, token=token,
                                       merged_into_id=None, team_id=None)
    db.session.add_all(participants.values())
    db.session.flush()
    for row in tables["participants"]:  # pointers to other people, now that all have ids
        for column in ("merged_into_id", "team_id"):
            if row.get(column) is not None:
                setattr(participants[row["id"]], column, participants[row[column]].id)

    complaints: dict[int, Complaint] = {}
    for row in tables["complaints"]:
        complaints[row["id"]] = _new(Complaint, row, exercise_id=exercise.id,
                                     participant_id=participants[row["participant_id"]].id)
    db.session.add_all(complaints.values())
    db.session.flush()

    taken_keys = _taken(Event.idem_key, [r["idem_key"] for r in tables["events"]
                                         if r["idem_key"] is not None])
    for row in sorted(tables["events"], key=lambda r: (r["complaint_id"], r["seq"])):
        complaint = complaints[row["complaint_id"]]
        by = participants[row["participant_id"]].id if row.get("participant_id") else None
        db.session.add(_new(Event, row, complaint_id=complaint.id, participant_id=by,
                            idem_key=_idem_key(row["idem_key"], row["complaint_id"],
                                               complaint.id, taken_keys)))
    db.session.add_all(_new(ScoreOverride, row, complaint_id=complaints[row["complaint_id"]].id)
                       for row in tables["score_overrides"])
    db.session.add_all(_new(SessionEvent, row, exercise_id=exercise.id,
                            payload=_rewired(row, participants, complaints))
                       for row in tables["session_events"])
    db.session.flush()
    db.session.expire_all()  # relationships (events, participants) read back from the rows

    for complaint in db.session.scalars(select(Complaint).options(selectinload(
            Complaint.events)).where(Complaint.exercise_id == exercise.id)):
        # The listing columns are a projection of the log: derive them, never trust them.
        view = replay(e.to_record() for e in complaint.events)
        complaint.state, complaint.judul = view.state.value, view.judul
        complaint.unit = view.unit or view.agency
    _score_everyone(exercise)
    return ImportResult(
        exercise=exercise, original_code=source["code"],
        counts={key: len(tables[key]) for key, _ in TABLES},
        new_tokens=sum(p.token != row["token"] for row, p in zip(
            tables["participants"], participants.values(), strict=True)),
    )


def _rewired(row: dict[str, Any], participants: dict[int, Participant],
             complaints: dict[int, Complaint]) -> dict[str, Any]:
    """A session event's payload with the ids it names turned into the new rows' ids.

    A facilitator's rubric (nilai_tl) names the report and trainee it rated; left as
    they were, those ids would point at rows of another session in this database.
    """
    payload = dict(row["payload"])
    if row["kind"] == "nilai_tl":
        complaint = complaints.get(payload.get("complaint_id"))  # type: ignore[arg-type]
        participant = participants.get(payload.get("participant_id"))  # type: ignore[arg-type]
        if complaint is not None:
            payload["complaint_id"] = complaint.id
        if participant is not None:
            payload["participant_id"] = participant.id
    return payload


def _score_everyone(exercise: Exercise) -> None:
    """Score every trainee once: what the checks above cannot foresee fails here, not on a
    results page later."""
    for participant in trainees_of(exercise):
        try:
            report_card(participant)
        except DomainError as error:
            raise ArchiveError(f"Arsip tidak dapat dinilai untuk «{participant.name}»: "
                               f"{error.message}") from None
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise ArchiveError(f"Arsip tidak dapat dinilai untuk «{participant.name}»: data "
                               f"laporan tidak lengkap ({type(error).__name__}: "
                               f"{str(error)[:80]}).") from None
