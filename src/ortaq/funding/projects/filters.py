"""Filters of the public project list (django-filter), shared by the page, its exports, the map
and the API (/api/v1/projects/).

A value the filter does not understand (a region code that does not exist, a year "abc") is
left out on the pages, like the registry's directory; the API answers it with a 400.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ortaq.core.filters import IdFilter, YearFilter
from ortaq.reference.selectors import activity_area_list, region_list
from ortaq.registry.filters import NgoFilterForm

from ..enums import PUBLIC_CONTRACT_STATUSES, ContractStatus, ProgrammeKind
from ..models import Contract

# The value of the region filter that stands for national projects (a contract without region).
NATIONAL = "national"


def region_choices() -> list[tuple[str, str]]:
    return [(NATIONAL, str(_("National projects")))] + [
        (region.code, region.name) for region in region_list()
    ]


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_q",
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("Words of the project title or of the NGO's name."),
    )
    region = django_filters.ChoiceFilter(
        label=_("Region"),
        choices=region_choices,
        method="filter_region",
        empty_label=_("All regions"),
    )
    year = YearFilter(
        label=_("Year"),
        field_name="application__lot__competition__programme__year",
        min_value=2000,
        max_value=2100,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        field_name="application__lot__competition__programme__kind",
        choices=ProgrammeKind.choices,
        empty_label=_("All"),
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Activity area"),
        field_name="application__lot__area",
        to_field_name="code",
        queryset=activity_area_list(),
        empty_label=_("All areas"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[c for c in ContractStatus.choices if c[0] in PUBLIC_CONTRACT_STATUSES],
        empty_label=_("Any status"),
    )
    ngo = IdFilter(label=_("NGO"), field_name="ngo_id", widget=forms.HiddenInput)

    class Meta:
        model = Contract
        fields: list[str] = []
        form = NgoFilterForm

    def filter_region(self, queryset: QuerySet[Contract], name: str, value: str) -> Any:
        if not value:
            return queryset
        if value == NATIONAL:
            return queryset.filter(region__isnull=True)
        return queryset.filter(region__code=value)

    def filter_q(self, queryset: QuerySet[Contract], name: str, value: str) -> Any:
        """Title or NGO name containing the words. SQLite folds the case of Latin letters
        only, so the usual spellings of a Cyrillic word are asked for too."""
        for word in value.split()[:8]:
            spellings = {word, word.lower(), word.upper(), word.capitalize()}
            match = Q()
            for spelling in spellings:
                match |= (
                    Q(title__icontains=spelling)
                    | Q(ngo__organisation__name_kk__icontains=spelling)
                    | Q(ngo__organisation__name_ru__icontains=spelling)
                    | Q(ngo__organisation__name_en__icontains=spelling)
                )
            queryset = queryset.filter(match)
        return queryset
