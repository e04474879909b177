"""Search indexes of the NGO directory (PostgreSQL only) and the stems of existing NGOs.

Hand-written because Django cannot express these portably. On PostgreSQL only:
- `registry_ngoprofile.search_vector`, a stored generated tsvector of `search_text`, with a
  GIN index. Not a model field (SQLite has no tsvector); selectors.ngo_search reads it with
  raw SQL. Stored, because computing to_tsvector per row for a common word (thousands of
  matches at national scale) took ~0.7 s per query against ~0.1 s with the stored column.
- GIN trigram indexes on the organisation names (typo matches).
SQLite needs none of it: its search reads `search_text` with LIKE.
"""

from __future__ import annotations

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE registry_ngoprofile ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, COALESCE(search_text, ''))) STORED",
    "CREATE INDEX IF NOT EXISTS registry_ngo_search_vector ON registry_ngoprofile "
    "USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS registry_org_name_kk_trgm ON accounts_organisation "
    "USING gin (name_kk gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS registry_org_name_ru_trgm ON accounts_organisation "
    "USING gin (name_ru gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS registry_org_name_en_trgm ON accounts_organisation "
    "USING gin (name_en gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS registry_ngo_search_vector",
    "ALTER TABLE registry_ngoprofile DROP COLUMN IF EXISTS search_vector",
    "DROP INDEX IF EXISTS registry_org_name_kk_trgm",
    "DROP INDEX IF EXISTS registry_org_name_ru_trgm",
    "DROP INDEX IF EXISTS registry_org_name_en_trgm",
]


def _run(statements, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in statements:
        schema_editor.execute(statement)


def create_indexes(apps, schema_editor):
    _run(FORWARD, schema_editor)


def drop_indexes(apps, schema_editor):
    _run(BACKWARD, schema_editor)


def fill_search_text(apps, schema_editor):
    from ortaq.registry.search import stems

    NgoProfile = apps.get_model("registry", "NgoProfile")
    for ngo in NgoProfile.objects.select_related("organisation").prefetch_related(
        "activity_areas"
    ):
        org = ngo.organisation
        parts = [org.name_kk, org.name_ru, org.name_en, ngo.short_name_kk, ngo.short_name_ru]
        parts += [ngo.short_name_en, ngo.description_kk, ngo.description_ru, ngo.description_en]
        for area in ngo.activity_areas.all():
            parts += [area.name_kk, area.name_ru, area.name_en]
        text = " " + " ".join(stems(" ".join(p for p in parts if p))) + " "
        NgoProfile.objects.filter(pk=ngo.pk).update(search_text=text)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0002_annual_report_totals_reminders"),
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]
