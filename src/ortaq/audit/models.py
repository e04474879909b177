"""One row per write: who, acting for which organisation, on what, which change, when."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .confidential import REDACTED, redact_changes, redact_repr


class AppendOnlyError(Exception):
    """The audit log is never changed or deleted, only appended to."""


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The audit log is append-only.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("The audit log is append-only.")


class AuditStream(models.Model):
    """The head of one hash chain: the last sequence number and hash written to the stream.

    `audit_record` locks this row (`select_for_update`) while it appends, so that concurrent
    writers of one stream chain one after the other; writers of other streams do not wait.
    """

    name = models.CharField(_("stream"), max_length=100, unique=True)
    last_sequence = models.PositiveBigIntegerField(_("last sequence number"), default=0)
    last_hash = models.CharField(_("last hash"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit stream")
        verbose_name_plural = _("audit streams")

    def __str__(self) -> str:
        return f"{self.name} #{self.last_sequence}"


class AuditEntry(models.Model):
    # Set by `audit_record` before the hash is computed (the hash covers it).
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_email = models.CharField(_("who (e-mail at the time)"), max_length=254, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("acting for"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=60, db_index=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    # The hash chain (audit/chain.py). Entries written before the chain started have no stream:
    # `ortaq audit_verify` counts them as unchained.
    stream = models.CharField(_("stream"), max_length=100, blank=True, default="")
    sequence = models.PositiveBigIntegerField(_("sequence number"), null=True, blank=True)
    # The ids of the actor and the organisation as written: the links above are cleared when
    # the user or organisation is deleted, these are not, so the hash stays verifiable.
    actor_ref = models.BigIntegerField(_("who (id at the time)"), null=True, blank=True)
    organisation_ref = models.BigIntegerField(
        _("acting for (id at the time)"), null=True, blank=True
    )
    previous_hash = models.CharField(_("previous hash"), max_length=64, blank=True, default="")
    entry_hash = models.CharField(_("hash"), max_length=64, blank=True, default="")

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["stream", "sequence"],
                condition=models.Q(sequence__isnull=False),
                name="audit_entry_one_per_stream_sequence",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_email} {self.action} {self.shown_repr()}"
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A data-protection guard, not workflow: existing rows are never rewritten.
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The audit log is append-only.")

    @property
    def _label(self) -> str:
        return f"{self.content_type.app_label}.{self.content_type.model}"

    def shown_repr(self) -> str:
        """The object as the log shows it: never the text of a confidential object, even in
        entries written before confidential content was kept out of them."""
        return redact_repr(self._label, self.content_type.model, self.object_id, self.object_repr)

    def shown_changes(self) -> list[tuple[str, Any, bool]]:
        """(field, value, hidden) as the log shows them; hidden values are confidential."""
        changes = redact_changes(self._label, self.changes)
        if not isinstance(changes, dict):
            return [("", changes, False)]
        return [(str(key), value, value == REDACTED) for key, value in changes.items()]
