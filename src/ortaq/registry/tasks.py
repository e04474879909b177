"""Background jobs of the registry: thin, they load by id and call a service."""

from __future__ import annotations

from celery import shared_task

from . import report_services


@shared_task(name="registry.send_report_reminders")
def send_report_reminders() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): remind NGOs that have not filed last year's report."""
    return report_services.reminders_send()


@shared_task(name="registry.run_import_job")
def run_import_job(job_id: int) -> str:
    return report_services.import_job_run(job_id=job_id).status
