"""Sandbox LAPOR!: a training sandbox for SP4N-LAPOR! admins."""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    # Imported lazily so that `import sandbox.domain...` never pulls in Flask or SQLAlchemy.
    if name == "create_app":
        from sandbox.app import create_app

        return create_app
    raise AttributeError(name)
