"""notify(): the only sender of e-mail — an inbox row per person, the e-mail after the commit,
in each recipient's language, with absolute links."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ortaq.notifications.models import Notification
from ortaq.notifications.services import Address, Attachment, absolute_url, notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings: Any) -> None:
    settings.SITE_URL = "https://example.test"


def test_absolute_url_puts_the_site_in_front_of_a_path() -> None:
    assert absolute_url("/kk/funding/") == "https://example.test/kk/funding/"
    assert absolute_url("https://meet.example.kz/room") == "https://meet.example.kz/room"
    assert absolute_url("") == ""


def test_each_recipient_gets_his_language_and_an_absolute_link_in_it(
    django_capture_on_commit_callbacks: Any,
) -> None:
    kazakh = UserFactory(email="kk@example.kz", preferred_language="kk")
    russian = UserFactory(email="ru@example.kz", preferred_language="ru")
    with translation.override("ru"):  # the worker's language is not the recipients'
        path = reverse("notifications:inbox")
        with django_capture_on_commit_callbacks(execute=True):
            notify(
                recipients=[kazakh, russian],
                subject=gettext_lazy("Inbox"),
                body=lambda: _("No messages yet."),
                url=path,
                topic="test",
            )
    letters = {m.to[0]: m for m in mail.outbox}
    with translation.override("kk"):
        kk_subject, kk_body = _("Inbox"), _("No messages yet.")
    with translation.override("ru"):
        ru_subject, ru_body = _("Inbox"), _("No messages yet.")
    assert kk_subject != ru_subject
    assert letters["kk@example.kz"].subject == f"[Ortaq] {kk_subject}"
    assert letters["kk@example.kz"].body == f"{kk_body}\n\nhttps://example.test/kk/inbox/"
    assert letters["ru@example.kz"].subject == f"[Ortaq] {ru_subject}"
    assert letters["ru@example.kz"].body == f"{ru_body}\n\nhttps://example.test/ru/inbox/"
    rows = {n.recipient.email: n for n in Notification.objects.all()}
    assert (rows["kk@example.kz"].subject, rows["kk@example.kz"].url) == (
        kk_subject,
        "/kk/inbox/",
    )
    assert rows["ru@example.kz"].url == "/ru/inbox/"


def test_the_e_mail_waits_for_the_commit(django_capture_on_commit_callbacks: Any) -> None:
    person = UserFactory(email="p@example.kz")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipients=[person], subject="S", body="B")
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=person).count() == 1
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [["p@example.kz"]]


def test_attachments_and_people_without_an_account_are_e_mailed(
    django_capture_on_commit_callbacks: Any,
) -> None:
    person = UserFactory(email="member@example.kz", preferred_language="ru")
    ics = Attachment(
        filename="meeting.ics", content="BEGIN:VCALENDAR\r\n", mimetype="text/calendar"
    )
    with django_capture_on_commit_callbacks(execute=True):
        rows = notify(
            recipients=[person, Address(email="guest@example.kz", language="ru"), None],
            subject=gettext_lazy("Inbox"),
            body="",
            attachments=[ics],
        )
    assert [n.recipient for n in rows] == [person]  # no inbox without an account
    assert sorted(m.to[0] for m in mail.outbox) == ["guest@example.kz", "member@example.kz"]
    with translation.override("ru"):
        russian = _("Inbox")
    for message in mail.outbox:
        assert message.subject == f"[Ortaq] {russian}"
        assert message.attachments == [("meeting.ics", "BEGIN:VCALENDAR\r\n", "text/calendar")]


def test_inactive_people_and_duplicates_get_nothing(
    django_capture_on_commit_callbacks: Any,
) -> None:
    person = UserFactory(email="once@example.kz")
    gone = UserFactory(email="gone@example.kz", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipients=[person, person, gone, Address(email="ONCE@example.kz")],
            subject="S",
        )
    assert [m.to for m in mail.outbox] == [["once@example.kz"]]


def test_no_e_mail_when_not_asked(django_capture_on_commit_callbacks: Any) -> None:
    person = UserFactory(email="quiet@example.kz")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[person], subject="S", email=False)
    assert mail.outbox == []
    assert Notification.objects.get(recipient=person).emailed is False
