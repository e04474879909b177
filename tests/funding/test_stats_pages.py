"""The public funding statistics page, its CSV and XLSX, the API, the cache, and access."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from ortaq.funding.stats.selectors import FundingFilters, funding_statistics
from ortaq.funding.stats.views import export_header, export_rows
from tests.access import EVERYONE, Cast, HttpRow, assert_http_matrix

from . import stats_factories as sf

pytestmark = pytest.mark.django_db

URL = "/en/stats/funding/"
API = "/api/v1/stats/funding/"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """The page keeps the figures for five minutes; each test starts without them."""
    cache.clear()


@pytest.fixture
def w(cast: Cast) -> sf.World:
    return sf.world(cast)


def _csv(client: Client, query: str = "") -> list[list[str]]:
    response = client.get(f"{URL}?format=csv{query}")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    raw = response.content.decode("utf-8")
    assert raw.startswith("\ufeff")
    return list(csv.reader(io.StringIO(raw[1:])))


def test_page_shows_the_tables_charts_and_definitions(w: sf.World, client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>" not in html  # nothing inline: the CSP stays strict
    assert "style=" not in html
    marker = 'id="funding-stats-data" type="application/json">'
    data = json.loads(html.split(marker)[1].split("</script>")[0])
    assert data["years"] == {"labels": [2023, 2024], "amount": [10.0, 8.0], "projects": [2, 2]}
    kyzylorda = data["regions"]["labels"].index("Kyzylorda Region")
    assert (data["regions"]["amount"][kyzylorda], data["regions"]["share"][kyzylorda]) == (
        12.0,
        66.7,
    )
    assert "funding/stats.js" in html
    assert "vendor/chartjs/chart.umd.min.js" in html
    assert "How the figures are computed" in html
    context = response.context
    assert [t["breakdown"] for t in context["tables"]] == ["region", "year", "area", "body"]
    assert context["stats"].total.amount == 18_000_000
    # Rows link to the same page narrowed to them; the summary shows the national figures.
    assert f'href="?region={w.kyzylorda.pk}"' in html
    assert "18\u00a0000\u00a0000\u00a0₸" in html
    assert "75.0%" in html


def test_row_links_keep_the_other_filters(w: sf.World, client: Client) -> None:
    html = client.get(f"{URL}?year=2024").content.decode()
    assert f'href="?year=2024&amp;region={w.kyzylorda.pk}"' in html
    assert 'href="?year=2024"' in html  # the year table's rows set the year
    assert "format=csv&amp;year=2024" in html or "year=2024&amp;format=csv" in html
    assert f'href="{API}?year=2024"' in html


@pytest.mark.parametrize(
    "query",
    [
        "year=abc",
        "year=1999",
        "region=999999",
        "region=x",
        "area=-1",
        "body=abc",
        "kind=bogus",
        "year=abc&region=999999&area=x&body=0&kind=bogus",
    ],
)
def test_bad_filters_are_shown_and_ignored(w: sf.World, client: Client, query: str) -> None:
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors
    assert response.context["stats"].total.amount == 18_000_000  # nothing filtered
    assert _csv(client, f"&{query}")[-1][4] == "18000000"
    assert client.get(f"{API}?{query}").status_code == 400


def test_a_bad_filter_leaves_the_good_ones(w: sf.World, client: Client) -> None:
    response = client.get(f"{URL}?year=abc&region={w.aktobe.pk}")
    assert list(response.context["form"].errors) == ["year"]
    assert response.context["stats"].filters == FundingFilters(region=w.aktobe)
    assert response.context["stats"].total.amount == 6_000_000


def test_api_reports_the_bad_filter(w: sf.World, client: Client) -> None:
    response = client.get(f"{API}?year=abc")
    assert response.status_code == 400
    assert list(response.json()) == ["year"]


def test_csv_equals_the_tables(w: sf.World, client: Client) -> None:
    rows = _csv(client, "&year=2023")
    stats = funding_statistics(filters=FundingFilters(year=2023))
    assert rows[0] == export_header()
    assert rows[1:] == [["" if v is None else str(v) for v in row] for row in export_rows(stats)]
    assert rows[0][:9] == [
        "Breakdown",
        "Code",
        "Name",
        "Projects",
        "Amount, ₸",
        "NGOs funded",
        "Active NGOs registered",
        "Active NGOs funded",
        "Active NGOs funded, %",
    ]
    kyzylorda = next(r for r in rows if r[:2] == ["Region", "43"])
    assert kyzylorda == [
        "Region", "43", "Kyzylorda Region", "1", "4000000", "1", "3", "1", "33.3", "20.50", "90.0",
        "1", "20.0", "25.0", "80.0", "1",
    ]  # fmt: skip
    assert [r[:6] for r in rows[1:] if r[0] != "Region"] == [
        ["Year", "2023", "2023", "2", "10000000", "2"],
        ["Activity area", w.first_area.code, w.first_area.name_en, "1", "4000000", "1"],
        ["Activity area", w.second_area.code, w.second_area.name_en, "1", "6000000", "1"],
        ["Body", w.operator.bin, w.operator.name_en, "1", "6000000", "1"],
        ["Body", w.state_body.bin, w.state_body.name_en, "1", "4000000", "1"],
        ["Total", "", "Total", "2", "10000000", "2"],
    ]
    assert rows[-1] == [
        "Total", "", "Total", "2", "10000000", "2", "4", "2", "50.0", "19.25", "70.0", "2", "17.5",
        "25.0", "70.0", "2",
    ]  # fmt: skip
    assert len([r for r in rows if r[0] == "Region"]) == 20


def _value(cell: object) -> object:
    """A cell of the CSV (text) or the XLSX (numbers) as a comparable value."""
    if cell is None or cell == "":
        return None
    try:
        return Decimal(str(cell))
    except ArithmeticError:
        return str(cell)


def test_xlsx_has_a_sheet_per_table_and_the_filters(w: sf.World, client: Client) -> None:
    response = client.get(f"{URL}?format=xlsx&year=2023")
    assert response["Content-Disposition"] == 'attachment; filename="funding-statistics-2023.xlsx"'
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["Region", "Year", "Activity area", "Body", "Filters"]
    csv_rows = [[_value(v) for v in row] for row in _csv(client, "&year=2023")]
    for sheet in ("Region", "Year", "Activity area", "Body"):
        cells = [[_value(v) for v in row] for row in book[sheet].iter_rows(values_only=True)]
        assert cells[0] == csv_rows[0][1:]
        assert cells[1:-1] == [r[1:] for r in csv_rows if r[0] == sheet]
        assert cells[-1] == csv_rows[-1][1:]
    numbers = list(book["Region"].iter_rows(values_only=True))
    kyzylorda = next(r for r in numbers if r[0] == "43")
    assert kyzylorda[2:5] == (1, 4_000_000, 1)
    assert kyzylorda[6:8] in ((1, Decimal("33.3")), (1, 33.3))
    filters = list(book["Filters"].iter_rows(values_only=True))
    assert filters == [
        ("Year", "2023"),
        ("Region", "all"),
        ("Activity area", "all"),
        ("Body", "all"),
        ("Kind", "all"),
    ]


def test_api_gives_the_same_figures(w: sf.World, client: Client) -> None:
    data = client.get(f"{API}?region={w.kyzylorda.pk}").json()
    assert data["filters"] == {
        "year": None,
        "region": "43",
        "area": None,
        "body": None,
        "kind": "",
    }
    assert [r["code"] for r in data["regions"]] == ["43"]
    assert data["total"] == {
        "id": None,
        "code": "",
        "name": "Total",
        "projects": 3,
        "amount": 12_000_000,
        "ngos": 2,
        "active_ngos": 3,
        "active_ngos_funded": 2,
        "ngo_share_percent": 66.7,
        "average_score": 21.25,
        "indicators_achieved_percent": 90.0,
        "contracts_with_approved_report": 1,
        "evaluation_mean": 20.0,
        "evaluation_out_of": 25.0,
        "evaluation_percent": 80.0,
        "evaluations": 1,
    }
    assert [(r["code"], r["projects"]) for r in data["years"]] == [("2023", 1), ("2024", 2)]
    assert [(r["id"], r["amount"]) for r in data["bodies"]] == [
        (w.state_body.pk, 7_000_000),
        (w.operator.pk, 5_000_000),
    ]
    assert data["areas"][0]["code"] == w.first_area.code


def test_api_schema_documents_the_route(client: Client) -> None:
    schema = client.get("/api/v1/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/stats/funding/"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {
        "year",
        "region",
        "area",
        "body",
        "kind",
    }


def test_figures_are_kept_per_filter_and_language(cast: Cast, w: sf.World, client: Client) -> None:
    assert client.get(URL).context["stats"].total.projects == 4
    assert client.get(f"{URL}?year=2024").context["stats"].total.projects == 2
    sf.funded(
        year=2024,
        region=w.aktobe,
        area=w.first_area,
        body=w.state_body,
        ngo=w.ngos["A1"],
        amount=1_000_000,
        score=None,
    )
    # Kept for five minutes: the same filters and language give the same figures...
    assert client.get(URL).context["stats"].total.projects == 4
    assert client.get(f"{URL}?year=2024").context["stats"].total.projects == 2
    # ...other filters or another language are computed afresh.
    assert client.get(f"{URL}?year=2024&kind=social_order").context["stats"].total.projects == 2
    assert client.get("/ru/stats/funding/").context["stats"].total.projects == 5
    assert client.get(f"{URL}?region={w.aktobe.pk}").context["stats"].total.projects == 2
    cache.clear()
    assert client.get(URL).context["stats"].total.projects == 5


def test_page_in_kazakh_names_regions_in_kazakh(w: sf.World, client: Client) -> None:
    html = client.get("/kk/stats/funding/").content.decode()
    assert w.kyzylorda.name_kk in html


def _page_queries(client: Client) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        assert client.get(URL).status_code == 200
    return len(context)


def test_page_queries_do_not_grow(cast: Cast, w: sf.World, client: Client) -> None:
    one = _page_queries(client)
    sf.more_regions(cast, w, ["15", "71", "75"])
    assert _page_queries(client) == one
    # Cached: only the choices of the filters are read.
    with CaptureQueriesContext(connection) as context:
        client.get(URL)
    assert len(context) < one


def test_statistics_are_public(cast: Cast, w: sf.World) -> None:
    assert_http_matrix(
        cast,
        [
            HttpRow("page", "GET", lambda c: "/kk/stats/funding/", EVERYONE),
            HttpRow("csv", "GET", lambda c: "/ru/stats/funding/?format=csv", EVERYONE),
            HttpRow("xlsx", "GET", lambda c: "/en/stats/funding/?format=xlsx", EVERYONE),
            HttpRow("api", "GET", lambda c: API, EVERYONE),
        ],
    )


def test_linked_from_the_ngo_statistics_and_the_funding_pages(client: Client) -> None:
    assert 'href="/en/stats/funding/"' in client.get("/en/stats/ngos/").content.decode()
    assert 'href="/en/stats/funding/"' in client.get("/en/funding/").content.decode()


def test_only_get(client: Client) -> None:
    assert client.post(URL).status_code == 405
