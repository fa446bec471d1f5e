"""Practice on a scenario through the web: release by time, SLA ageing, clock controls."""

from __future__ import annotations

import re

import pytest

from sandbox.extensions import db
from sandbox.models import Exercise

HX = {"HX-Request": "true"}


def _start(client, **fields):
    data = {"name": "Rina", "unit_name": "Dinas PUPR", **fields}
    return client.post("/mulai", data=data)


def _numbers(html):
    return list(dict.fromkeys(re.findall(r"/laporan/(\d+)", html)))


def test_start_page_offers_every_shipped_scenario_and_free_practice(client):
    html = client.get("/").get_data(as_text=True)
    options = re.findall(r'<option value="([a-z-]*)"', html)
    for scenario in ("bimtek-dasar", "wash-air-sanitasi", "jebakan-kewenangan",
                     "lonjakan-aduan", "rahasia-dan-anonim", "studi-komparasi"):
        assert scenario in options
    assert "" in options  # latihan bebas
    assert "Latihan bebas" in html


def test_unknown_scenario_is_a_clear_error(client):
    response = _start(client, scenario="tidak-ada")
    assert response.status_code == 422
    assert "Skenario tidak dikenal atau bermasalah: «tidak-ada»." in response.get_data(
        as_text=True)


def test_scenario_reports_arrive_by_simulated_time_and_age(client, clock):
    assert _start(client, scenario="bimtek-dasar").status_code == 303
    first = client.get("/kotak-masuk").get_data(as_text=True)
    assert 'id="inbox-empty"' in first
    assert "Senin, 2 Maret 2026 08:00 WIB" in first
    assert "Catatan skenario" in first  # the +0 note is shown at once

    clock.advance(minutes=1.5)  # bimtek-dasar: 1 HK = 4 min; +1 menit brings two reports
    html = client.get("/kotak-masuk", headers=HX).get_data(as_text=True)
    assert len(_numbers(html)) == 2
    assert re.search(r'class="sla sla-hijau"[^>]*>Verifikasi: sisa 2 HK', html)

    clock.advance(minutes=7)  # 2.1 HK used of 3: yellow from 60%
    html = client.get("/kotak-masuk", headers=HX).get_data(as_text=True)
    assert 'class="sla sla-kuning"' in html
    clock.advance(minutes=5)  # arrived at +1 menit, so 3.125 HK used of 3: red
    html = client.get("/kotak-masuk", headers=HX).get_data(as_text=True)
    assert re.search(r'class="sla sla-merah"[^>]*>Verifikasi: lewat', html)


def test_report_page_lists_limits_and_hides_manual_reporter_in_a_scenario(client, clock):
    _start(client, scenario="bimtek-dasar")
    clock.advance(minutes=1.5)
    number = _numbers(client.get("/kotak-masuk").get_data(as_text=True))[0]
    html = client.get(f"/laporan/{number}").get_data(as_text=True)
    assert 'id="sla"' in html
    assert "Verifikasi</b> (3 HK): sisa" in html
    assert "Penyelesaian</b> (14 HK)" in html
    assert "Simulasi pelapor" not in html


def test_free_practice_keeps_the_manual_reporter_panel(client):
    _start(client, scenario="", count="3", seed="5")
    numbers = _numbers(client.get("/kotak-masuk").get_data(as_text=True))
    assert len(numbers) == 3
    number = numbers[0]
    client.post(f"/laporan/{number}/aksi/tunda",
                data={"idem_key": "t" * 20, "pertanyaan": "Mohon sebutkan lokasinya."})
    assert "Simulasi pelapor" in client.get(f"/laporan/{number}").get_data(as_text=True)


def test_pause_resume_and_speed(client, clock, app):
    _start(client, scenario="bimtek-dasar")
    assert client.post("/jam/jeda").status_code == 303
    paused = client.get("/kotak-masuk").get_data(as_text=True)
    assert 'id="clock-paused"' in paused
    frozen = re.search(r'id="sim-now">([^<]+)', paused).group(1)
    clock.advance(minutes=30)
    assert re.search(r'id="sim-now">([^<]+)', client.get("/kotak-masuk").get_data(
        as_text=True)).group(1) == frozen
    assert client.post("/jam/jeda").status_code == 303  # a repeated click changes nothing

    client.post("/jam/lanjut")
    client.post("/jam/kecepatan", data={"menit_per_hk": "1"})
    with app.app_context():
        exercise = db.session.scalars(db.select(Exercise)).one()
        assert exercise.speed == 1.0
        assert [c.kind for c in exercise.clock_changes] == ["mulai", "jeda", "lanjut",
                                                            "kecepatan"]
    clock.advance(minutes=1)  # one HK at the new speed
    now = re.search(r'id="sim-now">([^<]+)', client.get("/kotak-masuk").get_data(
        as_text=True)).group(1)
    assert now == "Senin, 2 Maret 2026 16:00 WIB"


@pytest.mark.parametrize("value", ["", "0", "abc", "3"])
def test_unknown_speed_is_refused(client, value):
    _start(client, scenario="bimtek-dasar")
    response = client.post("/jam/kecepatan", data={"menit_per_hk": value})
    assert response.status_code == 400
    assert "Kecepatan tidak dikenal" in response.get_data(as_text=True)


def test_unknown_clock_command_is_404(client):
    _start(client, scenario="bimtek-dasar")
    assert client.post("/jam/mundur").status_code == 404
