"""Recording writes. Every service that changes data calls `audit_record` in its transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from .chain import entry_hash
from .confidential import redact_changes, redact_repr
from .models import AuditEntry, AuditStream
from .secrets import redact_secrets


def _plain(value: Any) -> Any:
    """A JSON-safe rendering of a field value."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of `obj` (foreign keys as ids), to diff before and after."""
    names = fields or [f.attname for f in obj._meta.concrete_fields]
    return {name: _plain(getattr(obj, name)) for name in names}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for every field whose value changed."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def _stored(changes: Any) -> Any:
    """The changes as the JSON column gives them back (tuples as lists, keys as text), so
    that the hash computed now is the hash recomputed later."""
    return json.loads(json.dumps(changes))


def _entry(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    changes: dict[str, Any] | None,
    organisation: models.Model | None,
) -> AuditEntry:
    """An entry not yet chained: what it records, cleaned of confidential content and secrets."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    label = f"{content_type.app_label}.{content_type.model}"
    organisation_id = getattr(organisation, "pk", None)
    return AuditEntry(
        actor=user,
        actor_ref=user.pk if user else None,
        actor_email=getattr(user, "email", "") if user else "",
        organisation_id=organisation_id,
        organisation_ref=organisation_id,
        action=action,
        content_type=content_type,
        object_id=str(obj.pk),
        object_repr=redact_repr(label, content_type.model, obj.pk, str(obj))[:300],
        changes=_stored(redact_secrets(redact_changes(label, _plain(changes or {})))),
    )


def _append(stream: str, entries: list[AuditEntry]) -> list[AuditEntry]:
    """Chain `entries` at the end of `stream` under a lock of its head, held until the
    caller's transaction ends: concurrent writers of one stream chain one after the other
    (SQLite lets one writer at a time anyway); writers of other streams do not wait."""
    # INSERT ... ON CONFLICT DO NOTHING: two first writers of a stream do not collide. Every
    # time, not only when the head is missing: a page writes as many queries the first time.
    AuditStream.objects.bulk_create([AuditStream(name=stream)], ignore_conflicts=True)
    head = AuditStream.objects.select_for_update().get(name=stream)
    # Taken under the lock: within a stream, time and sequence go up together.
    now = timezone.now()
    for entry in entries:
        entry.created_at = now
        entry.stream = stream
        entry.sequence = head.last_sequence + 1
        entry.previous_hash = head.last_hash
        entry.entry_hash = entry_hash(entry)
        head.last_sequence, head.last_hash = entry.sequence, entry.entry_hash
    AuditEntry.objects.bulk_create(entries)
    head.save(update_fields=["last_sequence", "last_hash"])
    return entries


# No savepoint inside the caller's transaction (every service has one): the entry is written
# with the change or not at all. Outside one, the lock needs a transaction of its own.
@transaction.atomic(savepoint=False)
def audit_record(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    obj: models.Model,
    changes: dict[str, Any] | None = None,
    organisation: models.Model | None = None,
    stream: str | None = None,
) -> AuditEntry:
    """Append one entry to the stream of the object's app, or `stream` (audit/chain.py).

    Of confidential objects (audit/confidential.py) only ids, statuses and the names of the
    changed fields are kept, never their content; values of keys named like a password,
    secret, token or key are never kept at all (audit/secrets.py).
    """
    entry = _entry(actor=actor, action=action, obj=obj, changes=changes, organisation=organisation)
    return _append(stream or entry.content_type.app_label, [entry])[0]


PERSONAL_DATA_READ = "personal_data.read"
# Reads are many more than writes: they chain apart, so a page view never waits for the lock
# of a stream that services write to.
PERSONAL_DATA_STREAM = "personal_data"


def audit_read(
    *,
    actor: Any,
    subject: models.Model | Iterable[models.Model],
    what: str,
    organisation: models.Model | None = None,
) -> list[AuditEntry]:
    """Record that `actor` was shown the personal data (e-mail, phone) of `subject` — one
    person or several — on page `what`. Nothing is recorded of a person reading his own."""
    people = [subject] if isinstance(subject, models.Model) else list(subject)
    actor_pk = getattr(actor, "pk", None)
    entries = [
        _entry(
            actor=actor,
            action=PERSONAL_DATA_READ,
            obj=person,
            changes={"page": what},
            organisation=organisation,
        )
        for person in people
        if not (person.pk == actor_pk and isinstance(actor, type(person)))
    ]
    if not entries:
        return []
    # A page of a list is one lock and one insert, however many people it shows.
    with transaction.atomic(savepoint=False):
        return _append(PERSONAL_DATA_STREAM, entries)
