"""The national-scale generator: about 260 councils and 4,000 members, idempotent."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Count, Q

from ortaq.councils.models import Council, CouncilMember, Recommendation
from ortaq.councils.selectors import tracker
from ortaq.demo.national import councils as demo_national
from ortaq.demo.world import DemoWorld
from tests.factories import OrganisationFactory
from tests.factories import region as region_of

pytestmark = pytest.mark.django_db


def test_national_scale(db: Any) -> None:
    for code in ("43", "15", "75"):
        for _ in range(20):
            OrganisationFactory(region=region_of(code))
    demo_national.seed(DemoWorld(scale="small"))
    assert Council.objects.count() == 0
    demo_national.seed(DemoWorld(scale="national"))
    assert Council.objects.count() == 260
    current = CouncilMember.objects.filter(composition__status="current").count()
    assert 3_500 <= current <= 4_500
    # Every current composition meets the size limits (12–18 seats for 10–30).
    sizes = Council.objects.annotate(
        n=Count("compositions__members", filter=Q(compositions__status="current"))
    ).values_list("n", flat=True)
    assert min(sizes) >= 12
    assert max(sizes) <= 18
    assert Recommendation.objects.count() > 3_000
    assert len(tracker()) == 260
    demo_national.seed(DemoWorld(scale="national"))
    assert Council.objects.count() == 260
