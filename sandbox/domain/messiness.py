"""Messier texts on purpose, by seed: typos, shorthand, missing punctuation, caps, emoji.

A scenario sets how messy its reports are (`[teks] berantakan`, 0 = clean, 1 = very
messy); each report's own level also depends on its register (a letter is tidier than a
chat message), its channel and the writer (some people are careful, some are not).

The rule this module owns: messiness never touches what the trainee needs to decide.
Words with a capital or a digit (PDAM, SMA, RT 003, Rp150.000), the values filled into
the template (places, schools, names, identifiers), the topic's own title words and the
routing vocabulary in `KEY_WORDS` are never misspelt or shortened, so a messy report
still says what, where and who. Only case (caps lock, a lower-case start) may change.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Collection, Mapping

from sandbox.domain.voice import Register

DEFAULT_MESSINESS = 0.35
# Below this level a report would show next to no mess: it is left as written.
NOTICEABLE = 0.02

F, S, B, M, K = (Register.FORMAL, Register.SOPAN, Register.BIASA, Register.MARAH,
                 Register.SINGKAT)
# How much of the scenario's messiness each register shows.
REGISTER_MESS: Mapping[Register, float] = {F: 0.25, S: 0.6, B: 0.8, M: 1.0, K: 1.0}
# How readily each register shortens words ("yang" → "yg").
REGISTER_SHORTHAND: Mapping[Register, float] = {F: 0.0, S: 0.25, B: 0.5, M: 0.5, K: 1.0}

# The words that tell a trainee where a report goes: never misspelt or shortened.
_KEY_WORDS = """
air pdam pln listrik token meteran meter kwh tiang kabel gardu padam
jalan jln nasional provinsi kabupaten kota desa dusun kelurahan kecamatan lintas marka kuning
jembatan tanggul sungai drainase selokan got saluran banjir longsor
sd smp sma smk slb paud tk mi mts ma ra madrasah sekolah guru murid siswa ijazah bos spmb ppdb
komite lks pesantren kampus
puskesmas pustu rsud rumah sakit bidan dokter obat bpjs kis pbi posyandu imunisasi jamban bab
stbm tinja septik septic iplt ipal sedot limbah sampah tps tpa dlh
ktp kk akta nik disdukcapil dukcapil paspor imigrasi
stnk samsat pajak pbb bphtb sppt npwp retribusi sim skck polres polsek polisi kir
sertifikat sertipikat tanah ptsl bpn
bansos pkh bpnt blt dtks dtsen bantuan dinsos lansia
pungli pungutan calo suap sogok
izin pbg nib imb oss dpmptsp umkm
pkl satpol trotoar reklame parkir terminal angkot angkutan halte lampu
pasar kios los
phk thr upah umk pesangon pekerja buruh perusahaan pabrik
pamsimas sumur
narkoba preman pinjol
"""
KEY_WORDS = frozenset(_KEY_WORDS.split())

ABBREVIATIONS: Mapping[str, tuple[str, ...]] = {
    "yang": ("yg",), "tidak": ("tdk", "gak", "ga", "nggak"), "sudah": ("sdh", "udh", "udah"),
    "belum": ("blm",), "dengan": ("dgn", "dg"), "untuk": ("utk", "buat"),
    "karena": ("krn", "soalnya"), "sampai": ("smp", "sampe"), "tolong": ("tlg",),
    "bagaimana": ("gmn", "gimana"), "bapak": ("bpk",), "saya": ("sy",), "juga": ("jg",),
    "lagi": ("lg",), "dari": ("dr",), "kalau": ("klo", "kalo", "kl"), "hari": ("hr",),
    "bulan": ("bln",), "sama": ("sm",), "banyak": ("byk",), "mohon": ("mhn",),
    "segera": ("sgr",), "sekarang": ("skrg",), "kemarin": ("kmrn", "kemaren"),
    "tanggal": ("tgl",), "orang": ("org",), "kapan": ("kpn",), "bisa": ("bs",),
    "harus": ("hrs",), "warga": ("wrg",), "tetapi": ("tapi", "tp"), "tapi": ("tp",),
    "padahal": ("pdhl",), "saja": ("aja",), "minta": ("mnt",), "terus": ("trs",),
    "begini": ("gini",), "begitu": ("gitu",), "seperti": ("kayak", "kyk"),
    "sebelum": ("sblm",), "setelah": ("stlh",), "informasi": ("info",), "cepat": ("cpt",),
}
# Phrases written shorter: (a needle to look for first, the pattern, its short forms).
_PHRASES: tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...] = (
    ("erima kasih", re.compile(r"[Tt]erima kasih\b"),
     ("makasih", "trims", "tks", "terimakasih", "mksh")),
    ("sangat ", re.compile(r"sangat (\w+)"), (r"\1 bgt", r"\1 banget")),
)
# What a phone keyboard's autocorrect makes of a word: another real word.
AUTOCORRECT: Mapping[str, str] = {"lagi": "lagu", "bisa": "bias", "kapan": "kapal",
                                  "segera": "segar", "kalau": "kalah", "tapi": "tali",
                                  "dicek": "dicet", "jadi": "jari", "semua": "semut"}
EMOJI: Mapping[Register, tuple[str, ...]] = {
    S: ("🙏", "🙏🙏", "🙏🏻"), B: ("🙏", "😔", "😓"), M: ("😡", "😤", "🤬", "😠😠"),
    K: ("🙏", "😭", "😩", "🙏🙏🙏", "😢"), F: (),
}
_KEYS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEAR = {c: row[i - 1: i] + row[i + 1: i + 2] for row in _KEYS for i, c in enumerate(row)}
# Patterns with a literal first character: Python's re scans for it quickly, where a
# leading \b or lookbehind makes it try every position.
_PERIOD = re.compile(r"\.(?=\s|$)")
_COMMA = re.compile(r",(?=\s)")
_START = re.compile(r"[.!?]\s+[A-Z][a-z]+")
_SENTENCE_END = re.compile(r"[.!?]\s")
_LAST_WORD = re.compile(r"([a-z]{3,})([.!?]*)$")
_TRAILING = ".,!?:;)\"'"
# The tokens (a word, or a word and the punctuation after it) that may be shortened or
# autocorrected: found with one set lookup each.
_SHORTENABLE = frozenset(w + end for w in ABBREVIATIONS for end in ("", ",", ".", "?", "!"))
_CORRECTABLE = frozenset(w + end for w in AUTOCORRECT for end in ("", ",", ".", "?", "!"))


# The share of writers who write cleanly whatever the scenario's rate.
CAREFUL_WRITERS = 0.3


def level(rate: float, register: Register, channel_mess: float, rng: random.Random) -> float:
    """How messy one report is (0-1): the scenario's rate for this register and channel,
    scaled by how careful this writer is (some are careful: their reports are clean)."""
    if rate <= 0:
        return 0.0
    care = rng.random()
    if care < CAREFUL_WRITERS:
        return 0.0
    # The rest scale the rate from half to twice (uniform over the remaining draw).
    factor = 0.5 + 1.5 * (care - CAREFUL_WRITERS) / (1 - CAREFUL_WRITERS)
    return min(1.0, rate * REGISTER_MESS[register] * channel_mess * factor)


def _typo(word: str, rng: random.Random) -> str:
    """One slip of the finger, never on the first letter."""
    i = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.35 and word[i] != word[i + 1]:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind < 0.6:
        return word[:i] + word[i + 1:]
    if kind < 0.8:
        return word[:i] + word[i] + word[i:]
    near = _NEAR.get(word[i])
    if not near:  # not a letter of the keyboard's rows: drop it instead
        return word[:i] + word[i + 1:]
    return word[:i] + rng.choice(near) + word[i + 1:]


def _count(rng: random.Random, expected: float) -> int:
    """How many of a rare thing happen, for `expected` of them on average (Poisson)."""
    count, limit, product = 0, math.exp(-expected), rng.random()
    while product > limit and count < 20:
        count += 1
        product *= rng.random()
    return count


def roughen(text: str, rng: random.Random, amount: float, register: Register,
            keep: Collection[str], emoji: bool = True) -> tuple[str, frozenset[str]]:
    """`text` made as messy as `amount` (0-1) says, with the kinds of mess applied; words
    in `keep` (lower case), in KEY_WORDS or with a capital or digit stay as written."""
    if amount < NOTICEABLE:
        return text, frozenset()
    done: set[str] = set()
    shorthand = amount * REGISTER_SHORTHAND[register]
    p_short = 0.6 * shorthand
    if shorthand:
        for needle, pattern, forms in _PHRASES:
            if needle in text and rng.random() < p_short:
                text = pattern.sub(rng.choice(forms), text, count=1)
                done.add("singkatan")
    tokens = text.split(" ")
    if shorthand:
        habit: dict[str, str] = {}  # a writer shortens a word the same way each time
        for i in [i for i, token in enumerate(tokens) if token in _SHORTENABLE]:
            word = tokens[i].rstrip(_TRAILING)
            if word not in keep and rng.random() < p_short:
                form = habit.setdefault(word, rng.choice(ABBREVIATIONS[word]))
                tokens[i] = form + tokens[i][len(word):]
                done.add("singkatan")
    if rng.random() < 0.3 * amount:
        found = [i for i, token in enumerate(tokens)
                 if token in _CORRECTABLE and token.rstrip(_TRAILING) not in keep]
        if found:
            i = rng.choice(found)
            word = tokens[i].rstrip(_TRAILING)
            tokens[i] = AUTOCORRECT[word] + tokens[i][len(word):]
            done.add("autokoreksi")
    typos = _count(rng, 0.06 * amount * len(tokens))
    if typos:
        # A plain lower-case word of four letters or more, not one to keep.
        found = [i for i, token in enumerate(tokens)
                 if len(token) > 3 and token.isalpha() and token.islower()
                 and token not in KEY_WORDS and token not in keep]
        for i in rng.sample(found, min(typos, len(found))):
            tokens[i] = _typo(tokens[i], rng)
            done.add("salah_ketik")
    text = " ".join(tokens)
    before = text
    if register is not F and rng.random() < 0.5 * amount:
        text = _COMMA.sub("", text)
    if rng.random() < 0.4 * amount:
        text = _PERIOD.sub(lambda m: _full_stop(m, rng), text)
    if text != before:
        done.add("tanda_baca")
    if register in (B, K, M) and rng.random() < 0.6 * amount:
        lowered = _lower_starts(text, keep)
        if lowered != text:
            text = lowered
            done.add("huruf_kecil")
    if register in (M, K) and rng.random() < 0.5 * amount:
        head, tail = text[:-40], text[-40:].rstrip()
        stretched = _LAST_WORD.sub(lambda m: m.group() if m.group(1) in keep
                                   or m.group(1) in KEY_WORDS
                                   or (m.start() and tail[m.start() - 1].isalpha()) else
            m.group(1) + m.group(1)[-1] * rng.randint(2, 4) + m.group(2), tail, count=1)
        if stretched != tail:
            text = head + stretched
            done.add("huruf_ganda")
    if rng.random() < (0.3 if register is M else 0.05) * amount:
        text = text.upper()
        done.add("kapital")
    if emoji and EMOJI[register] and rng.random() < 0.6 * amount:
        mark = rng.choice(EMOJI[register])
        inside = _sentence_end(text) if rng.random() < 0.3 else -1
        text = (f"{text[:inside]} {mark}{text[inside:]}" if inside > 0
                else f"{text.rstrip()} {mark}")
        done.add("emoji")
    return text, frozenset(done)


def _full_stop(match: re.Match[str], rng: random.Random) -> str:
    """A full stop left out now and then, but only after an ordinary word: "Jl." and
    "Kec." keep theirs."""
    before = match.string[max(0, match.start() - 4):match.start()]
    if len(before) == 4 and before.isalpha() and before.islower() and rng.random() < 0.6:
        return ""
    return "."


def _lower_starts(text: str, keep: Collection[str]) -> str:
    """`text` with its sentences starting in lower case, but not a kept word."""

    def lower(match: re.Match[str]) -> str:
        found = match.group()
        word = found.lstrip(".!? \n")
        if word.lower() in keep:
            return found
        return found[: len(found) - len(word)] + word.lower()

    first = text.split(" ", 1)[0]
    if first[:1].isupper() and first[1:].isalpha() and first[1:].islower() \
            and first.lower() not in keep:
        text = text[0].lower() + text[1:]
    return _START.sub(lower, text)


def _sentence_end(text: str) -> int:
    """The position just after the first sentence that ends after an ordinary word."""
    for match in _SENTENCE_END.finditer(text):
        before = text[max(0, match.start() - 3):match.start()]
        if before.isalpha() and before.islower():
            return match.start() + 1
    return -1
