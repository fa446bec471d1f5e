"""Leaderboard and dashboard cost for a room of simulated trainees, on SQLite.

    python bench/leaderboard.py [--trainees 60] [--minutes 45]

Stages a bimtek-dasar workshop with `--trainees` simulated trainees who have worked
for `--minutes` (services.simulated), then times, in the same run:
  - the floor: loading every event of the session (one query, no scoring);
  - the live dashboard (the facilitator page's 8-second poll);
  - the projector leaderboard cold (every trainee scored) and warm (memo hit);
  - the frozen leaderboard (scored as of the freeze).
Prints each in ms with its ratio to the floor. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _ms(action, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=60)
    parser.add_argument("--minutes", type=int, default=45)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="lapor-bench-"))
    os.environ["LAPOR_INSTANCE_PATH"] = str(folder / "instance")
    from sqlalchemy import select

    from sandbox import create_app
    from sandbox.config import Config
    from sandbox.extensions import db
    from sandbox.models import Complaint, Event
    from sandbox.services.accounts import create_facilitator
    from sandbox.services.dashboard import dashboard
    from sandbox.services.leaderboard import board
    from sandbox.services.session_log import freeze_board
    from sandbox.services.simulated import SimulatedTrainee, stage_session
    from sandbox.services.workshops import WorkshopForm, create_workshop

    app = create_app(Config, SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'bench.db'}")
    with app.app_context():
        db.create_all()
        facilitator = create_facilitator("bench", "Bench", "kata-sandi-bench", is_admin=True)
        exercise = create_workshop(facilitator, WorkshopForm(
            scenario="bimtek-dasar", title="Bench", held_on="", location="", minutes_per_hk="",
            seed="2026"))
        rng = random.Random(2026)
        cast = [SimulatedTrainee(f"Peserta {n}", "Dinas Uji", f"Kelompok {n % 4}",
                                 0.3 + 0.7 * (n % 10) / 9) for n in range(args.trainees)]
        start = time.perf_counter()
        stage_session(exercise, cast, args.minutes, rng, "Bench")
        db.session.commit()
        staging = time.perf_counter() - start
        events = db.session.scalar(select(db.func.count(Event.id)))

        def floor() -> None:
            list(db.session.scalars(select(Event).join(Complaint)
                                    .where(Complaint.exercise_id == exercise.id)))
            db.session.expire_all()

        def live_dashboard() -> None:
            dashboard(exercise)
            db.session.expire_all()

        def cold() -> None:
            app.extensions.pop("lapor.standings", None)
            board(exercise)
            db.session.expire_all()

        def warm() -> None:
            board(exercise)
            db.session.expire_all()

        figures = {"trainees": args.trainees, "events": events,
                   "staging_s": round(staging, 1), "floor_ms": _ms(floor)}
        figures["dashboard_ms"] = _ms(live_dashboard)
        figures["board_cold_ms"] = _ms(cold)
        board(exercise)
        figures["board_warm_ms"] = _ms(warm, 10)
        freeze_board(exercise, "Bench")
        db.session.commit()

        def frozen() -> None:
            app.extensions.pop("lapor.standings", None)
            board(exercise)
            db.session.expire_all()

        figures["board_frozen_cold_ms"] = _ms(frozen)
    floor_ms = figures["floor_ms"]
    print(f"{args.trainees} trainees, {events} events (staged in {staging:.1f} s)")
    for name in ("floor_ms", "dashboard_ms", "board_cold_ms", "board_warm_ms",
                 "board_frozen_cold_ms"):
        value = figures[name]
        print(f"  {name[:-3]:<20} {value:9.1f} ms   {value / floor_ms:7.1f}x floor")
    print(json.dumps({k: round(v, 2) if isinstance(v, float) else v
                      for k, v in figures.items()}))


if __name__ == "__main__":
    main()
