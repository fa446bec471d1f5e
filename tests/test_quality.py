"""Lint and types are part of the test suite, so the README's one test command checks them."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str, cwd: Path = ROOT, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600, **kwargs)


def test_ruff_is_clean():
    result = _run(sys.executable, "-m", "ruff", "check", "--output-format", "concise", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_clean_and_strict_on_the_domain():
    result = _run(sys.executable, "-m", "mypy", "sandbox")
    assert result.returncode == 0, result.stdout + result.stderr


def test_wheel_carries_data_and_runs_from_any_directory(tmp_path):
    """A non-editable install works away from the source tree: templates, seed, static ship."""
    build = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                 "-w", str(tmp_path / "dist"), str(ROOT))
    assert build.returncode == 0, build.stdout + build.stderr
    wheel = next((tmp_path / "dist").glob("lapor_sandbox-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("sandbox/templates/base.html", "sandbox/templates/reports/_workspace.html",
                     "sandbox/seed/regions/kabupaten-sukamaju.toml",
                     "sandbox/static/vendor/htmx.min.js", "sandbox/static/vendor/VENDORED.json",
                     "sandbox/static/css/app.css", "sandbox/domain/workflow.py",
                     "sandbox/migrations/env.py", "sandbox/migrations/alembic.ini",
                     "sandbox/migrations/versions/0001_foundation.py"):
        assert required in names, f"{required} missing from the wheel"
    assert any(n.startswith("sandbox/seed/topics/") for n in names)
    assert not any(n.startswith("tests/") for n in names)

    target = tmp_path / "site"
    install = _run(sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(target),
                   str(wheel))
    assert install.returncode == 0, install.stdout + install.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    script = (
        "import sandbox, re\n"
        "from sandbox.cli import _app, prepare_demo\n"
        f"assert sandbox.__file__.startswith({str(target)!r}), sandbox.__file__\n"
        "app = _app()  # builds the database from the wheel's migrations\n"
        "client = app.test_client()\n"
        "assert client.get(prepare_demo(app)).status_code == 303\n"
        "html = client.get('/kotak-masuk').get_data(as_text=True)\n"
        "print(len(set(re.findall(r'/laporan/(\\d+)', html))))\n"
    )
    env = {"PYTHONPATH": str(target), "LAPOR_INSTANCE_PATH": str(tmp_path / "instance"),
           "PATH": "/usr/bin:/bin"}
    run = _run(sys.executable, "-c", script, cwd=elsewhere, env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.strip() == "12"


def test_console_script_has_help_for_every_command():
    exe = shutil.which("lapor-sandbox")
    command = [exe] if exe else [sys.executable, "-m", "sandbox.cli"]
    for sub in ([], ["demo"], ["serve"], ["init-db"], ["db", "upgrade"], ["db", "status"],
                ["backup"], ["info"], ["compare"]):
        result = _run(*command, *sub, "--help")
        assert result.returncode == 0, result.stderr
        assert "Usage:" in result.stdout
