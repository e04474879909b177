"""Public project pages (issue #5): the list of funded projects with its exports, the map by
region and one project's page. Anyone may read them; they show public parts only
(`projects/selectors.py`)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ortaq.core.uploads import private_file_response
from ortaq.lib.spreadsheets import safe_row

from ..models import Contract, VisitPhoto
from . import selectors
from .filters import ProjectFilter

PAGE_SIZE = 20
PHOTO_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})


@dataclass(frozen=True)
class ProjectRow:
    contract: Contract
    achievement: Decimal | None


def _query_string(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def project_list(request: HttpRequest) -> HttpResponse:
    filterset = selectors.project_filterset(request.GET)
    paginator = Paginator(selectors.project_rows(filterset), PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    rows = [ProjectRow(c, selectors.project_achievement(c)) for c in page_obj.object_list]
    return render(
        request,
        "funding/projects/list.html",
        {
            "filter": filterset,
            "page_obj": page_obj,
            "rows": rows,
            "total": paginator.count,
            "query_string": _query_string(request),
        },
    )


def _map_query(filterset: ProjectFilter) -> str:
    """The map's valid filters as a query string, for the links to the filtered list."""
    filterset.is_valid()  # cleans the fields; an invalid one is left out
    cleaned = filterset.form.cleaned_data
    values = {
        name: getattr(cleaned[name], "code", cleaned[name])
        for name in selectors.MAP_FILTERS
        if cleaned.get(name) not in (None, "")
    }
    return urlencode(values)


def project_map(request: HttpRequest) -> HttpResponse:
    filterset = selectors.project_filterset(request.GET)
    query = _map_query(filterset)
    return render(
        request,
        "funding/projects/map.html",
        {
            "filter": filterset,
            "map_fields": [filterset.form[name] for name in selectors.MAP_FILTERS],
            "map": selectors.project_map(request.GET),
            "query": query,
        },
    )


def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        project = selectors.project_detail(pk=pk)
    except Contract.DoesNotExist as error:
        raise Http404 from error
    return render(request, "funding/projects/detail.html", {"project": project})


def project_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """A photo of a published monitoring visit of a public project, shown in the page."""
    try:
        photo = selectors.public_photo(pk=pk)
    except VisitPhoto.DoesNotExist as error:
        raise Http404 from error
    if photo.content_type not in PHOTO_TYPES:
        raise Http404
    return private_file_response(
        photo.file,
        content_type=photo.content_type,
        filename=photo.original_name,
        cache="public, max-age=3600",
    )


# --- Exports ----------------------------------------------------------------------------------


def _export_header() -> list[str]:
    return [
        _("Contract number"),
        _("Project"),
        _("NGO"),
        _("BIN of the NGO"),
        _("Customer"),
        _("Region"),
        _("Programme"),
        _("Year"),
        _("Activity area"),
        _("Amount, ₸"),
        _("Paid so far, ₸"),
        _("Start"),
        _("End"),
        _("Status"),
        _("Indicators achieved, %"),
    ]


def _export_row(contract: Contract) -> list[Any]:
    lot = contract.application.lot
    programme = lot.competition.programme
    achievement = selectors.project_achievement(contract)
    return [
        contract.number,
        contract.title,
        contract.ngo.organisation.name,
        contract.ngo.organisation.bin,
        contract.organiser.name,
        selectors.region_label(contract),
        programme.get_kind_display(),
        programme.year,
        lot.area.name,
        contract.amount,
        contract.paid,  # type: ignore[attr-defined]
        contract.start_date.isoformat(),
        contract.end_date.isoformat(),
        contract.get_status_display(),
        "" if achievement is None else float(achievement),
    ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_rows(rows: Iterator[list[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # Excel reads the file as UTF-8
    yield writer.writerow(safe_row(_export_header()))
    for row in rows:
        yield writer.writerow(safe_row(row))


def project_export(request: HttpRequest, format: str) -> HttpResponseBase:
    """The list for the same query string, as CSV (streamed) or XLSX."""
    if format not in ("csv", "xlsx"):
        raise Http404
    queryset = selectors.project_list(request.GET)
    rows = (_export_row(contract) for contract in queryset.iterator(chunk_size=500))
    stamp = timezone.localdate().isoformat()
    if format == "csv":
        stream = StreamingHttpResponse(_csv_rows(rows), content_type="text/csv; charset=utf-8")
        stream["Content-Disposition"] = f'attachment; filename="projects-{stamp}.csv"'
        return stream
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Projects")[:31])
    sheet.append(safe_row(_export_header()))
    for row in rows:
        sheet.append(safe_row(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="projects-{stamp}.xlsx"'
    return response
