"""Background job of the competitions: thin, it calls a service."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="funding.deadline_reminders")
def deadline_reminders() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): remind organisers of compliance checks and evaluations
    due within two working days or overdue."""
    return services.deadline_reminders_send()
