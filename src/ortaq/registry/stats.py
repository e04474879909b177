"""Regional statistics of the NGO registry: a handful of GROUP BY queries, whatever the size.

The main figures count organisations of the NGO group of legal forms; political-party branches
and trade unions are counted in columns of their own (LegalForm.group), as the regions
report them. "Registered" is every NGO in the registry, liquidated ones included.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ortaq.reference.enums import LegalFormGroup
from ortaq.reference.models import ActivityArea, LegalForm, Region

from .enums import NgoStatus, ReportStatus, Settlement
from .models import AnnualReport, NgoProfile
from .report_selectors import closed_year


@dataclass
class RegionFigures:
    region: Region | None  # None: the whole country
    registered: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    rural: int = 0
    childrens: int = 0
    ethnocultural: int = 0
    party_branches: int = 0
    trade_unions: int = 0
    filed_on_time: int = 0

    @property
    def active(self) -> int:
        return self.statuses.get(NgoStatus.ACTIVE, 0)

    @property
    def status_counts(self) -> list[int]:
        """In the order of NgoStatus (the columns of the table)."""
        return [self.statuses.get(status, 0) for status in NgoStatus.values]

    @property
    def rural_share(self) -> float | None:
        return self.rural / self.registered if self.registered else None

    @property
    def compliance(self) -> float | None:
        """Share of active NGOs that filed the closed year's report on time."""
        return self.filed_on_time / self.active if self.active else None

    def add(self, other: RegionFigures) -> None:
        for name in (
            "registered",
            "rural",
            "childrens",
            "ethnocultural",
            "party_branches",
            "trade_unions",
            "filed_on_time",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for status, n in other.statuses.items():
            self.statuses[status] = self.statuses.get(status, 0) + n


@dataclass
class NgoStatistics:
    year: int  # the closed reporting year compliance is about
    region: Region | None
    regions: list[RegionFigures]
    total: RegionFigures
    legal_forms: list[tuple[LegalForm, int]]
    areas: list[tuple[ActivityArea, int]]
    growth: list[tuple[int, int, int]]  # (year, registered that year, cumulative)

    @property
    def selected(self) -> RegionFigures:
        if self.region is None:
            return self.total
        return next((f for f in self.regions if f.region == self.region), RegionFigures(None))


_REGION = "organisation__region_id"
_NGO_GROUP = Q(legal_form__group=LegalFormGroup.NGO)


def ngo_statistics(*, region: Region | None = None, year: int | None = None) -> NgoStatistics:
    """Per region and for the country; the breakdowns (legal forms, areas, growth) are for
    `region` when given, else national. Six queries."""
    year = year or closed_year()
    regions = list(Region.objects.filter(is_active=True).order_by("code"))
    by_id = {r.pk: RegionFigures(r) for r in regions}
    status_counts = {
        f"s_{status}": Count("pk", filter=_NGO_GROUP & Q(status=status))
        for status in NgoStatus.values
    }
    rows = (
        NgoProfile.objects.order_by()
        .values(_REGION)
        .annotate(
            registered=Count("pk", filter=_NGO_GROUP),
            rural=Count("pk", filter=_NGO_GROUP & Q(settlement=Settlement.RURAL)),
            childrens=Count("pk", filter=_NGO_GROUP & Q(is_childrens=True)),
            ethnocultural=Count("pk", filter=_NGO_GROUP & Q(is_ethnocultural=True)),
            party_branches=Count("pk", filter=Q(legal_form__group=LegalFormGroup.PARTY_BRANCH)),
            trade_unions=Count("pk", filter=Q(legal_form__group=LegalFormGroup.TRADE_UNION)),
            **status_counts,
        )
    )
    for row in rows:
        figures = by_id.get(row[_REGION])
        if figures is None:
            continue
        for name in (
            "registered",
            "rural",
            "childrens",
            "ethnocultural",
            "party_branches",
            "trade_unions",
        ):
            setattr(figures, name, row[name])
        figures.statuses = {status: row[f"s_{status}"] for status in NgoStatus.values}
    on_time = (
        AnnualReport.objects.filter(
            year=year,
            status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED],
            submitted_late=False,
            ngo__status=NgoStatus.ACTIVE,
            ngo__legal_form__group=LegalFormGroup.NGO,
        )
        .order_by()
        .values("ngo__organisation__region_id")
        .annotate(n=Count("pk"))
    )
    for row in on_time:
        figures = by_id.get(row["ngo__organisation__region_id"])
        if figures is not None:
            figures.filed_on_time = row["n"]
    total = RegionFigures(None, statuses=dict.fromkeys(NgoStatus.values, 0))
    for figures in by_id.values():
        total.add(figures)

    scope = NgoProfile.objects.order_by()
    if region is not None:
        scope = scope.filter(organisation__region=region)
    form_counts = dict(
        scope.values("legal_form_id").annotate(n=Count("pk")).values_list("legal_form_id", "n")
    )
    legal_forms = [(form, form_counts.get(form.pk, 0)) for form in LegalForm.objects.all()]
    through = NgoProfile.activity_areas.through
    links = through.objects.filter(ngoprofile__legal_form__group=LegalFormGroup.NGO)
    if region is not None:
        links = links.filter(ngoprofile__organisation__region=region)
    area_counts = dict(
        links.order_by()
        .values("activityarea_id")
        .annotate(n=Count("pk"))
        .values_list("activityarea_id", "n")  # type: ignore[misc]
    )
    areas = [
        (area, area_counts.get(area.pk, 0)) for area in ActivityArea.objects.filter(is_active=True)
    ]
    per_year = dict(
        scope.filter(_NGO_GROUP)
        .values("registration_year")
        .annotate(n=Count("pk"))
        .values_list("registration_year", "n")
    )
    growth: list[tuple[int, int, int]] = []
    running = 0
    if per_year:
        for y in range(min(per_year), max(per_year) + 1):
            running += per_year.get(y, 0)
            growth.append((y, per_year.get(y, 0), running))
    return NgoStatistics(
        year=year,
        region=region,
        regions=list(by_id.values()),
        total=total,
        legal_forms=legal_forms,
        areas=areas,
        growth=growth,
    )


CACHE_SECONDS = 300


def ngo_statistics_cached(*, region: Region | None = None) -> NgoStatistics:
    """The statistics, kept for five minutes: they are read far more often than the registry
    changes, and open data a few minutes old is fine (the benchmark showed the page was
    bound by computing them on every request)."""
    key = f"registry:ngo-stats:{region.pk if region else 'all'}:{closed_year()}"
    return cache.get_or_set(  # type: ignore[return-value]
        key, lambda: ngo_statistics(region=region), CACHE_SECONDS
    )


def chart_data(stats: NgoStatistics) -> dict[str, Any]:
    """What stats.js draws; labels are already in the active language."""
    selected = stats.selected
    return {
        "regions": {
            "labels": [f.region.name for f in stats.regions if f.region],
            "registered": [f.registered for f in stats.regions],
            "active": [f.active for f in stats.regions],
            "registered_label": _("Registered"),
            "active_label": pgettext("ngo status", "Active"),
        },
        "statuses": {
            "labels": [str(label) for label in NgoStatus.labels],
            "values": [selected.statuses.get(s, 0) for s in NgoStatus.values],
        },
        "legal_forms": {
            "labels": [form.name for form, _n in stats.legal_forms],
            "values": [n for _form, n in stats.legal_forms],
        },
        "areas": {
            "labels": [area.name for area, _n in stats.areas],
            "values": [n for _area, n in stats.areas],
        },
        "growth": {
            "labels": [y for y, _n, _c in stats.growth],
            "values": [c for _y, _n, c in stats.growth],
        },
    }


def share(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}"
