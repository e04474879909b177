"""Background jobs of project reports: thin, they call a service."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="funding.project_report_reminders")
def project_report_reminders() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): remind the NGOs' administrators of reports due within
    five working days or overdue, once per report and day."""
    return services.report_reminders_send()
