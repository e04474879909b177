"""Read-only API of risk signals (/api/v1/risk-signals/): the same selector and filters as the
page, so a person sees exactly the signals he sees there; nobody else gets any."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import permissions, serializers, viewsets
from rest_framework.routers import BaseRouter

from ortaq.accounts.models import Organisation
from ortaq.core.drf import plain_choice
from ortaq.reference.models import Region

from ..competitions.api import Pagination
from ..models import RiskSignal
from .selectors import RiskFilter, can_view_risks, risk_signals_visible_to


class CanViewRisks(permissions.BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return can_view_risks(request.user)


class RiskSignalSerializer(serializers.ModelSerializer):
    kind = plain_choice(
        "double_funding, wholesaler, reporting, region_concentration or ngo_concentration."
    )
    status = plain_choice("open, confirmed or dismissed.")
    ngo_bin = serializers.CharField(source="ngo.organisation.bin", read_only=True, default=None)
    ngo_name = serializers.CharField(
        source="ngo.organisation.name_ru", read_only=True, default=None
    )
    region = serializers.CharField(source="region.code", read_only=True, default=None)
    regions = serializers.SlugRelatedField[Region](slug_field="code", many=True, read_only=True)
    organisers = serializers.PrimaryKeyRelatedField[Organisation](many=True, read_only=True)
    evidence = serializers.JSONField(read_only=True)

    class Meta:
        model = RiskSignal
        fields = [
            "id", "kind", "fingerprint", "ngo", "ngo_bin", "ngo_name", "region", "regions",
            "organisers", "year", "strength", "evidence", "status", "note", "reviewed_at",
            "detected_at", "last_seen_at",
        ]  # fmt: skip


class RiskSignalViewSet(viewsets.ReadOnlyModelViewSet):
    """Risk signals the signed-in organiser or regional administrator may see, with their
    evidence (filters: kind, status, region code, year)."""

    permission_classes = [permissions.IsAuthenticated, CanViewRisks]
    pagination_class = Pagination
    serializer_class = RiskSignalSerializer
    filterset_class = RiskFilter

    def get_queryset(self) -> QuerySet[RiskSignal]:
        return risk_signals_visible_to(user=self.request.user).prefetch_related(
            "organisers", "regions"
        )


def register(router: BaseRouter) -> None:
    router.register("risk-signals", RiskSignalViewSet, basename="risk-signal")
