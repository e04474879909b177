"""`ortaq export_ocds --output PATH`: the full OCDS release package, written as it is built."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ortaq.funding.opendata import ocds

# Competitions fetched (with their lots, sent applications and contracts) at a time: a regional
# competition holds hundreds of applications, so memory grows with this number.
CHUNK = 10


class Command(BaseCommand):
    help = "Write every competition's OCDS 1.1 releases as one release package (JSON)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, help="File to write ('-' for stdout).")
        parser.add_argument(
            "--uri", default="https://ortaq.kz/opendata/ocds/releases.json", help="Package URI."
        )
        parser.add_argument(
            "--validate", action="store_true", help="Validate against the schema afterwards."
        )

    def handle(self, *args: Any, output: str, uri: str, validate: bool, **options: Any) -> None:
        competitions = ocds.competitions_for_ocds().iterator(chunk_size=CHUNK)
        pieces = ocds.iter_release_package_json(competitions, uri=uri)
        if output == "-":
            for piece in pieces:
                self.stdout.write(piece, ending="")
            return
        with open(output, "w", encoding="utf-8") as handle:
            for piece in pieces:
                handle.write(piece)
        if validate:
            import json

            with open(output, encoding="utf-8") as handle:
                errors = ocds.release_package_errors(json.load(handle))
            for error in errors[:50]:
                self.stderr.write(error)
            if errors:
                raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS(f"Wrote {output}"))
