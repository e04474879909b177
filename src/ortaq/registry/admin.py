"""Back office of NGO profiles, their status history and ownership claims.

Workflow fields (status, verification, claims' decisions) are read-only here: they change
through services.py, which keeps the history, grants memberships and writes the audit log.
A profile saved here gets its search stems recomputed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from . import admin_reports  # noqa: F401  (yearly reports and imports: part of the same app)
from .models import NgoProfile, NgoStatusChange, OwnershipClaim
from .services import ngo_refresh_search_text


class NgoStatusChangeInline(admin.TabularInline):
    model = NgoStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "changed_on", "note", "actor", "created_at")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class OwnershipClaimInline(admin.TabularInline):
    model = OwnershipClaim
    extra = 0
    can_delete = False
    fields = ("user", "kind", "status", "position", "decided_by", "decided_at", "refusal_reason")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(NgoProfile)
class NgoProfileAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "bin",
        "region",
        "legal_form",
        "status",
        "verification",
        "registration_year",
    )
    list_filter = (
        "status",
        "verification",
        "legal_form",
        "settlement",
        "organisation__region",
        "is_childrens",
        "is_youth",
        "is_disability",
        "is_ethnocultural",
        "is_volunteer",
    )
    search_fields = (
        "organisation__name_kk",
        "organisation__name_ru",
        "organisation__name_en",
        "organisation__bin",
        "short_name_kk",
        "short_name_ru",
    )
    list_select_related = ("organisation", "organisation__region", "legal_form")
    autocomplete_fields = ("organisation", "umbrella_associations")
    filter_horizontal = ("activity_areas",)
    readonly_fields = (
        "status",
        "status_since",
        "verification",
        "verified_at",
        "version",
        "search_text",
        "created_at",
        "updated_at",
    )
    inlines = (NgoStatusChangeInline, OwnershipClaimInline)

    @admin.display(description="BIN", ordering="organisation__bin")
    def bin(self, obj: NgoProfile) -> str:
        return obj.organisation.bin

    @admin.display(ordering="organisation__region__code")
    def region(self, obj: NgoProfile) -> str:
        return str(obj.organisation.region or "")

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        ngo_refresh_search_text(ngo=form.instance)


@admin.register(NgoStatusChange)
class NgoStatusChangeAdmin(admin.ModelAdmin):
    list_display = ("ngo", "from_status", "to_status", "changed_on", "actor")
    list_filter = ("to_status", "ngo__organisation__region")
    search_fields = ("ngo__organisation__name_ru", "ngo__organisation__name_kk", "note")
    list_select_related = ("ngo__organisation", "actor")
    readonly_fields = ("ngo", "from_status", "to_status", "changed_on", "note", "actor")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(OwnershipClaim)
class OwnershipClaimAdmin(admin.ModelAdmin):
    list_display = ("ngo", "user", "kind", "status", "created_at", "decided_at")
    list_filter = ("status", "kind", "ngo__organisation__region")
    search_fields = (
        "ngo__organisation__name_ru",
        "ngo__organisation__name_kk",
        "ngo__organisation__bin",
        "user__email",
        "user__full_name",
    )
    list_select_related = ("ngo__organisation", "user")
    readonly_fields = (
        "user",
        "ngo",
        "kind",
        "status",
        "position",
        "message",
        "decided_by",
        "decided_at",
        "refusal_reason",
        "created_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
