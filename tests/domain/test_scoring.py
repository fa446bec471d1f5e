"""Scoring engine: hand-computed points for every rule, from hand-built event logs.

All arithmetic is in the comments next to each expectation. Default weights per report:
routing 25, aksi 15, klasifikasi 10, kerahasiaan 15, waktu 15, kualitas 10, hasil 10.
Time arithmetic conventions are in scoring_cases.py (1 HK = 8 h, Monday 2 March 2026 08:00).
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest

from sandbox.domain.identity import personal_data_in
from sandbox.domain.scoring import (
    Dimension,
    ReportScore,
    ScoringSettings,
    Summary,
    copies_among,
    score_report,
    score_trainee,
    similarity,
)
from sandbox.domain.tl_quality import Check, assess_tl
from sandbox.domain.workflow import EventRecord
from tests.domain.scoring_cases import (
    ADMIN_UNIT,
    ADUAN,
    ASPIRASI,
    BERKADAR,
    BW,
    CAL,
    DISPO,
    DRAINASE_TL,
    DUPLIKAT,
    END,
    GOOD_TL,
    GOOD_TL_OTHER_PLACE,
    INFO,
    INTERIM_TL,
    KELOLA,
    PUNGUTAN_TL_NAMED,
    REPORTER,
    SAMPAH_TL,
    SETTINGS,
    SLA,
    SPAM,
    TUNDA,
    UNIT_NAMES,
    arsip,
    at,
    balas,
    bw,
    ev,
    has_line,
    kelola,
    kembalikan,
    key,
    log,
    nilai,
    otomatis,
    points,
    report,
    score,
    terima,
    tl,
    tolak,
    tunda,
    verif,
)

R, A, K, C, W, Q, H = (Dimension.ROUTING, Dimension.AKSI, Dimension.KLASIFIKASI,
                       Dimension.KERAHASIAAN, Dimension.WAKTU, Dimension.KUALITAS,
                       Dimension.HASIL)


NAMED_TL = GOOD_TL.replace("Yth. Bapak/Ibu,", "Yth. Ibu Siti Aminah,")
FIRST_NAME_TL = GOOD_TL.replace("Yth. Bapak/Ibu,", "Yth. Ibu Siti,")


def failed(checks: Any) -> list[str]:
    return [c.name for c in checks if not c.passed]


def tl_checklist(text: str, *, protected: bool, unit_names: tuple[str, ...],
                 copies: tuple[str, ...] = (), settings: ScoringSettings = SETTINGS
                 ) -> tuple[Check, ...]:
    """The checklist scoring uses for `text` on a report of REPORTER."""
    return assess_tl(text, protected=protected, reporter=REPORTER, unit_names=unit_names,
                     copies=copies, tl_min=settings.tl_min, tl_max=settings.tl_max).checklist


# ====================================================================== 1. routing

ROUTING_CASES = [
    # id, key, events, routing points, first_time_correct, routed_exactly
    ("expected-target", DISPO, [verif("pupr")], 25.0, True, True),  # 25 x 1
    ("acceptable-alternate", DISPO, [verif("perkim")], 25.0, True, True),  # 25 x 1
    ("partial-alternate", DISPO, [verif("dlh")], 12.5, False, False),  # 25 x 0.5
    ("wrong-unit", DISPO, [verif("disdik")], 0.0, False, False),  # 25 x 0
    ("bukan-wewenang-right", BW, [bw("bpjn")], 25.0, True, True),  # 25 x 1
    ("bukan-wewenang-wrong-agency", BW, [bw("pln")], 0.0, False, False),  # 25 x 0
    # keeping a report that is not ours: verifikasi instead of bukan_wewenang
    ("keep-bukan-wewenang", BW, [verif("pupr")], 0.0, False, False),  # 25 x 0
    # sending out a report that is ours (even to an agency that sounds right)
    ("send-out-ours", DISPO, [bw("bpjn")], 0.0, False, False),  # 25 x 0
    ("send-out-ours-after-kembalikan", DISPO, [verif("disdik"), kembalikan(), bw("bpjn")],
     0.0, False, False),  # the last disposition sends it out: 25 x 0, no redispose cost on 0
    # re-disposition after kembalikan: -10% of routing per extra disposition
    ("redispose-once", DISPO, [verif("disdik"), kembalikan(), verif("pupr")],
     22.5, False, True),  # 25 x (1 - 0.1 x 1) = 22.5
    ("redispose-twice", DISPO,
     [verif("disdik"), kembalikan(), verif("dlh"), kembalikan(), verif("pupr")],
     20.0, False, True),  # 25 x (1 - 0.1 x 2) = 20
    ("redispose-same-right-unit", DISPO, [verif("pupr"), kembalikan(), verif("pupr")],
     22.5, True, True),  # first was already right; 25 x (1 - 0.1) = 22.5
    ("redispose-to-partial", DISPO, [verif("disdik"), kembalikan(), verif("dlh")],
     10.0, False, False),  # 25 x (0.5 - 0.1) = 10
    ("right-then-wrong", DISPO, [verif("pupr"), kembalikan(), verif("disdik")],
     0.0, True, False),  # final unit wrong: 25 x 0; the first disposition was right
    # archiving a valid report and leaving it untouched
    ("archive-valid", DISPO, [arsip("spam")], 0.0, False, False),  # 25 x 0
    ("untouched", DISPO, [], 0.0, False, False),  # 25 x 0
    # kelola sendiri expected: kelola = full; verifikasi to the admin unit = half
    ("kelola-expected-kelola", KELOLA, [kelola()], 25.0, True, True),  # 25 x 1
    ("kelola-expected-verif-admin-unit", KELOLA, [verif(ADMIN_UNIT)],
     12.5, False, False),  # 25 x 0.5
    ("kelola-expected-verif-other-unit", KELOLA, [verif("pupr")], 0.0, False, False),
    ("kelola-expected-sent-out", KELOLA, [bw("bpjn")], 0.0, False, False),
    ("kelola-expected-untouched", KELOLA, [], 0.0, False, False),
    # tunda expected: asked first, disposed after the reporter's reply
    ("tunda-then-dispose", TUNDA, [tunda(), balas(), verif("pupr")], 25.0, True, True),
    ("tunda-then-partial", TUNDA, [tunda(), balas(), verif("dlh")], 12.5, False, False),
    ("tunda-skipped-dispose-right", TUNDA, [verif("pupr")], 25.0, True, True),
    ("tunda-open-at-end", TUNDA, [tunda()], 0.0, False, False),  # never disposed
]


@pytest.mark.parametrize(("answer", "events", "expected", "first", "exact"),
                         [c[1:] for c in ROUTING_CASES], ids=[c[0] for c in ROUTING_CASES])
def test_routing(answer: dict[str, Any], events: list[EventRecord], expected: float,
                 first: bool, exact: bool) -> None:
    result = score(log(*events), answer)
    assert points(result, R) == expected
    assert result.maximum(R) == 25
    assert result.first_time_correct is first
    assert result.routed_exactly is exact


def test_redispose_cost_never_takes_routing_below_zero() -> None:
    settings = ScoringSettings(redispose_cost=0.3)
    events = log(verif("disdik"), kembalikan(), verif("disdik"), kembalikan(), verif("dlh"))
    result = score(events, settings=settings)
    # partial 0.5, cost min(0.5, 0.3 x 2 = 0.6) = 0.5: 25 x 0 = 0, not negative
    assert points(result, R) == 0.0
    one_extra = score(log(verif("disdik"), kembalikan(), verif("dlh")), settings=settings)
    assert points(one_extra, R) == 5.0  # 25 x (0.5 - 0.3) = 5


def test_no_routing_line_for_reports_to_archive() -> None:
    result = score(log(arsip("spam")), SPAM)
    assert not has_line(result, R)  # nothing to route: maximum 0
    assert result.maximum(R) == 0
    assert result.first_time_correct is None
    assert result.routed_exactly is None


@pytest.mark.parametrize("events", [
    # BUG: the right disposition is undone by kembalikan, then the valid report is archived:
    # scoring still reads the undone disposition (25 routing, 15 aksi, routed exactly).
    [verif("pupr"), kembalikan(), arsip("spam")],
    # BUG: an unnecessary tunda, the reporter answers, then the valid report is archived:
    # aksi gets the half credit of an "unnecessary tunda" (7.5) instead of 0.
    [tunda(), balas(), arsip("terlalu_umum")],
], ids=["dispose-kembalikan-archive", "tunda-reply-archive"])
def test_archiving_a_valid_report_after_another_step_costs_routing_and_action(
        events: list[EventRecord]) -> None:
    result = score(log(*events), DISPO)
    # "archiving a valid report costs a lot (routing 0 and action 0)"
    assert points(result, R) == 0.0  # 25 x 0
    assert points(result, A) == 0.0  # 15 x 0
    assert result.routed_exactly is False


# ====================================================================== 2. action choice

ACTION_CASES = [
    # id, key, events, aksi points
    ("disposisi-right", DISPO, [verif("pupr")], 15.0),  # 15 x 1
    ("disposisi-wrong-unit-still-right-action", DISPO, [verif("disdik")], 15.0),  # 15 x 1
    ("disposisi-expected-kelola", DISPO, [kelola()], 7.5),  # 15 x 0.5
    ("kelola-expected-kelola", KELOLA, [kelola()], 15.0),  # 15 x 1
    ("kelola-expected-disposisi", KELOLA, [verif(ADMIN_UNIT)], 7.5),  # 15 x 0.5
    ("unnecessary-tunda", DISPO, [tunda(), balas(), verif("pupr")], 7.5),  # 15 x 0.5
    ("unnecessary-tunda-kelola", KELOLA, [tunda(), balas(), kelola()], 7.5),  # 15 x 0.5
    ("needed-tunda", TUNDA, [tunda(), balas(), verif("pupr")], 15.0),  # 15 x 1
    ("needed-tunda-open", TUNDA, [tunda()], 15.0),  # the decision is right: 15 x 1
    ("skipped-tunda-disposisi", TUNDA, [verif("pupr")], 7.5),  # 15 x 0.5
    ("skipped-tunda-kelola", TUNDA, [kelola()], 7.5),  # 15 x 0.5
    ("archive-valid-disposisi", DISPO, [arsip("spam")], 0.0),  # 15 x 0
    ("archive-valid-tunda", TUNDA, [arsip("terlalu_umum")], 0.0),  # 15 x 0
    ("archive-valid-kelola", KELOLA, [arsip("spam")], 0.0),  # 15 x 0
    ("spam-archived-spam", SPAM, [arsip("spam")], 15.0),  # 15 x 1
    ("spam-archived-wrong-reason", SPAM, [arsip("terlalu_umum")], 7.5),  # 15 x 0.5
    ("duplicate-archived-duplikat", DUPLIKAT, [arsip("duplikat")], 15.0),  # 15 x 1
    ("duplicate-archived-spam", DUPLIKAT, [arsip("spam")], 7.5),  # 15 x 0.5
    ("archive-no-reason-in-key", key("arsipkan", None), [arsip("bukan_pelayanan_publik")],
     15.0),  # any reason: 15 x 1
    ("spam-disposed", SPAM, [verif("pupr")], 0.0),  # 15 x 0
    ("spam-tunda", SPAM, [tunda()], 0.0),  # 15 x 0
    ("spam-sent-out", SPAM, [bw("bpjn")], 0.0),  # 15 x 0
    ("bukan-wewenang-right", BW, [bw("bpjn")], 15.0),  # 15 x 1
    ("bukan-wewenang-kept", BW, [verif("pupr")], 0.0),  # 15 x 0
    ("bukan-wewenang-tunda", BW, [tunda()], 0.0),  # 15 x 0
    ("ours-sent-out", DISPO, [bw("bpjn")], 0.0),  # 15 x 0
    ("untouched", DISPO, [], 0.0),  # 15 x 0
    ("untouched-spam", SPAM, [], 0.0),  # 15 x 0
]


@pytest.mark.parametrize(("answer", "events", "expected"), [c[1:] for c in ACTION_CASES],
                         ids=[c[0] for c in ACTION_CASES])
def test_action_choice(answer: dict[str, Any], events: list[EventRecord],
                       expected: float) -> None:
    result = score(log(*events), answer)
    assert points(result, A) == expected
    assert result.maximum(A) == 15


def test_wrong_archive_reason_is_explained() -> None:
    result = score(log(arsip("terlalu_umum")), SPAM)
    (line,) = [x for x in result.lines if x.dimension == A]
    assert "Spam / tidak relevan" in line.explanation  # the right reason, by its label


# ====================================================================== 3. classification


@pytest.mark.parametrize(("klasifikasi", "kategori", "expected"), [
    (ADUAN, "infrastruktur", 10.0),  # 10 x (0.5 + 0.5)
    (ADUAN, "lingkungan_hidup", 5.0),  # 10 x (0.5 + 0)
    (ASPIRASI, "infrastruktur", 5.0),  # 10 x (0 + 0.5)
    (BERKADAR, "kesehatan", 0.0),  # 10 x (0 + 0)
])
def test_classification(klasifikasi: str, kategori: str, expected: float) -> None:
    result = score(log(verif("pupr", klasifikasi=klasifikasi, kategori=kategori)))
    assert points(result, K) == expected
    assert result.maximum(K) == 10


def test_classification_uses_the_last_verification_and_kelola() -> None:
    redone = log(verif("disdik", kategori="pendidikan"), kembalikan(), verif("pupr"))
    assert points(score(redone), K) == 10.0  # the second verifikasi is right: 10 x 1
    own = log(kelola(klasifikasi=INFO, kategori="infrastruktur"))
    assert points(score(own, KELOLA), K) == 5.0  # INFO right, "infrastruktur" wrong: 10 x 0.5


def test_no_classification_line_without_verification() -> None:
    for events, answer in (([arsip("spam")], SPAM), ([bw("bpjn")], BW), ([], DISPO)):
        result = score(log(*events), answer)
        assert not has_line(result, K)
        assert not has_line(result, C)  # no flags were set either


# ====================================================================== 4. confidentiality

FLAG_CASES = [
    # id, key rahasia, key anonim, set rahasia, set anonim, points, errors
    ("public-none", False, False, False, False, 15.0, 0),  # 15 x 1
    ("anonim-set", False, True, False, True, 15.0, 0),  # 15 x 1
    ("anonim-missing", False, True, False, False, 0.0, 1),  # 15 x 0
    ("rahasia-set", True, False, True, False, 15.0, 0),  # 15 x 1
    ("rahasia-missing", True, False, False, False, 0.0, 1),  # 15 x 0
    ("rahasia-needed-anonim-set", True, False, False, True, 0.0, 1),  # rahasia missing
    ("both-needed-rahasia-set", True, True, True, False, 15.0, 0),  # rahasia covers anonim
    ("both-needed-both-set", True, True, True, True, 15.0, 0),  # 15 x 1
    ("both-needed-anonim-only", True, True, False, True, 0.0, 1),  # rahasia missing
    ("both-needed-none", True, True, False, False, 0.0, 2),  # both missing: 2 errors
    ("rahasia-needed-both-set", True, False, True, True, 15.0, 0),  # 15 x 1
    # rahasia satisfies anonim (no error), but hides a report that may be public: 0.75
    ("anonim-needed-rahasia-set", False, True, True, False, 11.25, 0),  # 15 x 0.75
    ("public-anonim-set", False, False, False, True, 11.25, 0),  # unnecessary: 15 x 0.75
    ("public-rahasia-set", False, False, True, False, 11.25, 0),  # unnecessary: 15 x 0.75
    ("public-both-set", False, False, True, True, 11.25, 0),  # unnecessary: 15 x 0.75
]


@pytest.mark.parametrize(("need_r", "need_a", "set_r", "set_a", "expected", "errors"),
                         [c[1:] for c in FLAG_CASES], ids=[c[0] for c in FLAG_CASES])
def test_confidentiality_flags(need_r: bool, need_a: bool, set_r: bool, set_a: bool,
                               expected: float, errors: int) -> None:
    answer = key(rahasia=need_r, anonim=need_a)
    result = score(log(verif("pupr", rahasia=set_r, anonim=set_a)), answer)
    assert points(result, C) == expected
    assert result.maximum(C) == 15
    assert result.confidentiality_errors == errors


LEAK_CASES = [
    # id, text, reporter name, found
    ("full-name", "Yth. Ibu Siti Aminah, terima kasih.", "Siti Aminah", ["nama pelapor"]),
    ("first-name-only", "Yth. Ibu Siti, terima kasih.", "Siti Aminah", ["nama pelapor"]),
    ("last-name-only", "Kami sudah menghubungi Bu Aminah.", "Siti Aminah", ["nama pelapor"]),
    ("upper-case", "YTH. IBU SITI, TERIMA KASIH.", "Siti Aminah", ["nama pelapor"]),
    ("lower-case", "yth. ibu siti aminah", "Siti Aminah", ["nama pelapor"]),
    ("name-inside-other-word", "Yth. Bapak Sitorus dan Ibu Sitinjak.", "Siti Aminah", []),
    ("phone-plain", "Hubungi 081234567890.", "Siti Aminah", ["nomor telepon"]),
    ("phone-dashes", "Hubungi 0812-3456-7890.", "Siti Aminah", ["nomor telepon"]),
    ("phone-spaces", "Hubungi 0812 3456 7890.", "Siti Aminah", ["nomor telepon"]),
    ("phone-international", "Hubungi +62 812-3456-7890.", "Siti Aminah", ["nomor telepon"]),
    ("nik-plain", "NIK 3399015203850001 tercatat.", "Siti Aminah", ["NIK"]),
    ("nik-spaced", "NIK 3399 0152 0385 0001 tercatat.", "Siti Aminah", ["NIK"]),
    ("everything", "Ibu SITI, 0812-3456-7890, NIK 3399015203850001", "Siti Aminah",
     ["nama pelapor", "nomor telepon", "NIK"]),
    ("clean", GOOD_TL, "Siti Aminah", []),
    # "indah" is an ordinary word: no leak for Indah Lestari unless "Lestari" appears
    ("common-word-alone", "Taman kota kini bersih dan indah.", "Indah Lestari", []),
    # ... but after a title it is plainly her first name: an exposure (issue 11).
    ("common-word-as-greeting", "Yth. Ibu Indah, terima kasih.", "Indah Lestari",
     ["nama pelapor"]),
    ("common-word-with-other-part", "Yth. Ibu Indah Lestari, terima kasih.", "Indah Lestari",
     ["nama pelapor"]),
    ("other-part-alone", "Yth. Ibu Lestari, terima kasih.", "Indah Lestari", ["nama pelapor"]),
    # BUG: a name made only of common words is never found, even written out in full:
    # "the other part" (putri) appears next to "indah", so this is the reporter's name.
    ("all-common-full-name", "Yth. Ibu Putri Indah, terima kasih.", "Putri Indah",
     ["nama pelapor"]),
    ("all-common-word-alone", "Taman kota kini bersih dan indah.", "Putri Indah", []),
    # BUG: digits of separate numbers are glued together: RT 03 / RW 8 / Blok 500 / No. 01
    # reads as "03850001", the last 8 digits of the NIK; an address is no personal data.
    ("separate-numbers-are-not-a-nik", "Perbaikan di RT 03/RW 8, Blok 500 No. 01 selesai.",
     "Siti Aminah", []),
    # A name that is an ordinary word ("bagus") counts in a judul that names the reporter.
    ("common-word-in-judul", "Pengaduan Bagus soal bansos pkh data", "Bagus Mahendra",
     ["nama pelapor"]),
    ("common-word-as-word", "Kondisi jalan sekarang sudah bagus.", "Bagus Mahendra", []),
    ("house-address", "Petugas mendatangi rumah di Jl. Melati No. 12 kemarin.", "Siti Aminah",
     ["alamat rumah pelapor"]),
    ("house-address-spelt-out", "Petugas ke Jalan Melati nomor 12.", "Siti Aminah",
     ["alamat rumah pelapor"]),
    ("street-alone-is-no-address", "Lubang di Jl. Melati sudah ditambal.", "Siti Aminah", []),
]


@pytest.mark.parametrize(("text", "name", "found"), [c[1:] for c in LEAK_CASES],
                         ids=[c[0] for c in LEAK_CASES])
def test_personal_data_in(text: str, name: str, found: list[str]) -> None:
    assert personal_data_in(text, {**REPORTER, "name": name}) == found


def test_name_leak_on_anonim_report_costs_the_whole_dimension() -> None:
    answer = key(anonim=True)
    events = log(verif("pupr", anonim=True), tl(FIRST_NAME_TL))
    result = score(events, answer)
    # flag right, but the TL names the reporter: the whole 15 is lost, nothing below 0
    assert points(result, C) == 0.0
    assert result.maximum(C) == 15
    assert result.confidentiality_errors == 1  # one exposure
    (line,) = [x for x in result.lines if x.dimension == C]
    assert (line.points, line.maximum) == (0, 15)
    assert "TL #2" in line.explanation and "seluruh poin kerahasiaan" in line.explanation
    assert [(e.seq, e.place, e.found) for e in result.exposures] == [
        (2, "TL", ("nama pelapor",))]
    assert result.headline_failures == [
        "Identitas pelapor terbuka: nama pelapor di TL #2. Seluruh poin kerahasiaan laporan "
        "ini hilang."]


def test_every_exposure_is_listed_but_the_dimension_is_lost_once() -> None:
    answer = key(rahasia=True)
    leaking = GOOD_TL + " Petugas menghubungi 0812-3456-7890."
    events = log(verif("pupr", rahasia=True), tl(leaking, akhir=False), tl(leaking))
    result = score(events, answer)
    # the whole dimension, once: 0 of 15 (kebocoran 15 = the weight: no extra line)
    assert points(result, C) == 0.0
    assert result.maximum(C) == 15
    assert result.confidentiality_errors == 2
    assert [e.seq for e in result.exposures] == [2, 3]
    assert "TL #2" in result.headline_failures[0] and "TL #3" in result.headline_failures[0]


def test_kebocoran_above_the_weight_adds_a_penalty_line() -> None:
    events = log(verif("pupr", anonim=True), tl(FIRST_NAME_TL))
    settings = ScoringSettings(leak_penalty=25)
    result = score(events, key(anonim=True), settings=settings)
    # 15 lost with the dimension, the other 10 as a line of its own (maximum 0)
    assert points(result, C) == -10.0
    assert result.maximum(C) == 15
    below = ScoringSettings(leak_penalty=5)
    assert points(score(events, key(anonim=True), settings=below), C) == 0.0  # never less


def test_missing_flag_and_leak_add_up() -> None:
    answer = key(anonim=True)
    result = score(log(verif("pupr"), tl(NAMED_TL)), answer)
    # anonim missing and the name in the TL: 0 of 15, two errors
    assert points(result, C) == 0.0
    assert result.confidentiality_errors == 2  # missing flag + exposure
    (line,) = [x for x in result.lines if x.dimension == C]
    assert "Seharusnya ditandai anonim" in line.explanation  # the flag lesson stays


def test_flag_set_by_trainee_protects_the_report() -> None:
    result = score(log(verif("pupr", anonim=True), tl(FIRST_NAME_TL)))
    # the trainee marked it anonim, then named the reporter: exposure, 0 of 15
    assert points(result, C) == 0.0
    assert result.confidentiality_errors == 1


def test_reporter_who_asked_for_anonymity_is_protected() -> None:
    reporter = {**REPORTER, "requested_anonim": True}
    result = score(log(verif("pupr"), tl(NAMED_TL)), reporter=reporter)
    assert points(result, C) == 0.0  # the key did not say so, the reporter did
    assert result.exposures


def test_name_in_public_report_greeting_is_not_a_leak() -> None:
    result = score(log(verif("pupr"), tl(NAMED_TL)))
    assert points(result, C) == 15.0  # 15 x 1, no penalty
    assert result.confidentiality_errors == 0
    assert result.headline_failures == []
    assert points(result, Q) == 10.0  # all seven checks pass: 10 x 7/7


def test_phone_in_public_report_is_an_exposure_too() -> None:
    # A name may be public; a phone number never is (LAPOR.md §6).
    result = score(log(verif("pupr"), tl(GOOD_TL + " Hubungi 0812-3456-7890.")))
    assert points(result, C) == 0.0
    assert [e.found for e in result.exposures] == [("nomor telepon",)]
    assert points(result, Q) == 8.57  # 6 of 7 checks: 10 x 6/7 = 8.571 -> 8.57
    checks = {x.explanation.split(":")[0]: x.passed for x in result.lines if x.passed is not None}
    assert checks["Tanpa data pribadi pelapor"] is False


# The report of issue 11: the reporter asked for anonymity, the trainee's public judul and
# TL name them, and the TL gives their phone.
BAGUS = {"name": "Bagus Mahendra", "phone": "085712345678", "nik": "3399010101900002",
         "address": "Jl. Kenanga No. 7, RT 001/RW 002, Sukamaju", "requested_anonim": True}
BAGUS_JUDUL = "Pengaduan Bagus Mahendra soal bansos pkh data"
BAGUS_TL = ("Yth. Bapak Bagus Mahendra, terima kasih atas laporan Anda. Dinas Sosial telah "
            "memperbaiki data PKH Bapak dalam DTKS pada Rabu, 4 Maret 2026, dan petugas "
            "menghubungi Bapak di 0857-1234-5678. Bantuan tahap berikutnya dijadwalkan cair "
            "paling lambat 20 Maret 2026.")


def bagus_report(judul: str = BAGUS_JUDUL, isi: str = BAGUS_TL) -> list[EventRecord]:
    return log(verif("dinsos", judul=judul, kategori="sosial", anonim=True), tl(isi), terima(),
               nilai(1))


def test_identity_in_judul_is_a_headline_failure_costing_the_whole_dimension() -> None:
    answer = key(expected_target="dinsos", acceptable=(), partial=(), kategori="sosial",
                 anonim=True)
    result = score(bagus_report(isi=GOOD_TL), answer, reporter=BAGUS)
    # the flag was right (15 x 1), but the public judul names him: 0 of 15
    assert points(result, C) == 0.0
    assert result.maximum(C) == 15
    assert [(e.seq, e.place, e.found) for e in result.exposures] == [
        (1, "judul", ("nama pelapor",))]
    assert result.headline_failures[0].startswith(
        "Identitas pelapor terbuka: nama pelapor di judul (peristiwa #1).")
    neutral = score(bagus_report(judul="Data penerima PKH belum diperbarui", isi=GOOD_TL),
                    answer, reporter=BAGUS)
    assert points(neutral, C) == 15.0 and neutral.headline_failures == []


def test_the_issue_report_loses_its_confidentiality_and_lists_every_place() -> None:
    answer = key(expected_target="dinsos", acceptable=(), partial=(), kategori="sosial",
                 anonim=True)
    result = score(bagus_report(), answer, reporter=BAGUS)
    assert points(result, C) == 0.0
    assert [(e.place, e.found) for e in result.exposures] == [
        ("judul", ("nama pelapor",)), ("TL", ("nama pelapor", "nomor telepon"))]
    assert result.confidentiality_errors == 2
    assert points(result, H) == 2.0  # the reporter's one star: 10 x 1/5


def test_common_word_name_is_no_leak_on_anonim_report() -> None:
    reporter = {**REPORTER, "name": "Indah Lestari"}
    text = GOOD_TL + " Lingkungan sekitar kini kembali indah."
    result = score(log(verif("pupr", anonim=True), tl(text)), key(anonim=True),
                   reporter=reporter)
    assert points(result, C) == 15.0  # no "lestari": no leak, 15 x 1
    assert result.confidentiality_errors == 0


# ====================================================================== 5. timeliness


@pytest.mark.parametrize(("done_at", "expected", "breaches"), [
    # verifikasi only (an archived spam report has no other limit). limit 24 h, yellow 14.4 h
    (at(2, 10), 15.0, 0),  # 2 h: green, 15 x 1
    (at(3, 14, 24), 15.0, 0),  # 8 h + 6.4 h = 14.4 h: yellow starts, 1 - 0 = 1 -> 15
    (at(4, 11, 12), 11.25, 0),  # 16 h + 3.2 h = 19.2 h: 1 - 0.5 x 4.8/9.6 = 0.75 -> 11.25
    (at(4, 16), -3.75, 1),  # 24 h = limit: -0.25 x 15 = -3.75, one breach
    (at(5, 8), -3.75, 1),  # Thu 08:00 is still 24 h: the night does not count
    (at(6, 10), -3.75, 1),  # 32 h + 2 h = 34 h: past the limit, -3.75
])
def test_verification_time(done_at: datetime, expected: float, breaches: int) -> None:
    result = score(log(arsip("spam", done_at)), SPAM)
    assert points(result, W) == expected
    assert result.maximum(W) == 15
    assert result.breaches == breaches


def test_all_three_limits_green() -> None:
    events = log(verif("pupr", at(2, 10)), tl(GOOD_TL, at(3, 10)), terima(at(3, 11)))
    result = score(events)
    # verifikasi 2 h, TL 6 h + 2 h = 8 h (< 24 h), completion 8 h + 2 h = 10 h (< 67.2 h):
    # 15 x (1 + 1 + 1) / 3 = 15
    assert points(result, W) == 15.0
    assert result.breaches == 0


def test_yellow_verification_and_yellow_first_tl() -> None:
    # verifikasi at 19.2 h (Wed 11:12): 0.75. TL 32 h later: Wed 4.8 h + Thu 8 + Fri 8 +
    # Mon 8 = 28.8 h, + 3.2 h -> Tue 10 March 11:12; 1 - 0.5 x (32 - 24)/16 = 0.75.
    # Completion (pengaduan, 112 h) still runs at 51.2 h, green: not counted.
    events = log(verif("pupr", at(4, 11, 12)), tl(GOOD_TL, at(10, 11, 12), akhir=False))
    result = score(events, now=at(10, 11, 12))
    assert points(result, W) == 11.25  # 15 x (0.75 + 0.75) / 2
    assert result.breaches == 0


def test_finished_completion_counts_even_when_not_breached() -> None:
    # aspirasi: completion 40 h (yellow from 24 h). verifikasi at arrival: 0 h -> 1.
    # final TL at Thu 16:00 = 32 h after disposition and after arrival: both 0.75.
    answer = key(klasifikasi=ASPIRASI)
    events = log(verif("pupr", at(2, 8), klasifikasi=ASPIRASI), tl(GOOD_TL, at(5, 16)),
                 terima(at(6, 9)))
    result = score(events, answer)
    assert points(result, W) == 12.5  # 15 x (1 + 0.75 + 0.75) / 3
    assert result.breaches == 0


def test_running_completion_only_counts_once_breached() -> None:
    answer = key(klasifikasi=ASPIRASI)
    # verifikasi at arrival (0 h: 1); an interim TL at Fri 12:48 = 36.8 h after disposition:
    # 1 - 0.5 x (36.8 - 24)/16 = 0.6. Completion (aspirasi, 40 h) is still running at
    # 36.8 h, yellow: left out. 15 x (1 + 0.6)/2 = 12 (counting it would give 11).
    events = log(verif("pupr", at(2, 8), klasifikasi=ASPIRASI),
                 tl(GOOD_TL, at(6, 12, 48), akhir=False))
    running = score(events, answer, now=at(6, 12, 48))
    assert points(running, W) == 12.0
    assert running.breaches == 0
    # Disposed Mon 10:00, session end next Mon 10:00: TL 40 h, completion 42 h, both red.
    late = log(verif("pupr", at(2, 10), klasifikasi=ASPIRASI))
    breached = score(late, answer, now=at(9, 10))
    assert points(breached, W) == 2.5  # 15 x (1 - 0.25 - 0.25) / 3 = 2.5
    assert breached.breaches == 2


def test_untouched_report_at_session_end_is_a_breach() -> None:
    # nothing done; session ends Thu 12:00: verifikasi running 8 + 8 + 8 + 4 = 28 h >= 24 h.
    # Completion (no klasifikasi yet: 14 HK = 112 h) is running and green: not counted.
    result = score([], DISPO, now=at(5, 12))
    assert points(result, W) == -3.75  # 15 x -0.25
    assert result.breaches == 1
    assert points(result, A) == 0.0
    assert points(result, R) == 0.0


def test_tunda_time_is_excluded() -> None:
    # tunda Mon 10:00, reply Thu 10:00, verifikasi Thu 12:00: 28 h elapsed, of which
    # Mon 10-16 + Tue + Wed + Thu 8-10 = 6 + 8 + 8 + 2 = 24 h paused: 4 h used, green.
    events = log(tunda(at(2, 10)), balas(at(5, 10)), verif("pupr", at(5, 12)))
    result = score(events, TUNDA, now=at(5, 12))
    assert points(result, W) == 15.0  # verifikasi 1, TL 0 h 1: 15 x 1 (28 h would breach)
    assert result.breaches == 0


def test_open_tunda_pauses_until_session_end() -> None:
    # 2 h before the tunda, then paused for the rest of the week (38 h): no breach
    waiting = score(log(tunda(at(2, 10))), TUNDA, now=END)
    assert waiting.breaches == 0
    assert points(waiting, W) >= 0  # never a late penalty while the reporter is asked
    # tunda only on Thu 10:00 = 8 + 8 + 8 + 2 = 26 h: the limit was already missed
    late = score(log(tunda(at(5, 10))), TUNDA, now=END)
    assert late.breaches == 1
    assert points(late, W) == -3.75  # 15 x -0.25


def test_verify_hk_excludes_tunda_time_like_the_limit() -> None:
    # BUG: ReportScore.verify_hk counts the days spent waiting for the reporter (3.5 HK here)
    # while the verification limit and the waktu line of the same report say 0.5 HK.
    events = log(tunda(at(2, 10)), balas(at(5, 10)), verif("pupr", at(5, 12)))
    result = score(events, TUNDA, now=at(5, 12))
    assert result.verify_hk == 0.5  # (28 h - 24 h paused) / 8 h


def test_first_tl_hk_counts_from_the_first_disposition() -> None:
    events = log(verif("disdik", at(2, 12)), kembalikan(at(2, 14)), verif("pupr", at(3, 12)),
                 tl(GOOD_TL, at(4, 12)))
    result = score(events)
    assert result.verify_hk == 0.5  # Mon 08:00 -> 12:00 = 4 h
    assert result.first_tl_hk == 2.0  # Mon 12:00 -> Wed 12:00 = 4 + 8 + 4 = 16 h


# ====================================================================== 6. TL checklist

ALL_CHECKS = ["Pembuka yang santun", "Menyebut unit yang bertindak",
              "Tindakan nyata (apa, di mana, kapan, oleh siapa)", "Langkah atau jadwal berikutnya",
              "Panjang wajar", "Bukan salinan jawaban lain", "Tanpa data pribadi pelapor"]

NO_ACTION_TL = (  # place ("Jalan") and next step ("selanjutnya") but nothing done
    "Yth. Bapak/Ibu, terima kasih atas laporan Anda mengenai lubang di Jalan Poros "
    "Kecamatan Sukamaju. Dinas PUPR menerima laporan ini dengan baik. Perkembangan "
    "selanjutnya akan kami sampaikan melalui kanal ini kepada Bapak/Ibu.")
NO_PLACE_TL = (  # an action but neither a place nor a date
    "Yth. Bapak/Ibu, terima kasih atas laporan Anda. Dinas PUPR telah menindaklanjuti "
    "laporan ini bersama petugas teknis kami. Perkembangan selanjutnya akan kami sampaikan "
    "melalui kanal ini kepada Bapak/Ibu.")
DATE_NO_PLACE_TL = (  # an action and a date, no place word: concrete enough
    "Yth. Bapak/Ibu, terima kasih atas laporan Anda. Dinas PUPR telah menambal lubang yang "
    "dilaporkan pada Selasa, 3 Maret 2026. Tahap selanjutnya adalah pengaspalan ulang "
    "yang kami kerjakan bersama kontraktor.")
NO_NEXT_TL = (
    "Yth. Bapak/Ibu, terima kasih atas laporan Anda. Dinas PUPR telah menambal lubang di "
    "Jalan Poros Kecamatan Sukamaju pada Selasa, 3 Maret 2026 pukul 10.00, dan ruas "
    "tersebut kini aman dilalui kendaraan roda dua maupun roda empat.")
SHORT_TL = ("Yth. Bapak/Ibu, Dinas PUPR telah menambal Jalan Mawar pada 3 Maret. "
            "Selanjutnya pengaspalan 20 Maret.")
LONG_TL = GOOD_TL + " Kami berterima kasih atas kesabaran dan kepedulian warga." * 25

CHECK_CASES = [
    # id, text, protected, unit, copies, failing checks
    ("all-pass", GOOD_TL, False, "pupr", (), []),
    ("all-pass-protected", GOOD_TL, True, "pupr", (), []),
    ("other-good-text", DRAINASE_TL, False, "pupr", (), []),
    ("no-opening", "Menanggapi laporan Anda, " + GOOD_TL[16:], False, "pupr", (),
     ["Pembuka yang santun"]),
    ("names-anonim-reporter", NAMED_TL, True, "pupr", (),
     ["Pembuka yang santun", "Tanpa data pribadi pelapor"]),
    ("names-public-reporter", NAMED_TL, False, "pupr", (), []),
    ("other-unit-acted", GOOD_TL, False, "disdik", (), ["Menyebut unit yang bertindak"]),
    ("unit-by-full-name", GOOD_TL.replace("Dinas PUPR",
                                          "Dinas Pekerjaan Umum dan Penataan Ruang"),
     False, "pupr", (), []),
    # nothing done, and "akan kami sampaikan" with no date is no next step either
    ("no-action", NO_ACTION_TL, False, "pupr", (), ["Tindakan nyata (apa, di mana, kapan, oleh siapa)",
                                                   "Langkah atau jadwal berikutnya"]),
    ("action-without-place-or-date", NO_PLACE_TL, False, "pupr", (),
     ["Tindakan nyata (apa, di mana, kapan, oleh siapa)", "Langkah atau jadwal berikutnya"]),
    ("action-with-date-no-place", DATE_NO_PLACE_TL, False, "pupr", (), []),
    ("no-next-step", NO_NEXT_TL, False, "pupr", (), ["Langkah atau jadwal berikutnya"]),
    ("too-short", SHORT_TL, False, "pupr", (), ["Panjang wajar"]),
    ("too-long", LONG_TL, False, "pupr", (), ["Panjang wajar"]),
    ("copy", GOOD_TL, False, "pupr", ("T-002",), ["Bukan salinan jawaban lain"]),
    ("phone", GOOD_TL + " Hubungi 0812-3456-7890.", False, "pupr", (),
     ["Tanpa data pribadi pelapor"]),
    ("nik", GOOD_TL + " NIK 3399015203850001.", False, "pupr", (),
     ["Tanpa data pribadi pelapor"]),
]


@pytest.mark.parametrize(("text", "protected", "unit", "copies", "failing"),
                         [c[1:] for c in CHECK_CASES], ids=[c[0] for c in CHECK_CASES])
def test_tl_checklist_items(text: str, protected: bool, unit: str, copies: tuple[str, ...],
                            failing: list[str]) -> None:
    checks = tl_checklist(text, protected=protected, unit_names=UNIT_NAMES[unit],
                          copies=copies)
    assert [c.name for c in checks] == ALL_CHECKS
    assert failed(checks) == failing
    assert all(c.reason for c in checks)


def test_tl_checklist_texts_have_the_intended_lengths() -> None:
    assert len(SHORT_TL) < 150 <= len(GOOD_TL) <= 1500 < len(LONG_TL)


def test_tl_length_bounds_are_inclusive() -> None:
    n = len(GOOD_TL)
    for tl_min, tl_max, ok in ((n, n, True), (n + 1, 1500, False), (150, n - 1, False)):
        settings = ScoringSettings(tl_min=tl_min, tl_max=tl_max)
        checks = tl_checklist(GOOD_TL, protected=False, unit_names=UNIT_NAMES["pupr"],
                              settings=settings)
        assert ("Panjang wajar" not in failed(checks)) is ok


def test_copy_reason_names_the_other_reports() -> None:
    checks = tl_checklist(GOOD_TL, protected=False, unit_names=UNIT_NAMES["pupr"],
                          copies=("T-002", "T-005"))
    assert "#T-002, #T-005" in checks[5].reason


def test_similarity_values() -> None:
    assert similarity(GOOD_TL, GOOD_TL) == 1.0
    assert similarity(GOOD_TL, DRAINASE_TL) < 0.2  # 0 shared trigrams
    assert similarity(GOOD_TL, SAMPAH_TL) < 0.2
    # 46 words = 44 trigrams each; "Sukamaju"->"Cibodas" and "3"->"5" change 3 trigrams each:
    # shared 44 - 6 = 38, union 44 + 6 = 50: 38/50 = 0.76 >= 0.6
    assert similarity(GOOD_TL, GOOD_TL_OTHER_PLACE) == pytest.approx(0.76)
    assert similarity("dua kata", "dua kata") == 0.0  # no trigram at all
    assert similarity("", GOOD_TL) == 0.0


def tl_report(no: str, *tls: str, unit: str = "pupr") -> Any:
    return report(log(verif(unit), *[tl(t, akhir=i == len(tls) - 1)
                                    for i, t in enumerate(tls)]), no=no)


def test_copies_among_finds_the_same_tl_with_another_place_and_date() -> None:
    reports = [tl_report("T-001", GOOD_TL), tl_report("T-002", GOOD_TL_OTHER_PLACE),
               tl_report("T-003", DRAINASE_TL)]
    assert copies_among(reports, 0.6) == {"T-001": ["T-002"], "T-002": ["T-001"]}


def test_copies_among_ignores_different_tls_and_the_same_report() -> None:
    different = [tl_report("T-001", GOOD_TL), tl_report("T-002", DRAINASE_TL)]
    assert copies_among(different, 0.6) == {}
    # two near-identical TLs on one report: not a copy of another report's answer
    same = [tl_report("T-001", GOOD_TL, GOOD_TL_OTHER_PLACE)]
    assert copies_among(same, 0.6) == {}
    assert copies_among([tl_report("T-001", GOOD_TL)], 0.6) == {}


def test_copies_among_agrees_with_similarity_near_the_threshold() -> None:
    # BUG: copies_among estimates the Jaccard index from 4096-bit crc32 signatures; when an
    # unshared trigram of one TL hashes to the same bit as an unshared trigram of the other,
    # a pair just below copy_threshold is flagged (e.g. exact 44/76 = 0.579 counted as
    # 45/75 = 0.6). The rule is the word-trigram Jaccard, i.e. similarity().
    rng = random.Random(20260302)
    vocabulary = [f"kata{i}" for i in range(5000)]
    disagreements = []
    for _ in range(400):
        words = [rng.choice(vocabulary) for _ in range(62)]  # 60 trigrams
        other = list(words)
        for i in rng.sample(range(62), 6):
            other[i] = rng.choice(vocabulary)
        a, b = " ".join(words), " ".join(other)
        exact = similarity(a, b) >= 0.6
        flagged = bool(copies_among([tl_report("T-001", a), tl_report("T-002", b)], 0.6))
        if flagged != exact:
            disagreements.append(round(similarity(a, b), 3))
    assert disagreements == []


def test_copied_tl_fails_the_copy_check_in_both_reports() -> None:
    reports = [tl_report("T-001", GOOD_TL), tl_report("T-002", GOOD_TL_OTHER_PLACE),
               tl_report("T-003", DRAINASE_TL)]
    card = score_trainee(reports, SETTINGS, SLA, CAL, END)
    for scored, quality in zip(card.reports, (8.57, 8.57, 10.0), strict=True):
        assert points(scored, Q) == quality  # 10 x 6/7 = 8.57 for the copies, 10 x 7/7
    copy_line = next(x for x in card.reports[0].lines if x.explanation.startswith("Bukan sal"))
    assert copy_line.passed is False
    assert "#T-002" in copy_line.explanation


def test_copy_check_is_about_the_scored_tl() -> None:
    # Both reports share an identical interim TL, but their final (scored) TLs are unrelated
    # (similarity 0): the checked TL is no copy, so the item passes.
    reports = [tl_report("T-001", INTERIM_TL, GOOD_TL),
               tl_report("T-002", INTERIM_TL, DRAINASE_TL)]
    card = score_trainee(reports, SETTINGS, SLA, CAL, END)
    for scored in card.reports:
        assert points(scored, Q) == 10.0  # the final TL passes all seven checks: 10 x 7/7


def test_quality_lines_in_the_report_score() -> None:
    result = score(log(verif("pupr"), tl(GOOD_TL)))
    assert points(result, Q) == 10.0  # 10 x 7/7
    assert result.quality == 1.0
    items = [x for x in result.lines if x.passed is not None]
    assert [x.explanation.split(":")[0] for x in items] == ALL_CHECKS
    assert all(x.points == 0 and x.maximum == pytest.approx(10 / 7) for x in items)
    assert result.maximum(Q) == 10  # checklist lines are detail, not extra maximum


def test_quality_counts_the_final_tl() -> None:
    interim_then_final = log(verif("pupr"), tl(GOOD_TL, akhir=False), tl(NO_NEXT_TL))
    assert points(score(interim_then_final), Q) == 8.57  # final seq 3, no next step: 10 x 6/7
    # final GOOD_TL, rejected, then a later interim TL: the final one still counts, 7/7
    later_interim = log(verif("pupr"), tl(GOOD_TL), tolak(), tl(SHORT_TL, akhir=False))
    assert points(score(later_interim), Q) == 10.0
    no_final = log(verif("pupr"), tl(NO_NEXT_TL, akhir=False), tl(GOOD_TL, akhir=False))
    assert points(score(no_final), Q) == 10.0  # no final TL: the last TL counts, 7/7


def test_quality_uses_the_final_destination_unit() -> None:
    redone = log(verif("disdik"), kembalikan(), verif("pupr"), tl(GOOD_TL))
    assert points(score(redone), Q) == 10.0  # Dinas PUPR acted: 7/7
    wrong = log(verif("disdik"), tl(GOOD_TL))
    assert points(score(wrong), Q) == 8.57  # disposed to Disdik, TL names PUPR: 10 x 6/7
    own = GOOD_TL.replace("Dinas PUPR", "Diskominfo")
    assert points(score(log(kelola(), tl(own)), KELOLA), Q) == 10.0  # the admin unit acted


def test_missing_tl_scores_zero_quality() -> None:
    result = score(log(verif("pupr")))
    assert points(result, Q) == 0.0
    assert result.maximum(Q) == 10
    assert result.quality == 0.0
    assert not has_line(score(log(arsip("spam")), SPAM), Q)  # no TL expected
    assert not has_line(score([], DISPO), Q)  # never disposed: nothing to answer yet


@pytest.mark.parametrize(("rubric", "expected"), [
    (1, 0.0),  # (1 - 1)/4 = 0 -> 0
    (2, 2.5),  # (2 - 1)/4 = 0.25 -> 2.5
    (3, 5.0),  # 0.5 -> 5
    (4, 7.5),  # 0.75 -> 7.5
    (5, 10.0),  # 1 -> 10
])
def test_facilitator_override_replaces_the_checklist(rubric: int, expected: float) -> None:
    events = log(verif("pupr"), tl(SAMPAH_TL))  # checklist alone: 10 x 5/7 (unit, next step)
    result = score(events, overrides={2: rubric})
    assert points(result, Q) == expected
    assert result.quality == (rubric - 1) / 4
    assert result.maximum(Q) == 10


def test_override_of_another_tl_is_ignored() -> None:
    events = log(verif("pupr"), tl(INTERIM_TL, akhir=False), tl(GOOD_TL))
    result = score(events, overrides={2: 1})  # rates the interim TL, not the scored one
    assert points(result, Q) == 10.0  # checklist of seq 3: 7/7


# ====================================================================== 7. outcome

OUTCOME_CASES = [
    # id, events after the verifikasi, hasil points
    ("five-stars", [tl(), terima(), nilai(5)], 10.0),  # 10 x 5/5
    ("four-stars", [tl(), terima(), nilai(4)], 8.0),  # 10 x 4/5
    ("one-star-before-accepting", [tl(), nilai(1)], 2.0),  # 10 x 1/5
    ("accepted-no-rating", [tl(), terima()], 8.0),  # 10 x 0.8
    ("auto-closed", [tl(), otomatis()], 5.0),  # 10 x 0.5
    ("rejected", [tl(), tolak()], 0.0),  # 10 x 0
    ("rejected-then-accepted", [tl(), tolak(), tl(), terima()], 8.0),  # 10 x 0.8
    ("rejected-then-auto", [tl(), tolak(), tl(), otomatis()], 5.0),  # 10 x 0.5
    ("no-answer-yet", [tl()], 0.0),  # waiting for the reporter: 10 x 0
    ("interim-tl-only", [tl(akhir=False)], 0.0),  # 10 x 0
    ("no-tl", [], 0.0),  # 10 x 0
]


@pytest.mark.parametrize(("after", "expected"), [c[1:] for c in OUTCOME_CASES],
                         ids=[c[0] for c in OUTCOME_CASES])
def test_outcome(after: list[EventRecord], expected: float) -> None:
    result = score(log(verif("pupr"), *after))
    assert points(result, H) == expected
    assert result.maximum(H) == 10


@pytest.mark.parametrize(("answer", "events", "scripted"), [
    (DISPO, [verif("pupr"), tl(), terima(), nilai(5)], False),  # not a scripted reporter
    (SPAM, [arsip("spam")], True),  # archived: no TL expected
    (BW, [bw("bpjn")], True),  # sent out: the other agency answers
    (DISPO, [bw("bpjn")], True),  # sent out wrongly: no TL possible
    (DISPO, [], True),  # never disposed
    (DISPO, [arsip("spam")], True),  # valid report archived
    (BW, [verif("pupr"), tl(), terima()], True),  # not ours: no TL expected
], ids=["unscripted", "spam", "bukan-wewenang", "sent-out", "untouched", "archived-valid",
        "kept-bukan-wewenang"])
def test_no_outcome_line(answer: dict[str, Any], events: list[EventRecord],
                         scripted: bool) -> None:
    result = score(log(*events), answer, scripted=scripted)
    assert not has_line(result, H)
    assert result.maximum(H) == 0


def test_outcome_for_kelola_and_tunda() -> None:
    own = score(log(kelola(), tl(GOOD_TL.replace("Dinas PUPR", "Diskominfo")), terima(),
                    nilai(3)), KELOLA)
    assert points(own, H) == 6.0  # 10 x 3/5
    asked = score(log(tunda(), balas(), verif("pupr"), tl(), otomatis()), TUNDA)
    assert points(asked, H) == 5.0  # 10 x 0.5


# ====================================================================== 8. idempotence


def test_scoring_twice_gives_equal_results() -> None:
    events = log(verif("disdik", anonim=True), kembalikan(), verif("pupr", anonim=True),
                 tl(FIRST_NAME_TL, akhir=False), tl(GOOD_TL), tolak(),
                 tl(DRAINASE_TL), terima(), nilai(4))
    before = list(events)
    one = score(events, key(anonim=True), overrides={7: 3})
    two = score(events, key(anonim=True), overrides={7: 3})
    assert one == two
    assert one.lines == two.lines
    assert events == before  # inputs untouched
    first = score_trainee(session(), SETTINGS, SLA, CAL, END)
    second = score_trainee(session(), SETTINGS, SLA, CAL, END)
    assert first == second


# ====================================================================== 9. full session


def session() -> list[Any]:
    """Seven reports, all arriving Mon 2 March 08:00; the session ends Fri 6 March 16:00."""
    dispo_ok = report(log(
        verif("pupr", at(2, 12)),  # verifikasi 4 h = 0.5 HK, green
        tl(GOOD_TL, at(3, 12)),  # first TL 4 h + 4 h = 8 h = 1 HK, green; completion 12 h
        terima(at(4, 9)), nilai(5, at(4, 9, 5))), DISPO, no="R1")
    partial = report(log(
        verif("perkim", at(2, 14), kategori="infrastruktur"),  # 6 h = 0.75 HK; kategori wrong
        tl(SAMPAH_TL, at(4, 14)),  # 2 + 8 + 6 = 16 h = 2 HK; completion 22 h
        terima(at(5, 10))),
        key(expected_target="dlh", acceptable=(), partial=("perkim",),
            kategori="lingkungan_hidup"), no="R2")
    outside = report(log(bw("bpjn", at(2, 16))), BW, no="R3")  # 8 h = 1 HK
    spam = report(log(arsip("spam", at(2, 10))), SPAM, no="R4")  # 2 h = 0.25 HK
    asked = report(log(
        tunda(at(2, 8, 30)), balas(at(2, 10, 30)),  # 2 h paused
        verif("pupr", at(2, 11)),  # 3 h elapsed, 1 h counted
        tl(DRAINASE_TL, at(6, 11)),  # 5 + 8 + 8 + 8 + 3 = 32 h = 4 HK: yellow 0.75
        terima(at(6, 13)), nilai(3, at(6, 13, 5))), TUNDA, no="R5", overrides={4: 4})
    leaked = report(log(
        verif("pupr", at(2, 12), anonim=True),  # 4 h = 0.5 HK, first disposition wrong
        kembalikan(at(2, 14)),
        verif("disdik", at(3, 12), kategori="pendidikan", anonim=True),
        tl(PUNGUTAN_TL_NAMED, at(4, 12)),  # from Mon 12:00: 4 + 8 + 4 = 16 h = 2 HK
        tolak(at(5, 10))),
        key(expected_target="disdik", acceptable=(), partial=(), kategori="pendidikan",
            anonim=True), no="R6")
    untouched = report([], DISPO, no="R7")  # 40 h at session end: verifikasi breached
    return [dispo_ok, partial, outside, spam, asked, leaked, untouched]


def test_full_session_report_card() -> None:
    card = score_trainee(session(), SETTINGS, SLA, CAL, END)
    per_report = {s.tracking_no: s for s in card.reports}

    def row(s: ReportScore) -> list[float]:
        return [points(s, d) for d in (R, A, K, C, W, Q, H)]

    # R1 disposisi right: all full; waktu (1 + 1 + 1)/3; 7/7 checks; 5 stars
    assert row(per_report["R1"]) == [25, 15, 10, 15, 15, 10, 10]
    # R2 partial (Perkim instead of DLH): 25 x 0.5; klasifikasi right, kategori wrong 10 x 0.5;
    # waktu all green; 6/7 checks (no next step) = 8.57; accepted without rating 10 x 0.8
    assert row(per_report["R2"]) == [12.5, 15, 5, 15, 15, 8.57, 8]
    # R3 bukan wewenang to BPJN: routing + aksi + waktu (verifikasi only) full, nothing else
    assert row(per_report["R3"]) == [25, 15, 0, 0, 15, 0, 0]
    assert per_report["R3"].maximum() == 55  # 25 + 15 + 15
    # R4 spam archived for the right reason: aksi + waktu
    assert row(per_report["R4"]) == [0, 15, 0, 0, 15, 0, 0]
    assert per_report["R4"].maximum() == 30  # 15 + 15
    # R5 tunda then PUPR: waktu 15 x (1 + 0.75 + 1)/3 = 13.75; override 4 -> 10 x 3/4 = 7.5;
    # 3 stars -> 10 x 3/5 = 6
    assert row(per_report["R5"]) == [25, 15, 10, 15, 13.75, 7.5, 6]
    # R6 redisposed once: 25 x 0.9 = 22.5; anonim right, but the TL exposes the reporter:
    # the whole 15 is lost = 0; 5/7 checks
    # (opening names the reporter, name in the TL) = 7.14; rejected: 0
    assert row(per_report["R6"]) == [22.5, 15, 10, 0, 15, 7.14, 0]
    # R7 untouched: routing 0, aksi 0, verifikasi 40 h past 24 h: 15 x -0.25 = -3.75
    assert row(per_report["R7"]) == [0, 0, 0, 0, -3.75, 0, 0]
    assert per_report["R7"].maximum() == 55  # 25 + 15 + 15

    assert card.by_dimension == {
        # 25 + 12.5 + 25 + 25 + 22.5 + 0 = 110 of 6 x 25 = 150 (R4 has no routing)
        R: (110.0, 150.0),
        # 15 x 6 + 0 = 90 of 7 x 15 = 105
        A: (90.0, 105.0),
        # 10 + 5 + 10 + 10 = 35 of 4 x 10 (R1, R2, R5, R6 were verified)
        K: (35.0, 40.0),
        # 15 + 15 + 15 + 0 (R6 exposed its reporter) = 45 of 4 x 15
        C: (45.0, 60.0),
        # 15 x 5 + 13.75 - 3.75 = 85 of 7 x 15 = 105
        W: (85.0, 105.0),
        # 10 + 8.57 + 7.5 + 7.14 = 33.21 of 4 x 10
        Q: (33.21, 40.0),
        # 10 + 8 + 6 + 0 = 24 of 4 x 10
        H: (24.0, 40.0),
        Dimension.PENERIMAAN: (0, 0),  # mode OPD only
    }
    assert card.summary == Summary(
        reports=7,
        # expecting disposisi/kelola/tunda: R1, R2, R5, R6, R7; with a TL: R1, R2, R5, R6
        with_tl_pct=80.0,  # 4/5
        selesai_pct=60.0,  # R1, R2, R5 accepted; R6 rejected, R7 untouched: 3/5
        # routed: R1, R2, R3, R5, R6, R7 (R4 is spam). exact: R1, R3, R5, R6 = 4/6
        routing_exact_pct=66.7,  # 66.67 -> 66.7
        routing_first_time_pct=50.0,  # R1, R3, R5 = 3/6 (R6 first went to PUPR)
        # verify HK: R1 0.5, R2 0.75, R3 1.0, R4 0.25, R5 0.125, R6 0.5 (R7 none)
        # sorted 0.125 0.25 0.5 0.5 0.75 1.0: median (0.5 + 0.5)/2 = 0.5; p90 = 6th = 1.0
        # (R5 counted with its 2 h tunda, 0.375, would not change these two figures)
        verify_median_hk=0.5, verify_p90_hk=1.0,
        # first TL HK: R1 1.0, R2 2.0, R5 4.0, R6 2.0: median 2.0, p90 = 4th = 4.0
        first_tl_median_hk=2.0, first_tl_p90_hk=4.0,
        breaches=1,  # R7
        # qualities 1, 6/7, 0.75, 5/7: sum 3.3214 / 4 = 0.8304 -> 83.0
        quality_avg_pct=83.0,
        confidentiality_errors=1,  # R6's leaking TL
        # ... and R6 is the one report whose reporter was exposed (its TL names her)
        # 110 + 90 + 35 + 45 + 33.21 = 313.21 of 150 + 105 + 40 + 60 + 40 = 395 -> 79.29
        accuracy_pct=79.3,
        speed_pct=81.0,  # 85 / 105 = 80.95
        # 313.21 + 85 + 24 = 422.21 of 395 + 105 + 40 = 540 -> 78.19
        total_pct=78.2,
        exposed_reports=1,
        vague_tls=0,  # every scored TL names a concrete action
        handled=6,  # every report but R7, left untouched
    )
    assert card.headline_failures == [("R6", per_report["R6"].headline_failures[0])]


def test_empty_session() -> None:
    card = score_trainee([], SETTINGS, SLA, CAL, END)
    assert card.reports == []
    assert card.summary == Summary(
        reports=0, with_tl_pct=0.0, selesai_pct=0.0, routing_exact_pct=0.0,
        routing_first_time_pct=0.0, verify_median_hk=None, verify_p90_hk=None,
        first_tl_median_hk=None, first_tl_p90_hk=None, breaches=0, quality_avg_pct=None,
        confidentiality_errors=0, accuracy_pct=0.0, speed_pct=0.0, total_pct=0.0)
    assert all(value == (0, 0) for value in card.by_dimension.values())


def test_score_report_matches_score_trainee_for_a_single_report() -> None:
    single = report(log(verif("pupr"), tl(GOOD_TL), terima()))
    alone = score_report(single, (), SETTINGS, SLA, CAL, END)
    card = score_trainee([single], SETTINGS, SLA, CAL, END)
    assert card.reports == [alone]


# ====================================================================== 10. issue 11 lessons


STOCK_TL = "Terima kasih, laporan Anda akan segera ditindaklanjuti."


def test_stock_phrase_tl_scores_at_most_the_cap_and_the_reporter_says_it_is_vague() -> None:
    # Issue 11: this TL scored 91.7/100 on its report in an accept = "always" scenario.
    from sandbox.domain.simulation import ReporterScript, due_events
    from sandbox.domain.tl_quality import VAGUE_CAP

    events = log(verif("pupr", at(2, 9)), tl(STOCK_TL, at(2, 10)))
    planned = due_events(events, ReporterScript(accept="always"), SLA, CAL, "", END)
    reporter_events = [replace(e, seq=0) for e in
                       (ev(p.action.value, p.sim_at, **p.payload) for p in planned)]
    result = score(log(*events, *reporter_events))
    # 3 of 7 items pass (greeting, no copy, no personal data), scaled by the cap:
    # 10 x 3/7 x 0.25 = 1.07 (the old checklist also passed "akan": 10 x 4/7 = 5.71)
    assert points(result, Q) == 1.07
    assert points(result, Q) <= 10 * VAGUE_CAP
    assert result.tl_concrete is False
    assert result.stock_phrases == ("akan segera ditindaklanjuti",)
    quality = next(x for x in result.lines if x.dimension == Q and x.passed is None)
    assert "tidak konkret" in quality.explanation
    assert "«akan segera ditindaklanjuti»" in quality.explanation
    # accepted (the scenario's reporter always accepts) but with two stars and a comment
    assert points(result, H) == 4.0  # 10 x 2/5
    outcome = next(x for x in result.lines if x.dimension == H)
    assert "tidak konkret" in outcome.explanation


def test_vague_tls_are_counted_on_the_card() -> None:
    reports = [report(log(verif("pupr"), tl(STOCK_TL)), no="V1"),
               report(log(verif("pupr"), tl(GOOD_TL)), no="V2")]
    card = score_trainee(reports, SETTINGS, SLA, CAL, END)
    assert card.summary.vague_tls == 1
    assert [r.tl_concrete for r in card.reports] == [False, True]


def test_a_score_stays_the_same_until_a_running_limit_is_missed():
    """steady_until: only a running limit not yet missed moves a score by itself."""
    from sandbox.domain.scoring import STEADY_MARGIN, steady_until
    from sandbox.domain.sla import LimitStatus, Zone

    now = datetime(2026, 3, 2, 9, 0)
    hour = timedelta(hours=1)
    green = LimitStatus("verifikasi", 24 * hour, 20 * hour, running=True, paused=False,
                        zone=Zone.KUNING)
    missed = LimitStatus("tindak_lanjut", 40 * hour, 41 * hour, running=True, paused=False,
                         zone=Zone.MERAH)
    done = LimitStatus("penyelesaian", 80 * hour, 2 * hour, running=False, paused=False,
                       zone=Zone.HIJAU)
    assert steady_until([green, missed, done], now) == now + 4 * hour - STEADY_MARGIN
    assert steady_until([missed, done], now) is None
    assert steady_until([], now) is None
