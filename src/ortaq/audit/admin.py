from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "actor_email",
        "organisation",
        "action",
        "content_type",
        "object_repr",
    ]
    list_filter = ["action", "content_type"]
    search_fields = ["actor_email", "object_repr", "object_id"]
    date_hierarchy = "created_at"
    list_select_related = ["organisation", "content_type"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
