"""Scripted reporters: what the reporter or the system does next, judged like the score."""

from __future__ import annotations

from datetime import datetime

import pytest

from sandbox.domain.clock import Calendar
from sandbox.domain.simulation import (
    ACCEPTED_VAGUE,
    STARS_EXPOSED,
    Planned,
    ReporterScript,
    due_events,
    next_scripted,
)
from sandbox.domain.sla import SlaSettings
from sandbox.domain.tl_quality import judge_tl
from sandbox.domain.workflow import Action, EventRecord, Role, replay
from tests.domain.events import ev, seq

CAL = Calendar()
SLA = SlaSettings()
ANSWER = "Lokasinya di Jalan Melati RT 02/RW 05, Kelurahan Sukamaju."
CONCRETE = "Petugas kami telah menambal jalan pada Senin, 9 Maret 2026."
VAGUE = "Laporan akan segera ditindaklanjuti oleh dinas terkait."
# A date, "akan" and a unit: the old reporter took this for a concrete answer.
DATED_VAGUE = "Laporan akan kami tindak lanjuti pada Senin, 9 Maret 2026 bersama Dinas PUPR."
FAR = datetime(2026, 12, 31, 16, 0)
DEFAULT_SCRIPT = ReporterScript()


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute)



def verifikasi(sim_at: datetime) -> EventRecord:
    return ev("verifikasi", sim_at, judul="Jalan berlubang di Jalan Melati",
              klasifikasi="pengaduan_tidak_berkadar_pengawasan", kategori="infrastruktur",
              unit="pupr", rahasia=False, anonim=False)


def final_tl(sim_at: datetime, isi: str) -> EventRecord:
    return ev("tindak_lanjut", sim_at, isi=isi, akhir=True)


def plan(events, script=DEFAULT_SCRIPT, settings=SLA, calendar=CAL, **identity):
    return next_scripted(events, script, settings, calendar, ANSWER, **identity)


def due(events, now, script=DEFAULT_SCRIPT, settings=SLA, **identity):
    return due_events(events, script, settings, CAL, ANSWER, now, **identity)


# ------------------------------------------------------------- the reporter's judge


def test_the_reporter_uses_the_scoring_judge():
    # The test texts below mean what they say to the judge the score uses too.
    assert judge_tl(CONCRETE).concrete
    assert not judge_tl(VAGUE).concrete
    assert not judge_tl(DATED_VAGUE).concrete


# ------------------------------------------------------------- tunda replies


@pytest.mark.parametrize(("reply_hk", "expected"), [
    (1.0, at(3, 10)),
    (0.5, at(2, 14)),
    (2.0, at(4, 10)),
    (4.0, at(6, 10)),
    (5.0, at(9, 10)),  # over the weekend
])
def test_tunda_reply_after_script_hk(reply_hk, expected):
    events = seq(ev("tunda", at(2, 10), pertanyaan="Di mana lokasi tepatnya?"))
    planned = plan(events, ReporterScript(tunda_reply=reply_hk))
    assert planned == Planned(Action.PELAPOR_MEMBALAS, expected, {"isi": ANSWER})
    assert planned.action.role == Role.PELAPOR


def test_tunda_reply_never():
    events = seq(ev("tunda", at(2, 10), pertanyaan="Di mana lokasi tepatnya?"))
    assert plan(events, ReporterScript(tunda_reply=None)) is None
    assert due(events, FAR, ReporterScript(tunda_reply=None)) == []


def test_second_tunda_is_answered_from_the_last_question():
    events = seq(ev("tunda", at(2, 10), pertanyaan="Di mana lokasi tepatnya?"),
                 ev("pelapor_membalas", at(3, 10), isi=ANSWER),
                 ev("tunda", at(4, 9), pertanyaan="Nomor rumah berapa?"))
    assert plan(events).sim_at == at(5, 9)


def test_due_tunda_reply_and_nothing_after_it():
    events = seq(ev("tunda", at(2, 10), pertanyaan="Di mana lokasi tepatnya?"))
    assert due(events, at(3, 9, 59)) == []
    replies = due(events, at(3, 10))
    assert replies == [Planned(Action.PELAPOR_MEMBALAS, at(3, 10), {"isi": ANSWER})]
    assert due(events, FAR) == replies  # back in BARU: the reporter waits for the admin


# ------------------------------------------------------------- chasing


def test_chase_at_disposition_plus_tindak_lanjut_hk():
    events = seq(verifikasi(at(2, 10)))
    planned = plan(events)
    assert planned.action == Action.PELAPOR_MENANYAKAN
    assert planned.sim_at == at(9, 10)  # 5 HK: Monday to Monday
    assert "tindak lanjut" in planned.payload["isi"]
    assert plan(events, settings=SlaSettings(tindak_lanjut=2)).sim_at == at(4, 10)


def test_chase_happens_exactly_once():
    events = seq(verifikasi(at(2, 10)))
    assert due(events, at(9, 9, 59)) == []
    chased = due(events, FAR)
    assert [p.action for p in chased] == [Action.PELAPOR_MENANYAKAN]
    assert chased[0].sim_at == at(9, 10)
    after = seq(*events, ev("pelapor_menanyakan", at(9, 10), **chased[0].payload))
    assert replay(after).state.value == "TERDISPOSISI"
    assert plan(after) is None


def test_no_chase_when_chase_is_false():
    events = seq(verifikasi(at(2, 10)))
    assert plan(events, ReporterScript(chase=False)) is None
    assert due(events, FAR, ReporterScript(chase=False)) == []


def test_no_chase_once_a_tl_was_written():
    events = seq(verifikasi(at(2, 10)), ev("tindak_lanjut", at(3, 10), isi="Sedang kami cek ke lokasi.",
                                           akhir=False))
    assert plan(events) is None


def test_chase_after_redisposition_counts_from_the_new_disposition():
    events = seq(verifikasi(at(2, 10)), ev("kembalikan", at(3, 9), alasan="Bukan unit kami."),
                 verifikasi(at(4, 9)))
    assert plan(events).sim_at == at(11, 9)


# ------------------------------------------------------------- after a final TL


def test_accept_concrete_final_tl():
    events = seq(verifikasi(at(2, 10)), final_tl(at(3, 8), CONCRETE))
    planned = plan(events)
    assert planned.action == Action.PELAPOR_MENERIMA
    assert planned.sim_at == at(3, 12)  # 0.5 HK later


def test_reject_vague_final_tl_if_concrete():
    events = seq(verifikasi(at(2, 10)), final_tl(at(3, 8), VAGUE))
    planned = plan(events, ReporterScript(accept="if_concrete", respond_after=1.0))
    assert planned.action == Action.PELAPOR_MENOLAK
    assert planned.sim_at == at(3, 16)  # 1 HK after 08:00 is the same day's closing
    assert planned.action.role == Role.PELAPOR


def test_accept_always_takes_a_vague_final_tl_but_says_it_is_vague():
    events = seq(verifikasi(at(2, 10)), final_tl(at(3, 8), VAGUE))
    planned = plan(events, ReporterScript(accept="always"))
    assert planned.action == Action.PELAPOR_MENERIMA
    assert planned.sim_at == at(3, 12)
    assert planned.payload == {"isi": ACCEPTED_VAGUE}
    assert "belum menyebut apa yang dilakukan" in ACCEPTED_VAGUE


def test_a_date_and_akan_do_not_make_a_tl_concrete_for_the_reporter():
    events = seq(verifikasi(at(2, 10)), final_tl(at(3, 8), DATED_VAGUE))
    assert plan(events).action == Action.PELAPOR_MENOLAK


@pytest.mark.parametrize("respond_after", [None, 10.0, 12.0])
def test_silent_reporter_closes_automatically_after_the_window(respond_after):
    events = seq(verifikasi(at(2, 10)), final_tl(at(3, 8), CONCRETE))
    planned = plan(events, ReporterScript(respond_after=respond_after))
    assert planned.action == Action.SELESAI_OTOMATIS
    assert planned.sim_at == at(16, 16)  # 10 HK after Tuesday 3 March 08:00
    assert planned.action.role == Role.SISTEM
    closing = due(events, FAR, ReporterScript(respond_after=respond_after))
    assert [p.action for p in closing] == [Action.SELESAI_OTOMATIS]  # no rating follows


def test_reporter_window_follows_the_settings():
    events = seq(verifikasi(at(2, 10)), final_tl(at(3, 8), CONCRETE))
    short = SlaSettings(jendela_pelapor=2)
    assert plan(events, ReporterScript(respond_after=None), short).sim_at == at(4, 16)
    # Answering just inside the window still counts as the reporter's answer.
    answer = plan(events, ReporterScript(respond_after=1.9), short)
    assert answer.action == Action.PELAPOR_MENERIMA


# ------------------------------------------------------------- rating and due_events


def test_accept_then_rating_five_for_a_concrete_tl():
    events = seq(verifikasi(at(2, 10)), final_tl(at(3, 8), CONCRETE))
    assert due(events, at(3, 11, 59)) == []
    planned = due(events, at(3, 12))
    assert [p.action for p in planned] == [Action.PELAPOR_MENERIMA, Action.PELAPOR_MENILAI]
    assert [p.sim_at for p in planned] == [at(3, 12), at(3, 12)]
    assert planned[1].payload == {"bintang": "5"}
    assert due(events, FAR) == planned


@pytest.mark.parametrize("text", [VAGUE, DATED_VAGUE])
def test_rating_two_for_an_accepted_vague_tl(text):
    events = seq(verifikasi(at(2, 10)), final_tl(at(3, 8), text))
    planned = due(events, FAR, ReporterScript(accept="always"))
    assert [p.action for p in planned] == [Action.PELAPOR_MENERIMA, Action.PELAPOR_MENILAI]
    assert planned[1].payload == {"bintang": "2"}


# ------------------------------------------------------------- an exposed identity

REPORTER = {"name": "Bagus Mahendra", "phone": "085712345678", "nik": "3399010101900002",
            "requested_anonim": True}
ANONIM_KEY = {"anonim": True, "rahasia": False}


def verifikasi_judul(sim_at, judul):
    return ev("verifikasi", sim_at, judul=judul, klasifikasi="pengaduan_tidak_berkadar_pengawasan",
              kategori="sosial", unit="dinsos", rahasia=False, anonim=True)


@pytest.mark.parametrize("accept", ["always", "if_concrete"])
def test_reporter_protests_an_exposed_name_and_rates_one_star(accept):
    events = seq(verifikasi_judul(at(2, 10), "Pengaduan Bagus Mahendra soal bansos pkh data"),
                 final_tl(at(3, 8), CONCRETE))
    script = ReporterScript(accept=accept)
    first = plan(events, script, reporter=REPORTER, key=ANONIM_KEY)
    assert first.action == Action.PELAPOR_MENILAI
    after = seq(*events, ev("pelapor_menilai", first.sim_at, **first.payload))
    assert plan(after, script, reporter=REPORTER, key=ANONIM_KEY).action == \
        Action.SELESAI_OTOMATIS  # protested once: silent from then on
    planned = due(events, FAR, script, reporter=REPORTER, key=ANONIM_KEY)
    # one star with the protest at once, then silence until the window closes the report
    assert [p.action for p in planned] == [Action.PELAPOR_MENILAI, Action.SELESAI_OTOMATIS]
    protest = planned[0].payload
    assert protest["bintang"] == str(STARS_EXPOSED) == "1"
    assert protest["protes"] == "identitas"
    assert protest["isi"].startswith("Saya keberatan: nama saya terbuka di judul laporan.")
    assert "meminta identitas saya dirahasiakan" in protest["isi"]
    assert planned[0].sim_at == at(3, 12)


def test_reporter_protests_a_phone_in_a_tl_of_a_public_report():
    public = {**REPORTER, "requested_anonim": False}
    events = seq(verifikasi(at(2, 10)), final_tl(at(3, 8), CONCRETE + " Hubungi 0857-1234-5678."))
    planned = plan(events, reporter=public, key={})
    assert planned.action == Action.PELAPOR_MENILAI
    assert "nomor telepon saya terbuka di tindak lanjut" in planned.payload["isi"]
    assert "seharusnya dilindungi" in planned.payload["isi"]


def test_a_reporter_who_never_rates_refuses_once_then_stays_silent():
    events = seq(verifikasi_judul(at(2, 10), "Keluhan Bagus soal data PKH"),
                 final_tl(at(3, 8), CONCRETE))
    script = ReporterScript(rating="none")
    first = plan(events, script, reporter=REPORTER, key=ANONIM_KEY)
    assert first.action == Action.PELAPOR_MENOLAK and first.payload["protes"] == "identitas"
    again = seq(*events, ev("pelapor_menolak", first.sim_at, **first.payload),
                final_tl(at(4, 8), CONCRETE))
    assert plan(again, script, reporter=REPORTER, key=ANONIM_KEY).action == \
        Action.SELESAI_OTOMATIS


def test_no_protest_without_an_exposure():
    events = seq(verifikasi_judul(at(2, 10), "Data penerima PKH belum diperbarui"),
                 final_tl(at(3, 8), CONCRETE))
    planned = due(events, FAR, reporter=REPORTER, key=ANONIM_KEY)
    assert [p.action for p in planned] == [Action.PELAPOR_MENERIMA, Action.PELAPOR_MENILAI]
    assert planned[1].payload == {"bintang": "5"}


def test_no_rating_when_rating_is_none():
    events = seq(verifikasi(at(2, 10)), final_tl(at(3, 8), CONCRETE))
    planned = due(events, FAR, ReporterScript(rating="none"))
    assert [p.action for p in planned] == [Action.PELAPOR_MENERIMA]


def test_no_second_rating():
    events = seq(verifikasi(at(2, 10)), final_tl(at(3, 8), CONCRETE),
                 ev("pelapor_menerima", at(3, 12), isi="Terima kasih."),
                 ev("pelapor_menilai", at(3, 12), bintang="4"))
    assert plan(events) is None
    assert due(events, FAR) == []


def test_rejection_is_due_and_then_the_reporter_waits():
    events = seq(verifikasi(at(2, 10)), final_tl(at(3, 8), VAGUE))
    planned = due(events, FAR)
    assert [p.action for p in planned] == [Action.PELAPOR_MENOLAK]
    assert planned[0].sim_at == at(3, 12)


def test_due_events_follow_each_other_in_order():
    # Each due event is applied before the next is planned: accept, then its rating.
    events = seq(verifikasi(at(2, 10)), final_tl(at(3, 8), CONCRETE))
    script = ReporterScript(respond_after=2.0)
    assert due(events, at(4, 15, 59), script) == []
    planned = due(events, at(4, 16), script)  # 2 HK after Tuesday 08:00
    assert [(p.action, p.sim_at) for p in planned] == [
        (Action.PELAPOR_MENERIMA, at(4, 16)), (Action.PELAPOR_MENILAI, at(4, 16))]
    assert sorted(planned, key=lambda p: p.sim_at) == planned


def test_nothing_scripted_in_closed_or_admin_states():
    assert plan([]) is None  # BARU: the admin acts first
    assert plan(seq(ev("arsipkan", at(2, 9), alasan="spam"))) is None
    assert plan(seq(ev("bukan_wewenang", at(2, 9), instansi="bpjn"))) is None
    assert due([], FAR) == []


# ------------------------------------------------------------- ReporterScript


def test_reporter_script_defaults():
    script = ReporterScript()
    assert script.to_dict() == {"tunda_reply": 1.0, "respond_after": 0.5,
                                "accept": "if_concrete", "chase": True, "rating": "by_answer"}


@pytest.mark.parametrize("script", [
    ReporterScript(),
    ReporterScript(tunda_reply=None, respond_after=None, accept="always", chase=False,
                   rating="none"),
    ReporterScript(tunda_reply=0.25, respond_after=3.0),
])
def test_reporter_script_round_trip(script):
    data = script.to_dict()
    assert ReporterScript.from_dict(data) == script
    assert ReporterScript.from_dict(dict(data)).to_dict() == data


def test_reporter_script_from_nothing_is_the_default():
    assert ReporterScript.from_dict(None) == ReporterScript()
    assert ReporterScript.from_dict({}) == ReporterScript()
    assert ReporterScript.from_dict({"chase": False}) == ReporterScript(chase=False)
