"""Risk signals found by the scan (`funding/risk/services.py`)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ortaq.accounts.models import Organisation
from ortaq.reference.models import Region
from ortaq.registry.models import NgoProfile

from ..enums import (
    RiskKind,
    RiskStatus,
)
from .base import USER


class RiskSignal(models.Model):
    """A pattern worth a look (double funding, wholesaler, late reporter, concentration), with
    the evidence that raised it. Found by a scan; the same finding keeps its row (fingerprint),
    so a reviewer's verdict survives the next scan."""

    kind = models.CharField(_("kind"), max_length=24, choices=RiskKind.choices)
    fingerprint = models.CharField(max_length=64, unique=True)
    ngo = models.ForeignKey(
        NgoProfile, on_delete=models.CASCADE, null=True, blank=True, related_name="risk_signals"
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisers = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("organisers concerned")
    )
    regions = models.ManyToManyField(
        Region, blank=True, related_name="+", verbose_name=_("regions concerned")
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    strength = models.DecimalField(_("strength"), max_digits=6, decimal_places=3, default=0)
    evidence = models.JSONField(_("evidence"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=RiskStatus.choices, default=RiskStatus.OPEN
    )
    note = models.TextField(_("note of the reviewer"), blank=True)
    reviewed_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    detected_at = models.DateTimeField(_("detected"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now)

    class Meta:
        ordering = ["-strength", "-id"]
        verbose_name = _("risk signal")
        verbose_name_plural = _("risk signals")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=RiskKind.values), name="risk_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=RiskStatus.values), name="risk_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["kind", "status"])]

    def __str__(self) -> str:
        return f"{self.kind}: {self.fingerprint[:12]}"
