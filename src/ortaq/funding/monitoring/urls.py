"""Pages of monitoring visits and evaluations of effectiveness, included by funding/urls.py
(no app_name of its own: the names stay in the `funding:` namespace)."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("monitoring/", views.visit_list, name="visit_list"),
    path("monitoring/contracts/<int:pk>/visit/", views.visit_create, name="visit_create"),
    path("monitoring/visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("monitoring/visits/<int:pk>/edit/", views.visit_edit, name="visit_edit"),
    path("monitoring/visits/<int:pk>/publish/", views.visit_publish, name="visit_publish"),
    path("monitoring/photos/<int:pk>/", views.visit_photo, name="visit_photo"),
    path(
        "monitoring/contracts/<int:pk>/evaluation/",
        views.evaluation_detail,
        name="evaluation_detail",
    ),
    path(
        "monitoring/contracts/<int:pk>/evaluation/edit/",
        views.evaluation_edit,
        name="evaluation_edit",
    ),
    path(
        "monitoring/contracts/<int:pk>/evaluation/publish/",
        views.evaluation_publish,
        name="evaluation_publish",
    ),
]
