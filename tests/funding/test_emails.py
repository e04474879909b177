"""Funding's e-mails: the recipient's language whatever the actor's, absolute links."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.utils import translation

from ortaq.funding.competitions import services
from ortaq.notifications.models import Notification
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


def test_compliance_failures_reach_the_ngo_in_its_language(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    comp = f.announced(cast)
    application = f.submitted(cast, comp)
    f.pass_deadline(comp)
    official = cast.users["official"]
    services.competition_close(actor=official, competition=comp)
    # The official works in Russian; the NGO's administrator reads Kazakh.
    with translation.override("ru"), django_capture_on_commit_callbacks(execute=True):
        services.compliance_record(
            actor=official, application=application, failures=[("documents", "Нет устава")]
        )
    letter = next(m for m in mail.outbox if m.to == ["ngo-admin@example.kz"])
    assert letter.body.startswith("Құжаттар жоқ немесе жарамсыз: Нет устава\n\n")


def test_the_decision_reaches_the_ngo_in_its_language(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    with translation.override("ru"), django_capture_on_commit_callbacks(execute=True):
        _comp, application = f.published(cast)
    row = Notification.objects.get(
        recipient=cast.users["ngo_admin"], topic="funding.application.decision"
    )
    assert row.subject == f"«{application.title}» конкурсының нәтижелері"
    assert row.body.startswith("1-орын, жалпы балл ")
    letter = next(m for m in mail.outbox if m.subject == f"[Ortaq] {row.subject}")
    assert letter.body == (
        f"{row.body}\n\nhttp://127.0.0.1:8000/kk/funding/applications/{application.pk}/"
    )
