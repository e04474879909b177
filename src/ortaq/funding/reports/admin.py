"""Back office of project reports.

A report is read here, never changed: its status, dates and reviewer move only through
reports/services.py (the transition table, the history, the notifications and the audit log),
and what it says is the NGO's — a correction is asked for by returning the report with a
comment. Values, spending, evidence (metadata, not the files) and history are read-only inlines.
"""

from __future__ import annotations

from django.contrib import admin

from ..competitions.admin import ReadOnlyAdmin, ReadOnlyInline
from ..models import (
    Report,
    ReportEvidence,
    ReportIndicatorValue,
    ReportSpending,
    ReportStatusChange,
)


class ReportIndicatorValueInline(ReadOnlyInline):
    model = ReportIndicatorValue
    fields = ("indicator", "actual", "comment")
    readonly_fields = fields


class ReportSpendingInline(ReadOnlyInline):
    model = ReportSpending
    fields = ("budget_line", "spent", "comment")
    readonly_fields = fields


class ReportEvidenceInline(ReadOnlyInline):
    model = ReportEvidence
    fields = ("original_name", "content_type", "size", "is_photo", "caption", "uploaded_at")
    readonly_fields = fields


class ReportStatusChangeInline(ReadOnlyInline):
    model = ReportStatusChange
    fields = ("from_status", "to_status", "actor", "note", "created_at")
    readonly_fields = fields


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "contract", "number", "kind", "due_date", "status", "late")
    list_filter = ("status", "kind")
    search_fields = ("contract__number", "contract__title", "contract__ngo__organisation__bin")
    list_select_related = ("contract",)
    date_hierarchy = "due_date"
    fields = (
        "contract",
        "number",
        "kind",
        "period_start",
        "period_end",
        "due_date",
        "status",
        "beneficiaries",
        "narrative",
        "public_summary",
        "submitted_at",
        "reviewed_at",
        "reviewed_by",
        "review_comment",
        "version",
        "created_at",
    )
    readonly_fields = fields
    inlines = (
        ReportIndicatorValueInline,
        ReportSpendingInline,
        ReportEvidenceInline,
        ReportStatusChangeInline,
    )

    @admin.display(boolean=True, description="late")
    def late(self, obj: Report) -> bool:
        return obj.is_late
