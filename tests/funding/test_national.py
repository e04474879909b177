"""The national-scale funding generator on a tiny scale: the seeds' figures, every kind of
programme, consistent decisions, idempotence, and OCDS output that validates."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Count, Q, Sum

from ortaq.demo.national import funding as demo_national
from ortaq.demo.national import registry as registry_national
from ortaq.funding.competitions.services import draw_verifies
from ortaq.funding.enums import ApplicationStatus, ProgrammeKind
from ortaq.funding.models import Application, Competition, DecisionLine, ExpertDraw
from ortaq.funding.opendata import ocds

pytestmark = pytest.mark.django_db


def _social_order(region_code: str, year: int) -> dict[str, Any]:
    return DecisionLine.objects.filter(
        funded=True,
        decision__competition__programme__kind=ProgrammeKind.SOCIAL_ORDER,
        decision__competition__programme__year=year,
        decision__competition__organiser__region__code=region_code,
    ).aggregate(projects=Count("pk"), amount=Sum("amount"))


@pytest.fixture
def national() -> int:
    registry_national.seed_national(total=300)
    return demo_national.seed_national(total_competitions=5)


def test_seeds_figures_and_every_kind(national: int) -> None:
    assert national == 5
    assert _social_order("43", 2019) == {"projects": 165, "amount": 1_223_000_000}
    assert _social_order("43", 2020)["projects"] == 154
    kinds = set(Competition.objects.values_list("programme__kind", flat=True))
    assert kinds == set(ProgrammeKind.values)
    # Each lot funds exactly one application, within its ceiling.
    lots = Competition.objects.annotate(
        lot_count=Count("lots", distinct=True),
        funded_count=Count("lots__applications", filter=Q(lots__applications__status="funded")),
    )
    assert all(c.lot_count == c.funded_count for c in lots)
    for line in DecisionLine.objects.filter(funded=True).select_related("application__lot"):
        assert line.amount == line.application.requested_amount
        assert line.amount <= line.application.lot.budget_ceiling
    # Every compliant application has a decision line; non-compliant ones do not.
    assert not Application.objects.filter(
        status=ApplicationStatus.NON_COMPLIANT, decision_line__isnull=False
    ).exists()
    assert not Application.objects.filter(
        status__in=[ApplicationStatus.FUNDED, ApplicationStatus.NOT_FUNDED],
        decision_line__isnull=True,
    ).exists()
    assert all(draw_verifies(d) for d in ExpertDraw.objects.all())


def test_idempotent(national: int) -> None:
    count = Application.objects.count()
    assert demo_national.seed_national(total_competitions=5) == 0
    assert Application.objects.count() == count


def test_ocds_of_national_data_validates(national: int) -> None:
    package = ocds.release_package(ocds.competitions_for_ocds(), uri="https://x")
    assert ocds.validation_errors(package) == []
    assert len({r["ocid"] for r in package["releases"]}) == 5
    records = ocds.record_package(ocds.competitions_for_ocds(), uri="https://x")
    assert ocds.validation_errors(records, kind="record") == []
