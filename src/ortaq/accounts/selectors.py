"""Reads of people and organisations."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from .enums import OrganisationKind
from .models import Membership, Organisation, User


def memberships_of(*, user: Any) -> QuerySet[Membership]:
    """The active memberships a person can act as, for the organisation switch."""
    if not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    return (
        Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)
        .select_related("organisation", "organisation__region")
        .order_by("organisation__name_ru", "role")
    )


def organisation_list(*, kind: str | None = None) -> QuerySet[Organisation]:
    qs = Organisation.objects.filter(is_active=True).select_related("region")
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def organisation_counts() -> dict[str, int]:
    """Active organisations by kind, in one query (the home page shows them)."""
    aggregates = {kind.value: Count("id", filter=Q(kind=kind.value)) for kind in OrganisationKind}
    row = Organisation.objects.filter(is_active=True).aggregate(**aggregates)
    return {kind: int(row[kind] or 0) for kind in aggregates}


def home_figures() -> dict[str, int]:
    """The home page's figures of organisations and people (registered in `apps.py`)."""
    by_kind = organisation_counts()
    ngos = by_kind.pop(OrganisationKind.NGO.value, 0)
    state_bodies = by_kind.pop(OrganisationKind.STATE_BODY.value, 0)
    return {
        "state_bodies": state_bodies,
        "ngos": ngos,
        "other_organisations": sum(by_kind.values()),
        "people": User.objects.filter(is_active=True).count(),
    }
