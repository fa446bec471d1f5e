"""What a stored field accepts: one rule for the form that writes it and the import that
reads it back.

A workshop's title, date and place, session and personal codes, office hours and the
settings copied into a session are checked here, by the workshop form and by the
archive import alike, so anything the product stores it can export, import and show
again. Lengths are those of the database columns (sandbox/models.py).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import fields
from datetime import date, datetime, time
from typing import Any

from sandbox.domain.scoring import Dimension, ScoringSettings
from sandbox.domain.sla import SlaSettings
from sandbox.domain.text import forbidden_character
from sandbox.domain.workflow import Klasifikasi

# Exercise.title, Exercise.held_on, Exercise.location.
TITLE_MAX, HELD_ON_MAX, LOCATION_MAX = 200, 40, 160
# Exercise.code (String(16)) and Participant.personal_code (String(8)), as generated
# (services.practice.personal_code) and as typed by a person: letters and digits only.
SESSION_CODE = re.compile(r"^[A-Z0-9]{4,16}$")
PERSONAL_CODE = re.compile(r"^[A-Z0-9]{4,8}$")
_CLOCK = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")  # ASCII digits only
FEEDBACK = ("langsung", "akhir")
SLA_DAYS_MAX = 365  # HK, as a scenario file allows
DURATION_MAX, MINUTES_PER_HK_MAX = 480, 600  # as a scenario file allows
POINTS_MAX = 100  # a scoring weight or penalty, as a scenario file allows


def control_message(label: str, text: str) -> str | None:
    """The message for a field holding a refused character (domain.text), or None."""
    char = forbidden_character(text)
    if char is None:
        return None
    return (f"{label} berisi karakter yang tidak diizinkan ({char}). Hapus karakter itu "
            "lalu kirim lagi.")


def check_text(label: str, value: str, maximum: int, *, required: bool = False,
               hint: str = "") -> str | None:
    """One text field of a form, already trimmed: required, length, refused characters."""
    if not value:
        return f"{label} wajib diisi." if required else None
    if len(value) > maximum:
        return f"{label} terlalu panjang: maksimal {maximum} karakter.{hint}"
    return control_message(label, value)


def check_workshop_text(title: str, held_on: str, location: str) -> dict[str, str]:
    """The workshop form's text fields (trimmed), as its columns accept them."""
    errors: dict[str, str] = {}
    for field, label, value, maximum, required, hint in (
            ("title", "Judul sesi", title, TITLE_MAX, True, ""),
            ("held_on", "Tanggal", held_on, HELD_ON_MAX, False,
             " Tulis tanggalnya saja, mis. «Selasa, 10 Maret 2026»; tempat punya isian sendiri."),
            ("location", "Tempat", location, LOCATION_MAX, False, "")):
        problem = check_text(label, value, maximum, required=required, hint=hint)
        if problem:
            errors[field] = problem
    return errors


def normal_code(text: str) -> str:
    """A session or personal code as stored: trimmed, upper case (people type lower case)."""
    return text.strip().upper()


def parse_clock(text: Any) -> time | None:
    """A time of day written HH:MM (00:00 to 23:59), or None if it is not one."""
    match = _CLOCK.fullmatch(text) if isinstance(text, str) else None  # no trailing "\n"
    return time(int(match.group(1)), int(match.group(2))) if match else None


def _number(value: Any, low: float, high: float, *, above: bool = False) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return False
    return (value > low if above else value >= low) and value <= high


def _iso(value: Any, kind: type[date] | type[datetime]) -> bool:
    if not isinstance(value, str):
        return False
    try:
        parsed = kind.fromisoformat(value)
    except ValueError:
        return False
    if isinstance(parsed, datetime):
        return kind is datetime and parsed.tzinfo is None
    return kind is date


def settings_problems(settings: Mapping[str, Any]) -> list[tuple[str, str]]:
    """What is wrong with a session's settings (calendar, SLA, scoring, notes), by key.

    The settings are what a scenario file set when the session began; these are the
    rules the scenario check applies, on the stored (JSON) form of the same values.
    """
    problems: list[tuple[str, str]] = []
    if "office_start" in settings or "office_end" in settings:
        opening = parse_clock(settings.get("office_start"))
        closing = parse_clock(settings.get("office_end"))
        for key, value in (("office_start", opening), ("office_end", closing)):
            if value is None:
                problems.append((key, 'harus jam yang sah seperti "08:00" (00:00 sampai 23:59)'))
        if opening is not None and closing is not None and opening >= closing:
            problems.append(("office_end", "jam tutup harus sesudah jam buka"))
        holidays = settings.get("holidays")
        if not isinstance(holidays, list) or not all(_iso(d, date) for d in holidays):
            problems.append(("holidays", "harus daftar tanggal seperti \"2026-03-04\""))
    if settings.get("feedback", "langsung") not in FEEDBACK:
        problems.append(("feedback", "harus langsung atau akhir"))
    for key, maximum in (("duration_minutes", DURATION_MAX),
                         ("minutes_per_hk", MINUTES_PER_HK_MAX)):
        if settings.get(key) is not None and not _number(settings[key], 0, maximum, above=True):
            problems.append((key, f"harus angka lebih dari 0 sampai {maximum}"))
    problems.extend(_sla_problems(settings.get("sla")))
    problems.extend(_scoring_problems(settings.get("scoring")))
    version = settings.get("scoring_version")
    if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
        problems.append(("scoring_version", "harus bilangan bulat"))
    notes = settings.get("notes", [])
    if not isinstance(notes, list) or not all(
            isinstance(n, dict) and _iso(n.get("at"), datetime) and isinstance(n.get("text"), str)
            for n in notes):
        problems.append(("notes", 'harus daftar {"at": waktu ISO, "text": teks}'))
    return problems


def _unknown_keys(value: Mapping[str, Any], known: set[str]) -> list[str]:
    return sorted(str(key)[:30] for key in set(value) - known)


def _sla_problems(sla: Any) -> list[tuple[str, str]]:
    if sla is None or sla == {}:
        return []
    if not isinstance(sla, dict):
        return [("sla", "harus objek JSON")]
    problems = [(f"sla.{key}", "kunci tidak dikenal")
                for key in _unknown_keys(sla, {f.name for f in fields(SlaSettings)})]
    for key in ("verifikasi", "tindak_lanjut", "jendela_pelapor"):
        if key in sla and not _number(sla[key], 0, SLA_DAYS_MAX):
            problems.append((f"sla.{key}", f"harus angka 0 sampai {SLA_DAYS_MAX} (HK)"))
    if "kuning" in sla and not _number(sla["kuning"], 0, 0.99):
        problems.append(("sla.kuning", "harus angka 0 sampai 0,99"))
    completion = sla.get("penyelesaian", {})
    if not isinstance(completion, dict):
        problems.append(("sla.penyelesaian", "harus objek JSON"))
    else:
        known = {k.value for k in Klasifikasi}
        problems.extend((f"sla.penyelesaian.{key}", "klasifikasi tidak dikenal")
                        for key in _unknown_keys(completion, known))
        problems.extend((f"sla.penyelesaian.{key}", f"harus angka 0 sampai {SLA_DAYS_MAX} (HK)")
                        for key in sorted(set(completion) & known)
                        if not _number(completion[key], 0, SLA_DAYS_MAX))
    return problems


def _scoring_problems(scoring: Any) -> list[tuple[str, str]]:
    if scoring is None or scoring == {}:
        return []
    if not isinstance(scoring, dict):
        return [("scoring", "harus objek JSON")]
    problems = [(f"scoring.{key}", "kunci tidak dikenal")
                for key in _unknown_keys(scoring, {f.name for f in fields(ScoringSettings)})]
    weights = scoring.get("weights", {})
    if not isinstance(weights, dict):
        problems.append(("scoring.weights", "harus objek JSON"))
    else:
        problems.extend((f"scoring.weights.{key}", "aspek penilaian tidak dikenal")
                        for key in _unknown_keys(weights, {d.value for d in Dimension}))
        problems.extend((f"scoring.weights.{key}", f"harus angka 0 sampai {POINTS_MAX}")
                        for key, value in weights.items()
                        if key in {d.value for d in Dimension}
                        and not _number(value, 0, POINTS_MAX))
    for key, high in (("leak_penalty", POINTS_MAX), ("redispose_cost", 1), ("late_penalty", 1),
                      ("copy_threshold", 1)):
        if key in scoring and not _number(scoring[key], 0, high):
            problems.append((f"scoring.{key}", f"harus angka 0 sampai {high}"))
    for key in ("tl_min", "tl_max"):
        value = scoring.get(key)
        if key in scoring and (isinstance(value, bool) or not isinstance(value, int)
                               or not 0 <= value <= 100_000):
            problems.append((f"scoring.{key}", "harus bilangan bulat 0 atau lebih"))
    return problems
