"""Refresher scenarios: one per person of an ended session, the traps they fell into
practised again (domain.refresher), to download or to start at once as a solo practice.

Nothing is stored to make one: the scenario is written again from the session's stored
reports, events and settings whenever it is asked for, and is the same every time. It
is checked as any scenario file is (domain.scenario.parse_scenario) before it is given
out or played; a practice of it expands the checked scenario directly, so nothing is
written to the scenarios folder. The new practice notes where it came from in its
settings (`latihan_ulang`).
"""

from __future__ import annotations

import io
import secrets
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from sandbox.domain.catalogue import Catalogue
from sandbox.domain.decisions import Verdict, judge_receipt
from sandbox.domain.errors import CatalogueError, DomainError
from sandbox.domain.refresher import HandledReport, Origin, Refresher, build_refresher
from sandbox.domain.scenario import Scenario, ScenarioError, parse_scenario
from sandbox.domain.session import ClockKind
from sandbox.domain.text import printable
from sandbox.extensions import db
from sandbox.models import Complaint, Exercise, Participant
from sandbox.services.attendance import listed, mark_seen
from sandbox.services.catalogue import get_catalogue
from sandbox.services.dashboard import decision_judge
from sandbox.services.leaderboard import participant_numbers
from sandbox.services.practice import add_participant, new_exercise, plan_of
from sandbox.services.roles import answering_unit
from sandbox.services.scenarios import holidays
from sandbox.services.scoring import report_cards, scoring_moment
from sandbox.services.teams import members
from sandbox.services.timekeeping import calendar_of, change_clock, has_ended

SETTINGS_KEY = "latihan_ulang"  # in a refresher practice's settings: where it came from
NOT_ENDED = ("Latihan ulang baru dapat dibuat setelah sesi berakhir: yang dilatih ulang "
             "adalah jebakan yang terlewat sampai akhir sesi.")
INDEX_NAME = "DAFTAR.txt"


class NotEnded(DomainError):
    """The session has not ended: what someone fell into is not settled yet."""


class RegionGone(DomainError):
    """The session's region can no longer be read from the catalogue."""


@dataclass(frozen=True)
class Offer:
    """What «Hasil saya» offers: the refresher, or why there is none."""

    refresher: Refresher | None
    message: str | None = None


def _catalogue(exercise: Exercise) -> Catalogue:
    try:
        return get_catalogue(exercise.region_file)
    except (CatalogueError, OSError):
        raise RegionGone(f"Katalog wilayah sesi ini («{printable(exercise.region_file)}») "
                         "tidak dapat dibaca lagi, jadi latihan ulang tidak dapat dibuat. Minta "
                         "fasilitator menjalankan 'lapor-sandbox catalogue check'.") from None


def handled_reports(exercise: Exercise, people: Sequence[Participant]
             ) -> dict[int, list[HandledReport]]:
    """Each person's reports as their card counts them (mode tim: their seat's), with the
    verdict on their decision from the one judge (domain.decisions): in mode OPD, and at a
    team's penghubung seat, on their answer to a disposition."""
    cards = report_cards(exercise, people)
    moment = scoring_moment(exercise) if exercise.clock_changes else None
    complaints = db.session.scalars(
        select(Complaint).options(selectinload(Complaint.events))
        .where(Complaint.participant_id.in_({p.owner_id for p in people}))
        .order_by(Complaint.position, Complaint.id)).all()
    by_owner: dict[int, list[Complaint]] = {}
    for complaint in complaints:
        by_owner.setdefault(complaint.participant_id, []).append(complaint)
    judge = decision_judge(exercise)
    found: dict[int, list[HandledReport]] = {}
    for person in people:
        scores = {r.tracking_no: r for r in cards[person.id].reports}
        reports = found[person.id] = []
        for complaint in by_owner.get(person.owner_id, []):
            score = scores.get(complaint.tracking_no)
            if score is None:  # not released yet, or (mode tim) not their seat's
                continue
            events = [e.to_record() for e in complaint.events
                      if moment is not None and e.sim_at <= moment]
            unit = answering_unit(person, events)
            if unit is None:
                verdict = judge(complaint.answer_key, events).verdict
            else:
                receipt = judge_receipt(complaint.answer_key, events, unit,
                                        unit_names=judge.unit_names)
                verdict = receipt.verdict if receipt is not None else Verdict.BELUM
            reports.append(HandledReport(complaint.answer_key, verdict,
                                         score.confidentiality_errors))
    return found


def _origin(exercise: Exercise, person: Participant, number: int) -> Origin:
    calendar = calendar_of(exercise)
    return Origin(
        code=exercise.code, title=exercise.title, seed=exercise.seed,
        region=exercise.region_file, start=exercise.sim_start_at,
        results_at=scoring_moment(exercise), person=person.name, unit_name=person.unit_name,
        number=number, office_hours=(calendar.office_start, calendar.office_end),
        extra_holidays=tuple(sorted(set(calendar.holidays) - set(holidays()))),
        scenario=exercise.scenario_id)


def check_refresher(refresher: Refresher) -> Scenario:
    """The refresher read back as any scenario file is; a problem (a topic or unit the
    catalogue no longer has) is a DomainError naming it."""
    try:
        return parse_scenario(refresher.text, refresher.filename, get_catalogue, holidays())
    except ScenarioError as error:
        first = error.problems[0].message if error.problems else str(error)
        raise DomainError(f"Latihan ulang tidak dapat dibuat: katalog berubah sejak sesi ini "
                          f"({printable(first, 160)}).") from None
    except (CatalogueError, OSError):
        raise RegionGone("Katalog wilayah sesi ini tidak dapat dibaca lagi, jadi latihan "
                         "ulang tidak dapat dibuat.") from None


def _build(exercise: Exercise, person: Participant, reports: Sequence[HandledReport],
           catalogue: Catalogue, numbers: dict[int, int]) -> Refresher:
    refresher = build_refresher(_origin(exercise, person, numbers.get(person.id, 0)), reports,
                                catalogue)
    check_refresher(refresher)
    return refresher


def refresher_for(participant: Participant) -> Refresher:
    """The refresher of one person of an ended session (NotEnded before the end; see
    domain.refresher for the other refusals)."""
    exercise = participant.exercise
    if participant.is_team:
        raise DomainError("Latihan ulang dibuat per orang, bukan per tim.")
    if not has_ended(exercise):
        raise NotEnded(NOT_ENDED)
    catalogue = _catalogue(exercise)
    reports = handled_reports(exercise, [participant])[participant.id]
    return _build(exercise, participant, reports, catalogue, participant_numbers(exercise))


def refresher_offer(participant: Participant) -> Offer:
    """The refresher for «Hasil saya», or the message saying why there is none."""
    try:
        return Offer(refresher_for(participant))
    except DomainError as error:
        return Offer(None, error.message)


def start_refresher(participant: Participant) -> Participant:
    """A solo practice of the person's refresher, started now; the new participant (whom
    the caller signs in). The person's original session is left as it is."""
    refresher = refresher_for(participant)
    scenario = check_refresher(refresher)
    plan = plan_of(scenario)
    exercise = participant.exercise
    plan = replace(plan, settings={**plan.settings, SETTINGS_KEY: {
        "sesi": exercise.code, "peserta": participant.id,
        "jebakan": [t.key for t in refresher.traps], "dilatih": list(refresher.practised)}})
    practice = new_exercise(plan, refresher.title, "solo", secrets.token_hex(4).upper(),
                            refresher.id)
    person = add_participant(practice, participant.name, participant.unit_name, plan)
    mark_seen(person)
    change_clock(practice, ClockKind.MULAI, participant.name)
    return person


class NoSuchPerson(DomainError):
    """No person with that id in this session."""


def person_in(exercise: Exercise, participant_id: int) -> Participant:
    """A person of the session (not a team, not removed), or NoSuchPerson."""
    for person in listed(exercise):
        if person.id == participant_id:
            return person
    raise NoSuchPerson(f"Peserta dengan nomor data {participant_id} tidak ada di sesi ini.")


def refresher_people(participant: Participant) -> list[Participant]:
    """Whose refreshers a debrief page of `participant` offers: the person, or in mode tim
    each person sitting in the team (by their seat's reports)."""
    return members(participant) if participant.is_team else [participant]


def refresher_of(exercise: Exercise, participant_id: int) -> Refresher:
    """The facilitator's download of one person's refresher."""
    return refresher_for(person_in(exercise, participant_id))


def refresher_zip(exercise: Exercise) -> bytes:
    """One ZIP of every listed person's refresher, and DAFTAR.txt saying whose file is
    which and who has none (and why). The same session gives the same bytes."""
    if not has_ended(exercise):
        raise NotEnded(NOT_ENDED)
    catalogue = _catalogue(exercise)
    numbers = participant_numbers(exercise)
    people = sorted(listed(exercise), key=lambda p: (numbers.get(p.id, 0), p.id))
    handled = handled_reports(exercise, people)
    stamp = scoring_moment(exercise)
    moment = (max(stamp.year, 1980), stamp.month, stamp.day, stamp.hour, stamp.minute,
              stamp.second)
    index = [f"Latihan ulang sesi {exercise.code} «{exercise.title}», dari hasil per "
             f"{stamp:%Y-%m-%d %H:%M} (waktu simulasi sesi).", ""]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for person in people:
            who = f"Peserta {numbers.get(person.id, 0)} · {person.name} ({person.unit_name})"
            try:
                refresher = _build(exercise, person, handled[person.id], catalogue, numbers)
            except DomainError as error:
                index.append(f"{who}: tidak ada berkas. {error.message}")
                continue
            archive.writestr(zipfile.ZipInfo(refresher.filename, moment),
                             refresher.text.encode("utf-8"), zipfile.ZIP_DEFLATED)
            traps = ", ".join(t.label for t in refresher.traps) or "campuran (tidak ada " \
                "jebakan yang terlewat)"
            index.append(f"{who}: {refresher.filename} · {traps}")
        archive.writestr(zipfile.ZipInfo(INDEX_NAME, moment),
                         ("\n".join(index) + "\n").encode("utf-8"), zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
