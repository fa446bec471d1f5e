"""A scenario note as the facilitator reads it during the session: at the clock's speed now.

Scenario authors write real minutes into their notes at the scenario's own speed ("1 HK =
3 menit, batas verifikasi 2 HK = 6 menit"). After a speed change those numbers are wrong,
so every "N HK = M menit" is restated at the current speed here, in one place.
"""

from __future__ import annotations

import re

_HK_IN_MINUTES = re.compile(r"(\d+(?:[.,]\d+)?)(\s*HK\s*=\s*)\d+(?:[.,]\d+)?(\s*menit)")


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def indonesian_number(value: float) -> str:
    """A number as Indonesians write it: no trailing zeros, a decimal comma (2,5)."""
    return f"{round(value, 2):g}".replace(".", ",")


def restate_speed(text: str, minutes_per_hk: float) -> str:
    """`text` with each "N HK = M menit" recomputed as N × `minutes_per_hk` real minutes."""
    def recompute(match: re.Match[str]) -> str:
        days = _number(match.group(1))
        return (f"{match.group(1)}{match.group(2)}"
                f"{indonesian_number(days * minutes_per_hk)}{match.group(3)}")
    return _HK_IN_MINUTES.sub(recompute, text)
