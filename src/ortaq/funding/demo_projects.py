"""Demo projects: the contracts of funded applications with their targets, tranches, reports,
monitoring visits and evaluations of effectiveness (see core/demo.py; runs after
funding/demo.py and funding/demo_national.py).

Small demo — every funded application gets a contract, except one left for the customer to
prepare. Projects of past years are completed (final report approved, every tranche released,
most evaluated); a grant of last year still runs. This year Kyzylorda's department of internal
policy published one more competition ("Social projects: priority areas") three months ago, and
its projects are where the demo logins find work:

- official@ortaq.kz: a progress report to review, a tranche to release (its report is
  approved), a draft contract to sign, a funded application with no contract yet, a draft
  monitoring visit;
- ngo.admin@ortaq.kz («Болашак жастары» won two lots): a progress report due in a few days
  (a draft), one returned with a comment, a finding of a published visit to answer;
- council.chair@ortaq.kz: a published visit of the public council, with photos;
- expert@ortaq.kz: a completed project to evaluate (a draft); published evaluations elsewhere.

National scale — a contract for every funded application of the national generator, planned
from its competition's dates: what has happened by today is written (reports sent on time or
late, some returned first; tranches released after their reports; contracts completed, a few
terminated), with monitoring visits for about one project in eight and evaluations for most
completed ones. Written with bulk_create in batches; idempotent: an application that has a
contract is skipped.

The services are not used (they refuse what is not "now"): rows are written with the ORM,
within the models' constraints and the workflow: a tranche that follows a report is released
only after the report is approved (a database trigger checks it, so reports are written
first), the tranches sum to the contract's amount, and every change of status has its history
row dated on the day it happened.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import random
import time
import zoneinfo
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple, cast

from django.core.files.base import ContentFile
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from ortaq.accounts.enums import OrganisationKind
from ortaq.accounts.models import Organisation, User
from ortaq.core.demo import DemoWorld
from ortaq.councils.demo import CHAIR_EMAIL, PUBLIC_RU
from ortaq.councils.models import Council
from ortaq.lib.workdays import add_working_days
from ortaq.reference.models import ActivityArea, Region
from ortaq.registry.models import NgoProfile

from . import demo, demo_national, demo_risk
from .competitions.services import deadline_after
from .enums import (
    ApplicationStatus,
    CompetitionStatus,
    ContractStatus,
    EvaluationCriterion,
    EvaluationStatus,
    FindingSeverity,
    MonitorKind,
    ProgrammeKind,
    ProjectReportStatus,
    ReportKind,
    TrancheStatus,
    VisitStatus,
)
from .models import (
    Application,
    BudgetLine,
    Competition,
    CompetitionStatusChange,
    Contract,
    ContractIndicator,
    ContractStatusChange,
    Evaluation,
    EvaluationScore,
    Indicator,
    Lot,
    MonitoringVisit,
    Report,
    ReportIndicatorValue,
    ReportSpending,
    ReportStatusChange,
    Score,
    Tranche,
    VisitFinding,
    VisitPhoto,
    private_storage,
)

TIME_ZONE = "Asia/Almaty"
BATCH = 1_000
DRAFT: str = ProjectReportStatus.DRAFT
SUBMITTED: str = ProjectReportStatus.SUBMITTED
RETURNED: str = ProjectReportStatus.RETURNED
APPROVED: str = ProjectReportStatus.APPROVED
RETURN_COMMENTS = (
    "Приложите списки участников с подписями и фотографии мероприятий.",
    "Фактические расходы по статье «Мероприятия» не подтверждены документами.",
    "Показатель «Участники» не совпадает со списками: уточните число уникальных участников.",
    "Нет описания работы в районах, указанных в договоре.",
)
TERMINATION_REASONS = (
    "Расторгнут по соглашению сторон: мероприятия не проводились, отчёт не подтверждён.",
    "Расторгнут заказчиком: исполнитель не устранил замечания к отчёту в установленный срок.",
)
FINDINGS = (
    (FindingSeverity.NOTE, "Занятия проходят по расписанию, участники знают о проекте."),
    (FindingSeverity.NOTE, "Информационные материалы проекта размещены в месте проведения."),
    (FindingSeverity.MINOR, "Журнал посещаемости ведётся не на всех занятиях."),
    (FindingSeverity.MINOR, "На сайте организации нет сведений о проекте и его заказчике."),
    (FindingSeverity.MAJOR, "Число участников на занятии заметно меньше указанного в отчёте."),
)
ANSWERS = (
    "Учли: журнал ведётся на каждом занятии, копии приложены к отчёту.",
    "Сведения о проекте размещены на сайте и в социальных сетях.",
    "Часть участников занимается онлайн; списки приложены.",
)
CHECKLIST = (
    "Мероприятия проходят по плану-графику",
    "Целевая группа соответствует договору",
    "Учёт участников ведётся",
    "Расходы подтверждены первичными документами",
    "Информация о проекте и заказчике размещена",
)
CONCLUSIONS = {
    "high": "Проект эффективен: цели достигнуты, деятельность продолжается после окончания "
    "финансирования.",
    "mid": "Проект в основном достиг целей; устойчивость результатов требует поддержки.",
    "low": "Цели достигнуты частично; рекомендуется учесть опыт при планировании тем.",
}


# --- Plans: what happened to a contract, up to today -------------------------------------------


class Row(NamedTuple):
    """What a contract is made from: a funded application and its competition."""

    pk: int
    title: str
    amount: int
    reach: int
    ngo_id: int
    region_id: int | None
    region_code: str | None
    organiser_id: int
    organiser_kind: str
    kind: str
    year: int
    published: dt.datetime | None


ROW_FIELDS = (
    "pk",
    "title",
    "requested_amount",
    "reach",
    "ngo_id",
    "region_id",
    "region__code",
    "lot__competition__organiser_id",
    "lot__competition__organiser__kind",
    "lot__competition__programme__kind",
    "lot__competition__programme__year",
    "lot__competition__published_at",
)


@dataclass
class Step:
    day: dt.date
    to: str
    reason: str = ""


@dataclass
class ReportPlan:
    kind: str
    period_start: dt.date
    period_end: dt.date
    due: dt.date
    steps: list[Step] = field(default_factory=list)
    reached: float = 0.0  # share of each target's planned change reached by the period's end
    spent: float = 0.0  # share of each budget line spent within the period
    filled: bool = False  # a draft the NGO has started to fill in

    @property
    def status(self) -> str:
        return self.steps[-1].to if self.steps else DRAFT

    def day_of(self, status: str) -> dt.date | None:
        return next((s.day for s in reversed(self.steps) if s.to == status), None)

    def first_day_of(self, status: str) -> dt.date | None:
        return next((s.day for s in self.steps if s.to == status), None)

    @property
    def has_content(self) -> bool:
        return bool(self.steps) or self.filled


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
class Draft:
    """A contract as planned at signing, before today cuts what has not happened yet."""

    row: Row
    signed: dt.date | None
    start: dt.date
    end: dt.date
    reports: list[ReportPlan]
    shares: list[int]  # per cent: the advance, then one tranche after each report
    terminated: tuple[dt.date, str] | None = None


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


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def _at(day: dt.date, hour: int = 11) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zoneinfo.ZoneInfo(TIME_ZONE))


def _split(amount: int, shares: Sequence[int]) -> list[int]:
    parts = [amount * share // 100 for share in shares[:-1]]
    return [*parts, amount - sum(parts)]


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
    for k, amount in enumerate(_split(draft.row.amount, draft.shares)):
        linked = k - 1 if k > 0 and k - 1 < len(draft.reports) else None
        if linked is None:
            due, ready = draft.start, signed
        else:
            due = draft.reports[linked].due + _days(20)
            ready = None if hold else draft.reports[linked].day_of(APPROVED)
        released = None
        if ready is not None and cut is not None:
            day = ready + _days(rng.randint(2, 9))
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
                done = max([final, *cast(list[dt.date], paid)]) + _days(1)
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


def _review(
    rng: random.Random, due: dt.date, *, late_rate: float, return_rate: float
) -> list[Step]:
    """The report sent on time (or late), perhaps returned once, then approved."""
    late = rng.random() < late_rate
    sent = due + _days(rng.randint(3, 40)) if late else due - _days(rng.randint(0, 8))
    steps = [Step(sent, SUBMITTED)]
    if rng.random() < return_rate:
        back = sent + _days(rng.randint(3, 10))
        steps.append(Step(back, RETURNED, rng.choice(RETURN_COMMENTS)))
        sent = back + _days(rng.randint(4, 14))
        steps.append(Step(sent, SUBMITTED))
    steps.append(Step(sent + _days(rng.randint(3, 12)), APPROVED))
    return steps


def plan(
    row: Row,
    *,
    rng: random.Random,
    long: bool = False,
    terminate: bool | None = None,
    late_prone: bool = False,
) -> Draft:
    """The contract of `row` as the programme's kind makes it: signed a few weeks after the
    results; a social project ends in mid-December of its year, a grant runs 6–18 months
    (`long`: 18), an award is spent within two months and reported once."""
    published = timezone.localdate(row.published) if row.published else dt.date(row.year, 6, 1)
    signed = published + _days(rng.randint(7, 25))
    start = signed
    late_rate, return_rate = (0.5, 0.3) if late_prone else (0.07, 0.1)
    # Most projects reach 80–110% of their targets, some fall short.
    draw = rng.random()
    quality = (
        rng.uniform(0.8, 1.1)
        if draw < 0.8
        else rng.uniform(0.55, 0.8)
        if draw < 0.95
        else rng.uniform(0.3, 0.55)
    )
    if row.kind == ProgrammeKind.AWARD:
        end = start + _days(60)
        report = ReportPlan(ReportKind.FINAL, start, end, end + _days(15))
        report.steps = _review(rng, report.due, late_rate=late_rate, return_rate=return_rate)
        report.reached, report.spent = quality, rng.uniform(0.95, 1.0)
        return Draft(row, signed, start, end, [report], [100])
    if row.kind == ProgrammeKind.SOCIAL_ORDER:
        days = max((dt.date(row.year, 12, 15) - start).days, 150)
    elif row.kind == ProgrammeKind.STATE_GRANT:
        days = 540 if long else rng.choice((180, 270, 365, 365, 540))
    else:
        days = rng.choice((180, 270, 365))
    end = start + _days(days)
    parts = 3 if days > 400 else 2
    bounds = [start + _days(days * i // parts) for i in range(parts + 1)]
    reports = []
    for i in range(parts):
        final = i == parts - 1
        period_start = bounds[i] if i == 0 else bounds[i] + _days(1)
        report = ReportPlan(
            ReportKind.FINAL if final else ReportKind.PROGRESS,
            period_start,
            bounds[i + 1],
            bounds[i + 1] + _days(15 if final else 10),
        )
        report.steps = _review(rng, report.due, late_rate=late_rate, return_rate=return_rate)
        report.reached = quality * (i + 1) / parts * (1 if final else rng.uniform(0.85, 1.05))
        report.spent = rng.uniform(0.9, 1.0) / parts
        reports.append(report)
    shares = [30, 40, 30] if parts == 2 else [30, 30, 20, 20]
    draft = Draft(row, signed, start, end, reports, shares)
    if terminate if terminate is not None else rng.random() < 0.012:
        first = reports[0]
        sent = first.due + _days(rng.randint(5, 20))
        back = sent + _days(rng.randint(3, 8))
        first.steps = [Step(sent, SUBMITTED), Step(back, RETURNED, rng.choice(RETURN_COMMENTS))]
        for later in reports[1:]:
            later.steps = []
        draft.terminated = (back + _days(rng.randint(20, 50)), rng.choice(TERMINATION_REASONS))
    return draft


def evaluation_for(
    contract: ContractPlan, *, rng: random.Random, evaluator_id: int | None, published: bool
) -> EvaluationPlan:
    """The five criteria scored from how far the project reached its targets."""
    reached = contract.final_reached
    base = 5 if reached >= 0.95 else 4 if reached >= 0.8 else 3 if reached >= 0.6 else 2
    values = {str(c): max(0, min(5, base + rng.choice((-1, 0, 0, 1)))) for c in EvaluationCriterion}
    level = "high" if base >= 5 else "mid" if base >= 4 else "low"
    done = contract.completed_on or contract.end
    return EvaluationPlan(
        created=done + _days(20),
        published=done + _days(rng.randint(40, 90)) if published else None,
        values=values,
        evaluator_id=evaluator_id,
        conclusion=CONCLUSIONS[level] if published else "",
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


def contract_number(row: Row) -> str:
    return f"C-{row.year}-{row.region_code or '00'}-{row.pk:06d}"


def _narrative(report: ReportPlan, beneficiaries: int) -> tuple[str, str]:
    if report.kind == ReportKind.FINAL:
        text = f"Проект завершён. Проведены занятия и итоговый форум; участников — {beneficiaries}."
    else:
        text = f"Проведены занятия и встречи по плану-графику; участников — {beneficiaries}."
    public = text if report.status == APPROVED else ""
    return text, public


def write(plans: Sequence[ContractPlan], *, batch_size: int = BATCH) -> list[Contract]:
    """Write the contracts of `plans` with everything that follows from them, in batches."""
    made: list[Contract] = []
    for first in range(0, len(plans), batch_size):
        made += _write_batch(plans[first : first + batch_size], batch_size)
    return made


def _write_batch(plans: Sequence[ContractPlan], batch_size: int) -> list[Contract]:
    app_ids = [p.row.pk for p in plans]
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
                    number=contract_number(p.row),
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
                    created_at=_at((p.signed or timezone.localdate()) - _days(3)),
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
                    reason=reason,
                    created_at=_at(day, 12),
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
                narrative, public = _narrative(r, people) if r.has_content else ("", "")
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
                        narrative=narrative,
                        public_summary=public,
                        submitted_at=_at(sent, 16) if sent else None,
                        reviewed_at=_at(reviewed.day, 12) if reviewed else None,
                        reviewed_by_id=p.reviewer_id if reviewed else None,
                        review_comment=reviewed.reason if reviewed else "",
                        version=1 + len(r.steps),
                        created_at=_at(r.period_start, 9),
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
                        reason=step.reason,
                        created_at=_at(step.day, 16 if step.to == SUBMITTED else 12),
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
                    released_at=_at(t.released, 15) if t.released else None,
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
                    published_at=_at(e.published, 12) if e.published else None,
                    created_at=_at(e.created, 10),
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
                    checklist=_checklist(v),
                    summary="Проект реализуется; замечания — в выводах." if v.findings else "",
                    recommendations=(
                        "Вести учёт участников на каждом занятии." if v.findings else ""
                    ),
                    status=VisitStatus.PUBLISHED if v.published else VisitStatus.DRAFT,
                    published_at=_at(v.published, 17) if v.published else None,
                    created_at=_at(v.visited_on, 18),
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
                answered_at=_at(answered, 12) if answered else None,
            )
            for visit, (_c, v) in zip(visits, planned, strict=True)
            for position, (severity, text, answer, answered, answerer) in enumerate(v.findings)
        ],
        batch_size=batch_size,
    )
    return visits


def _checklist(visit: VisitPlan) -> list[dict[str, Any]]:
    """The checklist of the visit: each item, whether it holds, and a note where it does not
    (a shortcoming found shows on the item about the record of participants)."""
    shortcomings = [
        text
        for severity, text, *_rest in visit.findings
        if severity in (FindingSeverity.MINOR, FindingSeverity.MAJOR)
    ]
    return [
        {
            "item": item,
            "ok": not (shortcomings and i == 2),
            "note": shortcomings[0] if shortcomings and i == 2 else "",
        }
        for i, item in enumerate(CHECKLIST)
    ]


# --- National scale ---------------------------------------------------------------------------


def national_competitions() -> QuerySet[Competition]:
    """The national generator's competitions: their titles read "<kind>: конкурс <year>…"."""
    query = Q(pk__in=[])
    for _kk, ru, _en in demo_national.KIND_TITLES.values():
        query |= Q(title_ru__startswith=f"{ru}: конкурс ")
    return Competition.objects.filter(query)


def _rows(applications: QuerySet[Application]) -> list[Row]:
    return [Row(*values) for values in applications.order_by("pk").values_list(*ROW_FIELDS)]


def seed_national_projects(
    *, seed: int = 2019, batch_size: int = BATCH, today: dt.date | None = None
) -> int:
    """Contracts for the funded applications of the national generator that have none;
    returns how many were made."""
    today = today or timezone.localdate()
    rows = _rows(
        Application.objects.filter(
            status=ApplicationStatus.FUNDED,
            contract__isnull=True,
            lot__competition__in=national_competitions(),
        ).exclude(demo_risk.planted())
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
    visited = contract.start + _days(rng.randint(15, span))
    published: dt.date | None = visited + _days(rng.randint(2, 10))
    if published and published > today:
        published = None
    findings: list[tuple[str, str, str, dt.date | None, int | None]] = []
    for severity, text in rng.sample(FINDINGS, rng.randint(1, 3)):
        answered = (
            published + _days(rng.randint(3, 14)) if published and rng.random() < 0.85 else None
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


# --- The small demo ---------------------------------------------------------------------------

FRESH_TITLES = (
    "Әлеуметтік жобалар: басым бағыттар",
    "Социальные проекты: приоритетные направления",
    "Social projects: priority areas",
)
FRESH_LOTS = (
    demo.LotSpec(
        "Жастар медиазертханасы", "Молодёжная медиалаборатория", "Youth media lab", "43",
        "youth", 12_000_000,
    ),
    demo.LotSpec(
        "Жастар көшбасшылығы мектебі", "Школа молодёжного лидерства", "Youth leadership school",
        "43", "youth", 9_000_000,
    ),
    demo.LotSpec(
        "Жас отбасыларға кеңес", "Консультации для молодых семей", "Advice for young families",
        "43", "family", 10_000_000,
    ),
    demo.LotSpec(
        "Ерекше балаларға инклюзивті үйірмелер", "Инклюзивные кружки для особых детей",
        "Inclusive clubs for children with special needs", "43", "vulnerable", 14_000_000,
    ),
    demo.LotSpec(
        "Арал ауылдарындағы экосабақтар", "Экоуроки в аулах Приаралья",
        "Eco lessons in the villages of the Aral region", "43", "environment", 8_000_000,
    ),
    demo.LotSpec(
        "Ауыл клубтарындағы мәдени кештер", "Культурные вечера в сельских клубах",
        "Cultural evenings in village clubs", "43", "culture", 7_000_000,
    ),
    demo.LotSpec(
        "Азаматтық бастамалар мектебі", "Школа гражданских инициатив",
        "School of civic initiatives", "43", "civil_society", 11_000_000,
    ),
)  # fmt: skip


@dataclass(frozen=True)
class Scenario:
    """Where a project of this year's competition stands: it starts `start` days from today;
    its progress report went through `steps` (days from today, status, comment)."""

    start: int
    steps: tuple[tuple[int, str, str], ...] = ()
    signed: bool = True
    filled: bool = False
    hold: bool = False  # the tranche after an approved report is not released yet


# Lot number → scenario; the lot missing here is funded and waits for its contract.
SCENARIOS = {
    1: Scenario(-65, filled=True),  # the demo NGO: a draft due in 4 days
    2: Scenario(-81, ((-13, SUBMITTED, ""), (-8, RETURNED, RETURN_COMMENTS[0]))),  # demo NGO
    3: Scenario(-73, ((-5, SUBMITTED, ""),)),  # for the official to review
    4: Scenario(-83, ((-16, SUBMITTED, ""), (-6, APPROVED, "")), hold=True),  # to release
    5: Scenario(10, signed=False),  # a draft contract to sign
    7: Scenario(-78),  # the progress report is overdue
}
UNPREPARED_LOT = 6


def _fresh_competition(
    kzo: Organisation, official: User | None, youth: NgoProfile, today: dt.date
) -> Competition:
    """This year's competition of the department, published about three months ago: the demo
    NGO won two lots, five other NGOs of the region one each."""
    year = today.year
    social = demo_national.KIND_TITLES[ProgrammeKind.SOCIAL_ORDER]
    programme = demo.programme(
        kzo,
        kind=ProgrammeKind.SOCIAL_ORDER,
        year=year,
        titles=(f"{social[0]} {year}", f"{social[1]} {year}", f"{social[2]} {year}"),
        budget=300_000_000,
        areas=demo.CORE_AREAS,
    )
    titles = tuple(f"{t} {year}" for t in FRESH_TITLES)
    found = Competition.objects.filter(programme=programme, title_ru=titles[1]).first()
    if found:
        return found
    rng = random.Random(f"{titles[1]}:{year}")
    zone = "Asia/Qyzylorda"
    announced_on = today - _days(170)
    while True:
        announced = demo._at(announced_on)
        deadline = deadline_after(
            announced, working_days=programme.application_days, time_zone=zone
        )
        compliance_due = add_working_days(
            deadline.astimezone(zoneinfo.ZoneInfo(zone)).date(), programme.compliance_days
        )
        evaluation_due = add_working_days(compliance_due, programme.evaluation_days)
        published = dt.datetime.combine(
            add_working_days(evaluation_due, 3), dt.time(11), tzinfo=zoneinfo.ZoneInfo(zone)
        )
        if published.date() <= today - _days(95):
            break
        announced_on -= _days(7)
    competition = Competition.objects.create(
        programme=programme,
        organiser=kzo,
        title_kk=titles[0],
        title_ru=titles[1],
        title_en=titles[2],
        description_kk="Конкурс туралы толық ақпарат лоттарда.",
        description_ru="Подробные условия — в описании лотов. Заявки на казахском или русском.",
        description_en="The lots describe the conditions. Applications in Kazakh or Russian.",
        status=CompetitionStatus.PUBLISHED,
        time_zone=zone,
        announced_at=announced,
        application_deadline=deadline,
        compliance_due=compliance_due,
        evaluation_due=evaluation_due,
        published_at=published,
    )
    CompetitionStatusChange.objects.bulk_create(
        CompetitionStatusChange(
            competition=competition, from_status=before, to_status=after, actor=official
        )
        for before, after in zip(demo.STAGES, demo.STAGES[1:], strict=False)
    )
    regions = {r.code: r for r in Region.objects.all()}
    areas = {a.code: a for a in ActivityArea.objects.all()}
    lots = Lot.objects.bulk_create(
        Lot(
            competition=competition,
            number=number,
            title_kk=spec.kk,
            title_ru=spec.ru,
            title_en=spec.en,
            region=regions[spec.region],
            area=areas[spec.area],
            budget_ceiling=spec.ceiling,
        )
        for number, spec in enumerate(FRESH_LOTS, start=1)
    )
    pool = demo._candidates("43", {youth.pk})
    winners = [youth, youth, *pool[:5]]
    others = pool[5:]
    applications: list[Application] = []
    won: set[int] = set()  # indexes in `applications`
    for lot, ngo in zip(lots, winners, strict=False):
        # The winner asks 72–95% of the ceiling; a rival (every other lot) more than is left.
        bids = [(ngo, int(lot.budget_ceiling * rng.uniform(0.72, 0.95)) // 1000 * 1000)]
        if others and lot.number % 2:
            bids.append(
                (others.pop(0), int(lot.budget_ceiling * rng.uniform(0.6, 1.0)) // 1000 * 1000)
            )
        for index, (bidder, amount) in enumerate(bids):
            if index == 0:
                won.add(len(applications))
            kk, ru = demo.PROJECT_WORDS[(lot.number + index) % len(demo.PROJECT_WORDS)]
            applications.append(
                Application(
                    lot=lot,
                    ngo=bidder,
                    status=ApplicationStatus.COMPLIANT,
                    title=f"{lot.title_ru}: {ru.lower()} «{bidder.organisation.name_ru[:60]}»",
                    description=(
                        f"{lot.title_ru}. Проект {bidder.organisation.name_ru}: занятия, "
                        "наставничество и итоговый форум."
                    ),
                    target_group="Молодёжь 14–29 лет" if lot.area.code == "youth" else kk,
                    reach=rng.randrange(150, 1500, 50),
                    region=lot.region,
                    team="Руководитель проекта\nКоординатор\nБухгалтер",
                    requested_amount=amount,
                    institutional_amount=amount * 8 // 100 // 1000 * 1000,
                    submitted_at=deadline - _days(rng.randint(1, 15)),
                )
            )
    created = Application.objects.bulk_create(applications)
    demo._details(created, rng)
    demo._history(created, official, deadline)
    demo._evaluate(
        competition, created, demo.STAGES.index(CompetitionStatus.PUBLISHED), rng, official
    )
    winner_ids = {a.pk for i, a in enumerate(created) if i in won}
    rival_ids = {a.pk for i, a in enumerate(created) if i not in won}
    # The experts found the winners' projects excellent (and no rival quite as good).
    for criterion in programme.criteria.all():
        Score.objects.filter(assignment__application__in=winner_ids, criterion=criterion).update(
            value=criterion.scale_max
        )
        Score.objects.filter(
            assignment__application__in=rival_ids,
            criterion=criterion,
            value__gte=criterion.scale_max,
        ).update(value=criterion.scale_max - 1)
    demo._decide(competition, published=True, actor=official)
    funded = set(
        Application.objects.filter(
            lot__competition=competition, status=ApplicationStatus.FUNDED
        ).values_list("pk", flat=True)
    )
    if funded != winner_ids:  # the construction guarantees it; say so loudly if not
        raise RuntimeError(f"demo projects: unexpected allocation in {competition}")
    return competition


def _fresh_draft(row: Row, scenario: Scenario, today: dt.date, rng: random.Random) -> Draft:
    """Five months: a progress report on the first two, the final one at the end."""
    start = today + _days(scenario.start)
    end = start + _days(150)
    middle = start + _days(59)
    progress = ReportPlan(
        ReportKind.PROGRESS,
        start,
        middle,
        middle + _days(10),
        steps=[Step(today + _days(d), to, reason) for d, to, reason in scenario.steps],
        reached=rng.uniform(0.45, 0.6),
        spent=rng.uniform(0.4, 0.5),
        filled=scenario.filled,
    )
    final = ReportPlan(
        ReportKind.FINAL,
        middle + _days(1),
        end,
        end + _days(10),
        reached=rng.uniform(0.9, 1.05),
        spent=rng.uniform(0.45, 0.5),
    )
    signed = start if scenario.signed else None
    return Draft(row, signed, start, end, [progress, final], [30, 40, 30])


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def seed_small(world: DemoWorld, *, today: dt.date | None = None) -> list[Contract]:
    """Contracts of the demo's funded applications (see the module's docstring)."""
    organisations: dict[str, Organisation] = world.objects.get("organisations", {})
    users: dict[str, User] = world.objects.get("users", {})
    if any(k not in organisations for k in ("kyzylorda_dip", "kzo_youth", "cisc")):
        return []
    youth = NgoProfile.objects.filter(organisation=organisations["kzo_youth"]).first()
    if youth is None:
        return []
    today = today or timezone.localdate()
    kzo, cisc = organisations["kyzylorda_dip"], organisations["cisc"]
    official = users.get("state official")
    fresh = _fresh_competition(kzo, official, youth, today)
    applications = (
        Application.objects.filter(status=ApplicationStatus.FUNDED, contract__isnull=True)
        .exclude(lot__competition__in=national_competitions())
        .exclude(demo_risk.planted())  # the risk module's plants keep their own story
    )
    rows = _rows(applications)
    lot_of = dict(applications.filter(lot__competition=fresh).values_list("pk", "lot__number"))
    competition_of = dict(applications.values_list("pk", "lot__competition_id"))
    siblings: dict[int, list[int]] = {}
    for row in rows:
        siblings.setdefault(competition_of[row.pk], []).append(row.pk)
    plans: list[ContractPlan] = []
    lot_plans: dict[int, ContractPlan] = {}
    running_grants: list[ContractPlan] = []
    for row in rows:
        rng = random.Random(f"demo:{row.pk}")
        reviewer = official.pk if official and row.organiser_id == kzo.pk else None
        if row.pk in lot_of:
            scenario = SCENARIOS.get(lot_of[row.pk])
            if scenario is None:
                continue  # funded, waiting for the customer to prepare its contract
            draft = _fresh_draft(row, scenario, today, rng)
            contract = settle(draft, today=today, rng=rng, reviewer_id=reviewer, hold=scenario.hold)
            lot_plans[lot_of[row.pk]] = contract
            plans.append(contract)
            continue
        group = siblings[competition_of[row.pk]]
        index = group.index(row.pk)
        last_year = row.year == today.year - 1
        running = last_year and row.kind == ProgrammeKind.STATE_GRANT
        terminate = last_year and row.kind == ProgrammeKind.SOCIAL_ORDER and index == len(group) - 1
        draft = plan(row, rng=rng, long=running, terminate=terminate)
        if running and index in (1, 2) and len(draft.reports) > 2:
            # One grantee has not sent its second report (overdue), one sent it late.
            second = draft.reports[1]
            second.steps = [] if index == 1 else [Step(second.due + _days(40), SUBMITTED)]
            for later in draft.reports[2:]:
                later.steps = []
        contract = settle(draft, today=today, rng=rng, reviewer_id=reviewer)
        if running:
            running_grants.append(contract)
        plans.append(contract)
    _small_evaluations(plans, kzo=kzo, today=today)
    made = write(plans)
    contracts = {c.application_id: c for c in made}
    _small_visits(
        world,
        today=today,
        kzo=kzo,
        cisc=cisc,
        by_lot={n: contracts[p.row.pk] for n, p in lot_plans.items()},
        past=[contracts[p.row.pk] for p in plans if p.status == ContractStatus.COMPLETED],
        grants=[contracts[p.row.pk] for p in running_grants if p.signed],
    )
    return made


def _small_evaluations(plans: list[ContractPlan], *, kzo: Organisation, today: dt.date) -> None:
    """The department's completed projects: the latest is for expert@ortaq.kz to evaluate
    (a draft with two criteria scored), the others but the oldest are published."""
    done = sorted(
        (p for p in plans if p.completed_on and p.row.organiser_id == kzo.pk),
        key=lambda p: (p.completed_on, p.row.pk),
        reverse=True,
    )
    if not done:
        return
    rng = random.Random("demo-evaluations")
    expert = _user(demo.DEMO_EXPERT)
    others = [u for u in (_user(e) for e, _n, _a in demo.EXPERTS[1:5]) if u is not None]
    first = evaluation_for(
        done[0], rng=rng, evaluator_id=expert.pk if expert else None, published=False
    )
    first.values = {c: v for c, v in first.values.items() if c in ("relevance", "plan")}
    first.created = min(first.created, today)
    done[0].evaluation = first
    for i, contract in enumerate(done[1:-1]):
        evaluator = others[i % len(others)].pk if others else None
        evaluation = evaluation_for(contract, rng=rng, evaluator_id=evaluator, published=True)
        evaluation.created = min(evaluation.created, today)
        evaluation.published = min(cast(dt.date, evaluation.published), today)
        contract.evaluation = evaluation


def _small_visits(
    world: DemoWorld,
    *,
    today: dt.date,
    kzo: Organisation,
    cisc: Organisation,
    by_lot: dict[int, Contract],
    past: list[Contract],
    grants: list[Contract],
) -> None:
    users: dict[str, User] = world.objects.get("users", {})
    official = users.get("state official")
    ngo_admin = users.get("NGO administrator")
    chair = _user(CHAIR_EMAIL)
    council = Council.objects.filter(name_ru=PUBLIC_RU).first()
    note, minor = FINDINGS[0], FINDINGS[2]
    planned: list[tuple[Contract, VisitPlan, list[str]]] = []  # with the photos' captions

    def on(day: int) -> dt.date:
        return today + _days(day)

    if 1 in by_lot:  # the demo NGO: one finding answered, one to answer
        planned.append((
            by_lot[1],
            VisitPlan(
                MonitorKind.STATE_BODY, kzo.pk, on(-12), on(-10),
                [
                    (*note, ANSWERS[2], on(-7), ngo_admin.pk if ngo_admin else None),
                    (*minor, "", None, None),
                ],
                inspector_id=official.pk if official else None,
            ),
            ["Занятие медиалаборатории", "Участники проекта"],
        ))  # fmt: skip
    if 3 in by_lot:  # the official's draft
        planned.append((
            by_lot[3],
            VisitPlan(
                MonitorKind.STATE_BODY, kzo.pk, on(-2), None, [(*minor, "", None, None)],
                inspector_id=official.pk if official else None,
            ),
            ["Консультация для молодой семьи"],
        ))  # fmt: skip
    if 4 in by_lot and council is not None:  # the public council's visit
        planned.append((
            by_lot[4],
            VisitPlan(
                MonitorKind.COUNCIL, None, on(-22), on(-20),
                [(*note, ANSWERS[0], on(-15), None)],
                inspector_id=chair.pk if chair else None, council_id=council.pk,
            ),
            ["Инклюзивный кружок", "Встреча с родителями"],
        ))  # fmt: skip
    if past:
        oldest = min(past, key=lambda c: (c.start_date, c.pk))
        visited = oldest.start_date + _days(60)
        planned.append((
            oldest,
            VisitPlan(
                MonitorKind.STATE_BODY, oldest.organiser_id, visited, visited + _days(3),
                [(*minor, ANSWERS[0], visited + _days(10), None)],
                inspector_id=official.pk if official and oldest.organiser_id == kzo.pk else None,
            ),
            ["Итоговое мероприятие проекта"],
        ))  # fmt: skip
    if grants:
        visited = grants[0].start_date + _days(120)
        if visited + _days(5) <= today:
            planned.append((
                grants[0],
                VisitPlan(
                    MonitorKind.OPERATOR, cisc.pk, visited, visited + _days(5),
                    [(*note, ANSWERS[1], visited + _days(12), None)],
                ),
                [],
            ))  # fmt: skip
    visits = _write_visits([(c, v) for c, v, _p in planned], BATCH)
    for visit, (contract, _v, captions) in zip(visits, planned, strict=True):
        for scene, caption in enumerate(captions):
            _photo(visit, contract=contract, caption=caption, scene=scene)


def _picture(label: str, scene: int) -> tuple[bytes, int, int] | None:
    """A placeholder photo: a coloured scene (a building, the sun, people) and a label; no
    metadata is written."""
    try:
        from PIL import Image, ImageDraw, ImageFont
    except ImportError:  # pragma: no cover - Pillow comes with WeasyPrint
        return None
    width, height = 640, 400
    palettes = (
        ((150, 200, 235), (125, 170, 95), (205, 130, 85)),
        ((245, 205, 150), (190, 165, 110), (110, 140, 180)),
        ((175, 215, 225), (100, 150, 120), (230, 225, 210)),
    )
    sky, ground, wall = palettes[scene % len(palettes)]
    image = Image.new("RGB", (width, height), sky)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 270, width, height), fill=ground)
    draw.ellipse((510, 40, 580, 110), fill=(250, 215, 90))
    draw.rectangle((90, 160, 320, 290), fill=wall)
    draw.polygon([(75, 160), (205, 95), (335, 160)], fill=(150, 60, 50))
    draw.rectangle((180, 220, 230, 290), fill=(90, 60, 40))
    for i in range(4 + scene):
        x = 370 + i * 45
        draw.ellipse((x, 215, x + 22, 237), fill=(235, 195, 160))
        draw.rectangle((x + 2, 238, x + 20, 290), fill=palettes[(scene + i) % 3][2])
    draw.rectangle((0, height - 40, width, height), fill=(35, 35, 35))
    draw.text((14, height - 30), label, fill=(255, 255, 255), font=ImageFont.load_default(16))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue(), width, height


def _photo(visit: MonitoringVisit, *, contract: Contract, caption: str, scene: int) -> None:
    """Saved in the private storage under the visit, named by its content (the same picture is
    stored once)."""
    label = f"Ortaq demo - {contract.number} - {visit.visited_on:%Y-%m-%d}"
    made = _picture(label, scene)
    if made is None:
        return
    data, width, height = made
    photo = VisitPhoto(
        visit=visit,
        original_name=f"visit-{visit.visited_on:%Y%m%d}-{scene + 1}.jpg",
        content_type="image/jpeg",
        size=len(data),
        width=width,
        height=height,
        caption=caption,
        uploaded_by_id=visit.inspector_id,
        uploaded_at=_at(visit.visited_on, 18),
    )
    name = photo.file.field.generate_filename(photo, f"{hashlib.sha256(data).hexdigest()[:24]}.jpg")
    if not private_storage.exists(name):
        name = private_storage.save(name, ContentFile(data))
    photo.file.name = name
    with _dated(VisitPhoto):
        photo.save()


# --- Entry point ------------------------------------------------------------------------------


def seed(world: DemoWorld) -> None:
    made = seed_small(world)
    if made:
        world.log.append(f"funding (projects): {len(made)} contracts of the demo")
    if world.scale == "national":
        started = time.perf_counter()
        count = seed_national_projects()
        world.log.append(
            f"funding (projects, national): {count} contracts in "
            f"{time.perf_counter() - started:.1f} s"
            if count
            else "funding (projects, national): already there"
        )
    world.log.append(summary())


def summary() -> str:
    """Counts of everything the projects hold, for the seed's log."""
    contracts = dict(
        Contract.objects.values_list("status").annotate(n=models.Count("pk")).order_by()
    )
    reports = dict(Report.objects.values_list("status").annotate(n=models.Count("pk")).order_by())
    released = Tranche.objects.filter(status=TrancheStatus.RELEASED).count()
    evaluations = dict(
        Evaluation.objects.values_list("status").annotate(n=models.Count("pk")).order_by()
    )
    return (
        f"funding (projects): {sum(contracts.values())} contracts "
        f"({', '.join(f'{n} {s}' for s, n in sorted(contracts.items()))}); "
        f"{sum(reports.values())} reports "
        f"({', '.join(f'{n} {s}' for s, n in sorted(reports.items()))}); "
        f"{released} of {Tranche.objects.count()} tranches released; "
        f"{MonitoringVisit.objects.count()} visits ({VisitPhoto.objects.count()} photos); "
        f"{sum(evaluations.values())} evaluations ({evaluations.get('published', 0)} published)"
    )
