"""What django-axes locks: the login (allauth calls it `email`) from the client's address."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.http import HttpRequest


def username_from_credentials(
    request: HttpRequest | None, credentials: dict[str, Any] | None
) -> str:
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username") or credentials.get("login")
    if not value and request is not None and request.method == "POST":
        value = request.POST.get("login", "")
    return str(value or "").strip().lower()


def client_address(request: HttpRequest) -> str | None:
    """The client's address for django-axes, trusting exactly ORTAQ_PROXY_COUNT proxies.

    Each of our reverse proxies appends the address it received the request from to
    X-Forwarded-For (nginx: `proxy_add_x_forwarded_for`), so behind N proxies the client is the
    N-th entry from the right; entries further left are whatever the client sent and are
    ignored. Without a proxy only REMOTE_ADDR counts. django-ipware is not used: its heuristics
    prefer a public address anywhere in the header to a private one, so a forged left-most
    entry would win over a private real client (and a one-entry header behind one proxy gives
    no address at all).
    """
    remote = request.META.get("REMOTE_ADDR") or None
    count = int(settings.ORTAQ_PROXY_COUNT)
    if count <= 0:
        return remote
    entries = [e.strip() for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    entries = [e for e in entries if e]
    if len(entries) < count:
        return remote
    candidate = entries[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
