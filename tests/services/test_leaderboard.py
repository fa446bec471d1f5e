"""The leaderboard: a frozen board ignores what is recorded after the freeze, and the live
board's memo is recomputed as soon as an event is added, within the same 10-second tick."""

from __future__ import annotations

import pytest
from flask import current_app

from sandbox.extensions import db
from sandbox.models import Complaint, Participant
from sandbox.services.accounts import create_facilitator
from sandbox.services.complaints import record_action
from sandbox.services.leaderboard import board, standings
from sandbox.services.scoring import report_card
from sandbox.services.session_log import freeze_board, frozen_since, reveal_board
from sandbox.services.timekeeping import command_clock, sim_clock
from sandbox.services.workshops import WorkshopForm, create_workshop, join_workshop


def _report(participant: Participant, position: int) -> Complaint:
    return db.session.scalar(db.select(Complaint).where(
        Complaint.participant_id == participant.id, Complaint.position == position))


def _dispose(participant: Participant, idem: str, position: int = 1,
             unit: str | None = None) -> None:
    """A report verified and sent where its key says (or to `unit`)."""
    complaint = _report(participant, position)
    key = complaint.answer_key
    record_action(participant, complaint.tracking_no, "verifikasi", {
        "judul": "Laporan warga untuk ditindaklanjuti", "klasifikasi": key["klasifikasi"],
        "kategori": key["kategori"], "unit": unit or key["expected_target"]},
        idem.ljust(20, "k"))


def _card_line(participant: Participant, position: int, **as_of):
    number = _report(participant, position).tracking_no
    return next(r for r in report_card(participant, **as_of).reports
                if r.tracking_no == number)


def _totals(rows):
    return {s.name: s.total for s in rows}


def _forget_memo():
    """A second worker: it has no memo and computes the board from the database."""
    current_app.extensions["lapor.standings"].clear()


@pytest.fixture
def room(app, clock):
    with app.app_context():
        facilitator = create_facilitator("ratna", "Bu Ratna", "rahasia-123")
        exercise = create_workshop(facilitator, WorkshopForm("bimtek-dasar", "Bimtek", "", "",
                                                             "", ""))
        siti = join_workshop(exercise.code, "Siti", "Dinas Kesehatan")
        andi = join_workshop(exercise.code, "Andi", "Dinas PUPR")
        command_clock(exercise, "mulai", "Bu Ratna")
        clock.advance(minutes=2)
        _dispose(siti, "siti")
        _dispose(andi, "andi-first", position=2, unit="dlh")  # wrong, but Andi has acted
        db.session.commit()
        yield exercise, siti, andi


def test_a_frozen_board_ignores_events_recorded_after_the_freeze(app, clock, room):
    exercise, siti, andi = room
    clock.advance(minutes=1)
    # The clock keeps running under a frozen board (a paused clock takes no actions).
    freeze_board(exercise, "Bu Ratna")
    db.session.commit()
    frozen_at = frozen_since(exercise)
    sim_at_freeze = sim_clock(exercise).now()
    before = _totals(row for _, row in board(exercise).rows)
    assert before["Siti"] > before["Andi"]

    clock.advance(minutes=1)
    _dispose(andi, "andi")
    db.session.commit()
    late = _report(andi, 1).events[-1]
    assert late.sim_at > sim_at_freeze and late.wall_at > frozen_at

    # services.scoring: the card as it stood at the freeze leaves the late event out.
    assert _card_line(andi, 1).did != "belum ditangani"
    assert _card_line(andi, 1, as_of=frozen_at).did == "belum ditangani"
    # services.leaderboard: the frozen board, here and in a worker without the memo.
    assert _totals(row for _, row in board(exercise).rows) == before
    _forget_memo()
    shown = board(exercise)
    assert shown.frozen_at == frozen_at
    assert _totals(row for _, row in shown.rows) == before

    reveal_board(exercise, "Bu Ratna")
    db.session.commit()
    revealed = _totals(row for _, row in board(exercise).rows)
    assert revealed["Andi"] > before["Andi"]


def test_the_live_memo_is_recomputed_when_an_event_is_added_in_the_same_tick(app, room):
    exercise, siti, andi = room
    first = _totals(standings(exercise))
    assert _totals(standings(exercise)) == first  # the memo answers a repeat
    _dispose(andi, "andi")  # the wall clock has not moved: the same 10-second tick
    db.session.commit()
    after = _totals(standings(exercise))
    assert after["Andi"] > first["Andi"]
    assert after["Siti"] == first["Siti"]
