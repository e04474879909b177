"""Risk signals under /<lang>/funding/manage/risks/ (included by urls.py: names stay in the
`funding:` namespace)."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("manage/risks/", views.risk_list, name="risk_list"),
    path("manage/risks/<int:pk>/", views.risk_detail, name="risk_detail"),
]
