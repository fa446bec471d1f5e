"""Ad-hoc reports the facilitator injects into a running workshop.

An injected report is made from a catalogue topic or written by hand with its answer
key (checked like a scenario's hand-written complaint). It is recorded once, whole,
in the session log; every trainee gets a copy arriving at the simulated moment of the
injection, and a trainee who joins later gets it from the log too.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import asdict, replace
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from sandbox.domain.catalogue import Topic
from sandbox.domain.decisions import wrongly_disposed
from sandbox.domain.errors import DomainError, ValidationError
from sandbox.domain.generator import generate
from sandbox.domain.scenario import Disposition, OpdSettings, ScenarioError, hand_topic
from sandbox.domain.session import SessionState
from sandbox.domain.simulation import ReporterScript
from sandbox.domain.teammate import INSTANSI_KEY
from sandbox.extensions import db
from sandbox.models import Complaint, Exercise, Participant, SessionEvent
from sandbox.services.catalogue import get_catalogue
from sandbox.services.roles import own_unit
from sandbox.services.scenarios import get_scenario
from sandbox.services.session_log import log_control, session_log
from sandbox.services.timekeeping import clock_state, sim_clock

HAND_FIELDS = ("text", "channel", "expected_action", "target", "klasifikasi", "kategori",
               "explanation", "archive_reason", "tunda_answer")
HAND_FLAGS = ("rahasia", "anonim", "reporter_anonim")


def injectable_topics(exercise: Exercise) -> list[Topic]:
    """Catalogue topics a facilitator may inject, grouped by kategori then title."""
    catalogue = get_catalogue(exercise.region_file)
    return sorted((t for t in catalogue.topics if not t.duplicate),
                  key=lambda t: (t.kategori, t.title.casefold()))


def _topic_from(exercise: Exercise, form: Mapping[str, Any], number: int) -> Topic:
    catalogue = get_catalogue(exercise.region_file)
    source = form.get("sumber", "")
    if source == "topik":
        chosen = form.get("topik", "")
        topic = next((t for t in catalogue.topics if t.id == chosen and not t.duplicate), None)
        if topic is None:
            raise ValidationError({"topik": "Pilih topik dari daftar."})
        return topic
    if source != "tulis":
        raise ValidationError({"sumber": "Pilih: dari topik katalog, atau tulis sendiri."})
    raw: dict[str, Any] = {"id": f"suntik-{number}"}
    for name in HAND_FIELDS:
        value = str(form.get(name, "")).strip()
        if value:
            raw[name] = value
    for name in HAND_FLAGS:
        raw[name] = bool(form.get(name))
    acceptable = [c.strip() for c in str(form.get("acceptable", "")).split(",") if c.strip()]
    if acceptable:
        raw["acceptable"] = acceptable
    try:
        return hand_topic(raw, catalogue)
    except ScenarioError as error:
        errors: dict[str, str] = {}
        for problem in error.problems:
            errors.setdefault(problem.field or "text", problem.message)
        raise ValidationError(errors) from None


def inject_complaint(exercise: Exercise, actor: str, form: Mapping[str, Any]) -> SessionEvent:
    """Make one report, log it, and give every trainee of the session a copy arriving now."""
    if clock_state(exercise) == SessionState.BERAKHIR:
        raise DomainError("Sesi sudah berakhir; laporan tidak dapat ditambahkan lagi.")
    number = len(session_log(exercise, ("suntik",))) + 1
    topic = _topic_from(exercise, form, number)
    now = sim_clock(exercise).now()
    seed = zlib.crc32(f"{exercise.seed}:suntik:{number}".encode())
    item = next(generate(get_catalogue(exercise.region_file), seed, 1, now, sequence=[topic]))
    taken = set(db.session.scalars(select(Complaint.tracking_no).distinct()
                                   .where(Complaint.exercise_id == exercise.id)))
    tracking = int(item.tracking_no)
    while str(tracking) in taken:
        tracking += 1
    last_position = db.session.scalar(select(func.max(Complaint.position))
                                      .where(Complaint.exercise_id == exercise.id))
    item = replace(item, arrived_at=now, tracking_no=str(tracking),
                   position=max(last_position or 0, exercise.complaint_count) + 1)
    record = {"position": item.position, "tracking_no": item.tracking_no,
              "channel": item.channel, "text": item.text, "reporter": asdict(item.reporter),
              "attachments": [dict(a) for a in item.attachments],
              "answer_key": asdict(item.key), "arrived_at": item.arrived_at.isoformat()}
    event = log_control(exercise, "suntik", actor, {
        "sumber": form.get("sumber"), "topik": topic.id, "judul": topic.title,
        "laporan": record, "skrip": _reporter_script(exercise)})
    for owner in report_owners(exercise):
        _copy(owner, event.payload)
    db.session.flush()
    return event


def _reporter_script(exercise: Exercise) -> dict[str, Any]:
    """The scenario's default reporter behaviour, so injected reports answer like the rest."""
    try:
        return get_scenario(exercise.scenario_id or "").reporter.to_dict()
    except ScenarioError:
        return ReporterScript().to_dict()


def _copy(participant: Participant, payload: Mapping[str, Any]) -> None:
    record = payload["laporan"]
    script = dict(payload["skrip"])
    arrived_at = datetime.fromisoformat(record["arrived_at"])
    unit = own_unit(participant)
    if unit is not None:
        # Mode OPD: the simulated Admin Instansi disposes it to every trainee's OPD, rightly
        # for the OPD it belongs to and wrongly for the others, who should return it.
        opd = (participant.exercise.settings or {}).get("opd") or {}
        script[INSTANSI_KEY] = Disposition(
            unit, wrongly_disposed(record["answer_key"], unit),
            float(opd.get("admin_delay", OpdSettings.admin_delay)),
            float(opd.get("redispose_delay", OpdSettings.redispose_delay))).to_dict()
    db.session.add(Complaint(
        exercise_id=participant.exercise_id, participant_id=participant.id,
        position=record["position"], tracking_no=record["tracking_no"],
        channel=record["channel"], text=record["text"], reporter=record["reporter"],
        attachments=record["attachments"], answer_key=record["answer_key"],
        arrived_at=arrived_at, script=script,
        due_at=arrived_at if INSTANSI_KEY in script or participant.is_team else None))


def report_owners(exercise: Exercise) -> list[Participant]:
    """Who owns a copy of the session's reports: each trainee, or in mode tim each team
    (its people share the team's)."""
    return [*(p for p in exercise.participants if p.team_id is None), *exercise.teams]


def copy_injected(exercise: Exercise, participant: Participant) -> None:
    """A trainee who joins after injections gets those reports too."""
    for event in session_log(exercise, ("suntik",)):
        _copy(participant, event.payload)
