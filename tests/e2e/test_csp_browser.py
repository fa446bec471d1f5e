"""The Content-Security-Policy in a real browser: the key pages raise no violation and no
console error, and what moved out of inline attributes (confirm dialogs, print buttons,
the pulse and the workspace that waits under an open form, the projector's reveal, the
debrief replay) still works."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from tests.e2e.conftest import ARTIFACTS, create_workshop_in, sign_in_facilitator

pytestmark = pytest.mark.browser

# Runs before the page's own scripts on every page: report each CSP violation to the test,
# and count print requests instead of opening the print dialog.
WATCH_SCRIPT = """
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolation([event.violatedDirective, event.blockedURI, event.sourceFile,
                         event.lineNumber, event.sample].join(" | "));
});
window.print = function () { window.__printed = (window.__printed || 0) + 1; };
"""


@dataclass
class Watch:
    violations: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def console(self, message: ConsoleMessage) -> None:
        url = message.location.get("url") or ""
        # The browser asks for /favicon.ico on its own; the app has none (a plain 404).
        if message.type == "error" and not url.endswith("/favicon.ico"):
            self.errors.append(f"{message.text} @ {url}")


@pytest.fixture
def watched(browser, request: pytest.FixtureRequest
            ) -> Iterator[tuple[Watch, Callable[..., Page]]]:
    """(what was seen, a function opening a watched page in a new browser context)."""
    watch = Watch()
    contexts = []

    def open_page(**options: object) -> Page:
        context = browser.new_context(**{"viewport": {"width": 1280, "height": 900},
                                         "locale": "id-ID", **options})
        context.expose_function("__cspViolation", lambda text: watch.violations.append(text))
        context.add_init_script(WATCH_SCRIPT)
        context.on("console", watch.console)
        context.on("weberror", lambda error: watch.errors.append(f"uncaught: {error.error}"))
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield watch, open_page
    failed = getattr(request.node, "rep_call", None)
    for number, context in enumerate(contexts):
        if failed is not None and failed.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            for index, page in enumerate(context.pages):
                page.screenshot(path=str(ARTIFACTS / f"csp-{number}-{index}.png"),
                                full_page=True)
        context.close()


def _clean(watch: Watch, where: str) -> None:
    assert watch.violations == [], (where, watch.violations)
    assert watch.errors == [], (where, watch.errors)


def _confirm(page: Page, click: str, accept: bool) -> str:
    """Click something guarded by data-confirm, answer the dialog, return its question."""
    asked = []

    def answer(dialog) -> None:
        asked.append(dialog.message)
        if accept:
            dialog.accept()
        else:
            dialog.dismiss()

    page.once("dialog", answer)
    page.click(click)
    if not accept:
        page.wait_for_timeout(700)  # time enough for a request the dialog failed to stop
    assert len(asked) == 1, click
    return asked[0]


def test_the_watch_sees_a_violation(watched, live_server):
    """The listener works: a style attribute set from script is refused and reported."""
    watch, open_page = watched
    page = open_page()
    page.goto(live_server.url + "/")
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    page.wait_for_timeout(500)  # the event reaches the test through an exposed function
    assert any(v.startswith("style-src") for v in watch.violations), watch.violations
    assert page.evaluate("getComputedStyle(document.body).color") != "rgb(255, 0, 0)"


def test_a_trainee_practises_under_the_policy(watched, live_server):
    watch, open_page = watched
    page = open_page()
    base = live_server.url
    page.goto(base + "/")
    page.fill("#name", "Rina Wulandari")
    page.fill("#unit_name", "Dinas Pekerjaan Umum")
    page.select_option("#scenario", "")  # latihan bebas: every report at once
    page.click("#start-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/kotak-masuk"))
    expect(page.locator("table.inbox-table tbody tr").first).to_be_visible()
    _clean(watch, "inbox")

    link = page.locator("table.inbox-table td[data-label='No.'] a").first
    number = link.inner_text().lstrip("#")
    link.click()
    expect(page.locator("#state-badge")).to_have_text("Belum Terverifikasi")
    page.evaluate("window.__noReload = true")
    polls: list[str] = []
    page.on("request", lambda r: polls.append(r.url) if r.headers.get("hx-request") and
            r.url.endswith(f"/laporan/{number}") else None)

    # The action form opens through htmx, and the workspace does not refresh while it is
    # open (data-poll-pause, which replaced an hx-trigger filter that needed eval).
    page.click("#btn-verifikasi")
    expect(page.locator("#form-verifikasi")).to_be_visible()
    page.fill("#judul", "Jalan kabupaten berlubang di Sukamaju")
    page.wait_for_timeout(11_000)  # two pulses
    assert polls == [], polls
    expect(page.locator("#judul")).to_have_value("Jalan kabupaten berlubang di Sukamaju")
    page.select_option("#klasifikasi", "pengaduan_tidak_berkadar_pengawasan")
    page.select_option("#kategori", "infrastruktur")
    page.select_option("#unit", "pupr")
    page.click("#form-verifikasi button[type=submit]")
    expect(page.locator("#state-badge")).not_to_have_text("Belum Terverifikasi")
    assert page.evaluate("window.__noReload") is True  # swapped by htmx, never reloaded
    expect(page.locator("#workspace .notice")).to_contain_text("Tercatat")
    with page.expect_request(lambda r: "/denyut?v=" in r.url
                             and r.headers.get("hx-request") == "true", timeout=8_000):
        pass  # the page's one poll, its pulse, runs on under the policy
    expect(page.locator("#workspace .notice")).to_contain_text("Tercatat")  # not refreshed away
    _clean(watch, "report")

    page.click("text=Hasil saya")
    expect(page.locator("h1")).to_have_text("Hasil saya")
    question = _confirm(page, "#finish", accept=False)
    assert question.startswith("Akhiri latihan?")
    expect(page.locator("main")).not_to_contain_text("Latihan berakhir")
    _confirm(page, "#finish", accept=True)
    expect(page.locator("main")).to_contain_text("Latihan berakhir")
    _clean(watch, "results card")


def test_a_facilitator_runs_a_session_under_the_policy(watched, live_server):
    watch, open_page = watched
    base = live_server.url
    page = open_page()
    sign_in_facilitator(page, live_server)
    code = create_workshop_in(page, "Bimtek uji CSP")
    assert page.locator("img.qr").evaluate("img => img.complete && img.naturalWidth > 0")

    trainees = []
    for name, unit in (("Siti Aminah", "Dinas Kesehatan"), ("Andi Saputra", "Dinas PUPR")):
        trainee = open_page()
        trainee.goto(f"{base}/ikut/{code}")
        trainee.fill("#name", name)
        trainee.fill("#unit_name", unit)
        trainee.click("#join-form button[type=submit]")
        expect(trainee.locator("#personal-code")).to_be_visible()
        trainees.append(trainee)
    page.click("#ctl-mulai")
    expect(page.locator("#workshop-state")).to_have_text("Berjalan")
    siti = trainees[0]
    for topic in (1, 2):  # two reports Siti verifies: two steps to replay
        if not page.locator("#topik").is_visible():
            page.click("#inject-panel summary")
        page.check("#sumber-topik")
        page.select_option("#topik", index=topic)
        page.click("#ctl-suntik")
        logged = page.locator("#control-log li").first
        expect(logged).to_contain_text("Menyuntikkan laporan")
        number = re.search(r"#(\d+)", logged.inner_text()).group(1)
        siti.goto(f"{base}/laporan/{number}")
        siti.click("#btn-verifikasi")
        siti.fill("#judul", "Laporan warga yang disuntikkan")
        for select in ("#klasifikasi", "#kategori", "#unit"):
            siti.select_option(select, index=1)
        siti.click("#form-verifikasi button[type=submit]")
        expect(siti.locator("#state-badge")).not_to_have_text("Belum Terverifikasi")
    _clean(watch, "session page and trainees")

    # The projector: frozen, then the reveal with its rows rising one after another.
    page.click("#ctl-bekukan")
    expect(page.locator("#frozen-badge")).to_be_visible()
    projector = page.context.new_page()
    # Andi has not acted: left out of ranks unless the facilitator includes him.
    projector.goto(f"{base}/fasilitator/sesi/{code}/layar?top=semua")
    expect(projector.locator("#board-rows li")).to_have_count(1)
    projector.goto(f"{base}/fasilitator/sesi/{code}/layar?top=semua&sertakan=1")
    expect(projector.locator("#board-frozen")).to_be_visible()
    expect(projector.locator("#board-rows li")).to_have_count(2)

    # The control bar's confirm: cancelled, nothing happens; accepted, the session ends.
    assert _confirm(page, "#ctl-akhiri", accept=False) == "Akhiri sesi untuk semua peserta?"
    expect(page.locator("#workshop-state")).to_have_text("Berjalan")
    _confirm(page, "#ctl-akhiri", accept=True)
    expect(page.locator("#workshop-state")).to_have_text("Berakhir")

    projector.click("#projector-reveal")
    expect(projector.locator("#board-frozen")).to_have_count(0)
    expect(projector.locator("#board.revealing")).to_have_count(1)
    delays = projector.locator("#board-rows li").evaluate_all(
        "rows => rows.map(row => getComputedStyle(row).animationDelay)")
    assert delays == ["0.45s", "0s"], delays  # last place rises first, the winner last
    _clean(watch, "projector")

    # The debrief: bars drawn without style attributes, names only after a confirm.
    page.goto(f"{base}/fasilitator/sesi/{code}/debrief")
    assert page.locator("svg.share-bar rect").count() >= 1
    question = _confirm(page, "#names-toggle", accept=False)
    assert question == "Tampilkan nama peserta di layar?"
    assert "nama=1" not in page.url
    _confirm(page, "#names-toggle", accept=True)
    expect(page).to_have_url(re.compile(r"nama=1"))
    page.click("#start-debrief")
    expect(page.locator("#distribution")).to_be_visible()
    assert page.locator("svg.bar rect").count() >= 1
    _clean(watch, "debrief")

    # The replay: steps swap in through htmx, with the address pushed, no reload.
    page.goto(f"{base}/fasilitator/sesi/{code}/debrief?nama=1")
    replay = page.locator("#trainee-links a", has_text="Siti Aminah")
    participant_id = re.search(r"/peserta/(\d+)", replay.get_attribute("href")).group(1)
    replay.click()
    page.click("#replay-start")
    expect(page.locator("#step-count")).to_contain_text("Langkah 1 dari")
    page.evaluate("window.__noReload = true")
    page.click("#step-next")
    expect(page.locator("#step-count")).to_contain_text("Langkah 2 dari")
    expect(page).to_have_url(re.compile(r"langkah=2"))
    # The swapped-in links work once htmx has processed them (after its settle delay); a
    # key pressed before that follows the plain link, which is the no-JS fallback.
    page.wait_for_function("(document.querySelector('#step-prev') || {})['htmx-internal-data']")
    page.keyboard.press("ArrowLeft")  # the clicker keys of debrief.js
    expect(page.locator("#step-count")).to_contain_text("Langkah 1 dari")
    assert page.evaluate("window.__noReload") is True
    _clean(watch, "replay")

    # Printable records, certificates, the summary and the entry cards: print buttons print.
    exports = f"{base}/fasilitator/sesi/{code}/ekspor"
    for url in (f"{exports}/peserta/{participant_id}", f"{exports}/peserta",
                f"{exports}/sertifikat/{participant_id}", f"{exports}/sertifikat",
                f"{exports}/rekap", f"{base}/fasilitator/sesi/{code}/peserta/kartu"):
        page.goto(url)
        page.click("[data-print]")
        assert page.evaluate("window.__printed") == 1, url
        _clean(watch, url)
    cards = page.locator(".entry-card img")
    expect(cards).to_have_count(2)
    assert cards.evaluate_all("imgs => imgs.every(i => i.complete && i.naturalWidth > 0)")
    assert page.locator("#entry-cards").evaluate("e => getComputedStyle(e).display") == "grid"
    projector.close()
