from __future__ import annotations

import pytest

from ortaq.accounts import services
from ortaq.accounts.enums import Level, OrganisationKind, Role
from ortaq.accounts.models import Membership, Organisation
from ortaq.audit.models import AuditEntry
from ortaq.core.errors import ConflictError, DomainError
from tests.access import Cast
from tests.factories import OrganisationFactory, UserFactory, region

pytestmark = pytest.mark.django_db


def test_create_organisation_is_audited() -> None:
    actor = UserFactory()
    org = services.organisation_create(
        actor=actor,
        kind=OrganisationKind.NGO,
        level=Level.REGION,
        region=region("43"),
        name_kk=" «Жастар» ҚБ ",
        name_ru="ОО «Жастар»",
        bin="940140000385",
    )
    assert org.name_kk == "«Жастар» ҚБ"
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.object_id) == (
        actor,
        "organisation.create",
        str(org.pk),
    )
    assert entry.changes["bin"] == "940140000385"


@pytest.mark.parametrize(
    ("bin_", "message"),
    [
        ("940140000386", "This is not a valid BIN: check the 12 digits."),
        ("94014000038", "This is not a valid BIN: check the 12 digits."),
    ],
)
def test_create_refuses_a_bad_bin(bin_: str, message: str) -> None:
    with pytest.raises(DomainError) as error:
        services.organisation_create(
            actor=UserFactory(),
            kind="ngo",
            level="region",
            region=region("43"),
            name_kk="А",
            name_ru="Б",
            bin=bin_,
        )
    assert (str(error.value.message), error.value.field) == (message, "bin")
    assert not Organisation.objects.filter(name_kk="А").exists()


def test_create_refuses_a_duplicate_bin() -> None:
    OrganisationFactory(bin="940140000385")
    with pytest.raises(DomainError, match="already registered"):
        services.organisation_create(
            actor=UserFactory(),
            kind="ngo",
            level="region",
            region=region("43"),
            name_kk="А",
            name_ru="Б",
            bin=" 940140000385 ",
        )


def test_regional_organisation_needs_a_region() -> None:
    with pytest.raises(DomainError) as error:
        services.organisation_create(
            actor=UserFactory(), kind="ngo", level="region", region=None, name_kk="А", name_ru="Б"
        )
    assert error.value.field == "region"


def test_update_records_only_the_changed_fields(cast: Cast) -> None:
    org = cast.objects["own_ngo"]
    actor = cast.users["ngo_admin"]
    updated = services.organisation_update(
        actor=actor, organisation=org, expected_version=1, acting_for=org, name_en="New name"
    )
    assert updated.version == 2
    entry = AuditEntry.objects.get(action="organisation.update")
    assert entry.changes == {"name_en": ["Own NGO", "New name"]}
    assert entry.organisation == org


def test_update_without_change_writes_nothing(cast: Cast) -> None:
    org = cast.objects["own_ngo"]
    services.organisation_update(
        actor=cast.users["ngo_admin"], organisation=org, expected_version=1, name_en="Own NGO"
    )
    org.refresh_from_db()
    assert org.version == 1
    assert not AuditEntry.objects.filter(action="organisation.update").exists()


def test_concurrent_edit_is_refused_not_overwritten(cast: Cast) -> None:
    org = cast.objects["own_ngo"]
    services.organisation_update(
        actor=cast.users["ngo_admin"], organisation=org, expected_version=1, name_en="First"
    )
    with pytest.raises(ConflictError):
        services.organisation_update(
            actor=cast.users["platform_admin"],
            organisation=org,
            expected_version=1,
            name_en="Second",
        )
    org.refresh_from_db()
    assert org.name_en == "First"


def test_state_roles_only_in_state_bodies(cast: Cast) -> None:
    with pytest.raises(DomainError, match="Only a state body"):
        services.membership_grant(
            actor=cast.users["platform_admin"],
            user=UserFactory(),
            organisation=cast.objects["own_ngo"],
            role=Role.OFFICIAL,
        )


def test_grant_and_revoke_membership_are_audited(cast: Cast) -> None:
    person = UserFactory()
    membership = services.membership_grant(
        actor=cast.users["ngo_admin"],
        user=person,
        organisation=cast.objects["own_ngo"],
        role=Role.MEMBER,
    )
    services.membership_revoke(actor=cast.users["ngo_admin"], membership=membership)
    assert Membership.objects.get(pk=membership.pk).is_active is False
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "membership.grant",
        "membership.revoke",
    ]
