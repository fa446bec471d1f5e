"""Database models. The `event` table is the truth; complaint state columns are a projection.

Times ending in `_at`: `sim_*` columns hold naive simulated local time of the
region; `wall_at` and `created_at` hold naive UTC.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sandbox.domain.workflow import Action, EventRecord, Role, State
from sandbox.extensions import db


class Facilitator(db.Model):  # type: ignore[name-defined,misc]
    """A person who runs workshops; `is_admin` may add other facilitators."""

    __tablename__ = "facilitator"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # Stamped into the login cookie; "Keluar" or a password change bumps it, so a copied
    # cookie stops working on the server, not only in the browser that signed out.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Exercise(db.Model):  # type: ignore[name-defined,misc]
    """A practice or workshop session: the facts its simulated clock is derived from."""

    __tablename__ = "exercise"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    mode: Mapped[str] = mapped_column(String(20), default="solo")
    region_file: Mapped[str] = mapped_column(String(200))
    seed: Mapped[int] = mapped_column(Integer)
    complaint_count: Mapped[int] = mapped_column(Integer)
    sim_start_at: Mapped[datetime] = mapped_column(DateTime)
    wall_start_at: Mapped[datetime] = mapped_column(DateTime)
    speed: Mapped[float] = mapped_column(Float)  # real minutes per HK at the start
    created_at: Mapped[datetime] = mapped_column(DateTime)
    scenario_id: Mapped[str | None] = mapped_column(String(80))
    # Workshops only: who runs it, where and when (as the facilitator wrote it).
    facilitator_id: Mapped[int | None] = mapped_column(ForeignKey("facilitator.id"), index=True)
    location: Mapped[str | None] = mapped_column(String(160))
    held_on: Mapped[str | None] = mapped_column(String(40))
    # Calendar, limits and notes copied from the scenario when the exercise began, so a
    # later edit of the scenario file never changes a running or finished exercise.
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    # The people of the session; a team (mode tim) is a row too, kept apart in `teams`.
    participants: Mapped[list[Participant]] = relationship(
        back_populates="exercise",
        primaryjoin="and_(Exercise.id == Participant.exercise_id, "
                    "or_(Participant.seat.is_(None), Participant.seat != 'tim'))")
    teams: Mapped[list[Participant]] = relationship(
        primaryjoin="and_(Exercise.id == Participant.exercise_id, Participant.seat == 'tim')",
        order_by="Participant.id", viewonly=True)
    clock_changes: Mapped[list[ClockChange]] = relationship(
        back_populates="exercise", order_by="ClockChange.wall_at, ClockChange.id")


class ClockChange(db.Model):  # type: ignore[name-defined,misc]
    """A start, pause, resume or speed change of an exercise's simulated clock."""

    __tablename__ = "clock_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercise.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # mulai | jeda | lanjut | kecepatan
    rate: Mapped[float] = mapped_column(Float)  # simulated working seconds per real second
    wall_at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(120))

    exercise: Mapped[Exercise] = relationship(back_populates="clock_changes")


class Participant(db.Model):  # type: ignore[name-defined,misc]
    """A trainee in an exercise; `token` is their personal rejoin key."""

    __tablename__ = "participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercise.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    unit_name: Mapped[str] = mapped_column(String(160))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    personal_code: Mapped[str | None] = mapped_column(String(8))  # for rejoining by hand
    cohort: Mapped[str | None] = mapped_column(String(80))
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Attendance facts (domain.attendance derives the state from them and the event log).
    first_seen_at: Mapped[datetime | None] = mapped_column(DateTime)  # joined or rejoined
    # Mode OPD: the unit (catalogue code) whose admin penghubung this trainee is.
    unit_code: Mapped[str | None] = mapped_column(String(40))
    hidden_at: Mapped[datetime | None] = mapped_column(DateTime)  # by the facilitator
    removed_at: Mapped[datetime | None] = mapped_column(DateTime)  # events stay in the log
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", name="fk_participant_merged_into_id_participant"))
    # Mode tim: a team is a row with seat "tim" that owns the team's shared reports; each
    # person of it has team_id (that row) and their seat (domain.team: "instansi", "opd-N").
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", name="fk_participant_team_id_participant"), index=True)
    seat: Mapped[str | None] = mapped_column(String(40))
    # The explicit id the participant list gave (a NIP; domain.people.nip_problem says what
    # it may be): the studi komparasi follows the same person across sessions by it.
    nip: Mapped[str | None] = mapped_column(String(40))

    exercise: Mapped[Exercise] = relationship(back_populates="participants")
    team: Mapped[Participant | None] = relationship(
        remote_side="Participant.id", foreign_keys=[team_id])

    @property
    def is_team(self) -> bool:
        """Whether this row is a team (mode tim), not a person."""
        return self.seat == "tim"

    @property
    def owner_id(self) -> int:
        """Whose reports this person works on: their team's in mode tim, else their own."""
        return self.team_id or self.id


class Complaint(db.Model):  # type: ignore[name-defined,misc]
    """One synthetic report in a trainee's copy of the exercise, with its hidden answer key."""

    __tablename__ = "complaint"
    __table_args__ = (UniqueConstraint("participant_id", "tracking_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercise.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    tracking_no: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    reporter: Mapped[dict[str, Any]] = mapped_column(JSON)
    attachments: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    answer_key: Mapped[dict[str, Any]] = mapped_column(JSON)
    arrived_at: Mapped[datetime] = mapped_column(DateTime, index=True)  # release time
    # The simulated reporter's script (domain.simulation.ReporterScript); None: played by hand.
    script: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # When the script acts next (simulated); None: nothing more. Kept by services.complaints,
    # read by the ticker (services.ticker), which records what has come due.
    due_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)

    # Projection of the event log, written only by services.complaints.record_action.
    state: Mapped[str] = mapped_column(String(20), default=State.BARU.value, index=True)
    judul: Mapped[str | None] = mapped_column(String(200))
    unit: Mapped[str | None] = mapped_column(String(40))

    exercise: Mapped[Exercise] = relationship()
    participant: Mapped[Participant] = relationship()
    events: Mapped[list[Event]] = relationship(
        back_populates="complaint", order_by="Event.seq", cascade="all, delete-orphan"
    )

    @property
    def status(self) -> State:
        return State(self.state)


class ScoreOverride(db.Model):  # type: ignore[name-defined,misc]
    """A facilitator's 1–5 rubric for one TL; append-only, the latest one counts."""

    __tablename__ = "score_override"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    tl_seq: Mapped[int] = mapped_column(Integer)
    rubric: Mapped[int] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(120))
    wall_at: Mapped[datetime] = mapped_column(DateTime)


class ScoreCard(db.Model):  # type: ignore[name-defined,misc]
    """A trainee's report card as last computed: a cache, never the truth.

    Kept so a projector or dashboard polling a room reads cards instead of rescoring
    every trainee. `basis` names what the card was computed from (the trainee's last
    event, event count, last rubric, joining and the scoring rules, see
    services.scoring.card_basis): a card whose basis differs from the current one, or
    read after `steady_until` (simulated), is stale and computed again. Recording an
    event changes the basis, so nothing else has to invalidate it.
    """

    __tablename__ = "score_card"

    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), primary_key=True)
    basis: Mapped[str] = mapped_column(String(64))
    computed_at: Mapped[datetime] = mapped_column(DateTime)  # simulated moment scored at
    steady_until: Mapped[datetime | None] = mapped_column(DateTime)  # None: until an event
    card: Mapped[dict[str, Any]] = mapped_column(JSON)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)  # its totals, read alone by boards


class SessionEvent(db.Model):  # type: ignore[name-defined,misc]
    """A facilitator's (or system's) control of a whole session: the session's own event log.

    Clock commands, freeze and reveal, broadcasts, injected reports and imports are
    all appended here; the session's frozen state, messages and injected reports are
    derived from these rows. `seq` numbers the log of one session without gaps.
    """

    __tablename__ = "session_event"
    __table_args__ = (UniqueConstraint("exercise_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercise.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(30))
    actor: Mapped[str] = mapped_column(String(120))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    sim_at: Mapped[datetime] = mapped_column(DateTime)
    wall_at: Mapped[datetime] = mapped_column(DateTime)


class Event(db.Model):  # type: ignore[name-defined,misc]
    """One action or reporter event on a complaint: the source of truth."""

    __tablename__ = "event"
    __table_args__ = (UniqueConstraint("complaint_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(30))
    role: Mapped[str] = mapped_column(String(30))
    actor: Mapped[str] = mapped_column(String(120))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    state_after: Mapped[str] = mapped_column(String(20))
    sim_at: Mapped[datetime] = mapped_column(DateTime)
    wall_at: Mapped[datetime] = mapped_column(DateTime)
    # The form's one-time key: a retried or double-clicked submit finds this row.
    idem_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    # The person who recorded it; None for scripts and simulated teammates (and events
    # older than mode tim, recorded by their report's owner).
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", name="fk_event_participant_id_participant"))

    complaint: Mapped[Complaint] = relationship(back_populates="events")

    def to_record(self) -> EventRecord:
        return EventRecord(
            seq=self.seq, action=Action(self.action), role=Role(self.role), actor=self.actor,
            payload=self.payload, sim_at=self.sim_at, wall_at=self.wall_at,
        )


class AuthAttempt(db.Model):  # type: ignore[name-defined,misc]
    """A sign-in, join or rejoin attempt, kept to rate-limit guessing.

    In a table rather than process memory, so the limit holds across server processes.
    `scope` is the door (masuk, ikut, lanjut); `account` what was tried on it (a
    username or session code); `client` the remote address.
    """

    __tablename__ = "auth_attempt"
    __table_args__ = (Index("ix_auth_attempt_client", "scope", "client", "wall_at"),
                      Index("ix_auth_attempt_account", "scope", "account", "wall_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(20))
    client: Mapped[str] = mapped_column(String(64))
    account: Mapped[str] = mapped_column(String(120))
    succeeded: Mapped[bool] = mapped_column(default=False)
    wall_at: Mapped[datetime] = mapped_column(DateTime)


class RequestKey(db.Model):  # type: ignore[name-defined,misc]
    """A state-changing request's one-time key and what its first answer was.

    A form carries a fresh key; when a flaky hotspot makes the browser send it again,
    the second request finds this row and gets the same answer, recording nothing.
    """

    __tablename__ = "request_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    endpoint: Mapped[str] = mapped_column(String(80))
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    wall_at: Mapped[datetime] = mapped_column(DateTime, index=True)
