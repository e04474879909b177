"""Project reports in the API (/api/v1/reports/): the same visibility, filters and services as
the pages (reports/selectors.py, filters.py, services.py).

- list and detail: the reports the signed-in person may see, with the values against the
  targets, the spending by budget line, the evidence (its metadata) and the status history;
- `POST …/{id}/submit/`: the NGO's administrator sends the report;
- `POST …/{id}/approve/` and `POST …/{id}/return/` (with a comment): the customer reviews it.

A refusal of the service answers 400 with its message (and the field it concerns); a person
who may see the report but not act on it gets 403; a report he may not see is 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers, viewsets
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
    Report,
    ReportEvidence,
    ReportIndicatorValue,
    ReportSpending,
    ReportStatusChange,
)
from ..rules import is_contractor_admin, organiser_org_ids
from . import selectors, services
from .filters import ReportFilter


class ReportValueSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="indicator.name", read_only=True)
    unit = serializers.CharField(source="indicator.unit", read_only=True)
    baseline = serializers.DecimalField(
        source="indicator.baseline", max_digits=14, decimal_places=2, read_only=True
    )
    target = serializers.DecimalField(
        source="indicator.target", max_digits=14, decimal_places=2, read_only=True
    )

    class Meta:
        model = ReportIndicatorValue
        fields = ["indicator", "name", "unit", "baseline", "target", "actual", "comment"]


class ReportSpendingSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="budget_line.item", read_only=True)
    amount = serializers.IntegerField(source="budget_line.amount", read_only=True)

    class Meta:
        model = ReportSpending
        fields = ["budget_line", "item", "amount", "spent", "comment"]


class ReportEvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportEvidence
        fields = ["id", "original_name", "content_type", "size", "is_photo", "caption"]


class ReportStatusChangeSerializer(serializers.ModelSerializer):
    from_status = plain_choice("Status before.")
    to_status = plain_choice("Status after.")

    # The API keeps its field name; the column is the shared status-change `note`.
    reason = serializers.CharField(source="note", read_only=True)

    class Meta:
        model = ReportStatusChange
        fields = ["from_status", "to_status", "reason", "created_at"]


class ProjectReportSerializer(serializers.ModelSerializer):
    kind = plain_choice("progress or final.")
    status = plain_choice("draft, submitted, returned or approved.")
    contract_number = serializers.CharField(source="contract.number", read_only=True)
    contract_title = serializers.CharField(source="contract.title", read_only=True)
    ngo = serializers.IntegerField(source="contract.ngo_id", read_only=True)
    customer = serializers.IntegerField(source="contract.organiser_id", read_only=True)
    is_late = serializers.BooleanField(
        read_only=True, help_text="Sent after the due date, or not sent and past it."
    )
    values = ReportValueSerializer(many=True, read_only=True)
    spending = ReportSpendingSerializer(many=True, read_only=True)
    evidence = ReportEvidenceSerializer(many=True, read_only=True)
    status_changes = ReportStatusChangeSerializer(many=True, read_only=True)

    class Meta:
        model = Report
        fields = [
            "id", "contract", "contract_number", "contract_title", "ngo", "customer", "number",
            "kind", "period_start", "period_end", "due_date", "status", "is_late",
            "beneficiaries", "narrative", "public_summary", "submitted_at", "reviewed_at",
            "review_comment", "version", "values", "spending", "evidence", "status_changes",
        ]  # fmt: skip


REFUSAL = inline_serializer(
    "ReportRefusal",
    {"detail": serializers.CharField(), "field": serializers.CharField(allow_null=True)},
)


@extend_schema_view(
    list=extend_schema(
        summary="Project reports",
        description="The reports the signed-in person may see: his NGO's own; a customer's "
        "(and the region's administrator's) except drafts.",
    ),
    retrieve=extend_schema(summary="One project report"),
)
class ProjectReportViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsAuthenticated]
    pagination_class = Pagination
    serializer_class = ProjectReportSerializer
    filterset_class = ReportFilter

    def get_queryset(self) -> QuerySet[Report]:
        return (
            selectors.reports_visible_to(user=self.request.user)
            .prefetch_related(
                Prefetch(
                    "values", queryset=ReportIndicatorValue.objects.select_related("indicator")
                ),
                Prefetch("spending", queryset=ReportSpending.objects.select_related("budget_line")),
                "evidence",
                Prefetch("status_changes", queryset=ReportStatusChange.objects.all()),
            )
            .order_by("due_date", "pk")
        )

    def _act(self, report: Report, allowed: bool, act: Callable[[], Any]) -> Response:
        if not allowed:
            raise PermissionDenied
        try:
            act()
        except DomainError as exc:
            return Response({"detail": str(exc.message), "field": exc.field}, status=400)
        return Response(self.get_serializer(self.get_queryset().get(pk=report.pk)).data)

    @extend_schema(
        summary="Submit the report to the customer (the NGO's administrator)",
        request=None,
        responses={200: ProjectReportSerializer, 400: REFUSAL},
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        report = self.get_object()
        return self._act(
            report,
            bool(is_contractor_admin(request.user, report.contract)),
            lambda: services.report_submit(actor=acting_user(request), report=report),
        )

    @extend_schema(
        summary="Approve the report (the customer)",
        request=None,
        responses={200: ProjectReportSerializer, 400: REFUSAL},
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        report = self.get_object()
        return self._act(
            report,
            report.contract.organiser_id in organiser_org_ids(request.user),
            lambda: services.report_approve(actor=acting_user(request), report=report),
        )

    @extend_schema(
        summary="Return the report for changes, with a comment (the customer)",
        request=inline_serializer("ReportReturn", {"comment": serializers.CharField()}),
        responses={200: ProjectReportSerializer, 400: REFUSAL},
        filters=False,
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return", filter_backends=[])
    def return_(self, request: Request, pk: str | None = None) -> Response:
        report = self.get_object()
        data = request.data if isinstance(request.data, dict) else {}
        comment = data.get("comment", "")
        return self._act(
            report,
            report.contract.organiser_id in organiser_org_ids(request.user),
            lambda: services.report_return(
                actor=acting_user(request), report=report, comment=str(comment or "")
            ),
        )


def register(router: BaseRouter) -> None:
    router.register("reports", ProjectReportViewSet, basename="project-report")
