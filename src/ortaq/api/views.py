from __future__ import annotations

from typing import Any

from rest_framework import viewsets
from rest_framework.permissions import AllowAny

from ortaq.accounts.selectors import organisation_list
from ortaq.reference.selectors import activity_area_list, legal_form_list, region_list

from . import serializers


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """The 17 regions and 3 cities of republican significance, with KATO codes."""

    serializer_class = serializers.RegionSerializer
    permission_classes = [AllowAny]
    pagination_class = None
    filterset_fields = ["kind", "code"]

    def get_queryset(self) -> Any:
        return region_list()


class LegalFormViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.LegalFormSerializer
    permission_classes = [AllowAny]
    pagination_class = None

    def get_queryset(self) -> Any:
        return legal_form_list()


class ActivityAreaViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.ActivityAreaSerializer
    permission_classes = [AllowAny]
    pagination_class = None

    def get_queryset(self) -> Any:
        return activity_area_list()


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """Public facts about organisations (state bodies, NGOs, funds...)."""

    serializer_class = serializers.OrganisationSerializer
    permission_classes = [AllowAny]
    filterset_fields = ["kind", "level", "region__code"]

    def get_queryset(self) -> Any:
        return organisation_list().order_by("id")
