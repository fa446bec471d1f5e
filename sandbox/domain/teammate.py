"""Simulated teammates: the Admin Instansi who disposes reports to a trainee in mode OPD.

Pure, like the simulated reporter (domain.simulation): given a report's events and the
plan its scenario drew for it, `next_instansi` says what the simulated Admin Instansi does
next and when. It verifies and disposes each report to the trainee's OPD some working
time after it arrives (wrongly, for the share of reports the scenario planned so); after
the trainee returns a report with kembalikan it re-disposes it to the OPD the answer key
names, or forwards it as bukan wewenang, or (when the trainee returned a report that was
theirs) disposes it back to them with a note.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sandbox.domain.clock import Calendar
from sandbox.domain.workflow import Action, EventRecord, State, replay

NAME = "Admin Instansi (simulasi)"
INSTANSI_KEY = "instansi"  # where a report's stored script keeps the teammate's plan
FORWARD_NOTE = "Diteruskan oleh Admin Instansi setelah dikembalikan oleh OPD."
BACK_TO_YOU = ("Disposisi ulang: Admin Instansi menilai laporan ini memang wewenang OPD "
               "Anda. Mohon ditindaklanjuti.")


def _verifikasi(key: Mapping[str, Any], unit: str, title: str) -> dict[str, Any]:
    """The Admin Instansi's verification: a neutral title, the key's classification and
    confidentiality flags, and the OPD it is disposed to."""
    return {"judul": title, "klasifikasi": key.get("klasifikasi"),
            "kategori": key.get("kategori"), "rahasia": bool(key.get("rahasia")),
            "anonim": bool(key.get("anonim")), "unit": unit}


def next_instansi(events: Sequence[EventRecord], plan: Mapping[str, Any],
                  key: Mapping[str, Any], arrived_at: datetime, calendar: Calendar,
                  title: str) -> tuple[Action, datetime, dict[str, Any]] | None:
    """The simulated Admin Instansi's next action on a report (action, simulated moment,
    payload), or None when it has nothing to do. `plan` is the report's disposition as the
    scenario drew it: the trainee's `unit`, and the delays `after` (from arrival) and
    `redispose_after` (from a kembalikan), in HK."""
    if replay(events).state != State.BARU:
        return None
    unit = str(plan["unit"])
    if not events:
        return (Action.VERIFIKASI, calendar.add_hk(arrived_at, float(plan["after"])),
                _verifikasi(key, unit, title))
    returned = events[-1]
    if returned.action != Action.KEMBALIKAN:
        return None
    at = calendar.add_hk(returned.sim_at, float(plan["redispose_after"]))
    expected, target = key.get("expected_action"), key.get("expected_target")
    if expected == "bukan_wewenang" and target:
        return Action.BUKAN_WEWENANG, at, {"instansi": target, "catatan": FORWARD_NOTE}
    if expected == "disposisi" and target:
        payload = _verifikasi(key, str(target), title)
        if target == unit or unit in (key.get("acceptable_targets") or ()):
            payload = {**payload, "unit": unit, "catatan": BACK_TO_YOU}
        return Action.VERIFIKASI, at, payload
    return None
