"""Mode OPD in the pure domain: is a disposition wrong, did the admin penghubung answer it
right (judge_receipt), their limit to answer, and the simulated Admin Instansi."""

from __future__ import annotations

from datetime import datetime, timedelta

from sandbox.domain.clock import Calendar
from sandbox.domain.decisions import Verdict, judge_receipt, wrongly_disposed
from sandbox.domain.sla import SlaSettings, Zone, own_limits
from sandbox.domain.teammate import BACK_TO_YOU, next_instansi
from sandbox.domain.workflow import Action, Actor, State, actions_for, holds, replay
from tests.domain.events import ev, seq

MON = datetime(2026, 3, 2, 8, 0)
HOUR = timedelta(hours=1)
NAMES = {"dinkes": ("Dinas Kesehatan",), "disdik": ("Dinas Pendidikan",),
         "bpjs-kes": ("BPJS Kesehatan",)}
HEALTH = {"expected_action": "disposisi", "expected_target": "dinkes",
          "acceptable_targets": ["rsud"], "partial_targets": [], "klasifikasi": "aspirasi",
          "kategori": "kesehatan", "rahasia": False, "anonim": True}
OUTSIDE = {**HEALTH, "expected_action": "bukan_wewenang", "expected_target": "bpjs-kes",
           "acceptable_targets": []}
PLAN = {"unit": "dinkes", "wrong": False, "after": 0.25, "redispose_after": 0.5}


def disposed(unit="dinkes", at=MON + HOUR):
    return ev("verifikasi", at, judul="Antrean puskesmas", klasifikasi="aspirasi",
              kategori="kesehatan", unit=unit)


def test_a_disposition_is_wrong_when_the_report_belongs_elsewhere():
    assert not wrongly_disposed(HEALTH, "dinkes")
    assert not wrongly_disposed(HEALTH, "rsud")  # an acceptable alternate
    assert wrongly_disposed(HEALTH, "disdik")
    assert wrongly_disposed(OUTSIDE, "dinkes")  # outside the Pemda altogether


def test_judge_receipt_on_each_answer():
    assert judge_receipt(HEALTH, [], "dinkes", unit_names=NAMES) is None
    waiting = judge_receipt(HEALTH, seq(disposed()), "dinkes", unit_names=NAMES)
    assert (waiting.verdict, waiting.part.fraction, waiting.response) == (Verdict.BELUM, 0, None)

    def answer(key, unit, action, **payload):
        events = seq(disposed(unit), ev(action, MON + 2 * HOUR, **payload))
        return judge_receipt(key, events, unit, unit_names=NAMES)

    back = {"alasan": "Bukan wewenang kami, mohon diteruskan."}
    tl = {"isi": "Ditindaklanjuti."}
    right_tl = answer(HEALTH, "dinkes", "tindak_lanjut", **tl)
    assert (right_tl.verdict, right_tl.part.fraction, right_tl.did) == (
        Verdict.TEPAT, 1, "tindak_lanjut")
    returned_right = answer(HEALTH, "dinkes", "kembalikan", **back)
    assert (returned_right.verdict, returned_right.part.fraction) == (Verdict.SALAH, 0)
    assert "memang wewenang Dinas Kesehatan" in returned_right.part.text
    returned_wrong = answer(OUTSIDE, "dinkes", "kembalikan", **back)
    assert (returned_wrong.verdict, returned_wrong.part.fraction) == (Verdict.TEPAT, 1)
    assert "BPJS Kesehatan, di luar Pemda" in returned_wrong.part.text
    answered_wrong = answer(HEALTH, "disdik", "tindak_lanjut", **tl)
    assert (answered_wrong.verdict, answered_wrong.wrong) == (Verdict.SALAH, True)
    assert "wewenang Dinas Kesehatan, bukan Dinas Pendidikan" in answered_wrong.part.text


def test_the_penghubungs_limit_runs_from_the_disposition_to_their_answer():
    calendar, sla = Calendar(), SlaSettings()
    events = seq(disposed(at=MON + HOUR))
    [running] = own_limits(events, "dinkes", sla, calendar, MON + 3 * HOUR)
    assert (running.key, running.used, running.running) == ("tanggapan", 2 * HOUR, True)
    assert running.limit == calendar.day_length * sla.tindak_lanjut
    late = own_limits(events, "dinkes", sla, calendar, MON + timedelta(days=9))[0]
    assert late.zone == Zone.MERAH
    answered = seq(disposed(at=MON + HOUR), ev("kembalikan", MON + 4 * HOUR, alasan="x" * 12))
    [done] = own_limits(answered, "dinkes", sla, calendar, MON + timedelta(days=9))
    assert (done.used, done.running) == (3 * HOUR, False)
    assert own_limits(events, "disdik", sla, calendar, MON + 3 * HOUR) == []


def test_the_penghubung_acts_only_on_what_is_with_their_opd():
    assert actions_for(State.TERDISPOSISI, Actor.PESERTA_PENGHUBUNG) == [
        Action.KEMBALIKAN, Action.TINDAK_LANJUT]
    assert actions_for(State.BARU, Actor.PESERTA_PENGHUBUNG) == []
    with_them = replay(seq(disposed()))
    assert holds(with_them, "dinkes") and not holds(with_them, "disdik")
    returned = replay(seq(disposed(), ev("kembalikan", MON + 2 * HOUR, alasan="x" * 12)))
    assert not holds(returned, "dinkes")
    assert holds(returned, None)  # individual mode: every report is theirs


def test_the_simulated_admin_instansi_disposes_and_redisposes():
    calendar = Calendar()
    arrived = MON + HOUR
    action, at, payload = next_instansi([], PLAN, HEALTH, arrived, calendar, "Antrean")
    assert (action, at) == (Action.VERIFIKASI, arrived + 2 * HOUR)  # 0.25 HK of 8 hours
    assert (payload["unit"], payload["anonim"], payload["judul"]) == ("dinkes", True,
                                                                      "Antrean")
    assert next_instansi(seq(disposed()), PLAN, HEALTH, arrived, calendar, "A") is None

    returned_at = MON + 4 * HOUR
    outside = seq(disposed(), ev("kembalikan", returned_at, alasan="x" * 12))
    action, at, payload = next_instansi(outside, PLAN, OUTSIDE, arrived, calendar, "A")
    assert (action, at, payload["instansi"]) == (Action.BUKAN_WEWENANG, returned_at + 4 * HOUR,
                                                 "bpjs-kes")
    elsewhere = {**HEALTH, "expected_target": "disdik", "acceptable_targets": []}
    action, _at, payload = next_instansi(outside, PLAN, elsewhere, arrived, calendar, "A")
    assert (action, payload["unit"]) == (Action.VERIFIKASI, "disdik")
    action, _at, payload = next_instansi(outside, PLAN, HEALTH, arrived, calendar, "A")
    assert (action, payload["unit"], payload["catatan"]) == (Action.VERIFIKASI, "dinkes",
                                                             BACK_TO_YOU)


def test_a_report_that_left_the_opd_is_shown_as_gone_not_as_its_new_status():
    from sandbox.domain.workflow import ELSEWHERE_LABEL, RETURNED_LABEL, status_label

    assert status_label(State.TERDISPOSISI, "dinkes", ("dinkes",)) == State.TERDISPOSISI.label
    assert status_label(State.BARU, None, ("dinkes",)) == RETURNED_LABEL
    assert status_label(State.TERDISPOSISI, "disdik", ("dinkes",)) == ELSEWHERE_LABEL
    assert status_label(State.DIPROSES, "disdik", ("dinkes",)) == ELSEWHERE_LABEL
    assert status_label(State.BUKAN_WEWENANG, "bpjs-kes", ("dinkes",)) == \
        State.BUKAN_WEWENANG.label
    assert status_label(State.TERDISPOSISI, "disdik", None) == State.TERDISPOSISI.label
