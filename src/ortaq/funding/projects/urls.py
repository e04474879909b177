"""Public project pages under /<lang>/funding/projects/ (included by funding/urls.py, so the
names stay in the `funding:` namespace: no app_name here)."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("projects/", views.project_list, name="project_list"),
    path("projects/map/", views.project_map, name="project_map"),
    path("projects/export/<str:format>/", views.project_export, name="project_export"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/photos/<int:pk>/", views.project_photo, name="project_photo"),
]
