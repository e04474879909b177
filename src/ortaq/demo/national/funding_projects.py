"""National-scale projects (`seed_demo --scale national`): a contract for every funded
application of the national generator (national/funding.py), planned from its competition's
dates. What has happened by today is written: reports sent on time or late, some returned
first; tranches released after their reports; contracts completed, a few terminated; monitoring
visits for about one project in eight and evaluations for most completed ones. Idempotent: an
application that has a contract is skipped.

Why not the services: tens of thousands of contracts, each a dozen service calls with its audit
entry and notifications, would take hours; these rows are written with bulk_create in
batches instead. The plans come from the small demo's planner (`funding_projects.plan`), and
the writing keeps the rules the services keep, which `tests/funding/test_demo_projects.py
::assert_consistent` checks on every contract:

- the contract is the application's, numbered by `contracts.services.contract_number`, for the
  amount the application asked (the allocation funds it whole), with the application's targets;
- the tranches add up to the contract's amount; one tied to a report is released only after
  the report is approved (the database trigger of migration funding/0005 refuses anything
  else, so reports are written first); nothing is released before signing or after
  termination;
- a report's history rows lead to its status; `submitted_at` keeps the first sending, as
  `report_submit` does; all reports together never spend more than a budget line;
- a contract is completed only once its final report is approved and every tranche released;
  evaluations only of completed projects, visits only of signed ones;
- every change of status has its history row dated on the day it happened.

The planted risk cases (funding_risk.py) are left out here and keep their own story, so
`scan_risks` still finds them.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from django.db import models
from django.utils import timezone

from ortaq.accounts.enums import OrganisationKind
from ortaq.accounts.models import User
from ortaq.demo import funding_risk
from ortaq.demo.funding_projects import (
    ANSWERS,
    APPROVED,
    DRAFT,
    FINDINGS,
    RETURNED,
    SUBMITTED,
    Draft,
    ReportPlan,
    Row,
    at,
    checklist,
    days,
    evaluation_values,
    narrative,
    plan,
    rows_of,
    split,
)
from ortaq.demo.national.funding import national_competitions
from ortaq.demo.world import DemoWorld
from ortaq.funding.contracts.services import contract_number
from ortaq.funding.enums import (
    ApplicationStatus,
    ContractStatus,
    EvaluationStatus,
    MonitorKind,
    TrancheStatus,
    VisitStatus,
)
from ortaq.funding.models import (
    Application,
    BudgetLine,
    Contract,
    ContractIndicator,
    ContractStatusChange,
    Evaluation,
    EvaluationScore,
    Indicator,
    MonitoringVisit,
    Report,
    ReportIndicatorValue,
    ReportSpending,
    ReportStatusChange,
    Tranche,
    VisitFinding,
)

BATCH = 1_000


@dataclass
class TranchePlan:
    amount: int
    due: dt.date
    report: int | None  # index in the contract's reports
    released: dt.date | None


@dataclass
class EvaluationPlan:
    created: dt.date
    published: dt.date | None
    values: dict[str, int]
    evaluator_id: int | None
    conclusion: str


@dataclass
class VisitPlan:
    kind: str
    organisation_id: int | None
    visited_on: dt.date
    published: dt.date | None
    # severity, text, the NGO's answer, answered on, answered by
    findings: list[tuple[str, str, str, dt.date | None, int | None]]
    inspector_id: int | None = None
    council_id: int | None = None


@dataclass
class ContractPlan:
    row: Row
    start: dt.date
    end: dt.date
    signed: dt.date | None
    status: str
    changes: list[tuple[dt.date, str, str, str]]
    reports: list[ReportPlan]
    tranches: list[TranchePlan]
    reviewer_id: int | None = None
    evaluation: EvaluationPlan | None = None
    visit: VisitPlan | None = None

    @property
    def completed_on(self) -> dt.date | None:
        return next((c[0] for c in self.changes if c[2] == ContractStatus.COMPLETED), None)

    @property
    def final_reached(self) -> float:
        done = [r for r in self.reports if r.status == APPROVED]
        return done[-1].reached if done else 0.0


def settle(
    draft: Draft,
    *,
    today: dt.date,
    rng: random.Random,
    reviewer_id: int | None = None,
    hold: bool = False,
) -> ContractPlan:
    """Keep what has happened by `today`: report steps, tranche releases (an advance on
    signing, each other tranche a few days after its report is approved; none when `hold`),
    and the contract's changes of status (in force when signed, completed once the final
    report is approved and everything is paid, or terminated)."""
    signed = draft.signed if draft.signed is not None and draft.signed <= today else None
    cut: dt.date | None = None
    status = ContractStatus.DRAFT
    changes: list[tuple[dt.date, str, str, str]] = []
    if signed is not None:
        cut = today
        status = ContractStatus.ACTIVE
        changes.append((signed, ContractStatus.DRAFT, ContractStatus.ACTIVE, ""))
        if draft.terminated and draft.terminated[0] <= today:
            cut = draft.terminated[0]
    for report in draft.reports:
        report.steps = [s for s in report.steps if cut is not None and s.day <= cut]
        report.filled = report.filled and cut is not None
    tranches = []
    for k, amount in enumerate(split(draft.row.amount, draft.shares)):
        linked = k - 1 if k > 0 and k - 1 < len(draft.reports) else None
        if linked is None:
            due, ready = draft.start, signed
        else:
            due = draft.reports[linked].due + days(20)
            ready = None if hold else draft.reports[linked].day_of(APPROVED)
        released = None
        if ready is not None and cut is not None:
            day = ready + days(rng.randint(2, 9))
            released = day if day <= cut else None
        tranches.append(TranchePlan(amount, due, linked, released))
    if status == ContractStatus.ACTIVE:
        if draft.terminated and draft.terminated[0] <= today:
            day, reason = draft.terminated
            changes.append((day, ContractStatus.ACTIVE, ContractStatus.TERMINATED, reason))
            status = ContractStatus.TERMINATED
        elif draft.reports and all(r.status == APPROVED for r in draft.reports):
            paid = [t.released for t in tranches]
            final = draft.reports[-1].day_of(APPROVED)
            if final is not None and all(paid):
                done = max([final, *cast(list[dt.date], paid)]) + days(1)
                if done <= today:
                    changes.append((done, ContractStatus.ACTIVE, ContractStatus.COMPLETED, ""))
                    status = ContractStatus.COMPLETED
    return ContractPlan(
        row=draft.row,
        start=draft.start,
        end=draft.end,
        signed=draft.signed if status != ContractStatus.DRAFT else None,
        status=status,
        changes=changes,
        reports=draft.reports,
        tranches=tranches,
        reviewer_id=reviewer_id,
    )


def evaluation_for(
    contract: ContractPlan, *, rng: random.Random, evaluator_id: int | None, published: bool
) -> EvaluationPlan:
    """The five criteria scored from how far the project reached its targets."""
    values, conclusion = evaluation_values(contract.final_reached, rng)
    done = contract.completed_on or contract.end
    return EvaluationPlan(
        created=done + days(20),
        published=done + days(rng.randint(40, 90)) if published else None,
        values=values,
        evaluator_id=evaluator_id,
        conclusion=conclusion if published else "",
    )


# --- Writing plans ----------------------------------------------------------------------------


@contextmanager
def _dated(*classes: type[models.Model]) -> Iterator[None]:
    """Let the history keep the day things happened rather than the day the demo was made:
    `auto_now_add` is off while the plans' own dates are written."""
    fields = [
        cast(models.DateTimeField, f)
        for model in classes
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now_add", False)
    ]
    for f in fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f in fields:
            f.auto_now_add = True


def write(plans: Sequence[ContractPlan], *, batch_size: int = BATCH) -> list[Contract]:
    """Write the contracts of `plans` with everything that follows from them, in batches."""
    made: list[Contract] = []
    for first in range(0, len(plans), batch_size):
        made += _write_batch(plans[first : first + batch_size], batch_size)
    return made


def _write_batch(plans: Sequence[ContractPlan], batch_size: int) -> list[Contract]:
    app_ids = [p.row.pk for p in plans]
    applications = Application.objects.select_related(
        "lot__competition__programme", "region"
    ).in_bulk(app_ids)
    indicators: dict[int, list[Indicator]] = {}
    for indicator in Indicator.objects.filter(application_id__in=app_ids).order_by("pk"):
        indicators.setdefault(indicator.application_id, []).append(indicator)
    lines: dict[int, list[tuple[int, int]]] = {}
    for pk, app_id, amount in (
        BudgetLine.objects.filter(application_id__in=app_ids)
        .order_by("pk")
        .values_list("pk", "application_id", "amount")
    ):
        lines.setdefault(app_id, []).append((pk, amount))

    with _dated(Contract, ContractStatusChange, Report, ReportStatusChange, Evaluation):
        contracts = Contract.objects.bulk_create(
            [
                Contract(
                    application_id=p.row.pk,
                    number=contract_number(applications[p.row.pk]),
                    organiser_id=p.row.organiser_id,
                    ngo_id=p.row.ngo_id,
                    region_id=p.row.region_id,
                    title=p.row.title[:300],
                    amount=p.row.amount,
                    start_date=p.start,
                    end_date=p.end,
                    signed_on=p.signed,
                    status=p.status,
                    public_summary=(
                        f"{p.row.title[:200]}. Срок реализации: {p.start:%d.%m.%Y} — "
                        f"{p.end:%d.%m.%Y}."
                    ),
                    version=1 + len(p.changes),
                    created_by_id=p.reviewer_id,
                    created_at=at((p.signed or timezone.localdate()) - days(3)),
                )
                for p in plans
            ],
            batch_size=batch_size,
        )
        ContractStatusChange.objects.bulk_create(
            [
                ContractStatusChange(
                    contract=c,
                    from_status=before,
                    to_status=after,
                    actor_id=p.reviewer_id,
                    note=reason,
                    created_at=at(day, 12),
                )
                for c, p in zip(contracts, plans, strict=True)
                for day, before, after, reason in p.changes
            ],
            batch_size=batch_size,
        )
        targets = ContractIndicator.objects.bulk_create(
            [
                ContractIndicator(
                    contract=c,
                    source=indicator,
                    position=position,
                    name=indicator.name,
                    unit=indicator.unit,
                    baseline=indicator.baseline,
                    target=indicator.target,
                )
                for c in contracts
                for position, indicator in enumerate(indicators.get(c.application_id, []))
            ],
            batch_size=batch_size,
        )
        targets_of: dict[int, list[ContractIndicator]] = {}
        for target in targets:
            targets_of.setdefault(target.contract_id, []).append(target)

        report_rows: list[Report] = []
        report_plans: list[tuple[Contract, ContractPlan, ReportPlan]] = []
        for c, p in zip(contracts, plans, strict=True):
            for number, r in enumerate(p.reports, start=1):
                people = round(p.row.reach * r.reached) if r.has_content else 0
                text, public = narrative(r.kind, r.status, people) if r.has_content else ("", "")
                # As report_submit does: the date of the first sending stays (a report sent on
                # time and returned does not become late by its return).
                sent = r.first_day_of(SUBMITTED)
                # A report sent again after its return waits for a new review.
                reviewed = r.steps[-1] if r.status in (RETURNED, APPROVED) else None
                report_rows.append(
                    Report(
                        contract=c,
                        number=number,
                        kind=r.kind,
                        period_start=r.period_start,
                        period_end=r.period_end,
                        due_date=r.due,
                        status=r.status,
                        beneficiaries=people,
                        narrative=text,
                        public_summary=public,
                        submitted_at=at(sent, 16) if sent else None,
                        reviewed_at=at(reviewed.day, 12) if reviewed else None,
                        reviewed_by_id=p.reviewer_id if reviewed else None,
                        review_comment=reviewed.reason if reviewed else "",
                        version=1 + len(r.steps),
                        created_at=at(r.period_start, 9),
                    )
                )
                report_plans.append((c, p, r))
        reports = Report.objects.bulk_create(report_rows, batch_size=batch_size)
        changes = []
        values = []
        spending = []
        for report, (c, p, r) in zip(reports, report_plans, strict=True):
            before = DRAFT
            for step in r.steps:
                actor = p.reviewer_id if step.to in (RETURNED, APPROVED) else None
                changes.append(
                    ReportStatusChange(
                        report=report,
                        from_status=before,
                        to_status=step.to,
                        actor_id=actor,
                        note=step.reason,
                        created_at=at(step.day, 16 if step.to == SUBMITTED else 12),
                    )
                )
                before = step.to
            if not r.has_content:
                continue
            for target in targets_of.get(c.pk, []):
                planned = float(target.target - target.baseline)
                actual = Decimal(round(float(target.baseline) + planned * r.reached))
                values.append(ReportIndicatorValue(report=report, indicator=target, actual=actual))
            for line_id, amount in lines.get(c.application_id, []):
                spending.append(
                    ReportSpending(
                        report=report, budget_line_id=line_id, spent=int(amount * r.spent)
                    )
                )
        ReportStatusChange.objects.bulk_create(changes, batch_size=batch_size)
        ReportIndicatorValue.objects.bulk_create(values, batch_size=batch_size)
        ReportSpending.objects.bulk_create(spending, batch_size=batch_size)

        # Tranches last: one that follows a report is released only once it is approved.
        report_of = {(report.contract_id, report.number): report for report in reports}
        Tranche.objects.bulk_create(
            [
                Tranche(
                    contract=c,
                    number=k,
                    amount=t.amount,
                    due_date=t.due,
                    report=None if t.report is None else report_of[(c.pk, t.report + 1)],
                    status=TrancheStatus.RELEASED if t.released else TrancheStatus.PLANNED,
                    released_at=at(t.released, 15) if t.released else None,
                    released_by_id=p.reviewer_id if t.released else None,
                    payment_reference=(
                        f"ПП-{t.released:%Y}-{p.row.pk:06d}-{k}" if t.released else ""
                    ),
                )
                for c, p in zip(contracts, plans, strict=True)
                for k, t in enumerate(p.tranches, start=1)
            ],
            batch_size=batch_size,
        )

        evaluated = [
            (c, p.evaluation) for c, p in zip(contracts, plans, strict=True) if p.evaluation
        ]
        evaluations = Evaluation.objects.bulk_create(
            [
                Evaluation(
                    contract=c,
                    status=EvaluationStatus.PUBLISHED if e.published else EvaluationStatus.DRAFT,
                    conclusion=e.conclusion,
                    evaluated_by_id=e.evaluator_id,
                    published_at=at(e.published, 12) if e.published else None,
                    created_at=at(e.created, 10),
                )
                for c, e in evaluated
            ],
            batch_size=batch_size,
        )
        EvaluationScore.objects.bulk_create(
            [
                EvaluationScore(evaluation=evaluation, criterion=criterion, value=value)
                for evaluation, (_c, e) in zip(evaluations, evaluated, strict=True)
                for criterion, value in e.values.items()
            ],
            batch_size=batch_size,
        )
    _write_visits(
        [(c, p.visit) for c, p in zip(contracts, plans, strict=True) if p.visit], batch_size
    )
    return contracts


def _write_visits(
    planned: list[tuple[Contract, VisitPlan]], batch_size: int
) -> list[MonitoringVisit]:
    with _dated(MonitoringVisit):
        visits = MonitoringVisit.objects.bulk_create(
            [
                MonitoringVisit(
                    contract=c,
                    monitor_kind=v.kind,
                    organisation_id=v.organisation_id,
                    council_id=v.council_id,
                    inspector_id=v.inspector_id,
                    visited_on=v.visited_on,
                    checklist=checklist([f[:2] for f in v.findings]),
                    summary="Проект реализуется; замечания — в выводах." if v.findings else "",
                    recommendations=(
                        "Вести учёт участников на каждом занятии." if v.findings else ""
                    ),
                    status=VisitStatus.PUBLISHED if v.published else VisitStatus.DRAFT,
                    published_at=at(v.published, 17) if v.published else None,
                    created_at=at(v.visited_on, 18),
                )
                for c, v in planned
            ],
            batch_size=batch_size,
        )
    VisitFinding.objects.bulk_create(
        [
            VisitFinding(
                visit=visit,
                position=position,
                severity=severity,
                text=text,
                answer=answer,
                answered_by_id=answerer,
                answered_at=at(answered, 12) if answered else None,
            )
            for visit, (_c, v) in zip(visits, planned, strict=True)
            for position, (severity, text, answer, answered, answerer) in enumerate(v.findings)
        ],
        batch_size=batch_size,
    )
    return visits


def seed_national_projects(
    *, seed: int = 2019, batch_size: int = BATCH, today: dt.date | None = None
) -> int:
    """Contracts for the funded applications of the national generator that have none;
    returns how many were made."""
    today = today or timezone.localdate()
    rows = rows_of(
        Application.objects.filter(
            status=ApplicationStatus.FUNDED,
            contract__isnull=True,
            lot__competition__in=national_competitions(),
        ).exclude(funding_risk.planted())
    )
    evaluators = list(
        User.objects.filter(email__startswith="expert.national.")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    plans = []
    for row in rows:
        rng = random.Random(f"{seed}:{row.pk}")
        # A few NGOs report late and get reports returned far more often than the others.
        prone = random.Random(f"{seed}:ngo:{row.ngo_id}").random() < 0.04
        contract = settle(plan(row, rng=rng, late_prone=prone), today=today, rng=rng)
        _national_extras(contract, rng=rng, today=today, evaluators=evaluators)
        plans.append(contract)
    write(plans, batch_size=batch_size)
    return len(plans)


def _national_extras(
    contract: ContractPlan, *, rng: random.Random, today: dt.date, evaluators: list[int]
) -> None:
    """An evaluation for most completed projects (three in four published) and a monitoring
    visit for about one project in eight."""
    if contract.completed_on is not None:
        draw = rng.random()
        if draw < 0.8:
            evaluation = evaluation_for(
                contract,
                rng=rng,
                evaluator_id=rng.choice(evaluators) if evaluators else None,
                published=draw < 0.75,
            )
            if evaluation.created <= today:
                if evaluation.published and evaluation.published > today:
                    evaluation.published, evaluation.conclusion = None, ""
                contract.evaluation = evaluation
    if contract.signed is None or rng.random() >= 0.12:
        return
    span = (min(contract.end, today) - contract.start).days
    if span < 20:
        return
    visited = contract.start + days(rng.randint(15, span))
    published: dt.date | None = visited + days(rng.randint(2, 10))
    if published and published > today:
        published = None
    findings: list[tuple[str, str, str, dt.date | None, int | None]] = []
    for severity, text in rng.sample(FINDINGS, rng.randint(1, 3)):
        answered = (
            published + days(rng.randint(3, 14)) if published and rng.random() < 0.85 else None
        )
        if answered and answered > today:
            answered = None
        findings.append((severity, text, rng.choice(ANSWERS) if answered else "", answered, None))
    kind = (
        MonitorKind.OPERATOR
        if contract.row.organiser_kind == OrganisationKind.GRANT_OPERATOR
        else MonitorKind.STATE_BODY
    )
    contract.visit = VisitPlan(kind, contract.row.organiser_id, visited, published, findings)


def seed(world: DemoWorld) -> None:
    started = time.perf_counter()
    count = seed_national_projects()
    world.log.append(
        f"funding (projects, national): {count} contracts in {time.perf_counter() - started:.1f} s"
        if count
        else "funding (projects, national): already there"
    )
