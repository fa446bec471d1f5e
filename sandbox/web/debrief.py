"""Facilitator pages: debrief (filled in by issue 6)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("debrief", __name__, url_prefix="/fasilitator")
