"""The usual cast of every test: anonymous, a citizen, NGO people, state people, an expert..."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from ortaq.accounts.enums import Level, Role

from .access import Cast
from .factories import MembershipFactory, OrganisationFactory, StateBodyFactory, UserFactory, region

# After every test that used the database: no audit entry holds a secret.
pytest_plugins = ["tests.audit.no_secrets"]


@pytest.fixture(autouse=True)
def _reference_data(db: Any) -> None:
    call_command("load_reference", verbosity=0)


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    """Tests read English messages unless they choose a language themselves."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def cast(db: Any) -> Cast:
    """One person per role, around an NGO ('own') and an outsider NGO in another region."""
    kyzylorda, aktobe = region("43"), region("15")
    own_ngo = OrganisationFactory(region=kyzylorda, name_en="Own NGO")
    other_ngo = OrganisationFactory(region=aktobe, name_en="Other NGO")
    state_body = StateBodyFactory(region=kyzylorda, name_en="Kyzylorda department")
    other_state_body = StateBodyFactory(region=aktobe, name_en="Aktobe department")
    fund = OrganisationFactory(
        kind="grant_operator", level=Level.NATIONAL, region=None, name_en="Grant operator"
    )

    def member(org: Any, role: str, email: str) -> Any:
        return MembershipFactory(user=UserFactory(email=email), organisation=org, role=role).user

    users = {
        "citizen": UserFactory(email="citizen@example.kz"),
        "ngo_member": member(own_ngo, Role.MEMBER, "member@example.kz"),
        "ngo_admin": member(own_ngo, Role.ADMIN, "ngo-admin@example.kz"),
        "outsider_ngo_admin": member(other_ngo, Role.ADMIN, "outsider@example.kz"),
        "official": member(state_body, Role.OFFICIAL, "official@example.kz"),
        "regional_admin": member(state_body, Role.REGIONAL_ADMIN, "region-admin@example.kz"),
        "other_regional_admin": member(other_state_body, Role.REGIONAL_ADMIN, "aktobe@example.kz"),
        "expert": member(fund, Role.EXPERT, "expert@example.kz"),
        "consultant": member(own_ngo, Role.CONSULTANT, "consultant@example.kz"),
        "platform_admin": UserFactory(email="admin@example.kz", is_staff=True, is_superuser=True),
    }
    return Cast(
        users=users,
        objects={
            "own_ngo": own_ngo,
            "other_ngo": other_ngo,
            "state_body": state_body,
            "other_state_body": other_state_body,
            "fund": fund,
        },
    )
