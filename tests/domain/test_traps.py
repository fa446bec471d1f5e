"""The traps a report sets and whether someone fell into one (domain.traps)."""

from sandbox.domain.decisions import Verdict
from sandbox.domain.traps import TRAPS_BY_KEY, fell, label, traps_of


def test_each_expected_action_sets_its_decision_trap_first():
    assert traps_of({"expected_action": "disposisi"}) == ("disposisi",)
    assert traps_of({"expected_action": "bukan_wewenang"}) == ("bukan-wewenang",)
    assert traps_of({"expected_action": "arsipkan"}) == ("arsip",)
    assert traps_of({"expected_action": "tunda"}) == ("kurang-info",)
    assert traps_of({"expected_action": "kelola_sendiri"}) == ("kelola-sendiri",)


def test_rahasia_and_anonim_add_confidentiality_traps():
    key = {"expected_action": "disposisi", "rahasia": True, "anonim": False}
    assert traps_of(key) == ("disposisi", "rahasia")
    key = {"expected_action": "tunda", "rahasia": True, "anonim": True}
    assert traps_of(key) == ("kurang-info", "rahasia", "anonim")


def test_every_trap_named_has_a_label():
    for action in ("disposisi", "bukan_wewenang", "arsipkan", "tunda", "kelola_sendiri"):
        for trap in traps_of({"expected_action": action, "rahasia": True, "anonim": True}):
            assert trap in TRAPS_BY_KEY
            assert label(trap) != trap


def test_falling_into_a_decision_trap_is_the_verdict_not_tepat():
    assert fell("bukan-wewenang", Verdict.SALAH, 0) is True
    assert fell("bukan-wewenang", Verdict.SEBAGIAN, 0) is True
    assert fell("bukan-wewenang", Verdict.TEPAT, 2) is False
    assert fell("bukan-wewenang", Verdict.BELUM, 0) is None


def test_falling_into_a_confidentiality_trap_is_any_exposure():
    assert fell("rahasia", Verdict.TEPAT, 1) is True
    assert fell("anonim", Verdict.SALAH, 0) is False
