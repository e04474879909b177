"""`ortaq breakglass_create --email ...`: the break-glass superuser, for the back office only."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ortaq.accounts.breakglass import breakglass_create
from ortaq.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Create the break-glass superuser (audited). Its random password is printed once: "
        "keep it sealed, and set up two-factor at its first login."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True, help="The account's e-mail (its login).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user, password = breakglass_create(actor=None, email=options["email"])
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(f"Break-glass account {user.email} created; its password:")
        self.stdout.write(password)
