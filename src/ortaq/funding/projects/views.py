"""Public project pages (issue #5): the list of funded projects with its exports, the map by
region and one project's page. Anyone may read them; they show public parts only
(`projects/selectors.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ortaq.core.exports import FORMATS, export_response
from ortaq.core.uploads import private_file_response
from ortaq.core.web import paginate, query_string

from ..models import Contract, VisitPhoto
from . import selectors
from .filters import ProjectFilter

PAGE_SIZE = 20
PHOTO_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})


@dataclass(frozen=True)
class ProjectRow:
    contract: Contract
    achievement: Decimal | None


def project_list(request: HttpRequest) -> HttpResponse:
    filterset = selectors.project_filterset(request.GET)
    page_obj = paginate(request, selectors.project_rows(filterset), PAGE_SIZE)
    rows = [ProjectRow(c, selectors.project_achievement(c)) for c in page_obj.object_list]
    return render(
        request,
        "funding/projects/list.html",
        {
            "filter": filterset,
            "page_obj": page_obj,
            "rows": rows,
            "total": page_obj.paginator.count,
            "query_string": query_string(request, drop=("page",)),
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


def project_export(request: HttpRequest, format: str) -> HttpResponseBase:
    """The list for the same query string, as CSV (streamed) or XLSX."""
    if format not in FORMATS:
        raise Http404
    queryset = selectors.project_list(request.GET)
    rows = (_export_row(contract) for contract in queryset.iterator(chunk_size=500))
    stamp = timezone.localdate().isoformat()
    return export_response(rows, _export_header(), f"projects-{stamp}", format, sheet=_("Projects"))
