"""A trainee walks reports through every path of the workflow in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def _open_report(page: Page, base: str, index: int) -> str:
    page.goto(f"{base}/kotak-masuk")
    links = page.locator("table.inbox-table td[data-label='No.'] a")
    number = links.nth(index).inner_text().lstrip("#")
    links.nth(index).click()
    expect(page.locator("#state-badge")).to_have_text("Belum Terverifikasi")
    page.evaluate("window.__noReload = true")
    return number


def _action(page: Page, name: str) -> None:
    page.locator(f"#btn-{name}").click()
    expect(page.locator(f"#form-{name}")).to_be_visible()


def _submit(page: Page, name: str) -> None:
    page.locator(f"#form-{name} button[type=submit]").click()


def _state(page: Page, label: str) -> None:
    expect(page.locator("#state-badge")).to_have_text(label)
    # htmx swapped the workspace in place: the page was never reloaded.
    assert page.evaluate("window.__noReload") is True


def _verify(page: Page, unit: str) -> None:
    _action(page, "verifikasi")
    page.fill("#judul", "Jalan kabupaten berlubang di Sukamaju")
    page.select_option("#klasifikasi", "pengaduan_tidak_berkadar_pengawasan")
    page.select_option("#kategori", "infrastruktur")
    page.select_option("#unit", unit)
    _submit(page, "verifikasi")


def test_newcomer_starts_practice_and_sees_inbox(page: Page, live_server):
    page.goto(live_server.url + "/")
    page.fill("#name", "Rina Wulandari")
    page.fill("#unit_name", "Dinas Pekerjaan Umum")
    page.select_option("#scenario", "")  # latihan bebas: 12 reports at once
    page.click("#start-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/kotak-masuk"))
    expect(page.locator("table.inbox-table tbody tr")).to_have_count(12)
    expect(page.locator(".notice code")).to_contain_text("/lanjut/")
    expect(page.locator("header .who")).to_contain_text("Rina Wulandari")


def test_start_form_errors_show_inline(page: Page, live_server):
    page.goto(live_server.url + "/")
    page.click("#start-form button[type=submit]")
    expect(page.locator("#start-form")).to_contain_text("Nama wajib diisi.")
    expect(page.locator("#start-form")).to_contain_text("Unit kerja wajib diisi.")


def test_full_path_verify_to_selesai(page: Page, live_server):
    page.goto(live_server.url + live_server.demo_path)
    _open_report(page, live_server.url, 0)

    _action(page, "verifikasi")
    _submit(page, "verifikasi")  # empty form: every error shows next to its field
    expect(page.locator("#form-verifikasi")).to_contain_text("Judul wajib diisi.")
    expect(page.locator("#form-verifikasi")).to_contain_text("Unit tujuan wajib diisi.")
    _state(page, "Belum Terverifikasi")

    page.fill("#judul", "Jalan kabupaten berlubang di Sukamaju")
    page.select_option("#klasifikasi", "pengaduan_tidak_berkadar_pengawasan")
    page.select_option("#kategori", "infrastruktur")
    page.select_option("#unit", "pupr")
    _submit(page, "verifikasi")
    _state(page, "Belum Ditindaklanjuti")

    _action(page, "tindak_lanjut")
    page.fill("#isi", "Yth. Bapak/Ibu, Dinas PUPR akan meninjau lokasi pada Senin pekan depan.")
    _submit(page, "tindak_lanjut")
    _state(page, "Proses")

    _action(page, "tindak_lanjut")
    page.fill("#isi", "Yth. Bapak/Ibu, Dinas PUPR telah menambal jalan pada Selasa, 3 Maret 2026. "
                      "Terima kasih atas laporannya.")
    page.check("input[name=akhir]")
    _submit(page, "tindak_lanjut")
    _state(page, "Menunggu Tanggapan Pelapor")

    _action(page, "pelapor_menerima")
    _submit(page, "pelapor_menerima")
    _state(page, "Selesai")
    _action(page, "pelapor_menilai")
    page.select_option("#bintang", "5")
    _submit(page, "pelapor_menilai")
    _state(page, "Selesai")
    expect(page.locator(".timeline li")).to_have_count(6)  # arrival + 5 recorded events
    expect(page.locator(".timeline")).to_contain_text("★★★★★")


def test_tunda_reply_then_archive(page: Page, live_server):
    page.goto(live_server.url + live_server.demo_path)
    _open_report(page, live_server.url, 1)
    _action(page, "tunda")
    page.fill("#pertanyaan", "Mohon sebutkan lokasi lengkapnya (jalan, RT/RW, desa).")
    _submit(page, "tunda")
    _state(page, "Ditunda")
    _action(page, "pelapor_membalas")
    page.fill("#isi", "Di Jl. Merdeka RT 003/RW 002, Desa Sukamaju.")
    _submit(page, "pelapor_membalas")
    _state(page, "Belum Terverifikasi")
    _action(page, "arsipkan")
    page.select_option("#alasan", "terlalu_umum")
    _submit(page, "arsipkan")
    _state(page, "Diarsipkan")
    expect(page.locator("#actions")).to_contain_text("Tidak ada tindakan admin")


def test_bukan_wewenang(page: Page, live_server):
    page.goto(live_server.url + live_server.demo_path)
    _open_report(page, live_server.url, 2)
    _action(page, "bukan_wewenang")
    page.select_option("#instansi", "bpjn")
    _submit(page, "bukan_wewenang")
    _state(page, "Bukan Wewenang")
    expect(page.locator("#workspace")).to_contain_text("Pelaksanaan Jalan Nasional")


def test_kembalikan_returns_to_admin_instansi(page: Page, live_server):
    page.goto(live_server.url + live_server.demo_path)
    _open_report(page, live_server.url, 3)
    _verify(page, "disdik")
    _state(page, "Belum Ditindaklanjuti")
    _action(page, "kembalikan")
    page.fill("#alasan", "Salah disposisi: jalan kabupaten adalah urusan Dinas PUPR.")
    _submit(page, "kembalikan")
    _state(page, "Belum Terverifikasi")
    _verify(page, "pupr")
    _state(page, "Belum Ditindaklanjuti")


def test_phone_sized_inbox_and_report(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    page.goto(live_server.url + live_server.demo_path)
    expect(page.locator("table.inbox-table tbody tr").first).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page scrolls sideways on a phone ({width}px)"
    page.locator("table.inbox-table td[data-label='No.'] a").first.click()
    expect(page.locator("#state-badge")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_inbox_polls_without_reload(page: Page, live_server):
    """The inbox's one poll is its pulse: it runs through htmx, and the page never reloads
    (the inbox itself refreshes only when the pulse says something changed)."""
    page.goto(live_server.url + live_server.demo_path)
    page.evaluate("window.__noReload = true")
    with page.expect_response(lambda r: "/denyut?v=" in r.url and
                              r.request.headers.get("hx-request") == "true", timeout=15_000):
        pass
    assert page.evaluate("window.__noReload") is True


def test_scenario_at_high_speed_reports_arrive_age_and_reporters_reply(page: Page, live_server):
    """bimtek-dasar at 1 HK = 15 s: reports arrive, limits age, a reporter answers a tunda."""
    page.goto(live_server.url + "/")
    page.fill("#name", "Dewi Lestari")
    page.fill("#unit_name", "Diskominfo")
    page.select_option("#scenario", "bimtek-dasar")
    page.click("#start-form button[type=submit]")
    expect(page.locator("#inbox-empty")).to_be_visible()
    expect(page.locator(".notes")).to_contain_text("Buka kotak masuk")
    page.select_option("#menit_per_hk", "0.25")
    page.click("#speed-set")
    expect(page.locator("#menit_per_hk")).to_have_value("0.25")
    rows = page.locator("table.inbox-table tbody tr")
    expect(rows.first).to_be_visible(timeout=20_000)  # arrives by polling, no reload
    expect(page.locator("table.inbox-table .sla").first).to_contain_text("Verifikasi")
    # The oldest report turns yellow, then red, while nobody touches it.
    expect(page.locator("table.inbox-table .sla-merah").first).to_be_visible(timeout=60_000)

    page.locator("table.inbox-table td[data-label='No.'] a").last.click()
    _action(page, "tunda")
    page.fill("#pertanyaan", "Mohon sebutkan lokasi lengkapnya (jalan, RT/RW, desa).")
    _submit(page, "tunda")
    expect(page.locator("#state-badge")).to_have_text("Ditunda")
    expect(page.locator("#sla")).to_contain_text("dijeda")
    # The simulated reporter answers after 1 HK (15 s); the page refreshes by itself.
    expect(page.locator("#state-badge")).to_have_text("Belum Terverifikasi", timeout=40_000)
    expect(page.locator(".timeline")).to_contain_text("Pelapor membalas")
    expect(page.locator(".timeline")).to_contain_text("Lokasinya di")


def test_trainee_finishes_and_reads_the_report_card(page: Page, live_server):
    page.goto(live_server.url + "/")
    page.fill("#name", "Yusuf Hidayat")
    page.fill("#unit_name", "Dinas Sosial")
    page.select_option("#scenario", "")
    page.click("#start-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/kotak-masuk"))
    _open_report(page, live_server.url, 0)
    _verify(page, "pupr")
    expect(page.locator("#feedback")).to_be_visible()  # free practice: feedback at once
    expect(page.locator("#feedback")).to_contain_text("Yang diharapkan")
    page.click("text=Hasil saya")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#finish")
    expect(page.locator("main")).to_contain_text("Latihan berakhir")
    expect(page.locator("#dimensions")).to_contain_text("Ketepatan tujuan")
    expect(page.locator(".report-score")).to_have_count(12)
    page.locator(".report-score summary").first.click()
    expect(page.locator(".report-score").first).to_contain_text("Mengapa")
