"""Mode tim in real browsers (issue 13): one team of three people (the Admin Instansi and
two admin penghubung, one on a phone) relays reports, with a wrong disposition returned by
kembalikan and re-disposed to a seat a simulated teammate plays; the facilitator's
dashboard and debrief tell who held each report and for how long.

Screenshots go to test-artifacts/tim/, or to LAPOR_SHOTS_DIR/../tim (docs/img/tim/ when
LAPOR_SHOTS_DIR=docs/img/walkthrough).
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import (
    PHONE,
    create_workshop_in,
    open_page,
    shoot,
    shots_dir,
    sign_in_facilitator,
)

pytestmark = pytest.mark.browser

SHOTS = shots_dir("tim")
# (name, unit typed in the form, seat label in the form)
INA = ("Ina Lestari", "Diskominfo Kabupaten Sukamaju", "Admin Instansi")
DODI = ("Dodi Prasetyo", "Dinas Pendidikan dan Kebudayaan", "Admin Penghubung Disdikbud")
KIKI = ("Kiki Rahmawati", "Dinas PUPR", "Admin Penghubung DPUPR")
CLASS = "pengaduan_tidak_berkadar_pengawasan"
WHY = ("Pohon peneduh yang rawan tumbang adalah urusan Dinas Lingkungan Hidup (bidang "
       "pertamanan), bukan Dinas PUPR: mohon didisposisikan ulang ke DLH.")
TREE = "Pohon peneduh rawan tumbang di tepi jalan"
TL = ("Yth. Bapak/Ibu pelapor, petugas Dinas Pendidikan telah meninjau ruang kelas SD yang "
      "Anda laporkan pada Selasa, 3 Maret 2026 pukul 09.00; perbaikan atap dijadwalkan "
      "mulai Senin, 9 Maret 2026 dan murid sementara belajar di ruang perpustakaan.")


def _numbers(app: Flask) -> dict[str, str]:
    """Tracking number of each topic: fixed by the scenario and seed, the same on the server."""
    from sandbox.services.practice import scenario_plan

    with app.app_context():
        return {c.key.topic: c.tracking_no
                for c, _ in scenario_plan("tim-estafet", None).complaints}


def _join(page: Page, base: str, code: str, person: tuple[str, str, str], team: str,
          shot: str | None = None) -> str:
    """Join by the form, choosing the seat by its team group and label; the option value."""
    page.goto(f"{base}/ikut/{code}")
    page.fill("#name", person[0])
    page.fill("#unit_name", person[1])
    option = page.locator(f"#kursi optgroup[label='{team}'] option", has_text=person[2])
    expect(option).to_have_count(1)
    value = str(option.get_attribute("value"))
    page.select_option("#kursi", value)
    if shot:
        # A native drop-down never shows in a screenshot: list the seats as a box for it.
        page.eval_on_selector("#kursi", "s => s.size = s.querySelectorAll('option, optgroup').length")
        page.focus("#kursi")
        shoot(page, SHOTS, shot, full_page=True)
        page.eval_on_selector("#kursi", "s => s.removeAttribute('size')")
    page.click("#join-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/kotak-masuk"))
    expect(page.locator("#role-note")).to_contain_text(f"sebagai {person[2]}")
    return value


def _row(page: Page, number: str) -> Locator:
    return page.locator("#inbox tbody tr", has=page.locator(f"a[href='/laporan/{number}']"))


def _wait_for(page: Page, number: str, timeout: float = 60_000) -> None:
    """On the open inbox until report `number` shows (the pulse refreshes it)."""
    expect(_row(page, number)).to_have_count(1, timeout=timeout)


def _dispose(page: Page, base: str, number: str, judul: str, kategori: str,
             unit: str) -> None:
    page.goto(f"{base}/laporan/{number}")
    page.click("#btn-verifikasi")
    page.fill("#judul", judul)
    page.select_option("#klasifikasi", CLASS)
    page.select_option("#kategori", kategori)
    page.select_option("#unit", unit)
    page.click("#form-verifikasi button[type=submit]")
    expect(page.locator("#state-badge")).to_have_text("Belum Ditindaklanjuti")


def _fits_the_phone(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"


def test_a_team_relays_a_report_back_and_on_to_a_simulated_seat(browser, live_server,
                                                                 app: Flask):
    base = live_server.url
    numbers = _numbers(app)
    sd, tree = numbers["sd-ruang-kelas-rusak"], numbers["pohon-peneduh-rawan-tumbang"]
    imunisasi = numbers["info-jadwal-imunisasi"]

    desk = open_page(browser)
    sign_in_facilitator(desk, live_server)
    code = create_workshop_in(desk, "Bimtek estafet tim", "Aula Diskominfo", "tim-estafet")
    # The scenario runs at 4 minutes per HK: the facilitator speeds it up, then starts.
    desk.goto(f"{base}/fasilitator/sesi/{code}")
    desk.select_option("#menit_per_hk", "0.25")
    desk.click("#ctl-kecepatan")
    expect(desk.locator("#menit_per_hk")).to_have_value("0.25")
    desk.click("#ctl-mulai")
    expect(desk.locator("#workshop-state")).to_have_text("Berjalan")

    # Ina opens Tim 1 as its Admin Instansi; Dodi and Kiki take free seats of Tim 1.
    ina, dodi, kiki = open_page(browser), open_page(browser), open_page(browser, PHONE)
    assert _join(ina, base, code, INA, "Tim 1 (tim baru)") == "baru:instansi"
    assert _join(dodi, base, code, DODI, "Tim 1", shot="01-join-choose-a-seat").endswith(
        ":opd-2")
    assert _join(kiki, base, code, KIKI, "Tim 1").endswith(":opd-3")
    expect(ina.locator("#role-note")).to_contain_text("Tim 1")
    _fits_the_phone(kiki)

    # Every report reaches the Admin Instansi; she disposes the SD report to Disdik.
    ina.goto(f"{base}/kotak-masuk")
    _wait_for(ina, sd)
    _dispose(ina, base, sd, "Ruang kelas SD rusak dan membahayakan murid", "pendidikan",
             "disdik")
    expect(ina.locator("#not-held")).to_contain_text("admin penghubungnya")
    expect(ina.locator("#btn-tindak_lanjut")).to_have_count(0)

    # Dodi (desktop) sees only what was disposed to Disdik and posts a TL.
    _wait_for(dodi, sd)
    dodi.goto(f"{base}/laporan/{sd}")
    expect(dodi.locator("#btn-verifikasi")).to_have_count(0)
    expect(dodi.locator("#riwayat")).to_contain_text(f"Admin Instansi ({INA[0]})")
    dodi.click("#btn-tindak_lanjut")
    dodi.fill("#isi", TL)
    dodi.click("#form-tindak_lanjut button[type=submit]")
    expect(dodi.locator("#state-badge")).to_have_text("Proses")

    # The shade-tree report arrives in the second wave; Ina disposes it wrongly to DPUPR.
    ina.goto(f"{base}/kotak-masuk")
    _wait_for(ina, tree, timeout=90_000)
    expect(_row(ina, sd).locator(".badge")).to_have_text("Proses")
    shoot(ina, SHOTS, "02-admin-instansi-inbox")
    _dispose(ina, base, tree, TREE, "lingkungan_hidup", "pupr")

    # Kiki (phone) sees the shade-tree report and nothing else: not the SD report sent to
    # Disdik, not the immunisation report that nobody disposed yet.
    _wait_for(kiki, tree)
    expect(kiki.locator("#inbox tbody tr")).to_have_count(1)
    expect(_row(kiki, sd)).to_have_count(0)
    expect(_row(kiki, imunisasi)).to_have_count(0)
    assert kiki.request.get(f"{base}/laporan/{sd}").status == 404
    dodi.goto(f"{base}/kotak-masuk")
    _wait_for(dodi, sd)
    expect(_row(dodi, tree)).to_have_count(0)
    assert dodi.request.get(f"{base}/laporan/{tree}").status == 404

    # Kiki returns it with kembalikan and a reason.
    kiki.goto(f"{base}/laporan/{tree}")
    expect(kiki.locator("#riwayat")).to_contain_text(f"Admin Instansi ({INA[0]})")
    kiki.click("#btn-kembalikan")
    kiki.fill("#alasan", WHY)
    kiki.locator("#form-kembalikan").scroll_into_view_if_needed()
    _fits_the_phone(kiki)
    shoot(kiki, SHOTS, "03-phone-penghubung-returns")
    kiki.click("#form-kembalikan button[type=submit]")
    expect(kiki.locator("#not-held")).to_contain_text("dikembalikan ke Admin Instansi")
    expect(kiki.locator("#btn-tindak_lanjut")).to_have_count(0)

    # Ina gets it back on her inbox (the pulse refreshes it), reads the reason...
    ina.goto(f"{base}/kotak-masuk")
    expect(_row(ina, tree).locator(".badge").first).to_have_text("Belum Terverifikasi",
                                                                timeout=30_000)
    expect(_row(ina, tree)).to_contain_text("dikembalikan")
    ina.goto(f"{base}/laporan/{tree}")
    expect(ina.locator("#state-badge")).to_have_text("Belum Terverifikasi")
    expect(ina.locator("#btn-verifikasi")).to_be_visible()
    expect(ina.locator("#returned-note")).to_contain_text(f"Dikembalikan oleh {KIKI[0]}")
    history = ina.locator("#riwayat")
    expect(history).to_contain_text("Kembalikan ke Admin Instansi")
    expect(history).to_contain_text(KIKI[0])
    expect(history).to_contain_text(WHY)
    shoot(ina, SHOTS, "04-admin-instansi-gets-it-back", full_page=True)

    # ...and re-disposes it to DLH, a seat nobody sits in: its simulated admin
    # penghubung answers a moment later.
    _dispose(ina, base, tree, TREE, "lingkungan_hidup", "dlh")
    expect(ina.locator("#riwayat")).to_contain_text("Admin Penghubung DLH (simulasi)",
                                                    timeout=45_000)
    expect(kiki.locator("#not-held")).to_contain_text(
        "didisposisikan ulang ke Dinas Lingkungan Hidup", timeout=30_000)

    # The facilitator's dashboard: the team, its seats, who holds what and the waits.
    desk.goto(f"{base}/fasilitator/sesi/{code}")
    flow = desk.locator("#team-flow")
    expect(flow).to_contain_text("Tim 1")
    expect(flow).to_contain_text("Admin Penghubung Dinsos: rekan simulasi")
    expect(flow).to_contain_text(f"Admin Penghubung DPUPR: {KIKI[0]}")
    holders = flow.locator("td[data-label='Dipegang']")
    sd_row = flow.locator("tbody tr", has=desk.locator("td[data-label='#']", has_text=sd))
    expect(sd_row.locator("td[data-label='Dipegang']")).to_have_text(f"Disdikbud ({DODI[0]})")
    expect(holders.filter(has_text=f"Admin Instansi ({INA[0]})").first).to_be_visible()
    expect(flow).to_contain_text("Menunggu paling lama sekarang:")
    expect(flow).to_contain_text(re.compile(
        rf"menunggu [\w ]+ di DPUPR \({KIKI[0]}\) sebelum dikembalikan"))
    tree_row = flow.locator("tbody tr", has=desk.locator("td[data-label='#']", has_text=tree))
    expect(tree_row.locator("td[data-label='Serah-terima']")).to_have_text("3")
    tree_row.locator("summary").click()
    SHOTS.mkdir(parents=True, exist_ok=True)
    flow.screenshot(path=str(SHOTS / "05-dashboard-team-flow.png"))

    # The debrief: the relay per team, and the shade-tree report's path with its waits.
    desk.goto(f"{base}/fasilitator/sesi/{code}/debrief?nama=1")
    expect(desk.locator("#relay-summary")).to_contain_text("Tim 1")
    desk.locator("#debrief-reports a", has_text=f"#{tree}").click()
    relay = desk.locator("#relay")
    expect(relay).to_contain_text("sebelum dikembalikan")
    expect(relay).to_contain_text(f"DPUPR ({KIKI[0]})")
    expect(relay).to_contain_text("DLH (rekan simulasi)")
    relay.evaluate("e => e.scrollIntoView({block: 'center'})")
    shoot(desk, SHOTS, "06-debrief-relay")
