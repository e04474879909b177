"""Annual NGO-database reports, imports and regional statistics."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "registry_reports"

urlpatterns: list[URLPattern | URLResolver] = []
