"""The councils' e-mails go through notifications: an inbox row, the recipient's language,
absolute links (SITE_URL), after the commit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from ortaq.councils import services
from ortaq.councils.enums import MemberCategory
from ortaq.councils.models import CouncilMember
from ortaq.notifications.models import Notification
from tests.access import Cast

from .conftest import CouncilWorld
from .test_services import _decided_item

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings: Any) -> None:
    settings.SITE_URL = "https://example.test"


def test_invitations_reach_each_member_in_his_language_with_an_absolute_link(
    world: CouncilWorld, cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    cast.users["consultant"].preferred_language = "ru"
    cast.users["consultant"].save(update_fields=["preferred_language"])
    CouncilMember.objects.create(
        composition=world.composition,
        full_name="Guest without an account",
        email="guest@example.kz",
        category=MemberCategory.CIVIL,
        appointed_on=world.composition.term_start,
    )
    # The worker's language is not the members'.
    with translation.override("ru"), django_capture_on_commit_callbacks(execute=True):
        services.invitations_send(actor=cast.users["ngo_member"], meeting=world.meeting)
    letters = {m.to[0]: m for m in mail.outbox}
    assert sorted(letters) == [
        "consultant@example.kz",
        "guest@example.kz",
        "member@example.kz",
        "ngo-admin@example.kz",
    ]
    kazakh = letters["ngo-admin@example.kz"]
    assert kazakh.subject == "[Ortaq] Шақыру: Қоғамдық кеңес отырысы, 2024-03-15 10:00"
    assert f"https://example.test/kk/councils/meetings/{world.meeting.pk}/" in kazakh.body
    russian = letters["consultant@example.kz"]
    assert russian.subject.startswith("[Ortaq] Приглашение")
    assert "Общественный совет" in russian.subject
    assert f"https://example.test/ru/councils/meetings/{world.meeting.pk}/" in russian.body
    # No account: the site's default language (English in the tests).
    assert letters["guest@example.kz"].subject == (
        "[Ortaq] Invitation: meeting of Public council of Kyzylorda department on 2024-03-15 10:00"
    )
    for message in mail.outbox:
        assert [(a[0], a[2]) for a in message.attachments] == [("meeting.ics", "text/calendar")]
    assert sorted(
        Notification.objects.filter(topic="councils.meeting.invitation").values_list(
            "recipient__email", "url"
        )
    ) == [
        ("consultant@example.kz", f"/ru/councils/meetings/{world.meeting.pk}/"),
        ("member@example.kz", f"/kk/councils/meetings/{world.meeting.pk}/"),
        ("ngo-admin@example.kz", f"/kk/councils/meetings/{world.meeting.pk}/"),
    ]


def test_overdue_reminders_reach_officials_in_their_language_after_the_commit(
    world: CouncilWorld, cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    cast.users["regional_admin"].preferred_language = "ru"
    cast.users["regional_admin"].save(update_fields=["preferred_language"])
    item = _decided_item(world, cast)
    services.recommendation_create(
        actor=None,
        item=item,
        addressee=cast.objects["state_body"],
        text_kk="Жастар орталығын ашу",
        text_ru="Открыть молодёжный центр",
        sent_on=dt.date(2024, 3, 15),
    )
    with translation.override("ru"):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            assert services.overdue_remind(today=dt.date(2024, 4, 4)) == 2
        assert mail.outbox == []  # nothing before the commit
        for callback in callbacks:
            callback()
    letters = {m.to[0]: m for m in mail.outbox}
    assert sorted(letters) == ["official@example.kz", "region-admin@example.kz"]
    kazakh = letters["official@example.kz"]
    assert kazakh.subject == "[Ortaq] Кеңес ұсынымдарына мерзімі өткен жауаптар: 1"
    assert "Жастар орталығын ашу" in kazakh.body
    with translation.override("kk"):
        inbox_kk = reverse("councils:inbox")
    assert f"https://example.test{inbox_kk}" in kazakh.body
    russian = letters["region-admin@example.kz"]
    assert "Открыть молодёжный центр" in russian.body
    assert "https://example.test/ru/" in russian.body
    assert Notification.objects.filter(topic="councils.recommendation.overdue").count() == 2
