"""Facilitator pages: exports (filled in by issue 6)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("exports", __name__, url_prefix="/fasilitator")
