"""Reads of the reference tables."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import ActivityArea, LegalForm, MciRate, Region


def region_list() -> QuerySet[Region]:
    return Region.objects.filter(is_active=True).order_by("code")


def legal_form_list() -> QuerySet[LegalForm]:
    return LegalForm.objects.order_by("position", "code")


def activity_area_list() -> QuerySet[ActivityArea]:
    return ActivityArea.objects.filter(is_active=True).order_by("position", "code")


def mci_for_year(year: int) -> int:
    """The MCI in force for `year`; a missing year is a configuration error, not a zero."""
    rate = MciRate.objects.filter(year=year).values_list("value", flat=True).first()
    if rate is None:
        raise LookupError(f"No MCI value for {year}: add it in the admin (Reference data).")
    return rate


def home_figures() -> dict[str, int]:
    """The home page's count of regions and cities (registered in `apps.py`)."""
    return {"regions": Region.objects.filter(is_active=True).count()}
