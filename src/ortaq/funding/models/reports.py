"""Project reports: indicator values, spending, evidence, status history. Workflow lives in
`funding/reports/services.py`."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ortaq.core.models import StatusChangeBase

from ..enums import (
    ProjectReportStatus,
    ReportKind,
)
from .base import USER, PrivateFile, get_private_storage
from .competitions import BudgetLine
from .contracts import Contract, ContractIndicator


class Report(models.Model):
    """A progress or final report of a contract, due on a date; drafted by the NGO and
    approved or returned by the customer."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="reports")
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    due_date = models.DateField(_("due"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ProjectReportStatus.choices,
        default=ProjectReportStatus.DRAFT,
    )
    beneficiaries = models.PositiveIntegerField(_("beneficiaries reached"), default=0)
    narrative = models.TextField(_("what was done"), blank=True)
    public_summary = models.TextField(
        _("public summary"), blank=True, help_text=_("Shown on the public project page.")
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_comment = models.TextField(_("comment of the customer"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["contract", "number"]
        verbose_name = _("project report")
        verbose_name_plural = _("project reports")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "number"], name="project_report_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProjectReportStatus.values),
                name="project_report_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ReportKind.values), name="project_report_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="project_report_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(status=ProjectReportStatus.DRAFT) | Q(submitted_at__isnull=False),
                name="project_report_sent_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status=ProjectReportStatus.APPROVED) | Q(reviewed_at__isnull=False),
                name="project_report_approved_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return f"{self.contract_id} #{self.number}"

    @property
    def is_late(self) -> bool:
        """Sent after its due date, or still not sent when the due date has passed."""
        if self.submitted_at is not None:
            return timezone.localdate(self.submitted_at) > self.due_date
        return timezone.localdate() > self.due_date


class ReportStatusChange(StatusChangeBase):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=10, choices=ProjectReportStatus.choices)
    to_status = models.CharField(max_length=10, choices=ProjectReportStatus.choices)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_status} → {self.to_status}"


class ReportIndicatorValue(models.Model):
    """The actual value of one contract target reached by the end of the report's period."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(
        ContractIndicator, on_delete=models.CASCADE, related_name="values"
    )
    actual = models.DecimalField(_("actual"), max_digits=14, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["report", "indicator__position", "indicator_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator"], name="report_indicator_value_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.actual}"


class ReportSpending(models.Model):
    """Money spent in the report's period on one budget line of the application."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="spending")
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="+")
    spent = models.BigIntegerField(_("spent, ₸"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["report", "budget_line_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "budget_line"], name="report_spending_line_unique"
            ),
            models.CheckConstraint(condition=Q(spent__gte=0), name="report_spending_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.budget_line_id}: {self.spent}"


def evidence_path(instance: ReportEvidence, filename: str) -> str:
    return f"reports/{instance.report_id}/{filename}"


class ReportEvidence(PrivateFile):
    """A file or photo backing a report; stored privately (photos without their metadata)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=evidence_path, storage=get_private_storage)
    is_photo = models.BooleanField(_("photo"), default=False)
    caption = models.CharField(_("caption"), max_length=300, blank=True)

    class Meta:
        ordering = ["report", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
