"""Background jobs of funding. Celery's autodiscovery imports `funding.tasks` only, so this
module imports each stage's tasks, which registers them under their fixed names
(`funding.deadline_reminders`, `funding.project_report_reminders`, `funding.risk_scan`)."""

from __future__ import annotations

from .competitions.tasks import deadline_reminders
from .reports.tasks import project_report_reminders
from .risk.tasks import risk_scan

__all__ = ["deadline_reminders", "project_report_reminders", "risk_scan"]
