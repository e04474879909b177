"""Annual NGO-database reports, imports and regional statistics."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import admin_reports as _admin_reports  # noqa: F401  (back-office pages)
from . import report_rules as _report_rules  # noqa: F401  (permissions)
from . import views_reports as views

app_name = "registry_reports"

urlpatterns: list[URLPattern | URLResolver] = [
    path("ngos/reports/", views.report_list, name="report_list"),
    path("ngos/reports/compliance/", views.compliance, name="compliance"),
    path("ngos/reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("ngos/reports/<int:pk>/review/", views.report_review, name="report_review"),
    path("ngos/reports/ngo-<int:ngo_pk>/<int:year>/", views.report_edit, name="report_edit"),
    path("ngos/import/", views.import_upload, name="import_upload"),
    path("ngos/import/<int:pk>/", views.import_job, name="import_job"),
    path("stats/ngos/", views.ngo_stats, name="ngo_stats"),
]
