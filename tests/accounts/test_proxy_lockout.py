"""Lockout behind the proxy is per client address, and a forged header never escapes it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from tests.factories import (
    PASSWORD,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Rate limits and used TOTP codes live in the cache; ids are reused between tests."""
    cache.clear()


def _login_via(client: Client, email: str, password: str, xff: str, remote: str) -> Any:
    return client.post(
        "/en/accounts/login/",
        {"login": email, "password": password},
        REMOTE_ADDR=remote,
        HTTP_X_FORWARDED_FOR=xff,
    )


def _axes_for(settings: Any, proxy_count: int) -> None:
    settings.ORTAQ_PROXY_COUNT = proxy_count


def test_behind_one_proxy_a_lockout_is_per_client_address(settings: Any) -> None:
    _axes_for(settings, 1)
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(email="target@example.kz")
    nginx = "10.0.0.2"
    attacker = Client()
    for _ in range(3):
        _login_via(attacker, "target@example.kz", "wrong", "203.0.113.9", nginx)
    assert (
        _login_via(attacker, "target@example.kz", PASSWORD, "203.0.113.9", nginx).status_code == 429
    )
    # A forged left-most address does not help the attacker: nginx appends the real one.
    forged = _login_via(attacker, "target@example.kz", PASSWORD, "1.2.3.4, 203.0.113.9", nginx)
    assert forged.status_code == 429
    owner = Client()
    response = _login_via(owner, "target@example.kz", PASSWORD, "198.51.100.7", nginx)
    assert response.status_code == 302
    assert "_auth_user_id" in owner.session


def test_without_proxy_a_forged_forwarded_for_does_not_escape_a_lockout(settings: Any) -> None:
    _axes_for(settings, 0)
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(email="target@example.kz")
    attacker = Client()
    for n in range(3):
        _login_via(attacker, "target@example.kz", "wrong", f"192.0.2.{n}", "203.0.113.9")
    locked = _login_via(attacker, "target@example.kz", PASSWORD, "192.0.2.77", "203.0.113.9")
    assert locked.status_code == 429


def test_client_address_trusts_exactly_the_configured_proxies(settings: Any) -> None:
    from django.test import RequestFactory

    from ortaq.accounts.lockout import client_address

    def address(xff: str | None, remote: str = "10.0.0.2") -> str | None:
        extra = {"HTTP_X_FORWARDED_FOR": xff} if xff is not None else {}
        return client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))

    assert settings.AXES_CLIENT_IP_CALLABLE == "ortaq.accounts.lockout.client_address"
    settings.ORTAQ_PROXY_COUNT = 0
    assert address("8.8.8.8") == "10.0.0.2"
    settings.ORTAQ_PROXY_COUNT = 1
    assert address("192.168.1.20") == "192.168.1.20"
    assert address("8.8.8.8, 192.168.1.20") == "192.168.1.20"
    assert address(None) == "10.0.0.2"
    assert address("not-an-address") == "10.0.0.2"
    settings.ORTAQ_PROXY_COUNT = 2
    assert address("8.8.8.8, 203.0.113.4, 10.0.0.9") == "203.0.113.4"
    assert address("10.0.0.9") == "10.0.0.2"
