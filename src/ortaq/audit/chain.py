"""The hash chain that makes the audit log tamper-evident.

Every entry carries the hash of the entry before it in its *stream* and its own hash: SHA-256
over a canonical JSON of what it records (stream, sequence number, time, actor, action, object,
changes, organisation, previous hash). Changing a row breaks its own hash, deleting one leaves a
gap in the sequence numbers and breaks the next entry's link, moving one breaks both.

The stream of an entry is the app label of its object (``funding``, ``councils``, ...). One
global chain would make every audited write of the whole platform queue on one row lock, held
until its transaction commits (the audit entry is written inside the service's transaction);
one chain per app lets writers of different apps go on in parallel, while each app's history is
still one verifiable sequence. Each stream's head (`AuditStream`) also holds the last sequence
number and hash, so entries deleted at the end of a stream are found too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from .models import AuditEntry


def _timestamp(value: dt.datetime) -> str:
    """ISO 8601 in UTC with microseconds: the same text whichever database gives it back."""
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _numbers(value: Any) -> Any:
    """Whole floats as integers: PostgreSQL's jsonb gives 1e20 back as 100000000000000000000."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_numbers(v) for v in value]
    if isinstance(value, dict):
        return {k: _numbers(v) for k, v in value.items()}
    return value


def canonical_content(entry: AuditEntry, *, sequence: int | None = None) -> bytes:
    """The bytes the entry's hash covers (`sequence` replaces the entry's own, to tell where a
    moved entry was written)."""
    content: dict[str, Any] = {
        "stream": entry.stream,
        "sequence": entry.sequence if sequence is None else sequence,
        "created_at": _timestamp(entry.created_at),
        "actor": entry.actor_ref,
        "actor_email": entry.actor_email,
        "action": entry.action,
        "object_type": f"{entry.content_type.app_label}.{entry.content_type.model}",
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "changes": _numbers(entry.changes),
        "organisation": entry.organisation_ref,
        "previous_hash": entry.previous_hash,
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def entry_hash(entry: AuditEntry, *, sequence: int | None = None) -> str:
    return hashlib.sha256(canonical_content(entry, sequence=sequence)).hexdigest()
