"""Open data: OCDS release and record packages of every competition and the 360Giving package
of grants and awards (public, no language)."""

from __future__ import annotations

from collections.abc import Iterator

from django.http import Http404, HttpRequest, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from . import giving360, ocds


def _json(data: dict[str, object]) -> JsonResponse:
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


# Competitions built at a time by the streamed packages: memory stays bounded by this, not by
# the size of the whole history (about 150 MB of releases at national scale).
CHUNK = 10


def _stream(pieces: Iterator[str]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        (piece.encode() for piece in pieces), content_type="application/json"
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def releases(request: HttpRequest) -> StreamingHttpResponse:
    """Every release, streamed as it is built (the same text as `export_ocds`)."""
    competitions = ocds.competitions_for_ocds().iterator(chunk_size=CHUNK)
    return _stream(ocds.iter_release_package_json(competitions, uri=request.build_absolute_uri()))


@require_GET
def records(request: HttpRequest) -> StreamingHttpResponse:
    """Every record with its compiled release, streamed as it is built."""
    competitions = ocds.competitions_for_ocds().iterator(chunk_size=CHUNK)
    return _stream(ocds.iter_record_package_json(competitions, uri=request.build_absolute_uri()))


def _one(pk: int) -> list[object]:
    competition = get_object_or_404(ocds.competitions_for_ocds(), pk=pk)
    if competition is None:  # pragma: no cover
        raise Http404
    return [competition]


@require_GET
def competition_releases(request: HttpRequest, pk: int) -> JsonResponse:
    return _json(ocds.release_package(_one(pk), uri=request.build_absolute_uri()))  # type: ignore[arg-type]


@require_GET
def competition_records(request: HttpRequest, pk: int) -> JsonResponse:
    return _json(ocds.record_package(_one(pk), uri=request.build_absolute_uri()))  # type: ignore[arg-type]


@require_GET
def grants_360giving(request: HttpRequest) -> JsonResponse:
    site = request.build_absolute_uri("/").rstrip("/")
    uri = request.build_absolute_uri()
    return _json(giving360.package(giving360.grants_for_360giving(), uri=uri, site=site))
