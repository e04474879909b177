"""Figures for the home page, read live from the database."""

from __future__ import annotations

from dataclasses import dataclass

from ortaq.accounts.models import User
from ortaq.accounts.selectors import organisation_counts
from ortaq.reference.models import Region


@dataclass(frozen=True)
class HomeCounts:
    regions: int
    state_bodies: int
    ngos: int
    other_organisations: int
    people: int


def home_counts() -> HomeCounts:
    by_kind = organisation_counts()
    ngos = by_kind.pop("ngo", 0)
    state_bodies = by_kind.pop("state_body", 0)
    return HomeCounts(
        regions=Region.objects.filter(is_active=True).count(),
        state_bodies=state_bodies,
        ngos=ngos,
        other_organisations=sum(by_kind.values()),
        people=User.objects.filter(is_active=True).count(),
    )
