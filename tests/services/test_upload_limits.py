"""Uploads cannot exhaust memory: archives and participant lists are read with limits
checked while reading, and what an archive holds is checked as the forms check it."""

from __future__ import annotations

import gzip
import io
import json
import time
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from sandbox.extensions import db
from sandbox.models import Exercise, Participant
from sandbox.services import archive, roster, uploads
from sandbox.services.archive import ArchiveError, archive_data, export_archive, import_archive
from sandbox.services.roster import COLUMN_LIMIT, SCAN_ROWS_MAX, RosterError, parse_roster
from sandbox.services.uploads import JsonLimits, UploadRefused, decode_text, read_json_bytes
from sandbox.services.workshops import WorkshopForm, create_workshop, rejoin_by_code
from tests.exports_kit import facilitator_named
from tests.upload_kit import (
    MB,
    empty_objects_bomb,
    exercise_by_code,
    large_bomb,
    shared_string_bomb,
    stage_workshop,
    values_bomb,
    workbook_with_entries,
)


def measured(call):
    """(what `call` raised or returned, seconds, peak traced bytes)."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        outcome = call()
    except Exception as error:  # the refusal is the outcome under test
        outcome = error
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return outcome, seconds, peak


@pytest.fixture(scope="module")
def bomb_200mb():
    return large_bomb(200 * MB)


# ------------------------------------------------------------------ archive bombs


def test_a_4kb_archive_of_empty_objects_is_refused_at_once_with_little_memory():
    bomb = empty_objects_bomb()
    assert len(bomb) < 5000  # 1.4 million {} rows in about 4 KB
    error, seconds, peak = measured(lambda: archive.read_archive(bomb))
    assert isinstance(error, ArchiveError) and "terlalu banyak data" in error.message
    assert seconds < 0.5 and peak < 8 * MB, (seconds, peak)


def test_millions_of_tiny_values_are_refused_before_parsing():
    error, seconds, peak = measured(lambda: archive.read_archive(values_bomb()))
    assert isinstance(error, ArchiveError) and "nilai" in error.message
    assert peak < 16 * MB, peak


def test_a_200mb_bomb_is_refused_without_unpacking_it_into_memory(bomb_200mb):
    assert len(bomb_200mb) < 300 * 1024
    error, seconds, peak = measured(lambda: archive.read_archive(bomb_200mb))
    assert isinstance(error, ArchiveError) and "melebihi 64 MB" in error.message
    assert peak < 8 * MB and seconds < 3, (seconds, peak)


def test_a_bomb_that_lies_about_its_size_stops_at_the_limit():
    bomb = large_bomb(200 * MB, stated_size=1000)
    error, _, peak = measured(lambda: archive.read_archive(bomb))
    assert isinstance(error, ArchiveError) and "melebihi 64 MB" in error.message
    assert peak < archive.UNPACKED_MAX + 16 * MB, peak


def test_limits_are_checked_while_reading_not_after():
    """The reader stops at the first chunk past a limit, whatever follows it."""
    limits = JsonLimits(unpacked=10 * MB, containers=1000, values=10**9)
    data = gzip.compress(b"[" + b"{}," * 10_000_000 + b"{}]")
    error, _, peak = measured(lambda: read_json_bytes(data, limits))
    assert isinstance(error, UploadRefused)
    assert peak < 4 * MB, peak


def test_truncated_and_padded_gzip_and_several_members(app):
    body = json.dumps({"format": "lapor-sandbox-arsip", "version": 1}).encode()
    packed = gzip.compress(body)
    limits = archive.LIMITS
    assert read_json_bytes(packed + b"\x00" * 512, limits) == body
    half = len(body) // 2
    two_members = gzip.compress(body[:half]) + gzip.compress(body[half:])
    assert read_json_bytes(two_members, limits) == body
    for broken in (packed[:-6], packed + b"sampah", packed[:12]):
        with pytest.raises(UploadRefused, match="rusak"):
            read_json_bytes(broken, limits)


def test_a_real_archive_is_far_below_every_limit(app, clock):
    staged = stage_workshop(app, clock, trainees=6)
    with app.app_context():
        data = export_archive(exercise_by_code(staged.code))
        db.session.commit()
    unpacked = gzip.decompress(data)
    assert len(unpacked) * 100 < archive.UNPACKED_MAX
    assert (unpacked.count(b"{") + unpacked.count(b"[")) * 100 < archive.LIMITS.containers
    assert unpacked.count(b",") * 100 < archive.LIMITS.values


def test_many_bad_rows_are_not_all_listed(app, clock):
    """A file with a hundred thousand bad rows is refused quickly with a short message."""
    staged = stage_workshop(app, clock, trainees=1, minutes=4)
    with app.app_context():
        data = archive_data(exercise_by_code(staged.code))
        db.session.commit()
        data["events"] = [{"seq": "x"}] * 100_000
        raw = json.dumps(data).encode()
        error, seconds, _ = measured(lambda: import_archive(raw, facilitator_named("budi")))
        db.session.rollback()
    assert isinstance(error, ArchiveError) and "masalah lain" in error.message
    assert len(error.message) < 2000 and seconds < 5


# ------------------------------------------------------------------ fields of an archive


@pytest.fixture
def staged(app, clock):
    return stage_workshop(app, clock, trainees=3, minutes=12)


def _archive(app, code):
    with app.app_context():
        data = archive_data(exercise_by_code(code))
        db.session.commit()
    return data


def _first_event(data, action):
    return next(e for e in data["events"] if e["action"] == action)


MUTATIONS = {
    "office_start 25:99": (lambda d: d["exercise"]["settings"].update(office_start="25:99"),
                           "exercise.settings.office_start: harus jam yang sah"),
    "office hours reversed": (lambda d: d["exercise"]["settings"].update(
        office_start="16:00", office_end="08:00"), "jam tutup harus sesudah jam buka"),
    "holiday not a date": (lambda d: d["exercise"]["settings"].update(holidays=["besok"]),
                           "exercise.settings.holidays"),
    "sla negative": (lambda d: d["exercise"]["settings"]["sla"].update(verifikasi=-1),
                     "exercise.settings.sla.verifikasi"),
    "sla unknown key": (lambda d: d["exercise"]["settings"]["sla"].update(cepat=1),
                        "exercise.settings.sla.cepat: kunci tidak dikenal"),
    "scoring unknown dimension": (lambda d: d["exercise"]["settings"]["scoring"]["weights"]
                                  .update(gaya=5), "scoring.weights.gaya"),
    "feedback unknown": (lambda d: d["exercise"]["settings"].update(feedback="kadang"),
                         "exercise.settings.feedback"),
    "note without time": (lambda d: d["exercise"]["settings"].update(notes=[{"text": "x"}]),
                          "exercise.settings.notes"),
    "date too long for its column": (lambda d: d["exercise"].update(held_on="x" * 41),
                                     "exercise.held_on: teks terlalu panjang (maksimal 40"),
    "empty title": (lambda d: d["exercise"].update(title="   "),
                    "exercise.title: Judul sesi wajib diisi"),
    "code with a dash": (lambda d: d["exercise"].update(code="AB-12"), "exercise.code"),
    "speed zero": (lambda d: d["exercise"].update(speed=0), "exercise.speed"),
    "seed negative": (lambda d: d["exercise"].update(seed=-5), "exercise.seed"),
    "control character in a name": (lambda d: d["participants"][0].update(name="Siti\x07"),
                                    "participants[0].name: berisi karakter yang tidak"),
    "NUL inside a payload": (lambda d: _first_event(d, "verifikasi")["payload"].update(
        judul="Jalan rusak di desa\x00"), "U+0000"),
    "empty name": (lambda d: d["participants"][0].update(name=""), "Nama wajib diisi"),
    "payload nested deeper than the app writes": (lambda d: _first_event(d, "verifikasi")[
        "payload"].update(judul=json.loads("[" * 900 + "]" * 900)), "bersarang lebih dari"),
    "bad token": (lambda d: d["participants"][0].update(token="a b"), "participants[0].token"),
    "same personal code twice": (lambda d: d["participants"][1].update(
        personal_code=d["participants"][0]["personal_code"].lower()),
        "kode pribadi harus unik"),
    "unknown channel": (lambda d: d["complaints"][0].update(channel="merpati"), "kanal"),
    "reporter without a name": (lambda d: d["complaints"][0]["reporter"].pop("name"),
                                "complaints[0].reporter: «name» tidak ada"),
    "answer key with a stray key": (lambda d: d["complaints"][0]["answer_key"].update(x=1),
                                    "complaints[0].answer_key: kunci tidak dikenal"),
    "answer key of an unknown class": (lambda d: d["complaints"][1]["answer_key"].update(
        klasifikasi="gosip"), "complaints[1].answer_key: klasifikasi tidak dikenal"),
    "role of another actor": (lambda d: _first_event(d, "verifikasi").update(role="pelapor"),
                              ".role: aksi «verifikasi»"),
    "title shorter than the form allows": (lambda d: _first_event(d, "verifikasi")["payload"]
                                           .update(judul="Jalan"), "Judul terlalu pendek"),
    "unit not in this region": (lambda d: _first_event(d, "verifikasi")["payload"].update(
        unit="dinas-antah-berantah"), "Unit tujuan tidak dikenal"),
    "state_after out of step": (lambda d: _first_event(d, "verifikasi").update(
        state_after="SELESAI"), ".state_after: harus"),
    "unknown session event": (lambda d: d["session_events"][0].update(kind="ledakan"),
                              "session_events[0]: jenis tidak dikenal"),
    "speed change as text": (lambda d: d["session_events"].append(
        {**d["session_events"][0], "id": 999_999, "seq": 99, "kind": "kecepatan",
         "payload": {"menit_per_hk": "cepat"}}), "menit_per_hk harus angka"),
}


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_every_field_is_checked_as_its_form_checks_it(app, staged, name):
    change, message = MUTATIONS[name]
    data = _archive(app, staged.code)
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(Exercise))
        change(data)
        with pytest.raises(ArchiveError) as error:
            import_archive(json.dumps(data).encode(), facilitator_named("budi"))
        db.session.rollback()
        assert message in error.value.message, error.value.message
        assert db.session.scalar(select(func.count()).select_from(Exercise)) == before


def test_codes_typed_in_lower_case_are_stored_in_upper_case(app, staged):
    data = _archive(app, staged.code)
    data["exercise"]["code"] = "abcd23"
    personal = data["participants"][0]["personal_code"]
    data["participants"][0]["personal_code"] = personal.lower()
    with app.app_context():
        result = import_archive(json.dumps(data).encode(), facilitator_named("budi"))
        db.session.commit()
        assert result.exercise.code == "ABCD23"
        trainee = rejoin_by_code("abcd23", personal.lower())
        assert trainee.personal_code == personal


def test_a_rated_follow_up_names_the_imported_rows(app, clock):
    from tests.exports_kit import play_workshop

    played = play_workshop(app, clock)
    with app.app_context():
        exercise = exercise_by_code(played.code)
        from sandbox.models import Complaint, Event
        from sandbox.services.debrief import rate_follow_up

        tl = db.session.scalars(select(Event).join(Complaint).where(
            Complaint.exercise_id == exercise.id, Event.action == "tindak_lanjut")).first()
        rate_follow_up(exercise, str(tl.complaint_id), str(tl.seq), "3", "Bu Ratna")
        db.session.commit()
        result = import_archive(export_archive(exercise), facilitator_named("budi"))
        db.session.commit()
        from sandbox.models import SessionEvent

        rated = db.session.scalar(select(SessionEvent).where(
            SessionEvent.exercise_id == result.exercise.id, SessionEvent.kind == "nilai_tl"))
        copy = db.session.get(Complaint, rated.payload["complaint_id"])
        assert copy.exercise_id == result.exercise.id
        assert db.session.get(Participant, rated.payload["participant_id"]).exercise_id \
            == result.exercise.id


# ------------------------------------------------------------------ participant lists: XLSX


def test_a_shared_string_bomb_is_refused_before_openpyxl_reads_it(app, monkeypatch):
    bomb = shared_string_bomb(200 * MB)
    assert len(bomb) < 400 * 1024

    def never(*args, **kwargs):
        raise AssertionError("openpyxl was asked to parse a workbook that is too large")

    import openpyxl

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    error, seconds, peak = measured(lambda: parse_roster("peserta.xlsx", bomb))
    assert isinstance(error, RosterError)
    assert "sharedStrings" in error.problems[0] and "maksimal 8 MB" in error.problems[0]
    assert seconds < 1 and peak < 4 * MB


def test_a_workbook_of_many_parts_or_a_high_ratio_is_refused(app):
    (problem,) = pytest.raises(RosterError, parse_roster, "x.xlsx",
                               workbook_with_entries(400)).value.problems
    assert "terlalu banyak bagian" in problem
    limits = uploads.WorkbookLimits(entries=300, total=48 * MB, entry=16 * MB,
                                    shared_strings=8 * MB, ratio=200, ratio_from=MB)
    with pytest.raises(UploadRefused, match="mengembang"):
        uploads.inspect_workbook(shared_string_bomb(4 * MB), limits)


def _xlsx(rows):
    book = Workbook()
    sheet = book.active
    for number, row in rows:
        for column, value in enumerate(row, start=1):
            sheet.cell(row=number, column=column, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_list_with_blank_rows_is_read_to_its_end(app):
    """The old reader stopped at row 511 and silently dropped the rest of a spaced list."""
    rows = [(1, ("Nama", "OPD"))] + [(2 + 2 * i, (f"Peserta {i}", "Dinkes")) for i in range(400)]
    parsed = parse_roster("spasi.xlsx", _xlsx(rows))
    assert len(parsed) == 400 and parsed[-1].line == 800


def test_a_sheet_longer_than_the_scan_limit_is_refused_not_cut(app):
    data = _xlsx([(1, ("Nama", "OPD")), (2, ("Siti", "Dinkes")),
                  (SCAN_ROWS_MAX + 1, ("Andi", "DLH"))])
    (problem,) = pytest.raises(RosterError, parse_roster, "x.xlsx", data).value.problems
    assert "lebih dari 5.000 baris" in problem


@pytest.mark.parametrize("filename", ["x.csv", "x.xlsx"])
def test_a_cell_past_the_column_limit_is_refused_not_dropped(app, filename):
    row = ["Siti", "Dinkes"] + [""] * (COLUMN_LIMIT - 2) + ["tersembunyi"]
    if filename == "x.csv":
        data = ("Nama;OPD\n" + ";".join(row) + "\n").encode()
    else:
        data = _xlsx([(1, ("Nama", "OPD")), (2, row)])
    (problem,) = pytest.raises(RosterError, parse_roster, filename, data).value.problems
    assert f"kolom ke-{COLUMN_LIMIT + 1}" in problem and problem.startswith("Baris 2")


def test_a_csv_larger_than_the_limit_is_refused(app):
    data = b"Nama;OPD\n" + b"Siti;Dinkes\n" * (roster.FILE_MAX // 12 + 1)
    (problem,) = pytest.raises(RosterError, parse_roster, "x.csv", data).value.problems
    assert "terlalu besar" in problem


def test_control_characters_in_a_list_are_refused_by_row(app):
    data = b"Nama;OPD;Kohort\nSiti\x01;Dinkes;A\nAndi;DLH\x1b[31m;B\nBudi;PU;C\x07\n"
    problems = pytest.raises(RosterError, parse_roster, "x.csv", data).value.problems
    assert [p.split(":")[0] for p in problems] == ["Baris 2", "Baris 3", "Baris 4"]
    assert all("tidak diizinkan" in p for p in problems), problems


# ------------------------------------------------------------------ participant lists: encodings


JAPANESE = "Nama,OPD\n山田太郎,Dinas Kesehatan\n佐藤花子,Dinas PUPR\n鈴木一郎,Kecamatan Sukamaju\n"


@pytest.mark.parametrize(("text", "codec", "named"), [
    (JAPANESE, "shift_jis", "Shift-JIS"),
    (JAPANESE, "euc_jp", "EUC-JP"),
    ("Nama,OPD\n王小明,Dinas Kesehatan\n李华,Dinas PUPR\n张伟,Kecamatan Sukamaju\n",
     "gb2312", "GB"),
    ("Nama,OPD\n김민수,Dinas Kesehatan\n이영희,Dinas PUPR\n박지성,Kecamatan Sukamaju\n",
     "euc_kr", "EUC-KR"),
])
def test_an_east_asian_encoding_is_refused_by_name(app, text, codec, named):
    (problem,) = pytest.raises(RosterError, parse_roster, "x.csv",
                               text.encode(codec)).value.problems
    assert f"pengodean {named}" in problem and "CSV UTF-8" in problem


@pytest.mark.parametrize("codec", ["cp1252", "latin-1"])
def test_windows_1252_names_are_read(app, codec):
    text = "Nama;OPD\nSélamat Rahayu;Dinas Kesehatan\nAndré Müller;Dinas PUPR\nFrançois;DLH\n"
    rows = parse_roster("x.csv", text.encode(codec))
    assert [r.name for r in rows] == ["Sélamat Rahayu", "André Müller", "François"]


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16", "utf-32"])
def test_unicode_with_or_without_a_mark_is_read(app, codec):
    text = "Nama;OPD\nNi Luh Putu Sa’diyah 🌺;Dinas Kesehatan\n山田太郎;Dinas PUPR\n"
    rows = parse_roster("x.csv", text.encode(codec))
    assert [r.name for r in rows] == ["Ni Luh Putu Sa’diyah 🌺", "山田太郎"]


def test_plausible_latin_tells_names_from_mojibake():
    assert uploads.plausible_latin("Sélamat, André Müller – «Kohort A»")
    for codec in ("shift_jis", "gb2312", "euc_kr", "cp1251"):
        sample = "山田太郎" if codec == "shift_jis" else "王小明" if codec == "gb2312" \
            else "김민수" if codec == "euc_kr" else "Иван Петров"
        assert not uploads.plausible_latin(sample.encode(codec).decode("cp1252", "replace"))
    with pytest.raises(UploadRefused, match="UTF-16 tanpa BOM|bukan teks"):
        decode_text("Nama;OPD\nSiti;Dinkes\n".encode("utf-16-le") + b"\xff")


def test_an_imported_list_keeps_the_archive_importable(app):
    """What a list import stores, an archive of the session carries back in."""
    text = "Nama;OPD;Kohort\nSélamat Rahayu;Dinas Kesehatan;" + "K" * 80 + "\n"
    with app.app_context():
        exercise = create_workshop(facilitator_named("ratna"), WorkshopForm(
            scenario="bimtek-dasar", title="Bimtek", held_on="x" * 40, location="y" * 160,
            minutes_per_hk="", seed=""))
        roster.import_roster(exercise, "x.csv", text.encode("cp1252"), "Bu Ratna")
        data = export_archive(exercise)
        result = import_archive(data, facilitator_named("budi"))
        assert [(p.name, p.cohort) for p in result.exercise.participants] == [
            ("Sélamat Rahayu", "K" * 80)]
        db.session.rollback()


def test_a_zip_that_is_not_a_workbook_is_explained(app):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive_file:
        archive_file.writestr("readme.txt", "bukan excel")
    (problem,) = pytest.raises(RosterError, parse_roster, "x.xlsx",
                               out.getvalue()).value.problems
    assert "tidak dapat dibaca" in problem
