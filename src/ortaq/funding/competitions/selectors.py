"""Reads of funding: each starts from what the user may see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from ortaq.accounts.enums import Role
from ortaq.accounts.models import User
from ortaq.accounts.rules import user_roles
from ortaq.core.params import int_param, text_param
from ortaq.lib.money import mci_to_tenge
from ortaq.reference.selectors import mci_for_year
from ortaq.registry.enums import NgoStatus, ReportStatus, Verification
from ortaq.registry.models import AnnualReport, NgoProfile
from ortaq.registry.selectors import ngo_can_apply

from ..enums import (
    PUBLIC_COMPETITION_STATUSES,
    PUBLIC_CONTRACT_STATUSES,
    SENT_STATUSES,
    AmountUnit,
    AssignmentStatus,
    CompetitionStatus,
    DecisionStatus,
    TopicStatus,
)
from ..models import (
    Application,
    Assignment,
    Competition,
    Contract,
    Criterion,
    DecisionLine,
    Expert,
    Lot,
    Programme,
    Score,
    Topic,
)
from ..rules import ORGANISER_ROLES, organiser_org_ids
from ..scoring import Aggregate, CriterionSpec, aggregate

# --- NGO eligibility --------------------------------------------------------------------------


def ngo_eligibility(ngo: NgoProfile, *, today: dt.date | None = None) -> str | None:
    """Why the NGO may not apply now, or None when it may.

    The NGO-database condition (docs/domain.md §4): verified and active in the registry
    (`registry.selectors.ngo_can_apply`) and its report for the last year submitted or accepted.
    """
    today = today or timezone.localdate()
    if not ngo_can_apply(ngo):
        return _("Only a verified, active NGO may apply.")
    filed = AnnualReport.objects.filter(
        ngo=ngo,
        year=today.year - 1,
        status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED],
    ).exists()
    if not filed:
        return _(
            "The NGO is not in the NGO database for {year}: submit the yearly report first."
        ).format(year=today.year - 1)
    return None


def ngos_for_applying(*, user: Any) -> QuerySet[NgoProfile]:
    """The NGOs the user administers (he may apply for them)."""
    ids = [org for org, role, _r, _k in user_roles(user) if role == Role.ADMIN]
    return NgoProfile.objects.filter(organisation_id__in=ids).select_related("organisation")


# --- Programmes and competitions --------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    minimum: int | None
    maximum: int | None


def programme_limits(programme: Programme) -> Limits:
    """The programme's amount limits in tenge (MCI limits use the programme year's MCI)."""
    if programme.amount_unit == AmountUnit.TENGE:
        return Limits(programme.amount_min, programme.amount_max)
    mci = mci_for_year(programme.year)

    def convert(value: int | None) -> int | None:
        return None if value is None else mci_to_tenge(value, mci_value=mci)

    return Limits(convert(programme.amount_min), convert(programme.amount_max))


def programmes_of(*, user: Any) -> QuerySet[Programme]:
    return Programme.objects.filter(owner_id__in=organiser_org_ids(user)).select_related("owner")


def _competitions() -> QuerySet[Competition]:
    return Competition.objects.select_related("programme", "organiser", "organiser__region")


def competitions_public(params: Mapping[str, Any] | None = None) -> QuerySet[Competition]:
    """Announced and later competitions, newest first, with their lots' count and budget."""
    params = params or {}
    qs = (
        _competitions()
        .filter(status__in=PUBLIC_COMPETITION_STATUSES)
        .annotate(lot_count=Count("lots"), lot_budget=Sum("lots__budget_ceiling"))
    )
    if params.get("year"):
        qs = qs.filter(programme__year=params["year"])
    if params.get("kind"):
        qs = qs.filter(programme__kind=params["kind"])
    if params.get("status"):
        qs = qs.filter(status=params["status"])
    if params.get("region"):
        # National lots are open to the NGOs of every region, so they match any region.
        qs = qs.filter(Q(lots__region=params["region"]) | Q(lots__region__isnull=True)).distinct()
    if params.get("area"):
        qs = qs.filter(lots__area=params["area"]).distinct()
    return qs.order_by("-announced_at", "-id")


def competitions_organised_by(*, user: Any) -> QuerySet[Competition]:
    return (
        _competitions()
        .filter(organiser_id__in=organiser_org_ids(user))
        .annotate(lot_count=Count("lots", distinct=True))
        .order_by("-created_at", "-id")
    )


def competition_detail(*, pk: int) -> Competition:
    return _competitions().prefetch_related(lots_prefetch()).get(pk=pk)


def lots_prefetch() -> Prefetch[Any]:
    return Prefetch("lots", queryset=Lot.objects.select_related("region", "area", "topic"))


def open_lots_for(*, competition: Competition) -> QuerySet[Lot]:
    return competition.lots.select_related("region", "area")


def competition_is_open(competition: Competition, *, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        competition.status == CompetitionStatus.ANNOUNCED
        and competition.application_deadline is not None
        and now < competition.application_deadline
    )


# --- Applications -----------------------------------------------------------------------------


def _applications() -> QuerySet[Application]:
    return Application.objects.select_related(
        "lot__competition__programme", "lot__competition__organiser", "ngo__organisation", "region"
    )


def applications_of_user(*, user: Any) -> QuerySet[Application]:
    """The applications of the NGOs the user belongs to (member or administrator)."""
    ids = [org for org, role, _r, _k in user_roles(user) if role in (Role.ADMIN, Role.MEMBER)]
    return _applications().filter(ngo__organisation_id__in=ids).order_by("-updated_at", "-id")


def applications_for_organiser(
    *, user: Any, competition: Competition, params: Mapping[str, Any] | None = None
) -> QuerySet[Application]:
    """Applications sent to a competition the user organises (drafts stay the NGO's)."""
    params = params or {}
    if competition.organiser_id not in organiser_org_ids(user):
        return Application.objects.none()
    qs = _applications().filter(lot__competition=competition, status__in=SENT_STATUSES)
    if (lot := int_param(params, "lot")) is not None:
        qs = qs.filter(lot_id=lot)
    if status := text_param(params, "status"):
        qs = qs.filter(status=status)
    return qs.annotate(attachment_count=Count("attachments")).order_by("lot__number", "id")


def application_detail(*, pk: int) -> Application:
    return _applications().prefetch_related("indicators", "budget_lines", "attachments").get(pk=pk)


def application_history(application: Application) -> QuerySet[Any]:
    return application.status_changes.select_related("actor")


# --- Experts, assignments, scores -------------------------------------------------------------


def assignments_of(*, user: Any) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(expert__user=user)
        .select_related("application__lot__competition__programme", "application__lot__area")
        .order_by("-created_at", "-id")
    )


def expert_register_list(params: Mapping[str, Any] | None = None) -> QuerySet[Expert]:
    """The register with each expert's areas and how many assignments he has had."""
    params = params or {}
    qs = Expert.objects.select_related("user").prefetch_related("areas")
    if params.get("area"):
        qs = qs.filter(areas=params["area"])
    if params.get("q"):
        q = str(params["q"]).strip()
        qs = qs.filter(Q(user__email__icontains=q) | Q(user__full_name__icontains=q))
    if params.get("active") in ("1", "0"):
        qs = qs.filter(is_active=params["active"] == "1")
    return qs.annotate(assignment_count=Count("assignments", distinct=True)).order_by(
        "-is_active", "user__full_name", "user__email"
    )


def criteria_of(programme: Programme) -> list[Criterion]:
    return list(programme.criteria.all())


def specs(criteria: list[Criterion]) -> list[CriterionSpec]:
    return [CriterionSpec(id=c.pk, weight=c.weight, scale_max=c.scale_max) for c in criteria]


def application_aggregate(application: Application, criteria: list[Criterion]) -> Aggregate:
    """The aggregate of the scores of the experts who submitted theirs."""
    programme = application.lot.competition.programme
    rows = Score.objects.filter(
        assignment__application=application, assignment__status=AssignmentStatus.SUBMITTED
    ).values_list("assignment_id", "criterion_id", "value")
    experts: dict[int, dict[int, int | None]] = {}
    for assignment_id, criterion_id, value in rows:
        experts.setdefault(assignment_id, {})[criterion_id] = value
    return aggregate(
        specs(criteria),
        [experts[k] for k in sorted(experts)],
        method=programme.aggregation,
        margin=programme.divergence_margin,
    )


def competition_aggregates(
    competition: Competition, *, application_ids: Iterable[int] | None = None
) -> dict[int, Aggregate]:
    """Aggregates of every compliant application of a competition (or of those given, e.g.
    one page of a list), by application id."""
    programme = competition.programme
    criteria = criteria_of(programme)
    scores = Score.objects.filter(
        assignment__application__lot__competition=competition,
        assignment__status=AssignmentStatus.SUBMITTED,
    )
    if application_ids is not None:
        scores = scores.filter(assignment__application_id__in=list(application_ids))
    rows = scores.values_list(
        "assignment__application_id", "assignment_id", "criterion_id", "value"
    )
    by_app: dict[int, dict[int, dict[int, int | None]]] = {}
    for app_id, assignment_id, criterion_id, value in rows:
        by_app.setdefault(app_id, {}).setdefault(assignment_id, {})[criterion_id] = value
    return {
        app_id: aggregate(
            specs(criteria),
            [experts[k] for k in sorted(experts)],
            method=programme.aggregation,
            margin=programme.divergence_margin,
        )
        for app_id, experts in by_app.items()
    }


def organiser_people(organisation_id: int) -> QuerySet[User]:
    return User.objects.filter(
        memberships__organisation_id=organisation_id,
        memberships__role__in=ORGANISER_ROLES,
        memberships__is_active=True,
        is_active=True,
    ).distinct()


def ngo_admins_concerned_by(lots: Iterable[Lot]) -> QuerySet[User]:
    """Administrators of verified active NGOs that work where and on what the lots fund: the
    NGO's region is a lot's region (national NGOs, without a region, work in every region; a
    national lot, without a region, is for NGOs of every region) and its activity areas
    include that lot's area. One query."""
    pairs = {(lot.region_id, lot.area_id) for lot in lots}
    if not pairs:
        return User.objects.none()
    national_areas = {area for region, area in pairs if region is None}
    where = Q(memberships__organisation__region__isnull=True) & Q(
        memberships__organisation__ngo__activity_areas__in={area for _r, area in pairs}
    )
    if national_areas:
        where |= Q(memberships__organisation__ngo__activity_areas__in=national_areas)
    for region_id, area_id in pairs:
        if region_id is None:
            continue
        where |= Q(
            memberships__organisation__region_id=region_id,
            memberships__organisation__ngo__activity_areas=area_id,
        )
    return User.objects.filter(
        where,
        is_active=True,
        memberships__role=Role.ADMIN,
        memberships__is_active=True,
        memberships__organisation__ngo__verification=Verification.VERIFIED,
        memberships__organisation__ngo__status=NgoStatus.ACTIVE,
    ).distinct()


def ngo_people(organisation_id: int) -> QuerySet[User]:
    return User.objects.filter(
        memberships__organisation_id=organisation_id,
        memberships__role__in=[Role.ADMIN, Role.MEMBER],
        memberships__is_active=True,
        is_active=True,
    ).distinct()


# --- Results ----------------------------------------------------------------------------------


def published_results(competition: Competition) -> QuerySet[DecisionLine]:
    """Ranking with total scores of a published decision; individual scores are not here."""
    if not hasattr(competition, "decision") or (
        competition.decision.status != DecisionStatus.PUBLISHED
    ):
        return DecisionLine.objects.none()
    return (
        DecisionLine.objects.filter(decision=competition.decision)
        .select_related("application__lot", "application__ngo__organisation")
        .order_by("application__lot__number", "rank")
    )


def funded_totals(competition: Competition) -> dict[str, int]:
    lines = published_results(competition)
    # The aliases must not be field names: an alias "funded" would stand for the field in
    # the other aggregate's filter (Django resolves the earlier aggregate first).
    totals = lines.aggregate(
        funded_count=Count("pk", filter=Q(funded=True)),
        funded_amount=Sum("amount", filter=Q(funded=True)),
    )
    return {"funded": totals["funded_count"], "amount": totals["funded_amount"] or 0}


def topics_public(params: Mapping[str, Any] | None = None) -> QuerySet[Topic]:
    params = params or {}
    qs = (
        Topic.objects.exclude(status=TopicStatus.DRAFT)
        .select_related("owner", "area", "region")
        .annotate(
            support_count=Count("comments", filter=Q(comments__supports=True)),
            comment_count=Count("comments", filter=~Q(comments__text="")),
        )
    )
    if params.get("year"):
        qs = qs.filter(year=params["year"])
    if params.get("region"):
        qs = qs.filter(region=params["region"])
    return qs.order_by("-year", "id")


def topics_of(*, user: Any) -> QuerySet[Topic]:
    """The topics of the state bodies the user organises for, drafts included, with the
    comments still waiting for the body's answer."""
    return (
        Topic.objects.filter(owner_id__in=organiser_org_ids(user))
        .select_related("region")
        .annotate(
            comment_count=Count("comments", filter=~Q(comments__text="")),
            unanswered_count=Count(
                "comments", filter=~Q(comments__text="") & Q(comments__answer="")
            ),
        )
        .order_by("-year", "-id")
    )


@dataclass(frozen=True)
class FundingReceived:
    """One published award of an NGO, for the public NGO page of the registry."""

    competition_id: int
    competition_title: str
    programme_kind: str
    year: int
    amount: int
    project_id: int | None = None  # the public project page, once its contract is public

    def __str__(self) -> str:
        return f"{self.year} — {self.competition_title}"


def funding_received_by(organisation_id: int) -> list[FundingReceived]:
    """Published, funded decision lines of the NGO's applications, newest first; one query."""
    lines = (
        DecisionLine.objects.filter(
            funded=True,
            decision__status=DecisionStatus.PUBLISHED,
            application__ngo__organisation_id=organisation_id,
        )
        .select_related("application__lot__competition__programme")
        .annotate(project_id=_public_contract_of_application())
        .order_by("-application__lot__competition__programme__year", "-pk")
    )
    return [
        FundingReceived(
            competition_id=line.application.lot.competition_id,
            competition_title=line.application.lot.competition.title,
            programme_kind=line.application.lot.competition.programme.get_kind_display(),
            year=line.application.lot.competition.programme.year,
            amount=line.amount,
            project_id=line.project_id,
        )
        for line in lines
    ]


def funding_received_by_ngo(ngo: NgoProfile) -> list[FundingReceived]:
    """The "Funding received" panel of the registry's NGO page (registered in `apps.py`)."""
    return funding_received_by(ngo.organisation_id)


def _public_contract_of_application() -> Subquery:
    return Subquery(
        Contract.objects.filter(
            application=OuterRef("application"), status__in=PUBLIC_CONTRACT_STATUSES
        ).values("pk")[:1]
    )
