"""Demo projects, the national generator on a tiny scale: the rows keep the models' rules
(tranches sum to the amount, released only after an approved report, history rows);
idempotent. The small demo's projects: tests/demo/test_projects.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Sum
from django.utils import timezone

from ortaq.demo import funding_projects as demo_projects
from ortaq.demo.national import funding as demo_national
from ortaq.demo.national import funding_projects as national_projects
from ortaq.demo.national import registry as registry_national
from ortaq.funding.contracts.services import contract_number
from ortaq.funding.enums import (
    ApplicationStatus,
    ContractStatus,
    EvaluationStatus,
    ProjectReportStatus,
    TrancheStatus,
)
from ortaq.funding.models import (
    Application,
    Contract,
    Evaluation,
    MonitoringVisit,
    Report,
    ReportSpending,
    ReportStatusChange,
    Tranche,
    VisitPhoto,
)

pytestmark = pytest.mark.django_db

FRESH = demo_projects.FRESH_TITLES[1]


def _counts() -> tuple[int, ...]:
    return (
        Contract.objects.count(),
        Report.objects.count(),
        Tranche.objects.count(),
        ReportStatusChange.objects.count(),
        MonitoringVisit.objects.count(),
        VisitPhoto.objects.count(),
        Evaluation.objects.count(),
    )


def assert_consistent(today: dt.date) -> None:
    """The rules the services keep, on every contract written."""
    contracts = Contract.objects.select_related("application__region").prefetch_related(
        "tranches__report",
        "reports__status_changes",
        "indicators",
        "status_changes",
        "application__indicators",
        "application__budget_lines",
        "application__lot__competition__programme",
    )
    spent = dict(
        ReportSpending.objects.values_list("budget_line").annotate(total=Sum("spent")).order_by()
    )
    for contract in contracts:
        application = contract.application
        assert application.status == ApplicationStatus.FUNDED
        assert contract.number == contract_number(application)
        assert contract.amount == application.requested_amount
        tranches = list(contract.tranches.all())
        assert sum(t.amount for t in tranches) == contract.amount
        for tranche in tranches:
            if tranche.status == TrancheStatus.RELEASED:
                assert tranche.released_at is not None
                assert timezone.localdate(tranche.released_at) <= today
                if tranche.report is not None:
                    assert tranche.report.status == ProjectReportStatus.APPROVED
                    assert tranche.report.reviewed_at is not None
                    assert tranche.released_at > tranche.report.reviewed_at
        for report in contract.reports.all():
            changes = list(report.status_changes.all())
            assert (changes[-1].to_status if changes else ProjectReportStatus.DRAFT) == (
                report.status
            )
            sent = report.status != ProjectReportStatus.DRAFT
            assert (report.submitted_at is not None) == sent
            if report.submitted_at:
                assert timezone.localdate(report.submitted_at) <= today
            reviewed = report.status in (ProjectReportStatus.APPROVED, ProjectReportStatus.RETURNED)
            assert (report.reviewed_at is not None) == reviewed
            assert report.period_start <= report.period_end < report.due_date
        history = [(c.from_status, c.to_status) for c in contract.status_changes.all()]
        expected = {
            ContractStatus.DRAFT: [],
            ContractStatus.ACTIVE: [(ContractStatus.DRAFT, ContractStatus.ACTIVE)],
            ContractStatus.COMPLETED: [
                (ContractStatus.DRAFT, ContractStatus.ACTIVE),
                (ContractStatus.ACTIVE, ContractStatus.COMPLETED),
            ],
            ContractStatus.TERMINATED: [
                (ContractStatus.DRAFT, ContractStatus.ACTIVE),
                (ContractStatus.ACTIVE, ContractStatus.TERMINATED),
            ],
        }[contract.status]
        assert history == expected
        assert (contract.signed_on is None) == (contract.status == ContractStatus.DRAFT)
        if contract.status == ContractStatus.COMPLETED:
            assert {t.status for t in tranches} == {TrancheStatus.RELEASED}
            assert {r.status for r in contract.reports.all()} == {ProjectReportStatus.APPROVED}
        targets = [(i.name, i.unit, i.baseline, i.target) for i in contract.indicators.all()]
        assert targets == [
            (i.name, i.unit, i.baseline, i.target) for i in application.indicators.all()
        ]
        for line in application.budget_lines.all():
            assert spent.get(line.pk, 0) <= line.amount


@pytest.fixture
def national() -> int:
    registry_national.seed_national(total=300)
    demo_national.seed_national(total_competitions=5)
    return national_projects.seed_national_projects(batch_size=100)


def test_national_contracts_for_every_funded_application(national: int) -> None:
    funded = Application.objects.filter(status=ApplicationStatus.FUNDED)
    assert national == funded.count() == Contract.objects.count() > 400
    assert_consistent(timezone.localdate())
    # All five competitions are of 2019: the projects are over long ago.
    statuses = set(Contract.objects.values_list("status", flat=True))
    assert statuses <= {ContractStatus.COMPLETED, ContractStatus.TERMINATED}
    assert Contract.objects.filter(status=ContractStatus.COMPLETED).count() > national * 0.9
    assert not Tranche.objects.filter(
        contract__status=ContractStatus.COMPLETED, status=TrancheStatus.PLANNED
    ).exists()
    evaluated = Evaluation.objects.filter(status=EvaluationStatus.PUBLISHED).count()
    assert national * 0.6 < evaluated < national * 0.9
    assert 0 < MonitoringVisit.objects.count() < national * 0.25
    late = [r for r in Report.objects.all() if r.is_late]
    assert 0 < len(late) < Report.objects.count() * 0.3


def test_national_contracts_are_idempotent(national: int) -> None:
    counts = _counts()
    assert national_projects.seed_national_projects() == 0
    assert _counts() == counts


def test_national_contracts_while_the_projects_run() -> None:
    """Seen from a day in the middle of the year, only what had happened by then is written:
    contracts in force, reports at every stage, tranches waiting for their reports."""
    registry_national.seed_national(total=300)
    demo_national.seed_national(total_competitions=3)
    today = dt.date(2019, 10, 1)
    made = national_projects.seed_national_projects(today=today)
    assert made == Contract.objects.count()
    assert_consistent(today)
    assert set(Contract.objects.values_list("status", flat=True)) >= {ContractStatus.ACTIVE}
    assert set(Report.objects.values_list("status", flat=True)) >= {
        ProjectReportStatus.DRAFT,
        ProjectReportStatus.SUBMITTED,
        ProjectReportStatus.APPROVED,
    }
    assert Tranche.objects.filter(status=TrancheStatus.PLANNED).exists()
    assert not Evaluation.objects.filter(published_at__date__gt=today).exists()
    assert not MonitoringVisit.objects.filter(visited_on__gt=today).exists()
