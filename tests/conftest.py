"""The usual cast of every test: anonymous, a citizen, NGO people, state people, an expert..."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.test.utils import override_settings

from ortaq.accounts.enums import Level, Role
from ortaq.reference.models import Region

from .access import Cast
from .factories import MembershipFactory, OrganisationFactory, StateBodyFactory, UserFactory, region

# After every test that used the database: no audit entry holds a secret.
pytest_plugins = ["tests.audit.no_secrets"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """The reference data (regions, legal forms, areas, MCI) are loaded once per test database
    (once per xdist worker), committed; every test's changes are rolled back over them."""
    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0)


@pytest.fixture(autouse=True)
def _reference_data(db: Any) -> None:
    """Every test has the database and the reference data: one query, unless a test that
    truncates the tables (`transactional_db`) ran before and they must be loaded again."""
    if not Region.objects.exists():
        call_command("load_reference", verbosity=0)


@pytest.fixture(scope="session", autouse=True)
def _media_roots(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Uploaded files go to a temporary folder of this test run (one per xdist worker), never
    to the working tree's var/ and never to another worker's folder."""
    root = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=root / "public", PRIVATE_MEDIA_ROOT=root / "private"):
        yield


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """`--dist loadgroup` as `make` runs it: every test goes to whichever worker is free, except
    the tests of tests/demo/, which go to one worker together, so the demo is seeded once.

    (xdist 3.8's own grouping renames `item._nodeid`, which pytest 9 no longer reads, so its
    `xdist_group` marker has no effect: the group is made here from the path instead.)"""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class DemoTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return "tests/demo/" if nodeid.startswith("tests/demo/") else nodeid

    return DemoTogether(config, log)


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
        "platform_admin": UserFactory(email="admin@example.kz", is_staff=True),
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
