"""API of monitoring visits and evaluations of effectiveness (/api/v1/monitoring-visits/,
/api/v1/evaluations/): the same selectors, rules and services as the pages.

- Visits: published ones are public (summary, findings with the NGO's answers,
  recommendations, photos); drafts only to their side; the checklist only to the side, the
  customer, the NGO and the regional administrator (`funding.view_visit_internal`), else null.
- An administrator of the NGO answers a finding: POST .../monitoring-visits/{id}/answer/.
- Evaluations: published ones are public; drafts to the customer's officials and the experts
  who may write them. The indicators achieved are computed, as on the page.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from ortaq.accounts.actors import acting_user
from ortaq.core.drf import plain_choice
from ortaq.core.errors import ConflictError, DomainError

from ..competitions.api import Pagination
from ..models import (
    ContractIndicator,
    Evaluation,
    MonitoringVisit,
    Report,
    ReportIndicatorValue,
    VisitFinding,
    VisitPhoto,
)
from . import selectors, services


class VisitFindingSerializer(serializers.ModelSerializer):
    severity = plain_choice("note, minor or major.")

    class Meta:
        model = VisitFinding
        fields = ["id", "position", "severity", "text", "answer", "answered_at"]


class VisitPhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = VisitPhoto
        fields = ["id", "caption", "content_type", "width", "height", "url"]

    def get_url(self, photo: VisitPhoto) -> str:
        return reverse("funding:visit_photo", args=[photo.pk])


class ChecklistRowSerializer(serializers.Serializer):
    item = serializers.CharField(help_text="Code of a default item, or the item as typed.")
    name = serializers.CharField(help_text="The item in the reader's language.")
    ok = serializers.BooleanField(allow_null=True)
    note = serializers.CharField()


class MonitoringVisitSerializer(serializers.ModelSerializer):
    monitor_kind = plain_choice("state_body, operator or council.")
    status = plain_choice("draft or published.")
    contract_number = serializers.CharField(source="contract.number", read_only=True)
    checklist = serializers.SerializerMethodField(
        help_text="Only for the monitors, the customer, the NGO and the regional "
        "administrator; null for others."
    )
    findings = VisitFindingSerializer(many=True, read_only=True)
    photos = VisitPhotoSerializer(many=True, read_only=True)

    class Meta:
        model = MonitoringVisit
        fields = [
            "id", "contract", "contract_number", "monitor_kind", "organisation", "council",
            "visited_on", "status", "published_at", "summary", "recommendations", "checklist",
            "findings", "photos",
        ]  # fmt: skip

    @extend_schema_field(ChecklistRowSerializer(many=True, allow_null=True))
    def get_checklist(self, visit: MonitoringVisit) -> list[dict[str, Any]] | None:
        user = self.context["request"].user
        if not rules.has_perm("funding.view_visit_internal", user, visit):
            return None
        return [
            {"item": r.item, "name": r.label, "ok": r.ok, "note": r.note}
            for r in selectors.checklist_rows(visit)
        ]


class FindingAnswerSerializer(serializers.Serializer):
    finding = serializers.IntegerField()
    answer = serializers.CharField(allow_blank=True, trim_whitespace=True)
    previous = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="The answer as you read it; when it changed meanwhile, 409 and no change.",
    )


class MonitoringVisitViewSet(viewsets.ReadOnlyModelViewSet):
    """Monitoring visits: published ones (public) and the drafts of your side."""

    permission_classes = [AllowAny]
    pagination_class = Pagination
    serializer_class = MonitoringVisitSerializer
    filterset_fields = ["contract", "status", "monitor_kind"]

    def get_queryset(self) -> QuerySet[MonitoringVisit]:
        return selectors.visits_visible_to(user=self.request.user)

    @extend_schema(
        request=FindingAnswerSerializer,
        responses={200: VisitFindingSerializer},
        summary="The NGO's administrator answers a finding of a published visit",
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[IsAuthenticated],
        filter_backends=[],
    )
    def answer(self, request: Request, pk: str | None = None) -> Response:
        visit = self.get_object()
        data = FindingAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        finding = next(
            (f for f in visit.findings.all() if f.pk == data.validated_data["finding"]), None
        )
        if finding is None:
            return Response({"finding": ["Not a finding of this visit."]}, status=400)
        try:
            answered = services.finding_answer(
                actor=acting_user(request),
                finding=finding,
                answer=data.validated_data["answer"],
                expected=data.validated_data.get("previous"),
            )
        except ConflictError as exc:
            return Response({"detail": str(exc.message)}, status=status.HTTP_409_CONFLICT)
        except DomainError as exc:
            code = 400 if exc.field else 403
            return Response({exc.field or "detail": str(exc.message)}, status=code)
        return Response(VisitFindingSerializer(answered).data)


class EvaluationScoreOutSerializer(serializers.Serializer):
    criterion = serializers.CharField()
    name = serializers.CharField()
    value = serializers.IntegerField(allow_null=True)
    comment = serializers.CharField()


class AchievementSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    unit = serializers.CharField()
    baseline = serializers.DecimalField(max_digits=14, decimal_places=2)
    target = serializers.DecimalField(max_digits=14, decimal_places=2)
    actual = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    percent = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)


class EvaluationSerializer(serializers.ModelSerializer):
    status = plain_choice("draft or published.")
    scores = serializers.SerializerMethodField()
    total = serializers.SerializerMethodField()
    maximum = serializers.SerializerMethodField()
    achievement = serializers.SerializerMethodField(
        help_text="Computed from the latest approved report, never typed."
    )
    average_achievement = serializers.SerializerMethodField()

    class Meta:
        model = Evaluation
        fields = [
            "id", "contract", "status", "scale_max", "scores", "total", "maximum", "conclusion",
            "published_at", "achievement", "average_achievement",
        ]  # fmt: skip

    def _summary(self, evaluation: Evaluation) -> selectors.EvaluationSummary:
        return selectors.evaluation_summary(evaluation, scale_max=evaluation.scale_max)

    @extend_schema_field(EvaluationScoreOutSerializer(many=True))
    def get_scores(self, evaluation: Evaluation) -> list[dict[str, Any]]:
        return [
            {"criterion": r.criterion, "name": r.label, "value": r.value, "comment": r.comment}
            for r in self._summary(evaluation).rows
        ]

    def get_total(self, evaluation: Evaluation) -> int:
        return self._summary(evaluation).total

    def get_maximum(self, evaluation: Evaluation) -> int:
        return self._summary(evaluation).maximum

    @extend_schema_field(AchievementSerializer(many=True))
    def get_achievement(self, evaluation: Evaluation) -> list[dict[str, Any]]:
        rows = [
            {
                "indicator": r.indicator.name,
                "unit": r.indicator.unit,
                "baseline": r.indicator.baseline,
                "target": r.indicator.target,
                "actual": r.actual,
                "percent": r.percent,
            }
            for r in selectors.contract_achievement(evaluation.contract).results
        ]
        return list(AchievementSerializer(rows, many=True).data)

    @extend_schema_field(serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True))
    def get_average_achievement(self, evaluation: Evaluation) -> str | None:
        average = selectors.contract_achievement(evaluation.contract).average
        return None if average is None else str(average)


class EvaluationViewSet(viewsets.ReadOnlyModelViewSet):
    """Evaluations of effectiveness: published ones (public) and the drafts you may write."""

    permission_classes = [AllowAny]
    pagination_class = Pagination
    serializer_class = EvaluationSerializer
    filterset_fields = ["contract", "status"]

    def get_queryset(self) -> QuerySet[Evaluation]:
        return selectors.evaluations_visible_to(user=self.request.user).prefetch_related(
            Prefetch(
                "contract__indicators",
                queryset=ContractIndicator.objects.order_by("position", "id"),
            ),
            Prefetch(
                "contract__reports",
                queryset=Report.objects.prefetch_related(
                    Prefetch("values", queryset=ReportIndicatorValue.objects.all())
                ),
            ),
        )


def register(router: BaseRouter) -> None:
    router.register("monitoring-visits", MonitoringVisitViewSet, basename="monitoring-visit")
    router.register("evaluations", EvaluationViewSet, basename="evaluation")
