"""Writes of the yearly NGO-database report, its reminders, and NGO imports.

One function per state change; every change goes through `core.workflow.transition` with
the declared REPORT_WORKFLOW: it checks REPORT_TRANSITIONS, writes a ReportStatusChange and
saves with `update_fields`.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, cast

import rules
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ortaq.accounts.enums import Level, OrganisationKind, Role
from ortaq.accounts.models import Membership, Organisation, User
from ortaq.accounts.rules import regions_administered
from ortaq.audit.services import audit_record, diff, snapshot
from ortaq.core import uploads
from ortaq.core.errors import ConflictError, DomainError
from ortaq.core.locking import check_version
from ortaq.core.workflow import transition
from ortaq.lib import files
from ortaq.notifications.models import Notification
from ortaq.notifications.services import notify
from ortaq.reference.models import ActivityArea, LegalForm, Region

from . import imports
from . import report_rules as _report_rules  # noqa: F401  (registers the permissions)
from .enums import NgoStatus, ReportStatus
from .models import AnnualReport, ImportJob, NgoProfile, NgoStatusChange, ReportReminder
from .report_selectors import import_progress_key, report_deadline
from .search import stems
from .services import check_status_change
from .workflows import REPORT_WORKFLOW

# What the NGO writes in its report (everything but workflow and bookkeeping columns).
REPORT_FIELDS: tuple[str, ...] = (
    "founders_and_members",
    "members_count",
    "property_description",
    *AnnualReport.INCOME_FIELDS,
    "income_total_declared",
    *AnnualReport.SPENDING_FIELDS,
    "spending_total_declared",
    "projects_description",
    "projects_count",
    "beneficiaries_count",
    "staff_count",
    "volunteers_count",
)
EDITABLE_STATUSES = frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED})
FILED_STATUSES = frozenset({ReportStatus.SUBMITTED, ReportStatus.ACCEPTED})


class ReportIncomplete(DomainError):
    """Submission refused; `errors` maps each field to what is wrong with it."""

    def __init__(self, errors: dict[str | None, list[str]]) -> None:
        super().__init__(_("The report cannot be submitted yet: correct the marked fields."))
        self.errors = errors


def _local_today() -> dt.date:
    return timezone.localdate()


def _check_year(year: int, today: dt.date) -> None:
    if not 2016 <= year < today.year:
        raise DomainError(
            _("A report can be filed for a finished year from 2016 on."), field="year"
        )


def _require(actor: User, perm: str, obj: Any) -> None:
    # The rule itself, not `has_perm`: a superuser would pass that, and the NGO's report is
    # written by the NGO's own administrators only.
    if not rules.has_perm(perm, actor, obj):
        raise PermissionDenied


@transaction.atomic
def report_save_draft(
    *,
    actor: User,
    ngo: NgoProfile,
    year: int,
    expected_version: int | None,
    values: dict[str, Any],
    today: dt.date | None = None,
) -> AnnualReport:
    """Keep what the NGO has typed so far. `expected_version` None means "a new report"; a
    mismatch raises ConflictError and changes nothing (the view keeps the typed text)."""
    _require(actor, "registry.fill_annualreport", ngo)
    unknown = set(values) - set(REPORT_FIELDS)
    if unknown:
        raise ValueError(f"Not report fields: {sorted(unknown)}")
    _check_year(year, today or _local_today())
    report = AnnualReport.objects.select_for_update().filter(ngo=ngo, year=year).first()
    if report is None:
        if expected_version not in (None, 0):
            raise ConflictError(_("This report was deleted while you were editing it."))
        try:
            with transaction.atomic():
                report = AnnualReport.objects.create(ngo=ngo, year=year, **values)
        except IntegrityError as exc:
            raise ConflictError(
                _(
                    "Someone else started this report while you were editing it. "
                    "Your text is kept below: compare it with the saved report and save again."
                )
            ) from exc
        audit_record(
            actor=actor,
            action="annual_report.create",
            obj=report,
            changes=snapshot(report, list(REPORT_FIELDS)),
            organisation=ngo.organisation,
        )
        return report
    check_version(report, expected_version=expected_version)
    if report.status not in EDITABLE_STATUSES:
        raise DomainError(_("A submitted or accepted report can no longer be changed."))
    before = snapshot(report, list(REPORT_FIELDS))
    for name, value in values.items():
        setattr(report, name, value.strip() if isinstance(value, str) else value)
    changes = diff(before, snapshot(report, list(REPORT_FIELDS)))
    if not changes:
        return report
    report.version += 1
    report.save(update_fields=[*values, "version", "updated_at"])
    audit_record(
        actor=actor,
        action="annual_report.update",
        obj=report,
        changes=changes,
        organisation=ngo.organisation,
    )
    return report


def report_problems(report: AnnualReport) -> dict[str | None, list[str]]:
    """What stops a report from being submitted: required parts and consistent totals."""
    problems: dict[str | None, list[str]] = {}

    def add(name: str | None, message: str) -> None:
        problems.setdefault(name, []).append(message)

    if not report.founders_and_members.strip():
        add("founders_and_members", _("Name the founders and members."))
    if report.income_total_declared != report.income_total:
        add(
            "income_total_declared",
            _("The total income must equal the sum of the sources: {total} ₸.").format(
                total=report.income_total
            ),
        )
    if report.spending_total_declared != report.spending_total:
        add(
            "spending_total_declared",
            _("The total spending must equal the sum of the lines: {total} ₸.").format(
                total=report.spending_total
            ),
        )
    if report.projects_count and not report.projects_description.strip():
        add("projects_description", _("Describe the projects you counted."))
    if report.projects_description.strip() and not report.projects_count:
        add("projects_count", _("Give the number of the projects you describe."))
    if report.beneficiaries_count and not report.projects_count:
        add("beneficiaries_count", _("Beneficiaries are counted for projects: add the projects."))
    return problems


def _transition(
    report: AnnualReport,
    *,
    to: str,
    actor: User,
    comment: str = "",
    fields: Iterable[str] = (),
) -> AnnualReport:
    """A step of REPORT_WORKFLOW, audited with the report's NGO."""
    source = report.status
    transition(report, workflow=REPORT_WORKFLOW, to=to, actor=actor, note=comment, fields=fields)
    audit_record(
        actor=actor,
        action=f"annual_report.{to}",
        obj=report,
        changes={"status": [source, to], **({"comment": comment} if comment else {})},
        organisation=report.ngo.organisation,
    )
    return report


def _locked(report: AnnualReport) -> AnnualReport:
    return (
        AnnualReport.objects.select_for_update(of=("self",))
        .select_related("ngo__organisation")
        .get(pk=report.pk)
    )


@transaction.atomic
def report_submit(
    *,
    actor: User,
    report: AnnualReport,
    now: dt.datetime | None = None,
) -> AnnualReport:
    """Send the report to the regional administrator. A report first filed after the deadline
    is marked late for good; correcting a returned report does not change that."""
    report = _locked(report)
    _require(actor, "registry.fill_annualreport", report)
    problems = report_problems(report)
    if problems:
        raise ReportIncomplete(problems)
    now = now or timezone.now()
    fields = []
    if report.submitted_at is None:
        report.submitted_at = now
        report.submitted_late = timezone.localdate(now) > report_deadline(report.year)
        fields = ["submitted_at", "submitted_late"]
    return _transition(report, to=ReportStatus.SUBMITTED, actor=actor, fields=fields)


@transaction.atomic
def report_accept(*, actor: User, report: AnnualReport, comment: str = "") -> AnnualReport:
    report = _locked(report)
    _require(actor, "registry.review_annualreport", report)
    report.reviewed_at = timezone.now()
    report.reviewed_by = actor
    report.review_comment = comment.strip()
    return _transition(
        report,
        to=ReportStatus.ACCEPTED,
        actor=actor,
        comment=comment.strip(),
        fields=["reviewed_at", "reviewed_by", "review_comment"],
    )


@transaction.atomic
def report_return(*, actor: User, report: AnnualReport, comment: str) -> AnnualReport:
    """Send the report back for corrections; the NGO must be told what to correct."""
    if not comment.strip():
        raise DomainError(_("Say what the NGO must correct."), field="comment")
    report = _locked(report)
    _require(actor, "registry.review_annualreport", report)
    report.reviewed_at = timezone.now()
    report.reviewed_by = actor
    report.review_comment = comment.strip()
    return _transition(
        report,
        to=ReportStatus.RETURNED,
        actor=actor,
        comment=comment.strip(),
        fields=["reviewed_at", "reviewed_by", "review_comment"],
    )


# --- Reminders -------------------------------------------------------------------------------


def reminders_send(*, today: dt.date | None = None) -> int:
    """Remind the administrators of NGOs that have not filed last year's report, on each of
    NGO_REPORT_REMINDER_DAYS before the deadline (an inbox row each, the e-mail after the
    commit). A ReportReminder row (unique per NGO, year and day) makes a second run on the
    same day send nothing. Returns the reminders sent."""
    today = today or _local_today()
    year = today.year - 1
    deadline = report_deadline(year)
    days_before = (deadline - today).days
    if days_before not in settings.NGO_REPORT_REMINDER_DAYS:
        return 0
    ngos = (
        NgoProfile.objects.filter(status__in=[NgoStatus.ACTIVE, NgoStatus.INACTIVE])
        .exclude(annual_reports__year=year, annual_reports__status__in=FILED_STATUSES)
        .exclude(report_reminders__year=year, report_reminders__days_before=days_before)
        .select_related("organisation")
    )
    admins: dict[int, list[Any]] = {}
    for membership in Membership.objects.filter(
        role=Role.ADMIN,
        is_active=True,
        user__is_active=True,
        organisation__ngo__in=ngos,
    ).select_related("user"):
        admins.setdefault(membership.organisation_id, []).append(membership.user)
    sent = 0
    for ngo in ngos:
        people = admins.get(ngo.organisation_id, [])
        if not people:
            continue
        with transaction.atomic():
            try:
                with transaction.atomic():
                    reminder = ReportReminder.objects.create(
                        ngo=ngo, year=year, days_before=days_before, recipients=len(people)
                    )
            except IntegrityError:  # another run was faster
                continue
            audit_record(
                actor=None,
                action="annual_report.reminder",
                obj=reminder,
                changes={"to": [p.email for p in people], "year": year, "days": days_before},
                organisation=ngo.organisation,
            )
            for person in people:
                sent += len(_remind(ngo, person, year, deadline, days_before))
    return sent


def _remind(
    ngo: NgoProfile, person: Any, year: int, deadline: dt.date, days: int
) -> list[Notification]:
    """The reminder to one administrator: an inbox row, the e-mail after the commit, both in
    his language (notifications renders the texts and the link in it)."""
    context = {"ngo": ngo, "person": person, "year": year, "deadline": deadline, "days": days}
    return notify(
        recipients=[person],
        subject=lambda: _("The NGO-database report for {year} is due on {date}").format(
            year=year, date=deadline.strftime("%d.%m.%Y")
        ),
        body=lambda: render_to_string("registry/report_reminder_email.txt", context).strip(),
        url=reverse("registry_reports:report_list"),
        topic="registry.report.reminder",
    )


# --- Imports ---------------------------------------------------------------------------------


@dataclass
class ImportResult:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[imports.RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


Progress = Callable[[int, int], None]
BATCH = 1000


def _search_text(org: Organisation, profile: NgoProfile, area_names: list[str]) -> str:
    """The same stems as part 1's `services.search_text_for`, computed without a query per NGO
    (the area names are passed in)."""
    parts = [
        org.name_kk,
        org.name_ru,
        org.name_en,
        profile.short_name_kk,
        profile.short_name_ru,
        profile.short_name_en,
        profile.description_kk,
        profile.description_ru,
        profile.description_en,
        *area_names,
    ]
    return " " + " ".join(stems(" ".join(p for p in parts if p))) + " "


def ngos_import(
    *,
    actor: User | None,
    rows: list[dict[str, str]],
    dry_run: bool = False,
    allowed_regions: frozenset[str] | None = None,
    progress: Progress | None = None,
    job: ImportJob | None = None,
    today: dt.date | None = None,
) -> ImportResult:
    """Check every row, then write all of them or none.

    Rows are matched by BIN: unchanged rows are left alone, so importing the same file twice
    changes nothing. The writes are batched (bulk_create / bulk_update in one transaction) so
    that a national file of 25,000 rows takes seconds. The audit log gets one entry per
    import summarising the counts (on the ImportJob), not one per NGO.
    """
    today = today or _local_today()
    refs = imports.References(
        regions=dict(Region.objects.values_list("code", "id")),
        legal_forms=dict(LegalForm.objects.values_list("code", "id")),
        areas=dict(ActivityArea.objects.values_list("code", "id")),
        allowed_regions=allowed_regions,
        current_year=today.year,
    )
    clean, errors = imports.validate_rows(rows, refs)
    result = ImportResult(total=len(rows), dry_run=dry_run)
    existing = _existing_by_bin([row.bin for row in clean])
    for row in clean:
        errors.extend(_existing_problems(actor, row, existing.get(row.bin)))
    if errors:
        result.errors = sorted(errors, key=lambda e: (e.line, e.column))
        return result
    with transaction.atomic():
        _apply(clean, existing, refs, result, dry_run=dry_run, progress=progress, today=today)
        if job is not None:
            audit_record(
                actor=actor,
                action="registry.import" + ("_check" if dry_run else ""),
                obj=job,
                changes={
                    "rows": result.total,
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
            )
    return result


def _existing_problems(
    actor: User | None, row: imports.CleanRow, org: Organisation | None
) -> list[imports.RowError]:
    """What stops a row from changing the organisation already registered under its BIN: the
    rules of the NGO's own pages. The importer must be allowed to change that NGO (its current
    region, not only the row's), and a new status must follow the old one as on the status
    page. `actor` None is the server's command line, which may change any region."""
    if org is None:
        return []
    if org.kind != OrganisationKind.NGO:
        return [
            imports.RowError(
                row.line, "bin", _("This BIN belongs to an organisation that is not an NGO.")
            )
        ]
    if actor is not None and not actor.has_perm("registry.import_over_ngo", org):
        return [
            imports.RowError(
                row.line,
                "bin",
                _(
                    "BIN {value} belongs to an NGO you may not change: only its region's "
                    "administrator can update it."
                ).format(value=row.bin),
            )
        ]
    profile = getattr(org, "ngo", None)
    status = row.profile["status"]
    if profile is not None and status != profile.status:
        try:
            check_status_change(profile.status, status)
        except DomainError as error:
            return [imports.RowError(row.line, "status", str(error.message))]
    return []


def _existing_by_bin(bins: list[str]) -> dict[str, Organisation]:
    """Organisations (with their NGO profile) of these BINs, 5,000 BINs per query."""
    found: dict[str, Organisation] = {}
    for start in range(0, len(bins), 5000):
        chunk = bins[start : start + 5000]
        for org in Organisation.objects.filter(bin__in=chunk).select_related("ngo"):
            found[org.bin] = org
    return found


def _apply(
    clean: list[imports.CleanRow],
    existing: dict[str, Organisation],
    refs: imports.References,
    result: ImportResult,
    *,
    dry_run: bool,
    progress: Progress | None,
    today: dt.date,
) -> None:
    through = NgoProfile.activity_areas.through
    profile_ids = [
        cast(Any, org).ngo.pk for org in existing.values() if getattr(org, "ngo", None) is not None
    ]
    current_areas: dict[int, set[int]] = {}
    for start in range(0, len(profile_ids), 5000):
        for ngo_id, area_id in through.objects.filter(
            ngoprofile_id__in=profile_ids[start : start + 5000]
        ).values_list("ngoprofile_id", "activityarea_id"):
            current_areas.setdefault(ngo_id, set()).add(area_id)
    area_names: dict[int, list[str]] = {
        pk: [kk, ru, en]
        for pk, kk, ru, en in ActivityArea.objects.values_list(
            "id", "name_kk", "name_ru", "name_en"
        )
    }
    total = len(clean)
    for start in range(0, total, BATCH):
        batch = clean[start : start + BATCH]
        new_orgs: list[Organisation] = []
        new_profiles: list[NgoProfile] = []
        new_areas: dict[str, set[int]] = {}
        changed_orgs: list[Organisation] = []
        changed_profiles: list[NgoProfile] = []
        replaced_areas: dict[int, set[int]] = {}
        history: list[NgoStatusChange] = []
        for row in batch:
            org = existing.get(row.bin)
            profile = getattr(org, "ngo", None) if org is not None else None
            if org is None or profile is None:
                result.created += 1
                if org is None:
                    org = Organisation(kind=OrganisationKind.NGO, level=Level.REGION, bin=row.bin)
                    imports.set_values(org, row.organisation)
                    new_orgs.append(org)
                profile = NgoProfile(organisation=org, status_since=today)
                imports.set_values(profile, row.profile)
                profile.search_text = _search_text(
                    org, profile, [n for a in sorted(row.areas) for n in area_names[a]]
                )
                new_profiles.append(profile)
                new_areas[row.bin] = row.areas
                continue
            org_changed = imports.set_values(org, row.organisation)
            old_status = profile.status
            profile_changed = imports.set_values(profile, row.profile)
            areas_changed = current_areas.get(profile.pk, set()) != row.areas
            if not (org_changed or profile_changed or areas_changed):
                result.unchanged += 1
                continue
            result.updated += 1
            if org_changed:
                org.version += 1
                changed_orgs.append(org)
            if profile.status != old_status:
                profile.status_since = today
                history.append(
                    NgoStatusChange(
                        ngo=profile,
                        from_status=old_status,
                        to_status=profile.status,
                        changed_on=today,
                        note=_("Imported from a file"),
                    )
                )
            profile.search_text = _search_text(
                org, profile, [n for a in sorted(row.areas) for n in area_names[a]]
            )
            profile.version += 1
            changed_profiles.append(profile)
            if areas_changed:
                replaced_areas[profile.pk] = row.areas
        if not dry_run:
            _write_batch(
                new_orgs,
                new_profiles,
                new_areas,
                changed_orgs,
                changed_profiles,
                replaced_areas,
                history,
                today,
            )
        if progress is not None:
            progress(min(start + BATCH, total), total)
    if progress is not None and total == 0:
        progress(0, 0)


def _write_batch(
    new_orgs: list[Organisation],
    new_profiles: list[NgoProfile],
    new_areas: dict[str, set[int]],
    changed_orgs: list[Organisation],
    changed_profiles: list[NgoProfile],
    replaced_areas: dict[int, set[int]],
    history: list[NgoStatusChange],
    today: dt.date,
) -> None:
    through = NgoProfile.activity_areas.through
    now = timezone.now()
    if new_orgs:
        Organisation.objects.bulk_create(new_orgs, batch_size=BATCH)
    for profile in new_profiles:
        profile.organisation_id = profile.organisation.pk
    if new_profiles:
        NgoProfile.objects.bulk_create(new_profiles, batch_size=BATCH)
        history.extend(
            NgoStatusChange(
                ngo=profile,
                from_status="",
                to_status=profile.status,
                changed_on=today,
                note=_("Imported from a file"),
            )
            for profile in new_profiles
        )
    links = [
        through(ngoprofile_id=profile.pk, activityarea_id=area)
        for profile in new_profiles
        for area in sorted(new_areas[profile.organisation.bin])
    ]
    if changed_orgs:
        for org in changed_orgs:
            org.updated_at = now
        Organisation.objects.bulk_update(
            changed_orgs, [*imports.ORGANISATION_FIELDS, "version", "updated_at"], batch_size=BATCH
        )
    if changed_profiles:
        for profile in changed_profiles:
            profile.updated_at = now
        NgoProfile.objects.bulk_update(
            changed_profiles,
            [
                *imports.PROFILE_FIELDS,
                "status_since",
                "search_text",
                "version",
                "updated_at",
            ],
            batch_size=BATCH,
        )
    if replaced_areas:
        through.objects.filter(ngoprofile_id__in=list(replaced_areas)).delete()
        links.extend(
            through(ngoprofile_id=ngo_id, activityarea_id=area)
            for ngo_id, areas in replaced_areas.items()
            for area in sorted(areas)
        )
    if links:
        through.objects.bulk_create(links, batch_size=BATCH)
    if history:
        NgoStatusChange.objects.bulk_create(history, batch_size=BATCH)


IMPORT_TYPES = frozenset({files.CSV, files.XLSX})


def import_max_bytes() -> int:
    """The largest NGO file accepted: a national file of 25,000 rows is about 10 MB."""
    return int(settings.REGISTRY_IMPORT_MAX_BYTES)


def import_job_create(
    *, actor: User, file_name: str, content: Any, dry_run: bool = False
) -> ImportJob:
    """Record an uploaded file; `tasks.run_import_job` does the work. Its type (CSV or XLSX)
    is read from the content by `ortaq.lib.files`, not from its name, and it is stored
    under a random name (the name sent is only shown, made safe)."""
    _require(actor, "registry.import_ngos", None)
    checked = uploads.accept(
        content,
        name=file_name,
        allowed=IMPORT_TYPES,
        limit=import_max_bytes(),
        refused=_("Upload a CSV file in UTF-8 or an XLSX file."),
    )
    job = ImportJob(created_by=actor, file_name=checked.name[:255], dry_run=dry_run)
    job.file.save(
        f"{secrets.token_urlsafe(16)}.{checked.extension}", ContentFile(checked.data), save=False
    )
    job.save()
    audit_record(actor=actor, action="registry.import_upload", obj=job)
    return job


def import_job_run(*, job_id: int) -> ImportJob:
    """Read the job's file, check and import it, keeping the counts and errors on the job.
    Progress goes to the cache (see report_selectors.import_job_progress) so the page can
    poll it while the import's transaction is still open."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status not in (ImportJob.Status.PENDING, ImportJob.Status.RUNNING):
        return job
    actor = job.created_by
    if actor is None or not actor.is_active or not actor.has_perm("registry.import_ngos"):
        # The job runs with its uploader's rights: without him, with nobody's.
        message = _("The person who uploaded this file can no longer import NGOs.")
        return _finish(job, ImportResult(errors=[imports.RowError(0, "", message)]))
    allowed = _import_regions(actor)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    try:
        with job.file.open("rb") as handle:
            rows = imports.read_table(handle, job.file_name)
    except imports.FileProblem as problem:
        return _finish(job, ImportResult(errors=[imports.RowError(0, "", str(problem))]))
    ImportJob.objects.filter(pk=job.pk).update(total_rows=len(rows))

    def progress(done: int, total: int) -> None:
        # Not the ImportJob row: inside the import's transaction nobody else would see it.
        cache.set(import_progress_key(job.pk), (done, total), timeout=6 * 3600)

    result = ngos_import(
        actor=actor,
        rows=rows,
        dry_run=job.dry_run,
        allowed_regions=allowed,
        progress=progress,
        job=job,
    )
    return _finish(job, result)


def _import_regions(actor: User | None) -> frozenset[str] | None:
    """None (every region) for a platform administrator, else the regions he administers."""
    if actor is None or actor.is_staff:
        return None
    ids = regions_administered(actor)
    return frozenset(Region.objects.filter(pk__in=ids).values_list("code", flat=True))


def _finish(job: ImportJob, result: ImportResult) -> ImportJob:
    job.refresh_from_db()
    job.status = ImportJob.Status.FAILED if result.errors else ImportJob.Status.DONE
    job.total_rows = result.total
    job.processed_rows = result.total
    job.created_count = result.created
    job.updated_count = result.updated
    job.unchanged_count = result.unchanged
    job.errors = [error.as_dict() for error in result.errors]
    job.finished_at = timezone.now()
    cache.delete(import_progress_key(job.pk))
    job.save(
        update_fields=[
            "status",
            "total_rows",
            "processed_rows",
            "created_count",
            "updated_count",
            "unchanged_count",
            "errors",
            "finished_at",
        ]
    )
    return job
