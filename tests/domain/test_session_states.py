"""A session's lifecycle: every clock command in every state, and the state derived from
the stored clock changes."""

from __future__ import annotations

import pytest

from sandbox.domain.session import (
    CLOCK_TABLE,
    SOLO_COMMANDS,
    ClockCommand,
    ClockKind,
    ClockStep,
    SessionError,
    SessionState,
    decide,
    parse_command,
    session_state,
)

L, R, P, E = (SessionState.LOBI, SessionState.BERJALAN, SessionState.DIJEDA,
              SessionState.BERAKHIR)
GO, SAME = "go", "same"

# (state, command) -> ("go", target, stored change) | ("same",) | the refusal.
EXPECTED: dict[tuple[SessionState, ClockCommand], tuple[object, ...] | str] = {
    (L, ClockCommand.MULAI): (GO, R, ClockKind.MULAI),
    (L, ClockCommand.JEDA): "Sesi belum dimulai: tidak ada yang dijeda.",
    (L, ClockCommand.LANJUT): "Sesi belum dimulai: mulai sesi lebih dulu.",
    (L, ClockCommand.KECEPATAN): (GO, L, None),
    (L, ClockCommand.AKHIRI): (GO, E, ClockKind.SELESAI),
    (R, ClockCommand.MULAI): (SAME,),
    (R, ClockCommand.JEDA): (GO, P, ClockKind.JEDA),
    (R, ClockCommand.LANJUT): (SAME,),
    (R, ClockCommand.KECEPATAN): (GO, R, ClockKind.KECEPATAN),
    (R, ClockCommand.AKHIRI): (GO, E, ClockKind.SELESAI),
    (P, ClockCommand.MULAI): "Sesi sudah dimulai dan sedang dijeda: gunakan Lanjutkan.",
    (P, ClockCommand.JEDA): (SAME,),
    (P, ClockCommand.LANJUT): (GO, R, ClockKind.LANJUT),
    (P, ClockCommand.KECEPATAN): (GO, P, None),
    (P, ClockCommand.AKHIRI): (GO, E, ClockKind.SELESAI),
    **{(E, command): "Sesi sudah berakhir." for command in ClockCommand},
}
CELLS = sorted(EXPECTED, key=lambda cell: (list(SessionState).index(cell[0]),
                                           list(ClockCommand).index(cell[1])))


def test_the_table_has_every_command_in_every_state():
    assert set(CLOCK_TABLE) == set(EXPECTED) == {(s, c) for s in SessionState
                                                 for c in ClockCommand}


@pytest.mark.parametrize(("state", "command"), CELLS,
                         ids=[f"{s.value}-{c.value}" for s, c in CELLS])
def test_each_command_in_each_state(state, command):
    expected = EXPECTED[state, command]
    if isinstance(expected, str):
        with pytest.raises(SessionError) as refused:
            decide(state, command)
        assert refused.value.message == expected
        return
    step = decide(state, command)
    if expected[0] == SAME:
        assert step == ClockStep(state, None, effective=False)
    else:
        assert step == ClockStep(expected[1], expected[2])


@pytest.mark.parametrize(("state", "command"), CELLS,
                         ids=[f"{s.value}-{c.value}" for s, c in CELLS])
def test_recording_a_steps_change_leads_to_its_target(state, command):
    """The state derived from the stored changes agrees with the table's target."""
    history = {L: [], R: [ClockKind.MULAI], P: [ClockKind.MULAI, ClockKind.JEDA],
               E: [ClockKind.MULAI, ClockKind.SELESAI]}[state]
    assert session_state(history) == state
    try:
        step = decide(state, command)
    except SessionError:
        return
    after = [*history, step.change] if step.change is not None else history
    assert session_state(after) == step.target


@pytest.mark.parametrize(("kinds", "state"), [
    ([], L),
    (["mulai"], R),
    (["mulai", "kecepatan"], R),
    (["mulai", "jeda"], P),
    (["mulai", "jeda", "lanjut"], R),
    (["mulai", "jeda", "lanjut", "jeda"], P),
    (["mulai", "selesai"], E),
    (["selesai"], E),
    (["mulai", "jeda", "selesai"], E),
])
def test_the_state_is_derived_from_the_stored_kinds(kinds, state):
    assert session_state(kinds) == state


def test_stored_values_and_urls_are_unchanged():
    assert [s.value for s in SessionState] == ["lobi", "berjalan", "dijeda", "berakhir"]
    assert [c.value for c in ClockCommand] == ["mulai", "jeda", "lanjut", "kecepatan",
                                              "akhiri"]
    assert [k.value for k in ClockKind] == ["mulai", "jeda", "lanjut", "kecepatan",
                                           "selesai"]
    assert {k for k in ClockKind if k.stops} == {ClockKind.JEDA, ClockKind.SELESAI}


def test_labels_and_badges():
    assert [s.label for s in SessionState] == ["Lobi: menunggu dimulai", "Berjalan",
                                              "Dijeda", "Berakhir"]
    assert [s.badge for s in SessionState] == ["baru", "diproses", "tunda", "selesai"]
    assert all(c.label for c in ClockCommand)


def test_parse_command():
    assert parse_command("jeda") is ClockCommand.JEDA
    with pytest.raises(SessionError) as unknown:
        parse_command("mundur" * 10)
    assert unknown.value.message == f"Perintah jam tidak dikenal: «{('mundur' * 10)[:20]}»."


def test_a_solo_trainee_pauses_resumes_and_re_speeds_only():
    assert {ClockCommand.JEDA, ClockCommand.LANJUT, ClockCommand.KECEPATAN} == SOLO_COMMANDS
