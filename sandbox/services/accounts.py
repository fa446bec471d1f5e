"""Facilitator accounts: created from the command line or by an admin; passwords hashed."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from sandbox.domain.errors import ValidationError
from sandbox.extensions import db
from sandbox.models import Facilitator
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
    if len(password or "") < PASSWORD_MIN:
        errors["password"] = f"Kata sandi minimal {PASSWORD_MIN} karakter."
    if errors:
        raise ValidationError(errors)
    facilitator = Facilitator(username=username, name=name,
                              password_hash=generate_password_hash(password),
                              is_admin=is_admin, created_at=wall_now())
    db.session.add(facilitator)
    db.session.flush()
    return facilitator


def authenticate(username: str, password: str) -> Facilitator | None:
    """The facilitator whose username and password match, else None."""
    facilitator: Facilitator | None = db.session.scalar(select(Facilitator).where(
        Facilitator.username == (username or "").strip().lower()))
    if facilitator is None or not check_password_hash(facilitator.password_hash,
                                                      password or ""):
        return None
    return facilitator


def facilitator_by_id(facilitator_id: object) -> Facilitator | None:
    if not isinstance(facilitator_id, int):
        return None
    return db.session.get(Facilitator, facilitator_id)


def facilitator_count() -> int:
    return int(db.session.scalar(select(func.count()).select_from(Facilitator)) or 0)
