"""The sign-in limit: strict per client, a short growing wait per account, clean clients
let through until many addresses fail on one account."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from sandbox.domain.errors import DomainError
from sandbox.domain.ratelimit import (
    Limit,
    RateLimitPolicy,
    account_wait,
    decide,
    wait_text,
)

NOW = datetime(2026, 3, 10, 9, 0)
POLICY = RateLimitPolicy()  # window 15 min, 10 per client, account: 5 free, 10 s .. 2 min


def ago(*seconds: float) -> list[datetime]:
    return [NOW - timedelta(seconds=s) for s in seconds]


def test_no_failures_is_allowed():
    assert decide(POLICY, [], [], NOW).allowed


def test_a_client_is_stopped_at_its_limit_until_the_oldest_counted_failure_leaves():
    nine = ago(*range(60, 600, 60))
    assert len(nine) == 9
    assert decide(POLICY, nine, [], NOW).allowed
    ten = ago(*range(60, 660, 60))  # the oldest counted failure was 10 minutes ago
    verdict = decide(POLICY, ten, [], NOW)
    assert not verdict.allowed and verdict.limit is Limit.CLIENT
    assert verdict.wait == timedelta(minutes=5)
    assert decide(POLICY, ten, [], NOW + timedelta(minutes=5)).allowed


def test_the_client_wait_counts_from_the_limit_th_newest_failure():
    # 12 failures: the block ends when the 10th newest leaves the window, not the oldest.
    twelve = ago(*range(60, 780, 60))
    verdict = decide(POLICY, twelve, [], NOW)
    assert verdict.wait == timedelta(minutes=5)


def test_failures_older_than_the_window_do_not_count():
    old = ago(*range(15 * 60, 15 * 60 + 600, 60))
    assert decide(POLICY, old, old, NOW).allowed


@pytest.mark.parametrize(("failures", "wait"), [
    (4, timedelta(0)), (5, timedelta(seconds=10)), (6, timedelta(seconds=20)),
    (7, timedelta(seconds=40)), (8, timedelta(seconds=80)), (9, timedelta(minutes=2)),
    (50, timedelta(minutes=2)), (10_000, timedelta(minutes=2)),
])
def test_the_account_wait_doubles_and_is_capped(failures, wait):
    assert account_wait(POLICY, failures) == wait


def test_an_account_past_its_free_failures_makes_a_failing_client_wait():
    account = ago(*range(1, 6))  # five failures, the newest a second ago
    verdict = decide(POLICY, ago(1), account, NOW)
    assert not verdict.allowed and verdict.limit is Limit.ACCOUNT
    assert verdict.wait == timedelta(seconds=9)
    assert decide(POLICY, ago(1), account, NOW + timedelta(seconds=9)).allowed


def test_a_client_with_no_failures_of_its_own_is_let_through_the_account_wait():
    """A trainee guessing at the facilitator's username does not keep the facilitator out."""
    account = ago(*range(1, 30))  # 29 failures from other addresses
    assert decide(POLICY, [], account, NOW).allowed
    assert not decide(POLICY, ago(100), account, NOW).allowed


def test_many_failures_on_one_account_make_even_a_clean_client_wait_briefly():
    account = ago(*range(1, 31))  # 30: guessing from many addresses at once
    verdict = decide(POLICY, [], account, NOW)
    assert not verdict.allowed and verdict.limit is Limit.ACCOUNT
    assert verdict.wait <= POLICY.account_max_delay


@pytest.mark.parametrize("count", [1, 5, 9, 10, 29, 30, 31, 80])
@pytest.mark.parametrize("clean", [True, False])
def test_the_newest_history_rows_are_enough_to_decide(count, clean):
    """The service reads only `account_history`/`client_history` rows; same verdict."""
    account = ago(*[3 * i + 1 for i in range(count)])
    client = [] if clean else ago(*[5 * i + 2 for i in range(min(count, 12))])
    full = decide(POLICY, client, account, NOW)
    cut = decide(POLICY, sorted(client, reverse=True)[:POLICY.client_history],
                 sorted(account, reverse=True)[:POLICY.account_history], NOW)
    assert cut == full


def test_the_message_says_how_long_to_wait_in_indonesian():
    verdict = decide(POLICY, ago(*range(60, 660, 60)), [], NOW)
    assert verdict.message == ("Terlalu banyak percobaan yang gagal dari perangkat ini. Demi "
                               "keamanan, tunggu 5 menit lalu coba lagi.")
    assert verdict.retry_after == 300
    account = decide(POLICY, ago(1), ago(*range(1, 6)), NOW)
    assert "untuk nama atau kode ini" in account.message and "9 detik" in account.message


@pytest.mark.parametrize(("seconds", "text"), [
    (0.2, "1 detik"), (40, "40 detik"), (59.5, "1 menit"), (60, "1 menit"),
    (61, "2 menit"), (14 * 60 + 1, "15 menit"),
])
def test_wait_text_rounds_up(seconds, text):
    assert wait_text(timedelta(seconds=seconds)) == text


@pytest.mark.parametrize("fields", [
    {"client_failures": 0}, {"account_failures": 0}, {"clean_client_until": 0},
    {"window": timedelta(0)}, {"account_delay": timedelta(seconds=-1)},
    {"account_delay": timedelta(minutes=5), "account_max_delay": timedelta(minutes=1)},
])
def test_nonsense_limits_are_refused(fields):
    with pytest.raises(DomainError):
        RateLimitPolicy(**fields)


def test_a_capped_door_stops_a_client_after_its_attempts_of_any_outcome():
    """The facilitator's sign-in: 20 attempts (successes too) per client and window; the
    wait runs until the 20th newest leaves the window. Uncapped doors ignore them."""
    attempts = [NOW - timedelta(seconds=s) for s in range(1, 21)]
    verdict = decide(POLICY, [], [], NOW, attempts)
    assert not verdict.allowed and verdict.limit == Limit.ATTEMPTS
    assert verdict.wait == POLICY.window - timedelta(seconds=20)
    assert "Terlalu banyak percobaan masuk dari perangkat ini" in verdict.message
    assert decide(POLICY, [], [], NOW, attempts[:19]).allowed
    assert decide(POLICY, [], [], NOW, None).allowed  # joining: not capped
    old = [NOW - POLICY.window - timedelta(seconds=s) for s in range(1, 30)]
    assert decide(POLICY, [], [], NOW, old).allowed
