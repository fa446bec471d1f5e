"""Limits stop on closed reports: nothing runs, and nothing is breached, after the closing.

Issue 11: after kembalikan and then bukan wewenang, the closed report kept a running
"TL pertama" limit that turned red and counted as a breach on the report card.
"""

from __future__ import annotations

from datetime import datetime

from sandbox.domain.clock import Calendar
from sandbox.domain.sla import SlaSettings, Zone, limits, most_urgent
from sandbox.domain.workflow import EventRecord
from tests.domain.events import ev, seq
from tests.domain.scoring_cases import BW, bw, kembalikan, log, score, verif

CAL = Calendar()
SLA = SlaSettings()
ARRIVED = datetime(2026, 3, 2, 8, 0)  # Monday
LATER = datetime(2026, 3, 31, 16, 0)  # four weeks on: every open limit would be red


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute)


def disposed_returned_forwarded(forwarded: datetime) -> list[EventRecord]:
    return seq(
        ev("verifikasi", at(2, 10), judul="Jalan nasional berlubang di jalan lintas",
           klasifikasi="pengaduan_tidak_berkadar_pengawasan", kategori="infrastruktur",
           unit="pupr", rahasia=False, anonim=False),
        ev("kembalikan", at(2, 14), alasan="Jalan nasional, bukan kewenangan Dinas PUPR."),
        ev("bukan_wewenang", forwarded, instansi="bpjn"),
    )


def test_kembalikan_then_bukan_wewenang_leaves_no_running_limit():
    events = disposed_returned_forwarded(at(3, 9))  # closed 1 HK after the disposition
    statuses = limits(ARRIVED, events, None, SLA, CAL, LATER)
    assert not any(s.running for s in statuses)
    assert [s.key for s in statuses] == ["verifikasi"]  # the first TL is owed by nobody
    assert all(s.zone != Zone.MERAH for s in statuses)
    assert most_urgent(statuses) is None


def test_a_limit_already_missed_at_the_closing_stays_missed_but_stops():
    # disposed Mon 10:00, forwarded only the next Wednesday 10:00: 5 HK + 8 h > 5 HK
    events = disposed_returned_forwarded(at(10, 10))
    statuses = {s.key: s for s in limits(ARRIVED, events, None, SLA, CAL, LATER)}
    first_tl = statuses["tindak_lanjut"]
    assert not first_tl.running and first_tl.zone == Zone.MERAH
    assert first_tl.used == CAL.working_between(at(2, 10), at(10, 10))  # not up to LATER


def test_an_open_report_still_runs_after_kembalikan():
    events = disposed_returned_forwarded(at(3, 9))[:2]  # returned, not yet forwarded
    statuses = {s.key: s for s in limits(ARRIVED, events, None, SLA, CAL, LATER)}
    assert statuses["tindak_lanjut"].running
    assert statuses["tindak_lanjut"].zone == Zone.MERAH


def test_closed_report_counts_no_breach_on_the_card():
    result = score(log(verif("pupr", at(2, 10)), kembalikan(at(2, 14)), bw("bpjn", at(3, 9))),
                   BW, now=LATER)
    assert result.breaches == 0
    waktu = [line for line in result.lines if line.dimension.value == "waktu"]
    assert len(waktu) == 1 and "TL pertama" not in waktu[0].explanation
