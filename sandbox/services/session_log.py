"""A session's own event log: every facilitator control is appended here.

The reports' events (table `event`) say what trainees did; this log says what the
facilitator did to the whole session: clock commands, freeze and reveal of the
leaderboard, broadcast messages, injected reports, participant imports and the facilitator's
changes to participants (rename, hide, remove, merge). What
the session looks like now (frozen or not, the message on screen) is derived from it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from sandbox.domain.errors import DomainError, ValidationError
from sandbox.extensions import db
from sandbox.models import Exercise, SessionEvent
from sandbox.services.timekeeping import sim_clock, wall_now

# Kinds of session events, with how the facilitator's log names them.
KIND_LABELS = {
    "mulai": "Memulai sesi", "jeda": "Menjeda", "lanjut": "Melanjutkan",
    "kecepatan": "Mengubah kecepatan", "akhiri": "Mengakhiri sesi",
    "bekukan": "Membekukan papan skor", "ungkap": "Mengungkap papan skor",
    "pesan": "Mengirim pesan", "hapus_pesan": "Menghapus pesan",
    "suntik": "Menyuntikkan laporan", "impor": "Mengimpor peserta",
    "nilai_tl": "Menilai kualitas TL",
    "ganti_nama": "Mengubah nama peserta", "sembunyikan": "Menyembunyikan peserta",
    "tampilkan": "Menampilkan lagi peserta", "hapus_peserta": "Menghapus peserta",
    "gabung": "Menggabungkan peserta",
}


def log_control(exercise: Exercise, kind: str, actor: str,
                payload: dict[str, Any] | None = None) -> SessionEvent:
    """Append one control to the session's log, numbered after the last one."""
    if db.session.get_bind().dialect.name == "postgresql":
        # Two facilitator tabs must not take the same number: lock the session row.
        db.session.execute(select(Exercise.id).where(Exercise.id == exercise.id)
                           .with_for_update())
    last = db.session.scalar(select(func.max(SessionEvent.seq))
                             .where(SessionEvent.exercise_id == exercise.id))
    row = SessionEvent(exercise_id=exercise.id, seq=(last or 0) + 1, kind=kind, actor=actor,
                       payload=payload or {}, sim_at=sim_clock(exercise).now(),
                       wall_at=wall_now())
    db.session.add(row)
    db.session.flush()
    return row


def session_log(exercise: Exercise, kinds: tuple[str, ...] | None = None) -> list[SessionEvent]:
    query = select(SessionEvent).where(SessionEvent.exercise_id == exercise.id)
    if kinds is not None:
        query = query.where(SessionEvent.kind.in_(kinds))
    return list(db.session.scalars(query.order_by(SessionEvent.seq)))


def last_of(exercise: Exercise, kinds: tuple[str, ...]) -> SessionEvent | None:
    result: SessionEvent | None = db.session.scalar(
        select(SessionEvent).where(SessionEvent.exercise_id == exercise.id,
                                   SessionEvent.kind.in_(kinds))
        .order_by(SessionEvent.seq.desc()).limit(1))
    return result


def frozen_since(exercise: Exercise) -> datetime | None:
    """The wall moment the leaderboard was frozen, or None while it is live."""
    last = last_of(exercise, ("bekukan", "ungkap"))
    return last.wall_at if last is not None and last.kind == "bekukan" else None


# The session events that change the facilitator's broadcast on trainees' screens.
BROADCAST_KINDS = ("pesan", "hapus_pesan")


def current_message(exercise: Exercise) -> SessionEvent | None:
    """The facilitator's broadcast on every trainee's screen, until it is cleared."""
    last = last_of(exercise, BROADCAST_KINDS)
    return last if last is not None and last.kind == "pesan" else None


MESSAGE_MAX = 280


def freeze_board(exercise: Exercise, actor: str) -> None:
    """Freeze the leaderboard: the projector keeps showing the standings of this moment."""
    if frozen_since(exercise) is None:
        log_control(exercise, "bekukan", actor)


def reveal_board(exercise: Exercise, actor: str) -> None:
    """Unfreeze: the projector shows the standings of now, with the reveal animation."""
    if frozen_since(exercise) is None:
        raise DomainError("Papan skor tidak sedang dibekukan; tidak ada yang perlu diungkap.")
    log_control(exercise, "ungkap", actor)


def broadcast(exercise: Exercise, actor: str, text: str) -> SessionEvent:
    """A short message shown at once on every trainee's screen, replacing the previous one."""
    cleaned = " ".join((text or "").split())
    if not cleaned:
        raise ValidationError({"pesan": "Tulis pesannya dulu."})
    if len(cleaned) > MESSAGE_MAX:
        raise ValidationError({"pesan": f"Pesan terlalu panjang: {len(cleaned)} karakter, "
                                        f"maksimal {MESSAGE_MAX}."})
    return log_control(exercise, "pesan", actor, {"teks": cleaned})


def clear_message(exercise: Exercise, actor: str) -> None:
    if current_message(exercise) is not None:
        log_control(exercise, "hapus_pesan", actor)
