"""Was this decision right? The one verdict on how a report was decided, against its key.

A report is judged by how it ended (its last decision) and where it went: the action
chosen (verify and dispose, handle it yourself, tunda, archive, bukan wewenang) and the
destination. `judge_decision` returns both parts with the points they earn, and one
verdict (tepat, sebagian, salah, belum) with its reason. Scoring turns the parts into
points; the debrief's bars and replay, and the facilitator's dashboard, show the verdict.
Nothing else decides whether a decision was right. In mode OPD the trainee is on the
receiving end of a disposition: `judge_receipt` says whether they recognised a wrong one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sandbox.domain.workflow import Action, ArchiveReason, EventRecord, Role, State, replay

DECISIONS = (Action.VERIFIKASI, Action.KELOLA_SENDIRI, Action.TUNDA, Action.ARSIPKAN,
             Action.BUKAN_WEWENANG)
DISPOSING = (Action.VERIFIKASI, Action.KELOLA_SENDIRI, Action.BUKAN_WEWENANG)
# The answer key's names for decisions, and how explanations word them.
ACTION_LABELS = {
    "disposisi": "verifikasi dan disposisi",
    "kelola_sendiri": "kelola sendiri",
    "tunda": "tunda",
    "arsipkan": "arsipkan",
    "bukan_wewenang": "bukan wewenang",
}
ACTION_OF = {Action.VERIFIKASI: "disposisi", Action.KELOLA_SENDIRI: "kelola_sendiri",
             Action.TUNDA: "tunda", Action.ARSIPKAN: "arsipkan",
             Action.BUKAN_WEWENANG: "bukan_wewenang"}
NOT_HANDLED = "belum ditangani"
# Keys whose report must reach a unit or agency: the destination is judged too.
ROUTED = ("disposisi", "kelola_sendiri", "bukan_wewenang", "tunda")


class Verdict(StrEnum):
    TEPAT = "tepat"
    SEBAGIAN = "sebagian"
    SALAH = "salah"
    BELUM = "belum"

    @property
    def label(self) -> str:
        return VERDICT_LABELS[self]

    @property
    def css(self) -> str:
        """The class an outcome of this verdict is drawn with (ok, partial, bad, idle)."""
        return VERDICT_CSS[self]


VERDICT_LABELS: dict[Verdict, str] = {
    Verdict.TEPAT: "tepat",
    Verdict.SEBAGIAN: "sebagian tepat",
    Verdict.SALAH: "kurang tepat",
    Verdict.BELUM: NOT_HANDLED,
}
VERDICT_CSS: dict[Verdict, str] = {
    Verdict.TEPAT: "ok", Verdict.SEBAGIAN: "partial", Verdict.SALAH: "bad",
    Verdict.BELUM: "idle",
}


@dataclass(frozen=True)
class Part:
    """One judged part of a decision: the share of its points earned (0..1, after any
    cost of re-disposing) and why."""

    fraction: float
    text: str


@dataclass(frozen=True)
class DecisionJudgement:
    """The verdict on how a report was decided, and the parts scoring turns into points."""

    verdict: Verdict
    reason: str
    did: str  # the last decision in the key's words ("disposisi"), or NOT_HANDLED
    action: Part  # the choice of action
    routing: Part | None  # where the report went, when the key names a destination
    first_time_correct: bool | None  # the first disposition deserved full routing credit
    routed_exactly: bool | None  # the last one did
    pending: bool = False  # the last decision is a tunda: the report is not decided yet


def _reason(code: Any) -> str:
    try:
        return ArchiveReason(code or "").label
    except ValueError:
        return str(code)


def judge_decision(key: Mapping[str, Any], events: Sequence[EventRecord], *,
                   unit_names: Mapping[str, Sequence[str]], admin_unit: str = "",
                   redispose_cost: float = 0.1) -> DecisionJudgement:
    """How the decisions among `events` compare with the answer key `key`.

    `unit_names` gives each unit code its names (the first is used in reasons);
    `admin_unit` is where «kelola sendiri» keeps a report; each extra disposition costs
    `redispose_cost` of the routing points.
    """
    expected = str(key["expected_action"])
    target = key.get("expected_target")
    acceptable = set(key.get("acceptable_targets") or ())
    partial = set(key.get("partial_targets") or ())
    decisions = [e for e in events if e.action in DECISIONS]
    disposals = [e for e in events if e.action in DISPOSING]
    first = decisions[0] if decisions else None
    last = decisions[-1] if decisions else None

    def destination(event: EventRecord) -> str:
        if event.action == Action.BUKAN_WEWENANG:
            return str(event.payload.get("instansi"))
        if event.action == Action.KELOLA_SENDIRI:
            return admin_unit
        return str(event.payload.get("unit"))

    def credit(code: str) -> float:
        if code == target or code in acceptable:
            return 1.0
        return 0.5 if code in partial else 0.0

    def name(code: str | None) -> str:
        names = unit_names.get(code or "")
        return names[0] if names else str(code)

    # Action choice ------------------------------------------------------------
    # The report is judged by how it ended (the last decision); a tunda first counts on
    # its own, because asking for missing information is a decision of its own.
    did = ACTION_OF[last.action] if last else NOT_HANDLED
    asked_first = first is not None and first.action == Action.TUNDA
    ended_archived = last is not None and last.action == Action.ARSIPKAN
    gave_up = ended_archived and asked_first and \
        last is not None and last.payload.get("alasan") == ArchiveReason.TIDAK_ADA_INFORMASI
    if last is None:
        action = Part(0, "Laporan belum ditangani.")
    elif expected == "tunda":
        if asked_first:
            action = Part(1, "Tepat: informasi yang kurang ditanyakan dulu (tunda).")
        elif did in ("disposisi", "kelola_sendiri"):
            action = Part(0.5, "Informasi yang kurang tidak ditanyakan dulu (tunda) "
                               "sebelum disposisi.")
        else:
            action = Part(0, f"Seharusnya tunda dulu, bukan {ACTION_LABELS.get(did, did)}.")
    elif did == expected:
        chosen = str(last.payload.get("alasan")) if expected == "arsipkan" else ""
        right = key.get("archive_reason")
        if expected == "arsipkan" and right and chosen != right:
            action = Part(0.5, f"Arsip tepat, tetapi alasannya «{_reason(chosen)}»; "
                               f"seharusnya «{_reason(right)}».")
        elif asked_first:
            action = Part(0.5, "Tunda tidak perlu: laporan sudah cukup jelas untuk "
                               f"{ACTION_LABELS[expected]}.")
        else:
            action = Part(1, f"Tepat: laporan ini memang untuk {ACTION_LABELS[expected]}.")
    elif ended_archived:
        action = Part(0, "Laporan yang sah diarsipkan: warga tidak mendapat jawaban.")
    elif {expected, did} == {"disposisi", "kelola_sendiri"}:
        action = Part(0.5, f"Seharusnya {ACTION_LABELS[expected]}.")
    else:
        action = Part(0, f"Seharusnya {ACTION_LABELS[expected]}, bukan "
                         f"{ACTION_LABELS.get(did, did)}.")

    # Routing -----------------------------------------------------------------
    routing: Part | None = None
    raw_credit = 0.0  # the final destination's credit, before the cost of re-disposing
    first_time: bool | None = None
    exact: bool | None = None
    if expected == "tunda" and gave_up:
        pass  # the reporter never supplied what was missing: archiving was right
    elif expected in ROUTED:
        if ended_archived or (not disposals and did == "arsipkan"):
            routing = Part(0, "Laporan sah diarsipkan, tidak sampai ke unit yang berwenang.")
            first_time, exact = False, False
        elif not disposals:
            routing = Part(0, f"Belum didisposisikan; seharusnya ke {name(target)}."
                           if expected != "kelola_sendiri" else "Belum dikelola.")
            first_time, exact = False, False
        else:
            final = destination(disposals[-1])
            if expected == "kelola_sendiri":
                target_code = admin_unit
                fraction = 1.0 if disposals[-1].action == Action.KELOLA_SENDIRI else 0.5 \
                    if final == admin_unit else 0.0
            else:
                target_code = str(target)
                fraction = credit(final)
            if expected == "bukan_wewenang" and disposals[-1].action != Action.BUKAN_WEWENANG:
                text = f"Laporan ini bukan wewenang Pemda; seharusnya diteruskan ke " \
                       f"{name(target_code)}."
                fraction = 0.0
            elif expected != "bukan_wewenang" and disposals[-1].action == Action.BUKAN_WEWENANG \
                    and expected != "kelola_sendiri":
                text = f"Laporan ini wewenang Pemda ({name(target_code)}), tetapi diteruskan ke " \
                       f"{name(final)}."
                fraction = 0.0
            elif fraction == 1.0:
                text = f"Tepat ke {name(final)}."
            elif fraction == 0.5:
                text = f"Sebagian tepat: {name(final)}; yang paling tepat {name(target_code)}."
            else:
                text = f"Salah tujuan: {name(final)}; seharusnya {name(target_code)}."
            raw_credit = fraction
            extra = len(disposals) - 1
            if extra and fraction > 0:
                cost = min(fraction, redispose_cost * extra)
                fraction -= cost
                text += f" Didisposisikan ulang {extra} kali (−{cost:.0%})."
            routing = Part(fraction, text)

            def right(event: EventRecord) -> bool:
                """A disposition that deserves full routing credit."""
                if expected == "kelola_sendiri":
                    return event.action == Action.KELOLA_SENDIRI
                outside = event.action == Action.BUKAN_WEWENANG
                return outside == (expected == "bukan_wewenang") and \
                    credit(destination(event)) == 1.0

            exact = right(disposals[-1])
            first_time = right(disposals[0])

    pending = last is not None and last.action == Action.TUNDA
    verdict, reason = _verdict(expected, action, routing, raw_credit, exact, events,
                               last is None, pending, gave_up)
    return DecisionJudgement(verdict, reason, did, action, routing, first_time, exact, pending)


def _verdict(expected: str, action: Part, routing: Part | None, raw_credit: float,
             exact: bool | None, events: Sequence[EventRecord], untouched: bool,
             pending: bool, gave_up: bool) -> tuple[Verdict, str]:
    """The verdict the two parts add up to, with its reason."""
    if untouched:
        return Verdict.BELUM, "Laporan belum ditangani."
    if gave_up:
        return Verdict.TEPAT, ("Tepat: informasi yang kurang ditanyakan dulu; pelapor tidak "
                               "melengkapinya, jadi laporan diarsipkan.")
    if pending and expected == "tunda":
        # Asking was right; where the report goes is decided once the reporter answers.
        if replay(events).state == State.TUNDA:
            return Verdict.TEPAT, ("Tepat sejauh ini: informasi yang kurang ditanyakan dulu; "
                                   "menunggu jawaban pelapor.")
        where = f" {routing.text}" if routing is not None else ""
        return Verdict.SEBAGIAN, ("Informasi yang kurang sudah ditanyakan dan dijawab "
                                  f"pelapor, tetapi laporan belum diteruskan.{where}")
    if routing is None:  # nothing to route: the action alone decides
        return _tone(action.fraction), action.text
    if raw_credit == 0:  # archived, not yet disposed, or to the wrong place
        return Verdict.SALAH, _join(action, routing)
    if exact and action.fraction == 1:
        return Verdict.TEPAT, routing.text
    return Verdict.SEBAGIAN, _join(action, routing)


def _tone(fraction: float) -> Verdict:
    if fraction >= 1:
        return Verdict.TEPAT
    return Verdict.SALAH if fraction <= 0 else Verdict.SEBAGIAN


def _join(action: Part, routing: Part) -> str:
    """The reasons of the parts that fell short, action first."""
    short = [part.text for part in (action, routing) if part.fraction < 1]
    return " ".join(short) or routing.text


# ------------------------------------------------------------------ mode OPD: the receiving end

RESPONSES = (Action.KEMBALIKAN, Action.TINDAK_LANJUT)


def wrongly_disposed(key: Mapping[str, Any], unit: str) -> bool:
    """Whether a disposition to `unit` is wrong by the answer key: the report belongs to
    another OPD, or to a body outside the Pemda (an acceptable or partial alternate is not
    wrong), or is not for disposing at all (archive, tunda, kelola sendiri)."""
    if key.get("expected_action") not in ("disposisi", "bukan_wewenang"):
        return True
    return unit not in {key.get("expected_target"), *(key.get("acceptable_targets") or ()),
                        *(key.get("partial_targets") or ())}


def units_at(events: Sequence[EventRecord]) -> list[str | None]:
    """For each event, the OPD the report was disposed to when it was recorded (None
    while with the Admin Instansi, or kept by it)."""
    found: list[str | None] = []
    at: str | None = None
    for event in events:
        found.append(at)
        if event.action == Action.VERIFIKASI:
            at = event.payload.get("unit")
        elif event.action in (Action.KEMBALIKAN, Action.BUKAN_WEWENANG,
                              Action.KELOLA_SENDIRI):
            at = None
    return found


def answered_at(events: Sequence[EventRecord], unit: str | None) -> list[EventRecord]:
    """The admin penghubung's events recorded while the report was disposed to `unit`:
    what that OPD answers for (not another OPD's TL after it was re-disposed); with None,
    the TLs of a report the Admin Instansi kept (kelola sendiri)."""
    return [event for event, at in zip(events, units_at(events), strict=True)
            if event.role == Role.ADMIN_PENGHUBUNG and at == unit]


def received_by(events: Sequence[EventRecord], unit: str) -> EventRecord | None:
    """The first disposition of the report to `unit`, if it was ever disposed there."""
    return next((e for e in events
                 if e.action == Action.VERIFIKASI and e.payload.get("unit") == unit), None)


def first_response(events: Sequence[EventRecord], received: EventRecord) -> EventRecord | None:
    """The admin penghubung's first answer (a kembalikan or a TL) after the disposition
    `received`, if any."""
    return next((e for e in events if e.seq > received.seq and e.action in RESPONSES), None)


def expects_answer(key: Mapping[str, Any], own_unit: str | None) -> bool:
    """Whether the trainee owes this report's reporter a TL: a report expected to be
    handled (individual mode), or, for an admin penghubung, one rightly disposed to them."""
    if own_unit is not None:
        return not wrongly_disposed(key, own_unit)
    return key.get("expected_action") in ("disposisi", "kelola_sendiri", "tunda")


@dataclass(frozen=True)
class ReceiptJudgement:
    """The verdict on how an admin penghubung answered a disposition to their OPD."""

    verdict: Verdict
    part: Part  # the share of the points earned, and why
    did: str  # "kembalikan", "tindak_lanjut" or NOT_HANDLED
    wrong: bool  # the disposition to their OPD was wrong
    received_at: datetime  # the simulated moment it was disposed to them
    response: EventRecord | None  # their first answer to it: a kembalikan or a TL


def judge_receipt(key: Mapping[str, Any], events: Sequence[EventRecord], own_unit: str, *,
                  unit_names: Mapping[str, Sequence[str]]) -> ReceiptJudgement | None:
    """Did the admin penghubung of `own_unit` recognise a wrong disposition (and return
    it with kembalikan) and act on a right one (with a TL)? None: never disposed to them."""
    received = received_by(events, own_unit)
    if received is None:
        return None

    def name(code: str | None) -> str:
        names = unit_names.get(code or "")
        return names[0] if names else str(code)

    wrong = wrongly_disposed(key, own_unit)
    response = first_response(events, received)
    mine = name(own_unit)
    if key.get("expected_action") == "bukan_wewenang":
        belongs = f"laporan ini wewenang {name(key.get('expected_target'))}, di luar Pemda"
    elif key.get("expected_action") == "disposisi":
        belongs = f"laporan ini wewenang {name(key.get('expected_target'))}"
    else:
        belongs = "laporan ini tidak untuk didisposisikan ke OPD mana pun"
    if response is None:
        text = (f"Belum ditanggapi. Disposisi ini keliru ({belongs}): kembalikan ke Admin "
                "Instansi dengan alasannya." if wrong else
                f"Belum ditanggapi: laporan ini wewenang {mine}, tindak lanjuti.")
        return ReceiptJudgement(Verdict.BELUM, Part(0, text), NOT_HANDLED, wrong,
                                received.sim_at, None)
    did = response.action.value
    if wrong and response.action == Action.KEMBALIKAN:
        part, verdict = Part(1, f"Tepat: disposisi ini keliru ({belongs}) dan dikembalikan "
                                "ke Admin Instansi."), Verdict.TEPAT
    elif wrong:
        part, verdict = Part(0, f"Seharusnya dikembalikan: {belongs}, bukan {mine}. Tindak "
                                "lanjut dari OPD yang tidak berwenang membuat pelapor "
                                "menunggu jawaban dari pihak yang salah."), Verdict.SALAH
    elif response.action == Action.KEMBALIKAN:
        part, verdict = Part(0, f"Seharusnya ditindaklanjuti: laporan ini memang wewenang "
                                f"{mine}, tetapi dikembalikan."), Verdict.SALAH
    else:
        part, verdict = Part(1, f"Tepat: laporan ini wewenang {mine} dan ditindaklanjuti."), \
            Verdict.TEPAT
    return ReceiptJudgement(verdict, part, did, wrong, received.sim_at, response)
