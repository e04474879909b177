"""Demo funding: the expert register, programmes of several years, topics in consultation and
competitions in every stage (a step of runner.STEPS).

- Kyzylorda's Department of Internal Policy (official@ortaq.kz) orders social projects every
  year: the competitions of the last two years are published; this year's are open now,
  under the compliance check and waiting for the decision (a trial allocation to confirm).
- The Civil Initiatives Support Centre runs state grants (published last year, open now).
- The "Qazaqstan Halqyna" fund's non-state grants are under evaluation: experts are drawn,
  some scores are in, expert@ortaq.kz has applications to declare and score.
- The ministry's award for NGOs was given last year.
- ngo.admin@ortaq.kz's «Болашак жастары» has a draft in the open competition and a submitted
  application under the compliance check (its NGO-database report for last year is not filed
  yet, which the check shows).

The past is written straight into the tables (the services refuse what is not "now"), through
the same pure modules the services use: the draw (`draw.py`, verifiable), the aggregation
(`scoring.py`) and the allocation (`allocation.py`). Idempotent: programmes, competitions,
topics and experts are looked up by their natural keys first; a competition that exists is
left as it is. `build_competition` is shared with the national-scale generator.
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from allauth.account.models import EmailAddress
from django.utils import timezone

from ortaq.accounts.models import Organisation, User
from ortaq.demo.world import DEMO_PASSWORD, DemoWorld
from ortaq.funding import allocation, draw
from ortaq.funding.competitions.selectors import competition_aggregates
from ortaq.funding.competitions.services import DEFAULT_CRITERIA, deadline_after, expert_conflict
from ortaq.funding.enums import (
    AmountUnit,
    ApplicationStatus,
    AssignmentRole,
    AssignmentStatus,
    BudgetKind,
    CompetitionStatus,
    ComplianceReason,
    ConflictSource,
    DecisionStatus,
    ProgrammeKind,
    SkipReason,
    TopicStatus,
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
    Topic,
    TopicComment,
    TopicStatusChange,
)
from ortaq.lib.workdays import add_working_days
from ortaq.reference.models import ActivityArea, Region
from ortaq.registry.enums import NgoStatus, Verification
from ortaq.registry.models import NgoProfile

DEMO_EXPERT = "expert@ortaq.kz"
CORE_AREAS = ("youth", "family", "vulnerable", "environment", "civil_society", "culture")
# (e-mail, full name, extra areas); expert@ortaq.kz comes from demo/accounts.py.
EXPERTS = (
    ("expert@ortaq.kz", "", ("education",)),
    ("expert2@ortaq.kz", "Жанар Оспанова", ("health",)),
    ("expert3@ortaq.kz", "Мұрат Бекжанов", ("rights",)),
    ("expert4@ortaq.kz", "Ольга Ким", ("education", "volunteering")),
    ("expert5@ortaq.kz", "Серік Әлиев", ("employment",)),
    ("expert6@ortaq.kz", "Әлия Тұрсынова", ("heritage",)),
    ("expert7@ortaq.kz", "Виктор Пак", ("orphans",)),
)

STAGES = (
    CompetitionStatus.DRAFT,
    CompetitionStatus.ANNOUNCED,
    CompetitionStatus.COMPLIANCE,
    CompetitionStatus.EVALUATION,
    CompetitionStatus.DECISION,
    CompetitionStatus.PUBLISHED,
)


@dataclass(frozen=True)
class LotSpec:
    kk: str
    ru: str
    en: str
    region: str  # KATO code; "" for a national lot
    area: str
    ceiling: int
    applicants: int = 3


# --- People -----------------------------------------------------------------------------------


def _user(email: str, name: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email, DEMO_PASSWORD, full_name=name, preferred_language="ru"
        )
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def seed_experts(world: DemoWorld) -> list[Expert]:
    areas = {a.code: a for a in ActivityArea.objects.all()}
    experts = []
    for email, name, extra in EXPERTS:
        user = _user(email, name)
        expert, created = Expert.objects.get_or_create(user=user)
        if created:
            expert.areas.set([areas[c] for c in (*CORE_AREAS, *extra) if c in areas])
        experts.append(expert)
        world.login("expert" if email == "expert@ortaq.kz" else "expert (register)", email)
    return experts


# --- Programmes and topics --------------------------------------------------------------------


def programme(
    owner: Organisation,
    *,
    kind: str,
    year: int,
    titles: tuple[str, str, str],
    budget: int,
    areas: Sequence[str],
    **options: Any,
) -> Programme:
    found = Programme.objects.filter(owner=owner, kind=kind, year=year, title_ru=titles[1]).first()
    if found:
        return found
    if kind == ProgrammeKind.STATE_GRANT:
        options.setdefault("institutional_cap_percent", 10)
    created = Programme.objects.create(
        owner=owner,
        kind=kind,
        year=year,
        title_kk=titles[0],
        title_ru=titles[1],
        title_en=titles[2],
        budget=budget,
        **options,
    )
    created.activity_areas.set(ActivityArea.objects.filter(code__in=areas))
    Criterion.objects.bulk_create(
        Criterion(programme=created, code=code, name_kk=kk, name_ru=ru, name_en=en, position=i)
        for i, (code, kk, ru, en) in enumerate(DEFAULT_CRITERIA)
    )
    return created


def _topics(owner: Organisation, official: User | None, people: dict[str, User]) -> Topic | None:
    """Next year's topics of the department: one in consultation with comments (one still
    waiting for its answer), one approved (it is a lot of this year's open competition),
    one draft. Returns the approved one."""
    year = timezone.localdate().year
    region = Region.objects.get(code="43")
    areas = {a.code: a for a in ActivityArea.objects.all()}
    specs = [
        (
            year + 1,
            TopicStatus.CONSULTATION,
            "Ауылдық жастарға арналған еріктілер орталықтары",
            "Волонтёрские центры для сельской молодёжи",
            "Volunteer centres for rural youth",
            "volunteering",
            "В сёлах области нет площадок для молодёжных инициатив; 38% молодёжи не занято.",
            "Волонтёрские центры в 7 районах; 1 500 молодых людей вовлечены в проекты.",
            [{"name": "Центры", "unit": "шт.", "target": "7"}],
            45_000_000,
        ),
        (
            year,
            TopicStatus.APPROVED,
            "Жастардың кәсіпкерлік бастамалары",
            "Предпринимательские инициативы молодёжи",
            "Youth entrepreneurship initiatives",
            "youth",
            "Молодёжь малых городов не знает, как начать своё дело.",
            "Обучение 400 молодых людей, 40 бизнес-планов.",
            [{"name": "Обученные", "unit": "чел.", "target": "400"}],
            18_000_000,
        ),
        (
            year + 1,
            TopicStatus.DRAFT,
            "Арал өңірінің экологиялық ағарту",
            "Экологическое просвещение в Приаралье",
            "Environmental education in the Aral region",
            "environment",
            "Низкая осведомлённость жителей Приаралья об экологических рисках.",
            "Экоуроки в 30 школах, 5 экоакций.",
            [{"name": "Школы", "unit": "шт.", "target": "30"}],
            12_000_000,
        ),
    ]
    approved = None
    for year_, status, kk, ru, en, area, problem, results, indicators, budget in specs:
        topic = Topic.objects.filter(owner=owner, title_ru=ru).first()
        if topic is None:
            topic = Topic.objects.create(
                owner=owner,
                year=year_,
                title_kk=kk,
                title_ru=ru,
                title_en=en,
                area=areas[area],
                region=region,
                problem=problem,
                expected_results=results,
                indicators=indicators,
                budget_estimate=budget,
                status=status,
                consultation_ends=(
                    timezone.localdate() + dt.timedelta(days=14)
                    if status == TopicStatus.CONSULTATION
                    else timezone.localdate() - dt.timedelta(days=60)
                    if status == TopicStatus.APPROVED
                    else None
                ),
                created_by=official,
            )
            path = {
                TopicStatus.DRAFT: [],
                TopicStatus.CONSULTATION: [TopicStatus.CONSULTATION],
                TopicStatus.APPROVED: [TopicStatus.CONSULTATION, TopicStatus.APPROVED],
            }[status]
            before = TopicStatus.DRAFT
            for to in path:
                TopicStatusChange.objects.create(
                    topic=topic, from_status=before, to_status=to, actor=official
                )
                before = to
            _comments(topic, official, people, answered_all=status == TopicStatus.APPROVED)
        if status == TopicStatus.APPROVED:
            approved = topic
    return approved


def _comments(
    topic: Topic, official: User | None, people: dict[str, User], *, answered_all: bool
) -> None:
    if topic.status == TopicStatus.DRAFT:
        return
    organisations = {o.name_en: o for o in Organisation.objects.filter(name_en__isnull=False)}
    rows = [
        ("citizen", None, True, "", ""),
        (
            "NGO administrator",
            "Bolashak Zhastary public association",
            True,
            "Предлагаем включить Жалагашский и Сырдарьинский районы: там нет ни одного центра.",
            "Спасибо, районы включены в ожидаемые результаты.",
        ),
        (
            "consultant",
            "Civil Alliance of Kyzylorda Region",
            False,
            "Показатель «вовлечённые» стоит измерять по уникальным участникам, а не по визитам.",
            "" if not answered_all else "Согласны, показатель уточнён.",
        ),
    ]
    for role, org_name, supports, text, answer in rows:
        author = people.get(role)
        if author is None:
            continue
        TopicComment.objects.create(
            topic=topic,
            author=author,
            organisation=organisations.get(org_name) if org_name else None,
            supports=supports,
            text=text,
            answer=answer,
            answered_by=official if answer else None,
            answered_at=timezone.now() if answer else None,
        )


# --- Competitions -----------------------------------------------------------------------------


def _capital() -> Region:
    return Region.objects.get(code="71")


def _candidates(region_code: str | None, exclude: set[int]) -> list[NgoProfile]:
    qs = NgoProfile.objects.filter(
        verification=Verification.VERIFIED, status=NgoStatus.ACTIVE
    ).exclude(pk__in=exclude)
    if region_code:
        qs = qs.filter(organisation__region__code=region_code)
    return list(qs.select_related("organisation").order_by("organisation__bin"))


PROJECT_WORDS = (
    ("Мектеп", "Школа"),
    ("Орталық", "Центр"),
    ("Алаң", "Площадка"),
    ("Бастама", "Инициатива"),
)


def build_competition(
    prog: Programme,
    *,
    titles: tuple[str, str, str],
    stage: str,
    announced: dt.datetime,
    lots: Sequence[LotSpec],
    time_zone: str = "Asia/Almaty",
    actor: User | None = None,
    must_apply: Sequence[tuple[NgoProfile, str]] = (),
    topic: Topic | None = None,
    seed: str = "",
) -> Competition:
    """A competition of `prog` brought to `stage`, with applications, experts and decision.

    `must_apply`: (NGO, status) pairs put into the first lot (e.g. the demo NGO's draft).
    Deterministic for the same arguments.
    """
    found = Competition.objects.filter(programme=prog, title_ru=titles[1]).first()
    if found:
        return found
    rng = random.Random(f"{seed or titles[1]}:{prog.year}")
    reached = STAGES.index(stage)
    deadline = deadline_after(announced, working_days=prog.application_days, time_zone=time_zone)
    local_deadline = deadline.astimezone(zoneinfo.ZoneInfo(time_zone)).date()
    compliance_due = add_working_days(local_deadline, prog.compliance_days)
    evaluation_due = add_working_days(compliance_due, prog.evaluation_days)
    published = dt.datetime.combine(
        add_working_days(evaluation_due, 3), dt.time(11), tzinfo=zoneinfo.ZoneInfo(time_zone)
    )
    competition = Competition.objects.create(
        programme=prog,
        organiser=prog.owner,
        title_kk=titles[0],
        title_ru=titles[1],
        title_en=titles[2],
        description_kk="Конкурс туралы толық ақпарат лоттарда.",
        description_ru="Подробные условия конкурса — в описании лотов. Заявки принимаются "
        "на казахском или русском языке.",
        description_en="The lots describe the conditions. Applications in Kazakh or Russian.",
        status=stage,
        time_zone=time_zone,
        announced_at=announced if reached >= 1 else None,
        application_deadline=deadline if reached >= 1 else None,
        compliance_due=compliance_due if reached >= 2 else None,
        evaluation_due=evaluation_due if reached >= 3 else None,
        published_at=published if reached >= 5 else None,
    )
    CompetitionStatusChange.objects.bulk_create(
        CompetitionStatusChange(
            competition=competition, from_status=STAGES[i], to_status=STAGES[i + 1], actor=actor
        )
        for i in range(reached)
    )
    regions = {r.code: r for r in Region.objects.all()}
    areas = {a.code: a for a in ActivityArea.objects.all()}
    lot_objects = Lot.objects.bulk_create(
        Lot(
            competition=competition,
            number=i + 1,
            title_kk=spec.kk,
            title_ru=spec.ru,
            title_en=spec.en,
            region=regions.get(spec.region),
            area=areas[spec.area],
            budget_ceiling=spec.ceiling,
            topic=topic if i == 0 else None,
        )
        for i, spec in enumerate(lots)
    )
    if reached == 0:
        return competition
    applications = _applications(
        competition, lot_objects, lots, reached, rng, must_apply, deadline, actor
    )
    if reached >= 3:
        _evaluate(competition, applications, reached, rng, actor)
    if reached >= 4:
        _decide(competition, published=reached >= 5, actor=actor)
    return competition


def _applications(
    competition: Competition,
    lots: list[Lot],
    specs: Sequence[LotSpec],
    reached: int,
    rng: random.Random,
    must_apply: Sequence[tuple[NgoProfile, str]],
    deadline: dt.datetime,
    actor: User | None,
) -> list[Application]:
    programme = competition.programme
    cap = programme.institutional_cap_percent
    fixed = {ngo.pk for ngo, _s in must_apply}
    rows: list[tuple[Application, str]] = []
    for lot, spec in zip(lots, specs, strict=True):
        pool = _candidates(spec.region if programme.owner.region_id else None, fixed)
        chosen = rng.sample(pool, min(spec.applicants, len(pool)))
        pairs: list[tuple[NgoProfile, str | None]] = [(ngo, None) for ngo in chosen]
        if lot.number == 1:
            pairs = [*must_apply, *pairs]
        for index, (ngo, forced) in enumerate(pairs):
            status = forced or _status_for(reached, index, rng)
            amount = int(lot.budget_ceiling * rng.uniform(0.55, 1.0)) // 1000 * 1000
            if programme.kind == ProgrammeKind.AWARD:
                amount = lot.budget_ceiling
            kk, ru = PROJECT_WORDS[(lot.number + index) % len(PROJECT_WORDS)]
            sent = status != ApplicationStatus.DRAFT
            rows.append(
                (
                    Application(
                        lot=lot,
                        ngo=ngo,
                        status=status,
                        title=f"{lot.title_ru}: {ru.lower()} «{ngo.organisation.name_ru[:60]}»",
                        description=(
                            f"{lot.title_ru}. Проект {ngo.organisation.name_ru}: занятия, "
                            "наставничество и итоговый форум."
                        ),
                        target_group="Молодёжь 14–29 лет" if lot.area.code == "youth" else kk,
                        reach=rng.randrange(100, 2000, 50),
                        # A national lot's project is in the NGO's region (Astana for a
                        # national NGO).
                        region=lot.region or ngo.organisation.region or _capital(),
                        team="Руководитель проекта\nКоординатор\nБухгалтер",
                        requested_amount=amount,
                        institutional_amount=(amount * min(cap or 8, 8) // 100 // 1000 * 1000),
                        submitted_at=(
                            deadline - dt.timedelta(days=rng.randint(1, 15)) if sent else None
                        ),
                        created_by=actor,
                    ),
                    status,
                )
            )
    created = Application.objects.bulk_create([a for a, _s in rows])
    _details(created, rng)
    _history(created, actor, deadline)
    return created


def _status_for(reached: int, index: int, rng: random.Random) -> str:
    if reached == 1:
        return ApplicationStatus.SUBMITTED if index % 3 else ApplicationStatus.DRAFT
    if reached == 2:
        return ApplicationStatus.SUBMITTED if index % 2 else ApplicationStatus.COMPLIANT
    # Later stages: one application in five failed the compliance check.
    return ApplicationStatus.NON_COMPLIANT if rng.random() < 0.2 else ApplicationStatus.COMPLIANT


def _details(applications: list[Application], rng: random.Random) -> None:
    lines = []
    indicators = []
    for a in applications:
        institutional = a.institutional_amount
        staff = (a.requested_amount - institutional) // 2
        lines += [
            BudgetLine(application=a, item="Оплата труда команды", amount=staff),
            BudgetLine(
                application=a,
                item="Мероприятия и материалы",
                amount=a.requested_amount - institutional - staff,
            ),
        ]
        if institutional:
            lines.append(
                BudgetLine(
                    application=a,
                    item="Аренда офиса",
                    kind=BudgetKind.INSTITUTIONAL,
                    amount=institutional,
                )
            )
        indicators.append(
            Indicator(
                application=a, name="Участники", unit="чел.", baseline=Decimal(0), target=a.reach
            )
        )
    BudgetLine.objects.bulk_create(lines)
    Indicator.objects.bulk_create(indicators)


def _history(applications: list[Application], actor: User | None, deadline: dt.datetime) -> None:
    changes = []
    failures = []
    for a in applications:
        if a.status == ApplicationStatus.DRAFT:
            continue
        changes.append(
            ApplicationStatusChange(
                application=a,
                from_status=ApplicationStatus.DRAFT,
                to_status=ApplicationStatus.SUBMITTED,
                actor=a.created_by,
            )
        )
        if a.status == ApplicationStatus.NON_COMPLIANT:
            why = "Устав не соответствует теме лота; не приложен отчёт по прошлому гранту."
            changes.append(
                ApplicationStatusChange(
                    application=a,
                    from_status=ApplicationStatus.SUBMITTED,
                    to_status=a.status,
                    actor=actor,
                    note=f"{ComplianceReason.TOPIC.label}: {why}",
                )
            )
            failures.append(
                ComplianceFailure(
                    application=a,
                    reason=ComplianceReason.TOPIC,
                    explanation=why,
                    checked_by=actor,
                )
            )
        elif a.status != ApplicationStatus.SUBMITTED:
            changes.append(
                ApplicationStatusChange(
                    application=a,
                    from_status=ApplicationStatus.SUBMITTED,
                    to_status=ApplicationStatus.COMPLIANT,
                    actor=actor,
                )
            )
    ApplicationStatusChange.objects.bulk_create(changes)
    ComplianceFailure.objects.bulk_create(failures)


def _evaluate(
    competition: Competition,
    applications: list[Application],
    reached: int,
    rng: random.Random,
    actor: User | None,
) -> None:
    """Draw 3 + 3 experts per area; assign; score (all of them after the evaluation, about
    two thirds while it runs). The demo expert keeps his first assignment to declare."""
    programme = competition.programme
    criteria = list(programme.criteria.all())
    compliant = [a for a in applications if a.status == ApplicationStatus.COMPLIANT]
    by_area: dict[int, list[Application]] = {}
    for a in compliant:
        by_area.setdefault(a.lot.area_id, []).append(a)
    experts = {e.pk: e for e in Expert.objects.filter(is_active=True).select_related("user")}
    demo_expert = next((pk for pk, e in experts.items() if e.user.email == DEMO_EXPERT), None)
    scores = []
    for area_id, apps in sorted(by_area.items()):
        pool = sorted(
            Expert.objects.filter(is_active=True, areas=area_id).values_list("pk", flat=True)
        )
        if len(pool) < programme.experts_per_area:
            continue
        # While the evaluation runs, the first seed that draws the demo expert is used, so he
        # has work to show; the draw stays what draw.py makes of its seed (verifiable).
        for _attempt in range(100):
            result = draw.draw_experts(
                pool,
                seed=f"{competition.pk}-{area_id}-{rng.getrandbits(64):016x}",
                main=programme.experts_per_area,
                reserves=programme.reserves_per_area,
            )
            if reached != 3 or demo_expert is None or demo_expert in result.main:
                break
        record = ExpertDraw.objects.create(
            competition=competition,
            area_id=area_id,
            seed=result.seed,
            pool=list(result.pool),
            main=list(result.main),
            reserves=list(result.reserves),
            algorithm=result.algorithm,
            drawn_by=actor,
        )
        for i, application in enumerate(apps):
            reserves = list(result.reserves)
            for j, expert_id in enumerate(result.main):
                current: Expert | None = experts[expert_id]
                role = AssignmentRole.MAIN
                replaced = None
                # The system sees a conflict: recuse and give the application the next reserve.
                while current is not None:
                    source, note = expert_conflict(current, application)
                    if not source:
                        break
                    replaced = Assignment.objects.create(
                        application=application,
                        expert=current,
                        draw=record,
                        role=role,
                        status=AssignmentStatus.RECUSED,
                        conflict=source,
                        conflict_note=note,
                        replaces=replaced,
                    )
                    current = experts[reserves.pop(0)] if reserves else None
                    role = AssignmentRole.RESERVE
                if current is None:
                    continue
                expert = current
                done = reached >= 4 or (i + j) % 3 != 0
                if expert.user.email == DEMO_EXPERT and reached == 3:
                    done = False
                status = AssignmentStatus.SUBMITTED if done else AssignmentStatus.ASSIGNED
                now = timezone.now()
                assignment = Assignment.objects.create(
                    application=application,
                    expert=expert,
                    draw=record,
                    role=role,
                    status=status,
                    conflict=ConflictSource.NONE,
                    replaces=replaced,
                    declared_at=now if done else None,
                    submitted_at=now if done else None,
                    comment="Проект реалистичен; показатели измеримы." if done else "",
                )
                if done:
                    quality = rng.uniform(2.2, 4.8)
                    for c in criteria:
                        value = None if rng.random() < 0.04 else round(quality + rng.uniform(-1, 1))
                        scores.append(
                            Score(
                                assignment=assignment,
                                criterion=c,
                                value=None if value is None else max(0, min(c.scale_max, value)),
                            )
                        )
    Score.objects.bulk_create(scores)


def _decide(competition: Competition, *, published: bool, actor: User | None) -> Decision:
    """The allocation as services.decision_compute makes it; published: applications become
    funded / not funded with the reason, as services.decision_publish does."""
    aggregates = competition_aggregates(competition)
    applications = list(
        Application.objects.filter(lot__competition=competition, status=ApplicationStatus.COMPLIANT)
    )
    candidates = [
        allocation.Candidate(
            id=a.pk,
            lot_id=a.lot_id,
            score=aggregates[a.pk].total if a.pk in aggregates else None,
            amount=a.requested_amount,
            submitted_at=a.submitted_at or a.created_at,
        )
        for a in applications
    ]
    budgets = dict(competition.lots.values_list("pk", "budget_ceiling"))
    lines = allocation.allocate(candidates, budgets, pass_score=competition.programme.pass_score)
    when = competition.published_at or timezone.now()
    decision = Decision.objects.create(
        competition=competition,
        status=DecisionStatus.PUBLISHED if published else DecisionStatus.PROPOSED,
        computed_by=actor,
        computed_at=when,
        confirmed_by=actor if published else None,
        confirmed_at=when if published else None,
    )
    DecisionLine.objects.bulk_create(
        DecisionLine(
            decision=decision,
            application_id=line.candidate.id,
            rank=line.rank,
            total_score=line.candidate.score,
            divergent=aggregates[line.candidate.id].divergent
            if line.candidate.id in aggregates
            else False,
            funded=line.funded,
            amount=line.candidate.amount if line.funded else 0,
            skip_reason=line.reason,
            remaining_before=line.remaining_before,
        )
        for line in lines
    )
    if published:
        changes = []
        for line in lines:
            to = ApplicationStatus.FUNDED if line.funded else ApplicationStatus.NOT_FUNDED
            Application.objects.filter(pk=line.candidate.id).update(status=to)
            reason = (
                f"Место {line.rank}, итоговый балл {line.candidate.score}."
                if line.funded
                else f"Место {line.rank}: {SkipReason(line.reason).label}"
            )
            changes.append(
                ApplicationStatusChange(
                    application_id=line.candidate.id,
                    from_status=ApplicationStatus.COMPLIANT,
                    to_status=to,
                    actor=actor,
                    note=reason,
                )
            )
        ApplicationStatusChange.objects.bulk_create(changes)
    return decision


# --- The demo world ---------------------------------------------------------------------------


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zoneinfo.ZoneInfo("Asia/Almaty"))


KZO_LOTS = (
    LotSpec(
        "Жастар бастамалары",
        "Молодёжные инициативы",
        "Youth initiatives",
        "43",
        "youth",
        18_000_000,
        4,
    ),
    LotSpec(
        "Көпбалалы отбасыларды қолдау",
        "Поддержка многодетных семей",
        "Support of large families",
        "43",
        "family",
        12_000_000,
        3,
    ),
    LotSpec(
        "Ерекше қажеттіліктері бар адамдар",
        "Люди с особыми потребностями",
        "People with special needs",
        "43",
        "vulnerable",
        15_000_000,
        3,
    ),
    LotSpec(
        "Арал өңірінің экологиясы",
        "Экология Приаралья",
        "Ecology of the Aral region",
        "43",
        "environment",
        9_000_000,
        2,
    ),
)
GRANT_LOTS = (
    LotSpec(
        "Азаматтық қоғамды дамыту",
        "Развитие гражданского общества",
        "Development of civil society",
        "43",
        "civil_society",
        11_000_000,
        3,
    ),
    LotSpec(
        "Жастар еріктілігі",
        "Молодёжное волонтёрство",
        "Youth volunteering",
        "27",
        "youth",
        8_000_000,
        3,
    ),
    LotSpec(
        "Отбасы құндылықтары", "Семейные ценности", "Family values", "39", "family", 6_000_000, 3
    ),
)
QH_LOTS = (
    LotSpec(
        "Балалар үйлерінің түлектері",
        "Выпускники детских домов",
        "Care leavers",
        "63",
        "vulnerable",
        20_000_000,
        3,
    ),
    # A national lot: open to NGOs of every region.
    LotSpec("Ауыл мәдениеті", "Культура села", "Village culture", "", "culture", 10_000_000, 3),
)
AWARD_LOTS = (
    LotSpec(
        "Үздік жастар жобасы",
        "Лучший молодёжный проект",
        "Best youth project",
        "43",
        "youth",
        8_650_000,
        3,
    ),
    LotSpec(
        "Үздік экологиялық жоба",
        "Лучший экологический проект",
        "Best environmental project",
        "39",
        "environment",
        8_650_000,
        2,
    ),
)


def seed(world: DemoWorld) -> None:
    organisations: dict[str, Organisation] = world.objects.get("organisations", {})
    users: dict[str, User] = world.objects.get("users", {})
    needed = ("kyzylorda_dip", "cisc", "qh_fund", "ministry", "kzo_youth")
    if any(k not in organisations for k in needed):
        return
    seed_experts(world)
    official = users.get("state official")
    kzo, cisc, qh, ministry = (organisations[k] for k in needed[:4])
    youth = NgoProfile.objects.filter(organisation=organisations["kzo_youth"]).first()
    year = timezone.localdate().year
    now = timezone.now()
    topic = _topics(kzo, official, users)
    social = (
        "Мемлекеттік әлеуметтік тапсырыс",
        "Государственный социальный заказ",
        "State social order",
    )
    for past in (year - 2, year - 1):
        prog = programme(
            kzo,
            kind=ProgrammeKind.SOCIAL_ORDER,
            year=past,
            titles=(f"{social[0]} {past}", f"{social[1]} {past}", f"{social[2]} {past}"),
            budget=250_000_000,
            areas=CORE_AREAS,
        )
        build_competition(
            prog,
            titles=(
                f"Әлеуметтік жобалар конкурсы {past}",
                f"Конкурс социальных проектов {past}",
                f"Social projects competition {past}",
            ),
            stage=CompetitionStatus.PUBLISHED,
            announced=_at(dt.date(past, 3, 2)),
            lots=KZO_LOTS,
            time_zone="Asia/Qyzylorda",
            actor=official,
        )
    current = programme(
        kzo,
        kind=ProgrammeKind.SOCIAL_ORDER,
        year=year,
        titles=(f"{social[0]} {year}", f"{social[1]} {year}", f"{social[2]} {year}"),
        budget=300_000_000,
        areas=CORE_AREAS,
    )
    stages = [
        (CompetitionStatus.ANNOUNCED, 3, "Жастар жобалары", "Молодёжные проекты", "Youth projects"),
        (
            CompetitionStatus.COMPLIANCE,
            40,
            "Әлеуметтік жобалар",
            "Социальные проекты",
            "Social projects",
        ),
        (
            CompetitionStatus.DECISION,
            90,
            "Отбасы және қоғам",
            "Семья и общество",
            "Family and society",
        ),
    ]
    for stage, days_ago, kk, ru, en in stages:
        must: list[tuple[NgoProfile, str]] = []
        if youth and stage == CompetitionStatus.ANNOUNCED:
            must = [(youth, ApplicationStatus.DRAFT)]
        elif youth and stage == CompetitionStatus.COMPLIANCE:
            must = [(youth, ApplicationStatus.SUBMITTED)]
        build_competition(
            current,
            titles=(f"{kk} {year}", f"{ru} {year}", f"{en} {year}"),
            stage=stage,
            announced=now - dt.timedelta(days=days_ago),
            lots=KZO_LOTS[:3] if stage == CompetitionStatus.ANNOUNCED else KZO_LOTS[1:],
            time_zone="Asia/Qyzylorda",
            actor=official,
            must_apply=must,
            topic=topic if stage == CompetitionStatus.ANNOUNCED else None,
        )
    grant = ("Мемлекеттік гранттар", "Государственные гранты", "State grants")
    for y, stage, days_ago in (
        (year - 1, CompetitionStatus.PUBLISHED, 0),
        (year, CompetitionStatus.ANNOUNCED, 5),
    ):
        prog = programme(
            cisc,
            kind=ProgrammeKind.STATE_GRANT,
            year=y,
            titles=(f"{grant[0]} {y}", f"{grant[1]} {y}", f"{grant[2]} {y}"),
            budget=400_000_000,
            areas=CORE_AREAS,
            amount_unit=AmountUnit.MCI,
            amount_min=500,
            amount_max=3000,
            blind_review=True,
        )
        build_competition(
            prog,
            titles=(
                f"Қысқа мерзімді гранттар {y}",
                f"Краткосрочные гранты {y}",
                f"Short-term grants {y}",
            ),
            stage=stage,
            announced=_at(dt.date(y, 4, 1)) if days_ago == 0 else now - dt.timedelta(days=5),
            lots=GRANT_LOTS,
        )
    qh_prog = programme(
        qh,
        kind=ProgrammeKind.NON_STATE_GRANT,
        year=year,
        titles=(
            f"«Қазақстан халқына» гранттары {year}",
            f"Гранты фонда «Қазақстан халқына» {year}",
            f"Qazaqstan Halqyna grants {year}",
        ),
        budget=150_000_000,
        areas=CORE_AREAS,
        aggregation="median",
    )
    build_competition(
        qh_prog,
        titles=(
            f"Қайырымдылық жобалары {year}",
            f"Благотворительные проекты {year}",
            f"Charity projects {year}",
        ),
        stage=CompetitionStatus.EVALUATION,
        announced=now - dt.timedelta(days=60),
        lots=QH_LOTS,
    )
    award = programme(
        ministry,
        kind=ProgrammeKind.AWARD,
        year=year - 1,
        titles=(f"ҮЕҰ сыйлығы {year - 1}", f"Премия для НПО {year - 1}", f"NGO award {year - 1}"),
        budget=130_000_000,
        areas=CORE_AREAS,
        amount_unit=AmountUnit.MCI,
        amount_min=2000,
    )
    build_competition(
        award,
        titles=(f"ҮЕҰ сыйлығы {year - 1}", f"Премия для НПО {year - 1}", f"NGO award {year - 1}"),
        stage=CompetitionStatus.PUBLISHED,
        announced=_at(dt.date(year - 1, 6, 1)),
        lots=AWARD_LOTS,
    )
    world.log.append(
        f"funding: {Programme.objects.count()} programmes, {Competition.objects.count()} "
        f"competitions, {Application.objects.count()} applications, "
        f"{Expert.objects.count()} experts"
    )
