"""Which address printed entry cards may carry: a host name or an IPv4/IPv6 address with an
optional port, nothing else (no scheme, path, user or query to slip into the QR code), and
whether a phone on the hotspot could reach it at all."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from sandbox.domain.errors import ValidationError

HOST_MAX = 253  # the longest DNS name
LABEL = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")
PORT = re.compile(r"[0-9]{1,5}")
EXAMPLE = "mis. 192.168.43.10:5000 atau laptop-fasilitator.local:5000"
DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class PrintHost:
    """A checked host (lower case; an IPv6 address without brackets) and optional port."""

    host: str
    port: int | None = None

    @property
    def netloc(self) -> str:
        """The host and port as they go into a URL."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}" if self.port is not None else host

    @property
    def is_loopback(self) -> bool:
        """Whether only this laptop itself can open the address (127.x, ::1, localhost)."""
        if self.host == "localhost" or self.host.endswith(".localhost"):
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False

    def same_place(self, other: PrintHost, scheme: str = "http") -> bool:
        """Whether both name the same host and port (a missing port is the scheme's own)."""
        default = DEFAULT_PORTS.get(scheme)
        return (self.host == other.host
                and (self.port or default) == (other.port or default))


def _refuse(message: str) -> ValidationError:
    return ValidationError({"alamat": message})


def parse_print_host(text: str, field_label: str = "Alamat untuk kartu") -> PrintHost:
    """The host (and port) typed for the cards, or a ValidationError saying what is wrong."""
    value = text.strip()
    if not value:
        raise _refuse(f"{field_label} kosong. Tulis alamat laptop di hotspot, {EXAMPLE}.")
    if len(value) > HOST_MAX + 8:
        raise _refuse(f"{field_label} terlalu panjang. Tulis alamat laptop saja, {EXAMPLE}.")
    if "://" in value or any(ch in value for ch in "/\\?#@ \t\r\n%"):
        raise _refuse(f"{field_label} hanya boleh berisi nama host atau alamat IP dengan port, "
                      f"tanpa http://, garis miring atau spasi: {EXAMPLE}.")
    host, port_text = _split(value, field_label)
    port = None
    if port_text is not None:
        if not PORT.fullmatch(port_text) or not 1 <= int(port_text) <= 65535:
            raise _refuse(f"Port «{port_text[:10]}» tidak sah: tulis angka 1–65535, {EXAMPLE}.")
        port = int(port_text)
    return PrintHost(_checked_host(host, field_label), port)


def _split(value: str, field_label: str) -> tuple[str, str | None]:
    """(host, port text or None): `[v6]:port`, a bare IPv6 address, or `host:port`."""
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            raise _refuse(f"{field_label}: kurung siku alamat IPv6 tidak ditutup, "
                          "mis. [fe80::1]:5000.")
        rest = value[end + 1:]
        if rest and not rest.startswith(":"):
            raise _refuse(f"{field_label}: setelah «]» hanya boleh «:port», mis. [fe80::1]:5000.")
        return value[1:end], rest[1:] if rest else None
    if value.count(":") > 1:  # a bare IPv6 address cannot carry a port
        return value, None
    host, sep, port = value.partition(":")
    return host, port if sep else None


def _checked_host(host: str, field_label: str) -> str:
    shown = host[:60]
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None:
        if address.is_unspecified or address.is_multicast:
            raise _refuse(f"«{shown}» bukan alamat yang bisa dibuka ponsel peserta (0.0.0.0 "
                          f"hanya berarti «dengarkan di semua jaringan»). Tulis alamat laptop "
                          f"di hotspot, {EXAMPLE}.")
        return address.compressed
    if ":" in host:
        raise _refuse(f"«{shown}» bukan alamat IPv6 yang sah, mis. [fe80::1]:5000.")
    name = host.lower().removesuffix(".")
    labels = name.split(".")
    if (not name or len(name) > HOST_MAX or not all(LABEL.fullmatch(x) for x in labels)
            or labels[-1].isdigit()):  # 192.168.1.300 is neither an address nor a name
        raise _refuse(f"«{shown}» bukan nama host atau alamat IP yang sah: hanya huruf, angka, "
                      f"tanda minus dan titik, {EXAMPLE}.")
    return name


def print_host_warnings(chosen: PrintHost, current: PrintHost | None,
                        scheme: str = "http") -> list[str]:
    """What the facilitator should know before printing cards for `chosen`: that phones
    cannot open a loopback address, and that an address other than the server's own now
    only works if the laptop has that address when the cards are used."""
    warnings = []
    if chosen.is_loopback:
        warnings.append(f"Alamat {chosen.netloc} hanya terbuka di laptop ini; ponsel peserta "
                        "tidak bisa membukanya. Jalankan «lapor-sandbox serve --host 0.0.0.0» "
                        f"dan tulis alamat laptop di hotspot, {EXAMPLE}.")
    if current is not None and not chosen.same_place(current, scheme):
        warnings.append(f"Alamat ini berbeda dari alamat server sekarang ({current.netloc}); "
                        "kartu yang dicetak tidak akan bisa dipakai bila alamat hotspot berubah. "
                        f"Cetak hanya bila laptop pasti memakai alamat {chosen.netloc} saat "
                        "pelatihan.")
    return warnings
