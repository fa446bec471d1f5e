"""What hostile uploads cost, against importing a real session archive in the same run.

    python bench/uploads.py [--trainees 60] [--minutes 90] [--scenario studi-komparasi]

Stages a workshop with `--trainees` simulated trainees who have worked for `--minutes`
(services.simulated), exports its archive, and measures, in the same run:
  - the floor: importing that real archive (services.archive.import_archive);
  - a 4 KB gzip of 1.4 million empty objects ({},{},…);
  - a gzip of 4 million tiny values ([0,0,…]);
  - a 200 KB gzip that unpacks to 200 MB, with its true size in the gzip trailer;
  - the same bomb with a forged trailer (it lies about its size);
  - a 200 KB XLSX participant list whose one shared string is 200 MB.
Each is timed (best of three, no tracing) and its peak memory taken with tracemalloc
(one traced run); both are printed with their ratio to the floor. The attack files are
built by tests/upload_kit.py. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _run(action: Callable[[], Any]) -> str:
    """What the action ended with: "ok" or the first words of its refusal."""
    try:
        action()
    except Exception as error:  # every refusal is a DomainError; anything else is shown too
        message = getattr(error, "message", None) or getattr(error, "problems", [""])[0] \
            or repr(error)
        return f"refused: {str(message)[:60]}"
    return "ok"


def _seconds(action: Callable[[], Any], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        _run(action)
        best = min(best, time.perf_counter() - start)
    return best


def _peak(action: Callable[[], Any]) -> tuple[int, str]:
    tracemalloc.start()
    outcome = _run(action)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=60)
    parser.add_argument("--minutes", type=int, default=90)
    parser.add_argument("--scenario", default="studi-komparasi")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="lapor-bench-"))
    os.environ["LAPOR_INSTANCE_PATH"] = str(folder / "instance")
    import gzip

    from sandbox import create_app
    from sandbox.config import Config
    from sandbox.extensions import db
    from sandbox.services.accounts import create_facilitator
    from sandbox.services.archive import export_archive, import_archive
    from sandbox.services.roster import parse_roster
    from sandbox.services.simulated import DEMO_CAST, SimulatedTrainee, stage_session
    from sandbox.services.workshops import WorkshopForm, create_workshop
    from tests.upload_kit import (
        empty_objects_bomb,
        large_bomb,
        shared_string_bomb,
        values_bomb,
    )

    app = create_app(Config, SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'bench.db'}",
                     SQLITE_SYNCHRONOUS="NORMAL")
    with app.app_context():
        db.create_all()
        owner = create_facilitator("ratna", "Bu Ratna", "rahasia-123", is_admin=True)
        exercise = create_workshop(owner, WorkshopForm(
            scenario=args.scenario, title="Bench", held_on="", location="",
            minutes_per_hk="", seed="2026"))
        cast = [SimulatedTrainee(f"{m.name} {i}", m.unit_name, m.cohort, m.skill)
                for i in range(args.trainees // len(DEMO_CAST) + 1) for m in DEMO_CAST]
        started = time.perf_counter()
        stage_session(exercise, cast[:args.trainees], args.minutes, random.Random(2026),
                      owner.name, step_minutes=3)
        db.session.commit()
        staged_in = time.perf_counter() - started
        archive = export_archive(exercise)
        db.session.commit()
        unpacked = gzip.decompress(archive)

        def importing(data: bytes) -> Callable[[], Any]:
            def action() -> Any:
                try:
                    return import_archive(data, owner)
                finally:
                    db.session.rollback()  # measure the import, keep the database as it was
            return action

        cases: list[tuple[str, bytes, Callable[[bytes], Callable[[], Any]]]] = [
            ("real archive (floor)", archive, importing),
            ("4 KB of {},{},… (1.4 M objects)", empty_objects_bomb(), importing),
            ("4 M tiny values [0,0,…]", values_bomb(), importing),
            ("200 MB bomb, true size stated", large_bomb(), importing),
            ("200 MB bomb, size forged", large_bomb(stated_size=1000), importing),
            ("XLSX, 200 MB shared string", shared_string_bomb(),
             lambda data: lambda: parse_roster("peserta.xlsx", data)),
        ]
        results = []
        for name, data, make in cases:
            seconds = _seconds(make(data), repeat=1 if name.startswith("real") else 3)
            peak, outcome = _peak(make(data))
            results.append({"case": name, "bytes": len(data), "seconds": seconds,
                            "peak_bytes": peak, "outcome": outcome})

    floor = results[0]
    print(f"{args.trainees} trainees, {args.minutes} min of {args.scenario} (staged in "
          f"{staged_in:.0f} s): archive {len(archive):,} bytes, {len(unpacked):,} unpacked, "
          f"{unpacked.count(b'{') + unpacked.count(b'['):,} objects, "
          f"{unpacked.count(b','):,} commas")
    print(f"{'case':34} {'input':>11} {'time':>9} {'x floor':>8} {'peak':>9} {'x floor':>8}"
          "  outcome")
    for row in results:
        print(f"{row['case']:34} {row['bytes']:>11,} {row['seconds'] * 1000:>7.0f}ms "
              f"{row['seconds'] / floor['seconds']:>8.3f} {row['peak_bytes'] / 1e6:>7.1f}MB "
              f"{row['peak_bytes'] / floor['peak_bytes']:>8.3f}  {row['outcome']}")
    print(json.dumps({"trainees": args.trainees, "minutes": args.minutes,
                      "archive_bytes": len(archive), "unpacked_bytes": len(unpacked),
                      "cases": results}))


if __name__ == "__main__":
    main()
