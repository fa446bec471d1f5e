"""The verdict on a repeated form key: only the same request from the same people replays."""

from __future__ import annotations

import pytest

from sandbox.domain.request_keys import (
    OTHER_ADDRESS,
    OTHER_FIELDS,
    OTHER_USER,
    Claim,
    replay_refusal,
)

ANON, SITI, RATNA = (None, None), (None, 7), (3, None)
JOIN = Claim("/ikut", (ANON, SITI), "f1")  # an anonymous join that signed Siti in


@pytest.mark.parametrize(("address", "sender", "fingerprint", "refusal"), [
    ("/ikut", ANON, "f1", None),  # the retry whose cookie was lost
    ("/ikut", SITI, "f1", None),  # the retry that did get the cookie
    ("/mulai", ANON, "f1", OTHER_ADDRESS),
    ("/ikut", (None, 8), "f1", OTHER_USER),
    ("/ikut", RATNA, "f1", OTHER_USER),
    ("/ikut", ANON, "f2", OTHER_FIELDS),
    ("/mulai", (None, 8), "f2", OTHER_ADDRESS),  # the address is judged first
])
def test_replay_refusal(address, sender, fingerprint, refusal):
    assert replay_refusal(JOIN, address, sender, fingerprint) == refusal
