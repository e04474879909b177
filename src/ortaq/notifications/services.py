"""Sending notifications: an inbox row per person now, the e-mail after the commit.

Other modules call `notify(...)` from their services with the people concerned; texts are
rendered in each recipient's preferred language.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise

from .models import Notification

log = logging.getLogger(__name__)

Text = str | Promise | Callable[[], str]


def _render(text: Text) -> str:
    return text() if callable(text) else str(text)


def notify(
    *,
    recipients: Iterable[Any],
    subject: Text,
    body: Text = "",
    url: str = "",
    topic: str = "",
    email: bool = True,
) -> list[Notification]:
    """Write one inbox row per distinct active recipient and e-mail each after the commit."""
    rows = []
    seen: set[int] = set()
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            rows.append(
                Notification(
                    recipient=user,
                    subject=_render(subject)[:300],
                    body=_render(body),
                    url=url,
                    topic=topic,
                    emailed=email,
                )
            )
    created = Notification.objects.bulk_create(rows)
    if email and created:
        letters = [(n.subject, n.body, n.url, n.recipient.email) for n in created]
        transaction.on_commit(lambda: _send(letters))
    return created


def _send(letters: list[tuple[str, str, str, str]]) -> None:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    for subject, body, url, address in letters:
        text = body + (f"\n\n{base}{url}" if url else "")
        try:
            send_mail(
                f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
                text,
                None,
                [address],
            )
        except OSError:  # the inbox row stays; mail delivery is retried by nobody
            log.exception("Could not send a notification to %s", address)


def mark_read(*, user: Any, notification: Notification) -> Notification:
    if notification.recipient_id != user.pk:
        raise PermissionError("not the recipient")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(*, user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
