"""Back office of contracts and tranches.

Every workflow field is read-only here: a contract's status, amount, dates and version change
only through contracts/services.py (signing, amendments, completion), a tranche's status,
release date, releasing person and payment order only through `tranche_release`. The action
"Release selected tranches" asks for each tranche's payment order and calls that service, so
the back office meets the same rules as the pages and the API: only the customer's people
release, and never before the tranche's report is approved; each refusal is reported.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ortaq.accounts.actors import acting_user
from ortaq.accounts.admin_site import SiteRuleViewMixin
from ortaq.core.errors import DomainError

from ..competitions.admin import ReadOnlyAdmin, ReadOnlyInline
from ..models import (
    Contract,
    ContractAmendment,
    ContractIndicator,
    ContractStatusChange,
    Tranche,
)
from . import services

TRANCHE_FIELDS = (
    "number",
    "amount",
    "due_date",
    "report",
    "status",
    "released_at",
    "released_by",
    "payment_reference",
)


class ContractIndicatorInline(ReadOnlyInline):
    model = ContractIndicator
    fields = ("position", "name", "unit", "baseline", "target")
    readonly_fields = fields


class TrancheInline(ReadOnlyInline):
    model = Tranche
    fields = TRANCHE_FIELDS
    readonly_fields = fields


class ContractAmendmentInline(ReadOnlyInline):
    model = ContractAmendment
    fields = ("number", "reason", "changes", "created_by", "created_at")
    readonly_fields = fields


class ContractStatusChangeInline(ReadOnlyInline):
    model = ContractStatusChange
    fields = ("from_status", "to_status", "actor", "note", "created_at")
    readonly_fields = fields


@admin.register(Contract)
class ContractAdmin(SiteRuleViewMixin, admin.ModelAdmin):
    """Only the public summary may be corrected here; the rest goes through the services."""

    list_display = ("number", "title", "organiser", "ngo", "region", "amount", "status")
    list_filter = ("status", "region", "application__lot__competition__programme__kind")
    search_fields = ("number", "title", "ngo__organisation__name_ru", "ngo__organisation__bin")
    list_select_related = ("organiser", "ngo__organisation", "region")
    fields = (
        "number",
        "application",
        "organiser",
        "ngo",
        "region",
        "title",
        "amount",
        "start_date",
        "end_date",
        "signed_on",
        "status",
        "public_summary",
        "version",
        "created_by",
        "created_at",
    )
    readonly_fields = tuple(f for f in fields if f != "public_summary")
    inlines = (
        ContractIndicatorInline,
        TrancheInline,
        ContractAmendmentInline,
        ContractStatusChangeInline,
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # made from a funded application on the customer's page

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReleaseForm(forms.Form):
    """One payment order per selected tranche."""

    def __init__(self, *args: Any, tranches: list[Tranche], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tranches = tranches
        for tranche in tranches:
            self.fields[f"payment_{tranche.pk}"] = forms.CharField(
                label=f"{tranche.contract.number} #{tranche.number}",
                max_length=60,
                required=False,
            )

    def rows(self) -> list[tuple[Tranche, Any]]:
        return [(t, self[f"payment_{t.pk}"]) for t in self.tranches]


@admin.register(Tranche)
class TrancheAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "contract", "number", "amount", "due_date", "report", "status")
    list_filter = ("status",)
    search_fields = ("contract__number", "payment_reference")
    list_select_related = ("contract", "report")
    fields = ("contract", *TRANCHE_FIELDS)
    readonly_fields = fields
    actions = ("release",)

    @admin.action(description=gettext_lazy("Release selected tranches"))
    def release(self, request: HttpRequest, queryset: QuerySet[Tranche]) -> HttpResponse | None:
        tranches = list(
            queryset.select_related("contract__ngo__organisation", "report").order_by(
                "contract_id", "number"
            )
        )
        form = ReleaseForm(request.POST if request.POST.get("confirm") else None, tranches=tranches)
        if not request.POST.get("confirm") or not form.is_valid():
            context = {
                **self.admin_site.each_context(request),
                "title": _("Release selected tranches"),
                "form": form,
                "opts": self.model._meta,
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
                "selected": [t.pk for t in tranches],
            }
            return TemplateResponse(request, "funding/contracts/admin_release.html", context)
        for tranche in tranches:
            reference = form.cleaned_data[f"payment_{tranche.pk}"]
            try:
                services.tranche_release(
                    actor=acting_user(request), tranche=tranche, payment_reference=reference
                )
            except DomainError as exc:
                self.message_user(
                    request,
                    _("{contract} #{n}: {why}").format(
                        contract=tranche.contract.number, n=tranche.number, why=exc.message
                    ),
                    level=messages.ERROR,
                )
            else:
                self.message_user(
                    request,
                    _("{contract} #{n}: released.").format(
                        contract=tranche.contract.number, n=tranche.number
                    ),
                    level=messages.SUCCESS,
                )
        return None
