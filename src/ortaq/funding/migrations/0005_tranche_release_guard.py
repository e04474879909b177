"""A tranche that depends on a report cannot be released before that report is approved.

The service refuses it with a clear message; this trigger makes the rule hold for every other
path too (the admin, a shell, a raw UPDATE), on PostgreSQL and on SQLite.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION funding_tranche_release_guard() RETURNS trigger AS $$
BEGIN
    IF NEW.status = 'released' AND NEW.report_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM funding_report r WHERE r.id = NEW.report_id AND r.status = 'approved'
    ) THEN
        RAISE EXCEPTION 'tranche_report_not_approved: tranche % depends on report %', NEW.id,
            NEW.report_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER funding_tranche_release_guard
    BEFORE INSERT OR UPDATE ON funding_tranche
    FOR EACH ROW EXECUTE FUNCTION funding_tranche_release_guard();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS funding_tranche_release_guard ON funding_tranche;
DROP FUNCTION IF EXISTS funding_tranche_release_guard();
"""

SQLITE_CONDITION = """
    WHEN NEW.status = 'released' AND NEW.report_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM funding_report r WHERE r.id = NEW.report_id AND r.status = 'approved'
    )
    BEGIN SELECT RAISE(ABORT, 'tranche_report_not_approved'); END;
"""
SQLITE_FORWARD = [
    "CREATE TRIGGER funding_tranche_release_guard_insert BEFORE INSERT ON funding_tranche"
    + SQLITE_CONDITION,
    "CREATE TRIGGER funding_tranche_release_guard_update BEFORE UPDATE ON funding_tranche"
    + SQLITE_CONDITION,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS funding_tranche_release_guard_insert",
    "DROP TRIGGER IF EXISTS funding_tranche_release_guard_update",
]


def forward(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD, params=None)
    elif vendor == "sqlite":
        for sql in SQLITE_FORWARD:
            schema_editor.execute(sql)


def backward(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif vendor == "sqlite":
        for sql in SQLITE_BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("funding", "0004_implementation")]

    operations = [migrations.RunPython(forward, backward)]
