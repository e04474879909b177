"""The two-factor requirement covers everyone who reads confidential data."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ortaq.accounts.enums import Role
from ortaq.accounts.middleware import needs_two_factor
from tests.access import Cast
from tests.factories import (
    MembershipFactory,
    StateBodyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_needs_two_factor_covers_every_role_that_reads_confidential_data(cast: Cast) -> None:
    from ortaq.funding.models import Expert

    register_expert = UserFactory()  # in the expert register, no membership anywhere
    Expert.objects.create(user=register_expert)
    state_admin = MembershipFactory(organisation=StateBodyFactory(), role=Role.ADMIN).user
    fund_admin = MembershipFactory(
        organisation=cast.objects["fund"], role=Role.ADMIN, user=UserFactory()
    ).user
    staff_only = UserFactory(is_staff=True)
    superuser_only = UserFactory(is_superuser=True)
    needing = {
        "official": cast.users["official"],
        "regional_admin": cast.users["regional_admin"],
        "expert": cast.users["expert"],
        "register_expert": register_expert,
        "state_body_admin": state_admin,
        "grant_operator_admin": fund_admin,
        "platform_admin": cast.users["platform_admin"],
        "staff": staff_only,
        "superuser": superuser_only,
    }
    for name, user in needing.items():
        assert needs_two_factor(user) is True, name
    for name in ("citizen", "ngo_member", "ngo_admin", "consultant"):
        assert needs_two_factor(cast.users[name]) is False, name


def test_register_expert_without_membership_must_enrol(settings: Any) -> None:
    from ortaq.funding.models import Expert

    settings.ORTAQ_REQUIRE_2FA = True
    expert = UserFactory()
    Expert.objects.create(user=expert)
    client = Client()
    client.force_login(expert)
    response = client.get("/en/accounts/me/")
    assert response.headers["Location"] == "/en/accounts/2fa/totp/activate/"
