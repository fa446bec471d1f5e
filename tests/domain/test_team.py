"""Mode tim in the pure domain: the [tim] table, seats and who holds a shared report,
the version check, the relay's stretches, and the simulated teammates at skill 0 and 1."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from sandbox.domain.clock import Calendar
from sandbox.domain.errors import ConflictError, RoleError
from sandbox.domain.scenario import ScenarioError, TeamSettings
from sandbox.domain.team import (
    INSTANSI_SEAT,
    OUTSIDE,
    check_conflict,
    check_holds,
    describe_stretch,
    end_to_end_hk,
    hand_offs,
    holder,
    seat_actor,
    seats_of,
    sees,
    stretches,
)
from sandbox.domain.teammate import Crew, next_teammate
from sandbox.domain.workflow import Action, Actor, EventRecord, replay
from tests.domain.test_scenario_opd import line_of, parse, variant

SEATS = seats_of([("dinkes",), ("disdik", "dinsos")])
START = datetime(2026, 3, 2, 8, 0)
CALENDAR = Calendar()
VERIFY = {"judul": "Ruang kelas SD rusak", "klasifikasi": "pengaduan_tidak_berkadar_pengawasan",
          "kategori": "pendidikan", "rahasia": False, "anonim": False}
KEY_DISDIK = {"topic": "sd", "expected_action": "disposisi", "expected_target": "disdik",
              "acceptable_targets": [], "partial_targets": [], "klasifikasi": "aspirasi",
              "kategori": "pendidikan", "rahasia": False, "anonim": False}

TIM = ('mode = "tim"', 'mode = "tim"')


def team_text(table: str = '[tim]\nkursi = [["dinkes"], ["disdik", "dinsos"]]\n'
              'keterampilan_rekan = 0.5\njeda_rekan = "2 jam"\n') -> str:
    text = variant('mode = "opd"', 'mode = "tim"')
    text = variant('[opd]\nsalah_disposisi = 0.25\njeda_admin = "0.5 HK"\n'
                   'jeda_disposisi_ulang = "1 jam"\n', table, text)
    return text.replace("opd = 3", 'topics = ["pdam-air-mati"]').replace("opd = 5", "random = 2")


def event(seq, action, payload=None, hours=0.0, actor="Ina"):
    action = Action(action)
    at = START + timedelta(hours=hours)
    return EventRecord(seq, action, action.role, actor, payload or {}, at, at)


# ---------------------------------------------------------------- the [tim] table


def test_the_tim_table_names_seats_and_the_simulated_teammates():
    scenario = parse(team_text())
    assert scenario.mode == "tim"
    assert scenario.tim == TeamSettings((("dinkes",), ("disdik", "dinsos")), 0.5, 0.25)
    assert scenario.tim.to_dict() == {"kursi": [["dinkes"], ["disdik", "dinsos"]],
                                      "skill": 0.5, "delay": 0.25}


@pytest.mark.parametrize(("table", "field", "words"), [
    ("", "tim", "memerlukan tabel [tim]"),
    ('[tim]\nkursi = []\n', "tim.kursi", "daftar kursi"),
    ('[tim]\nkursi = [["dinkes"], ["dinkes"]]\n', "tim.kursi", "muncul di dua kursi"),
    ('[tim]\nkursi = [["bpjn"]]\n', "tim.kursi", "bukan kode OPD Pemda"),
    ('[tim]\nkursi = [["dinkes"]]\nketerampilan_rekan = 2\n', "tim.keterampilan_rekan",
     "paling besar 1"),
    ('[tim]\nkursi = [["dinkes"]]\njeda_rekan = "9 HK"\n', "tim.jeda_rekan", "paling lama 3"),
    ('[tim]\nkursi = [["dinkes"]]\nkursus = 1\n', "tim.kursus", ""),
])
def test_a_broken_tim_table_is_refused_with_the_field(table, field, words):
    with pytest.raises(ScenarioError) as caught:
        parse(team_text(table))
    found = [p for p in caught.value.problems if p.field == field]
    assert found and words in found[0].message


def test_a_tim_table_outside_mode_tim_is_refused_on_its_line():
    text = variant('mode = "tim"', 'mode = "individu"', team_text())
    with pytest.raises(ScenarioError) as caught:
        parse(text)
    found = [p for p in caught.value.problems if p.field == "tim"]
    assert found and found[0].line == line_of(text, "[tim]")


# ---------------------------------------------------------------- seats


def test_the_admin_instansi_holds_what_awaits_verification_and_what_it_keeps():
    disposed = [event(1, "verifikasi", {**VERIFY, "unit": "dinsos"})]
    assert holder(replay([]), SEATS) == INSTANSI_SEAT
    assert holder(replay(disposed), SEATS) == "opd-2"  # dinsos sits with disdik
    returned = [*disposed, event(2, "kembalikan", {"alasan": "x" * 12})]
    assert holder(replay(returned), SEATS) == INSTANSI_SEAT
    outside = [event(1, "verifikasi", {**VERIFY, "unit": "pupr"})]
    assert holder(replay(outside), SEATS) == OUTSIDE
    kept = [event(1, "kelola_sendiri", VERIFY)]
    assert holder(replay(kept), SEATS) == INSTANSI_SEAT
    closed = [event(1, "arsipkan", {"alasan": "spam"})]
    assert holder(replay(closed), SEATS) is None
    assert seat_actor(SEATS[0]) == Actor.PESERTA_INSTANSI
    assert seat_actor(SEATS[1]) == Actor.PESERTA_PENGHUBUNG


def test_a_seat_that_does_not_hold_the_report_is_told_why():
    disposed = replay([event(1, "verifikasi", {**VERIFY, "unit": "dinkes"})])
    check_holds(disposed, SEATS[1], SEATS)  # Dinkes's seat holds it
    with pytest.raises(RoleError, match="sedang berada di OPD tujuan"):
        check_holds(disposed, SEATS[0], SEATS)
    with pytest.raises(RoleError, match="tidak sedang berada di OPD Anda"):
        check_holds(disposed, SEATS[2], SEATS)


def test_a_penghubung_sees_only_what_was_ever_disposed_to_their_opds():
    events = [event(1, "verifikasi", {**VERIFY, "unit": "dinkes"}),
              event(2, "kembalikan", {"alasan": "x" * 12}),
              event(3, "verifikasi", {**VERIFY, "unit": "dinsos"})]
    assert sees(SEATS[0], []) and sees(SEATS[1], events) and sees(SEATS[2], events)
    assert not sees(SEATS[2], events[:2])


def test_a_teammates_action_since_the_page_was_loaded_is_a_conflict():
    events = [event(1, "verifikasi", {**VERIFY, "unit": "dinkes"}),
              event(2, "pelapor_menanyakan", {"isi": "Bagaimana?"}, actor="Pelapor"),
              event(3, "kembalikan", {"alasan": "x" * 12}, actor="Kiki")]
    check_conflict(events[:2], 1)  # the reporter's chase is not a conflict
    with pytest.raises(ConflictError, match="diubah oleh Kiki"):
        check_conflict(events, 2)
    with pytest.raises(ConflictError, match="tidak membawa versi"):
        check_conflict(events, None)


# ---------------------------------------------------------------- the relay


def test_stretches_hand_offs_and_end_to_end_time_in_working_days():
    events = [event(1, "verifikasi", {**VERIFY, "unit": "dinkes"}, hours=8),   # 1 HK
              event(2, "kembalikan", {"alasan": "x" * 12}, hours=24 + 8),       # Tue 16:00
              event(3, "verifikasi", {**VERIFY, "unit": "disdik"}, hours=48 + 4),
              event(4, "tindak_lanjut", {"isi": "TL", "akhir": True}, hours=48 + 6),
              event(5, "pelapor_menerima", {"isi": "ok"}, hours=48 + 7, actor="Pelapor")]
    path = stretches(events, START, CALENDAR, START + timedelta(days=5))
    assert [(s.holder, s.ended_by) for s in path] == [
        ("instansi", Action.VERIFIKASI), ("dinkes", Action.KEMBALIKAN),
        ("instansi", Action.VERIFIKASI), ("disdik", Action.TINDAK_LANJUT),
        ("pelapor", Action.PELAPOR_MENERIMA)]
    assert [s.hk for s in path] == [1.0, 1.0, 0.5, 0.25, 0.125]
    assert hand_offs(events) == 3
    assert end_to_end_hk(events, START, CALENDAR) == 2.875
    assert describe_stretch(path[1], {"dinkes": "Dinkes (Kiki)"}, CALENDAR) == \
        "menunggu 1 HK di Dinkes (Kiki) sebelum dikembalikan"
    assert describe_stretch(path[-1], {}, CALENDAR) == \
        "menunggu pelapor 1 jam sampai pelapor menerima jawaban"
    open_path = stretches(events[:1], START, CALENDAR, START + timedelta(hours=27))
    assert describe_stretch(open_path[-1], {}, CALENDAR) == \
        "menunggu 3 jam di dinkes sampai sekarang"


# ---------------------------------------------------------------- teammates


def crew(skill, staffed=frozenset({"opd-1", "opd-2"})):
    return Crew(seats=SEATS, staffed=staffed, skill=skill, delay=0.25, seed="7:101",
                title="Ruang kelas SD rusak", arrived_at=START,
                unit_names={"dinkes": "Dinkes", "disdik": "Disdikbud", "pupr": "DPUPR"})


def test_a_simulated_admin_instansi_at_skill_1_disposes_rightly_after_its_delay():
    action, at, payload = next_teammate([], crew(1.0), KEY_DISDIK, CALENDAR)
    assert (action, at, payload["unit"]) == (Action.VERIFIKASI, START + timedelta(hours=2),
                                             "disdik")


def test_a_simulated_admin_instansi_at_skill_0_disposes_to_another_opd_of_the_team():
    action, _at, payload = next_teammate([], crew(0.0), KEY_DISDIK, CALENDAR)
    assert action == Action.VERIFIKASI and payload["unit"] in {"dinkes", "dinsos"}
    # After the OPD returns it, it disposes rightly, telling the OPD when it was theirs.
    returned = [event(1, "verifikasi", {**VERIFY, "unit": "dinkes"}),
                event(2, "kembalikan", {"alasan": "x" * 12}, hours=1)]
    action, at, payload = next_teammate(returned, crew(0.0), KEY_DISDIK, CALENDAR)
    assert (action, payload["unit"], at) == (Action.VERIFIKASI, "disdik",
                                             START + timedelta(hours=3))


def test_nobody_is_simulated_where_a_person_sits():
    staffed = frozenset({INSTANSI_SEAT, "opd-1", "opd-2"})
    assert next_teammate([], crew(1.0, staffed), KEY_DISDIK, CALENDAR) is None
    disposed = [event(1, "verifikasi", {**VERIFY, "unit": "disdik"})]
    assert next_teammate(disposed, crew(1.0, staffed), KEY_DISDIK, CALENDAR) is None


def test_a_simulated_penghubung_returns_a_wrong_disposition_at_skill_1_and_answers_at_0():
    wrong = [event(1, "verifikasi", {**VERIFY, "unit": "pupr"})]  # an OPD outside the team
    action, _at, payload = next_teammate(wrong, crew(1.0), KEY_DISDIK, CALENDAR)
    assert action == Action.KEMBALIKAN and "bukan wewenang DPUPR" in payload["alasan"]
    action, _at, payload = next_teammate(wrong, crew(0.0), KEY_DISDIK, CALENDAR)
    assert action == Action.TINDAK_LANJUT and payload["akhir"] is True


def test_a_simulated_penghubungs_tl_is_concrete_at_skill_1_and_vague_at_0():
    from sandbox.domain.tl_quality import judge_tl

    right = [event(1, "verifikasi", {**VERIFY, "unit": "disdik"})]
    empty = frozenset({INSTANSI_SEAT})  # every penghubung seat simulated
    _a, _t, good = next_teammate(right, crew(1.0, empty), KEY_DISDIK, CALENDAR)
    _a, _t, vague = next_teammate(right, crew(0.0, empty), KEY_DISDIK, CALENDAR)
    assert judge_tl(good["isi"]).concrete and not judge_tl(vague["isi"]).concrete
    assert "Disdikbud" in good["isi"]


# ---------------------------------------------------------------- scores by role


def _scored(events, **role):
    from sandbox.domain.scoring import ReportInput, ScoringSettings, score_report
    from sandbox.domain.sla import SlaSettings

    report = ReportInput(tracking_no="101", arrived_at=START, key=KEY_DISDIK, reporter={},
                         events=events, unit_names={"disdik": ("Disdikbud",),
                                                    "dinkes": ("Dinkes",)}, **role)
    return score_report(report, [], ScoringSettings(), SlaSettings(), CALENDAR,
                        START + timedelta(days=3))


def _lines(score):
    return {line.dimension.value: (line.points, line.maximum) for line in score.lines
            if line.passed is None}


RIGHT = {**VERIFY, "klasifikasi": "aspirasi", "unit": "disdik"}
VAGUE = {"isi": "Terima kasih, laporan akan segera kami tindak lanjuti.", "akhir": True}


def test_the_admin_instansis_card_by_hand():
    """Disposed rightly after 2 hours (0.25 of 3 HK: green), wrongly first on a second
    report: only verifying and routing count, never the OPD's TL."""
    events = [event(1, "verifikasi", RIGHT, hours=2),
              event(2, "tindak_lanjut", VAGUE, hours=4, actor="Dodi")]
    score = _scored(events, instansi_only=True)
    assert _lines(score) == {"aksi": (15, 15), "routing": (25, 25), "klasifikasi": (10, 10),
                             "kerahasiaan": (15, 15), "waktu": (15, 15)}
    assert score.did == "disposisi ke Disdikbud"  # not the OPD's TL
    wrong_first = [event(1, "verifikasi", {**RIGHT, "unit": "dinkes"}, hours=2),
                   event(2, "kembalikan", {"alasan": "x" * 12}, hours=3, actor="Kiki"),
                   event(3, "verifikasi", RIGHT, hours=4)]
    lines = _lines(_scored(wrong_first, instansi_only=True))
    assert lines["routing"] == (22.5, 25)  # one extra disposition costs 10% of routing


def test_the_penghubungs_card_by_hand_counts_only_their_opds_answers():
    """Dinkes got a wrong disposition and returned it in 2 hours (full marks); Disdik's
    vague TL afterwards is not Dinkes's."""
    events = [event(1, "verifikasi", {**RIGHT, "unit": "dinkes"}, hours=1),
              event(2, "kembalikan", {"alasan": "Bukan wewenang Dinkes, mohon diteruskan."},
                    hours=3, actor="Kiki"),
              event(3, "verifikasi", RIGHT, hours=4),
              event(4, "tindak_lanjut", VAGUE, hours=5, actor="Dodi")]
    score = _scored(events, own_unit="dinkes")
    lines = _lines(score)
    assert lines["penerimaan"] == (25, 25) and lines["waktu"] == (15, 15)
    assert "kualitas" not in lines and "hasil" not in lines
    assert score.did == "kembalikan ke admin instansi"
    disdik = _lines(_scored(events, own_unit="disdik"))
    assert disdik["penerimaan"] == (25, 25) and disdik["kualitas"][1] == 10
    assert disdik["kualitas"][0] < 5  # a vague TL



def test_a_near_copy_is_only_ever_of_the_trainees_own_tls():
    from sandbox.domain.scoring import ReportInput, copies_among

    text = ("Petugas telah meninjau lokasi pada Selasa, 3 Maret 2026 dan perbaikan "
            "dijadwalkan pada Kamis, 5 Maret 2026; kami kabari hasilnya.")
    theirs = [event(1, "verifikasi", RIGHT, hours=1),
              event(2, "tindak_lanjut", {"isi": text, "akhir": True}, hours=2, actor="Dodi")]
    others = [event(1, "verifikasi", RIGHT, hours=1),
              event(2, "kembalikan", {"alasan": "x" * 12}, hours=2, actor="Dodi"),
              event(3, "verifikasi", {**RIGHT, "unit": "dinsos"}, hours=3),
              event(4, "tindak_lanjut", {"isi": text, "akhir": True}, hours=4, actor="Sari")]

    def report(number, events):
        return ReportInput(tracking_no=number, arrived_at=START, key=KEY_DISDIK, reporter={},
                           events=events, own_unit="disdik")

    assert copies_among([report("1", theirs), report("2", others)], 0.6) == {}
    both = [report("1", theirs), report("2", theirs)]
    assert copies_among(both, 0.6) == {"1": ["2"], "2": ["1"]}


def test_an_opds_interim_tl_is_told_with_its_wait():
    events = [event(1, "verifikasi", RIGHT, hours=1),
              event(2, "tindak_lanjut", {"isi": "TL sementara", "akhir": False}, hours=2),
              event(3, "tindak_lanjut", {"isi": "TL akhir", "akhir": True}, hours=5)]
    path = stretches(events, START, CALENDAR, START + timedelta(hours=6))
    assert describe_stretch(path[1], {"disdik": "Disdikbud"}, CALENDAR) == \
        "menunggu 4 jam di Disdikbud sebelum TL akhir (TL pertama setelah 1 jam)"


def test_a_simulated_admin_instansi_writes_a_neutral_judul():
    from sandbox.domain.teammate import neutral_title

    assert neutral_title("Petugas puskesmas bernama meminta uang kepada pasien") == \
        "Petugas puskesmas meminta uang kepada pasien"
    assert neutral_title("Tetangga bernama membuang sampah dan limbah sembarangan (pelapor "
                         "menulis NIK dan nomor HP)") == \
        "Tetangga membuang sampah dan limbah sembarangan"
    assert neutral_title("Lampu penerangan jalan umum (PJU) mati") == \
        "Lampu penerangan jalan umum mati"
