"""What power-cut safety costs: SQLite synchronous=FULL against NORMAL, on this disk.

    python bench/durability.py [--actions 300]

Each mode gets a fresh database and a trainee whose reports are verified and in
progress; then `--actions` follow-ups are recorded through the ordinary service, one
commit each, as a room's "Simpan" clicks would be. Prints the time per committed action
in each mode and the ratio FULL / NORMAL (the same run, the same disk), and, as a floor,
a bare one-row INSERT+COMMIT loop in each mode. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def per_action_ms(mode: str, actions: int) -> float:
    """Milliseconds per committed follow-up through record_action, in one mode."""
    folder = Path(tempfile.mkdtemp(prefix=f"lapor-bench-{mode.lower()}-"))
    os.environ["LAPOR_INSTANCE_PATH"] = str(folder)
    from sandbox import create_app
    from sandbox.extensions import db
    from sandbox.services.complaints import record_action
    from sandbox.services.database import ensure_schema
    from sandbox.services.practice import start_practice

    app = create_app(SQLITE_SYNCHRONOUS=mode)
    with app.app_context():
        ensure_schema()
        participant = start_practice("Peserta Bench", "Dinas Kominfo", seed=7, count=12)
        db.session.commit()
        from sandbox.services.complaints import visible_complaints

        numbers = [c.tracking_no for c in visible_complaints(participant)][:4]
        for i, number in enumerate(numbers):
            record_action(participant, number, "verifikasi", {
                "judul": "Laporan untuk uji ketahanan", "klasifikasi": "aspirasi",
                "kategori": "infrastruktur", "unit": "pupr"}, f"bench-verify-{i:08d}")
        db.session.commit()
        start = time.perf_counter()
        for i in range(actions):
            record_action(participant, numbers[i % len(numbers)], "tindak_lanjut",
                          {"isi": f"Tindak lanjut ke-{i}: petugas meninjau lokasi besok."},
                          f"bench-tl-{i:012d}")
            db.session.commit()
        elapsed = time.perf_counter() - start
        db.engine.dispose()
    return elapsed / actions * 1000


def bare_commit_ms(mode: str, rows: int) -> float:
    """Milliseconds per one-row INSERT+COMMIT in WAL mode: the disk's own floor."""
    path = Path(tempfile.mkdtemp(prefix="lapor-bench-bare-")) / "bare.db"
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute(f"PRAGMA synchronous={mode}")
    connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    start = time.perf_counter()
    for i in range(rows):
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("INSERT INTO t (v) VALUES (?)", (f"row {i}",))
        connection.execute("COMMIT")
    elapsed = time.perf_counter() - start
    connection.close()
    return elapsed / rows * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=300)
    args = parser.parse_args()

    figures = {}
    for mode in ("NORMAL", "FULL"):
        figures[f"bare_{mode.lower()}_ms"] = bare_commit_ms(mode, args.actions)
        figures[f"action_{mode.lower()}_ms"] = per_action_ms(mode, args.actions)
    figures["bare_ratio_full_vs_normal"] = figures["bare_full_ms"] / figures["bare_normal_ms"]
    figures["action_ratio_full_vs_normal"] = (figures["action_full_ms"]
                                              / figures["action_normal_ms"])
    print(f"bare INSERT+COMMIT   NORMAL {figures['bare_normal_ms']:.3f} ms   "
          f"FULL {figures['bare_full_ms']:.3f} ms   "
          f"ratio {figures['bare_ratio_full_vs_normal']:.2f}")
    print(f"recorded action      NORMAL {figures['action_normal_ms']:.2f} ms   "
          f"FULL {figures['action_full_ms']:.2f} ms   "
          f"ratio {figures['action_ratio_full_vs_normal']:.2f}")
    print(json.dumps({k: round(v, 4) for k, v in figures.items()}))


if __name__ == "__main__":
    main()
