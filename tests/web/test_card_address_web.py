"""Entry cards carry the address the facilitator confirms (`?alamat=`): the QR code and the
printed line encode exactly it; a loopback address or one other than the server's own now
is warned about, and text that is not a host (and port) is refused with a message."""

from __future__ import annotations

import html as html_lib
import re

import pytest
import segno

from tests.web.kit import create_session, login
from tests.web.test_roster_web import GOOD, upload

LAN = "http://192.168.43.10:5000"
MISMATCH = "Alamat ini berbeda dari alamat server sekarang"
LOOPBACK = "hanya terbuka di laptop ini"


@pytest.fixture
def room(app, accounts):
    """Bu Ratna's client and a session with two imported trainees."""
    ratna = login(app, "ratna")
    code = create_session(ratna)
    assert upload(ratna, code, GOOD.encode()).status_code == 303
    return ratna, code


def cards(client, code, **params):
    response = client.get(f"/fasilitator/sesi/{code}/peserta/kartu", query_string=params)
    return response, html_lib.unescape(response.get_data(as_text=True))


def assert_cards_for(html, join_address):
    """Every card's QR encodes `join_address?pribadi=<its code>`, and the card prints it."""
    personal = re.findall(r'class="personal-code">([A-Z2-9]{6})<', html)
    assert len(personal) == 2
    for code in personal:
        drawn = segno.make(f"{join_address}?pribadi={code}", error="m").svg_data_uri(
            scale=3, border=1)
        assert html_lib.unescape(drawn) in html
    assert html.count(f'<p class="small">{join_address}</p>') == 2


def test_cards_default_to_the_servers_address_now_without_warnings(app, room):
    ratna, code = room
    app.config["PUBLIC_URL"] = LAN
    response, html = cards(ratna, code)
    assert response.status_code == 200
    assert 'value="192.168.43.10:5000"' in html  # prefilled for the facilitator to confirm
    assert_cards_for(html, f"{LAN}/ikut/{code}")
    assert MISMATCH not in html and LOOPBACK not in html


def test_cards_carry_the_confirmed_address_and_warn_it_differs(app, room):
    ratna, code = room
    app.config["PUBLIC_URL"] = LAN
    response, html = cards(ratna, code, alamat="10.0.0.5:8000")
    assert response.status_code == 200
    assert_cards_for(html, f"http://10.0.0.5:8000/ikut/{code}")
    assert "192.168.43.10:5000/ikut" not in html
    assert f"{MISMATCH} (192.168.43.10:5000); kartu yang dicetak tidak akan bisa dipakai" in html
    assert LOOPBACK not in html


def test_the_default_port_is_the_same_address(app, room):
    ratna, code = room
    app.config["PUBLIC_URL"] = "http://192.168.43.10"
    _, html = cards(ratna, code, alamat="192.168.43.10:80")
    assert_cards_for(html, f"http://192.168.43.10:80/ikut/{code}")
    assert MISMATCH not in html


def test_a_host_name_and_an_ipv6_address_are_accepted(app, room):
    ratna, code = room
    _, html = cards(ratna, code, alamat="Laptop-Fasilitator.local:5000")
    assert_cards_for(html, f"http://laptop-fasilitator.local:5000/ikut/{code}")
    _, html = cards(ratna, code, alamat="[fe80::1]:5000")
    assert_cards_for(html, f"http://[fe80::1]:5000/ikut/{code}")


@pytest.mark.parametrize("typed", ["", "127.0.0.1:5000", "localhost", "[::1]:5000"])
def test_a_loopback_address_is_warned_about(app, room, typed):
    ratna, code = room  # the test client opens the app as http://localhost/
    response, html = cards(ratna, code, **({"alamat": typed} if typed else {}))
    assert response.status_code == 200
    assert html.count(LOOPBACK) == 1
    assert "lapor-sandbox serve --host 0.0.0.0" in html


@pytest.mark.parametrize(("typed", "message"), [
    ("http://192.168.43.10:5000", "tanpa http://"),
    ("192.168.43.10:5000/ikut/ABC", "tanpa http://, garis miring"),
    ("evil.example@192.168.43.10", "tanpa http://"),
    ("192.168.43.10 5000", "spasi"),
    ("192.168.1.300", "bukan nama host atau alamat IP yang sah"),
    ("laptop:99999", "Port «99999» tidak sah"),
    ("laptop:", "Port «» tidak sah"),
    ("0.0.0.0:5000", "bukan alamat yang bisa dibuka ponsel"),
    ("[fe80::1:5000", "kurung siku"),
    ("gg::zz", "bukan alamat IPv6 yang sah"),
    ("<script>", "tanpa http://"),
    ("   ", "kosong"),
])
def test_text_that_is_not_a_host_is_refused_with_a_message(app, room, typed, message):
    ratna, code = room
    response, html = cards(ratna, code, alamat=typed)
    assert response.status_code == 422
    assert message in html
    assert "data:image/svg+xml" not in html and "personal-code" not in html
    assert typed.strip() == "" or f'value="{typed}"' in html  # kept to correct
