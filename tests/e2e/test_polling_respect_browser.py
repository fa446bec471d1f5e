"""Issue 16 in a real browser: the page's self-refresh never takes the focus or an unsaved
choice away, a draft survives a reload, over-long text is named before sending, and after
saving the focus lands on the notice, in view on a 360×740 phone.

The page's pulse sends the refresh event (`lapor-berubah`) only when what the page shows
changed; these tests send that event themselves, so that each refresh comes when the test
needs it (the region's request and the server's answer are real)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PHONE_360 = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True,
             "locale": "id-ID"}
TL = ("Yth. Bapak/Ibu, petugas Dinas PUPR menambal lubang di Jl. Merdeka RT 003 pada Selasa, "
      "3 Maret 2026 pukul 10.00; pemeriksaan ulang dijadwalkan Jumat.")


def _start(page: Page, base: str, name: str) -> None:
    page.goto(base + "/")
    page.fill("#name", name)
    page.fill("#unit_name", "Dinas Pekerjaan Umum")
    page.select_option("#scenario", "")  # latihan bebas: every report at once
    page.click("#start-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/kotak-masuk"), timeout=20_000)


def _refresh_event(page: Page, path: str) -> None:
    """The pulse's refresh event, and the region's answer to it."""
    with page.expect_response(lambda r: path in r.url and r.request.method == "GET"):
        page.evaluate("htmx.trigger(document.body, 'lapor-berubah')")
    page.wait_for_timeout(100)  # htmx swaps (or not) right after the answer


def _phone(browser) -> Page:
    page = browser.new_context(**PHONE_360).new_page()
    page.set_default_timeout(15_000)
    return page


def _focused(page: Page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.tagName")


def test_the_inbox_keeps_focus_and_choices_and_says_what_is_new(browser, live_server):
    page = _phone(browser)
    _start(page, live_server.url, "Wulan Fokus")
    expect(page.locator("#poll-refresh")).to_be_hidden()  # nothing waiting yet
    rows = page.locator("table.inbox-table tbody tr")
    count = rows.count()
    # A report the page has not shown yet: taken out of the table, so the refresh brings it.
    page.evaluate("document.querySelector('tr[data-no]').remove()")
    link = page.locator("table.inbox-table td[data-label='No.'] a").nth(1)
    link.focus()
    page.keyboard.press("Shift+Tab")  # reached by keyboard, as the 17 Tabs were
    page.evaluate("document.activeElement.dataset.mine = '1'")
    _refresh_event(page, "/kotak-masuk")
    assert page.evaluate("document.activeElement.dataset.mine") == "1"  # not <body>
    expect(rows).to_have_count(count - 1)  # not swapped while the focus was in it
    expect(page.locator("#poll-news")).to_have_text("1 laporan baru")
    expect(page.locator("#poll-news")).to_have_attribute("aria-live", "polite")
    page.locator("#poll-refresh").click()
    expect(rows).to_have_count(count)
    expect(page.locator("#poll-refresh")).to_be_hidden()

    # A speed picked but not applied, with the focus elsewhere: it stays picked.
    page.select_option("#menit_per_hk", index=0)
    picked = page.locator("#menit_per_hk").input_value()
    page.locator("h1").click()  # the focus leaves the inbox's controls
    page.evaluate("document.activeElement.blur()")
    page.evaluate("document.querySelector('tr[data-no]').remove()")
    _refresh_event(page, "/kotak-masuk")
    expect(page.locator("#menit_per_hk")).to_have_value(picked)
    expect(rows).to_have_count(count - 1)
    page.context.close()


def test_a_tl_draft_survives_polls_and_a_reload_and_saving_lands_on_the_notice(browser,
                                                                              live_server):
    context = browser.new_context(**PHONE_360)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        _start(page, live_server.url, "Rina Draf")
        page.locator("table.inbox-table td[data-label='No.'] a").first.click()
        page.locator("#btn-verifikasi").click()
        expect(page).to_have_url(re.compile(r"\?aksi=verifikasi"))
        page.fill("#judul", "Jalan kabupaten berlubang di Sukamaju")
        page.go_back()  # back and forward come from the server: the address has the form
        expect(page.locator("#form-verifikasi")).to_have_count(0)
        page.go_forward()
        expect(page).to_have_url(re.compile(r"\?aksi=verifikasi"))
        expect(page.locator("#judul")).to_have_value("Jalan kabupaten berlubang di Sukamaju")
        page.select_option("#klasifikasi", index=1)
        page.select_option("#kategori", index=1)
        page.select_option("#unit", index=1)
        page.locator("#form-verifikasi button[type=submit]").click()
        expect(page.locator("#action-notice")).to_contain_text("Tercatat")
        assert "aksi=" not in page.url  # the saved form is closed in the address too

        page.locator("#btn-tindak_lanjut").click()
        expect(page).to_have_url(re.compile(r"\?aksi=tindak_lanjut"))
        page.locator("#isi").click()
        page.keyboard.type("Yth. Bapak/Ibu, draf yang belum selesai")
        for _ in range(3):  # the pulse's refresh events: the workspace stays as it is
            page.evaluate("htmx.trigger(document.body, 'lapor-berubah')")
            page.wait_for_timeout(300)
        assert _focused(page) == "isi"
        expect(page.locator("#isi")).to_have_value("Yth. Bapak/Ibu, draf yang belum selesai")

        page.reload()  # the address reopens the form; the browser gives the draft back
        expect(page.locator("#form-tindak_lanjut")).to_be_visible()
        expect(page.locator("#isi")).to_have_value("Yth. Bapak/Ibu, draf yang belum selesai")
        expect(page.locator("#draft-note")).to_contain_text("Draf dipulihkan")

        page.fill("#isi", "a" * 10_000)
        expect(page.locator("#len-isi")).to_contain_text("TL 10.000 karakter, batasnya 5.000")
        posts: list[str] = []
        page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
        page.locator("#form-tindak_lanjut button[type=submit]").click()
        page.wait_for_timeout(500)
        assert posts == []  # refused in the browser, before sending
        expect(page.locator("#form-tindak_lanjut")).to_be_visible()
        expect(page.locator("#isi")).to_be_focused()
        assert len(page.locator("#isi").input_value()) == 10_000  # nothing cut

        page.fill("#isi", TL)
        expect(page.locator("#len-isi")).to_have_count(0)
        key = page.locator("#form-tindak_lanjut").get_attribute("data-draft")
        assert page.evaluate("k => localStorage.getItem(k) !== null", key)
        page.locator("#form-tindak_lanjut button[type=submit]").focus()
        page.keyboard.press("Enter")  # by keyboard: the notice's focus is a keyboard place
        expect(page.locator("#action-notice")).to_contain_text("Tercatat")
        expect(page.locator("#action-notice")).to_be_focused()  # once htmx has settled
        box = page.locator("#action-notice").bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 740, box
        assert page.evaluate("k => localStorage.getItem(k)", key) is None  # saved: cleared
        assert "aksi=" not in page.url
        # The focus on the notice does not hold the page's refresh back, and the refresh
        # leaves it on the report's heading, not on <body>.
        _refresh_event(page, "/laporan/")
        expect(page.locator("#action-notice")).to_have_count(0)
        expect(page.locator("#workspace h1")).to_be_focused()
    finally:
        context.close()


def test_the_code_menu_and_the_keluar_steps(page: Page, live_server):
    _start(page, live_server.url, "Dewi Kode")
    page.locator("#code-menu summary").click()
    expect(page.locator("#code-menu .code-menu-body")).to_be_visible()
    page.locator("#leave-link").click()
    expect(page.locator("#leave-confirm")).to_contain_text("Keluar dari latihan?")
    page.locator("#leave-form button[type=submit]").click()
    expect(page.locator("#left-notice")).to_contain_text("Anda sudah keluar.")
    expect(page.locator("#left-notice code.copy")).to_contain_text("/lanjut/")
