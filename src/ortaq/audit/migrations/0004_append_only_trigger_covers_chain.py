"""The append-only trigger also refuses changes to the hash chain's columns.

Hand-written because it is a database rule (see 0002): without it an UPDATE that changes only
the new columns (stream, sequence, hashes, ids at the time) would pass the trigger of 0002.
"""

from __future__ import annotations

from django.db import migrations


CREATE = """
CREATE OR REPLACE FUNCTION ortaq_audit_append_only() RETURNS trigger AS $$
BEGIN
    -- Deleting a user or an organisation only clears the link (ON DELETE SET NULL):
    -- what was done, and by which e-mail and ids (actor_ref, organisation_ref), stays.
    IF TG_OP = 'UPDATE'
       AND (NEW.actor_id IS NULL OR NEW.actor_id = OLD.actor_id)
       AND (NEW.organisation_id IS NULL OR NEW.organisation_id = OLD.organisation_id)
       AND NEW.created_at = OLD.created_at AND NEW.actor_email = OLD.actor_email
       AND NEW.action = OLD.action AND NEW.content_type_id = OLD.content_type_id
       AND NEW.object_id = OLD.object_id AND NEW.object_repr = OLD.object_repr
       AND NEW.changes::text = OLD.changes::text
       AND NEW.stream = OLD.stream
       AND NEW.sequence IS NOT DISTINCT FROM OLD.sequence
       AND NEW.actor_ref IS NOT DISTINCT FROM OLD.actor_ref
       AND NEW.organisation_ref IS NOT DISTINCT FROM OLD.organisation_ref
       AND NEW.previous_hash = OLD.previous_hash AND NEW.entry_hash = OLD.entry_hash THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$ LANGUAGE plpgsql;
"""

# The function of 0002, as it was.
PREVIOUS = """
CREATE OR REPLACE FUNCTION ortaq_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND (NEW.actor_id IS NULL OR NEW.actor_id = OLD.actor_id)
       AND (NEW.organisation_id IS NULL OR NEW.organisation_id = OLD.organisation_id)
       AND NEW.created_at = OLD.created_at AND NEW.actor_email = OLD.actor_email
       AND NEW.action = OLD.action AND NEW.content_type_id = OLD.content_type_id
       AND NEW.object_id = OLD.object_id AND NEW.object_repr = OLD.object_repr
       AND NEW.changes::text = OLD.changes::text THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PREVIOUS)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_hash_chain")]

    operations = [migrations.RunPython(forwards, backwards)]
