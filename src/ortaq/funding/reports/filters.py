"""The filters of the report lists, the same for the pages and the API (/api/v1/reports/)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ortaq.core.filters import IdFilter

from ..enums import ProjectReportStatus, ReportKind
from ..models import Report
from .selectors import late_condition


class ReportFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ProjectReportStatus.choices, empty_label=_("Any status")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=ReportKind.choices, empty_label=_("Progress and final")
    )
    late = django_filters.BooleanFilter(label=_("Late"), method="filter_late")
    contract = IdFilter(label=_("Contract"), field_name="contract_id")

    class Meta:
        model = Report
        fields: list[str] = []

    def filter_late(self, queryset: QuerySet[Report], name: str, value: Any) -> QuerySet[Report]:
        if value is None:
            return queryset
        return queryset.filter(late_condition()) if value else queryset.exclude(late_condition())
