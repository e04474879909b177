"""National-scale funding for load tests (`seed_demo --scale national`): seven years
(2019–2025) of published competitions of every kind, with applications from the national
registry's NGOs, compliance checks, expert draws, scores and published decisions.

- State social order: every region's department of internal policy (created when the region
  has none) runs one competition a year with one lot per project. Kyzylorda's figures are the
  seeds' (docs/domain.md §5): 165 projects for 1,223,000,000 ₸ in 2019 and 154 projects in 2020;
  the other regions fund 35–110 projects a year.
- State grants of the Civil Initiatives Support Centre (47–104 a year over the regions),
  non-state grants of a fund (15–30) and the ministry's award (15 nominations).

Each lot funds exactly one project: its winner scores best (every criterion 4–5; the others
1–3) and the others ask more than what the winner leaves of the ceiling, so the allocation —
computed by `allocation.allocate` on aggregates from `scoring.aggregate`, as the services do —
skips them as over budget. Draws are made by `draw.py` from a recorded seed (verifiable). The
national experts are people of no organisation, so no conflict of interest arises.

Why not the services: hundreds of thousands of scores and assignments one by one, each with
its audit entry, would take hours; the decisions are computed by the same pure modules the
services use (above), and `tests/funding/test_national.py` checks what they keep.

Deterministic (random.Random), written with bulk_create in batches, idempotent: a competition
that exists (programme and Russian title) is left as it is. `seed_national(total_competitions=5)`
builds a small copy for tests: Kyzylorda 2019 and 2020 and one competition of each other kind.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, QuerySet

from ortaq.accounts.enums import Level, OrganisationKind
from ortaq.accounts.models import Organisation, User
from ortaq.demo.world import DemoWorld
from ortaq.funding import allocation, draw, scoring
from ortaq.funding.competitions.services import DEFAULT_CRITERIA, deadline_after
from ortaq.funding.enums import (
    ApplicationStatus,
    AssignmentRole,
    AssignmentStatus,
    BudgetKind,
    CompetitionStatus,
    ComplianceReason,
    DecisionStatus,
    ProgrammeKind,
)
from ortaq.funding.models import (
    Application,
    ApplicationStatusChange,
    Assignment,
    BudgetLine,
    Competition,
    CompetitionStatusChange,
    ComplianceFailure,
    Criterion,
    Decision,
    DecisionLine,
    Expert,
    ExpertDraw,
    Indicator,
    Lot,
    Programme,
    Score,
)
from ortaq.lib.identifiers import make_bin
from ortaq.lib.workdays import add_working_days
from ortaq.reference.models import ActivityArea, Region
from ortaq.registry.enums import NgoStatus
from ortaq.registry.models import NgoProfile

YEARS = tuple(range(2019, 2026))
KYZYLORDA = "43"
# (projects, total ₸ or None): the seeds' figures.
KYZYLORDA_FIXED = {2019: (165, 1_223_000_000), 2020: (154, None)}
NATIONAL_EXPERTS = 240
BATCH = 2_000
TIME_ZONE = "Asia/Almaty"
STAGES = (
    CompetitionStatus.DRAFT,
    CompetitionStatus.ANNOUNCED,
    CompetitionStatus.COMPLIANCE,
    CompetitionStatus.EVALUATION,
    CompetitionStatus.DECISION,
    CompetitionStatus.PUBLISHED,
)
KIND_TITLES: dict[str, tuple[str, str, str]] = {
    ProgrammeKind.SOCIAL_ORDER: (
        "Мемлекеттік әлеуметтік тапсырыс",
        "Государственный социальный заказ",
        "State social order",
    ),
    ProgrammeKind.STATE_GRANT: ("Мемлекеттік гранттар", "Государственные гранты", "State grants"),
    ProgrammeKind.NON_STATE_GRANT: (
        "Мемлекеттік емес гранттар",
        "Негосударственные гранты",
        "Non-state grants",
    ),
    ProgrammeKind.AWARD: ("ҮЕҰ сыйлығы", "Премия для НПО", "NGO award"),
}
LOT_WORDS = (
    ("Жастар бастамалары", "Молодёжные инициативы", "Youth initiatives"),
    ("Отбасын қолдау", "Поддержка семьи", "Family support"),
    ("Әлеуметтік осал топтар", "Социально уязвимые группы", "Vulnerable groups"),
    ("Экологиялық ағарту", "Экологическое просвещение", "Environmental education"),
    ("Азаматтық белсенділік", "Гражданская активность", "Civic engagement"),
    ("Мәдени мұра", "Культурное наследие", "Cultural heritage"),
    ("Салауатты өмір салты", "Здоровый образ жизни", "Healthy lifestyle"),
    ("Еріктілік", "Волонтёрство", "Volunteering"),
)


@dataclass(frozen=True)
class Plan:
    """One competition to build: its programme's owner and kind, year, lots and money."""

    owner: Organisation
    kind: str
    year: int
    projects: int
    total: int  # ₸ funded in all, a multiple of 1,000
    region: Region | None  # None: the lots are spread over the regions


def seed(world: DemoWorld) -> None:
    if world.scale != "national":
        return
    created = seed_national()
    world.log.append(
        f"funding (national): {created} competitions created"
        if created
        else "funding (national): already there"
    )


def seed_national(
    *, total_competitions: int | None = None, seed: int = 2019, batch_size: int = BATCH
) -> int:
    """Build the national funding history (the first `total_competitions` of the plan);
    returns how many competitions were created."""
    rng = random.Random(seed)
    regions = list(Region.objects.filter(is_active=True).order_by("code"))
    areas = list(ActivityArea.objects.filter(is_active=True).order_by("code"))
    if not regions or not areas:
        return 0
    plans = _plans(rng, regions)
    if total_competitions is not None:
        plans = plans[:total_competitions]
    ngos = _ngo_pools()
    if not ngos:
        return 0
    experts = _experts(areas)
    existing = set(Competition.objects.values_list("programme_id", "title_ru"))
    created = 0
    for plan in plans:
        # Each plan draws from its own generator, so skipping built ones changes nothing else.
        plan_rng = random.Random(f"{seed}:{plan.owner.bin}:{plan.kind}:{plan.year}")
        programme = _programme(plan, areas)
        titles = _competition_titles(plan)
        if (programme.pk, titles[1]) in existing:
            continue
        with transaction.atomic():
            _build(plan, programme, titles, plan_rng, regions, areas, ngos, experts, batch_size)
        created += 1
    return created


# --- Who runs what ----------------------------------------------------------------------------


def _organisation(
    *, kind: str, level: str, region: Region | None, names: tuple[str, str, str], serial: int
) -> Organisation:
    found = Organisation.objects.filter(kind=kind, name_ru=names[1]).order_by("pk").first()
    if found:
        return found
    bin_ = make_bin(2005, 3, serial)
    while Organisation.objects.filter(bin=bin_).exists():
        serial += 1
        bin_ = make_bin(2005, 3, serial)
    return Organisation.objects.create(
        kind=kind,
        level=level,
        region=region,
        bin=bin_,
        name_kk=names[0],
        name_ru=names[1],
        name_en=names[2],
    )


def _regional_body(region: Region, index: int) -> Organisation:
    """The region's department of internal policy: the demo's or the councils' one when there
    is one (the oldest), else a new one."""
    found = (
        Organisation.objects.filter(
            kind=OrganisationKind.STATE_BODY,
            region=region,
            name_ru__icontains="внутренней политики",
        )
        .order_by("pk")
        .first()
    )
    if found:
        return found
    return _organisation(
        kind=OrganisationKind.STATE_BODY,
        level=Level.REGION,
        region=region,
        names=(
            f"{region.name_kk} ішкі саясат басқармасы",
            f"Управление внутренней политики {region.name_ru}",
            f"Department of Internal Policy of {region.name_en}",
        ),
        serial=98_000 + index * 3,
    )


def _plans(rng: random.Random, regions: list[Region]) -> list[Plan]:
    cisc = _organisation(
        kind=OrganisationKind.GRANT_OPERATOR,
        level=Level.NATIONAL,
        region=None,
        names=(
            "Азаматтық бастамаларды қолдау орталығы",
            "Центр поддержки гражданских инициатив",
            "Civil Initiatives Support Centre",
        ),
        serial=98_100,
    )
    fund = _organisation(
        kind=OrganisationKind.GRANT_OPERATOR,
        level=Level.NATIONAL,
        region=None,
        names=(
            "«Қазақстан халқына» қоғамдық қоры",
            "Общественный фонд «Қазақстан халқына»",
            "Qazaqstan Halqyna public fund",
        ),
        serial=98_110,
    )
    ministry = _organisation(
        kind=OrganisationKind.STATE_BODY,
        level=Level.NATIONAL,
        region=None,
        names=(
            "Қазақстан Республикасы Мәдениет және ақпарат министрлігі",
            "Министерство культуры и информации Республики Казахстан",
            "Ministry of Culture and Information of the Republic of Kazakhstan",
        ),
        serial=98_120,
    )
    bodies = {r.code: _regional_body(r, i) for i, r in enumerate(regions)}

    def money(projects: int, low: int, high: int) -> int:
        return sum(rng.randrange(low, high, 1_000) for _ in range(projects))

    first: list[Plan] = []
    rest: list[Plan] = []
    kyzylorda = next((r for r in regions if r.code == KYZYLORDA), None)
    for year in YEARS:
        for region in regions:
            fixed = KYZYLORDA_FIXED.get(year) if region is kyzylorda else None
            projects = fixed[0] if fixed else rng.randint(35, 110)
            total = (fixed[1] if fixed else None) or money(projects, 4_000_000, 11_000_000)
            plan = Plan(
                bodies[region.code], ProgrammeKind.SOCIAL_ORDER, year, projects, total, region
            )
            (first if fixed else rest).append(plan)
        national = [
            Plan(cisc, ProgrammeKind.STATE_GRANT, year, rng.randint(47, 104), 0, None),
            Plan(fund, ProgrammeKind.NON_STATE_GRANT, year, rng.randint(15, 30), 0, None),
            Plan(ministry, ProgrammeKind.AWARD, year, 15, 0, None),
        ]
        for plan in national:
            low, high = (
                (8_650_000, 8_650_001)
                if plan.kind == ProgrammeKind.AWARD
                else (2_000_000, 9_000_000)
            )
            filled = Plan(
                plan.owner, plan.kind, year, plan.projects, money(plan.projects, low, high), None
            )
            (first if year == YEARS[0] else rest).append(filled)
    return first + rest


def _programme(plan: Plan, areas: list[ActivityArea]) -> Programme:
    kk, ru, en = KIND_TITLES[plan.kind]
    where = plan.region
    titles = (
        f"{kk} {where.name_kk} {plan.year}" if where else f"{kk} {plan.year} (ұлттық)",
        f"{ru} {where.name_ru} {plan.year}" if where else f"{ru} {plan.year} (национальные)",
        f"{en} {where.name_en} {plan.year}" if where else f"{en} {plan.year} (national)",
    )
    found = Programme.objects.filter(
        owner=plan.owner, kind=plan.kind, year=plan.year, title_ru=titles[1]
    ).first()
    if found:
        return found
    programme = Programme.objects.create(
        owner=plan.owner,
        kind=plan.kind,
        year=plan.year,
        title_kk=titles[0],
        title_ru=titles[1],
        title_en=titles[2],
        budget=plan.total * 5 // 4 // 1_000 * 1_000,
        institutional_cap_percent=10 if plan.kind == ProgrammeKind.STATE_GRANT else None,
        aggregation="median" if plan.kind == ProgrammeKind.NON_STATE_GRANT else "mean",
    )
    programme.activity_areas.set(areas)
    Criterion.objects.bulk_create(
        Criterion(programme=programme, code=code, name_kk=k, name_ru=r, name_en=e, position=i)
        for i, (code, k, r, e) in enumerate(DEFAULT_CRITERIA)
    )
    return programme


def _competition_titles(plan: Plan) -> tuple[str, str, str]:
    kk, ru, en = KIND_TITLES[plan.kind]
    where = plan.region
    return (
        f"{kk}: конкурс {plan.year}" + (f", {where.name_kk}" if where else ""),
        f"{ru}: конкурс {plan.year}" + (f", {where.name_ru}" if where else ""),
        f"{en}: competition {plan.year}" + (f", {where.name_en}" if where else ""),
    )


# --- People -----------------------------------------------------------------------------------


def _ngo_pools() -> dict[int | None, list[tuple[int, int, str]]]:
    """Active NGOs by region id (None: all): (profile id, organisation id, Russian name)."""
    pools: dict[int | None, list[tuple[int, int, str]]] = {}
    rows = (
        NgoProfile.objects.filter(status=NgoStatus.ACTIVE)
        .order_by("pk")
        .values_list("pk", "organisation_id", "organisation__region_id", "organisation__name_ru")
    )
    for pk, org_id, region_id, name in rows:
        pools.setdefault(region_id, []).append((pk, org_id, name))
        pools.setdefault(None, []).append((pk, org_id, name))
    return pools


def _experts(areas: list[ActivityArea]) -> dict[int, list[int]]:
    """The national expert register (people of no organisation), by area: expert ids."""
    emails = [f"expert.national.{i:03}@ortaq.kz" for i in range(1, NATIONAL_EXPERTS + 1)]
    have = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    rng = random.Random(NATIONAL_EXPERTS)
    first = ["Айжан", "Марат", "Гульмира", "Арман", "Асель", "Даурен", "Мадина", "Ерлан"]
    last = ["Ахметов", "Бекова", "Исаева", "Кенжебаев", "Нурланов", "Оспанова", "Сейтов"]
    users = []
    for email in emails:
        name = f"{rng.choice(first)} {rng.choice(last)}"
        if email not in have:
            user = User(email=email, full_name=name, preferred_language="ru")
            user.set_unusable_password()
            users.append(user)
    User.objects.bulk_create(users, batch_size=BATCH)
    by_email = dict(User.objects.filter(email__in=emails).values_list("email", "pk"))
    known = set(
        Expert.objects.filter(user_id__in=by_email.values()).values_list("user_id", flat=True)
    )
    Expert.objects.bulk_create(
        [Expert(user_id=by_email[e]) for e in emails if by_email[e] not in known], batch_size=BATCH
    )
    experts = dict(
        Expert.objects.filter(user_id__in=by_email.values()).values_list("user_id", "pk")
    )
    through = Expert.areas.through
    linked = set(
        through.objects.filter(expert_id__in=experts.values()).values_list("expert_id", flat=True)
    )
    links = []
    by_area: dict[int, list[int]] = {a.pk: [] for a in areas}
    for i, email in enumerate(emails):
        expert_id = experts[by_email[email]]
        for k in range(3):  # three areas each, round the list: every area gets its share
            area = areas[(3 * i + k) % len(areas)]
            by_area[area.pk].append(expert_id)
            if expert_id not in linked:
                links.append(through(expert_id=expert_id, activityarea_id=area.pk))
    through.objects.bulk_create(links, batch_size=BATCH, ignore_conflicts=True)
    return by_area


# --- One competition --------------------------------------------------------------------------


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """`total` (a multiple of 1,000) in `parts` random multiples of 1,000, summing exactly."""
    weights = [rng.uniform(0.6, 1.4) for _ in range(parts)]
    scale = total / sum(weights)
    amounts = [int(w * scale) // 1_000 * 1_000 for w in weights[:-1]]
    amounts.append(total - sum(amounts))
    return amounts


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zoneinfo.ZoneInfo(TIME_ZONE))


def _build(
    plan: Plan,
    programme: Programme,
    titles: tuple[str, str, str],
    rng: random.Random,
    regions: list[Region],
    areas: list[ActivityArea],
    ngos: dict[int | None, list[tuple[int, int, str]]],
    experts: dict[int, list[int]],
    batch_size: int,
) -> None:
    announced = _at(dt.date(plan.year, 3, 2) + dt.timedelta(days=rng.randrange(60)), 10)
    deadline = deadline_after(
        announced, working_days=programme.application_days, time_zone=TIME_ZONE
    )
    compliance_due = add_working_days(deadline.date(), programme.compliance_days)
    evaluation_due = add_working_days(compliance_due, programme.evaluation_days)
    published = _at(add_working_days(evaluation_due, 3), 11)
    competition = Competition.objects.create(
        programme=programme,
        organiser=plan.owner,
        title_kk=titles[0],
        title_ru=titles[1],
        title_en=titles[2],
        description_ru="Условия конкурса — в описании лотов. Заявки на казахском или русском.",
        status=CompetitionStatus.PUBLISHED,
        time_zone=TIME_ZONE,
        announced_at=announced,
        application_deadline=deadline,
        compliance_due=compliance_due,
        evaluation_due=evaluation_due,
        published_at=published,
    )
    CompetitionStatusChange.objects.bulk_create(
        CompetitionStatusChange(
            competition=competition, from_status=STAGES[i], to_status=STAGES[i + 1]
        )
        for i in range(len(STAGES) - 1)
    )

    # Lots: the winner's amount first, then a ceiling it fills to 82–100%.
    winners_amounts = _split(rng, plan.total, plan.projects)
    lots = []
    for number, amount in enumerate(winners_amounts, start=1):
        region = plan.region or regions[rng.randrange(len(regions))]
        area = areas[rng.randrange(len(areas))]
        words = LOT_WORDS[rng.randrange(len(LOT_WORDS))]
        ceiling = -(-int(amount / rng.uniform(0.82, 1.0)) // 1_000) * 1_000
        lots.append(
            Lot(
                competition=competition,
                number=number,
                title_kk=f"{words[0]} — {number}",
                title_ru=f"{words[1]} — {number}",
                title_en=f"{words[2]} — {number}",
                region=region,
                area=area,
                budget_ceiling=max(ceiling, amount),
            )
        )
    lots = Lot.objects.bulk_create(lots, batch_size=batch_size)

    # Applications: per lot one winner (always compliant) and up to three others.
    cap = programme.institutional_cap_percent
    applications: list[Application] = []
    winners: set[int] = set()  # index in `applications`
    for lot, amount in zip(lots, winners_amounts, strict=True):
        assert lot.region_id is not None  # the generator's lots are regional
        pool = ngos.get(lot.region_id) or ngos[None]
        count = min(rng.choice((1, 2, 2, 3, 3, 4)), len(pool))
        chosen = rng.sample(pool, count)
        winner_at = rng.randrange(count)
        for i, (ngo_id, _org_id, name) in enumerate(chosen):
            is_winner = i == winner_at
            if is_winner:
                requested = amount
                status = ApplicationStatus.FUNDED
            else:
                # More than the winner leaves of the ceiling (at most 18% of it).
                low = lot.budget_ceiling * 55 // 100 // 1_000
                requested = rng.randint(low, lot.budget_ceiling // 1_000) * 1_000
                status = (
                    ApplicationStatus.NON_COMPLIANT
                    if rng.random() < 0.2
                    else ApplicationStatus.NOT_FUNDED
                )
            if is_winner:
                winners.add(len(applications))
            institutional = requested * 8 // 100 // 1_000 * 1_000 if cap else 0
            applications.append(
                Application(
                    lot=lot,
                    ngo_id=ngo_id,
                    status=status,
                    title=f"{lot.title_ru}: проект «{name[:80]}»",
                    description=f"{lot.title_ru}. Занятия, наставничество и итоговый форум.",
                    target_group="Жители области",
                    reach=rng.randrange(100, 3000, 50),
                    region_id=lot.region_id,
                    team="Руководитель проекта\nКоординатор\nБухгалтер",
                    requested_amount=requested,
                    institutional_amount=institutional,
                    submitted_at=deadline - dt.timedelta(days=rng.randint(1, 15), hours=i),
                )
            )
    applications = Application.objects.bulk_create(applications, batch_size=batch_size)
    _details(applications, batch_size)
    _history(applications, batch_size)

    # Draws per area, the main three of each draw on every compliant application of the area.
    criteria = list(programme.criteria.order_by("position"))
    specs = [
        scoring.CriterionSpec(id=c.pk, weight=c.weight, scale_max=c.scale_max) for c in criteria
    ]
    compliant = [a for a in applications if a.status != ApplicationStatus.NON_COMPLIANT]
    lot_area = {lot.pk: lot.area_id for lot in lots}
    area_ids = sorted({lot_area[a.lot_id] for a in compliant})
    draws = []
    for area_id in area_ids:
        result = draw.draw_experts(
            experts.get(area_id, []),
            seed=f"n{competition.pk}-{area_id}-{rng.getrandbits(64):016x}",
            main=programme.experts_per_area,
            reserves=programme.reserves_per_area,
        )
        draws.append(
            ExpertDraw(
                competition=competition,
                area_id=area_id,
                seed=result.seed,
                pool=list(result.pool),
                main=list(result.main),
                reserves=list(result.reserves),
                algorithm=result.algorithm,
            )
        )
    draws = ExpertDraw.objects.bulk_create(draws)
    draw_of = {d.area_id: d for d in draws}
    assignments = []
    values: list[dict[int, int | None]] = []
    winner_ids = {applications[i].pk for i in winners}
    for application in compliant:
        record = draw_of[lot_area[application.lot_id]]
        for expert_id in record.main:
            low, high = (4, 5) if application.pk in winner_ids else (1, 3)
            values.append({c.pk: rng.randint(low, high) for c in criteria})
            assignments.append(
                Assignment(
                    application=application,
                    expert_id=expert_id,
                    draw=record,
                    role=AssignmentRole.MAIN,
                    status=AssignmentStatus.SUBMITTED,
                    declared_at=published - dt.timedelta(days=10),
                    submitted_at=published - dt.timedelta(days=5),
                )
            )
    assignments = Assignment.objects.bulk_create(assignments, batch_size=batch_size)
    by_app: dict[int, list[dict[int, int | None]]] = {}
    scores = []
    for assignment, given in zip(assignments, values, strict=True):
        by_app.setdefault(assignment.application_id, []).append(given)
        scores += [
            Score(assignment=assignment, criterion_id=cid, value=v) for cid, v in given.items()
        ]
    Score.objects.bulk_create(scores, batch_size=batch_size)

    # The decision, as services.decision_compute and decision_publish make it.
    aggregates = {
        app_id: scoring.aggregate(
            specs, given, method=programme.aggregation, margin=programme.divergence_margin
        )
        for app_id, given in by_app.items()
    }
    lines = allocation.allocate(
        [
            allocation.Candidate(
                id=a.pk,
                lot_id=a.lot_id,
                score=aggregates[a.pk].total if a.pk in aggregates else None,
                amount=a.requested_amount,
                submitted_at=a.submitted_at or published,
            )
            for a in compliant
        ],
        {lot.pk: lot.budget_ceiling for lot in lots},
        pass_score=programme.pass_score,
    )
    funded = {line.candidate.id for line in lines if line.funded}
    if funded != winner_ids:  # the construction above guarantees it; say so loudly if not
        raise RuntimeError(f"national funding: unexpected allocation in {competition}")
    decision = Decision.objects.create(
        competition=competition,
        status=DecisionStatus.PUBLISHED,
        computed_at=published - dt.timedelta(days=2),
        confirmed_at=published - dt.timedelta(days=1),
    )
    DecisionLine.objects.bulk_create(
        (
            DecisionLine(
                decision=decision,
                application_id=line.candidate.id,
                rank=line.rank,
                total_score=line.candidate.score,
                divergent=aggregates[line.candidate.id].divergent,
                funded=line.funded,
                amount=line.candidate.amount if line.funded else 0,
                skip_reason=line.reason,
                remaining_before=line.remaining_before,
            )
            for line in lines
        ),
        batch_size=batch_size,
    )
    ranks = {line.candidate.id: line for line in lines}
    ApplicationStatusChange.objects.bulk_create(
        (
            ApplicationStatusChange(
                application_id=a.pk,
                from_status=ApplicationStatus.COMPLIANT,
                to_status=a.status,
                note=f"Место {ranks[a.pk].rank}, итоговый балл {ranks[a.pk].candidate.score}.",
            )
            for a in compliant
        ),
        batch_size=batch_size,
    )


def _details(applications: Iterable[Application], batch_size: int) -> None:
    lines: list[BudgetLine] = []
    indicators: list[Indicator] = []
    for a in applications:
        staff = (a.requested_amount - a.institutional_amount) // 2
        lines.append(BudgetLine(application=a, item="Оплата труда команды", amount=staff))
        lines.append(
            BudgetLine(
                application=a,
                item="Мероприятия и материалы",
                amount=a.requested_amount - a.institutional_amount - staff,
            )
        )
        if a.institutional_amount:
            lines.append(
                BudgetLine(
                    application=a,
                    item="Аренда офиса",
                    kind=BudgetKind.INSTITUTIONAL,
                    amount=a.institutional_amount,
                )
            )
        indicators.append(
            Indicator(
                application=a, name="Участники", unit="чел.", baseline=Decimal(0), target=a.reach
            )
        )
    BudgetLine.objects.bulk_create(lines, batch_size=batch_size)
    Indicator.objects.bulk_create(indicators, batch_size=batch_size)


def _history(applications: Iterable[Application], batch_size: int) -> None:
    changes: list[ApplicationStatusChange] = []
    failures: list[ComplianceFailure] = []
    why = "Устав не соответствует теме лота."
    for a in applications:
        changes.append(
            ApplicationStatusChange(
                application=a,
                from_status=ApplicationStatus.DRAFT,
                to_status=ApplicationStatus.SUBMITTED,
            )
        )
        passed = a.status != ApplicationStatus.NON_COMPLIANT
        changes.append(
            ApplicationStatusChange(
                application=a,
                from_status=ApplicationStatus.SUBMITTED,
                to_status=(
                    ApplicationStatus.COMPLIANT if passed else ApplicationStatus.NON_COMPLIANT
                ),
                note="" if passed else why,
            )
        )
        if not passed:
            failures.append(
                ComplianceFailure(application=a, reason=ComplianceReason.TOPIC, explanation=why)
            )
    ApplicationStatusChange.objects.bulk_create(changes, batch_size=batch_size)
    ComplianceFailure.objects.bulk_create(failures, batch_size=batch_size)


def national_competitions() -> QuerySet[Competition]:
    """The competitions of this generator: their titles read "<kind>: конкурс <year>…"."""
    query = Q(pk__in=[])
    for _kk, ru, _en in KIND_TITLES.values():
        query |= Q(title_ru__startswith=f"{ru}: конкурс ")
    return Competition.objects.filter(query)
