"""Memberships granted, changed or removed in the back office go through the audited services."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ortaq.accounts.enums import Role
from ortaq.accounts.models import Membership
from ortaq.audit.models import AuditEntry
from tests.access import Cast
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _admin_client(cast: Cast) -> Client:
    client = Client()
    client.force_login(cast.users["platform_admin"])
    return client


def _entry(action: str) -> AuditEntry:
    return AuditEntry.objects.get(action=action)


def test_membership_added_changed_deleted_in_the_admin_is_audited(cast: Cast) -> None:
    client = _admin_client(cast)
    admin_user = cast.users["platform_admin"]
    body = cast.objects["state_body"]
    response = client.post(
        "/en/admin/accounts/membership/add/",
        {
            "user": admin_user.pk,
            "organisation": body.pk,
            "role": Role.OFFICIAL,
            "position": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=admin_user, organisation=body)
    granted = _entry("membership.grant")
    assert (granted.actor, granted.object_id) == (admin_user, str(membership.pk))
    assert granted.changes == {"user": admin_user.pk, "organisation": body.pk, "role": "official"}

    response = client.post(
        f"/en/admin/accounts/membership/{membership.pk}/change/",
        {
            "user": admin_user.pk,
            "organisation": body.pk,
            "role": Role.REGIONAL_ADMIN,
            "position": "Head",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    changed = _entry("membership.change")
    assert changed.actor == admin_user
    assert changed.changes == {
        "user": admin_user.pk,
        "organisation": body.pk,
        "role": ["official", "regional_admin"],
        "position": ["", "Head"],
    }

    response = client.post(
        f"/en/admin/accounts/membership/{membership.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    deleted = _entry("membership.delete")
    assert deleted.actor == admin_user
    assert deleted.changes == {
        "user": admin_user.pk,
        "organisation": body.pk,
        "role": "regional_admin",
    }


def test_membership_refused_by_the_rules_in_the_admin_is_a_form_error(cast: Cast) -> None:
    client = _admin_client(cast)
    response = client.post(
        "/en/admin/accounts/membership/add/",
        {
            "user": cast.users["citizen"].pk,
            "organisation": cast.objects["own_ngo"].pk,
            "role": Role.OFFICIAL,
            "position": "Typed text",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Only a state body can have state officials and regional administrators." in html
    assert 'value="Typed text"' in html
    assert not Membership.objects.filter(user=cast.users["citizen"]).exists()


def _inline_data(prefix: str, rows: list[dict[str, Any]], initial: int) -> dict[str, Any]:
    data: dict[str, Any] = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


def test_membership_granted_through_the_user_inline_is_audited(cast: Cast) -> None:
    client = _admin_client(cast)
    admin_user = cast.users["platform_admin"]
    body = cast.objects["state_body"]
    base = {
        "email": admin_user.email,
        "full_name": admin_user.full_name,
        "phone": "",
        "preferred_language": "kk",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2025-01-01",
        "date_joined_1": "10:00:00",
    }
    row = {"organisation": body.pk, "role": Role.OFFICIAL, "position": "", "is_active": "on"}
    response = client.post(
        f"/en/admin/accounts/user/{admin_user.pk}/change/",
        {**base, **_inline_data("memberships", [row], 0)},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    membership = Membership.objects.get(user=admin_user, organisation=body)
    granted = _entry("membership.grant")
    assert granted.actor == admin_user
    assert granted.changes == {"user": admin_user.pk, "organisation": body.pk, "role": "official"}

    row = {"id": membership.pk, "user": admin_user.pk, **row, "DELETE": "on"}
    response = client.post(
        f"/en/admin/accounts/user/{admin_user.pk}/change/",
        {**base, **_inline_data("memberships", [row], 1)},
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert _entry("membership.delete").changes == {
        "user": admin_user.pk,
        "organisation": body.pk,
        "role": "official",
    }


def test_membership_changed_through_the_organisation_inline_is_audited(cast: Cast) -> None:
    client = _admin_client(cast)
    org = OrganisationFactory()
    person = UserFactory()
    membership = MembershipFactory(user=person, organisation=org, role=Role.MEMBER)
    data = {
        "kind": org.kind,
        "level": org.level,
        "region": org.region_id,
        "name_kk": org.name_kk,
        "name_ru": org.name_ru,
        "name_en": org.name_en,
        "bin": org.bin,
        "is_active": "on",
        **_inline_data(
            "memberships",
            [
                {
                    "id": membership.pk,
                    "organisation": org.pk,
                    "user": person.pk,
                    "role": Role.ADMIN,
                    "position": "",
                    "is_active": "on",
                }
            ],
            1,
        ),
    }
    response = client.post(f"/en/admin/accounts/organisation/{org.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    changed = _entry("membership.change")
    assert changed.actor == cast.users["platform_admin"]
    assert changed.changes == {
        "user": person.pk,
        "organisation": org.pk,
        "role": ["member", "admin"],
    }
