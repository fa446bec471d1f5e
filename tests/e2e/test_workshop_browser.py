"""A workshop in real browsers: one facilitator, three trainees (one on a phone)."""

from __future__ import annotations

import re

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS, create_workshop_in, sign_in_facilitator

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
    sign_in_facilitator(page, live_server)
    expect(page.locator("h1")).to_have_text("Sesi pelatihan saya")
    code = create_workshop_in(page, "Bimtek uji peramban")
    expect(page.locator("img.qr")).to_be_visible()
    expect(page.locator("#workshop-state")).to_have_text("Lobi: menunggu dimulai")

    trainees = [_join(browser, base, code, "Siti Aminah", "Dinas Kesehatan"),
                _join(browser, base, code, "Andi Saputra", "Dinas PUPR"),
                _join(browser, base, code, "Maya Lestari", "Disdukcapil", phone=True)]
    for trainee in trainees:
        expect(trainee.locator("#lobby")).to_be_visible()
    # By polling: joined but not yet acted, so listed apart (with their personal codes).
    expect(page.locator("#apart-belum_bertindak .badge")).to_have_count(3, timeout=20_000)

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

    # Every trainee page polls once, its pulse, whether on the inbox or on a report.
    polled: list[str] = []
    phone.on("request", lambda r: polled.append(r.url) if r.headers.get("hx-request")
             else None)
    for trainee in trainees:
        trainee.evaluate("window.__noReload = true")
    # A message to the room: on every screen within seconds, the phone included, on the
    # report page (Siti) as on the inbox, swapped in without a reload.
    assert "/laporan/" in first.url and "/kotak-masuk" in phone.url
    page.click("#message-panel summary")
    page.fill("#pesan", "Lima menit lagi kita jeda ishoma.")
    page.click("#ctl-pesan")
    for trainee in trainees:
        expect(trainee.locator("#broadcast")).to_contain_text("Lima menit lagi kita jeda",
                                                              timeout=10_000)
        assert trainee.evaluate("window.__noReload") is True
    assert polled and all("/denyut?v=" in url or "/kotak-masuk" in url for url in polled), \
        polled
    # The phone closes the message: it stays closed while the page refreshes.
    phone.click("#broadcast [data-close-message]")
    expect(phone.locator("#broadcast")).to_have_count(0)

    page.click("#ctl-jeda")
    expect(page.locator("#workshop-state")).to_have_text("Dijeda")
    # Siti's open report refreshes itself on her pulse's event, without a reload.
    expect(first.locator("#workspace #paused-notice")).to_be_visible(timeout=10_000)
    assert first.evaluate("window.__noReload") is True
    frozen = page.locator("#sim-now").inner_text()
    page.wait_for_timeout(2_000)
    page.reload()
    assert page.locator("#sim-now").inner_text() == frozen

    # An ad-hoc report from the catalogue reaches everybody, even while paused.
    page.click("#inject-panel summary")
    page.check("#sumber-topik")
    page.select_option("#topik", index=1)
    page.click("#ctl-suntik")
    logged = page.locator("#control-log li").first
    expect(logged).to_contain_text("Menyuntikkan laporan")
    number = re.search(r"#(\d+)", logged.inner_text()).group(1)
    first.goto(f"{base}/kotak-masuk")  # the others wait on their inbox: it arrives by itself
    for trainee in trainees:
        expect(trainee.locator(f"a[href='/laporan/{number}']").first).to_be_visible(
            timeout=15_000)
    for trainee in trainees[1:]:
        assert trainee.evaluate("window.__noReload") is True  # the inbox refreshed in place
    expect(phone.locator("#broadcast")).to_have_count(0)
    expect(first.locator("#broadcast")).to_be_visible()  # closed on the phone only

    # One trainee disposes the injected report; then the board is frozen. While her form
    # is open, the session resumes: her pulse says the page changed, but the workspace
    # keeps her draft (data-poll-pause) instead of refreshing.
    second = trainees[1]
    second.goto(f"{base}/laporan/{number}")
    second.click("#btn-verifikasi")
    second.fill("#judul", "Laporan warga yang disuntikkan")
    refreshed: list[str] = []
    second.on("request", lambda r: refreshed.append(r.url) if r.headers.get("hx-request")
              and f"/laporan/{number}" in r.url else None)
    with second.expect_response(lambda r: "/denyut" in r.url
                                and r.headers.get("hx-trigger") == "lapor-berubah",
                                timeout=15_000):
        page.click("#ctl-lanjut")
        expect(page.locator("#workshop-state")).to_have_text("Berjalan")
    second.wait_for_timeout(500)
    assert refreshed == [], refreshed
    expect(second.locator("#judul")).to_have_value("Laporan warga yang disuntikkan")
    for field in ("#klasifikasi", "#kategori", "#unit"):
        second.select_option(field, index=1)
    second.click("#form-verifikasi button[type=submit]")
    expect(second.locator("#state-badge")).not_to_have_text("Baru")

    page.click("#ctl-bekukan")
    expect(page.locator("#frozen-badge")).to_be_visible()
    projector = page.context.new_page()
    # Not every trainee has acted yet: those who have not are ranked only when included.
    projector.goto(f"{base}/fasilitator/sesi/{code}/layar?top=semua&sertakan=1")
    expect(projector.locator("#board-frozen")).to_be_visible()
    expect(projector.locator("#board-rows li")).to_have_count(3)
    for name in ("Siti Aminah", "Andi Saputra", "Maya Lestari"):
        expect(projector.locator("#board-rows")).to_contain_text(name)
    projector.click("#metric-akurasi")
    expect(projector.locator("#metric-akurasi")).to_have_class(re.compile("active"))

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#ctl-akhiri")
    expect(page.locator("#workshop-state")).to_have_text("Berakhir")

    # The reveal: unfrozen, rows rise one by one.
    projector.click("#projector-reveal")
    expect(projector.locator("#board-frozen")).to_have_count(0)
    expect(projector.locator("#board.revealing")).to_have_count(1)
    projector.screenshot(path=str(ARTIFACTS / "journey-projector.png"))

    # Debrief: anonymous by default, names only on request.
    page.goto(f"{base}/fasilitator/sesi/{code}/debrief")
    expect(page.locator("h1")).to_contain_text("Debrief")
    page.locator("a[href*='/debrief/']").first.click()
    body = page.locator("body").inner_text()
    assert "Siti Aminah" not in body and "Andi Saputra" not in body

    # Results in Excel, opened as the Sekda's staff would.
    # Maya never acted: left out unless the facilitator includes those who did not act.
    for query, expected in (("", {"Siti Aminah", "Andi Saputra"}),
                            ("?sertakan=1", {"Siti Aminah", "Andi Saputra", "Maya Lestari"})):
        page.goto(f"{base}/fasilitator/sesi/{code}/ekspor{query}")
        with page.expect_download() as download:
            page.click("#download-xlsx")
        assert download.value.suggested_filename.endswith(".xlsx")
        with open(download.value.path(), "rb") as handle:
            workbook = openpyxl.load_workbook(handle)
        assert workbook.sheetnames[0] == "Ringkasan"
        names = {row[0] for row in workbook["Ringkasan"].iter_rows(values_only=True)}
        assert names & {"Siti Aminah", "Andi Saputra", "Maya Lestari"} == expected
    for trainee in trainees:
        trainee.context.close()
    projector.close()
