"""`ortaq remind_project_reports [--date YYYY-MM-DD]`: what the daily task does, by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ortaq.funding.reports import services


class Command(BaseCommand):
    help = (
        "Remind NGOs' administrators of project reports due within five working days or "
        "overdue (once per report and day: running it again the same day sends nothing)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="The day to act as today (YYYY-MM-DD).")

    def handle(self, *args: Any, date: str | None, **options: Any) -> None:
        try:
            today = dt.date.fromisoformat(date) if date else None
        except ValueError as exc:
            raise CommandError(f"Not a date: {date}") from exc
        sent = services.report_reminders_send(today=today)
        self.stdout.write(f"{sent} report(s) reminded.")
