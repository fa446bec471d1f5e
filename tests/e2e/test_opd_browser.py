"""Mode OPD in real browsers (issue 13): two admin penghubung of different OPDs (one on a
phone) receive reports disposed by the simulated Admin Instansi, one returns a wrong
disposition with kembalikan and sees it re-disposed, the other answers a right one with a
TL; the facilitator's dashboard and debrief tell it per position and with waiting times.

Screenshots go to test-artifacts/opd/, or to LAPOR_SHOTS_DIR/../opd (docs/img/opd/).
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    PHONE,
    create_workshop_in,
    open_page,
    shoot,
    shots_dir,
    sign_in_facilitator,
)

pytestmark = pytest.mark.browser

SHOTS = shots_dir("opd")
SITI = ("Siti Aminah", "Dinas Kesehatan Kabupaten Sukamaju", "dinkes")
BUDI = ("Budi Santoso", "Dinas Sosial Kabupaten Sukamaju", "dinsos")
WHY = ("Laporan ini bukan wewenang Dinas Kesehatan: mohon Admin Instansi meneruskannya ke "
       "OPD atau instansi yang berwenang sesuai isi laporan.")
TL = ("Yth. Bapak/Ibu pelapor, petugas Dinas Sosial telah mendatangi lokasi yang Anda "
      "sebutkan pada Selasa, 3 Maret 2026 pukul 10.00 dan mendata ulang penerima bantuan; "
      "hasil verifikasi diumumkan di kantor desa pada Jumat, 6 Maret 2026.")


def _schedules(app: Flask) -> dict[str, list[tuple[str, bool]]]:
    """Each OPD's reports (tracking number, wrongly disposed) in arrival order: fixed by
    the scenario and seed, the same on the server."""
    from sandbox.services.practice import scenario_plan

    with app.app_context():
        return {unit: [(c.tracking_no, bool(script and script["instansi"]["wrong"]))
                       for c, script in scenario_plan("opd-penghubung", None,
                                                      unit=unit).complaints]
                for unit in (SITI[2], BUDI[2])}


def _join(page: Page, base: str, code: str, person: tuple[str, str, str]) -> None:
    page.goto(f"{base}/ikut/{code}")
    page.fill("#name", person[0])
    page.select_option("#unit_name", person[1])
    page.click("#join-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/kotak-masuk"))


def _wait_for(page: Page, number: str, timeout: float = 60_000) -> None:
    """On the open inbox until report `number` shows (the pulse refreshes it)."""
    expect(page.locator(f"a[href='/laporan/{number}']").first).to_be_visible(timeout=timeout)


def test_a_room_of_admin_penghubung_answers_its_dispositions(browser, live_server,
                                                              app: Flask):
    base = live_server.url
    schedules = _schedules(app)
    siti_first_wrong = next(n for n, wrong in schedules["dinkes"] if wrong)
    budi_first_right = next(n for n, wrong in schedules["dinsos"] if not wrong)

    desk = open_page(browser)
    sign_in_facilitator(desk, live_server)
    code = create_workshop_in(desk, "Bimtek admin penghubung OPD", "Aula Diskominfo", "opd-penghubung")

    siti, budi = open_page(browser), open_page(browser, PHONE)
    siti.goto(f"{base}/ikut/{code}")
    expect(siti.locator("#unit_name option")).to_contain_text([SITI[1]])
    shoot(siti, SHOTS, "01-join-pick-your-opd")
    _join(siti, base, code, SITI)
    _join(budi, base, code, BUDI)
    expect(siti.locator("#role-note")).to_contain_text("Admin Penghubung " + SITI[1])

    # The scenario runs at 4 minutes per HK: the facilitator speeds it up, then starts.
    desk.goto(f"{base}/fasilitator/sesi/{code}")
    desk.select_option("#menit_per_hk", "0.25")
    desk.click("#ctl-kecepatan")
    expect(desk.locator("#menit_per_hk")).to_have_value("0.25")
    desk.click("#ctl-mulai")
    expect(desk.locator("#workshop-state")).to_have_text("Berjalan")

    # Budi (phone) answers a right disposition with a concrete TL.
    _wait_for(budi, budi_first_right)
    budi.goto(f"{base}/laporan/{budi_first_right}")
    expect(budi.locator("#btn-verifikasi")).to_have_count(0)
    expect(budi.locator("#riwayat")).to_contain_text("Admin Instansi (simulasi)")
    budi.click("#btn-tindak_lanjut")
    budi.fill("#isi", TL)
    budi.click("#form-tindak_lanjut button[type=submit]")
    expect(budi.locator("#state-badge")).to_have_text("Proses")
    shoot(budi, SHOTS, "02-phone-tl-on-a-right-disposition")

    # Siti recognises the wrong disposition and sends it back.
    _wait_for(siti, siti_first_wrong, timeout=90_000)
    shoot(siti, SHOTS, "03-inbox-of-an-admin-penghubung")
    siti.goto(f"{base}/laporan/{siti_first_wrong}")
    siti.click("#btn-kembalikan")
    siti.fill("#alasan", WHY)
    siti.click("#form-kembalikan button[type=submit]")
    expect(siti.locator("#not-held")).to_contain_text("dikembalikan ke Admin Instansi")
    # The simulated Admin Instansi re-disposes it a moment later: the page says where.
    expect(siti.locator("#not-held")).to_contain_text(re.compile(
        r"didisposisikan ulang|diteruskan"), timeout=30_000)
    shoot(siti, SHOTS, "04-returned-and-redisposed")

    desk.goto(f"{base}/fasilitator/sesi/{code}")
    heatmap = desk.locator("#heatmap")
    expect(heatmap).to_contain_text("(disposisi keliru)", timeout=20_000)
    expect(heatmap).to_contain_text("dikembalikan")
    heatmap.scroll_into_view_if_needed()
    shoot(desk, SHOTS, "05-dashboard-rows-per-position")
    desk.goto(f"{base}/fasilitator/sesi/{code}/debrief?nama=1")
    desk.locator("a", has_text=SITI[0]).first.click()
    expect(desk.locator("body")).to_contain_text("sebelum dikembalikan")
    shoot(desk, SHOTS, "06-debrief-waiting-time")
