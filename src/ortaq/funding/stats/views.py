"""Public regional funding statistics (/<lang>/stats/funding/): tables, charts, CSV and XLSX of
the same filtered figures. Read through `stats/selectors.py`, kept in the cache for five minutes."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ortaq.core.exports import Sheet, csv_response, xlsx_response

from ..enums import ProgrammeKind
from . import selectors
from .forms import FundingStatsFilterForm
from .selectors import FundingFigures, FundingStatistics


@require_GET
def funding_stats(request: HttpRequest) -> HttpResponseBase:
    """Public: per region, year, activity area and body, as tables, charts, CSV and XLSX."""
    form = FundingStatsFilterForm(request.GET or None)
    filters = form.filters()
    stats = selectors.funding_statistics_cached(filters=filters)
    fmt = request.GET.get("format")
    if fmt == "csv":
        return _csv(stats)
    if fmt == "xlsx":
        return _xlsx(stats)
    query = filters.query()
    return render(
        request,
        "funding/stats/funding.html",
        {
            "form": form,
            "stats": stats,
            "tables": _tables(stats),
            "chart_data": chart_data(stats),
            "csv_query": urlencode({**query, "format": "csv"}),
            "xlsx_query": urlencode({**query, "format": "xlsx"}),
            "api_query": urlencode(query),
        },
    )


def _tables(stats: FundingStatistics) -> list[dict[str, Any]]:
    """The tables of the page; `base` is the query string a row's link adds its key to."""
    query = stats.filters.query()
    titles = {
        "region": _("By region"),
        "year": _("By year"),
        "area": _("By activity area"),
        "body": _("By body"),
    }
    tables = []
    for breakdown, rows in stats.breakdowns.items():
        others = urlencode({k: v for k, v in query.items() if k != breakdown})
        tables.append(
            {
                "breakdown": breakdown,
                "title": titles[breakdown],
                "rows": rows,
                "share": breakdown == "region",
                "base": f"{others}&" if others else "",
            }
        )
    return tables


def chart_data(stats: FundingStatistics) -> dict[str, Any]:
    """What funding/stats.js draws; labels are already in the active language, amounts in
    millions of tenge."""

    def millions(rows: list[FundingFigures]) -> list[float]:
        return [round(f.amount / 1_000_000, 1) for f in rows]

    def percent(value: Decimal | None) -> float | None:
        return None if value is None else float(value)

    return {
        "amount_label": _("Amount, million ₸"),
        "projects_label": _("Projects"),
        "share_label": _("Active NGOs funded, %"),
        "achievement_label": _("Indicators achieved, %"),
        "regions": {
            "labels": [f.key.name for f in stats.regions],
            "amount": millions(stats.regions),
            "projects": [f.projects for f in stats.regions],
            "share": [percent(f.ngo_share) for f in stats.regions],
            "achievement": [percent(f.achievement) for f in stats.regions],
        },
        "years": {
            "labels": [f.key for f in stats.years],
            "amount": millions(stats.years),
            "projects": [f.projects for f in stats.years],
        },
        "areas": {
            "labels": [f.key.name for f in stats.areas],
            "amount": millions(stats.areas),
        },
    }


# --- Exports: exactly the figures of the tables, every breakdown ------------------------------


def export_header() -> list[str]:
    return [
        _("Breakdown"),
        _("Code"),
        _("Name"),
        _("Projects"),
        _("Amount, ₸"),
        _("NGOs funded"),
        _("Active NGOs registered"),
        _("Active NGOs funded"),
        _("Active NGOs funded, %"),
        _("Average score"),
        _("Indicators achieved, %"),
        _("Contracts with an approved report"),
        _("Evaluation, mean total"),
        _("Evaluation, out of"),
        _("Evaluation, %"),
        _("Evaluations"),
    ]


def _code_and_name(breakdown: str, figures: FundingFigures) -> tuple[Any, str]:
    key = figures.key
    if breakdown == "year":
        return key, str(key)
    if breakdown == "body":
        return key.bin or key.pk, key.name
    return key.code, key.name


def export_sections(stats: FundingStatistics) -> list[tuple[str, list[list[Any]]]]:
    """(breakdown, rows) in the order of the page; each row starts with its code and name."""
    labels = {
        "region": _("Region"),
        "year": _("Year"),
        "area": _("Activity area"),
        "body": _("Body"),
    }
    return [
        (
            labels[breakdown],
            [[*_code_and_name(breakdown, figures), *_figures(figures)] for figures in rows],
        )
        for breakdown, rows in stats.breakdowns.items()
    ]


def export_total(stats: FundingStatistics) -> list[Any]:
    return ["", _("Total"), *_figures(stats.total)]


def export_rows(stats: FundingStatistics) -> Iterator[list[Any]]:
    """The CSV's rows: every breakdown, then the total."""
    for label, rows in export_sections(stats):
        for row in rows:
            yield [label, *row]
    yield [_("Total"), *export_total(stats)]


def _figures(f: FundingFigures) -> list[Any]:
    return [
        f.projects,
        f.amount,
        f.ngos,
        f.active_ngos,
        f.active_funded if f.active_ngos is not None else None,
        f.ngo_share,
        f.average_score,
        f.achievement,
        f.achieved,
        f.evaluation_mean,
        f.evaluation_out_of,
        f.evaluation_percent,
        f.evaluated,
    ]


def _filename(stats: FundingStatistics, suffix: str) -> str:
    year = stats.filters.year
    return f"funding-statistics{f'-{year}' if year else ''}.{suffix}"


def _csv(stats: FundingStatistics) -> HttpResponseBase:
    return csv_response(export_header(), export_rows(stats), _filename(stats, "csv"), stream=False)


def _xlsx(stats: FundingStatistics) -> HttpResponseBase:
    """One sheet per breakdown (the total closes each), and the filters applied."""
    header = export_header()[1:]
    total = export_total(stats)
    sheets = [Sheet(label, header, [*rows, total]) for label, rows in export_sections(stats)]
    sheets.append(Sheet(_("Filters"), None, [list(pair) for pair in _filter_labels(stats)]))
    return xlsx_response(sheets, _filename(stats, "xlsx"))


def _filter_labels(stats: FundingStatistics) -> list[tuple[str, str]]:
    filters = stats.filters
    every = _("all")
    return [
        (_("Year"), str(filters.year) if filters.year else every),
        (_("Region"), filters.region.name if filters.region else every),
        (_("Activity area"), filters.area.name if filters.area else every),
        (_("Body"), filters.body.name if filters.body else every),
        (_("Kind"), str(ProgrammeKind(filters.kind).label) if filters.kind else every),
    ]
