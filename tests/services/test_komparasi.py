"""Sessions created for a studi komparasi (issue 14): named, speed locked once started,
and the «Sesi» sheet of every results workbook records what makes sessions comparable."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from sandbox.domain.errors import ValidationError
from sandbox.domain.session import SPEED_LOCKED, ClockCommand, SessionError
from sandbox.extensions import db
from sandbox.services.accounts import create_facilitator
from sandbox.services.exports import results_xlsx
from sandbox.services.timekeeping import command_clock
from sandbox.services.workshops import WorkshopForm, create_workshop, join_workshop


@pytest.fixture
def ratna(app):
    with app.app_context():
        yield create_facilitator("ratna", "Bu Ratna", "rahasia-123")


def test_a_studi_session_keeps_its_agreed_speed(app, ratna, clock):
    exercise = create_workshop(ratna, WorkshopForm(
        "bimtek-dasar", "Kotabaru", "", "", "4", "", studi="  Studi   Kalsel 2026 "))
    assert exercise.settings["studi"] == "Studi Kalsel 2026"
    assert exercise.settings["kunci_kecepatan"] is True
    with pytest.raises(SessionError) as refused:  # not even in the lobby: it was agreed
        command_clock(exercise, ClockCommand.KECEPATAN, "Bu Ratna", "2")
    assert refused.value.message == SPEED_LOCKED
    command_clock(exercise, ClockCommand.MULAI, "Bu Ratna")
    with pytest.raises(SessionError):
        command_clock(exercise, ClockCommand.KECEPATAN, "Bu Ratna", "1")
    command_clock(exercise, ClockCommand.JEDA, "Bu Ratna")  # pausing is still fine
    with pytest.raises(SessionError):
        command_clock(exercise, ClockCommand.KECEPATAN, "Bu Ratna", "1")
    plain = create_workshop(ratna, WorkshopForm("bimtek-dasar", "Biasa", "", "", "", ""))
    command_clock(plain, ClockCommand.MULAI, "Bu Ratna")
    command_clock(plain, ClockCommand.KECEPATAN, "Bu Ratna", "1")  # not a studi: allowed


def test_a_studi_name_is_checked(app, ratna):
    with pytest.raises(ValidationError) as refused:
        create_workshop(ratna, WorkshopForm("bimtek-dasar", "X", "", "", "", "",
                                            studi="S" * 81))
    assert "Nama studi komparasi" in refused.value.errors["studi"]


def test_the_sesi_sheet_says_what_makes_sessions_comparable(app, ratna, clock):
    exercise = create_workshop(ratna, WorkshopForm(
        "bimtek-dasar", "Kotabaru", "", "", "4", "", studi="Studi Kalsel 2026"))
    join_workshop(exercise.code, "Siti", "Dinas Kesehatan")
    command_clock(exercise, ClockCommand.MULAI, "Bu Ratna")
    clock.advance(minutes=5)
    command_clock(exercise, ClockCommand.JEDA, "Bu Ratna")
    clock.advance(minutes=3)
    command_clock(exercise, ClockCommand.LANJUT, "Bu Ratna")
    db.session.commit()
    sheet = load_workbook(io.BytesIO(results_xlsx(exercise, include_inactive=True)))["Sesi"]
    facts = {row[0].value: row[1].value for row in sheet.iter_rows(min_row=2)}
    assert facts["Seed"] == exercise.seed and facts["Skenario"] == "bimtek-dasar"
    assert facts["Studi komparasi"] == "Studi Kalsel 2026"
    assert facts["Kecepatan dikunci"] == "Ya"
    assert facts["Riwayat kecepatan"].count("1 HK = 4 menit") == 2  # the start and resume
    assert facts["Jeda"] == "1 kali, 3 menit"
    assert facts["Versi aplikasi saat sesi dibuat"] == facts["Versi aplikasi saat diekspor"]
    assert facts["Versi aplikasi saat sesi dibuat"] == exercise.settings["app_version"] != ""



def test_a_session_records_how_its_reports_were_written(app, ratna):
    """A new session keeps the generator's version; one made before it was recorded reads
    as version 1, and the two are refused as not the same work."""
    from sandbox.domain.generator import GENERATOR_VERSION
    from sandbox.services.comparison import compare_exercises

    new = create_workshop(ratna, WorkshopForm("bimtek-dasar", "Baru", "", "", "", ""))
    old = create_workshop(ratna, WorkshopForm("bimtek-dasar", "Lama", "", "", "", ""))
    assert new.settings["generator_version"] == GENERATOR_VERSION >= 2
    old.settings = {k: v for k, v in old.settings.items() if k != "generator_version"}
    db.session.flush()
    verdict = compare_exercises([new, old]).compatibility
    assert verdict.refused
    assert any("Versi pembuat laporan" in reason and "«1»" in reason
               for reason in verdict.reasons)
