"""Working-day limits of a report, computed from hand-built event sequences."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from sandbox.domain.clock import Calendar
from sandbox.domain.sla import (
    DEFAULT_COMPLETION,
    LimitStatus,
    SlaSettings,
    Zone,
    limits,
    most_urgent,
    tunda_periods,
)
from sandbox.domain.workflow import EventRecord
from tests.domain.events import ev, seq

H = timedelta(hours=1)
M = timedelta(minutes=1)
CAL = Calendar()
DEFAULTS = SlaSettings()
# Monday 2 March 2026, 08:00: every report here arrives at the opening of the week.
ARRIVED = datetime(2026, 3, 2, 8, 0)

ADUAN = "pengaduan_tidak_berkadar_pengawasan"
BERKADAR = "pengaduan_berkadar_pengawasan"
ASPIRASI = "aspirasi"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute)



def verifikasi(sim_at: datetime, klasifikasi: str = ADUAN) -> EventRecord:
    return ev("verifikasi", sim_at, judul="Air PDAM mati tiga hari", klasifikasi=klasifikasi,
              kategori="air_minum_sanitasi", unit="pdam", rahasia=False, anonim=False)


def tl(sim_at: datetime, akhir: bool = False, isi: str = "Petugas telah memperbaiki pipa.") \
        -> EventRecord:
    return ev("tindak_lanjut", sim_at, isi=isi, akhir=akhir)


def by_key(statuses: list[LimitStatus]) -> dict[str, LimitStatus]:
    return {s.key: s for s in statuses}


# ------------------------------------------------------------- verifikasi


def test_new_report_has_running_verification_and_completion_limits():
    statuses = limits(ARRIVED, [], ADUAN, DEFAULTS, CAL, at(3, 8))
    assert [s.key for s in statuses] == ["verifikasi", "penyelesaian"]
    verif, done = statuses
    assert verif.limit == 24 * H and verif.used == 8 * H
    assert verif.running and not verif.paused
    assert verif.zone == Zone.HIJAU
    assert verif.text(CAL) == "sisa 2 HK"
    assert verif.label == "Verifikasi"
    assert done.limit == 14 * 8 * H and done.used == 8 * H and done.running
    assert done.text(CAL) == "sisa 13 HK"


def test_verification_measured_from_arrival_to_first_verifikasi():
    events = seq(verifikasi(at(3, 10)), ev("kembalikan", at(4, 9), alasan="Salah unit tujuan."),
                 verifikasi(at(5, 10)))
    verif = by_key(limits(ARRIVED, events, ADUAN, DEFAULTS, CAL, at(6, 12)))["verifikasi"]
    assert verif.used == 10 * H  # Monday 8 h + Tuesday 2 h, to the FIRST verifikasi
    assert not verif.running and not verif.paused
    assert verif.text(CAL) == "selesai dalam 1 HK 2 jam"
    assert verif.zone == Zone.HIJAU


def test_late_verification_is_terlambat_and_red():
    events = seq(verifikasi(at(5, 12)))
    verif = limits(ARRIVED, events, ADUAN, DEFAULTS, CAL, at(6, 12))[0]
    assert verif.used == 28 * H
    assert verif.remaining == -4 * H
    assert verif.zone == Zone.MERAH
    assert verif.text(CAL) == "terlambat 4 jam"


def test_verification_ended_by_kelola_sendiri_or_archive():
    kelola = seq(ev("kelola_sendiri", at(2, 13), judul="Usulan taman kota baru",
                    klasifikasi=ASPIRASI, kategori="lingkungan_hidup"))
    assert limits(ARRIVED, kelola, ASPIRASI, DEFAULTS, CAL, at(9, 8))[0].used == 5 * H
    archived = seq(ev("arsipkan", at(2, 9), alasan="spam"))
    assert limits(ARRIVED, archived, None, DEFAULTS, CAL, at(9, 8))[0].used == 1 * H


def test_running_verification_past_its_limit_is_lewat():
    verif = limits(ARRIVED, [], ADUAN, DEFAULTS, CAL, at(5, 10))[0]
    assert verif.used == 26 * H and verif.running
    assert verif.zone == Zone.MERAH
    assert verif.text(CAL) == "lewat 2 jam"
    assert verif.share == pytest.approx(26 / 24)


# ------------------------------------------------------------- zones


@pytest.mark.parametrize(("now", "zone"), [
    (at(2, 8), Zone.HIJAU),
    (at(3, 14, 23), Zone.HIJAU),   # 14 h 23 min of 24 h: below 0.6
    (at(3, 14, 24), Zone.KUNING),  # exactly 0.6 of the limit
    (at(4, 15, 59), Zone.KUNING),  # one minute before the limit
    (at(4, 16), Zone.MERAH),       # at the limit
    (at(5, 8), Zone.MERAH),        # the same working moment, next morning
    (at(9, 8), Zone.MERAH),
])
def test_zones_of_the_verification_limit(now, zone):
    assert limits(ARRIVED, [], ADUAN, DEFAULTS, CAL, now)[0].zone == zone


def test_zones_follow_the_kuning_setting():
    strict = SlaSettings(kuning=0.25)
    assert limits(ARRIVED, [], ADUAN, strict, CAL, at(2, 14))[0].zone == Zone.KUNING
    assert limits(ARRIVED, [], ADUAN, DEFAULTS, CAL, at(2, 14))[0].zone == Zone.HIJAU


@pytest.mark.parametrize(("now", "text"), [
    (at(2, 8), "sisa 3 HK"),
    (at(2, 11, 40), "sisa 2 HK 4 jam"),  # remaining 20 h 20 min: minutes dropped with days
    (at(4, 11, 40), "sisa 4 jam 20 menit"),
    (at(4, 15, 45), "sisa 15 menit"),
    (at(5, 9, 30), "lewat 1 jam 30 menit"),
    (at(6, 11), "lewat 1 HK 3 jam"),
])
def test_running_texts(now, text):
    assert limits(ARRIVED, [], ADUAN, DEFAULTS, CAL, now)[0].text(CAL) == text


# ------------------------------------------------------------- tunda


def test_tunda_time_is_excluded():
    events = seq(ev("tunda", at(2, 10), pertanyaan="Di mana lokasi tepatnya?"),
                 ev("pelapor_membalas", at(3, 10), isi="Di Jalan Melati RT 02."),
                 verifikasi(at(3, 12)))
    assert tunda_periods(events, at(6, 8)) == [(at(2, 10), at(3, 10))]
    statuses = by_key(limits(ARRIVED, events, ADUAN, DEFAULTS, CAL, at(3, 12)))
    verif = statuses["verifikasi"]
    assert verif.used == 4 * H  # 2 h before the tunda + 2 h after the reply
    assert not verif.running and verif.text(CAL) == "selesai dalam 4 jam"
    assert statuses["penyelesaian"].used == 4 * H
    assert statuses["tindak_lanjut"].used == timedelta(0)


def test_open_tunda_pauses_the_running_limits():
    events = seq(ev("tunda", at(2, 10), pertanyaan="Di mana lokasi tepatnya?"))
    assert tunda_periods(events, at(4, 10)) == [(at(2, 10), at(4, 10))]
    statuses = limits(ARRIVED, events, ADUAN, DEFAULTS, CAL, at(4, 10))
    verif, done = statuses
    assert verif.key == "verifikasi" and done.key == "penyelesaian"
    assert verif.used == 2 * H
    assert verif.running and verif.paused
    assert "dijeda" in verif.text(CAL)
    assert verif.text(CAL) == "sisa 2 HK 6 jam (dijeda: ditunda)"
    assert done.paused and done.used == 2 * H
    # Two days later nothing more is used: the limits stay paused.
    later = limits(ARRIVED, events, ADUAN, DEFAULTS, CAL, at(6, 10))
    assert [s.used for s in later] == [2 * H, 2 * H]


def test_tunda_then_archive_stops_the_pause():
    events = seq(ev("tunda", at(2, 10), pertanyaan="Di mana lokasi tepatnya?"),
                 ev("arsipkan", at(4, 10), alasan="tidak_ada_informasi"))
    assert tunda_periods(events, at(6, 8)) == [(at(2, 10), at(4, 10))]
    statuses = limits(ARRIVED, events, None, DEFAULTS, CAL, at(6, 8))
    assert [s.key for s in statuses] == ["verifikasi"]
    assert statuses[0].used == 2 * H and not statuses[0].running and not statuses[0].paused


# ------------------------------------------------------------- tindak lanjut


def test_first_follow_up_measured_from_disposition_to_first_tl():
    events = seq(verifikasi(at(2, 10)), tl(at(3, 12)), tl(at(5, 9)))
    statuses = by_key(limits(ARRIVED, events, ADUAN, DEFAULTS, CAL, at(6, 8)))
    first = statuses["tindak_lanjut"]
    assert first.label == "Tindak lanjut pertama"
    assert first.limit == 40 * H
    assert first.used == 10 * H
    assert not first.running
    assert first.text(CAL) == "selesai dalam 1 HK 2 jam"
    assert statuses["penyelesaian"].running


def test_follow_up_limit_runs_until_the_first_tl():
    events = seq(verifikasi(at(2, 10)))
    running = by_key(limits(ARRIVED, events, ADUAN, DEFAULTS, CAL, at(4, 10)))["tindak_lanjut"]
    assert running.running and running.used == 16 * H
    assert running.text(CAL) == "sisa 3 HK"
    late = by_key(limits(ARRIVED, events, ADUAN, DEFAULTS, CAL, at(10, 10)))["tindak_lanjut"]
    assert late.used == 48 * H and late.zone == Zone.MERAH
    assert late.text(CAL) == "lewat 1 HK"


# ------------------------------------------------------------- completion


@pytest.mark.parametrize(("klasifikasi", "hk"), [
    (ASPIRASI, 5), ("permintaan_informasi", 5), (ADUAN, 14), (BERKADAR, 60), (None, 14),
])
def test_completion_limit_by_klasifikasi(klasifikasi, hk):
    status = by_key(limits(ARRIVED, [], klasifikasi, DEFAULTS, CAL, at(3, 8)))["penyelesaian"]
    assert status.limit == hk * 8 * H
    assert status.label == "Penyelesaian"


def test_final_tl_completes_and_opens_the_reporter_window():
    events = seq(verifikasi(at(2, 8), ASPIRASI), tl(at(5, 8), akhir=True))
    statuses = limits(ARRIVED, events, ASPIRASI, DEFAULTS, CAL, at(5, 12))
    assert [s.key for s in statuses] == ["verifikasi", "tindak_lanjut", "penyelesaian",
                                         "jendela_pelapor"]
    done = statuses[2]
    assert done.used == 24 * H and not done.running
    assert done.limit == 40 * H
    assert done.zone == Zone.KUNING  # 3 of 5 HK
    assert done.text(CAL) == "selesai dalam 3 HK"
    window = statuses[3]
    assert window.running and window.limit == 80 * H and window.used == 4 * H
    assert window.label == "Tanggapan pelapor"
    assert window.text(CAL) == "sisa 9 HK 4 jam"
    # The same dates for a berkadar pengawasan complaint are far inside its 60 HK.
    berkadar = by_key(limits(ARRIVED, events, BERKADAR, DEFAULTS, CAL, at(5, 12)))
    assert berkadar["penyelesaian"].limit == 480 * H
    assert berkadar["penyelesaian"].zone == Zone.HIJAU


def test_late_completion_is_terlambat():
    events = seq(verifikasi(at(2, 8), ASPIRASI), tl(at(10, 8), akhir=True))
    done = by_key(limits(ARRIVED, events, ASPIRASI, DEFAULTS, CAL, at(10, 9)))["penyelesaian"]
    assert done.used == 48 * H
    assert done.zone == Zone.MERAH
    assert done.text(CAL) == "terlambat 1 HK"


def test_reporter_window_only_while_waiting_for_the_reporter():
    base = [verifikasi(at(2, 8)), tl(at(3, 8), akhir=True)]
    waiting = limits(ARRIVED, seq(*base), ADUAN, DEFAULTS, CAL, at(3, 9))
    assert "jendela_pelapor" in by_key(waiting)
    accepted = seq(*base, ev("pelapor_menerima", at(3, 12), isi="Terima kasih."))
    keys = [s.key for s in limits(ARRIVED, accepted, ADUAN, DEFAULTS, CAL, at(4, 9))]
    assert keys == ["verifikasi", "tindak_lanjut", "penyelesaian"]
    closed = by_key(limits(ARRIVED, accepted, ADUAN, DEFAULTS, CAL, at(4, 9)))["penyelesaian"]
    assert not closed.running and closed.used == 8 * H
    rejected = seq(*base, ev("pelapor_menolak", at(3, 12), isi="Belum selesai."))
    statuses = by_key(limits(ARRIVED, rejected, ADUAN, DEFAULTS, CAL, at(4, 9)))
    assert "jendela_pelapor" not in statuses
    assert statuses["penyelesaian"].running and statuses["penyelesaian"].used == 17 * H
    in_progress = seq(verifikasi(at(2, 8)), tl(at(3, 8)))
    assert "jendela_pelapor" not in by_key(
        limits(ARRIVED, in_progress, ADUAN, DEFAULTS, CAL, at(4, 9)))


def test_second_final_tl_restarts_the_window():
    events = seq(verifikasi(at(2, 8)), tl(at(3, 8), akhir=True),
                 ev("pelapor_menolak", at(3, 12), isi="Belum."), tl(at(5, 8), akhir=True))
    statuses = by_key(limits(ARRIVED, events, ADUAN, DEFAULTS, CAL, at(5, 10)))
    assert statuses["jendela_pelapor"].used == 2 * H
    assert statuses["penyelesaian"].used == 24 * H and not statuses["penyelesaian"].running


@pytest.mark.parametrize("closing", [
    ev("arsipkan", at(2, 10), alasan="spam"),
    ev("bukan_wewenang", at(2, 10), instansi="bpjn", catatan="Jalan nasional."),
])
def test_archived_and_bukan_wewenang_have_no_completion_limit(closing):
    statuses = limits(ARRIVED, seq(closing), ADUAN, DEFAULTS, CAL, at(20, 10))
    assert [s.key for s in statuses] == ["verifikasi"]
    assert statuses[0].used == 2 * H and not statuses[0].running
    assert most_urgent(statuses) is None


# ------------------------------------------------------------- most_urgent


def test_most_urgent_picks_the_highest_share():
    # In BARU: verification 12 of 24 h beats aspirasi completion 12 of 40 h.
    statuses = limits(ARRIVED, [], ASPIRASI, DEFAULTS, CAL, at(3, 12))
    assert most_urgent(statuses).key == "verifikasi"
    # Disposed after 2 HK: aspirasi completion (24/40) beats the first TL (8/40) ...
    events = seq(verifikasi(at(4, 8), ASPIRASI))
    assert most_urgent(limits(ARRIVED, events, ASPIRASI, DEFAULTS, CAL, at(5, 8))).key \
        == "penyelesaian"
    # ... but a berkadar pengawasan completion (24/480) does not.
    events = seq(verifikasi(at(4, 8), BERKADAR))
    assert most_urgent(limits(ARRIVED, events, BERKADAR, DEFAULTS, CAL, at(5, 8))).key \
        == "tindak_lanjut"


def test_most_urgent_ignores_the_reporter_window():
    events = seq(verifikasi(at(2, 8)), tl(at(3, 8), akhir=True))
    statuses = limits(ARRIVED, events, ADUAN, DEFAULTS, CAL, at(31, 8))
    window = by_key(statuses)["jendela_pelapor"]
    assert window.running and window.share > 1 and window.zone == Zone.MERAH
    assert most_urgent(statuses) is None
    hand = [
        LimitStatus("jendela_pelapor", 80 * H, 200 * H, True, False, Zone.MERAH),
        LimitStatus("penyelesaian", 40 * H, 10 * H, True, False, Zone.HIJAU),
        LimitStatus("verifikasi", 24 * H, 30 * H, False, False, Zone.MERAH),
        LimitStatus("tindak_lanjut", 40 * H, 20 * H, True, False, Zone.HIJAU),
    ]
    assert most_urgent(hand).key == "tindak_lanjut"
    assert most_urgent([]) is None


def test_share_of_a_zero_limit_is_full():
    assert LimitStatus("verifikasi", timedelta(0), timedelta(0), True, False,
                       Zone.MERAH).share == 1.0


# ------------------------------------------------------------- settings


def test_default_settings():
    assert (DEFAULTS.verifikasi, DEFAULTS.tindak_lanjut, DEFAULTS.jendela_pelapor) == (3, 5, 10)
    assert DEFAULTS.kuning == 0.6
    assert dict(DEFAULTS.penyelesaian) == dict(DEFAULT_COMPLETION) == {
        BERKADAR: 60, ADUAN: 14, ASPIRASI: 5, "permintaan_informasi": 5}
    assert DEFAULTS.completion(None) == 14
    assert DEFAULTS.completion("tidak-ada") == 14


def test_settings_overrides():
    custom = SlaSettings(verifikasi=2, tindak_lanjut=3, jendela_pelapor=1, kuning=0.5,
                         penyelesaian={**DEFAULT_COMPLETION, ASPIRASI: 2})
    verif = limits(ARRIVED, [], ASPIRASI, custom, CAL, at(2, 16))[0]
    assert verif.limit == 16 * H and verif.used == 8 * H
    assert verif.zone == Zone.KUNING  # half of 2 HK with kuning = 0.5
    assert verif.text(CAL) == "sisa 1 HK"
    events = seq(verifikasi(at(2, 8), ASPIRASI), tl(at(4, 8), akhir=True))
    statuses = by_key(limits(ARRIVED, events, ASPIRASI, custom, CAL, at(5, 8)))
    assert statuses["tindak_lanjut"].limit == 24 * H
    assert statuses["penyelesaian"].limit == 16 * H
    assert statuses["penyelesaian"].text(CAL) == "selesai dalam 2 HK"
    assert statuses["jendela_pelapor"].limit == 8 * H
    assert statuses["jendela_pelapor"].zone == Zone.MERAH
    assert statuses["jendela_pelapor"].text(CAL) == "lewat 0 menit"


def test_limits_follow_the_calendar_day_length():
    short = Calendar(office_start=time(8, 0), office_end=time(12, 0))
    verif = limits(ARRIVED, [], ADUAN, DEFAULTS, short, at(3, 8))[0]
    assert verif.limit == 12 * H and verif.used == 4 * H
    assert verif.text(short) == "sisa 2 HK"
