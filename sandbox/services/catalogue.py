"""Loads the configured catalogue once per file version; it is read-only data, safe to share."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from flask import current_app

from sandbox.config import DEFAULT_REGION, find_region, resource_dir
from sandbox.domain.catalogue import Catalogue, load_catalogue


def region_path(name: str | None = None) -> Path:
    """The region file for `name` (a file in seed/regions or a path), else the configured one."""
    return find_region(name or current_app.config.get("REGION_FILE") or DEFAULT_REGION)


def shipped_regions() -> dict[str, str]:
    """Region file names in seed/regions/ with the region's display name, for choosing."""
    regions = {}
    for path in sorted((resource_dir("seed") / "regions").glob("*.toml")):
        try:
            with path.open("rb") as handle:
                regions[path.name] = str(tomllib.load(handle)["region"]["name"])
        except (OSError, KeyError, TypeError, ValueError, RecursionError):
            regions[path.name] = path.stem  # broken files are reported when used
    return regions


def topics_dir() -> Path:
    configured = current_app.config.get("TOPICS_DIR")
    return Path(configured) if configured else resource_dir("seed") / "topics"


def get_catalogue(region: str | None = None) -> Catalogue:
    """The catalogue for a region file, reloaded when any catalogue file changes."""
    path, topics = region_path(region), topics_dir()
    stamp = tuple(p.stat().st_mtime_ns for p in [path, *sorted(topics.glob("*.toml"))]
                  if p.exists())
    return _load(str(path), str(topics), stamp)


@lru_cache(maxsize=8)
def _load(region_file: str, topics: str, _stamp: tuple[int, ...]) -> Catalogue:
    return load_catalogue(Path(region_file), Path(topics))
