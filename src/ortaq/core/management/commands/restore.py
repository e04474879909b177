from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from ortaq.core import backup as backup_service
from ortaq.core.backup import BackupError
from ortaq.core.i18n import operator_language


class Command(BaseCommand):
    help = (
        "Restore a backup made by `ortaq backup` into an empty database and the folders of "
        "uploaded files, after checking every checksum; migrates it when it is older."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The backup folder (with its manifest.json).")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(operator_language()):
            try:
                summary = backup_service.restore(path=Path(options["path"]))
            except BackupError as error:
                raise CommandError(str(error.message)) from error
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Restored {path} (made {created_at} by Ortaq {version}) into the "
                        "{engine} database: {restored} files copied, {present} already in place."
                    ).format(
                        path=summary.path,
                        created_at=summary.created_at,
                        version=summary.ortaq_version,
                        engine=summary.engine,
                        restored=summary.files_restored,
                        present=summary.files_present,
                    )
                )
            )
            if summary.migrations_applied:
                self.stdout.write(
                    _("The backup was older than the code; migrations applied: {names}.").format(
                        names=", ".join(summary.migrations_applied)
                    )
                )
