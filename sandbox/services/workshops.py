"""Workshop sessions: a facilitator creates one from a scenario, trainees join by code.

A workshop is one exercise with one shared clock and many participants, each with
their own copy of the scenario's reports. Its status (domain.session.SessionState: lobby,
running, paused, ended) is derived from its clock changes (timekeeping.clock_state).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from sandbox.domain.catalogue import Unit
from sandbox.domain.errors import DomainError, ValidationError
from sandbox.domain.fields import check_workshop_text
from sandbox.domain.numbers import SEED_MAX, parse_decimal, parse_optional_int
from sandbox.domain.session import SessionState
from sandbox.extensions import db
from sandbox.models import Exercise, Facilitator, Participant
from sandbox.services.attendance import mark_seen, registered_as, signed_in_as
from sandbox.services.practice import (
    add_participant,
    check_trainee,
    new_exercise,
    personal_code,
    scenario_plan,
    session_plan,
)
from sandbox.services.roles import UNKNOWN_OPD, find_opd, is_opd, opd_choices
from sandbox.services.timekeeping import SOLO_SPEEDS, clock_state


class NoSuchWorkshop(DomainError):
    """No workshop with that code for this facilitator (or at all)."""


class AlreadyRegistered(ValidationError):
    """Someone with this name and OPD is already in the session: ask before adding another."""

    def __init__(self, participant: Participant) -> None:
        self.participant = participant
        super().__init__({"name": "Anda sudah terdaftar — masuk lagi? Gunakan kode pribadi "
                                  "Anda di bawah."})


@dataclass(frozen=True)
class WorkshopForm:
    scenario: str
    title: str
    held_on: str
    location: str
    minutes_per_hk: str
    seed: str


def create_workshop(facilitator: Facilitator, form: WorkshopForm) -> Exercise:
    """A workshop in the lobby; trainees can join until it ends."""
    title = form.title.strip()
    # The columns' lengths, checked by the same rule an archive import applies.
    errors = check_workshop_text(title, form.held_on.strip(), form.location.strip())
    minutes = None
    if form.minutes_per_hk.strip():
        try:
            minutes = parse_decimal(form.minutes_per_hk, "minutes_per_hk", "Kecepatan",
                                    min(SOLO_SPEEDS), max(SOLO_SPEEDS))
        except ValidationError:
            minutes = None
        if minutes not in SOLO_SPEEDS:
            errors["minutes_per_hk"] = "Kecepatan harus salah satu pilihan yang tersedia."
    seed = None
    try:
        seed = parse_optional_int(form.seed, "seed", "Seed", 0, SEED_MAX)
    except ValidationError as error:
        errors.update(error.errors)
    if not form.scenario:
        errors["scenario"] = "Pilih skenario."
    if errors:
        raise ValidationError(errors)
    plan = scenario_plan(form.scenario, seed, minutes, session_only=True)
    exercise = new_exercise(plan, title, "workshop", _free_code(), form.scenario)
    exercise.facilitator_id = facilitator.id
    exercise.held_on = form.held_on.strip() or None
    exercise.location = form.location.strip() or None
    db.session.flush()
    return exercise


def _free_code() -> str:
    while True:
        code = personal_code(6)
        if db.session.scalar(select(Exercise.id).where(Exercise.code == code)) is None:
            return code


def workshops_of(facilitator: Facilitator) -> list[Exercise]:
    return list(db.session.scalars(
        select(Exercise).where(Exercise.facilitator_id == facilitator.id)
        .order_by(Exercise.created_at.desc(), Exercise.id.desc())))


def get_workshop(facilitator: Facilitator, code: str) -> Exercise:
    """The facilitator's own workshop; another facilitator's is as good as missing."""
    exercise: Exercise | None = db.session.scalar(select(Exercise).where(
        Exercise.code == (code or "").upper(), Exercise.mode == "workshop"))
    if exercise is None or exercise.facilitator_id != facilitator.id:
        raise NoSuchWorkshop(f"Sesi «{code[:12]}» tidak ditemukan di daftar sesi Anda.")
    return exercise


def _open_workshop(code: str) -> Exercise:
    cleaned = (code or "").strip().upper()
    exercise: Exercise | None = db.session.scalar(select(Exercise).where(
        Exercise.code == cleaned, Exercise.mode == "workshop")) if cleaned else None
    if exercise is None:
        raise ValidationError({"code": f"Kode sesi «{cleaned[:12]}» tidak dikenal. Periksa "
                                       "kode di layar fasilitator."})
    if clock_state(exercise) == SessionState.BERAKHIR:
        raise ValidationError({"code": "Sesi ini sudah berakhir."})
    return exercise


def join_workshop(code: str, name: str, unit_name: str, cohort: str = "",
                  new_person: bool = False) -> Participant:
    """A trainee joins with the session code, their name and their OPD.

    Where the facilitator imported a list with cohorts, the trainee picks one of them.
    A name and OPD already in the session is asked about (AlreadyRegistered) instead of
    making a second participant, unless the trainee said it is not them (`new_person`).
    """
    errors: dict[str, str] = {}
    name, unit_name = check_trainee(name, unit_name, errors, "Unit kerja (OPD)")
    try:
        exercise = _open_workshop(code)
    except ValidationError as error:
        errors.update(error.errors)
    cohort = " ".join((cohort or "").split())
    if cohort and not errors and cohort not in session_cohorts(exercise):
        errors["cohort"] = f"Kohort «{cohort[:40]}» tidak ada di sesi ini: pilih dari daftar."
    unit_code = None
    if "code" not in errors and is_opd(exercise) and "unit_name" not in errors:
        unit_code, unit_name = _own_opd(exercise, unit_name, errors)
    if errors:
        raise ValidationError(errors)
    known = registered_as(exercise, name, unit_name)
    if known is not None and not new_person:
        raise AlreadyRegistered(known)
    plan = session_plan(exercise, unit=unit_code)
    participant = add_participant(exercise, name, unit_name, plan, cohort=cohort or None,
                                  unit_code=unit_code)
    mark_seen(participant)
    return participant


def opd_choices_for_code(code: str) -> list[Unit]:
    """The OPDs to choose from when joining by this code; none for an unknown code."""
    try:
        return opd_choices(_open_workshop(code))
    except ValidationError:
        return []


def _own_opd(exercise: Exercise, typed: str, errors: dict[str, str]) -> tuple[str | None, str]:
    """Mode OPD: the unit a trainee names, as (code, name); an unknown one is an error."""
    unit = find_opd(exercise, typed)
    if unit is None:
        errors["unit_name"] = UNKNOWN_OPD.format(typed=typed[:60])
        return None, typed
    return unit.code, unit.name


def session_cohorts(exercise: Exercise) -> list[str]:
    """The cohorts a session's participants belong to, alphabetically (set by an import)."""
    return sorted({p.cohort for p in exercise.participants if p.cohort}, key=str.casefold)


def cohorts_for_code(code: str) -> list[str]:
    """The cohorts a trainee may pick when joining by this code; none for an unknown code."""
    try:
        return session_cohorts(_open_workshop(code))
    except ValidationError:
        return []


def rejoin_by_code(code: str, personal: str) -> Participant:
    """A trainee comes back (another device, a closed tab) with the session and personal code."""
    exercise = _open_workshop(code) if code else None
    cleaned = (personal or "").strip().upper()
    participant: Participant | None = db.session.scalar(select(Participant).where(
        Participant.exercise_id == exercise.id, Participant.personal_code == cleaned)) \
        if exercise is not None and cleaned else None
    participant = signed_in_as(participant)
    if participant is None:
        raise ValidationError({"personal_code": "Kode pribadi tidak cocok dengan sesi ini."})
    mark_seen(participant)
    return participant
