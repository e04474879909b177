"""Writes of contracts, their schedule (reports and tranches) and amendments.

A contract is made by the customer (the competition's organiser) from a funded application of
a published decision, one per application. While it is being prepared (draft) its schedule of
reports and tranches may be rewritten; signing puts it in force. In force, it changes only by
numbered amendments that say what changed and why; released tranches never change. A tranche
tied to a report is released only once that report is approved: this module refuses first,
with a clear message, and the database trigger of migration 0005 is the last line.

The contract number reads "<programme>-<year>-<region code>-<application id, 5 digits>", e.g.
"SSO-2026-43-00012": the programme kind (SSO state social order, SG state grant, NSG non-state
grant, AW award), the programme's year, the KATO code of the project's region ("00" for a
national project) and the application's id — unique because a contract is one per application.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, InternalError, transaction
from django.db.models import Max, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ortaq.audit.services import audit_record, snapshot
from ortaq.core.errors import DomainError
from ortaq.core.locking import bump_version, check_version
from ortaq.core.workflow import transition
from ortaq.lib.money import format_tenge
from ortaq.lib.workdays import add_working_days
from ortaq.notifications.services import notify

from ..competitions.selectors import ngo_people
from ..enums import (
    ApplicationStatus,
    ContractStatus,
    DecisionStatus,
    ProgrammeKind,
    ProjectReportStatus,
    ReportKind,
    TrancheStatus,
)
from ..models import (
    Application,
    Contract,
    ContractAmendment,
    ContractIndicator,
    Report,
    Tranche,
)
from ..rules import organiser_org_ids
from ..workflows import CONTRACT_WORKFLOW

if TYPE_CHECKING:
    from ortaq.accounts.models import User

NUMBER_PREFIX = {
    ProgrammeKind.SOCIAL_ORDER: "SSO",
    ProgrammeKind.STATE_GRANT: "SG",
    ProgrammeKind.NON_STATE_GRANT: "NSG",
    ProgrammeKind.AWARD: "AW",
}
REPORT_DUE_WORKING_DAYS = 10  # a report is due 10 working days after its period ends
REVIEW_WORKING_DAYS = 10  # a tranche after a report is planned 10 working days after its due date
ADVANCE_PERCENT = 30
SECOND_PERCENT = 40
MAX_YEARS = 3  # docs/domain.md §5: a project lasts up to 3 years
REPORT_DUE_MAX_DAYS = 90  # a report is due at most this long after its period ends
TRANCHE_DUE_MAX_DAYS = 180  # a tranche is due at the latest this long after the contract ends


@dataclass(frozen=True)
class ReportPlan:
    """One report of the schedule: its number, kind, period and due date."""

    number: int
    kind: str
    period_start: dt.date
    period_end: dt.date
    due_date: dt.date


@dataclass(frozen=True)
class TranchePlan:
    """One tranche of the schedule; `report` is the number of the report it waits for."""

    number: int
    amount: int
    due_date: dt.date
    report: int | None = None


@dataclass(frozen=True)
class TrancheChange:
    """A planned tranche's new amount and/or due date in an amendment (None: unchanged)."""

    amount: int | None = None
    due_date: dt.date | None = None


def _audit(actor: User, action: str, obj: Any, changes: dict[str, Any] | None = None) -> None:
    audit_record(actor=actor, action=f"funding.{action}", obj=obj, changes=changes or {})


def _require_organiser(actor: User, organisation_id: int) -> None:
    """Asks the memberships, not `has_perm` (which lets the break-glass superuser through):
    nobody but the customer's people signs contracts or releases money for a state body."""
    if organisation_id not in organiser_org_ids(actor):
        raise DomainError(_("Only the customer may do this."))


def _url(contract: Contract) -> str:
    return reverse("funding:contract_detail", args=[contract.pk])


def _lock(contract: Contract) -> Contract:
    return (
        Contract.objects.select_for_update()
        .select_related("ngo__organisation", "organiser")
        .get(pk=contract.pk)
    )


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _check_dates(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise DomainError(_("The end cannot be before the start."), field="end_date")
    if end > _add_years(start, MAX_YEARS):
        raise DomainError(
            _("A project lasts at most {n} years.").format(n=MAX_YEARS), field="end_date"
        )


def _contract_transition(
    contract: Contract,
    *,
    to: str,
    actor: User,
    reason: str = "",
    fields: Sequence[str] = (),
) -> Contract:
    before = contract.status
    transition(contract, workflow=CONTRACT_WORKFLOW, to=to, actor=actor, note=reason, fields=fields)
    _audit(actor, "contract.status", contract, {"status": [before, to], "reason": reason})
    return contract


def _tell_ngo(contract: Contract, *, topic: str, subject: Any, body: Any = "") -> None:
    notify(
        recipients=ngo_people(contract.ngo.organisation_id),
        subject=subject,
        body=body,
        url=_url(contract),
        topic=f"funding.contract.{topic}",
    )


# --- Creation and the default schedule ---------------------------------------------------------


def contract_number(application: Application) -> str:
    programme = application.lot.competition.programme
    region = application.region.code if application.region_id else "00"
    prefix = NUMBER_PREFIX.get(programme.kind, "C")  # type: ignore[call-overload]
    return f"{prefix}-{programme.year}-{region}-{application.pk:05d}"


def default_schedule(
    *, start: dt.date, end: dt.date, amount: int
) -> tuple[list[ReportPlan], list[TranchePlan]]:
    """A progress report at mid-term and a final report for the whole period, each due 10
    working days after its period; an advance of 30% on the start, 40% after the progress
    report and the rest after the final report."""
    middle = start + (end - start) / 2
    reports = [
        ReportPlan(
            1,
            ReportKind.PROGRESS,
            start,
            middle,
            add_working_days(middle, REPORT_DUE_WORKING_DAYS),
        ),
        ReportPlan(2, ReportKind.FINAL, start, end, add_working_days(end, REPORT_DUE_WORKING_DAYS)),
    ]
    advance = amount * ADVANCE_PERCENT // 100
    second = amount * SECOND_PERCENT // 100
    tranches = [
        TranchePlan(1, advance, start),
        TranchePlan(2, second, add_working_days(reports[0].due_date, REVIEW_WORKING_DAYS), 1),
        TranchePlan(
            3,
            amount - advance - second,
            add_working_days(reports[1].due_date, REVIEW_WORKING_DAYS),
            2,
        ),
    ]
    return reports, tranches


@transaction.atomic
def contract_create(
    *,
    actor: User,
    application: Application,
    start_date: dt.date,
    end_date: dt.date,
    number: str | None = None,
) -> Contract:
    """The contract of a funded application, with its targets and the default schedule."""
    application = (
        Application.objects.select_for_update()
        .select_related("lot__competition__programme", "ngo__organisation", "region")
        .get(pk=application.pk)
    )
    competition = application.lot.competition
    _require_organiser(actor, competition.organiser_id)
    line = getattr(application, "decision_line", None)
    if (
        application.status != ApplicationStatus.FUNDED
        or line is None
        or not line.funded
        or line.decision.status != DecisionStatus.PUBLISHED
    ):
        raise DomainError(
            _("A contract is made only for a funded application of published results.")
        )
    if Contract.objects.filter(application=application).exists():
        raise DomainError(_("This application already has a contract."))
    _check_dates(start_date, end_date)
    number = (number or "").strip() or contract_number(application)
    if Contract.objects.filter(number=number).exists():
        raise DomainError(_("Another contract has this number."), field="number")
    contract = Contract(
        application=application,
        number=number,
        organiser_id=competition.organiser_id,
        ngo=application.ngo,
        region=application.region,
        title=application.title,
        amount=line.amount,
        start_date=start_date,
        end_date=end_date,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            contract.save()
    except IntegrityError as exc:  # a parallel request made it first
        raise DomainError(_("This application already has a contract.")) from exc
    ContractIndicator.objects.bulk_create(
        ContractIndicator(
            contract=contract,
            source=indicator,
            position=position,
            name=indicator.name,
            unit=indicator.unit,
            baseline=indicator.baseline,
            target=indicator.target,
        )
        for position, indicator in enumerate(application.indicators.all())
    )
    reports, tranches = default_schedule(start=start_date, end=end_date, amount=contract.amount)
    _write_schedule(contract, reports, tranches)
    _audit(actor, "contract.create", contract, snapshot(contract))
    return contract


# --- The schedule (draft only) -----------------------------------------------------------------


def _write_schedule(
    contract: Contract, reports: Sequence[ReportPlan], tranches: Sequence[TranchePlan]
) -> None:
    contract.tranches.all().delete()
    contract.reports.all().delete()
    made = {
        plan.number: Report.objects.create(
            contract=contract,
            number=plan.number,
            kind=plan.kind,
            period_start=plan.period_start,
            period_end=plan.period_end,
            due_date=plan.due_date,
        )
        for plan in reports
    }
    Tranche.objects.bulk_create(
        Tranche(
            contract=contract,
            number=plan.number,
            amount=plan.amount,
            due_date=plan.due_date,
            report=made[plan.report] if plan.report is not None else None,
        )
        for plan in tranches
    )


def validate_schedule(
    contract: Contract, reports: Sequence[ReportPlan], tranches: Sequence[TranchePlan]
) -> None:
    """Refuse a schedule that does not hold together; `field` says which list is wrong."""
    if not reports:
        raise DomainError(_("Plan at least the final report."), field="reports")
    numbers = [r.number for r in reports]
    if len(set(numbers)) != len(numbers) or min(numbers) < 1:
        raise DomainError(_("Each report needs its own positive number."), field="reports")
    finals = [r for r in reports if r.kind == ReportKind.FINAL]
    if len(finals) != 1:
        raise DomainError(_("Plan exactly one final report."), field="reports")
    for r in reports:
        if r.kind not in ReportKind.values:
            raise DomainError(_("Report {n}: unknown kind.").format(n=r.number), field="reports")
        if r.period_end < r.period_start:
            raise DomainError(
                _("Report {n}: the period ends before it starts.").format(n=r.number),
                field="reports",
            )
        if r.period_start < contract.start_date or r.period_end > contract.end_date:
            raise DomainError(
                _("Report {n}: the period must lie within the contract's dates.").format(
                    n=r.number
                ),
                field="reports",
            )
        if not (r.period_end <= r.due_date <= r.period_end + dt.timedelta(REPORT_DUE_MAX_DAYS)):
            raise DomainError(
                _(
                    "Report {n}: the due date must fall after the period, within {days} days."
                ).format(n=r.number, days=REPORT_DUE_MAX_DAYS),
                field="reports",
            )
    if any(r.period_end > finals[0].period_end for r in reports):
        raise DomainError(_("The final report must cover the last period."), field="reports")
    by_number = {r.number: r for r in reports}
    if not tranches:
        raise DomainError(_("Plan at least one tranche."), field="tranches")
    tranche_numbers = [t.number for t in tranches]
    if len(set(tranche_numbers)) != len(tranche_numbers) or min(tranche_numbers) < 1:
        raise DomainError(_("Each tranche needs its own positive number."), field="tranches")
    latest = contract.end_date + dt.timedelta(TRANCHE_DUE_MAX_DAYS)
    for t in tranches:
        if t.amount <= 0:
            raise DomainError(
                _("Tranche {n}: the amount must be positive.").format(n=t.number),
                field="tranches",
            )
        if t.report is not None and t.report not in by_number:
            raise DomainError(
                _("Tranche {n}: report {r} is not in this contract's schedule.").format(
                    n=t.number, r=t.report
                ),
                field="tranches",
            )
        earliest = by_number[t.report].due_date if t.report is not None else contract.start_date
        if not (earliest <= t.due_date <= latest):
            raise DomainError(
                _("Tranche {n}: the due date must fall between {first} and {last}.").format(
                    n=t.number,
                    first=earliest.strftime("%d.%m.%Y"),
                    last=latest.strftime("%d.%m.%Y"),
                ),
                field="tranches",
            )
    _check_sum(sum(t.amount for t in tranches), contract.amount)


def _check_sum(total: int, amount: int) -> None:
    if total != amount:
        raise DomainError(
            _("The tranches add up to {total}, but the contract's amount is {amount}.").format(
                total=format_tenge(total), amount=format_tenge(amount)
            ),
            field="tranches",
        )


@transaction.atomic
def contract_set_schedule(
    *,
    actor: User,
    contract: Contract,
    reports: Sequence[ReportPlan],
    tranches: Sequence[TranchePlan],
    expected_version: int | None,
) -> Contract:
    """Replace the reports and tranches of a contract being prepared."""
    contract = _lock(contract)
    _require_organiser(actor, contract.organiser_id)
    check_version(contract, expected_version=expected_version)
    if contract.status != ContractStatus.DRAFT:
        raise DomainError(
            _("The schedule changes only by an amendment once the contract is signed.")
        )
    validate_schedule(contract, reports, tranches)
    _write_schedule(contract, reports, tranches)
    contract.save(update_fields=bump_version(contract))
    _audit(
        actor,
        "contract.schedule",
        contract,
        {
            "reports": [
                [r.number, r.kind, r.period_start, r.period_end, r.due_date] for r in reports
            ],
            "tranches": [[t.number, t.amount, t.due_date, t.report] for t in tranches],
        },
    )
    return contract


def current_plans(contract: Contract) -> tuple[list[ReportPlan], list[TranchePlan]]:
    reports = [
        ReportPlan(r.number, r.kind, r.period_start, r.period_end, r.due_date)
        for r in contract.reports.all()
    ]
    numbers = {r.pk: r.number for r in contract.reports.all()}
    tranches = [
        TranchePlan(t.number, t.amount, t.due_date, numbers.get(t.report_id))  # type: ignore[arg-type]
        for t in contract.tranches.all()
    ]
    return reports, tranches


# --- Signing, completion, termination ----------------------------------------------------------


@transaction.atomic
def contract_sign(
    *, actor: User, contract: Contract, signed_on: dt.date, expected_version: int | None
) -> Contract:
    """Put the contract in force; its schedule must hold together."""
    contract = _lock(contract)
    _require_organiser(actor, contract.organiser_id)
    check_version(contract, expected_version=expected_version)
    if contract.status != ContractStatus.DRAFT:
        raise DomainError(_("Only a contract being prepared can be signed."))
    if signed_on > timezone.localdate():
        raise DomainError(_("The date of signing cannot be in the future."), field="signed_on")
    if signed_on > contract.end_date:
        raise DomainError(_("The contract cannot be signed after its end."), field="signed_on")
    validate_schedule(contract, *current_plans(contract))
    contract.signed_on = signed_on
    _contract_transition(contract, to=ContractStatus.ACTIVE, actor=actor, fields=["signed_on"])
    _tell_ngo(
        contract,
        topic="signed",
        subject=lambda: _("Contract {number} is signed").format(number=contract.number),
        body=lambda: _(
            "The project “{title}” may start. The schedule of reports and payments is on "
            "the contract's page."
        ).format(title=contract.title),
    )
    return contract


@transaction.atomic
def contract_complete(*, actor: User, contract: Contract, expected_version: int | None) -> Contract:
    """Every tranche is released and the final report approved: the contract is completed."""
    contract = _lock(contract)
    _require_organiser(actor, contract.organiser_id)
    check_version(contract, expected_version=expected_version)
    if contract.status != ContractStatus.ACTIVE:
        raise DomainError(_("Only a contract in force can be completed."))
    if contract.tranches.filter(status=TrancheStatus.PLANNED).exists():
        raise DomainError(_("Some tranches are not released yet."))
    if not contract.reports.filter(
        kind=ReportKind.FINAL, status=ProjectReportStatus.APPROVED
    ).exists():
        raise DomainError(_("The final report is not approved yet."))
    _contract_transition(contract, to=ContractStatus.COMPLETED, actor=actor)
    _tell_ngo(
        contract,
        topic="completed",
        subject=lambda: _("Contract {number} is completed").format(number=contract.number),
    )
    return contract


@transaction.atomic
def contract_terminate(
    *, actor: User, contract: Contract, reason: str, expected_version: int | None
) -> Contract:
    contract = _lock(contract)
    _require_organiser(actor, contract.organiser_id)
    check_version(contract, expected_version=expected_version)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the contract is terminated."), field="reason")
    if contract.status != ContractStatus.ACTIVE:
        raise DomainError(_("Only a contract in force can be terminated."))
    _contract_transition(contract, to=ContractStatus.TERMINATED, actor=actor, reason=reason)
    _tell_ngo(
        contract,
        topic="terminated",
        subject=lambda: _("Contract {number} is terminated").format(number=contract.number),
        body=reason,
    )
    return contract


# --- Amendments ---------------------------------------------------------------------------------


@transaction.atomic
def contract_amend(
    *,
    actor: User,
    contract: Contract,
    reason: str,
    expected_version: int | None,
    end_date: dt.date | None = None,
    amount: int | None = None,
    tranches: Mapping[int, TrancheChange] | None = None,
) -> ContractAmendment:
    """A numbered amendment of a contract in force.

    It may move the end (the final report, while not approved, follows: its period ends on
    the new end and it is due 10 working days later) and change the amount together with
    the amounts and due dates of planned tranches; released tranches never change, and the
    tranches always add up to the amount. `changes` records {field: [before, after]} with
    keys "end_date", "amount", "tranche.<n>.amount", "tranche.<n>.due_date",
    "report.<n>.period_end" and "report.<n>.due_date".
    """
    contract = _lock(contract)
    _require_organiser(actor, contract.organiser_id)
    check_version(contract, expected_version=expected_version)
    if contract.status != ContractStatus.ACTIVE:
        raise DomainError(_("Only a contract in force is amended."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the contract is amended."), field="reason")
    changes: dict[str, list[Any]] = {}
    if end_date is not None and end_date != contract.end_date:
        _check_dates(contract.start_date, end_date)
        approved_end = contract.reports.filter(status=ProjectReportStatus.APPROVED).aggregate(
            last=Max("period_end")
        )["last"]
        if approved_end is not None and end_date < approved_end:
            raise DomainError(
                _("The end cannot be before the period of an approved report."), field="end_date"
            )
        for report in contract.reports.filter(period_end__gt=end_date):
            if report.kind != ReportKind.FINAL:
                raise DomainError(
                    _("Report {n} covers a period after the new end.").format(n=report.number),
                    field="end_date",
                )
        changes["end_date"] = [contract.end_date.isoformat(), end_date.isoformat()]
        contract.end_date = end_date
        final = contract.reports.filter(kind=ReportKind.FINAL).first()
        if final is not None and final.status != ProjectReportStatus.APPROVED:
            due = add_working_days(end_date, REPORT_DUE_WORKING_DAYS)
            changes[f"report.{final.number}.period_end"] = [
                final.period_end.isoformat(),
                end_date.isoformat(),
            ]
            changes[f"report.{final.number}.due_date"] = [
                final.due_date.isoformat(),
                due.isoformat(),
            ]
            final.period_end, final.due_date = end_date, due
            final.save(update_fields=["period_end", "due_date"])
    if amount is not None and amount != contract.amount:
        if amount <= 0:
            raise DomainError(_("The amount must be positive."), field="amount")
        changes["amount"] = [contract.amount, amount]
        contract.amount = amount
    by_number = {t.number: t for t in contract.tranches.select_for_update()}
    for number, change in sorted((tranches or {}).items()):
        tranche = by_number.get(number)
        if tranche is None:
            raise DomainError(
                _("Tranche {n} is not in this contract.").format(n=number), field="tranches"
            )
        new_amount = tranche.amount if change.amount is None else change.amount
        new_due = tranche.due_date if change.due_date is None else change.due_date
        if (new_amount, new_due) == (tranche.amount, tranche.due_date):
            continue
        if tranche.status != TrancheStatus.PLANNED:
            raise DomainError(
                _("Tranche {n} is released: it cannot change.").format(n=number),
                field="tranches",
            )
        if new_amount <= 0:
            raise DomainError(
                _("Tranche {n}: the amount must be positive.").format(n=number), field="tranches"
            )
        latest = contract.end_date + dt.timedelta(TRANCHE_DUE_MAX_DAYS)
        if not (contract.start_date <= new_due <= latest):
            raise DomainError(
                _("Tranche {n}: the due date must fall between {first} and {last}.").format(
                    n=number,
                    first=contract.start_date.strftime("%d.%m.%Y"),
                    last=latest.strftime("%d.%m.%Y"),
                ),
                field="tranches",
            )
        if new_amount != tranche.amount:
            changes[f"tranche.{number}.amount"] = [tranche.amount, new_amount]
        if new_due != tranche.due_date:
            changes[f"tranche.{number}.due_date"] = [
                tranche.due_date.isoformat(),
                new_due.isoformat(),
            ]
        tranche.amount, tranche.due_date = new_amount, new_due
        tranche.save(update_fields=["amount", "due_date"])
    if not changes:
        raise DomainError(_("The amendment changes nothing."))
    _check_sum(sum(t.amount for t in by_number.values()), contract.amount)
    contract.save(update_fields=["end_date", "amount", *bump_version(contract)])
    amendment = ContractAmendment.objects.create(
        contract=contract,
        number=contract.amendments.count() + 1,
        reason=reason,
        changes=changes,
        created_by=actor,
    )
    _audit(actor, "contract.amend", contract, {"amendment": amendment.number, **changes})
    _tell_ngo(
        contract,
        topic="amended",
        subject=lambda: _("Contract {number} is amended").format(number=contract.number),
        body=reason,
    )
    return amendment


# --- Tranches -----------------------------------------------------------------------------------


def release_refusal(tranche: Tranche) -> str | None:
    """Why the tranche cannot be released now (the contract and report must be loaded), or
    None when it can; the pages show the button only when this is None."""
    if tranche.contract.status != ContractStatus.ACTIVE:
        return _("Tranches are released only while the contract is in force.")
    if tranche.status != TrancheStatus.PLANNED:
        return _("Tranche {n} is already released.").format(n=tranche.number)
    report = tranche.report
    if report is not None and report.status != ProjectReportStatus.APPROVED:
        return _("The tranche is released only after report {n} is approved.").format(
            n=report.number
        )
    return None


@transaction.atomic
def tranche_release(*, actor: User, tranche: Tranche, payment_reference: str) -> Tranche:
    """Record the payment of a tranche (the payment order's number)."""
    # The contract first (amendments lock it too), then the tranche row itself: its report
    # is on the nullable side of a join, which PostgreSQL will not lock.
    contract = _lock(Contract(pk=tranche.contract_id))
    tranche = (
        Tranche.objects.select_for_update(of=("self",)).select_related("report").get(pk=tranche.pk)
    )
    tranche.contract = contract
    _require_organiser(actor, contract.organiser_id)
    refusal = release_refusal(tranche)
    if refusal:
        raise DomainError(refusal)
    payment_reference = (payment_reference or "").strip()
    if not payment_reference:
        raise DomainError(_("Give the number of the payment order."), field="payment_reference")
    tranche.status = TrancheStatus.RELEASED
    tranche.released_at = timezone.now()
    tranche.released_by = actor
    tranche.payment_reference = payment_reference[:60]
    try:
        with transaction.atomic():
            tranche.save(
                update_fields=["status", "released_at", "released_by", "payment_reference"]
            )
    except (IntegrityError, InternalError) as exc:  # the trigger of migration 0005
        raise DomainError(_("The tranche is released only after its report is approved.")) from exc
    _audit(
        actor,
        "tranche.release",
        tranche,
        {
            "contract": contract.number,
            "status": [TrancheStatus.PLANNED, TrancheStatus.RELEASED],
            "amount": tranche.amount,
            "payment_reference": tranche.payment_reference,
        },
    )
    released = contract.tranches.filter(status=TrancheStatus.RELEASED).aggregate(s=Sum("amount"))
    _tell_ngo(
        contract,
        topic="tranche",
        subject=lambda: _("Tranche {n} of contract {number} is paid").format(
            n=tranche.number, number=contract.number
        ),
        body=lambda: _(
            "Payment order {reference}. Paid under the contract so far: {total}."
        ).format(reference=tranche.payment_reference, total=format_tenge(released["s"] or 0)),
    )
    return tranche
