"""Back office of yearly reports, reminders and imports (admin.py belongs to the profiles)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from .models import AnnualReport, ImportJob, ReportReminder, ReportStatusChange


class ReportStatusChangeInline(admin.TabularInline):
    model = ReportStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "actor", "note", "created_at")

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(AnnualReport)
class AnnualReportAdmin(admin.ModelAdmin):
    """Read-only: reports change through the workflow (services), which keeps the history."""

    list_display = ("ngo", "year", "status", "submitted_at", "submitted_late", "reviewed_at")
    list_filter = ("status", "year", "submitted_late", "ngo__organisation__region")
    search_fields = (
        "ngo__organisation__name_ru",
        "ngo__organisation__name_kk",
        "ngo__organisation__bin",
    )
    list_select_related = ("ngo__organisation",)
    raw_id_fields = ("ngo", "reviewed_by")
    inlines = [ReportStatusChangeInline]

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: Any) -> bool:
        return False


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = (
        "file_name",
        "status",
        "dry_run",
        "total_rows",
        "created_count",
        "updated_count",
        "unchanged_count",
        "created_by",
        "created_at",
    )
    list_filter = ("status", "dry_run")
    list_select_related = ("created_by",)
    readonly_fields = [f.name for f in ImportJob._meta.fields]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(ReportReminder)
class ReportReminderAdmin(admin.ModelAdmin):
    list_display = ("ngo", "year", "days_before", "recipients", "sent_at")
    list_filter = ("year", "days_before")
    list_select_related = ("ngo__organisation",)
    raw_id_fields = ("ngo",)
