"""Funding's e-mails: the recipient's language whatever the actor's, absolute links."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.utils import translation

from tests.access import Cast

from . import factories as f

pytestmark = pytest.mark.django_db


def test_a_submitted_application_is_announced_in_kazakh_with_an_absolute_link(
    cast: Cast, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SITE_URL = "https://example.test"
    comp = f.announced(cast)
    # The applicant works in Russian.
    with translation.override("ru"), django_capture_on_commit_callbacks(execute=True):
        application = f.submitted(cast, comp)
    letter = next(m for m in mail.outbox if m.to == ["ngo-admin@example.kz"])
    assert letter.subject == f"[Ortaq] «{application.title}» өтінімі жіберілді"
    assert letter.body == (
        "Ол мерзім аяқталғаннан кейін тексеріледі.\n\n"
        f"https://example.test/kk/funding/applications/{application.pk}/"
    )
