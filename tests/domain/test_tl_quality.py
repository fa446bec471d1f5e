"""The TL judge: concrete or vague, stock phrases, the checklist and the capped share.

The labelled corpora in tests/domain/data were written by the rule in their header
("does it say what concrete action was taken or is scheduled, where/when/by whom"),
reading each text, not by running the judge.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from sandbox.domain.tl_quality import (
    CHECK_NAMES,
    VAGUE_CAP,
    assess_tl,
    judge_tl,
    quality_share,
    sentences,
    stock_phrases_in,
)

DATA = Path(__file__).parent / "data"


def corpus(name: str) -> list[tuple[str, str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, text = line.split("\t", 1)
            assert label in ("concrete", "vague"), line
            rows.append((label, text))
    return rows


# Agreement thresholds, per file. tl_corpus.tsv (134 TLs) shaped the judge's word lists and
# tl_corpus_holdout.tsv (60) its verb fallback: both agree fully and must stay >= 97%.
# tl_corpus_fresh.tsv (50) was written after the judge was frozen and measured once at
# 47/50 = 94%; 90% leaves room for two more misses there while the old rule ("a date word
# and an action word", 72-80% on these files, with 8-19 vague TLs passed as concrete)
# fails every file. A vague TL passed as concrete is the costly error (it teaches the
# wrong lesson), so at most 10% of the vague TLs of any file may pass.
THRESHOLDS = {"tl_corpus.tsv": 0.97, "tl_corpus_holdout.tsv": 0.97,
              "tl_corpus_fresh.tsv": 0.90}


@pytest.mark.parametrize("name", sorted(THRESHOLDS))
def test_agreement_with_the_labelled_corpus(name: str) -> None:
    rows = corpus(name)
    counts: Counter[tuple[str, str]] = Counter()
    misses = []
    for label, text in rows:
        got = "concrete" if judge_tl(text).concrete else "vague"
        counts[(label, got)] += 1
        if got != label:
            misses.append(f"{label} judged {got}: {text}")
    agreement = (counts[("concrete", "concrete")] + counts[("vague", "vague")]) / len(rows)
    print(f"\n{name}: {len(rows)} TLs, agreement {agreement:.1%}; confusion "
          f"(label, judged): {dict(sorted(counts.items()))}")
    print("\n".join(misses))
    assert agreement >= THRESHOLDS[name], misses
    vague = counts[("vague", "vague")] + counts[("vague", "concrete")]
    assert counts[("vague", "concrete")] <= 0.1 * vague, misses


def test_the_corpora_are_big_and_balanced_enough() -> None:
    rows = [row for name in THRESHOLDS for row in corpus(name)]
    labels = Counter(label for label, _ in rows)
    assert len(corpus("tl_corpus.tsv")) >= 120
    assert min(labels.values()) >= 0.4 * len(rows)


# ------------------------------------------------------------------ hard cases by hand

@pytest.mark.parametrize("text", [
    "Terima kasih, laporan Anda akan segera ditindaklanjuti.",
    "Akan kami tindak lanjuti pada Senin.",  # a day, but nothing to do on it
    "Laporan sudah diteruskan ke bidang terkait tanggal 3 Maret.",  # a date and "sudah"
    "Laporan Anda telah ditindaklanjuti oleh Dinas Kesehatan pada 5 Maret 2026.",
    "Petugas kami akan segera turun ke lokasi.",  # an action promised with no day
    "Petugas telah memperbaiki jalan tersebut.",  # an action with no when, where or who
    "Mohon maaf, perbaikan belum dapat dilakukan karena keterbatasan anggaran.",
    "Perbaikan jalan tersebut akan kami usulkan dalam anggaran tahun 2027.",
    "Kami sudah mengirim surat ke Dinas Sosial pada 4 Maret 2026.",
    # a proposal or a negated action is nothing done, however detailed
    "Perbaikan Jalan Mawar sudah kami usulkan dalam APBD Perubahan pada 10 Maret 2026.",
    "Perbaikan pipa di Jalan Melati belum dapat dilakukan pekan ini karena material habis.",
    "Petugas Dinas PUPR belum menambal lubang di Jalan Mawar.",
    "Terima kasih atas laporan Anda mengenai pemasangan lampu di Jalan Melati.",
    "",
])
def test_vague(text: str) -> None:
    assert not judge_tl(text).concrete


@pytest.mark.parametrize("text", [
    "Lubang di Jl. Mawar sudah ditambal Dinas PUPR pada 3 Maret 2026.",
    "Sudah diperbaiki Dinas PUPR tanggal 4 Maret.",
    "TELAH DIPERBAIKI PADA KAMIS, 5 MARET.",
    "Penambalan dijadwalkan pekan depan oleh tim UPT Jalan.",
    "Sampah sudah diangkut hari ini pukul 9 oleh DLH.",
    # stock phrases around a real action: still concrete (the phrases are named, below)
    "Terima kasih, laporan akan segera ditindaklanjuti. Petugas DLH telah mengangkut "
    "sampah di TPS Pasar Baru pada Selasa pagi.",
    # an action word the lists lack, done, with a date and a place
    "Tim BPBD sudah mengevakuasi warga di Dusun Sumberwaras pada 8 Maret 2026.",
])
def test_concrete(text: str) -> None:
    judgement = judge_tl(text)
    assert judgement.concrete
    assert judgement.evidence is not None and judgement.evidence.action


def test_sentences_do_not_break_at_abbreviations_or_clock_times() -> None:
    assert sentences("Lubang di Jl. Mawar No. 3 ditambal pukul 10.00. Terima kasih.") == [
        "Lubang di Jl. Mawar No. 3 ditambal pukul 10.00.", "Terima kasih."]


def test_stock_phrases_are_found_and_named_once() -> None:
    text = ("Laporan akan segera ditindaklanjuti sesuai ketentuan yang berlaku dan sudah "
            "diteruskan ke bidang terkait. Mohon bersabar.")
    assert stock_phrases_in(text) == ("akan segera ditindaklanjuti",
                                      "sudah diteruskan ke bidang terkait",
                                      "sesuai ketentuan yang berlaku", "mohon bersabar")
    assert stock_phrases_in("Dinas PUPR telah menambal lubang di Jalan Mawar.") == ()


# ------------------------------------------------------------------ checklist and share

# Everything the old checklist rewarded, and no action: greeting, unit, dates, "akan",
# length; issue 11's "Terima kasih, laporan Anda akan segera ditindaklanjuti." grown up.
POLISHED_VAGUE = (
    "Yth. Bapak/Ibu, terima kasih atas laporan Anda. Laporan ini sudah diteruskan ke bidang "
    "terkait di Dinas PUPR pada Selasa, 3 Maret 2026 dan akan segera ditindaklanjuti sesuai "
    "ketentuan yang berlaku. Perkembangan selanjutnya akan kami informasikan paling lambat "
    "20 Maret 2026.")


def test_a_polished_vague_tl_earns_at_most_the_cap() -> None:
    assessment = assess_tl(POLISHED_VAGUE, unit_names=("Dinas PUPR",))
    assert not assessment.concrete
    failing = [c.name for c in assessment.checklist if not c.passed]
    assert failing == [CHECK_NAMES[2]]  # six of seven items pass ...
    assert assessment.quality == pytest.approx(6 / 7 * VAGUE_CAP)  # ... scaled to the cap
    assert assessment.quality <= VAGUE_CAP <= 0.25
    reason = assessment.checklist[2].reason
    for phrase in ("akan segera ditindaklanjuti", "sudah diteruskan ke bidang terkait",
                   "sesuai ketentuan yang berlaku"):
        assert phrase in reason and phrase in assessment.summary
    assert "tidak konkret" in assessment.summary


def test_the_issue_tl_earns_at_most_the_cap() -> None:
    assessment = assess_tl("Terima kasih, laporan Anda akan segera ditindaklanjuti.")
    assert not assessment.concrete
    assert assessment.quality <= VAGUE_CAP
    assert assessment.stock_phrases == ("akan segera ditindaklanjuti",)
    next_step = assessment.checklist[3]
    assert not next_step.passed  # "akan" alone is no next step


def test_quality_share_caps_only_vague_answers() -> None:
    good = assess_tl("Yth. Bapak/Ibu, terima kasih atas laporan Anda. Dinas PUPR telah menambal "
                     "lubang di Jalan Poros Kecamatan Sukamaju pada Selasa, 3 Maret 2026. "
                     "Pengaspalan ulang dijadwalkan paling lambat 20 Maret 2026.",
                     unit_names=("Dinas PUPR",))
    assert good.concrete and good.quality == 1.0
    checks = good.checklist
    assert quality_share(checks, concrete=True) == 1.0
    assert quality_share(checks, concrete=False) == VAGUE_CAP  # all seven passed, yet vague
    assert quality_share(checks[:0], concrete=True) == 0.0
    rude, polite = (assess_tl(text, unit_names=("Kecamatan Tegalsari",)) for text in (
        "Sudah kami terima.",
        "Yth. Bapak/Ibu, laporan Anda sudah kami teruskan ke Kecamatan Tegalsari."))
    # both vague, both under the cap, and still in order for the debrief's ranking
    assert 0 < rude.quality < polite.quality <= VAGUE_CAP


@pytest.mark.parametrize(("text", "next_step"), [
    ("Perkembangan selanjutnya akan kami sampaikan melalui kanal ini.", False),  # "akan" alone
    ("Laporan ini selanjutnya akan ditindaklanjuti pada Senin, 9 Maret 2026.", False),
    ("Tindak lanjut berikutnya dijadwalkan Senin, 9 Maret 2026.", False),  # follow up what?
    ("Hasilnya akan kami informasikan paling lambat 13 Maret 2026.", True),  # a deadline
    ("Tahap selanjutnya adalah pengaspalan ulang bersama kontraktor.", True),  # an action
])
def test_next_step_needs_a_date_or_an_action(text: str, next_step: bool) -> None:
    assert judge_tl(text).next_step is next_step


def test_next_step_for_finished_work_is_an_invitation_to_reply() -> None:
    done = ("Dinas PUPR telah menambal lubang di Jalan Mawar pada 3 Maret 2026. Silakan balas "
            "laporan ini bila kerusakan masih ada.")
    assert judge_tl(done).next_step
    assert not judge_tl(done.split(" Silakan")[0]).next_step


def test_reasons_say_what_is_missing() -> None:
    promised = judge_tl("Petugas kami akan segera turun ke lokasi.")
    assert "tanpa hari atau tanggal" in promised.reason
    bare = judge_tl("Petugas telah memperbaiki jalan tersebut.")
    assert "tanpa waktu, tempat atau pelaksana" in bare.reason
    nothing = judge_tl("Laporan sudah diteruskan ke bidang terkait tanggal 3 Maret.")
    assert "Tidak menyebut tindakan nyata" in nothing.reason
    concrete = judge_tl("Lubang di Jl. Mawar sudah ditambal Dinas PUPR pada 3 Maret 2026.")
    assert "kapan: 3 Maret 2026" in concrete.reason and "oleh: Dinas PUPR" in concrete.reason


def test_to_dict_is_what_tl_check_prints() -> None:
    data = assess_tl("Terima kasih, laporan Anda akan segera ditindaklanjuti.").to_dict()
    assert data["concrete"] is False and data["quality"] == round(3 / 7 * VAGUE_CAP, 3)
    assert data["stock_phrases"] == ["akan segera ditindaklanjuti"]
    assert [item["item"] for item in data["checklist"]] == list(CHECK_NAMES)
    assert all(set(item) == {"item", "ok", "reason"} and item["reason"]
               for item in data["checklist"])
