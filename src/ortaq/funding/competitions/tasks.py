"""Background jobs of funding: thin, they call a service."""

from __future__ import annotations

from celery import shared_task

from . import services
from .tasks_reports import project_report_reminders  # noqa: F401  (found by autodiscovery)
from .tasks_risk import risk_scan as risk_scan  # registered with the worker


@shared_task(name="funding.deadline_reminders")
def deadline_reminders() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): remind organisers of compliance checks and evaluations
    due within two working days or overdue."""
    return services.deadline_reminders_send()
