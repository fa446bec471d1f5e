"""A measure of how varied a sample of generated complaints is, so a drop in variety shows.

For a sample of a few thousand: the share of each channel and register, of reports that
mix in the regional language, raise several issues, follow up an earlier report or carry
a photo, how many distinct money amounts and months the texts name, and the 5-word
phrases repeated most across reports (a template that everyone recognises).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sandbox.domain.generator import GeneratedComplaint

PHRASE_WORDS = 5
_TOKEN = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Variety:
    count: int
    channels: dict[str, float]
    registers: dict[str, float]
    features: dict[str, float]  # share of reports with each feature of Voice.features
    distinct_amounts: int
    distinct_months: int
    phrases: list[tuple[str, int]]  # most repeated 5-word phrases, by reports that use them

    def share(self, feature: str) -> float:
        return self.features.get(feature, 0.0)

    def lines(self) -> list[str]:
        """The measure as lines of text for a terminal."""

        def shares(found: dict[str, float]) -> str:
            return ", ".join(f"{name} {value:.0%}" for name, value in
                             sorted(found.items(), key=lambda item: -item[1]))

        rows = [
            f"sample: {self.count} complaints",
            f"channels: {shares(self.channels)}",
            f"registers: {shares(self.registers)}",
            f"regional language mixed in: {self.share('bahasa_daerah'):.1%}",
            f"several issues in one report: {self.share('banyak_masalah'):.1%}",
            f"follow-ups of an earlier report: {self.share('tindak_lanjut'):.1%} "
            f"(quoting its number: {self.share('nomor_laporan'):.1%})",
            f"with a photo: {self.share('foto'):.1%} (mentioned in the text: "
            f"{self.share('foto_disebut'):.1%})",
            f"typos: {self.share('salah_ketik'):.1%}, shorthand: {self.share('singkatan'):.1%}"
            f", emoji: {self.share('emoji'):.1%}, caps lock: {self.share('kapital'):.1%}, "
            f"tags other accounts: {self.share('tag_akun'):.1%}",
            f"distinct money amounts: {self.distinct_amounts}",
            f"distinct months named: {self.distinct_months}",
            f"most repeated {PHRASE_WORDS}-word phrases (reports using them):",
        ]
        rows += [f"  {count:5d}  {phrase}" for phrase, count in self.phrases]
        return rows


def measure(complaints: Iterable[GeneratedComplaint], top: int = 10) -> Variety:
    """The variety of `complaints` (see the module docstring)."""
    count = 0
    channels: Counter[str] = Counter()
    registers: Counter[str] = Counter()
    features: Counter[str] = Counter()
    amounts: set[int] = set()
    months: set[int] = set()
    phrases: Counter[str] = Counter()
    for complaint in complaints:
        count += 1
        channels[complaint.channel] += 1
        voice = complaint.voice
        registers[voice.register or "tulisan tangan"] += 1
        features.update(voice.features)
        amounts.update(voice.amounts)
        months.update(voice.months)
        words = _TOKEN.findall(complaint.text.lower())
        phrases.update({" ".join(words[i:i + PHRASE_WORDS])
                        for i in range(len(words) - PHRASE_WORDS + 1)})
    total = max(count, 1)
    return Variety(
        count=count,
        channels={k: v / total for k, v in channels.items()},
        registers={k: v / total for k, v in registers.items()},
        features={k: v / total for k, v in features.items()},
        distinct_amounts=len(amounts), distinct_months=len(months),
        phrases=phrases.most_common(top),
    )
