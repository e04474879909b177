"""Forms of the project report pages; they only collect input, reports/services.py decides."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import SpendingRow, TargetRow


class ReportForm(forms.Form):
    """The report as the NGO fills it: one actual value per target, one sum per budget line
    (fields `actual_<target>`, `note_<target>`, `spent_<line>`, `spent_note_<line>`: the
    service names the same fields in its refusals)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    beneficiaries = forms.IntegerField(label=_("Beneficiaries reached"), min_value=0, initial=0)
    narrative = forms.CharField(
        label=_("What was done"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("For the customer: activities, results, difficulties."),
    )
    public_summary = forms.CharField(
        label=_("Public summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the public project page once the report is approved."),
    )

    def __init__(
        self,
        *args: Any,
        targets: Sequence[TargetRow],
        lines: Sequence[SpendingRow],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.targets = list(targets)
        self.lines = list(lines)
        for row in self.targets:
            pk = row.target.pk
            self.fields[f"actual_{pk}"] = forms.DecimalField(
                label=row.target.name,
                required=False,
                min_value=Decimal(0),
                max_digits=14,
                decimal_places=2,
                initial=row.actual,
            )
            self.fields[f"note_{pk}"] = forms.CharField(
                label=_("Comment"),
                required=False,
                initial=row.value.comment if row.value else "",
            )
        for line in self.lines:
            pk = line.line.pk
            self.fields[f"spent_{pk}"] = forms.IntegerField(
                label=line.line.item, required=False, min_value=0, initial=line.spent
            )
            self.fields[f"spent_note_{pk}"] = forms.CharField(
                label=_("Comment"),
                required=False,
                initial=line.spending.comment if line.spending else "",
            )

    def target_fields(self) -> Iterator[tuple[TargetRow, forms.BoundField, forms.BoundField]]:
        for row in self.targets:
            yield row, self[f"actual_{row.target.pk}"], self[f"note_{row.target.pk}"]

    def spending_fields(self) -> Iterator[tuple[SpendingRow, forms.BoundField, forms.BoundField]]:
        for row in self.lines:
            yield row, self[f"spent_{row.line.pk}"], self[f"spent_note_{row.line.pk}"]

    def values(self) -> dict[int, tuple[Decimal, str]]:
        data = self.cleaned_data
        return {
            row.target.pk: (data[f"actual_{row.target.pk}"], data[f"note_{row.target.pk}"])
            for row in self.targets
            if data.get(f"actual_{row.target.pk}") is not None
        }

    def spending(self) -> dict[int, tuple[int, str]]:
        data = self.cleaned_data
        return {
            row.line.pk: (data[f"spent_{row.line.pk}"], data[f"spent_note_{row.line.pk}"])
            for row in self.lines
            if data.get(f"spent_{row.line.pk}") is not None
        }


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("PDF, or a JPEG, PNG or WebP photo."))
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should the NGO change?"), widget=forms.Textarea(attrs={"rows": 3})
    )
