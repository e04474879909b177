"""A council is attached only to an organisation that may host its kind (DOMAIN.md §6): a
public council to a state body; a coordination council to a state body or an NGO (an NGO
alliance); another council also to a grant operator.

The services refuse it with a clear message (councils.checks.host_refusal); this trigger
makes the rule hold for every other path too (the admin, a shell, a raw write), on
PostgreSQL and on SQLite. It repeats enums.COUNCIL_HOST_KINDS, and
tests/councils/test_host_rule.py holds both to the same table, pair by pair.

It fires when a council is written with a new kind or host, so rows written before it
(which `ortaq check_council_hosts` lists) can still be deactivated. No data is changed.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

ALLOWED = """(
    (NEW.kind = 'public' AND o.kind = 'state_body')
    OR (NEW.kind = 'coordination' AND o.kind IN ('state_body', 'ngo'))
    OR (NEW.kind = 'other' AND o.kind IN ('state_body', 'ngo', 'grant_operator'))
)"""

PG_FORWARD = f"""
CREATE OR REPLACE FUNCTION councils_council_host_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.kind = OLD.kind
            AND NEW.organisation_id = OLD.organisation_id THEN
        RETURN NEW;
    END IF;
    IF NOT EXISTS (
        SELECT 1 FROM accounts_organisation o WHERE o.id = NEW.organisation_id AND {ALLOWED}
    ) THEN
        RAISE EXCEPTION 'council_host_not_allowed: a % council cannot be attached to '
            'organisation %', NEW.kind, NEW.organisation_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER councils_council_host_guard
    BEFORE INSERT OR UPDATE ON councils_council
    FOR EACH ROW EXECUTE FUNCTION councils_council_host_guard();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS councils_council_host_guard ON councils_council;
DROP FUNCTION IF EXISTS councils_council_host_guard();
"""

SQLITE_REFUSAL = f"""NOT EXISTS (
        SELECT 1 FROM accounts_organisation o WHERE o.id = NEW.organisation_id AND {ALLOWED}
    )
    BEGIN SELECT RAISE(ABORT, 'council_host_not_allowed'); END;
"""
SQLITE_FORWARD = [
    "CREATE TRIGGER councils_council_host_guard_insert BEFORE INSERT ON councils_council\n"
    "    WHEN " + SQLITE_REFUSAL,
    "CREATE TRIGGER councils_council_host_guard_update BEFORE UPDATE ON councils_council\n"
    "    WHEN (NEW.kind IS NOT OLD.kind OR NEW.organisation_id IS NOT OLD.organisation_id)\n"
    "    AND " + SQLITE_REFUSAL,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS councils_council_host_guard_insert",
    "DROP TRIGGER IF EXISTS councils_council_host_guard_update",
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
    dependencies = [
        ("accounts", "0001_initial"),
        ("councils", "0002_agendadocument_alter_election_options_and_more"),
    ]

    operations = [migrations.RunPython(forward, backward)]
