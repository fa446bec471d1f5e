"""Facilitator pages: roster (filled in by issue 6)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("roster", __name__, url_prefix="/fasilitator")
