"""The back office has no password-only login: it goes through allauth and its two-factor stage."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.access import Cast
from tests.accounts.totp import current_code, with_totp
from tests.accounts.totp import fresh_cache as fresh_cache  # autouse: clears the cache
from tests.factories import (
    PASSWORD,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_admin_login_with_password_alone_does_not_log_in_a_totp_user() -> None:
    staff = UserFactory(email="staff@example.kz", is_staff=True, is_superuser=True)
    with_totp(staff)
    client = Client()
    response = client.post(
        "/kk/admin/login/?next=/kk/admin/",
        {"username": "staff@example.kz", "password": PASSWORD, "next": "/kk/admin/"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/kk/accounts/login/?next=%2Fkk%2Fadmin%2F"
    assert "_auth_user_id" not in client.session
    page = client.get("/kk/admin/")
    assert page.status_code == 302
    assert page.headers["Location"] == "/kk/admin/login/?next=/kk/admin/"
    assert client.get("/kk/admin/audit/auditentry/").status_code == 302


def test_admin_is_refused_to_a_session_that_skipped_the_second_factor() -> None:
    staff = UserFactory(email="staff@example.kz", is_staff=True, is_superuser=True)
    with_totp(staff)
    client = Client()
    client.force_login(staff)  # a session authenticated without the MFA stage
    for url in ("/kk/admin/", "/kk/admin/audit/auditentry/", "/kk/admin/accounts/user/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/kk/admin/login/?next="), url
    # The admin's login page then sends the person to confirm the second factor.
    response = client.get("/kk/admin/login/?next=/kk/admin/")
    assert response.headers["Location"] == "/kk/accounts/2fa/reauthenticate/?next=%2Fkk%2Fadmin%2F"


def test_admin_after_password_and_totp_through_allauth() -> None:
    staff = UserFactory(email="staff@example.kz", is_staff=True, is_superuser=True)
    secret = with_totp(staff)
    client = Client()
    response = client.post(
        "/kk/accounts/login/",
        {"login": "staff@example.kz", "password": PASSWORD, "next": "/kk/admin/"},
    )
    assert response.headers["Location"] == "/kk/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    response = client.post("/kk/accounts/2fa/authenticate/", {"code": current_code(secret)})
    assert response.headers["Location"] == "/kk/admin/"
    assert client.get("/kk/admin/").status_code == 200
    assert client.get("/kk/admin/audit/auditentry/").status_code == 200


def test_admin_without_totp_still_works_for_staff_and_refuses_others(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.users["platform_admin"])
    assert client.get("/kk/admin/").status_code == 200
    citizen = Client()
    citizen.force_login(cast.users["citizen"])
    assert citizen.get("/kk/admin/login/?next=/kk/admin/").status_code == 403
