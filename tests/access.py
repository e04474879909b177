"""The access matrix: role × object owner × action → allowed or not.

Every module adds its rows, in two forms:

- `PermRow`: a django-rules permission checked on an object of the cast
  (`assert_permission_matrix(cast, rows)`). It asks the RULE itself (`rules.has_perm`, the rule
  set `rules.add_perm` fills), not `user.has_perm`: Django lets a superuser through every
  `has_perm`, so a row could never show that the platform administrator is refused.
- `HttpRow`: a real request to a page or API endpoint as each role
  (`assert_http_matrix(cast, rows)`), the rule as the user meets it. Every role must get an
  EXACT answer: `ok` (and, for a write, what success looks like) when allowed; `refused` when a
  signed-in role is not; the login page (or `anonymous`) for the anonymous user. A 404 or 405 is
  a refusal only where the row says so, and a POST answering 200 is a success only where the
  row's `done` check proves the change happened (a form re-shown with an error is also a 200).

A row names the roles that are allowed; every other role of `ROLES` must be refused. A failure
prints the whole table of mismatches, so one run shows every hole at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import rules
from django.contrib import messages
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

# An expected answer: an exact status code, or LOGIN for a redirect to a login page
# (the site's or the admin's).
LOGIN = "login"
Outcome = int | str
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


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
    # What an allowed role gets. A redirect must not lead to a login page.
    ok: int = 200
    # For a write: proof that it happened (an object created, a status changed), checked after
    # each allowed role's request; required when a write answers 200.
    done: Callable[[Cast, Any], bool] | None = None
    # What a signed-in role that is not allowed gets (403 unless the row says 404, LOGIN...).
    refused: Outcome = 403
    # What the anonymous user gets when not allowed: the login page for pages, 403 for the API.
    anonymous: Outcome | None = None
    # Exceptions for single roles (e.g. 404 for those who may not even know the object exists).
    status_of: Mapping[str, Outcome] = field(default_factory=dict)

    def problems(self) -> list[str]:
        """What is wrong with the row itself."""
        found = []
        unknown = (set(self.allowed) | set(self.status_of)) - set(ROLES)
        if unknown:
            found.append(f"{self.name}: unknown roles {sorted(unknown)}")
        if self.method.upper() not in SAFE_METHODS and self.ok == 200 and self.done is None:
            found.append(
                f"{self.name}: a {self.method} answering 200 may be a form re-shown with an "
                "error; the row must say what success looks like (`done`) or expect a redirect"
            )
        return found

    def expected(self, role: str, url: str) -> Outcome:
        if role in self.status_of:
            return self.status_of[role]
        if role in self.allowed:
            return self.ok
        if role == "anonymous":
            if self.anonymous is not None:
                return self.anonymous
            return 403 if "/api/" in url else LOGIN
        return self.refused


def _unknown_roles(allowed: frozenset[str]) -> set[str]:
    return set(allowed) - set(ROLES)


def assert_permission_matrix(cast: Cast, rows: Iterable[PermRow]) -> None:
    mismatches = []
    for row in rows:
        assert not _unknown_roles(row.allowed), _unknown_roles(row.allowed)
        assert rules.perm_exists(row.perm), f"no rule is registered as {row.perm!r}"
        obj = cast.objects[row.target] if row.target else None
        for role in ROLES:
            user = cast.user(role)
            actual = rules.has_perm(row.perm, user, obj)
            expected = role in row.allowed
            if actual != expected:
                mismatches.append(
                    f"{row.perm} on {row.target or '-'} as {role}: "
                    f"expected {'allowed' if expected else 'refused'}, got "
                    f"{'allowed' if actual else 'refused'}"
                )
    assert not mismatches, "Access matrix mismatches:\n" + "\n".join(mismatches)


def is_login_redirect(response: Any) -> bool:
    if response.status_code not in (301, 302):
        return False
    location = response.headers.get("Location", "")
    return "/accounts/login/" in location or "/admin/login/" in location


def _outcome(response: Any) -> Outcome:
    return LOGIN if is_login_redirect(response) else int(response.status_code)


def _describe(response: Any) -> str:
    location = response.headers.get("Location", "")
    return f"{response.status_code}{' → ' + location if location else ''}"


def error_messages(response: Any) -> list[str]:
    """The error messages the request left for the next page: a view that catches a
    `DomainError` redirects as on success, with the error as a message."""
    request = getattr(response, "wsgi_request", None)
    storage = getattr(request, "_messages", None)
    if storage is None:
        return []
    return [str(m) for m in storage if m.level >= messages.ERROR]


def assert_http_matrix(cast: Cast, rows: Iterable[HttpRow]) -> None:
    mismatches = []
    for row in rows:
        mismatches.extend(row.problems())
        for role in ROLES:
            if row.reset:
                row.reset(cast)
            client = Client()
            if role != "anonymous":
                client.force_login(cast.users[role])
            url = row.url(cast)
            data = row.data(cast) if row.data else None
            if row.method == "POST" and data and any(hasattr(v, "read") for v in data.values()):
                response = client.post(url, data)  # multipart: a file is uploaded
            else:
                response = client.generic(
                    row.method,
                    url,
                    **({"data": _encode(data)} if data is not None else {}),
                    content_type="application/x-www-form-urlencoded",
                )
            expected = row.expected(role, url)
            actual = _outcome(response)
            verdict = "allowed" if role in row.allowed else "refused"
            if actual != expected:
                mismatches.append(
                    f"{row.name} ({row.method} {url}) as {role}: expected {verdict} "
                    f"({expected}), got {_describe(response)}"
                )
            elif role in row.allowed and (errors := error_messages(response)):
                mismatches.append(
                    f"{row.name} ({row.method} {url}) as {role}: expected allowed, got "
                    f"{_describe(response)} with the error {errors}"
                )
            elif role in row.allowed and row.done is not None and not row.done(cast, response):
                mismatches.append(
                    f"{row.name} ({row.method} {url}) as {role}: expected allowed, got "
                    f"{_describe(response)} but the change did not happen"
                )
    assert not mismatches, "Access matrix mismatches:\n" + "\n".join(mismatches)


def _encode(data: dict[str, Any]) -> str:
    from urllib.parse import urlencode

    return urlencode(data, doseq=True)
