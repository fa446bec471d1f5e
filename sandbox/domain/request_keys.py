"""When a repeated form key may have its first answer again: the verdict behind "exactly once".

Every state-changing form carries a one-time key. The first request with a key leaves a
`Claim`: the address it was sent to, who sent it (and who they became, for a sign-in),
and a fingerprint of what it said. A repeat gets the first answer only if it matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypeGuard

# A one-time form key: what templates' new_form_key() makes, and a report action's idem_key.
_FORM_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")


def is_form_key(text: object) -> TypeGuard[str]:
    """True for a well-formed one-time form key (the whole text, nothing around it)."""
    return isinstance(text, str) and _FORM_KEY.fullmatch(text) is not None


# (facilitator id, trainee id) of whoever sent a request; None where nobody is signed in.
Identity = tuple[int | None, int | None]

OTHER_ADDRESS = ("Kunci formulir ini sudah dipakai untuk permintaan lain. Muat ulang halaman "
                 "lalu kirim lagi.")
OTHER_USER = ("Kunci formulir ini milik pengguna lain. Muat ulang halaman lalu kirim lagi.")
OTHER_FIELDS = ("Formulir ini sudah pernah terkirim dengan isian yang berbeda, dan kiriman "
                "pertama sudah tercatat. Muat ulang halaman untuk melihat hasilnya, lalu "
                "kirim lagi bila perlu.")


@dataclass(frozen=True)
class Claim:
    """What the first request with a key was: where it went, who may repeat it, what it said."""

    address: str
    owners: tuple[Identity, ...]
    fingerprint: str


def replay_refusal(claim: Claim, address: str, sender: Identity, fingerprint: str) -> str | None:
    """Why a repeat of `claim` may not have its answer, or None when it is a true repeat.

    A true repeat goes to the same address, from the sender of the first request or the
    person that request signed in, with the same fields.
    """
    if address != claim.address:
        return OTHER_ADDRESS
    if sender not in claim.owners:
        return OTHER_USER
    if fingerprint != claim.fingerprint:
        return OTHER_FIELDS
    return None
