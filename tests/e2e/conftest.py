"""Real-browser harness: the real server in a subprocess, Debian chromium driven by Playwright."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("LAPOR_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--headless=new", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run", "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@dataclass
class LiveServer:
    url: str
    demo_path: str
    facilitator: str = ""
    password: str = ""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """`lapor-sandbox demo` as a newcomer runs it, on a free port with its own instance folder."""
    port = _free_port()
    env = {**os.environ, "LAPOR_INSTANCE_PATH": str(tmp_path_factory.mktemp("instance"))}
    env.pop("DATABASE_URL", None)
    log = tmp_path_factory.mktemp("log") / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "sandbox.cli", "demo", "--port", str(port)],
            stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 90  # the demo stages a room first; slow on a busy machine
        demo_path = None
        while time.monotonic() < deadline and demo_path is None:
            if process.poll() is not None:
                pytest.fail(f"server exited early:\n{log.read_text()}")
            match = re.search(r"http://127\.0\.0\.1:\d+(/lanjut/\S+)", log.read_text())
            if match:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    demo_path = match.group(1)
                except OSError:
                    pass
            time.sleep(0.1)
        if demo_path is None:
            pytest.fail(f"server did not start:\n{log.read_text()}")
        login = re.search(r"user '([^']+)', password '([^']+)'", log.read_text())
        yield LiveServer(f"http://127.0.0.1:{port}", demo_path,
                         login.group(1) if login else "", login.group(2) if login else "")
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; CI must run the browser tests")
        pytest.skip(f"No browser: install Debian's chromium (apt-get install chromium) "
                    f"to run browser tests; looked for {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request: pytest.FixtureRequest) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def sign_in_facilitator(page, live_server: LiveServer) -> None:
    """The demo facilitator signs in through the form."""
    page.goto(f"{live_server.url}/fasilitator/masuk")
    page.fill("#username", live_server.facilitator)
    page.fill("#password", live_server.password)
    page.click("#login-form button[type=submit]")


def create_workshop_in(page, title: str, location: str = "Aula",
                       scenario: str = "bimtek-dasar") -> str:
    """A session of `scenario` created from the facilitator's home page; its join code."""
    page.select_option("#scenario", scenario)
    page.fill("#title", title)
    page.fill("#location", location)
    page.click("#create-form button[type=submit]")
    return str(page.locator("#join-code").inner_text()).strip()


# Two people's screens: a desktop browser and a phone, for the stories told with screenshots.
DESKTOP = {"viewport": {"width": 1280, "height": 800}, "locale": "id-ID"}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "locale": "id-ID"}


def shots_dir(story: str) -> Path:
    """Where a story's screenshots go: test-artifacts/<story>/, or docs/img/<story>/ when
    LAPOR_SHOTS_DIR=docs/img/walkthrough (its sibling folder)."""
    if os.environ.get("LAPOR_SHOTS_DIR"):
        return Path(os.environ["LAPOR_SHOTS_DIR"]).parent / story
    return ARTIFACTS / story


def shoot(page, folder: Path, name: str, full_page: bool = False) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=full_page)


def open_page(browser, options: dict | None = None):
    """A new person's browser (a fresh context: their own cookies) on a desktop screen."""
    page = browser.new_context(**(options or DESKTOP)).new_page()
    page.set_default_timeout(15_000)
    return page

