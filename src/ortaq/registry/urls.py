"""Public directory, NGO pages, profile editing and ownership claims (/<lang>/ngos/...)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "registry"

urlpatterns: list[URLPattern | URLResolver] = []
