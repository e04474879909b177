"""The person a view acts for, typed as the `User` that services take as `actor`."""

from __future__ import annotations

from typing import Any, Protocol

from django.core.exceptions import PermissionDenied

from .models import User


class _Request(Protocol):
    @property
    def user(self) -> Any: ...


def acting_user(request: _Request) -> User:
    """The signed-in user of a Django or REST framework request; views behind a login
    requirement always have one, anyone else is refused rather than passed on."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user
