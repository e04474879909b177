"""Writes of the project reports of a contract: the NGO fills a report against the contract's
targets and its budget lines, attaches evidence and submits; the customer approves it or
returns it with a comment. Every change is audited; `_report_transition` is the one way a
report changes status (PROJECT_REPORT_ALLOWED) and writes its ReportStatusChange row.

Only the NGO's administrators file (the platform administrator does not act for an NGO) and
only the customer's organisers review: both are asked through the rule predicates themselves,
never `has_perm`, which lets a superuser through.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ortaq.audit.services import audit_record, diff, snapshot
from ortaq.core import uploads
from ortaq.core.errors import DomainError
from ortaq.core.locking import check_version
from ortaq.core.workflow import transition
from ortaq.lib import files
from ortaq.lib.money import format_tenge
from ortaq.lib.workdays import add_working_days
from ortaq.notifications.models import Notification
from ortaq.notifications.services import notify

from .. import draw as drawing
from ..competitions.selectors import ngo_people, organiser_people
from ..competitions.services import max_upload_bytes
from ..enums import ContractStatus, ProjectReportStatus, ReportKind
from ..models import (
    BudgetLine,
    Contract,
    Report,
    ReportEvidence,
    ReportIndicatorValue,
    ReportSpending,
)
from ..rules import is_contractor_admin, organiser_org_ids
from ..workflows import PROJECT_REPORT_WORKFLOW
from .selectors import OPEN_STATUSES, ngo_admins_by_organisation

if TYPE_CHECKING:
    from ortaq.accounts.models import User

EVIDENCE_MAX_FILES = 30
# Actual values are stored with 14 digits, 2 of them after the point.
_ACTUAL_LIMIT = Decimal(10) ** 12


def _audit(actor: User, action: str, obj: Model, changes: dict[str, Any] | None = None) -> None:
    audit_record(actor=actor, action=f"funding.{action}", obj=obj, changes=changes or {})


def _url(name: str, *args: Any) -> str:
    return reverse(name, args=args)


def _lock(report: Report) -> tuple[Contract, Report]:
    """The contract first, then the report: two reports of one contract share the budget
    lines, so saving them one after the other keeps the spent totals right."""
    contract = (
        Contract.objects.select_for_update()
        .select_related("ngo__organisation", "application")
        .get(pk=report.contract_id)
    )
    locked = Report.objects.select_for_update().get(pk=report.pk)
    locked.contract = contract
    return contract, locked


def _require_filer(actor: User, contract: Contract) -> None:
    if not is_contractor_admin(actor, contract):
        raise DomainError(_("Only an administrator of the NGO may do this."))


def _require_reviewer(actor: User, contract: Contract) -> None:
    if contract.organiser_id not in organiser_org_ids(actor):
        raise DomainError(_("Only the customer may review reports."))


def _require_in_force(contract: Contract) -> None:
    if contract.status != ContractStatus.ACTIVE:
        raise DomainError(_("Reports are filed and reviewed only while the contract is in force."))


def _require_editable(report: Report) -> None:
    if report.status not in OPEN_STATUSES:
        raise DomainError(_("A submitted or approved report cannot be changed."))


def _report_transition(
    report: Report, *, to: str, actor: User, reason: str = "", fields: Sequence[str] = ()
) -> Report:
    before = report.status
    transition(
        report, workflow=PROJECT_REPORT_WORKFLOW, to=to, actor=actor, note=reason, fields=fields
    )
    _audit(actor, "report.status", report, {"status": [before, to], "reason": reason})
    return report


# --- Filling a report -------------------------------------------------------------------------


def _check_values(
    contract: Contract, values: Mapping[int, tuple[Decimal, str]]
) -> dict[int, tuple[Decimal, str]]:
    targets = set(contract.indicators.values_list("pk", flat=True))
    unknown = set(values) - targets
    if unknown:
        raise DomainError(_("A value was given for a target of another contract."))
    checked = {}
    for pk, (actual, comment) in values.items():
        if not isinstance(actual, Decimal) or not actual.is_finite():
            raise DomainError(_("Enter a number."), field=f"actual_{pk}")
        if actual < 0:
            raise DomainError(_("The actual value cannot be negative."), field=f"actual_{pk}")
        if actual >= _ACTUAL_LIMIT or actual != actual.quantize(Decimal("0.01")):
            raise DomainError(
                _("At most 12 digits before the point and 2 after it."), field=f"actual_{pk}"
            )
        checked[pk] = (actual, comment.strip())
    return checked


def _check_spending(
    contract: Contract, report: Report, spending: Mapping[int, tuple[int, str]]
) -> dict[int, tuple[int, str]]:
    """Spent sums are whole tenge, not negative, on the application's own budget lines, and
    all the reports of the contract together never spend more than a line's amount."""
    lines = {line.pk: line for line in BudgetLine.objects.filter(application=contract.application)}
    if set(spending) - set(lines):
        raise DomainError(_("Spending was given for a budget line of another project."))
    elsewhere = dict(
        ReportSpending.objects.filter(report__contract=contract, budget_line_id__in=list(spending))
        .exclude(report=report)
        .values("budget_line_id")
        .annotate(total=Sum("spent"))
        .values_list("budget_line_id", "total")
    )
    checked = {}
    for pk, (spent, comment) in spending.items():
        line = lines[pk]
        if isinstance(spent, bool) or not isinstance(spent, int):
            raise DomainError(_("Enter a whole number of tenge."), field=f"spent_{pk}")
        if spent < 0:
            raise DomainError(_("The sum spent cannot be negative."), field=f"spent_{pk}")
        total = spent + (elsewhere.get(pk) or 0)
        if total > line.amount:
            raise DomainError(
                _(
                    "“{item}”: {total} would be spent in all reports, more than the line's "
                    "{amount}."
                ).format(
                    item=line.item, total=format_tenge(total), amount=format_tenge(line.amount)
                ),
                field=f"spent_{pk}",
            )
        checked[pk] = (spent, comment.strip())
    return checked


def _contents(report: Report) -> dict[str, Any]:
    """What the NGO fills in, for the audit log's before and after."""
    return {
        **snapshot(report, ["beneficiaries", "narrative", "public_summary"]),
        "values": {
            str(v.indicator_id): [str(v.actual), v.comment]
            for v in ReportIndicatorValue.objects.filter(report=report)
        },
        "spending": {
            str(s.budget_line_id): [s.spent, s.comment]
            for s in ReportSpending.objects.filter(report=report)
        },
    }


@transaction.atomic
def report_save(
    *,
    actor: User,
    report: Report,
    beneficiaries: int,
    narrative: str,
    public_summary: str,
    values: Mapping[int, tuple[Decimal, str]],
    spending: Mapping[int, tuple[int, str]],
    expected_version: int | None,
) -> Report:
    """Save a draft or returned report as the form shows it: the targets and budget lines
    given are set, those left out are cleared. `expected_version` is the one the form was
    opened with."""
    contract, locked = _lock(report)
    _require_filer(actor, contract)
    check_version(locked, expected_version=expected_version)
    _require_editable(locked)
    _require_in_force(contract)
    if isinstance(beneficiaries, bool) or not isinstance(beneficiaries, int) or beneficiaries < 0:
        raise DomainError(
            _("The number of beneficiaries cannot be negative."), field="beneficiaries"
        )
    checked_values = _check_values(contract, values)
    checked_spending = _check_spending(contract, locked, spending)
    before = _contents(locked)
    locked.values.exclude(indicator_id__in=list(checked_values)).delete()
    for pk, (actual, comment) in checked_values.items():
        ReportIndicatorValue.objects.update_or_create(
            report=locked, indicator_id=pk, defaults={"actual": actual, "comment": comment}
        )
    locked.spending.exclude(budget_line_id__in=list(checked_spending)).delete()
    for pk, (spent, comment) in checked_spending.items():
        ReportSpending.objects.update_or_create(
            report=locked, budget_line_id=pk, defaults={"spent": spent, "comment": comment}
        )
    locked.beneficiaries = beneficiaries
    locked.narrative = narrative.strip()
    locked.public_summary = public_summary.strip()
    changes = diff(before, _contents(locked))
    if changes:
        locked.version += 1
        locked.save(update_fields=["beneficiaries", "narrative", "public_summary", "version"])
        _audit(actor, "report.save", locked, changes)
    return locked


# --- Evidence ---------------------------------------------------------------------------------


EVIDENCE_TYPES = frozenset({files.PDF, files.JPEG, files.PNG, files.WEBP})


def evidence_upload(
    *, actor: User, report: Report, upload: UploadedFile, caption: str = ""
) -> ReportEvidence:
    """A PDF or a photo (JPEG, PNG, WebP) backing the report, stored privately; photos are
    re-encoded without their metadata (EXIF with the GPS position, XMP, profiles) before the
    transaction opens. The type is read from the content and the size limited as for
    application attachments (`ortaq.core.uploads.accept`)."""
    checked = uploads.accept(
        upload,
        allowed=EVIDENCE_TYPES,
        limit=max_upload_bytes(),
        refused=_("Only PDF files and JPEG, PNG or WebP photos are accepted."),
    )
    with transaction.atomic():
        return _evidence_store(actor=actor, report=report, checked=checked, caption=caption)


def _evidence_store(
    *, actor: User, report: Report, checked: files.Checked, caption: str
) -> ReportEvidence:
    contract, locked = _lock(report)
    _require_filer(actor, contract)
    _require_editable(locked)
    _require_in_force(contract)
    if locked.evidence.count() >= EVIDENCE_MAX_FILES:
        raise DomainError(
            _("A report holds at most {n} files.").format(n=EVIDENCE_MAX_FILES), field="file"
        )
    evidence = ReportEvidence(
        report=locked,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        is_photo=checked.is_image,
        caption=caption.strip()[:300],
        uploaded_by=actor,
    )
    stored = f"{drawing.new_seed()}.{checked.extension}"
    evidence.file.save(stored, ContentFile(checked.data), save=False)
    evidence.save()
    _audit(
        actor,
        "report.evidence",
        evidence,
        {
            "report": locked.pk,
            "name": checked.name,
            "type": checked.content_type,
            "size": checked.size,
            "pixels": [checked.width, checked.height] if checked.width else None,
        },
    )
    return evidence


@transaction.atomic
def evidence_remove(*, actor: User, evidence: ReportEvidence) -> None:
    """The NGO takes a file off a report it may still change."""
    contract, locked = _lock(evidence.report)
    _require_filer(actor, contract)
    _require_editable(locked)
    _require_in_force(contract)
    _audit(
        actor,
        "report.evidence.remove",
        evidence,
        {"report": locked.pk, "name": evidence.original_name},
    )
    stored = evidence.file.name
    storage = evidence.file.storage
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(stored))


# --- Submission and review --------------------------------------------------------------------


def submission_problems(report: Report) -> list[str]:
    """What stops the report from being submitted, in words for the NGO."""
    problems = []
    missing = report.contract.indicators.exclude(values__report=report).values_list(
        "name", flat=True
    )
    if missing:
        problems.append(
            _("Give the actual value of every target: {names}.").format(names=", ".join(missing))
        )
    if report.kind == ReportKind.FINAL and report.beneficiaries <= 0:
        problems.append(_("A final report gives the number of beneficiaries reached."))
    return problems


@transaction.atomic
def report_submit(*, actor: User, report: Report) -> Report:
    """Send the report to the customer; its organisers are notified. `submitted_at` keeps the
    first sending: a report sent in time and returned for changes does not become late
    because of the return (ReportStatusChange holds every sending)."""
    contract, locked = _lock(report)
    _require_filer(actor, contract)
    _require_in_force(contract)
    _require_editable(locked)
    problems = submission_problems(locked)
    if problems:
        raise DomainError(" ".join(problems))
    fields = []
    if locked.submitted_at is None:
        locked.submitted_at = timezone.now()
        fields.append("submitted_at")
    _report_transition(locked, to=ProjectReportStatus.SUBMITTED, actor=actor, fields=fields)
    notify(
        recipients=organiser_people(contract.organiser_id),
        subject=_message(lambda: _("Report {number} on “{title}” was submitted"), locked, contract),
        body=lambda: _("{ngo} submitted it for your review.").format(
            ngo=contract.ngo.organisation.name
        ),
        url=_url("funding:report_detail", locked.pk),
        topic="funding.report.submitted",
    )
    return locked


def _message(template: Callable[[], str], report: Report, contract: Contract) -> Callable[[], str]:
    """A subject rendered in each recipient's language."""
    return lambda: template().format(number=report.number, title=contract.title)


@transaction.atomic
def report_approve(*, actor: User, report: Report) -> Report:
    """The customer accepts the report; the tranche that waits for it may then be released."""
    contract, locked = _lock(report)
    _require_reviewer(actor, contract)
    _require_in_force(contract)
    locked.reviewed_at = timezone.now()
    locked.reviewed_by = actor
    _report_transition(
        locked,
        to=ProjectReportStatus.APPROVED,
        actor=actor,
        fields=["reviewed_at", "reviewed_by"],
    )
    notify(
        recipients=ngo_people(contract.ngo.organisation_id),
        subject=_message(lambda: _("Report {number} on “{title}” was approved"), locked, contract),
        url=_url("funding:report_detail", locked.pk),
        topic="funding.report.approved",
    )
    return locked


@transaction.atomic
def report_return(*, actor: User, report: Report, comment: str) -> Report:
    """The customer sends the report back with what to change; the NGO reads the comment in
    the report's history and submits again."""
    contract, locked = _lock(report)
    _require_reviewer(actor, contract)
    _require_in_force(contract)
    comment = comment.strip()
    if not comment:
        raise DomainError(_("Say what the NGO should change."), field="comment")
    locked.reviewed_at = timezone.now()
    locked.reviewed_by = actor
    locked.review_comment = comment
    _report_transition(
        locked,
        to=ProjectReportStatus.RETURNED,
        actor=actor,
        reason=comment,
        fields=["reviewed_at", "reviewed_by", "review_comment"],
    )
    notify(
        recipients=ngo_people(contract.ngo.organisation_id),
        subject=_message(
            lambda: _("Report {number} on “{title}” was returned for changes"), locked, contract
        ),
        body=comment,
        url=_url("funding:report_detail", locked.pk),
        topic="funding.report.returned",
    )
    return locked


# --- Reminders --------------------------------------------------------------------------------

REMINDER_WORKING_DAYS = 5
REMINDER_TOPIC = "funding.report.reminder"


def reminder_topic(report: Report | int, day: dt.date) -> str:
    """The notification topic of one report's reminder on one day: its key of idempotence."""
    pk = report if isinstance(report, int) else report.pk
    return f"{REMINDER_TOPIC}:{pk}:{day.isoformat()}"


def _reminder_subject(report: Report, today: dt.date) -> Callable[[], str]:
    def subject() -> str:
        day = report.due_date.strftime("%d.%m.%Y")
        if report.due_date < today:
            text = _("Report {number} on “{title}” is overdue: it was due on {day}")
        else:
            text = _("Report {number} on “{title}” is due on {day}")
        return text.format(number=report.number, title=report.contract.title, day=day)

    return subject


def report_reminders_send(*, today: dt.date | None = None) -> int:
    """Remind the NGO's administrators (inbox and e-mail) of each report of a contract in
    force that is still to be filed (draft or returned) and due within REMINDER_WORKING_DAYS
    working days or overdue. Returns the number of reports reminded.

    Once per report and day, without a table of its own: the inbox rows carry the topic
    `funding.report.reminder:<report>:<day>`; a report whose topic of the day already exists
    is skipped, and the report row is locked while its reminder is written, so two workers
    running at once cannot both send it."""
    today = today or timezone.localdate()
    horizon = add_working_days(today, REMINDER_WORKING_DAYS)
    due = list(
        Report.objects.filter(
            status__in=OPEN_STATUSES,
            contract__status=ContractStatus.ACTIVE,
            due_date__lte=horizon,
        )
        .select_related("contract__ngo")
        .order_by("due_date", "pk")
    )
    if not due:
        return 0
    done = set(
        Notification.objects.filter(topic__in=[reminder_topic(r, today) for r in due]).values_list(
            "topic", flat=True
        )
    )
    admins = ngo_admins_by_organisation({r.contract.ngo.organisation_id for r in due})
    sent = 0
    for report in due:
        topic = reminder_topic(report, today)
        people = admins.get(report.contract.ngo.organisation_id, [])
        if topic in done or not people:
            continue
        with transaction.atomic():
            list(Report.objects.select_for_update().filter(pk=report.pk).values_list("pk"))
            if Notification.objects.filter(topic=topic).exists():
                continue  # another worker was faster
            notify(
                recipients=people,
                subject=_reminder_subject(report, today),
                body=lambda: _("Fill it in and submit it on Ortaq."),
                url=_url("funding:report_edit", report.pk),
                topic=topic,
            )
        sent += 1
    return sent
