"""Which characters a text from outside may hold: the one rule for forms and files.

Control characters have no place in a name, a title or a report: NUL is refused by
PostgreSQL outright, and the rest (escape sequences, backspaces) garble a page, a
spreadsheet or a terminal. Only TAB, LF and CR pass, for texts of several lines. DEL
and lone surrogates (half of a UTF-16 pair, which no encoder can write) are refused too.
"""

from __future__ import annotations

import re

FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")

_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x1B: "ESC", 0x7F: "DEL"}


def forbidden_character(text: str) -> str | None:
    """The first refused character of `text`, described ("U+0000 (NUL)"); None if it is clean."""
    found = FORBIDDEN.search(text)
    if found is None:
        return None
    code = ord(found.group())
    name = _NAMES.get(code, "surrogat" if 0xD800 <= code <= 0xDFFF else "kontrol")
    return f"U+{code:04X} ({name})"


def printable(text: str, limit: int = 60) -> str:
    """`text` made safe to show in a message: refused characters as "?", at most `limit`."""
    shown = FORBIDDEN.sub("?", text)
    return shown if len(shown) <= limit else shown[:limit] + "…"
