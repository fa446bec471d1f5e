"""Who may act: apply() takes the actor, and an action of a role the actor does not play is
refused with a RoleError before its state or fields are looked at."""

from __future__ import annotations

import pytest

from sandbox.domain.errors import RoleError, TransitionError
from sandbox.domain.workflow import (
    ACTOR_ROLES,
    TRAINEE_ROLES,
    TRANSITIONS,
    Action,
    Actor,
    Role,
    State,
    actions_for,
    allowed_actions,
    apply,
    check_actor,
    may_act,
    trainee_actor,
)
from tests.domain.test_workflow import DIRECTORY, VALID

CELLS = [(row, actor) for row in TRANSITIONS.values() for actor in Actor]
NOT_THE_TRAINEES = [action for action in Action if action.role not in TRAINEE_ROLES]


def test_a_trainee_plays_both_admin_roles_and_never_the_reporter_or_the_system():
    assert {Role.ADMIN_INSTANSI, Role.ADMIN_PENGHUBUNG} == TRAINEE_ROLES
    assert Actor.PESERTA.roles == TRAINEE_ROLES
    assert Role.SISTEM not in Actor.PESERTA_LATIHAN_BEBAS.roles
    assert Actor.NASKAH.roles == {Role.PELAPOR, Role.SISTEM}
    assert set(ACTOR_ROLES) == set(Actor)  # every actor's roles are data
    # The scripted reporter's and the system's actions exist, and are not the trainee's.
    assert {a.role for a in NOT_THE_TRAINEES} == {Role.PELAPOR, Role.SISTEM}


def test_a_trainee_is_the_reporter_only_where_no_script_plays_it():
    assert trainee_actor(scripted=True) == Actor.PESERTA
    assert trainee_actor(scripted=False) == Actor.PESERTA_LATIHAN_BEBAS
    assert Actor.PESERTA_LATIHAN_BEBAS.roles == TRAINEE_ROLES | {Role.PELAPOR}


@pytest.mark.parametrize(("row", "actor"), CELLS,
                         ids=[f"{r.source.value}-{r.action.value}-{a.value}" for r, a in CELLS])
def test_apply_performs_a_row_exactly_for_the_actors_who_play_its_role(row, actor):
    raw = VALID[row.action]
    if row.action.role in actor.roles:
        assert may_act(actor, row.action)
        assert apply(row.source, row.action, raw, DIRECTORY, actor=actor).state == row.target
        return
    assert not may_act(actor, row.action)
    with pytest.raises(RoleError) as refused:
        apply(row.source, row.action, raw, DIRECTORY, actor=actor)
    assert refused.value.message == (
        f"Aksi «{row.action.label}» adalah aksi {row.action.role.label} dan tidak dapat "
        f"dilakukan oleh {actor.label}.")


@pytest.mark.parametrize("action", NOT_THE_TRAINEES, ids=lambda a: a.value)
@pytest.mark.parametrize("state", list(State), ids=lambda s: s.value)
def test_a_trainee_is_refused_the_reporters_and_systems_actions_in_every_state(state, action):
    """The role is checked first: in a state where the action is not allowed, or with an
    empty form, the answer is still that the trainee may not act for someone else."""
    for raw in (VALID[action], {}):
        with pytest.raises(RoleError):
            apply(state, action, raw, DIRECTORY, actor=Actor.PESERTA)
    with pytest.raises(RoleError):
        check_actor(Actor.PESERTA, action)
    assert action not in actions_for(state, Actor.PESERTA)


def test_the_system_action_is_nobody_elses_even_in_free_practice():
    with pytest.raises(RoleError) as refused:
        apply(State.MENUNGGU_PELAPOR, Action.SELESAI_OTOMATIS, VALID[Action.SELESAI_OTOMATIS],
              DIRECTORY, actor=Actor.PESERTA_LATIHAN_BEBAS)
    assert "aksi Sistem" in refused.value.message
    assert "peserta latihan bebas" in refused.value.message


def test_the_script_may_not_take_a_trainees_decision():
    with pytest.raises(RoleError):
        apply(State.BARU, Action.VERIFIKASI, VALID[Action.VERIFIKASI], DIRECTORY,
              actor=Actor.NASKAH)


def test_a_wrong_state_for_ones_own_action_is_still_a_transition_error():
    with pytest.raises(TransitionError):
        apply(State.BARU, Action.TINDAK_LANJUT, VALID[Action.TINDAK_LANJUT], DIRECTORY,
              actor=Actor.PESERTA)


@pytest.mark.parametrize("state", list(State), ids=lambda s: s.value)
def test_actions_for_partitions_the_allowed_actions_by_actor(state):
    everyone = allowed_actions(state)
    assert actions_for(state, Actor.PESERTA) == [a for a in everyone
                                                 if a.role in TRAINEE_ROLES]
    assert actions_for(state, Actor.NASKAH) == [a for a in everyone
                                                if a.role in (Role.PELAPOR, Role.SISTEM)]
