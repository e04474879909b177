"""Forms of the yearly report, its review, NGO imports and the compliance and statistics
filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ortaq.reference.models import Region

from .models import AnnualReport
from .report_selectors import ComplianceState
from .report_services import REPORT_FIELDS

MONEY_FIELDS = (
    *AnnualReport.INCOME_FIELDS,
    "income_total_declared",
    *AnnualReport.SPENDING_FIELDS,
    "spending_total_declared",
)


class AnnualReportForm(forms.ModelForm):
    """All parts of the report; `version` stops one administrator overwriting another."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = AnnualReport
        fields = list(REPORT_FIELDS)
        widgets = {
            "founders_and_members": forms.Textarea(attrs={"rows": 3}),
            "property_description": forms.Textarea(attrs={"rows": 3}),
            "projects_description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in MONEY_FIELDS:
            self.fields[name].widget.attrs.update({"min": 0, "step": 1, "inputmode": "numeric"})
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in REPORT_FIELDS}


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept the report")), ("return", _("Return for corrections"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comments to the NGO"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you return the report."),
    )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File of NGOs (CSV or XLSX)"),
        help_text=_("The same columns as the export: ortaq export_ngos writes a sample."),
    )
    dry_run = forms.BooleanField(label=_("Only check the file, import nothing"), required=False)


class ComplianceFilterForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.none(), required=False, empty_label=_("All")
    )
    year = forms.IntegerField(
        label=_("Year reported"), required=False, min_value=2016, max_value=2200
    )
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("All")), *ComplianceState.CHOICES], required=False
    )

    def __init__(self, *args: Any, regions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]


class StatsFilterForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.filter(is_active=True),
        required=False,
        empty_label=_("Whole country"),
    )
