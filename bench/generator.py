"""Generator throughput against raw Faker, and memory while streaming to JSONL.

    python bench/generator.py [--count 1000000] [--baseline 50000]

Prints raw Faker records/s (name + address + phone), our complete complaints/s,
their ratio (target >= 0.5), the variety of a sample of --sample complaints (channels,
registers, regional language, follow-ups, photos, distinct amounts and months, the most
repeated 5-word phrases: a drop in variety shows there), and the peak resident memory of
a child process that streams --count complaints to a JSONL file (target: flat, under
150 MB). The last line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from faker import Faker  # noqa: E402

from sandbox.domain.catalogue import load_catalogue  # noqa: E402
from sandbox.domain.generator import generate  # noqa: E402
from sandbox.domain.variety import measure  # noqa: E402

START = datetime(2026, 3, 2, 7, 0)


def faker_rate(n: int) -> float:
    fake = Faker("id_ID")
    fake.seed_instance(1)
    began = time.perf_counter()
    for _ in range(n):
        fake.name()
        fake.address()
        fake.phone_number()
    return n / (time.perf_counter() - began)


def generator_rate(n: int) -> float:
    catalogue = load_catalogue(ROOT / "seed/regions/kabupaten-sukamaju.toml", ROOT / "seed/topics")
    began = time.perf_counter()
    for complaint in generate(catalogue, 1, n, START):
        json.dumps(complaint.to_record(), ensure_ascii=False)
    return n / (time.perf_counter() - began)


def stream_child(count: int, out: str) -> None:
    """Run in a child process: stream `count` complaints to `out`, report RSS samples."""
    from sandbox.services.generation import write_complaints

    catalogue = load_catalogue(ROOT / "seed/regions/kabupaten-sukamaju.toml", ROOT / "seed/topics")
    samples = []

    def sampled():
        for i, complaint in enumerate(generate(catalogue, 1, count, START)):
            if i % max(1, count // 10) == 0:
                samples.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
            yield complaint

    began = time.perf_counter()
    with Path(out).open("w", encoding="utf-8") as handle:
        write_complaints(sampled(), "jsonl", handle)
    elapsed = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"peak_rss_mb": round(peak, 1), "samples_mb": [round(s, 1) for s in samples],
                      "seconds": round(elapsed, 1), "bytes": Path(out).stat().st_size}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1_000_000,
                        help="complaints streamed to JSONL for the memory figure")
    parser.add_argument("--baseline", type=int, default=50_000,
                        help="records timed for each throughput figure")
    parser.add_argument("--sample", type=int, default=3000,
                        help="complaints measured for variety")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        stream_child(args.count, args.child)
        return

    faker_per_s = faker_rate(args.baseline)
    complaints_per_s = generator_rate(args.baseline)
    ratio = complaints_per_s / faker_per_s
    print(f"raw Faker (name+address+phone): {faker_per_s:,.0f} records/s")
    print(f"complete complaints:            {complaints_per_s:,.0f} complaints/s")
    print(f"ratio:                          {ratio:.2f}  (target >= 0.5)")

    catalogue = load_catalogue(ROOT / "seed/regions/kabupaten-sukamaju.toml", ROOT / "seed/topics")
    variety = measure(generate(catalogue, 2026, args.sample, START))
    print("variety of the texts:")
    for line in variety.lines():
        print(f"  {line}")

    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "complaints.jsonl")
        child = subprocess.run([sys.executable, __file__, "--count", str(args.count),
                                "--child", out], capture_output=True, text=True, check=True)
    stream = json.loads(child.stdout.strip().splitlines()[-1])
    print(f"streamed {args.count:,} complaints to JSONL in {stream['seconds']} s, "
          f"{stream['bytes'] / 1e6:,.0f} MB written")
    print(f"resident memory during the stream (MB): {stream['samples_mb']}")
    print(f"peak resident memory: {stream['peak_rss_mb']} MB  (target < 150 MB, flat)")
    print(json.dumps({"faker_per_s": round(faker_per_s),
                      "complaints_per_s": round(complaints_per_s),
                      "ratio": round(ratio, 3), "count": args.count,
                      "distinct_amounts": variety.distinct_amounts,
                      "distinct_months": variety.distinct_months,
                      "top_phrase_reports": variety.phrases[0][1] if variety.phrases else 0,
                      "peak_rss_mb": stream["peak_rss_mb"],
                      "rss_samples_mb": stream["samples_mb"]}))


if __name__ == "__main__":
    main()
