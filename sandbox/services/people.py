"""People over time: a session's counted people as domain.people matches them, and the
studi workbook's sheets of the people followed.

Nothing here decides who is the same person (domain.people.follow_people does); this
module reads who was in a session, with their NIP, their OPD as the catalogue knows it
and their own card, and writes what the domain found.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sandbox.domain.catalogue import match_unit
from sandbox.domain.comparison import FIGURES, Comparison, Member
from sandbox.domain.errors import CatalogueError
from sandbox.domain.people import Attendee, PeopleOverTime, follow_people
from sandbox.models import Exercise, Participant
from sandbox.services.attendance import counted
from sandbox.services.catalogue import get_catalogue
from sandbox.services.exports import COUNT, HK, PCT, _write_sheet
from sandbox.services.teams import is_team_mode

UNIT_FORMATS = {"%": PCT, "HK": HK, "": COUNT}


def _unit_keys(exercise: Exercise, people: Sequence[Participant]) -> dict[int, str]:
    """How each person's OPD is compared: the catalogue unit it names (its code, so
    «Dinkes» and «Dinas Kesehatan» are one OPD), else its text (domain.people)."""
    try:
        units = list(get_catalogue(exercise.region_file).units.values())
    except CatalogueError:
        units = []
    found: dict[int, str] = {}
    for person in people:
        code = person.unit_code
        if code is None:
            unit = match_unit(units, person.unit_name)
            code = unit.code if unit is not None else None
        found[person.id] = f"unit:{code}" if code else ""
    return found


def session_people(exercise: Exercise, name: str, subjects: Sequence[Participant],
                   members: Sequence[Member], as_of: datetime | None = None
                   ) -> tuple[Attendee, ...]:
    """The session's counted people for people over time: each with their own card, or
    in mode tim (whose cards are the teams') with their team and no card."""
    if is_team_mode(exercise):
        people = sorted((p for p in counted(exercise, as_of=as_of) if p.team_id is not None),
                        key=lambda p: (p.name.casefold(), p.id))
        cards: dict[int, Member | None] = {p.id: None for p in people}
    else:
        people = list(subjects)
        cards = {p.id: m for p, m in zip(subjects, members, strict=True)}
    keys = _unit_keys(exercise, people)
    return tuple(Attendee(
        session=name, key=str(p.id), name=p.name, unit=p.unit_name, cohort=p.cohort or "",
        nip=p.nip, unit_key=keys[p.id], member=cards[p.id],
        team=p.team.name if p.team is not None else "") for p in people)


def people_over_time(comparison: Comparison, confirmed: frozenset[str] = frozenset(),
                     ignored: int = 0, confirm_all: bool = False) -> PeopleOverTime:
    """The people of a comparison's sessions (domain.people.follow_people)."""
    return follow_people([s.name for s in comparison.sessions],
                         [a for s in comparison.sessions for a in s.people],
                         confirmed, confirm_all, ignored)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def write_people_sheets(book: Any, people: PeopleOverTime) -> None:
    """«Peserta lintas sesi» (a row per person per session, how they were matched, their
    figures) and «Perubahan peserta» (a row per person: each figure's change); nothing
    when nobody was followed."""
    if not people.people:
        return
    figures = [f.label + (f" ({f.unit})" if f.unit else "") for f in FIGURES]
    rows = []
    for number, person in enumerate(people.people, start=1):
        for attendee in person.present:
            member = attendee.member
            rows.append([attendee.session, number, person.how.value, attendee.nip or "",
                         attendee.name, attendee.unit, attendee.cohort, attendee.team,
                         *[_round(f.value(member)) if member else None for f in FIGURES]])
    _write_sheet(book.create_sheet("Peserta lintas sesi"), [
        "Sesi", "Orang", "Dicocokkan lewat", "NIP", "Nama", "OPD", "Kohort",
        "Tim (mode tim: angka tim, bukan pribadi)", *figures], rows,
        [None, COUNT, None, None, None, None, None, None,
         *[UNIT_FORMATS[f.unit] for f in FIGURES]], freeze="F2")

    changes = []
    for number, person in enumerate(people.people, start=1):
        moves: list[Any] = []
        for figure in FIGURES:
            found = person.change(figure.key)
            moves += [found.delta if found else None, found.text if found else
                      "tidak ada kartu pribadi di dua sesi"]
        changes.append([f"{person.first} → {person.last}" if person.changes else
                        " · ".join(a.session for a in person.present),
                        number, person.how.value, person.nip, person.name, person.unit,
                        *moves])
    _write_sheet(book.create_sheet("Perubahan peserta"), [
        "Sesi", "Orang", "Dicocokkan lewat", "NIP", "Nama", "OPD",
        *[part for label in figures for part in (f"{label}: perubahan", f"{label}: arti")]],
        changes, [None, COUNT, None, None, None, None,
                  *[fmt for f in FIGURES for fmt in (UNIT_FORMATS[f.unit], None)]],
        freeze="F2")
