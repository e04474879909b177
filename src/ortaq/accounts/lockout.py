"""django-axes needs to know which field holds the login: allauth calls it `email`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def username_from_credentials(
    request: HttpRequest | None, credentials: dict[str, Any] | None
) -> str:
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username") or credentials.get("login")
    if not value and request is not None and request.method == "POST":
        value = request.POST.get("login", "")
    return str(value or "").strip().lower()
