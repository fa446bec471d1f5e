"""Studi komparasi, pure: the same work or not, group figures computed by hand, accuracy
per topic and per report, and an honest word for how large a difference is."""

from __future__ import annotations

import math

import pytest

from sandbox.domain.comparison import (
    FIGURES_BY_KEY,
    NOT_SIGNIFICANCE,
    TOO_SMALL,
    Member,
    ReportInfo,
    SessionFacts,
    SessionResults,
    compare,
    compatibility,
    difference,
    group_figures,
    groups_of,
    median,
    percentile,
    size_word,
)
from sandbox.domain.decisions import Verdict
from sandbox.domain.scoring import ReportScore


def report(number: str, *, routed: bool | None = None, verify: float | None = None,
           first_tl: float | None = None, breaches: int = 0, quality: float | None = None,
           confidentiality: int = 0) -> ReportScore:
    return ReportScore(
        tracking_no=number, lines=[], did="", expected="", explanation="",
        first_time_correct=routed, routed_exactly=routed, verify_hk=verify,
        first_tl_hk=first_tl, breaches=breaches, quality=quality,
        confidentiality_errors=confidentiality, has_tl=quality is not None, selesai=False)


def facts(code: str, **changes) -> SessionFacts:
    values = {"scenario": "bimtek-dasar", "seed": 2026, "scoring_version": 1,
              "region_file": "kabupaten-sukamaju.toml", "mode": "individu",
              "minutes_per_hk": 4.0, **changes}
    return SessionFacts(code=code, **values)


# ------------------------------------------------------------------ percentiles


@pytest.mark.parametrize(("values", "p", "expected"), [
    ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90, 9),  # rank ceil(9.0) = 9
    ([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 90, 9),  # order does not matter
    ([5, 1, 3], 90, 5),  # rank ceil(2.7) = 3
    ([5, 1, 3], 50, 3),  # rank ceil(1.5) = 2
    ([0.25, 0.5, 1.0, 2.0], 90, 2.0),  # rank ceil(3.6) = 4
    ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90, 10),  # rank ceil(9.9) = 10
    ([7], 90, 7),
    ([4, 8], 0, 4),  # rank at least 1
])
def test_the_percentile_is_nearest_rank(values, p, expected):
    assert percentile(values, p) == expected


def test_median_and_percentile_of_nothing_are_none():
    assert median([]) is None and percentile([], 90) is None
    assert median([1, 2, 3, 10]) == 2.5  # the mean of the two middle values
    assert median([3, 1, 2]) == 2


# ------------------------------------------------------------------ group figures


def test_group_figures_by_hand():
    ani = Member("Ani", (
        report("A1", routed=True, verify=0.5, first_tl=1.0, quality=0.8),
        report("A2", routed=False, verify=2.0, breaches=1, quality=0.4, confidentiality=1),
        report("A3"),  # not handled: no times, not routed
    ), total_pct=70.0)
    budi = Member("Budi", (
        report("A1", routed=True, verify=0.25, first_tl=3.0, breaches=2),
        report("A2", routed=True, verify=1.0, first_tl=0.5),
    ), total_pct=50.0)
    figures = group_figures([ani, budi])

    assert figures.participants == 2 and figures.reports == 5
    # 3 of the 4 routed reports went exactly where they should.
    assert (figures.routed, figures.routed_exactly) == (4, 3)
    assert figures.routing_pct == 75.0
    # Verification times pooled: 0.25, 0.5, 1.0, 2.0 -> median (0.5 + 1.0) / 2, P90 rank 4.
    assert figures.verify.values == (0.25, 0.5, 1.0, 2.0)
    assert figures.verify.median == 0.75 and figures.verify.p90 == 2.0
    # First TL: 0.5, 1.0, 3.0 -> median 1.0, P90 rank ceil(2.7) = 3.
    assert figures.first_tl.median == 1.0 and figures.first_tl.p90 == 3.0
    assert figures.breaches_per_participant == 1.5  # 3 breaches, 2 participants
    assert figures.quality_pct == pytest.approx(60.0)  # (0.8 + 0.4) / 2
    assert figures.confidentiality_per_participant == 0.5
    assert figures.total_pct == 60.0


def test_an_empty_group_has_no_figures():
    figures = group_figures([])
    assert figures.participants == 0
    assert figures.routing_pct is None and figures.verify.median is None
    assert figures.breaches_per_participant is None and figures.quality_pct is None


def test_per_participant_figures_by_hand():
    ani = Member("Ani", (report("A1", routed=True, verify=0.5, quality=1.0),
                         report("A2", routed=False, verify=1.5, breaches=2, quality=0.5),
                         report("A3", verify=0.1, confidentiality=1)), total_pct=42.0)
    assert FIGURES_BY_KEY["routing"].value(ani) == 50.0
    assert FIGURES_BY_KEY["verify"].value(ani) == 0.5  # median of 0.1, 0.5, 1.5
    assert FIGURES_BY_KEY["first_tl"].value(ani) is None
    assert FIGURES_BY_KEY["breaches"].value(ani) == 2
    assert FIGURES_BY_KEY["quality"].value(ani) == 75.0
    assert FIGURES_BY_KEY["confidentiality"].value(ani) == 1
    assert FIGURES_BY_KEY["total"].value(ani) == 42.0


def _session(code: str, members, **changes) -> SessionResults:
    reports = {
        "R1": ReportInfo("R1", 1, "jalan", "Jalan rusak", "Jalan berlubang"),
        "R2": ReportInfo("R2", 2, "jalan", "Jalan rusak", "Jalan ambles"),
        "R3": ReportInfo("R3", 3, "bansos", "Bantuan sosial", "BLT belum cair"),
    }
    return SessionResults(facts(code, **changes), f"Sesi {code}", tuple(members), reports)


def test_accuracy_per_topic_and_per_report_counts_each_verdict():
    tepat, salah, belum = Verdict.TEPAT, Verdict.SALAH, Verdict.BELUM
    reports = (report("R1"), report("R2"), report("R3"))
    members = [
        Member("Ani", reports, verdicts={"R1": tepat, "R2": tepat, "R3": salah}),
        Member("Budi", reports, verdicts={"R1": tepat, "R2": Verdict.SEBAGIAN}),  # R3: belum
        Member("Cici", reports[:1], verdicts={"R1": salah}),  # only R1 had arrived
    ]
    group = groups_of(_session("AAA", members))[0]

    r1, r2, r3 = group.traps["R1"], group.traps["R2"], group.traps["R3"]
    assert (r1.received, r1.right, r1.wrong, r1.idle) == (3, 2, 1, 0)
    assert r1.pct == pytest.approx(200 / 3)
    assert (r2.received, r2.right, r2.wrong) == (2, 1, 1)  # sebagian is not right
    assert (r3.received, r3.right, r3.wrong, r3.idle) == (2, 0, 1, 1)
    assert r3.pct == 0
    assert belum == Member("x", ()).verdict("R9")  # no verdict: not handled
    # Fallen into: at least half of those who received it decided it wrongly.
    assert r1.trapped is False and r2.trapped is True and r3.trapped is True
    road, aid = group.topics["jalan"], group.topics["bansos"]
    assert (road.received, road.right) == (5, 3)
    assert (aid.received, aid.right) == (2, 0)


def test_cohorts_are_groups_within_their_session():
    members = [Member("Ani", (report("R1", routed=True),), 80.0, "Angkatan 1"),
               Member("Budi", (report("R1", routed=False),), 40.0, "Angkatan 2"),
               Member("Cici", (report("R1", routed=True),), 60.0, "Angkatan 2")]
    groups = groups_of(_session("AAA", members))
    assert [(g.label, g.cohort, g.figures.participants) for g in groups] == [
        ("AAA", "", 3), ("AAA · Angkatan 1", "Angkatan 1", 1),
        ("AAA · Angkatan 2", "Angkatan 2", 2)]
    assert groups[2].figures.routing_pct == 50.0
    one_cohort = [Member(m.label, m.reports, m.total_pct, "Angkatan 1") for m in members]
    assert len(groups_of(_session("AAA", one_cohort))) == 1  # the same as the session


# ------------------------------------------------------------------ the same work?


def test_a_different_seed_refuses_and_says_why():
    verdict = compatibility([facts("AAA111"), facts("BBB222", seed=7)])
    assert verdict.refused and verdict.refusing
    assert verdict.reasons == [
        "Seed (laporan yang diterima peserta) berbeda: AAA111 «2026», BBB222 «7»."]
    assert "tidak mengerjakan latihan yang sama" in verdict.summary


@pytest.mark.parametrize("change", [{"scenario": "jebakan-kewenangan"}, {"seed": 1},
                                    {"scoring_version": 2}, {"mode": "tim"}])
def test_each_refusing_difference_refuses(change):
    assert compatibility([facts("A"), facts("B", **change)]).refused


def test_allowed_anyway_the_differences_stay_as_a_warning():
    verdict = compatibility([facts("A"), facts("B", seed=7)], allow=True)
    assert not verdict.refused and verdict.refusing
    assert verdict.summary.startswith("Peringatan:")
    assert any("Seed" in reason for reason in verdict.reasons)


def test_minor_differences_are_said_but_do_not_refuse():
    verdict = compatibility([facts("A"), facts("B", minutes_per_hk=8.0,
                                                region_file="kota-lain.toml")])
    assert not verdict.refused and not verdict.refusing
    assert verdict.reasons == ["Berkas wilayah berbeda: A «kabupaten-sukamaju.toml», "
                               "B «kota-lain.toml».",
                               "Kecepatan awal (menit per HK) berbeda: A «4», B «8»."]
    same = compatibility([facts("A"), facts("B"), facts("C")])
    assert same.mismatches == () and "latihan yang sama" in same.summary


def test_an_unrecorded_app_version_is_not_a_difference():
    assert compatibility([facts("A", app_version="0.1.0"), facts("B")]).mismatches == ()
    differ = compatibility([facts("A", app_version="0.1.0"), facts("B", app_version="0.2.0")])
    assert [m.label for m in differ.mismatches] == ["Versi aplikasi"]
    assert not differ.refused


def test_not_handling_a_report_is_not_falling_into_it():
    members = [Member(f"P{i}", (report("R1"),), verdicts=verdicts) for i, verdicts in
               enumerate([{}, {}, {"R1": Verdict.SALAH}, {"R1": Verdict.TEPAT}])]
    trap = groups_of(_session("AAA", members))[0].traps["R1"]
    assert (trap.right, trap.wrong, trap.idle) == (1, 1, 2)
    assert not trap.trapped  # one wrong of four
    members.append(Member("P9", (report("R1"),), verdicts={"R1": Verdict.SALAH}))
    assert groups_of(_session("AAA", members))[0].traps["R1"].trapped is False  # 2 of 5
    members.append(Member("P10", (report("R1"),), verdicts={"R1": Verdict.SEBAGIAN}))
    assert groups_of(_session("AAA", members))[0].traps["R1"].trapped is True  # 3 of 6


def test_a_refused_comparison_has_no_groups_and_an_allowed_one_does():
    members = [Member(f"P{i}", (report("R1", routed=True),), 50.0) for i in range(5)]
    sessions = [_session("A", members), _session("B", members, seed=9)]
    refused = compare(sessions)
    assert refused.compatibility.refused and refused.groups == () and refused.differences == ()
    allowed = compare(sessions, allow=True)
    assert [g.label for g in allowed.groups] == ["A", "B"]
    assert len(allowed.differences) == len(FIGURES_BY_KEY)  # one pair, every figure
    assert [(a, b, len(found)) for a, b, found in allowed.difference_pairs()] == [
        ("A", "B", len(FIGURES_BY_KEY))]


# ------------------------------------------------------------------ how large?


def _members(totals, breaches=None) -> list[Member]:
    breaches = breaches or [0] * len(totals)
    return [Member(f"P{i}", (report(f"R{i}", breaches=b),), float(t))
            for i, (t, b) in enumerate(zip(totals, breaches, strict=True))]


TOTAL = FIGURES_BY_KEY["total"]


@pytest.mark.parametrize(("shift", "word"), [(20, "besar"), (10, "sedang"), (5, "kecil")])
def test_the_difference_is_worded_by_its_size_against_the_spread(shift, word):
    first = _members([60, 70, 80, 90, 100])  # mean 80, variance 250
    second = _members([t - shift for t in (60, 70, 80, 90, 100)])  # same spread
    found = difference(TOTAL, "Kotabaru", first, "Banjar", second)
    assert found.first_n == found.second_n == 5
    assert found.pooled_sd == pytest.approx(math.sqrt(250))
    assert found.effect == pytest.approx(shift / math.sqrt(250))
    assert found.size == word
    assert found.text.startswith(f"Perbedaan {word}: Kotabaru lebih baik")
    assert NOT_SIGNIFICANCE in found.text
    assert found.text.count("signifikan") == 1  # only to say it is not a significance test


@pytest.mark.parametrize(("shift", "times", "word"), [
    (12.2, "0,77", "sedang"),  # 12.2 / √250 = 0.7716: once shown as «0,8» beside «sedang»
    (12.645, "0,79", "sedang"),  # 0.79975: cut, not rounded up past the mark of «besar»
    (12.66, "0,80", "besar"),  # 0.80066
    (7.85, "0,49", "kecil"),  # 0.49646
    (0.5 * math.sqrt(250), "0,50", "sedang"),  # computed as 0.4999…96: still on the mark
    (0.8 * math.sqrt(250), "0,80", "besar"),  # 0.7999…96
])
def test_the_word_agrees_with_the_number_shown(shift, times, word):
    first = _members([60, 70, 80, 90, 100])
    second = _members([t - shift for t in (60, 70, 80, 90, 100)])
    found = difference(TOTAL, "Kotabaru", first, "Banjar", second)
    assert found.size == word
    assert f"selisihnya {times} kali sebaran" in found.text
    assert found.effect_shown == float(times.replace(",", "."))  # as the workbook gives it


def test_five_participants_are_enough_but_four_are_too_few():
    four = difference(TOTAL, "A", _members([60, 70, 80, 90]), "B",
                      _members([10, 20, 30, 40, 50, 60]))
    assert four.size == TOO_SMALL and four.effect is None
    assert four.text.startswith("Kelompok terlalu kecil untuk disimpulkan")
    assert "A 4 peserta, B 6 peserta" in four.text
    five = difference(TOTAL, "A", _members([60, 70, 80, 90, 100]), "B",
                      _members([10, 20, 30, 40, 50, 60]))
    assert five.size == "besar"


def test_for_a_figure_where_less_is_better_the_lower_group_is_better():
    many = _members([50] * 5, breaches=[3, 4, 5, 4, 4])
    few = _members([50] * 5, breaches=[0, 1, 0, 1, 1])
    found = difference(FIGURES_BY_KEY["breaches"], "A", many, "B", few)
    assert found.size == "besar" and found.effect > 0
    assert "B lebih baik" in found.text


def test_no_gap_and_no_spread_are_said_plainly():
    same = difference(TOTAL, "A", _members([50, 60, 70, 80, 90]), "B",
                      _members([90, 80, 70, 60, 50]))
    assert same.size == "tidak ada" and same.text.startswith("Tidak ada perbedaan")
    flat = difference(TOTAL, "A", _members([80] * 5), "B", _members([60] * 5))
    assert flat.size == "besar" and flat.effect is None
    assert "tidak ada sebaran" in flat.text


@pytest.mark.parametrize(("effect", "word"), [(0.0, "kecil"), (0.49, "kecil"), (0.5, "sedang"),
                                              (-0.79, "sedang"), (0.8, "besar"), (-2, "besar")])
def test_size_marks(effect, word):
    assert size_word(effect) == word


def test_sessions_whose_reports_were_written_by_another_generator_are_refused():
    """The same scenario and seed give other texts (and perhaps keys) once the way reports
    are written changes: such sessions did not do the same work."""
    from sandbox.domain.comparison import SessionFacts, compatibility

    old = SessionFacts("AAAAAA", "bimtek-dasar", 7, 1, "kabupaten-sukamaju.toml", "individu")
    new = SessionFacts("BBBBBB", "bimtek-dasar", 7, 1, "kabupaten-sukamaju.toml", "individu",
                       generator_version=2)
    verdict = compatibility([old, new])
    assert verdict.refused
    assert any("Versi pembuat laporan" in reason for reason in verdict.reasons)
    assert not compatibility([new, new]).refusing
