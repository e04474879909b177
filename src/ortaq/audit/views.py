"""The audit-log page of platform administrators (`/<lang>/audit/`)."""

from __future__ import annotations

from typing import Any

from django.views.generic import ListView

from ortaq.core.web import RuleRequiredMixin

from .selectors import audit_actions, audit_entries_visible_to


class AuditLogView(RuleRequiredMixin, ListView):
    permission_required = "audit.view_auditentry"
    template_name = "audit/audit_log.html"
    context_object_name = "entries"
    paginate_by = 50

    def get_queryset(self) -> Any:
        qs = audit_entries_visible_to(user=self.request.user)
        action = self.request.GET.get("action", "").strip()
        actor = self.request.GET.get("actor", "").strip()
        if action:
            qs = qs.filter(action__startswith=action)
        if actor:
            qs = qs.filter(actor_email__icontains=actor)
        return qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["actions"] = audit_actions()
        context["filters"] = {k: self.request.GET.get(k, "") for k in ("action", "actor")}
        return context
