"""Reading a TOML file of any shape: every way it can fail becomes one UnreadableToml.

Python's tomllib raises more than TOMLDecodeError: RecursionError for deeply nested
arrays or inline tables, ValueError for an integer of more than 4,300 digits, and the
bytes may not be UTF-8 at all. Scenario and catalogue files both come through here, and
each turns UnreadableToml into its own error with the file's name.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

from sandbox.domain.errors import DomainError

# Scenario and catalogue tables nest a few levels; much deeper is a broken file, and a
# shallow limit keeps every later walk over the data (checks, messages) far from recursion.
NESTING_MAX = 16

_LINE = re.compile(r"line (\d+)")
_LONG_NUMBER = re.compile(r"[0-9_]{4000,}")


class UnreadableToml(DomainError):
    """The text is not a TOML document this app can read; `line` where it is known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def decode(data: bytes) -> str:
    """The UTF-8 text of a file (a leading byte-order mark is dropped), else UnreadableToml."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise UnreadableToml(f"bukan teks UTF-8 (byte ke-{exc.start + 1}); simpan file "
                             "sebagai UTF-8", line) from None


def parse(text: str) -> dict[str, Any]:
    """The TOML document in `text`, nested at most NESTING_MAX deep, else UnreadableToml."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _LINE.search(str(exc))
        raise UnreadableToml(f"sintaks tidak valid: {exc}",
                             int(match.group(1)) if match else None) from None
    except RecursionError:
        raise UnreadableToml(f"daftar atau tabel bersarang terlalu dalam (paling banyak "
                             f"{NESTING_MAX} tingkat)") from None
    except ValueError:  # an integer too long to convert (over 4,300 digits)
        match = _LONG_NUMBER.search(text)
        raise UnreadableToml("angka terlalu panjang", text.count("\n", 0, match.start()) + 1
                             if match else None) from None
    if _deeper_than(data, NESTING_MAX):
        raise UnreadableToml(f"daftar atau tabel bersarang terlalu dalam (paling banyak "
                             f"{NESTING_MAX} tingkat)")
    return data


def _deeper_than(value: Any, limit: int) -> bool:
    """True if lists and tables nest more than `limit` levels; walks without recursion."""
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item \
            if isinstance(item, list) else None
        if children is None:
            continue
        if level > limit:
            return True
        stack.extend((child, level + 1) for child in children)
    return False
