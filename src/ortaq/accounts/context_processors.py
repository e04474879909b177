"""The header of every page: the organisation the user acts for and the others to switch to."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .middleware import acting_memberships


def site(request: HttpRequest) -> dict[str, Any]:
    """What the header needs: the organisation acted for and the others to switch to."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"acting_for": None, "my_memberships": []}
    memberships = acting_memberships(request)
    acting_for = getattr(request, "organisation", None)
    return {
        "acting_for": acting_for if acting_for else None,
        "my_memberships": memberships,
    }
