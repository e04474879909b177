"""Background job of risk signals: thin, it calls the scan."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="funding.risk_scan")
def risk_scan() -> dict[str, int]:
    """Nightly (CELERY_BEAT_SCHEDULE): find the risk signals again; reviewers' verdicts stay."""
    summary = services.risk_scan()
    return {**summary.found, "created": summary.created, "updated": summary.updated}
