"""`ortaq export_ngos PATH`: every NGO of the registry to CSV or XLSX (by the extension)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ortaq.registry import imports
from ortaq.registry.report_selectors import ngo_export_rows


class Command(BaseCommand):
    help = "Export every NGO to a CSV or XLSX file, in the columns import_ngos reads."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="where to write: a .csv or .xlsx file")
        parser.add_argument(
            "--region", action="append", default=None, help="only this region code (repeatable)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["path"]
        try:
            fmt = imports.file_format(path)
        except imports.FileProblem as problem:
            raise CommandError(str(problem)) from problem
        regions = frozenset(options["region"]) if options["region"] else None
        with open(path, "wb") as handle:
            count = imports.write_table(ngo_export_rows(region_codes=regions), handle, fmt)
        self.stdout.write(f"{count} NGOs written to {path}")
