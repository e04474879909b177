"""Contracts made from funded applications: status history, amendments, targets and tranches.
Workflow lives in `funding/contracts/services.py`."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ortaq.accounts.models import Organisation
from ortaq.core.models import StatusChangeBase
from ortaq.reference.models import Region
from ortaq.registry.models import NgoProfile

from ..enums import (
    ContractStatus,
    TrancheStatus,
)
from .base import USER
from .competitions import Application, Indicator


class Contract(models.Model):
    """The contract made from a funded application: the customer (the competition's organiser),
    the NGO, the amount and dates; its targets are the application's indicators."""

    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="contract",
    )
    number = models.CharField(_("contract number"), max_length=40, unique=True)
    organiser = models.ForeignKey(
        Organisation, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    ngo = models.ForeignKey(
        NgoProfile, verbose_name=_("NGO"), on_delete=models.PROTECT, related_name="contracts"
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Where the project is carried out; empty for a national project."),
    )
    title = models.CharField(_("project title"), max_length=300)
    amount = models.BigIntegerField(_("amount, ₸"))
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    signed_on = models.DateField(_("signed"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ContractStatus.choices, default=ContractStatus.DRAFT
    )
    public_summary = models.TextField(_("public summary"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="contract_amount_positive"),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="contract_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ContractStatus.values), name="contract_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=ContractStatus.DRAFT) | Q(signed_on__isnull=False),
                name="contract_in_force_is_signed",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "region"]),
            models.Index(fields=["ngo", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class ContractStatusChange(StatusChangeBase):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=12, choices=ContractStatus.choices)
    to_status = models.CharField(max_length=12, choices=ContractStatus.choices)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.contract_id}: {self.from_status} → {self.to_status}"


class ContractAmendment(models.Model):
    """A change to a contract in force: what changed (field → [before, after]) and why."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="amendments")
    number = models.PositiveSmallIntegerField(_("number"))
    reason = models.TextField(_("reason"))
    changes = models.JSONField(_("changes"), default=dict)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("made"), auto_now_add=True)

    class Meta:
        ordering = ["contract", "number"]
        verbose_name = _("contract amendment")
        verbose_name_plural = _("contract amendments")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "number"], name="contract_amendment_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} #{self.number}"


class ContractIndicator(models.Model):
    """A target of the contract, carried over from the application's planned indicator."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="indicators")
    source = models.ForeignKey(
        Indicator, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, default=0)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["contract", "position", "id"]
        verbose_name = _("contract target")
        verbose_name_plural = _("contract targets")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "name"], name="contract_indicator_name_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Tranche(models.Model):
    """A payment of the contract. One that depends on a report is released only once that
    report is approved: the service checks it and a database trigger enforces it."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="tranches")
    number = models.PositiveSmallIntegerField(_("number"))
    amount = models.BigIntegerField(_("amount, ₸"))
    due_date = models.DateField(_("due"))
    report = models.ForeignKey(
        "funding.Report",  # reports/ imports contracts/, not the other way round
        verbose_name=_("released after the report"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tranches",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=TrancheStatus.choices, default=TrancheStatus.PLANNED
    )
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    released_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    payment_reference = models.CharField(_("payment order"), max_length=60, blank=True)

    class Meta:
        ordering = ["contract", "number"]
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="tranche_number_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="tranche_amount_positive"),
            models.CheckConstraint(
                condition=Q(status__in=TrancheStatus.values), name="tranche_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=TrancheStatus.PLANNED, released_at__isnull=True)
                | Q(status=TrancheStatus.RELEASED, released_at__isnull=False),
                name="tranche_released_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} #{self.number}"
