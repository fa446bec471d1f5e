"""Accounts: facilitators (created from the command line or by an admin, passwords
hashed), and ending a signed-in person's sessions on the server (`session_version`)."""

from __future__ import annotations

import functools
import re
import secrets

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from sandbox.domain.errors import ValidationError
from sandbox.extensions import db
from sandbox.models import Facilitator, Participant
from sandbox.services.timekeeping import wall_now

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,59}$")
PASSWORD_MIN = 8


def create_facilitator(username: str, name: str, password: str,
                       is_admin: bool = False) -> Facilitator:
    """A new facilitator; every problem with the form is reported at once."""
    username, name = (username or "").strip().lower(), (name or "").strip()
    errors = {}
    if not USERNAME_RE.match(username):
        errors["username"] = ("Nama pengguna 3–60 karakter: huruf kecil, angka, titik, "
                              "garis bawah atau tanda hubung.")
    elif db.session.scalar(select(Facilitator).where(Facilitator.username == username)):
        errors["username"] = f"Nama pengguna «{username}» sudah dipakai."
    if not name:
        errors["name"] = "Nama lengkap wajib diisi."
    elif len(name) > 120:
        errors["name"] = "Nama terlalu panjang: maksimal 120 karakter."
    if (problem := password_problem(password)) is not None:
        errors["password"] = problem
    if errors:
        raise ValidationError(errors)
    facilitator = Facilitator(username=username, name=name,
                              password_hash=generate_password_hash(password),
                              is_admin=is_admin, created_at=wall_now())
    db.session.add(facilitator)
    db.session.flush()
    return facilitator


def password_problem(password: str) -> str | None:
    """What is wrong with a new password (too short), or None."""
    if len(password or "") < PASSWORD_MIN:
        return f"Kata sandi minimal {PASSWORD_MIN} karakter."
    return None


@functools.cache
def _dummy_hash() -> str:
    """A hash made the way real ones are, of a password nobody knows."""
    return generate_password_hash(secrets.token_hex(16))


def authenticate(username: str, password: str) -> Facilitator | None:
    """The facilitator whose username and password match, else None.

    An unknown username is checked against a dummy hash of the same method, so it costs
    as long as a known one and the answer time does not tell which usernames exist.
    """
    facilitator: Facilitator | None = db.session.scalar(select(Facilitator).where(
        Facilitator.username == (username or "").strip().lower()))
    stored = facilitator.password_hash if facilitator is not None else _dummy_hash()
    matches = check_password_hash(stored, password or "")
    return facilitator if facilitator is not None and matches else None


def end_sessions(account: Facilitator | Participant) -> None:
    """Sign this person out everywhere: every cookie stamped with the old version stops."""
    account.session_version = (account.session_version or 0) + 1
    db.session.flush()


def change_password(facilitator: Facilitator, current: str, new: str, repeat: str) -> None:
    """A facilitator changes their own password; their other sessions end.

    Every problem is reported at once; `current` is the field when the present password
    was wrong (the caller counts that as a failed sign-in).
    """
    errors = {}
    if not check_password_hash(facilitator.password_hash, current or ""):
        errors["current"] = "Kata sandi saat ini salah."
    if (problem := password_problem(new)) is not None:
        errors["new"] = problem
    elif new != repeat:
        errors["repeat"] = "Ulangi kata sandi baru persis sama."
    if errors:
        raise ValidationError(errors)
    _set_password(facilitator, new)


def reset_password(username: str, password: str) -> Facilitator:
    """Set a facilitator's password from the command line; their sessions end."""
    username = (username or "").strip().lower()
    facilitator: Facilitator | None = db.session.scalar(select(Facilitator).where(
        Facilitator.username == username))
    errors = {}
    if facilitator is None:
        errors["username"] = f"Tidak ada fasilitator dengan nama pengguna «{username[:60]}»."
    if (problem := password_problem(password)) is not None:
        errors["password"] = problem
    if errors or facilitator is None:
        raise ValidationError(errors)
    _set_password(facilitator, password)
    return facilitator


def _set_password(facilitator: Facilitator, password: str) -> None:
    facilitator.password_hash = generate_password_hash(password)
    end_sessions(facilitator)


def facilitator_by_id(facilitator_id: object) -> Facilitator | None:
    if not isinstance(facilitator_id, int):
        return None
    return db.session.get(Facilitator, facilitator_id)


def facilitator_count() -> int:
    return int(db.session.scalar(select(func.count()).select_from(Facilitator)) or 0)
