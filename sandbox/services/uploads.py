"""Reading uploaded files with bounded memory: limits are checked while reading.

A small upload can unpack into a huge one (a gzip or zip "bomb"), and a small JSON text
can become a huge number of Python objects. So an archive is unpacked in chunks and its
JSON structure counted as it streams, a workbook's zip directory is inspected before
any XML is parsed, and a CSV's text encoding is recognised or refused by name. Each
refusal is an UploadRefused with an Indonesian message saying what to do instead.
"""

from __future__ import annotations

import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO

from sandbox.domain.errors import DomainError

# The largest session archive accepted, on the web form and on the command line.
ARCHIVE_MAX_BYTES = 64 * 1024 * 1024
CHUNK = 256 * 1024  # compressed bytes fed to the decompressor at a time
OUTPUT_CHUNK = 1024 * 1024  # most unpacked bytes produced per step


class UploadRefused(DomainError):
    """An uploaded file that is too large, too complex, damaged or in the wrong encoding."""


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.3g} MB".replace(".", ",")


def _angka(number: int) -> str:
    """A count with Indonesian thousands separators: 400000 is "400.000"."""
    return f"{number:,}".replace(",", ".")


# ------------------------------------------------------------------ JSON, maybe gzip'd


@dataclass(frozen=True)
class JsonLimits:
    """How large a JSON document may unpack to, and how many values it may hold.

    `containers` counts "{" and "[" bytes, `values` counts "," bytes: an upper bound on
    the objects and values json.loads would build (text inside strings counts too), so
    millions of tiny objects are refused before a single one is built.
    """

    unpacked: int
    containers: int
    values: int


def _unpacked_chunks(data: bytes) -> Iterator[bytes]:
    """The bytes of a gzip file (one or more members), unpacked a chunk at a time."""
    damaged = UploadRefused("Berkas arsip rusak: isi gzip-nya tidak dapat dibuka (mungkin "
                            "terpotong saat disalin).")
    view = memoryview(data)
    start = 0
    while start < len(data):
        if data[start:start + 2] != b"\x1f\x8b":
            if not data[start:].strip(b"\x00"):
                return  # zero padding after the last member, as some copying tools add
            raise damaged
        unpacker = zlib.decompressobj(16 + zlib.MAX_WBITS)
        position = start
        try:
            while not unpacker.eof:
                if unpacker.unconsumed_tail:
                    piece = unpacker.decompress(unpacker.unconsumed_tail, OUTPUT_CHUNK)
                elif position < len(data):
                    piece = unpacker.decompress(view[position:position + CHUNK], OUTPUT_CHUNK)
                    position += CHUNK
                else:
                    raise damaged  # the file ends inside the member
                if piece:
                    yield piece
        except zlib.error:
            raise damaged from None
        # What the last call did not need belongs to the next member.
        start = min(position, len(data)) - len(unpacker.unused_data)


def _too_large(limit: int) -> str:
    return (f"Berkas arsip terlalu besar untuk sebuah sesi: isinya melebihi {_mb(limit)} "
            "setelah dibuka. Arsip sesi sungguhan jauh lebih kecil; periksa berkasnya.")


def read_json_bytes(data: bytes, limits: JsonLimits) -> bytes | bytearray:
    """A JSON document's bytes, unpacked if gzip'd, refused as soon as a limit is passed.

    Plain JSON is counted in chunks too and returned as it is, without a copy.
    """
    packed = data[:2] == b"\x1f\x8b"
    # A gzip file's last four bytes state the unpacked size (of its last member). When
    # that is over the limit, unpack once without keeping anything: a bomb is refused
    # with no more memory than one chunk, a damaged file fails on the way as damaged.
    if packed and len(data) >= 18 and int.from_bytes(data[-4:], "little") > limits.unpacked:
        total = 0
        for chunk in _unpacked_chunks(data):
            total += len(chunk)
            if total > limits.unpacked:
                raise UploadRefused(_too_large(limits.unpacked))
    chunks: Iterator[bytes] = _unpacked_chunks(data) if packed else (
        data[start:start + OUTPUT_CHUNK] for start in range(0, len(data), OUTPUT_CHUNK))
    out = bytearray()
    size = containers = values = 0
    for chunk in chunks:
        size += len(chunk)
        if size > limits.unpacked:
            raise UploadRefused(_too_large(limits.unpacked))
        containers += chunk.count(b"{") + chunk.count(b"[")
        values += chunk.count(b",")
        if containers > limits.containers or values > limits.values:
            raise UploadRefused(
                "Berkas arsip memuat terlalu banyak data untuk sebuah sesi (lebih dari "
                f"{_angka(limits.containers)} objek atau {_angka(limits.values)} nilai). "
                "Arsip sesi sungguhan jauh lebih kecil; periksa berkasnya.")
        if packed:
            out += chunk
    return out if packed else data


# ------------------------------------------------------------------ XLSX workbooks


@dataclass(frozen=True)
class WorkbookLimits:
    """What a workbook's zip may hold before openpyxl is allowed to parse it."""

    entries: int
    total: int  # unpacked bytes of all entries together
    entry: int  # unpacked bytes of any one entry (a sheet, the shared strings, styles)
    shared_strings: int
    ratio: int  # most unpacked bytes per packed byte, for entries above RATIO_FROM
    ratio_from: int


def inspect_workbook(data: bytes, limits: WorkbookLimits) -> None:
    """Refuse a workbook whose zip directory promises more than a participant list needs.

    The sizes checked are those the zip directory states; Python's zipfile never yields
    more than the stated size of an entry (and fails on its checksum if the data is
    longer), so what openpyxl parses afterwards is bounded by what was checked here.
    """
    advice = ("Simpan hanya daftar peserta di berkas baru (satu lembar, tanpa gambar), "
              "atau simpan sebagai CSV UTF-8.")
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise UploadRefused("Berkas XLSX tidak dapat dibaca: rusak, dilindungi kata sandi, "
                            "atau bukan berkas Excel. Simpan ulang sebagai .xlsx atau CSV.") \
            from None
    if len(entries) > limits.entries:
        raise UploadRefused(f"Berkas XLSX ini memuat terlalu banyak bagian ({len(entries)}, "
                            f"maksimal {limits.entries}). {advice}")
    for info in entries:
        name = info.filename
        most = limits.shared_strings if name.lower() == "xl/sharedstrings.xml" else limits.entry
        if info.file_size > most:
            what = "teks bersama (sharedStrings)" if most == limits.shared_strings \
                else f"bagian «{name[:60]}»"
            raise UploadRefused(f"Berkas XLSX ini memuat {what} sebesar {_mb(info.file_size)}, "
                                f"maksimal {_mb(most)}. {advice}")
        if info.file_size > limits.ratio_from and \
                info.file_size > limits.ratio * max(info.compress_size, 1):
            raise UploadRefused(f"Berkas XLSX ini tidak wajar: bagian «{name[:60]}» mengembang "
                                f"lebih dari {limits.ratio} kali saat dibuka. {advice}")
    total = sum(info.file_size for info in entries)
    if total > limits.total:
        raise UploadRefused(f"Berkas XLSX ini terlalu besar setelah dibuka ({_mb(total)}, "
                            f"maksimal {_mb(limits.total)}). {advice}")


# ------------------------------------------------------------------ text encodings

# Characters other than letters that Windows-1252 text really holds (Excel on Windows
# writes a CSV in this encoding): quotes, dashes, the ellipsis, the euro sign and so on.
_LATIN_MARKS = set("\u00a0«»“”‘’–—…•€°·×©®™ºª²³±§")
# How detected encodings are named to a person.
_ENCODING_NAMES = {
    "cp932": "Shift-JIS (Jepang)", "shift_jis": "Shift-JIS (Jepang)",
    "shift_jis_2004": "Shift-JIS (Jepang)", "shift_jisx0213": "Shift-JIS (Jepang)",
    "euc_jp": "EUC-JP (Jepang)", "euc_jis_2004": "EUC-JP (Jepang)",
    "iso2022_jp": "ISO-2022-JP (Jepang)",
    "gb2312": "GB2312 (Tionghoa)", "gbk": "GBK (Tionghoa)", "gb18030": "GB18030 (Tionghoa)",
    "hz": "HZ (Tionghoa)", "big5": "Big5 (Tionghoa)", "big5hkscs": "Big5 (Tionghoa)",
    "cp950": "Big5 (Tionghoa)",
    "euc_kr": "EUC-KR (Korea)", "cp949": "EUC-KR (Korea)", "johab": "Johab (Korea)",
    "cp1251": "Windows-1251 (Sirilik)", "mac_cyrillic": "Windows-1251 (Sirilik)",
    "koi8_r": "KOI8-R (Sirilik)", "cp1253": "Windows-1253 (Yunani)",
    "cp1256": "Windows-1256 (Arab)", "cp874": "Windows-874 (Thai)", "tis_620": "TIS-620 (Thai)",
    "utf_16_le": "UTF-16 tanpa BOM", "utf_16_be": "UTF-16 tanpa BOM",
    "utf_32_le": "UTF-32 tanpa BOM", "utf_32_be": "UTF-32 tanpa BOM",
}
RESAVE = ("Buka berkasnya di Excel, pilih «Simpan sebagai» lalu jenis «CSV UTF-8 (dipisah "
          "koma)», atau simpan sebagai .xlsx, lalu unggah lagi.")


def plausible_latin(text: str) -> bool:
    """Whether text read as Windows-1252 looks like words written in Latin script.

    Names such as «Sélamat» or «Müller» have a single accented letter among plain ones.
    Text in another encoding read as Windows-1252 does not: Shift-JIS, GB2312 or EUC-KR
    become runs of accented letters and symbols («ŽR“c‘¾˜Y», «ÍõÐ¡Ã÷»).
    """
    run = 0
    for char in text:
        if char.isascii():
            run = 0
            continue
        run += 1
        if run > 2:
            return False
        if char in _LATIN_MARKS:
            continue
        if not (char.isalpha() and "LATIN" in unicodedata.name(char, "")):
            return False
    return True


def _detected(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:64 * 1024]).best()
    return best.encoding if best is not None else None


def decode_text(data: bytes) -> str:
    """A text file's contents: UTF-8 (with or without BOM), UTF-16 or UTF-32 with a BOM,
    or Windows-1252 that reads as Latin-script words; any other encoding is refused, named.
    """
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"),
                       (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"),
                       (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                raise UploadRefused(f"Berkas ditandai {codec.upper().removesuffix('-SIG')} "
                                    f"tetapi isinya rusak. {RESAVE}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" not in data:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = ""  # bytes Windows-1252 leaves undefined: not Windows-1252
        if text and plausible_latin(text):
            return text
    found = _detected(data)
    name = _ENCODING_NAMES.get(found or "", (found or "").upper().replace("_", "-"))
    if not name or name in ("UTF-8", "ASCII", "CP1252", "LATIN-1"):
        raise UploadRefused("Berkas ini bukan teks UTF-8, dan tidak terbaca sebagai teks "
                            f"Windows-1252 yang wajar. {RESAVE}")
    raise UploadRefused(f"Berkas ini tersimpan dengan pengodean {name}, yang tidak dapat "
                        f"dibaca dengan benar (huruf akan menjadi acak). {RESAVE}")
