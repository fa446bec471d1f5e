"""The address printed on entry cards: what counts as a host (and port), what is loopback,
and when it is the server's own address."""

from __future__ import annotations

import pytest

from sandbox.domain.errors import ValidationError
from sandbox.domain.hosts import PrintHost, parse_print_host, print_host_warnings


@pytest.mark.parametrize(("text", "host", "port", "netloc"), [
    ("192.168.43.10:5000", "192.168.43.10", 5000, "192.168.43.10:5000"),
    (" 10.0.0.5 ", "10.0.0.5", None, "10.0.0.5"),
    ("Laptop-Fasilitator.LOCAL:8000", "laptop-fasilitator.local", 8000,
     "laptop-fasilitator.local:8000"),
    ("laptop.", "laptop", None, "laptop"),
    ("[FE80::1]:5000", "fe80::1", 5000, "[fe80::1]:5000"),
    ("fe80:0:0::1", "fe80::1", None, "[fe80::1]"),
    ("localhost:5000", "localhost", 5000, "localhost:5000"),
])
def test_a_host_and_optional_port_are_read(text, host, port, netloc):
    parsed = parse_print_host(text)
    assert (parsed.host, parsed.port, parsed.netloc) == (host, port, netloc)


@pytest.mark.parametrize("text", [
    "", "  ", "http://192.168.43.10", "192.168.43.10/ikut", "a\\b", "x?y=1", "x#y",
    "user@host", "a b", "x%00", "host:0", "host:65536", "host:5o00", "host:",
    "192.168.1.300", "1.2.3", "-laptop", "laptop-", "la_ptop", "a..b", "0.0.0.0", "[::]",
    "224.0.0.1", "[fe80::1", "[fe80::1]5000", "gg::1", "x" * 64, "a." * 130, "1.2.3.4:5:6",
    "<script>", "{{7*7}}", "\u202egnp",
])
def test_anything_else_is_refused_with_a_message(text):
    with pytest.raises(ValidationError) as refused:
        parse_print_host(text)
    assert refused.value.errors["alamat"]


@pytest.mark.parametrize(("text", "loopback"), [
    ("127.0.0.1", True), ("127.1.2.3:5000", True), ("[::1]:5000", True), ("localhost", True),
    ("app.localhost", True), ("192.168.43.10", False), ("laptop.local", False),
    ("notlocalhost", False),
])
def test_loopback_is_only_this_laptop(text, loopback):
    assert parse_print_host(text).is_loopback is loopback


def test_the_default_port_of_the_scheme_is_the_same_place():
    assert PrintHost("10.0.0.5", 80).same_place(PrintHost("10.0.0.5"), "http")
    assert not PrintHost("10.0.0.5", 80).same_place(PrintHost("10.0.0.5"), "https")
    assert not PrintHost("10.0.0.5", 5000).same_place(PrintHost("10.0.0.5", 5001))
    assert not PrintHost("10.0.0.5", 5000).same_place(PrintHost("10.0.0.6", 5000))


def test_warnings_name_loopback_and_a_different_address():
    lan = PrintHost("192.168.43.10", 5000)
    assert print_host_warnings(lan, lan) == []
    assert print_host_warnings(lan, None) == []
    [differs] = print_host_warnings(PrintHost("10.0.0.5", 5000), lan)
    assert differs.startswith("Alamat ini berbeda dari alamat server sekarang "
                              "(192.168.43.10:5000); kartu yang dicetak tidak akan bisa dipakai "
                              "bila alamat hotspot berubah")
    loop, other = print_host_warnings(PrintHost("127.0.0.1", 5000), lan)
    assert "hanya terbuka di laptop ini" in loop and "berbeda" in other
