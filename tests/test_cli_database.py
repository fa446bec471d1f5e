"""Where the data lives and how it is kept: data folder, schema check at start, upgrade
with a backup copy, online backups, `info`, and owner-only files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from sandbox import create_app
from sandbox.cli import main
from sandbox.config import TestConfig
from sandbox.services.database import adopt_previous_instance
from tests.migrations.test_migrations import load_legacy


@pytest.fixture
def instance(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    monkeypatch.setenv("LAPOR_INSTANCE_PATH", str(folder))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return folder


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_default_data_folder_is_the_users_data_dir_not_the_venv(tmp_path, monkeypatch):
    monkeypatch.delenv("LAPOR_INSTANCE_PATH", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    app = create_app(TestConfig)
    assert Path(app.instance_path) == tmp_path / "xdg" / "lapor-sandbox"
    assert Path(app.instance_path).stat().st_mode & 0o777 == 0o700


def test_info_says_where_the_data_is(instance):
    result = run("info")
    assert result.exit_code == 0, result.output
    assert f"Data folder:     {instance}" in result.output
    assert "lapor-sandbox.db" in result.output and "synchronous=FULL" in result.output
    assert "Schema revision: (empty) (this build: 0012)" in result.output


def test_every_command_upgrades_an_older_database_after_a_backup(instance):
    load_legacy("582cb98", instance / "lapor-sandbox.db")
    status = run("db", "status")
    assert "Schema revision: 0005 (recognised from its tables; not yet stamped)" in status.output
    result = run("init-db")
    assert result.exit_code == 0, result.output
    assert "Database upgraded from schema 0005 to 0012; a copy of the old one is in" in \
        result.output
    backups = list((instance / "backups").glob("lapor-sandbox-*-sebelum-0005-ke-0012.db"))
    assert len(backups) == 1
    assert "Up to date." in run("db", "status").output
    again = run("init-db")
    assert "upgraded" not in again.output and "Database ready" in again.output


def test_db_upgrade_on_a_current_database_does_nothing(instance):
    run("init-db")
    result = run("db", "upgrade")
    assert result.exit_code == 0
    assert "already at schema 0012; nothing to do" in result.output
    assert not (instance / "backups").exists()


def test_a_newer_database_stops_every_command_with_a_message(instance):
    run("init-db")
    with sqlite3.connect(instance / "lapor-sandbox.db") as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0999'")
    connection.close()
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 2
    assert "error: The database has schema revision 0999" in result.output
    assert "newer version" in result.output


def test_backup_is_a_consistent_owner_only_copy(instance, tmp_path):
    run("init-db")
    target = tmp_path / "salinan.db"
    result = run("backup", str(target))
    assert result.exit_code == 0, result.output
    assert f"Backup written to {target}" in result.output
    assert target.stat().st_mode & 0o777 == 0o600
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == ("0012",)
    copy.close()
    refused = run("backup", str(target))
    assert refused.exit_code == 2 and "already exists" in refused.output
    default = run("backup")
    assert default.exit_code == 0 and str(instance / "backups") in default.output


def test_backup_on_postgresql_names_pg_dump(instance, clock):
    from sandbox.domain.errors import DomainError
    from sandbox.services.database import backup_database

    app = create_app(TestConfig, WALL_CLOCK=clock,
                     SQLALCHEMY_DATABASE_URI="postgresql://lapor@127.0.0.1:1/lapor")
    with app.app_context(), pytest.raises(DomainError, match="pg_dump --format=custom"):
        backup_database()  # refused before any connection is made


def test_database_and_secret_files_are_owner_only(instance):
    run("init-db")
    for name in ("lapor-sandbox.db", "secret_key"):
        assert (instance / name).stat().st_mode & 0o777 == 0o600, name


def test_data_of_an_install_inside_the_venv_is_copied_to_the_data_folder(tmp_path, clock):
    old = tmp_path / "venv" / "var" / "sandbox-instance"
    load_legacy("582cb98", old / "lapor-sandbox.db")
    (old / "secret_key").write_text("kunci-lama")
    (old / "demo_token").write_text("token-lama")
    new = tmp_path / "new"
    app = create_app(TestConfig, WALL_CLOCK=clock,
                     SQLALCHEMY_DATABASE_URI=f"sqlite:///{new / 'lapor-sandbox.db'}")
    app.instance_path = str(new)
    app.auto_find_instance_path = lambda: str(old)  # type: ignore[method-assign]

    assert adopt_previous_instance(app) == old
    with sqlite3.connect(new / "lapor-sandbox.db") as copied, \
            sqlite3.connect(old / "lapor-sandbox.db") as original:
        query = "SELECT count(*) FROM event"
        assert copied.execute(query).fetchone() == original.execute(query).fetchone() != (0,)
    copied.close()
    original.close()
    assert (new / "secret_key").read_text() == "kunci-lama"
    assert (new / "demo_token").read_text() == "token-lama"
    assert (old / "lapor-sandbox.db").exists()  # the old folder is left as it was
    assert adopt_previous_instance(app) is None  # once is enough


def test_the_wsgi_app_refuses_an_old_schema_and_serves_a_current_one(instance):
    """Production workers never migrate: an old database stops them with the command."""
    import subprocess
    import sys

    load_legacy("582cb98", instance / "lapor-sandbox.db")
    code = "import sandbox.wsgi as w; print(w.app.name)"
    refused = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             env={**__import__("os").environ}, timeout=60)
    assert refused.returncode != 0
    assert "did not start" in refused.stderr and "lapor-sandbox db upgrade" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert run("db", "upgrade").exit_code == 0
    served = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert served.returncode == 0 and served.stdout.strip() == "sandbox"
