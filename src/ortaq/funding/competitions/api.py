"""Read-only API of funding (/api/v1/funding-...): the same selectors and rules as the pages.

- programmes, competitions and lots: public (drafts are never listed);
- applications: the applicant's own only — people (administrators and members) of the NGO
  that applied (`selectors.applications_of_user`), never another NGO's;
- results: the ranking of published decisions with total scores; each expert's individual
  scores are never here.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from rest_framework import serializers, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.routers import BaseRouter

from ortaq.core.drf import plain_choice
from ortaq.core.params import int_param
from ortaq.reference.models import ActivityArea

from ..enums import PUBLIC_COMPETITION_STATUSES, DecisionStatus
from ..models import (
    Application,
    ApplicationStatusChange,
    BudgetLine,
    Competition,
    Criterion,
    DecisionLine,
    Indicator,
    Lot,
    Programme,
)
from . import selectors


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class FundingCriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["code", "name_kk", "name_ru", "name_en", "weight", "scale_max"]


class ProgrammeSerializer(serializers.ModelSerializer):
    kind = plain_choice("social_order, state_grant, non_state_grant or award.")
    amount_unit = plain_choice("tenge or mci.")
    aggregation = plain_choice("mean (weighted) or median.")
    owner_name = serializers.CharField(source="owner.name_ru", read_only=True)
    activity_areas = serializers.SlugRelatedField[ActivityArea](
        slug_field="code", many=True, read_only=True
    )
    criteria = FundingCriterionSerializer(many=True, read_only=True)

    class Meta:
        model = Programme
        fields = [
            "id", "kind", "owner", "owner_name", "year", "title_kk", "title_ru", "title_en",
            "budget", "activity_areas", "amount_unit", "amount_min", "amount_max",
            "application_days", "compliance_days", "evaluation_days",
            "institutional_cap_percent", "aggregation", "divergence_margin", "pass_score",
            "experts_per_area", "reserves_per_area", "blind_review", "second_approval",
            "criteria",
        ]  # fmt: skip


class FundingLotSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", read_only=True, allow_null=True)
    area = serializers.CharField(source="area.code", read_only=True)

    class Meta:
        model = Lot
        fields = [
            "id", "competition", "number", "title_kk", "title_ru", "title_en", "region",
            "area", "budget_ceiling", "topic",
        ]  # fmt: skip


class CompetitionSerializer(serializers.ModelSerializer):
    status = plain_choice("announced, compliance, evaluation, decision, published or cancelled.")
    organiser_name = serializers.CharField(source="organiser.name_ru", read_only=True)
    lots = FundingLotSerializer(many=True, read_only=True)

    class Meta:
        model = Competition
        fields = [
            "id", "programme", "organiser", "organiser_name", "title_kk", "title_ru",
            "title_en", "description_kk", "description_ru", "description_en", "status",
            "time_zone", "announced_at", "application_deadline", "compliance_due",
            "evaluation_due", "published_at", "lots",
        ]  # fmt: skip


class ApplicationStatusChangeSerializer(serializers.ModelSerializer):
    from_status = plain_choice("Status before.")
    to_status = plain_choice("Status after.")

    # The API keeps its field name; the column is the shared status-change `note`.
    reason = serializers.CharField(source="note", read_only=True)

    class Meta:
        model = ApplicationStatusChange
        fields = ["from_status", "to_status", "reason", "created_at"]


class ApplicationBudgetLineSerializer(serializers.ModelSerializer):
    kind = plain_choice("project or institutional.")

    class Meta:
        model = BudgetLine
        fields = ["item", "kind", "amount"]


class ApplicationIndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["name", "unit", "baseline", "target"]


class ApplicationSerializer(serializers.ModelSerializer):
    status = plain_choice(
        "draft, submitted, withdrawn, compliant, non_compliant, funded or not_funded."
    )
    competition = serializers.IntegerField(source="lot.competition_id", read_only=True)
    ngo_bin = serializers.CharField(source="ngo.organisation.bin", read_only=True)
    region = serializers.CharField(source="region.code", read_only=True)
    status_changes = ApplicationStatusChangeSerializer(many=True, read_only=True)
    budget_lines = ApplicationBudgetLineSerializer(many=True, read_only=True)
    indicators = ApplicationIndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = Application
        fields = [
            "id", "reference", "competition", "lot", "ngo", "ngo_bin", "status", "title",
            "description", "target_group", "reach", "region", "team", "requested_amount",
            "institutional_amount", "submitted_at", "updated_at", "budget_lines",
            "indicators", "status_changes",
        ]  # fmt: skip


class FundingResultSerializer(serializers.ModelSerializer):
    competition = serializers.IntegerField(source="decision.competition_id", read_only=True)
    lot = serializers.IntegerField(source="application.lot_id", read_only=True)
    lot_number = serializers.IntegerField(source="application.lot.number", read_only=True)
    application_title = serializers.CharField(source="application.title", read_only=True)
    ngo_bin = serializers.CharField(source="application.ngo.organisation.bin", read_only=True)
    ngo_name = serializers.CharField(source="application.ngo.organisation.name_ru", read_only=True)
    skip_reason = plain_choice("Empty when funded; else below_threshold, no_score or over_budget.")

    class Meta:
        model = DecisionLine
        fields = [
            "id", "competition", "lot", "lot_number", "rank", "application", "application_title",
            "ngo_bin", "ngo_name", "total_score", "divergent", "funded", "amount",
            "skip_reason",
        ]  # fmt: skip


class ProgrammeViewSet(viewsets.ReadOnlyModelViewSet):
    """Funding programmes with their criteria and limits."""

    permission_classes = [AllowAny]
    pagination_class = Pagination
    serializer_class = ProgrammeSerializer
    filterset_fields = ["kind", "year", "owner"]

    def get_queryset(self) -> QuerySet[Programme]:
        return (
            Programme.objects.select_related("owner")
            .prefetch_related("activity_areas", "criteria")
            .order_by("-year", "id")
        )


class CompetitionViewSet(viewsets.ReadOnlyModelViewSet):
    """Announced and later competitions with their lots (as the public list)."""

    permission_classes = [AllowAny]
    pagination_class = Pagination
    serializer_class = CompetitionSerializer
    filterset_fields = ["programme", "organiser"]

    def get_queryset(self) -> QuerySet[Competition]:
        return (
            Competition.objects.filter(status__in=PUBLIC_COMPETITION_STATUSES)
            .select_related("organiser")
            .prefetch_related(selectors.lots_prefetch())
            .order_by("-announced_at", "-id")
        )


class LotViewSet(viewsets.ReadOnlyModelViewSet):
    """Lots of the public competitions."""

    permission_classes = [AllowAny]
    pagination_class = Pagination
    serializer_class = FundingLotSerializer
    filterset_fields = ["competition"]

    def get_queryset(self) -> QuerySet[Lot]:
        return (
            Lot.objects.filter(competition__status__in=PUBLIC_COMPETITION_STATUSES)
            .select_related("region", "area")
            .order_by("competition", "number")
        )


class ApplicationViewSet(viewsets.ReadOnlyModelViewSet):
    """The applications of the NGOs the signed-in person belongs to; nobody else's."""

    permission_classes = [IsAuthenticated]
    pagination_class = Pagination
    serializer_class = ApplicationSerializer
    filterset_fields = ["lot", "status"]

    def get_queryset(self) -> QuerySet[Application]:
        return (
            selectors.applications_of_user(user=self.request.user)
            .select_related("lot")
            .prefetch_related(
                "budget_lines",
                "indicators",
                Prefetch("status_changes", queryset=ApplicationStatusChange.objects.all()),
            )
        )


class ResultViewSet(viewsets.ReadOnlyModelViewSet):
    """Published results: rank, total score, funded or why not (no individual scores)."""

    permission_classes = [AllowAny]
    pagination_class = Pagination
    serializer_class = FundingResultSerializer
    filterset_fields = ["funded"]

    def get_queryset(self) -> QuerySet[DecisionLine]:
        qs = DecisionLine.objects.filter(decision__status=DecisionStatus.PUBLISHED).select_related(
            "decision", "application__lot", "application__ngo__organisation"
        )
        competition = int_param(self.request.query_params, "competition")
        if competition is not None:
            qs = qs.filter(decision__competition_id=competition)
        return qs.order_by("decision__competition_id", "application__lot__number", "rank")


def register(router: BaseRouter) -> None:
    router.register("funding-programmes", ProgrammeViewSet, basename="funding-programme")
    router.register("competitions", CompetitionViewSet, basename="competition")
    router.register("lots", LotViewSet, basename="lot")
    router.register("applications", ApplicationViewSet, basename="application")
    router.register("results", ResultViewSet, basename="result")
