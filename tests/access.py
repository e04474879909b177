"""The access matrix: role × object owner × action → allowed or not.

Every module adds its rows, in two forms:

- `PermRow`: a django-rules permission checked on an object of the cast
  (`assert_permission_matrix(cast, rows)`), the rule itself;
- `HttpRow`: a real request to a page or API endpoint as each role
  (`assert_http_matrix(client, cast, rows)`), the rule as the user meets it.

A row names the roles that are allowed; every other role of `ROLES` must be refused. A failure
prints the whole table of mismatches, so one run shows every hole at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.test import Client

ROLES: tuple[str, ...] = (
    "anonymous",
    "citizen",
    "ngo_member",
    "ngo_admin",
    "outsider_ngo_admin",
    "official",
    "regional_admin",
    "other_regional_admin",
    "expert",
    "consultant",
    "platform_admin",
)

EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}


@dataclass
class Cast:
    users: dict[str, Any]
    objects: dict[str, Any] = field(default_factory=dict)

    def user(self, role: str) -> Any:
        if role == "anonymous":
            return AnonymousUser()
        # A fresh instance: no permission cache carried over from another check.
        user = self.users[role]
        return type(user).objects.get(pk=user.pk)


@dataclass(frozen=True)
class PermRow:
    perm: str
    target: str | None  # a key of cast.objects, or None for a permission without object
    allowed: frozenset[str]


@dataclass(frozen=True)
class HttpRow:
    name: str
    method: str
    url: Callable[[Cast], str]
    allowed: frozenset[str]
    data: Callable[[Cast], dict[str, Any]] | None = None
    # Called before each role's request, e.g. to undo what the previous role's POST changed.
    reset: Callable[[Cast], None] | None = None


def _unknown_roles(allowed: frozenset[str]) -> set[str]:
    return set(allowed) - set(ROLES)


def assert_permission_matrix(cast: Cast, rows: Iterable[PermRow]) -> None:
    mismatches = []
    for row in rows:
        assert not _unknown_roles(row.allowed), _unknown_roles(row.allowed)
        obj = cast.objects[row.target] if row.target else None
        for role in ROLES:
            user = cast.user(role)
            actual = user.has_perm(row.perm, obj) if obj is not None else user.has_perm(row.perm)
            expected = role in row.allowed
            if actual != expected:
                mismatches.append(
                    f"{row.perm} on {row.target or '-'} as {role}: "
                    f"expected {'allowed' if expected else 'refused'}, got "
                    f"{'allowed' if actual else 'refused'}"
                )
    assert not mismatches, "Access matrix mismatches:\n" + "\n".join(mismatches)


def is_refused(response: Any) -> bool:
    """403, 404 (hidden), 401, or a redirect to a login page."""
    if response.status_code in (401, 403, 404, 405):
        return True
    if response.status_code in (301, 302):
        location = response.headers.get("Location", "")
        return "/accounts/login/" in location or "/admin/login/" in location
    return False


def assert_http_matrix(cast: Cast, rows: Iterable[HttpRow]) -> None:
    mismatches = []
    for row in rows:
        assert not _unknown_roles(row.allowed), _unknown_roles(row.allowed)
        for role in ROLES:
            if row.reset:
                row.reset(cast)
            client = Client()
            if role != "anonymous":
                client.force_login(cast.users[role])
            url = row.url(cast)
            data = row.data(cast) if row.data else None
            response = client.generic(
                row.method,
                url,
                **({"data": _encode(data)} if data is not None else {}),
                content_type="application/x-www-form-urlencoded",
            )
            refused = is_refused(response)
            if refused != (role not in row.allowed):
                mismatches.append(
                    f"{row.name} ({row.method} {url}) as {role}: expected "
                    f"{'refused' if role not in row.allowed else 'allowed'}, got "
                    f"{response.status_code} {response.headers.get('Location', '')}"
                )
    assert not mismatches, "Access matrix mismatches:\n" + "\n".join(mismatches)


def _encode(data: dict[str, Any]) -> str:
    from urllib.parse import urlencode

    return urlencode(data, doseq=True)
