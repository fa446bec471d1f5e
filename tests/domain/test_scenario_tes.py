"""Scenario files with a tes awal and a tes akhir: the `tes` key of a timeline entry, the
checks that make the two tests comparable, and the phase carried into the schedule."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.domain.learning import Phase
from sandbox.domain.scenario import ScenarioError, expand, load_scenario, parse_scenario
from tests.domain.test_scenario import holidays, load_region

ROOT = Path(__file__).resolve().parents[2]

HEAD = """\
format = 1

[scenario]
id = "tes"
title = "Skenario dengan tes"
description = "Tes awal dan tes akhir."
goals = ["Mengukur hasil pelatihan"]
duration_minutes = 60
minutes_per_hk = 5
region = "kabupaten-sukamaju.toml"
seed = 7
start = 2026-03-02T08:00:00
"""


def entry(at: int, phase: str | None, topics: list[str] | None = None, **raw: str) -> str:
    """A [[timeline]] entry; `raw` keys are written as they are (random = 2, ...)."""
    lines = ["", "[[timeline]]", f'at = "+{at} menit"']
    if phase is not None:
        lines.append(f"tes = {phase}")
    if topics is not None:
        lines.append("topics = [" + ", ".join(f'"{t}"' for t in topics) + "]")
    lines += [f"{key} = {value}" for key, value in raw.items()]
    return "\n".join(lines) + "\n"


PRE = ["pdam-air-mati", "jalan-nasional-rusak", "spam-promosi-judi"]  # disposisi, bw, arsip
POST = ["sampah-menumpuk", "listrik-padam-pln", "keluhan-terlalu-umum"]


def problems(text: str) -> list[tuple[int | None, str, str]]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "tes.toml", load_region, holidays())
    return [(p.line, p.field, p.message) for p in caught.value.problems]


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    found = [n for n, line in enumerate(text.splitlines(), 1) if line.strip() == needle]
    return found[occurrence - 1]


def test_two_comparable_tests_are_accepted_and_the_schedule_carries_their_phase():
    text = HEAD + entry(1, '"awal"', PRE) + entry(10, None, ["ktp-el-kk-belum-jadi"]) \
        + entry(40, '"akhir"', POST)
    scenario = parse_scenario(text, "tes.toml", load_region, holidays())
    assert [e.tes for e in scenario.timeline] == [Phase.AWAL, None, Phase.AKHIR]
    schedule, _ = expand(scenario, load_region(scenario.region), scenario.calendar(holidays()))
    phases = {s.complaint.key.topic: s.phase for s in schedule}
    assert phases == {**dict.fromkeys(PRE, Phase.AWAL), "ktp-el-kk-belum-jadi": None,
                      **dict.fromkeys(POST, Phase.AKHIR)}


def test_a_hand_written_complaint_may_be_a_test():
    complaint = """
[[timeline]]
at = "+40 menit"
tes = "akhir"
[timeline.complaint]
id = "spam-arisan"
text = "Ikuti arisan online untung besar, hubungi nomor ini sekarang juga."
expected_action = "arsipkan"
archive_reason = "spam"
klasifikasi = "pengaduan_tidak_berkadar_pengawasan"
kategori = "lainnya"
explanation = "Promosi, bukan laporan."
"""
    text = HEAD + entry(1, '"awal"', ["spam-promosi-judi"]) + complaint
    scenario = parse_scenario(text, "tes.toml", load_region, holidays())
    assert scenario.timeline[1].tes == Phase.AKHIR


def test_a_value_other_than_awal_or_akhir_is_refused_on_its_line():
    text = HEAD + entry(1, '"tengah"', PRE)
    assert problems(text) == [(line_of(text, 'tes = "tengah"'), "timeline[1].tes",
                               'harus "awal" (tes awal) atau "akhir" (tes akhir) '
                               "(tertulis: 'tengah')")]


def test_a_tes_awal_needs_a_tes_akhir():
    text = HEAD + entry(1, '"awal"', PRE)
    assert problems(text) == [(line_of(text, 'tes = "awal"'), "timeline[1].tes",
                               'ada tes awal tetapi tidak ada tes akhir: tambahkan entri dengan '
                               'tes = "akhir" (topik lain, jebakan yang sama)')]


def test_a_tes_akhir_needs_a_tes_awal():
    text = HEAD + entry(40, '"akhir"', POST)
    [(_, field, message)] = problems(text)
    assert field == "timeline[1].tes"
    assert message.startswith("ada tes akhir tetapi tidak ada tes awal")


def test_the_tes_akhir_must_set_the_same_decision_traps_and_says_which_are_missing():
    # Tes awal: disposisi, bukan wewenang, arsip. Tes akhir: disposisi, arsip, tunda.
    text = HEAD + entry(1, '"awal"', PRE) \
        + entry(40, '"akhir"', ["sampah-menumpuk", "keluhan-terlalu-umum",
                                "air-mati-tanpa-lokasi"])
    assert problems(text) == [(line_of(text, 'tes = "akhir"'), "timeline[2].tes",
                               "tes akhir harus memasang jebakan keputusan yang sama dengan tes "
                               "awal: tes akhir tidak punya «Bukan wewenang Pemda» "
                               "(bukan-wewenang) yang ada di tes awal; tes awal tidak punya "
                               "«Perlu keterangan pelapor» (kurang-info) yang ada di tes akhir")]


def test_a_test_spread_over_entries_is_compared_whole():
    text = HEAD + entry(1, '"awal"', PRE[:2]) + entry(3, '"awal"', PRE[2:]) \
        + entry(40, '"akhir"', POST[:1]) + entry(42, '"akhir"', POST[1:])
    scenario = parse_scenario(text, "tes.toml", load_region, holidays())
    assert [e.tes for e in scenario.timeline] == [Phase.AWAL] * 2 + [Phase.AKHIR] * 2


def test_the_two_tests_must_not_share_a_topic():
    text = HEAD + entry(1, '"awal"', PRE) \
        + entry(40, '"akhir"', ["pdam-air-mati", "listrik-padam-pln", "keluhan-terlalu-umum"])
    assert problems(text) == [(line_of(text, 'tes = "akhir"'), "timeline[2].tes",
                               "topik «pdam-air-mati» dipakai di tes awal (timeline[1]) dan tes "
                               "akhir: tes akhir harus memakai topik lain dengan jebakan yang "
                               "sama")]


@pytest.mark.parametrize(("raw", "drawn"), [({"random": "3"}, "random"),
                                            ({"kategori": '"kesehatan"', "count": "2"},
                                             "kategori")])
def test_drawn_reports_cannot_be_a_test(raw, drawn):
    text = HEAD + entry(1, '"awal"', None, **raw) + entry(40, '"akhir"', POST)
    found = problems(text)
    assert (line_of(text, 'tes = "awal"'), "timeline[1].tes",
            f"entri tes harus memakai topics atau complaint, bukan {drawn}: laporan yang diundi "
            "tidak sama untuk semua peserta, jadi tes awal dan tes akhir tidak dapat "
            "dibandingkan") in found


def test_a_test_entry_needs_reports():
    text = HEAD + entry(1, '"awal"', None, note='"Tes awal dimulai."') + entry(40, '"akhir"', POST)
    assert (line_of(text, 'tes = "awal"'), "timeline[1].tes",
            "entri tes harus punya topics atau complaint (laporan tesnya)") in problems(text)


def test_a_duplicate_topic_cannot_be_a_test_report():
    text = HEAD + entry(1, '"awal"', PRE) \
        + entry(40, '"akhir"', [*POST, "duplikat-kirim-ulang"])
    assert (line_of(text, 'tes = "akhir"'), "timeline[2].tes",
            "topik «duplikat-kirim-ulang» mengirim ulang laporan lain, jadi tidak dapat menjadi "
            "laporan tes") in problems(text)


def test_the_tes_akhir_comes_after_the_tes_awal():
    text = HEAD + entry(30, '"awal"', PRE, over='"5 menit"') + entry(20, '"akhir"', POST)
    assert problems(text) == [(line_of(text, 'tes = "akhir"'), "timeline[2].tes",
                               "tes akhir (menit 20) harus datang setelah laporan tes awal "
                               "terakhir (menit 35)")]


def test_mode_opd_refuses_tests():
    text = HEAD.replace('seed = 7', 'seed = 7\nmode = "opd"') \
        + entry(1, '"awal"', None, opd="2") + entry(40, '"akhir"', None, opd="2")
    assert problems(text) == [
        (line_of(text, 'tes = "awal"'), "timeline[1].tes",
         'tidak dipakai dalam mode "opd": setiap OPD menerima laporan yang berbeda, jadi tes '
         "awal dan tes akhir tidak sama untuk semua peserta"),
        (line_of(text, 'tes = "akhir"'), "timeline[2].tes",
         'tidak dipakai dalam mode "opd": setiap OPD menerima laporan yang berbeda, jadi tes '
         "awal dan tes akhir tidak sama untuk semua peserta")]


def test_mode_tim_allows_tests():
    text = HEAD.replace('seed = 7', 'seed = 7\nmode = "tim"') \
        + '\n[tim]\nkursi = [["pdam"], ["dlh"]]\n' + entry(1, '"awal"', PRE) \
        + entry(40, '"akhir"', POST)
    scenario = parse_scenario(text, "tes.toml", load_region, holidays())
    assert scenario.mode == "tim" and scenario.timeline[1].tes == Phase.AKHIR


def test_the_shipped_bimtek_tes_has_two_tests_of_four_reports():
    path = ROOT / "scenarios" / "bimtek-tes.toml"
    scenario = load_scenario(path, load_region, holidays())
    schedule, _ = expand(scenario, load_region(scenario.region), scenario.calendar(holidays()))
    by_phase = {phase: [s for s in schedule if s.phase == phase] for phase in Phase}
    assert [len(by_phase[p]) for p in Phase] == [4, 4]
    assert len(schedule) > 8 + 10  # an exercise in between
    assert max(s.complaint.arrived_at for s in by_phase[Phase.AWAL]) < \
        min(s.complaint.arrived_at for s in schedule if s.phase is None)
    assert max(s.complaint.arrived_at for s in schedule if s.phase is None) < \
        min(s.complaint.arrived_at for s in by_phase[Phase.AKHIR])
