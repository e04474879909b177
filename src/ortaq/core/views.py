from __future__ import annotations

from typing import Any

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.generic import ListView, TemplateView

from ortaq.audit.selectors import audit_actions, audit_entries_visible_to
from ortaq.core.web import RuleRequiredMixin

from .selectors import home_counts


class HomeView(TemplateView):
    template_name = "core/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["counts"] = home_counts()
        return context


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 when it does not (for the load balancer)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "up"})


class AuditLogView(RuleRequiredMixin, ListView):
    permission_required = "audit.view_auditentry"
    template_name = "core/audit_log.html"
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
