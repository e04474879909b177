"""The filters of the funding statistics: a bad value is shown as an error and left out; the
other filters still apply (never a server error on ?year=abc)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ortaq.accounts.models import Organisation
from ortaq.reference.models import ActivityArea, Region
from ortaq.reference.selectors import activity_area_list, region_list

from ..enums import ProgrammeKind
from .selectors import FundingFilters, bodies_funding, years_funded


class FundingStatsFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    region = forms.ModelChoiceField(
        label=_("Region"),
        required=False,
        queryset=Region.objects.none(),
        empty_label=_("Whole country"),
    )
    area = forms.ModelChoiceField(
        label=_("Activity area"),
        required=False,
        queryset=ActivityArea.objects.none(),
        empty_label=_("All areas"),
    )
    body = forms.ModelChoiceField(
        label=_("Body"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("All bodies"),
        help_text=_("The state body or fund that organised the competition."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *ProgrammeKind.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = [(str(y), str(y)) for y in years_funded()]
        self.fields["year"].choices = [("", _("All years")), *years]  # type: ignore[attr-defined]
        self.fields["region"].queryset = region_list()  # type: ignore[attr-defined]
        self.fields["area"].queryset = activity_area_list()  # type: ignore[attr-defined]
        self.fields["body"].queryset = bodies_funding()  # type: ignore[attr-defined]

    def filters(self) -> FundingFilters:
        """The valid filters; an invalid one is dropped (its error stays on the form)."""
        if not self.is_bound:
            return FundingFilters()
        self.is_valid()
        data = self.cleaned_data
        return FundingFilters(
            year=data.get("year"),
            region=data.get("region"),
            area=data.get("area"),
            body=data.get("body"),
            kind=data.get("kind") or "",
        )
