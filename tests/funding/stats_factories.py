"""A small funded world for the funding statistics, made with plain ORM (the statistics read
published decisions, contracts, reports and evaluations; how those came to be is tested
elsewhere).

Two regions (Kyzylorda 43, Aktobe 15), two years, two bodies (the Kyzylorda department's
social order, the national grant operator's grants on national lots), two areas:

| project | year | region | lot      | area  | body     | NGO | amount    | score |
|---------|------|--------|----------|-------|----------|-----|-----------|-------|
| P1      | 2023 | 43     | 43       | first | state    | K1  | 4,000,000 | 20.50 |
| P2      | 2023 | 15     | national | second| operator | A1  | 6,000,000 | 18.00 |
| P3      | 2024 | 43     | 43       | first | state    | K1  | 3,000,000 | 22.00 |
| P4      | 2024 | 43     | national | second| operator | K2  | 5,000,000 | none  |

Not counted: a not-funded application of a published competition, and a funded one whose
decision is only confirmed. Active NGOs registered: K1, K2, K3 in Kyzylorda (K4 is inactive),
A1 in Aktobe.

Contracts: P1 (progress report approved at 50% and 50%, final approved at 80% and 150% →
90.0), P2 (progress approved at 50%, final only submitted → 50.0), P3 (nothing approved).
Evaluations: P1 published 20/25, P2 published 15/25, P3 a draft (not counted).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from ortaq.funding.enums import (
    ApplicationStatus,
    CompetitionStatus,
    DecisionStatus,
    EvaluationCriterion,
    EvaluationStatus,
    ProgrammeKind,
    ProjectReportStatus,
    SkipReason,
)
from ortaq.funding.models import (
    Application,
    Competition,
    Decision,
    DecisionLine,
    Evaluation,
    EvaluationScore,
    Indicator,
    Lot,
    Programme,
    ReportIndicatorValue,
)
from ortaq.reference.models import ActivityArea, Region
from tests.access import Cast
from tests.factories import OrganisationFactory, StateBodyFactory, region
from tests.registry.factories import NgoProfileFactory

from . import factories as f

D = Decimal


def areas() -> tuple[ActivityArea, ActivityArea]:
    first, second = ActivityArea.objects.filter(is_active=True).order_by("position", "code")[:2]
    return first, second


def active_ngo(region_code: str, **values: Any) -> Any:
    return NgoProfileFactory(organisation=OrganisationFactory(region=region(region_code)), **values)


def funded(
    *,
    year: int,
    region: Region,
    area: ActivityArea,
    body: Any,
    ngo: Any,
    amount: int,
    score: Decimal | None,
    national_lot: bool = False,
    kind: str = ProgrammeKind.SOCIAL_ORDER,
    status: str = ApplicationStatus.FUNDED,
    decision_status: str = DecisionStatus.PUBLISHED,
    indicators: tuple[tuple[int, int], ...] = ((0, 100),),
) -> Application:
    """One competition with one lot and one application, its decision line and targets."""
    now = timezone.now()
    programme = Programme.objects.create(
        kind=kind,
        owner=body,
        year=year,
        budget=100_000_000,
        title_kk="Бағдарлама",
        title_ru="Программа",
        title_en="Programme",
    )
    competition = Competition.objects.create(
        programme=programme,
        organiser=body,
        status=CompetitionStatus.PUBLISHED,
        application_deadline=now,
        published_at=now,
        title_kk="Байқау",
        title_ru="Конкурс",
        title_en="Competition",
    )
    lot = Lot.objects.create(
        competition=competition,
        number=1,
        region=None if national_lot else region,
        area=area,
        budget_ceiling=10_000_000,
        title_kk="Лот",
        title_ru="Лот",
        title_en="Lot",
    )
    application = Application.objects.create(
        lot=lot,
        ngo=ngo,
        status=status,
        title="Жоба",
        region=region,
        requested_amount=amount,
        submitted_at=now,
    )
    for number, (baseline, target) in enumerate(indicators, start=1):
        Indicator.objects.create(
            application=application,
            name=f"Показатель {number}",
            unit="чел.",
            baseline=baseline,
            target=target,
        )
    decision = Decision.objects.create(
        competition=competition, status=decision_status, computed_at=now
    )
    is_funded = status == ApplicationStatus.FUNDED
    DecisionLine.objects.create(
        decision=decision,
        application=application,
        rank=1,
        total_score=score,
        funded=is_funded,
        amount=amount if is_funded else 0,
        skip_reason=SkipReason.FUNDED if is_funded else SkipReason.BELOW_THRESHOLD,
    )
    return application


def report_values(contract: Any, number: int, status: str, actuals: list[int]) -> None:
    """Values of report `number` for the contract's targets, and its status."""
    report = contract.reports.get(number=number)
    now = timezone.now()
    report.status = status
    report.submitted_at = now
    report.reviewed_at = now if status == ProjectReportStatus.APPROVED else None
    report.save()
    targets = list(contract.indicators.order_by("position"))
    for target, actual in zip(targets, actuals, strict=True):
        ReportIndicatorValue.objects.create(report=report, indicator=target, actual=D(actual))


def evaluate(contract: Any, values: list[int], status: str = EvaluationStatus.PUBLISHED) -> None:
    evaluation = Evaluation.objects.create(
        contract=contract,
        status=status,
        published_at=timezone.now() if status == EvaluationStatus.PUBLISHED else None,
    )
    for criterion, value in zip(EvaluationCriterion.values, values, strict=True):
        EvaluationScore.objects.create(evaluation=evaluation, criterion=criterion, value=value)


@dataclass
class World:
    kyzylorda: Region
    aktobe: Region
    first_area: ActivityArea
    second_area: ActivityArea
    state_body: Any
    operator: Any
    projects: dict[str, Application] = field(default_factory=dict)
    ngos: dict[str, Any] = field(default_factory=dict)


def world(cast: Cast) -> World:
    first, second = areas()
    w = World(
        kyzylorda=region("43"),
        aktobe=region("15"),
        first_area=first,
        second_area=second,
        state_body=cast.objects["state_body"],
        operator=cast.objects["fund"],
    )
    w.ngos = {
        "K1": active_ngo("43"),
        "K2": active_ngo("43"),
        "K3": active_ngo("43"),
        "K4": active_ngo("43", status="inactive"),
        "A1": active_ngo("15"),
    }
    social = {"body": w.state_body, "area": first, "kind": ProgrammeKind.SOCIAL_ORDER}
    grants = {
        "body": w.operator,
        "area": second,
        "kind": ProgrammeKind.STATE_GRANT,
        "national_lot": True,
    }
    n = w.ngos
    w.projects = {
        "P1": funded(
            year=2023,
            region=w.kyzylorda,
            ngo=n["K1"],
            amount=4_000_000,
            score=D("20.50"),
            indicators=((0, 100), (10, 20)),
            **social,
        ),
        "P2": funded(
            year=2023,
            region=w.aktobe,
            ngo=n["A1"],
            amount=6_000_000,
            score=D("18.00"),
            indicators=((0, 300),),
            **grants,
        ),
        "P3": funded(
            year=2024, region=w.kyzylorda, ngo=n["K1"], amount=3_000_000, score=D(22), **social
        ),
        "P4": funded(
            year=2024, region=w.kyzylorda, ngo=n["K2"], amount=5_000_000, score=None, **grants
        ),
        # Not counted: not funded; funded but the decision is not yet published.
        "N1": funded(
            year=2024,
            region=w.kyzylorda,
            ngo=n["K3"],
            amount=9_000_000,
            score=D(10),
            status=ApplicationStatus.NOT_FUNDED,
            **social,
        ),
        "N2": funded(
            year=2024,
            region=w.aktobe,
            ngo=n["A1"],
            amount=9_000_000,
            score=D(25),
            decision_status=DecisionStatus.CONFIRMED,
            **social,
        ),
    }
    start = dt.date(2023, 3, 1)
    p1 = f.contract(cast, application=w.projects["P1"], start=start)
    report_values(p1, 1, ProjectReportStatus.APPROVED, [50, 15])
    report_values(p1, 2, ProjectReportStatus.APPROVED, [80, 25])
    evaluate(p1, [5, 4, 4, 3, 4])
    p2 = f.contract(cast, application=w.projects["P2"], start=start)
    report_values(p2, 1, ProjectReportStatus.APPROVED, [150])
    report_values(p2, 2, ProjectReportStatus.SUBMITTED, [300])
    evaluate(p2, [3, 3, 3, 3, 3])
    p3 = f.contract(cast, application=w.projects["P3"], start=dt.date(2024, 3, 1))
    report_values(p3, 1, ProjectReportStatus.SUBMITTED, [100])
    evaluate(p3, [5, 5, 5, 5, 5], status=EvaluationStatus.DRAFT)
    return w


def more_regions(cast: Cast, w: World, codes: list[str]) -> None:
    """Projects with contracts, approved reports and evaluations in more regions (for query
    counts that must not grow)."""
    for number, code in enumerate(codes):
        ngo = active_ngo(code)
        application = funded(
            year=2024,
            region=region(code),
            area=w.second_area,
            body=StateBodyFactory(region=region(code)),
            ngo=ngo,
            amount=1_000_000 + number,
            score=D(15),
        )
        made = f.contract(cast, application=application, start=dt.date(2024, 3, 1))
        report_values(made, 1, ProjectReportStatus.APPROVED, [60])
        evaluate(made, [4, 4, 4, 4, 4])
