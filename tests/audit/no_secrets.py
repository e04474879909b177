"""A pytest plugin (loaded by tests/conftest.py): after every test that used the database, no
audit entry written by the test's flows holds a secret — a password hash, a TOTP secret or
otpauth URI, a session key, a token — whatever service wrote it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

# Django's password hashes ("argon2$argon2id$...", "pbkdf2_sha256$...", "md5$...") and TOTP.
_SECRET_VALUE = re.compile(
    r"^(argon2|pbkdf2_sha256|pbkdf2_sha1|bcrypt_sha256|bcrypt|scrypt|md5|sha1)\$"
    r"|\$argon2(id|i|d)\$|otpauth://",
    re.IGNORECASE,
)


def secrets_in(value: Any, path: str = "") -> list[str]:
    """Where `value` holds a secret: a secret-named key with a value kept, or a value that
    looks like a password hash or a TOTP URI."""
    from ortaq.audit.secrets import REDACTED, is_secret_key  # the plugin loads before Django

    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}" if path else str(key)
            if is_secret_key(str(key)) and item not in (REDACTED, None, "", [REDACTED, REDACTED]):
                found.append(here)
            found.extend(secrets_in(item, here))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(secrets_in(item, f"{path}[{index}]"))
    elif isinstance(value, str) and _SECRET_VALUE.search(value):
        found.append(path or "(value)")
    return found


@pytest.fixture(autouse=True)
def _audit_entries_hold_no_secrets(request: pytest.FixtureRequest) -> Iterator[None]:
    uses_db = request.node.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db"} & set(request.fixturenames)
    )
    if not uses_db:
        yield
        return
    request.getfixturevalue("db")  # torn down after this fixture: the rows are still there
    yield
    from django.db import connection

    from ortaq.audit.models import AuditEntry

    if connection.needs_rollback:
        return  # the test ended on a database error it expected: nothing can be read

    leaks = [
        f"{action} #{pk}: {where}"
        for pk, action, changes, text in AuditEntry.objects.values_list(
            "pk", "action", "changes", "object_repr"
        )
        for where in secrets_in(changes) + secrets_in(text, "object")
    ]
    assert leaks == [], "audit entries hold secrets"
