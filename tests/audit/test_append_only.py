from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from ortaq.audit.models import AppendOnlyError, AuditEntry
from ortaq.audit.services import audit_record, diff
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _entry() -> AuditEntry:
    org = OrganisationFactory()
    return audit_record(actor=UserFactory(), action="test.write", obj=org, changes={"a": [1, 2]})


def test_entries_cannot_be_changed_or_deleted() -> None:
    entry = _entry()
    entry.action = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get().action == "test.write"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_postgresql_refuses_raw_updates() -> None:
    entry = _entry()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditentry SET action = 'x' WHERE id = %s", [entry.pk])


def test_entry_keeps_the_email_even_if_the_user_is_deleted() -> None:
    entry = _entry()
    email = entry.actor_email
    entry.actor.delete()
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert (entry.actor, entry.actor_email) == (None, email)


def test_diff_lists_only_changed_fields() -> None:
    assert diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {"b": [2, 3], "c": [None, 4]}
