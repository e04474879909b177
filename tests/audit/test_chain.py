"""The audit log is a hash chain per stream: `ortaq audit_verify` names every changed, deleted
or reordered entry (audit/chain.py, audit/verify.py)."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from ortaq.audit.chain import entry_hash
from ortaq.audit.models import AuditEntry, AuditStream
from ortaq.audit.services import audit_record
from ortaq.audit.verify import Problem, verify
from ortaq.reference.models import Region
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger and row locks are PostgreSQL's"
)


@contextmanager
def tampering() -> Iterator[Any]:
    """A cursor that may change audit rows, as someone with the database's superuser would:
    on PostgreSQL triggers are off for the rest of the test's transaction (rolled back with
    it); SQLite has no trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        yield cursor
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def _write(count: int) -> list[AuditEntry]:
    actor = UserFactory()
    region = Region.objects.order_by("pk").first()
    assert region is not None
    return [
        audit_record(actor=actor, action="test.write", obj=region, changes={"n": [n, n + 1]})
        for n in range(1, count + 1)
    ]


def _verify_command() -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("audit_verify", stdout=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_entries_of_one_stream_link_to_the_one_before() -> None:
    first, second = _write(2)
    assert (first.stream, first.sequence, first.previous_hash) == ("reference", 1, "")
    assert (second.stream, second.sequence, second.previous_hash) == (
        "reference",
        2,
        first.entry_hash,
    )
    assert second.entry_hash == entry_hash(AuditEntry.objects.get(pk=second.pk))
    head = AuditStream.objects.get(name="reference")
    assert (head.last_sequence, head.last_hash) == (2, second.entry_hash)


def test_each_app_is_a_stream_of_its_own() -> None:
    _write(2)
    org = OrganisationFactory()
    entry = audit_record(actor=None, action="test.write", obj=org)
    assert (entry.stream, entry.sequence, entry.previous_hash) == ("accounts", 1, "")


def test_untouched_log_is_ok() -> None:
    _write(3)
    audit_record(actor=None, action="test.write", obj=OrganisationFactory())
    assert verify().problems == []
    assert _verify_command() == (
        0,
        "Stream accounts: 1 entries.\nStream reference: 3 entries.\n"
        "OK: every audit stream is intact.\n",
    )


def test_entries_before_the_chain_are_counted_as_unchained() -> None:
    region = Region.objects.order_by("pk").first()
    AuditEntry.objects.bulk_create(
        [AuditEntry(action="old.write", content_type=_type(region), object_id=str(region.pk))]
    )
    _write(2)
    report = verify()
    assert (report.unchained, report.problems) == (1, [])
    code, out = _verify_command()
    assert code == 0
    assert "1 entries were written before the chain started (unchained).\n" in out


def test_entry_still_verifies_after_its_actor_is_deleted() -> None:
    entries = _write(2)
    entries[0].actor.delete()
    assert verify().problems == []


def test_changed_entry_is_named() -> None:
    entries = _write(3)
    with tampering() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET changes = %s WHERE id = %s",
            ['{"n": [2, 30]}', entries[1].pk],
        )
    assert verify().problems == [
        Problem("reference", 2, entries[1].pk, "changed", "its content does not match its hash")
    ]
    code, out = _verify_command()
    assert code == 1
    assert (
        f"TAMPERED stream reference, sequence 2, entry {entries[1].pk}: changed: "
        "its content does not match its hash\n"
    ) in out


def test_changed_entry_with_a_recomputed_hash_is_named() -> None:
    entries = _write(3)
    forged = AuditEntry.objects.select_related("content_type").get(pk=entries[1].pk)
    forged.changes = {"n": [2, 30]}
    with tampering() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET changes = %s, entry_hash = %s WHERE id = %s",
            ['{"n": [2, 30]}', entry_hash(forged), entries[1].pk],
        )
    assert verify().problems == [
        Problem(
            "reference",
            2,
            entries[1].pk,
            "changed",
            "its hash was rewritten: the next entry does not link to it",
        )
    ]


def test_deleted_entry_is_named() -> None:
    entries = _write(4)
    with tampering() as cursor:
        cursor.execute(
            "DELETE FROM audit_auditentry WHERE id IN (%s, %s)", [e.pk for e in entries[1:3]]
        )
    assert verify().problems == [
        Problem("reference", 4, entries[3].pk, "deleted", "sequence 2-3 missing before this entry")
    ]
    assert _verify_command()[0] == 1


def test_deleted_last_entry_is_named() -> None:
    entries = _write(3)
    with tampering() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entries[2].pk])
    assert verify().problems == [
        Problem("reference", 3, None, "deleted", "sequence 3 missing at the end")
    ]


def test_reordered_entries_are_named() -> None:
    entries = _write(4)
    second, third = entries[1].pk, entries[2].pk
    with tampering() as cursor:
        # Through a free number: (stream, sequence) is unique.
        cursor.execute("UPDATE audit_auditentry SET sequence = 99 WHERE id = %s", [second])
        cursor.execute("UPDATE audit_auditentry SET sequence = 2 WHERE id = %s", [third])
        cursor.execute("UPDATE audit_auditentry SET sequence = 3 WHERE id = %s", [second])
    assert verify().problems == [
        Problem("reference", 2, third, "reordered", "it was written as sequence 3"),
        Problem("reference", 3, second, "reordered", "it was written as sequence 2"),
    ]
    assert _verify_command()[0] == 1


def test_rows_swapped_whole_are_named_as_reordered() -> None:
    entries = _write(3)
    columns = "created_at, changes, sequence, previous_hash, entry_hash"
    a, b = entries[1], entries[2]
    with tampering() as cursor:
        cursor.execute(f"SELECT {columns} FROM audit_auditentry WHERE id = %s", [a.pk])
        row_a = cursor.fetchone()
        cursor.execute(f"SELECT {columns} FROM audit_auditentry WHERE id = %s", [b.pk])
        row_b = cursor.fetchone()
        sets = "created_at = %s, changes = %s, sequence = %s, previous_hash = %s, entry_hash = %s"
        cursor.execute("UPDATE audit_auditentry SET sequence = 99 WHERE id = %s", [a.pk])
        cursor.execute(f"UPDATE audit_auditentry SET {sets} WHERE id = %s", [*row_a, b.pk])
        cursor.execute(f"UPDATE audit_auditentry SET {sets} WHERE id = %s", [*row_b, a.pk])
    assert verify().problems == [
        Problem("reference", 3, a.pk, "reordered", "it was written before the entry it follows")
    ]


@on_postgresql
def test_postgresql_refuses_raw_updates_of_the_chain() -> None:
    entry = _write(1)[0]
    for column, value in [("entry_hash", "0" * 64), ("sequence", 7), ("actor_ref", None)]:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(
                f"UPDATE audit_auditentry SET {column} = %s WHERE id = %s", [value, entry.pk]
            )


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_parallel_writers_chain_one_after_the_other() -> None:
    region = Region.objects.order_by("pk").first()
    org = OrganisationFactory()
    errors: list[BaseException] = []
    start = threading.Barrier(20)

    def write(n: int) -> None:
        try:
            start.wait()
            obj = region if n % 2 else org
            audit_record(actor=None, action="test.parallel", obj=obj, changes={"n": n})
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    report = verify()
    assert (report.problems, report.entries) == ([], {"accounts": 10, "reference": 10})
    sequences = sorted(
        AuditEntry.objects.filter(stream="reference").values_list("sequence", flat=True)
    )
    assert sequences == list(range(1, 11))


def _type(obj: Any) -> ContentType:
    return ContentType.objects.get_for_model(obj)
