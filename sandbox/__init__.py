"""Sandbox LAPOR!: a training sandbox for SP4N-LAPOR! admins."""

from sandbox.app import create_app

__all__ = ["create_app"]
