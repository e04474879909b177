from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ortaq.reference.services import reference_load


class Command(BaseCommand):
    help = "Load regions (KATO), legal forms, activity areas and the MCI table. Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        report = reference_load()
        if options["verbosity"] < 1:
            return
        for table in report.created:
            self.stdout.write(
                f"{table}: {report.created[table]} created, {report.updated[table]} updated"
            )
        self.stdout.write(self.style.SUCCESS("Reference data loaded."))
