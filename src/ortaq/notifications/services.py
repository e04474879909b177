"""Sending notifications: an inbox row per person now, the e-mail after the commit.

Every e-mail of Ortaq goes out from here (a test keeps it so): other modules call
`notify(...)` from their services with the people concerned. Subjects, bodies and links are
rendered in each recipient's preferred language, and every link in an e-mail is absolute on
SITE_URL. People without an account (a council member known by e-mail only) are an `Address`:
they get the e-mail, no inbox row.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.test.utils import override_settings
from django.urls import translate_url
from django.utils import timezone, translation
from django.utils.functional import Promise

from .models import Notification

log = logging.getLogger(__name__)

Text = str | Promise | Callable[[], str]


@dataclass(frozen=True)
class Address:
    """Someone with no account: e-mailed in `language` (the site's default when empty)."""

    email: str
    language: str = ""


@dataclass(frozen=True)
class Attachment:
    """A file sent with the e-mail (the inbox row does not keep it)."""

    filename: str
    content: bytes | str
    mimetype: str


@dataclass(frozen=True)
class Letter:
    to: str
    subject: str
    body: str
    attachments: tuple[Attachment, ...] = ()


@contextmanager
def mail_silenced() -> Iterator[None]:
    """No e-mail leaves inside the block (inbox rows are still written): the demo's seeding,
    whose addresses are nobody's, uses it."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        yield


def absolute_url(path: str) -> str:
    """The address of a path of ours on SITE_URL; an absolute address is returned as is."""
    if not path.startswith("/") or path.startswith("//"):
        return path
    return f"{settings.SITE_URL}{path}"


def _render(text: Text) -> str:
    return text() if callable(text) else str(text)


def _in_language(url: str, language: str) -> str:
    """The same page in the recipient's language (/ru/… → /kk/…); other links unchanged.

    `translate_url` resolves the path in the active language, so it is resolved in the
    language of its own prefix (the sender's), then reversed in the recipient's."""
    prefix = url.split("/", 2)[1] if url.startswith("/") and url.count("/") >= 2 else ""
    if prefix not in dict(settings.LANGUAGES):
        return url
    with translation.override(prefix):
        return translate_url(url, language)


def notify(
    *,
    recipients: Iterable[Any],
    subject: Text,
    body: Text = "",
    url: str = "",
    topic: str = "",
    email: bool = True,
    attachments: Sequence[Attachment] = (),
) -> list[Notification]:
    """Write one inbox row per distinct active user and e-mail each recipient after the commit.

    `recipients` are users (inactive ones are skipped), `Address`es or None (skipped); an
    address is written to once however often it appears. `subject` and `body` are rendered in
    each recipient's language: pass a lazy string or a callable, not a string translated in the
    worker's language. `url` is a path of ours (any language prefix) or an external address.
    """
    rows: list[Notification] = []
    letters: list[Letter] = []
    seen_users: set[int] = set()
    seen_addresses: set[str] = set()
    for recipient in recipients:
        if recipient is None:
            continue
        if isinstance(recipient, Address):
            address, language, user = recipient.email, recipient.language, None
        else:
            if recipient.pk in seen_users or not recipient.is_active:
                continue
            seen_users.add(recipient.pk)
            address, language, user = recipient.email, recipient.preferred_language, recipient
        language = language or settings.LANGUAGE_CODE
        key = (address or "").strip().lower()
        if key and key in seen_addresses:
            continue
        if key:
            seen_addresses.add(key)
        with translation.override(language):
            subject_text = _render(subject)[:300]
            body_text = _render(body)
            link = _in_language(url, language)
        if user is not None:
            rows.append(
                Notification(
                    recipient=user,
                    subject=subject_text,
                    body=body_text,
                    url=link,
                    topic=topic,
                    emailed=email,
                )
            )
        if email and key:
            text = body_text + (f"\n\n{absolute_url(link)}" if link else "")
            letters.append(Letter(address, subject_text, text, tuple(attachments)))
    created = Notification.objects.bulk_create(rows)
    if letters:
        transaction.on_commit(lambda: send(letters))
    return created


def send(letters: Sequence[Letter]) -> int:
    """Send the letters over one connection; returns how many went out. A failure is logged
    (the inbox rows stay) and never undoes the work that caused the letters."""
    messages = []
    for letter in letters:
        message = EmailMessage(
            subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{letter.subject}",
            body=letter.body,
            to=[letter.to],
        )
        for attachment in letter.attachments:
            message.attach(attachment.filename, attachment.content, attachment.mimetype)
        messages.append(message)
    try:
        return get_connection().send_messages(messages) or 0
    except OSError:  # delivery is retried by nobody; the inbox keeps the message
        log.exception("Could not send %d notification e-mail(s)", len(messages))
        return 0


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
