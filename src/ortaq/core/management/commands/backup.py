from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ortaq.core import backup as backup_service
from ortaq.core.backup import BackupError
from ortaq.core.i18n import operator_language


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump or SQLite's backup API), MEDIA_ROOT and "
        "PRIVATE_MEDIA_ROOT into a new folder with a manifest of checksums."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", required=True, help="The new folder to write (must not exist)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(operator_language()):
            try:
                summary = backup_service.backup(output=Path(options["output"]))
            except BackupError as error:
                raise CommandError(str(error.message)) from error
            for name in summary.skipped_links:
                self.stderr.write(
                    _("Skipped {name}: a symbolic link is never followed.").format(name=name)
                )
            files = ngettext("{count} file", "{count} files", summary.files).format(
                count=summary.files
            )
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Backup written to {path}: {engine} database, {files}, {size} in all."
                    ).format(
                        path=summary.path,
                        engine=summary.engine,
                        files=files,
                        size=filesizeformat(summary.size),
                    )
                )
            )
