"""The disclosure rule: when a trainee may see a report's answer, and which notes they read."""

from __future__ import annotations

import re

import pytest

from sandbox.domain.disclosure import (
    UNDECIDED_STATES,
    WITHHELD_UNDECIDED,
    WITHHELD_UNTIL_END,
    NoteAudience,
    answer_withheld,
    feedback_open,
    finally_decided,
    trainee_notes,
)
from sandbox.domain.scenario import load_scenario, parse_scenario
from sandbox.domain.workflow import State
from tests.domain.test_scenario import SHIPPED, expanded, holidays, load_region

DECIDED = [s for s in State if s not in (State.BARU, State.TUNDA)]


@pytest.mark.parametrize("state", list(State))
def test_only_new_and_tunda_reports_are_undecided(state):
    assert finally_decided(state) == (state not in (State.BARU, State.TUNDA))
    assert (state in UNDECIDED_STATES) != finally_decided(state)


@pytest.mark.parametrize("state", DECIDED)
def test_a_decided_report_shows_its_answer_with_langsung_feedback(state):
    assert answer_withheld(state, "langsung", ended=False) is None
    assert answer_withheld(state, None, ended=False) is None  # free practice: langsung
    assert answer_withheld(state, "langsung", ended=True) is None


@pytest.mark.parametrize("state", DECIDED)
def test_with_akhir_feedback_a_decided_answer_waits_for_the_end(state):
    assert answer_withheld(state, "akhir", ended=False) == WITHHELD_UNTIL_END
    assert answer_withheld(state, "akhir", ended=True) is None


@pytest.mark.parametrize("state", [State.BARU, State.TUNDA])
@pytest.mark.parametrize("feedback", ["langsung", "akhir"])
def test_an_undecided_report_shows_its_answer_only_after_the_end(state, feedback):
    before = answer_withheld(state, feedback, ended=False)
    assert before == (WITHHELD_UNDECIDED if feedback == "langsung" else WITHHELD_UNTIL_END)
    assert answer_withheld(state, feedback, ended=True) is None  # nothing left to act on


def test_feedback_opens_at_once_or_at_the_end():
    assert feedback_open("langsung", ended=False)
    assert not feedback_open("akhir", ended=False)
    assert feedback_open("akhir", ended=True)


def test_trainees_read_only_notes_marked_for_them():
    notes = [{"at": "x", "text": "a", "audience": "peserta"},
             {"at": "x", "text": "b", "audience": "fasilitator"},
             {"at": "x", "text": "c"},  # stored before notes had an audience
             {"at": "x", "text": "d", "audience": "siapa saja"}]
    assert [n["text"] for n in trainee_notes(notes)] == ["a"]


NOTE_SCENARIO = """\
format = 1

[scenario]
id = "catatan"
title = "Catatan untuk dua pembaca"
description = "Untuk pengujian."
goals = ["Menguji catatan"]
duration_minutes = 30
minutes_per_hk = 4
region = "kabupaten-sukamaju.toml"
seed = 3
start = 2026-03-02T08:00:00

[[timeline]]
at = "+0 menit"
note = "Untuk peserta."
note_for = "peserta"

[[timeline]]
at = "+1 menit"
note = "Tanpa tanda."

[[timeline]]
at = "+2 menit"
note = "Untuk fasilitator."
note_for = "fasilitator"
"""


def test_a_note_carries_its_audience_facilitator_by_default():
    scenario = parse_scenario(NOTE_SCENARIO, "catatan.toml", load_region, holidays())
    _, notes, _ = expanded(scenario)
    assert [(n.text, n.audience) for n in notes] == [
        ("Untuk peserta.", NoteAudience.PESERTA),
        ("Tanpa tanda.", NoteAudience.FASILITATOR),
        ("Untuk fasilitator.", NoteAudience.FASILITATOR)]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_trainee_notes_name_no_unit(path):
    """A note marked for trainees names no unit or agency a report could go to."""
    scenario = load_scenario(path, load_region, holidays())
    catalogue = load_region(scenario.region)
    _, notes, _ = expanded(scenario)
    names = {n for unit in catalogue.units.values() for n in (unit.name, unit.short) if n}
    for note in notes:
        if note.audience == NoteAudience.PESERTA:
            text = " ".join(note.text.split())
            named = [n for n in names if re.search(rf"\b{re.escape(n)}\b", text)]
            assert not named, f"{path.stem}: «{text[:60]}» names {named}"
