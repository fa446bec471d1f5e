"""Solo practice: a trainee starts an exercise and gets their own generated set of reports."""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from importlib import metadata
from typing import Any

from flask import current_app
from sqlalchemy import select

from sandbox.domain.catalogue import match_unit
from sandbox.domain.clock import Calendar
from sandbox.domain.disclosure import NOTE_AUDIENCE_KEY
from sandbox.domain.errors import CatalogueError, ValidationError
from sandbox.domain.generator import GENERATOR_VERSION, GeneratedComplaint, generate
from sandbox.domain.learning import PHASE_KEY
from sandbox.domain.numbers import SEED_MAX, parse_optional_int
from sandbox.domain.scenario import (
    OPD_MODE,
    TEAM_MODE,
    Scenario,
    ScenarioError,
    Scheduled,
    expand,
    opd_units,
)
from sandbox.domain.scoring import SCORING_VERSION, ScoringSettings
from sandbox.domain.session import ClockKind
from sandbox.domain.sla import SlaSettings
from sandbox.domain.team import INSTANSI_SEAT, seat_of_unit, seats_of
from sandbox.domain.teammate import INSTANSI_KEY
from sandbox.extensions import db
from sandbox.models import Complaint, Exercise, Participant
from sandbox.services.attendance import mark_seen, signed_in_as
from sandbox.services.catalogue import get_catalogue, region_path, shipped_regions
from sandbox.services.inject import copy_injected
from sandbox.services.scenarios import get_scenario, holidays
from sandbox.services.teams import new_team
from sandbox.services.timekeeping import (
    calendar_settings,
    change_clock,
    schedule_speed,
    wall_now,
)

# Reports of a practice set arrive from 07:00 on a Monday morning of the simulated calendar.
PRACTICE_FIRST_ARRIVAL = datetime(2026, 3, 2, 7, 0)
NAME_MAX, UNIT_MAX = 120, 160
COUNT_MAX = 200


def check_trainee(name: str, unit_name: str, errors: dict[str, str],
                  unit_label: str = "Unit kerja") -> tuple[str, str]:
    """A trainee's name and unit, trimmed; problems are added to `errors`."""
    name, unit_name = (name or "").strip(), (unit_name or "").strip()
    if not name:
        errors["name"] = "Nama wajib diisi."
    elif len(name) > NAME_MAX:
        errors["name"] = f"Nama terlalu panjang: maksimal {NAME_MAX} karakter."
    if not unit_name:
        errors["unit_name"] = f"{unit_label} wajib diisi."
    elif len(unit_name) > UNIT_MAX:
        errors["unit_name"] = f"Unit kerja terlalu panjang: maksimal {UNIT_MAX} karakter."
    return name, unit_name


def _clean_start_form(name: str, unit_name: str, seed: str | int | None,
                      count: str | int | None) -> tuple[str, str, int | None, int]:
    """Check the start form; every problem is reported at once."""
    errors: dict[str, str] = {}
    name, unit_name = check_trainee(name, unit_name, errors)
    seed_value: int | None = None
    try:
        seed_value = parse_optional_int(seed, "seed", "Seed", 0, SEED_MAX)
    except ValidationError as error:
        errors.update(error.errors)
    count_value = current_app.config["PRACTICE_COMPLAINTS"]
    try:
        count_value = parse_optional_int(count, "count", "Jumlah laporan", 1, COUNT_MAX,
                                         message=f"Jumlah laporan harus 1 sampai {COUNT_MAX}."
                                         ) or count_value
    except ValidationError as error:
        errors.update(error.errors)
    if errors:
        raise ValidationError(errors)
    return name, unit_name, seed_value, count_value


def start_practice(name: str, unit_name: str, seed: str | int | None = None,
                   count: str | int | None = None, title: str | None = None,
                   region: str | None = None, scenario: str | None = None) -> Participant:
    """Create a solo exercise for one trainee: a scenario's schedule, or a free random set."""
    name, unit_name, seed_value, count_value = _clean_start_form(name, unit_name, seed, count)
    unit_code = seat = None
    if scenario:
        plan = scenario_plan(scenario, seed_value, session_only=True)
        if plan.settings.get("mode") == OPD_MODE:  # they practise as their OPD's admin
            unit_code, unit_name = _solo_opd(plan, unit_name)
            plan = scenario_plan(scenario, seed_value, unit=unit_code)
        elif plan.settings.get("mode") == TEAM_MODE:  # one seat; teammates play the rest
            seat = _solo_seat(plan, unit_name)
    else:
        plan = _free_plan(region, seed_value, count_value)
    exercise = new_exercise(plan, title or plan.title, "solo", secrets.token_hex(4).upper(),
                            scenario or None)
    participant = add_participant(exercise, name, unit_name, plan, unit_code=unit_code,
                                  seat=seat)
    mark_seen(participant)
    change_clock(exercise, ClockKind.MULAI, name)
    return participant


def _solo_opd(plan: Plan, typed: str) -> tuple[str, str]:
    """Mode OPD alone: the OPD the trainee names in «Unit kerja», as (code, name)."""
    units = opd_units(get_catalogue(plan.region_file))
    unit = match_unit(units, typed)
    if unit is None:
        raise ValidationError({"unit_name": (
            "Skenario ini melatih admin penghubung OPD: tulis nama OPD Anda, salah satu dari: "
            + ", ".join(u.short or u.name for u in units) + ".")})
    return unit.code, unit.name


def _solo_seat(plan: Plan, typed: str) -> str:
    """Mode tim alone: the penghubung seat of the OPD the trainee names in «Unit kerja»,
    else the Admin Instansi's (simulated teammates play every other seat)."""
    catalogue = get_catalogue(plan.region_file)
    seats = seats_of([tuple(g) for g in plan.settings["tim"]["kursi"]])
    units = [catalogue.units[code] for seat in seats for code in seat.units
             if code in catalogue.units]
    unit = match_unit(units, typed)
    seat = seat_of_unit(seats, unit.code if unit is not None else None)
    return seat.code if seat is not None else INSTANSI_SEAT


def app_version() -> str:
    """This build's version (pyproject): recorded with each session, and in exports."""
    try:
        return metadata.version("lapor-sandbox")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "tidak diketahui"


def new_exercise(plan: Plan, title: str, mode: str, code: str,
                 scenario_id: str | None) -> Exercise:
    """An exercise that runs `plan`; its clock starts with the first clock change."""
    now = wall_now()
    exercise = Exercise(
        code=code, title=title, mode=mode, region_file=plan.region_file, seed=plan.seed,
        complaint_count=len(plan.complaints), sim_start_at=plan.sim_start, wall_start_at=now,
        speed=plan.minutes_per_hk, created_at=now, scenario_id=scenario_id,
        # The app's version too: sessions compared in a studi komparasi should have run
        # the same rules (services.comparison notes a difference).
        settings={**plan.settings, "app_version": app_version(),
                  "generator_version": GENERATOR_VERSION},
    )
    db.session.add(exercise)
    db.session.flush()
    return exercise


def add_participant(exercise: Exercise, name: str, unit_name: str, plan: Plan,
                    cohort: str | None = None, unit_code: str | None = None,
                    seat: str | None = None, team: Participant | None = None) -> Participant:
    """A trainee in `exercise` with their own copy of the plan's reports (in mode OPD,
    `unit_code` is their OPD and the plan is that OPD's). In mode tim they sit in `seat`
    of `team` instead, whose reports they share (a new team when `team` is None)."""
    if seat is not None and team is None:
        team = new_team(exercise)
        add_reports(exercise, team, plan)
    participant = Participant(exercise=exercise, name=name, unit_name=unit_name,
                              unit_code=unit_code, seat=seat,
                              team_id=team.id if team is not None else None,
                              token=secrets.token_urlsafe(16), created_at=wall_now(),
                              # Workshops only: rejoining by hand needs a session code too.
                              personal_code=_free_personal_code(exercise)
                              if exercise.mode == "workshop" else None, cohort=cohort)
    db.session.add(participant)
    db.session.flush()
    if seat is None:
        add_reports(exercise, participant, plan)
    return participant


def add_reports(exercise: Exercise, owner: Participant, plan: Plan) -> None:
    """Give a trainee (or a team) their copy of the plan's reports."""
    for item, script in plan.complaints:
        key = asdict(item.key)
        if item.tracking_no in plan.phases:  # a test report (domain.learning.phase_of)
            key[PHASE_KEY] = plan.phases[item.tracking_no]
        db.session.add(Complaint(
            exercise_id=exercise.id, participant_id=owner.id, position=item.position,
            tracking_no=item.tracking_no, channel=item.channel, text=item.text,
            reporter=asdict(item.reporter), attachments=list(item.attachments),
            answer_key=key, arrived_at=item.arrived_at, script=script,
            # A simulated teammate may act first (mode OPD, mode tim): the ticker looks at
            # the report when it arrives, and from then on knows when the teammate acts.
            due_at=item.arrived_at if owner.is_team or (script and INSTANSI_KEY in script)
            else None,
        ))
    if exercise.mode == "workshop":
        copy_injected(exercise, owner)  # reports the facilitator added before they came
    db.session.flush()


CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread on a projector


def personal_code(length: int = 6) -> str:
    """A short code a person can read aloud and type on a phone."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def _free_personal_code(exercise: Exercise) -> str:
    """A personal code nobody else in the session has, so rejoining finds one person."""
    while True:
        code = personal_code()
        if db.session.scalar(select(Participant.id).where(
                Participant.exercise_id == exercise.id,
                Participant.personal_code == code)) is None:
            return code


@dataclass(frozen=True)
class Plan:
    title: str
    region_file: str
    seed: int
    sim_start: datetime
    minutes_per_hk: float
    settings: dict[str, Any]
    complaints: list[tuple[GeneratedComplaint, dict[str, Any] | None]]
    # The test reports (tes awal, tes akhir) by tracking number, and their phase.
    phases: dict[str, str] = field(default_factory=dict)


def scenario_plan(scenario_id: str, seed: int | None, minutes_per_hk: float | None = None,
                  *, expand_at: float | None = None, unit: str | None = None,
                  session_only: bool = False) -> Plan:
    """A scenario expanded into its schedule; reporters follow the scenario's script.

    The schedule is fixed in simulated time by the scenario and seed alone: it is expanded
    at the scenario's own speed (or `expand_at`, the speed an older session was expanded
    at). `minutes_per_hk` is only the speed the clock starts at: it maps simulated time to
    real time, for everyone in the session at once. In mode opd the reports are those of
    the trainee's OPD, `unit` (a unit code; a missing or unknown one is a ValidationError),
    unless only the session's plan is wanted (`session_only`: settings, count, moments).
    """
    try:
        chosen = get_scenario(scenario_id)
    except ScenarioError:
        raise ValidationError({"scenario": f"Skenario tidak dikenal atau bermasalah: "
                                           f"«{scenario_id[:60]}»."}) from None
    if seed is not None:
        chosen = replace(chosen, seed=seed)
    return plan_of(chosen, minutes_per_hk, expand_at=expand_at, unit=unit,
                   session_only=session_only)


def plan_of(chosen: Scenario, minutes_per_hk: float | None = None, *,
            expand_at: float | None = None, unit: str | None = None,
            session_only: bool = False) -> Plan:
    """A checked scenario expanded into its plan, as `scenario_plan` does for a file of the
    scenarios folder; also for one that is no such file (a refresher, services.refresher)."""
    clock_speed = minutes_per_hk or chosen.minutes_per_hk
    if expand_at is not None:
        chosen = replace(chosen, minutes_per_hk=expand_at)
    calendar = chosen.calendar(holidays())
    catalogue = get_catalogue(chosen.region)
    if session_only and chosen.mode == OPD_MODE and unit is None:
        # The session's own plan (its settings, count and moments): every OPD has the same.
        unit = next((u.code for u in opd_units(catalogue)), None)
    try:
        schedule, notes = expand(chosen, catalogue, calendar, unit)
    except ScenarioError as error:  # mode opd without a playable OPD
        raise ValidationError({"unit" if unit else "scenario": error.problems[0].message}
                              ) from None
    settings = {
        **calendar_settings(calendar), "sla": asdict(chosen.sla), "feedback": chosen.feedback,
        "duration_minutes": chosen.duration_minutes, "minutes_per_hk": chosen.minutes_per_hk,
        "scoring": _scoring_settings(chosen.scoring), "scoring_version": SCORING_VERSION,
        "notes": [{"at": n.at.isoformat(), "text": n.text, NOTE_AUDIENCE_KEY: n.audience.value}
                  for n in notes],
        "mode": chosen.mode, "opd": asdict(chosen.opd),
    }
    if chosen.mode == TEAM_MODE:
        settings["tim"] = chosen.tim.to_dict()
    return Plan(chosen.title, region_path(chosen.region).name, chosen.seed,
                 calendar.next_working_moment(chosen.start), clock_speed, settings,
                 [(s.complaint, _script(s)) for s in schedule],
                 {s.complaint.tracking_no: s.phase.value for s in schedule if s.phase})


def _script(scheduled: Scheduled) -> dict[str, Any]:
    """A report's stored script: its reporter's, and in mode opd the Admin Instansi's."""
    if scheduled.disposition is None:
        return scheduled.reporter.to_dict()
    return {**scheduled.reporter.to_dict(), INSTANSI_KEY: scheduled.disposition.to_dict()}


def session_plan(exercise: Exercise, unit: str | None = None) -> Plan:
    """The plan a participant joining `exercise` gets: the same schedule as everyone else's
    (in mode opd, everyone of their OPD `unit`), whenever they join and whatever speed the
    clock runs at by then."""
    return scenario_plan(exercise.scenario_id or "", exercise.seed, exercise.speed,
                         expand_at=schedule_speed(exercise), unit=unit)


def _free_plan(region: str | None, seed: int | None, count: int) -> Plan:
    """A random set that has all arrived at the start; the trainee plays the reporter."""
    if region and region not in shipped_regions():
        raise ValidationError({"region": f"Wilayah tidak dikenal: «{region[:60]}»."})
    try:
        catalogue = get_catalogue(region)
    except CatalogueError as error:
        raise ValidationError({"region": "Katalog wilayah ini bermasalah; minta fasilitator "
                                         "menjalankan 'lapor-sandbox catalogue check'. "
                               + error.message.splitlines()[1][:200]}) from None
    seed = secrets.randbelow(1_000_000) if seed is None else seed
    generated = list(generate(catalogue, seed, count, PRACTICE_FIRST_ARRIVAL))
    calendar = Calendar(holidays=holidays())
    return Plan(
        "Latihan bebas", region_path(region).name, seed,
        # The simulated clock starts just after the last report has arrived.
        generated[-1].arrived_at + timedelta(minutes=5),
        float(current_app.config["PRACTICE_MINUTES_PER_HK"]),
        {**calendar_settings(calendar), "sla": asdict(SlaSettings()), "notes": [],
         "feedback": "langsung", "scoring": _scoring_settings(ScoringSettings()),
         "scoring_version": SCORING_VERSION},
        [(item, None) for item in generated],
    )


def _scoring_settings(settings: ScoringSettings) -> dict[str, Any]:
    """Scoring settings as JSON, copied into the session so later rule edits don't apply."""
    return {**asdict(settings), "weights": dict(settings.weights)}


def participant_by_token(token: str) -> Participant | None:
    """Who the rejoin link signs in: nobody once removed, the kept one after a merge."""
    if not token or len(token) > 64:
        return None
    return signed_in_as(db.session.scalar(select(Participant).where(Participant.token == token)))


def participant_by_id(participant_id: int | None) -> Participant | None:
    if not isinstance(participant_id, int):
        return None
    return db.session.get(Participant, participant_id)
