"""Reads of risk signals: what a person may see, the filters of the list, and the evidence laid
out for the detail page.

- An organiser of funding sees the signals that concern one of his bodies (`organisers`);
- a regional administrator those that concern his region (`regions`);
- the platform administrator all of them; nobody else any (the rule `funding.view_risks`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
import rules
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ortaq.accounts.models import Organisation
from ortaq.accounts.rules import is_platform_admin, regions_administered
from ortaq.core.filters import YearFilter
from ortaq.reference.models import Region

from .. import risk_measures
from ..enums import RiskKind, RiskStatus
from ..models import Programme, RiskSignal
from ..rules import organiser_org_ids


def can_view_risks(user: Any) -> bool:
    """The rule, or the platform administrator (who sees every signal)."""
    return bool(rules.has_perm("funding.view_risks", user) or is_platform_admin(user))


def risk_signals_visible_to(*, user: Any) -> QuerySet[RiskSignal]:
    signals = RiskSignal.objects.select_related("ngo__organisation", "region", "reviewed_by")
    if not getattr(user, "is_authenticated", False):
        return signals.none()
    if is_platform_admin(user):
        return signals
    bodies = organiser_org_ids(user)
    regions = regions_administered(user)
    if not bodies and not regions:
        return signals.none()
    by_body = RiskSignal.organisers.through.objects.filter(organisation_id__in=bodies)
    by_region = RiskSignal.regions.through.objects.filter(region_id__in=regions)
    return signals.filter(
        Q(pk__in=by_body.values("risksignal_id")) | Q(pk__in=by_region.values("risksignal_id"))
    )


class RiskFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=RiskKind.choices, empty_label=_("All kinds")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=RiskStatus.choices, empty_label=_("Any status")
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        to_field_name="code",
        queryset=Region.objects.filter(is_active=True).order_by("code"),
        method="filter_region",
        empty_label=_("All regions"),
    )
    year = YearFilter(label=_("Year"), field_name="year", min_value=2000, max_value=2100)

    class Meta:
        model = RiskSignal
        fields: list[str] = []

    def filter_region(self, queryset: QuerySet[RiskSignal], name: str, value: Any) -> Any:
        """Signals concerning the region (a subquery: no duplicate rows)."""
        if not value:
            return queryset
        through = RiskSignal.regions.through
        return queryset.filter(pk__in=through.objects.filter(region=value).values("risksignal_id"))


def risk_list(*, user: Any, params: Any) -> tuple[RiskFilter, list[tuple[str, str, int]]]:
    """The filtered list of the signals the user sees, and how many of each kind match the
    other filters (the counts ignore the kind chosen, so every kind's number stays visible)."""
    visible = risk_signals_visible_to(user=user)
    filterset = RiskFilter(data=params or None, queryset=visible)
    others = params.copy() if hasattr(params, "copy") else dict(params)
    others.pop("kind", None)
    counted = RiskFilter(data=others or None, queryset=visible).qs
    counts = dict(counted.order_by().values_list("kind").annotate(n=Count("pk")))
    return filterset, [(k.value, str(k.label), counts.get(k.value, 0)) for k in RiskKind]


def risk_signal_get(*, user: Any, pk: int) -> RiskSignal:
    return risk_signals_visible_to(user=user).prefetch_related("organisers", "regions").get(pk=pk)


# --- The evidence, laid out for the page --------------------------------------------------------


def _ids(items: list[dict[str, Any]], key: str) -> set[int]:
    found = set()
    for item in items:
        value = item.get(key)
        if isinstance(value, dict):
            value = value.get("id")
        if isinstance(value, int):
            found.add(value)
    return found


def _date(value: Any) -> dt.date | None:
    """A date of the evidence (ISO text) as a date, for the page's date format."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return dt.datetime.fromisoformat(value).date()
    except ValueError:
        return None


def risk_evidence(signal: RiskSignal) -> dict[str, Any]:
    """The signal's evidence with names in the reader's language (programmes, bodies and
    regions are read by their ids) and, for double funding, both texts cut into pieces
    marked where they share a phrase."""
    evidence: dict[str, Any] = dict(signal.evidence or {})
    applications: list[dict[str, Any]] = list(evidence.get("applications", []))
    lots: list[dict[str, Any]] = list(evidence.get("lots", []))
    reports: list[dict[str, Any]] = list(evidence.get("reports", []))
    bodies_ids = _ids(applications + lots, "organiser")
    regions_ids = _ids(applications + lots, "region")
    if isinstance(evidence.get("region"), dict):
        regions_ids |= _ids([evidence], "region")
    if evidence.get("scope") == "body":
        bodies_ids.add(int(evidence.get("scope_id", 0)))
    if evidence.get("scope") == "region":
        regions_ids.add(int(evidence.get("scope_id", 0)))
    bodies = Organisation.objects.in_bulk(bodies_ids) if bodies_ids else {}
    regions = Region.objects.in_bulk(regions_ids) if regions_ids else {}
    programme_ids = _ids(applications, "programme")
    programmes = Programme.objects.in_bulk(programme_ids) if programme_ids else {}

    def region_of(value: Any) -> Region | None:
        key = value.get("id") if isinstance(value, dict) else value
        return regions.get(key) if isinstance(key, int) else None

    laid_out: list[dict[str, Any]] = []
    ignore = evidence.get("ignored_words", [])
    pair = applications if signal.kind == RiskKind.DOUBLE_FUNDING and len(applications) == 2 else []
    for i, item in enumerate(pair):
        other = pair[1 - i]
        other_text = "\n".join([other.get("title", ""), other.get("description", "")])
        laid_out.append(
            {
                **item,
                "programme_obj": programmes.get(item.get("programme", {}).get("id")),
                "organiser_obj": bodies.get(item.get("organiser", {}).get("id")),
                "region_obj": region_of(item.get("region")),
                "dates": [_date(d) for d in item.get("period", [])],
                "title_pieces": risk_measures.highlight(
                    item.get("title", ""), other_text, ignore=ignore
                ),
                "description_pieces": risk_measures.highlight(
                    item.get("description", ""), other_text, ignore=ignore
                ),
            }
        )
    evidence["applications"] = laid_out or [
        {**a, "sent": _date(a.get("submitted_at"))} for a in applications
    ]
    evidence["lots"] = [
        {
            **lot,
            "organiser_obj": bodies.get(lot.get("organiser", {}).get("id")),
            "region_obj": region_of(lot.get("region")),
            "percent": round(float(lot.get("ratio", 0)) * 100, 1),
        }
        for lot in lots
    ]
    evidence["reports"] = [
        {**r, "due": _date(r.get("due_date")), "sent": _date(r.get("submitted_on"))}
        for r in reports
    ]
    if isinstance(evidence.get("region"), dict):
        evidence["region_obj"] = region_of(evidence["region"])
    if evidence.get("scope") == "body":
        evidence["scope_obj"] = bodies.get(int(evidence.get("scope_id", 0)))
    elif evidence.get("scope") == "region":
        evidence["scope_obj"] = regions.get(int(evidence.get("scope_id", 0)))
    return evidence
