"""Funding programmes, topic planning, competitions and lots, applications, the expert
commission (register, draws, assignments, scores) and decisions. Workflow lives in
`funding/competitions/services.py`.

Money is in whole tenge (BigIntegerField) everywhere.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ortaq.accounts.models import Organisation
from ortaq.core.i18n import pick
from ortaq.core.models import StatusChangeBase
from ortaq.reference.models import ActivityArea, Region
from ortaq.registry.models import NgoProfile

from ..enums import (
    Aggregation,
    AmountUnit,
    ApplicationStatus,
    AssignmentRole,
    AssignmentStatus,
    BudgetKind,
    CompetitionStatus,
    ComplianceReason,
    ConflictSource,
    DecisionStatus,
    ProgrammeKind,
    ReminderStage,
    SkipReason,
    TopicStatus,
)
from .base import USER, PrivateFile, Trilingual, get_private_storage


class Programme(Trilingual):
    """A kind of funding run by an owner for a year: its criteria, limits and stage durations."""

    kind = models.CharField(_("kind"), max_length=20, choices=ProgrammeKind.choices)
    owner = models.ForeignKey(
        Organisation, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="programmes"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    budget = models.BigIntegerField(_("budget, ₸"))
    activity_areas = models.ManyToManyField(
        ActivityArea, verbose_name=_("activity areas"), related_name="programmes", blank=True
    )
    amount_unit = models.CharField(
        _("unit of the amount limits"),
        max_length=5,
        choices=AmountUnit.choices,
        default=AmountUnit.TENGE,
    )
    amount_min = models.BigIntegerField(_("smallest amount"), null=True, blank=True)
    amount_max = models.BigIntegerField(_("largest amount"), null=True, blank=True)
    application_days = models.PositiveSmallIntegerField(
        _("application window, working days"), default=20
    )
    compliance_days = models.PositiveSmallIntegerField(
        _("compliance check, working days"), default=10
    )
    evaluation_days = models.PositiveSmallIntegerField(_("evaluation, working days"), default=15)
    institutional_cap_percent = models.PositiveSmallIntegerField(
        _("cap of institutional needs, %"),
        null=True,
        blank=True,
        help_text=_("Empty: no cap. State grants: 10%."),
    )
    aggregation = models.CharField(
        _("aggregation of expert scores"),
        max_length=6,
        choices=Aggregation.choices,
        default=Aggregation.MEAN,
    )
    divergence_margin = models.DecimalField(
        _("divergence margin, points of 100"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("20.00"),
        help_text=_("Experts' totals further apart than this are flagged."),
    )
    pass_score = models.DecimalField(
        _("pass mark, points of 100"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0.00"),
    )
    experts_per_area = models.PositiveSmallIntegerField(_("experts per area"), default=3)
    reserves_per_area = models.PositiveSmallIntegerField(_("reserves per area"), default=3)
    blind_review = models.BooleanField(_("blind review"), default=False)
    second_approval = models.BooleanField(_("decision needs a second approver"), default=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "title_ru"]
        verbose_name = _("funding programme")
        verbose_name_plural = _("funding programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ProgrammeKind.values), name="programme_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(amount_unit__in=AmountUnit.values), name="programme_unit_valid"
            ),
            models.CheckConstraint(
                condition=Q(aggregation__in=Aggregation.values),
                name="programme_aggregation_valid",
            ),
            models.CheckConstraint(condition=Q(budget__gte=0), name="programme_budget_positive"),
            models.CheckConstraint(
                condition=Q(amount_min__isnull=True)
                | Q(amount_max__isnull=True)
                | Q(amount_min__lte=models.F("amount_max")),
                name="programme_amount_range",
            ),
            models.CheckConstraint(
                condition=Q(institutional_cap_percent__isnull=True)
                | Q(institutional_cap_percent__lte=100),
                name="programme_cap_percent",
            ),
        ]


class Criterion(models.Model):
    """One evaluation criterion of a programme with its weight and scale (0..scale_max)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("programme")
    )
    code = models.SlugField(_("code"), max_length=40)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=5)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["programme", "position", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="criterion_code_unique"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
            models.CheckConstraint(condition=Q(scale_max__gt=0), name="criterion_scale_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self, "name")


class Topic(Trilingual):
    """A topic a state body proposes for next year's funding; approved topics become lots."""

    owner = models.ForeignKey(
        Organisation, verbose_name=_("state body"), on_delete=models.PROTECT, related_name="topics"
    )
    year = models.PositiveSmallIntegerField(_("year of funding"))
    area = models.ForeignKey(
        ActivityArea, verbose_name=_("activity area"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    problem = models.TextField(_("problem"))
    expected_results = models.TextField(_("expected results"))
    indicators = models.JSONField(_("indicators"), default=list, blank=True)
    budget_estimate = models.BigIntegerField(_("budget estimate, ₸"))
    status = models.CharField(
        _("status"), max_length=12, choices=TopicStatus.choices, default=TopicStatus.DRAFT
    )
    consultation_ends = models.DateField(_("consultation until"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=TopicStatus.values), name="topic_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(budget_estimate__gte=0), name="topic_budget_positive"
            ),
        ]


class TopicComment(models.Model):
    """A comment or a sign of support on a proposed topic, and the state body's answer."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    supports = models.BooleanField(_("supports the topic"), default=False)
    text = models.TextField(_("comment"), blank=True)
    answer = models.TextField(_("answer of the state body"), blank=True)
    answered_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["topic", "created_at", "id"]
        verbose_name = _("topic comment")
        verbose_name_plural = _("topic comments")
        constraints = [
            models.CheckConstraint(
                condition=Q(supports=True) | ~Q(text=""), name="topic_comment_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic_id}: {self.text[:50]}"


class TopicStatusChange(StatusChangeBase):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=12, choices=TopicStatus.choices)
    to_status = models.CharField(max_length=12, choices=TopicStatus.choices)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.topic_id}: {self.from_status} → {self.to_status}"


class Competition(Trilingual):
    """A call for applications of a programme, with lots and a deadline."""

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="competitions",
    )
    organiser = models.ForeignKey(
        Organisation,
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="competitions",
    )
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=CompetitionStatus.choices,
        default=CompetitionStatus.DRAFT,
    )
    time_zone = models.CharField(_("time zone"), max_length=40, default="Asia/Almaty")
    announced_at = models.DateTimeField(_("announced"), null=True, blank=True)
    application_deadline = models.DateTimeField(_("application deadline"), null=True, blank=True)
    compliance_due = models.DateField(_("compliance check due"), null=True, blank=True)
    evaluation_due = models.DateField(_("evaluation due"), null=True, blank=True)
    published_at = models.DateTimeField(_("results published"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-announced_at", "-id"]
        verbose_name = _("competition")
        verbose_name_plural = _("competitions")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CompetitionStatus.values), name="competition_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=CompetitionStatus.DRAFT)
                | Q(status=CompetitionStatus.CANCELLED)
                | Q(application_deadline__isnull=False),
                name="competition_announced_has_deadline",
            ),
        ]
        indexes = [models.Index(fields=["status", "-announced_at"])]

    @property
    def description(self) -> str:
        return pick(self, "description")

    def _today(self) -> dt.date:
        return timezone.localdate(timezone=zoneinfo.ZoneInfo(self.time_zone))

    @property
    def compliance_overdue(self) -> bool:
        """The compliance check is still running after its working-day deadline."""
        return (
            self.status == CompetitionStatus.COMPLIANCE
            and self.compliance_due is not None
            and self.compliance_due < self._today()
        )

    @property
    def evaluation_overdue(self) -> bool:
        return (
            self.status == CompetitionStatus.EVALUATION
            and self.evaluation_due is not None
            and self.evaluation_due < self._today()
        )


class DeadlineReminder(models.Model):
    """A reminder sent to the organiser about a stage's deadline: one per stage and day."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="reminders")
    stage = models.CharField(_("stage"), max_length=12, choices=ReminderStage.choices)
    day = models.DateField(_("day"))
    due = models.DateField(_("due"))
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["competition", "day", "stage"]
        verbose_name = _("deadline reminder")
        verbose_name_plural = _("deadline reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "stage", "day"], name="reminder_one_per_stage_and_day"
            ),
            models.CheckConstraint(
                condition=Q(stage__in=ReminderStage.values), name="reminder_stage_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competition_id}/{self.stage}: {self.day}"


class CompetitionStatusChange(StatusChangeBase):
    competition = models.ForeignKey(
        Competition, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=12, choices=CompetitionStatus.choices)
    to_status = models.CharField(max_length=12, choices=CompetitionStatus.choices)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.competition_id}: {self.from_status} → {self.to_status}"


def document_path(instance: CompetitionDocument, filename: str) -> str:
    return f"competitions/{instance.competition_id}/{filename}"


class CompetitionDocument(models.Model):
    """A public document of a competition (terms, forms, budget template), under MEDIA_ROOT."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size, bytes"))
    uploaded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["competition", "id"]
        verbose_name = _("competition document")
        verbose_name_plural = _("competition documents")

    def __str__(self) -> str:
        return self.title


class Lot(Trilingual):
    competition = models.ForeignKey(
        Competition, verbose_name=_("competition"), on_delete=models.CASCADE, related_name="lots"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lots",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leave empty for a national lot, open to NGOs of every region."),
    )
    area = models.ForeignKey(
        ActivityArea, verbose_name=_("activity area"), on_delete=models.PROTECT, related_name="+"
    )
    budget_ceiling = models.BigIntegerField(_("budget ceiling, ₸"))

    class Meta:
        ordering = ["competition", "number"]
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        constraints = [
            models.UniqueConstraint(fields=["competition", "number"], name="lot_number_unique"),
            models.CheckConstraint(condition=Q(budget_ceiling__gt=0), name="lot_budget_positive"),
        ]


class Application(models.Model):
    """An NGO's application to one lot. One per NGO per lot."""

    lot = models.ForeignKey(
        Lot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="applications"
    )
    ngo = models.ForeignKey(
        NgoProfile, verbose_name=_("NGO"), on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(
        _("status"),
        max_length=14,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    title = models.CharField(_("project title"), max_length=300)
    description = models.TextField(_("project description"), blank=True)
    target_group = models.CharField(_("target group"), max_length=300, blank=True)
    reach = models.PositiveIntegerField(_("people reached"), default=0)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    team = models.TextField(_("team"), blank=True, help_text=_("One person and role per line."))
    requested_amount = models.BigIntegerField(_("requested amount, ₸"), default=0)
    institutional_amount = models.BigIntegerField(_("institutional needs, ₸"), default=0)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["lot", "id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(fields=["lot", "ngo"], name="application_one_per_ngo_and_lot"),
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values), name="application_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(requested_amount__gte=0)
                & Q(institutional_amount__gte=0)
                & Q(institutional_amount__lte=models.F("requested_amount")),
                name="application_amounts_sane",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN])
                | Q(submitted_at__isnull=False),
                name="application_sent_has_date",
            ),
        ]
        indexes = [models.Index(fields=["lot", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def reference(self) -> str:
        return f"A-{self.lot.competition_id}-{self.lot.number}-{self.pk}"


class Indicator(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, default=0)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["application", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name


class BudgetLine(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines"
    )
    item = models.CharField(_("item"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=14, choices=BudgetKind.choices, default=BudgetKind.PROJECT
    )
    amount = models.BigIntegerField(_("amount, ₸"))

    class Meta:
        ordering = ["application", "id"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="budget_line_positive"),
            models.CheckConstraint(
                condition=Q(kind__in=BudgetKind.values), name="budget_line_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.amount}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"applications/{instance.application_id}/{filename}"


class Attachment(PrivateFile):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, storage=get_private_storage)

    class Meta:
        ordering = ["application", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


class ApplicationStatusChange(StatusChangeBase):
    """Every status change of an application with its reason; the applicant sees them all."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=14, choices=ApplicationStatus.choices)
    to_status = models.CharField(max_length=14, choices=ApplicationStatus.choices)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_status} → {self.to_status}"


class ComplianceFailure(models.Model):
    """One reason why an application failed the compliance check."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="compliance_failures"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ComplianceReason.choices)
    explanation = models.TextField(_("explanation"))
    checked_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=ComplianceReason.values), name="compliance_reason_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.reason}"


class Expert(models.Model):
    """A person in the expert register, with the areas he may evaluate."""

    user = models.OneToOneField(
        USER, verbose_name=_("person"), on_delete=models.PROTECT, related_name="expert"
    )
    areas = models.ManyToManyField(
        ActivityArea, verbose_name=_("activity areas"), related_name="experts"
    )
    is_active = models.BooleanField(_("in the register"), default=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")

    def __str__(self) -> str:
        return str(self.user)


class ExpertDraw(models.Model):
    """A recorded random draw of experts for one area of a competition (see draw.py)."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="draws")
    area = models.ForeignKey(ActivityArea, on_delete=models.PROTECT, related_name="+")
    seed = models.CharField(_("seed"), max_length=64)
    pool = models.JSONField(_("eligible experts"))
    main = models.JSONField(_("drawn experts"))
    reserves = models.JSONField(_("reserves"))
    algorithm = models.CharField(_("algorithm"), max_length=20)
    drawn_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    drawn_at = models.DateTimeField(_("drawn"), auto_now_add=True)

    class Meta:
        ordering = ["competition", "area"]
        constraints = [
            models.UniqueConstraint(fields=["competition", "area"], name="draw_one_per_area"),
        ]

    def __str__(self) -> str:
        return f"{self.competition_id}/{self.area_id}: {self.seed}"


class Assignment(models.Model):
    """An expert's work on one application: declaration, then scores."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="assignments")
    draw = models.ForeignKey(ExpertDraw, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(_("role"), max_length=8, choices=AssignmentRole.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.ASSIGNED,
    )
    conflict = models.CharField(
        _("conflict of interest"),
        max_length=10,
        choices=ConflictSource.choices,
        default=ConflictSource.NONE,
        blank=True,
    )
    conflict_note = models.TextField(_("conflict explained"), blank=True)
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    declared_at = models.DateTimeField(_("declared"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("scores submitted"), null=True, blank=True)
    comment = models.TextField(_("overall comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "expert"], name="assignment_one_per_expert"
            ),
            models.CheckConstraint(
                condition=Q(status__in=AssignmentStatus.values), name="assignment_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(role__in=AssignmentRole.values), name="assignment_role_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=AssignmentStatus.RECUSED) | ~Q(conflict=""),
                name="assignment_recusal_has_conflict",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} ← {self.expert_id} ({self.status})"


class Score(models.Model):
    """One expert's score on one criterion; empty value = not applicable (excluded)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["assignment", "criterion__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"], name="score_one_per_criterion"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}/{self.criterion_id}: {self.value}"


class Decision(models.Model):
    """The allocation of a competition: proposed, confirmed (twice if required), published."""

    competition = models.OneToOneField(
        Competition, on_delete=models.CASCADE, related_name="decision"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DecisionStatus.choices,
        default=DecisionStatus.PROPOSED,
    )
    computed_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    computed_at = models.DateTimeField(_("computed"))
    confirmed_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    approved_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DecisionStatus.values), name="decision_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competition_id}: {self.status}"


class DecisionLine(models.Model):
    """One application's place in the ranking of its lot and why it was or was not funded."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="lines")
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="decision_line"
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    total_score = models.DecimalField(
        _("total score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    divergent = models.BooleanField(_("experts disagree"), default=False)
    funded = models.BooleanField(_("funded"))
    amount = models.BigIntegerField(_("amount, ₸"), default=0)
    skip_reason = models.CharField(
        _("reason"), max_length=16, choices=SkipReason.choices, blank=True
    )
    remaining_before = models.BigIntegerField(_("budget left before"), default=0)

    class Meta:
        ordering = ["application__lot", "rank"]
        constraints = [
            models.CheckConstraint(
                condition=Q(funded=True, skip_reason="") | Q(funded=False) & ~Q(skip_reason=""),
                name="decision_line_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.rank}"


# --- Implementation (Funding II): contract → tranches and reports → monitoring → evaluation ---
