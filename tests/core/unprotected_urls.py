"""The real URLconf plus one view that forgot its permission check (see test_url_protection)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from ortaq.urls import urlpatterns as real


def forgotten(request: HttpRequest) -> HttpResponse:
    return HttpResponse("secret")


urlpatterns = [*real, path("forgotten/", forgotten, name="forgotten")]
