"""Shipped scenarios and the holiday calendar, read from files and checked before use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from flask import current_app

from sandbox.config import resource_dir
from sandbox.domain.catalogue import Catalogue
from sandbox.domain.scenario import Scenario, ScenarioError, load_holidays, load_scenario
from sandbox.services.catalogue import get_catalogue

HOLIDAYS_FILE = ("calendar", "hari-libur.toml")


@dataclass(frozen=True)
class ScenarioChoice:
    id: str
    title: str
    duration_minutes: float
    description: str


def holidays() -> frozenset[date]:
    path = resource_dir("seed").joinpath(*HOLIDAYS_FILE)
    return _holidays(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _holidays(path: str, _stamp: int) -> frozenset[date]:
    return load_holidays(Path(path))


def _region(name: str) -> Catalogue:
    return get_catalogue(name)


def scenarios_dir() -> Path:
    configured = current_app.config.get("SCENARIOS_DIR")
    return Path(configured) if configured else resource_dir("scenarios")


def get_scenario(scenario_id: str) -> Scenario:
    """A scenario by id from the scenarios folder; ScenarioError if missing or broken."""
    path = scenarios_dir() / f"{scenario_id}.toml"
    if not scenario_id.replace("-", "").isalnum() or not path.is_file():
        raise ScenarioError([])  # reported by callers as an unknown scenario
    return _scenario(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=32)
def _scenario(path: str, _stamp: int) -> Scenario:
    return load_scenario(Path(path), _region, holidays())


def list_scenarios() -> list[ScenarioChoice]:
    """The shipped scenarios that pass their check, for choosing on the start page."""
    choices = []
    for path in sorted(scenarios_dir().glob("*.toml")):
        try:
            scenario = get_scenario(path.stem)
        except ScenarioError:
            continue  # `lapor-sandbox scenario check` names the problems
        choices.append(ScenarioChoice(scenario.id, scenario.title, scenario.duration_minutes,
                                      scenario.description))
    return choices
