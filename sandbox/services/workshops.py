"""Workshop sessions: a facilitator creates one from a scenario, trainees join by code.

A workshop is one exercise with one shared clock and many participants, each with
their own copy of the scenario's reports. Its status (domain.session.SessionState: lobby,
running, paused, ended) is derived from its clock changes (timekeeping.clock_state).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from sqlalchemy import select

from sandbox.domain.catalogue import Unit
from sandbox.domain.errors import DomainError, ValidationError
from sandbox.domain.fields import check_text, check_workshop_text
from sandbox.domain.numbers import SEED_MAX, parse_decimal, parse_optional_int
from sandbox.domain.scenario import OPD_MODE, TEAM_MODE, TeamSettings
from sandbox.extensions import db
from sandbox.models import Exercise, Facilitator, Participant
from sandbox.services.attendance import mark_seen, registered_as, signed_in_as
from sandbox.services.catalogue import get_catalogue
from sandbox.services.practice import (
    Plan,
    add_participant,
    check_trainee,
    new_exercise,
    personal_code,
    scenario_plan,
    session_plan,
)
from sandbox.services.roles import UNKNOWN_OPD, find_opd, is_opd, opd_choices
from sandbox.services.teams import SeatGroup, is_team_mode, seat_choices, take_seat
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
    mode: str = ""  # "": the scenario's; else individu or tim (see _with_mode)
    skill: str = ""  # mode tim: the simulated teammates' skill, 0..1 ("": the scenario's)
    studi: str = ""  # a studi komparasi's name: the speed is then locked once it starts


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
    studi = " ".join(form.studi.split())
    problem = check_text("Nama studi komparasi", studi, STUDI_MAX, required=False)
    if problem:
        errors["studi"] = problem
    if errors:
        raise ValidationError(errors)
    plan = scenario_plan(form.scenario, seed, minutes, session_only=True)
    plan = _with_mode(plan, form.mode.strip(), form.skill.strip())
    if studi:  # every district of the studi does the same work at the same speed
        plan = replace(plan, settings={**plan.settings, "studi": studi,
                                       "kunci_kecepatan": True})
    exercise = new_exercise(plan, title, "workshop", _free_code(), form.scenario)
    exercise.facilitator_id = facilitator.id
    exercise.held_on = form.held_on.strip() or None
    exercise.location = form.location.strip() or None
    db.session.flush()
    return exercise


CREATION_MODES = {"": "Sesuai skenario", "individu": "Individu: setiap peserta memegang "
                  "semua peran admin", TEAM_MODE: "Tim: satu meja = Admin Instansi dan "
                  "admin penghubung, berbagi laporan"}
DEFAULT_TEAM_SEATS = 5
STUDI_MAX = 80


def _with_mode(plan: Plan, mode: str, skill: str) -> Plan:
    """The plan in the mode the facilitator chose at creation. A scenario written for
    individual work can be played as teams (its seats: the OPDs its reports go to most,
    one seat each) and a team scenario individually; a mode-OPD scenario only as written,
    since its reports are drawn per OPD."""
    written = plan.settings.get("mode", "individu")
    errors: dict[str, str] = {}
    if mode not in CREATION_MODES:
        errors["mode"] = "Pilih mode dari daftar."
    elif mode and written == OPD_MODE:
        errors["mode"] = ("Skenario ini ditulis untuk mode OPD (laporan diundi per OPD "
                          "peserta): pilih «Sesuai skenario».")
    settings = dict(plan.settings)
    if not errors and mode == TEAM_MODE and written != TEAM_MODE:
        seats = _default_seats(plan)
        if len(seats) < 2:
            errors["mode"] = "Laporan skenario ini terlalu sedikit OPD tujuannya untuk mode tim."
        settings["tim"] = TeamSettings(seats).to_dict()
    if mode:
        settings["mode"] = mode
    if skill and (mode or written) == TEAM_MODE and "tim" in settings:
        try:
            value = parse_decimal(skill, "skill", "Keterampilan rekan simulasi", 0, 1,
                                  message="Keterampilan rekan simulasi harus angka 0 sampai "
                                          "1, mis. 0,7.")
            settings["tim"] = {**settings["tim"], "skill": value}
        except ValidationError as error:
            errors.update(error.errors)
    if mode and mode != TEAM_MODE:
        settings.pop("tim", None)
    if errors:
        raise ValidationError(errors)
    return replace(plan, settings=settings)


def _default_seats(plan: Plan) -> tuple[tuple[str, ...], ...]:
    """Seats for a scenario played as teams: the Pemda OPDs its reports are meant for,
    most reports first, one seat each (at most DEFAULT_TEAM_SEATS)."""
    units = get_catalogue(plan.region_file).units
    targets = [item.key.expected_target for item, _ in plan.complaints]
    counts = Counter(code for code in targets
                     if code is not None and code in units and not units[code].is_agency)
    ranked = sorted(counts, key=lambda code: (-counts[code], code))
    return tuple((code,) for code in ranked[:DEFAULT_TEAM_SEATS])


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


def _open_workshop(code: str, ended_too: bool = False) -> Exercise:
    """The workshop with this code, to join (an ended one is refused unless `ended_too`)."""
    cleaned = (code or "").strip().upper()
    exercise: Exercise | None = db.session.scalar(select(Exercise).where(
        Exercise.code == cleaned, Exercise.mode == "workshop")) if cleaned else None
    if exercise is None:
        raise ValidationError({"code": f"Kode sesi «{cleaned[:12]}» tidak dikenal. Periksa "
                                       "kode di layar fasilitator."})
    if not ended_too and not clock_state(exercise).open_for_joining:
        raise ValidationError({"code": "Sesi ini sudah berakhir."})
    return exercise


def join_workshop(code: str, name: str, unit_name: str, cohort: str = "",
                  new_person: bool = False, seat: str = "") -> Participant:
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
    team, seat_code = None, None
    if "code" not in errors and is_team_mode(exercise):  # mode tim: a seat of a team
        team, seat_code = take_seat(exercise, seat, errors)
    if errors:
        raise ValidationError(errors)
    known = registered_as(exercise, name, unit_name)
    if known is not None and not new_person:
        raise AlreadyRegistered(known)
    plan = session_plan(exercise, unit=unit_code)
    participant = add_participant(exercise, name, unit_name, plan, cohort=cohort or None,
                                  unit_code=unit_code, seat=seat_code, team=team)
    mark_seen(participant)
    return participant


def seat_choices_for_code(code: str) -> list[SeatGroup]:
    """Mode tim: the free seats to choose from when joining by this code."""
    try:
        return seat_choices(_open_workshop(code))
    except ValidationError:
        return []


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
    """A trainee comes back (another device, a closed tab) with the session and personal code;
    after the end too, for their results and their refresher (services.refresher)."""
    exercise = _open_workshop(code, ended_too=True) if code else None
    cleaned = (personal or "").strip().upper()
    participant: Participant | None = db.session.scalar(select(Participant).where(
        Participant.exercise_id == exercise.id, Participant.personal_code == cleaned)) \
        if exercise is not None and cleaned else None
    participant = signed_in_as(participant)
    if participant is None:
        raise ValidationError({"personal_code": "Kode pribadi tidak cocok dengan sesi ini."})
    mark_seen(participant)
    return participant
