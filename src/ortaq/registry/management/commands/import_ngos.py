"""`ortaq import_ngos PATH [--dry-run]`: check every row, then import all of them or none."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ortaq.registry import imports, report_services
from ortaq.registry.models import ImportJob


class Command(BaseCommand):
    help = (
        "Import NGOs from a CSV or XLSX file (the columns of export_ngos). Every row is checked "
        "first; with any error nothing is imported and the command exits with status 1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        parser.add_argument("--no-progress", action="store_true", help="no progress on stderr")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["path"]
        dry_run = options["dry_run"]
        try:
            with open(path, "rb") as handle:
                rows = imports.read_table(handle, path)
        except (OSError, imports.FileProblem) as problem:
            raise CommandError(str(problem)) from problem
        show = not options["no_progress"]

        def progress(done: int, total: int) -> None:
            if show:
                sys.stderr.write(f"\r{done}/{total}")
                sys.stderr.flush()

        job = ImportJob.objects.create(file_name=path[-255:], dry_run=dry_run, total_rows=len(rows))
        result = report_services.ngos_import(
            actor=None, rows=rows, dry_run=dry_run, progress=progress, job=job
        )
        if show:
            sys.stderr.write("\n")
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED if result.errors else ImportJob.Status.DONE,
            processed_rows=result.total,
            created_count=result.created,
            updated_count=result.updated,
            unchanged_count=result.unchanged,
            errors=[error.as_dict() for error in result.errors],
            finished_at=timezone.now(),
        )
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{len(result.errors)} errors in {path}: nothing was imported.", returncode=1
            )
        prefix = "Check only, nothing written: " if dry_run else ""
        self.stdout.write(
            f"{prefix}{result.total} rows: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged."
        )
