"""Which role a trainee plays in their session: every admin role (individual mode), the
admin penghubung of one OPD (mode OPD, where a simulated Admin Instansi disposes to them),
or one seat of a team (mode tim: services.teams)."""

from __future__ import annotations

from collections.abc import Sequence

from sandbox.domain.catalogue import Unit, match_unit
from sandbox.domain.scenario import OPD_MODE, opd_units
from sandbox.domain.team import answered_unit
from sandbox.domain.workflow import EventRecord
from sandbox.models import Exercise, Participant
from sandbox.services.catalogue import get_catalogue
from sandbox.services.teams import seat_label, seat_of


def is_opd(exercise: Exercise) -> bool:
    """Whether the session runs in mode OPD (its scenario's mode, kept in its settings)."""
    return (exercise.settings or {}).get("mode") == OPD_MODE


def own_unit(participant: Participant) -> str | None:
    """The OPD (catalogue code) whose admin penghubung the trainee is, in mode OPD; None
    when they play every admin role."""
    return participant.unit_code if is_opd(participant.exercise) else None


def opd_choices(exercise: Exercise) -> list[Unit]:
    """Mode OPD: the OPDs a trainee may be the admin penghubung of (none otherwise)."""
    return opd_units(get_catalogue(exercise.region_file)) if is_opd(exercise) else []


def find_opd(exercise: Exercise, typed: str) -> Unit | None:
    """The session's OPD a trainee (or a roster row) names (domain.catalogue.match_unit);
    None if it is not one of `opd_choices`."""
    return match_unit(opd_choices(exercise), typed)


UNKNOWN_OPD = ("Sesi ini berlatih sebagai admin penghubung OPD: pilih OPD dari daftar "
               "(«{typed}» tidak ada di daftar OPD sesi ini).")


def own_units(participant: Participant) -> tuple[str, ...] | None:
    """The OPDs whose admin penghubung the trainee is (mode OPD, or a team's penghubung
    seat); None when they verify reports (individual mode, a team's Admin Instansi)."""
    seat = seat_of(participant)
    if seat is not None:
        return None if seat.is_instansi else seat.units
    unit = own_unit(participant)
    return (unit,) if unit is not None else None


def role_label(participant: Participant) -> str:
    """The role the trainee played, as the exports and pages name it."""
    if participant.is_team:
        return "Tim (hasil bersama)"
    seat = seat_of(participant)
    if seat is not None:
        return seat_label(participant.exercise, seat)
    if own_unit(participant) is not None:
        return "Admin Penghubung (mode OPD)"
    return "Admin Instansi dan Admin Penghubung"


def answering_unit(viewer: Participant, records: Sequence[EventRecord]) -> str | None:
    """The OPD `viewer` answers a report for as its admin penghubung: their own in mode
    OPD, their seat's OPD it was disposed to in mode tim; None for whoever verifies it."""
    seat = seat_of(viewer)
    if seat is not None:
        return answered_unit(seat, records)
    return own_unit(viewer)
