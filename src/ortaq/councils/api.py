"""Read-only public API of the councils (/api/v1/councils/, compositions/, council-meetings/,
protocols/, recommendations/): the same selectors as the pages; drafts are never listed."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from rest_framework import serializers, viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.routers import BaseRouter

from ortaq.core.drf import plain_choice
from ortaq.core.params import int_param

from . import selectors
from .enums import ProtocolStatus
from .models import (
    AgendaItem,
    Composition,
    Council,
    CouncilMember,
    Meeting,
    ProtocolVersion,
    Recommendation,
)


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class CouncilSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", read_only=True, allow_null=True)
    members_count = serializers.IntegerField(read_only=True)
    kind = plain_choice("public, coordination or other.")
    level = plain_choice("national, region, city or district.")

    class Meta:
        model = Council
        fields = [
            "id", "kind", "name_kk", "name_ru", "name_en", "organisation", "level", "region",
            "members_count", "min_members", "max_members", "civil_share_num", "civil_share_den",
            "one_per_organisation", "term_years", "quorum_num", "quorum_den", "quorum_strict",
            "answer_days",
        ]  # fmt: skip


class MemberSerializer(serializers.ModelSerializer):
    category = plain_choice("civil, state or quasi (quasi-public sector).")
    position = plain_choice("chair, deputy, secretary or member.")

    class Meta:
        model = CouncilMember
        fields = ["full_name", "organisation", "category", "position", "appointed_on", "ceased_on"]


class CompositionSerializer(serializers.ModelSerializer):
    members = MemberSerializer(many=True, read_only=True)
    status = plain_choice("draft, approved, current or past.")
    source = plain_choice("appointed or elected.")  # type: ignore[assignment]

    class Meta:
        model = Composition
        fields = [
            "id",
            "council",
            "number",
            "status",
            "source",
            "term_start",
            "term_end",
            "members",
        ]


class AgendaItemSerializer(serializers.ModelSerializer):
    kind = plain_choice("discussion, report or recommendation.")
    vote_mode = plain_choice("none, by_name or by_count.")

    class Meta:
        model = AgendaItem
        fields = [
            "order", "topic_kk", "topic_ru", "speaker", "kind", "vote_mode", "votes_for",
            "votes_against", "votes_abstained", "decision_kk", "decision_ru",
        ]  # fmt: skip


class MeetingSerializer(serializers.ModelSerializer):
    items = AgendaItemSerializer(many=True, read_only=True)
    status = plain_choice("planned, held or cancelled.")

    class Meta:
        model = Meeting
        fields = ["id", "council", "composition", "title", "starts_at", "place", "online_link",
                  "status", "items"]  # fmt: skip


class ProtocolSerializer(serializers.ModelSerializer):
    meeting = serializers.IntegerField(source="protocol.meeting_id", read_only=True)

    class Meta:
        model = ProtocolVersion
        fields = ["id", "meeting", "number", "published_at", "correction_note", "content"]


class RecommendationSerializer(serializers.ModelSerializer):
    status = plain_choice("sent, answered or implemented.")
    answer = plain_choice("accepted, partial, rejected or empty.")

    class Meta:
        model = Recommendation
        fields = [
            "id", "council", "meeting", "addressee", "text_kk", "text_ru", "sent_on", "due_on",
            "status", "answer", "answer_text", "answered_on", "progress", "implemented_on",
        ]  # fmt: skip


class _ReadOnly(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    pagination_class = Pagination


class CouncilViewSet(_ReadOnly):
    """Councils; `?region=<code>`, `?body=<organisation id>`, `?kind=`, `?level=`."""

    serializer_class = CouncilSerializer

    def get_queryset(self) -> QuerySet[Council]:
        return selectors.councils_public(self.request.query_params)


class CompositionViewSet(_ReadOnly):
    """Every composition, current and past, with its members; `?council=<id>`."""

    serializer_class = CompositionSerializer

    def get_queryset(self) -> QuerySet[Composition]:
        qs = Composition.objects.prefetch_related(
            Prefetch("members", queryset=CouncilMember.objects.order_by("position", "full_name"))
        ).order_by("council_id", "number")
        council = int_param(self.request.query_params, "council")
        return qs if council is None else qs.filter(council_id=council)


class MeetingViewSet(_ReadOnly):
    """Meetings with their agenda, votes and decisions; `?from=YYYY-MM-DD`, `?region=`."""

    serializer_class = MeetingSerializer

    def get_queryset(self) -> QuerySet[Meeting]:
        params: Any = self.request.query_params
        if "from" not in params:
            params = {**params.dict(), "from": "1900-01-01"}
        return selectors.meetings_calendar(params).prefetch_related("items")


class ProtocolViewSet(_ReadOnly):
    """Published protocol versions (a correction is a new version)."""

    serializer_class = ProtocolSerializer

    def get_queryset(self) -> QuerySet[ProtocolVersion]:
        return (
            ProtocolVersion.objects.filter(status=ProtocolStatus.PUBLISHED)
            .select_related("protocol")
            .order_by("-published_at", "-pk")
        )


class RecommendationViewSet(_ReadOnly):
    """Recommendations and their answers; `?body=`, `?council=`, `?status=`, `?overdue=1`."""

    serializer_class = RecommendationSerializer

    def get_queryset(self) -> QuerySet[Recommendation]:
        return selectors.recommendations_public(self.request.query_params)


def register(router: BaseRouter) -> None:
    router.register("councils", CouncilViewSet, basename="council")
    router.register("compositions", CompositionViewSet, basename="composition")
    router.register("council-meetings", MeetingViewSet, basename="council-meeting")
    router.register("protocols", ProtocolViewSet, basename="protocol")
    router.register("recommendations", RecommendationViewSet, basename="recommendation")
