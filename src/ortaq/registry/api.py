"""Read-only public API of the NGO registry (/api/v1/ngos/): the directory's list and NGO pages.

The list is `selectors.ngo_directory_queryset`: the same search (`?q=`), filters and sort as
the page. Fields are what the public NGO page shows, no more (founders are not published).
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
    extend_schema_view,
)
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from ortaq.lib.identifiers import is_valid_bin
from ortaq.reference.models import ActivityArea

from . import selectors
from .filters import NgoFilter
from .models import NgoProfile, NgoStatusChange


class NgoPagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200


class AreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActivityArea
        fields = ["code", "name_kk", "name_ru", "name_en"]


class StatusChangeSerializer(serializers.ModelSerializer):
    # Plain strings: the values are those of the NGO's `status` (one enum in the schema).
    from_status = serializers.CharField(read_only=True, help_text="Status before (empty: none).")
    to_status = serializers.CharField(read_only=True, help_text="Status after.")

    # The API keeps its field name; the column is the shared status-change `note`.
    reason = serializers.CharField(source="note", read_only=True)

    class Meta:
        model = NgoStatusChange
        fields = ["from_status", "to_status", "changed_on", "reason"]


class NgoListSerializer(serializers.ModelSerializer):
    bin = serializers.CharField(source="organisation.bin", read_only=True)
    org_id = serializers.SerializerMethodField(help_text="Identifier for open data (org-id.guide).")
    name_kk = serializers.CharField(source="organisation.name_kk", read_only=True)
    name_ru = serializers.CharField(source="organisation.name_ru", read_only=True)
    name_en = serializers.CharField(source="organisation.name_en", read_only=True)
    region = serializers.CharField(
        source="organisation.region.code", read_only=True, allow_null=True
    )
    legal_form = serializers.CharField(source="legal_form.code", read_only=True)
    activity_areas = serializers.SlugRelatedField[ActivityArea](
        slug_field="code", many=True, read_only=True
    )

    class Meta:
        model = NgoProfile
        fields = [
            "id",
            "bin",
            "org_id",
            "name_kk",
            "name_ru",
            "name_en",
            "short_name_kk",
            "short_name_ru",
            "short_name_en",
            "legal_form",
            "region",
            "district",
            "district_kato",
            "settlement",
            "status",
            "status_since",
            "registration_year",
            "verification",
            "activity_areas",
            "is_childrens",
            "is_youth",
            "is_disability",
            "is_ethnocultural",
            "is_volunteer",
        ]

    def get_org_id(self, ngo: NgoProfile) -> str:
        return f"KZ-BIN-{ngo.organisation.bin}" if ngo.organisation.bin else ""


class UmbrellaSerializer(serializers.Serializer):
    name_kk = serializers.CharField()
    name_ru = serializers.CharField()
    name_en = serializers.CharField()
    bin = serializers.CharField()


class ReportFiledSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    status = serializers.CharField()
    submitted_late = serializers.BooleanField()


class NgoDetailSerializer(NgoListSerializer):
    activity_areas = AreaSerializer(many=True, read_only=True)  # type: ignore[assignment]
    umbrella_associations = UmbrellaSerializer(many=True, read_only=True)
    status_changes = StatusChangeSerializer(many=True, read_only=True)
    reports_filed = serializers.SerializerMethodField()
    can_apply_for_funding = serializers.SerializerMethodField()

    class Meta(NgoListSerializer.Meta):
        fields = [
            *NgoListSerializer.Meta.fields,
            "address",
            "phone",
            "email",
            "website",
            "leader_name",
            "leader_position",
            "target_groups",
            "description_kk",
            "description_ru",
            "description_en",
            "verified_at",
            "umbrella_associations",
            "status_changes",
            "reports_filed",
            "can_apply_for_funding",
        ]

    @extend_schema_field(ReportFiledSerializer(many=True))
    def get_reports_filed(self, ngo: NgoProfile) -> list[dict[str, Any]]:
        return [
            {"year": r.year, "status": r.status, "submitted_late": r.submitted_late}
            for r in selectors.ngo_reports_filed(ngo)
        ]

    def get_can_apply_for_funding(self, ngo: NgoProfile) -> bool:
        return selectors.ngo_can_apply(ngo)


@extend_schema_view(
    list=extend_schema(
        summary="NGOs of the registry",
        description="Search (`q`: any word form in Kazakh, Russian or English) and filters, "
        "as on the directory page.",
    ),
    retrieve=extend_schema(summary="One NGO"),
)
class NgoViewSet(viewsets.ReadOnlyModelViewSet):
    """The public NGO registry."""

    permission_classes = [AllowAny]
    pagination_class = NgoPagination
    filterset_class = NgoFilter

    def get_queryset(self) -> QuerySet[NgoProfile]:
        if self.action == "list":
            return selectors.ngo_public_queryset()
        return selectors.ngo_detail_queryset()

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        return NgoListSerializer if self.action == "list" else NgoDetailSerializer

    @extend_schema(
        summary="One NGO by its BIN",
        parameters=[OpenApiParameter("bin", OpenApiTypes.STR, OpenApiParameter.PATH)],
        responses=NgoDetailSerializer,
        filters=False,
    )
    @action(detail=False, url_path=r"bin/(?P<bin>[^/.]+)", url_name="by-bin", filter_backends=[])
    def by_bin(self, request: Request, bin: str) -> Response:
        if not is_valid_bin(bin):
            raise Http404
        try:
            ngo = selectors.ngo_get_by_bin(bin=bin)
        except NgoProfile.DoesNotExist as error:
            raise Http404 from error
        return Response(NgoDetailSerializer(ngo, context=self.get_serializer_context()).data)
