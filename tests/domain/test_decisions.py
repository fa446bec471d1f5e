"""Was this decision right? One verdict (domain.decisions.judge_decision) per report, from
the last decision and the destination, and scoring's action and routing lines are its parts."""

from __future__ import annotations

import pytest

from sandbox.domain.decisions import DecisionJudgement, Verdict, judge_decision
from sandbox.domain.scoring import Dimension
from tests.domain.scoring_cases import (
    ADMIN_UNIT,
    BW,
    DISPO,
    DUPLIKAT,
    KELOLA,
    SETTINGS,
    SPAM,
    TUNDA,
    UNIT_NAMES,
    arsip,
    balas,
    bw,
    kelola,
    kembalikan,
    log,
    score,
    tl,
    tunda,
    verif,
)

T, S, W, B = Verdict.TEPAT, Verdict.SEBAGIAN, Verdict.SALAH, Verdict.BELUM

# (id, answer key, events, verdict, words the reason contains)
CASES = [
    ("untouched", DISPO, [], B, "belum ditangani"),
    ("right-unit", DISPO, [verif("pupr")], T, "Tepat ke Dinas Pekerjaan Umum"),
    ("acceptable-unit", DISPO, [verif("perkim")], T, "Tepat ke Dinas Perumahan"),
    ("partial-unit", DISPO, [verif("dlh")], S, "Sebagian tepat: Dinas Lingkungan Hidup"),
    ("wrong-unit", DISPO, [verif("disdik")], W, "Salah tujuan: Dinas Pendidikan"),
    ("redisposed-right", DISPO, [verif("disdik"), kembalikan(), verif("pupr")], T,
     "Didisposisikan ulang 1 kali"),
    ("redisposed-wrong", DISPO, [verif("pupr"), kembalikan(), verif("disdik")], W,
     "Salah tujuan"),
    ("archived-valid", DISPO, [arsip("spam")], W, "diarsipkan"),
    ("forwarded-own-report", DISPO, [bw("bpjn")], W, "wewenang Pemda"),
    ("kelola-instead-of-dispose", DISPO, [kelola()], W, "Seharusnya verifikasi dan disposisi"),
    ("needless-tunda-waiting", DISPO, [tunda()], W, "bukan tunda"),
    ("needless-tunda-then-right", DISPO, [tunda(), balas(), verif("pupr")], S,
     "Tunda tidak perlu"),
    ("bw-right", BW, [bw("bpjn")], T, "Tepat ke Balai Pelaksanaan Jalan Nasional"),
    ("bw-disposed-locally", BW, [verif("pupr")], W, "bukan wewenang Pemda"),
    ("kelola-right", KELOLA, [kelola()], T, "Tepat ke Dinas Komunikasi"),
    ("kelola-by-disposing-to-itself", KELOLA, [verif(ADMIN_UNIT)], S, "Seharusnya kelola"),
    ("tunda-waiting", TUNDA, [tunda()], T, "menunggu jawaban pelapor"),
    ("tunda-answered-not-routed", TUNDA, [tunda(), balas()], S, "belum diteruskan"),
    ("tunda-then-right", TUNDA, [tunda(), balas(), verif("pupr")], T, "Tepat ke"),
    ("tunda-then-wrong", TUNDA, [tunda(), balas(), verif("disdik")], W, "Salah tujuan"),
    ("tunda-skipped", TUNDA, [verif("pupr")], S, "tidak ditanyakan dulu"),
    # Archiving after an unanswered tunda: right, here as in the card.
    ("tunda-unanswered-archived", TUNDA, [tunda(), arsip("tidak_ada_informasi")], T,
     "pelapor tidak melengkapinya"),
    ("tunda-archived-as-spam", TUNDA, [tunda(), arsip("spam")], W, "diarsipkan"),
    ("spam-archived", SPAM, [arsip("spam")], T, "memang untuk arsipkan"),
    ("spam-wrong-reason", SPAM, [arsip("terlalu_umum")], S, "alasannya"),
    ("spam-asked-first", SPAM, [tunda(), arsip("spam")], S, "Tunda tidak perlu"),
    ("spam-disposed", SPAM, [verif("pupr")], W, "Seharusnya arsipkan"),
    ("duplicate-archived", DUPLIKAT, [arsip("duplikat")], T, "Tepat"),
    ("tl-after-right-unit", DISPO, [verif("pupr"), tl()], T, "Tepat ke"),
]


def _judge(answer, events) -> DecisionJudgement:
    return judge_decision(answer, log(*events), unit_names=UNIT_NAMES, admin_unit=ADMIN_UNIT,
                          redispose_cost=SETTINGS.redispose_cost)


@pytest.mark.parametrize(("answer", "events", "verdict", "words"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_the_verdict_and_its_reason(answer, events, verdict, words):
    judged = _judge(answer, events)
    assert judged.verdict == verdict, judged.reason
    assert words in judged.reason


@pytest.mark.parametrize(("answer", "events"), [case[1:3] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_scorings_action_and_routing_lines_are_the_verdicts_parts(answer, events):
    """Scoring does not judge decisions itself: its lines are the judgement's parts."""
    judged = _judge(answer, events)
    card = score(log(*events), answer)
    lines = {line.dimension: line for line in card.lines if line.passed is None
             and line.dimension in (Dimension.AKSI, Dimension.ROUTING)}
    parts = {Dimension.AKSI: judged.action}
    if judged.routing is not None:
        parts[Dimension.ROUTING] = judged.routing
    assert set(lines) == set(parts)
    for dimension, part in parts.items():
        weight = SETTINGS.weight(dimension)
        line = lines[dimension]
        assert (line.points, line.explanation) == (round(weight * part.fraction, 2), part.text)
    assert (card.first_time_correct, card.routed_exactly) == (judged.first_time_correct,
                                                              judged.routed_exactly)


@pytest.mark.parametrize(("answer", "events", "verdict"), [case[1:4] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_a_right_verdict_earns_every_point_of_action_and_routing(answer, events, verdict):
    """The verdict never contradicts the points: tepat means full action points and an
    exact destination; salah means no routing credit (or none for the action)."""
    judged = _judge(answer, events)
    if verdict == T and not judged.pending:
        assert judged.action.fraction == 1
        assert judged.routing is None or judged.routed_exactly
    if verdict == W:
        assert judged.action.fraction == 0 or (judged.routing is not None
                                               and not judged.routed_exactly
                                               and judged.routing.fraction == 0)


def test_pending_is_a_tunda_awaiting_a_decision():
    assert _judge(TUNDA, [tunda()]).pending
    assert _judge(TUNDA, [tunda(), balas()]).pending
    assert not _judge(TUNDA, [tunda(), balas(), verif("pupr")]).pending
    assert not _judge(DISPO, []).pending


def test_verdict_labels_and_css():
    assert [v.value for v in Verdict] == ["tepat", "sebagian", "salah", "belum"]
    assert [v.css for v in Verdict] == ["ok", "partial", "bad", "idle"]
    assert [v.label for v in Verdict] == ["tepat", "sebagian tepat", "kurang tepat",
                                          "belum ditangani"]
