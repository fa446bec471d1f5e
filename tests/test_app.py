"""App factory, storage settings, CSRF, the secret key and the vendored htmx."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import text

from sandbox import create_app
from sandbox.config import PACKAGE_DIR, PROJECT_ROOT
from sandbox.extensions import db
from tests.conftest import build_app

HTMX_SHA256 = "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717"


def test_vendored_htmx_matches_its_recorded_checksum():
    record = json.loads((PACKAGE_DIR / "static/vendor/VENDORED.json").read_text())["htmx.min.js"]
    data = (PACKAGE_DIR / "static/vendor/htmx.min.js").read_bytes()
    assert record["version"] == "2.0.11"
    assert len(data) == record["bytes"]
    assert hashlib.sha256(data).hexdigest() == record["sha256"] == HTMX_SHA256


def test_no_template_or_asset_loads_from_another_host():
    offenders = []
    for path in [*PROJECT_ROOT.joinpath("templates").rglob("*.html"),
                 *PACKAGE_DIR.joinpath("static").rglob("*.css"),
                 *PACKAGE_DIR.joinpath("static/js").rglob("*.js")]:
        for match in re.finditer(r"(?:src|href|url)\s*[=(]\s*[\"']?(?:https?:)?//", path.read_text()):
            offenders.append(f"{path}: {match.group(0)}")
    assert offenders == []


def test_pages_reference_the_vendored_htmx(client):
    html = client.get("/").get_data(as_text=True)
    assert '<script src="/static/vendor/htmx.min.js"' in html
    with client.get("/static/vendor/htmx.min.js") as response:
        assert response.status_code == 200


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("LAPOR_INSTANCE_PATH", str(tmp_path / "inst"))
    monkeypatch.delenv("LAPOR_SECRET_KEY", raising=False)
    first = create_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/a.db")
    second = create_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/a.db")
    key_file = tmp_path / "inst" / "secret_key"
    assert key_file.exists()
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] == key_file.read_text()
    assert len(first.config["SECRET_KEY"]) == 64
    other = tmp_path / "other"
    monkeypatch.setenv("LAPOR_INSTANCE_PATH", str(other))
    assert create_app(SQLALCHEMY_DATABASE_URI="sqlite://").config["SECRET_KEY"] != \
        first.config["SECRET_KEY"]


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("LAPOR_INSTANCE_PATH", str(tmp_path / "inst"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'inst' / 'lapor-sandbox.db'}"


@pytest.mark.parametrize(("given", "used"), [
    ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
    ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
    ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
])
def test_database_url_overrides_the_default(tmp_path, monkeypatch, given, used):
    monkeypatch.setenv("LAPOR_INSTANCE_PATH", str(tmp_path / "inst"))
    monkeypatch.setenv("DATABASE_URL", given)
    assert create_app().config["SQLALCHEMY_DATABASE_URI"] == used


@pytest.mark.sqlite_only
def test_sqlite_connections_use_wal_and_busy_timeout(app):
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 30000
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_csrf_is_enforced_for_forms_and_htmx(tmp_path, clock):
    app = build_app(tmp_path, clock, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    refused = client.post("/mulai", data={"name": "Budi", "unit_name": "Dinkes"})
    assert refused.status_code == 400
    assert "token keamanan (CSRF) tidak valid" in refused.get_data(as_text=True)

    landing = client.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', landing).group(1)
    header_token = re.search(r'"X-CSRFToken": "([^"]+)"', landing).group(1)
    assert token and header_token  # the htmx header on <body> carries a token too
    form_key = re.search(r'name="kunci" value="([^"]+)"', landing).group(1)

    by_form = client.post("/mulai", data={"name": "Budi", "unit_name": "Dinkes",
                                          "csrf_token": token, "kunci": form_key})
    assert by_form.status_code == 303
    page = client.get("/kotak-masuk").get_data(as_text=True)
    header_token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    number = re.search(r"/laporan/(\d+)", page).group(1)
    no_token = client.post(f"/laporan/{number}/aksi/tunda", headers={"HX-Request": "true"},
                           data={"idem_key": "c" * 20, "pertanyaan": "Lokasinya di mana?"})
    assert no_token.status_code == 400
    by_header = client.post(f"/laporan/{number}/aksi/tunda",
                            headers={"HX-Request": "true", "X-CSRFToken": header_token},
                            data={"idem_key": "c" * 20, "pertanyaan": "Lokasinya di mana?"})
    assert by_header.status_code == 200


def test_server_error_page_is_indonesian_and_rolls_back(app, logged_in, trainee, monkeypatch):
    import sandbox.web.reports as reports

    def boom(*args, **kwargs):
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(reports, "record_action", boom)
    response = logged_in.post(f"/laporan/{trainee.tracking_numbers[0]}/aksi/tunda",
                              data={"idem_key": "e" * 20, "pertanyaan": "Lokasinya di mana?"})
    assert response.status_code == 500
    assert "Tidak ada data Anda yang hilang" in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


def test_oversized_request_is_refused_clearly(logged_in, trainee):
    response = logged_in.post(f"/laporan/{trainee.tracking_numbers[0]}/aksi/tunda",
                              data={"idem_key": "o" * 20, "pertanyaan": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    assert "melebihi batas 2 MB" in response.get_data(as_text=True)


def test_resource_dirs_exist_in_the_source_tree():
    for name in ("templates", "seed", "scenarios"):
        assert (PROJECT_ROOT / name).is_dir()
    assert Path(PACKAGE_DIR / "static" / "css" / "app.css").is_file()
