"""Sign-up, e-mail confirmation, login by e-mail, lockout, two-factor login, acting for."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import Client

from ortaq.accounts.middleware import SESSION_KEY
from ortaq.accounts.models import User
from ortaq.audit.models import AuditEntry
from tests.access import Cast
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _login(client: Client, email: str, password: str, ip: str = "10.0.0.1") -> Any:
    return client.post(
        "/en/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=ip
    )


def test_signup_sends_a_confirmation_and_login_waits_for_it() -> None:
    client = Client()
    response = client.post(
        "/en/accounts/signup/",
        {
            "email": "new.person@example.kz",
            "full_name": "Айбек Новый",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.kz")
    assert user.full_name == "Айбек Новый"
    assert AuditEntry.objects.filter(action="user.signup", actor=user).exists()
    assert user.password.startswith("md5$")  # the test hasher; Argon2 in base settings
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^\s]+/confirm-email/[^\s]+", mail.outbox[0].body)
    assert link is not None
    path = link.group(0).split("testserver", 1)[1]
    assert client.post(path).status_code == 302
    assert user.emailaddress_set.get().verified is True


def test_signup_keeps_what_was_typed_on_error() -> None:
    response = Client().post(
        "/en/accounts/signup/",
        {"email": "x@example.kz", "full_name": "Дана", "password1": "short", "password2": "other"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="x@example.kz"' in html
    assert 'value="Дана"' in html


def test_argon2_is_the_production_hasher() -> None:
    from ortaq.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_login_by_email() -> None:
    UserFactory(email="person@example.kz")
    client = Client()
    response = _login(client, "PERSON@example.kz", PASSWORD)
    assert response.status_code == 302
    assert client.get("/en/accounts/me/").status_code == 200


def test_lockout_after_repeated_failures_is_per_username_and_address(settings: Any) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(email="target@example.kz")
    attacker = Client()
    for _ in range(3):
        _login(attacker, "target@example.kz", "wrong", ip="203.0.113.9")
    locked = _login(attacker, "target@example.kz", PASSWORD, ip="203.0.113.9")
    assert locked.status_code == 429
    assert b"Too many failed attempts" in locked.content
    # The owner, from another address, is not locked out by the attacker.
    owner = Client()
    assert _login(owner, "target@example.kz", PASSWORD, ip="198.51.100.7").status_code == 302


def test_two_factor_required_for_officials_when_configured(settings: Any, cast: Cast) -> None:
    settings.ORTAQ_REQUIRE_2FA = True
    official = Client()
    official.force_login(cast.users["official"])
    response = official.get("/en/accounts/me/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/en/accounts/2fa/totp/activate/"
    # The enrolment pages themselves stay reachable (allauth asks for the password first).
    assert official.get("/en/accounts/2fa/totp/activate/").headers["Location"] == (
        "/en/accounts/reauthenticate/?next=%2Fen%2Faccounts%2F2fa%2Ftotp%2Factivate%2F"
    )
    assert official.get("/en/accounts/reauthenticate/").status_code == 200

    citizen = Client()
    citizen.force_login(cast.users["citizen"])
    assert citizen.get("/en/accounts/me/").status_code == 200

    Authenticator.objects.create(
        user=cast.users["official"], type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    assert official.get("/en/accounts/me/").status_code == 200


def test_two_factor_not_forced_when_setting_off(settings: Any, cast: Cast) -> None:
    settings.ORTAQ_REQUIRE_2FA = False
    client = Client()
    client.force_login(cast.users["expert"])
    assert client.get("/en/accounts/me/").status_code == 200


def test_switch_organisation_only_to_own_memberships(cast: Cast) -> None:
    person = cast.users["ngo_admin"]
    from tests.factories import MembershipFactory

    second = MembershipFactory(user=person, role="member").organisation
    client = Client()
    client.force_login(person)
    response = client.post(
        "/en/accounts/acting-for/", {"organisation": second.pk, "next": "/en/accounts/me/"}
    )
    assert response.headers["Location"] == "/en/accounts/me/"
    assert client.session[SESSION_KEY] == second.pk
    page = client.get("/en/accounts/me/").content.decode()
    assert f'<option value="{second.pk}" selected>' in page

    foreign = cast.objects["other_ngo"]
    client.post(
        "/en/accounts/acting-for/", {"organisation": foreign.pk, "next": "https://evil.example/"}
    )
    assert client.session[SESSION_KEY] == second.pk


def test_switch_refuses_an_external_next_url(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.users["ngo_admin"])
    response = client.post(
        "/en/accounts/acting-for/",
        {"organisation": cast.objects["own_ngo"].pk, "next": "https://evil.example/"},
    )
    assert response.headers["Location"] == "/"
