"""A measure of variety (issue 15, item 7): shares, distinct amounts and months, and the
most repeated 5-word phrases, so a drop in variety shows."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

from sandbox.domain.catalogue import load_catalogue
from sandbox.domain.generator import generate
from sandbox.domain.variety import measure

ROOT = Path(__file__).resolve().parents[2]
START = datetime(2026, 3, 2, 7, 0)


def _catalogue():
    return load_catalogue(ROOT / "seed/regions/kabupaten-sukamaju.toml", ROOT / "seed/topics")


def test_the_shipped_catalogue_is_varied():
    variety = measure(generate(_catalogue(), 2026, 3000, START))
    assert variety.count == 3000
    assert abs(sum(variety.channels.values()) - 1) < 1e-9
    assert abs(sum(variety.registers.values()) - 1) < 1e-9
    assert len(variety.channels) == 6 and len(variety.registers) == 5
    assert max(variety.registers.values()) < 0.45
    assert 0.03 < variety.share("bahasa_daerah") < 0.2
    assert 0.01 < variety.share("tindak_lanjut") < 0.1
    assert 0.05 < variety.share("foto") < 0.3
    assert variety.distinct_amounts > 80
    assert variety.distinct_months >= 4
    # No phrase is in more than one report in ten.
    assert variety.phrases[0][1] < 300, variety.phrases[:3]


def test_one_template_for_everything_shows_as_a_repeated_phrase():
    catalogue = _catalogue()
    dull = [dataclasses.replace(t, templates=("Air PDAM di {kelurahan} mati sejak kemarin, "
                                              "mohon segera diperbaiki.",))
            for t in catalogue.topics if not t.duplicate]
    variety = measure(generate(catalogue, 2026, 500, START, topics=dull, messiness=0))
    phrase, reports = variety.phrases[0]
    assert reports > 250 and "mati sejak kemarin mohon" in " ".join(p for p, _ in
                                                                    variety.phrases)
    assert variety.distinct_amounts == 0


def test_the_measure_reads_as_lines():
    variety = measure(generate(_catalogue(), 7, 300, START))
    lines = variety.lines()
    assert lines[0] == "sample: 300 complaints"
    for label in ("channels:", "registers:", "regional language mixed in:",
                  "several issues in one report:", "follow-ups of an earlier report:",
                  "with a photo:", "distinct money amounts:", "distinct months named:",
                  "most repeated 5-word phrases"):
        assert any(line.startswith(label) for line in lines), label
    assert len(lines) == 11 + len(variety.phrases)
