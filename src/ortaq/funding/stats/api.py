"""Regional funding statistics in the API (/api/v1/stats/funding/): the figures of the page
/<lang>/stats/funding/ for the same filters (?year=&region=&area=&body=&kind=, ids as in
/api/v1/regions/ and /api/v1/activity-areas/), from the same cached selector. A bad filter is
a 400 with the reason, not an empty answer."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from . import selectors
from .forms import FundingStatsFilterForm
from .selectors import FundingFigures, FundingStatistics


def _decimal(help_text: str) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        coerce_to_string=False,
        allow_null=True,
        help_text=help_text,
    )


class FundingFiguresSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        allow_null=True, help_text="Id of the region, area or body; the year."
    )
    code = serializers.CharField(
        help_text="KATO code of the region, code of the area, BIN of the body, the year."
    )
    name = serializers.CharField(help_text="Name in the language of the request.")
    projects = serializers.IntegerField(help_text="Funded projects.")
    amount = serializers.IntegerField(help_text="Amount of the published decisions, ₸.")
    ngos = serializers.IntegerField(help_text="Distinct NGOs funded.")
    active_ngos = serializers.IntegerField(
        allow_null=True, help_text="Active NGOs registered (regions and the total only)."
    )
    active_ngos_funded = serializers.IntegerField(
        allow_null=True, help_text="Of the active NGOs registered, those with a funded project."
    )
    ngo_share_percent = _decimal("Active NGOs funded per active NGO registered, %.")
    average_score = _decimal("Mean total score of the funded projects.")
    indicators_achieved_percent = _decimal("Mean achievement of the contracts' targets, %.")
    contracts_with_approved_report = serializers.IntegerField()
    evaluation_mean = _decimal("Mean total of the published evaluations.")
    evaluation_out_of = _decimal("Mean highest possible total (25 on the 0–5 scale).")
    evaluation_percent = _decimal("Mean total per highest total, %.")
    evaluations = serializers.IntegerField(help_text="Published evaluations.")


class FundingFiltersSerializer(serializers.Serializer):
    year = serializers.IntegerField(allow_null=True)
    region = serializers.CharField(allow_null=True, help_text="KATO code.")
    area = serializers.CharField(allow_null=True, help_text="Activity area code.")
    body = serializers.IntegerField(allow_null=True, help_text="Organisation id.")
    kind = serializers.CharField(allow_blank=True)


class FundingStatisticsSerializer(serializers.Serializer):
    filters = FundingFiltersSerializer()
    total = FundingFiguresSerializer()
    regions = FundingFiguresSerializer(many=True)
    years = FundingFiguresSerializer(many=True)
    areas = FundingFiguresSerializer(many=True)
    bodies = FundingFiguresSerializer(many=True)


def _row(breakdown: str | None, figures: FundingFigures) -> dict[str, Any]:
    key = figures.key
    if breakdown is None:
        ident, code, name = None, "", _("Total")
    elif breakdown == "year":
        ident, code, name = key, str(key), str(key)
    elif breakdown == "body":
        ident, code, name = key.pk, key.bin, key.name
    else:
        ident, code, name = key.pk, key.code, key.name
    return {
        "id": ident,
        "code": code,
        "name": name,
        "projects": figures.projects,
        "amount": figures.amount,
        "ngos": figures.ngos,
        "active_ngos": figures.active_ngos,
        "active_ngos_funded": figures.active_funded if figures.active_ngos is not None else None,
        "ngo_share_percent": figures.ngo_share,
        "average_score": figures.average_score,
        "indicators_achieved_percent": figures.achievement,
        "contracts_with_approved_report": figures.achieved,
        "evaluation_mean": figures.evaluation_mean,
        "evaluation_out_of": figures.evaluation_out_of,
        "evaluation_percent": figures.evaluation_percent,
        "evaluations": figures.evaluated,
    }


def statistics_data(stats: FundingStatistics) -> dict[str, Any]:
    filters = stats.filters
    return {
        "filters": {
            "year": filters.year,
            "region": filters.region.code if filters.region else None,
            "area": filters.area.code if filters.area else None,
            "body": filters.body.pk if filters.body else None,
            "kind": filters.kind,
        },
        "total": _row(None, stats.total),
        "regions": [_row("region", f) for f in stats.regions],
        "years": [_row("year", f) for f in stats.years],
        "areas": [_row("area", f) for f in stats.areas],
        "bodies": [_row("body", f) for f in stats.bodies],
    }


_FILTERS = [
    OpenApiParameter("year", OpenApiTypes.INT, description="Programme year."),
    OpenApiParameter("region", OpenApiTypes.INT, description="Region id (application's region)."),
    OpenApiParameter("area", OpenApiTypes.INT, description="Activity area id (the lot's)."),
    OpenApiParameter("body", OpenApiTypes.INT, description="Organisation id of the organiser."),
    OpenApiParameter(
        "kind",
        OpenApiTypes.STR,
        description="social_order, state_grant, non_state_grant or award.",
    ),
]


class _OneObjectSchema(AutoSchema):
    """The statistics are one object, though served by the viewset's `list` action."""

    def _is_list_view(self, serializer: Any = None) -> bool:
        return False


class FundingStatisticsViewSet(viewsets.ViewSet):
    """Regional funding statistics: funded projects, amounts, share of NGOs funded, average
    score, indicators achieved and evaluations, per region, year, activity area and body."""

    permission_classes = [AllowAny]
    schema = _OneObjectSchema()

    @extend_schema(parameters=_FILTERS, responses=FundingStatisticsSerializer)
    def list(self, request: Request) -> Response:
        form = FundingStatsFilterForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(
                {name: [str(e) for e in errors] for name, errors in form.errors.items()}
            )
        stats = selectors.funding_statistics_cached(filters=form.filters())
        return Response(FundingStatisticsSerializer(statistics_data(stats)).data)


def register(router: BaseRouter) -> None:
    router.register("stats/funding", FundingStatisticsViewSet, basename="funding-stats")
