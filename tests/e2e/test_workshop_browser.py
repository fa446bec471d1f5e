"""A workshop in real browsers: one facilitator, three trainees (one on a phone)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def _join(browser, base: str, code: str, name: str, unit: str, phone: bool = False) -> Page:
    options = ({"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
               if phone else {"viewport": {"width": 1280, "height": 900}})
    page = browser.new_context(**options).new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/ikut/{code}")  # the address behind the QR code
    expect(page.locator("#code")).to_have_value(code)
    page.fill("#name", name)
    page.fill("#unit_name", unit)
    page.click("#join-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/kotak-masuk"))
    expect(page.locator("#personal-code")).to_be_visible()
    return page


def test_facilitator_runs_a_workshop_for_three_trainees(browser, live_server, page: Page):
    base = live_server.url
    page.goto(f"{base}/fasilitator/masuk")
    page.fill("#username", live_server.facilitator)
    page.fill("#password", live_server.password)
    page.click("#login-form button[type=submit]")
    expect(page.locator("h1")).to_have_text("Sesi pelatihan saya")
    page.select_option("#scenario", "bimtek-dasar")
    page.fill("#title", "Bimtek uji peramban")
    page.fill("#location", "Aula")
    page.click("#create-form button[type=submit]")
    code = page.locator("#join-code").inner_text()
    expect(page.locator("img.qr")).to_be_visible()
    expect(page.locator("#workshop-state")).to_have_text("Lobi: menunggu dimulai")

    trainees = [_join(browser, base, code, "Siti Aminah", "Dinas Kesehatan"),
                _join(browser, base, code, "Andi Saputra", "Dinas PUPR"),
                _join(browser, base, code, "Maya Lestari", "Disdukcapil", phone=True)]
    for trainee in trainees:
        expect(trainee.locator("#lobby")).to_be_visible()
    expect(page.locator("#participants tbody tr")).to_have_count(3, timeout=20_000)  # by polling

    page.select_option("#menit_per_hk", "0.25")
    page.click("#ctl-kecepatan")
    page.click("#ctl-mulai")
    expect(page.locator("#workshop-state")).to_have_text("Berjalan")
    for trainee in trainees:  # the inbox polls: reports arrive without a reload
        expect(trainee.locator("table.inbox-table tbody tr").first).to_be_visible(
            timeout=30_000)
    phone = trainees[2]
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    first = trainees[0]
    first.locator("table.inbox-table td[data-label='No.'] a").first.click()
    first.click("#btn-tunda")
    first.fill("#pertanyaan", "Mohon sebutkan lokasi lengkapnya.")
    first.click("#form-tunda button[type=submit]")
    expect(first.locator("#state-badge")).to_have_text("Ditunda")

    page.click("#ctl-jeda")
    expect(page.locator("#workshop-state")).to_have_text("Dijeda")
    frozen = page.locator("#sim-now").inner_text()
    page.wait_for_timeout(2_000)
    page.reload()
    assert page.locator("#sim-now").inner_text() == frozen
    page.click("#ctl-lanjut")
    expect(page.locator("#workshop-state")).to_have_text("Berjalan")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#ctl-akhiri")
    expect(page.locator("#workshop-state")).to_have_text("Berakhir")
    for trainee in trainees:
        trainee.context.close()
