"""The domain core stays pure: no Flask, no SQLAlchemy, no Werkzeug, no web or storage layer."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = ROOT / "sandbox" / "domain"
DOMAIN_FILES = sorted(DOMAIN.glob("*.py"))
DOMAIN_MODULES = [f"sandbox.domain.{p.stem}" for p in DOMAIN_FILES if p.stem != "__init__"]
FORBIDDEN_ROOTS = ("flask", "sqlalchemy", "werkzeug")
HEAVY = ("flask", "sqlalchemy", "werkzeug", "flask_sqlalchemy", "flask_wtf", "flask_htmx")


def _is_forbidden(module: str) -> bool:
    top = module.split(".")[0]
    if top in FORBIDDEN_ROOTS or top.startswith("flask_"):
        return True
    # Inside the project, the domain may only import the domain.
    return top == "sandbox" and not (module == "sandbox.domain"
                                     or module.startswith("sandbox.domain."))


def forbidden_imports(source: str, filename: str = "<test>") -> list[str]:
    """Every forbidden module imported anywhere in `source` (also inside functions)."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if _is_forbidden(alias.name)]
        elif isinstance(node, ast.ImportFrom):
            if node.level > 1:  # "from .. import x" leaves the domain package
                found.append("." * node.level + (node.module or ""))
            elif node.level == 0 and node.module and _is_forbidden(node.module):
                found.append(node.module)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute | ast.Name)
              and getattr(node.func, "attr", getattr(node.func, "id", None)) in (
                  "import_module", "__import__")
              and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str) and _is_forbidden(node.args[0].value)):
            found.append(node.args[0].value)
    return found


def test_domain_files_found():
    names = {p.stem for p in DOMAIN_FILES}
    assert {"workflow", "errors", "clock", "catalogue", "generator"} <= names


@pytest.mark.parametrize("source", [
    "import flask",
    "from flask import current_app",
    "import flask_sqlalchemy as fs",
    "from flask_wtf import FlaskForm",
    "import sqlalchemy.orm",
    "from sqlalchemy import select",
    "from werkzeug.exceptions import NotFound",
    "def f():\n    import flask\n",
    "import os, werkzeug",
    "from sandbox.extensions import db",
    "from sandbox.models import Complaint",
    "from .. import app",
    "import importlib\nimportlib.import_module('sqlalchemy')",
])
def test_checker_catches_forbidden_imports(source):
    """The checker itself must be able to fail."""
    assert forbidden_imports(source) != []


@pytest.mark.parametrize("source", [
    "import os\nfrom datetime import datetime",
    "from faker import Faker",
    "from sandbox.domain.errors import DomainError",
    "from . import errors",
    "import flasky_thing",  # only the exact package name or flask_* is banned
])
def test_checker_allows_pure_imports(source):
    assert forbidden_imports(source) == []


@pytest.mark.parametrize("path", DOMAIN_FILES, ids=[p.name for p in DOMAIN_FILES])
def test_domain_source_imports_no_framework(path):
    assert forbidden_imports(path.read_text(encoding="utf-8"), str(path)) == []


def _loaded_after_import(module: str, *, isolate_package: bool) -> list[str]:
    prelude = ""
    if isolate_package:
        # Register `sandbox` as a bare package so that only the domain's own import
        # graph runs, not sandbox/__init__.py.
        prelude = (
            "import types; pkg = types.ModuleType('sandbox'); "
            f"pkg.__path__ = [{str(ROOT / 'sandbox')!r}]; sys.modules['sandbox'] = pkg; "
        )
    code = (
        "import sys, json, importlib; "
        + prelude
        + f"importlib.import_module({module!r}); "
        + f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("module", DOMAIN_MODULES)
def test_domain_module_import_graph_is_pure(module):
    """Importing the domain modules themselves loads neither Flask nor SQLAlchemy."""
    assert _loaded_after_import(module, isolate_package=True) == []


def test_importing_domain_modules_does_not_load_flask():
    """`python -c "import sandbox.domain.X"` must not pull in the web stack.

    This includes the parent package: sandbox/__init__.py runs first, so an eager
    `from sandbox.app import create_app` there breaks the domain's purity for every caller.
    """
    offenders = {}
    for module in DOMAIN_MODULES:
        loaded = _loaded_after_import(module, isolate_package=False)
        heavy = sorted({name.split(".")[0] for name in loaded} & {"flask", "sqlalchemy"})
        if heavy:
            offenders[module] = heavy
    assert offenders == {}
