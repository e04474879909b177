from __future__ import annotations

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("me/", views.MyAccountView.as_view(), name="my_account"),
    path("acting-for/", views.organisation_switch, name="organisation_switch"),
    path(
        "organisations/<int:pk>/",
        views.OrganisationDetailView.as_view(),
        name="organisation_detail",
    ),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
]
