"""Domain errors raised by services and turned into messages by views and the API."""

from __future__ import annotations

from django.utils.functional import Promise


class DomainError(Exception):
    """A rule of the domain refused the change; `message` is shown to the user as it is."""

    def __init__(self, message: str | Promise, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class ConflictError(DomainError):
    """Someone else changed the object since the user opened it; nothing was overwritten."""
