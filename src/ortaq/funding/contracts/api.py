"""API of contracts (/api/v1/contracts/, /api/v1/tranches/): the same visibility, FilterSet and
services as the pages.

- contracts and their tranches: read by whoever may read the contract in full (the customer,
  the NGO's people, the regional administrator of the project's region, the platform
  administrator); nobody else sees them (404);
- POST /api/v1/tranches/{id}/release/ {"payment_reference": "..."}: the customer only (403 for
  the others who see the tranche), through `contracts/services.tranche_release`; a refusal
  (the report is not approved yet, the contract is not in force...) answers 400 with the
  message.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from ortaq.accounts.actors import acting_user
from ortaq.core.drf import plain_choice
from ortaq.core.errors import DomainError

from ..competitions.api import Pagination
from ..models import (
    Contract,
    ContractAmendment,
    ContractIndicator,
    ContractStatusChange,
    Report,
    Tranche,
)
from . import selectors, services


class ContractIndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContractIndicator
        fields = ["position", "name", "unit", "baseline", "target"]


class ContractReportSerializer(serializers.ModelSerializer):
    kind = plain_choice("progress or final.")
    status = plain_choice("draft, submitted, returned or approved.")

    class Meta:
        model = Report
        fields = ["id", "number", "kind", "period_start", "period_end", "due_date", "status"]


class TrancheSerializer(serializers.ModelSerializer):
    status = plain_choice("planned or released.")
    report_number = serializers.IntegerField(
        source="report.number", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Tranche
        fields = [
            "id", "contract", "number", "amount", "due_date", "report", "report_number",
            "status", "released_at", "payment_reference",
        ]  # fmt: skip


class ContractAmendmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContractAmendment
        fields = ["number", "reason", "changes", "created_at"]


class ContractStatusChangeSerializer(serializers.ModelSerializer):
    from_status = plain_choice("Status before.")
    to_status = plain_choice("Status after.")

    # The API keeps its field name; the column is the shared status-change `note`.
    reason = serializers.CharField(source="note", read_only=True)

    class Meta:
        model = ContractStatusChange
        fields = ["from_status", "to_status", "reason", "created_at"]


class ContractSerializer(serializers.ModelSerializer):
    status = plain_choice("draft, active, completed or terminated.")
    organiser_name = serializers.CharField(source="organiser.name_ru", read_only=True)
    ngo_bin = serializers.CharField(source="ngo.organisation.bin", read_only=True)
    ngo_name = serializers.CharField(source="ngo.organisation.name_ru", read_only=True)
    region = serializers.CharField(
        source="region.code", read_only=True, allow_null=True, default=None
    )
    competition = serializers.IntegerField(source="application.lot.competition_id", read_only=True)
    programme_kind = serializers.CharField(
        source="application.lot.competition.programme.kind", read_only=True
    )
    year = serializers.IntegerField(
        source="application.lot.competition.programme.year", read_only=True
    )
    indicators = ContractIndicatorSerializer(many=True, read_only=True)
    reports = ContractReportSerializer(many=True, read_only=True)
    tranches = TrancheSerializer(many=True, read_only=True)
    amendments = ContractAmendmentSerializer(many=True, read_only=True)
    status_changes = ContractStatusChangeSerializer(many=True, read_only=True)

    class Meta:
        model = Contract
        fields = [
            "id", "number", "application", "competition", "programme_kind", "year",
            "organiser", "organiser_name", "ngo", "ngo_bin", "ngo_name", "region", "title",
            "amount", "start_date", "end_date", "signed_on", "status", "indicators",
            "reports", "tranches", "amendments", "status_changes",
        ]  # fmt: skip


class ContractViewSet(viewsets.ReadOnlyModelViewSet):
    """Contracts the signed-in person may read, with targets, schedule and amendments;
    filters: status, year, region (KATO code), kind (programme kind), q (number, title, NGO
    name or BIN)."""

    permission_classes = [IsAuthenticated]
    pagination_class = Pagination
    serializer_class = ContractSerializer
    filterset_class = selectors.ContractFilter

    def get_queryset(self) -> QuerySet[Contract]:
        return selectors.contracts_visible_to(user=self.request.user).prefetch_related(
            "indicators",
            Prefetch("reports", queryset=Report.objects.order_by("number")),
            Prefetch("tranches", queryset=Tranche.objects.select_related("report")),
            "amendments",
            "status_changes",
        )


class TrancheViewSet(viewsets.ReadOnlyModelViewSet):
    """Tranches of the contracts the signed-in person may read; the customer releases them."""

    permission_classes = [IsAuthenticated]
    pagination_class = Pagination
    serializer_class = TrancheSerializer
    filterset_fields = ["contract", "status"]

    def get_queryset(self) -> QuerySet[Tranche]:
        visible = selectors.contracts_visible_to(user=self.request.user)
        return (
            Tranche.objects.filter(contract__in=visible.values("pk"))
            .select_related("report", "contract__ngo__organisation")
            .order_by("contract_id", "number")
        )

    @extend_schema(
        request=inline_serializer(
            "TrancheRelease", {"payment_reference": serializers.CharField(max_length=60)}
        ),
        responses={
            200: TrancheSerializer,
            400: OpenApiResponse(description="Refused, with the reason in `detail`."),
            403: OpenApiResponse(description="Only the customer releases tranches."),
        },
    )
    @action(detail=True, methods=["post"])
    def release(self, request: Request, pk: Any = None) -> Response:
        """Release the tranche with the number of its payment order: the customer only, and
        only once the contract is in force and the tranche's report (if any) is approved."""
        tranche = self.get_object()
        if not rules.has_perm("funding.release_tranche", request.user, tranche.contract):
            raise PermissionDenied(_("Only the customer may do this."))
        try:
            tranche = services.tranche_release(
                actor=acting_user(request),
                tranche=tranche,
                payment_reference=str(request.data.get("payment_reference", "")),
            )
        except DomainError as exc:
            body = {"detail": str(exc.message)}
            if exc.field:
                body["field"] = exc.field
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return Response(TrancheSerializer(tranche).data)


def register(router: BaseRouter) -> None:
    router.register("contracts", ContractViewSet, basename="contract")
    router.register("tranches", TrancheViewSet, basename="tranche")
