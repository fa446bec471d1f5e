"""How `lapor-sandbox serve` and `demo` run waitress: enough connections for a room.

A room keeps one or more keep-alive connections open per phone, polling every few seconds.
waitress stops accepting new connections at its `connection_limit` (100 by default), so
without a higher limit the 101st phone cannot even load the join page. Each open
connection is a file descriptor: the process's open-file limit must allow the connection
limit, and waitress must watch them with poll() (select() cannot see descriptors above
1023).
"""

from __future__ import annotations

import os
import select
from typing import Any

DEFAULT_CONNECTION_LIMIT = 4000
CONNECTION_LIMIT_RANGE = (10, 100_000)
CONNECTION_LIMIT_ENV = "LAPOR_CONNECTION_LIMIT"
# Descriptors the process needs besides its connections: the database and its journal,
# log files, the listening sockets, tempfiles of large request bodies.
SPARE_DESCRIPTORS = 64
# The listen() queue for connections not yet accepted: a room joining at once (the kernel
# caps it at net.core.somaxconn, 4096 on current Linux).
MAX_BACKLOG = 4096


class ServingError(ValueError):
    """A serving setting that cannot be used; the message says which and why."""


def check_connection_limit(value: object, source: str) -> int:
    """The connection limit as a number in range, or a ServingError naming `source`."""
    low, high = CONNECTION_LIMIT_RANGE
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ServingError(f"{source} must be a whole number from {low} to {high} "
                           f"(got {str(value)[:40]!r})") from None
    if not low <= number <= high:
        raise ServingError(f"{source} must be from {low} to {high} (got {number})")
    return number


def connection_limit(option: int | None) -> int:
    """The limit from --connections, else LAPOR_CONNECTION_LIMIT, else the default."""
    if option is not None:
        return check_connection_limit(option, "--connections")
    configured = os.environ.get(CONNECTION_LIMIT_ENV, "").strip()
    if configured:
        return check_connection_limit(configured, CONNECTION_LIMIT_ENV)
    return DEFAULT_CONNECTION_LIMIT


def waitress_options(threads: int, limit: int) -> dict[str, Any]:
    """The waitress settings for `threads` worker threads and `limit` open connections."""
    return {
        "threads": threads,
        "connection_limit": limit,
        "backlog": min(MAX_BACKLOG, max(1024, limit)),
        # select() fails on descriptors above 1023; poll() has no such ceiling (not on
        # Windows, where select() has no such ceiling either).
        "asyncore_use_poll": hasattr(select, "poll"),
        # An idle keep-alive connection is closed after this long; polling pages are
        # never idle that long, a phone that left frees its slot.
        "channel_timeout": 120,
        "ident": "lapor-sandbox",
    }


def raise_open_file_limit(limit: int, threads: int) -> str | None:
    """Raise the soft open-file limit so `limit` connections fit, as far as the hard limit
    allows; returns a one-line warning when it cannot, else None (also on Windows)."""
    try:
        import resource
    except ImportError:  # Windows: no per-process descriptor limit of this kind
        return None
    need = limit + threads + SPARE_DESCRIPTORS
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft >= need:
        return None
    target = need if hard == resource.RLIM_INFINITY else min(need, hard)
    if target > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    if soft >= need:
        return None
    fits = max(soft - threads - SPARE_DESCRIPTORS, 0)
    return (f"Open-file limit is {soft} (hard limit {hard}): about {fits} of the "
            f"{limit} connections fit; raise it with 'ulimit -n {need}' before serving.")
