"""Scoring speed: a synthetic session scored per trainee, against a pass that only counts events.

    python bench/scoring.py [--small 60] [--large 1000] [--reports 60]

Prints ms per trainee for `--small` and `--large` trainees x `--reports` reports x ~8
events, the ratio to the floor (a plain loop over the same events that only counts
them), and whether growth is linear. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sandbox.domain.catalogue import load_catalogue  # noqa: E402
from sandbox.domain.clock import Calendar  # noqa: E402
from sandbox.domain.generator import generate  # noqa: E402
from sandbox.domain.scoring import ReportInput, ScoringSettings, score_trainee  # noqa: E402
from sandbox.domain.sla import SlaSettings  # noqa: E402
from sandbox.domain.workflow import Action, EventRecord  # noqa: E402

START = datetime(2026, 3, 2, 8, 0)
TL = ("Yth. Bapak/Ibu, terima kasih atas laporan Anda. Petugas {unit} telah meninjau lokasi "
      "di {place} pada Selasa, {day} Maret 2026 dan perbaikan dijadwalkan pekan depan. Kami "
      "akan menginformasikan perkembangan selanjutnya.")


def _event(seq: int, action: Action, at: datetime, **payload: object) -> EventRecord:
    return EventRecord(seq, action, action.role, "Peserta", payload, at, at)


def session(trainees: int, reports: int) -> list[list[ReportInput]]:
    """Every trainee acts on the same reports, a little differently (as in a workshop)."""
    catalogue = load_catalogue(ROOT / "seed/regions/kabupaten-sukamaju.toml", ROOT / "seed/topics")
    names = {c: (u.name, u.short) for c, u in catalogue.units.items()}
    complaints = list(generate(catalogue, 2026, reports, START))
    result = []
    for t in range(trainees):
        inputs = []
        for i, c in enumerate(complaints):
            key = c.to_record()
            at = c.arrived_at + timedelta(minutes=30 + (t * 7 + i * 13) % 600)
            target = key["expected_target"] if (t + i) % 5 else "pupr"
            unit = target if target and target in names and not \
                catalogue.units[target].is_agency else "pupr"
            events = [
                _event(1, Action.VERIFIKASI, at, judul="Laporan warga", unit=unit,
                       klasifikasi=key["klasifikasi"], kategori=key["kategori"],
                       rahasia=bool(key["rahasia"]), anonim=(t % 3 == 0)),
                _event(2, Action.TINDAK_LANJUT, at + timedelta(hours=3),
                       isi=TL.format(unit=names[unit][1], place=f"RT 00{i % 9}", day=3 + i % 20)),
                _event(3, Action.PELAPOR_MENANYAKAN, at + timedelta(hours=4), isi="Kapan?"),
                _event(4, Action.TINDAK_LANJUT, at + timedelta(hours=9), akhir=True,
                       isi=TL.format(unit=names[unit][0], place=f"Desa {i}", day=4 + i % 20)),
                _event(5, Action.PELAPOR_MENOLAK, at + timedelta(hours=12), isi="Belum"),
                _event(6, Action.TINDAK_LANJUT, at + timedelta(hours=20), akhir=True,
                       isi=TL.format(unit=names[unit][1], place=f"Dusun {t}", day=5 + i % 20)),
                _event(7, Action.PELAPOR_MENERIMA, at + timedelta(hours=24), isi="Terima kasih"),
                _event(8, Action.PELAPOR_MENILAI, at + timedelta(hours=24), bintang=4),
            ]
            inputs.append(ReportInput(c.tracking_no, c.arrived_at, key, key["reporter"],
                                      events, names, catalogue.region.admin_unit))
        result.append(inputs)
    return result


def measure(trainees: list[list[ReportInput]]) -> tuple[float, float]:
    calendar, sla, settings = Calendar(), SlaSettings(), ScoringSettings()
    now = START + timedelta(days=40)
    began = time.perf_counter()
    counted = 0
    for reports in trainees:
        for report in reports:
            for _ in report.events:
                counted += 1
    floor = time.perf_counter() - began
    began = time.perf_counter()
    for reports in trainees:
        score_trainee(reports, settings, sla, calendar, now)
    scoring = time.perf_counter() - began
    return scoring, floor


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=60)
    parser.add_argument("--large", type=int, default=1000)
    parser.add_argument("--reports", type=int, default=60)
    args = parser.parse_args()
    figures = {}
    for label, count in (("small", args.small), ("large", args.large)):
        trainees = session(count, args.reports)
        events = sum(len(r.events) for reports in trainees for r in reports)
        scoring, floor = measure(trainees)
        figures[label] = {"trainees": count, "events": events,
                          "ms_per_trainee": round(1000 * scoring / count, 3),
                          "floor_ms_per_trainee": round(1000 * floor / count, 4),
                          "ratio_to_floor": round(scoring / floor, 1)}
        print(f"{count:>5} trainees x {args.reports} reports ({events:,} events): "
              f"{figures[label]['ms_per_trainee']} ms per trainee, floor "
              f"{figures[label]['floor_ms_per_trainee']} ms, "
              f"ratio {figures[label]['ratio_to_floor']}")
    growth = figures["large"]["ms_per_trainee"] / figures["small"]["ms_per_trainee"]
    print(f"per-trainee time, large vs small: {growth:.2f} (1.0 = linear growth)")
    print(json.dumps({"trainees": args.large, "reports": args.reports,
                      "ms_per_trainee": figures["large"]["ms_per_trainee"],
                      "ratio_to_floor": figures["large"]["ratio_to_floor"],
                      "small": figures["small"], "growth_per_trainee": round(growth, 2)}))


if __name__ == "__main__":
    main()
