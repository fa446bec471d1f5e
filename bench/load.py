"""A room on one server: the real server under simulated trainees, against a hello floor.

    python bench/load.py [--quick] [--sizes 60,300,1000] [--seconds 60] [--threads 8]
    python bench/load.py --postgres --workers 4 [...]   # scale-out: PostgreSQL, gunicorn

One run makes a throwaway data folder with a facilitator and a started bimtek-dasar
workshop per phase (set up through the services, as if started five minutes ago at one
minute per HK, so reports have arrived), starts `lapor-sandbox serve` on it (SQLite,
one process) and, as the floor, waitress serving a bare "hello" WSGI app with the same
settings in a second process. With the same client (sandbox/bots.py: a thread and a
keep-alive connection per simulated phone) it measures:

  (a) floor   N clients, each GET / of the hello server every 5 s;
  (b) pulse   N trainees joined to a paused workshop, each polling only its page's pulse
              (GET /denyut) every 5 s: nothing changes, so every answer is the no-change
              poll (204), which is what the target is about;
  (c) mix     the bots of `lapor-sandbox bots` (joining, polling what the pages poll, an
              action every 15 s) plus the facilitator's dashboard and projector, for each
              size in --sizes;
  (d) flood   the smallest mix again while one client resends the facilitator sign-in
              form back to back.

For each phase it prints requests/s, p50/p95/p99 (for (c) and (d): of the trainees'
requests once all have joined; the JSON also has the whole phase, joins included),
errors, the server's peak RSS (VmHWM) and CPU per request (utime+stime from
/proc/<pid>/stat, once the joins are done), acknowledged against recorded
actions (events counted in the database afterwards) and ratios against the floor; then
the issue-12 targets with "met" or "MISSED". The last line is one JSON object. Linux only
(/proc). `--quick` runs 60 trainees with short phases and finishes in under a minute.

With `--postgres` the same run uses a throwaway PostgreSQL cluster on 127.0.0.1 (as the
test suite does; PostgreSQL's server binaries must be installed) and serves the app with
gunicorn (`pip install gunicorn`), `--workers` processes of `--threads` threads each, the
way docs/deployment.md serves a province; CPU is summed over the workers and the memory
figure is the largest worker's.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sandbox.bots import (  # noqa: E402 - after the path is set
    ROOM_KINDS,
    BotSettings,
    Browser,
    Stats,
    Viewer,
    percentile,
    read_page,
    run_bots,
    summarize,
)

PASSWORD = "rahasia-bench-123"
POLL_SECONDS = 5.0
HELLO_APP = """
import sys
from waitress import serve
from sandbox.serving import waitress_options

def hello(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "5")])
    return [b"hello"]

serve(hello, host="127.0.0.1", port=int(sys.argv[1]),
      **{**waitress_options(int(sys.argv[2]), 4000), "ident": "hello"})
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def set_up(folder: Path, phases: list[str], paused: tuple[str, ...] = ()
           ) -> dict[str, str]:
    """A facilitator and one started workshop per phase (paused for the `paused` ones);
    returns phase → session code."""
    os.environ["LAPOR_INSTANCE_PATH"] = str(folder)
    from sandbox import create_app
    from sandbox.domain.clock import ManualClock
    from sandbox.domain.session import ClockCommand
    from sandbox.extensions import db
    from sandbox.services.accounts import create_facilitator
    from sandbox.services.database import ensure_schema
    from sandbox.services.timekeeping import command_clock, staged_wall_clock, wall_clock
    from sandbox.services.workshops import WorkshopForm, create_workshop

    app = create_app()
    codes = {}
    with app.app_context():
        ensure_schema()
        facilitator = create_facilitator("fasil", "Bu Fasil", PASSWORD, is_admin=True)
        for phase in phases:
            workshop = create_workshop(facilitator, WorkshopForm(
                scenario="bimtek-dasar", title=f"Bench {phase}", held_on="", location="",
                minutes_per_hk="1", seed=""))
            with staged_wall_clock(ManualClock(wall_clock().now() - timedelta(minutes=5))):
                command_clock(workshop, ClockCommand.MULAI, facilitator.name)
            if phase in paused:
                command_clock(workshop, ClockCommand.JEDA, facilitator.name)
            codes[phase] = workshop.code
        db.session.commit()
        db.engine.dispose()
    return codes


def recorded_actions(code: str) -> int:
    """Trainees' actions stored for the workshop `code` (read while the server runs)."""
    from sqlalchemy import func, select

    from sandbox import create_app
    from sandbox.domain.workflow import Role
    from sandbox.extensions import db
    from sandbox.models import Complaint, Event, Exercise

    app = create_app()
    with app.app_context():
        count = db.session.scalar(
            select(func.count(Event.id)).join(Event.complaint).join(Complaint.exercise).where(
                Exercise.code == code,
                Event.role.in_((Role.ADMIN_INSTANSI.value, Role.ADMIN_PENGHUBUNG.value))))
        db.engine.dispose()
    return int(count or 0)


def start(command: list[str], port: int, env: dict[str, str], log: Path) -> subprocess.Popen:
    """A server process, once it answers on `port`."""
    process = subprocess.Popen(command, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited at start; see {log}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"the server did not start; see {log}")


class Process:
    """CPU seconds and peak memory of a server process and its children (gunicorn's
    workers), from /proc."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.tick = os.sysconf("SC_CLK_TCK")

    def _pids(self) -> list[int]:
        """The process and its descendants."""
        parents: dict[int, int] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(stat.parent.name)] = int(fields[1])
        found, frontier = [self.pid], [self.pid]
        while frontier:
            frontier = [pid for pid, parent in parents.items() if parent in frontier]
            found += frontier
        return found

    def cpu(self) -> float:
        total = 0.0
        for pid in self._pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / self.tick  # utime, stime
        return total

    def peak_rss_mb(self) -> float:
        """The largest peak RSS of one process (the target is per process)."""
        peak = 0.0
        for pid in self._pids():
            try:
                lines = Path(f"/proc/{pid}/status").read_text().splitlines()
            except OSError:
                continue
            for line in lines:
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]) / 1024)
        return peak


def floor_phase(port: int, count: int, seconds: float, ramp: float,
                box: list[Stats]) -> dict[str, Any]:
    """N clients each GET / of the hello server every POLL_SECONDS, like (b)'s pulses."""
    settings = BotSettings(url=f"http://127.0.0.1:{port}", count=count, duration=seconds,
                           ramp=ramp)
    stats, stop = Stats(), threading.Event()
    box.append(stats)

    def client(number: int) -> None:
        browser = Browser(settings.url, stats, settings.timeout)
        due = stats.begin + number * ramp / count + POLL_SECONDS
        while not stop.wait(max(0.0, due - time.monotonic())):
            browser.request("poll", "GET", "/")
            due = max(due + POLL_SECONDS, time.monotonic())
        browser.close()

    previous = threading.stack_size(256 * 1024)
    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(count)]
    threading.stack_size(previous)
    cpu = time.process_time()
    for thread in threads:
        thread.start()
    stop.wait(seconds)
    stop.set()
    for thread in threads:
        thread.join(settings.timeout + 5)
    stats.count("joined", count)
    return summarize(stats, settings, time.monotonic() - stats.begin, time.process_time() - cpu)


def flood(url: str, stop: threading.Event, stats: Stats) -> None:
    """One client resending the facilitator sign-in form as fast as it is answered."""
    browser = Browser(url, stats, 30.0)
    while not stop.is_set():
        browser.cookies.clear()
        reply = browser.request("login", "GET", "/fasilitator/masuk")
        if reply is None:
            continue
        page = read_page(reply.text)
        browser.csrf = page.csrf
        fields = {**page.forms["login-form"].fields, "username": "fasil", "password": PASSWORD}
        browser.request("login", "POST", "/fasilitator/masuk", fields)
    browser.close()


def measured(process: Process, run: Any, settle: float,
             extra: Stats | None = None) -> tuple[dict[str, Any], dict[str, float]]:
    """Run a phase; the server's CPU per request is taken once the joins are done (after
    `settle` seconds), over the requests answered from then on (with `extra`'s)."""
    sample: dict[str, float] = {}

    def take() -> None:
        sample["at"], sample["cpu"] = time.monotonic(), process.cpu()

    timer = threading.Timer(settle, take)
    timer.start()
    stats_box: list[Stats] = []
    try:
        summary = run(stats_box)
    finally:
        timer.cancel()
    end_cpu = process.cpu()
    if "at" not in sample:
        raise SystemExit("a phase ended before its joins settled; give it more --seconds")
    after = [(kind, ms) for t, kind, ms in (stats_box[0].samples if stats_box else [])
             if t >= sample["at"]]
    answered = len(after) + (sum(1 for t, _k, _ms in extra.samples if t >= sample["at"])
                             if extra is not None else 0)
    room = [ms for kind, ms in after if kind in ROOM_KINDS]
    # What trainees wait for once everyone has joined: the figure the targets are about.
    summary["steady"] = {f"p{p}_ms": _round(percentile(room, p / 100)) for p in (50, 95, 99)}
    cpu = end_cpu - sample["cpu"]
    server = {"cpu_seconds_after_joins": round(cpu, 2),
              "requests_after_joins": answered,
              "cpu_ms_per_request": round(cpu / max(answered, 1) * 1000, 2),
              "peak_rss_mb": round(process.peak_rss_mb(), 1)}
    return summary, server


def line(name: str, summary: dict[str, Any], server: dict[str, float], focus: str) -> str:
    row = summary["endpoints"].get(focus) or {}
    room = summary["steady"] if focus == "room" else row
    errors = sum(summary["errors"].values())
    return (f"{name:<16}{summary['requests_per_second']:>8.1f}{_ms(room.get('p50_ms')):>9}"
            f"{_ms(room.get('p95_ms')):>9}{_ms(room.get('p99_ms')):>9}{errors:>7}"
            f"{server['cpu_ms_per_request']:>9.2f}{server['peak_rss_mb']:>9.1f}")


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def flood_phase(app_process: Process, url: str, code: str, count: int, seconds: float,
                ramp: Any, mix: Any) -> tuple[dict[str, Any], dict[str, float]]:
    """(d): the smallest mix again while one client resends the sign-in form."""
    stop, flood_stats = threading.Event(), Stats()
    pusher = threading.Thread(target=flood, args=(url, stop, flood_stats), daemon=True)
    pusher.start()
    summary, figures = measured(app_process, lambda box: mix(
        code, count, seconds + ramp(count), box), settle=ramp(count) + 1, extra=flood_stats)
    stop.set()
    pusher.join(35)
    summary["recorded_actions"] = recorded_actions(code)
    summary["flood"] = {"sign_in_requests": len(flood_stats.latency["login"]),
                        "errors": dict(flood_stats.errors)}
    return {**summary, "server": figures}, figures


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="60 trainees, short phases: under a minute")
    parser.add_argument("--sizes", default="60,300,1000", help="mix sizes, comma-separated")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of a mix phase")
    parser.add_argument("--threads", type=int, default=8, help="server threads")
    parser.add_argument("--postgres", action="store_true",
                        help="a throwaway PostgreSQL cluster and gunicorn instead of SQLite")
    parser.add_argument("--workers", type=int, default=2,
                        help="gunicorn worker processes (with --postgres)")
    args = parser.parse_args()
    if args.postgres:
        from tests.postgres import throwaway_cluster

        with throwaway_cluster() as database:
            if database is None:
                raise SystemExit("--postgres needs PostgreSQL's server (initdb, pg_ctl); "
                                 "apt-get install postgresql")
            os.environ["DATABASE_URL"] = database
            run(args)
    else:
        run(args)


def run(args: argparse.Namespace) -> None:
    """One whole run, on SQLite or (DATABASE_URL) PostgreSQL."""
    sizes = [60] if args.quick else sorted(int(s) for s in args.sizes.split(","))
    mix_seconds = 12.0 if args.quick else args.seconds
    probe_seconds = 6.0 if args.quick else max(20.0, args.seconds / 2)
    smallest = sizes[0]

    folder = Path(tempfile.mkdtemp(prefix="lapor-load-"))
    phases = ["pulse", *(f"mix-{n}" for n in sizes), "flood"]
    codes = set_up(folder / "instance", phases, paused=("pulse",))
    env = {**os.environ, "LAPOR_INSTANCE_PATH": str(folder / "instance")}
    app_port, hello_port = free_port(), free_port()
    if args.postgres:
        try:
            import gunicorn  # noqa: F401
        except ImportError:
            raise SystemExit("--postgres serves with gunicorn: pip install gunicorn") from None
        command = [sys.executable, "-m", "gunicorn", "--workers", str(args.workers),
                   "--threads", str(args.threads), "--worker-connections", "4000",
                   "--bind", f"127.0.0.1:{app_port}", "--backlog", "4096",
                   "sandbox.wsgi:app"]
    else:
        command = [sys.executable, "-m", "sandbox.cli", "serve", "--port", str(app_port),
                   "--threads", str(args.threads)]
    server = start(command, app_port, env, folder / "server.log")
    hello = start([sys.executable, "-c", HELLO_APP, str(hello_port), str(args.threads)],
                  hello_port, env, folder / "hello.log")
    url = f"http://127.0.0.1:{app_port}"
    app_process, hello_process = Process(server.pid), Process(hello.pid)
    viewers = [Viewer("fasil", PASSWORD, "/fasilitator/sesi/{code}"),
               Viewer("fasil", PASSWORD, "/fasilitator/sesi/{code}/layar")]

    def ramp(count: int) -> float:
        return min(20.0, max(2.0, count / 50))

    def mix(code: str, count: int, seconds: float, box: list[Stats]) -> dict[str, Any]:
        return run_bots(BotSettings(url=url, code=code, count=count, duration=seconds,
                                    ramp=ramp(count), think=15.0, skill=0.8,
                                    scenario="bimtek-dasar"),
                        viewers=[Viewer(v.username, v.password, v.path.format(code=code))
                                 for v in viewers], on_start=box.append)

    results: dict[str, Any] = {}
    print(f"data folder {folder}; server pid {server.pid}, hello pid {hello.pid}; "
          f"{os.cpu_count()} cores; " + (f"PostgreSQL, gunicorn {args.workers} workers x "
                                         f"{args.threads} threads" if args.postgres else
                                         f"SQLite, one process x {args.threads} threads"))
    print(f"{'phase':<16}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>7}"
          f"{'cpu ms/r':>9}{'RSS MB':>9}")
    try:
        summary, figures = measured(hello_process, lambda box: floor_phase(
            hello_port, smallest, probe_seconds + ramp(smallest), ramp(smallest), box),
            settle=ramp(smallest) + 1)
        results["floor"] = {**summary, "server": figures}
        print(line(f"(a) floor {smallest}", summary, figures, "poll"))

        summary, figures = measured(app_process, lambda box: run_bots(BotSettings(
            url=url, code=codes["pulse"], count=smallest, duration=probe_seconds + ramp(smallest),
            ramp=ramp(smallest), act=False, only_polls=("pulse",)), on_start=box.append),
            settle=ramp(smallest) + 1)
        results["pulse"] = {**summary, "server": figures}
        print(line(f"(b) pulse {smallest}", summary, figures, "pulse"))

        for count in sizes:
            code = codes[f"mix-{count}"]
            summary, figures = measured(app_process, lambda box, c=code, n=count: mix(
                c, n, mix_seconds + ramp(n), box), settle=ramp(count) + 1)
            summary["recorded_actions"] = recorded_actions(code)
            results[f"mix_{count}"] = {**summary, "server": figures}
            print(line(f"(c) mix {count}", summary, figures, "room"))
            if count == smallest:  # the flood next to its calm twin, before bigger rooms
                results["flood"], figures = flood_phase(app_process, url, codes["flood"],
                                                        smallest, mix_seconds, ramp, mix)
                print(line(f"(d) mix {smallest}+flood", results["flood"], figures, "room"))
    finally:
        for process in (server, hello):
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()

    report(results, sizes, smallest, {
        "database": "postgresql" if args.postgres else "sqlite",
        "processes": args.workers if args.postgres else 1, "threads": args.threads,
        "cores": os.cpu_count()})


def report(results: dict[str, Any], sizes: list[int], smallest: int,
           setup: dict[str, Any]) -> None:
    """Ledgers, ratios against the floor, the targets, and the JSON line."""
    floor = results["floor"]["endpoints"]["poll"]
    pulse = results["pulse"]["endpoints"].get("pulse", {})
    ratios = {"pulse_p95_vs_floor": _ratio(pulse.get("p95_ms"), floor.get("p95_ms")),
              "pulse_p50_vs_floor": _ratio(pulse.get("p50_ms"), floor.get("p50_ms")),
              "pulse_cpu_vs_floor": _ratio(results["pulse"]["server"]["cpu_ms_per_request"],
                                           results["floor"]["server"]["cpu_ms_per_request"])}
    # A pulse that found a change makes its bot refresh the inbox: there should be none.
    refreshed = results["pulse"]["endpoints"].get("inbox", {}).get("requests", 0)
    print(f"ratios: no-change pulse / floor  p50 {ratios['pulse_p50_vs_floor']}×, "
          f"p95 {ratios['pulse_p95_vs_floor']}×, CPU per request "
          f"{ratios['pulse_cpu_vs_floor']}× ({pulse.get('requests', 0)} pulses, "
          f"{refreshed} found a change)")
    for name in [f"mix_{n}" for n in sizes] + ["flood"]:
        phase = results[name]
        label = f"mix_{smallest}+flood" if name == "flood" else name
        actions = phase["actions"]
        endpoints = phase["endpoints"]
        print(f"{label}: joined {phase['joined']}/{phase['bots']} (last after "
              f"{phase['all_joined_after_s']} s); actions sent {actions['sent']}, acknowledged "
              f"{actions['acknowledged']}, recorded {phase['recorded_actions']}, unknown "
              f"{actions['unknown_outcome']}, refused {actions['refused']}; projector p95 "
              f"{_ms(endpoints.get('projector', {}).get('p95_ms'))} ms, dashboard p95 "
              f"{_ms(endpoints.get('dashboard', {}).get('p95_ms'))} ms; errors "
              f"{phase['errors'] or 'none'}")
    print(f"flood: {results['flood']['flood']['sign_in_requests']} sign-in requests during "
          f"the {smallest}-trainee mix")
    targets = _targets(results, sizes, smallest, floor)
    for name, (met, detail) in targets.items():
        print(f"target {name}: {'met' if met else 'MISSED'} ({detail})")
    print(json.dumps({
        "phases": {name: {key: phase[key] for key in (
            "bots", "joined", "all_joined_after_s", "requests_per_second", "steady", "room",
            "all",
            "endpoints", "errors", "actions", "server", "client") if key in phase}
            | ({"recorded_actions": phase["recorded_actions"]}
               if "recorded_actions" in phase else {})
            for name, phase in results.items()},
        "ratios": ratios,
        "targets": {name: met for name, (met, _detail) in targets.items()},
        "setup": setup,
    }))


def _targets(results: dict[str, Any], sizes: list[int], smallest: int,
             floor: dict[str, Any]) -> dict[str, tuple[bool, str]]:
    out: dict[str, tuple[bool, str]] = {}
    first = results[f"mix_{smallest}"]
    p95 = first["steady"]["p95_ms"]
    errors = sum(first["errors"].values())
    out[f"{smallest} trainees p95 < 100 ms, 0 errors"] = (
        p95 is not None and p95 < 100 and errors == 0, f"p95 {_ms(p95)} ms, {errors} errors")
    if 1000 in sizes:
        big = results["mix_1000"]
        p95, errors = big["steady"]["p95_ms"], sum(big["errors"].values())
        out["1000 trainees p95 < 250 ms, 0 errors, all joined within 60 s"] = (
            p95 is not None and p95 < 250 and errors == 0 and big["joined"] == 1000
            and big["all_joined_after_s"] <= 60,
            f"p95 {_ms(p95)} ms, {errors} errors, {big['joined']} joined, the last after "
            f"{big['all_joined_after_s']} s")
    pulse = results["pulse"]["endpoints"].get("pulse", {}).get("p95_ms")
    out["no-change poll within 2x the floor's p95"] = (
        pulse is not None and floor["p95_ms"] is not None and pulse <= 2 * floor["p95_ms"],
        f"pulse p95 {_ms(pulse)} ms, floor p95 {_ms(floor['p95_ms'])} ms")
    flooded = results["flood"]["steady"]["p95_ms"]
    calm = first["steady"]["p95_ms"]
    out["sign-in flood moves p95 < 20%"] = (
        flooded is not None and calm is not None and flooded < 1.2 * calm,
        f"p95 {_ms(calm)} ms calm, {_ms(flooded)} ms flooded")
    rss = max(phase["server"]["peak_rss_mb"] for name, phase in results.items()
              if name != "floor")
    out["server RSS < 200 MB"] = (rss < 200, f"peak {rss:.1f} MB")
    ledgers = [(name, phase["actions"], phase["recorded_actions"])
               for name, phase in results.items() if "recorded_actions" in phase]
    exact = all(recorded - actions["acknowledged"] <= actions["unknown_outcome"]
                and recorded >= actions["acknowledged"] for _n, actions, recorded in ledgers)
    out["0 lost or duplicated actions"] = (exact, "; ".join(
        f"{name} {actions['acknowledged']} acknowledged / {recorded} recorded"
        for name, actions, recorded in ledgers))
    return out


def _ratio(value: float | None, base: float | None) -> float | None:
    return None if value is None or not base else round(value / base, 1)


if __name__ == "__main__":
    try:
        main()
    except (KeyboardInterrupt, http.client.HTTPException) as error:
        raise SystemExit(f"stopped: {error!r}") from None
