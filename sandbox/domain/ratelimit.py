"""Whether a sign-in, join or rejoin attempt may go ahead, given the recent failures.

The rule has two halves, and both look only at failures inside a sliding `window`:

- **Per client** (one address on one door) it is strict: after `client_failures` failures
  the client waits until the oldest of them leaves the window. One phone or laptop cannot
  guess a password, session code or personal code faster than that, however it varies
  what it tries.
- **Per account** (a username or session code on one door) it only slows down: after
  `account_failures` failures, each further attempt waits `account_delay`, doubling with
  every failure up to `account_max_delay` (seconds to two minutes, not a lock). A client
  with no failures of its own in the window is let through this wait, so a trainee who
  types wrong passwords at the facilitator's username from their phone does not keep the
  facilitator, on their own laptop, out; the trainee's phone is stopped by its own
  per-client limit. Only when the account has had `clean_client_until` failures in the
  window (guessing from many addresses at once) does the wait apply to everyone.

A blocked attempt is answered without checking the secret and is not recorded, so
hammering a blocked door neither tests passwords nor stretches the wait for others.
Only failures count: a success does not wipe them, or a trainee could alternate their
own personal code with guesses at someone else's.

On a door where nobody needs many attempts (the facilitator's sign-in), a client may also
make at most `client_attempts` attempts of any outcome in the window: one client resending
even a right password back to back would otherwise spend the server's CPU on password
hashing while a room waits. Joining is not capped so: a room behind one address joins at
once.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from sandbox.domain.errors import DomainError

# Doubling stops here long before any sane maximum delay; it keeps the arithmetic small.
_MAX_DOUBLINGS = 20


@dataclass(frozen=True)
class RateLimitPolicy:
    """The limits for one door; every field must be positive."""

    window: timedelta = timedelta(minutes=15)
    client_failures: int = 10
    account_failures: int = 5
    account_delay: timedelta = timedelta(seconds=10)
    account_max_delay: timedelta = timedelta(minutes=2)
    clean_client_until: int = 30
    client_attempts: int = 20  # any outcome, on the doors that cap them (see above)

    def __post_init__(self) -> None:
        counts = (self.client_failures, self.account_failures, self.clean_client_until,
                  self.client_attempts)
        spans = (self.window, self.account_delay, self.account_max_delay)
        if min(counts) < 1 or min(spans) <= timedelta(0):
            raise DomainError("Every RATE_LIMIT_* setting must be a positive number.")
        if self.account_max_delay < self.account_delay:
            raise DomainError("RATE_LIMIT_ACCOUNT_MAX_DELAY_SECONDS must not be shorter than "
                              "RATE_LIMIT_ACCOUNT_DELAY_SECONDS.")

    @property
    def client_history(self) -> int:
        """How many of a client's newest failures the decision needs to see."""
        return self.client_failures

    @property
    def account_history(self) -> int:
        """How many of an account's newest failures the decision needs to see."""
        doublings = 0
        while (doublings < _MAX_DOUBLINGS
               and self.account_delay * (1 << doublings) < self.account_max_delay):
            doublings += 1
        return max(self.account_failures + doublings, self.clean_client_until) + 1


class Limit(Enum):
    """Which half of the rule stopped an attempt."""

    CLIENT = "client"
    ACCOUNT = "account"
    ATTEMPTS = "attempts"  # too many attempts of any outcome from one client


@dataclass(frozen=True)
class Verdict:
    """Allowed, or blocked by `limit` for `wait` more."""

    allowed: bool
    wait: timedelta = timedelta(0)
    limit: Limit | None = None

    @property
    def retry_after(self) -> int:
        """The wait in whole seconds, rounded up (for a Retry-After header)."""
        return max(1, math.ceil(self.wait.total_seconds()))

    @property
    def message(self) -> str:
        """What the person at the form is told, in Indonesian."""
        if self.limit is Limit.ATTEMPTS:
            return (f"Terlalu banyak percobaan masuk dari perangkat ini. Demi keamanan, "
                    f"tunggu {wait_text(self.wait)} lalu coba lagi.")
        where = ("dari perangkat ini" if self.limit is Limit.CLIENT
                 else "untuk nama atau kode ini")
        return (f"Terlalu banyak percobaan yang gagal {where}. Demi keamanan, tunggu "
                f"{wait_text(self.wait)} lalu coba lagi.")


ALLOWED = Verdict(allowed=True)


def wait_text(wait: timedelta) -> str:
    """A wait as a person reads it: "40 detik" under a minute, else whole minutes up."""
    seconds = max(1, math.ceil(wait.total_seconds()))
    if seconds < 60:
        return f"{seconds} detik"
    return f"{math.ceil(seconds / 60)} menit"


def account_wait(policy: RateLimitPolicy, failures: int) -> timedelta:
    """The wait after the latest failure once an account has had `failures` in the window."""
    if failures < policy.account_failures:
        return timedelta(0)
    doublings = min(failures - policy.account_failures, _MAX_DOUBLINGS)
    return min(policy.account_delay * (1 << doublings), policy.account_max_delay)


def decide(policy: RateLimitPolicy, client_failures: Sequence[datetime],
           account_failures: Sequence[datetime], now: datetime,
           client_attempts: Sequence[datetime] | None = None) -> Verdict:
    """Whether an attempt at `now` may go ahead, from the failure times of its client and
    account on the same door (any order; older ones than the window are ignored), and on
    a capped door the times of all the client's attempts there (`client_attempts`)."""
    since = now - policy.window
    by_client = sorted((t for t in client_failures if t > since), reverse=True)
    by_account = sorted((t for t in account_failures if t > since), reverse=True)
    if len(by_client) >= policy.client_failures:
        # Blocked until the limit-th newest failure leaves the window.
        free_at = by_client[policy.client_failures - 1] + policy.window
        return Verdict(allowed=False, wait=free_at - now, limit=Limit.CLIENT)
    if client_attempts is not None:
        recent = sorted((t for t in client_attempts if t > since), reverse=True)
        if len(recent) >= policy.client_attempts:
            free_at = recent[policy.client_attempts - 1] + policy.window
            return Verdict(allowed=False, wait=free_at - now, limit=Limit.ATTEMPTS)
    clean_client = not by_client and len(by_account) < policy.clean_client_until
    if by_account and not clean_client:
        free_at = by_account[0] + account_wait(policy, len(by_account))
        if free_at > now:
            return Verdict(allowed=False, wait=free_at - now, limit=Limit.ACCOUNT)
    return ALLOWED
