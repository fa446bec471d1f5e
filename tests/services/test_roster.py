"""Importing participants from CSV or XLSX: every row or none, row-by-row problems."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from sandbox.extensions import db
from sandbox.models import Complaint, Exercise, Participant, SessionEvent
from sandbox.services.accounts import create_facilitator
from sandbox.services.roster import ROW_LIMIT, RosterError, import_roster, parse_roster
from sandbox.services.timekeeping import command_clock
from sandbox.services.workshops import WorkshopForm, create_workshop, rejoin_by_code

GOOD = "Nama,OPD,Kohort\nSiti Rahmawati,Dinas Kesehatan,Kelompok A\nAndi Pratama,Dinas PUPR,B\n"


@pytest.fixture
def session(app):
    """A bimtek-dasar workshop in the lobby, inside an app context."""
    with app.app_context():
        ratna = create_facilitator("ratna", "Bu Ratna", "rahasia-123", is_admin=True)
        exercise = create_workshop(ratna, WorkshopForm(
            scenario="bimtek-dasar", title="Bimtek", held_on="", location="",
            minutes_per_hk="", seed=""))
        db.session.commit()
        yield exercise


def xlsx(rows, title_rows=()):
    book = Workbook()
    sheet = book.active
    for row in (*title_rows, *rows):
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def counts():
    return (db.session.scalar(select(func.count(Participant.id))),
            db.session.scalar(select(func.count(Complaint.id))))


def problems_of(filename, data, exercise=None):
    with pytest.raises(RosterError) as caught:
        if exercise is None:
            parse_roster(filename, data)
        else:
            import_roster(exercise, filename, data, "Bu Ratna")
    return caught.value.problems


# ------------------------------------------------------------------ reading


@pytest.mark.parametrize("data", [
    GOOD.encode(),
    GOOD.replace(",", ";").encode(),
    b"\xef\xbb\xbf" + GOOD.replace(",", ";").encode(),  # Excel's "CSV UTF-8"
    GOOD.replace("\n", "\r\n").encode("utf-16"),
])
def test_csv_with_either_delimiter_and_encoding(app, data):
    rows = parse_roster("peserta.csv", data)
    assert [(r.line, r.name, r.unit_name, r.cohort) for r in rows] == [
        (2, "Siti Rahmawati", "Dinas Kesehatan", "Kelompok A"),
        (3, "Andi Pratama", "Dinas PUPR", "B")]


def test_windows_1252_is_read_when_the_file_is_not_utf8(app):
    data = "Nama;Unit kerja\nAndré Siregar;Dinas Sosial\n".encode("cp1252")
    (row,) = parse_roster("daftar.csv", data)
    assert row.name == "André Siregar" and row.cohort is None


@pytest.mark.parametrize("header", [
    ("NAMA ", " Perangkat  Daerah", "Asal daerah"),
    ("No", "Nama lengkap", "Unit Kerja (OPD)", "KELOMPOK"),
])
def test_indonesian_headings_in_any_case_and_spacing(app, header):
    values = ("Siti", "Dinkes", "A") if len(header) == 3 else (1, "Siti", "Dinkes", "A")
    data = (";".join(header) + "\n" + ";".join(map(str, values)) + "\n").encode()
    (row,) = parse_roster("x.csv", data)
    assert (row.name, row.unit_name, row.cohort) == ("Siti", "Dinkes", "A")


def test_xlsx_first_sheet_with_a_title_row_and_numbers(app):
    data = xlsx([("No", "Nama", "OPD", "Kohort"), (1, "Siti", "Dinkes", 2024),
                 (None, None, None, None), (2, "Andi", "DLH", 2025.0)],
                title_rows=[("Daftar hadir bimtek SP4N-LAPOR! 2026",)])
    rows = parse_roster("hadir.xlsx", data)
    assert [(r.line, r.name, r.cohort) for r in rows] == [(3, "Siti", "2024"),
                                                          (5, "Andi", "2025")]


@pytest.mark.parametrize(("filename", "data", "message"), [
    ("kosong.csv", b"", "Berkas kosong"),
    ("kosong.csv", b"\n \n", "Berkas kosong"),
    ("judul.csv", b"Nama;OPD\n", "hanya berisi judul kolom"),
    ("foto.png", b"\x89PNG\r\n\x1a\n....", "Jenis berkas «.png» tidak didukung"),
    ("lama.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Format .xls (Excel 97–2003)"),
    ("palsu.xlsx", b"Nama,OPD\nSiti,Dinkes\n", "isinya bukan berkas Excel"),
    ("rusak.xlsx", b"PK\x03\x04 rusak", "Berkas XLSX tidak dapat dibaca"),
    ("biner.csv", b"PK\x00\x00\x00\x01\x02", "bukan CSV teks"),
    ("tanpa-nama.csv", b"Peserta;OPD\nSiti;Dinkes\n", "kolom Nama tidak ada"),
    ("tanpa-opd.csv", b"Nama;Kohort\nSiti;A\n", "kolom OPD tidak ada"),
    ("asing.csv", b"Nama;OPD;Jabatan\nSiti;Dinkes;Staf\n", "kolom «Jabatan» tidak dikenal"),
    ("ganda.csv", b"Nama;OPD;Unit kerja\nSiti;Dinkes;Dinkes\n", "muncul dua kali"),
])
def test_file_level_problems_are_named(app, filename, data, message):
    problems = problems_of(filename, data)
    assert any(message in p for p in problems), problems


def test_too_many_rows(app):
    data = ("Nama;OPD\n" + "".join(f"Peserta {i};Dinkes\n" for i in range(ROW_LIMIT + 1)))
    (problem,) = problems_of("besar.csv", data.encode())
    assert f"maksimal {ROW_LIMIT} peserta" in problem
    assert len(parse_roster("pas.csv", "\n".join(data.splitlines()[:-1]).encode())) == ROW_LIMIT


def test_every_bad_row_is_reported_with_its_number(app):
    data = ("Nama;OPD;Kohort\n"
            "Siti;Dinkes;A\n"           # 2
            ";Dinkes;A\n"               # 3
            "Andi;;B\n"                 # 4
            f"{'x' * 121};Dinkes;A\n"   # 5
            f"Budi;Dinsos;{'k' * 81}\n"  # 6
            " siti ;DINKES;B\n"         # 7: the same person as row 2
            "Rina;Dinkes;A;lebih\n")    # 8: a value under no heading
    assert problems_of("x.csv", data.encode()) == [
        "Baris 3: Nama wajib diisi.",
        "Baris 4: OPD wajib diisi.",
        "Baris 5: Nama terlalu panjang: maksimal 120 karakter.",
        "Baris 6: Kohort terlalu panjang: maksimal 80 karakter.",
        "Baris 7: nama dan OPD sama dengan baris 2 («siti», DINKES).",
        "Baris 8: ada isian di kolom ke-4 yang tidak berjudul.",
    ]


# ------------------------------------------------------------------ importing


def test_import_adds_everyone_with_reports_codes_cohorts_and_one_log_entry(session):
    before = counts()
    added = import_roster(session, "C:\\Users\\ratna\\peserta.csv", GOOD.encode(), "Bu Ratna")
    db.session.commit()
    assert [p.name for p in added] == ["Siti Rahmawati", "Andi Pratama"]
    assert [p.cohort for p in added] == ["Kelompok A", "B"]
    assert all(p.personal_code and len(p.personal_code) == 6 for p in added)
    assert len({p.personal_code for p in added}) == 2
    per_trainee = session.complaint_count
    assert counts() == (before[0] + 2, before[1] + 2 * per_trainee)
    (event,) = db.session.scalars(select(SessionEvent).where(
        SessionEvent.exercise_id == session.id, SessionEvent.kind == "impor")).all()
    assert event.payload == {"jumlah": 2, "berkas": "peserta.csv"}
    assert event.actor == "Bu Ratna"


def test_import_from_xlsx(session):
    data = xlsx([("Nama", "Perangkat daerah", "Kelompok"), ("Siti", "Dinkes", "A"),
                 ("Andi", "DLH", None)])
    added = import_roster(session, "hadir.xlsx", data, "Bu Ratna")
    assert [(p.name, p.unit_name, p.cohort) for p in added] == [("Siti", "Dinkes", "A"),
                                                                ("Andi", "DLH", None)]


def test_one_bad_row_saves_nothing(session):
    before = counts()
    data = GOOD + ",Dinas Sosial,A\n"
    assert problems_of("x.csv", data.encode(), session) == ["Baris 4: Nama wajib diisi."]
    db.session.rollback()
    assert counts() == before
    assert db.session.scalar(select(func.count(SessionEvent.id))) == 0


def test_names_already_in_the_session_are_refused(session):
    import_roster(session, "a.csv", GOOD.encode(), "Bu Ratna")
    db.session.commit()
    before = counts()
    again = "Nama;OPD\nRina;DLH\nSITI  RAHMAWATI;dinas kesehatan\n"
    assert problems_of("b.csv", again.encode(), session) == [
        "Baris 3: «SITI RAHMAWATI» (dinas kesehatan) sudah terdaftar di sesi ini."]
    db.session.rollback()
    assert counts() == before


def test_an_ended_session_takes_no_more_participants(session):
    command_clock(session, "akhiri", "Bu Ratna")
    db.session.commit()
    assert problems_of("a.csv", GOOD.encode(), session) == [
        "Sesi ini sudah berakhir; peserta tidak dapat ditambahkan lagi."]


def test_imported_trainee_rejoins_with_the_personal_code(session):
    (siti, _) = import_roster(session, "a.csv", GOOD.encode(), "Bu Ratna")
    db.session.commit()
    assert rejoin_by_code(session.code.lower(), siti.personal_code.lower()).id == siti.id


def test_the_plan_is_built_once_for_the_whole_list(session, monkeypatch):
    import sandbox.services.roster as roster

    calls = []
    real = roster.session_plan

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(roster, "session_plan", counting)
    import_roster(session, "a.csv", GOOD.encode(), "Bu Ratna")
    assert calls == [(session,)]
    assert db.session.get(Exercise, session.id).participants
