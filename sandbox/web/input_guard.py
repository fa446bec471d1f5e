"""Control characters are refused at the door, before any view runs (rule: domain/text.py).

Every query parameter and form field, name and value, and every text part of the URL is
checked once here, so no view has to remember it and nothing with a NUL in it is ever
stored. The refusal is a 400 page (or its partial, for htmx) naming the field. Uploaded
files are not read here: their importers check their contents.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import request

from sandbox.domain.numbers import ID_MAX
from sandbox.domain.text import forbidden_character, printable
from sandbox.web import error_page


def _texts() -> Iterator[tuple[str, str, str]]:
    """(where, name, text) for every text the request carries outside uploaded files."""
    for name, value in (request.view_args or {}).items():
        if isinstance(value, str):
            yield "alamat", name, value
    for name, value in request.args.items(multi=True):
        yield "parameter", name, name
        yield "parameter", name, value
    # A body over the size limit in force is left unread here; the view refuses it (413).
    limit = request.max_content_length
    if limit is None or (request.content_length or 0) <= limit:
        for name, value in request.form.items(multi=True):
            yield "isian", name, name
            yield "isian", name, value


def refuse_hostile_input() -> Any:
    """A 400 page naming the field if any text of the request holds a refused character.

    A number in the URL (a trainee's id) beyond what an id column holds is a 404 here:
    PostgreSQL would refuse even to look it up.
    """
    for value in (request.view_args or {}).values():
        if isinstance(value, int) and not 0 <= value <= ID_MAX:
            return error_page(404)
    for where, name, text in _texts():
        found = forbidden_character(text)
        if found is not None:
            label = {"alamat": "Alamat halaman", "parameter": "Parameter alamat",
                     "isian": "Isian"}[where]
            return error_page(400, f"{label} «{printable(name, 40)}» berisi karakter yang "
                                   f"tidak diizinkan ({found}). Hapus karakter itu lalu "
                                   "kirim lagi.")
    return None
