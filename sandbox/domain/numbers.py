"""Reading a number a person typed: the one rule for every form, query parameter and file.

A number is ASCII digits only, with at most one decimal separator (comma or point) where
a decimal is allowed and a leading minus only where the range goes below zero. Python's
own `int()` and `isdigit()` accept more than that ("²" is a digit to `isdigit()` but not
to `int()`; "١٢" and full-width digits are numbers to `int()`), and `int()` refuses texts
of more than 4,300 digits with an error of its own, so neither is used on raw input: the
text is matched against ASCII patterns and its length capped first, and only then
converted. Whatever is wrong, the message names the field's allowed range.
"""

from __future__ import annotations

import math
import re

from sandbox.domain.errors import ValidationError

# Exercise.seed (and every other id-like column) is a 32-bit INTEGER on PostgreSQL, and
# SQLite stops at 64 bits: a seed is kept to what every database stores.
SEED_MAX = 2**31 - 1
ID_MAX = 2**31 - 1  # a row id in a form (a report, a TL's number) fits the same column type
# No number a person types here is longer; anything longer is refused before conversion.
TEXT_MAX = 40

_INTEGER = re.compile(r"(-?)([0-9]+)")
_DECIMAL = re.compile(r"(-?)([0-9]+)(?:[.,]([0-9]+))?")


def format_decimal(value: float) -> str:
    """A number the Indonesian way for messages: decimal comma, no trailing zeros ("0,25")."""
    return f"{value:g}".replace(".", ",")


def _clean(value: object) -> str | None:
    """The trimmed text of `value`, or None when it is not text or is too long to be a number."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    return text if len(text) <= TEXT_MAX else None


def parse_int(value: str | int, field: str, label: str, minimum: int, maximum: int, *,
              message: str | None = None) -> int:
    """The whole number in `value` within [minimum, maximum], else ValidationError on `field`.

    `message` replaces the standard "<label> harus bilangan bulat <min> sampai <max>.".
    """
    refusal = message or f"{label} harus bilangan bulat {minimum} sampai {maximum}."
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        text = _clean(value)
        match = _INTEGER.fullmatch(text) if text is not None else None
        if match is None or (match.group(1) and minimum >= 0):
            raise ValidationError({field: refusal})
        number = int(match.group(0))  # at most TEXT_MAX ASCII characters: always converts
    if not minimum <= number <= maximum:
        raise ValidationError({field: refusal})
    return number


def parse_optional_int(value: str | int | None, field: str, label: str, minimum: int,
                       maximum: int, *, message: str | None = None) -> int | None:
    """Like parse_int, but nothing (None, or only spaces) gives None: an optional field."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_int(value, field, label, minimum, maximum, message=message)


def parse_decimal(value: str | float, field: str, label: str, minimum: float,
                  maximum: float, *, message: str | None = None) -> float:
    """The number in `value` ("1,5" or "1.5") within [minimum, maximum], else ValidationError.

    No exponents, no "inf" or "nan", no thousands separators: digits, one comma or point.
    """
    refusal = message or (f"{label} harus angka {format_decimal(minimum)} sampai "
                          f"{format_decimal(maximum)} (mis. 1,5).")
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    else:
        text = _clean(value)
        match = _DECIMAL.fullmatch(text) if text is not None else None
        if match is None or (match.group(1) and minimum >= 0):
            raise ValidationError({field: refusal})
        number = float(match.group(0).replace(",", "."))
    if not math.isfinite(number) or not minimum <= number <= maximum:
        raise ValidationError({field: refusal})
    return number
