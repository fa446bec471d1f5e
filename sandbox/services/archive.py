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
import io
import json
import math
import re
import secrets
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, Integer, String, select
from sqlalchemy.orm import selectinload

from sandbox.domain.errors import DomainError
from sandbox.domain.simulation import ReporterScript
from sandbox.domain.workflow import Action, EventRecord, Role, State, replay
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
from sandbox.services.catalogue import region_path
from sandbox.services.exports import settle_session, trainees_of
from sandbox.services.scoring import report_card
from sandbox.services.timekeeping import wall_now
from sandbox.services.workshops import _free_code

ARCHIVE_FORMAT = "lapor-sandbox-arsip"
ARCHIVE_VERSION = 1
# The tables of one session, in the order they are written back (parents first).
TABLES: tuple[tuple[str, Any], ...] = (
    ("clock_changes", ClockChange), ("session_events", SessionEvent),
    ("participants", Participant), ("complaints", Complaint), ("events", Event),
    ("score_overrides", ScoreOverride),
)
UNPACKED_MAX = 256 * 1024 * 1024  # a gzip bomb stops here, far above any real session
PROBLEMS_SHOWN = 6
CLOCK_KINDS = ("mulai", "jeda", "lanjut", "kecepatan", "selesai")
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
    settle_session(exercise)  # the archive holds what the report cards count now
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
    """The archive's JSON (gzip-compressed or plain), or ArchiveError saying why not."""
    if not data:
        raise ArchiveError("Berkas arsip kosong.")
    if data[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as unpacked:
                data = unpacked.read(UNPACKED_MAX + 1)
        except (OSError, EOFError, zlib.error):
            raise ArchiveError("Berkas arsip rusak: isi gzip-nya tidak dapat dibuka "
                               "(mungkin terpotong saat disalin).") from None
        if len(data) > UNPACKED_MAX:
            raise ArchiveError("Berkas arsip terlalu besar untuk sebuah sesi.")
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ArchiveError("Ini bukan berkas arsip Sandbox LAPOR! (bukan teks UTF-8 atau "
                           "gzip).") from None
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

    def add(self, where: str, text: str) -> None:
        self.items.append(f"{where}: {text}")

    def check(self) -> None:
        if not self.items:
            return
        shown = "; ".join(self.items[:PROBLEMS_SHOWN])
        more = len(self.items) - PROBLEMS_SHOWN
        raise ArchiveError(f"Berkas arsip tidak valid, tidak ada yang diimpor. {shown}"
                           + (f" (dan {more} masalah lain)." if more > 0 else "."))


def _storable(value: Any) -> bool:
    """Text PostgreSQL accepts: no NUL character, no half of a surrogate pair."""
    text = json.dumps(value, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\\u0000" not in text


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
    if not _storable(value):
        raise ValueError("memuat karakter yang tidak dapat disimpan (NUL atau rusak)")
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
        checked = [_check_row(row, model, f"{key}[{i}]", problems) for i, row in enumerate(rows)]
        tables[key] = [row for row in checked if row is not None]
    problems.check()
    assert exercise is not None  # noqa: S101 - problems.check() raised otherwise
    _check_exercise(exercise, problems)
    _check_references(exercise, tables, problems)
    problems.check()
    _check_content(tables, problems)
    problems.check()
    return _Checked(exercise, tables)


def _check_exercise(exercise: dict[str, Any], problems: _Problems) -> None:
    if exercise.get("mode") != "workshop":
        problems.add("exercise.mode", "hanya sesi pelatihan (workshop) yang dapat diimpor")
    region = exercise.get("region_file") or ""
    if Path(region).name != region or not region_path(region).is_file():
        problems.add("exercise.region_file", f"berkas wilayah «{region[:60]}» tidak ada di "
                     "komputer ini; salin dulu ke seed/regions/")
    if not isinstance(exercise.get("settings") or {}, dict):
        problems.add("exercise.settings", "harus objek JSON")


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
    _unique(tables["session_events"], "session_events", ("seq",), problems)
    _unique(tables["participants"], "participants", ("token",), problems)
    _unique(tables["complaints"], "complaints", ("participant_id", "tracking_no"), problems)
    _unique(tables["events"], "events", ("complaint_id", "seq"), problems)
    _unique(tables["events"], "events", ("idem_key",), problems)


def _check_content(tables: dict[str, list[dict[str, Any]]], problems: _Problems) -> None:
    """The values the app relies on: known kinds, replayable event logs, valid rubrics."""
    for i, row in enumerate(tables["clock_changes"]):
        if row["kind"] not in CLOCK_KINDS:
            problems.add(f"clock_changes[{i}].kind", f"jenis tidak dikenal «{row['kind'][:20]}»")
    for i, row in enumerate(tables["complaints"]):
        if (row.get("answer_key") or {}).get("expected_action") not in EXPECTED_ACTIONS:
            problems.add(f"complaints[{i}].answer_key", "kunci jawaban tanpa tindakan yang sah")
        try:
            ReporterScript.from_dict(row.get("script"))
        except (TypeError, ValueError):
            problems.add(f"complaints[{i}].script", "naskah pelapor tidak sah")
    by_complaint: dict[int, list[tuple[int, EventRecord]]] = {}
    for i, row in enumerate(tables["events"]):
        try:
            record = EventRecord(seq=row["seq"], action=Action(row["action"]),
                                 role=Role(row["role"]), actor=row["actor"],
                                 payload=row["payload"], sim_at=row["sim_at"],
                                 wall_at=row["wall_at"])
            State(row["state_after"])
        except ValueError:
            problems.add(f"events[{i}]", "aksi, peran atau status tidak dikenal")
            continue
        by_complaint.setdefault(row["complaint_id"], []).append((i, record))
    follow_ups: set[tuple[int, int]] = set()
    for complaint_id, records in by_complaint.items():
        records.sort(key=lambda item: item[1].seq)
        if [r.seq for _, r in records] != list(range(1, len(records) + 1)):
            problems.add(f"events[{records[0][0]}]", f"urutan (seq) laporan {complaint_id} "
                         "harus 1, 2, 3, … tanpa celah")
            continue
        try:
            replay(r for _, r in records)
        except DomainError as error:
            problems.add(f"events[{records[0][0]}]", error.message)
        except (KeyError, TypeError, AttributeError):
            problems.add(f"events[{records[0][0]}]", "isi (payload) peristiwa tidak lengkap")
        follow_ups.update((complaint_id, r.seq) for _, r in records
                          if r.action == Action.TINDAK_LANJUT)
    for i, row in enumerate(tables["score_overrides"]):
        if (row["complaint_id"], row["tl_seq"]) not in follow_ups:
            problems.add(f"score_overrides[{i}].tl_seq", "tindak lanjut yang dinilai tidak ada")
        if not 1 <= row["rubric"] <= 5:
            problems.add(f"score_overrides[{i}].rubric", "harus 1 sampai 5")


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
    code = source["code"]
    if db.session.scalar(select(Exercise.id).where(Exercise.code == code)) is not None:
        code = _free_code()
    exercise = _new(Exercise, source, code=code, facilitator_id=facilitator.id)
    db.session.add(exercise)
    db.session.flush()
    for key in ("clock_changes", "session_events"):
        model = dict(TABLES)[key]
        db.session.add_all(_new(model, row, exercise_id=exercise.id) for row in tables[key])

    taken_tokens = _taken(Participant.token, [r["token"] for r in tables["participants"]])
    participants: dict[int, Participant] = {}
    for row in tables["participants"]:
        token = row["token"] if row["token"] not in taken_tokens else secrets.token_urlsafe(16)
        participants[row["id"]] = _new(Participant, row, exercise_id=exercise.id, token=token)
    db.session.add_all(participants.values())
    db.session.flush()

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
        db.session.add(_new(Event, row, complaint_id=complaint.id, idem_key=_idem_key(
            row["idem_key"], row["complaint_id"], complaint.id, taken_keys)))
    db.session.add_all(_new(ScoreOverride, row, complaint_id=complaints[row["complaint_id"]].id)
                       for row in tables["score_overrides"])
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
