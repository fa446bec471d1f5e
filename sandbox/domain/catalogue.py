"""The catalogue: region units, outside agencies, topics and the routing answer key.

Loaded from TOML files in `seed/` (format in docs/catalogue-format.md). Every
problem found is reported with its file, entry and field, never a traceback.
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sandbox.domain import tomlfile
from sandbox.domain.clock import TIMEZONE_OFFSETS
from sandbox.domain.details import NAME_CULTURES, AmountRange
from sandbox.domain.errors import CatalogueError
from sandbox.domain.text import forbidden_character, printable
from sandbox.domain.workflow import KATEGORI_LABELS, ArchiveReason, Directory, Klasifikasi

FORMAT_VERSION = 1
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
EXPECTED_ACTIONS = ("disposisi", "kelola_sendiri", "tunda", "arsipkan", "bukan_wewenang")
AGENCY_LEVELS = ("provinsi", "pusat", "vertikal", "bumn", "desa")
CHANNELS = {
    "web": "Situs web lapor.go.id",
    "aplikasi": "Aplikasi seluler",
    "sms": "SMS 1708",
    "medsos": "Media sosial",
    "langsung": "Datang langsung (formulir manual)",
    "telepon": "Telepon (formulir manual)",
}
SLOTS = frozenset({
    "kecamatan", "kelurahan", "kabupaten", "jalan", "rt", "rw", "tanggal", "hari", "jam",
    "jumlah", "angka", "sd", "smp", "sma", "smk", "madrasah", "puskesmas", "rsud",
    "petugas", "pelapor", "pasar", "warga", "perusahaan", "no_pelanggan", "plat", "bulan",
    "nik", "telepon", "id_pln", "desa_kelurahan",
})
PLACE_KINDS = ("desa", "kelurahan")  # what a topic's `lokasi` may ask for
REGIONAL_LANGUAGES = ("jawa", "banjar")  # the `bahasa` a region's reporters may mix in
AMOUNT_MAX = 10**12  # rupiah; a larger {jumlah} is a typo
# A template that names the kind of place itself must get a place of that kind.
_NAMED_KIND = re.compile(r"\b(Desa|desa|Kelurahan|kelurahan|Kel\.|Ds\.) \{kelurahan\}")
REGION_KINDS = ("kabupaten", "kota")
KECAMATAN_REF = "@kecamatan"
CODE_MAX = 40  # a unit code is stored with each disposition (Complaint.unit)
WEIGHT_MAX = 1000  # a topic's relative frequency; larger is a typo, and must stay finite


@dataclass(frozen=True)
class Kecamatan:
    name: str
    kelurahan: tuple[str, ...]  # every village: the kelurahan, then the desa
    unit: str = ""
    desa: tuple[str, ...] = ()  # the villages of `kelurahan` that are desa (rural)

    def places(self, kind: str | None) -> tuple[str, ...]:
        """The villages of one kind ("desa" or "kelurahan"); all of them for None, or when
        this kecamatan has none of that kind."""
        if kind == "desa":
            found = self.desa
        elif kind == "kelurahan":
            found = tuple(v for v in self.kelurahan if v not in self.desa)
        else:
            found = ()
        return found or self.kelurahan


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    short: str
    kategori: tuple[str, ...] = ()
    level: str | None = None  # set for agencies outside the Pemda

    @property
    def is_agency(self) -> bool:
        return self.level is not None


@dataclass(frozen=True)
class Region:
    kind: str
    name: str
    short: str
    province: str
    timezone: str
    nik_prefix: str
    instansi: str
    admin_unit: str
    kecamatan: tuple[Kecamatan, ...]
    phone_area: str | None = None
    plate_prefix: str = ""
    streets: tuple[str, ...] = ()
    config: Mapping[str, str] = field(default_factory=dict)
    source: str = ""
    dusun: tuple[str, ...] = ()  # dusun names for the desa (default: a Javanese list)
    name_pools: Mapping[str, float] = field(default_factory=dict)  # culture -> weight
    language: str | None = None  # a regional language reporters mix in ("jawa")


@dataclass(frozen=True)
class Attachment:
    name: str
    kind: str


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    kategori: str
    klasifikasi: Klasifikasi
    action: str
    target: str | None
    templates: tuple[str, ...]
    explanation: str
    acceptable: tuple[str, ...] = ()
    partial: tuple[str, ...] = ()
    rahasia: bool = False
    anonim: bool = False
    reporter_anonim: bool = False
    archive_reason: ArchiveReason | None = None
    question_hint: str | None = None
    tunda_answer: str | None = None
    duplicate: bool = False
    channels: tuple[str, ...] = tuple(CHANNELS)
    weight: float = 1.0
    attachments: tuple[Attachment, ...] = ()
    regions: tuple[str, ...] = REGION_KINDS
    source: str = ""
    amounts: AmountRange | None = None  # what {jumlah} can be
    lokasi: str | None = None  # the kind of village the topic happens in, if it matters
    verbatim: bool = False  # a hand-written text: shown exactly as written


@dataclass(frozen=True)
class Catalogue:
    region: Region
    units: Mapping[str, Unit]  # units inside the Pemda and outside agencies, by code
    topics: tuple[Topic, ...]

    @property
    def directory(self) -> Directory:
        """Unit and agency names for validating actions."""
        return Directory(
            units={c: u.name for c, u in self.units.items() if not u.is_agency},
            agencies={c: u.name for c, u in self.units.items() if u.is_agency},
        )

    def topic(self, topic_id: str) -> Topic:
        for topic in self.topics:
            if topic.id == topic_id:
                return topic
        raise CatalogueError(f"Topik tidak dikenal: {topic_id}")

    def unit_name(self, code: str | None) -> str:
        if not code:
            return "-"
        unit = self.units.get(code)
        return unit.name if unit else code


# ------------------------------------------------------------------ loading


class _Reader:
    """Reads one table of a TOML file, collecting errors with file and entry context."""

    def __init__(self, errors: list[str], where: str, table: Mapping[str, Any],
                 allowed: Iterable[str]) -> None:
        self.errors = errors
        self.where = where
        self.table = table
        unknown = sorted(set(table) - set(allowed))
        for key in unknown:
            self.fail(key, "kunci tidak dikenal (salah ketik?)")

    def fail(self, key: str, message: str) -> None:
        self.errors.append(f"{self.where}, {printable(key)}: {message}")

    def text(self, key: str, default: str | None = None, *, required: bool = True,
             maximum: int = 5000) -> str:
        value = self.table.get(key, default)
        if value is None:
            if required:
                self.fail(key, "wajib diisi")
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(key, "harus berupa teks yang tidak kosong")
            return ""
        if found := forbidden_character(value):
            self.fail(key, f"berisi karakter yang tidak diizinkan {found}")
            return ""
        if len(value.strip()) > maximum:
            self.fail(key, f"terlalu panjang ({len(value.strip())} karakter, maksimal "
                           f"{maximum})")
            return ""
        return value.strip()

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.table.get(key, default)
        if not isinstance(value, bool):
            self.fail(key, "harus true atau false")
            return default
        return value

    def items(self, key: str, *, required: bool = False) -> list[Any]:
        value = self.table.get(key)
        if value is None:
            if required:
                self.fail(key, "wajib diisi")
            return []
        if not isinstance(value, list):
            self.fail(key, "harus berupa daftar [...]")
            return []
        return value

    def strings(self, key: str, *, required: bool = False) -> tuple[str, ...]:
        items = self.items(key, required=required)
        if not all(isinstance(item, str) and item.strip() for item in items):
            self.fail(key, "harus berupa daftar teks")
            return ()
        for item in items:
            if found := forbidden_character(item):
                self.fail(key, f"berisi karakter yang tidak diizinkan {found}")
                return ()
        return tuple(item.strip() for item in items)


def _read_toml(path: Path, errors: list[str]) -> dict[str, Any] | None:
    """A catalogue file's data; None (with the reason in `errors`) if it cannot be read."""
    try:
        data = tomlfile.parse(tomlfile.decode(path.read_bytes()))
    except OSError as exc:
        errors.append(f"{path}: tidak dapat dibaca ({exc.strerror})")
        return None
    except tomlfile.UnreadableToml as error:
        line = f" (baris {error.line})" if error.line and "line" not in error.message else ""
        errors.append(f"{path}: TOML tidak valid: {error.message}{line}")
        return None
    except ValueError:  # a path with a NUL in it
        errors.append(f"{printable(str(path), 200)}: tidak dapat dibaca (nama file tidak "
                      "dapat dipakai)")
        return None
    if type(data.get("format")) is not int or data.get("format") != FORMAT_VERSION:
        errors.append(f"{path}: format harus {FORMAT_VERSION} (tertulis: "
                      f"{data.get('format')!r:.40})")
        return None
    return data


def _tables(data: Mapping[str, Any], key: str, where: str,
            errors: list[str]) -> list[tuple[int, dict[str, Any]]]:
    """The numbered entries of an array of tables ([[key]]); any other shape is an error."""
    value = data.get(key, [])
    if not isinstance(value, list):
        errors.append(f"{where}: [[{key}]] harus berupa daftar tabel")
        return []
    found = []
    for index, entry in enumerate(value, 1):
        if isinstance(entry, dict):
            found.append((index, entry))
        else:
            errors.append(f"{where} [[{key}]] #{index}: harus berupa tabel")
    return found


def _load_region(path: Path, errors: list[str]) -> tuple[Region | None, dict[str, Unit]]:
    data = _read_toml(path, errors)
    if data is None:
        return None, {}
    _Reader(errors, str(path), data, {"format", "region", "kecamatan", "unit", "agency",
                                       "config"})
    config = data.get("config", {})
    if not isinstance(config, dict) or not all(
            isinstance(v, str) for v in config.values()):
        errors.append(f"{path} [config]: setiap pilihan harus berupa kode unit, mis. "
                      'sedot_tinja = "pupr"')
        config = {}
    meta = data.get("region")
    if not isinstance(meta, dict):
        errors.append(f"{path}: tabel [region] wajib ada")
        return None, {}
    r = _Reader(errors, f"{path} [region]", meta,
                {"kind", "name", "short", "province", "timezone", "nik_prefix", "instansi",
                 "admin_unit", "phone_area", "plate_prefix", "streets", "dusun", "name_pools",
                 "bahasa"})
    kind = r.text("kind")
    if kind and kind not in REGION_KINDS:
        r.fail("kind", "harus kabupaten atau kota")
    timezone = r.text("timezone", "WIB")
    if timezone not in TIMEZONE_OFFSETS:
        r.fail("timezone", "harus WIB, WITA atau WIT")
    nik_prefix = r.text("nik_prefix")
    if nik_prefix and not re.fullmatch(r"\d{4}", nik_prefix):
        r.fail("nik_prefix", "harus 4 angka")

    kecamatan: list[Kecamatan] = []
    unit_tables = _tables(data, "unit", str(path), errors)
    for i, entry in _tables(data, "kecamatan", str(path), errors):
        k = _Reader(errors, f"{path} [[kecamatan]] #{i}", entry,
                    {"name", "kelurahan", "desa", "unit"})
        kelurahan = k.strings("kelurahan", required="desa" not in entry)
        desa = k.strings("desa")
        if not kelurahan and not desa:
            k.fail("kelurahan", "minimal satu kelurahan/desa")
        for village in sorted(set(kelurahan) & set(desa)):
            k.fail("desa", f"«{village}» juga tertulis di kelurahan: pilih salah satu")
        name = k.text("name")
        unit = k.text("unit", required=False)
        if unit and unit not in {u.get("code") for _, u in unit_tables
                                 if isinstance(u.get("code"), str)}:
            k.fail("unit", f"«{unit}» bukan kode [[unit]] di file ini")
        unit = unit or "kec-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        if "desa" not in entry and kind == "kabupaten":
            # An older file without `desa`: the kecamatan's seat is its kelurahan, the
            # rest are desa (docs/catalogue-format.md).
            kelurahan, desa = kelurahan[:1], kelurahan[1:]
        kecamatan.append(Kecamatan(name, (*kelurahan, *desa), unit, desa))
    if not kecamatan:
        errors.append(f"{path}: minimal satu [[kecamatan]]")

    units: dict[str, Unit] = {}
    for table, is_agency in (("unit", False), ("agency", True)):
        entries = unit_tables if table == "unit" else _tables(data, table, str(path), errors)
        for i, entry in entries:
            allowed = {"code", "name", "short", "kategori"} | ({"level"} if is_agency else set())
            u = _Reader(errors, f"{path} [[{table}]] #{i}", entry, allowed)
            code = u.text("code", maximum=CODE_MAX)
            if code and not CODE_RE.match(code):
                u.fail("code", f"«{code}» hanya boleh huruf kecil, angka dan '-'")
            if code in units:
                u.fail("code", f"kode «{code}» dipakai dua kali")
            kategori = u.strings("kategori")
            for item in kategori:
                if item not in KATEGORI_LABELS:
                    u.fail("kategori", f"kategori tidak dikenal «{item}»")
            level: str | None = None
            if is_agency:
                level = u.text("level")
                if level and level not in AGENCY_LEVELS:
                    u.fail("level", f"harus salah satu dari {', '.join(AGENCY_LEVELS)}")
                level = level or "pusat"
            units[code] = Unit(code, u.text("name"), u.text("short", code), kategori, level)
    if not any(unit.is_agency for unit in units.values()):
        errors.append(f"{path}: minimal satu [[agency]]")

    admin_unit = r.text("admin_unit")
    if admin_unit and (admin_unit not in units or units[admin_unit].is_agency):
        r.fail("admin_unit", f"«{admin_unit}» bukan kode [[unit]] di file ini")
    for choice, code in config.items():
        if code not in units:
            errors.append(f"{path} [config], {choice}: kode unit tidak dikenal «{code}»")
    pools = meta.get("name_pools", {})
    if not isinstance(pools, dict) or not all(
            culture in NAME_CULTURES and isinstance(weight, int | float)
            and not isinstance(weight, bool) and 0 < weight <= WEIGHT_MAX
            for culture, weight in pools.items()):
        r.fail("name_pools", "harus tabel budaya = bobot, mis. { jawa = 3, banjar = 1 }; "
                             f"budaya yang dikenal: {', '.join(sorted(NAME_CULTURES))}")
        pools = {}
    language = r.text("bahasa", required=False) or None
    if language and language not in REGIONAL_LANGUAGES:
        r.fail("bahasa", f"harus salah satu dari {', '.join(REGIONAL_LANGUAGES)}")
        language = None

    region = Region(
        kind=kind, name=r.text("name"), short=r.text("short"), province=r.text("province"),
        timezone=timezone, nik_prefix=nik_prefix, instansi=r.text("instansi"),
        admin_unit=admin_unit, kecamatan=tuple(kecamatan),
        phone_area=r.text("phone_area", required=False) or None,
        plate_prefix=r.text("plate_prefix", required=False), streets=r.strings("streets"),
        config=dict(config),
        source=str(path), dusun=r.strings("dusun"),
        name_pools={str(c): float(w) for c, w in pools.items()}, language=language,
    )
    return region, units


_TOPIC_KEYS = {
    "id", "title", "kategori", "klasifikasi", "action", "target", "acceptable", "partial",
    "rahasia", "anonim", "reporter_anonim", "archive_reason", "question_hint", "duplicate",
    "tunda_answer",
    "explanation", "templates", "channels", "weight", "attachments", "regions", "jumlah",
    "lokasi",
}


def _check_slots(reader: _Reader, key: str, label: str, template: str) -> None:
    """Report unknown {slots} and unbalanced braces in a text the generator will fill."""
    try:
        fields = [(name, spec, conversion) for _, name, spec, conversion
                  in string.Formatter().parse(template) if name is not None]
    except ValueError as exc:
        reader.fail(key, f"{label}: kurung kurawal tidak seimbang ({exc})")
        return
    for slot in sorted({name for name, _, _ in fields} - SLOTS):
        reader.fail(key, f"{label}: slot tidak dikenal {{{printable(slot)}}}")
    # The generator fills slots with plain text; a format (":>9") or conversion ("!r")
    # would be applied to it, and a huge width would fill the memory.
    if any(spec or conversion for _, spec, conversion in fields):
        reader.fail(key, f"{label}: slot hanya boleh {{nama}}, tanpa format (:...) atau "
                         "konversi (!...)")


def _load_topic(path: Path, index: int, entry: Mapping[str, Any], region: Region,
                units: Mapping[str, Unit], errors: list[str]) -> Topic | None:
    """Read one topic; None if it has errors or does not apply to this kind of region."""
    where = f"{path} [[topic]] #{index}"
    if isinstance(entry.get("id"), str):
        where = f"{path} topik «{entry['id']}»"
    t = _Reader(errors, where, entry, _TOPIC_KEYS)
    before = len(errors)
    topic_id = t.text("id")
    if topic_id and not CODE_RE.match(topic_id):
        t.fail("id", "hanya boleh huruf kecil, angka dan '-'")
    kategori = t.text("kategori")
    if kategori and kategori not in KATEGORI_LABELS:
        t.fail("kategori", f"kategori tidak dikenal «{kategori}»")
    klasifikasi_text = t.text("klasifikasi")
    klasifikasi = Klasifikasi.PENGADUAN_TIDAK_BERKADAR_PENGAWASAN
    if klasifikasi_text:
        try:
            klasifikasi = Klasifikasi(klasifikasi_text)
        except ValueError:
            t.fail("klasifikasi", f"klasifikasi tidak dikenal «{klasifikasi_text}»")
    action = t.text("action")
    if action and action not in EXPECTED_ACTIONS:
        t.fail("action", f"harus salah satu dari {', '.join(EXPECTED_ACTIONS)}")

    target = t.text("target", required=False) or None
    needs_target = action in ("disposisi", "bukan_wewenang", "tunda")
    if needs_target and not target:
        t.fail("target", f"wajib diisi untuk action {action}")
    if action in ("arsipkan", "kelola_sendiri") and target:
        t.fail("target", f"tidak dipakai untuk action {action}")

    regions = t.strings("regions") or REGION_KINDS
    for kind in regions:
        if kind not in REGION_KINDS:
            t.fail("regions", f"jenis wilayah tidak dikenal «{kind}» (kabupaten atau kota)")
    applies = region.kind in regions

    def resolve(key: str, code: str, *, is_target: bool) -> str:
        """A code as the answer key stores it: @config choices resolved, @kecamatan kept."""
        if code == KECAMATAN_REF:
            if is_target and action == "bukan_wewenang":
                t.fail(key, "@kecamatan adalah unit Pemda, padahal action bukan_wewenang")
            for entry in region.kecamatan:
                if entry.unit not in units:
                    t.fail(key, f"@kecamatan: kecamatan «{entry.name}» tidak punya unit "
                                f"«{entry.unit}» di {region.source}")
            return code
        resolved = code
        if code.startswith("@"):
            if code[1:] not in region.config:
                t.fail(key, f"pilihan «{code[1:]}» tidak ada di [config] {region.source}")
                return code
            resolved = region.config[code[1:]]
        if resolved not in units:
            t.fail(key, f"kode unit/instansi tidak dikenal «{code}» di {region.source}")
        elif is_target and action == "bukan_wewenang" and not units[resolved].is_agency:
            t.fail(key, f"«{code}» adalah unit Pemda, padahal action bukan_wewenang")
        elif is_target and action in ("disposisi", "tunda") and units[resolved].is_agency:
            t.fail(key, f"«{code}» adalah instansi luar, padahal action {action}")
        return resolved

    acceptable = t.strings("acceptable")
    partial = t.strings("partial")
    if applies:
        target = resolve("target", target, is_target=True) if target else None
        acceptable = tuple(resolve("acceptable", c, is_target=False) for c in acceptable)
        partial = tuple(resolve("partial", c, is_target=False) for c in partial)

    archive_text = t.text("archive_reason", required=False)
    archive_reason = None
    if action == "arsipkan" and not archive_text:
        t.fail("archive_reason", "wajib diisi untuk action arsipkan")
    if archive_text:
        try:
            archive_reason = ArchiveReason(archive_text)
        except ValueError:
            t.fail("archive_reason", f"alasan tidak dikenal «{archive_text}»")

    templates = t.strings("templates", required=True)
    if not templates:
        t.fail("templates", "minimal satu template")
    for number, template in enumerate(templates, 1):
        _check_slots(t, "templates", f"template #{number}", template)
    amounts = _amounts(t, entry.get("jumlah"))
    lokasi = t.text("lokasi", required=False) or None
    if lokasi and lokasi not in PLACE_KINDS:
        t.fail("lokasi", "harus desa atau kelurahan")
    # A template that says "Desa {kelurahan}" sets the kind of place the topic happens in
    # (files written before `lokasi` existed stay valid); two kinds in one topic cannot be.
    named_kinds: dict[str, int] = {}
    for number, template in enumerate(templates, 1):
        for named in _NAMED_KIND.findall(template):
            kind = "desa" if named.lower() in ("desa", "ds.") else "kelurahan"
            named_kinds.setdefault(kind, number)
    if lokasi in PLACE_KINDS and named_kinds.keys() - {lokasi}:
        other = next(iter(named_kinds.keys() - {lokasi}))
        t.fail("templates", f"template #{named_kinds[other]} menyebut {other} "
                            f"({{desa_kelurahan}} {{kelurahan}} cocok untuk keduanya), padahal "
                            f"lokasi = \"{lokasi}\"")
    elif len(named_kinds) > 1:
        t.fail("templates", f"template #{named_kinds['desa']} menyebut desa dan template "
                            f"#{named_kinds['kelurahan']} menyebut kelurahan: tulis "
                            "{desa_kelurahan} {kelurahan}, atau pisahkan menjadi dua topik")
    elif named_kinds and not lokasi:
        lokasi = next(iter(named_kinds))
    if applies and lokasi == "desa" and named_kinds \
            and not any(k.desa for k in region.kecamatan):
        t.fail("lokasi", f"{region.source} tidak punya desa, padahal templatnya menyebut "
                         "Desa {kelurahan}: batasi dengan regions = [\"kabupaten\"]")

    tunda_answer = t.text("tunda_answer", required=False)
    if tunda_answer:
        _check_slots(t, "tunda_answer", "balasan tunda", tunda_answer)
    channels = t.strings("channels") or tuple(CHANNELS)
    for channel in channels:
        if channel not in CHANNELS:
            t.fail("channels", f"kanal tidak dikenal «{channel}»")
    weight = entry.get("weight", 1.0)
    if not isinstance(weight, int | float) or isinstance(weight, bool) or \
            not 0 < weight <= WEIGHT_MAX or not math.isfinite(weight):
        t.fail("weight", f"harus angka lebih dari 0, paling besar {WEIGHT_MAX}")
        weight = 1.0
    attachments = []
    for number, item in enumerate(t.items("attachments"), 1):
        if not isinstance(item, dict):
            t.fail("attachments", f"lampiran #{number} harus {{ name = ..., kind = ... }}")
            continue
        a = _Reader(errors, f"{where}, lampiran #{number}", item, {"name", "kind"})
        attachment = Attachment(a.text("name"), a.text("kind"))
        _check_slots(t, "attachments", f"lampiran #{number}", attachment.name)
        attachments.append(attachment)

    if len(errors) > before or not applies:
        return None
    return Topic(
        id=topic_id, title=t.text("title"), kategori=kategori, klasifikasi=klasifikasi,
        action=action, target=target, templates=templates, explanation=t.text("explanation"),
        acceptable=acceptable, partial=partial, rahasia=t.flag("rahasia"),
        anonim=t.flag("anonim"), reporter_anonim=t.flag("reporter_anonim"),
        archive_reason=archive_reason,
        question_hint=t.text("question_hint", required=False) or None,
        tunda_answer=tunda_answer or None,
        duplicate=t.flag("duplicate"), channels=channels, weight=float(weight),
        attachments=tuple(attachments), regions=regions, source=str(path),
        amounts=amounts, lokasi=lokasi,
    )


def _amounts(reader: _Reader, value: Any) -> AmountRange | None:
    """A topic's `jumlah = { min = ..., max = ..., tepat = ... }` in rupiah."""
    if value is None:
        return None
    biggest = f"{AMOUNT_MAX:,}".replace(",", ".")
    message = ("harus { min = 10000, max = 75000 } (rupiah, bilangan bulat, min tidak lebih "
               f"dari max, paling besar {biggest}); tambahkan tepat = true untuk tagihan yang "
               "tidak dibulatkan")
    if not isinstance(value, dict) or set(value) - {"min", "max", "tepat"}:
        reader.fail("jumlah", message)
        return None
    low, high, exact = value.get("min"), value.get("max"), value.get("tepat", False)
    if type(low) is not int or type(high) is not int or not 0 < low <= high <= AMOUNT_MAX \
            or not isinstance(exact, bool):
        reader.fail("jumlah", message)
        return None
    return AmountRange(low, high, exact)


def load_catalogue(region_file: Path, topics_dir: Path) -> Catalogue:
    """Load and check a region file and all topic files; CatalogueError lists every problem."""
    errors: list[str] = []
    region, units = _load_region(region_file, errors)
    topics: list[Topic] = []
    seen: dict[str, str] = {}
    topic_files = sorted(topics_dir.glob("*.toml")) if topics_dir.is_dir() else []
    if not topic_files:
        errors.append(f"{topics_dir}: tidak ada file topik (*.toml)")
    for path in topic_files:
        data = _read_toml(path, errors)
        if data is None:
            continue
        _Reader(errors, str(path), data, {"format", "topic"})
        for index, entry in _tables(data, "topic", str(path), errors):
            if region is None:
                break
            topic_id = entry.get("id")
            if isinstance(topic_id, str) and topic_id in seen:
                errors.append(f"{path} topik «{topic_id}»: id sudah dipakai di {seen[topic_id]}")
                continue
            if isinstance(topic_id, str):
                seen[topic_id] = str(path)
            topic = _load_topic(path, index, entry, region, units, errors)
            if topic is not None:
                topics.append(topic)
    if region is not None and not topics and not errors:
        errors.append(f"{topics_dir}: tidak ada topik yang berlaku untuk {region.kind}")
    if errors or region is None:
        raise CatalogueError("Katalog tidak valid:\n" + "\n".join(f"- {e}" for e in errors))
    return Catalogue(region=region, units=units, topics=tuple(topics))


NAME_START_MIN = 5  # the shortest start of a unit's name that may name it


def match_unit(units: Sequence[Unit], typed: str) -> Unit | None:
    """The one unit of `units` that `typed` names: its code, name or short name in any
    case, or else the start of one name only ("Dinas Kesehatan" for "Dinas Kesehatan
    Kabupaten Sukamaju"); None when none or several match."""
    wanted = " ".join((typed or "").split()).casefold()
    exact = [unit for unit in units
             if wanted in (unit.code.casefold(), unit.name.casefold(), unit.short.casefold())]
    starting = [unit for unit in units
                if len(wanted) >= NAME_START_MIN and unit.name.casefold().startswith(wanted)]
    found = exact or starting
    return found[0] if len(found) == 1 else None
