"""[teks] berantakan: a scenario sets how messy its reports read (issue 15, item 3), with a
clear message for a bad value, and only the words change with it."""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime

import pytest

from sandbox.domain.generator import generate
from sandbox.domain.messiness import DEFAULT_MESSINESS
from sandbox.domain.scenario import ScenarioError, expand, parse_scenario
from tests.domain.test_scenario import doc_example, holidays, load_region

MESS = {"salah_ketik", "singkatan", "autokoreksi", "tanda_baca", "huruf_kecil", "huruf_ganda",
        "kapital", "emoji"}


def _parse(extra: str):
    return parse_scenario(doc_example() + extra, "contoh.toml", load_region, holidays())


def _schedule(scenario):
    schedule, _ = expand(scenario, load_region(scenario.region), scenario.calendar(holidays()))
    return [s.complaint for s in schedule]


def test_without_teks_the_default_is_moderate():
    assert _parse("").messiness == DEFAULT_MESSINESS == 0.35


@pytest.mark.parametrize(("written", "read"), [("0", 0.0), ("0.1", 0.1), ("1", 1.0),
                                               ("0.75", 0.75)])
def test_berantakan_is_read(written, read):
    assert _parse(f"\n[teks]\nberantakan = {written}\n").messiness == read


@pytest.mark.parametrize(("written", "shown"), [
    ("1.5", "1.5"), ("-0.1", "-0.1"), ('"sedikit"', "'sedikit'"), ("true", "true"),
    ("nan", "nan"), ("inf", "inf"),
])
def test_a_bad_berantakan_is_refused_with_its_line(written, shown):
    with pytest.raises(ScenarioError) as error:
        _parse(f"\n[teks]\nberantakan = {written}\n")
    problems = [str(p) for p in error.value.problems]
    assert len(problems) == 1
    assert re.fullmatch(rf"contoh\.toml:\d+: teks\.berantakan: harus angka dari 0 \(teks rapi\) "
                        rf"sampai 1 \(sangat berantakan\), mis\. 0\.35 \(tertulis: "
                        rf"{re.escape(shown)}\)", problems[0]), problems


def test_a_mistyped_key_or_shape_is_refused():
    with pytest.raises(ScenarioError) as error:
        _parse("\n[teks]\nberantakn = 0.2\n")
    assert "teks.berantakn: kunci tidak dikenal (salah ketik?)" in str(error.value.problems[0])
    text = doc_example().replace("format = 1\n", "format = 1\nteks = 0.2\n", 1)
    with pytest.raises(ScenarioError) as error:
        parse_scenario(text, "contoh.toml", load_region, holidays())
    assert any("teks: harus tabel [teks]" in str(p) for p in error.value.problems)


def test_a_clean_scenario_has_clean_reports_and_the_same_answers():
    clean = _schedule(_parse("\n[teks]\nberantakan = 0\n"))
    messy = _schedule(_parse("\n[teks]\nberantakan = 1\n"))
    assert not any(c.voice.features & MESS for c in clean)
    assert any(c.voice.features & MESS for c in messy)
    assert [c.key for c in clean] == [c.key for c in messy]
    assert [c.reporter for c in clean] == [c.reporter for c in messy]


def test_an_officer_notes_the_time_the_report_arrived():
    """Dates and times in the texts follow each report's own arrival in the schedule (the
    `arrivals` a scenario passes), not the generator's own clock."""
    catalogue = load_region("kabupaten-sukamaju.toml")
    topic = dataclasses.replace(catalogue.topic("pdam-air-mati"), channels=("telepon",))
    arrivals = [datetime(2026, 3, 2 + i // 8, 8 + i % 8, 7 * (i % 8)) for i in range(40)]
    noted = 0
    for complaint in generate(catalogue, 3, 40, arrivals[0], sequence=[topic] * 40,
                              arrivals=arrivals):
        assert complaint.arrived_at == arrivals[complaint.position - 1]
        found = re.search(r"pukul (\d\d)\.(\d\d) WIB", complaint.text)
        if found:
            assert (int(found[1]), int(found[2])) == (complaint.arrived_at.hour,
                                                      complaint.arrived_at.minute)
            noted += 1
        if "Maret 2026" in complaint.text:
            assert f"{complaint.arrived_at.day} Maret 2026" in complaint.text
    assert noted > 10
