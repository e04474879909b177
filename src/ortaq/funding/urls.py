"""Pages of funding under /<lang>/funding/: one include per stage, all in the `funding:`
namespace (the stages' urls.py have no app_name of their own). Open data (`/opendata/`) and the
statistics (`/<lang>/stats/funding/`) are included by ortaq/urls.py under their own namespaces."""

from __future__ import annotations

from django.urls import URLResolver, include, path

app_name = "funding"

urlpatterns: list[URLResolver] = [
    path("", include("ortaq.funding.competitions.urls")),
    path("", include("ortaq.funding.reports.urls")),
    path("", include("ortaq.funding.monitoring.urls")),
    path("", include("ortaq.funding.contracts.urls")),
    path("", include("ortaq.funding.projects.urls")),
    path("", include("ortaq.funding.risk.urls")),
]
