"""The NGO-database report reminder goes through notifications: inbox row, the recipient's
language whatever the worker's, an absolute link (SITE_URL)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from ortaq.notifications.models import Notification
from ortaq.registry import report_services as services
from tests.access import Cast

from .factories import NgoProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def own(cast: Cast) -> Any:
    return NgoProfileFactory(organisation=cast.objects["own_ngo"])


def test_the_reminder_is_in_the_recipients_language_with_an_absolute_link(
    cast: Cast, own: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SITE_URL = "https://example.test"
    settings.NGO_REPORT_REMINDER_DAYS = [7]
    with translation.override("kk"):
        kk_path = reverse("registry_reports:report_list")
    with translation.override("ru"), django_capture_on_commit_callbacks(execute=True):
        sent = services.reminders_send(today=dt.date(2025, 3, 24))
    assert sent == 1  # the own NGO's administrator
    letter = next(m for m in mail.outbox if m.to == ["ngo-admin@example.kz"])
    assert (
        letter.subject == "[Ortaq] ҮЕҰ дерекқорына 2024 жылғы есепті тапсыру мерзімі — 31.03.2025"
    )
    assert "Есепті Ortaq платформасында толтырып, тапсырыңыз:" in letter.body
    assert letter.body.endswith(
        f"Есепті Ortaq платформасында толтырып, тапсырыңыз:\n\nhttps://example.test{kk_path}"
    )
    row = Notification.objects.get(
        recipient=cast.users["ngo_admin"], topic="registry.report.reminder"
    )
    assert row.url == kk_path
    assert row.body.endswith("Есепті Ortaq платформасында толтырып, тапсырыңыз:")
