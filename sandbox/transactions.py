"""Which transactions may write: reads never take SQLite's write lock.

A request that may change something (POST and the like) begins its transaction
`BEGIN IMMEDIATE`, so two writers queue instead of losing an update. A GET (or HEAD)
begins a plain deferred `BEGIN` and must never write: in WAL mode it then reads beside
the writers instead of waiting for them. The guard below refuses a flush with changes
inside a read-only transaction, so a GET that writes fails loudly in the tests instead
of stalling a room. Outside requests (the CLI, the ticker) transactions may write.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_may_write: ContextVar[bool] = ContextVar("lapor_may_write", default=True)


class ReadOnlyViolation(RuntimeError):
    """Something tried to write inside a read-only transaction (a GET request)."""


def may_write() -> bool:
    """Whether the current transaction is begun for writing (BEGIN IMMEDIATE on SQLite)."""
    return _may_write.get()


def set_for_method(method: str) -> None:
    """At the start of each request: a GET reads, anything else may write."""
    _may_write.set(method.upper() not in SAFE_METHODS)


def end_of_request(_error: BaseException | None = None) -> None:
    """After each request: whatever runs next on this thread (a CLI command, a test, the
    ticker) may write again."""
    _may_write.set(True)


@contextmanager
def reading() -> Iterator[None]:
    """Run a block in read-only (deferred) transactions; commit or roll back before leaving."""
    token = _may_write.set(False)
    try:
        yield
    finally:
        _may_write.reset(token)


def begin_statement() -> str:
    """The SQLite statement that begins the current transaction."""
    return "BEGIN IMMEDIATE" if may_write() else "BEGIN"


def refuse_writes_when_reading(session: Any, _context: Any, _instances: Any) -> None:
    """before_flush: a read-only transaction with changes to flush is a bug, named here."""
    if may_write() or not (session.new or session.dirty or session.deleted):
        return
    changed = [type(obj).__name__ for obj in [*session.new, *session.dirty, *session.deleted]]
    raise ReadOnlyViolation(f"a read-only request tried to write: {sorted(set(changed))}")
