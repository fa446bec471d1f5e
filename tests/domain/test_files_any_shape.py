"""Scenario and catalogue files of any shape get a message, never a traceback.

Hypothesis writes TOML documents of arbitrary shape (tables, arrays and every kind of
scalar, nested at random), mutates the shipped files and the broken-file corpus
(tests/scenarios_broken) value by value and byte by byte, and feeds them to the loaders.
Only ScenarioError / CatalogueError (or success) may come out; a scenario that loads must
also expand into its schedule.
"""

from __future__ import annotations

import math
import shutil
from datetime import UTC, date, datetime, time, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.cli import main
from sandbox.domain.catalogue import Catalogue, load_catalogue
from sandbox.domain.errors import CatalogueError, DomainError
from sandbox.domain.scenario import (
    ScenarioError,
    expand,
    hand_topic,
    load_holidays,
    load_scenario,
    opd_units,
    parse_scenario,
)
from sandbox.domain.tomlfile import NESTING_MAX

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml"))
BROKEN = sorted((ROOT / "tests" / "scenarios_broken").glob("*.toml"))
REGIONS = sorted((ROOT / "seed" / "regions").glob("*.toml"))
TOPICS = sorted((ROOT / "seed" / "topics").glob("*.toml"))
HOLIDAYS = ROOT / "seed" / "calendar" / "hari-libur.toml"
FILE_SETTINGS = settings(max_examples=60, deadline=None,
                         suppress_health_check=[HealthCheck.too_slow,
                                                HealthCheck.function_scoped_fixture])


@lru_cache(maxsize=4)
def _shipped_region(name: str) -> Catalogue:
    return load_catalogue(ROOT / "seed" / "regions" / name, ROOT / "seed" / "topics")


def load_region(name: str) -> Catalogue:
    """Like the app's loader: a file name in seed/regions/, looked up on disk."""
    path = ROOT / "seed" / "regions" / name
    if not path.is_file():
        raise DomainError(f"file wilayah tidak ditemukan: {name}")
    return _shipped_region(path.name)


# ------------------------------------------------------------------ writing TOML


def _string(text: str) -> str:
    escaped = []
    for char in text:
        if char in '"\\':
            escaped.append("\\" + char)
        elif ord(char) < 0x20 or char == "\x7f":
            escaped.append(f"\\u{ord(char):04x}")  # TOML's own escape, so the value arrives
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_string(k)} = {_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(type(value))


def dump(document: dict[str, Any]) -> str:
    """A TOML document: top-level keys with inline values (any shape can be written so)."""
    return "".join(f"{_string(key)} = {_value(value)}\n" for key, value in document.items())


# ------------------------------------------------------------------ strategies

KEYS = st.sampled_from([
    "format", "scenario", "sla", "scoring", "reporter", "timeline", "id", "title",
    "description", "goals", "duration_minutes", "minutes_per_hk", "region", "seed", "start",
    "office_hours", "extra_holidays", "feedback", "mode", "at", "topics", "kategori", "count",
    "random", "complaint", "over", "note", "text", "channel", "expected_action", "target",
    "acceptable", "klasifikasi", "explanation", "tunda_reply", "accept", "chase", "rating",
    "region", "kecamatan", "unit", "agency", "config", "topic", "name", "code", "kelurahan",
    "templates", "weight", "attachments", "libur", "date", "penyelesaian", "kuning",
]) | st.text(min_size=1, max_size=8)

MEANINGFUL = st.sampled_from([
    "+5 menit", "+0 menit", "1 HK", "3 jam", "never", "10 menit", "kabupaten-sukamaju.toml",
    "kota-mekarsari.toml", "pdam-air-mati", "disposisi", "bukan_wewenang", "arsipkan",
    "pupr", "dinkes", "@kecamatan", "web", "sms", "kabupaten", "WIB", "langsung", "akhir",
    "individu", "always", "by_answer", "08:00", "16:00", "{kecamatan}", "{rt:>999999999}",
    "{nama", "infrastruktur", "pengaduan-tidak-berkadar-pengawasan", "a\x00b", "\x1b[31m",
    "١٢", "²", "9" * 400, "x" * 6000, "\u202etxt", "",
])

SCALARS = st.one_of(
    st.booleans(),
    st.integers(min_value=-3, max_value=600),
    st.integers(),
    st.integers(min_value=-(10**60), max_value=10**60),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    MEANINGFUL,
    st.datetimes(timezones=st.none() | st.just(UTC) | st.just(timezone(timedelta(hours=7)))),
    st.dates(),
    st.times(),
)

VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=5),
    max_leaves=25,
)

DOCUMENTS = st.dictionaries(KEYS, VALUES, max_size=8)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a parsed document a value sits at (keys and list indexes)."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


def _mutate(document: dict[str, Any], data: st.DataObject, rounds: int) -> dict[str, Any]:
    """The document with some values replaced by any value, or removed."""
    import copy

    document = copy.deepcopy(document)
    for _ in range(rounds):
        paths = _paths(document)
        if not paths:
            break
        path = data.draw(st.sampled_from(paths))
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        if data.draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = data.draw(VALUES)
    return document


def _byte_mutations(data: st.DataObject, original: bytes) -> bytes:
    """`original` with a few bytes replaced, inserted or deleted at random places."""
    content = bytearray(original)
    for _ in range(data.draw(st.integers(1, 6))):
        at = data.draw(st.integers(0, len(content)))
        kind = data.draw(st.sampled_from(["replace", "insert", "delete", "truncate"]))
        chunk = data.draw(st.binary(min_size=1, max_size=8) | st.sampled_from(
            [b"[", b"]", b"{", b"}", b'"', b"'''", b"\n", b"=", b"\xff", b"\xc3", b"\x00",
             b"9" * 50, b"[[timeline]]\n"]))
        if kind == "replace":
            content[at:at + len(chunk)] = chunk
        elif kind == "insert":
            content[at:at] = chunk
        elif kind == "delete":
            del content[at:at + len(chunk)]
        else:
            del content[at:]
    return bytes(content)


def _parsed(path: Path) -> dict[str, Any]:
    import tomllib

    return tomllib.loads(path.read_text(encoding="utf-8"))


# ------------------------------------------------------------------ scenarios


def _check_scenario(text: str, source: str = "acak.toml") -> None:
    """Only ScenarioError or a scenario that also expands; nothing else may escape."""
    try:
        scenario = parse_scenario(text, source, load_region)
    except ScenarioError as error:
        assert error.problems, "a ScenarioError must list its problems"
        for problem in error.problems:
            assert problem.message and problem.field
        return
    # A scenario that passes its check is played: the schedule must come out too (in mode
    # opd, that of the first OPD a trainee may choose).
    sizes = sum(len(e.topics) + e.count + e.random + e.opd + 1 for e in scenario.timeline)
    if sizes <= 300:
        catalogue = load_region(scenario.region)
        unit = opd_units(catalogue)[0].code if scenario.mode == "opd" else None
        expand(scenario, catalogue, scenario.calendar(frozenset()), unit)


@FILE_SETTINGS
@given(DOCUMENTS)
def test_a_scenario_of_any_shape_gets_problems_not_a_traceback(document):
    _check_scenario(dump(document))


def _readable(path: Path) -> bool:
    try:
        _parsed(path)
    except ValueError:  # the corpus's own TOML syntax error
        return False
    return True


@FILE_SETTINGS
@given(st.sampled_from([p for p in SCENARIOS + BROKEN if _readable(p)]), st.integers(1, 4),
       st.data())
def test_shipped_and_broken_scenarios_mutated_value_by_value(path, rounds, data):
    mutated = _mutate(_parsed(path), data, rounds)
    _check_scenario(dump(mutated), path.name)


@FILE_SETTINGS
@given(st.sampled_from(SCENARIOS + BROKEN), st.data())
def test_shipped_and_broken_scenarios_mutated_byte_by_byte(tmp_path, path, data):
    target = tmp_path / path.name
    target.write_bytes(_byte_mutations(data, path.read_bytes()))
    try:
        load_scenario(target, load_region)
    except ScenarioError as error:
        assert error.problems


@FILE_SETTINGS
@given(st.dictionaries(KEYS, VALUES, max_size=12)
       | st.dictionaries(st.sampled_from(["text", "channel", "expected_action", "target",
                                          "klasifikasi", "kategori", "explanation",
                                          "archive_reason", "acceptable", "rahasia", "id"]),
                         st.text(max_size=30) | MEANINGFUL, max_size=11))
def test_a_hand_written_report_of_any_shape_gets_problems(raw):
    try:
        hand_topic(raw, _shipped_region("kabupaten-sukamaju.toml"))
    except ScenarioError as error:
        assert error.problems


DEEP = "a = " + "[" * 100_000 + "]" * 100_000 + "\n"
HOSTILE_FILES = {
    "deep-array": DEEP.encode(),
    "deep-inline-table": ("a = " + "{b = " * 5000 + "1" + "}" * 5000 + "\n").encode(),
    "nested-below-the-parser-limit": ("a = " + "[" * 400 + "]" * 400 + "\n").encode(),
    "huge-integer": b"format = " + b"9" * 5000 + b"\n",
    "not-utf8": b'format = 1\ntitle = "\xff\xfe"\n',
    "utf16": "format = 1\n".encode("utf-16"),
    "empty": b"",
    "only-spaces": b"   \n\n\t\n",
    "binary-junk": bytes(range(256)) * 4,
    "nul-in-string": b'format = 1\n[scenario]\nid = "a\\u0000b"\n',
    "table-where-list": b"format = 1\n[timeline]\nat = 1\n",
    "list-where-table": b"format = 1\nscenario = [1, 2]\nsla = [[]]\nreporter = 3\n",
    "nan-and-inf": b"format = 1\n[scenario]\nduration_minutes = nan\nminutes_per_hk = inf\n",
    "dates-everywhere": b"format = 2026-01-01\nscenario = 10:00:00\ntimeline = 1979-05-27\n",
    "scalars-where-tables": b"format = 1\nkecamatan = 3\nunit = true\nagency = 1.5\n"
                            b"topic = 7\nlibur = 2\nscenario = 1\ntimeline = 4\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
def test_hostile_scenario_files_get_a_message(tmp_path, name):
    path = tmp_path / f"{name}.toml"
    path.write_bytes(HOSTILE_FILES[name])
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path, load_region)
    assert caught.value.problems and all(p.message for p in caught.value.problems)
    assert "Traceback" not in str(caught.value)


def test_deep_nesting_is_named_as_such(tmp_path):
    for text in (DEEP, "a = " + "[" * (NESTING_MAX + 1) + "]" * (NESTING_MAX + 1) + "\n"):
        with pytest.raises(ScenarioError) as caught:
            parse_scenario(text, "dalam.toml", load_region)
        assert "bersarang terlalu dalam" in str(caught.value)


def test_a_huge_seed_and_far_dates_are_refused_by_the_check():
    """Values that TOML reads but the database or calendar cannot hold."""
    base = SCENARIOS[0].read_text(encoding="utf-8")
    parsed = _parsed(SCENARIOS[0])
    for key, value, message in (
            ("seed", 99_999_999_999_999_999_999, "paling besar 2147483647"),
            ("seed", 2**31, "paling besar 2147483647"),
            ("minutes_per_hk", 1e-300, "paling sedikit 0.1"),
            ("duration_minutes", float("nan"), "bukan nan"),
            ("start", datetime(9999, 12, 31, 23, 0), "tahun harus 2000 sampai 2100")):
        document = {**parsed, "scenario": {**parsed["scenario"], key: value}}
        with pytest.raises(ScenarioError) as caught:
            parse_scenario(dump(document), SCENARIOS[0].name, load_region)
        assert any(p.field == f"scenario.{key}" and message in p.message
                   for p in caught.value.problems), (key, str(caught.value))
    assert parse_scenario(base, str(SCENARIOS[0]), load_region).seed >= 0


def test_reporter_delays_are_capped():
    """A delay of years would overflow the calendar when the reporter answers."""
    parsed = _parsed(SCENARIOS[0])
    for value in ("999999999 HK", "100000 jam", "366 HK"):
        document = {**parsed, "reporter": {"tunda_reply": value}}
        with pytest.raises(ScenarioError) as caught:
            parse_scenario(dump(document), SCENARIOS[0].name, load_region)
        assert [(p.field, p.message[:19]) for p in caught.value.problems] == [
            ("reporter.tunda_reply", "paling lama 365 HK ")], value
    document = {**parsed, "reporter": {"tunda_reply": "365 HK"}}
    assert parse_scenario(dump(document), SCENARIOS[0].name, load_region).reporter


def test_control_characters_in_scenario_texts_are_refused():
    parsed = _parsed(SCENARIOS[0])
    document = {**parsed, "scenario": {**parsed["scenario"], "title": "Bimtek\x00\x1b[2J"}}
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(dump(document), SCENARIOS[0].name, load_region)
    assert [(p.field, p.message) for p in caught.value.problems] == [
        ("scenario.title", "berisi karakter yang tidak diizinkan U+0000 (NUL)")]


def test_a_region_name_the_file_system_cannot_open_is_a_problem():
    parsed = _parsed(SCENARIOS[0])
    for region in ("kabupaten\x00.toml", "a" * 190 + "/" + "b" * 300):
        document = {**parsed, "scenario": {**parsed["scenario"], "region": region}}
        with pytest.raises(ScenarioError) as caught:
            parse_scenario(dump(document), SCENARIOS[0].name, load_region)
        assert any(p.field == "scenario.region" for p in caught.value.problems)


@FILE_SETTINGS
@given(st.data())
def test_the_holiday_calendar_of_any_shape(tmp_path, data):
    original = HOLIDAYS.read_bytes()
    if data.draw(st.booleans()):
        content = dump(_mutate(_parsed(HOLIDAYS), data, 3)).encode()
    else:
        content = _byte_mutations(data, original)
    path = tmp_path / "hari-libur.toml"
    path.write_bytes(content)
    try:
        load_holidays(path)
    except ScenarioError as error:
        assert error.problems


# ------------------------------------------------------------------ catalogue


@pytest.fixture(scope="module")
def catalogue_dir(tmp_path_factory):
    """A region file and a topics folder holding two shipped topic files, to mutate."""
    root = tmp_path_factory.mktemp("katalog")
    (root / "topics").mkdir()
    for path in TOPICS[:2]:
        shutil.copy(path, root / "topics" / path.name)
    return root


def _check_catalogue(region: Path, topics: Path) -> None:
    try:
        loaded = load_catalogue(region, topics)
    except CatalogueError as error:
        assert error.message.startswith("Katalog tidak valid:")
        return
    assert loaded.topics


@FILE_SETTINGS
@given(st.sampled_from(REGIONS), st.integers(1, 4), st.data())
def test_region_files_mutated_value_by_value(catalogue_dir, path, rounds, data):
    region = catalogue_dir / "wilayah.toml"
    region.write_text(dump(_mutate(_parsed(path), data, rounds)), encoding="utf-8")
    _check_catalogue(region, catalogue_dir / "topics")


@FILE_SETTINGS
@given(st.sampled_from(REGIONS + TOPICS[:3]), st.data())
def test_catalogue_files_mutated_byte_by_byte(catalogue_dir, path, data):
    mutated = _byte_mutations(data, path.read_bytes())
    if path in REGIONS:
        region, topics = catalogue_dir / "wilayah.toml", catalogue_dir / "topics"
    else:
        region, topics = REGIONS[0], catalogue_dir / "satu-topik"
        topics.mkdir(exist_ok=True)
    target = region if path in REGIONS else topics / path.name
    target.write_bytes(mutated)
    _check_catalogue(region, topics)


@FILE_SETTINGS
@given(st.sampled_from(TOPICS), st.integers(1, 4), st.data())
def test_topic_files_mutated_value_by_value(catalogue_dir, path, rounds, data):
    topics = catalogue_dir / "satu-topik-nilai"
    topics.mkdir(exist_ok=True)
    (topics / "topik.toml").write_text(dump(_mutate(_parsed(path), data, rounds)),
                                       encoding="utf-8")
    _check_catalogue(REGIONS[0], topics)


@FILE_SETTINGS
@given(DOCUMENTS, DOCUMENTS)
def test_catalogue_files_of_any_shape(catalogue_dir, region_document, topic_document):
    region = catalogue_dir / "acak.toml"
    region.write_text(dump(region_document), encoding="utf-8")
    topics = catalogue_dir / "acak-topik"
    topics.mkdir(exist_ok=True)
    (topics / "acak.toml").write_text(dump(topic_document), encoding="utf-8")
    _check_catalogue(region, topics)


@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
def test_hostile_catalogue_files_get_a_message(tmp_path, name):
    region = tmp_path / "wilayah.toml"
    region.write_bytes(HOSTILE_FILES[name])
    topics = tmp_path / "topics"
    topics.mkdir()
    (topics / "rusak.toml").write_bytes(HOSTILE_FILES[name])
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(region, topics)
    assert str(region) in caught.value.message and str(topics / "rusak.toml") in \
        caught.value.message


def test_slot_formats_and_oversized_weights_are_refused(tmp_path):
    topic = _parsed(TOPICS[0])["topic"][0]
    mutated = {"format": 1, "topic": [{**topic, "templates": ["Di {kecamatan:>999999999}"],
                                       "weight": 10**400}]}
    topics = tmp_path / "topics"
    topics.mkdir()
    (topics / "a.toml").write_text(dump(mutated), encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(REGIONS[0], topics)
    assert "tanpa format" in caught.value.message
    assert "weight: harus angka lebih dari 0, paling besar 1000" in caught.value.message


# ------------------------------------------------------------------ the command line


@pytest.mark.parametrize("name", ["deep-array", "not-utf8", "empty", "binary-junk",
                                  "huge-integer", "list-where-table"])
def test_the_cli_prints_errors_not_a_traceback(tmp_path, name):
    path = tmp_path / f"{name}.toml"
    path.write_bytes(HOSTILE_FILES[name])
    runner = CliRunner()
    for command in (["scenario", "check", str(path)], ["catalogue", "check", str(path)]):
        result = runner.invoke(main, command)
        assert result.exit_code != 0, (command, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), \
            (command, repr(result.exception))
        assert "Traceback" not in result.output
        assert "error:" in result.output, (command, result.output)


@pytest.mark.parametrize("content", [b"libur = 2\n", b"[libur]\ndate = 1\n", b"\xff\xfe",
                                     b"libur = [" * 3000, b"libur = [{date = 2026-13-01}]\n"])
def test_a_broken_holiday_calendar_gets_a_message(tmp_path, content):
    path = tmp_path / "hari-libur.toml"
    path.write_bytes(content)
    with pytest.raises(ScenarioError) as caught:
        load_holidays(path)
    assert caught.value.problems and all(p.message for p in caught.value.problems)
