"""The TL judge: is a tindak lanjut concrete, what its checklist says, what share it earns.

A TL is *concrete* when one of its sentences names an action on the reported problem
(the road was patched, the rubbish carted away, the KTP-el printed, the officer warned)
that was taken or is scheduled, with a checkable detail: when (a date, a day, a clock
time, a deadline), where (a named street, RT/RW, village, school...) or by whom (a named
unit, team or officer). A scheduled action needs a when. Receiving, forwarding,
processing, coordinating, studying or promising to follow up are no actions, whatever
date or unit comes with them (LAPOR.md §6: "promises with no content").

Scoring's TL-quality points, the simulated reporter and `lapor-sandbox tl-check` all ask
`assess_tl` / `judge_tl`, so the trainee, the reporter and the facilitator hear one verdict.
A TL that is not concrete earns at most `VAGUE_CAP` of the quality points, whatever
greeting or "akan" it contains, and stock phrases are named as what to avoid.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sandbox.domain.identity import NAME, personal_data_in

# The most a TL that names no concrete action earns of its quality points: its checklist
# share is multiplied by this.
VAGUE_CAP = 0.25
TL_MIN, TL_MAX = 150, 1500  # defaults of ScoringSettings.tl_min / tl_max

# Stock phrases that say nothing: (how the feedback names it, how it is written).
STOCK_PHRASES: tuple[tuple[str, str], ...] = (
    ("akan segera ditindaklanjuti",
     r"(?:akan\s+)?segera\s+(?:kami\s+)?(?:di)?tindak\s*lanjut(?:i|kan)?"),
    ("akan ditindaklanjuti", r"akan\s+(?:kami\s+)?(?:di)?tindak\s*lanjut(?:i|kan)?"),
    ("sudah ditindaklanjuti",
     r"(?:sudah|telah)\s+(?:selesai\s+)?(?:kami\s+)?(?:di)?tindak\s*lanjut(?:i|kan)?"),
    ("sudah diteruskan ke bidang terkait",
     r"(?:di|me|kami\s+)?terus(?:kan)?(?:nya)?\s+(?:ke|kepada)\s+(?:bidang|pihak|instansi|"
     r"unit|dinas|opd|skpd|uptd?|perangkat\s+daerah)\s+(?:yang\s+)?terkait"),
    ("sesuai ketentuan yang berlaku",
     r"sesuai\s+(?:dengan\s+)?(?:ketentuan|prosedur|aturan|peraturan|sop|mekanisme)"
     r"(?:\s+yang)?\s+(?:berlaku|ada)"),
    ("sedang dalam proses",
     r"sedang\s+(?:dalam\s+)?(?:proses|kami\s+proses|diproses|dalam\s+penanganan)"),
    ("berkoordinasi dengan pihak terkait",
     r"(?:ber)?koordinasi(?:kan)?\s+dengan\s+(?:pihak|instansi|bidang|dinas|unit|opd)"
     r"\s+terkait"),
    ("mohon bersabar", r"mohon\s+(?:bersabar|kesabaran(?:nya)?|ditunggu|menunggu)"),
    ("menjadi perhatian kami", r"menjadi\s+(?:bahan\s+)?(?:perhatian|evaluasi)"),
    ("dalam waktu dekat / secepatnya",
     r"dalam\s+waktu\s+dekat|secepatnya|sesegera\s+mungkin|pada\s+kesempatan\s+pertama"),
)
_STOCK = tuple((label, re.compile(r"\b(?:" + pattern + r")\b", re.IGNORECASE))
               for label, pattern in STOCK_PHRASES)

# Actions on the problem itself, in their di-/meN-/peN- forms.
ACTIONS: tuple[str, ...] = (
    r"(?:di)?tambal|menambal|penambalan",
    r"(?:di|mem)?perbaiki|perbaikan",
    r"(?:di|meng|peng)angkut(?:an)?", r"(?:di|meng)angkat",
    r"(?:di|mem|pem)bersih(?:kan|an)",
    r"(?:di)?sedot|menyedot|penyedotan",
    r"(?:di)?pasang|memasang|pemasangan",
    r"(?:di)?ganti|mengganti|penggantian",
    r"ditertibkan|menertibkan|penertiban",
    r"(?:di|mem|pem)bongkar(?:an)?",
    r"(?:di|menge)cor|pengecoran",
    r"(?:di|meng|peng)aspal(?:an)?",
    r"(?:di)?keruk|mengeruk|pengerukan", r"(?:di|me|pe)?normalisasi",
    r"(?:di)?potong|memotong|pemotongan", r"(?:di)?tebang|menebang|penebangan",
    r"(?:di)?pangkas|memangkas|pemangkasan",
    r"(?:di)?semprot|menyemprot|penyemprotan|fogging|pengasapan",
    r"(?:di)?periksa|memeriksa|pemeriksaan",
    r"(?:di)?tinjau|meninjau|peninjauan",
    r"(?:di|menge|penge)?cek|pengecekan",
    r"survei|survey|disurvei|menyurvei",
    r"(?:di|meng|peng)ukur(?:an)?",
    r"(?:di|meng|peng)uji(?:an)?|sampel",
    r"diterbitkan|menerbitkan|penerbitan",
    r"(?:di|men|pen)cetak(?:an)?",
    r"(?:di|meng)aktifkan|aktivasi|diaktivasi",
    r"disalurkan|menyalurkan|penyaluran",
    r"(?:di|men|pen)cair(?:kan|an)",
    r"(?:di|mem|pem)bayar(?:kan|an)?",
    r"(?:di)?transfer|mentransfer",
    r"dikembalikan|mengembalikan|pengembalian",
    r"(?:di)?tegur|menegur|teguran",
    r"(?:di)?panggil|memanggil|pemanggilan",
    r"sanksi",
    r"(?:di)?segel|menyegel|penyegelan",
    r"(?:di)?tutup|menutup|penutupan",
    r"(?:di|men|pen)cabut(?:an)?",
    r"(?:di|meng)hentikan|penghentian",
    r"(?:di)?tangkap|menangkap|penangkapan",
    r"dirawat|merawat|perawatan",
    r"(?:di|me)rujuk",
    r"(?:di|mem|pem)bangun(?:an)?",
    r"(?:di|me)?rehabilitasi|rehab",
    r"(?:di)?tanam|menanam|penanaman",
    r"(?:di|mem|pem)bagi(?:kan|an)",
    r"(?:di)?sambung|menyambung|penyambungan",
    r"(?:di)?pompa|memompa",
    r"(?:di|mem|pem)betul(?:kan|an)",
    r"(?:di|mem)perbarui|diperbaharui|pembaruan",
    r"didaftarkan|mendaftarkan",
    r"(?:di|meng|peng)input",
    r"(?:di|me|pe)mutakhir(?:kan|an)",
    r"(?:di)?tambah|menambah|penambahan",
    r"dipindah(?:kan)?|memindah(?:kan)?|pemindahan|relokasi|direlokasi",
    r"(?:di)?kirim(?:kan)?|mengirim(?:kan)?|pengiriman",
    r"(?:di|men)?distribusi(?:kan)?|pendistribusian",
    r"(?:di|mem|pem)batal(?:kan|an)",
    r"(?:di|meng)?audit",
    r"inspeksi|sidak|razia|patroli",
    r"imunisasi|vaksinasi|divaksin|pengobatan|diobati",
    r"perekaman|merekam|jemput\s+bola|keliling",
    r"sosialisasi|disosialisasikan|pemicuan|penyuluhan",
    r"dikerjakan|mengerjakan|pengerjaan",
    r"turun\s+(?:ke\s+)?(?:lokasi|lapangan|langsung)",
    r"mendatangi|didatangi|datang\s+ke|kunjungan|mengunjungi|dikunjungi|menemui|ditemui",
    r"mediasi|dimediasi|memediasi|klarifikasi|diklarifikasi|mengklarifikasi",
    r"(?:di|mem|pem)buka(?:an)?",
    r"(?:normal|berfungsi|menyala|lancar|mengalir)\s+kembali",
)
_ACTION = re.compile(r"\b(?:" + "|".join(ACTIONS) + r")(?:nya)?\b", re.IGNORECASE)
# Action words used for what is no action: a letter sent on, a report closed, a service
# to be "improved" in general.
_NOT_ACTION = re.compile(
    r"\b(?:di)?kirim(?:kan)?\s+(?:surat|laporan|pengaduan|nota|disposisi)|"
    r"\bmengirim(?:kan)?\s+(?:surat|laporan|pengaduan|nota|disposisi)|"
    r"\b(?:di|me)?nutup\s+(?:laporan|pengaduan|tiket)|\bditutup\s+(?:laporan|pengaduan)|"
    r"\bperbaikan\s+(?:layanan|pelayanan|sistem|kinerja|ke\s+depan)|"
    r"\b(?:di|me)?ninjau\s+(?:kembali\s+)?(?:laporan|pengaduan|berkas)|"
    r"\b(?:mem|di)beri(?:kan)?\s+(?:tanggapan|informasi|penjelasan|arahan|jawaban|masukan|"
    r"pemahaman|apresiasi|perhatian)", re.IGNORECASE)
# Any other di-/meN- verb may be an action the list above lacks ("mengevakuasi",
# "dibeton"); unless it is one of these administrative or everyday words, it counts when
# it is done or scheduled and comes with both a when and a where or who.
_VERB = re.compile(r"\b(?:di|me)[a-z]{3,}\b")  # lower case: "Disdukcapil" is a name
_NOT_VERB = re.compile(
    r"(?:di|me[mny]?g?)?(?:terus|nerus|sampai|nyampai|tindak|nindak|proses|mproses|"
    r"koordinasi|ngoordinasi|ngkoordinasi|terima|nerima|pelajari|mpelajari|catat|ncatat|"
    r"lapor|disposisi|ndisposisi|verifikasi|mverifikasi|bahas|mbahas|tugas|nugas|instruksi|"
    r"nginstruksi|perintah|merintah|tunggu|nunggu|evaluasi|ngevaluasi|respon|upaya|ngupaya|"
    r"nyata|informasi|nginformasi|info|nginfo|tanya|nanya|hubungi|nghubungi|surati|nyurati|"
    r"minta|mohon|buat|mbuat|jadwal|njadwal|rencana|usul|ngusul|kaji|ngkaji|telaah|nelaah|"
    r"tampung|nampung|perhati|mperhati|pasti|masti|bantu|mbantu|harap|ngharap|imbau|ngimbau|"
    r"dengar|ndengar|aju|ngaju|tanggap|nanggap|jawab|njawab|jelas|njelas|laksana|laksanakan|"
    r"lakukan|lakukannya|dapat|ndapat|jadi|njadi|lalui|ngenai|nurut|nuju|datang|ndatang|"
    r"mang|ngingat|skipun|rupakan|miliki|maksud|sebut|nyebut|lihat|lihatkan|temukan|nemukan|"
    r"alami|ngalami|dukung|ndukung|ucapkan|ngucapkan|apresiasi|ngapresiasi|maklumi|mahami|"
    r"pahami|ketahui|ngetahui|tindaklanjuti|konfirmasi|ngonfirmasi|tunjuk|nunjuk|arahkan|"
    r"ngarahkan|tangani|nangani|nyusul|mungkinkan|nyesal|nyatakan|teruskan|nyampaikan|"
    r"kirimkan|ngirimkan|kirim|ngirim)\w*"
    r"|dinas|dini|diri|dia|dimana|disabilitas|digital|direktur|distrik|dinding|diare|diskon|"
    r"merah|meter|media|medis|menit|menteri|meja|mesin|mereka|menu|melalui|mengenai|menurut|"
    r"menuju|mendatang|memang|mengingat|meskipun|merupakan|memiliki|mengikuti|menunggu|"
    r"menyusul|memungkinkan|mohon|mei|demikian|dimaksud|diharapkan|disebabkan|menyebabkan",
    re.IGNORECASE)
# "melakukan pengurukan": the noun is the action, unless it is paperwork.
_DONE_NOUN = re.compile(r"\b(?:melakukan|dilakukan|melaksanakan|dilaksanakan)\s+(pe[a-z]{4,}an)\b")
_NOT_NOUN = re.compile(r"penanganan|pembahasan|pengkajian|penelaahan|pencatatan|pelaporan|"
                       r"penindaklanjutan|pendalaman|pengumpulan|pembinaan|pendataan|"
                       r"penelusuran|pengusulan|perencanaan|pengajuan|penyampaian")
_DONE = re.compile(r"\b(?:telah|sudah|selesai)\b", re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:belum|tidak|tak|bukan|gagal)\b", re.IGNORECASE)
# "perbaikan pipa di Jalan Melati belum dapat dilakukan": the work named is not done.
_NOT_DONE_AFTER = re.compile(r"^[^,.;]{0,60}?\b(?:belum|tidak|tak)\s+(?:dapat\s+|bisa\s+|"
                             r"sempat\s+)?(?:di[a-z]+|selesai|terlaksana|berjalan)\b",
                             re.IGNORECASE)
# A sentence that only proposes or budgets the work says nothing about doing it.
_PROPOSAL = re.compile(r"\b(?:di|meng)?usul(?:kan|an)?\b|\bdianggarkan\b|\bdirencanakan\s+"
                       r"dalam\s+anggaran\b|\bkami\s+tampung\b|\bditampung\b", re.IGNORECASE)
# Future or conditional: such an action needs a when to be concrete.
_FUTURE = re.compile(r"\b(?:akan|dijadwalkan|terjadwal|direncanakan|rencana(?:nya)?|mulai|"
                     r"diupayakan|upaya|jika|apabila|bila|memungkinkan|ditargetkan|"
                     r"target|menyusul|nanti)\b", re.IGNORECASE)
_NEXT = re.compile(r"\b(?:akan|dijadwalkan|terjadwal|direncanakan|rencana(?:nya)?|"
                   r"selanjutnya|berikutnya|tahap|target|ditargetkan|paling\s+lambat|"
                   r"selambat-lambatnya|mulai|menyusul)\b", re.IGNORECASE)
_INVITE = re.compile(r"\b(?:silakan|silahkan|dapat\s+menghubungi|hubungi|balas|membalas|"
                     r"dapat\s+diambil|dapat\s+diunduh|sampaikan\s+kembali)\b", re.IGNORECASE)
_FOLLOW_UP = re.compile(r"tindak\s*lanjut", re.IGNORECASE)  # also "ditindaklanjuti"

_MONTH = (r"januari|februari|maret|april|mei|juni|juli|agustus|september|oktober|november|"
          r"desember")
_MONTH_SHORT = r"jan|feb|mar|apr|jun|jul|agu|agt|ags|sep|sept|okt|nov|des"
_DAY = r"senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad"
_WHEN = re.compile(
    rf"\b\d{{1,2}}(?:\s*[-–]\s*\d{{1,2}})?\s+(?:{_MONTH}|{_MONTH_SHORT})\b(?:\s+\d{{4}})?"
    rf"|\b(?:{_MONTH})\s+\d{{4}}\b"
    r"|\b\d{1,2}[/-]\d{1,2}(?:[/-]\d{2,4})?\b"
    rf"|\b(?:{_DAY})\b"
    r"|\bpukul\s*\d|\bjam\s*\d|\b\d{1,2}[.:]\d{2}(?![.\d])"
    r"|\bhari\s+ini\b|\bkemarin\b|\bbesok\b|\blusa\b|\btadi\b|\bdini\s+hari\b|\bsemalam\b"
    r"|\b(?:pekan|minggu|bulan)\s+(?:depan|ini|lalu)\b"
    r"|\bpaling\s+lambat\b|\bselambat-lambatnya\b|\bdalam\s+\d+\s*(?:x\s*24\s*)?"
    r"(?:hari|minggu|pekan|jam)\b|\bsetiap\s+(?:hari|pagi|sore|malam|pekan|minggu)\b"
    r"|\btanggal\s+\d|\btgl\.?\s*\d", re.IGNORECASE)
# A place is named when its noun is followed by a name or a number ("Jalan Melati",
# "RT 03", "SD Negeri 2"); "jalan tersebut" or "lokasi" name nothing.
_PLACE_NOUN = (r"jl|jln|jalan|gg|gang|rt|rw|desa|kelurahan|kel|kecamatan|kec|dusun|kampung|"
               r"kp|perumahan|komplek|kompleks|blok|pasar|tps|tpa|tpst|sd|sdn|smp|smpn|sma|"
               r"sman|smk|smkn|slb|mi|mts|paud|tk|puskesmas|pustu|posyandu|polindes|rsud|"
               r"balai|kantor|masjid|musala|mushola|gereja|taman|terminal|stasiun|simpang|"
               r"perempatan|pertigaan|jembatan|sungai|kali|bendungan|saluran|reservoir|"
               r"underpass|lapangan|mal|gedung|ruas|km|di|ke")
_NAMED = r"[A-Z0-9][\w/.'-]*(?:\s+[A-Z0-9][\w/.'-]*)*"  # "Jalan Poros Sukamaju", "RT 03"
_WHERE = re.compile(rf"\b(?i:{_PLACE_NOUN})\.?\s+{_NAMED}")
_UNIT = (r"dinkes|disdik|disdikbud|dlh|dishub|disdukcapil|dukcapil|dinsos|disnaker|dpmptsp|"
         r"dpmd|diskominfo|kominfo|bapenda|bpkad|bkpsdm|bpbd|damkar|satpol\s*pp|satpol|"
         r"perumda|pdam|pln|rsud|inspektorat|bappeda|polsek|polres|koramil|baznas|pupr|"
         r"dpupr|perkim|disperkim|samsat|kemenag|bpn|bpjn|disperindag|puskesmas|camat|"
         r"lurah|kades|sekdes|babinsa|bhabinkamtibmas")
_WHO = re.compile(rf"\b(?i:{_UNIT})\b|\b(?i:dinas|badan|bidang|seksi|bagian|upt|uptd|tim|"
                  r"kantor|kepala|direktur|petugas|satgas|kelurahan|kecamatan|desa|"
                  rf"pemerintah)\s+{_NAMED}")

_OPENING = re.compile(r"^\s*(yth\b|kepada yth|dengan hormat|selamat (pagi|siang|sore|malam)|"
                      r"terima kasih|bapak/ibu|assalamu)", re.IGNORECASE)
# Abbreviations whose full stop does not end a sentence.
_ABBREVIATION = re.compile(r"\b(jl|jln|gg|no|kec|kel|ds|yth|bpk|sdr|sdri|kab|prov|dr|drg|"
                           r"ir|hj|kp|tgl|dll|dsb|an|ny|tn|st)\.", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")
# "laporan Anda mengenai lubang di Jalan X" describes the problem, not what was done.
_TOPIC = re.compile(r"\b(?:laporan|pengaduan|keluhan|aduan|masukan|informasi)(?:nya)?"
                    r"(?:\s+(?:anda|bapak/ibu|bapak|ibu|saudara|saudari|warga))?\s+"
                    r"(?:mengenai|tentang|terkait|perihal|soal)\b[^,.;]*", re.IGNORECASE)


def sentences(text: str) -> list[str]:
    """The TL cut into sentences and semicolon clauses (abbreviations do not cut)."""
    protected = _ABBREVIATION.sub(lambda m: m.group(1) + "\u2024", text)
    parts = _SENTENCE_END.split(protected)
    return [part.replace("\u2024", ".").strip() for part in parts if part.strip()]


def stock_phrases_in(text: str) -> tuple[str, ...]:
    """The stock phrases of STOCK_PHRASES that `text` uses, each named once."""
    found = [label for label, pattern in _STOCK if pattern.search(text)]
    # "akan segera ditindaklanjuti" already says "akan ditindaklanjuti".
    if "akan segera ditindaklanjuti" in found and "akan ditindaklanjuti" in found:
        found.remove("akan ditindaklanjuti")
    return tuple(found)


@dataclass(frozen=True)
class Clause:
    """What one sentence of a TL says: its action (if any) and its details."""

    text: str
    action: str | None
    when: str | None
    where: str | None
    who: str | None
    future: bool

    @property
    def concrete(self) -> bool:
        """An action with a when; or, not merely promised, with a where or a who."""
        if self.action is None:
            return False
        if self.when:
            return True
        return not self.future and bool(self.where or self.who)


def _found(pattern: re.Pattern[str], text: str) -> str | None:
    match = pattern.search(text)
    return match.group(0).strip() if match else None


def _action(text: str) -> str | None:
    """The first action in `text` that is not negated ("belum dapat diperbaiki")."""
    cleared = _NOT_ACTION.sub(" ", text)
    for match in _ACTION.finditer(cleared):
        before = cleared[max(0, match.start() - 25):match.start()]
        noun = match.group(0).lower().startswith("pe")
        if _NEGATION.search(before) or (noun and _NOT_DONE_AFTER.search(
                cleared[match.end():match.end() + 90])):
            continue
        return match.group(0)
    return None


def _other_verb(text: str) -> str | None:
    """A di-/meN- verb (or the peN-...-an noun after "melakukan") that is neither
    administrative nor negated, if any."""
    done = _DONE_NOUN.search(text)
    if done is not None and not _NOT_NOUN.fullmatch(done.group(1)):
        return done.group(1)
    cleared = _NOT_ACTION.sub(" ", text)
    for match in _VERB.finditer(cleared):
        word = match.group(0)
        before = cleared[max(0, match.start() - 25):match.start()]
        if not _NOT_VERB.fullmatch(word) and not _NEGATION.search(before):
            return word
    return None


def read_clause(text: str, unit_names: Sequence[str] = ()) -> Clause:
    """The action and details of one sentence."""
    told = _TOPIC.sub(" ", text)
    lowered = told.lower()
    who = _found(_WHO, told)
    if who is None:
        who = next((name for name in unit_names if name and name.lower() in lowered), None)
    when, where = _found(_WHEN, told), _found(_WHERE, told)
    future = bool(_FUTURE.search(told))
    action = None if _PROPOSAL.search(told) else _action(told)
    if action is None and not _PROPOSAL.search(told) and when and (where or who) and \
            (future or _DONE.search(told)):
        action = _other_verb(told)
    return Clause(text=text, action=action, when=when, where=where, who=who, future=future)


@dataclass(frozen=True)
class TlJudgement:
    """The judge's reading of a TL: concrete or not, why, and what to avoid."""

    concrete: bool
    evidence: Clause | None  # the sentence that makes it concrete
    closest: Clause | None  # else the sentence with an action that lacks its details
    stock_phrases: tuple[str, ...]
    next_step: bool
    named_unit: bool

    @property
    def reason(self) -> str:
        """Why the TL is or is not concrete, in Indonesian."""
        if self.evidence is not None:
            details = [f"{label}: {value}" for label, value in (
                ("kapan", self.evidence.when), ("di mana", self.evidence.where),
                ("oleh", self.evidence.who)) if value]
            return (f"Menyebut tindakan nyata «{_short(self.evidence.text)}» "
                    f"({'; '.join(details)}).")
        if self.closest is not None and self.closest.action:
            action = self.closest.action.lower()
            if self.closest.future:
                return (f"«{action}» dijanjikan tanpa hari atau tanggal pelaksanaan: tulis "
                        "kapan, di mana dan oleh siapa.")
            return (f"«{action}» disebut tanpa waktu, tempat atau pelaksana yang jelas: tulis "
                    "kapan, di mana dan oleh siapa.")
        return ("Tidak menyebut tindakan nyata (apa yang dilakukan, di mana, kapan, oleh "
                "siapa). Menerima, meneruskan, memproses atau berjanji menindaklanjuti "
                "belum merupakan tindakan.")


def _short(text: str, limit: int = 110) -> str:
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


def judge_tl(text: str, unit_names: Sequence[str] = ()) -> TlJudgement:
    """Whether a TL says what concrete action was taken or is scheduled (the one verdict)."""
    clauses = [read_clause(sentence, unit_names) for sentence in sentences(text)]
    evidence = next((c for c in clauses if c.concrete), None)
    closest = next((c for c in clauses if c.action), None)
    stock = stock_phrases_in(text)
    next_step = any(
        _NEXT.search(c.text) and (c.when or c.action) and not _FOLLOW_UP.search(c.text)
        and not stock_phrases_in(c.text) for c in clauses
    ) or (evidence is not None and bool(_INVITE.search(text)))
    named_unit = any(c.who for c in clauses)
    return TlJudgement(concrete=evidence is not None, evidence=evidence, closest=closest,
                       stock_phrases=stock, next_step=next_step, named_unit=named_unit)


@dataclass(frozen=True)
class Check:
    """One checklist item: passed or failed, and why."""

    name: str
    passed: bool
    reason: str


CHECK_NAMES = ("Pembuka yang santun", "Menyebut unit yang bertindak",
               "Tindakan nyata (apa, di mana, kapan, oleh siapa)",
               "Langkah atau jadwal berikutnya", "Panjang wajar", "Bukan salinan jawaban lain",
               "Tanpa data pribadi pelapor")


def tl_checklist(text: str, judgement: TlJudgement, *, protected: bool,
                 reporter: Mapping[str, Any], unit_names: Sequence[str] | None,
                 copies: Sequence[str], tl_min: int = TL_MIN,
                 tl_max: int = TL_MAX) -> list[Check]:
    """The transparent TL checklist of LAPOR.md §6, each item passed or failed with a reason.

    With `unit_names` None (no report at hand, as in tl-check) any named unit counts.
    """
    leaks = personal_data_in(text, reporter, with_name=protected)
    named = NAME in leaks
    opening = bool(_OPENING.search(text))
    polite = opening and not named
    checks = [Check(CHECK_NAMES[0], polite,
                    "Dibuka dengan salam yang santun." if polite
                    else "Laporan ini rahasia/anonim: sapa tanpa nama (Yth. Bapak/Ibu)."
                    if named else "Awali dengan sapaan, mis. «Yth. Bapak/Ibu».")]
    lowered = text.lower()
    if unit_names is None:
        unit_named = judgement.named_unit
    else:
        unit_named = any(name.lower() in lowered for name in unit_names if name)
    checks.append(Check(CHECK_NAMES[1], unit_named,
                        "Unit yang bertindak disebut." if unit_named
                        else "Sebutkan unit yang menangani (mis. nama dinas/OPD)."))
    reason = judgement.reason
    if judgement.stock_phrases:
        reason += f" Hindari kalimat baku: «{'», «'.join(judgement.stock_phrases)}»."
    checks.append(Check(CHECK_NAMES[2], judgement.concrete, reason))
    checks.append(Check(CHECK_NAMES[3], judgement.next_step,
                        "Menyebut langkah/jadwal berikutnya." if judgement.next_step
                        else "Tulis langkah berikutnya dengan jadwalnya (bukan sekadar "
                             "«akan»), atau bila sudah tuntas, undang pelapor menanggapi."))
    length_ok = tl_min <= len(text) <= tl_max
    checks.append(Check(CHECK_NAMES[4], length_ok,
                        f"Panjang {len(text)} karakter." if length_ok
                        else f"Panjang {len(text)} karakter; wajarnya {tl_min}–{tl_max}."))
    copied = bool(copies)
    checks.append(Check(CHECK_NAMES[5], not copied,
                        "Jawaban ditulis untuk laporan ini." if not copied
                        else f"Hampir sama dengan TL Anda pada laporan #{', #'.join(copies)}."))
    checks.append(Check(CHECK_NAMES[6], not leaks,
                        "Tidak memuat data pribadi pelapor." if not leaks
                        else f"Memuat {', '.join(leaks)}."))
    return checks


def quality_share(checks: Sequence[Check], concrete: bool) -> float:
    """The share of the TL-quality points: checks passed, scaled down to at most VAGUE_CAP
    for a vague TL (scaled, not clipped, so a polite vague TL still ranks above a rude one
    in the debrief)."""
    share = sum(c.passed for c in checks) / len(checks) if checks else 0.0
    return share if concrete else share * VAGUE_CAP


@dataclass(frozen=True)
class TlAssessment:
    """Everything the judge says about one TL."""

    judgement: TlJudgement
    checklist: tuple[Check, ...]
    quality: float
    stock_phrases: tuple[str, ...] = ()

    @property
    def concrete(self) -> bool:
        return self.judgement.concrete

    @property
    def passed(self) -> int:
        return sum(c.passed for c in self.checklist)

    @property
    def summary(self) -> str:
        """The quality line of a report card, e.g. "Daftar periksa TL: 5 dari 7 ..."."""
        text = f"Daftar periksa TL: {self.passed} dari {len(self.checklist)} terpenuhi."
        if not self.concrete:
            text += (f" TL tidak konkret (tidak menyebut apa yang dilakukan, di mana, kapan, "
                     f"oleh siapa): nilai mutu dikali {VAGUE_CAP:.0%}, paling banyak "
                     f"{VAGUE_CAP:.0%}.")
        if self.stock_phrases:
            text += f" Hindari kalimat baku: «{'», «'.join(self.stock_phrases)}»."
        return text

    def to_dict(self) -> dict[str, Any]:
        """The verdict as JSON for `lapor-sandbox tl-check`."""
        return {
            "concrete": self.concrete,
            "quality": round(self.quality, 3),
            "stock_phrases": list(self.stock_phrases),
            "evidence": self.judgement.evidence.text if self.judgement.evidence else None,
            "checklist": [{"item": c.name, "ok": c.passed, "reason": c.reason}
                          for c in self.checklist],
        }


def assess_tl(text: str, *, protected: bool = False,
              reporter: Mapping[str, Any] | None = None,
              unit_names: Sequence[str] | None = None, copies: Sequence[str] = (),
              tl_min: int = TL_MIN, tl_max: int = TL_MAX) -> TlAssessment:
    """Judge one TL and score its checklist: what scoring, the reporter and tl-check use."""
    judgement = judge_tl(text, unit_names or ())
    checks = tl_checklist(text, judgement, protected=protected, reporter=reporter or {},
                          unit_names=unit_names, copies=copies, tl_min=tl_min, tl_max=tl_max)
    return TlAssessment(judgement, tuple(checks), quality_share(checks, judgement.concrete),
                        judgement.stock_phrases)
