"""On PostgreSQL the database itself refuses to change or delete audit rows.

Hand-written because it is a database rule, not a model change: the model refuses too, but a
trigger also stops raw SQL and other programs sharing the database.
"""

from __future__ import annotations

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION ortaq_audit_append_only() RETURNS trigger AS $$
BEGIN
    -- Deleting a user or an organisation only clears the link (ON DELETE SET NULL):
    -- what was done, and by which e-mail, stays.
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
DROP TRIGGER IF EXISTS audit_append_only ON audit_auditentry;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION ortaq_audit_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_append_only ON audit_auditentry;
DROP FUNCTION IF EXISTS ortaq_audit_append_only();
"""


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
