"""Public directory, NGO pages, profile editing and ownership claims (/<lang>/ngos/...)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "registry"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.ngo_directory, name="directory"),
    path("export/<str:format>/", views.ngo_export, name="export"),
    path("<int:pk>/", views.ngo_detail, name="detail"),
    path("bin/<str:bin>/", views.ngo_detail_by_bin, name="detail_by_bin"),
    path("<int:pk>/edit/", views.ngo_edit, name="edit"),
    path("<int:pk>/status/", views.ngo_status, name="status"),
    path("claim/", views.claim_existing, name="claim"),
    path("register/", views.claim_new, name="register"),
    path("claims/mine/", views.my_claims, name="my_claims"),
    path("claims/<int:pk>/withdraw/", views.claim_withdraw, name="claim_withdraw"),
    path("claims/queue/", views.claim_queue, name="claim_queue"),
    path("claims/<int:pk>/", views.claim_decide, name="claim_decide"),
]
