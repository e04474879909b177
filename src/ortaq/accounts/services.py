"""Writes on organisations and memberships; each is audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ortaq.audit.services import audit_record, diff, snapshot
from ortaq.core.errors import DomainError
from ortaq.core.locking import lock_for_update
from ortaq.lib.identifiers import is_valid_bin
from ortaq.reference.models import Region

from .enums import STATE_ROLES, Level, OrganisationKind, Role
from .models import Membership, Organisation, User
from .rules import forget_roles


@transaction.atomic
def user_complete_signup(*, user: User, full_name: str, language: str) -> User:
    """What allauth's sign-up form asks beyond the e-mail: the name, and the language used."""
    user.full_name = full_name.strip()
    user.preferred_language = language if language in ("kk", "ru", "en") else "kk"
    user.save(update_fields=["full_name", "preferred_language"])
    audit_record(
        actor=user,
        action="user.signup",
        obj=user,
        changes={"full_name": user.full_name, "preferred_language": user.preferred_language},
    )
    return user


EDITABLE_FIELDS = ("name_kk", "name_ru", "name_en", "bin", "level", "region", "is_active")


def _clean_bin(value: str) -> str:
    value = (value or "").strip()
    if value and not is_valid_bin(value):
        raise DomainError(_("This is not a valid BIN: check the 12 digits."), field="bin")
    return value


def _check_region(level: str, region: Region | None) -> None:
    if level != Level.NATIONAL and region is None:
        raise DomainError(
            _("Choose the region of a regional, city or district organisation."), field="region"
        )


IDENTITY_FIELDS = ("bin", "region")


def is_verified_ngo(organisation: Organisation) -> bool:
    """An NGO whose registry profile a regional administrator has verified."""
    profile = getattr(organisation, "ngo", None)  # the registry's profile, a later app
    return bool(profile is not None and profile.is_verified)


def may_change_identity(actor: User, organisation: Organisation) -> bool:
    """Whether `actor` may change the BIN and region of `organisation`. Those of a verified
    NGO are what its regional administrator verified: changed by its NGO's own administrator,
    the NGO would escape its region's oversight and free its BIN for someone else to register,
    so only its region's administrator or a platform administrator corrects them."""
    if not is_verified_ngo(organisation):
        return True
    return bool(
        getattr(actor, "is_authenticated", False)
        and actor.has_perm("accounts.change_verified_identity", organisation)
    )


def _check_identity_change(actor: User, organisation: Organisation, values: dict[str, Any]) -> None:
    changed = [
        name
        for name in IDENTITY_FIELDS
        if name in values and values[name] != getattr(organisation, name)
    ]
    if changed and not may_change_identity(actor, organisation):
        raise DomainError(
            _(
                "The BIN and the region of a verified NGO are changed by the regional "
                "administrator who verified it: ask him to correct them."
            ),
            field=changed[0],
        )


def _check_bin_free(bin_: str, exclude_pk: int | None = None) -> None:
    others = Organisation.objects.filter(bin=bin_)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if bin_ and others.exists():
        raise DomainError(_("An organisation with this BIN is already registered."), field="bin")


@transaction.atomic
def organisation_create(
    *,
    actor: User,
    kind: str,
    level: str,
    name_kk: str,
    name_ru: str,
    name_en: str = "",
    region: Region | None = None,
    bin: str = "",
    acting_for: Organisation | None = None,
) -> Organisation:
    if kind not in OrganisationKind.values:
        raise DomainError(_("Unknown kind of organisation."), field="kind")
    if not name_kk.strip() or not name_ru.strip():
        raise DomainError(_("The name is required in Kazakh and in Russian."), field="name_kk")
    _check_region(level, region)
    bin_ = _clean_bin(bin)
    _check_bin_free(bin_)
    organisation = Organisation.objects.create(
        kind=kind,
        level=level,
        region=region,
        name_kk=name_kk.strip(),
        name_ru=name_ru.strip(),
        name_en=name_en.strip(),
        bin=bin_,
    )
    audit_record(
        actor=actor,
        action="organisation.create",
        obj=organisation,
        changes=snapshot(organisation),
        organisation=acting_for,
    )
    return organisation


@transaction.atomic
def organisation_update(
    *,
    actor: User,
    organisation: Organisation,
    expected_version: int,
    acting_for: Organisation | None = None,
    **values: Any,
) -> Organisation:
    """Change the editable fields; refuse if someone saved a newer version meanwhile."""
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    locked = lock_for_update(organisation, expected_version=expected_version)
    if "bin" in values:
        values["bin"] = _clean_bin(values["bin"])
        _check_bin_free(values["bin"], exclude_pk=locked.pk)
    _check_identity_change(actor, locked, values)
    level = values.get("level", locked.level)
    region = values.get("region", locked.region)
    _check_region(level, region)
    before = snapshot(locked)
    for name, value in values.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    changes = diff(before, snapshot(locked))
    if not changes:
        return locked
    locked.version += 1
    locked.save()
    audit_record(
        actor=actor,
        action="organisation.update",
        obj=locked,
        changes=changes,
        organisation=acting_for,
    )
    return locked


def membership_check(*, organisation: Organisation, role: str) -> None:
    """The rules of a role in an organisation (the admin's form asks them before saving)."""
    if role not in Role.values:
        raise DomainError(_("Unknown role."), field="role")
    if role in STATE_ROLES and organisation.kind != OrganisationKind.STATE_BODY:
        raise DomainError(
            _("Only a state body can have state officials and regional administrators."),
            field="role",
        )
    if role == Role.REGIONAL_ADMIN and organisation.region_id is None:
        raise DomainError(
            _("A regional administrator belongs to a regional state body."), field="role"
        )


def _who_where_what(membership: Membership) -> dict[str, Any]:
    """Every membership entry names the person, the organisation and the role."""
    return {
        "user": membership.user_id,
        "organisation": membership.organisation_id,
        "role": membership.role,
    }


@transaction.atomic
def membership_grant(
    *,
    actor: User,
    user: User,
    organisation: Organisation,
    role: str,
    position: str = "",
    acting_for: Organisation | None = None,
) -> Membership:
    membership_check(organisation=organisation, role=role)
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role, defaults={"position": position}
    )
    if not created and membership.is_active:
        return membership
    if not created:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="membership.grant",
        obj=membership,
        changes={"user": user.pk, "organisation": organisation.pk, "role": role},
        organisation=acting_for,
    )
    forget_roles(user)
    return membership


@transaction.atomic
def membership_revoke(
    *, actor: User, membership: Membership, acting_for: Organisation | None = None
) -> Membership:
    if not membership.is_active:
        return membership
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="membership.revoke",
        obj=membership,
        changes={**_who_where_what(membership), "is_active": [True, False]},
        organisation=acting_for,
    )
    forget_roles(membership.user)
    return membership


MEMBERSHIP_FIELDS = ("user", "organisation", "role", "position", "is_active")


@transaction.atomic
def membership_change(
    *,
    actor: User,
    membership: Membership,
    acting_for: Organisation | None = None,
    **values: Any,
) -> Membership:
    """Change a membership's person, organisation, role, position or activity (the back office)."""
    unknown = set(values) - set(MEMBERSHIP_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    fields = [f"{name}_id" if name in ("user", "organisation") else name for name in values]
    before = snapshot(locked, fields)
    previous_user = locked.user
    for name, value in values.items():
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    membership_check(organisation=locked.organisation, role=locked.role)
    changes = {
        key.removesuffix("_id"): value
        for key, value in diff(before, snapshot(locked, fields)).items()
    }
    if not changes:
        return locked
    locked.save()
    audit_record(
        actor=actor,
        action="membership.change",
        obj=locked,
        changes={**_who_where_what(locked), **changes},
        organisation=acting_for,
    )
    forget_roles(previous_user)
    forget_roles(locked.user)
    return locked


@transaction.atomic
def membership_delete(
    *, actor: User, membership: Membership, acting_for: Organisation | None = None
) -> None:
    """Remove a membership altogether (the back office); the audit entry keeps who had what."""
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    audit_record(
        actor=actor,
        action="membership.delete",
        obj=locked,
        changes=_who_where_what(locked),
        organisation=acting_for,
    )
    user = locked.user
    locked.delete()
    forget_roles(user)
