"""The facilitator manages a session's participants: rename, hide, remove, merge.

Nothing a trainee did is deleted: a removed or merged participant's reports and events
stay in the log (and in the event-log export), they are only left out of every list and
score (domain.attendance). A merge keeps one participant's identity and leaves the other
out; it does not move reports across, since both hold their own copy of the same
tracking numbers and one of them cannot hold two. Each step is appended to the session
log.
"""

from __future__ import annotations

from sandbox.domain.errors import DomainError, ValidationError
from sandbox.models import Exercise, Participant
from sandbox.services.accounts import end_sessions
from sandbox.services.attendance import listed, registered_as
from sandbox.services.practice import check_trainee
from sandbox.services.session_log import log_control
from sandbox.services.teams import wake_team
from sandbox.services.timekeeping import wall_now


class NoSuchParticipant(DomainError):
    """No participant with that id is listed in this session."""


def participant_of(exercise: Exercise, participant_id: str | int | None) -> Participant:
    """A participant still listed in this session; anyone else is as good as missing."""
    wanted = str(participant_id or "").strip()
    for participant in listed(exercise):
        if str(participant.id) == wanted:
            return participant
    raise NoSuchParticipant("Peserta tidak ditemukan di sesi ini (mungkin sudah dihapus "
                            "atau digabungkan).")


def rename_participant(exercise: Exercise, participant_id: str | int | None, name: str,
                       unit_name: str, actor: str) -> Participant:
    """A new name and OPD, checked as joining checks them; no clash with another listed."""
    participant = participant_of(exercise, participant_id)
    errors: dict[str, str] = {}
    name, unit_name = check_trainee(name, unit_name, errors, "Unit kerja (OPD)")
    if not errors:
        other = registered_as(exercise, name, unit_name,
                              [p for p in listed(exercise) if p.id != participant.id])
        if other is not None:
            errors["name"] = (f"Sudah ada peserta «{other.name}» dari «{other.unit_name}» di "
                              "sesi ini. Gabungkan keduanya bila orangnya sama.")
    if errors:
        raise ValidationError(errors)
    before = {"nama_lama": participant.name, "opd_lama": participant.unit_name}
    participant.name, participant.unit_name = name, unit_name
    log_control(exercise, "ganti_nama", actor, {"peserta": participant.id, **before,
                                                "nama": name, "opd": unit_name})
    return participant


def hide_participant(exercise: Exercise, participant_id: str | int | None,
                     actor: str) -> Participant:
    """Left out of every list and score until shown again; they can still sign in."""
    participant = participant_of(exercise, participant_id)
    if participant.hidden_at is None:
        participant.hidden_at = wall_now()
        log_control(exercise, "sembunyikan", actor, {"peserta": participant.id,
                                                     "nama": participant.name})
    return participant


def show_participant(exercise: Exercise, participant_id: str | int | None,
                     actor: str) -> Participant:
    """Undo a hide."""
    participant = participant_of(exercise, participant_id)
    if participant.hidden_at is not None:
        participant.hidden_at = None
        log_control(exercise, "tampilkan", actor, {"peserta": participant.id,
                                                   "nama": participant.name})
    return participant


def remove_participant(exercise: Exercise, participant_id: str | int | None,
                       actor: str) -> Participant:
    """Out of every list and score for good, signed out; their events stay in the log."""
    participant = participant_of(exercise, participant_id)
    participant.removed_at = wall_now()
    end_sessions(participant)
    if participant.team is not None:  # mode tim: a simulated teammate takes the seat
        wake_team(participant.team)
    log_control(exercise, "hapus_peserta", actor, {"peserta": participant.id,
                                                   "nama": participant.name,
                                                   "opd": participant.unit_name})
    return participant


def merge_participants(exercise: Exercise, keep_id: str | int | None,
                       other_id: str | int | None, actor: str) -> Participant:
    """Two entries for one person become one: `keep` stays, `other` is left out.

    A sign-in as the other (their link or personal code) signs in as the kept one.
    """
    try:
        keep = participant_of(exercise, keep_id)
        other = participant_of(exercise, other_id)
    except NoSuchParticipant:
        raise ValidationError({"gabung": "Pilih dua peserta dari daftar sesi ini: yang "
                                         "dipertahankan dan yang digabungkan."}) from None
    if other.id == keep.id:
        raise ValidationError({"gabung": "Seorang peserta tidak dapat digabungkan dengan "
                                         "dirinya sendiri."})
    other.merged_into_id = keep.id
    end_sessions(other)
    if other.team is not None:  # mode tim: their seat is free again
        wake_team(other.team)
    log_control(exercise, "gabung", actor, {"peserta": keep.id, "nama": keep.name,
                                            "digabung": other.id, "nama_digabung": other.name})
    return keep
