"""The shared statistics (domain.stats): one P90 rule for cards, workbooks and studi."""

from sandbox.domain import scoring
from sandbox.domain.stats import median, percentile


def test_nearest_rank_p90_by_hand():
    assert percentile([float(v) for v in range(1, 11)], 90) == 9.0  # rank ceil(9.0) = 9
    assert percentile([5.0, 1.0, 4.0, 2.0, 3.0], 90) == 5.0  # rank ceil(4.5) = 5
    assert percentile([7.0], 90) == 7.0
    assert percentile([], 90) is None


def test_rank_is_not_pushed_up_by_floating_point():
    # 7 * 100 / 100 is exactly 7 but 0.07 * 100 is 7.000000000000001: rank 7, not 8.
    assert percentile([float(v) for v in range(1, 101)], 7) == 7.0
    assert percentile([float(v) for v in range(1, 71)], 90) == 63.0


def test_median_of_an_even_count_is_the_mean_of_the_middle_two():
    assert median([4.0, 1.0, 3.0, 2.0]) == 2.5
    assert median([]) is None


def test_a_report_cards_p90_is_the_same_rule():
    times = [float(v) for v in range(1, 11)]
    assert scoring._p90(times) == percentile(times, 90) == 9.0
