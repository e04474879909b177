"""Audit entries never hold secrets (audit/secrets.py); tests/audit/no_secrets.py checks the
entries of every test's flows."""

from __future__ import annotations

import json

import pytest

from ortaq.audit.services import audit_record, snapshot
from tests.audit.no_secrets import secrets_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_snapshot_of_a_user_keeps_no_password_hash() -> None:
    user = UserFactory(password="correct horse battery staple")
    entry = audit_record(actor=user, action="user.update", obj=user, changes=snapshot(user))
    assert entry.changes["password"] == "[secret]"
    assert user.password not in json.dumps(entry.changes)
    assert entry.changes["email"] == user.email


def test_secret_named_keys_are_redacted_at_any_depth() -> None:
    user = UserFactory()
    changes = {
        "totp_secret": "JBSWY3DPEHPK3PXP",
        "recovery": {"sessionKey": "abc123", "api-token": "t0k3n", "note": "kept"},
        "devices": [{"secret": "s", "name": "phone"}],
        "new_password1": "hunter2",
        "monkey": "kept",
    }
    entry = audit_record(actor=user, action="user.update", obj=user, changes=changes)
    assert entry.changes == {
        "totp_secret": "[secret]",
        "recovery": {"sessionKey": "[secret]", "api-token": "[secret]", "note": "kept"},
        "devices": [{"secret": "[secret]", "name": "phone"}],
        "new_password1": "[secret]",
        "monkey": "kept",
    }
    assert secrets_in(entry.changes) == []


def test_the_scan_finds_what_a_redaction_would_miss() -> None:
    assert secrets_in(
        {
            "old": ["md5$abc$0123", "argon2$argon2id$v=19$m=1,t=1,p=1$c2FsdA$aGFzaA"],
            "uri": "otpauth://totp/Ortaq:a@example.kz?secret=JBSW",
            "token": "t0k3n",
            "fine": "plain text",
        }
    ) == ["old[0]", "old[1]", "uri", "token"]
