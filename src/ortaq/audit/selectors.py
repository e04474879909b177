from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import AuditEntry


def audit_entries_visible_to(*, user: Any) -> QuerySet[AuditEntry]:
    if not user.has_perm("audit.view_auditentry"):
        return AuditEntry.objects.none()
    return AuditEntry.objects.select_related("actor", "organisation", "content_type")


def audit_actions() -> list[str]:
    """The actions recorded so far, for the log's filter."""
    return list(AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct())
