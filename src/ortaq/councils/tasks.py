"""Background jobs of the councils: thin, they load by id and call a service."""

from __future__ import annotations

from celery import shared_task

from . import services
from .models import Meeting


@shared_task(name="councils.daily")
def daily() -> dict[str, int]:
    """Daily (CELERY_BEAT_SCHEDULE): compositions take over on their date, calls for
    candidates open two months before a term ends, overdue answers are reminded."""
    return {
        "taken_over": services.compositions_take_over_due(),
        "calls_opened": len(services.calls_open_due()),
        "reminders": services.overdue_remind(),
    }


@shared_task(name="councils.deliver_invitations")
def deliver_invitations(meeting_id: int) -> int:
    meeting = Meeting.objects.select_related("council", "composition").get(pk=meeting_id)
    return services.invitations_deliver(meeting=meeting)
