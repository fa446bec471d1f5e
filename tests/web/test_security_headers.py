"""Security headers (sandbox/web/security.py) on every response read from the URL map,
`no-store` on everything personal, and templates and scripts free of the inline code the
Content-Security-Policy refuses."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient

from sandbox.config import PACKAGE_DIR, resource_dir
from sandbox.extensions import db
from sandbox.models import Complaint
from sandbox.services.exports import workshop_by_code
from sandbox.web import FACILITATOR_BLUEPRINTS, PUBLIC_ENDPOINTS
from sandbox.web.exports import DOWNLOADS
from tests.exports_kit import play_workshop
from tests.web.kit import HX, login

TEMPLATES = resource_dir("templates")
SCRIPTS = PACKAGE_DIR / "static" / "js"


@dataclass
class Played:
    """A running workshop with trainees who acted, seen by its facilitator and one trainee."""
    facilitator: FlaskClient
    trainee: FlaskClient
    code: str
    arguments: dict[str, object]  # a real value for each URL placeholder
    personal_code: str


@pytest.fixture
def played(app: Flask, clock) -> Played:
    result = play_workshop(app, clock, facilitator="ratna", end=False)
    with app.app_context():
        siti = workshop_by_code(result.code).participants[0]
        number = db.session.scalars(db.select(Complaint.tracking_no).where(
            Complaint.participant_id == siti.id).order_by(Complaint.position)).first()
        arguments = {"code": result.code, "tracking_no": number, "participant_id": siti.id,
                     "position": 1, "kind": "hasil.csv", "action": "verifikasi",
                     "token": siti.token}
        token, personal_code = siti.token, siti.personal_code
    trainee = app.test_client()
    assert trainee.get(f"/lanjut/{token}").status_code == 303
    assert personal_code
    return Played(login(app, "ratna"), trainee, result.code, arguments, personal_code)


def _directives(policy: str) -> dict[str, list[str]]:
    parts = [part.split() for part in policy.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


def assert_secured(response, where: object) -> None:
    """The headers every response carries, static files and error pages included."""
    headers = response.headers
    policy = _directives(headers.get("Content-Security-Policy", ""))
    assert policy.get("default-src") == ["'self'"], where
    # Nothing inline and no eval: 'self' alone, never 'unsafe-inline' or 'unsafe-eval'.
    assert policy.get("script-src") == ["'self'"], where
    assert policy.get("style-src") == ["'self'"], where
    assert policy.get("img-src") == ["'self'", "data:"], where
    assert policy.get("connect-src") == ["'self'"], where
    assert policy.get("font-src") == ["'self'"], where
    assert policy.get("object-src") == ["'none'"], where
    assert policy.get("base-uri") == ["'self'"], where
    assert policy.get("form-action") == ["'self'"], where
    assert policy.get("frame-ancestors") == ["'none'"], where
    assert headers.get("X-Frame-Options") == "DENY", where
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy") == "same-origin", where
    features = {item.strip() for item in headers.get("Permissions-Policy", "").split(",")}
    assert {"camera=()", "microphone=()", "geolocation=()"} <= features, where


def _get_routes(app: Flask) -> list[tuple[str, list[str]]]:
    """(endpoint, its URL arguments) for every GET rule but the static files."""
    found = [(rule.endpoint, sorted(rule.arguments)) for rule in app.url_map.iter_rules()
             if "GET" in (rule.methods or set()) and rule.endpoint != "static"]
    assert len(found) >= 20, "the URL map changed shape"
    return found


def _url(app: Flask, endpoint: str, arguments: dict[str, object], **extra: object) -> str:
    with app.test_request_context():
        return url_for(endpoint, **arguments, **extra)


def test_every_page_gets_the_security_headers_and_no_store(app, played):
    """Each GET endpoint, opened by the user it is meant for, with real values in its URL."""
    for endpoint, names in _get_routes(app):
        url = _url(app, endpoint, {name: played.arguments[name] for name in names})
        if endpoint in PUBLIC_ENDPOINTS:
            client = app.test_client()
        elif endpoint.split(".")[0] in FACILITATOR_BLUEPRINTS:
            client = played.facilitator
        else:
            client = played.trainee
        response = client.get(url)
        assert response.status_code < 500, (endpoint, url, response.status_code)
        assert_secured(response, (endpoint, url))
        assert response.headers.get("Cache-Control") == "no-store", (endpoint, url)


def test_each_kind_of_response_gets_the_headers(app, played):
    code = played.code
    trainee_page = played.trainee.get("/kotak-masuk")
    partial = played.trainee.get("/kotak-masuk", headers=HX)
    facilitator_page = played.facilitator.get(f"/fasilitator/sesi/{code}")
    login_page = app.test_client().get("/fasilitator/masuk")
    refused = app.test_client().post("/fasilitator/masuk",
                                     data={"username": "ratna", "password": "salah"})
    forbidden = played.trainee.get(f"/fasilitator/sesi/{code}")
    missing = played.trainee.get("/tidak-ada-halaman-ini")
    assert trainee_page.status_code == facilitator_page.status_code == 200
    assert partial.status_code == login_page.status_code == 200
    assert "<html" in trainee_page.get_data(as_text=True)
    assert "<html" not in partial.get_data(as_text=True)  # the htmx partial alone
    assert refused.status_code >= 400 and forbidden.status_code == 403
    assert missing.status_code == 404
    for name, response in [("trainee page", trainee_page), ("htmx partial", partial),
                           ("facilitator page", facilitator_page), ("login", login_page),
                           ("refused login", refused), ("403", forbidden), ("404", missing)]:
        assert_secured(response, name)
        assert response.headers["Cache-Control"] == "no-store", name


@pytest.mark.parametrize(("path", "mimetype"), [
    ("css/app.css", "text/css"),
    ("js/app.js", "text/javascript"),
    ("vendor/htmx.min.js", "text/javascript"),
])
def test_static_files_get_the_headers_and_stay_cacheable(client, path, mimetype):
    """nosniff needs the right MIME type; the public static files may be cached."""
    response = client.get(f"/static/{path}")
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert_secured(response, path)
    assert "no-store" not in response.headers.get("Cache-Control", "")
    response.close()


def test_downloads_printables_cards_and_codes_are_never_stored(app, played):
    """Every export, printable record, certificate and entry card, and the pages that show a
    session's or a trainee's code, with real content (200), carry no-store."""
    urls = []
    for endpoint, names in _get_routes(app):
        if endpoint.split(".")[0] in ("exports", "roster") or endpoint == "facilitator.qr":
            arguments = {name: played.arguments[name] for name in names}
            kinds = DOWNLOADS if "kind" in names else [None]
            urls += [_url(app, endpoint, {**arguments, "kind": kind} if kind else arguments)
                     for kind in kinds]
    assert len(urls) >= 12, urls  # 4 downloads, 5 printables, the cards and the CSV example
    for url in urls:
        response = played.facilitator.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert response.headers.get("Cache-Control") == "no-store", url
    cards = played.facilitator.get(f"/fasilitator/sesi/{played.code}/peserta/kartu")
    inbox = played.trainee.get("/kotak-masuk?baru=1")  # as just after joining
    rejoin = app.test_client().get(f"/ikut/{played.code}?pribadi={played.personal_code}")
    for name, response in [("entry cards", cards), ("inbox", inbox), ("join form", rejoin)]:
        assert played.personal_code in response.get_data(as_text=True), name
        assert response.headers.get("Cache-Control") == "no-store", name


# The inline code a strict policy refuses, and what needs eval ('unsafe-eval').
INLINE = {
    "script with a body": re.compile(r"<script\b[^>]*>(?!\s*</script>)", re.I),
    "event-handler attribute": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I),
    "style attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I),
    "style block": re.compile(r"<style\b", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "hx-on (needs eval)": re.compile(r"\s(?:data-)?hx-on", re.I),
    "js: value (needs eval)": re.compile(r"""["']js:""", re.I),
    "hx-trigger filter (needs eval)": re.compile(r"""hx-trigger\s*=\s*["'][^"']*\[""", re.I),
}


COMMENTS = re.compile(r"\{#.*?#\}", re.S)  # Jinja comments never reach the browser


def inline_code(text: str) -> list[str]:
    """The kinds of inline code found in a template's text."""
    text = COMMENTS.sub("", text)
    return [kind for kind, pattern in INLINE.items() if pattern.search(text)]


def _templates() -> list[Path]:
    found = sorted(TEMPLATES.rglob("*.html"))
    assert len(found) >= 30, TEMPLATES
    return found


def test_no_template_has_inline_script_or_style():
    found = {str(path.relative_to(TEMPLATES)): kinds for path in _templates()
             if (kinds := inline_code(path.read_text(encoding="utf-8")))}
    assert found == {}, "move it into static/js or static/css: the CSP refuses it"


@pytest.mark.parametrize(("snippet", "kind"), [
    ("<script>alert(1)</script>", "script with a body"),
    ('<script defer>\n  go();\n</script>', "script with a body"),
    ('<button type="button" onclick="window.print()">', "event-handler attribute"),
    ("<form method=post\n      onsubmit=\"return confirm('x')\">", "event-handler attribute"),
    ('<li class="row" style="--n: 3">', "style attribute"),
    ("<style>.x { color: red; }</style>", "style block"),
    ('<a href="javascript:void(0)">', "javascript: URL"),
    ('<button hx-on:click="go()">', "hx-on (needs eval)"),
    ("""<div hx-vals='js:{a: 1}'>""", "js: value (needs eval)"),
    ('<div hx-trigger="every 10s [ready()]">', "hx-trigger filter (needs eval)"),
])
def test_the_template_scan_finds_each_kind_of_inline_code(snippet, kind):
    assert inline_code(snippet) == [kind]


@pytest.mark.parametrize("snippet", [
    '<script src="/static/js/app.js" defer></script>',
    '<button type="button" data-print>Cetak</button>',
    '<form data-confirm="Akhiri?" class="inline">',
    '<div hx-trigger="every 10s" data-poll-pause=".action-form">',
    "<p>Pilih opsi online=ya di sini</p>",
    "{# htmx would inject a <style>; no <script> here either #}",
])
def test_the_template_scan_lets_clean_markup_pass(snippet):
    assert inline_code(snippet) == []


def test_every_page_that_loads_htmx_keeps_it_within_the_policy():
    """htmx injects an indicator <style> and evaluates code unless its config says not to."""
    pages = [path for path in _templates() if "htmx.min.js" in path.read_text(encoding="utf-8")]
    assert len(pages) >= 2, pages  # base.html and the projector
    for path in pages:
        match = re.search(r"""<meta name="htmx-config" content='([^']*)'>""",
                          path.read_text(encoding="utf-8"))
        assert match, path
        config = json.loads(match.group(1))
        assert config.get("includeIndicatorStyles") is False, path
        assert config.get("allowEval") is False, path
        assert config.get("allowScriptTags") is False, path
        assert "style" not in config.get("attributesToSettle", ["style"]), path


def test_the_indicator_styles_htmx_would_inject_are_in_the_stylesheet():
    css = (PACKAGE_DIR / "static" / "css" / "app.css").read_text(encoding="utf-8")
    assert ".htmx-indicator" in css and ".htmx-request .htmx-indicator" in css


def test_scripts_set_no_style_attribute_and_evaluate_no_strings():
    """Styles set through the CSSOM (element.style) pass the policy; these do not."""
    refused = re.compile(r"""setAttribute\(\s*["']style|\beval\(|new Function|"""
                         r"""insertAdjacentHTML|<style|\son[a-z]+=""")
    scripts = sorted(SCRIPTS.glob("*.js"))
    assert scripts
    for path in scripts:
        assert not refused.search(path.read_text(encoding="utf-8")), path
