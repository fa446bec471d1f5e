"""Refresh the README screenshots: python docs/make_screenshots.py (needs Debian chromium)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent / "img"
PORT = 5077


def main() -> None:
    env = {**os.environ, "LAPOR_INSTANCE_PATH": tempfile.mkdtemp()}
    server = subprocess.Popen([sys.executable, "-m", "sandbox.cli", "demo", "--port", str(PORT)],
                              stdout=subprocess.PIPE, text=True, env=env)
    try:
        demo = ""
        while not demo:
            match = re.search(r"(/lanjut/\S+)", server.stdout.readline())
            demo = match.group(1) if match else ""
        time.sleep(1)
        base = f"http://127.0.0.1:{PORT}"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                        args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1200, "height": 760})
            page.goto(base + demo)
            page.screenshot(path=str(OUT / "inbox.png"))
            page.locator("table.inbox-table td[data-label='No.'] a").first.click()
            page.locator("#btn-verifikasi").click()
            page.fill("#judul", "Jalan poros kecamatan berlubang")
            page.select_option("#unit", "pupr")
            page.locator("#form-verifikasi button[type=submit]").click()
            page.wait_for_selector(".field-error")
            page.screenshot(path=str(OUT / "report.png"), full_page=True)
            phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
            phone.goto(base + demo)
            phone.screenshot(path=str(OUT / "phone.png"))
            browser.close()
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
