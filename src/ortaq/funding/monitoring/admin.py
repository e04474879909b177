"""Back office of monitoring visits and evaluations of effectiveness.

Everything is read-only: a visit, its findings and the NGO's answers, and an evaluation with its
scores change only through monitoring/services.py / evaluation.py, which check who may act
(the platform administrator may neither visit for a body nor answer for an NGO) and write the
audit log. The one act left to the back office is moderation: removing a photo of a visit (a
person who did not agree to be shown, say); Django's admin log records it.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from ortaq.accounts.admin_site import SiteRuleViewMixin

from ..competitions.admin import ReadOnlyAdmin, ReadOnlyInline
from ..models import Evaluation, EvaluationScore, MonitoringVisit, VisitFinding, VisitPhoto


class VisitFindingInline(ReadOnlyInline):
    model = VisitFinding
    fields = ("position", "severity", "text", "answer", "answered_by", "answered_at")
    readonly_fields = fields


class VisitPhotoInline(ReadOnlyInline):
    model = VisitPhoto
    fields = ("original_name", "caption", "content_type", "size", "width", "height", "uploaded_at")
    readonly_fields = fields
    can_delete = True

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("funding.moderate_visit_photos")


@admin.register(MonitoringVisit)
class MonitoringVisitAdmin(ReadOnlyAdmin):
    list_display = ("contract", "visited_on", "monitor_kind", "status", "inspector")
    list_filter = ("status", "monitor_kind")
    search_fields = ("contract__number", "contract__title", "summary")
    list_select_related = ("contract", "inspector")
    date_hierarchy = "visited_on"
    fields = (
        "contract",
        "monitor_kind",
        "organisation",
        "council",
        "inspector",
        "visited_on",
        "checklist",
        "summary",
        "recommendations",
        "status",
        "published_at",
        "version",
        "created_at",
    )
    readonly_fields = fields
    inlines = (VisitFindingInline, VisitPhotoInline)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Every field is read-only; "change" only lets the photo inline delete a photo.
        return request.user.has_perm("funding.moderate_visit_photos")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """A removed photo takes its stored file with it (after the commit)."""
        formset.save(commit=False)
        for obj in formset.deleted_objects:
            if isinstance(obj, VisitPhoto) and obj.file.name:
                transaction.on_commit(partial(obj.file.storage.delete, obj.file.name))
            obj.delete()


class EvaluationScoreInline(ReadOnlyInline):
    model = EvaluationScore
    fields = ("criterion", "value", "comment")
    readonly_fields = fields


@admin.register(Evaluation)
class EvaluationAdmin(SiteRuleViewMixin, ReadOnlyAdmin):
    list_display = ("contract", "status", "scale_max", "evaluated_by", "published_at")
    list_filter = ("status",)
    search_fields = ("contract__number", "contract__title")
    list_select_related = ("contract", "evaluated_by")
    fields = (
        "contract",
        "status",
        "scale_max",
        "conclusion",
        "evaluated_by",
        "published_at",
        "version",
        "created_at",
    )
    readonly_fields = fields
    inlines = (EvaluationScoreInline,)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
