"""Details that fit a report: names, companies, money, dates, identifiers and places.

What a citizen writes has to fit the region and the story: a Javanese name in Jawa
Tengah, a company called like the shops on the main road, an LKS that costs tens of
thousands and a pungli for a referral that costs hundreds, a PLN customer id of 12
digits, a date in the rainy season for a flood, and a desa that stays a desa (with its
dusun) in every report. The tables are data; the functions draw from them with the
caller's seeded `random.Random`, so every detail is the same for the same seed.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate

from sandbox.domain.clock import BULAN, HARI

# ------------------------------------------------------------------ people


@dataclass(frozen=True)
class NameStyle:
    """One way of naming people in a region: given names and second names that go together."""

    male: tuple[str, ...]
    male_second: tuple[str, ...]
    female: tuple[str, ...]
    female_second: tuple[str, ...]


# Names by the culture of a region (`name_pools` in the region file). Each culture has a
# few styles (Javanese, Islamic, modern) whose given and second names are drawn from the
# same style, so nobody is called by a blend that no parent would choose.
_JAWA = (
    NameStyle(
        male=("Agus", "Budi", "Joko", "Bambang", "Slamet", "Sugeng", "Heru", "Eko", "Dwi", "Tri",
              "Wahyu", "Teguh", "Hadi", "Sigit", "Didik", "Wawan", "Nanang", "Setyo", "Gatot",
              "Totok", "Edi", "Danang", "Yudi", "Aris", "Kukuh", "Puji", "Suryo", "Bagus",
              "Hendro", "Yanto", "Sapto", "Widi"),
        male_second=("Santoso", "Setiawan", "Prasetyo", "Wibowo", "Susanto", "Nugroho",
                     "Saputro", "Purnomo", "Hartono", "Suryanto", "Riyanto", "Sutrisno",
                     "Pamungkas", "Handoko", "Raharjo", "Utomo", "Sulistyo", "Widodo",
                     "Setyawan", "Wicaksono", "Haryanto", "Mulyono", "Sasongko", "Darmawan",
                     "Susilo", "Triyono", "Prabowo", "Kuncoro", "Wahyudi", "Budiono"),
        female=("Sri", "Tri", "Dwi", "Endang", "Rini", "Yuni", "Puji", "Ani", "Retno", "Lilis",
                "Eni", "Tutik", "Yuli", "Sumi", "Wulan", "Ratna", "Indah", "Dewi", "Ning",
                "Kristin", "Dyah", "Lestari", "Suci", "Titik"),
        female_second=("Wahyuni", "Handayani", "Lestari", "Susanti", "Astuti", "Rahayu",
                       "Setyowati", "Kusumawati", "Purwanti", "Wulandari", "Suryani",
                       "Susilowati", "Utami", "Setyaningsih", "Puspitasari", "Ningsih",
                       "Sulistyowati", "Hartati", "Mulyani", "Widayati", "Rahmadani"),
    ),
    NameStyle(
        male=("Ahmad", "Muhammad", "Imam", "Ali", "Yusuf", "Rahmat", "Taufik", "Ilham", "Rohmat",
              "Khoirul", "Mujib", "Zainal", "Nur", "Abdul", "Syaiful", "Arif", "Faizal", "Hasan",
              "Umar", "Muchlis", "Syamsul", "Lukman", "Fauzan", "Ridwan", "Nasrul", "Miftahul"),
        male_second=("Fauzi", "Hidayat", "Rosyid", "Mustofa", "Anwar", "Efendi", "Hakim",
                     "Syafii", "Maulana", "Makruf", "Huda", "Arifin", "Amin", "Kholiq",
                     "Baidowi", "Faturrohman", "Nurhadi", "Zuhri", "Ulum", "Syarifudin",
                     "Rozak", "Sholeh", "Mahmud", "Ihsan", "Sodiq", "Hamid", "Asyari"),
        female=("Siti", "Nur", "Umi", "Nurul", "Laili", "Sri", "Dewi", "Anis", "Ainun",
                "Zahrotul", "Izzatul", "Lailatul", "Ummi", "Rofiqoh"),
        female_second=("Aminah", "Maesaroh", "Hidayah", "Kulsum", "Khasanah", "Rohmah",
                       "Fadhilah", "Nisa", "Azizah", "Muawanah", "Zubaidah", "Chotimah",
                       "Mukaromah", "Fatimah", "Zulaikha", "Musyarofah", "Istiqomah",
                       "Fitriyah", "Mufidah", "Jariyah", "Lathifah", "Nafisah", "Munawaroh",
                       "Kurniasih", "Solikhah"),
    ),
    NameStyle(
        male=("Rizky", "Dimas", "Bayu", "Fajar", "Yoga", "Aditya", "Galih", "Fikri", "Rian",
              "Ardi", "Andika", "Reza", "Satria", "Dani", "Kevin", "Arya"),
        male_second=("Saputra", "Pratama", "Nugroho", "Firmansyah", "Ramadhan", "Kurniawan",
                     "Ardiansyah", "Wicaksana", "Prakoso", "Hermawan", "Setiadi", "Permadi"),
        female=("Nabila", "Aulia", "Salsabila", "Anisa", "Putri", "Dinda", "Nadia", "Intan",
                "Amelia", "Tiara", "Vina", "Novita", "Ayu", "Anggi"),
        female_second=("Rahmawati", "Putri", "Lestari", "Maharani", "Rahma", "Safitri",
                       "Anggraini", "Permatasari", "Pertiwi", "Kusuma", "Nur Aini", "Oktaviani"),
    ),
)
# Born before 1965, many people in Java carry one name only.
_JAWA_SINGLE = (
    ("Sutarno", "Sukirman", "Paimin", "Ngadiman", "Sumarno", "Karsono", "Suparman", "Darmo",
     "Wagiman", "Tukiman", "Kasno", "Sarno", "Mardi", "Sumadi", "Jumadi", "Parjo", "Ngatijo",
     "Sardi", "Tugiman", "Karno", "Sukardi", "Marno", "Wasito", "Tarjo", "Samijo", "Paijan",
     "Sugiyo", "Legimin", "Darsono", "Sutrisno", "Harjono"),
    ("Suparmi", "Sumiyati", "Ngatini", "Tukinem", "Sulastri", "Painem", "Wagiyem", "Sutini",
     "Kasmini", "Juminah", "Sarinah", "Paiyem", "Ngatiyem", "Sumarni", "Sukarti", "Mujiati",
     "Sumirah", "Tumini", "Parmi", "Sarmi", "Wartini", "Sainem", "Karsih", "Ginah", "Sutarmi",
     "Tukiyem", "Sukinah", "Marsini"),
)
_BANJAR = (
    NameStyle(
        male=("Muhammad", "Akhmad", "Ahmad", "Gusti", "Hairul", "Syahrul", "Rusdi", "Norhadi",
              "Hamdani", "Fahmi", "Riduan", "Yusran", "Rahmadi", "Zainal", "Mahyudin", "Anang"),
        male_second=("Rifani", "Rizani", "Syarifuddin", "Fauzi", "Hairani", "Zainuddin",
                     "Norhalim", "Mahmudin", "Gazali", "Hasanudin", "Syahrani", "Noor", "Arsyad",
                     "Rusdiansyah", "Fahrurrazi", "Aspiannor", "Ramli"),
        female=("Siti", "Norhayati", "Noorjannah", "Rusmini", "Mahrita", "Jamilah", "Normila",
                "Salmah", "Mariana", "Hartati", "Rabiatul", "Fitriani", "Mahmudah", "Aluh"),
        female_second=("Aisyah", "Rahmah", "Hasanah", "Adawiyah", "Zahra", "Noor", "Fitriah",
                       "Rusmiati", "Jumiati", "Mardiana", "Hayati", "Khairunnisa"),
    ),
)
_BUGIS = (
    NameStyle(
        male=("Andi", "Muh.", "Muhammad", "Baharuddin", "Syamsul", "Hasrul", "Jufri", "Rusli",
              "Amir", "Haerul", "Ridwan", "Asdar", "Jamal", "Irwan"),
        male_second=("Hasanuddin", "Jamaluddin", "Amiruddin", "Arfah", "Syamsuddin", "Rahman",
                     "Mappaseng", "Sulaiman", "Makmur", "Tahir", "Saleh", "Baso", "Nurdin"),
        female=("Andi", "Hasnah", "Nurhaedah", "Hasmawati", "Rahmatia", "Nurbaya", "Suriani",
                "Hasriani", "St.", "Marlina", "Irmawati", "Nurjannah"),
        female_second=("Nurhayati", "Rahmawati", "Hasnawati", "Syamsiah", "Ramlah", "Husna",
                       "Hafsah", "Asriani", "Mardiah", "Halijah"),
    ),
)
_UMUM = (
    NameStyle(
        male=("Andi", "Budi", "Dedi", "Hendra", "Rudi", "Yudi", "Indra", "Rizal", "Fajar",
              "Agus", "Arif", "Dony", "Ferry", "Irwan", "Rahmat", "Hadi"),
        male_second=("Saputra", "Pratama", "Kurniawan", "Setiawan", "Hidayat", "Nugroho",
                     "Firmansyah", "Ramadhan", "Gunawan", "Wijaya", "Santoso", "Hakim"),
        female=("Dewi", "Rina", "Lina", "Sari", "Maya", "Fitri", "Nur", "Indah", "Putri",
                "Wulan", "Yanti", "Rika", "Siti", "Nia"),
        female_second=("Lestari", "Anggraini", "Rahmawati", "Puspita", "Permatasari",
                       "Wahyuni", "Safitri", "Handayani", "Susanti", "Kartika", "Aminah"),
    ),
)
NAME_CULTURES: Mapping[str, tuple[NameStyle, ...]] = {
    "jawa": _JAWA, "banjar": _BANJAR, "bugis": _BUGIS, "umum": _UMUM,
}
# How neighbours speak of each other ("Pak Slamet", "Bu Tini", "Mbah Karto").
_ELDERS = {"jawa": ("Mbah",), "banjar": ("Kai", "Nini"), "bugis": ("Puang",), "umum": ()}

# Company names sound like the shops on the main road of the region.
_COMPANY_FIRST = {
    "jawa": ("Sumber", "Sido", "Karya", "Tirta", "Sinar", "Berkah", "Mitra", "Putra", "Cahaya",
             "Sekar", "Mulya", "Ngudi", "Tunas", "Gunung", "Rejo", "Sari", "Dwi", "Tri"),
    "banjar": ("Borneo", "Mahakam", "Etam", "Benua", "Tepian", "Samudra", "Banua", "Intan",
               "Karya", "Mitra", "Kaltim", "Sungai"),
    "bugis": ("Celebes", "Sinar", "Mitra", "Putra", "Karya", "Bosowa", "Tiga", "Samudra"),
    "umum": ("Karya", "Mitra", "Prima", "Multi", "Cipta", "Graha", "Bangun", "Sinar", "Cahaya",
             "Anugerah", "Surya", "Mega"),
}
_COMPANY_SECOND = ("Makmur", "Abadi", "Jaya", "Mandiri", "Sentosa", "Utama", "Lestari",
                   "Perkasa", "Sejahtera", "Kencana", "Agung", "Rejeki", "Mulia", "Prima",
                   "Sejati", "Bersama", "Gemilang", "Santosa", "Mulyo")
_COMPANY_FORMS = ("PT", "CV", "UD")
_COMPANY_WEIGHTS = (0.45, 0.85, 1.0)  # cumulative


def culture_mix(pools: Mapping[str, float]) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """A region's `name_pools` as cultures with cumulative weights; "umum" if none is set."""
    names = [n for n in sorted(pools) if n in NAME_CULTURES] or ["umum"]
    return tuple(names), tuple(accumulate(pools.get(n, 1.0) for n in names))


def culture(rng: random.Random, mix: tuple[tuple[str, ...], tuple[float, ...]]) -> str:
    """One culture of a region's mix (see `culture_mix`), by weight."""
    names, weights = mix
    return names[0] if len(names) == 1 else rng.choices(names, cum_weights=weights)[0]


def person_name(rng: random.Random, culture_name: str, female: bool, born: int) -> str:
    """A full name that a person of this culture, sex and birth year could carry."""
    styles = NAME_CULTURES.get(culture_name, _UMUM)
    if culture_name == "jawa" and born < 1965 and rng.random() < 0.4:
        return rng.choice(_JAWA_SINGLE[1 if female else 0])
    # The modern style is for the young; the old keep the older styles.
    if len(styles) > 2:
        style = styles[2] if born >= 1992 and rng.random() < 0.6 else rng.choice(styles[:2])
    else:
        style = rng.choice(styles)
    if female:
        return f"{rng.choice(style.female)} {rng.choice(style.female_second)}"
    return f"{rng.choice(style.male)} {rng.choice(style.male_second)}"


def neighbour(rng: random.Random, culture_name: str) -> str:
    """Another resident as neighbours name them: "Pak Slamet", "Bu Tini", "Mbah Karto"."""
    styles = NAME_CULTURES.get(culture_name, _UMUM)
    style = rng.choice(styles[:2])
    elders = _ELDERS.get(culture_name, ())
    if culture_name == "jawa" and rng.random() < 0.25:
        female = rng.random() < 0.5
        return f"{'Bu' if female else 'Pak'} {rng.choice(_JAWA_SINGLE[1 if female else 0])}"
    if elders and rng.random() < 0.12:
        return f"{rng.choice(elders)} {rng.choice(style.male_second)}"
    if rng.random() < 0.5:
        return f"Pak {rng.choice(style.male)}"
    return f"Bu {rng.choice(style.female)}"


def official(rng: random.Random, culture_name: str) -> str:
    """A named official as a citizen writes it: "Pak Bambang Sutrisno", "Bu Sri Wahyuni"."""
    female = rng.random() < 0.45
    name = person_name(rng, culture_name, female, rng.randint(1966, 1990))
    return f"{'Bu' if female else 'Pak'} {name}"


def company(rng: random.Random, culture_name: str) -> str:
    """A company or trading name that fits the region: "CV Sumber Rejeki", "PT Etam Jaya"."""
    form = rng.choices(_COMPANY_FORMS, cum_weights=_COMPANY_WEIGHTS)[0]
    first = rng.choice(_COMPANY_FIRST.get(culture_name, _COMPANY_FIRST["umum"]))
    second = rng.choice(_COMPANY_SECOND)
    if form == "PT" and rng.random() < 0.3:
        return f"PT {first} {second} {rng.choice(('Indonesia', 'Group', 'Persada', 'Nusantara'))}"
    return f"{form} {first} {second}"


# ------------------------------------------------------------------ money


@dataclass(frozen=True)
class AmountRange:
    """What a topic's money amounts ({jumlah}) can be, in rupiah; exact amounts are bills."""

    low: int
    high: int
    exact: bool = False


DEFAULT_AMOUNTS = AmountRange(50_000, 1_500_000)
# How people round an amount: to its unit, a half, a quarter or a tenth of it.
_STEPS = (0.3, 0.65, 0.8, 1.0)


def amount(rng: random.Random, span: AmountRange) -> int:
    """An amount a person would quote: log-uniform in the range, rounded the way people
    round (250.000, 1,25 juta, 47.500); a bill is exact to the fifty rupiah."""
    value = math.exp(rng.uniform(math.log(span.low), math.log(span.high)))
    if span.exact:
        return max(span.low, round(value / 50) * 50)
    unit = 10 ** math.floor(math.log10(value))
    step = rng.choices((unit, unit / 2, unit / 4, unit / 10), cum_weights=_STEPS)[0]
    rounded = round(value / step) * step
    if rounded < span.low or rounded > span.high:
        rounded = round(value / (unit / 10)) * (unit / 10)
    return max(1000, int(rounded))


def _dotted(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _decimal(value: float) -> str:
    """1.25 as "1,25", 2.0 as "2"."""
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def rupiah(rng: random.Random, value: int, style: str) -> str:
    """`value` written the way a writer of `style` (a register) writes money."""
    plain = f"Rp{_dotted(value)}"
    if value % 1000:
        return plain if style != "formal" else f"Rp{_dotted(value)},00"
    forms = [plain, f"Rp {_dotted(value)}"]
    if style == "formal":
        forms.append(f"Rp{_dotted(value)},00")
    elif value >= 1_000_000 and value % 10_000 == 0:
        juta = _decimal(value / 1_000_000)
        forms += ([f"{juta}jt", f"{juta} jt", f"Rp{juta} juta"] if style == "singkat"
                  else [f"Rp{juta} juta", f"{juta} juta"])
    elif value < 1_000_000:
        ribu = _decimal(value / 1000)
        forms += ([f"{ribu}rb", f"{ribu} rb", f"{ribu}k", f"Rp{ribu}rb"] if style == "singkat"
                  else [f"Rp{ribu} ribu", f"{ribu} ribu"])
    return rng.choice(forms)


# ------------------------------------------------------------------ dates and seasons

# The rainy season of most of Indonesia (Java, Kalimantan): November to April.
RAINY_MONTHS = frozenset({11, 12, 1, 2, 3, 4})
_SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov",
                 "Des")


def past_day(rng: random.Random, today: date, wet: bool = False) -> date:
    """A day before `today`: mostly within weeks, some up to three months back; a day in
    the rainy season when the story needs rain (`wet`) and one is that recent."""
    day = today
    for _ in range(4):
        roll = rng.random()
        back = (rng.randint(1, 7) if roll < 0.35 else rng.randint(8, 30) if roll < 0.75
                else rng.randint(31, 100))
        day = today - timedelta(days=back)
        if not wet or day.month in RAINY_MONTHS:
            return day
    return day


def day_text(rng: random.Random, day: date, today: date, style: str) -> str:
    """`day` as a writer of `style` writes a date, without "tanggal" (the template may say it)."""
    month, weekday = BULAN[day.month - 1], HARI[day.weekday()]
    year = f" {day.year}" if day.year != today.year or style == "formal" else ""
    if style == "formal":
        return rng.choice((f"{day.day} {month}{year}", f"{weekday}, {day.day} {month}{year}"))
    if style == "singkat":
        return rng.choice((f"{day.day}/{day.month}", f"{day.day} {_SHORT_MONTHS[day.month - 1]}",
                           f"{day.day}-{day.month}"))
    return rng.choices((f"{day.day} {month}{year}", f"{weekday} {day.day} {month}",
                        f"{day.day}/{day.month}"), cum_weights=(0.6, 0.8, 1.0))[0]


def past_month(rng: random.Random, today: date) -> int:
    """A recent month (1-12) before the month of `today`: the bill or the start of a story."""
    return (today.month - 1 - rng.randint(1, 3)) % 12 + 1


# ------------------------------------------------------------------ identifiers

MOBILE_PREFIXES = ("0811", "0812", "0813", "0821", "0822", "0852", "0853", "0857", "0877",
                   "0878", "0881", "0895", "0896", "0838", "0831", "0859")
_PLATE_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"


def pln_customer_id(rng: random.Random) -> str:
    """A PLN customer id (IDPEL): 12 digits."""
    return f"{rng.randint(1, 5)}{rng.randrange(10**10, 10**11)}"


def pdam_customer_no(rng: random.Random, zone: int) -> str:
    """A water company's customer number, by zone (the kecamatan): "03.12.04567"."""
    if rng.random() < 0.6:
        return f"{zone:02d}.{rng.randint(1, 30):02d}.{rng.randint(1, 9999):05d}"
    return f"{zone:02d}{rng.randint(1, 30):02d}{rng.randint(1, 9999):04d}"


def plate(rng: random.Random, prefix: str) -> str:
    """A number plate of the region: "AA 1234 XY" (1-4 digits, 1-3 letters)."""
    digits = rng.choices((4, 3, 2, 1), cum_weights=(0.7, 0.88, 0.96, 1.0))[0]
    number = rng.randint(10 ** (digits - 1), 10**digits - 1)
    letters = "".join(rng.choice(_PLATE_LETTERS)
                      for _ in range(rng.choices((2, 1, 3), cum_weights=(0.7, 0.9, 1.0))[0]))
    return f"{prefix} {number} {letters}".strip()


def nik(rng: random.Random, region_prefix: str, kecamatan_number: int, born: date,
        female: bool) -> str:
    """A NIK: region (4) + kecamatan (2) + birth date, +40 on the day for women (6) + 4."""
    day = born.day + (40 if female else 0)
    return (f"{region_prefix}{kecamatan_number:02d}{day:02d}{born.month:02d}"
            f"{born.year % 100:02d}{rng.randint(1, 9999):04d}")


def mobile(rng: random.Random) -> str:
    """An Indonesian mobile number: 11 to 13 digits starting 08."""
    length = rng.choices((7, 8, 9), cum_weights=(0.25, 0.85, 1.0))[0]
    return f"{rng.choice(MOBILE_PREFIXES)}{rng.randint(10 ** (length - 1), 10**length - 1)}"


# ------------------------------------------------------------------ places


@dataclass(frozen=True)
class Place:
    """One desa or kelurahan: its kind and the streets (or dusun) its reports name."""

    name: str
    desa: bool
    streets: tuple[str, ...]

    @property
    def kind(self) -> str:
        return "desa" if self.desa else "kelurahan"


# Dusun names of Javanese villages, for a region that lists none.
DUSUN = ("Krajan", "Ngasem", "Sawahan", "Karangtengah", "Plumbon", "Gondangsari", "Bendungan",
         "Kedungsari", "Ngemplak", "Tegalsari", "Sidorejo", "Jetis", "Pucung", "Kalisari",
         "Banaran", "Gumuk", "Sumberejo", "Wates", "Dukuh", "Ngrandu", "Kebonagung", "Sabrang")


def place_book(region_name: str, villages: Sequence[tuple[str, bool]], streets: Sequence[str],
               dusun: Sequence[str]) -> dict[str, Place]:
    """Every desa and kelurahan with its fixed streets: a kelurahan gets its own share of
    the region's streets (none named in two kelurahan while there are enough), a desa the
    roads of its dusun ("Jl. Dusun Krajan") and the village road ("Jl. Raya Ngampel").
    The same region gives the same book on every machine."""
    rng = random.Random(f"tempat:{region_name}")  # noqa: S311 - a simulation
    pool = list(streets)
    rng.shuffle(pool)
    towns = [name for name, is_desa in villages if not is_desa]
    per_town = max(2, len(pool) // max(1, len(towns))) if pool else 0
    book: dict[str, Place] = {}
    for index, name in enumerate(towns):
        if pool:
            start = (index * per_town) % len(pool)
            own = [pool[(start + i) % len(pool)] for i in range(min(per_town, 5, len(pool)))]
        else:
            own = [f"Jl. {name}"]
        book[name] = Place(name, False, tuple(own))
    names = list(dusun) or list(DUSUN)
    for name, is_desa in villages:
        if is_desa:
            own = rng.sample(names, min(len(names), rng.randint(2, 4)))
            book[name] = Place(name, True, (*(f"Jl. Dusun {d}" for d in own), f"Jl. Raya {name}"))
    return book
