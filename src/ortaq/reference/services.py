"""Loading the reference tables from the CSV files shipped with the project."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction

from .models import ActivityArea, LegalForm, MciRate, Region

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def count(self, table: str, *, created: bool, changed: bool) -> None:
        self.created.setdefault(table, 0)
        self.updated.setdefault(table, 0)
        if created:
            self.created[table] += 1
        elif changed:
            self.updated[table] += 1


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def _upsert(
    model: type[models.Model],
    report: LoadReport,
    table: str,
    lookup: dict[str, Any],
    values: dict[str, Any],
) -> None:
    """Create or update one row; touch the database only when something differs."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        model._default_manager.create(**lookup, **values)
        report.count(table, created=True, changed=False)
        return
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
    report.count(table, created=False, changed=bool(changed))


@transaction.atomic
def reference_load() -> LoadReport:
    """Load regions, legal forms, areas and MCI values; running it twice changes nothing."""
    report = LoadReport()
    for row in _rows("regions.csv"):
        _upsert(
            Region,
            report,
            "regions",
            {"code": row["code"]},
            {
                "kato": row["kato"],
                "kind": row["kind"],
                "name_kk": row["name_kk"],
                "name_ru": row["name_ru"],
                "name_en": row["name_en"],
                "centre_ru": row["centre_ru"],
            },
        )
    for position, row in enumerate(_rows("legal_forms.csv"), start=1):
        _upsert(
            LegalForm,
            report,
            "legal forms",
            {"code": row["code"]},
            {
                "group": row["group"],
                "short_ru": row["short_ru"],
                "name_kk": row["name_kk"],
                "name_ru": row["name_ru"],
                "name_en": row["name_en"],
                "position": position,
            },
        )
    for position, row in enumerate(_rows("activity_areas.csv"), start=1):
        _upsert(
            ActivityArea,
            report,
            "activity areas",
            {"code": row["code"]},
            {
                "name_kk": row["name_kk"],
                "name_ru": row["name_ru"],
                "name_en": row["name_en"],
                "position": position,
            },
        )
    for row in _rows("mci.csv"):
        _upsert(MciRate, report, "MCI", {"year": int(row["year"])}, {"value": int(row["value"])})
    return report
