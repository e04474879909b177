from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from ortaq.demo.runner import seed_all
from ortaq.demo.world import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Create the demo world (idempotent) and print a login for every role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            choices=["small", "national"],
            default="small",
            help="small: a few organisations per region; national: a national-size registry.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("load_reference", verbosity=0)
        world = seed_all(scale=options["scale"])
        for line in world.log:
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD})"))
        width = max((len(role) for role, _ in world.logins), default=10)
        for role, email in world.logins:
            self.stdout.write(f"  {role.ljust(width)}  {email}")
