"""CSV and XLSX of the public lists (recommendations, the tracker): the same filtered
queryset the page shows, every row, not just the page."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from ortaq.lib.spreadsheets import safe_row

from .enums import AnswerKind, RecommendationStatus
from .models import Recommendation
from .selectors import TrackerRow

FORMATS = ("csv", "xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a byte-order mark: Excel then opens the Cyrillic as UTF-8
    yield writer.writerow(safe_row(header))
    for row in rows:
        yield writer.writerow(safe_row("" if v is None else v for v in row))


def respond(
    format: str, name: str, sheet: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponseBase:
    stamp = timezone.localdate().isoformat()
    filename = f"{name}-{stamp}.{format}"
    if format == "csv":
        stream = StreamingHttpResponse(_csv(header, rows), content_type="text/csv; charset=utf-8")
        stream["Content-Disposition"] = f'attachment; filename="{filename}"'
        return stream
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=sheet[:31])
    worksheet.append(safe_row(header))
    for row in rows:
        worksheet.append(safe_row(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


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
