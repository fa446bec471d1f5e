"""Builders and texts for the scoring tests: answer keys, event logs, TLs and one session.

Time arithmetic used throughout (Calendar(): 08:00-16:00, Monday-Friday, no holidays):
1 HK = 8 h. Every report arrives on Monday 2 March 2026 at 08:00 unless told otherwise.
Default SLA: verifikasi 3 HK = 24 h (yellow from 0.6 x 24 = 14.4 h), first TL 5 HK = 40 h
(yellow from 24 h), completion 14 HK = 112 h for a pengaduan tidak berkadar pengawasan and
5 HK = 40 h for an aspirasi.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sandbox.domain.clock import Calendar
from sandbox.domain.scoring import (
    Dimension,
    ReportInput,
    ReportScore,
    ScoringSettings,
    score_report,
)
from sandbox.domain.sla import SlaSettings
from sandbox.domain.workflow import Action, EventRecord

CAL = Calendar()
SETTINGS = ScoringSettings()
SLA = SlaSettings()

ADUAN = "pengaduan_tidak_berkadar_pengawasan"
BERKADAR = "pengaduan_berkadar_pengawasan"
ASPIRASI = "aspirasi"
INFO = "permintaan_informasi"

REPORTER = {"name": "Siti Aminah", "phone": "081234567890", "nik": "3399015203850001",
            "address": "Jl. Melati No. 12, RT 003/RW 005, Sukamaju, Kec. Cibodas"}
UNIT_NAMES: dict[str, tuple[str, ...]] = {
    "pupr": ("Dinas Pekerjaan Umum dan Penataan Ruang", "Dinas PUPR"),
    "perkim": ("Dinas Perumahan dan Kawasan Permukiman", "Dinas Perkim"),
    "dlh": ("Dinas Lingkungan Hidup", "DLH"),
    "disdik": ("Dinas Pendidikan", "Disdik"),
    "bpjn": ("Balai Pelaksanaan Jalan Nasional", "BPJN"),
    "diskominfo": ("Dinas Komunikasi dan Informatika", "Diskominfo"),
    "dinsos": ("Dinas Sosial", "Dinsos"),
}
ADMIN_UNIT = "diskominfo"

ARRIVED = datetime(2026, 3, 2, 8, 0)  # Monday, office opening
END = datetime(2026, 3, 6, 16, 0)  # Friday closing: 5 HK = 40 h after ARRIVED
WALL = datetime(2026, 1, 1, 0, 0)  # wall time plays no part in scoring


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A simulated moment in March 2026 (2 = Monday ... 6 = Friday, 9 = next Monday)."""
    return datetime(2026, 3, day, hour, minute)


# ------------------------------------------------------------------ answer keys


def key(expected_action: str = "disposisi", expected_target: str | None = "pupr", *,
        acceptable: Sequence[str] = ("perkim",), partial: Sequence[str] = ("dlh",),
        klasifikasi: str = ADUAN, kategori: str = "infrastruktur", rahasia: bool = False,
        anonim: bool = False, archive_reason: str | None = None) -> dict[str, Any]:
    """An answer key shaped like the generator's record."""
    return {
        "expected_action": expected_action,
        "expected_target": expected_target,
        "acceptable_targets": list(acceptable),
        "partial_targets": list(partial),
        "klasifikasi": klasifikasi,
        "kategori": kategori,
        "rahasia": rahasia,
        "anonim": anonim,
        "archive_reason": archive_reason,
        "explanation": "Kunci jawaban untuk uji penilaian.",
    }


DISPO = key()  # road damage: Dinas PUPR; Perkim also right; DLH half right
BW = key("bukan_wewenang", "bpjn", acceptable=(), partial=())  # national road: BPJN
KELOLA = key("kelola_sendiri", ADMIN_UNIT, acceptable=(), partial=(),
             klasifikasi=INFO, kategori="lainnya")
TUNDA = key("tunda")  # missing location: ask first, then Dinas PUPR
SPAM = key("arsipkan", None, acceptable=(), partial=(), archive_reason="spam")
DUPLIKAT = key("arsipkan", None, acceptable=(), partial=(), archive_reason="duplikat")


# ------------------------------------------------------------------ events


def ev(action: str, when: datetime | None = None, **payload: Any) -> EventRecord:
    """One event; `log` numbers it and gives it a time when `when` is None."""
    kind = Action(action)
    return EventRecord(seq=0, action=kind, role=kind.role, actor="Siti", payload=payload,
                       sim_at=when or datetime.min, wall_at=WALL)


def log(*events: EventRecord) -> list[EventRecord]:
    """Events numbered 1..n; those without a time happen every 30 minutes from Mon 09:00."""
    result = []
    for i, event in enumerate(events, 1):
        when = event.sim_at
        if when == datetime.min:
            when = at(2, 9) + timedelta(minutes=30 * (i - 1))
        result.append(replace(event, seq=i, sim_at=when))
    return result


def verif(unit: str = "pupr", when: datetime | None = None, *, klasifikasi: str = ADUAN,
          kategori: str = "infrastruktur", rahasia: bool = False,
          anonim: bool = False, judul: str = "Jalan poros kecamatan berlubang") -> EventRecord:
    return ev("verifikasi", when, judul=judul, unit=unit,
              klasifikasi=klasifikasi, kategori=kategori, rahasia=rahasia, anonim=anonim)


def kelola(when: datetime | None = None, *, klasifikasi: str = INFO, kategori: str = "lainnya",
           rahasia: bool = False, anonim: bool = False) -> EventRecord:
    return ev("kelola_sendiri", when, judul="Permintaan jadwal layanan", klasifikasi=klasifikasi,
              kategori=kategori, rahasia=rahasia, anonim=anonim)


def tunda(when: datetime | None = None) -> EventRecord:
    return ev("tunda", when, pertanyaan="Mohon sebutkan lokasi persisnya.")


def balas(when: datetime | None = None) -> EventRecord:
    return ev("pelapor_membalas", when, isi="Di depan SD Negeri 1 Sukamaju.")


def arsip(alasan: str = "spam", when: datetime | None = None) -> EventRecord:
    return ev("arsipkan", when, alasan=alasan)


def bw(instansi: str = "bpjn", when: datetime | None = None) -> EventRecord:
    return ev("bukan_wewenang", when, instansi=instansi)


def kembalikan(when: datetime | None = None) -> EventRecord:
    return ev("kembalikan", when, alasan="Bukan kewenangan unit kami.")


def tl(isi: str | None = None, when: datetime | None = None, *, akhir: bool = True) -> EventRecord:
    return ev("tindak_lanjut", when, isi=GOOD_TL if isi is None else isi, akhir=akhir)


def terima(when: datetime | None = None) -> EventRecord:
    return ev("pelapor_menerima", when)


def tolak(when: datetime | None = None) -> EventRecord:
    return ev("pelapor_menolak", when, isi="Belum selesai.")


def nilai(bintang: int, when: datetime | None = None) -> EventRecord:
    return ev("pelapor_menilai", when, bintang=bintang)


def otomatis(when: datetime | None = None) -> EventRecord:
    return ev("selesai_otomatis", when)


# ------------------------------------------------------------------ reports and scores


def report(events: Sequence[EventRecord], answer: Mapping[str, Any] = DISPO, *,
           no: str = "T-001", arrived: datetime = ARRIVED, scripted: bool = True,
           overrides: Mapping[int, int] | None = None,
           reporter: Mapping[str, Any] = REPORTER) -> ReportInput:
    return ReportInput(tracking_no=no, arrived_at=arrived, key=answer, reporter=reporter,
                       events=list(events), unit_names=UNIT_NAMES, admin_unit=ADMIN_UNIT,
                       scripted=scripted, overrides=dict(overrides or {}))


def score(events: Sequence[EventRecord], answer: Mapping[str, Any] = DISPO, *,
          now: datetime = END, copies: Sequence[str] = (),
          settings: ScoringSettings = SETTINGS, **kwargs: Any) -> ReportScore:
    return score_report(report(events, answer, **kwargs), copies, settings, SLA, CAL, now)


def points(result: ReportScore, dimension: Dimension) -> float:
    return round(result.points(dimension), 2)


def has_line(result: ReportScore, dimension: Dimension) -> bool:
    return any(line.dimension == dimension for line in result.lines)


# ------------------------------------------------------------------ TL texts

# Passes all seven checks for Dinas PUPR on any report of REPORTER: polite opening,
# unit named, action + place ("telah menambal", "Jalan"), next step ("selanjutnya"),
# 150..1500 characters, no copy, no personal data.
GOOD_TL = (
    "Yth. Bapak/Ibu, terima kasih atas laporan Anda. Dinas PUPR telah menambal lubang di "
    "Jalan Poros Kecamatan Sukamaju pada Selasa, 3 Maret 2026 pukul 10.00. Tahap "
    "selanjutnya, pengaspalan ulang ruas tersebut dijadwalkan paling lambat 20 Maret 2026. "
    "Silakan balas laporan ini bila kerusakan masih ada."
)
# The same answer pasted on another report, with only the place and the date changed.
GOOD_TL_OTHER_PLACE = GOOD_TL.replace("Sukamaju", "Cibodas").replace("3 Maret", "5 Maret")
# A genuinely different answer by the same unit (also passes all seven checks).
DRAINASE_TL = (
    "Dengan hormat, menindaklanjuti jawaban Bapak/Ibu tentang lokasi, petugas Dinas PUPR "
    "sudah memperbaiki saluran drainase yang tersumbat di Gang Melati RT 02 RW 05 Desa "
    "Cibodas pada Kamis, 5 Maret 2026. Pemantauan berikutnya dijadwalkan pekan depan saat "
    "hujan deras."
)
# Passes six checks for Dinas Perkim: it names no next step or timeline.
SAMPAH_TL = (
    "Yth. Bapak/Ibu, terima kasih atas laporan mengenai tumpukan sampah. Dinas Perumahan "
    "dan Kawasan Permukiman telah mengangkut sampah di TPS Kelurahan Mekarsari pada Rabu, "
    "4 Maret 2026, dan lokasi sudah dibersihkan oleh petugas kebersihan kelurahan."
)
# Disdik's answer that greets the (anonim) reporter by name: fails the opening and the
# personal-data checks, passes the other five.
PUNGUTAN_TL_NAMED = (
    "Yth. Ibu Siti Aminah, terima kasih atas laporan Anda. Dinas Pendidikan telah memeriksa "
    "pungutan di SD Negeri 2 Sukamaju pada Rabu, 4 Maret 2026 dan meminta sekolah "
    "mengembalikan pungutan tersebut. Hasil pengembalian akan kami informasikan kembali "
    "paling lambat 13 Maret 2026."
)
# A generic interim answer (passes nothing in particular; used as a non-final TL).
INTERIM_TL = ("Terima kasih, laporan Anda sedang kami proses dan perkembangannya akan kami "
              "sampaikan melalui kanal ini.")
