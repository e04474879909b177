"""Open data of funding under /opendata/ (no language prefix: it is data, not a page)."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views

app_name = "opendata"

urlpatterns: list[URLPattern] = [
    path("360giving.json", views.grants_360giving, name="grants_360giving"),
    path("ocds/releases.json", views.releases, name="ocds_releases"),
    path("ocds/records.json", views.records, name="ocds_records"),
    path(
        "ocds/competitions/<int:pk>/releases.json",
        views.competition_releases,
        name="ocds_competition_releases",
    ),
    path(
        "ocds/competitions/<int:pk>/records.json",
        views.competition_records,
        name="ocds_competition_records",
    ),
]
