"""The national-scale generator, at a tiny scale (the full 25,000 belong to bench/)."""

from __future__ import annotations

import pytest

from ortaq.demo.national import registry as demo_national
from ortaq.demo.world import DemoWorld
from ortaq.registry.models import AnnualReport, NgoProfile, NgoStatusChange
from ortaq.registry.stats import ngo_statistics

pytestmark = pytest.mark.django_db


def test_small_scale_copy_keeps_the_national_proportions() -> None:
    created = demo_national.seed_national(total=400)
    assert created == 400 + round(1_660 * 400 / 23_335)  # NGOs + party branches and unions
    stats = ngo_statistics()
    assert stats.total.registered == 400
    assert stats.total.statuses == {
        "active": 312,
        "inactive": 38,
        "suspended": 19,
        "in_liquidation": 1,
        "liquidated": 30,
    }
    by_code = {f.region.code: f for f in stats.regions if f.region}
    assert (by_code["43"].registered, by_code["43"].active) == (17, 8)
    assert by_code["39"].registered == 18
    assert by_code["75"].registered > by_code["62"].registered
    assert NgoStatusChange.objects.filter(from_status="").count() == created
    on_time = AnnualReport.objects.filter(
        year=stats.year, submitted_late=False, status__in=["submitted", "accepted"]
    ).count()
    assert on_time == round(5_200 * 400 / 23_335)
    assert all(p.search_text.strip() for p in NgoProfile.objects.all()[:20])


def test_idempotent_and_deterministic() -> None:
    demo_national.seed_national(total=200)
    bins = sorted(NgoProfile.objects.values_list("organisation__bin", flat=True))
    assert demo_national.seed_national(total=200) == 0
    assert sorted(NgoProfile.objects.values_list("organisation__bin", flat=True)) == bins


def test_small_demo_scale_does_nothing() -> None:
    demo_national.seed(DemoWorld(scale="small"))
    assert not NgoProfile.objects.exists()
