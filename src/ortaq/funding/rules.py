"""Who may do what in funding (django-rules).

- The organiser of a competition is an official, regional administrator or administrator of
  the organising organisation; he manages it and sees the applications sent to it, with the
  experts' individual scores.
- An NGO's people see their own applications; its administrators edit and send them.
- An expert sees an application only through an assignment on which he declared no conflict.
- Nobody else sees individual scores: not the platform administrator, not other experts.
"""

from __future__ import annotations

from typing import Any

import rules

from ortaq.accounts.enums import OrganisationKind, Role
from ortaq.accounts.rules import has_role_in, is_platform_admin, regions_administered, user_roles

from .enums import (
    PUBLIC_COMPETITION_STATUSES,
    PUBLIC_CONTRACT_STATUSES,
    SENT_STATUSES,
    AssignmentStatus,
)
from .models import Application, Assignment, Competition, Contract, Programme, Topic

ORGANISER_ROLES = (Role.OFFICIAL, Role.REGIONAL_ADMIN, Role.ADMIN)
ORGANISER_KINDS = (OrganisationKind.STATE_BODY, OrganisationKind.GRANT_OPERATOR)


def organiser_org_ids(user: Any) -> set[int]:
    """Organisations for which the user may organise funding."""
    return {
        org
        for org, role, _r, kind in user_roles(user)
        if role in ORGANISER_ROLES and kind in ORGANISER_KINDS
    }


def _org_of(obj: Any) -> int | None:
    if isinstance(obj, Competition):
        return obj.organiser_id
    if isinstance(obj, Programme | Topic):
        return obj.owner_id
    if isinstance(obj, Application):
        return obj.lot.competition.organiser_id
    if isinstance(obj, Contract):
        return obj.organiser_id
    return None


@rules.predicate
def is_organiser(user: Any, obj: Any) -> bool:
    org = _org_of(obj)
    return org is not None and org in organiser_org_ids(user)


@rules.predicate
def can_organise(user: Any) -> bool:
    return bool(organiser_org_ids(user))


def topic_owner_ids(user: Any) -> set[int]:
    """State bodies for which the user may propose topics (DOMAIN.md §5: the state bodies plan
    next year's state social order; grant operators and funds do not)."""
    return {
        org
        for org, role, _r, kind in user_roles(user)
        if role in ORGANISER_ROLES and kind == OrganisationKind.STATE_BODY
    }


@rules.predicate
def can_propose_topics(user: Any) -> bool:
    return bool(topic_owner_ids(user))


# The expert register is one for the whole platform: any organiser of funding keeps it (he
# needs experts of his areas for his draws), and so does the platform administrator.
can_keep_register = can_organise | is_platform_admin


@rules.predicate
def is_public_competition(user: Any, competition: Competition | None) -> bool:
    return competition is not None and competition.status in PUBLIC_COMPETITION_STATUSES


@rules.predicate
def is_applicant_member(user: Any, application: Application | None) -> bool:
    return application is not None and has_role_in(
        user, application.ngo.organisation_id, Role.ADMIN, Role.MEMBER
    )


@rules.predicate
def is_applicant_admin(user: Any, application: Application | None) -> bool:
    return application is not None and has_role_in(
        user, application.ngo.organisation_id, Role.ADMIN
    )


@rules.predicate
def is_sent(user: Any, application: Application | None) -> bool:
    return application is not None and application.status in SENT_STATUSES


@rules.predicate
def is_declared_expert(user: Any, application: Application | None) -> bool:
    if application is None or not getattr(user, "is_authenticated", False):
        return False
    return Assignment.objects.filter(
        application=application,
        expert__user=user,
        status__in=[AssignmentStatus.DECLARED, AssignmentStatus.SUBMITTED],
    ).exists()


@rules.predicate
def is_assigned_expert(user: Any, assignment: Assignment | None) -> bool:
    return (
        assignment is not None
        and getattr(user, "is_authenticated", False)
        and assignment.expert.user_id == user.pk
    )


@rules.predicate
def is_ngo_admin(user: Any) -> bool:
    return any(
        role == Role.ADMIN and kind == OrganisationKind.NGO
        for _o, role, _r, kind in user_roles(user)
    )


rules.add_perm("funding.view_competition", is_public_competition | is_organiser)
rules.add_perm("funding.manage_competition", is_organiser)
rules.add_perm("funding.organise", can_organise)
rules.add_perm("funding.manage_programme", is_organiser)
rules.add_perm("funding.keep_register", can_keep_register)
rules.add_perm("funding.propose_topic", can_propose_topics)
rules.add_perm("funding.manage_topic", is_organiser)
rules.add_perm("funding.apply", is_ngo_admin)
rules.add_perm(
    "funding.view_application",
    is_applicant_member | (is_organiser & is_sent) | is_declared_expert,
)
rules.add_perm("funding.view_own_application", is_applicant_member)
rules.add_perm("funding.change_application", is_applicant_admin)
rules.add_perm("funding.check_application", is_organiser & is_sent)
# Individual scores: the organiser only (an expert reads his own through his assignment).
rules.add_perm("funding.view_scores", is_organiser)
rules.add_perm("funding.work_assignment", is_assigned_expert)


# --- Implementation (Funding II) -------------------------------------------------------------
# The customer (organiser) manages the contract, releases tranches and reviews reports; the
# NGO's people read their contract, its administrators file reports; a contract in force is
# public as a project page. The regional administrator of the project's region oversees it.


@rules.predicate
def is_public_contract(user: Any, contract: Contract | None) -> bool:
    return contract is not None and contract.status in PUBLIC_CONTRACT_STATUSES


@rules.predicate
def is_contractor_member(user: Any, contract: Contract | None) -> bool:
    return contract is not None and has_role_in(
        user, contract.ngo.organisation_id, Role.ADMIN, Role.MEMBER
    )


@rules.predicate
def is_contractor_admin(user: Any, contract: Contract | None) -> bool:
    return contract is not None and has_role_in(user, contract.ngo.organisation_id, Role.ADMIN)


@rules.predicate
def is_region_overseer(user: Any, contract: Contract | None) -> bool:
    """The regional administrator of the region where the project is carried out."""
    return (
        contract is not None
        and contract.region_id is not None
        and contract.region_id in regions_administered(user)
    )


@rules.predicate
def can_see_risks(user: Any) -> bool:
    """Risk signals are for organisers of funding and regional administrators."""
    return can_organise(user) or bool(regions_administered(user))


rules.add_perm("funding.view_contract", is_public_contract | is_organiser | is_contractor_member)
rules.add_perm(
    "funding.view_contract_internal", is_organiser | is_contractor_member | is_region_overseer
)
rules.add_perm("funding.manage_contract", is_organiser)
rules.add_perm("funding.release_tranche", is_organiser)
rules.add_perm("funding.file_report", is_contractor_admin)
rules.add_perm("funding.review_report", is_organiser)
rules.add_perm("funding.view_risks", can_see_risks)

# --- Monitoring and evaluation (section owned by the monitoring work) -----------------------


# --- end of monitoring and evaluation -------------------------------------------------------
