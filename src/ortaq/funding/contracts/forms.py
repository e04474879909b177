"""Forms of the contract pages; they only collect input, contracts/services.py decides."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..enums import ReportKind, TrancheStatus
from ..models import Tranche
from .services import ReportPlan, TrancheChange, TranchePlan


def _date(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs={"type": "date"})
    )


class VersionForm(forms.Form):
    """The version the user saw; the service refuses when someone saved in between."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ContractCreateForm(forms.Form):
    start_date = _date(_("Start"))
    end_date = _date(_("End"))
    number = forms.CharField(
        label=_("Contract number"),
        max_length=40,
        required=False,
        help_text=_("Leave empty for the platform's number, e.g. SSO-2026-43-00012."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end cannot be before the start."))
        return data


class ReportPlanForm(forms.Form):
    number = forms.IntegerField(label=_("Number"), min_value=1, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", "—"), *ReportKind.choices], required=False
    )
    period_start = _date(_("Period from"), required=False)
    period_end = _date(_("Period to"), required=False)
    due_date = _date(_("Due"), required=False)

    FIELDS = ("number", "kind", "period_start", "period_end", "due_date")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filled = [name for name in self.FIELDS if data.get(name) not in (None, "")]
        if filled and len(filled) != len(self.FIELDS):
            raise forms.ValidationError(_("Fill in every column of the report, or none."))
        return data

    def plan(self) -> ReportPlan | None:
        data = self.cleaned_data
        if not data.get("number"):
            return None
        return ReportPlan(
            data["number"], data["kind"], data["period_start"], data["period_end"], data["due_date"]
        )


class TranchePlanForm(forms.Form):
    number = forms.IntegerField(label=_("Number"), min_value=1, required=False)
    amount = forms.IntegerField(label=_("Amount, ₸"), required=False)
    due_date = _date(_("Due"), required=False)
    report = forms.IntegerField(
        label=_("After report №"),
        min_value=1,
        required=False,
        help_text=_("Empty: paid without a report (an advance)."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        needed = ("number", "amount", "due_date")
        filled = [name for name in needed if data.get(name) not in (None, "")]
        if (filled or data.get("report")) and len(filled) != len(needed):
            raise forms.ValidationError(_("Give the number, the amount and the due date."))
        return data

    def plan(self) -> TranchePlan | None:
        data = self.cleaned_data
        if not data.get("number"):
            return None
        return TranchePlan(data["number"], data["amount"], data["due_date"], data.get("report"))


ReportFormSet = forms.formset_factory(ReportPlanForm, extra=1)
TrancheFormSet = forms.formset_factory(TranchePlanForm, extra=1)


class SignForm(VersionForm):
    signed_on = _date(_("Signed on"))


class TerminateForm(VersionForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ReleaseForm(forms.Form):
    payment_reference = forms.CharField(label=_("Payment order №"), max_length=60)


class AmendForm(VersionForm):
    """Reason, the new end and amount, and a row per planned tranche (released ones are
    shown on the page but never editable)."""

    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    end_date = _date(_("New end"), required=False)
    amount = forms.IntegerField(label=_("New amount, ₸"), min_value=1, required=False)

    def __init__(self, *args: Any, tranches: list[Tranche], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.planned = [t for t in tranches if t.status == TrancheStatus.PLANNED]
        for t in self.planned:
            self.fields[f"tranche_{t.number}_amount"] = forms.IntegerField(
                label=_("Tranche {n}: amount, ₸").format(n=t.number),
                min_value=1,
                initial=t.amount,
            )
            self.fields[f"tranche_{t.number}_due_date"] = _date(
                _("Tranche {n}: due").format(n=t.number)
            )
            self.fields[f"tranche_{t.number}_due_date"].initial = t.due_date

    def tranche_rows(self) -> list[tuple[Tranche, Any, Any]]:
        return [
            (t, self[f"tranche_{t.number}_amount"], self[f"tranche_{t.number}_due_date"])
            for t in self.planned
        ]

    def tranche_changes(self) -> dict[int, TrancheChange]:
        changes = {}
        for t in self.planned:
            amount = self.cleaned_data[f"tranche_{t.number}_amount"]
            due: dt.date = self.cleaned_data[f"tranche_{t.number}_due_date"]
            if (amount, due) != (t.amount, t.due_date):
                changes[t.number] = TrancheChange(amount=amount, due_date=due)
        return changes
