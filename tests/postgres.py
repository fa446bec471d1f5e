"""A throwaway PostgreSQL cluster for tests, started once per test session."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager


def _bindir() -> str | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for path in candidates:
        if os.path.exists(os.path.join(path, "initdb")):
            return path
    initdb = shutil.which("initdb")
    return os.path.dirname(initdb) if initdb else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def throwaway_cluster() -> Iterator[str | None]:
    """Yield a SQLAlchemy URL of a fresh cluster, or None if PostgreSQL is not installed."""
    bindir = _bindir()
    if bindir is None:
        yield None
        return
    as_user: list[str] = []
    workdir = tempfile.mkdtemp(prefix="lapor-pg-")
    if os.geteuid() == 0:  # initdb refuses to run as root
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(workdir, "postgres")
    data = os.path.join(workdir, "data")
    port = _free_port()
    run = lambda *args: subprocess.run([*as_user, *args], check=True,  # noqa: E731
                                       capture_output=True, text=True)
    run(f"{bindir}/initdb", "-A", "trust", "-U", "postgres", "-D", data)
    run(f"{bindir}/pg_ctl", "-w", "-D", data, "-l", os.path.join(workdir, "log"), "start", "-o",
        f"-c listen_addresses=127.0.0.1 -p {port} -k {workdir} -c fsync=off "
        "-c max_connections=100")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        run(f"{bindir}/pg_ctl", "-w", "-D", data, "-m", "immediate", "stop")
        shutil.rmtree(workdir, ignore_errors=True)
