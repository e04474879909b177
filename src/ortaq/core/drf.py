"""Django REST framework helpers every app's API shares (core is below every app)."""

from __future__ import annotations

from rest_framework import serializers


def plain_choice(help_text: str) -> serializers.CharField:
    """Choice values as plain strings: the OpenAPI enums of many apps' `status` and `kind`
    fields would collide by name (drf-spectacular W001)."""
    return serializers.CharField(read_only=True, help_text=help_text)
