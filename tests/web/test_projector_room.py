"""The projector runs the room: the simulated clock and HK, the real time left, the pause,
the join code and QR while joining is open; and the facilitator's scenario notes restated
at the clock's current speed, with the real minute each note comes."""

from __future__ import annotations

import re

from tests.web.kit import HX, create_session, join, login


def _room(client, code, **headers):
    html = client.get(f"/fasilitator/sesi/{code}/layar", headers=headers).get_data(as_text=True)
    clock = dict(re.findall(r'data-(sim|rate|until|left)="([^"]*)"', html))
    return html, clock


def _text(html, element_id):
    match = re.search(rf'id="{element_id}"[^>]*>([^<]*)<', html)
    return match.group(1) if match else None


def test_the_projector_shows_clock_time_left_pause_and_join_code(app, accounts, clock):
    ratna = login(app, "ratna")
    code = create_session(ratna, scenario="lonjakan-aduan")  # 45 minutes, 1 HK = 3 menit
    join(app, code)

    html, room = _room(ratna, code)
    assert _text(html, "room-time") == "08:00" and room["sim"] == "2026-03-02T08:00:00"
    assert "HK ke-1 · Senin, 2 Maret 2026" in html
    assert room["left"] == "2700" and _text(html, "room-left") == "45:00"
    assert room["rate"] == "0.0"  # the clock has not started: the page does not tick it
    assert _text(html, "room-join-code") == code
    assert f'src="/fasilitator/sesi/{code}/qr.svg"' in html
    assert 'id="room-paused"' not in html

    ratna.post(f"/fasilitator/sesi/{code}/kontrol/mulai")
    clock.advance(minutes=2)
    html, room = _room(ratna, code, **HX)  # the poll: the whole room, no page around it
    assert "<html" not in html and 'id="room"' in html
    assert room["left"] == "2580" and _text(html, "room-left") == "43:00"
    assert float(room["rate"]) == 160.0  # 8 working hours in 3 real minutes
    assert _text(html, "room-time") == "13:20"  # two minutes are 2/3 HK: 08:00 + 5 h 20
    assert room["until"] == "2026-03-02T16:00:00"  # it may tick up to the day's close

    clock.advance(minutes=2)  # four minutes are 1 1/3 HK: the next working day, 10:40
    html, room = _room(ratna, code)
    assert "HK ke-2 · Selasa, 3 Maret 2026" in html and _text(html, "room-time") == "10:40"

    ratna.post(f"/fasilitator/sesi/{code}/kontrol/jeda")
    clock.advance(minutes=10)
    html, room = _room(ratna, code)
    assert _text(html, "room-paused") == "DIJEDA"
    assert room["rate"] == "0.0" and room["left"] == "2460"  # time left stands still

    ratna.post(f"/fasilitator/sesi/{code}/kontrol/lanjut")
    html, _ = _room(ratna, code)
    assert 'id="room-paused"' not in html and 'id="room-join"' in html
    ratna.post(f"/fasilitator/sesi/{code}/kontrol/kecepatan", data={"menit_per_hk": "4"})
    html, room = _room(ratna, code)
    assert room["left"] == "3280" and _text(html, "room-left") == "54:40"  # 41 min × 4/3

    ratna.post(f"/fasilitator/sesi/{code}/kontrol/akhiri")
    html, room = _room(ratna, code)
    assert 'id="room-join"' not in html and 'id="room-qr"' not in html  # joining is closed
    assert room["left"] == "" and 'id="room-left"' not in html
    assert "Sesi berakhir · hasil akhir" in html


def _notes(client, code):
    page = client.get(f"/fasilitator/sesi/{code}").get_data(as_text=True)
    notes = page[page.index('id="scenario-notes"'):page.index("</details>",
                                                                page.index('id="scenario-notes"'))]
    return notes, re.findall(r"menit ke-(\d+)</span>", notes)


def test_scenario_notes_follow_the_speed_in_their_minutes(app, accounts, clock):
    ratna = login(app, "ratna")
    code = create_session(ratna, scenario="lonjakan-aduan")  # written for 1 HK = 3 menit
    notes, minutes = _notes(ratna, code)
    assert "1 HK = 3 menit, batas\nverifikasi 2 HK = 6 menit" in notes
    assert minutes[:3] == ["0", "8", "13"]  # the scenario's own «+8 menit», «+13 menit»

    ratna.post(f"/fasilitator/sesi/{code}/kontrol/mulai")
    clock.advance(minutes=2)
    ratna.post(f"/fasilitator/sesi/{code}/kontrol/kecepatan", data={"menit_per_hk": "4"})
    notes, minutes = _notes(ratna, code)
    assert "1 HK = 4 menit, batas\nverifikasi 2 HK = 8 menit" in notes
    assert "1 HK = 3 menit" not in notes
    # Two minutes at the old speed, then the six minutes left of «+8» take 4/3 as long.
    assert minutes[:3] == ["0", "10", "17"]

    ratna.post(f"/fasilitator/sesi/{code}/kontrol/jeda")
    clock.advance(minutes=5)
    _, paused = _notes(ratna, code)
    assert paused[:3] == ["0", "15", "22"]  # a pause pushes the notes ahead back
