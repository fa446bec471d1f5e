"""Attack files and staged sessions for the upload tests and bench/uploads.py.

Every builder streams its output through a compressor, so a bomb that unpacks to
hundreds of megabytes is made with a few megabytes of memory.
"""

from __future__ import annotations

import io
import random
import zipfile
import zlib
from dataclasses import dataclass

from openpyxl import Workbook
from sqlalchemy import select

from sandbox.extensions import db
from sandbox.models import Exercise, Facilitator
from sandbox.services.simulated import DEMO_CAST, SimulatedTrainee, stage_session
from sandbox.services.workshops import WorkshopForm, create_workshop

HEAD = b'{"format":"lapor-sandbox-arsip","version":1,"exercise":{},"events":['
MB = 1024 * 1024


def _gzip(parts, level: int = 9, stated_size: int | None = None) -> bytes:
    """A gzip file of the byte strings `parts` yields; `stated_size` forges the trailer."""
    packer = zlib.compressobj(level, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    out = bytearray()
    for part in parts:
        out += packer.compress(part)
    out += packer.flush()
    if stated_size is not None:
        out[-4:] = (stated_size % 2**32).to_bytes(4, "little")
    return bytes(out)


def empty_objects_bomb(objects: int = 1_400_000) -> bytes:
    """About 4 KB of gzip that unpacks to an archive with `objects` empty rows: {},{},…"""
    def parts():
        yield HEAD
        block = b"{}," * 100_000
        for _ in range(objects // 100_000):
            yield block
        yield b"{}]}"
    return _gzip(parts())


def values_bomb(values: int = 4_000_000) -> bytes:
    """An archive with millions of tiny values: [0,0,0,…] in one row."""
    def parts():
        yield HEAD + b'{"payload":['
        block = b"0," * 100_000
        for _ in range(values // 100_000):
            yield block
        yield b"0]}]}"
    return _gzip(parts())


def large_bomb(size: int = 200 * MB, stated_size: int | None = None) -> bytes:
    """About 200 KB of gzip that unpacks to `size` bytes: one enormous text in the archive.

    The gzip trailer states the true size unless `stated_size` forges it (a bomb that
    lies about its size so as not to be refused before unpacking).
    """
    def parts():
        yield HEAD + b'{"actor":"'
        block = b"A" * MB
        for _ in range(size // MB):
            yield block
        yield b'"}]}'
    return _gzip(parts(), stated_size=stated_size)


def shared_string_bomb(size: int = 200 * MB) -> bytes:
    """A small XLSX whose one shared string, used by cell A2, unpacks to `size` bytes.

    A real workbook made by openpyxl (which writes inline strings), given a shared
    string table that its relationships, content types and one cell refer to.
    """
    book = Workbook()
    book.active.append(["Nama", "OPD"])
    book.active.append(["Siti", "Dinkes"])
    plain = io.BytesIO()
    book.save(plain)
    wiring = {
        "xl/_rels/workbook.xml.rels": (b"</Relationships>", b'<Relationship Type="http://'
                                       b"schemas.openxmlformats.org/officeDocument/2006/"
                                       b'relationships/sharedStrings" Target="sharedStrings.xml"'
                                       b' Id="rId99"/></Relationships>'),
        "[Content_Types].xml": (b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" '
                                b'ContentType="application/vnd.openxmlformats-officedocument.'
                                b'spreadsheetml.sharedStrings+xml"/></Types>'),
        "xl/worksheets/sheet1.xml": (b'<c r="A2" t="inlineStr"><is><t>Siti</t></is></c>',
                                     b'<c r="A2" t="s"><v>0</v></c>'),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename in wiring:
                old, new = wiring[info.filename]
                assert old in content, info.filename
                content = content.replace(old, new)
            target.writestr(info.filename, content)
        with target.open("xl/sharedStrings.xml", "w", force_zip64=True) as stream:
            stream.write(b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://'
                         b'schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
                         b'uniqueCount="1"><si><t>')
            block = b"A" * MB
            for _ in range(size // MB):
                stream.write(block)
            stream.write(b"</t></si></sst>")
    return out.getvalue()


def workbook_with_entries(count: int) -> bytes:
    """A small XLSX padded with `count` extra zip entries."""
    book = Workbook()
    book.active.append(["Nama", "OPD"])
    book.active.append(["Siti", "Dinkes"])
    out = io.BytesIO()
    book.save(out)
    with zipfile.ZipFile(out, "a") as archive:
        for i in range(count):
            archive.writestr(f"xl/media/extra{i}.txt", b"x")
    return out.getvalue()


@dataclass(frozen=True)
class Staged:
    code: str
    trainees: int


def stage_workshop(app, clock, trainees: int = 6, minutes: int = 20,
                   scenario: str = "bimtek-dasar", username: str = "ratna",
                   step_minutes: float = 2.0) -> Staged:
    """A workshop played by simulated trainees, as the demo stages its own (seeded)."""
    from tests.exports_kit import facilitator_named

    with app.app_context():
        owner: Facilitator = facilitator_named(username)
        exercise = create_workshop(owner, WorkshopForm(
            scenario=scenario, title="Bimtek demo: admin penghubung SP4N-LAPOR!",
            held_on="Selasa, 10 Maret 2026", location="Laptop fasilitator",
            minutes_per_hk="", seed="2026"))
        cast = [SimulatedTrainee(f"{m.name} {i + 1}" if i else m.name, m.unit_name, m.cohort,
                                 m.skill)
                for i in range(trainees // len(DEMO_CAST) + 1) for m in DEMO_CAST][:trainees]
        stage_session(exercise, cast, minutes, random.Random(2026), owner.name,  # noqa: S311
                      step_minutes=step_minutes)
        code = exercise.code
        db.session.commit()
    return Staged(code, trainees)


def exercise_by_code(code: str) -> Exercise:
    return db.session.scalar(select(Exercise).where(Exercise.code == code))
