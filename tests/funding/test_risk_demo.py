"""The demo plants on a small copy of the national data: before planting the scan raises no
double funding, wholesaler or reporting signal; after it, exactly the planted ones."""

from __future__ import annotations

import pytest

from ortaq.demo import funding_risk as demo_risk
from ortaq.demo.national import funding as demo_national
from ortaq.demo.national import registry as registry_national
from ortaq.demo.world import DemoWorld
from ortaq.funding.enums import RiskKind
from ortaq.funding.models import Application, Lot, RiskSignal
from ortaq.funding.risk import services

pytestmark = pytest.mark.django_db

PATTERNS = (RiskKind.DOUBLE_FUNDING, RiskKind.WHOLESALER, RiskKind.REPORTING)


def test_planted_duplicates_and_wholesaler_are_found_and_nothing_else() -> None:
    registry_national.seed_national(total=300)
    demo_national.seed_national(total_competitions=5)
    ordinary = services.risk_scan()
    assert [ordinary.found[kind] for kind in PATTERNS] == [0, 0, 0]

    world = DemoWorld(scale="national")
    demo_risk.seed(world)
    found = {kind: RiskSignal.objects.filter(kind=kind).count() for kind in PATTERNS}
    assert found == {RiskKind.DOUBLE_FUNDING: 3, RiskKind.WHOLESALER: 1, RiskKind.REPORTING: 0}
    titles = {
        tuple(a["title"] for a in s.evidence["applications"])
        for s in RiskSignal.objects.filter(kind=RiskKind.DOUBLE_FUNDING)
    }
    assert titles == {p.titles for p in demo_risk.PROJECTS}
    wholesaler = RiskSignal.objects.get(kind=RiskKind.WHOLESALER)
    assert wholesaler.evidence["regions"] == demo_risk.WHOLESALER_REGIONS
    assert 0.5 <= wholesaler.evidence["mean_ratio"] <= 0.6
    assert world.log[-1].startswith(
        "risk signals: double_funding 3, wholesaler 1, reporting 0, region_concentration "
    )
    assert sum(line.startswith("risk (planted): duplicate") for line in world.log) == 3

    # Seeding again plants nothing more.
    lots, applications = Lot.objects.count(), Application.objects.count()
    demo_risk.seed(DemoWorld(scale="national"))
    assert (Lot.objects.count(), Application.objects.count()) == (lots, applications)
    assert RiskSignal.objects.filter(kind=RiskKind.DOUBLE_FUNDING).count() == 3
