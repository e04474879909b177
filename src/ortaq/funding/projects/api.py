"""Public API of funded projects (/api/v1/projects/): the same selectors, filters and public
parts as the project pages (`projects/selectors.py`). Drafts, report narratives, spending,
evidence, review comments, checklists and people are never here.

- `/api/v1/projects/`: the list, filtered like the page (`q`, `region` — a code or
  `national` —, `year`, `kind`, `area`, `status`, `ngo`); a value it does not understand is a 400;
- `/api/v1/projects/<id>/`: one project with its targets, tranches, approved reports,
  published visits and published evaluation;
- `/api/v1/projects/map/`: number and amount of projects per region and national, for the
  map's filters (`year`, `kind`, `area`, `status`; others are ignored).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from ortaq.core.drf import plain_choice
from ortaq.core.params import int_param

from ..models import Contract
from . import selectors
from .filters import NATIONAL, ProjectFilter


class ProjectPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class ProjectSerializer(serializers.ModelSerializer):
    status = plain_choice("active, completed or terminated.")
    ngo_bin = serializers.CharField(source="ngo.organisation.bin", read_only=True)
    ngo_name_kk = serializers.CharField(source="ngo.organisation.name_kk", read_only=True)
    ngo_name_ru = serializers.CharField(source="ngo.organisation.name_ru", read_only=True)
    ngo_name_en = serializers.CharField(source="ngo.organisation.name_en", read_only=True)
    customer = serializers.IntegerField(source="organiser_id", read_only=True)
    customer_name = serializers.CharField(source="organiser.name_ru", read_only=True)
    region = serializers.CharField(
        source="region.code",
        read_only=True,
        allow_null=True,
        help_text="Region code; null for a national project.",
    )
    competition = serializers.IntegerField(source="application.lot.competition_id", read_only=True)
    lot_number = serializers.IntegerField(source="application.lot.number", read_only=True)
    programme_kind = serializers.CharField(
        source="application.lot.competition.programme.kind",
        read_only=True,
        help_text="social_order, state_grant, non_state_grant or award.",
    )
    programme_year = serializers.IntegerField(
        source="application.lot.competition.programme.year", read_only=True
    )
    area = serializers.CharField(source="application.lot.area.code", read_only=True)
    paid = serializers.IntegerField(read_only=True, help_text="Released tranches, ₸.")
    achievement = serializers.SerializerMethodField(
        help_text="Average achievement of the targets, % (each capped at 100); null before "
        "the first approved report."
    )

    class Meta:
        model = Contract
        fields = [
            "id", "number", "title", "status", "ngo", "ngo_bin", "ngo_name_kk", "ngo_name_ru",
            "ngo_name_en", "customer", "customer_name", "region", "competition", "lot_number",
            "programme_kind", "programme_year", "area", "amount", "paid", "achievement",
            "start_date", "end_date", "signed_on", "public_summary",
        ]  # fmt: skip

    # DRF's decimals are strings ("40.0"), and null before the first approved report.
    @extend_schema_field(serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True))
    def get_achievement(self, contract: Contract) -> str | None:
        """A string, like the other decimals of the API (no rounding by a float)."""
        value = selectors.project_achievement(contract)
        return None if value is None else str(value)


class TargetSerializer(serializers.Serializer):
    name = serializers.CharField(source="indicator.name")
    unit = serializers.CharField(source="indicator.unit")
    baseline = serializers.DecimalField(
        source="indicator.baseline", max_digits=14, decimal_places=2
    )
    target = serializers.DecimalField(source="indicator.target", max_digits=14, decimal_places=2)
    actual = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        allow_null=True,
        help_text="From the latest approved report.",
    )
    percent = serializers.DecimalField(
        max_digits=8, decimal_places=1, allow_null=True, help_text="Achievement, %."
    )


class PublicTrancheSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    amount = serializers.IntegerField()
    due_date = serializers.DateField()
    released = serializers.BooleanField()
    released_on = serializers.DateField(allow_null=True)
    after_report = serializers.IntegerField(
        allow_null=True, help_text="Number of the report to be approved first; null: advance."
    )


class PublicReportSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    kind = serializers.CharField(help_text="progress or final.")
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    beneficiaries = serializers.IntegerField()
    public_summary = serializers.CharField()
    approved_on = serializers.DateField(allow_null=True)


class FindingSerializer(serializers.Serializer):
    severity = serializers.CharField(help_text="note, minor or major.")
    text = serializers.CharField()
    answer = serializers.CharField(help_text="The NGO's answer.")
    answered_on = serializers.DateField(allow_null=True)


class PhotoSerializer(serializers.Serializer):
    url = serializers.SerializerMethodField()
    caption = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()

    def get_url(self, photo: selectors.PublicPhoto) -> str:
        from django.urls import reverse

        path = reverse("funding:project_photo", args=[photo.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class VisitSerializer(serializers.Serializer):
    visited_on = serializers.DateField()
    monitor_kind = serializers.CharField(help_text="state_body, operator or council.")
    monitor = serializers.CharField(help_text="The organisation or council that visited.")
    summary = serializers.CharField()
    recommendations = serializers.CharField()
    findings = FindingSerializer(many=True)
    photos = PhotoSerializer(many=True)


class ScoreSerializer(serializers.Serializer):
    criterion = serializers.CharField(help_text="relevance, plan, result, continuity or impact.")
    value = serializers.IntegerField()


class PublicEvaluationSerializer(serializers.Serializer):
    scores = ScoreSerializer(many=True)
    total = serializers.IntegerField()
    maximum = serializers.IntegerField()
    scale_max = serializers.IntegerField()
    conclusion = serializers.CharField()
    published_on = serializers.DateField(allow_null=True)


class ProjectDetailSerializer(serializers.Serializer):
    project = serializers.SerializerMethodField()
    targets = TargetSerializer(source="results", many=True)
    tranches = PublicTrancheSerializer(many=True)
    reports = PublicReportSerializer(many=True)
    visits = VisitSerializer(many=True)
    evaluation = PublicEvaluationSerializer(allow_null=True)

    @extend_schema_field(ProjectSerializer)
    def get_project(self, detail: selectors.ProjectDetail) -> dict[str, Any]:
        contract = detail.contract
        contract.paid = detail.paid  # type: ignore[attr-defined]
        return ProjectSerializer(contract, context=self.context).data

    def to_representation(self, instance: selectors.ProjectDetail) -> dict[str, Any]:
        data = super().to_representation(instance)
        project = data.pop("project")
        return {**project, **data}


@extend_schema_serializer(component_name="ProjectDetail")
class ProjectDetailSchemaSerializer(ProjectSerializer):
    """The schema of what ProjectDetailSerializer returns: the list's fields of the project,
    flat, and its public parts (the schema only: the response is built by the one above)."""

    targets = TargetSerializer(many=True)
    tranches = PublicTrancheSerializer(many=True)
    reports = PublicReportSerializer(many=True)
    visits = VisitSerializer(many=True)
    evaluation = PublicEvaluationSerializer(allow_null=True)

    class Meta(ProjectSerializer.Meta):
        fields = [
            *ProjectSerializer.Meta.fields, "targets", "tranches", "reports", "visits", "evaluation"
        ]  # fmt: skip


class MapRowSerializer(serializers.Serializer):
    region = serializers.CharField(allow_null=True, help_text="Region code; null: national.")
    kato = serializers.CharField(allow_null=True)
    name_kk = serializers.CharField()
    name_ru = serializers.CharField()
    name_en = serializers.CharField()
    projects = serializers.IntegerField()
    amount = serializers.IntegerField()


@extend_schema_view(
    list=extend_schema(summary="Funded projects", description="Filters as on the list page."),
    retrieve=extend_schema(summary="One funded project", responses=ProjectDetailSchemaSerializer),
)
class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    """Funded projects whose contract is in force, completed or terminated."""

    permission_classes = [AllowAny]
    pagination_class = ProjectPagination
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter

    def get_queryset(self) -> QuerySet[Contract]:
        return selectors.project_list()

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        pk = int_param(kwargs, "pk")
        if pk is None:
            raise Http404
        try:
            detail = selectors.project_detail(pk=pk)
        except Contract.DoesNotExist as error:
            raise Http404 from error
        return Response(ProjectDetailSerializer(detail, context={"request": request}).data)

    @extend_schema(
        summary="Projects by region",
        description="Number and amount of the public projects per region and national "
        "(region null), for the filters year, kind, area and status.",
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT),
            OpenApiParameter("kind", OpenApiTypes.STR),
            OpenApiParameter("area", OpenApiTypes.STR),
            OpenApiParameter("status", OpenApiTypes.STR),
        ],
        responses=MapRowSerializer(many=True),
        filters=False,
    )
    @action(detail=False, url_path="map", url_name="map", filter_backends=[], pagination_class=None)
    def map(self, request: Request) -> Response:
        figures = selectors.project_map(request.query_params)
        rows = [
            {
                "region": None if tile.code == NATIONAL else tile.code,
                "kato": tile.kato or None,
                "name_kk": tile.name_kk,
                "name_ru": tile.name_ru,
                "name_en": tile.name_en,
                "projects": tile.projects,
                "amount": tile.amount,
            }
            for tile in figures.tiles
        ]
        return Response(MapRowSerializer(rows, many=True).data)


def register(router: BaseRouter) -> None:
    router.register("projects", ProjectViewSet, basename="project")
