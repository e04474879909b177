"""The map of projects by region: a tile per region and one for national projects, with the
number and amount of public projects, for the filters year, kind, area and status."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from django.test import Client

import ortaq.funding
import ortaq.reference
from ortaq.funding.enums import ContractStatus, ProgrammeKind
from ortaq.funding.models import Contract, Programme
from ortaq.funding.projects.selectors import (
    GRID_COLUMNS,
    GRID_ROWS,
    NATIONAL_CELL,
    REGION_GRID,
    project_map,
)
from ortaq.funding.templatetags.funding_projects import tenge_short
from ortaq.reference.models import Region
from tests.access import Cast

from . import factories as f

REFERENCE = Path(ortaq.reference.__file__).parent / "data" / "regions.csv"
CSS = Path(ortaq.funding.__file__).parent / "static" / "funding" / "projects.css"


def test_every_region_has_its_own_cell_of_the_grid() -> None:
    with REFERENCE.open(encoding="utf-8") as handle:
        codes = {row["code"] for row in csv.DictReader(handle)}
    assert len(codes) == 20
    assert set(REGION_GRID) == codes
    cells = [*REGION_GRID.values(), NATIONAL_CELL]
    assert len(set(cells)) == len(cells)
    assert all(1 <= c <= GRID_COLUMNS and 1 <= r <= GRID_ROWS for c, r in cells)


def test_the_stylesheet_places_every_column_and_row_and_has_every_shade() -> None:
    css = CSS.read_text(encoding="utf-8")
    for column in range(1, GRID_COLUMNS + 1):
        assert f".ortaq-tile-c{column} {{ grid-column: {column}; }}" in css
    for row in range(1, GRID_ROWS + 1):
        assert f".ortaq-tile-r{row} {{ grid-row: {row}; }}" in css
    for shade in range(6):
        assert f".ortaq-shade-{shade} {{" in css
    assert f"repeat({GRID_COLUMNS}, " in css


def test_short_amounts() -> None:
    assert tenge_short(950_000) == "950\u00a0000\u00a0₸"
    assert tenge_short(5_000_000) == "5\u00a0mln\u00a0₸"
    assert tenge_short(12_450_000) == "12,5\u00a0mln\u00a0₸"
    assert tenge_short(1_223_000_000) == "1,2\u00a0bn\u00a0₸"


def _move(contract: Contract, *, code: str | None, amount: int | None = None) -> None:
    region = Region.objects.get(code=code) if code else None
    Contract.objects.filter(pk=contract.pk).update(region=region, amount=amount or contract.amount)


@pytest.fixture
def spread(cast: Cast) -> dict[str, Contract]:
    """Two projects in Kyzylorda (5 and 7 million), one in Astana (20 million, an award of
    last year, completed), one national (3 million) and a draft in Kyzylorda (not public)."""
    kyzylorda_a = f.contract(cast)
    kyzylorda_b = f.contract(cast)
    _move(kyzylorda_b, code="43", amount=7_000_000)
    astana = f.contract(cast, status=ContractStatus.COMPLETED)
    _move(astana, code="71", amount=20_000_000)
    Programme.objects.filter(competitions__lots__applications__contract=astana).update(
        kind=ProgrammeKind.AWARD, year=astana.application.lot.competition.programme.year - 1
    )
    national = f.contract(cast)
    _move(national, code=None, amount=3_000_000)
    draft = f.contract(cast, status=ContractStatus.DRAFT)
    return {
        "kyzylorda_a": kyzylorda_a,
        "kyzylorda_b": kyzylorda_b,
        "astana": astana,
        "national": national,
        "draft": draft,
    }


def _figures(params: dict[str, str] | None = None) -> dict[str, tuple[int, int, int]]:
    return {
        tile.code: (tile.projects, tile.amount, tile.shade)
        for tile in project_map(params).tiles
        if tile.projects
    }


@pytest.mark.django_db
def test_figures_per_region_and_national(spread: dict[str, Contract]) -> None:
    figures = project_map()
    assert len(figures.tiles) == 21
    assert figures.tiles[-1].code == "national"
    assert _figures() == {
        "43": (2, 12_000_000, 3),
        "71": (1, 20_000_000, 5),
        "national": (1, 3_000_000, 1),
    }
    assert (figures.projects, figures.amount) == (4, 35_000_000)
    assert figures.shade_limits == [4_000_000, 8_000_000, 12_000_000, 16_000_000, 20_000_000]


@pytest.mark.django_db
def test_figures_follow_year_kind_area_and_status(spread: dict[str, Contract]) -> None:
    year = spread["kyzylorda_a"].application.lot.competition.programme.year
    assert _figures({"year": str(year)}) == {
        "43": (2, 12_000_000, 5),
        "national": (1, 3_000_000, 2),
    }
    assert _figures({"kind": ProgrammeKind.AWARD}) == {"71": (1, 20_000_000, 5)}
    assert _figures({"status": ContractStatus.COMPLETED}) == {"71": (1, 20_000_000, 5)}
    area = spread["astana"].application.lot.area.code
    assert set(_figures({"area": area})) == {"43", "71", "national"}
    assert _figures({"area": "no-such-area"}) == _figures()  # ignored, not an error
    # The region is what the map shows, not a filter of it.
    assert _figures({"region": "71"}) == _figures()


@pytest.mark.django_db
def test_map_page_shows_tiles_and_table_linking_to_the_filtered_list(
    spread: dict[str, Contract],
) -> None:
    year = spread["kyzylorda_a"].application.lot.competition.programme.year
    html = Client().get(f"/en/funding/projects/map/?year={year}&kind=&region=71").content.decode()
    tile = re.search(r'<li class="ortaq-tile ortaq-tile-c2 ortaq-tile-r4 ([^"]*)"', html)
    assert tile is not None
    assert tile.group(1) == "ortaq-shade-5"  # Kyzylorda
    assert f'href="/en/funding/projects/?region=43&amp;year={year}"' in html
    assert f'href="/en/funding/projects/?region=national&amp;year={year}"' in html
    assert 'href="/en/funding/projects/?region=71' not in html  # no project that year
    assert "12\u00a0mln\u00a0₸" in html
    row = re.search(r'<tr data-region="43">.*?</tr>', html, re.S)
    assert row is not None
    assert '<td class="text-end">2</td>' in row.group(0)
    assert "12\u00a0000\u00a0000\u00a0₸" in row.group(0)
    assert 'id="map-total">3 projects for 15\u00a0000\u00a0000\u00a0₸</p>' in html
    # The tiles carry classes only: the Content-Security-Policy allows no style attribute.
    assert "style=" not in html
    # Almaty Region and the city of Almaty keep apart on their tiles.
    assert '<span class="ortaq-tile-name" aria-hidden="true">Almaty Region</span>' in html
    assert '<span class="ortaq-tile-name" aria-hidden="true">Almaty</span>' in html


@pytest.mark.django_db
def test_map_api_gives_the_same_figures(spread: dict[str, Contract]) -> None:
    rows = Client().get("/api/v1/projects/map/?kind=award").json()
    assert len(rows) == 21
    shown = [r for r in rows if r["projects"]]
    assert shown == [
        {
            "region": "71",
            "kato": "710000000",
            "name_kk": "Астана қаласы",
            "name_ru": "город Астана",
            "name_en": "Astana",
            "projects": 1,
            "amount": 20_000_000,
        }
    ]
    everything = {r["region"]: r["projects"] for r in Client().get("/api/v1/projects/map/").json()}
    assert (everything["43"], everything["71"], everything[None]) == (2, 1, 1)
