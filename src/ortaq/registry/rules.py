"""Who may do what in the NGO registry (django-rules).

- Anyone reads the directory and NGO pages.
- An NGO's own administrators (Role.ADMIN) and platform administrators change its profile.
- The regional administrator of the NGO's region (and platform administrators) changes its
  status and decides ownership claims; the queue shows only his region's claims.
- A signed-in person claims an NGO or registers a new one.
"""

from __future__ import annotations

from typing import Any

import rules

from ortaq.accounts.rules import (
    is_organisation_admin,
    is_platform_admin,
    is_regional_admin,
    is_regional_admin_of,
)

from .models import NgoProfile, OwnershipClaim


@rules.predicate
def is_ngo_admin(user: Any, ngo: NgoProfile | None) -> bool:
    return ngo is not None and is_organisation_admin(user, ngo.organisation)


@rules.predicate
def is_ngo_regional_admin(user: Any, ngo: NgoProfile | None) -> bool:
    return ngo is not None and is_regional_admin_of(user, ngo.organisation)


@rules.predicate
def is_claim_regional_admin(user: Any, claim: OwnershipClaim | None) -> bool:
    return claim is not None and is_regional_admin_of(user, claim.ngo.organisation)


@rules.predicate
def is_claimant(user: Any, claim: OwnershipClaim | None) -> bool:
    return claim is not None and user.is_authenticated and claim.user_id == user.pk


rules.add_perm("registry.view_ngoprofile", rules.always_allow)
rules.add_perm("registry.change_ngoprofile", is_platform_admin | is_ngo_admin)
rules.add_perm("registry.change_ngo_status", is_platform_admin | is_ngo_regional_admin)
rules.add_perm("registry.add_ownershipclaim", rules.is_authenticated)
rules.add_perm("registry.view_claim_queue", is_platform_admin | is_regional_admin)
rules.add_perm("registry.decide_ownershipclaim", is_platform_admin | is_claim_regional_admin)
rules.add_perm("registry.withdraw_ownershipclaim", is_claimant)

# --- Back office (Django admin; see accounts/rules.py) ----------------------------------------
# Profiles are changed by `registry.change_ngoprofile` above (their status and verification are
# read-only there). The workflow's records are read-only: status changes, claims, the yearly
# reports (filled by the NGO only: `registry.fill_annualreport`, never changed here) and their
# history, reminders; imports are read through `registry.view_importjob`
# (report_rules.py). Nobody but a superuser adds, changes or deletes them in the back office.
rules.add_perm("registry", is_platform_admin)
for _model in ("ngostatuschange", "ownershipclaim", "reportstatuschange", "reportreminder"):
    rules.add_perm(f"registry.view_{_model}", is_platform_admin)
