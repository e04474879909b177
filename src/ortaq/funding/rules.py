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
from ortaq.councils.enums import CompositionStatus, CouncilKind
from ortaq.councils.models import CouncilMember
from ortaq.councils.selectors import lawful_host_q

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
    """State bodies for which the user may propose topics (docs/domain.md §5: the state bodies plan
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
# The platform administrator reads every risk signal (risk.selectors).
rules.add_perm("funding.view_risks", can_see_risks | is_platform_admin)

# --- Monitoring and evaluation (section owned by the monitoring work) -----------------------
# Who monitors a project in force or completed (docs/domain.md §5, step 9), by `MonitorKind`:
# - state_body: the customer's officials (the contract's organiser), and the regional
#   administrator of the project's region (for his state body);
# - operator: officials of a grant operator (organisation kind GRANT_OPERATOR), for projects of
#   grant programmes (state and non-state grants);
# - council: a person holding a seat (not ceased) in the *current* composition of an active
#   PUBLIC council of the project's region, or of a national council (no region) — the same
#   seats `councils.rules.council_seats` reads.
# Nobody monitors a project of an NGO he belongs to (any role), whatever else he is.
# A draft visit is seen and edited by its side only: the inspector, the officials of the
# organisation he visited for, or the members of the council he visited for. A published visit
# is public (summary, findings with the NGO's answers, recommendations, photos); its checklist
# is for the side, the customer, the NGO and the regional administrator. The NGO's
# administrators answer findings of a published visit (never the platform administrator: the
# services call `is_visit_answerer` directly); an answer may be edited until the evaluation of
# the project is published.
# The evaluation of effectiveness (step 10) is drafted by the customer's officials and by
# active experts of the register whose activity areas include the lot's area and who belong to
# no organisation of the NGO (the expert council); only the customer's officials publish it.
# It opens once the contract is completed or its end date has passed.
# (The imports stay in this section so that parallel work on other sections merges cleanly.)

import datetime as dt  # noqa: E402

from django.utils import timezone  # noqa: E402

from .enums import (  # noqa: E402
    ContractStatus,
    EvaluationStatus,
    MonitorKind,
    ProgrammeKind,
    VisitStatus,
)
from .models import Expert, MonitoringVisit  # noqa: E402

MONITOR_CONTRACT_STATUSES = frozenset({ContractStatus.ACTIVE, ContractStatus.COMPLETED})
GRANT_KINDS = frozenset({ProgrammeKind.STATE_GRANT, ProgrammeKind.NON_STATE_GRANT})
_SEATS_ATTR = "_ortaq_public_council_seats"
_EXPERT_ATTR = "_ortaq_evaluator_areas"


def public_council_seats(user: Any) -> frozenset[tuple[int, int | None]]:
    """(council id, its region id) of the person's seats in current compositions of active
    public councils; cached on the user like the roles."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, _SEATS_ATTR, None)
    if cached is None:
        # Only a public council at a state body (councils.enums.COUNCIL_HOST_KINDS) monitors.
        cached = frozenset(
            CouncilMember.objects.filter(
                lawful_host_q("composition__council__"),
                user=user,
                ceased_on__isnull=True,
                composition__status=CompositionStatus.CURRENT,
                composition__council__kind=CouncilKind.PUBLIC,
                composition__council__is_active=True,
            ).values_list("composition__council_id", "composition__council__region_id")
        )
        setattr(user, _SEATS_ATTR, cached)
    return cached


def operator_org_ids(user: Any) -> set[int]:
    """Grant operators for which the user acts as an official."""
    return {
        org
        for org, role, _r, kind in user_roles(user)
        if role in ORGANISER_ROLES and kind == OrganisationKind.GRANT_OPERATOR
    }


def _belongs_to_ngo(user: Any, contract: Contract) -> bool:
    return any(org == contract.ngo.organisation_id for org, *_ in user_roles(user))


def monitor_councils(user: Any, contract: Contract) -> list[int]:
    """The public councils for which the user may visit this project."""
    return sorted(
        council
        for council, region in public_council_seats(user)
        if region is None or region == contract.region_id
    )


def monitor_kinds(user: Any, contract: Contract | None) -> list[str]:
    """The kinds of monitor the user may visit this project as (empty: he may not)."""
    if (
        contract is None
        or contract.status not in MONITOR_CONTRACT_STATUSES
        or not getattr(user, "is_authenticated", False)
        or _belongs_to_ngo(user, contract)
    ):
        return []
    kinds: list[str] = []
    if is_organiser(user, contract) or is_region_overseer(user, contract):
        kinds.append(MonitorKind.STATE_BODY)
    if (
        operator_org_ids(user)
        and contract.application.lot.competition.programme.kind in GRANT_KINDS
    ):
        kinds.append(MonitorKind.OPERATOR)
    if monitor_councils(user, contract):
        kinds.append(MonitorKind.COUNCIL)
    return kinds


@rules.predicate
def can_visit_contract(user: Any, contract: Contract | None) -> bool:
    return bool(monitor_kinds(user, contract))


@rules.predicate
def may_monitor_somewhere(user: Any) -> bool:
    """Monitors or evaluates some projects: the monitoring desk is his."""
    return bool(
        organiser_org_ids(user)
        or regions_administered(user)
        or operator_org_ids(user)
        or public_council_seats(user)
        or evaluator_areas(user)
    )


@rules.predicate
def is_visit_side(user: Any, visit: MonitoringVisit | None) -> bool:
    if visit is None or not getattr(user, "is_authenticated", False):
        return False
    if visit.inspector_id == user.pk:
        return True
    if visit.organisation_id is not None and has_role_in(
        user, visit.organisation_id, *ORGANISER_ROLES
    ):
        return True
    return visit.council_id is not None and any(
        council == visit.council_id for council, _r in public_council_seats(user)
    )


@rules.predicate
def is_draft_visit(user: Any, visit: MonitoringVisit | None) -> bool:
    return visit is not None and visit.status == VisitStatus.DRAFT


@rules.predicate
def is_published_visit(user: Any, visit: MonitoringVisit | None) -> bool:
    return visit is not None and visit.status == VisitStatus.PUBLISHED


@rules.predicate
def is_visit_concerned(user: Any, visit: MonitoringVisit | None) -> bool:
    """The customer, the NGO's people and the regional administrator of the project."""
    if visit is None:
        return False
    contract = visit.contract
    return bool(
        is_organiser(user, contract)
        or is_contractor_member(user, contract)
        or is_region_overseer(user, contract)
    )


@rules.predicate
def is_visit_answerer(user: Any, visit: MonitoringVisit | None) -> bool:
    """An administrator of the NGO, on a published visit."""
    return (
        visit is not None
        and visit.status == VisitStatus.PUBLISHED
        and is_contractor_admin(user, visit.contract)
    )


def evaluation_opens(contract: Contract, today: dt.date | None = None) -> bool:
    """The evaluation of effectiveness: after completion, or once the end date has passed."""
    today = today or timezone.localdate()
    return contract.status == ContractStatus.COMPLETED or (
        contract.status == ContractStatus.ACTIVE and contract.end_date < today
    )


def evaluator_areas(user: Any) -> frozenset[int]:
    """The activity areas of the user's active entry in the expert register (cached)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, _EXPERT_ATTR, None)
    if cached is None:
        cached = frozenset(
            area
            for area in Expert.objects.filter(user=user, is_active=True).values_list(
                "areas", flat=True
            )
            if area is not None
        )
        setattr(user, _EXPERT_ATTR, cached)
    return cached


@rules.predicate
def is_council_expert(user: Any, contract: Contract | None) -> bool:
    """An active expert of the register for the project's area, not of the NGO."""
    return (
        contract is not None
        and contract.application.lot.area_id in evaluator_areas(user)
        and not _belongs_to_ngo(user, contract)
    )


@rules.predicate
def is_evaluation_open(user: Any, contract: Contract | None) -> bool:
    if contract is None or not evaluation_opens(contract):
        return False
    evaluation = getattr(contract, "evaluation", None)
    return evaluation is None or evaluation.status == EvaluationStatus.DRAFT


@rules.predicate
def is_evaluation_published(user: Any, contract: Contract | None) -> bool:
    evaluation = getattr(contract, "evaluation", None) if contract is not None else None
    return evaluation is not None and evaluation.status == EvaluationStatus.PUBLISHED


rules.add_perm("funding.monitor", may_monitor_somewhere)
rules.add_perm("funding.visit_contract", can_visit_contract)
rules.add_perm("funding.view_visit", is_published_visit | is_visit_side)
rules.add_perm(
    "funding.view_visit_internal", is_visit_side | (is_published_visit & is_visit_concerned)
)
rules.add_perm("funding.change_visit", is_visit_side & is_draft_visit)
rules.add_perm("funding.answer_finding", is_visit_answerer)
rules.add_perm("funding.evaluate_contract", (is_organiser | is_council_expert) & is_evaluation_open)
rules.add_perm("funding.publish_evaluation", is_organiser & is_evaluation_open)
rules.add_perm(
    "funding.view_evaluation", is_evaluation_published | is_organiser | is_council_expert
)


# --- end of monitoring and evaluation -------------------------------------------------------


# --- Back office (Django admin; see accounts/rules.py) ----------------------------------------
# The platform administrator reads funding's records in the back office, never an application's
# content nor an expert's scores (their ModelAdmins show metadata and history only; scores and
# assignments are not registered). He changes only: the expert register (through its services),
# a contract's public summary, and he removes a visit's photo (moderation). Everything else is
# read-only. Where `funding.view_<model>` is a rule of the site asked with an object, the
# ModelAdmin asks `funding.view_<model>_in_back_office` (accounts.admin_site.SiteRuleViewMixin).
rules.add_perm("funding", is_platform_admin)
for _model in ("competition", "application", "contract", "evaluation"):
    rules.add_perm(f"funding.view_{_model}_in_back_office", is_platform_admin)
for _model in (
    "programme",
    "criterion",
    "topic",
    "topiccomment",
    "topicstatuschange",
    "lot",
    "competitionstatuschange",
    "applicationstatuschange",
    "compliancefailure",
    "expertdraw",
    "decision",
    "decisionline",
    "contractindicator",
    "tranche",
    "contractamendment",
    "contractstatuschange",
    "report",
    "reportevidence",
    "reportindicatorvalue",
    "reportspending",
    "reportstatuschange",
    "monitoringvisit",
    "visitfinding",
    "visitphoto",
    "evaluationscore",
    "risksignal",
):
    rules.add_perm(f"funding.view_{_model}", is_platform_admin)
for _action in ("view", "add", "change"):
    rules.add_perm(f"funding.{_action}_expert", can_keep_register)
rules.add_perm("funding.change_contract", is_platform_admin)
rules.add_perm("funding.moderate_visit_photos", is_platform_admin)
