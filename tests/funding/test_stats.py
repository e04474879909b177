"""Regional funding statistics: exact figures on a small funded world (stats_factories), the
filters, and a number of queries that does not grow with regions, projects or contracts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ortaq.funding.achievement import average_achievement, contract_results, with_results
from ortaq.funding.enums import ProgrammeKind
from ortaq.funding.models import Contract, DecisionLine
from ortaq.funding.stats.selectors import (
    FundingFigures,
    FundingFilters,
    FundingStatistics,
    contract_achievements,
    funding_statistics,
)
from tests.access import Cast

from . import factories as f
from . import stats_factories as sf

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def w(cast: Cast) -> sf.World:
    return sf.world(cast)


def figures(f: FundingFigures) -> tuple[Any, ...]:
    """Every figure of a row, in the order of the table."""
    return (
        f.projects,
        f.amount,
        f.ngos,
        f.active_ngos,
        f.active_funded,
        f.ngo_share,
        f.average_score,
        f.achievement,
        f.achieved,
        f.evaluation_mean,
        f.evaluation_out_of,
        f.evaluation_percent,
        f.evaluated,
    )


def row(stats: FundingStatistics, breakdown: str, key: Any) -> FundingFigures:
    return next(f for f in stats.breakdowns[breakdown] if f.key == key)


def test_figures_per_region_year_area_body_and_in_total(w: sf.World) -> None:
    stats = funding_statistics()
    assert figures(stats.total) == (
        4, 18_000_000, 3, 4, 3, D("75.0"), D("20.17"), D("70.0"), 2, D("17.5"), D("25.0"),
        D("70.0"), 2,
    )  # fmt: skip
    assert figures(row(stats, "region", w.kyzylorda)) == (
        3, 12_000_000, 2, 3, 2, D("66.7"), D("21.25"), D("90.0"), 1, D("20.0"), D("25.0"),
        D("80.0"), 1,
    )  # fmt: skip
    # P2 is on a national lot: it counts in the application's region.
    assert figures(row(stats, "region", w.aktobe)) == (
        1, 6_000_000, 1, 1, 1, D("100.0"), D("18.00"), D("50.0"), 1, D("15.0"), D("25.0"),
        D("60.0"), 1,
    )  # fmt: skip
    others = [f for f in stats.regions if f.key not in (w.kyzylorda, w.aktobe)]
    assert len(stats.regions) == 20
    assert {figures(f) for f in others} == {
        (0, 0, 0, 0, 0, None, None, None, 0, None, None, None, 0)
    }
    assert [(f.key, f.projects, f.amount, f.ngos) for f in stats.years] == [
        (2023, 2, 10_000_000, 2),
        (2024, 2, 8_000_000, 2),
    ]
    assert [(f.average_score, f.achievement, f.evaluation_mean) for f in stats.years] == [
        (D("19.25"), D("70.0"), D("17.5")),
        (D("22.00"), None, None),  # P3's report is not approved, its evaluation a draft
    ]
    assert [(f.key, f.projects, f.amount, f.ngos, f.average_score) for f in stats.areas] == [
        (w.first_area, 2, 7_000_000, 1, D("21.25")),
        (w.second_area, 2, 11_000_000, 2, D("18.00")),  # P4 has no score
    ]
    # Bodies by amount, the largest first; only regions carry NGOs registered.
    assert [(f.key, f.projects, f.amount, f.active_ngos) for f in stats.bodies] == [
        (w.operator, 2, 11_000_000, None),
        (w.state_body, 2, 7_000_000, None),
    ]
    assert [(f.achievement, f.evaluation_mean) for f in stats.bodies] == [
        (D("50.0"), D("15.0")),
        (D("90.0"), D("20.0")),
    ]


def test_filters_narrow_every_figure(w: sf.World) -> None:
    in_2024 = funding_statistics(filters=FundingFilters(year=2024))
    # K1 and K2 were funded in 2024, of the 4 active NGOs.
    assert figures(in_2024.total)[:7] == (2, 8_000_000, 2, 4, 2, D("50.0"), D("22.00"))
    assert [f.key for f in in_2024.years] == [2024]

    aktobe = funding_statistics(filters=FundingFilters(region=w.aktobe))
    assert [f.key for f in aktobe.regions] == [w.aktobe]
    assert figures(aktobe.total) == figures(row(aktobe, "region", w.aktobe))
    assert aktobe.total.active_ngos == 1

    grants = funding_statistics(filters=FundingFilters(kind=ProgrammeKind.STATE_GRANT))
    assert (grants.total.projects, grants.total.amount) == (2, 11_000_000)
    assert [f.key for f in grants.bodies] == [w.operator]
    assert funding_statistics(filters=FundingFilters(body=w.operator)).total.amount == 11_000_000
    youth = funding_statistics(filters=FundingFilters(area=w.first_area, year=2023))
    assert figures(youth.total)[:3] == (1, 4_000_000, 1)
    assert (youth.total.achievement, youth.total.evaluation_mean) == (D("90.0"), D("20.0"))
    nothing = funding_statistics(filters=FundingFilters(year=2019))
    assert figures(nothing.total) == (
        0, 0, 0, 4, 0, D("0.0"), None, None, 0, None, None, None, 0,
    )  # fmt: skip
    assert (nothing.years, nothing.areas, nothing.bodies) == ([], [], [])


def test_share_counts_the_regions_own_active_ngos_and_never_exceeds_all(w: sf.World) -> None:
    """An Aktobe NGO funded in Kyzylorda and an NGO of Kyzylorda since made inactive count
    among Kyzylorda's NGOs funded, not in its share of active NGOs funded."""
    extra = {"year": 2024, "area": w.first_area, "body": w.state_body, "score": None}
    sf.funded(region=w.kyzylorda, ngo=w.ngos["A1"], amount=1_000_000, **extra)
    sf.funded(region=w.kyzylorda, ngo=w.ngos["K4"], amount=1_000_000, **extra)
    stats = funding_statistics()
    kyzylorda = row(stats, "region", w.kyzylorda)
    assert (kyzylorda.ngos, kyzylorda.active_ngos, kyzylorda.active_funded) == (4, 3, 2)
    assert kyzylorda.ngo_share == D("66.7")
    aktobe = row(stats, "region", w.aktobe)
    assert (aktobe.ngos, aktobe.active_funded, aktobe.ngo_share) == (1, 1, D("100.0"))
    assert (stats.total.ngos, stats.total.active_funded, stats.total.ngo_share) == (
        4,
        3,
        D("75.0"),
    )
    # Narrowed to projects in Aktobe: A1 was funded there, K1 and K2 were not.
    in_aktobe = funding_statistics(filters=FundingFilters(region=w.aktobe))
    assert (in_aktobe.total.active_funded, in_aktobe.total.active_ngos) == (1, 1)
    assert all(f.ngo_share is None or f.ngo_share <= 100 for f in stats.regions)


def test_the_latest_approved_report_counts(cast: Cast, w: sf.World) -> None:
    """P2's final report is only submitted: its progress report (50%) counts; once the final
    one is approved, it does (300 of 300: 100%)."""
    contract = w.projects["P2"].contract
    final = contract.reports.get(number=2)
    final.status = "approved"
    final.reviewed_at = final.submitted_at
    final.save()
    assert row(funding_statistics(), "region", w.aktobe).achievement == D("100.0")


def test_achievements_agree_with_the_contract_pages(cast: Cast, w: sf.World) -> None:
    """The bulk computation gives each contract what `achievement.contract_results` gives it,
    also when the latest approved report has no values (then the contract has none)."""
    p3 = w.projects["P3"].contract
    now = timezone.now()
    p3.reports.filter(number=1).update(status="approved", reviewed_at=now)
    # The final report is approved too, without values: it is the latest approved one.
    p3.reports.filter(number=2).update(status="approved", submitted_at=now, reviewed_at=now)
    bulk = dict(contract_achievements(FundingFilters()))
    one_by_one = {}
    contracts = Contract.objects.select_related("application__lot__competition__programme")
    for contract in with_results(contracts):
        average = average_achievement(contract_results(contract))
        if average is not None:
            lot = contract.application.lot
            keys = (
                contract.application.region_id,
                lot.competition.programme.year,
                lot.area_id,
                lot.competition.organiser_id,
            )
            one_by_one[keys] = average
    assert bulk == one_by_one
    assert sorted(bulk.values()) == [D("50.0"), D("90.0")]


def test_a_cycle_through_the_services_is_counted(cast: Cast) -> None:
    _comp, application = f.published(cast)
    line = DecisionLine.objects.get(application=application)
    stats = funding_statistics()
    kyzylorda = row(stats, "region", application.region)
    assert (kyzylorda.projects, kyzylorda.amount, kyzylorda.ngos) == (1, 5_000_000, 1)
    assert kyzylorda.average_score == line.total_score
    assert stats.total.projects == 1


def _queries(filters: FundingFilters | None = None) -> int:
    with CaptureQueriesContext(connection) as context:
        funding_statistics(filters=filters)
    return len(context)


def test_queries_do_not_grow_with_regions_projects_or_contracts(
    cast: Cast, w: sf.World, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(8):
        funding_statistics()
    one = _queries()
    filtered = _queries(FundingFilters(year=2024, kind=ProgrammeKind.SOCIAL_ORDER))
    sf.more_regions(cast, w, ["15", "71", "75"])
    assert _queries() == one
    assert _queries(FundingFilters(year=2024, kind=ProgrammeKind.SOCIAL_ORDER)) == filtered
    stats = funding_statistics()
    assert stats.total.projects == 7
    assert stats.total.achieved == 5  # P1, P2 and the three new contracts
    assert stats.total.evaluated == 5
