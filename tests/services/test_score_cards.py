"""Report cards computed once per change (issue 12, part 4).

A trainee's card is kept in the database with what it was computed from; the room's
boards read kept cards; a kept card is only used while it is exactly the card a fresh
computation would give, and recording an event changes the key of that one trainee.
"""

from __future__ import annotations

import json
import random

import pytest
from sqlalchemy import func, select

import sandbox.services.scoring as scoring
from sandbox.domain.cards import card_from_data, card_to_data, summary_from_data
from sandbox.domain.session import ClockCommand
from sandbox.extensions import db
from sandbox.models import Complaint, Event, ScoreCard
from sandbox.services.accounts import create_facilitator
from sandbox.services.complaints import record_action
from sandbox.services.leaderboard import board
from sandbox.services.scoring import (
    card_bases,
    compute_cards,
    override_quality,
    report_cards,
    report_summaries,
    scoring_moment,
)
from sandbox.services.simulated import SimulatedTrainee, stage_session
from sandbox.services.ticker import tick, tick_cards
from sandbox.services.timekeeping import command_clock
from sandbox.services.workshops import WorkshopForm, create_workshop
from sandbox.transactions import reading
from tests.web.kit import form_key

SKILLS = (0.1, 0.3, 0.5, 0.7, 0.9, 1.0)
QUESTION = "Mohon sebutkan lokasi persisnya, RT/RW dan kelurahan."


@pytest.fixture
def room(app, clock):
    """A workshop played for 6 minutes (1 HK = 1 minute) by six simulated trainees of
    mixed skill (the weakest leak reporters' names), paused at the real now."""
    with app.app_context():
        ratna = create_facilitator("ratna", "Bu Ratna", "rahasia-123")
        # Seed 45: two reporters who must be protected arrive in the first hour, so the
        # weakest trainee has someone to leak.
        exercise = create_workshop(ratna, WorkshopForm("bimtek-dasar", "Bimtek", "", "", "1",
                                                       "45"))
        cast = [SimulatedTrainee(f"Peserta {n}", "Dinas Kesehatan", "A", skill)
                for n, skill in enumerate(SKILLS)]
        people = stage_session(exercise, cast, 6, random.Random(3), "Bu Ratna")
        db.session.commit()
        yield exercise, people


@pytest.fixture
def computed(monkeypatch):
    """Records which trainees each computation scored (the kept cards are not scored)."""
    seen: list[list[int]] = []
    original = scoring.compute_cards

    def spy(exercise, participants, now, *args, **kwargs):
        seen.append([p.id for p in participants])
        return original(exercise, participants, now, *args, **kwargs)

    monkeypatch.setattr(scoring, "compute_cards", spy)
    return seen


def _waiting(exercise, participant):
    """The trainee's oldest report that has arrived and is still untouched."""
    found = db.session.scalars(select(Complaint).where(
        Complaint.participant_id == participant.id, Complaint.state == "BARU",
        Complaint.arrived_at <= scoring_moment(exercise))
        .order_by(Complaint.arrived_at, Complaint.id)).first()
    assert found is not None, "the staged room leaves an untouched report"
    return found


def _fresh(exercise, people):
    return compute_cards(exercise, people, scoring_moment(exercise))[0]


def test_a_card_kept_as_json_reads_back_line_for_line(room):
    exercise, people = room
    tl = db.session.scalars(select(Event).join(Complaint).where(
        Complaint.participant_id == people[3].id, Event.action == "tindak_lanjut")).first()
    override_quality(tl.complaint, tl.seq, 4, "Bu Ratna")
    cards = _fresh(exercise, people)
    assert any(r.exposures for card in cards.values() for r in card.reports), \
        "the weakest trainee leaked a reporter's identity: exposures are kept too"
    assert any(line.passed is not None for card in cards.values() for r in card.reports
               for line in r.lines), "checklist lines are kept too"
    for card in cards.values():
        data = json.loads(json.dumps(card_to_data(card)))
        assert card_from_data(data) == card
        assert summary_from_data(json.loads(json.dumps(
            scoring.summary_to_data(card.summary)))) == card.summary
    assert card_from_data({**card_to_data(cards[people[0].id]), "format": 0}) is None


def test_a_kept_card_is_always_the_card_a_fresh_computation_gives(room, clock, computed):
    """Over two simulated days of a running clock (limits running out, reporters
    answering, reports arriving), whatever the boards read equals a fresh card, and most
    reads use the kept card."""
    exercise, people = room
    command_clock(exercise, ClockCommand.LANJUT, "Bu Ratna")
    db.session.commit()
    tick_cards()
    kept_reads = recomputed = 0
    for _ in range(40):
        clock.advance(seconds=3)  # 0.05 HK
        tick()
        computed.clear()
        with reading():
            read = report_cards(exercise, people)
            db.session.commit()
        computed_now = sum(len(ids) for ids in computed)
        recomputed += computed_now
        kept_reads += len(people) - computed_now
        fresh = _fresh(exercise, people)
        assert read == fresh
        tick_cards()
    assert kept_reads > len(people) * 20, "most reads use kept cards"
    assert recomputed > 0, "time alone made some kept cards stale"


def test_recording_an_event_changes_only_that_trainees_key(room):
    exercise, people = room
    command_clock(exercise, ClockCommand.LANJUT, "Bu Ratna")
    before = card_bases(exercise, people)
    new = _waiting(exercise, people[2])
    assert new is not None
    record_action(people[2], new.tracking_no, "tunda", {"pertanyaan": QUESTION}, form_key())
    after = card_bases(exercise, people)
    assert [p.id for p in people if before[p.id] != after[p.id]] == [people[2].id]


def test_a_rubric_or_another_build_of_the_rules_makes_a_card_stale(room, monkeypatch):
    exercise, people = room
    before = card_bases(exercise, people)
    tl = db.session.scalars(select(Event).join(Complaint).where(
        Complaint.participant_id == people[4].id, Event.action == "tindak_lanjut")).first()
    override_quality(tl.complaint, tl.seq, 2, "Bu Ratna")
    assert [p.id for p in people if before[p.id] != card_bases(exercise, people)[p.id]] == \
        [people[4].id]
    monkeypatch.setattr(scoring, "RULES_FINGERPRINT", "another-build")
    assert all(before[p.id] != card_bases(exercise, people)[p.id] for p in people)


def test_a_page_view_reads_cards_but_never_keeps_them(room, computed):
    exercise, people = room
    with reading():
        standings = board(exercise)
        db.session.commit()
    shown = {standing.participant_id for _, standing in standings.rows}
    assert len(computed) == 1 and set(computed[0]) == shown and len(shown) >= 5
    assert db.session.scalar(select(func.count()).select_from(ScoreCard)) == 0

    assert tick_cards() == len(people)  # the ticker keeps them
    assert db.session.scalar(select(func.count()).select_from(ScoreCard)) == len(people)
    computed.clear()
    with reading():
        summaries = report_summaries(exercise, people)
        db.session.commit()
    fresh = _fresh(exercise, people)
    assert computed == [] and summaries == {pid: card.summary for pid, card in fresh.items()}


def test_an_action_rescores_one_trainee_not_the_room(room, computed):
    exercise, people = room
    command_clock(exercise, ClockCommand.LANJUT, "Bu Ratna")
    db.session.commit()
    tick_cards()
    new = _waiting(exercise, people[1])
    computed.clear()
    record_action(people[1], new.tracking_no, "tunda", {"pertanyaan": QUESTION}, form_key())
    report_cards(exercise, [people[1]])  # the action's feedback panel keeps the new card
    db.session.commit()
    assert computed == [[people[1].id]]
    computed.clear()
    with reading():
        board(exercise)
        db.session.commit()
    assert computed == [], "the board read every trainee's kept card"


def test_a_stale_card_rescores_only_the_reports_that_changed(room, clock, monkeypatch):
    """When a card is stale (a report arrived, an event was recorded), its reports whose
    inputs did not change keep their score; the card still equals a fresh computation."""
    import sandbox.domain.scoring as domain

    exercise, people = room
    command_clock(exercise, ClockCommand.LANJUT, "Bu Ratna")
    db.session.commit()
    tick_cards()
    scored: list[str] = []
    original = domain.score_report

    def spy(report, *args, **kwargs):
        scored.append(report.tracking_no)
        return original(report, *args, **kwargs)

    monkeypatch.setattr(domain, "score_report", spy)
    new = _waiting(exercise, people[5])
    record_action(people[5], new.tracking_no, "tunda", {"pertanyaan": QUESTION}, form_key())
    card = report_cards(exercise, [people[5]])[people[5].id]
    db.session.commit()
    assert scored == [new.tracking_no], "only the report acted on was scored again"
    monkeypatch.setattr(domain, "score_report", original)
    assert card == _fresh(exercise, [people[5]])[people[5].id]
