"""Regional funding statistics under /<lang>/stats/funding/ (next to the NGO statistics)."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views

app_name = "funding_stats"

urlpatterns: list[URLPattern] = [
    path("", views.funding_stats, name="index"),
]
