"""Reads of the yearly reports: deadlines, what a person may see, regional compliance, export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ortaq.accounts.enums import Role
from ortaq.accounts.models import Membership
from ortaq.accounts.rules import is_platform_admin, regions_administered
from ortaq.reference.models import Region

from . import imports
from . import report_rules as _report_rules  # noqa: F401  (registers the permissions)
from .enums import NgoStatus, ReportStatus
from .models import AnnualReport, ImportJob, NgoProfile


def report_deadline(year: int) -> dt.date:
    """The report on `year` is due on NGO_REPORT_DEADLINE (MM-DD) of the next year."""
    month, day = (int(part) for part in settings.NGO_REPORT_DEADLINE.split("-"))
    return dt.date(year + 1, month, day)


@dataclass(frozen=True)
class Deadline:
    year: int
    date: dt.date
    days_left: int  # negative once passed

    @property
    def passed(self) -> bool:
        return self.days_left < 0


def deadline_of(year: int, today: dt.date | None = None) -> Deadline:
    today = today or timezone.localdate()
    date = report_deadline(year)
    return Deadline(year=year, date=date, days_left=(date - today).days)


def due_year(today: dt.date | None = None) -> int:
    """The year whose report is being filed now: last year."""
    return (today or timezone.localdate()).year - 1


def closed_year(today: dt.date | None = None) -> int:
    """The latest year whose deadline has passed (what compliance figures are about)."""
    today = today or timezone.localdate()
    year = today.year - 1
    return year if today > report_deadline(year) else year - 1


def report_years(ngo: NgoProfile, today: dt.date | None = None) -> list[int]:
    """Years the NGO may report on, newest first: from its registration (2016 at the
    earliest, when the NGO database began) to last year."""
    last = due_year(today)
    first = max(2016, ngo.registration_year)
    return list(range(last, first - 1, -1))


def ngos_administered_by(*, user: Any) -> QuerySet[NgoProfile]:
    """The NGOs whose administrator the user is (the ones whose reports he fills)."""
    if not user.is_authenticated:
        return NgoProfile.objects.none()
    admin_of = Membership.objects.filter(
        user=user, role=Role.ADMIN, is_active=True, organisation__is_active=True
    ).values("organisation_id")
    return (
        NgoProfile.objects.filter(organisation_id__in=Subquery(admin_of))
        .select_related("organisation", "organisation__region", "legal_form")
        .prefetch_related("annual_reports")
        .order_by("organisation__name_ru")
    )


def report_with_history(*, pk: int) -> AnnualReport:
    return AnnualReport.objects.select_related(
        "ngo__organisation__region", "ngo__legal_form", "reviewed_by"
    ).get(pk=pk)


def report_history(*, report: AnnualReport) -> QuerySet[Any]:
    return report.status_changes.select_related("actor").order_by("created_at", "id")


# --- Compliance ------------------------------------------------------------------------------


class ComplianceState:
    ON_TIME = "on_time"
    LATE = "late"
    RETURNED = "returned"
    DRAFT = "draft"
    NOT_FILED = "not_filed"

    CHOICES = (
        (ON_TIME, _("Filed on time")),
        (LATE, _("Filed late")),
        (RETURNED, _("Returned for corrections")),
        (DRAFT, _("Draft, not submitted")),
        (NOT_FILED, _("Not filed")),
    )
    LABELS = dict(CHOICES)


def compliance_regions(*, user: Any) -> QuerySet[Region]:
    """Regions the user may look at: his own as regional administrator, all for the platform."""
    if is_platform_admin(user):
        return Region.objects.filter(is_active=True)
    return Region.objects.filter(pk__in=regions_administered(user))


def compliance_queryset(
    *, user: Any, year: int, region: Region | None = None, state: str = ""
) -> QuerySet[NgoProfile]:
    """The NGOs that must file for `year` (active or inactive, registered by then) in the
    regions the user may see, each annotated with its report's status and lateness."""
    regions = compliance_regions(user=user)
    if region is not None:
        regions = regions.filter(pk=region.pk)
    reports = AnnualReport.objects.filter(ngo=OuterRef("pk"), year=year)
    qs = (
        NgoProfile.objects.filter(
            organisation__region__in=regions,
            status__in=[NgoStatus.ACTIVE, NgoStatus.INACTIVE],
            registration_year__lte=year,
        )
        .annotate(
            report_id=Subquery(reports.values("pk")[:1]),
            report_status=Subquery(reports.values("status")[:1]),
            report_late=Subquery(reports.values("submitted_late")[:1]),
            report_submitted_at=Subquery(reports.values("submitted_at")[:1]),
        )
        .select_related("organisation", "organisation__region")
        .order_by("organisation__region__code", "organisation__name_ru", "pk")
    )
    return _by_state(qs, state)


def _state_q(state: str) -> Q:
    filed = Q(report_status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED])
    return {
        ComplianceState.ON_TIME: filed & Q(report_late=False),
        ComplianceState.LATE: filed & Q(report_late=True),
        ComplianceState.RETURNED: Q(report_status=ReportStatus.RETURNED),
        ComplianceState.DRAFT: Q(report_status=ReportStatus.DRAFT),
        ComplianceState.NOT_FILED: Q(report_status__isnull=True),
    }[state]


def _by_state(qs: QuerySet[NgoProfile], state: str) -> QuerySet[NgoProfile]:
    if state in ComplianceState.LABELS:
        return qs.filter(_state_q(state))
    return qs


def compliance_state(status: str | None, late: bool | None) -> str:
    if status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
        return ComplianceState.LATE if late else ComplianceState.ON_TIME
    if status == ReportStatus.RETURNED:
        return ComplianceState.RETURNED
    if status == ReportStatus.DRAFT:
        return ComplianceState.DRAFT
    return ComplianceState.NOT_FILED


def compliance_counts(qs: QuerySet[NgoProfile]) -> dict[str, int]:
    """How many NGOs are in each state, in one query."""
    from django.db.models import Count

    figures = qs.order_by().aggregate(
        total=Count("pk"),
        **{state: Count("pk", filter=_state_q(state)) for state in ComplianceState.LABELS},
    )
    return {key: int(value or 0) for key, value in figures.items()}


def reports_awaiting_review(*, user: Any) -> QuerySet[AnnualReport]:
    """Submitted reports of the regions the user reviews."""
    return (
        AnnualReport.objects.filter(
            status=ReportStatus.SUBMITTED,
            ngo__organisation__region__in=compliance_regions(user=user),
        )
        .select_related("ngo__organisation__region")
        .order_by("submitted_at", "pk")
    )


# --- Imports ---------------------------------------------------------------------------------


def import_progress_key(job_id: int) -> str:
    return f"ortaq:registry:import-progress:{job_id}"


def import_job_progress(job: ImportJob) -> tuple[int, int]:
    """(rows done, rows in all) of a running import.

    The import writes all or nothing in one transaction, so rows written to ImportJob during
    the run would stay invisible to the page until the end; the worker reports its progress
    through the cache instead (Redis where deployed, shared by workers and web servers).
    """
    cached = cache.get(import_progress_key(job.pk))
    if cached is not None and job.status == ImportJob.Status.RUNNING:
        return int(cached[0]), int(cached[1])
    return job.processed_rows, job.total_rows


def import_jobs_visible_to(*, user: Any) -> QuerySet[ImportJob]:
    qs = ImportJob.objects.select_related("created_by").order_by("-created_at", "-pk")
    if is_platform_admin(user):
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(created_by=user)


def has_reports(*, ngo: NgoProfile) -> bool:
    return NgoProfile.objects.filter(
        Exists(AnnualReport.objects.filter(ngo=OuterRef("pk"))), pk=ngo.pk
    ).exists()


# --- Export ----------------------------------------------------------------------------------


def ngo_export_rows(*, region_codes: frozenset[str] | None = None) -> Iterator[dict[str, str]]:
    """Every NGO as an export row, in three queries whatever the number of NGOs."""
    through = NgoProfile.activity_areas.through
    areas: dict[int, list[str]] = {}
    links = through.objects.values_list("ngoprofile_id", "activityarea__code")
    profiles = NgoProfile.objects.select_related(
        "organisation", "organisation__region", "legal_form"
    ).order_by("organisation__bin", "pk")
    if region_codes is not None:
        links = links.filter(ngoprofile__organisation__region__code__in=region_codes)
        profiles = profiles.filter(organisation__region__code__in=region_codes)
    for ngo_id, code in links.iterator(chunk_size=5000):
        areas.setdefault(ngo_id, []).append(code)
    for profile in profiles.iterator(chunk_size=2000):
        region = profile.organisation.region
        yield imports.profile_row(
            profile,
            region.code if region else "",
            profile.legal_form.code,
            areas.get(profile.pk, []),
        )
