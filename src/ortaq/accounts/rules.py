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
    """The platform administrator's role: `is_staff`. It is not `is_superuser` (the break-glass
    account, accounts/breakglass.py): every right he has is granted below by name."""
    return bool(getattr(user, "is_authenticated", False) and user.is_staff and user.is_active)


@rules.predicate
def is_not_break_glass(user: Any, target: User | None) -> bool:
    """Nobody but a superuser changes the break-glass account (its password, its flags)."""
    return target is None or not target.is_superuser


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

# --- Back office (Django admin) ---------------------------------------------------------------
# The admin asks `<app>` for an app's section and `<app>.<action>_<model>` for a model, without
# an object unless its ModelAdmin passes one. A superuser passes them all (audited); a platform
# administrator exactly these, and those of the other apps' rules.py. The layers below accounts
# (reference, audit) cannot import this module, so their back office is registered here.
rules.add_perm("accounts", is_platform_admin)
rules.add_perm("accounts.view_user", is_platform_admin)
rules.add_perm("accounts.add_user", is_platform_admin)
rules.add_perm("accounts.change_user", is_platform_admin & is_not_break_glass)
# Memberships are saved and removed through the audited services (accounts/admin.py).
for _action in ("view", "add", "change", "delete"):
    rules.add_perm(f"accounts.{_action}_membership", is_platform_admin)
rules.add_perm("audit", is_platform_admin)
# Reference data (regions, legal forms, activity areas, the MCI table) is his to keep.
rules.add_perm("reference", is_platform_admin)
for _model in ("region", "legalform", "activityarea", "mcirate"):
    for _action in ("view", "add", "change"):
        rules.add_perm(f"reference.{_action}_{_model}", is_platform_admin)
