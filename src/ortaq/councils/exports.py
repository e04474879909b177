"""CSV and XLSX of the public lists (recommendations, the tracker): the same filtered
queryset the page shows, every row, not just the page."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.translation import gettext as _

from .enums import AnswerKind, RecommendationStatus
from .models import Recommendation
from .selectors import TrackerRow


def recommendation_header() -> list[str]:
    return [
        _("Number"),
        _("Sent"),
        _("Council"),
        _("Addressed to"),
        _("Recommendation"),
        _("Answer due"),
        _("Status"),
        _("Overdue"),
        _("Answer"),
        _("Answered"),
        _("Implementation, %"),
        _("Implemented"),
    ]


def recommendation_rows(queryset: Any, today: Any) -> Iterator[list[Any]]:
    statuses = dict(RecommendationStatus.choices)
    answers = dict(AnswerKind.choices)
    recommendation: Recommendation
    for recommendation in queryset.iterator(chunk_size=1000):
        overdue = recommendation.status == RecommendationStatus.SENT and (
            recommendation.due_on < today
        )
        yield [
            recommendation.pk,
            recommendation.sent_on,
            recommendation.council.name,
            recommendation.addressee.name,
            recommendation.text,
            recommendation.due_on,
            str(statuses.get(recommendation.status, recommendation.status)),
            _("yes") if overdue else _("no"),
            str(answers.get(recommendation.answer, "")),
            recommendation.answered_on,
            recommendation.progress,
            recommendation.implemented_on,
        ]


def tracker_header() -> list[str]:
    return [
        _("State body"),
        _("Region"),
        _("Received"),
        _("Answered"),
        _("On time"),
        _("On time, %"),
        _("Accepted"),
        _("Partially"),
        _("Rejected"),
        _("Implemented"),
        _("Overdue"),
    ]


def tracker_rows(rows: Iterable[TrackerRow]) -> Iterator[list[Any]]:
    for row in rows:
        yield [
            row.name,
            row.region or _("National"),
            row.received,
            row.answered,
            row.on_time,
            row.on_time_percent,
            row.accepted,
            row.partial,
            row.rejected,
            row.implemented,
            row.overdue,
        ]
