"""Pages of contracts, included by funding/urls.py: the names are in the `funding:` namespace."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    # The NGO's people and the customer
    path("contracts/", views.my_contracts, name="my_contracts"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract_detail"),
    # The customer
    path("manage/contracts/", views.contract_list, name="contract_list"),
    path("manage/applications/<int:pk>/contract/", views.contract_create, name="contract_create"),
    path("manage/contracts/<int:pk>/schedule/", views.contract_schedule, name="contract_schedule"),
    path("manage/contracts/<int:pk>/sign/", views.contract_sign, name="contract_sign"),
    path("manage/contracts/<int:pk>/amend/", views.contract_amend, name="contract_amend"),
    path("manage/contracts/<int:pk>/complete/", views.contract_complete, name="contract_complete"),
    path(
        "manage/contracts/<int:pk>/terminate/", views.contract_terminate, name="contract_terminate"
    ),
    path("manage/tranches/<int:pk>/release/", views.tranche_release, name="tranche_release"),
]
