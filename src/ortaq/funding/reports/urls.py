"""Pages of project reports, included into funding/urls.py: the names stay in the `funding:`
namespace (an include without its own app_name adds to the including one)."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    # NGO
    path("reports/", views.my_reports, name="my_reports"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("reports/<int:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/remove/", views.evidence_remove, name="evidence_remove"),
    # Customer
    path("manage/reports/", views.report_queue, name="report_queue"),
    path("manage/reports/<int:pk>/approve/", views.report_approve, name="report_approve"),
    path("manage/reports/<int:pk>/return/", views.report_return, name="report_return"),
]
