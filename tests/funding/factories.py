"""Builders of a funding cycle around the cast: the Kyzylorda state body organises a
competition; the cast's own NGO (verified, in the NGO database) applies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from ortaq.accounts.enums import Role
from ortaq.funding.competitions import services
from ortaq.funding.enums import BudgetKind, ProgrammeKind
from ortaq.funding.models import Application, Competition, Expert, Lot, Programme
from ortaq.reference.models import ActivityArea
from ortaq.registry.enums import ReportStatus
from tests.access import Cast
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.registry.factories import AnnualReportFactory, NgoProfileFactory


def area(code: str = "youth") -> ActivityArea:
    return ActivityArea.objects.filter(is_active=True).order_by("position").first()  # type: ignore[return-value]


def ngo_in_database(organisation: Any) -> Any:
    """A verified NGO profile with its report for last year submitted."""
    ngo = NgoProfileFactory(organisation=organisation)
    AnnualReportFactory(
        ngo=ngo,
        year=timezone.localdate().year - 1,
        status=ReportStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )
    return ngo


def programme(cast: Cast, **options: Any) -> Programme:
    return services.programme_create(
        actor=cast.users["official"],
        owner=cast.objects["state_body"],
        kind=options.pop("kind", ProgrammeKind.STATE_GRANT),
        year=timezone.localdate().year,
        title_kk="Гранттар",
        title_ru="Гранты",
        title_en="Grants",
        budget=options.pop("budget", 100_000_000),
        areas=[area()],
        **options,
    )


def competition(
    cast: Cast,
    *,
    lots: int = 1,
    ceiling: int = 10_000_000,
    national: bool = False,
    **options: Any,
) -> Competition:
    prog = programme(cast, **options)
    comp = services.competition_create(
        actor=cast.users["official"],
        programme=prog,
        title_kk="Байқау",
        title_ru="Конкурс",
        title_en="Competition",
        description_ru="Описание",
    )
    for i in range(lots):
        services.lot_add(
            actor=cast.users["official"],
            competition=comp,
            title_kk=f"Лот {i + 1}",
            title_ru=f"Лот {i + 1}",
            title_en=f"Lot {i + 1}",
            region=None if national else cast.objects["state_body"].region,
            area=area(),
            budget_ceiling=ceiling,
        )
    return comp


def announced(cast: Cast, **kwargs: Any) -> Competition:
    comp = competition(cast, **kwargs)
    return services.competition_announce(actor=cast.users["official"], competition=comp)


def first_lot(comp: Competition) -> Lot:
    return comp.lots.order_by("number").first()  # type: ignore[return-value]


def ngo_with_admin(cast: Cast, name: str) -> tuple[Any, Any]:
    org = OrganisationFactory(name_en=name)
    admin = MembershipFactory(organisation=org, role=Role.ADMIN, user=UserFactory()).user
    return ngo_in_database(org), admin


def draft(
    cast: Cast,
    comp: Competition,
    *,
    ngo: Any = None,
    admin: Any = None,
    amount: int = 5_000_000,
    institutional: int = 0,
) -> Application:
    ngo = ngo or cast.objects.get("own_ngo_profile") or ngo_in_database(cast.objects["own_ngo"])
    cast.objects["own_ngo_profile"] = cast.objects.get("own_ngo_profile") or ngo
    admin = admin or cast.users["ngo_admin"]
    application = services.application_create(
        actor=admin,
        lot=first_lot(comp),
        ngo=ngo,
        title="Жастар орталығы",
        description="Проект для молодёжи",
        target_group="Молодёжь",
        reach=300,
    )
    lines = [services.BudgetItem("Тренинги", BudgetKind.PROJECT, amount - institutional)]
    if institutional:
        lines.append(services.BudgetItem("Аренда", BudgetKind.INSTITUTIONAL, institutional))
    services.application_set_budget(actor=admin, application=application, lines=lines)
    services.application_set_indicators(
        actor=admin,
        application=application,
        items=[services.IndicatorItem("Участники", "чел.", Decimal(0), Decimal(300))],
    )
    application.refresh_from_db()
    return application


def submitted(cast: Cast, comp: Competition, **kwargs: Any) -> Application:
    application = draft(cast, comp, **kwargs)
    admin = kwargs.get("admin") or cast.users["ngo_admin"]
    return services.application_submit(actor=admin, application=application)


def pass_deadline(comp: Competition) -> Competition:
    """Time passes: the deadline is now behind us."""
    Competition.objects.filter(pk=comp.pk).update(
        application_deadline=timezone.now() - dt.timedelta(minutes=1)
    )
    comp.refresh_from_db()
    return comp


def experts(n: int = 6) -> list[Expert]:
    result = []
    for _ in range(n):
        expert = Expert.objects.create(user=UserFactory())
        expert.areas.set([area()])
        result.append(expert)
    return result


def register_cast_expert(cast: Cast) -> Expert:
    expert, _created = Expert.objects.get_or_create(user=cast.users["expert"])
    expert.areas.set([area()])
    return expert


def published(cast: Cast) -> tuple[Competition, Application]:
    """A whole cycle through the services: the cast's NGO is funded for 5,000,000 ₸."""
    from ortaq.funding.enums import AssignmentStatus
    from ortaq.funding.models import Criterion

    comp = announced(cast)
    application = submitted(cast, comp)
    pass_deadline(comp)
    official = cast.users["official"]
    services.competition_close(actor=official, competition=comp)
    services.compliance_record(actor=official, application=application, failures=[])
    experts(5)
    register_cast_expert(cast)
    services.evaluation_start(actor=official, competition=comp)
    criteria = list(Criterion.objects.filter(programme=comp.programme))
    for a in application.assignments.exclude(status=AssignmentStatus.RECUSED):
        services.assignment_declare(actor=a.expert.user, assignment=a, no_conflict=True)
        services.scores_submit(
            actor=a.expert.user, assignment=a, values={c.pk: 4 for c in criteria}
        )
    decision = services.decision_compute(actor=official, competition=comp)
    services.decision_confirm(actor=official, decision=decision)
    services.decision_publish(actor=official, decision=decision)
    comp.refresh_from_db()
    return comp, Application.objects.get(pk=application.pk)


def contract(
    cast: Cast,
    *,
    application: Application | None = None,
    status: str | None = None,
    start: dt.date | None = None,
    months: int = 6,
) -> Any:
    """A contract made straight in the database (not through the contract services) from a
    funded application: its targets, a progress and a final report, and three tranches — an
    advance (30%), one after the progress report (40%) and one after the final report (30%)."""
    from ortaq.funding.enums import ContractStatus, ReportKind
    from ortaq.funding.models import Contract, ContractIndicator, Report, Tranche

    if application is None:
        _comp, application = published(cast)
    status = status or ContractStatus.ACTIVE
    start = start or timezone.localdate()
    end = start + dt.timedelta(days=30 * months)
    middle = start + (end - start) / 2
    amount = application.requested_amount
    made = Contract.objects.create(
        application=application,
        number=f"C-{application.pk}",
        organiser_id=application.lot.competition.organiser_id,
        ngo=application.ngo,
        region=application.region,
        title=application.title,
        amount=amount,
        start_date=start,
        end_date=end,
        signed_on=None if status == ContractStatus.DRAFT else start,
        status=status,
    )
    for position, indicator in enumerate(application.indicators.all()):
        ContractIndicator.objects.create(
            contract=made,
            source=indicator,
            position=position,
            name=indicator.name,
            unit=indicator.unit,
            baseline=indicator.baseline,
            target=indicator.target,
        )
    progress = Report.objects.create(
        contract=made,
        number=1,
        kind=ReportKind.PROGRESS,
        period_start=start,
        period_end=middle,
        due_date=middle + dt.timedelta(days=10),
    )
    final = Report.objects.create(
        contract=made,
        number=2,
        kind=ReportKind.FINAL,
        period_start=start,
        period_end=end,
        due_date=end + dt.timedelta(days=10),
    )
    advance = amount * 30 // 100
    second = amount * 40 // 100
    for number, (part, due, report) in enumerate(
        [
            (advance, start, None),
            (second, middle + dt.timedelta(days=20), progress),
            (amount - advance - second, end + dt.timedelta(days=20), final),
        ],
        start=1,
    ):
        Tranche.objects.create(
            contract=made, number=number, amount=part, due_date=due, report=report
        )
    return made


def read_json(response: Any) -> Any:
    """The JSON of a response, streamed (the full open-data packages) or not."""
    import json

    assert response.status_code == 200, response.status_code
    if getattr(response, "streaming", False):
        return json.loads(b"".join(response.streaming_content))
    return response.json()
