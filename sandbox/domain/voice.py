"""Who writes a report and how it reaches LAPOR!: register, channel wrapper, officer's note.

The rule this module owns: a report's voice agrees with its channel. An SMS or a public
post is short and informal; the web form takes letters as well as short notes; a phone
call or a walk-in is written by an officer in the third person ("Pelapor menyampaikan
bahwa ..."), never in chat shorthand; a post on social media mentions @lapor1708 and now
and then tags other accounts. One register (letter, polite, plain, angry, shorthand) is
chosen per report from the channel and the reporter's age, and the whole report keeps it.

Which registers fit which channel, and the words of greetings, tags and officers' notes,
are data below (LAPOR.md does not document them; they are our reading of real inboxes).
"""

from __future__ import annotations

import random
import re
from bisect import bisect
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from itertools import accumulate


class Register(StrEnum):
    """How a reporter writes; one per report."""

    FORMAL = "formal"  # a letter: «Dengan hormat», problem → impact → request
    SOPAN = "sopan"  # polite: a greeting, «mohon maaf», «terima kasih»
    BIASA = "biasa"  # plain sentences
    MARAH = "marah"  # angry: «!!», rhetorical questions
    SINGKAT = "singkat"  # chat shorthand: «tlg», «udh», «gk»


_SHORTHAND = re.compile(
    r"\b(tlg|gmn|bgt|udh|udah|sdh|blm|dr|yg|gk|ga|gak|kpn|trs|jg|lg|sy|sm|pdhl|klo|kl|dgn|utk"
    r"|krn|mhn|smp|hr|bln|tdk|cm|aja|tp|bs|mnt|mnta|ksh|sblm|skrg|kmrn|bnr|pk|bu2|psg|jd"
    r"|gt|sdg|blg|dpt|lwt|jln|sklh|wrg|nggak|ngga|dah|gitu|gini|lgsg|rmh|mlm|dtg|pd|sgt|bbrp"
    r"|org|tmpt|bgmn|sampe|pls|gpp|kak|lho|deh|dong|kok)\b")
_GREETING = re.compile(r"^(Selamat (pagi|siang|sore|malam)|Assalamu|Mohon maaf|Mohon izin|"
                       r"Permisi|Punten|Halo|Bapak/Ibu|Maaf)", re.IGNORECASE)


@lru_cache(maxsize=4096)
def classify(template: str) -> Register:
    """The register a catalogue template is written in, read from its words."""
    text = template.strip()
    if text.startswith(("Dengan hormat", "Yth", "Kepada Yth")) or "bertanda tangan" in text:
        return Register.FORMAL
    if re.search(r"!!|\?!|!\?|\?\?", text) or text.count("!") >= 2:
        return Register.MARAH
    # Shorthand before politeness: "assalamualaikum, rmh sy ..." is a chat message.
    if len(_SHORTHAND.findall(text.lower())) >= 2 or text[:1].islower():
        return Register.SINGKAT
    if _GREETING.match(text):
        return Register.SOPAN
    return Register.BIASA


# ------------------------------------------------------------------ channels


@dataclass(frozen=True)
class ChannelVoice:
    """How one channel carries a report."""

    registers: Mapping[Register, float]  # relative chance of each register
    officer: bool = False  # typed in by an officer, in the third person
    short: bool = False  # prefers the shorter texts (an SMS, a public post)
    long: bool = False  # prefers the longer texts (the web form has room)
    mess: float = 1.0  # how much of the scenario's messiness this channel shows
    emoji: bool = True


F, S, B, M, K = (Register.FORMAL, Register.SOPAN, Register.BIASA, Register.MARAH,
                 Register.SINGKAT)
_OFFICER = ChannelVoice({F: 0.2, S: 0.35, B: 0.45}, officer=True, mess=0.1, emoji=False)
CHANNEL_VOICES: Mapping[str, ChannelVoice] = {
    "web": ChannelVoice({F: 0.4, S: 0.25, B: 0.17, M: 0.12, K: 0.06}, long=True, mess=0.7),
    "aplikasi": ChannelVoice({F: 0.08, S: 0.25, B: 0.3, M: 0.15, K: 0.22}),
    "sms": ChannelVoice({K: 0.55, B: 0.25, M: 0.12, S: 0.08}, short=True, mess=1.2),
    "medsos": ChannelVoice({M: 0.35, K: 0.3, B: 0.25, S: 0.1}, short=True, mess=1.2),
    "telepon": _OFFICER,
    "langsung": _OFFICER,
}
PLAIN_CHANNEL = ChannelVoice({F: 0.2, S: 0.2, B: 0.2, M: 0.2, K: 0.2})

# The young write shorthand more and letters less; the old the other way round.
AGE_FACTORS: Mapping[str, Mapping[Register, float]] = {
    "muda": {K: 1.8, F: 0.5, M: 1.2},
    "dewasa": {},
    "tua": {K: 0.3, F: 1.5, S: 1.5, M: 0.8},
}


def age_group(age: int) -> str:
    """"muda" under 30, "tua" from 55, else "dewasa"."""
    return "muda" if age < 30 else "tua" if age >= 55 else "dewasa"


AGES = {"muda": 20, "dewasa": 40, "tua": 60}  # an age in each group


def register_weights(channel: str, age: int, available: Collection[Register]
                     ) -> tuple[tuple[Register, ...], tuple[float, ...]]:
    """The registers a report may take, among those its topic has, with cumulative weights
    by channel and the reporter's age."""
    options = tuple(r for r in Register if r in available)
    voice = CHANNEL_VOICES.get(channel, PLAIN_CHANNEL)
    factors = AGE_FACTORS[age_group(age)]
    weights = [voice.registers.get(r, 0.0) * factors.get(r, 1.0) for r in options]
    if not any(weights):  # the topic has no text this channel would carry: take what it has
        weights = [1.0] * len(options)
    return options, tuple(accumulate(weights))


def pick_register(rng: random.Random, channel: str, age: int,
                  available: Collection[Register]) -> Register:
    """The register of one report: by channel and age, among those the topic has."""
    options, weights = register_weights(channel, age, available)
    return options[bisect(weights, rng.random() * weights[-1], 0, len(options) - 1)]


# ------------------------------------------------------------------ regional words


@dataclass(frozen=True)
class Regional:
    """Phrases of a regional language that reporters mix in, by register."""

    openings: Mapping[Register, tuple[str, ...]] = field(default_factory=dict)
    closings: Mapping[Register, tuple[str, ...]] = field(default_factory=dict)


REGIONAL: Mapping[str, Regional] = {
    "jawa": Regional(
        openings={S: ("Nuwun sewu,", "Nyuwun sewu Bapak/Ibu,", "Sugeng enjing,"),
                  B: ("Nuwun sewu,",), K: ("lur,", "nuwun sewu,")},
        closings={S: ("Matur nuwun.", "Matur suwun.", "Nyuwun tulung dibantu nggih."),
                  B: ("Matur nuwun.", "Suwun."), K: ("suwun", "matur nuwun", "tulung nggih"),
                  M: ("Piye iki?!", "Ra ono sing ngurus blas!", "Sing tanggung jawab sopo?!")},
    ),
    "banjar": Regional(
        closings={S: ("Makasih banyak lah.",), B: ("Tolong pang ditindaklanjuti.",),
                  K: ("tolong pang", "makasih pang"),
                  M: ("Kaya apa ini?!", "Kada ada yang peduli kah?!")},
    ),
}
# The chance that a report of each register mixes in the regional language.
REGIONAL_SHARE: Mapping[Register, float] = {S: 0.15, B: 0.1, K: 0.18, M: 0.12, F: 0.0}


# ------------------------------------------------------------------ addressing and tags


def addressee(rng: random.Random, channel: str, register: Register, region_kind: str) -> str:
    """How a reporter opens to the government, if at all: "Pak Bupati, ", "Min, "."""
    head = "Bupati" if region_kind == "kabupaten" else "Wali"
    roll = rng.random()
    if channel == "medsos" and register is not F:
        if roll < 0.35:
            return rng.choice(("Min, ", "Min ", "Halo min, ", "Mimin, ", "Admin, "))
        return f"Pak {head}, " if roll < 0.45 else ""
    if channel in ("aplikasi", "sms") and register in (K, B) and roll < 0.12:
        return rng.choice(("Min, ", "Pak, ", f"Pak {head}, "))
    if register in (M, B) and roll < 0.1:
        return rng.choice((f"Pak {head}, ", f"Pak {head} yth, ", "Bapak/Ibu, "))
    return ""


def handles(region_kind: str, short: str) -> tuple[str, ...]:
    """Accounts a citizen tags besides @lapor1708: the Pemda, its head, a local news page."""
    slug = re.sub(r"[^a-z0-9]", "", short.lower())
    if region_kind == "kota":
        return (f"@pemkot{slug}", f"@walikota{slug}", f"@humaspemkot{slug}", f"@info{slug}",
                f"@{slug}terkini")
    return (f"@pemkab{slug}", f"@bupati{slug}", f"@humaspemkab{slug}", f"@info{slug}",
            f"@{slug}update")


def social_post(rng: random.Random, body: str, tags: Sequence[str]) -> tuple[str, bool]:
    """A public post: @lapor1708 in front or behind, sometimes other accounts tagged and a
    hashtag; the flag says whether other accounts were tagged."""
    extra: list[str] = []
    if rng.random() < 0.4:
        extra = rng.sample(list(tags), rng.choice((1, 1, 2)))
    roll = rng.random()
    if roll < 0.45:
        text = f"@lapor1708 {' '.join(extra) + ' ' if extra else ''}{body}"
    elif roll < 0.85:
        text = f"{body} @lapor1708{' ' + ' '.join(extra) if extra else ''}"
    else:
        text = f"{body} {' '.join(extra) + ' ' if extra else ''}#lapor1708"
    return text, bool(extra)


PHOTO_NOTES: Mapping[Register, tuple[str, ...]] = {
    F: ("Foto kondisi di lokasi terlampir.", "Sebagai bukti, foto kondisi terlampir."),
    S: ("Foto terlampir.", "Fotonya saya lampirkan.", "(foto terlampir)"),
    B: ("Foto terlampir.", "(foto terlampir)", "Ini fotonya."),
    M: ("Lihat sendiri fotonya!", "Foto terlampir!"),
    K: ("foto terlampir", "fotonya sy lampirin", "ni fotonya"),
}


# ------------------------------------------------------------------ the officer's note

TELEPON_HEADERS = (
    "Laporan diterima melalui telepon pada {hari}, {tanggal} pukul {jam}. ",
    "Via telepon, dicatat petugas pukul {jam}. ",
    "Telepon masuk ke layanan pengaduan pukul {jam}. ",
    "Pengaduan melalui telepon. ",
    "Catatan telepon {hari}, {tanggal}, pukul {jam}: ",
    "Hasil komunikasi via telepon dengan pelapor: ",
    "",
)
LANGSUNG_HEADERS = (
    "Pelapor datang langsung ke loket pengaduan pada {hari}, {tanggal} pukul {jam}. ",
    "Pengaduan langsung di loket (formulir manual). ",
    "Hasil pencatatan petugas loket pengaduan: ",
    "Pelapor hadir di kantor pukul {jam}. ",
    "Catatan pengaduan tatap muka, {hari} {tanggal}: ",
    "Pelapor menyampaikan pengaduan secara langsung kepada petugas. ",
)
OFFICER_INTROS = ("Pelapor menyampaikan bahwa ", "Pelapor mengadukan bahwa ",
                  "Pelapor melaporkan bahwa ", "Menurut keterangan pelapor, ",
                  "Pelapor, warga {tempat}, menyampaikan bahwa ",
                  "Pelapor (warga {tempat}) mengeluhkan bahwa ", "Disampaikan bahwa ")
OFFICER_ENDINGS = ("", "", "", "", "Pelapor bersedia dihubungi kembali bila diperlukan.",
                   "Pelapor meminta laporan ini diteruskan kepada instansi terkait.",
                   "Demikian dicatat sesuai keterangan pelapor.",
                   "Pelapor siap memberi keterangan tambahan.",
                   "Pelapor berharap segera ada tindak lanjut.",
                   "Kontak pelapor tercatat pada formulir.",
                   "Dicatat oleh petugas piket pengaduan.")
OFFICER_PHOTO = ("Pelapor menunjukkan foto kondisi di lokasi (terlampir).",
                 "Foto dari pelapor dilampirkan.", "Pelapor membawa foto, sudah dipindai.")

# Greetings and closings an officer leaves out.
_OPENING = re.compile(
    r"^\s*(Dengan hormat|Yth\.?[^.,]*|Kepada Yth\.?[^.,]*|Selamat (pagi|siang|sore|malam)"
    r"( Bapak/Ibu| Pak| Bu)?|Assalamu'?alaikum( wr\.? ?wb\.?)?|Mohon maaf( sebelumnya"
    r"| mengganggu)?|Maaf|Permisi|Mohon izin( bertanya dan melapor| bertanya)?|Halo"
    r"|Bapak/Ibu|Mohon (info(rmasi)?|bantuan|perhatian|dibantu|izin|dipertimbangkan)(nya)?"
    r"( dan (info(rmasi)?|bantuan)(nya)?)?(?=,))\s*[,.!]?\s*", re.IGNORECASE)
# Thanks and blessings an officer leaves out, wherever they stand in a sentence.
_THANKS = re.compile(r"(,\s*|\s+)?\b(terima ?kasih|atas perhatian|wassalam)[^.?!]*",
                     re.IGNORECASE)
_SENTENCE_GAP = re.compile(r"[.?!] +(?=\S)")
# Abbreviations whose full stop does not end a sentence ("Jl. Bhayangkara").
_ABBREVIATED = re.compile(r"(\b(Jl|Gg|No|Kec|Kel|Ds|Dr|dr|Muh|St|Hj|H|Ir|Drs|Rp)|[A-Z]\.[A-Z])\.$")
_GROUPS = (r"(para|beberapa|pengurus|kelompok|paguyuban|pedagang|orang tua|karyawan|pekerja"
           r"|guru|petani|nelayan|pelanggan)\b")
_ROLES = (r"(pelanggan|warga|orang tua|wali|guru|pemilik|pedagang|pekerja|karyawan|mantan"
          r"|calon|pembeli|lansia|pasien|pelaku|peserta|ibu|bapak|istri|suami|anak|petani|sopir"
          r"|pengemudi|pengendara|mahasiswa|siswa|ketua|pengurus|lulusan|buruh)\b")
# First person to third person, in order (the longest phrases first). Each rule has a
# needle: a rule whose needle is not in the text is skipped (most are, and a regex pass
# over a letter costs more than the search for a word).
_PERSON: tuple[tuple[str, re.Pattern[str], str], ...] = tuple(
    (needle, re.compile(pattern), replacement)
    for needle, patterns, replacement in (
        ("bertanda", ("Saya yang bertanda tangan di bawah ini,?",
                      "saya yang bertanda tangan di bawah ini,?"), "Pelapor"),
        ("ohon ", ("Mohon (nama|identitas) (saya|kami) (dirahasiakan|tidak disebut(kan)?|dijaga)",
                   "mohon (nama|identitas) (saya|kami) (dirahasiakan|tidak disebut(kan)?"
                   "|dijaga)"), "Pelapor meminta identitasnya dirahasiakan"),
        ("ami", (r"Kami,? warga\b", r"kami,? warga\b"), "Pelapor bersama warga"),
        ("ami", (f"Kami {_GROUPS}", f"kami {_GROUPS}"), r"Pelapor bersama \1"),
        # "Saya pelanggan ..." at the start of a sentence says who the reporter is ("anak
        # saya lulusan ..." does not).
        ("aya", (f"^[Ss]aya {_ROLES}", f"(?<=[.!?] )[Ss]aya {_ROLES}"), r"Pelapor adalah \1"),
        ("saya", ("saya (beli|bayar|lampirkan|laporkan|sampaikan|kirim|terima|tanyakan|urus"
                  r"|cek|rekam|ajukan|serahkan|lunasi|alami)\b",), r"di\1 pelapor"),
        ("ingin ", ("ingin (melaporkan|menyampaikan|menanyakan|mengusulkan|mengadukan"
                    r"|melapor|bertanya)\b",), r"\1"),
        ("mau ", ("mau (melaporkan|menyampaikan|menanyakan|mengusulkan|mengadukan|melapor"
                  r"|bertanya)\b",), r"\1"),
        ("wilayah kami", (r"wilayah kami\b",), "wilayah tersebut"),
        ("!", ("(?<!LAPOR)!+",), "."), ("??", (r"\?\?+",), "?"), ("..", (r"\.\.+",), "."),
    )
    for pattern in patterns)
# Chat shorthand an officer writes out in full (should a chat message ever be taken down).
_WRITTEN_OUT = {
    "sy": "saya", "tlg": "tolong", "udh": "sudah", "udah": "sudah", "sdh": "sudah",
    "blm": "belum", "gk": "tidak", "ga": "tidak", "gak": "tidak", "tdk": "tidak",
    "yg": "yang", "dr": "dari", "kl": "kalau", "klo": "kalau", "krn": "karena",
    "utk": "untuk", "dgn": "dengan", "jg": "juga", "lg": "lagi", "trs": "terus",
    "smp": "sampai", "gmn": "bagaimana", "kpn": "kapan", "rmh": "rumah", "dpt": "dapat",
    "smua": "semua", "bgt": "sekali", "pdhl": "padahal", "mhn": "mohon", "skrg": "sekarang",
    "kmrn": "kemarin", "hr": "hari", "bln": "bulan", "tp": "tetapi", "cm": "cuma",
    "bs": "bisa", "org": "orang", "byk": "banyak", "sblm": "sebelum", "mlm": "malam",
    "dtg": "datang", "lwt": "lewat", "jln": "jalan", "sklh": "sekolah", "wrg": "warga",
    "trmksh": "terima kasih", "tks": "terima kasih", "makasih": "terima kasih",
}
# Never inside a {slot} of a template ("{smp}" is a school, not "sampai").
_SHORT_WORD = re.compile(r"(?<!\{)\b(" + "|".join(sorted(_WRITTEN_OUT, key=len, reverse=True))
                         + r")\b(?!\})")
_FIRST_PERSON = re.compile(r"(?:Sa|sa|Ka|ka)(?:ya|mi)\b")
_THIRD_PERSON = {"Saya": "Pelapor", "saya": "pelapor", "Kami": "Pelapor", "kami": "pelapor"}


def _third(match: re.Match[str]) -> str:
    """"saya"/"kami" as "pelapor", where it is a word of its own (not "Sakami")."""
    found = match.group()
    start = match.start()
    if found not in _THIRD_PERSON or (start and match.string[start - 1].isalpha()):
        return found
    return _THIRD_PERSON[found]
_QUESTION = re.compile(r"\b(apakah|berapa|bagaimana|kapan|di mana|mengapa|kenapa|siapa|apa"
                       r"|mana)\b", re.IGNORECASE)
_ASK = re.compile(r"^(Mau tanya|Pelapor (mau )?(tanya|bertanya)|Mohon info(rmasi)?),?\s*",
                  re.IGNORECASE)
# What a spoken question ends with that an officer leaves out: "..., ya pak/bu?"
_TAG_ENDING = re.compile(r",?(\s+(ya|kah|sih))?(\s+(pak|bu|pak/bu|bapak/ibu|min))?$",
                         re.IGNORECASE)
_VERB = re.compile(r"\b(me|ber)[a-z]{3,}")
_PLEA = re.compile(r"^(Mohon|Tolong|Warga mohon|Pelapor mohon)\s+")


def _decap(text: str) -> str:
    """`text` with its first word in lower case when it is an ordinary capitalised word."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first[0].isupper() and first[1:].islower() and first.isalpha():
        return text[0].lower() + text[1:]
    return text


def _sentences(text: str) -> list[str]:
    """`text` cut into sentences, but not after "Jl." or "K.H."."""
    found, begin = [], 0
    for gap in _SENTENCE_GAP.finditer(text):
        end = gap.start() + 1
        if not _ABBREVIATED.search(text[max(begin, end - 6):end]):
            found.append(text[begin:end])
            begin = gap.end()
    found.append(text[begin:])
    return found


def _officer_sentence(sentence: str) -> str:
    sentence = sentence.strip()
    if sentence.startswith("Pelapor bersama warga") and \
            not _VERB.search(sentence.removeprefix("Pelapor bersama warga")):
        # "Kami warga RT 3 Kalisoro." says who the reporter is, not what they did.
        sentence = "Pelapor adalah warga" + sentence.removeprefix("Pelapor bersama warga")
    if sentence.endswith("?"):
        asked = _ASK.sub("", sentence).rstrip("?").strip()
        asked = _TAG_ENDING.sub("", asked)
        if not asked:
            return ""
        if _QUESTION.search(asked):
            return f"Pelapor menanyakan {_decap(asked)}."
        return f"Pelapor menanyakan apakah {_decap(asked)}."
    plea = _PLEA.match(sentence)
    if plea:
        rest = sentence[plea.end():]
        glue = "agar " if rest.startswith(("di", "segera", "se", "ada")) else ""
        return f"Pelapor memohon {glue}{rest}"
    return sentence


@lru_cache(maxsize=4096)
def third_person(body: str) -> str:
    """The reporter's words as an officer writes them down: no greeting or thanks, the
    reporter as "pelapor", questions and requests reported ("Pelapor menanyakan ...").
    Works as well on a template, before its {slots} are filled (and is cached)."""
    text = _SHORT_WORD.sub(lambda m: _WRITTEN_OUT[m.group()], body.strip())
    previous = None
    while previous != text:
        previous = text
        text = _OPENING.sub("", text, count=1)
    for needle, pattern, replacement in _PERSON:
        if needle in text:
            text = pattern.sub(replacement, text)
    text = _FIRST_PERSON.sub(_third, text)
    sentences = [s for s in (_THANKS.sub("", s).strip() for s in _sentences(text))
                 if s.strip(" .,!?")]
    written = [_officer_sentence(s) for s in sentences]
    written = [s for s in written if s]
    if not written:
        return ""
    if written[-1][-1] not in ".?":
        written[-1] += "."
    text = " ".join(written)
    return text[0].upper() + text[1:]


def officer_header(rng: random.Random, channel: str, fill: Callable[[str], str]) -> str:
    """How an officer opens the note of a phone call or a walk-in ("Via telepon, ...")."""
    return fill(rng.choice(LANGSUNG_HEADERS if channel == "langsung" else TELEPON_HEADERS))


def officer_note(rng: random.Random, channel: str, reported: str, fill: Callable[[str], str],
                 photo: bool, place_known: bool = True) -> str:
    """A phone call or a walk-in as the officer typed it into the manual form, around what
    the reporter said in the third person (`third_person`); `fill` puts the time and place
    into the header. Where the report lacks its place (`place_known` false: the admin must
    ask for it), the officer does not add it either."""
    header = officer_header(rng, channel, fill)
    if not reported.startswith(("Pelapor", "Warga")):
        intros = OFFICER_INTROS if place_known else [
            i for i in OFFICER_INTROS if "{tempat}" not in i]
        reported = fill(rng.choice(intros)) + _decap(reported)
    parts = [header + reported]
    if photo and channel == "langsung" and "foto" not in reported.lower():
        parts.append(rng.choice(OFFICER_PHOTO))
    ending = rng.choice(OFFICER_ENDINGS)
    if ending:
        parts.append(ending)
    return " ".join(parts)
