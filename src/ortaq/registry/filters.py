"""The directory's filters and sort (django-filter), shared by the page, the exports and the API.

Use `NgoFilter(data=params, queryset=...)`, or simply `selectors.ngo_directory_queryset(params)`.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import F, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from ortaq.reference.models import ActivityArea, LegalForm, Region

from .enums import NgoStatus, Settlement, Verification
from .models import NgoProfile
from .selectors import ngo_search

FLAGS: dict[str, str] = {
    "childrens": "is_childrens",
    "youth": "is_youth",
    "disability": "is_disability",
    "ethnocultural": "is_ethnocultural",
    "volunteer": "is_volunteer",
}
FLAG_CHOICES = [
    ("childrens", _("Children's organisation")),
    ("youth", _("Youth organisation")),
    ("disability", _("Organisation of persons with disabilities")),
    ("ethnocultural", _("Ethnocultural centre")),
    ("volunteer", _("Volunteer organisation")),
]
SORT_CHOICES = [
    ("name", pgettext_lazy("sort", "Name")),
    ("-registration_year", _("Newest registration first")),
    ("registration_year", _("Oldest registration first")),
    ("region", pgettext_lazy("sort", "Region")),
]


def name_ordering() -> list[Any]:
    """Order by the name in the active language (English falls back to Russian)."""
    lang = (get_language() or "kk")[:2]
    if lang == "kk":
        return [F("organisation__name_kk").asc(), "pk"]
    if lang == "en":
        return [
            Coalesce(NullIf("organisation__name_en", Value("")), "organisation__name_ru").asc(),
            "pk",
        ]
    return [F("organisation__name_ru").asc(), "pk"]


class NgoFilterForm(forms.Form):
    """Bootstrap classes on the filter widgets."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select form-select-sm")
            else:
                widget.attrs.setdefault("class", "form-control form-control-sm")


class NgoFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="filter_q", widget=forms.TextInput(attrs={"type": "search"})
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        field_name="organisation__region",
        to_field_name="code",
        queryset=Region.objects.filter(is_active=True).order_by("code"),
        empty_label=_("All regions"),
    )
    district = django_filters.CharFilter(
        label=_("District or city"), field_name="district", lookup_expr="icontains"
    )
    area = django_filters.ModelMultipleChoiceFilter(
        label=_("Activity areas"),
        to_field_name="code",
        queryset=ActivityArea.objects.filter(is_active=True).order_by("position", "code"),
        method="filter_area",
        widget=forms.CheckboxSelectMultiple,
    )
    legal_form = django_filters.ModelChoiceFilter(
        label=_("Legal form"),
        to_field_name="code",
        queryset=LegalForm.objects.order_by("position", "code"),
        empty_label=_("All legal forms"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=NgoStatus.choices, empty_label=_("Any status")
    )
    settlement = django_filters.ChoiceFilter(
        label=_("Urban or rural"), choices=Settlement.choices, empty_label=_("Urban and rural")
    )
    flag = django_filters.MultipleChoiceFilter(
        label=_("Kind of organisation"),
        choices=FLAG_CHOICES,
        method="filter_flags",
        widget=forms.CheckboxSelectMultiple,
    )
    verification = django_filters.ChoiceFilter(
        label=_("Verification"), choices=Verification.choices, empty_label=_("Verified or not")
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=SORT_CHOICES,
        method="filter_sort",
        empty_label=_("Relevance, then name"),
    )

    class Meta:
        model = NgoProfile
        fields: list[str] = []
        form = NgoFilterForm

    def filter_queryset(self, queryset: QuerySet[NgoProfile]) -> QuerySet[NgoProfile]:
        """Filters first, then the search (its typo fallback looks among what is left), then
        the sort, which applies even when no sort was asked for."""
        data = dict(self.form.cleaned_data)
        text = data.pop("q", "") or ""
        sort = data.pop("sort", "") or ""
        for name, value in data.items():
            queryset = self.filters[name].filter(queryset, value)
        if text.strip():
            queryset = ngo_search(queryset, text)
        return self._sorted(queryset, sort)

    @staticmethod
    def _sorted(queryset: QuerySet[NgoProfile], sort: str) -> QuerySet[NgoProfile]:
        names = name_ordering()
        if sort == "-registration_year":
            return queryset.order_by("-registration_year", *names)
        if sort == "registration_year":
            return queryset.order_by("registration_year", *names)
        if sort == "region":
            return queryset.order_by("organisation__region__code", *names)
        if not sort and "rank" in queryset.query.annotations:
            return queryset.order_by("-rank", *names)
        return queryset.order_by(*names)

    def filter_q(self, queryset: QuerySet[NgoProfile], name: str, value: str) -> Any:
        return ngo_search(queryset, value)  # used only when called directly

    def filter_sort(self, queryset: QuerySet[NgoProfile], name: str, value: str) -> Any:
        return self._sorted(queryset, value)  # used only when called directly

    def filter_area(self, queryset: QuerySet[NgoProfile], name: str, value: Any) -> Any:
        """NGOs working in any of the chosen areas (a subquery: no duplicate rows)."""
        if not value:
            return queryset
        through = NgoProfile.activity_areas.through
        return queryset.filter(
            pk__in=through.objects.filter(activityarea__in=value).values("ngoprofile_id")
        )

    def filter_flags(self, queryset: QuerySet[NgoProfile], name: str, value: list[str]) -> Any:
        """NGOs that are all of the chosen kinds (children's and youth, say)."""
        for flag in value or ():
            if flag in FLAGS:
                queryset = queryset.filter(**{FLAGS[flag]: True})
        return queryset
