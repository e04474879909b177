"""Wrong TOTP codes are limited per person; password lockout stays django-axes'."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.accounts.totp import current_code, with_totp, wrong_code
from tests.accounts.totp import fresh_cache as fresh_cache  # autouse: clears the cache
from tests.factories import (
    PASSWORD,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _password_step(client: Client, email: str, ip: str = "10.0.0.1") -> Any:
    return client.post(
        "/kk/accounts/login/", {"login": email, "password": PASSWORD}, REMOTE_ADDR=ip
    )


def test_right_totp_code_refused_after_too_many_wrong_ones(settings: Any) -> None:
    user = UserFactory(email="official@example.kz")
    secret = with_totp(user)
    client = Client()
    assert _password_step(client, "official@example.kz").headers["Location"] == (
        "/kk/accounts/2fa/authenticate/"
    )
    wrong = wrong_code(secret)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/kk/accounts/2fa/authenticate/", {"code": wrong})
        assert response.status_code == 200
    response = client.post("/en/accounts/2fa/authenticate/", {"code": current_code(secret)})
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # From another address the guesses are still counted: the limit is the person's.
    other = Client()
    _password_step(other, "official@example.kz", ip="198.51.100.3")
    response = other.post("/en/accounts/2fa/authenticate/", {"code": current_code(secret)})
    assert "_auth_user_id" not in other.session


def test_totp_limit_does_not_let_others_lock_out_the_password_step(settings: Any) -> None:
    """Password lockout stays django-axes' (per username *and* address)."""
    UserFactory(email="person@example.kz")
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        attacker.post(
            "/en/accounts/login/",
            {"login": "person@example.kz", "password": "wrong"},
            REMOTE_ADDR="203.0.113.66",
        )
    owner = Client()
    response = _password_step(owner, "person@example.kz", ip="198.51.100.7")
    assert response.status_code == 302
    assert "_auth_user_id" in owner.session
