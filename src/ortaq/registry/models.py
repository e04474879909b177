"""The NGO registry: one profile per NGO organisation, its status history, ownership claims
and the yearly report to the NGO database. Workflow lives in services.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ortaq.accounts.models import Organisation
from ortaq.core.i18n import pick
from ortaq.core.models import StatusChangeBase
from ortaq.reference.models import ActivityArea, LegalForm

from .enums import ClaimKind, ClaimStatus, NgoStatus, ReportStatus, Settlement, Verification


class NgoProfile(models.Model):
    """What the registry knows of an NGO. Names, BIN and region live on the Organisation."""

    organisation = models.OneToOneField(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="ngo"
    )
    legal_form = models.ForeignKey(
        LegalForm, verbose_name=_("legal form"), on_delete=models.PROTECT, related_name="ngos"
    )
    short_name_kk = models.CharField(_("short name (Kazakh)"), max_length=200, blank=True)
    short_name_ru = models.CharField(_("short name (Russian)"), max_length=200, blank=True)
    short_name_en = models.CharField(_("short name (English)"), max_length=200, blank=True)
    district = models.CharField(_("district or city"), max_length=200, blank=True)
    district_kato = models.CharField(_("district KATO code"), max_length=9, blank=True)
    settlement = models.CharField(
        _("urban or rural"), max_length=5, choices=Settlement.choices, default=Settlement.URBAN
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    leader_name = models.CharField(_("leader"), max_length=200, blank=True)
    leader_position = models.CharField(_("leader's position"), max_length=200, blank=True)
    founders = models.TextField(_("founders"), blank=True, help_text=_("One per line."))
    registration_year = models.PositiveSmallIntegerField(_("year of registration"))
    status = models.CharField(
        _("status"), max_length=20, choices=NgoStatus.choices, default=NgoStatus.ACTIVE
    )
    status_since = models.DateField(_("status since"), null=True, blank=True)
    activity_areas = models.ManyToManyField(
        ActivityArea, verbose_name=_("activity areas"), related_name="ngos", blank=True
    )
    target_groups = models.JSONField(_("target groups"), default=list, blank=True)
    is_childrens = models.BooleanField(_("children's organisation"), default=False)
    is_youth = models.BooleanField(_("youth organisation"), default=False)
    is_disability = models.BooleanField(
        _("organisation of persons with disabilities"), default=False
    )
    is_ethnocultural = models.BooleanField(_("ethnocultural centre"), default=False)
    is_volunteer = models.BooleanField(_("volunteer organisation"), default=False)
    umbrella_associations = models.ManyToManyField(
        Organisation,
        verbose_name=_("member of umbrella associations"),
        related_name="umbrella_members",
        blank=True,
    )
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    verification = models.CharField(
        _("verification"),
        max_length=12,
        choices=Verification.choices,
        default=Verification.UNVERIFIED,
        help_text=_("Only verified NGOs may apply for funding."),
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    # Names, descriptions and areas in all languages, reduced to word stems (services.py keeps
    # it current), so that a search for one word form finds the others on any database.
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("NGO profile")
        verbose_name_plural = _("NGO profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=NgoStatus.values), name="ngo_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(settlement__in=Settlement.values), name="ngo_settlement_valid"
            ),
            models.CheckConstraint(
                condition=Q(verification__in=Verification.values), name="ngo_verification_valid"
            ),
            models.CheckConstraint(
                condition=Q(registration_year__gte=1900) & Q(registration_year__lte=2100),
                name="ngo_registration_year_sane",
            ),
            models.CheckConstraint(
                condition=Q(district_kato="") | Q(district_kato__regex=r"^[0-9]{9}$"),
                name="ngo_district_kato_9_digits",
            ),
        ]
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["legal_form", "status"]),
        ]

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def is_verified(self) -> bool:
        """Read by accounts (a lower app) without importing the registry's enums."""
        return self.verification == Verification.VERIFIED

    @property
    def short_name(self) -> str:
        return pick(self, "short_name") or self.organisation.name

    @property
    def description(self) -> str:
        return pick(self, "description")


class NgoStatusChange(StatusChangeBase):
    """Every change of an NGO's status, with its date (the registry keeps the history)."""

    ngo = models.ForeignKey(
        NgoProfile, verbose_name=_("NGO"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=20, choices=NgoStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=NgoStatus.choices)
    changed_on = models.DateField(_("date"))
    note = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["ngo", "changed_on", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        constraints = [
            models.CheckConstraint(
                condition=Q(to_status__in=NgoStatus.values), name="ngo_status_change_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ngo_id}: {self.from_status or '—'} → {self.to_status} ({self.changed_on})"


class OwnershipClaim(models.Model):
    """A person asks to administer an NGO (a registered one, or one he registers now)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="ngo_claims",
    )
    ngo = models.ForeignKey(
        NgoProfile, verbose_name=_("NGO"), on_delete=models.CASCADE, related_name="claims"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ClaimKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.PENDING
    )
    position = models.CharField(_("position in the NGO"), max_length=200)
    message = models.TextField(_("message to the regional administrator"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason of refusal"), blank=True)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("ownership claim")
        verbose_name_plural = _("ownership claims")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ClaimKind.values), name="claim_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=ClaimStatus.values), name="claim_status_valid"
            ),
            models.UniqueConstraint(
                fields=["user", "ngo"],
                condition=Q(status=ClaimStatus.PENDING),
                name="claim_one_pending_per_person_and_ngo",
            ),
            models.CheckConstraint(
                condition=~Q(status=ClaimStatus.REFUSED) | ~Q(refusal_reason=""),
                name="claim_refusal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.ngo} ({self.status})"


class AnnualReport(models.Model):
    """The yearly report to the NGO database (due by 31 March of the next year, configurable).

    Money in whole tenge. Income and spending are columns, not free JSON, so that statistics
    can sum them in the database.
    """

    ngo = models.ForeignKey(
        NgoProfile, verbose_name=_("NGO"), on_delete=models.CASCADE, related_name="annual_reports"
    )
    year = models.PositiveSmallIntegerField(_("year reported"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    founders_and_members = models.TextField(_("founders and members"), blank=True)
    members_count = models.PositiveIntegerField(_("number of members"), default=0)
    property_description = models.TextField(_("property"), blank=True)
    income_state_order = models.PositiveBigIntegerField(_("state social order, ₸"), default=0)
    income_state_grants = models.PositiveBigIntegerField(_("state grants, ₸"), default=0)
    income_nonstate_grants = models.PositiveBigIntegerField(_("non-state grants, ₸"), default=0)
    income_foreign = models.PositiveBigIntegerField(_("foreign sources, ₸"), default=0)
    income_donations = models.PositiveBigIntegerField(_("donations and sponsorship, ₸"), default=0)
    income_membership_fees = models.PositiveBigIntegerField(_("membership fees, ₸"), default=0)
    income_business = models.PositiveBigIntegerField(_("own business income, ₸"), default=0)
    income_other = models.PositiveBigIntegerField(_("other income, ₸"), default=0)
    spending_programmes = models.PositiveBigIntegerField(_("projects and programmes, ₸"), default=0)
    spending_salaries = models.PositiveBigIntegerField(_("salaries, ₸"), default=0)
    spending_administration = models.PositiveBigIntegerField(_("administration, ₸"), default=0)
    spending_property = models.PositiveBigIntegerField(_("property and equipment, ₸"), default=0)
    spending_other = models.PositiveBigIntegerField(_("other spending, ₸"), default=0)
    # The totals as the NGO states them; submission checks them against the lines above.
    income_total_declared = models.PositiveBigIntegerField(_("total income, ₸"), default=0)
    spending_total_declared = models.PositiveBigIntegerField(_("total spending, ₸"), default=0)
    projects_description = models.TextField(_("projects carried out"), blank=True)
    projects_count = models.PositiveIntegerField(_("number of projects"), default=0)
    beneficiaries_count = models.PositiveIntegerField(_("number of beneficiaries"), default=0)
    staff_count = models.PositiveIntegerField(_("staff"), default=0)
    volunteers_count = models.PositiveIntegerField(_("volunteers"), default=0)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_late = models.BooleanField(_("submitted after the deadline"), default=False)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    review_comment = models.TextField(_("comments of the regional administrator"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    INCOME_FIELDS = (
        "income_state_order",
        "income_state_grants",
        "income_nonstate_grants",
        "income_foreign",
        "income_donations",
        "income_membership_fees",
        "income_business",
        "income_other",
    )
    SPENDING_FIELDS = (
        "spending_programmes",
        "spending_salaries",
        "spending_administration",
        "spending_property",
        "spending_other",
    )

    class Meta:
        ordering = ["-year", "ngo"]
        verbose_name = _("annual NGO-database report")
        verbose_name_plural = _("annual NGO-database reports")
        constraints = [
            models.UniqueConstraint(fields=["ngo", "year"], name="report_one_per_ngo_and_year"),
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="report_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2016) & Q(year__lte=2100), name="report_year_sane"
            ),
            models.CheckConstraint(
                condition=Q(status=ReportStatus.DRAFT) | Q(submitted_at__isnull=False),
                name="report_submitted_has_date",
            ),
        ]
        indexes = [models.Index(fields=["year", "status"])]

    def __str__(self) -> str:
        return f"{self.ngo} — {self.year}"

    @property
    def income_total(self) -> int:
        return sum(getattr(self, name) for name in self.INCOME_FIELDS)

    @property
    def spending_total(self) -> int:
        return sum(getattr(self, name) for name in self.SPENDING_FIELDS)


class ReportStatusChange(StatusChangeBase):
    """Who moved a report from which status to which, when and why."""

    report = models.ForeignKey(
        AnnualReport, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=10, choices=ReportStatus.choices)
    to_status = models.CharField(max_length=10, choices=ReportStatus.choices)

    class Meta:
        ordering = ["report", "created_at", "id"]
        verbose_name = _("report status change")
        verbose_name_plural = _("report status changes")

    def __str__(self) -> str:
        return f"{self.report_id}: {self.from_status} → {self.to_status}"


class ImportJob(models.Model):
    """One upload of an NGO file by a regional administrator; progress is read by the page."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Checking and importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Refused: errors found")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    file_name = models.CharField(_("file"), max_length=255)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    dry_run = models.BooleanField(_("check only"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("NGO import")
        verbose_name_plural = _("NGO imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status})"


class ReportReminder(models.Model):
    """One reminder e-mail about the yearly report: at most one per NGO, year and day before
    the deadline, so that the daily job can run twice without sending twice."""

    ngo = models.ForeignKey(
        NgoProfile, verbose_name=_("NGO"), on_delete=models.CASCADE, related_name="report_reminders"
    )
    year = models.PositiveSmallIntegerField(_("year reported"))
    days_before = models.PositiveSmallIntegerField(_("days before the deadline"))
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("report reminder")
        verbose_name_plural = _("report reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["ngo", "year", "days_before"], name="report_reminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ngo_id}: {self.year} (-{self.days_before})"


class ClaimStatusChange(StatusChangeBase):
    """Who decided or withdrew an ownership claim, and when."""

    claim = models.ForeignKey(
        OwnershipClaim, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=10, choices=ClaimStatus.choices)
    to_status = models.CharField(max_length=10, choices=ClaimStatus.choices)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.from_status} → {self.to_status}"
