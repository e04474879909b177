"""Recording writes. Every service that changes data calls `audit_record` in its transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models

from .confidential import redact_changes, redact_repr
from .models import AuditEntry


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


def audit_record(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    obj: models.Model,
    changes: dict[str, Any] | None = None,
    organisation: models.Model | None = None,
) -> AuditEntry:
    """Append one entry. Of confidential objects (audit/confidential.py) only ids, statuses
    and the names of the changed fields are kept, never their content."""
    # The AUTH_USER_MODEL: audit sits below accounts and names no model of it.
    user: Any = actor if getattr(actor, "is_authenticated", False) else None
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    label = f"{content_type.app_label}.{content_type.model}"
    return AuditEntry.objects.create(
        actor=user,
        actor_email=getattr(user, "email", "") if user else "",
        organisation_id=getattr(organisation, "pk", None),
        action=action,
        content_type=content_type,
        object_id=str(obj.pk),
        object_repr=redact_repr(label, content_type.model, obj.pk, str(obj))[:300],
        changes=redact_changes(label, _plain(changes or {})),
    )
