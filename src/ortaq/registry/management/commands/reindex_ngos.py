from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ortaq.registry.services import ngo_reindex_all


class Command(BaseCommand):
    help = "Recompute the search stems of every NGO (after a change of the stemmer)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = ngo_reindex_all()
        self.stdout.write(self.style.SUCCESS(f"{count} NGOs reindexed."))
