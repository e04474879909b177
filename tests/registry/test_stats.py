"""Regional statistics: exact figures on a small registry, few queries, the public page."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from ortaq.reference.models import ActivityArea, LegalForm
from ortaq.registry.models import NgoProfile
from ortaq.registry.report_selectors import closed_year
from ortaq.registry.stats import ngo_statistics
from tests.access import EVERYONE, Cast, HttpRow, assert_http_matrix
from tests.factories import OrganisationFactory, region

from .factories import AnnualReportFactory, NgoProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """The page keeps the statistics for five minutes; each test starts without them."""
    cache.clear()


def ngo(code: str, **values: Any) -> NgoProfile:
    return NgoProfileFactory(organisation=OrganisationFactory(region=region(code)), **values)


@pytest.fixture
def registry() -> dict[str, Any]:
    year = closed_year()
    kzo_a = ngo("43", settlement="rural", is_childrens=True, registration_year=2010)
    kzo_b = ngo("43", status="inactive", registration_year=2012)
    kzo_c = ngo("43", status="liquidated", is_ethnocultural=True, registration_year=2012)
    kzo_d = ngo("43", registration_year=2014)
    ast_a = ngo(
        "71", legal_form=LegalForm.objects.get(code="public_foundation"), registration_year=2014
    )
    ngo("71", legal_form=LegalForm.objects.get(code="party_branch"), registration_year=2015)
    ngo("71", legal_form=LegalForm.objects.get(code="trade_union"), registration_year=2016)
    kzo_a.activity_areas.set(ActivityArea.objects.filter(code__in=["youth", "culture"]))
    ast_a.activity_areas.set(ActivityArea.objects.filter(code="youth"))
    when = timezone.now()
    AnnualReportFactory(ngo=kzo_a, year=year, status="accepted", submitted_at=when)
    AnnualReportFactory(
        ngo=kzo_d, year=year, status="submitted", submitted_at=when, submitted_late=True
    )
    AnnualReportFactory(ngo=ast_a, year=year, status="draft")
    AnnualReportFactory(ngo=kzo_b, year=year, status="accepted", submitted_at=when)  # inactive
    return {"year": year, "kzo_c": kzo_c}


def test_figures_per_region_and_nationally(
    registry: dict[str, Any], django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(8):
        stats = ngo_statistics()
    kzo = next(f for f in stats.regions if f.region and f.region.code == "43")
    ast = next(f for f in stats.regions if f.region and f.region.code == "71")
    assert (kzo.registered, kzo.active, kzo.rural, kzo.childrens, kzo.ethnocultural) == (
        4,
        2,
        1,
        1,
        1,
    )
    assert kzo.statuses == {
        "active": 2,
        "inactive": 1,
        "suspended": 0,
        "in_liquidation": 0,
        "liquidated": 1,
    }
    assert (kzo.filed_on_time, kzo.compliance) == (1, 0.5)
    assert (ast.registered, ast.active, ast.party_branches, ast.trade_unions) == (1, 1, 1, 1)
    assert ast.compliance == 0.0
    assert (stats.total.registered, stats.total.active, stats.total.filed_on_time) == (5, 3, 1)
    assert stats.total.rural_share == 0.2
    assert {f.code: n for f, n in stats.legal_forms if n} == {
        "public_association": 4,
        "public_foundation": 1,
        "party_branch": 1,
        "trade_union": 1,
    }
    assert {a.code: n for a, n in stats.areas if n} == {"youth": 2, "culture": 1}
    assert stats.growth == [(2010, 1, 1), (2011, 0, 1), (2012, 2, 3), (2013, 0, 3), (2014, 2, 5)]


def test_breakdowns_for_one_region(registry: dict[str, Any]) -> None:
    stats = ngo_statistics(region=region("71"))
    assert stats.selected.registered == 1
    assert {f.code: n for f, n in stats.legal_forms if n} == {
        "public_foundation": 1,
        "party_branch": 1,
        "trade_union": 1,
    }
    assert stats.growth == [(2014, 1, 1)]


def test_seed_figures_are_representable(registry: dict[str, Any]) -> None:
    """The national April 2023 figures fit the columns (registered = sum of statuses)."""
    stats = ngo_statistics()
    assert stats.total.registered == sum(stats.total.statuses.values())


def test_stats_page_csv_and_json(registry: dict[str, Any], client: Client) -> None:
    html = client.get("/ru/stats/ngos/").content.decode()
    assert 'id="ngo-stats-data" type="application/json"' in html
    assert "<script>" not in html  # nothing inline: the CSP stays strict
    data = json.loads(html.split('id="ngo-stats-data" type="application/json">')[1].split("<")[0])
    assert data["regions"]["registered"][len(data["regions"]["registered"]) - 1] == 0
    assert sum(data["regions"]["registered"]) == 5
    csv_text = client.get("/en/stats/ngos/?format=csv").content.decode("utf-8-sig")
    lines = csv_text.splitlines()
    assert lines[0].startswith("Code,Region,Registered,Active,Inactive,Suspended")
    assert lines[-1] == ",Kazakhstan,5,3,1,0,0,1,1,20.0,1,1,1,1,1,33.3"
    kzo = next(line for line in lines if line.startswith("43,"))
    assert kzo == "43,Kyzylorda Region,4,2,1,0,0,1,1,25.0,1,1,0,0,1,50.0"
    payload = client.get("/en/stats/ngos/?format=json").json()
    assert payload["report_year"] == registry["year"]
    assert payload["legal_forms"]["party_branch"] == 1


def test_stats_page_is_public(cast: Cast) -> None:
    assert_http_matrix(cast, [HttpRow("statistics", "GET", lambda c: "/kk/stats/ngos/", EVERYONE)])


def test_page_keeps_the_figures_for_five_minutes(registry: dict[str, Any], client: Client) -> None:
    assert client.get("/en/stats/ngos/").context["selected"].registered == 5
    ngo("43")
    assert client.get("/en/stats/ngos/").context["selected"].registered == 5
    cache.clear()
    assert client.get("/en/stats/ngos/").context["selected"].registered == 6


def test_closed_year_reports_only(registry: dict[str, Any]) -> None:
    later = ngo_statistics(year=registry["year"] + 1)
    assert later.total.filed_on_time == 0
    assert dt.date.today().year >= registry["year"]
