from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "actor_email",
        "organisation",
        "action",
        "content_type",
        "object_shown",
    ]
    list_filter = ["action", "content_type"]
    # Not the object's text: on entries written before confidential content was kept out of
    # the log, a search would tell whether an application's title contains a word.
    search_fields = ["actor_email", "object_id"]
    date_hierarchy = "created_at"
    list_select_related = ["organisation", "content_type"]
    # The stored text and changes are shown only as `shown_repr` / `shown_changes` allow.
    readonly_fields = (
        "created_at",
        "actor",
        "actor_email",
        "organisation",
        "action",
        "content_type",
        "object_id",
        "object_shown",
        "changes_shown",
    )
    fields = readonly_fields

    @admin.display(description=_("object"))
    def object_shown(self, entry: AuditEntry) -> str:
        return entry.shown_repr()

    @admin.display(description=_("changes"))
    def changes_shown(self, entry: AuditEntry) -> str:
        hidden = gettext("changed (confidential)")
        return format_html_join(
            "\n",
            "<div><code>{}</code>: {}</div>",
            (
                (field, hidden if is_hidden else value)
                for field, value, is_hidden in entry.shown_changes()
            ),
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
