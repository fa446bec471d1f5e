"""Exports of a played workshop: every figure in the CSV and the workbook is the report
card's, the raw log holds every recorded row, and the archive rebuilds the session
elsewhere (SQLite and PostgreSQL, both ways) with the same results."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from sandbox.domain.scoring import INDIVIDUAL_DIMENSIONS
from sandbox.extensions import db
from sandbox.models import (
    Complaint,
    Event,
    Exercise,
    Participant,
    ScoreOverride,
    SessionEvent,
)
from sandbox.services.archive import ArchiveError, archive_data, export_archive, import_archive
from sandbox.services.exports import (
    event_log_jsonl,
    results_csv,
    results_xlsx,
    workshop_by_code,
)
from sandbox.services.scoring import report_card
from tests.conftest import build_app
from tests.exports_kit import count_events, facilitator_named, play_workshop


@pytest.fixture
def played(app, clock):
    return play_workshop(app, clock)


def _cards(code: str) -> dict[str, tuple]:
    """Each trainee's report card by name: summary, aspects and per-report points."""
    exercise = workshop_by_code(code)
    cards = {}
    for participant in exercise.participants:
        card = report_card(participant)
        cards[participant.name] = (card.summary, card.by_dimension,
                                   [(r.tracking_no, r.points(), r.maximum())
                                    for r in card.reports])
    return cards


def _number(text: str) -> float | None:
    return float(text.replace(",", ".")) if text else None


def test_the_played_session_tells_trainees_apart(app, played):
    """The other tests compare figures; they only mean something if the figures differ."""
    with app.app_context():
        cards = _cards(played.code)
        totals = {name: summary.total_pct for name, (summary, _, _) in cards.items()}
        assert totals["Siti Rahmawati"] > totals["Andi Saputra"] > totals["Ni Luh Putu Sa'diyah"]
        assert cards["Siti Rahmawati"][0].routing_exact_pct > 0
        assert cards["Ni Luh Putu Sa'diyah"][0].breaches > 0
        assert db.session.scalar(select(func.count()).select_from(ScoreOverride)) == 1


def test_workbook_has_a_summary_and_one_sheet_per_aspect_with_the_cards_figures(app, played):
    with app.app_context():
        # The idle trainee is in only because she is included (test_attendance checks not).
        book = load_workbook(io.BytesIO(results_xlsx(workshop_by_code(played.code),
                                                     include_inactive=True)))
        cards = _cards(played.code)
    assert book.sheetnames == ["Ringkasan", "Ketepatan tujuan (disposisi)", "Pilihan tindakan",
                               "Klasifikasi dan kategori", "Kerahasiaan", "Ketepatan waktu",
                               "Mutu tindak lanjut", "Tanggapan pelapor", "Laporan", "Sesi"]
    summary = book["Ringkasan"]
    headers = [c.value for c in summary[1]]
    assert headers[:3] == ["Nama", "Unit kerja", "Kohort"]
    assert summary.freeze_panes == "B2"
    assert all(c.font.bold for c in summary[1])
    assert summary.column_dimensions["A"].width > 10
    rows = {row[0]: dict(zip(headers, row, strict=True))
            for row in summary.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == set(cards) and summary.max_row == 4
    for name, (s, by_dimension, _) in cards.items():
        row = rows[name]
        assert row["Nilai total (%)"] == s.total_pct
        assert row["Ketepatan (%)"] == s.accuracy_pct
        assert row["Kecepatan (%)"] == s.speed_pct
        assert row["Laporan diterima"] == s.reports
        assert row["Verifikasi median (HK)"] == s.verify_median_hk
        assert row["Batas waktu terlewati"] == s.breaches
        assert row["Kesalahan kerahasiaan"] == s.confidentiality_errors
        assert row["Mutu TL rata-rata (%)"] == s.quality_avg_pct
        for dimension in INDIVIDUAL_DIMENSIONS:
            assert row[f"{dimension.label}: poin"] == pytest.approx(by_dimension[dimension][0])
            assert row[f"{dimension.label}: maks."] == pytest.approx(by_dimension[dimension][1])
    total = next(c for c in summary[2] if c.column == headers.index("Nilai total (%)") + 1)
    assert total.data_type == "n" and total.number_format == "0.0"  # a number, not text

    for dimension in INDIVIDUAL_DIMENSIONS:
        sheet = book[dimension.label]
        header = [c.value for c in sheet[1]]
        reports = [h for h in header if str(h).startswith("#")]
        assert reports, dimension
        for values in sheet.iter_rows(min_row=2, values_only=True):
            row = dict(zip(header, values, strict=True))
            points, maximum = cards[row["Nama"]][1][dimension]
            assert row["Jumlah poin"] == pytest.approx(points)
            assert row["Maks."] == pytest.approx(maximum)
            # The per-report cells add up to the trainee's total in this aspect.
            assert sum(row[h] or 0 for h in reports) == pytest.approx(points)

    laporan = book["Laporan"]
    assert laporan.max_row - 1 == sum(len(reports) for _, _, reports in cards.values())
    lheader = [c.value for c in laporan[1]]
    for values in laporan.iter_rows(min_row=2, values_only=True):
        row = dict(zip(lheader, values, strict=True))
        expected = {n: (p, m) for n, p, m in cards[row["Nama"]][2]}[row["No. laporan"]]
        assert (row["Poin"], row["Maks."]) == pytest.approx(expected)
    info = {row[0]: row[1] for row in book["Sesi"].iter_rows(min_row=2, values_only=True)}
    assert info["Kode sesi"] == played.code and info["Peserta"] == 3
    assert info["Tempat"] == "Aula Diskominfo" and info["Fasilitator"] == "Fasilitator Ratna"


def test_csv_is_excel_friendly_and_matches_the_cards(app, played):
    with app.app_context():
        data = results_csv(workshop_by_code(played.code), include_inactive=True)
        cards = _cards(played.code)
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads the names right
    text = data.decode("utf-8-sig")
    assert "\r\n" in text
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert {row["Nama"] for row in rows} == set(cards)
    for row in rows:
        s, by_dimension, _ = cards[row["Nama"]]
        assert _number(row["Nilai total (%)"]) == s.total_pct
        assert _number(row["Ketepatan (%)"]) == s.accuracy_pct
        assert _number(row["Kecepatan (%)"]) == s.speed_pct
        assert _number(row["Verifikasi median (HK)"]) == s.verify_median_hk
        assert int(row["Laporan diterima"]) == s.reports
        for dimension in INDIVIDUAL_DIMENSIONS:
            assert _number(row[f"{dimension.label}: poin"]) == pytest.approx(
                by_dimension[dimension][0], abs=0.005)
    assert any("," in row["Ketepatan (%)"] for row in rows)  # decimal comma, not point


def test_text_a_trainee_typed_is_never_a_formula(app, played):
    with app.app_context():
        exercise = workshop_by_code(played.code)
        trainee = next(p for p in exercise.participants if p.name == "Andi Saputra")
        trainee.name = '=HYPERLINK("http://contoh.invalid","klik")\x07'
        trainee.unit_name = "+62 Dinas"
        db.session.commit()
        book = load_workbook(io.BytesIO(results_xlsx(exercise)))
        text = results_csv(exercise).decode("utf-8-sig")
    cell = next(c for c in book["Ringkasan"]["A"] if str(c.value).startswith("=HYPER"))
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://contoh.invalid","klik")'
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert ["'=HYPERLINK(\"http://contoh.invalid\",\"klik\")\x07", "'+62 Dinas"] in \
        [row[:2] for row in rows]


def test_jsonl_holds_every_event_session_event_and_override_in_time_order(app, played):
    with app.app_context():
        lines = [json.loads(line) for line in
                 event_log_jsonl(workshop_by_code(played.code)).decode().splitlines()]
        events = count_events(played.code)
        session_events = db.session.scalar(select(func.count()).select_from(SessionEvent))
        overrides = db.session.scalar(select(func.count()).select_from(ScoreOverride))
    assert events > 10 and session_events >= 3
    assert len(lines) == events + session_events + overrides
    kinds = [line["type"] for line in lines]
    assert (kinds.count("event"), kinds.count("session_event"), kinds.count("score_override")) \
        == (events, session_events, overrides)
    assert [line["wall_at"] for line in lines] == sorted(line["wall_at"] for line in lines)
    event = next(line for line in lines if line["type"] == "event")
    assert event.keys() >= {"participant", "tracking_no", "seq", "action", "role", "actor",
                            "payload", "sim_at", "wall_at"}
    assert any(line.get("role") == "pelapor" for line in lines)  # the simulated reporters too
    override = next(line for line in lines if line["type"] == "score_override")
    assert override["rubric"] == 4 and override["participant"] == "Siti Rahmawati"


# ------------------------------------------------------------------ archive


def _state(code: str) -> tuple:
    """What must survive a round trip: the counts and every trainee's card."""
    cards = _cards(code)  # first: scoring records the reporters' due events
    exercise = workshop_by_code(code)
    complaints = db.session.scalar(select(func.count()).select_from(Complaint)
                                   .where(Complaint.exercise_id == exercise.id))
    return count_events(code), complaints, cards


def test_archive_is_versioned_gzip_json_with_every_table(app, played):
    with app.app_context():
        exercise = workshop_by_code(played.code)
        data = json.loads(gzip.decompress(export_archive(exercise)))
        assert data["format"] == "lapor-sandbox-arsip" and data["version"] == 1
        assert data["exercise"]["settings"] == exercise.settings
        assert data["exercise"]["code"] == played.code
        assert len(data["events"]) == count_events(played.code)
        assert len(data["participants"]) == 3 and len(data["clock_changes"]) == 2
        assert len(data["score_overrides"]) == 1 and len(data["session_events"]) == 3
        complaint = data["complaints"][0]
        assert {"answer_key", "script", "state", "judul", "unit", "reporter"} <= complaint.keys()


def test_archive_covers_every_table_of_a_session():
    """A new table that hangs off a session must be archived too, or an import loses it
    (a cache derived from the archived tables is named as such and computed again)."""
    from sandbox.services.archive import DERIVED_TABLES, TABLES

    archived = {"exercise"} | {model.__tablename__ for _, model in TABLES} | DERIVED_TABLES
    session_tables = {"exercise", "participant", "complaint"}
    hanging = {table.name for table in db.metadata.sorted_tables
               if any(fk.column.table.name in session_tables for fk in table.foreign_keys)}
    assert hanging <= archived, f"not in the archive: {sorted(hanging - archived)}"


@pytest.mark.parametrize("end", [True, False], ids=["ended", "running"])
def test_importing_into_the_same_database_gives_a_new_code_and_tokens(app, clock, end):
    played = play_workshop(app, clock, end=end)
    with app.app_context():
        before = _state(played.code)
        original = workshop_by_code(played.code)
        tokens = {p.name: (p.token, p.personal_code) for p in original.participants}
        result = import_archive(export_archive(original), facilitator_named("budi"))
        db.session.commit()
        copy = result.exercise
        assert copy.code != played.code and result.renamed
        assert result.new_tokens == 3
        for participant in copy.participants:
            token, personal = tokens[participant.name]
            assert participant.token != token and participant.personal_code == personal
        assert copy.facilitator_id == facilitator_named("budi").id
        assert _state(copy.code) == before
        assert _state(played.code) == before  # the original is untouched
        keys = list(db.session.scalars(select(Event.idem_key).where(Event.idem_key.is_not(None))))
        assert len(keys) == len(set(keys))
        # Keys of scripted events are derived from the new report ids, as if recorded here.
        for event in db.session.scalars(select(Event).join(Complaint).where(
                Complaint.exercise_id == copy.id, Event.idem_key.like("auto-%"))):
            assert event.idem_key == f"auto-{event.complaint_id}-{event.seq}"


def _round_trip(source_app, target_app, clock):
    played = play_workshop(source_app, clock)
    with source_app.app_context():
        before = _state(played.code)
        data = export_archive(workshop_by_code(played.code))
    with target_app.app_context():
        result = import_archive(data, facilitator_named("sari"))
        db.session.commit()
        assert result.exercise.code == played.code  # free in the new database: kept
        assert result.new_tokens == 0
        assert _state(played.code) == before


@pytest.fixture
def pg_app(tmp_path: Path, clock, postgres_url):
    application = build_app(tmp_path / "pg", clock, database_url=postgres_url)
    yield application
    with application.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.mark.sqlite_only
def test_round_trip_from_sqlite_into_postgresql(app, pg_app, clock):
    _round_trip(app, pg_app, clock)


@pytest.mark.sqlite_only
def test_round_trip_from_postgresql_into_sqlite(app, pg_app, clock):
    _round_trip(pg_app, app, clock)


# ------------------------------------------------------------------ broken archives


def _mutate(data: dict, change: str) -> None:
    if change == "missing events":
        del data["events"]
    elif change == "dangling participant":
        data["complaints"][0]["participant_id"] = 987654
    elif change == "dangling complaint":
        data["events"][0]["complaint_id"] = 987654
    elif change == "seed as text":
        data["exercise"]["seed"] = "tujuh"
    elif change == "long name":
        data["participants"][0]["name"] = "x" * 500
    elif change == "unknown action":
        data["events"][0]["action"] = "hapus_semua"
    elif change == "seq gap":
        data["events"][0]["seq"] = 40
    elif change == "bad rubric":
        data["score_overrides"][0]["rubric"] = 9
    elif change == "solo":
        data["exercise"]["mode"] = "solo"
    elif change == "region path":
        data["exercise"]["region_file"] = "../../etc/passwd"
    elif change == "nul":
        data["participants"][0]["unit_name"] = "Dinas\x00"
    elif change == "bad time":
        data["events"][0]["sim_at"] = "kemarin sore"
    elif change == "exercise list":
        data["exercise"] = []
    elif change == "duplicate id":
        data["participants"][1]["id"] = data["participants"][0]["id"]
    elif change == "unknown scoring rules":
        data["exercise"]["settings"]["scoring_version"] = 99


BROKEN = [
    ("missing events", "events: tidak ada"),
    ("dangling participant", "participant_id: peserta tidak ada dalam arsip"),
    ("dangling complaint", "complaint_id: laporan tidak ada dalam arsip"),
    ("seed as text", "exercise.seed: harus bilangan bulat"),
    ("long name", "participants[0].name: teks terlalu panjang"),
    ("unknown action", "aksi, peran atau status tidak dikenal"),
    ("seq gap", "tanpa celah"),
    ("bad rubric", "rubric: harus 1 sampai 5"),
    ("solo", "hanya sesi pelatihan (workshop)"),
    ("region path", "berkas wilayah"),
    ("nul", "tidak dapat disimpan"),
    ("bad time", "waktu tidak sah"),
    ("exercise list", "exercise: harus objek JSON"),
    ("duplicate id", "participants[1].id: ganda"),
    ("unknown scoring rules", "aturan versi 99"),
]


def test_an_archive_without_optional_columns_still_imports(app, played):
    """An older archive may lack a column added since, if the column may be empty."""
    with app.app_context():
        data = archive_data(workshop_by_code(played.code))
        db.session.commit()
        for row in data["events"]:
            del row["idem_key"]
        for row in data["participants"]:
            del row["cohort"], row["personal_code"]
        result = import_archive(json.dumps(data).encode(), facilitator_named("ratna"))
        db.session.commit()
        assert _state(result.exercise.code) == _state(played.code)


def _counts() -> tuple[int, ...]:
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Exercise, Participant, Complaint, Event, SessionEvent))


@pytest.mark.parametrize(("change", "message"), BROKEN, ids=[c for c, _ in BROKEN])
def test_broken_archive_is_refused_and_nothing_is_written(app, played, change, message):
    with app.app_context():
        data = archive_data(workshop_by_code(played.code))
        db.session.commit()
        before = _counts()
        _mutate(data, change)
        with pytest.raises(ArchiveError) as error:
            import_archive(json.dumps(data).encode(), facilitator_named("ratna"))
        db.session.rollback()  # what every caller does
        assert message in error.value.message
        assert "\n" not in error.value.message  # one line for the command line
        assert _counts() == before


@pytest.mark.parametrize(("raw", "message"), [
    (b"", "Berkas arsip kosong."),
    (b"{ bukan json", "bukan JSON yang sah: baris 1"),
    (b"\xff\xfe\x00garbage", "bukan teks UTF-8"),
    (gzip.compress(b'{"format": "lapor-sandbox-arsip"}' * 50)[:30], "isi gzip-nya tidak dapat"),
    (b'{"format": "sesuatu-lain", "version": 1}', "bukan berkas arsip sesi"),
    (b'[1, 2, 3]', "bukan berkas arsip sesi"),
    (b'{"format": "lapor-sandbox-arsip", "version": 2}', "Arsip versi 2 tidak dapat dibaca"),
    (b'{"format": "lapor-sandbox-arsip", "version": true}', "Arsip versi True"),
    (b'{"format": "lapor-sandbox-arsip", "version": 1}', "exercise: harus objek JSON"),
])
def test_a_file_that_is_no_archive_is_explained(app, raw, message):
    with app.app_context():
        with pytest.raises(ArchiveError) as error:
            import_archive(raw, facilitator_named("ratna"))
        assert message in error.value.message
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(Exercise)) == 0
