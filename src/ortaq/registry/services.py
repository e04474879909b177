"""Writes of the NGO registry: profiles, statuses, ownership claims. Each one is audited.

Profiles carry a `version`: an edit names the version it started from, and a save over a
newer version is refused (ConflictError) instead of silently overwriting someone's work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import rules
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ortaq.accounts.enums import Level, OrganisationKind, Role
from ortaq.accounts.models import Organisation, User
from ortaq.accounts.services import membership_grant
from ortaq.audit.services import audit_record, diff, snapshot
from ortaq.core.errors import DomainError
from ortaq.core.locking import lock_for_update
from ortaq.core.workflow import transition
from ortaq.lib.identifiers import is_valid_bin, normalise_bin
from ortaq.reference.models import ActivityArea, LegalForm, Region

from .enums import (
    NGO_STATUS_TRANSITIONS,
    ClaimKind,
    ClaimStatus,
    NgoStatus,
    Settlement,
    TargetGroup,
    Verification,
)
from .models import NgoProfile, NgoStatusChange, OwnershipClaim
from .search import stems
from .workflows import CLAIM_WORKFLOW, NGO_WORKFLOW

# Names live on the Organisation; the rest of the profile on NgoProfile.
ORGANISATION_FIELDS = ("name_kk", "name_ru", "name_en")
PROFILE_FIELDS = (
    "legal_form",
    "short_name_kk",
    "short_name_ru",
    "short_name_en",
    "district",
    "district_kato",
    "settlement",
    "address",
    "phone",
    "email",
    "website",
    "leader_name",
    "leader_position",
    "founders",
    "registration_year",
    "target_groups",
    "is_childrens",
    "is_youth",
    "is_disability",
    "is_ethnocultural",
    "is_volunteer",
    "description_kk",
    "description_ru",
    "description_en",
)
MANY_FIELDS = ("activity_areas", "umbrella_associations")
EDITABLE_FIELDS = ORGANISATION_FIELDS + PROFILE_FIELDS + MANY_FIELDS

# Kept for the status form's choices: the table lives in enums, its workflow in workflows.
STATUS_TRANSITIONS = NGO_STATUS_TRANSITIONS


def check_status_change(old: str, new: str) -> None:
    """Refuse a status that may not follow `old` (the status page and imports share this)."""
    if new not in NgoStatus.values:
        raise DomainError(_("Unknown status."), field="status")
    NGO_WORKFLOW.check(old, new)


def _require(actor: User, perm: str, obj: Any) -> None:
    # The rule itself: a superuser's `has_perm` would let the platform administrator do acts
    # the rule keeps for others (withdrawing someone's claim).
    if not (getattr(actor, "is_authenticated", False) and rules.has_perm(perm, actor, obj)):
        raise PermissionDenied


def _clean_text(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _check_names(name_kk: str, name_ru: str) -> None:
    if not (name_kk or "").strip():
        raise DomainError(_("Enter the name in Kazakh."), field="name_kk")
    if not (name_ru or "").strip():
        raise DomainError(_("Enter the name in Russian."), field="name_ru")


def _check_bin(value: str) -> str:
    bin_ = normalise_bin(value or "")
    if not bin_:
        raise DomainError(_("Enter the BIN of the organisation."), field="bin")
    if not is_valid_bin(bin_):
        raise DomainError(_("This is not a valid BIN: check the 12 digits."), field="bin")
    if Organisation.objects.filter(bin=bin_).exists():
        raise DomainError(
            _("An organisation with this BIN is already registered: claim it instead."),
            field="bin",
        )
    return bin_


def _check_profile_values(values: dict[str, Any]) -> None:
    if "settlement" in values and values["settlement"] not in Settlement.values:
        raise DomainError(_("Choose urban or rural."), field="settlement")
    year = values.get("registration_year")
    if year is not None and not 1900 <= int(year) <= timezone.localdate().year:
        raise DomainError(_("Enter a real year of registration."), field="registration_year")
    groups = values.get("target_groups")
    if groups is not None:
        unknown = set(groups) - set(TargetGroup.values)
        if unknown:
            raise DomainError(_("Unknown target group."), field="target_groups")
        values["target_groups"] = [g for g in TargetGroup.values if g in set(groups)]
    umbrellas = values.get("umbrella_associations")
    if umbrellas is not None and any(o.kind != OrganisationKind.NGO for o in umbrellas):
        raise DomainError(
            _("An umbrella association must be an NGO itself."), field="umbrella_associations"
        )


def search_text_for(ngo: NgoProfile) -> str:
    """The stems of the names, short names, descriptions and activity areas of `ngo`."""
    organisation = ngo.organisation
    parts = [
        organisation.name_kk,
        organisation.name_ru,
        organisation.name_en,
        ngo.short_name_kk,
        ngo.short_name_ru,
        ngo.short_name_en,
        ngo.description_kk,
        ngo.description_ru,
        ngo.description_en,
    ]
    if ngo.pk:
        for area in ngo.activity_areas.all():
            parts += [area.name_kk, area.name_ru, area.name_en]
    # Leading and trailing spaces let " stem" match a prefix of the first word as well.
    return " " + " ".join(stems(" ".join(p for p in parts if p))) + " "


def ngo_refresh_search_text(*, ngo: NgoProfile) -> NgoProfile:
    """Recompute the stored stems; called by every service that changes what is searched."""
    text = search_text_for(ngo)
    if text != ngo.search_text:
        ngo.search_text = text
        NgoProfile.objects.filter(pk=ngo.pk).update(search_text=text)
    return ngo


def ngo_reindex_all(*, batch_size: int = 500) -> int:
    """Recompute the stems of every NGO (after a change of the stemmer); returns how many."""
    count = 0
    queryset = NgoProfile.objects.select_related("organisation").prefetch_related("activity_areas")
    for ngo in queryset.iterator(chunk_size=batch_size):
        ngo_refresh_search_text(ngo=ngo)
        count += 1
    return count


@transaction.atomic
def ngo_register(
    *,
    actor: User,
    bin: str,
    name_kk: str,
    name_ru: str,
    region: Region,
    legal_form: LegalForm,
    registration_year: int,
    name_en: str = "",
    level: str = Level.REGION,
    activity_areas: Iterable[ActivityArea] = (),
    umbrella_associations: Iterable[Organisation] = (),
    acting_for: Organisation | None = None,
    **profile: Any,
) -> NgoProfile:
    """Create the Organisation (kind NGO) and its unverified profile."""
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {sorted(unknown)}")
    _check_names(name_kk, name_ru)
    bin_ = _check_bin(bin)
    if region is None:
        raise DomainError(_("Choose the region of the NGO."), field="region")
    values = {
        "registration_year": registration_year,
        "umbrella_associations": list(umbrella_associations),
        **profile,
    }
    _check_profile_values(values)
    umbrellas = values.pop("umbrella_associations")
    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(
                kind=OrganisationKind.NGO,
                level=level,
                region=region,
                name_kk=name_kk.strip(),
                name_ru=name_ru.strip(),
                name_en=(name_en or "").strip(),
                bin=bin_,
            )
    except IntegrityError as error:  # the same BIN registered a moment ago
        raise DomainError(
            _("An organisation with this BIN is already registered: claim it instead."),
            field="bin",
        ) from error
    ngo = NgoProfile.objects.create(
        organisation=organisation,
        legal_form=legal_form,
        verification=Verification.UNVERIFIED,
        status=NgoStatus.ACTIVE,
        **{name: _clean_text(value) for name, value in values.items()},
    )
    ngo.activity_areas.set(list(activity_areas))
    ngo.umbrella_associations.set(umbrellas)
    NgoStatusChange.objects.create(
        ngo=ngo,
        from_status="",
        to_status=NgoStatus.ACTIVE,
        changed_on=timezone.localdate(),
        note=_("Registered on Ortaq."),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    ngo_refresh_search_text(ngo=ngo)
    audit_record(
        actor=actor,
        action="organisation.create",
        obj=organisation,
        changes=snapshot(organisation),
        organisation=acting_for,
    )
    audit_record(
        actor=actor,
        action="ngo.register",
        obj=ngo,
        changes={
            **snapshot(ngo),
            "activity_areas": sorted(a.pk for a in ngo.activity_areas.all()),
            "umbrella_associations": sorted(o.pk for o in umbrellas),
        },
        organisation=acting_for,
    )
    return ngo


@transaction.atomic
def ngo_update(
    *,
    actor: User,
    ngo: NgoProfile,
    expected_version: int,
    acting_for: Organisation | None = None,
    **values: Any,
) -> NgoProfile:
    """Change names and profile fields; refuse if someone saved a newer version meanwhile."""
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    _require(actor, "registry.change_ngoprofile", ngo)
    locked = lock_for_update(ngo, expected_version=expected_version)
    organisation = Organisation.objects.select_for_update().get(pk=locked.organisation_id)
    locked.organisation = organisation
    _check_names(
        values.get("name_kk", organisation.name_kk), values.get("name_ru", organisation.name_ru)
    )
    _check_profile_values(values)

    before_org = snapshot(organisation)
    before = snapshot(locked)
    before_many = {
        "activity_areas": sorted(locked.activity_areas.values_list("pk", flat=True)),
        "umbrella_associations": sorted(locked.umbrella_associations.values_list("pk", flat=True)),
    }
    for name in ORGANISATION_FIELDS:
        if name in values:
            setattr(organisation, name, _clean_text(values[name]))
    for name in PROFILE_FIELDS:
        if name in values:
            setattr(locked, name, _clean_text(values[name]))
    after_many = {
        name: sorted(o.pk for o in values[name]) for name in MANY_FIELDS if name in values
    }
    changes_org = diff(before_org, snapshot(organisation))
    changes = diff(before, snapshot(locked))
    changes.update(diff({k: before_many[k] for k in after_many}, after_many))
    if not changes and not changes_org:
        return locked
    if changes_org:
        organisation.version += 1
        organisation.save(update_fields=[*changes_org, "version", "updated_at"])
        audit_record(
            actor=actor,
            action="organisation.update",
            obj=organisation,
            changes=changes_org,
            organisation=acting_for,
        )
    for name in MANY_FIELDS:
        if name in values:
            getattr(locked, name).set(list(values[name]))
    locked.version += 1
    locked.save()
    ngo_refresh_search_text(ngo=locked)
    audit_record(
        actor=actor,
        action="ngo.update",
        obj=locked,
        changes={**changes, **{f"organisation.{k}": v for k, v in changes_org.items()}},
        organisation=acting_for,
    )
    return locked


@transaction.atomic
def ngo_change_status(
    *,
    actor: User,
    ngo: NgoProfile,
    status: str,
    changed_on: dt.date,
    expected_version: int,
    reason: str = "",
    acting_for: Organisation | None = None,
) -> NgoStatusChange:
    """Move the NGO to a new status and keep the change, with its date, in the history."""
    _require(actor, "registry.change_ngo_status", ngo)
    locked = lock_for_update(ngo, expected_version=expected_version)
    check_status_change(locked.status, status)
    if changed_on > timezone.localdate():
        raise DomainError(_("The date cannot be in the future."), field="changed_on")
    last = locked.status_changes.order_by("-changed_on").values_list("changed_on", flat=True)
    if last and changed_on < last[0]:
        raise DomainError(
            _("The date cannot be earlier than the last change of status ({date}).").format(
                date=last[0].isoformat()
            ),
            field="changed_on",
        )
    old = locked.status
    locked.status_since = changed_on
    change = transition(
        locked,
        workflow=NGO_WORKFLOW,
        to=status,
        actor=actor,
        note=reason.strip(),
        fields=["status_since"],
        log_values={"changed_on": changed_on},
    )
    assert isinstance(change, NgoStatusChange)
    audit_record(
        actor=actor,
        action="ngo.change_status",
        obj=locked,
        changes={
            "status": [old, status],
            "changed_on": changed_on,
            "reason": change.note,
        },
        organisation=acting_for,
    )
    return change


# --- Ownership claims -------------------------------------------------------------------------


def _check_no_pending(user: User, ngo: NgoProfile) -> None:
    if OwnershipClaim.objects.filter(user=user, ngo=ngo, status=ClaimStatus.PENDING).exists():
        raise DomainError(
            _("You have already asked to administer this NGO; wait for the decision."),
            field="bin",
        )


def _create_claim(
    *, actor: User, ngo: NgoProfile, kind: str, position: str, message: str
) -> OwnershipClaim:
    if not position.strip():
        raise DomainError(_("Enter your position in the NGO."), field="position")
    _check_no_pending(actor, ngo)
    try:
        with transaction.atomic():
            claim = OwnershipClaim.objects.create(
                user=actor,
                ngo=ngo,
                kind=kind,
                position=position.strip(),
                message=message.strip(),
            )
    except IntegrityError as error:  # a double click: the database keeps one pending claim
        raise DomainError(
            _("You have already asked to administer this NGO; wait for the decision."),
            field="bin",
        ) from error
    audit_record(actor=actor, action="ngo_claim.submit", obj=claim, changes=snapshot(claim))
    return claim


@transaction.atomic
def claim_existing_ngo(
    *, actor: User, bin: str, position: str, message: str = ""
) -> OwnershipClaim:
    """Ask the regional administrator to make `actor` an administrator of a registered NGO."""
    _require(actor, "registry.add_ownershipclaim", None)
    bin_ = normalise_bin(bin or "")
    if not is_valid_bin(bin_):
        raise DomainError(_("This is not a valid BIN: check the 12 digits."), field="bin")
    ngo = (
        NgoProfile.objects.select_related("organisation")
        .filter(organisation__bin=bin_, organisation__kind=OrganisationKind.NGO)
        .first()
    )
    if ngo is None:
        raise DomainError(
            _("No NGO with this BIN is in the registry: register it as a new NGO."), field="bin"
        )
    if ngo.organisation.memberships.filter(user=actor, role=Role.ADMIN, is_active=True).exists():
        raise DomainError(_("You already administer this NGO."), field="bin")
    return _create_claim(
        actor=actor, ngo=ngo, kind=ClaimKind.EXISTING, position=position, message=message
    )


@transaction.atomic
def claim_new_ngo(
    *, actor: User, position: str, message: str = "", **registration: Any
) -> OwnershipClaim:
    """Register a new NGO (unverified) and ask to administer it, in one step."""
    _require(actor, "registry.add_ownershipclaim", None)
    if not position.strip():
        raise DomainError(_("Enter your position in the NGO."), field="position")
    ngo = ngo_register(actor=actor, **registration)
    return _create_claim(
        actor=actor, ngo=ngo, kind=ClaimKind.NEW, position=position, message=message
    )


def _decide(claim: OwnershipClaim, to: str) -> OwnershipClaim:
    locked = OwnershipClaim.objects.select_for_update().select_related("ngo").get(pk=claim.pk)
    CLAIM_WORKFLOW.check(locked.status, to)
    return locked


@transaction.atomic
def claim_verify(
    *, actor: User, claim: OwnershipClaim, acting_for: Organisation | None = None
) -> OwnershipClaim:
    """Grant the claimant the NGO's administration and mark the NGO verified."""
    _require(actor, "registry.decide_ownershipclaim", claim)
    locked = _decide(claim, ClaimStatus.VERIFIED)
    now = timezone.now()
    locked.decided_by = actor
    locked.decided_at = now
    transition(
        locked,
        workflow=CLAIM_WORKFLOW,
        to=ClaimStatus.VERIFIED,
        actor=actor,
        fields=["decided_by", "decided_at"],
    )
    ngo = (
        NgoProfile.objects.select_for_update().select_related("organisation").get(pk=locked.ngo_id)
    )
    if ngo.verification != Verification.VERIFIED:
        ngo.verification = Verification.VERIFIED
        ngo.verified_at = now
        ngo.version += 1
        ngo.save(update_fields=["verification", "verified_at", "version", "updated_at"])
        audit_record(
            actor=actor,
            action="ngo.verify",
            obj=ngo,
            changes={"verification": [Verification.UNVERIFIED, Verification.VERIFIED]},
            organisation=acting_for,
        )
    membership_grant(
        actor=actor,
        user=locked.user,
        organisation=ngo.organisation,
        role=Role.ADMIN,
        position=locked.position,
        acting_for=acting_for,
    )
    audit_record(
        actor=actor,
        action="ngo_claim.verify",
        obj=locked,
        changes={"status": [ClaimStatus.PENDING, ClaimStatus.VERIFIED]},
        organisation=acting_for,
    )
    return locked


@transaction.atomic
def claim_refuse(
    *,
    actor: User,
    claim: OwnershipClaim,
    reason: str,
    acting_for: Organisation | None = None,
) -> OwnershipClaim:
    """Refuse a claim; the reason is required and the claimant reads it."""
    _require(actor, "registry.decide_ownershipclaim", claim)
    if not (reason or "").strip():
        raise DomainError(
            _("Say why the claim is refused: the person will read it."), field="reason"
        )
    locked = _decide(claim, ClaimStatus.REFUSED)
    locked.refusal_reason = reason.strip()
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    transition(
        locked,
        workflow=CLAIM_WORKFLOW,
        to=ClaimStatus.REFUSED,
        actor=actor,
        note=locked.refusal_reason,
        fields=["refusal_reason", "decided_by", "decided_at"],
    )
    audit_record(
        actor=actor,
        action="ngo_claim.refuse",
        obj=locked,
        changes={"status": [ClaimStatus.PENDING, ClaimStatus.REFUSED], "reason": reason.strip()},
        organisation=acting_for,
    )
    return locked


@transaction.atomic
def claim_withdraw(*, actor: User, claim: OwnershipClaim) -> OwnershipClaim:
    """The claimant takes back a claim that waits for a decision."""
    _require(actor, "registry.withdraw_ownershipclaim", claim)
    locked = _decide(claim, ClaimStatus.WITHDRAWN)
    locked.decided_at = timezone.now()
    transition(
        locked,
        workflow=CLAIM_WORKFLOW,
        to=ClaimStatus.WITHDRAWN,
        actor=actor,
        fields=["decided_at"],
    )
    audit_record(
        actor=actor,
        action="ngo_claim.withdraw",
        obj=locked,
        changes={"status": [ClaimStatus.PENDING, ClaimStatus.WITHDRAWN]},
    )
    return locked
