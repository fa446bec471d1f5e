"""Mode tim: teams, their seats, and who sits where.

A team is a `Participant` row with seat "tim" that owns the team's shared reports (the
same schedule as every other team of the session) and is scored like one trainee: its
card is the team's. Each person of the team has `team_id` and a seat (domain.team). A
seat nobody sits in is played by a simulated teammate (domain.teammate.next_teammate),
built here for each report as a `Crew`.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from sqlalchemy import or_, select, update

from sandbox.domain.errors import CatalogueError
from sandbox.domain.scenario import TEAM_MODE
from sandbox.domain.team import (
    TEAM_SEAT,
    Seat,
    find_seat,
    seats_of,
)
from sandbox.domain.teammate import Crew
from sandbox.domain.workflow import State
from sandbox.extensions import db
from sandbox.models import Complaint, Exercise, Participant
from sandbox.services.catalogue import get_catalogue
from sandbox.services.timekeeping import sim_clock, wall_now

CLOSED = [state.value for state in State if state.is_closed]

NEW_TEAM = "baru"
TEAM_NAME = "Tim {number}"


def is_team_mode(exercise: Exercise) -> bool:
    """Whether the session runs in mode tim (its scenario's mode, kept in its settings)."""
    return (exercise.settings or {}).get("mode") == TEAM_MODE


def team_settings(exercise: Exercise) -> Mapping[str, Any]:
    """The session's [tim] settings: seats (`kursi`), teammates' `skill` and `delay`."""
    return (exercise.settings or {}).get("tim") or {}


def team_seats(exercise: Exercise) -> tuple[Seat, ...]:
    """Every team's seats in this session (none outside mode tim)."""
    if not is_team_mode(exercise):
        return ()
    groups = team_settings(exercise).get("kursi") or []
    return seats_of([tuple(g) for g in groups])


def seat_of(participant: Participant) -> Seat | None:
    """The seat a person of a team sits in; None outside mode tim (and for a team row)."""
    if participant.team_id is None:
        return None
    return find_seat(team_seats(participant.exercise), participant.seat)


def unit_names(exercise: Exercise) -> dict[str, str]:
    """Short names of the region's units, for seats and hand-offs."""
    try:
        catalogue = get_catalogue(exercise.region_file)
    except CatalogueError:
        return {}
    return {code: unit.short or unit.name for code, unit in catalogue.units.items()}


def seat_label(exercise: Exercise, seat: Seat) -> str:
    return seat.label(unit_names(exercise))


def members(team: Participant) -> list[Participant]:
    """The people sitting in a team (removed ones left out), by seat."""
    people = db.session.scalars(select(Participant).where(
        Participant.team_id == team.id, Participant.removed_at.is_(None),
        Participant.merged_into_id.is_(None))).all()
    order = {seat.code: n for n, seat in enumerate(team_seats(team.exercise))}
    return sorted(people, key=lambda p: (order.get(p.seat or "", 99), p.id))


def free_seats(team: Participant) -> list[Seat]:
    taken = {p.seat for p in members(team)}
    return [seat for seat in team_seats(team.exercise) if seat.code not in taken]


@dataclass(frozen=True)
class SeatChoice:
    """One option of the join form: a free seat of a team, or of a new team."""

    value: str  # "<team id>:<seat>" or "baru:<seat>"
    seat: str


@dataclass(frozen=True)
class SeatGroup:
    team: str
    choices: list[SeatChoice]


def seat_choices(exercise: Exercise) -> list[SeatGroup]:
    """The seats a person joining may take: the free ones of each team, then every seat
    of a new team."""
    if not is_team_mode(exercise):
        return []
    names = unit_names(exercise)
    groups = [SeatGroup(team.name, [SeatChoice(f"{team.id}:{seat.code}", seat.label(names))
                                    for seat in free_seats(team)]) for team in exercise.teams]
    new_name = next_team_name(exercise)
    return [g for g in groups if g.choices] + [SeatGroup(f"{new_name} (tim baru)", [
        SeatChoice(f"{NEW_TEAM}:{seat.code}", seat.label(names))
        for seat in team_seats(exercise)])]


def take_seat(exercise: Exercise, choice: str, errors: dict[str, str]
              ) -> tuple[Participant | None, str]:
    """The team and seat a join form's `kursi` names, checked (the team is created for
    «tim baru»). A taken or unknown seat is an error in `errors`."""
    team_part, _, seat_code = (choice or "").partition(":")
    seat = find_seat(team_seats(exercise), seat_code)
    if seat is None:
        errors["kursi"] = "Pilih tim dan kursi Anda dari daftar."
        return None, ""
    if team_part == NEW_TEAM:
        return None, seat.code
    team = next((t for t in exercise.teams if str(t.id) == team_part), None)
    if team is None:
        errors["kursi"] = "Tim itu tidak ada di sesi ini: pilih dari daftar."
    elif seat.code not in {s.code for s in free_seats(team)}:
        errors["kursi"] = (f"Kursi {seat_label(exercise, seat)} di {team.name} sudah terisi. "
                           "Pilih kursi lain, atau tanyakan kepada fasilitator.")
    return team, seat.code


def next_team_name(exercise: Exercise) -> str:
    """The name a new team gets: the first «Tim N» no team of the session has (a roster
    may have named teams itself)."""
    taken = {team.name.casefold() for team in exercise.teams}
    number = 1
    while TEAM_NAME.format(number=number).casefold() in taken:
        number += 1
    return TEAM_NAME.format(number=number)


def new_team(exercise: Exercise, name: str | None = None) -> Participant:
    """A team row; services.practice gives it its copy of the session's reports."""
    team = Participant(exercise_id=exercise.id, seat=TEAM_SEAT,
                       name=name or next_team_name(exercise),
                       unit_name="Tim", token=secrets.token_urlsafe(16),
                       created_at=wall_now(), first_seen_at=wall_now())
    db.session.add(team)
    db.session.flush()
    db.session.expire(exercise, ["teams"])
    return team


def crew_of(complaint: Complaint, title: str) -> Crew | None:
    """The simulated teammates of a team's report: the seats nobody sits in (and any OPD
    outside the team's seats); None when the report is not a team's."""
    team = complaint.participant
    if not team.is_team:
        return None
    exercise = team.exercise
    settings = team_settings(exercise)
    staffed = frozenset(p.seat for p in members(team) if p.seat)
    clock = sim_clock(exercise)
    vacated = {p.seat: clock.at(p.removed_at.replace(tzinfo=UTC)) for p in db.session.scalars(
        select(Participant).where(Participant.team_id == team.id,
                                  Participant.removed_at.is_not(None))
        .order_by(Participant.removed_at)) if p.seat and p.seat not in staffed
        and p.removed_at is not None}
    return Crew(seats=team_seats(exercise), staffed=staffed,
                skill=float(settings.get("skill", 0.7)),
                delay=float(settings.get("delay", 0.25)),
                seed=f"{exercise.seed}:{complaint.tracking_no}", title=title,
                arrived_at=complaint.arrived_at, unit_names=unit_names(exercise),
                vacated=vacated)


def wake_team(team: Participant) -> None:
    """A seat changed hands (a person left): the ticker looks at the team's open reports
    now, so a simulated teammate takes over what waits in that seat."""
    now = sim_clock(team.exercise).now()
    db.session.execute(update(Complaint).where(
        Complaint.participant_id == team.id, Complaint.state.not_in(CLOSED),
        or_(Complaint.due_at.is_(None), Complaint.due_at > now)).values(due_at=now))
