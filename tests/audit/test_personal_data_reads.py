"""Officials and administrators who open a page showing a person's personal data (e-mail,
phone) leave an audit entry `personal_data.read`: who, whose, which page."""

from __future__ import annotations

import pytest
from django.test import Client

from ortaq.audit.models import AuditEntry
from ortaq.funding.models import Expert
from tests.access import Cast
from tests.factories import MembershipFactory, UserFactory
from tests.registry.factories import NgoProfileFactory, OwnershipClaimFactory

pytestmark = pytest.mark.django_db


def _reads() -> list[tuple[str, str, str, dict[str, str]]]:
    return [
        (entry.actor_email, entry.content_type.model, entry.object_id, entry.changes)
        for entry in AuditEntry.objects.filter(action="personal_data.read").order_by("id")
    ]


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_opening_a_person_in_the_back_office_is_logged(cast: Cast) -> None:
    person = UserFactory(email="aigerim@example.kz", phone="+77011234567")
    response = _client(cast.users["platform_admin"]).get(
        f"/en/admin/accounts/user/{person.pk}/change/"
    )
    assert response.status_code == 200
    assert _reads() == [("admin@example.kz", "user", str(person.pk), {"page": "admin.user_change"})]
    entry = AuditEntry.objects.get(action="personal_data.read")
    assert (entry.actor, entry.stream) == (cast.users["platform_admin"], "personal_data")


def test_opening_ones_own_record_is_not_logged(cast: Cast) -> None:
    admin = cast.users["platform_admin"]
    response = _client(admin).get(f"/en/admin/accounts/user/{admin.pk}/change/")
    assert response.status_code == 200
    assert _reads() == []


def test_opening_an_organisation_with_its_members_in_the_back_office_is_logged(
    cast: Cast,
) -> None:
    ngo = cast.objects["own_ngo"]
    response = _client(cast.users["platform_admin"]).get(
        f"/en/admin/accounts/organisation/{ngo.pk}/change/"
    )
    assert response.status_code == 200
    members = sorted(ngo.memberships.values_list("user_id", flat=True))
    assert _reads() == [
        ("admin@example.kz", "user", str(pk), {"page": "admin.organisation_members"})
        for pk in members
    ]


def test_the_expert_register_logs_the_experts_it_shows(cast: Cast) -> None:
    first = UserFactory(email="expert-a@example.kz")
    second = UserFactory(email="expert-b@example.kz")
    for person in (first, second):
        Expert.objects.create(user=person)
    response = _client(cast.users["official"]).get("/en/funding/manage/experts/")
    assert response.status_code == 200
    assert "expert-a@example.kz" in response.content.decode()
    assert sorted(_reads(), key=lambda r: r[2]) == sorted(
        [
            ("official@example.kz", "user", str(p.pk), {"page": "funding.expert_register"})
            for p in (first, second)
        ],
        key=lambda r: r[2],
    )


def test_a_regional_admin_deciding_a_claim_reads_the_claimant_and_it_is_logged(
    cast: Cast,
) -> None:
    claimant = UserFactory(email="claimant@example.kz")
    profile = NgoProfileFactory(organisation=cast.objects["own_ngo"])
    claim = OwnershipClaimFactory(user=claimant, ngo=profile)
    response = _client(cast.users["regional_admin"]).get(f"/en/ngos/claims/{claim.pk}/")
    assert response.status_code == 200
    assert "claimant@example.kz" in response.content.decode()
    assert _reads() == [
        ("region-admin@example.kz", "user", str(claimant.pk), {"page": "registry.claim_decide"})
    ]


def test_reads_are_chained_apart_from_the_writes(cast: Cast) -> None:
    MembershipFactory(organisation=cast.objects["own_ngo"])
    _client(cast.users["platform_admin"]).get(
        f"/en/admin/accounts/user/{cast.users['citizen'].pk}/change/"
    )
    entry = AuditEntry.objects.get(action="personal_data.read")
    assert (entry.stream, entry.sequence, entry.previous_hash) == ("personal_data", 1, "")
