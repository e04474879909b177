"""Who may do what with organisations: the foundation's rows of the access matrix."""

from __future__ import annotations

from typing import Any

import pytest

from tests.access import (
    EVERYONE,
    LOGIN,
    Cast,
    HttpRow,
    PermRow,
    assert_http_matrix,
    assert_permission_matrix,
)

pytestmark = pytest.mark.django_db

ADMINS_OF_OWN = frozenset({"ngo_admin", "platform_admin"})


def test_organisation_permissions(cast: Cast) -> None:
    assert_permission_matrix(
        cast,
        [
            PermRow("accounts.view_organisation", "own_ngo", EVERYONE),
            PermRow("accounts.change_organisation", "own_ngo", ADMINS_OF_OWN),
            PermRow(
                "accounts.change_organisation",
                "other_ngo",
                frozenset({"outsider_ngo_admin", "platform_admin"}),
            ),
            PermRow("accounts.change_organisation", "state_body", frozenset({"platform_admin"})),
            PermRow("accounts.manage_members", "own_ngo", ADMINS_OF_OWN),
            PermRow(
                "accounts.add_organisation",
                None,
                frozenset({"regional_admin", "other_regional_admin", "platform_admin"}),
            ),
            PermRow("audit.view_auditentry", None, frozenset({"platform_admin"})),
        ],
    )


def _own(cast: Cast) -> Any:
    return type(cast.objects["own_ngo"]).objects.get(pk=cast.objects["own_ngo"].pk)


def _name_back(cast: Cast) -> None:
    type(cast.objects["own_ngo"]).objects.filter(pk=cast.objects["own_ngo"].pk).update(
        name_en="Own NGO"
    )


def _edit_data(cast: Cast) -> dict[str, object]:
    org = _own(cast)
    return {
        "name_kk": org.name_kk,
        "name_ru": org.name_ru,
        "name_en": "Renamed NGO",
        "bin": org.bin,
        "level": org.level,
        "region": org.region_id,
        "version": org.version,
    }


def test_organisation_pages(cast: Cast) -> None:
    own = lambda c: f"/en/accounts/organisations/{c.objects['own_ngo'].pk}/"  # noqa: E731
    assert_http_matrix(
        cast,
        [
            HttpRow("organisation page", "GET", own, EVERYONE),
            # A signed-in user without the permission is refused (403), not sent to log in again.
            HttpRow("edit form", "GET", lambda c: own(c) + "edit/", ADMINS_OF_OWN),
            HttpRow(
                "edit",
                "POST",
                lambda c: own(c) + "edit/",
                ADMINS_OF_OWN,
                data=_edit_data,
                reset=_name_back,
                ok=302,
                done=lambda c, r: _own(c).name_en == "Renamed NGO",
            ),
            HttpRow("audit log", "GET", lambda c: "/en/audit/", frozenset({"platform_admin"})),
            HttpRow("my account", "GET", lambda c: "/en/accounts/me/", EVERYONE - {"anonymous"}),
            HttpRow(
                "back office",
                "GET",
                lambda c: "/en/admin/",
                frozenset({"platform_admin"}),
                refused=LOGIN,
            ),
        ],
    )
