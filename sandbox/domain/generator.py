"""Synthetic complaints from the catalogue, deterministic by seed.

The same catalogue, seed and Faker version give the same complaints and the
same answer key on every machine. Complaints are yielded one at a time, so
memory stays flat whatever the count.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate
from typing import Any

from faker import Faker

from sandbox.domain.catalogue import KECAMATAN_REF, Catalogue, Kecamatan, Topic
from sandbox.domain.clock import BULAN, HARI

_FIRMS = ("Jaya", "Makmur", "Sentosa", "Abadi", "Mandiri", "Perkasa", "Sejahtera", "Utama")
# How a report reads when it reaches LAPOR! by each channel. Walk-in and phone reports are
# typed in by an officer through the manual form.
CHANNEL_PREFIXES = {
    "medsos": ("@lapor1708 ", ""),
    "langsung": ("Disampaikan langsung di loket pengaduan: ",
                 "Pelapor datang ke kantor dan menyampaikan: "),
    "telepon": ("Disampaikan melalui telepon, dicatat petugas: ",
                "Laporan via telepon: "),
}
# Files cannot travel by SMS or a phone call.
NO_ATTACHMENT_CHANNELS = frozenset({"sms", "telepon"})
ANONYMOUS_SHARE = 0.04
DEFAULT_TUNDA_ANSWER = ("Mohon maaf kurang lengkap. Lokasinya di {jalan} RT {rt}/RW {rw}, "
                       "{kelurahan}, Kecamatan {kecamatan}.")

MOBILE_PREFIXES = ("0811", "0812", "0813", "0821", "0822", "0852", "0853", "0857", "0877",
                   "0878", "0881", "0895", "0896")


@dataclass(frozen=True)
class Reporter:
    name: str
    gender: str  # "L" or "P"
    title: str  # "Bapak" or "Ibu"
    nik: str
    phone: str
    address: str
    requested_anonim: bool = False

    @property
    def salutation(self) -> str:
        return f"{self.title} {self.name}"


@dataclass(frozen=True)
class AnswerKey:
    """The hidden ground truth of one complaint."""

    topic: str
    expected_action: str
    expected_target: str | None
    acceptable_targets: tuple[str, ...]
    partial_targets: tuple[str, ...]
    klasifikasi: str
    kategori: str
    rahasia: bool
    anonim: bool
    explanation: str
    archive_reason: str | None = None
    question_hint: str | None = None
    tunda_answer: str | None = None  # what the reporter answers to a tunda question
    duplicate_of: str | None = None


@dataclass(frozen=True)
class GeneratedComplaint:
    position: int
    tracking_no: str
    channel: str
    text: str
    reporter: Reporter
    arrived_at: datetime
    key: AnswerKey
    attachments: tuple[dict[str, str], ...] = field(default=())

    def to_record(self) -> dict[str, Any]:
        """A flat, JSON-ready record: visible fields plus the ground truth."""
        # vars() instead of dataclasses.asdict: asdict deep-copies and was 40% of the run time.
        record: dict[str, Any] = {
            "position": self.position,
            "tracking_no": self.tracking_no,
            "channel": self.channel,
            "arrived_at": self.arrived_at.isoformat(timespec="minutes"),
            "text": self.text,
            "reporter": dict(vars(self.reporter)),
            "attachments": [dict(a) for a in self.attachments],
        }
        record.update(vars(self.key))
        record["acceptable_targets"] = list(self.key.acceptable_targets)
        record["partial_targets"] = list(self.key.partial_targets)
        return record


class _Slots:
    """Fills template slots for one complaint from Faker and the region table."""

    def __init__(self, catalogue: Catalogue, rng: random.Random, fake: Faker,
                 reporter: Reporter, kecamatan: Kecamatan, kelurahan: str,
                 arrived_at: datetime) -> None:
        self.catalogue = catalogue
        self.rng = rng
        self.fake = fake
        self.reporter = reporter
        self.kecamatan = kecamatan
        self.kelurahan = kelurahan
        self.arrived_at = arrived_at
        self.values: dict[str, str] = {}

    def __getitem__(self, name: str) -> str:
        # Each slot is drawn once per complaint, so repeated slots agree.
        if name not in self.values:
            self.values[name] = self._draw(name)
        return self.values[name]

    def _draw(self, name: str) -> str:
        rng = self.rng
        short = self.catalogue.region.short
        place = self.kecamatan.name
        if name == "kecamatan":
            return place
        if name == "kelurahan":
            return self.kelurahan
        if name == "kabupaten":
            return short
        if name == "jalan":
            return _street(self.catalogue, rng, self.fake)
        if name in ("rt", "rw"):
            return f"{rng.randint(1, 15):03d}"
        if name == "tanggal":
            day = (self.arrived_at - timedelta(days=rng.randint(2, 30))).date()
            return f"{day.day} {BULAN[day.month - 1]}"
        if name == "hari":
            return HARI[rng.randrange(5)]
        if name == "jam":
            return f"{rng.randint(7, 21):02d}.{rng.choice(('00', '15', '30', '45'))}"
        if name == "jumlah":
            return f"Rp{rng.randint(2, 60) * 25_000:,}".replace(",", ".")
        if name == "angka":
            return str(rng.randint(2, 12))
        if name == "sd":
            return f"SD Negeri {rng.randint(1, 6)} {place}"
        if name == "smp":
            return f"SMP Negeri {rng.randint(1, 3)} {place}"
        if name == "sma":
            return f"SMA Negeri {rng.randint(1, 3)} {short}"
        if name == "smk":
            return f"SMK Negeri {rng.randint(1, 2)} {short}"
        if name == "madrasah":
            kind = rng.choice(("MI Negeri", "MTs Negeri", "MA Negeri", "MI Muhammadiyah"))
            return f"{kind} {rng.randint(1, 3)} {short}"
        if name == "puskesmas":
            return f"Puskesmas {place}"
        if name == "rsud":
            return f"RSUD {short}"
        if name == "petugas":
            if rng.random() < 0.5:
                return f"Pak {self.fake.first_name_male()} {self.fake.last_name_male()}"
            return f"Bu {self.fake.first_name_female()} {self.fake.last_name_female()}"
        if name == "pelapor":
            return self.reporter.name
        if name == "pasar":
            market = rng.choice((place, self.kelurahan, short))
            # A kelurahan may itself be called "Pasar ...": never write "Pasar Pasar".
            return market if market.startswith("Pasar ") else f"Pasar {market}"
        if name == "warga":
            if rng.random() < 0.5:
                return f"Pak {self.fake.first_name_male()}"
            return f"Bu {self.fake.first_name_female()}"
        if name == "perusahaan":
            return f"{rng.choice(('PT', 'CV'))} {self.fake.last_name()} {rng.choice(_FIRMS)}"
        if name == "no_pelanggan":
            return f"{rng.randrange(10**9, 10**10)}"
        if name == "plat":
            letters = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(2))
            number = f"{rng.randint(1000, 9999)} {letters}"
            return f"{self.catalogue.region.plate_prefix} {number}".strip()
        if name == "bulan":
            month = (self.arrived_at.month - 1 - rng.randint(1, 3)) % 12
            return BULAN[month]
        if name == "nik":
            return self.reporter.nik
        if name == "telepon":
            return self.reporter.phone
        raise KeyError(name)


def _reporter(catalogue: Catalogue, rng: random.Random, fake: Faker, today: date,
              kecamatan_index: int, kelurahan: str, anonim: bool) -> Reporter:
    female = rng.random() < 0.5
    if female:
        name = f"{fake.first_name_female()} {fake.last_name_female()}"
    else:
        name = f"{fake.first_name_male()} {fake.last_name_male()}"
    born = today - timedelta(days=rng.randint(18 * 365, 70 * 365))
    day = born.day + (40 if female else 0)
    nik = (f"{catalogue.region.nik_prefix}{kecamatan_index + 1:02d}"
           f"{day:02d}{born.month:02d}{born.year % 100:02d}{rng.randint(1, 9999):04d}")
    phone = f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**7, 10**8)}"
    kecamatan = catalogue.region.kecamatan[kecamatan_index]
    street = _street(catalogue, rng, fake)
    address = (f"{street} No. {rng.randint(1, 120)}, RT {rng.randint(1, 15):03d}/"
               f"RW {rng.randint(1, 9):03d}, {kelurahan}, Kec. {kecamatan.name}, "
               f"{catalogue.region.name}")
    return Reporter(name=name, gender="P" if female else "L", title="Ibu" if female else "Bapak",
                    nik=nik, phone=phone, address=address, requested_anonim=anonim)


def _street(catalogue: Catalogue, rng: random.Random, fake: Faker) -> str:
    """A street of the region's own list, else Faker's, with the usual "Jl."/"Gg." prefix."""
    streets = catalogue.region.streets
    name: str = rng.choice(streets) if streets else fake.street_name()
    for long, short in (("Jalan ", "Jl. "), ("Gang ", "Gg. ")):
        if name.startswith(long):
            return short + name.removeprefix(long)
    return name


def _by_channel(rng: random.Random, channel: str, body: str) -> str:
    """The report as it reaches LAPOR! through `channel` (an officer's note, a mention)."""
    prefixes = CHANNEL_PREFIXES.get(channel)
    return rng.choice(prefixes) + body if prefixes else body


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "_", text.lower()).strip("_")


def generate(catalogue: Catalogue, seed: int, count: int, start: datetime,
             topics: list[Topic] | None = None,
             sequence: list[Topic] | None = None) -> Iterator[GeneratedComplaint]:
    """Yield `count` complaints arriving after `start`, deterministic for `seed`.

    Topics are drawn by weight from `topics` (default: the whole catalogue), or taken
    in order from `sequence`, which then sets the count.
    """
    if sequence is not None:
        count = len(sequence)
    rng = random.Random(seed)
    fake = Faker("id_ID")
    fake.seed_instance(seed)
    pool = list(topics or sequence or catalogue.topics)
    originals = [t for t in pool if not t.duplicate]
    if not originals:
        return
    pool_weights = list(accumulate(t.weight for t in pool))
    original_weights = list(accumulate(t.weight for t in originals))
    tracking = rng.randrange(1_000_000, 8_000_000)
    arrived_at = start
    earlier: list[GeneratedComplaint] = []
    bodies: dict[str, str] = {}  # tracking_no -> text as the reporter wrote it
    for position in range(1, count + 1):
        tracking += rng.randint(3, 97)
        arrived_at += timedelta(minutes=rng.randint(2, 25))
        topic = (sequence[position - 1] if sequence is not None
                 else rng.choices(pool, cum_weights=pool_weights)[0])
        duplicable = ([c for c in earlier if c.key.expected_action != "arsipkan"]
                      if topic.duplicate else [])
        if topic.duplicate and not duplicable:
            topic = rng.choices(originals, cum_weights=original_weights)[0]
        channel = rng.choice(topic.channels)
        k_index = rng.randrange(len(catalogue.region.kecamatan))
        kecamatan = catalogue.region.kecamatan[k_index]
        kelurahan = rng.choice(kecamatan.kelurahan)
        if topic.duplicate:
            original = rng.choice(duplicable[-20:])
            slots = _Slots(catalogue, rng, fake, original.reporter, kecamatan, kelurahan,
                           arrived_at)
            prefix = rng.choice(topic.templates).format_map(slots)
            body = f"{prefix} {bodies[original.tracking_no]}"
            complaint = GeneratedComplaint(
                position=position, tracking_no=str(tracking), channel=channel,
                text=_by_channel(rng, channel, body), reporter=original.reporter,
                arrived_at=arrived_at, attachments=original.attachments,
                key=AnswerKey(
                    topic=topic.id, expected_action="arsipkan", expected_target=None,
                    acceptable_targets=(), partial_targets=(),
                    klasifikasi=original.key.klasifikasi, kategori=original.key.kategori,
                    rahasia=original.key.rahasia, anonim=original.key.anonim,
                    explanation=f"{topic.explanation} (Laporan asal: #{original.tracking_no}.)",
                    archive_reason="duplikat", duplicate_of=original.tracking_no,
                ),
            )
        else:
            # Now and then a reporter asks for anonymity whatever the topic.
            anonim = topic.reporter_anonim or (
                topic.action != "arsipkan" and rng.random() < ANONYMOUS_SHARE)
            reporter = _reporter(catalogue, rng, fake, arrived_at.date(), k_index, kelurahan,
                                 anonim)
            templates = topic.templates
            if channel == "sms":
                # An SMS to 1708 is short: prefer the shorter half of the templates.
                templates = tuple(sorted(templates, key=len)[: max(1, len(templates) // 2)])
            slots = _Slots(catalogue, rng, fake, reporter, kecamatan, kelurahan, arrived_at)
            body = rng.choice(templates).format_map(slots)
            text = _by_channel(rng, channel, body)
            attachments = () if channel in NO_ATTACHMENT_CHANNELS else tuple(
                {"name": _slug(a.name.format_map(slots)), "kind": a.kind}
                for a in topic.attachments
            )
            here = kecamatan.unit

            def place(code: str | None, here: str = here) -> str | None:
                return here if code == KECAMATAN_REF else code

            complaint = GeneratedComplaint(
                position=position, tracking_no=str(tracking), channel=channel, text=text,
                reporter=reporter, arrived_at=arrived_at, attachments=attachments,
                key=AnswerKey(
                    topic=topic.id, expected_action=topic.action,
                    expected_target=place(topic.target),
                    acceptable_targets=tuple(str(place(c)) for c in topic.acceptable),
                    partial_targets=tuple(str(place(c)) for c in topic.partial),
                    klasifikasi=topic.klasifikasi.value, kategori=topic.kategori,
                    rahasia=topic.rahasia, anonim=topic.anonim or anonim,
                    explanation=topic.explanation,
                    archive_reason=topic.archive_reason.value if topic.archive_reason else None,
                    question_hint=topic.question_hint,
                    tunda_answer=(topic.tunda_answer or DEFAULT_TUNDA_ANSWER).format_map(slots),
                ),
            )
        earlier.append(complaint)
        bodies[complaint.tracking_no] = body
        if len(earlier) > 40:
            del bodies[earlier.pop(0).tracking_no]
        yield complaint
