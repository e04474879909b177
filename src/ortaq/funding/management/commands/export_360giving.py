"""`ortaq export_360giving --output PATH`: the 360Giving data package, written as it is built."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ortaq.funding.opendata import giving360

# Grants fetched (with their contracts and released tranches) at a time.
CHUNK = 500


class Command(BaseCommand):
    help = "Write every published grant and award as one 360Giving data package (JSON)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, help="File to write ('-' for stdout).")
        parser.add_argument("--site", default="https://ortaq.kz", help="Address of the site.")
        parser.add_argument(
            "--validate", action="store_true", help="Validate against the schema afterwards."
        )

    def handle(self, *args: Any, output: str, site: str, validate: bool, **options: Any) -> None:
        site = site.rstrip("/")
        grants = giving360.grants_for_360giving().iterator(chunk_size=CHUNK)
        pieces = giving360.iter_package_json(
            grants, uri=f"{site}/opendata/360giving.json", site=site
        )
        if output == "-":
            for piece in pieces:
                self.stdout.write(piece, ending="")
            return
        with open(output, "w", encoding="utf-8") as handle:
            for piece in pieces:
                handle.write(piece)
        if validate:
            with open(output, encoding="utf-8") as handle:
                errors = giving360.validation_errors(json.load(handle))
            for error in errors[:50]:
                self.stderr.write(error)
            if errors:
                raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS(f"Wrote {output}"))
