"""Which role a trainee plays in their session: every admin role (individual mode), or the
admin penghubung of one OPD (mode OPD, where a simulated Admin Instansi disposes to them)."""

from __future__ import annotations

from sandbox.domain.catalogue import Unit, match_unit
from sandbox.domain.scenario import OPD_MODE, opd_units
from sandbox.models import Exercise, Participant
from sandbox.services.catalogue import get_catalogue


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


def role_label(participant: Participant) -> str:
    """The role the trainee played, as the exports name it."""
    if own_unit(participant) is not None:
        return "Admin Penghubung (mode OPD)"
    return "Admin Instansi dan Admin Penghubung"
