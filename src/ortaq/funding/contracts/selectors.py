"""Reads of contracts: each starts from what the user may see.

- the customer's people (organisers of the contract's organisation) see its contracts;
- the NGO's people (administrators and members) see their own NGO's contracts;
- a regional administrator sees the contracts carried out in his region;
- the platform administrator sees all of them (read-only: he signs and pays nothing).

The list filters (status, year, region, programme kind, search by number, title or NGO) are
one django-filter FilterSet, used by the pages, the exports and the API alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import django_filters
from django import forms
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ortaq.accounts.enums import Role
from ortaq.accounts.rules import is_platform_admin, regions_administered, user_roles
from ortaq.core.filters import YearFilter
from ortaq.reference.models import Region

from ..enums import ApplicationStatus, ContractStatus, DecisionStatus, ProgrammeKind
from ..models import (
    Application,
    Contract,
    ContractAmendment,
    ContractStatusChange,
    Report,
    Tranche,
)
from ..rules import organiser_org_ids


def _member_org_ids(user: Any) -> set[int]:
    return {org for org, role, _r, _k in user_roles(user) if role in (Role.ADMIN, Role.MEMBER)}


def _contracts() -> QuerySet[Contract]:
    return Contract.objects.select_related(
        "organiser", "ngo__organisation", "region", "application__lot__competition__programme"
    )


def contracts_visible_to(*, user: Any) -> QuerySet[Contract]:
    """Every contract the user may read in full (internal view)."""
    if not getattr(user, "is_authenticated", False):
        return Contract.objects.none()
    qs = _contracts()
    if is_platform_admin(user):
        return qs.order_by("-start_date", "-id")
    where = Q(organiser_id__in=organiser_org_ids(user)) | Q(
        ngo__organisation_id__in=_member_org_ids(user)
    )
    regions = regions_administered(user)
    if regions:
        where |= Q(region_id__in=regions)
    return qs.filter(where).order_by("-start_date", "-id")


def contracts_of_ngo_user(*, user: Any) -> QuerySet[Contract]:
    """The contracts of the NGOs the user belongs to (the NGO's "My contracts")."""
    return (
        _contracts()
        .filter(ngo__organisation_id__in=_member_org_ids(user))
        .order_by("-start_date", "-id")
    )


def can_list_contracts(user: Any) -> bool:
    """Who has the contracts desk: organisers, regional administrators, the platform admin."""
    return bool(organiser_org_ids(user) or regions_administered(user) or is_platform_admin(user))


class ContractFilterForm(forms.Form):
    """Bootstrap classes on the filter widgets."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else ("form-control form-control-sm")
            )
            field.widget.attrs.setdefault("class", css)


class ContractFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=gettext_lazy("Search"),
        method="filter_q",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=ContractStatus.choices,
        empty_label=gettext_lazy("Any status"),
    )
    year = YearFilter(
        label=gettext_lazy("Year"), field_name="application__lot__competition__programme__year"
    )
    region = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Region"),
        to_field_name="code",
        queryset=Region.objects.filter(is_active=True).order_by("code"),
        empty_label=gettext_lazy("All regions"),
    )
    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("Kind"),
        field_name="application__lot__competition__programme__kind",
        choices=ProgrammeKind.choices,
        empty_label=gettext_lazy("All kinds"),
    )

    class Meta:
        model = Contract
        fields: list[str] = []
        form = ContractFilterForm

    def filter_q(self, queryset: QuerySet[Contract], name: str, value: str) -> Any:
        text = (value or "").strip()
        if not text:
            return queryset
        return queryset.filter(
            Q(number__icontains=text)
            | Q(title__icontains=text)
            | Q(ngo__organisation__name_kk__icontains=text)
            | Q(ngo__organisation__name_ru__icontains=text)
            | Q(ngo__organisation__name_en__icontains=text)
            | Q(ngo__organisation__bin=text)
        )


def contract_filter(*, user: Any, params: Mapping[str, Any] | None) -> ContractFilter:
    """The FilterSet over the user's contracts; `.qs` is the list, `.form` the filter form.
    An invalid value is shown on the form and left out of the filtering."""
    return ContractFilter(data=params or None, queryset=contracts_visible_to(user=user))


def contract_list(*, user: Any, params: Mapping[str, Any] | None = None) -> QuerySet[Contract]:
    # Invalid values (a year typed as letters) are left out; the valid filters still apply.
    return contract_filter(user=user, params=params).qs


def contract_detail(*, pk: int) -> Contract:
    """One contract with its targets, reports, tranches, amendments and history."""
    return (
        _contracts()
        .prefetch_related(
            "indicators",
            Prefetch("reports", queryset=Report.objects.order_by("number")),
            Prefetch(
                "tranches",
                queryset=Tranche.objects.select_related("report", "released_by").order_by("number"),
            ),
            Prefetch(
                "amendments",
                queryset=ContractAmendment.objects.select_related("created_by").order_by("number"),
            ),
            Prefetch(
                "status_changes",
                queryset=ContractStatusChange.objects.select_related("actor"),
            ),
        )
        .get(pk=pk)
    )


def contracts_to_prepare(*, user: Any, competition_id: int | None = None) -> QuerySet[Application]:
    """Funded applications of the user's published competitions still without a contract."""
    qs = Application.objects.filter(
        lot__competition__organiser_id__in=organiser_org_ids(user),
        status=ApplicationStatus.FUNDED,
        decision_line__funded=True,
        decision_line__decision__status=DecisionStatus.PUBLISHED,
        contract__isnull=True,
    )
    if competition_id is not None:
        qs = qs.filter(lot__competition_id=competition_id)
    return qs.select_related(
        "lot__competition__programme", "ngo__organisation", "region", "decision_line"
    ).order_by("lot__competition_id", "lot__number", "id")


# --- Amendments in words ----------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeRow:
    label: str
    before: Any
    after: Any


def amendment_rows(amendment: ContractAmendment) -> list[ChangeRow]:
    """The amendment's {field: [before, after]} as labelled rows for the page."""
    labels = {
        "end_date": _("End"),
        "amount": _("Amount"),
        "amount_of": _("Tranche {n}: amount"),
        "due_date_of": _("Tranche {n}: due date"),
        "period_end_of": _("Report {n}: period to"),
        "report_due_of": _("Report {n}: due date"),
    }
    rows = []
    for key, (before, after) in amendment.changes.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "tranche":
            label = labels["amount_of" if parts[2] == "amount" else "due_date_of"].format(
                n=parts[1]
            )
        elif len(parts) == 3 and parts[0] == "report":
            label = labels["period_end_of" if parts[2] == "period_end" else "report_due_of"].format(
                n=parts[1]
            )
        else:
            label = labels.get(key, key)
        rows.append(ChangeRow(label, before, after))
    return rows
