"""Domain errors carry a user-facing Indonesian message and, where known, the field."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain was broken; `message` is shown to the user as is."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationError(DomainError):
    """One or more fields of an action are missing or invalid."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        first_field, first_message = next(iter(self.errors.items()))
        super().__init__("; ".join(self.errors.values()), first_field)


class TransitionError(DomainError):
    """The action is not allowed in the report's current state."""


class RoleError(DomainError):
    """The actor does not play the role whose action this is (a trainee as the reporter)."""


class CatalogueError(DomainError):
    """A catalogue file is broken; the message names the file, entry and field."""


class ConflictError(DomainError):
    """Someone else changed the shared report since the person loaded it (team mode)."""
