"""Who may do what with people and organisations (django-rules).

Predicates read the memberships once per request: `user_roles` caches them on the user object,
so a page that checks many permissions costs one query.
"""

from __future__ import annotations

from typing import Any

import rules

from .enums import OrganisationKind, Role
from .models import Membership, Organisation, User

_CACHE_ATTR = "_ortaq_roles"


def user_roles(user: Any) -> frozenset[tuple[int, str, int | None, str]]:
    """(organisation id, role, its region id, its kind) of the active memberships."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = frozenset(
            Membership.objects.filter(
                user=user, is_active=True, organisation__is_active=True
            ).values_list(
                "organisation_id", "role", "organisation__region_id", "organisation__kind"
            )
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_roles(user: User) -> None:
    """Drop the cached roles after a membership changes."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def has_role_in(user: Any, organisation_id: int | None, *roles: str) -> bool:
    return any(org == organisation_id and role in roles for org, role, _r, _k in user_roles(user))


def has_role(user: Any, *roles: str) -> bool:
    return any(role in roles for _o, role, _r, _k in user_roles(user))


def regions_administered(user: Any) -> frozenset[int]:
    return frozenset(
        region
        for _o, role, region, _k in user_roles(user)
        if role == Role.REGIONAL_ADMIN and region
    )


@rules.predicate
def is_platform_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_staff and user.is_active)


@rules.predicate
def is_organisation_admin(user: Any, organisation: Organisation | None) -> bool:
    return organisation is not None and has_role_in(user, organisation.pk, Role.ADMIN)


@rules.predicate
def is_organisation_member(user: Any, organisation: Organisation | None) -> bool:
    return organisation is not None and any(org == organisation.pk for org, *_ in user_roles(user))


@rules.predicate
def is_regional_admin_of(user: Any, organisation: Organisation | None) -> bool:
    """A regional administrator looks after the organisations of his region."""
    return (
        organisation is not None
        and organisation.region_id is not None
        and organisation.region_id in regions_administered(user)
    )


@rules.predicate
def is_regional_admin(user: Any) -> bool:
    return has_role(user, Role.REGIONAL_ADMIN)


@rules.predicate
def is_state_official(user: Any) -> bool:
    return any(
        role in (Role.OFFICIAL, Role.REGIONAL_ADMIN) and kind == OrganisationKind.STATE_BODY
        for _o, role, _r, kind in user_roles(user)
    )


rules.add_perm("accounts.view_organisation", rules.always_allow)
rules.add_perm("accounts.change_organisation", is_platform_admin | is_organisation_admin)
# The BIN and region of a verified NGO: only who verifies NGOs there (services.organisation_update).
rules.add_perm("accounts.change_verified_identity", is_platform_admin | is_regional_admin_of)
rules.add_perm("accounts.manage_members", is_platform_admin | is_organisation_admin)
rules.add_perm("accounts.add_organisation", is_platform_admin | is_regional_admin)
rules.add_perm("audit.view_auditentry", is_platform_admin)
