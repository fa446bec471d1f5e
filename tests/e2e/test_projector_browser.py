"""The projector in a real browser: the clock and the countdown tick on between polls from
the server's values, DIJEDA appears by polling when the facilitator pauses (with a tone
once the sound is switched on), and the join code and QR leave the screen when the session
ends."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import create_workshop_in, sign_in_facilitator

pytestmark = pytest.mark.browser

# Counts the tones the page starts, instead of playing them.
FAKE_AUDIO = """window.__tones = 0;
window.AudioContext = class {
  constructor() { this.state = "running"; this.currentTime = 0; this.destination = {}; }
  resume() {}
  createOscillator() { return {frequency: {}, connect: next => next,
                               start: () => { window.__tones += 1; }, stop() {}}; }
  createGain() { return {gain: {setValueAtTime() {}, exponentialRampToValueAtTime() {}},
                         connect: next => next}; }
};"""


def _seconds(text: str) -> int:
    parts = [int(p) for p in text.split(":")]
    return parts[-1] + 60 * parts[-2] + (3600 * parts[0] if len(parts) == 3 else 0)


def test_the_projector_ticks_between_polls_and_follows_the_clock(live_server, page: Page):
    sign_in_facilitator(page, live_server)
    code = create_workshop_in(page, "Bimtek layar proyektor")
    page.select_option("#menit_per_hk", "0.5")  # 1 HK in 30 s: 16 simulated minutes a second
    page.click("#ctl-kecepatan")
    page.click("#ctl-mulai")
    expect(page.locator("#workshop-state")).to_have_text("Berjalan")

    projector = page.context.new_page()
    projector.add_init_script(FAKE_AUDIO)
    projector.goto(f"{live_server.url}/fasilitator/sesi/{code}/layar")
    expect(projector.locator("#sound-toggle")).to_have_text("Bunyi: mati")  # off by default
    projector.click("#sound-toggle")
    expect(projector.locator("#sound-toggle")).to_have_attribute("aria-pressed", "true")
    assert projector.evaluate("window.__tones") == 2  # the switch plays the start cue
    expect(projector.locator("#room-join-code")).to_have_text(code)
    first_time = projector.locator("#room-time").inner_text()
    first_left = _seconds(projector.locator("#room-left").inner_text())
    projector.wait_for_timeout(1500)  # well inside one 5 s poll
    assert projector.locator("#room-time").inner_text() != first_time  # ticked on the page
    assert first_left - 3 <= _seconds(projector.locator("#room-left").inner_text()) < first_left

    page.click("#ctl-jeda")
    expect(projector.locator("#room-paused")).to_have_text("DIJEDA", timeout=12_000)
    assert projector.evaluate("window.__tones") == 4  # the pause cue: two more tones
    paused = projector.locator("#room-time").inner_text()
    paused_left = projector.locator("#room-left").inner_text()
    projector.wait_for_timeout(1500)
    assert projector.locator("#room-time").inner_text() == paused  # it stands still
    assert projector.locator("#room-left").inner_text() == paused_left

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#ctl-akhiri")
    expect(projector.locator("#room-join")).to_have_count(0, timeout=12_000)
    expect(projector.locator("#board-ended")).to_be_visible()
    expect(projector.locator("#room-state")).to_have_text(re.compile("Berakhir"))
    projector.close()
