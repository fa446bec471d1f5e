"""Importing a workshop's participants from a CSV or XLSX list: every row, or none.

A facilitator who has the attendance list beforehand imports it, and hands each
trainee a card with their personal code instead of having the room type names on
phones. The file is read and every row checked first; only a list with no problem
at all is saved, so a half-imported room never has to be cleaned up by hand.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from pathlib import PurePath
from typing import Any

from sqlalchemy import select

from sandbox.domain.catalogue import Unit, match_unit
from sandbox.domain.errors import DomainError
from sandbox.domain.fields import check_text, control_message
from sandbox.domain.people import NIP_AS_NUMBER, nip_key, nip_problem, normal_nip
from sandbox.domain.session import SessionState
from sandbox.domain.team import Seat, seat_of_unit
from sandbox.extensions import db
from sandbox.models import Exercise, Participant
from sandbox.services.catalogue import get_catalogue
from sandbox.services.practice import add_participant, add_reports, check_trainee, session_plan
from sandbox.services.roles import UNKNOWN_OPD, find_opd, is_opd
from sandbox.services.session_log import log_control
from sandbox.services.teams import is_team_mode, members, new_team, team_seats, unit_names
from sandbox.services.timekeeping import clock_state
from sandbox.services.uploads import UploadRefused, WorkbookLimits, decode_text, inspect_workbook

ROW_LIMIT = 500  # participants per import: a studi komparasi is about 60, a big bimtek 200
COHORT_MAX = 80  # Participant.cohort
HEADER_SEARCH = 10  # title lines an attendance list may have above its column headings
COLUMN_LIMIT = 30
FILENAME_MAX = 120
# Bounds on what is read, whatever calls this module (the web form is capped at 2 MB):
# a list of 500 people is some 30 KB as CSV and a workbook of well under 1 MB unpacked.
FILE_MAX = 2 * 1024 * 1024
SCAN_ROWS_MAX = 5000  # lines or sheet rows read, blank ones included
WORKBOOK_LIMITS = WorkbookLimits(entries=300, total=48 * 1024 * 1024,
                                 entry=16 * 1024 * 1024, shared_strings=8 * 1024 * 1024,
                                 ratio=200, ratio_from=1024 * 1024)

# Column headings accepted for each field, compared case- and space-insensitively with
# punctuation ignored ("Unit Kerja (OPD)" is "unit kerja opd").
HEADINGS = {
    "name": ("nama", "nama lengkap", "nama peserta", "name"),
    "unit": ("opd", "unit kerja", "unit kerja opd", "perangkat daerah", "skpd", "instansi",
             "asal opd", "unit"),
    "cohort": ("kohort", "kelompok", "asal daerah", "angkatan", "cohort"),
    # Mode tim: the facilitator seats people ("Tim 1", and "Admin Instansi" or an OPD).
    "team": ("tim", "meja", "team"),
    "seat": ("kursi", "peran", "seat"),
    # An explicit id (a civil servant's NIP): the studi komparasi follows people by it.
    "nip": ("nip", "id", "id peserta", "nip id"),
}
# A numbering column is so common in attendance lists that it is simply ignored.
IGNORED_HEADINGS = ("no", "nomor", "no urut")
TEMPLATE_ROWS = (("Nama", "OPD", "Kohort"),
                 ("Siti Rahmawati", "Dinas Kesehatan", "Kelompok A"),
                 ("Andi Pratama", "Dinas PUPR", "Kelompok B"))
ACCEPTED = "Nama, OPD (atau Unit kerja / Perangkat daerah), Kohort (atau Kelompok / " \
           "Asal daerah; boleh tidak ada) dan NIP (atau ID / ID peserta; boleh tidak ada); " \
           "untuk sesi mode tim juga Tim (atau Meja) dan Kursi (Admin Instansi, atau OPD " \
           "kursi admin penghubung)"


class RosterError(DomainError):
    """The list cannot be imported; `problems` says what to fix, row by row."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(" ".join(problems))


@dataclass(frozen=True)
class RosterRow:
    line: int  # the row number as the spreadsheet shows it
    name: str
    unit_name: str
    cohort: str | None
    team: str | None = None  # mode tim: the team's name
    seat: str | None = None  # mode tim: "Admin Instansi", an OPD of a seat, or "opd-2"
    nip: str | None = None  # domain.people.normal_nip, checked by nip_problem


def _heading(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


def _field_of(heading: str) -> str | None:
    key = _heading(heading)
    for field, names in HEADINGS.items():
        if key in names:
            return field
    return None


class _Inexact(str):
    """A number cell too long for Excel to have kept every digit (an 18-digit NIP typed
    as a number): its text is what is left, and the NIP column refuses it."""

    __slots__ = ()


INEXACT_FROM = 1e15  # Excel keeps 15 significant digits of a number


def _cell(value: Any) -> str:
    """A spreadsheet cell as text: 2024.0 is "2024", a date is 2026-03-10."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
        return _Inexact(text) if abs(value) >= INEXACT_FROM else text
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() \
            else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    # Non-breaking spaces and stray line breaks from copy-pasted lists become plain spaces.
    return " ".join(str(value).replace("\u00a0", " ").split())


# ------------------------------------------------------------------ reading files


def _delimiter(text: str) -> str:
    """The delimiter of the column headings; else the one the first lines use most.

    Excel in Indonesian writes ';', and leaves commas in a cell unquoted: an OPD such as
    «Dinas Pemberdayaan Perempuan, Perlindungan Anak, …» must not make a ';' list look
    comma-separated, so the heading row decides when one is found.
    """
    lines = [line for line in text.splitlines() if line.strip()][:HEADER_SEARCH]
    best, known = "", 0
    for candidate in (";", ",", "\t"):
        try:
            for cells in csv.reader(lines, delimiter=candidate):
                found = sum(_field_of(cell) is not None for cell in cells[:COLUMN_LIMIT])
                if found > known:
                    best, known = candidate, found
        except csv.Error:
            continue
    if best:
        return best
    counts = {d: sum(line.count(d) for line in lines) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RosterError(["Berkas ini bukan CSV teks. Simpan daftar sebagai CSV "
                           "(«CSV UTF-8» di Excel) atau XLSX."])
    try:
        text = decode_text(data)
    except UploadRefused as error:
        raise RosterError([error.message]) from None
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)):
            yield [_cell(value) for value in row[:COLUMN_LIMIT + 1]]
    except csv.Error as error:
        raise RosterError([f"Berkas CSV tidak dapat dibaca: {error}."]) from None


def _xlsx_rows(data: bytes) -> list[list[str]]:
    """The first sheet's rows, read in read-only mode (streamed, nothing evaluated)."""
    from openpyxl import load_workbook  # type: ignore[import-untyped,unused-ignore]

    unreadable = RosterError(["Berkas XLSX tidak dapat dibaca: rusak, dilindungi kata sandi, "
                              "atau bukan berkas Excel. Simpan ulang sebagai .xlsx atau CSV."])
    try:
        inspect_workbook(data, WORKBOOK_LIMITS)  # before openpyxl parses any of it
    except UploadRefused as error:
        raise RosterError([error.message]) from None
    with warnings.catch_warnings():
        # Real files carry extensions openpyxl only warns about (data validation, …).
        warnings.simplefilter("ignore")
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # any malformed upload: zip, XML or openpyxl's own errors
            raise unreadable from None
        try:
            sheets = book.worksheets
            # A row past the scan limit, or a cell past the column limit, is read only to
            # say the sheet is too large (_numbered, _columns_used).
            return [[_cell(value) for value in row]
                    for row in sheets[0].iter_rows(max_row=SCAN_ROWS_MAX + 1,
                                                   max_col=COLUMN_LIMIT + 1,
                                                   values_only=True)] if sheets else []
        except Exception:
            raise unreadable from None
        finally:
            book.close()


def _rows_of(filename: str, data: bytes) -> Iterable[list[str]]:
    suffix = PurePath(filename or "").suffix.lower()
    is_zip = data.startswith(b"PK\x03\x04")
    if suffix == ".xls" or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise RosterError(["Format .xls (Excel 97–2003) tidak didukung. Di Excel pilih "
                           "«Simpan sebagai» lalu .xlsx atau CSV."])
    if suffix in (".xlsx", ".xlsm") or (is_zip and suffix not in (".csv", ".txt")):
        if not is_zip:
            raise RosterError(["Berkas berakhiran .xlsx tetapi isinya bukan berkas Excel. "
                               "Simpan ulang sebagai .xlsx atau CSV."])
        return _xlsx_rows(data)
    if suffix in (".csv", ".txt", ""):
        return _csv_rows(data)
    raise RosterError([f"Jenis berkas «{suffix[:12]}» tidak didukung: unggah daftar peserta "
                       "sebagai .csv atau .xlsx."])


# ------------------------------------------------------------------ checking rows


def _columns(header: list[str], line: int) -> dict[str, int]:
    """Which column holds which field; unknown headings are refused, never dropped."""
    columns: dict[str, int] = {}
    problems = []
    for index, heading in enumerate(header):
        if not heading or _heading(heading) in IGNORED_HEADINGS:
            continue
        field = _field_of(heading)
        if field is None:
            problems.append(f"Baris {line}: kolom «{heading[:40]}» tidak dikenal.")
        elif field in columns:
            problems.append(f"Baris {line}: kolom «{heading[:40]}» muncul dua kali "
                            f"(sama dengan kolom ke-{columns[field] + 1}).")
        else:
            columns[field] = index
    if "unit" not in columns:
        problems.append(f"Baris {line}: kolom OPD tidak ada. Beri judul kolom «OPD», "
                        "«Unit kerja» atau «Perangkat daerah».")
    if problems:
        problems.append(f"Kolom yang diterima: {ACCEPTED}. Kolom nomor urut «No» boleh ada.")
        raise RosterError(problems)
    return columns


def parse_roster(filename: str, data: bytes) -> list[RosterRow]:
    """The rows of an uploaded list, checked; RosterError lists every problem with its row."""
    if not data or not data.strip():
        raise RosterError(["Berkas kosong: belum ada peserta di dalamnya."])
    if len(data) > FILE_MAX:
        raise RosterError([f"Berkas terlalu besar: maksimal {FILE_MAX // (1024 * 1024)} MB. "
                           "Daftar peserta cukup berisi kolom Nama, OPD dan Kohort."])
    # One row more than can be accepted is enough to say the list is too long.
    rows = list(islice(_numbered(_rows_of(filename, data)), HEADER_SEARCH + ROW_LIMIT + 1))
    if not rows:
        raise RosterError(["Berkas kosong: belum ada peserta di dalamnya."])
    header_at = next((i for i, (_, cells) in enumerate(rows[:HEADER_SEARCH])
                      if any(_field_of(c) == "name" for c in cells)), None)
    if header_at is None:
        first_line, first = rows[0]
        shown = ", ".join(f"«{c[:30]}»" for c in first if c)[:200]
        raise RosterError([f"Baris judul kolom tidak ditemukan: kolom Nama tidak ada. Baris "
                           f"{first_line} berisi {shown}.",
                           f"Baris pertama harus berisi judul kolom: {ACCEPTED}."])
    header_line, header = rows[header_at]
    columns = _columns(header, header_line)
    body = rows[header_at + 1:]
    if not body:
        raise RosterError(["Berkas hanya berisi judul kolom; belum ada peserta di bawahnya."])
    if len(body) > ROW_LIMIT:
        raise RosterError([f"Terlalu banyak baris: maksimal {ROW_LIMIT} peserta sekali impor. "
                           "Bagi daftar menjadi beberapa berkas."])
    titled = {i for i, heading in enumerate(header) if heading}
    return _check_rows(body, columns, titled)


def _numbered(rows: Iterable[list[str]]) -> Iterator[tuple[int, list[str]]]:
    """Non-empty rows with their 1-based row number; blank rows (often at the end) vanish.

    Reading stops with a RosterError at a row past SCAN_ROWS_MAX, or at a filled cell past
    COLUMN_LIMIT: a participant list is never that large, and nothing is silently cut off.
    """
    for number, cells in enumerate(rows, start=1):
        if number > SCAN_ROWS_MAX:
            raise RosterError([f"Berkas ini memuat lebih dari {SCAN_ROWS_MAX:,} baris ".replace(
                ",", ".") + f"(daftar peserta paling banyak {ROW_LIMIT} orang). Hapus baris "
                "kosong atau isian lain di bawah daftar, atau salin daftar ke berkas baru."])
        if len(cells) > COLUMN_LIMIT and any(cells[COLUMN_LIMIT:]):
            raise RosterError([f"Baris {number}: ada isian di kolom ke-{COLUMN_LIMIT + 1} atau "
                               f"sesudahnya; daftar peserta paling banyak {COLUMN_LIMIT} kolom. "
                               "Hapus kolom yang tidak dipakai."])
        cells = cells[:COLUMN_LIMIT]
        if any(cells):
            yield number, cells


def _person(name: str, unit_name: str) -> tuple[str, str]:
    """Who a row is, for spotting the same person twice: case and spacing do not count."""
    return " ".join(name.casefold().split()), " ".join(unit_name.casefold().split())


def _check_rows(body: list[tuple[int, list[str]]], columns: dict[str, int],
                titled: set[int]) -> list[RosterRow]:
    problems: list[str] = []
    result: list[RosterRow] = []
    seen: dict[tuple[str, str], int] = {}
    seen_nips: dict[str, int] = {}

    def cell(cells: list[str], field: str) -> str:
        index = columns.get(field)
        return cells[index] if index is not None and index < len(cells) else ""

    for line, cells in body:
        errors: dict[str, str] = {}
        name, unit_name = check_trainee(cell(cells, "name"), cell(cells, "unit"), errors, "OPD")
        for field, label, value in (("name", "Nama", name), ("unit_name", "OPD", unit_name)):
            problem = control_message(label, value) if field not in errors else None
            if problem:
                errors[field] = problem
        cohort = cell(cells, "cohort")
        problem = check_text("Kohort", cohort, COHORT_MAX)
        if problem:
            errors["cohort"] = problem
        team, seat = cell(cells, "team"), cell(cells, "seat")
        for field, label, value in (("team", "Tim", team), ("seat", "Kursi", seat)):
            problem = check_text(label, value, COHORT_MAX)
            if problem:
                errors[field] = problem
        raw_nip = cell(cells, "nip")
        nip = normal_nip(raw_nip)
        problem = NIP_AS_NUMBER.format(shown=raw_nip) if isinstance(raw_nip, _Inexact) \
            else nip_problem(nip) if nip else None
        if problem:
            errors["nip"] = problem
        stray = [i for i, value in enumerate(cells) if value and i not in titled]
        if stray:
            errors["stray"] = f"ada isian di kolom ke-{stray[0] + 1} yang tidak berjudul."
        problems.extend(f"Baris {line}: {message}" for message in errors.values())
        if errors:
            continue
        key = _person(name, unit_name)
        if key in seen:
            problems.append(f"Baris {line}: nama dan OPD sama dengan baris {seen[key]} "
                            f"(«{name}», {unit_name}).")
            continue
        if nip and nip_key(nip) in seen_nips:
            problems.append(f"Baris {line}: NIP {nip} sama dengan baris "
                            f"{seen_nips[nip_key(nip)]}; NIP tiap peserta harus berbeda.")
            continue
        seen[key] = line
        if nip:
            seen_nips[nip_key(nip)] = line
        result.append(RosterRow(line, name, unit_name, cohort or None, team or None,
                                seat or None, nip or None))
    if problems:
        raise RosterError(problems)
    return result


# ------------------------------------------------------------------ importing


def import_roster(exercise: Exercise, filename: str, data: bytes,
                  actor: str) -> list[Participant]:
    """Add every trainee of an uploaded list to a workshop, or none if any row is bad.

    Each gets their own copy of the reports and a personal code for the card. A name with
    the same OPD already in the session is refused, so importing twice adds nobody twice.
    """
    if exercise.mode != "workshop":
        raise RosterError(["Daftar peserta hanya dapat diimpor ke sesi pelatihan."])
    if clock_state(exercise) == SessionState.BERAKHIR:
        raise RosterError(["Sesi ini sudah berakhir; peserta tidak dapat ditambahkan lagi."])
    rows = parse_roster(filename, data)
    # Two tabs importing at once must not both find a name missing (a no-op on SQLite,
    # whose write transactions are already serialised).
    db.session.execute(select(Exercise.id).where(Exercise.id == exercise.id).with_for_update())
    present = {_person(p.name, p.unit_name) for p in exercise.participants}
    problems = [f"Baris {row.line}: «{row.name}» ({row.unit_name}) sudah terdaftar di sesi ini."
                for row in rows if _person(row.name, row.unit_name) in present]
    nips = {nip_key(p.nip): p for p in exercise.participants if p.nip}
    problems += [f"Baris {row.line}: NIP {row.nip} sudah dipakai «{nips[nip_key(row.nip)].name}» "
                 "di sesi ini; NIP tiap peserta harus berbeda."
                 for row in rows if row.nip and nip_key(row.nip) in nips]
    units: dict[int, Unit] = {}  # mode OPD: each row's own OPD
    for row in rows if is_opd(exercise) else []:
        unit = find_opd(exercise, row.unit_name)
        if unit is None:
            problems.append(f"Baris {row.line}: " + UNKNOWN_OPD.format(typed=row.unit_name[:60]))
        else:
            units[row.line] = unit
    seats = _team_seats(exercise, rows, problems) if is_team_mode(exercise) else {}
    if problems:
        raise RosterError(problems)
    if seats:  # mode tim: each person in the seat of the team the list names
        plan = session_plan(exercise)
        teams = {team.name.casefold(): team for team in exercise.teams}
        added = []
        for row in rows:
            name, seat = seats[row.line]
            team = teams.get(name.casefold())
            if team is None:
                team = teams[name.casefold()] = new_team(exercise, name)
                add_reports(exercise, team, plan)
            added.append(add_participant(exercise, row.name, row.unit_name, plan,
                                         cohort=row.cohort, seat=seat, team=team))
    elif units:  # each trainee plays their own OPD, with that OPD's reports
        added = [add_participant(exercise, row.name, units[row.line].name,
                                 session_plan(exercise, unit=units[row.line].code),
                                 cohort=row.cohort, unit_code=units[row.line].code)
                 for row in rows]
    else:
        plan = session_plan(exercise)  # once
        added = [add_participant(exercise, row.name, row.unit_name, plan, cohort=row.cohort)
                 for row in rows]
    for row, participant in zip(rows, added, strict=True):
        participant.nip = row.nip
    shown = PurePath((filename or "").replace("\\", "/")).name[:FILENAME_MAX] or "(tanpa nama)"
    log_control(exercise, "impor", actor, {"jumlah": len(added), "berkas": shown})
    return added


TEAM_NAME_MAX = 60


def _team_seats(exercise: Exercise, rows: list[RosterRow], problems: list[str]
                ) -> dict[int, tuple[str, str]]:
    """Mode tim: each row's (team name, seat code), checked: the seat exists, is free in
    that team, and no two rows take it. Problems are added to `problems`."""
    all_seats = team_seats(exercise)
    names = unit_names(exercise)
    taken = {(" ".join(team.name.split()).casefold(), p.seat) for team in exercise.teams
             for p in members(team)}
    found: dict[int, tuple[str, str]] = {}
    for row in rows:
        if not row.team or not row.seat:
            problems.append(f"Baris {row.line}: sesi mode tim memerlukan kolom «Tim» (mis. "
                            "Tim 1) dan «Kursi» (Admin Instansi, atau OPD kursi admin "
                            "penghubung) untuk setiap peserta.")
            continue
        seat = _seat_named(exercise, all_seats, row.seat)
        if seat is None:
            choices = ", ".join(s.label(names) for s in all_seats)
            problems.append(f"Baris {row.line}: kursi «{row.seat[:40]}» tidak ada di sesi ini. "
                            f"Pilih salah satu: {choices}.")
            continue
        if len(row.team) > TEAM_NAME_MAX:
            problems.append(f"Baris {row.line}: nama tim terlalu panjang (maksimal "
                            f"{TEAM_NAME_MAX} karakter).")
            continue
        team = " ".join(row.team.split())
        key = (team.casefold(), seat.code)
        if key in taken:
            problems.append(f"Baris {row.line}: kursi {seat.label(names)} di «{row.team}» "
                            "sudah terisi.")
            continue
        taken.add(key)
        found[row.line] = (team, seat.code)
    return found


def _seat_named(exercise: Exercise, seats: Sequence[Seat], typed: str) -> Seat | None:
    """The seat a list names: its code ("opd-2"), «Admin Instansi», or an OPD it holds
    (as a trainee names their OPD: domain.catalogue.match_unit)."""
    wanted = " ".join(typed.casefold().split())
    if wanted in ("admin instansi", "instansi"):
        return next((seat for seat in seats if seat.is_instansi), None)
    names = unit_names(exercise)
    # Its code, or its label as the join form shows it ("Admin Penghubung Dinkes").
    by_label = next((seat for seat in seats if wanted in (
        seat.code, seat.label(names).casefold())), None)
    if by_label is not None:
        return by_label
    wanted = wanted.removeprefix("admin penghubung ")
    units = get_catalogue(exercise.region_file).units
    unit = match_unit([units[c] for seat in seats for c in seat.units if c in units], wanted)
    return seat_of_unit(seats, unit.code if unit is not None else None)


def roster_template() -> str:
    """An example list to fill in: ';' and a BOM, so Excel set to Indonesian opens it right."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows(TEMPLATE_ROWS)
    return "\ufeff" + out.getvalue()
