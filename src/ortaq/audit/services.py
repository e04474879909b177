"""Recording writes. Every service that changes data calls `audit_record` in its transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
from typing import Any

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


@transaction.atomic
def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    changes: dict[str, Any] | None = None,
    organisation: models.Model | None = None,
) -> AuditEntry:
    """Append one entry to the stream of the object's app (audit/chain.py).

    Of confidential objects (audit/confidential.py) only ids, statuses and the names of the
    changed fields are kept, never their content; values of keys named like a password,
    secret, token or key are never kept at all (audit/secrets.py).

    The stream's head is locked until the caller's transaction ends, so concurrent writers of
    one stream chain one after the other (SQLite lets one writer at a time anyway).
    """
    user = actor if getattr(actor, "is_authenticated", False) else None
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    label = f"{content_type.app_label}.{content_type.model}"
    stream = content_type.app_label
    # INSERT ... ON CONFLICT DO NOTHING: two first writers of a stream do not collide.
    AuditStream.objects.bulk_create([AuditStream(name=stream)], ignore_conflicts=True)
    head = AuditStream.objects.select_for_update().get(name=stream)
    organisation_id = getattr(organisation, "pk", None)
    entry = AuditEntry(
        # Taken under the lock: within a stream, time and sequence go up together.
        created_at=timezone.now(),
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
        stream=stream,
        sequence=head.last_sequence + 1,
        previous_hash=head.last_hash,
    )
    entry.entry_hash = entry_hash(entry)
    entry.save(force_insert=True)
    head.last_sequence = entry.sequence
    head.last_hash = entry.entry_hash
    head.save(update_fields=["last_sequence", "last_hash"])
    return entry
