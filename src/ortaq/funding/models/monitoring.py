"""Monitoring visits, findings and photos, evaluation of effectiveness. Workflow lives in
`funding/monitoring/`."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ortaq.accounts.models import Organisation

from ..enums import (
    EvaluationCriterion,
    EvaluationStatus,
    FindingSeverity,
    MonitorKind,
    VisitStatus,
)
from .base import USER, PrivateFile, get_private_storage
from .contracts import Contract


class MonitoringVisit(models.Model):
    """A monitoring visit to a project by the customer, the grant operator or members of a
    public council: checklist, findings (the NGO answers each), photos, recommendations."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="visits")
    monitor_kind = models.CharField(_("who visits"), max_length=12, choices=MonitorKind.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    council = models.ForeignKey(
        "councils.Council",
        verbose_name=_("council"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    inspector = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    visited_on = models.DateField(_("date of the visit"))
    checklist = models.JSONField(_("checklist"), default=list, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=VisitStatus.choices, default=VisitStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["contract", "-visited_on", "-id"]
        verbose_name = _("monitoring visit")
        verbose_name_plural = _("monitoring visits")
        constraints = [
            models.CheckConstraint(
                condition=Q(monitor_kind__in=MonitorKind.values), name="visit_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=VisitStatus.DRAFT) | Q(published_at__isnull=False),
                name="visit_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.visited_on}"


class VisitFinding(models.Model):
    visit = models.ForeignKey(MonitoringVisit, on_delete=models.CASCADE, related_name="findings")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    severity = models.CharField(
        _("severity"), max_length=8, choices=FindingSeverity.choices, default=FindingSeverity.NOTE
    )
    text = models.TextField(_("finding"))
    answer = models.TextField(_("answer of the NGO"), blank=True)
    answered_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["visit", "position", "id"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return self.text[:60]


def visit_photo_path(instance: VisitPhoto, filename: str) -> str:
    return f"visits/{instance.visit_id}/{filename}"


class VisitPhoto(PrivateFile):
    """A photo of a visit, re-encoded on upload so that no metadata (GPS position, camera,
    time) is kept; served by a permission-checked view."""

    visit = models.ForeignKey(MonitoringVisit, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("file"), upload_to=visit_photo_path, storage=get_private_storage)
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    caption = models.CharField(_("caption"), max_length=300, blank=True)

    class Meta:
        ordering = ["visit", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")


class Evaluation(models.Model):
    """The evaluation of effectiveness after a project ends: five criteria scored by the
    expert council, a published conclusion."""

    contract = models.OneToOneField(Contract, on_delete=models.CASCADE, related_name="evaluation")
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EvaluationStatus.choices,
        default=EvaluationStatus.DRAFT,
    )
    scale_max = models.PositiveSmallIntegerField(_("highest score per criterion"), default=5)
    conclusion = models.TextField(_("conclusion"), blank=True)
    evaluated_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation of effectiveness")
        verbose_name_plural = _("evaluations of effectiveness")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=EvaluationStatus.values), name="evaluation_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=EvaluationStatus.DRAFT) | Q(published_at__isnull=False),
                name="evaluation_published_has_date",
            ),
            models.CheckConstraint(condition=Q(scale_max__gt=0), name="evaluation_scale_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.contract_id}: {self.status}"


class EvaluationScore(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    criterion = models.CharField(_("criterion"), max_length=12, choices=EvaluationCriterion.choices)
    value = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["evaluation", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "criterion"], name="evaluation_score_unique"
            ),
            models.CheckConstraint(
                condition=Q(criterion__in=EvaluationCriterion.values),
                name="evaluation_criterion_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id}/{self.criterion}: {self.value}"
