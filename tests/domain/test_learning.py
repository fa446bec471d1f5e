"""Tes awal and tes akhir, pure: which report is a test, each participant's change, and a
group's paired gain computed by hand, worded honestly (never as significance)."""

from __future__ import annotations

import math
import statistics

import pytest

from sandbox.domain.comparison import SMALL_GROUP, TOO_SMALL
from sandbox.domain.decisions import Verdict
from sandbox.domain.learning import (
    GAIN_NOT_SIGNIFICANCE,
    MEASURES,
    Attempt,
    Learner,
    Phase,
    changes,
    gain,
    learning_groups,
    parse_phase,
    phase_of,
    session_learning,
    side_by_side,
    trap_shifts,
)
from sandbox.domain.scoring import Dimension, ReportScore, Summary, TraineeScore

MEASURE = {m.key: m for m in MEASURES}
# The four reports of a test, in arrival order, and the trap each one sets: a rahasia
# disposition, a report that is not the Pemda's, one to archive, one to hold (tunda).
KEYS = ({"expected_action": "disposisi", "rahasia": True}, {"expected_action": "bukan_wewenang"},
        {"expected_action": "arsipkan"}, {"expected_action": "tunda"})


def attempt(total: float | None, right: int = 0, *, leaks: int = 0,
            klasifikasi: tuple[float, float] = (0.0, 0.0), prefix: str = "R") -> Attempt:
    """A test of four reports: the first `right` decided right, the others wrongly; the
    first report's reporter exposed `leaks` times. `total` None: a test not handled."""
    numbers = [f"{prefix}{i}" for i in range(4)]
    reports = [ReportScore(
        tracking_no=n, lines=[], did="", expected="", explanation="",
        first_time_correct=None, routed_exactly=None, verify_hk=None, first_tl_hk=None,
        breaches=0, quality=None, confidentiality_errors=leaks if i == 0 else 0,
        has_tl=False, selesai=False) for i, n in enumerate(numbers)]
    summary = Summary(
        reports=4, with_tl_pct=0, selesai_pct=0, routing_exact_pct=0, routing_first_time_pct=0,
        verify_median_hk=None, verify_p90_hk=None, first_tl_median_hk=None,
        first_tl_p90_hk=None, breaches=0, quality_avg_pct=None, confidentiality_errors=leaks,
        accuracy_pct=0, speed_pct=0, total_pct=total or 0.0,
        handled=0 if total is None else 4)
    card = TraineeScore(reports, summary, {Dimension.KLASIFIKASI: klasifikasi})
    verdicts = {} if total is None else {
        n: Verdict.TEPAT if i < right else Verdict.SALAH for i, n in enumerate(numbers)}
    return Attempt(card, verdicts, dict(zip(numbers, KEYS, strict=True)))


def learner(name: str, pre: float | None, post: float | None, pre_right: int = 0,
            post_right: int = 0, cohort: str = "", pre_leaks: int = 0) -> Learner:
    return Learner(name, cohort, attempt(pre, pre_right, leaks=pre_leaks),
                   attempt(post, post_right, prefix="S"))


# The hand-built room: six paired participants, one without the tes akhir, one who took
# neither test.
#          total pre → post   right decisions (of 4) pre → post
ROOM = [learner("Ani", 40, 60, 1, 3), learner("Budi", 50, 60, 2, 3),
        learner("Cici", 60, 70, 2, 3), learner("Dodi", 30, 60, 0, 2, pre_leaks=1),
        learner("Eka", 70, 70, 3, 3), learner("Fajar", 80, 70, 4, 3),
        learner("Gita", 55, None, 2), learner("Hadi", None, None)]


# ------------------------------------------------------------------ which reports are tests


def test_a_test_report_is_read_from_its_answer_key():
    assert phase_of({"expected_action": "disposisi", "tes": "awal"}) == Phase.AWAL
    assert phase_of({"tes": "akhir"}) == Phase.AKHIR
    assert Phase.AWAL.label == "Tes awal" and Phase.AKHIR.label == "Tes akhir"


@pytest.mark.parametrize("key", [{}, {"tes": None}, {"tes": "tengah"}, {"tes": 1},
                                 {"tes": ["awal"]}])
def test_anything_else_is_an_exercise_report(key):
    assert phase_of(key) is None


def test_parse_phase_takes_only_the_two_words():
    assert parse_phase("akhir") == Phase.AKHIR
    assert parse_phase("Awal") is None and parse_phase(True) is None


# ------------------------------------------------------------------ one participant


def test_a_participants_change_per_measure():
    found = {c.measure.key: c for c in changes(ROOM[0])}
    assert (found["total"].pre, found["total"].post, found["total"].gain) == (40, 60, 20)
    assert (found["keputusan"].pre, found["keputusan"].post) == (25, 75)  # 1/4 and 3/4
    assert found["keputusan"].gain == 50
    assert "klasifikasi" not in found  # neither test scored it (maximum 0)


def test_a_test_not_handled_has_no_figures():
    found = {c.measure.key: c for c in changes(ROOM[6])}  # Gita: no tes akhir
    assert (found["total"].pre, found["total"].post, found["total"].gain) == (55, None, None)
    assert not ROOM[6].paired and not ROOM[7].took(Phase.AWAL)
    assert changes(ROOM[7]) == []


# ------------------------------------------------------------------ a group, by hand


def test_the_paired_gain_computed_by_hand():
    found = gain(MEASURE["total"], ROOM)
    # The six paired: differences +20, +10, +10, +30, 0, −10. Gita (no tes akhir) and Hadi
    # (no test) are left out.
    assert found.pairs == 6
    assert found.mean_pre == pytest.approx(330 / 6)  # 40+50+60+30+70+80 = 330 → 55
    assert found.mean_post == pytest.approx(390 / 6)  # 65
    assert found.mean_gain == pytest.approx(10)  # 60 / 6
    assert (found.improved, found.same, found.worse) == (4, 1, 1)
    # Deviations from 10: 10, 0, 0, 20, −10, −20; squares 100+0+0+400+100+400 = 1000;
    # variance 1000 / (6 − 1) = 200; SD √200 = 14.142…
    assert found.sd == pytest.approx(math.sqrt(200))
    assert found.effect == pytest.approx(10 / math.sqrt(200))  # 0.7071…
    assert found.effect_shown == 0.70
    assert found.size == "sedang"  # 0.5 ≤ 0.70 < 0.8
    assert found.text.startswith("Kenaikan sedang: rata-rata naik 10 poin (tes awal 55%, "
                                 "tes akhir 65%); 0,70 kali sebaran perubahan antarpeserta "
                                 "(SD selisih 14,1 poin).")
    assert found.text.endswith(GAIN_NOT_SIGNIFICANCE)
    assert found.text.count("signifikan") == 1  # only to say it is not a significance test


def test_the_gain_in_right_decisions_by_hand():
    found = gain(MEASURE["keputusan"], ROOM)
    # Right of 4, pre → post: 1→3, 2→3, 2→3, 0→2, 3→3, 4→3: in %, differences
    # +50, +25, +25, +50, 0, −25; mean 125/6 = 20.83.
    differences = [50, 25, 25, 50, 0, -25]
    assert found.mean_pre == pytest.approx(50)  # (25+50+50+0+75+100) / 6
    assert found.mean_post == pytest.approx(425 / 6)
    assert found.mean_gain == pytest.approx(125 / 6)
    assert found.sd == pytest.approx(statistics.stdev(differences))
    assert found.effect == pytest.approx((125 / 6) / statistics.stdev(differences))


def test_the_room_and_its_counts():
    room = learning_groups("Semua peserta", ROOM)[0]
    assert (room.members, room.paired, room.lacking) == (8, 6, 2)
    assert (room.without_pre, room.without_post) == (1, 2)  # Hadi; Gita and Hadi
    assert not room.too_small
    # Only what some test measured: these cards score no klasifikasi, kerahasiaan, ...
    assert [g.measure.key for g in room.gains] == ["total", "keputusan"]


def test_the_share_who_fell_into_each_trap_by_hand():
    shifts = {s.trap.key: s for s in trap_shifts(ROOM)}
    # Pre right counts 1, 2, 2, 0, 3, 4: the k-th report is fallen into when right < k.
    assert (shifts["disposisi"].pre_fell, shifts["disposisi"].post_fell) == (1, 0)  # Dodi
    assert (shifts["bukan-wewenang"].pre_fell, shifts["bukan-wewenang"].post_fell) == (2, 0)
    assert (shifts["arsip"].pre_fell, shifts["arsip"].post_fell) == (4, 1)
    assert (shifts["kurang-info"].pre_fell, shifts["kurang-info"].post_fell) == (5, 6)
    assert (shifts["rahasia"].pre_fell, shifts["rahasia"].post_fell) == (1, 0)  # Dodi's leak
    assert all(s.pre_judged == s.post_judged == 6 for s in shifts.values())  # the paired
    assert shifts["arsip"].pre_pct == pytest.approx(400 / 6)
    assert list(shifts) == ["disposisi", "bukan-wewenang", "arsip", "kurang-info", "rahasia"]
    assert "anonim" not in shifts  # no test report set it


def test_falling_once_in_a_test_counts_even_when_a_later_report_of_the_trap_is_right():
    wrong_then_right = Attempt(attempt(50).card, {"R0": Verdict.SALAH, "R1": Verdict.TEPAT},
                               {"R0": KEYS[0], "R1": KEYS[0]})  # two rahasia dispositions
    shifts = {s.trap.key: s for s in trap_shifts(
        [Learner("Ina", "", wrong_then_right, attempt(50, 4))])}
    assert (shifts["disposisi"].pre_fell, shifts["disposisi"].pre_judged) == (1, 1)


def test_an_undecided_report_is_not_a_fall():
    opened = attempt(50, 0)  # opened (handled), but no decision made: every verdict BELUM
    undecided = Learner("Ina", "", Attempt(opened.card, {}, opened.keys), attempt(50, 4))
    shifts = {s.trap.key: s for s in trap_shifts([undecided])}
    assert shifts["disposisi"].pre_judged == 0 and shifts["disposisi"].post_judged == 1


# ------------------------------------------------------------------ honest words


def test_fewer_than_five_pairs_is_too_small_but_the_numbers_are_shown():
    four = ROOM[:4]  # differences +20, +10, +10, +30
    found = gain(MEASURE["total"], four)
    assert found.pairs == 4 < SMALL_GROUP
    assert found.size == TOO_SMALL
    assert found.sd is None and found.effect is None and found.effect_shown is None
    assert found.mean_pre == pytest.approx(45) and found.mean_post == pytest.approx(62.5)
    assert found.mean_gain == pytest.approx(17.5)
    assert (found.improved, found.same, found.worse) == (4, 0, 0)
    assert found.text == (f"{TOO_SMALL.capitalize()}: 4 peserta dengan angka ini di kedua "
                          "tes; perlu minimal 5.")
    assert learning_groups("Semua", four)[0].too_small


def test_five_pairs_are_enough():
    assert gain(MEASURE["total"], ROOM[:5]).size != TOO_SMALL


def test_everyone_improving_by_the_same_is_said_plainly():
    same = [learner(f"P{i}", 50 + i, 60 + i) for i in range(5)]
    found = gain(MEASURE["total"], same)
    assert found.sd == 0 and found.effect is None and found.size == "besar"
    assert found.text.startswith("Kenaikan besar: semua peserta naik persis 10 poin")


def test_no_change_on_average_is_said_plainly():
    even = [learner(f"P{i}", 50, 50 + d) for i, d in enumerate((10, -10, 5, -5, 0))]
    found = gain(MEASURE["total"], even)
    assert found.size == "tidak ada" and found.mean_gain == pytest.approx(0)
    assert found.text.startswith("Tidak ada perubahan rata-rata (tes awal 50%, tes akhir 50%)")


def test_a_drop_is_called_a_drop():
    worse = [learner(f"P{i}", 70, 70 - d) for i, d in enumerate((10, 20, 10, 20, 15))]
    found = gain(MEASURE["total"], worse)
    assert found.mean_gain == pytest.approx(-15) and found.effect < 0
    assert found.text.startswith("Penurunan besar: rata-rata turun 15 poin")


@pytest.mark.parametrize(("spread", "times", "word"), [
    (50, "0,40", "kecil"), (32, "0,62", "sedang"), (20, "1,00", "besar"), (25.2, "0,79", "sedang")])
def test_the_word_follows_the_comparison_marks(spread, times, word):
    # Differences 10 ± spread/2, three each way and one in the middle: variance
    # 6 × (spread/2)² / 6, so the SD is spread/2 and the standardised gain 20/spread
    # (25.2: 0.7936…, shown cut as «0,79», so «sedang», never «0,8» beside «sedang»).
    differences = [10 - spread / 2] * 3 + [10] + [10 + spread / 2] * 3
    group = [learner(f"P{i}", 20, 20 + d) for i, d in enumerate(differences)]
    found = gain(MEASURE["total"], group)
    assert found.sd == pytest.approx(spread / 2)
    assert found.effect == pytest.approx(20 / spread)
    assert found.size == word
    assert f"; {times} kali sebaran" in found.text


# ------------------------------------------------------------------ groups and sessions


def test_each_cohort_is_a_group_of_its_own():
    cohorts = [learner("A1", 40, 60, cohort="Kotabaru"), learner("A2", 50, 60, cohort="Kotabaru"),
               learner("B1", 60, 50, cohort="Banjar")]
    groups = learning_groups("Semua peserta", cohorts)
    assert [(g.label, g.cohort, g.paired) for g in groups] == [
        ("Semua peserta", "", 3), ("Semua peserta · Banjar", "Banjar", 1),
        ("Semua peserta · Kotabaru", "Kotabaru", 2)]
    assert groups[2].gains[0].mean_gain == pytest.approx(15)


def test_sessions_side_by_side():
    first = session_learning("KBR", ROOM)
    second = session_learning("BJR", ROOM[:3])
    table = side_by_side([first, second])
    assert [g.label for g in table.groups] == ["KBR", "BJR"]
    rows = {m.key: row for m, row in table.gains}
    assert list(rows) == ["total", "keputusan"]
    assert rows["total"][0].size == "sedang" and rows["total"][1].size == TOO_SMALL
    assert [t.key for t, _ in table.traps] == ["disposisi", "bukan-wewenang", "arsip",
                                               "kurang-info", "rahasia"]
