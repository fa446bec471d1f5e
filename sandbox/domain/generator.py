"""Synthetic complaints from the catalogue, deterministic by seed.

The same catalogue, seed and messiness give the same complaints and the same answer key
on every machine. Complaints are yielded one at a time, so memory stays flat whatever
the count.

Three seeded streams keep the answer key apart from the words: the first draws what a
complaint *is* (its tracking number, arrival, topic, channel, kecamatan, the report it
duplicates, whether the reporter asks for anonymity), the second what it says (the
reporter, the register, the template, the details), the third only its mess (typos,
shorthand, emoji). Changing how reports read never changes which report is which, or
what the right answer is; changing how messy they are changes nothing but the mess.
"""

from __future__ import annotations

import random
import re
from bisect import bisect
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import accumulate
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from sandbox.domain import details
from sandbox.domain.catalogue import KECAMATAN_REF, Catalogue, Topic
from sandbox.domain.clock import BULAN, HARI
from sandbox.domain.details import DEFAULT_AMOUNTS, Place
from sandbox.domain.messiness import DEFAULT_MESSINESS, NOTICEABLE, level, roughen
from sandbox.domain.voice import (
    AGES,
    CHANNEL_VOICES,
    PHOTO_NOTES,
    PLAIN_CHANNEL,
    REGIONAL,
    REGIONAL_SHARE,
    Register,
    addressee,
    age_group,
    classify,
    handles,
    officer_header,
    officer_note,
    register_weights,
    social_post,
    third_person,
)
from sandbox.domain.workflow import ArchiveReason

if TYPE_CHECKING:
    from fractions import Fraction

    from _typeshed import SupportsLenAndGetItem

_T = TypeVar("_T")
# Files cannot travel by SMS or a phone call.
# Which way reports are written from a seed. Raise it whenever the same scenario and seed
# would give other texts or keys (new voices, details, draws): sessions made by different
# versions did not do the same work, and a studi komparasi refuses to compare them.
# 1: every session made before the version was recorded (Faker-based texts).
# 2: voices by channel and register, messiness, details that fit the region.
GENERATOR_VERSION = 2
NO_ATTACHMENT_CHANNELS = frozenset({"sms", "telepon"})
ANONYMOUS_SHARE = 0.04
DEFAULT_TUNDA_ANSWER = ("Mohon maaf kurang lengkap. Lokasinya di {jalan} RT {rt}/RW {rw}, "
                        "{desa_kelurahan} {kelurahan}, Kecamatan {kecamatan}.")
# How often a re-sent report quotes the number of the first one.
QUOTES_TRACKING_NO = 0.4
# Words of a story that needs rain: its dates fall in the rainy season.
_WET = re.compile(r"hujan|banjir|longsor|tergenang|kebanjiran", re.IGNORECASE)
_WORDS = re.compile(r"[a-z]+")
# "Jl. Raya Sumberagung Sumberagung": a place named twice where two slots meet.
_DOUBLED = re.compile(r"\b([A-Z][a-z]+(?: [A-Z][a-z]+)?) \1\b")
_THANKS_AT_END = re.compile(r"\s*(Terima kasih|terima kasih|makasih|trims|tks|mksh)"
                            r"[^.!?]{0,40}[.!]?\s*$")


class _Draws(random.Random):
    """random.Random with a cheaper choice and randint: one random() each, where the
    standard ones take several calls; half of the generator's time went there."""

    def choice(self, seq: SupportsLenAndGetItem[_T]) -> _T:
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def choices(self, population: SupportsLenAndGetItem[_T],
                weights: Sequence[float | Fraction] | None = None, *,
                cum_weights: Sequence[float | Fraction] | None = None,
                k: int = 1) -> list[_T]:
        # The standard draw for one item by cumulative weights, without its overhead.
        if k == 1 and cum_weights is not None and weights is None:
            return [population[bisect(cum_weights, self.random() * cum_weights[-1], 0,
                                      len(population) - 1)]]
        return super().choices(population, weights, cum_weights=cum_weights, k=k)


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
class Voice:
    """How a complaint was written, for measuring variety; never shown or stored."""

    register: str = ""  # a Register value; "" for a hand-written text
    features: frozenset[str] = frozenset()  # "foto", "bahasa_daerah", "salah_ketik", ...
    months: tuple[int, ...] = ()  # months of the dates the text names
    amounts: tuple[int, ...] = ()  # money amounts the text names, in rupiah
    words: str = ""  # the reporter's own words, before the channel's wrapper


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
    voice: Voice = field(default=Voice())

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


class _Home(NamedTuple):
    """Where and who the reporter is, beyond what the Reporter record shows."""

    place: Place
    kecamatan: int
    rt: int
    rw: int
    age: int
    culture: str


class _Region:
    """What every complaint of one run draws from: the region's places, people and tags."""

    def __init__(self, catalogue: Catalogue) -> None:
        region = catalogue.region
        self.catalogue = catalogue
        self.region = region
        villages = [(v, v in k.desa) for k in region.kecamatan for v in k.kelurahan]
        self.book = details.place_book(region.name, villages, region.streets, region.dusun)
        self.handles = handles(region.kind, region.short)
        self.regional = REGIONAL.get(region.language or "")
        self.cultures = details.culture_mix(region.name_pools)
        self._keys: dict[tuple[int, str], dict[str, Any]] = {}

    def key_fields(self, topic: Topic, here: str) -> dict[str, Any]:
        """The answer key of `topic` for a complaint in the kecamatan whose unit is `here`,
        but for what differs per complaint (anonim, the tunda answer)."""
        found = self._keys.get((id(topic), here))
        if found is None:

            def place(code: str | None) -> str | None:
                return here if code == KECAMATAN_REF else code

            found = self._keys[(id(topic), here)] = {
                "topic": topic.id, "expected_action": topic.action,
                "expected_target": place(topic.target),
                "acceptable_targets": tuple(str(place(c)) for c in topic.acceptable),
                "partial_targets": tuple(str(place(c)) for c in topic.partial),
                "klasifikasi": topic.klasifikasi.value, "kategori": topic.kategori,
                "rahasia": topic.rahasia, "explanation": topic.explanation,
                "archive_reason": topic.archive_reason.value if topic.archive_reason else None,
                "question_hint": topic.question_hint}
        return found


class _Slots(dict[str, str]):
    """Fills template slots for one complaint from the region, the reporter and the topic.

    A dict of the values drawn so far: a slot a template names is drawn on first use
    (`__missing__`), so repeated slots agree and unused ones cost nothing.
    """

    def __init__(self, ctx: _Region, rng: random.Random, reporter: Reporter, home: _Home,
                 kecamatan: int, place: Place, today: date, register: Register,
                 topic: Topic, template: str) -> None:
        region = ctx.region
        name = region.kecamatan[kecamatan].name
        super().__init__(kecamatan=name, kelurahan=place.name,
                         desa_kelurahan="Desa" if place.desa else "Kelurahan",
                         kabupaten=region.short, pelapor=reporter.name, nik=reporter.nik,
                         telepon=reporter.phone, rsud=f"RSUD {region.short}")
        self.ctx = ctx
        self.rng = rng
        self.home = home
        self.kecamatan = name
        self.kota = region.kind == "kota"
        self.zone = kecamatan + 1
        self.place = place
        self.today = today
        self.style = str(register)
        self.topic = topic
        self.wet, self.village_follows_school, _ = _facts(template)
        self.months: list[int] = []
        self.amounts: list[int] = []

    def __missing__(self, name: str) -> str:
        try:
            draw = _DRAWS[name]
        except KeyError:
            raise KeyError(name) from None
        value = self[name] = draw(self, self.rng)
        return value

    def keep(self) -> set[str]:
        """The words of the filled-in values, which messiness must leave alone."""
        return set(_WORDS.findall(" ".join(self.values()).lower()))

    def rt(self, rng: random.Random) -> str:
        home = self.home
        at_home = self.place is home.place and rng.random() < 0.7
        return f"{home.rt if at_home else rng.randint(1, 12):03d}"

    def rw(self, rng: random.Random) -> str:
        home = self.home
        at_home = self.place is home.place and rng.random() < 0.7
        return f"{home.rw if at_home else rng.randint(1, 6 if self.place.desa else 12):03d}"

    def tanggal(self, rng: random.Random) -> str:
        day = details.past_day(rng, self.today, self.wet)
        self.months.append(day.month)
        return details.day_text(rng, day, self.today, self.style)

    def bulan(self, rng: random.Random) -> str:
        month = details.past_month(rng, self.today)
        self.months.append(month)
        return BULAN[month - 1]

    def jumlah(self, rng: random.Random) -> str:
        value = details.amount(rng, self.topic.amounts or DEFAULT_AMOUNTS)
        self.amounts.append(value)
        return details.rupiah(rng, value, self.style)

    def sd(self, rng: random.Random) -> str:
        head = "SDN" if self.style in ("singkat", "marah") and rng.random() < 0.5 else \
            "SD Negeri"
        if self.kota:
            return f"{head} {rng.randint(1, 40):03d} {self.kecamatan}"
        if not self.village_follows_school and rng.random() < 0.7:
            return f"{head} {rng.randint(1, 3)} {self.place.name}"
        return f"{head} {rng.randint(1, 6)} {self.kecamatan}"

    def smp(self, rng: random.Random) -> str:
        if self.kota:
            return f"SMP Negeri {rng.randint(1, 25)} {self['kabupaten']}"
        return f"SMP Negeri {rng.randint(1, 3)} {self.kecamatan}"

    def pasar(self, rng: random.Random) -> str:
        market = rng.choice((self.kecamatan, self.place.name, self["kabupaten"]))
        # A kelurahan may itself be called "Pasar ...": never write "Pasar Pasar".
        return market if market.startswith("Pasar ") else f"Pasar {market}"


_MINUTES = ("00", "15", "30", "45", "10", "20")
_MADRASAH = ("MI Negeri", "MTs Negeri", "MA Negeri", "MI Muhammadiyah")
_DRAWS: Mapping[str, Callable[[_Slots, random.Random], str]] = {
    "jalan": lambda s, rng: rng.choice(s.place.streets),
    "rt": _Slots.rt,
    "rw": _Slots.rw,
    "tanggal": _Slots.tanggal,
    "hari": lambda s, rng: HARI[rng.randint(0, 4)],
    "jam": lambda s, rng: f"{rng.randint(7, 21):02d}.{rng.choice(_MINUTES)}",
    "jumlah": _Slots.jumlah,
    "angka": lambda s, rng: str(rng.randint(2, 12)),
    "sd": _Slots.sd,
    "smp": _Slots.smp,
    "sma": lambda s, rng: f"SMA Negeri {rng.randint(1, 15 if s.kota else 3)} {s['kabupaten']}",
    "smk": lambda s, rng: f"SMK Negeri {rng.randint(1, 10 if s.kota else 2)} {s['kabupaten']}",
    "madrasah": lambda s, rng: f"{rng.choice(_MADRASAH)} {rng.randint(1, 3)} {s['kabupaten']}",
    "puskesmas": lambda s, rng: f"Puskesmas {s.place.name if s.kota else s.kecamatan}",
    "petugas": lambda s, rng: details.official(rng, s.home.culture),
    "pasar": _Slots.pasar,
    "warga": lambda s, rng: details.neighbour(rng, s.home.culture),
    "perusahaan": lambda s, rng: details.company(rng, details.culture(rng, s.ctx.cultures)),
    "no_pelanggan": lambda s, rng: details.pdam_customer_no(rng, s.zone),
    "id_pln": lambda s, rng: details.pln_customer_id(rng),
    "plat": lambda s, rng: details.plate(rng, s.ctx.region.plate_prefix),
    "bulan": _Slots.bulan,
}
def _reporter(ctx: _Region, rng: random.Random, today: date, kecamatan: int, place: Place,
              anonim: bool) -> tuple[Reporter, _Home]:
    female = rng.random() < 0.5
    age = rng.randint(18, 72)
    born = today - timedelta(days=age * 365 + rng.randint(0, 364))
    culture = details.culture(rng, ctx.cultures)
    name = details.person_name(rng, culture, female, born.year)
    nik = details.nik(rng, ctx.region.nik_prefix, kecamatan + 1, born, female)
    phone = details.mobile(rng)
    rt, rw = rng.randint(1, 12), rng.randint(1, 6 if place.desa else 12)
    street = rng.choice(place.streets)
    if place.desa:  # a village address names the dusun: "Dusun Krajan RT 002/RW 001"
        street = street.removeprefix("Jl. ") if street.startswith("Jl. Dusun") else street
    house = "" if street.startswith("Dusun") else f" No. {rng.randint(1, 120)}"
    address = (f"{street}{house}, RT {rt:03d}/RW {rw:03d}, {place.kind.capitalize()} "
               f"{place.name}, Kec. {ctx.region.kecamatan[kecamatan].name}, {ctx.region.name}")
    reporter = Reporter(name=name, gender="P" if female else "L",
                        title="Ibu" if female else "Bapak", nik=nik, phone=phone,
                        address=address, requested_anonim=anonim)
    return reporter, _Home(place, kecamatan, rt, rw, age, culture)


@lru_cache(maxsize=1024)
def _by_register(templates: tuple[str, ...]) -> Mapping[Register, tuple[str, ...]]:
    """A topic's templates grouped by the register each is written in."""
    groups: dict[Register, list[str]] = {}
    for template in templates:
        groups.setdefault(classify(template), []).append(template)
    return {register: tuple(groups[register]) for register in Register if register in groups}


@lru_cache(maxsize=4096)
def _registers(channel: str, group: str, templates: tuple[str, ...]
               ) -> tuple[tuple[Register, ...], tuple[float, ...]]:
    """register_weights for a topic's templates, computed once per channel and age group."""
    return register_weights(channel, AGES[group], _by_register(templates))


@lru_cache(maxsize=4096)
def _facts(template: str) -> tuple[bool, bool, bool]:
    """What a template's words imply: a story that needs rain; "{sd}, {kelurahan}" (so the
    school is not named after the village as well); two slots side by side (which may
    name one place twice)."""
    return (bool(_WET.search(template)), bool(re.search(r"\{sd\},? \{kelurahan\}", template)),
            "} {" in template)


@lru_cache(maxsize=1024)
def _title_words(title: str) -> frozenset[str]:
    return frozenset(w for w in _WORDS.findall(title.lower()) if len(w) >= 3)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "_", text.lower()).strip("_")


def _decap(text: str) -> str:
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first[0].isupper() and first[1:].islower():
        return text[0].lower() + text[1:]
    return text


def _clock(moment: datetime) -> str:
    return f"{moment.hour:02d}.{moment.minute:02d}"


def _officer_fill(ctx: _Region, moment: datetime, home: _Home) -> dict[str, str]:
    kecamatan = ctx.region.kecamatan[home.kecamatan].name
    return {"hari": HARI[moment.weekday()],
            "tanggal": f"{moment.day} {BULAN[moment.month - 1]} {moment.year}",
            "jam": f"{_clock(moment)} {ctx.region.timezone}",
            "tempat": f"{home.place.kind.capitalize()} {home.place.name}, Kec. {kecamatan}"}


class _Mess(NamedTuple):
    """How messy a run's texts are (0-1) and the stream that draws the mess."""

    rate: float
    rng: random.Random


def _speak(ctx: _Region, rng: random.Random, channel: str, register: Register, body: str,
           photo: bool, mess: _Mess, keep: Callable[[], set[str]],
           features: set[str]) -> str:
    """The reporter's own words: the template's text with a greeting or a closing of the
    regional language, a word on the photo, and the writer's mess."""
    voice = CHANNEL_VOICES.get(channel, PLAIN_CHANNEL)
    regional = ctx.regional
    if photo and "foto" not in body.lower() and rng.random() < 0.45:
        body = f"{body.rstrip()} {rng.choice(PHOTO_NOTES[register])}"
        features.add("foto_disebut")
    amount = level(mess.rate, register, voice.mess, mess.rng)
    if amount >= NOTICEABLE:
        body, done = roughen(body, mess.rng, amount, register, keep(), emoji=voice.emoji)
        features.update(done)
    # A regional greeting or thanks is a set phrase: the writer's slips stay out of it.
    if regional and rng.random() < REGIONAL_SHARE[register]:
        openings, closings = regional.openings.get(register), regional.closings.get(register)
        if openings and (not closings or rng.random() < 0.4):
            body = f"{rng.choice(openings)} {_decap(body)}"
        elif closings:
            # The regional thanks takes the place of the Indonesian one.
            body = f"{_THANKS_AT_END.sub('', body).rstrip()} {rng.choice(closings)}"
        if openings or closings:
            features.add("bahasa_daerah")
    return body


def generate(catalogue: Catalogue, seed: int, count: int, start: datetime,
             topics: list[Topic] | None = None,
             sequence: list[Topic] | None = None,
             messiness: float = DEFAULT_MESSINESS,
             arrivals: Sequence[datetime] | None = None) -> Iterator[GeneratedComplaint]:
    """Yield `count` complaints arriving after `start`, deterministic for `seed`.

    Topics are drawn by weight from `topics` (default: the whole catalogue), or taken
    in order from `sequence`, which then sets the count. `messiness` (0-1) says how messy
    the texts are; `arrivals`, when the caller schedules the complaints itself, are the
    moments they arrive (their `arrived_at`), so that "kemarin" and an officer's "pukul
    09.10" fit them.
    """
    if sequence is not None:
        count = len(sequence)
    rng = _Draws(seed)
    text = _Draws(f"teks:{seed}")
    mess = _Mess(messiness, _Draws(f"berantakan:{seed}"))
    ctx = _Region(catalogue)
    pool = list(topics or sequence or catalogue.topics)
    originals = [t for t in pool if not t.duplicate]
    if not originals:
        return
    pool_weights = list(accumulate(t.weight for t in pool))
    original_weights = list(accumulate(t.weight for t in originals))
    tracking = rng.randint(1_000_000, 7_999_999)
    arrived_at = start
    earlier: list[GeneratedComplaint] = []
    # tracking_no -> the reporter's own words, where they live and where it happened
    written: dict[str, tuple[str, _Home, int, Place]] = {}
    for position in range(1, count + 1):
        # What the complaint is (the first stream): never moved by a change to the words.
        tracking += rng.randint(3, 97)
        arrived_at += timedelta(minutes=rng.randint(2, 25))
        topic = (sequence[position - 1] if sequence is not None
                 else rng.choices(pool, cum_weights=pool_weights)[0])
        duplicable = ([c for c in earlier if c.key.expected_action != "arsipkan"]
                      if topic.duplicate else [])
        if topic.duplicate and not duplicable:
            topic = rng.choices(originals, cum_weights=original_weights)[0]
        channel = rng.choice(topic.channels)
        k_index = rng.randint(0, len(catalogue.region.kecamatan) - 1)
        if topic.duplicate:
            original = rng.choice(duplicable[-20:])
            complaint = _resend(ctx, text, topic, original, written[original.tracking_no],
                                position, str(tracking), channel, arrived_at, arrivals)
        else:
            # Now and then a reporter asks for anonymity whatever the topic.
            anonim = topic.reporter_anonim or (
                topic.action != "arsipkan" and rng.random() < ANONYMOUS_SHARE)
            complaint = _write(ctx, text, topic, position, str(tracking), channel, k_index,
                               anonim, arrived_at, arrivals, mess, written)
        earlier.append(complaint)
        if len(earlier) > 40:
            written.pop(earlier.pop(0).tracking_no, None)
        yield complaint


def _when(arrived_at: datetime, arrivals: Sequence[datetime] | None, position: int) -> datetime:
    if arrivals is not None and position <= len(arrivals):
        return arrivals[position - 1]
    return arrived_at


def _write(ctx: _Region, rng: random.Random, topic: Topic, position: int, tracking_no: str,
           channel: str, k_index: int, anonim: bool, arrived_at: datetime,
           arrivals: Sequence[datetime] | None, mess: _Mess,
           written: dict[str, tuple[str, _Home, int, Place]]) -> GeneratedComplaint:
    """One new complaint of `topic` (the second stream: only its words and details)."""
    moment = _when(arrived_at, arrivals, position)
    today = moment.date()
    kecamatan = ctx.region.kecamatan[k_index]
    place = ctx.book[rng.choice(kecamatan.places(topic.lokasi))]
    reporter, home = _reporter(ctx, rng, today, k_index, place, anonim)
    voice = CHANNEL_VOICES.get(channel, PLAIN_CHANNEL)
    features: set[str] = set()
    if topic.verbatim:
        register = Register.BIASA
        template = topic.templates[0]
    else:
        groups = _by_register(topic.templates)
        options, weights = _registers(channel, age_group(home.age), topic.templates)
        register = options[bisect(weights, rng.random() * weights[-1], 0, len(options) - 1)]
        found = groups[register]
        if (voice.short or voice.long) and len(found) > 1:
            ordered = sorted(found, key=len, reverse=voice.long)
            found = tuple(ordered[: (len(found) + 1) // 2])
        template = rng.choice(found)
    slots = _Slots(ctx, rng, reporter, home, k_index, place, today, register, topic, template)
    body = template.format_map(slots)
    if not topic.verbatim and _facts(template)[2]:
        body = _DOUBLED.sub(r"\1", body)
    attachments = () if channel in NO_ATTACHMENT_CHANNELS else tuple(
        {"name": _slug(a.name.format_map(slots)), "kind": a.kind} for a in topic.attachments)
    photo = any(a["kind"] == "foto" for a in attachments)
    if photo:
        features.add("foto")
    if topic.verbatim:
        words = shown = body
    elif voice.officer:
        words = body
        fill = _officer_fill(ctx, moment, home)
        # The officer's rewording is the same for every report of a template: do it once,
        # on the template, then fill it.
        reported = third_person(template).format_map(slots)
        if _facts(template)[2]:
            reported = _DOUBLED.sub(r"\1", reported)
        shown = officer_note(rng, channel, reported, lambda s: s.format_map(fill), photo,
                             place_known=topic.action != "tunda")
        amount = level(mess.rate, Register.FORMAL, voice.mess, mess.rng)
        if amount >= NOTICEABLE:
            shown, done = roughen(shown, mess.rng, amount, Register.FORMAL, slots.keep(),
                                  emoji=False)
            features.update(done)
        features.add("petugas")
    else:
        words = _speak(ctx, rng, channel, register, body, photo, mess,
                       lambda: slots.keep() | _title_words(topic.title), features)
        shown = words
        # A spam bot greets nobody.
        greeting = "" if topic.archive_reason == ArchiveReason.SPAM else addressee(
            rng, channel, register, ctx.region.kind)
        if greeting:
            features.add("sapaan")
            shown = greeting + (_decap(shown) if greeting.endswith(", ") else shown)
        if channel == "medsos":
            shown, tagged = social_post(rng, shown, ctx.handles)
            if tagged:
                features.add("tag_akun")
    written[tracking_no] = (words, home, k_index, place)
    return GeneratedComplaint(
        position=position, tracking_no=tracking_no, channel=channel, text=shown,
        reporter=reporter, arrived_at=moment, attachments=attachments,
        key=AnswerKey(
            **ctx.key_fields(topic, kecamatan.unit), anonim=topic.anonim or anonim,
            tunda_answer=(topic.tunda_answer or DEFAULT_TUNDA_ANSWER).format_map(slots),
        ),
        voice=Voice("" if topic.verbatim else register, frozenset(features),
                    tuple(slots.months), tuple(slots.amounts), words),
    )


_RESEND_BY_OFFICER = ("Pelapor menanyakan kembali laporannya yang belum mendapat tanggapan{no}. "
                      "Isi laporan semula: «{words}»")
_TRACKING_QUOTES = (" (laporan #{no})", " (No. laporan {no})", " (ref #{no})",
                    ", nomor laporan sebelumnya {no}")


def _resend(ctx: _Region, rng: random.Random, topic: Topic, original: GeneratedComplaint,
            first: tuple[str, _Home, int, Place], position: int, tracking_no: str,
            channel: str, arrived_at: datetime,
            arrivals: Sequence[datetime] | None) -> GeneratedComplaint:
    """A reporter sending an earlier report again, in its own words, sometimes quoting
    its tracking number."""
    words, home, k_index, place = first
    moment = _when(arrived_at, arrivals, position)
    template = rng.choice(topic.templates)
    register = classify(template)
    slots = _Slots(ctx, rng, original.reporter, home, k_index, place, moment.date(), register,
                   topic, template)
    prefix = template.format_map(slots)
    features = {"tindak_lanjut"}
    quoted = rng.random() < QUOTES_TRACKING_NO
    if quoted:
        features.add("nomor_laporan")
    if CHANNEL_VOICES.get(channel, PLAIN_CHANNEL).officer:
        fill = _officer_fill(ctx, moment, home)
        header = officer_header(rng, channel, lambda s: s.format_map(fill))
        number = f" (nomor {original.tracking_no})" if quoted else ""
        shown = header + _RESEND_BY_OFFICER.format(no=number, words=words)
        features.add("petugas")
    else:
        if quoted:
            quote = rng.choice(_TRACKING_QUOTES).format(no=original.tracking_no)
            colon = ":" if prefix.endswith(":") else ""
            prefix = f"{prefix.removesuffix(':').rstrip()}{quote}{colon}"
        shown = f"{prefix} {words}"
        if channel == "medsos":
            shown, tagged = social_post(rng, shown, ctx.handles)
            if tagged:
                features.add("tag_akun")
    return GeneratedComplaint(
        position=position, tracking_no=tracking_no, channel=channel, text=shown,
        reporter=original.reporter, arrived_at=moment, attachments=original.attachments,
        key=AnswerKey(
            topic=topic.id, expected_action="arsipkan", expected_target=None,
            acceptable_targets=(), partial_targets=(),
            klasifikasi=original.key.klasifikasi, kategori=original.key.kategori,
            rahasia=original.key.rahasia, anonim=original.key.anonim,
            explanation=f"{topic.explanation} (Laporan asal: #{original.tracking_no}.)",
            archive_reason="duplikat", duplicate_of=original.tracking_no,
        ),
        voice=Voice(register, frozenset(features), (), (), words),
    )
