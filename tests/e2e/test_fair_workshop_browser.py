"""A fair workshop in real browsers (issue 11): one bimtek-dasar room with an honest trainee,
a cheat, a leak of a protected reporter's name in the judul, stock-phrase TLs, an absentee,
a double join and a latecomer who joins after a speed change, and the projector, dashboard,
debrief, report cards and XLSX telling one story with the same numbers.

Screenshots of each key step go to test-artifacts/walkthrough/, or to LAPOR_SHOTS_DIR
(docs/img/walkthrough/ for the documentation).
"""

from __future__ import annotations

import json
import os
import re
import secrets
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from sandbox.domain.clock import format_tanggal
from sandbox.web import poin
from tests.e2e.conftest import ARTIFACTS, create_workshop_in, sign_in_facilitator

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("LAPOR_SHOTS_DIR") or ARTIFACTS / "walkthrough")
DESKTOP = {"viewport": {"width": 1280, "height": 800}, "locale": "id-ID"}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "locale": "id-ID"}
LEAKED_TOPIC = "kades-potong-bansos"  # the answer key says rahasia: the reporter is protected

# Names and OPDs of the room. The absentee is only on the imported list.
JUJUR = ("Jujur Santoso", "Dinas Kependudukan dan Pencatatan Sipil")
CURANG = ("Curang Wibowo", "Dinas PUPR")
BOCOR = ("Bocor Lestari", "Dinas Sosial")
KLISE = ("Klise Rahayu", "Dinas Lingkungan Hidup")
TELAT = ("Telat Pratama", "Dinas Perhubungan")
ABSEN = ("Absen Wijaya", "Dinas Pertanian")
ACTIVE = [JUJUR[0], CURANG[0], BOCOR[0], KLISE[0], TELAT[0]]

CONCRETE_TL = (
    "Yth. Bapak/Ibu pelapor, terima kasih atas laporan Anda. Petugas Dinas Kependudukan dan "
    "Pencatatan Sipil (Disdukcapil) telah mencetak KTP-el Anda pada Selasa, 3 Maret 2026 "
    "setelah blangko baru tiba. KTP-el dapat diambil di loket Disdukcapil Kecamatan Tegalsari "
    "mulai Rabu, 4 Maret 2026 pukul 08.00-15.00 dengan membawa bukti rekam. Silakan balas "
    "bila ada kendala.")
STOCK_TLS = ("Terima kasih, laporan Anda akan segera ditindaklanjuti.",
             "Terima kasih. Laporan sudah diteruskan ke bidang terkait dan akan "
             "ditindaklanjuti sesuai ketentuan yang berlaku.")
CHEAT_TL = "Laporan Anda sudah kami terima dan sedang dalam proses, mohon bersabar."


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def _scroll_to(page: Page, selector: str) -> None:
    """Bring the card holding `selector` to the top of the window, for a screenshot."""
    page.locator(selector).first.evaluate("e => (e.closest('section') || e).scrollIntoView()")


def _open(browser: Browser, options: dict[str, Any] = DESKTOP) -> Page:
    page = browser.new_context(**options).new_page()
    page.set_default_timeout(15_000)
    return page


def _join(page: Page, base: str, code: str, person: tuple[str, str]) -> str:
    """Join by the session's address as a trainee does; return the personal code shown."""
    page.goto(f"{base}/ikut/{code}")
    page.fill("#name", person[0])
    page.fill("#unit_name", person[1])
    page.click("#join-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/kotak-masuk"))
    return page.locator("#personal-code").inner_text().strip()


def _wait_for(page: Page, base: str, number: str) -> None:
    """On the inbox until report `number` has arrived (the inbox polls by itself)."""
    if "/kotak-masuk" not in page.url:
        page.goto(f"{base}/kotak-masuk")
    expect(page.locator(f"a[href='/laporan/{number}']").first).to_be_visible(timeout=30_000)


def _verify(page: Page, base: str, number: str, judul: str, key: dict[str, Any],
            unit: str | None = None) -> None:
    page.goto(f"{base}/laporan/{number}")
    page.click("#btn-verifikasi")
    page.fill("#judul", judul)
    page.select_option("#klasifikasi", key["klasifikasi"])
    page.select_option("#kategori", key["kategori"])
    page.select_option("#unit", unit or key["expected_target"])
    page.click("#form-verifikasi button[type=submit]")
    expect(page.locator("#state-badge")).to_have_text("Belum Ditindaklanjuti")


def _final_tl(page: Page, text: str) -> None:
    page.click("#btn-tindak_lanjut")
    page.fill("#isi", text)
    page.check("#form-tindak_lanjut input[name=akhir]")
    page.click("#form-tindak_lanjut button[type=submit]")
    expect(page.locator("#state-badge")).to_have_text("Menunggu Tanggapan Pelapor")


def _inbox_rows(page: Page, base: str) -> dict[str, tuple[str, str]]:
    """Tracking number -> (arrival as shown, the limit's zone class) on a fresh inbox."""
    page.goto(f"{base}/kotak-masuk")
    rows = {}
    for row in page.locator("table.inbox-table tbody tr").all():
        number = row.locator("td[data-label='No.']").inner_text().strip().lstrip("#")
        zone = row.locator("td[data-label='Batas waktu'] .sla")
        rows[number] = (row.locator("td[data-label='Masuk']").inner_text().strip(),
                        zone.get_attribute("class") or "" if zone.count() else "")
    return rows


def _moment(text: str) -> str:
    """The simulated moment in a sentence: "Selasa, 3 Maret 2026 15:10"."""
    found = re.search(r"\w+, \d{1,2} \w+ \d{4} \d{2}[:.]\d{2}", text)
    assert found, text
    return found.group(0)


def _card(page: Page, base: str) -> dict[str, Any]:
    page.goto(f"{base}/hasil")
    figures = dict(zip(page.locator("#figures dt").all_inner_texts(),
                       page.locator("#figures dd").all_inner_texts(), strict=True))
    return {"total": page.locator(".tile.total .big").inner_text(),
            "accuracy": page.locator("#accuracy").inner_text(),
            "speed": page.locator("#speed").inner_text(), "figures": figures}


def _xlsx(path: str) -> tuple[dict[str, dict[str, Any]], dict[tuple[str, str], dict[str, Any]],
                               dict[str, dict[str, Any]]]:
    """(Ringkasan by name, Laporan by (name, tracking number), Kerahasiaan by name)."""
    with open(path, "rb") as handle:
        book = openpyxl.load_workbook(handle)

    def rows(sheet: str) -> list[dict[str, Any]]:
        values = list(book[sheet].iter_rows(values_only=True))
        return [dict(zip(values[0], row, strict=True)) for row in values[1:] if row[0]]

    summary = {row["Nama"]: row for row in rows("Ringkasan")}
    reports = {(row["Nama"], str(row["No. laporan"])): row for row in rows("Laporan")}
    secrecy = {row["Nama"]: row for row in rows("Kerahasiaan")}
    return summary, reports, secrecy


def _answer_keys(app: Flask) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """bimtek-dasar's schedule (fixed by scenario and seed) and the leaked topic's key."""
    from sandbox.services.catalogue import get_catalogue
    from sandbox.services.practice import scenario_plan

    with app.app_context():
        plan = scenario_plan("bimtek-dasar", None)
        schedule = [{"tracking_no": c.tracking_no, "arrived_at": c.arrived_at,
                     "klasifikasi": c.key.klasifikasi, "kategori": c.key.kategori,
                     "expected_target": c.key.expected_target}
                    for c, _ in plan.complaints]
        topic = next(t for t in get_catalogue(plan.region_file).topics
                     if t.id == LEAKED_TOPIC)
        leaked = {"klasifikasi": topic.klasifikasi.value, "kategori": topic.kategori,
                  "expected_target": topic.target, "rahasia": topic.rahasia}
    return schedule, leaked


def test_a_fair_workshop_tells_one_story(browser, live_server, app: Flask):
    base = live_server.url
    schedule, leaked_key = _answer_keys(app)
    first, second = schedule[0], schedule[1]
    assert leaked_key["rahasia"], "the leaked report must be one whose reporter is protected"

    # --- Before the day: the facilitator creates the session and imports the list.
    desk = _open(browser)
    sign_in_facilitator(desk, live_server)
    code = create_workshop_in(desk, "Bimtek yang adil", "Aula Diskominfo")
    session_url = f"{base}/fasilitator/sesi/{code}"
    desk.goto(f"{session_url}/peserta")
    desk.set_input_files("#berkas", files=[{
        "name": "peserta.csv", "mimeType": "text/csv",
        "buffer": f"Nama;OPD\n{ABSEN[0]};{ABSEN[1]}\n".encode()}])
    desk.click("#import-form button[type=submit]")
    expect(desk.locator("#import-done")).to_contain_text("1 peserta berhasil diimpor")

    # --- In the room: four trainees join in the lobby.
    jujur, curang, bocor, klise = (_open(browser) for _ in range(4))
    personal = {JUJUR[0]: _join(jujur, base, code, JUJUR)}
    for page, person in ((curang, CURANG), (bocor, BOCOR), (klise, KLISE)):
        personal[person[0]] = _join(page, base, code, person)
    desk.goto(session_url)
    expect(desk.locator("#apart-belum_bertindak .badge")).to_have_count(4, timeout=20_000)
    expect(desk.locator("#apart-belum_hadir")).to_contain_text(ABSEN[0])
    _scroll_to(desk, "#apart-belum_hadir")
    _shot(desk, "01-lobby-with-absentee")

    # The scenario runs at 4 minutes per HK: the facilitator speeds it up, then starts.
    desk.select_option("#menit_per_hk", "0.25")
    desk.click("#ctl-kecepatan")
    expect(desk.locator("#menit_per_hk")).to_have_value("0.25")
    desk.click("#ctl-mulai")
    expect(desk.locator("#workshop-state")).to_have_text("Berjalan")
    # A report whose answer key says rahasia, injected for everyone.
    desk.click("#inject-panel summary")
    desk.check("#sumber-topik")
    desk.select_option("#topik", LEAKED_TOPIC)
    desk.click("#ctl-suntik")
    logged = desk.locator("#control-log li").first
    expect(logged).to_contain_text("Menyuntikkan laporan")
    leaked = re.search(r"#(\d+)", logged.inner_text()).group(1)
    n1, n2 = first["tracking_no"], second["tracking_no"]

    # --- Curang peeks and acts for the reporter and the system: all refused, nothing kept.
    _wait_for(curang, base, n1)
    curang.goto(f"{base}/laporan/{n1}?aksi=selesai_otomatis")
    expect(curang.locator("#state-badge")).to_have_text("Belum Terverifikasi")
    expect(curang.locator("form.action-form")).to_have_count(0)
    expect(curang.locator(".reporter-sim")).to_have_count(0)
    refused = curang.goto(f"{base}/laporan/{n1}/aksi/selesai_otomatis")
    assert refused is not None and refused.status == 403
    _shot(curang, "02-cheat-refused-system-action")
    curang.goto(f"{base}/hasil")
    peek = curang.locator("#score-" + n1)
    expect(peek.locator(".answer-withheld")).to_have_count(1)  # in the closed details
    assert "Yang diharapkan" not in curang.content()
    assert "Kependudukan" not in (peek.text_content() or "")  # the expected unit unnamed
    _verify(curang, base, n1, "KTP-el belum jadi karena blangko habis", first)
    _final_tl(curang, CHEAT_TL)
    steps = curang.locator("#riwayat li").count()
    # The page's own key, as htmx sends it (no form is left once the TL is final).
    token = json.loads(curang.locator("body").get_attribute("hx-headers") or "{}")["X-CSRFToken"]
    for action, form in (("pelapor_menerima", {"isi": "Saya puas."}),
                         ("pelapor_menilai", {"bintang": "5", "isi": "Mantap."}),
                         ("selesai_otomatis", {})):
        # A forged form, well made (a fresh one-time key): the role is what refuses it.
        answer = curang.request.post(f"{base}/laporan/{n1}/aksi/{action}", form={
            "csrf_token": token, "idem_key": secrets.token_hex(16), **form})
        assert answer.status == 403, (action, answer.status)
    curang.reload()
    # At most the simulated reporter's own answer (accept, rate) came in meanwhile; the
    # log at the end shows none of these steps is Curang's.
    assert curang.locator("#riwayat li").count() <= steps + 2

    # --- Jujur: right routing and a concrete TL; one more report verified.
    _wait_for(jujur, base, n1)
    _verify(jujur, base, n1, "KTP-el belum jadi karena blangko habis", first)
    _final_tl(jujur, CONCRETE_TL)
    expect(jujur.locator("#vague-tl")).to_have_count(0)
    _verify(jujur, base, n2, "Jalan poros Gondang rusak berat", second)

    # --- Klise: right routing, but only stock phrases, on two reports.
    _wait_for(klise, base, n2)
    for number, key, text in ((n1, first, STOCK_TLS[0]), (n2, second, STOCK_TLS[1])):
        _verify(klise, base, number, "Laporan warga", key)
        _final_tl(klise, text)
        expect(klise.locator("#vague-tl")).to_contain_text("TL tidak konkret")
    expect(klise.locator("#vague-tl")).to_contain_text("sudah diteruskan ke bidang terkait")
    expect(klise.locator("#vague-tl")).to_contain_text("sesuai ketentuan yang berlaku")
    klise.locator("#vague-tl").scroll_into_view_if_needed()
    _shot(klise, "04-stock-phrases-named")

    # --- Bocor: the protected reporter's name in the public judul, no rahasia flag.
    _wait_for(bocor, base, leaked)
    bocor.goto(f"{base}/laporan/{leaked}")
    reporter = bocor.locator("dl.facts dd").first.inner_text().strip()  # "Ibu ..."/"Bapak ..."
    reporter_name = reporter.split(" ", 1)[1]
    _verify(bocor, base, leaked, f"Pengaduan {reporter_name} soal potongan bansos", leaked_key)
    headline = bocor.locator("#headline-failure")
    expect(headline).to_contain_text("Pelanggaran berat")
    expect(headline).to_contain_text("Identitas pelapor terbuka")
    expect(headline).to_contain_text("judul")
    headline.scroll_into_view_if_needed()
    _shot(bocor, "03-leak-in-judul")

    # --- A double join: Jujur types name and OPD again on another device.
    again = _open(browser)
    again.goto(f"{base}/ikut/{code}")
    again.fill("#name", JUJUR[0])
    again.fill("#unit_name", JUJUR[1])
    again.click("#join-form button[type=submit]")
    expect(again.locator("#already-registered")).to_contain_text(
        "Anda sudah terdaftar — masuk lagi?")
    _shot(again, "05-double-join-question")
    again.fill("#personal_code", personal[JUJUR[0]])
    again.click("#rejoin-form button[type=submit]")
    expect(again).to_have_url(re.compile(r"/kotak-masuk"))
    expect(again.locator("table.inbox-table")).to_contain_text("Jalan poros Gondang rusak berat")
    again.context.close()

    # --- Once several reports are in, the facilitator changes the speed and Telat joins
    # on a phone.
    _wait_for(jujur, base, schedule[3]["tracking_no"])
    desk.goto(session_url)
    desk.select_option("#menit_per_hk", "0.5")
    desk.click("#ctl-kecepatan")
    expect(desk.locator("#menit_per_hk")).to_have_value("0.5")
    telat = _open(browser, PHONE)
    personal[TELAT[0]] = _join(telat, base, code, TELAT)
    desk.select_option("#menit_per_hk", "0.25")
    desk.click("#ctl-kecepatan")
    expect(desk.locator("#menit_per_hk")).to_have_value("0.25")
    expect(telat.locator("#joined-note")).to_contain_text("Anda bergabung")
    joined_shown = _moment(telat.locator("#joined-note").inner_text())
    # The same exercise: the same tracking numbers at the same simulated moments.
    late_rows, early_rows = _inbox_rows(telat, base), _inbox_rows(jujur, base)
    planned = [c["tracking_no"] for c in schedule]
    arrived = [n for n in planned if n in late_rows]
    assert len(arrived) >= 4 and arrived == planned[:len(arrived)], (arrived, planned)
    assert set(late_rows) == {*arrived, leaked}  # the injected report reaches latecomers too
    for number, (shown, _) in late_rows.items():
        assert early_rows[number][0] == shown, (number, early_rows[number], shown)
    for planned_report in schedule[:len(arrived)]:  # at the scenario's own moments
        assert late_rows[planned_report["tracking_no"]][0] == format_tanggal(
            planned_report["arrived_at"], with_day=False)
    assert set(late_rows) <= set(early_rows)
    _verify(telat, base, n2, "Jalan poros Gondang rusak berat", second)
    expect(telat.locator("#sla-since-join")).to_be_visible()

    # Time passes: the reports that came before Telat joined turn red for Bocor, not Telat.
    bocor.goto(f"{base}/kotak-masuk")
    red_for_bocor = bocor.locator(
        f"tr:has(a[href='/laporan/{n1}']) td[data-label='Batas waktu'] .sla-merah")
    expect(red_for_bocor).to_be_visible(timeout=60_000)
    late_rows = _inbox_rows(telat, base)
    assert not [n for n, (_, zone) in late_rows.items() if "sla-merah" in zone], late_rows
    assert "sla-merah" in _inbox_rows(bocor, base)[n1][1]
    telat.goto(f"{base}/kotak-masuk")
    _shot(telat, "06-latecomer-phone-inbox")

    # --- The dashboard: the worst first (Bocor, the exposure); the absentee apart.
    desk.goto(session_url)
    rows = desk.locator("#participants tbody tr")
    expect(rows).to_have_count(5)
    expect(rows.first).to_contain_text(BOCOR[0])
    expect(rows.first.locator("td[data-label='Perhatian']")).to_contain_text(
        "identitas pelapor terbuka")
    expect(desk.locator("#participants")).not_to_contain_text(ABSEN[0])
    expect(desk.locator("#apart-belum_hadir")).to_contain_text(ABSEN[0])
    assert desk.locator("h2", has_text="Peserta (").inner_text() == "Peserta (6)"  # no double
    _scroll_to(desk, "#participants")
    _shot(desk, "07-dashboard-perhatian")

    desk.once("dialog", lambda dialog: dialog.accept())
    desk.click("#ctl-akhiri")
    expect(desk.locator("#workshop-state")).to_have_text("Berakhir")

    # --- The projector after the end: the active ranked, the absentee only when included.
    projector = desk.context.new_page()  # the facilitator's own tab, on the wall
    projector.goto(f"{session_url}/layar?top=semua")
    expect(projector.locator("#board-ended")).to_be_visible()
    board = {row.locator(".board-name").evaluate("e => e.firstChild.textContent").strip():
             row.locator(".board-value").inner_text().strip()
             for row in projector.locator("#board-rows li").all()}
    assert set(board) == set(ACTIVE), board
    _shot(projector, "08-projector-after-end")
    projector.goto(f"{session_url}/layar?top=semua&sertakan=1")
    expect(projector.locator("#board-rows")).to_contain_text(ABSEN[0])

    # --- Every trainee's card.
    cards = {name: _card(page, base) for name, page in
             ((JUJUR[0], jujur), (CURANG[0], curang), (BOCOR[0], bocor), (KLISE[0], klise))}
    cards[TELAT[0]] = _card(telat, base)
    # Bocor: the failure first, above the total; the report's whole confidentiality lost.
    failures = bocor.locator("#headline-failures")
    expect(failures).to_contain_text("Pelanggaran berat")
    expect(failures).to_contain_text("Identitas pelapor terbuka")
    assert bocor.evaluate("document.querySelector('#headline-failures').compareDocumentPosition("
                          "document.querySelector('.tiles')) & Node.DOCUMENT_POSITION_FOLLOWING")
    assert cards[BOCOR[0]]["figures"]["Identitas pelapor terbuka"] == "1 laporan"
    bocor.locator(f"#score-{leaked} summary").click()
    secrecy_line = bocor.locator(f"#score-{leaked} tr", has_text="Kerahasiaan")
    expect(secrecy_line.locator("td").nth(1)).to_have_text("0/15")
    bocor.goto(f"{base}/hasil")
    _shot(bocor, "09-card-leak-headline-first")
    # Klise: both TLs marked vague.
    assert cards[KLISE[0]]["figures"]["TL tidak konkret"] == "2 laporan"
    # Telat: told when the limits started; no limit missed, whereas Bocor missed them.
    expect(telat.locator("#joined-late")).to_contain_text("Anda bergabung pada")
    # The same moment on the inbox (at joining) and on the card (at the end).
    assert _moment(telat.locator("#joined-late").inner_text()) == joined_shown
    telat.goto(f"{base}/hasil")
    telat.set_viewport_size({"width": 1280, "height": 800})
    _shot(telat, "10-card-latecomer")
    assert cards[TELAT[0]]["figures"]["Batas waktu terlewati"] == "0"
    assert int(cards[BOCOR[0]]["figures"]["Batas waktu terlewati"]) >= 2
    # Curang: the simulated reporter judged the vague TL; the self-given 5 stars never counted.
    curang.goto(f"{base}/laporan/{n1}")
    expect(curang.locator("#riwayat")).to_contain_text("★★")
    assert "★★★★★" not in curang.locator("#riwayat").inner_text()

    # --- The debrief, names shown: each trainee's replay carries the card's tiles.
    desk.goto(f"{session_url}/debrief?nama=1")
    # "Peserta 3 · Jujur Santoso (Dinas ...)"
    links = {re.sub(r"^Peserta \d+ · | \(.*\)$", "", a.inner_text().strip()):
             a.get_attribute("href") for a in desk.locator("#trainee-links a").all()}
    assert set(links) == set(ACTIVE), links
    debrief = {}
    for name in ACTIVE:
        desk.goto(base + links[name])
        tiles = desk.locator(".tiles .tile .big").all_inner_texts()
        debrief[name] = tiles[:3]
        if name == BOCOR[0]:
            _shot(desk, "11-debrief-replay")

    # --- The results file, as the Sekda's staff open it.
    desk.goto(f"{session_url}/ekspor")
    with desk.expect_download() as download:
        desk.click("#download-xlsx")
    summary, per_report, secrecy = _xlsx(download.value.path())
    assert set(summary) == set(ACTIVE), summary.keys()
    log = desk.request.get(f"{session_url}/ekspor/log.jsonl").text()
    certificates = desk.request.get(f"{session_url}/ekspor/sertifikat").text()
    with_absent = desk.request.get(f"{session_url}/ekspor/sertifikat?sertakan=1").text()
    assert ABSEN[0] not in certificates and all(name in certificates for name in ACTIVE)
    assert ABSEN[0] in with_absent

    # One story: the same total, accuracy and speed on every surface.
    story = {}
    for name in ACTIVE:
        row, card = summary[name], cards[name]
        total, accuracy, speed = (row["Nilai total (%)"], row["Ketepatan (%)"],
                                  row["Kecepatan (%)"])
        shown = [f"{total:.0f}", f"{accuracy:.0f}", f"{speed:.0f}"]
        assert [card["total"], card["accuracy"], card["speed"]] == shown, (name, card, row)
        assert debrief[name] == shown, (name, debrief[name], shown)
        assert board[name] == poin(total), (name, board[name], total)
        assert card["figures"]["Batas waktu terlewati"] == str(row["Batas waktu terlewati"])
        story[name] = {"xlsx": [round(total, 2), round(accuracy, 2), round(speed, 2)],
                       "card": shown, "debrief": debrief[name], "layar": board[name],
                       "terlewati": row["Batas waktu terlewati"]}
    print("\nstory (total, ketepatan, kecepatan %):", json.dumps(story, ensure_ascii=False))
    # The projector's order is the file's order, and honesty beats the cheat and the clichés.
    assert list(board) == sorted(ACTIVE, key=lambda n: -summary[n]["Nilai total (%)"])
    assert summary[JUJUR[0]]["Nilai total (%)"] > summary[CURANG[0]]["Nilai total (%)"]
    assert summary[JUJUR[0]]["Nilai total (%)"] > summary[KLISE[0]]["Nilai total (%)"]
    # The leak: the report's whole confidentiality points, in the file too.
    assert secrecy[BOCOR[0]][f"#{leaked}"] == 0
    assert per_report[(BOCOR[0], leaked)]["Kesalahan kerahasiaan"] >= 1
    # The latecomer's pre-join reports: no limit missed; the others missed them.
    assert per_report[(TELAT[0], n1)]["Batas terlewati"] == 0
    assert per_report[(BOCOR[0], n1)]["Batas terlewati"] >= 1
    # Curang's refused posts left nothing in the log: every reporter or system step on
    # Curang's reports is the simulated reporter's or the system's own.
    events = [json.loads(line) for line in log.splitlines() if line.strip()]
    theirs = [e for e in events if e.get("type") == "event" and e["participant"] == CURANG[0]]
    assert theirs, "Curang's events are in the log"
    for event in theirs:
        if event["role"] in ("pelapor", "sistem"):
            assert event["actor"] != CURANG[0], event
        if event["action"] == "pelapor_menilai":
            assert int(event["payload"]["bintang"]) < 5, event

    for page in (jujur, curang, bocor, klise, telat, desk):
        page.context.close()
