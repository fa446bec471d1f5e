"""axe-core on the main pages, on a desktop and on a phone: no serious or critical
accessibility violations (colour contrast, names, …), no content outside a landmark, and on
the phone every control a trainee taps is at least 44×44 px. Also the projector at 1920×1080
(its screenshot goes to docs/img/projector.png when LAPOR_SHOTS_DIR=docs/img/walkthrough)."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS, sign_in_facilitator

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"  # 4.14.1
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 360, "height": 740}}
FAILING = ("serious", "critical")
ALSO_FAILING = ("region",)  # content outside any landmark: moderate for axe, a failure here
# What a trainee taps on a phone (the facilitator's pages are used on a laptop).
DEMO_TITLE = "Bimtek demo: admin penghubung SP4N-LAPOR!"
TAP_TARGETS = (".btn, .chip, .topnav a, .topnav button, .crumbs a, a.tap, #clock-toggle, "
               ".speed-form select")


@pytest.fixture(scope="module")
def axe_source() -> str:
    data = AXE.read_bytes()
    assert hashlib.sha256(data).hexdigest() == AXE_SHA256, "tests/e2e/vendor/axe.min.js changed"
    return data.decode()


def _violations(page: Page, source: str) -> list[dict]:
    page.add_script_tag(content=source)
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.failureSummary
                                    .replace(/\\s+/g, ' ').slice(0, 160))}));
    }""")
    return list(result)


def _small_targets(page: Page) -> list[str]:
    return list(page.evaluate("""selector => Array.from(document.querySelectorAll(selector))
        .filter(e => e.offsetParent !== null)
        .map(e => [e, e.getBoundingClientRect()])
        .filter(([e, r]) => r.width < 43.5 || r.height < 43.5)
        .map(([e, r]) => `${e.tagName.toLowerCase()}#${e.id}.${e.className} «${
            (e.textContent || '').trim().slice(0, 30)}» ${Math.round(r.width)}×${
            Math.round(r.height)}`)""", TAP_TARGETS))


def _demo_code(page: Page) -> str:
    """The demo workshop's code, from the facilitator's home page (played, then paused)."""
    href = page.get_by_role("link", name=DEMO_TITLE).first.get_attribute("href") or ""
    code = re.search(r"/fasilitator/sesi/([A-Z0-9]+)$", href)
    assert code, f"no demo session on the facilitator's home page: {href!r}"
    return code.group(1)


def _pages(browser, live_server, size):
    """Yield (name, page, for_trainee) for each main page, opened at `size`."""
    base = live_server.url
    context = browser.new_context(viewport=size, locale="id-ID", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/")
    yield "start page", page, True
    page.goto(f"{base}/ikut")
    yield "join", page, True
    page.goto(f"{base}{live_server.demo_path}")
    expect(page).to_have_url(re.compile(r"/kotak-masuk"))
    yield "trainee inbox", page, True
    page.locator("table.inbox-table td[data-label='No.'] a").first.click()
    expect(page).to_have_url(re.compile(r"/laporan/"))
    yield "report", page, True
    page.goto(f"{base}/hasil")
    yield "Hasil saya", page, True
    context.close()

    context = browser.new_context(viewport=size, locale="id-ID", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in_facilitator(page, live_server)
    expect(page.locator("h1")).to_have_text("Sesi pelatihan saya")
    yield "facilitator home", page, False
    session = f"{base}/fasilitator/sesi/{_demo_code(page)}"
    page.goto(session)
    yield "dashboard", page, False
    page.goto(f"{session}/layar?top=semua")
    yield "projector", page, False
    page.goto(f"{session}/debrief")
    yield "debrief", page, False
    context.close()


@pytest.mark.parametrize("size", SIZES, ids=list(SIZES))
def test_main_pages_have_no_serious_axe_violations(browser, live_server, axe_source, size):
    found, small = [], []
    for name, page, for_trainee in _pages(browser, live_server, SIZES[size]):
        for v in _violations(page, axe_source):
            line = f"[{size}] {name}: {v['impact']} {v['id']} ({v['help']})"
            print(line, *v["nodes"][:5], sep="\n    ")
            if v["impact"] in FAILING or v["id"] in ALSO_FAILING:
                found.append(line + "\n    " + "\n    ".join(v["nodes"][:5]))
        if size == "phone" and for_trainee:
            small += [f"{name}: {target}" for target in _small_targets(page)]
    assert not found, "axe-core found serious/critical violations:\n" + "\n".join(found)
    assert not small, "tap targets under 44×44 px on a phone:\n" + "\n".join(small)


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1280, 720)], ids=["1080p", "720p"])
def test_the_projector_fills_the_screen_legibly(browser, live_server, width, height):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in_facilitator(page, live_server)
    code = _demo_code(page)
    page.goto(f"{live_server.url}/fasilitator/sesi/{code}/layar")
    expect(page.locator("#room-time")).to_have_text(re.compile(r"^\d\d:\d\d$"))
    expect(page.locator("#room-paused")).to_have_text("DIJEDA")  # the demo room is paused
    expect(page.locator("#room-join-code")).to_have_text(code)
    expect(page.locator("#room-qr")).to_be_visible()
    # The QR image really loads (drawn by the app, offline).
    assert page.evaluate("document.getElementById('room-qr').naturalWidth") > 0

    sizes = page.evaluate("""() => {
        const px = e => parseFloat(getComputedStyle(e).fontSize);
        const inRoom = Array.from(document.querySelectorAll('#room *'))
            .filter(e => e.offsetParent !== null && e.childNodes.length &&
                    Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim()));
        return {name: px(document.querySelector('.board-name')),
                unit: px(document.querySelector('.board-unit')),
                smallest: Math.min(...inRoom.map(px)),
                width: document.querySelector('#board').getBoundingClientRect().width,
                cohortsBottom: document.querySelector('#board-cohorts').getBoundingClientRect().bottom,
                scroll: document.documentElement.scrollWidth,
                rowPitch: (() => { const r = document.querySelectorAll('#board-rows li');
                    return r[1].getBoundingClientRect().top - r[0].getBoundingClientRect().top; })(),
                rowsTop: document.querySelector('#board-rows').getBoundingClientRect().top};
    }""")
    scale = width / 1920  # the type grows with the screen: 1080p is the one to read at 8 m
    assert sizes["name"] >= 48 * scale and sizes["unit"] >= 28 * scale, sizes
    assert sizes["smallest"] >= 28 * scale, sizes  # nothing in the room's view smaller
    assert sizes["width"] >= 0.93 * width and sizes["scroll"] <= width, sizes  # full width
    assert sizes["cohortsBottom"] <= height, sizes  # the cohorts without scrolling
    # Ten rows fit in full screen (the tools below hide there), even under DIJEDA.
    assert sizes["rowsTop"] + 10 * sizes["rowPitch"] <= height, sizes
    # The sound switch: off by default, remembered on the page's origin.
    assert page.locator("#sound-toggle").get_attribute("aria-pressed") == "false"
    page.click("#sound-toggle")
    assert page.evaluate("localStorage.getItem('lapor-projector-sound')") == "on"
    page.reload()
    expect(page.locator("#sound-toggle")).to_have_attribute("aria-pressed", "true")
    page.click("#sound-toggle")  # leave it off again

    docs = os.environ.get("LAPOR_SHOTS_DIR") and width == 1920
    folder = Path(os.environ["LAPOR_SHOTS_DIR"]).parent if docs else ARTIFACTS
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / ("projector.png" if docs else f"projector-{height}p.png")))
    context.close()
