"""Back office of risk signals: read-only. Signals are written by the scan and reviewed on
their page (risk/services.risk_review, audited), never edited here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ..models import RiskSignal


@admin.register(RiskSignal)
class RiskSignalAdmin(admin.ModelAdmin):
    list_display = ("kind", "ngo", "region", "year", "strength", "status", "last_seen_at")
    list_filter = ("kind", "status", "year")
    search_fields = ("fingerprint", "ngo__organisation__name_ru", "ngo__organisation__bin")
    list_select_related = ("ngo__organisation", "region")
    fields = (
        "kind",
        "fingerprint",
        "ngo",
        "region",
        "organisers",
        "regions",
        "year",
        "strength",
        "evidence",
        "status",
        "note",
        "reviewed_by",
        "reviewed_at",
        "detected_at",
        "last_seen_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
