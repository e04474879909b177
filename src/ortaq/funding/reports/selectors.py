"""Reads of project reports, each starting from what the user may see:

- the NGO's people (administrators and members) see their own NGO's reports, drafts too, once
  the contract is signed;
- the customer's organisers see the reports of their contracts except drafts (a draft is the
  NGO's until it is submitted);
- the regional administrator of the project's region oversees them the same way.

Nobody else, the platform administrator included, reads a report's pages: its narrative and
evidence are internal. The public project page shows only the public summary of approved
reports (another module).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Case, F, IntegerField, Prefetch, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from ortaq.accounts.enums import Role
from ortaq.accounts.models import Membership, User
from ortaq.accounts.rules import regions_administered, user_roles
from ortaq.lib.workdays import add_working_days

from ..enums import PUBLIC_CONTRACT_STATUSES, ContractStatus, ProjectReportStatus
from ..models import (
    BudgetLine,
    ContractIndicator,
    Report,
    ReportIndicatorValue,
    ReportSpending,
    ReportStatusChange,
)
from ..rules import organiser_org_ids

# Reports the NGO still has to file: never sent, or sent back for changes.
OPEN_STATUSES = (ProjectReportStatus.DRAFT, ProjectReportStatus.RETURNED)
# A report is "due" this many working days before its due date (lists and reminders).
DUE_SOON_WORKING_DAYS = 5


def _reports() -> QuerySet[Report]:
    return Report.objects.select_related(
        "contract__ngo__organisation", "contract__organiser", "contract__region"
    )


def _ngo_org_ids(user: Any) -> set[int]:
    return {org for org, role, _r, _k in user_roles(user) if role in (Role.ADMIN, Role.MEMBER)}


def visibility(user: Any) -> Q:
    """Who sees which report (the module docstring), as one condition."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    sent = ~Q(status=ProjectReportStatus.DRAFT)
    return (
        Q(
            contract__ngo__organisation_id__in=_ngo_org_ids(user),
            contract__status__in=PUBLIC_CONTRACT_STATUSES,
        )
        | (Q(contract__organiser_id__in=organiser_org_ids(user)) & sent)
        | (Q(contract__region_id__in=regions_administered(user)) & sent)
    )


def reports_visible_to(*, user: Any) -> QuerySet[Report]:
    return _reports().filter(visibility(user))


def late_condition(today: dt.date | None = None) -> Q:
    """`Report.is_late` as a condition: sent after the due date, or not sent and past it."""
    today = today or timezone.localdate()
    return Q(submitted_at__isnull=True, due_date__lt=today) | Q(
        submitted_at__isnull=False, submitted_at__date__gt=F("due_date")
    )


def due_soon_date(today: dt.date | None = None) -> dt.date:
    return add_working_days(today or timezone.localdate(), DUE_SOON_WORKING_DAYS)


def _with_attention(qs: QuerySet[Report], today: dt.date | None = None) -> QuerySet[Report]:
    """`attention`: 0 returned, 1 due soon or overdue, 2 other drafts, 3 submitted, 4 approved;
    the NGO's list shows what needs doing first."""
    horizon = due_soon_date(today)
    return qs.annotate(
        attention=Case(
            When(status=ProjectReportStatus.RETURNED, then=Value(0)),
            When(status=ProjectReportStatus.DRAFT, due_date__lte=horizon, then=Value(1)),
            When(status=ProjectReportStatus.DRAFT, then=Value(2)),
            When(status=ProjectReportStatus.SUBMITTED, then=Value(3)),
            default=Value(4),
            output_field=IntegerField(),
        )
    )


def reports_of_ngo(*, user: Any, today: dt.date | None = None) -> QuerySet[Report]:
    """The reports of the NGOs the user belongs to: returned, due and overdue ones first."""
    qs = _reports().filter(
        contract__ngo__organisation_id__in=_ngo_org_ids(user),
        contract__status__in=PUBLIC_CONTRACT_STATUSES,
    )
    return _with_attention(qs, today).order_by("attention", "due_date", "pk")


def reports_to_file(*, user: Any) -> QuerySet[Report]:
    """Reports the NGOs the user administers still have to file on contracts in force."""
    admin_of = {org for org, role, _r, _k in user_roles(user) if role == Role.ADMIN}
    return (
        _reports()
        .filter(
            contract__ngo__organisation_id__in=admin_of,
            contract__status=ContractStatus.ACTIVE,
            status__in=OPEN_STATUSES,
        )
        .order_by("due_date", "pk")
    )


def reports_due(qs: QuerySet[Report], *, today: dt.date | None = None) -> QuerySet[Report]:
    """Still to be filed, due within DUE_SOON_WORKING_DAYS working days (not yet overdue)."""
    today = today or timezone.localdate()
    return qs.filter(
        status__in=OPEN_STATUSES, due_date__gte=today, due_date__lte=due_soon_date(today)
    )


def reports_overdue(qs: QuerySet[Report], *, today: dt.date | None = None) -> QuerySet[Report]:
    """Never sent and past the due date (a report returned after a sending in time is not)."""
    today = today or timezone.localdate()
    return qs.filter(status__in=OPEN_STATUSES, submitted_at__isnull=True, due_date__lt=today)


def ngo_reports_due(*, user: Any, today: dt.date | None = None) -> QuerySet[Report]:
    return reports_due(reports_to_file(user=user), today=today)


def ngo_reports_overdue(*, user: Any, today: dt.date | None = None) -> QuerySet[Report]:
    return reports_overdue(reports_to_file(user=user), today=today)


def _organised(user: Any) -> QuerySet[Report]:
    return _reports().filter(
        contract__organiser_id__in=organiser_org_ids(user), contract__status=ContractStatus.ACTIVE
    )


def organiser_reports_due(*, user: Any, today: dt.date | None = None) -> QuerySet[Report]:
    """Reports of the user's contracts in force that the NGOs must file soon. Only the fact
    (which report, when due) is shown to the customer; a draft's content stays the NGO's."""
    return reports_due(_organised(user), today=today).order_by("due_date", "pk")


def organiser_reports_overdue(*, user: Any, today: dt.date | None = None) -> QuerySet[Report]:
    return reports_overdue(_organised(user), today=today).order_by("due_date", "pk")


def review_queue(*, user: Any) -> QuerySet[Report]:
    """Submitted reports of the user's contracts in force, the longest waiting first."""
    return (
        _organised(user).filter(status=ProjectReportStatus.SUBMITTED).order_by("submitted_at", "pk")
    )


# --- One report -------------------------------------------------------------------------------


def report_detail(*, user: Any, pk: int) -> Report:
    """A report the user may see with its values, spending, evidence and history; raises
    Report.DoesNotExist otherwise."""
    return (
        reports_visible_to(user=user)
        .select_related("contract__application", "reviewed_by")
        .prefetch_related(
            Prefetch("status_changes", queryset=ReportStatusChange.objects.select_related("actor")),
            "evidence",
        )
        .get(pk=pk)
    )


@dataclass(frozen=True)
class TargetRow:
    target: ContractIndicator
    value: ReportIndicatorValue | None

    @property
    def actual(self) -> Decimal | None:
        return None if self.value is None else self.value.actual


def report_targets(report: Report) -> list[TargetRow]:
    """Each target of the contract with this report's value (None when not given yet)."""
    values = {v.indicator_id: v for v in ReportIndicatorValue.objects.filter(report=report)}
    return [
        TargetRow(target, values.get(target.pk))
        for target in ContractIndicator.objects.filter(contract_id=report.contract_id)
    ]


@dataclass(frozen=True)
class SpendingRow:
    line: BudgetLine
    spending: ReportSpending | None
    spent_elsewhere: int  # in the contract's other reports

    @property
    def spent(self) -> int | None:
        return None if self.spending is None else self.spending.spent

    @property
    def spent_total(self) -> int:
        return self.spent_elsewhere + (self.spent or 0)

    @property
    def remaining(self) -> int:
        return self.line.amount - self.spent_total


def report_spending_lines(report: Report) -> list[SpendingRow]:
    """Each budget line of the funded application with its amount, what this report spends
    and what the contract's other reports spent. Three queries whatever the number of lines."""
    contract = report.contract
    mine = {s.budget_line_id: s for s in ReportSpending.objects.filter(report=report)}
    elsewhere = dict(
        ReportSpending.objects.filter(report__contract_id=contract.pk)
        .exclude(report=report)
        .values("budget_line_id")
        .annotate(total=Sum("spent"))
        .values_list("budget_line_id", "total")
    )
    return [
        SpendingRow(line, mine.get(line.pk), elsewhere.get(line.pk) or 0)
        for line in BudgetLine.objects.filter(application_id=contract.application_id)
    ]


# --- People -----------------------------------------------------------------------------------


def ngo_admins_by_organisation(organisation_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active administrators of each NGO organisation, in one query."""
    people: dict[int, list[User]] = {}
    for membership in Membership.objects.filter(
        organisation_id__in=list(organisation_ids),
        role=Role.ADMIN,
        is_active=True,
        user__is_active=True,
    ).select_related("user"):
        people.setdefault(membership.organisation_id, []).append(membership.user)
    return people
