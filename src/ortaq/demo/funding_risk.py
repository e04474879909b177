"""Demo risk signals: planted patterns for the risk page to find, then a scan.

- National scale (`seed_demo --scale national`), into the data of `national/funding.py`: three
  duplicates — an NGO funded in the same year by its region's social order and by a national
  grant programme for a near-identical project text and budget — and one "wholesaler", an NGO
  that wins lots in seven regions at 50–60% of their ceilings.
- Small demo: one duplicate and one late reporter (a past contract whose progress report came
  in weeks late, and a new application sent since).

Planted projects are added as new lots of published competitions (one application each,
funded, with its decision line), so nothing that exists is changed. Idempotent: a lot is
looked up by its competition and Russian title first. The texts are written to be caught:
long, specific, copied with a few words changed.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max, Q
from django.utils import timezone

from ortaq.demo.world import DemoWorld
from ortaq.funding.enums import (
    ApplicationStatus,
    CompetitionStatus,
    ContractStatus,
    DecisionStatus,
    ProjectReportStatus,
    ReportKind,
    RiskKind,
    SkipReason,
)
from ortaq.funding.models import (
    Application,
    ApplicationStatusChange,
    BudgetLine,
    Competition,
    Contract,
    DecisionLine,
    Indicator,
    Lot,
    Report,
    ReportStatusChange,
)
from ortaq.funding.risk.services import risk_scan
from ortaq.reference.models import ActivityArea, Region
from ortaq.registry.enums import NgoStatus, Verification
from ortaq.registry.models import NgoProfile


@dataclass(frozen=True)
class Project:
    """A project text in two versions (the second copied with a few words changed) and its
    budget: (item, amount of the first version); the copy asks 1–3% more or less per line."""

    titles: tuple[str, str]
    texts: tuple[str, str]
    lines: tuple[tuple[str, int], ...]


PROJECTS = (
    Project(
        titles=(
            "Цифровая грамотность для пожилых жителей сёл",
            "Цифровая грамотность для пожилых жителей сельских округов",
        ),
        texts=(
            "Проект обучает пожилых жителей отдалённых сёл пользоваться смартфоном, "
            "электронным правительством и онлайн-банкингом. В каждом из двенадцати сельских "
            "округов волонтёры из числа старшеклассников проводят по восемь занятий в "
            "библиотеках и домах культуры, а слушатели получают памятку на казахском и "
            "русском языках. Отдельный модуль посвящён защите от телефонного мошенничества: "
            "участники учатся распознавать звонки от имени банка и не сообщать коды из СМС. "
            "По итогам курса не менее шестисот пенсионеров самостоятельно получают справки "
            "через портал и оплачивают коммунальные услуги без посредников.",
            "Проект обучает пожилых жителей отдалённых сёл пользоваться смартфоном, "
            "электронным правительством и онлайн-банкингом. В каждом из двенадцати сельских "
            "округов волонтёры из числа студентов колледжа проводят по восемь занятий в "
            "библиотеках и домах культуры, а слушатели получают памятку на казахском и "
            "русском языках. Отдельный модуль посвящён защите от телефонного мошенничества: "
            "участники учатся распознавать звонки от имени банка и не сообщать коды из СМС. "
            "По итогам курса не менее пятисот пенсионеров самостоятельно получают справки "
            "через портал и оплачивают коммунальные услуги без посредников.",
        ),
        lines=(
            ("Оплата труда тренеров", 2_400_000),
            ("Планшеты для учебных классов", 1_800_000),
            ("Транспорт до сельских округов", 950_000),
            ("Печать памяток на двух языках", 420_000),
            ("Информационная кампания в районных СМИ", 630_000),
        ),
    ),
    Project(
        titles=(
            "Инклюзивная мастерская: профессия для молодых людей с инвалидностью",
            "Инклюзивная мастерская — профессия для молодёжи с инвалидностью",
        ),
        texts=(
            "Мы открываем инклюзивную столярную и швейную мастерскую, где молодые люди с "
            "инвалидностью от восемнадцати до тридцати лет за девять месяцев осваивают "
            "профессию под руководством наставников. Каждый участник проходит оценку "
            "профессиональных склонностей, затем практику на партнёрских предприятиях "
            "города. Родители получают консультации юриста о мерах социальной поддержки и "
            "квотах рабочих мест. Мастерская принимает заказы от школ и акиматов, выручка "
            "идёт на материалы и стипендии. Ожидаемый результат: сорок выпускников, из "
            "которых не менее пятнадцати трудоустроены по договору.",
            "Мы открываем инклюзивную столярную и швейную мастерскую, где молодые люди с "
            "инвалидностью от восемнадцати до тридцати пяти лет за девять месяцев осваивают "
            "профессию под руководством наставников. Каждый участник проходит оценку "
            "профессиональных склонностей, затем практику на партнёрских предприятиях "
            "области. Родители получают консультации юриста о мерах социальной поддержки и "
            "квотах рабочих мест. Мастерская принимает заказы от школ и акиматов, выручка "
            "идёт на материалы и стипендии. Ожидаемый результат: сорок выпускников, из "
            "которых не менее пятнадцати трудоустроены по договору.",
        ),
        lines=(
            ("Оплата труда наставников", 3_100_000),
            ("Столярное и швейное оборудование", 2_250_000),
            ("Материалы для мастерской", 880_000),
            ("Консультации юриста для родителей", 360_000),
            ("Стипендии участникам", 1_200_000),
            ("Аренда помещения мастерской", 720_000),
        ),
    ),
    Project(
        titles=(
            "Чистый берег: школьный экологический патруль на реке",
            "Чистый берег — школьный экологический патруль",
        ),
        texts=(
            "Школьный экологический патруль из ста двадцати учеников седьмых–десятых классов "
            "каждую неделю с апреля по октябрь обследует участки берега реки, отмечает "
            "несанкционированные свалки в мобильном приложении и передаёт сведения в "
            "районный акимат. Учителя биологии проводят для патрульных полевые практикумы по "
            "отбору проб воды, а лучшие исследовательские работы представляются на "
            "областной конференции. В конце сезона проводится большой субботник с участием "
            "родителей и предприятий, а карта загрязнений публикуется в открытом доступе.",
            "Школьный экологический патруль из ста двадцати учеников седьмых–одиннадцатых "
            "классов каждую неделю с апреля по октябрь обследует участки берега реки, отмечает "
            "несанкционированные свалки в мобильном приложении и передаёт сведения в "
            "районный акимат. Учителя биологии проводят для патрульных полевые практикумы по "
            "отбору проб воды, а лучшие исследовательские работы представляются на "
            "республиканской конференции. В конце сезона проводится большой субботник с "
            "участием родителей и предприятий, а карта загрязнений публикуется в открытом "
            "доступе.",
        ),
        lines=(
            ("Оплата труда координаторов патруля", 1_900_000),
            ("Наборы для отбора проб воды", 640_000),
            ("Форма и снаряжение патрульных", 780_000),
            ("Разработка мобильного приложения", 1_150_000),
            ("Организация субботника и конференции", 530_000),
        ),
    ),
)


def planted() -> Q:
    """The applications this module plants (its lots), which the other demo modules leave alone."""
    titles = [title for project in PROJECTS for title in project.titles]
    return Q(lot__title_ru__in=titles) | Q(lot__title_ru__startswith=WHOLESALER_TITLE)


WHOLESALER_REGIONS = 7
WHOLESALER_TITLE = "Социальное сопровождение семей, оказавшихся в трудной жизненной ситуации"


def seed(world: DemoWorld) -> None:
    planted = _plant_national() if world.scale == "national" else _plant_small()
    summary = risk_scan()
    world.log.extend(planted)
    world.log.append(
        "risk signals: "
        + ", ".join(f"{kind} {summary.found.get(kind, 0)}" for kind in RiskKind.values)
        + f" (scan {summary.seconds} s)"
    )


# --- Where to plant ---------------------------------------------------------------------------


def _published(year: int) -> list[Competition]:
    return list(
        Competition.objects.filter(
            status=CompetitionStatus.PUBLISHED,
            programme__year=year,
            decision__status=DecisionStatus.PUBLISHED,
        )
        .select_related("programme", "organiser", "decision")
        .order_by("pk")
    )


def _years() -> list[int]:
    """Years with published competitions of at least two programmes, latest first."""
    years = (
        Competition.objects.filter(status=CompetitionStatus.PUBLISHED)
        .values_list("programme__year", "programme_id")
        .distinct()
    )
    programmes: dict[int, set[int]] = {}
    for year, programme_id in years:
        programmes.setdefault(year, set()).add(programme_id)
    return sorted((y for y, p in programmes.items() if len(p) > 1), reverse=True)


def _regional(competitions: Sequence[Competition], region: Region) -> Competition | None:
    return next((c for c in competitions if c.organiser.region_id == region.pk), None)


def _national(competitions: Sequence[Competition], but: Competition | None) -> Competition | None:
    return next(
        (
            c
            for c in competitions
            if c.organiser.region_id is None
            and (but is None or c.programme_id != but.programme_id)
            and c.programme.kind != "award"
        ),
        None,
    )


def _ngos(region: Region | None = None, exclude: Sequence[int] = ()) -> list[NgoProfile]:
    """Verified active NGOs nobody of the demo logs in for (their pages stay as they are)."""
    qs = NgoProfile.objects.filter(
        status=NgoStatus.ACTIVE,
        verification=Verification.VERIFIED,
        organisation__memberships__isnull=True,
    ).exclude(pk__in=exclude)
    if region is not None:
        qs = qs.filter(organisation__region=region)
    return list(qs.select_related("organisation").order_by("pk")[:50])


def _any_ngos(region: Region | None, exclude: Sequence[int]) -> list[NgoProfile]:
    """Verified NGOs first; the national registry verifies only some of them."""
    found = _ngos(region, exclude)
    if found:
        return found
    qs = NgoProfile.objects.filter(
        status=NgoStatus.ACTIVE, organisation__memberships__isnull=True
    ).exclude(pk__in=exclude)
    if region is not None:
        qs = qs.filter(organisation__region=region)
    return list(qs.select_related("organisation").order_by("pk")[:50])


# --- Writing one planted project ----------------------------------------------------------------


def _add_lot(
    competition: Competition, *, region: Region | None, title: str, ceiling: int
) -> tuple[Lot, bool]:
    found = Lot.objects.filter(competition=competition, title_ru=title).first()
    if found:
        return found, False
    number = (Lot.objects.filter(competition=competition).aggregate(n=Max("number"))["n"]) or 0
    area = ActivityArea.objects.filter(is_active=True).order_by("position", "code").first()
    assert area is not None
    lot = Lot.objects.create(
        competition=competition,
        number=number + 1,
        title_kk=title,
        title_ru=title,
        title_en="",
        region=region,
        area=area,
        budget_ceiling=ceiling,
    )
    return lot, True


def _apply(
    lot: Lot,
    ngo: NgoProfile,
    *,
    title: str,
    description: str,
    lines: Sequence[tuple[str, int]],
    funded: bool,
    rank: int,
    remaining: int,
) -> Application:
    competition = lot.competition
    deadline = competition.application_deadline or timezone.now()
    amount = sum(a for _i, a in lines)
    status = ApplicationStatus.FUNDED if funded else ApplicationStatus.NOT_FUNDED
    application = Application.objects.create(
        lot=lot,
        ngo=ngo,
        status=status,
        title=title,
        description=description,
        target_group="Жители области",
        reach=600,
        region=lot.region or ngo.organisation.region or Region.objects.get(code="71"),
        team="Руководитель проекта\nКоординатор\nБухгалтер",
        requested_amount=amount,
        submitted_at=deadline - dt.timedelta(days=3 + rank),
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(application=application, item=item, amount=a) for item, a in lines
    )
    Indicator.objects.create(
        application=application, name="Участники", unit="чел.", target=Decimal(600)
    )
    steps = (
        ApplicationStatus.DRAFT,
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.COMPLIANT,
        status,
    )
    ApplicationStatusChange.objects.bulk_create(
        ApplicationStatusChange(application=application, from_status=a, to_status=b)
        for a, b in itertools.pairwise(steps)
    )
    DecisionLine.objects.create(
        decision=competition.decision,
        application=application,
        rank=rank,
        total_score=Decimal("88.00") if funded else Decimal("61.00"),
        funded=funded,
        amount=amount if funded else 0,
        skip_reason="" if funded else SkipReason.OVER_BUDGET,
        remaining_before=remaining,
    )
    return application


def _scaled(lines: Sequence[tuple[str, int]], percent: int) -> list[tuple[str, int]]:
    return [(item, amount * (100 + percent) // 100 // 1_000 * 1_000) for item, amount in lines]


def _plant_duplicate(
    project: Project, ngo: NgoProfile, first: Competition, second: Competition
) -> bool:
    """The NGO funded by both competitions (two programmes of one year) for one project."""
    created = False
    for version, (competition, shift) in enumerate(((first, 0), (second, 2))):
        lines = _scaled(project.lines, shift if version else 0)
        amount = sum(a for _i, a in lines)
        region = ngo.organisation.region if competition.organiser.region_id is None else None
        lot_region = competition.organiser.region or region
        lot, new = _add_lot(
            competition,
            region=lot_region,
            title=project.titles[version],
            ceiling=amount * 100 // 95 // 1_000 * 1_000 + 1_000,
        )
        if new:
            _apply(
                lot,
                ngo,
                title=project.titles[version],
                description=project.texts[version],
                lines=lines,
                funded=True,
                rank=1,
                remaining=lot.budget_ceiling,
            )
            created = True
    return created


def _plant_wholesaler(year: int, competitions: list[Competition], exclude: list[int]) -> str:
    by_pk = {c.organiser.region.pk: c.organiser.region for c in competitions if c.organiser.region}
    regions: list[Region] = sorted(by_pk.values(), key=lambda r: r.code)
    national = _national(competitions, None)
    if len(regions) < WHOLESALER_REGIONS and national is not None:
        extra = Region.objects.filter(is_active=True).exclude(pk__in=[r.pk for r in regions])
        regions += list(extra.order_by("code")[: WHOLESALER_REGIONS - len(regions)])
    home = max(
        Region.objects.filter(is_active=True).order_by("code"),
        key=lambda r: NgoProfile.objects.filter(
            organisation__region=r, status=NgoStatus.ACTIVE
        ).count(),
    )
    candidates = _any_ngos(home, exclude)
    if not candidates or len(regions) < WHOLESALER_REGIONS:
        return "risk (planted): no room for a wholesaler"
    wholesaler = candidates[0]
    lots = 0
    for i, region in enumerate(regions[:WHOLESALER_REGIONS]):
        competition = _regional(competitions, region) or national
        if competition is None:
            continue
        ceiling = 9_000_000 + 500_000 * i
        lot, new = _add_lot(
            competition,
            region=region,
            title=f"{WHOLESALER_TITLE} — {region.name_ru}",
            ceiling=ceiling,
        )
        lots += 1
        if not new:
            continue
        price = ceiling * (50 + 2 * (i % 6)) // 100 // 1_000 * 1_000
        staff = price * 6 // 10 // 1_000 * 1_000
        _apply(
            lot,
            wholesaler,
            title=f"{WHOLESALER_TITLE}: {region.name_ru}",
            description="Сопровождение семей социальными работниками, консультации психолога.",
            lines=[("Оплата труда социальных работников", staff), ("Расходы", price - staff)],
            funded=True,
            rank=1,
            remaining=ceiling,
        )
        local = _any_ngos(region, [wholesaler.pk, *exclude])
        if local:
            asked = ceiling * 93 // 100 // 1_000 * 1_000
            half = asked // 2
            _apply(
                lot,
                local[0],
                title=f"Поддержка семей: {region.name_ru}",
                description="Помощь семьям района.",
                lines=[("Оплата труда", half), ("Мероприятия", asked - half)],
                funded=False,
                rank=2,
                remaining=ceiling - price,
            )
    return (
        f"risk (planted): wholesaler «{wholesaler.organisation.name_ru}» (NGO {wholesaler.pk}) "
        f"won {lots} lots in {year} at 50–60% of their ceilings"
    )


# --- The two scales ---------------------------------------------------------------------------


def _plant_duplicates(count: int) -> tuple[list[str], list[int]]:
    log: list[str] = []
    used: list[int] = []
    years = _years()
    for i, project in enumerate(PROJECTS[:count]):
        if not years:
            break
        year = years[min(i, len(years) - 1)]
        competitions = _published(year)
        regional = [c for c in competitions if c.organiser.region_id is not None]
        first = regional[(i * 7) % len(regional)] if regional else None
        second = _national(competitions, first)
        if first is None:
            first, second = second, _national(competitions, second)
        if first is None or second is None:
            log.append(f"risk (planted): no two programmes in {year} for a duplicate")
            continue
        region = first.organiser.region or second.organiser.region
        ngos = _any_ngos(region, used)
        if not ngos:
            continue
        ngo = ngos[0]
        used.append(ngo.pk)
        _plant_duplicate(project, ngo, first, second)
        log.append(
            f"risk (planted): duplicate «{project.titles[0]}» — NGO "
            f"«{ngo.organisation.name_ru}» ({ngo.pk}) funded in {year} by "
            f"{first.organiser.name_ru} and {second.organiser.name_ru}"
        )
    return log, used


def _plant_national() -> list[str]:
    log, used = _plant_duplicates(len(PROJECTS))
    years = _years()
    if years:
        log.append(_plant_wholesaler(years[0], _published(years[0]), used))
    return log


def _plant_small() -> list[str]:
    log, used = _plant_duplicates(1)
    log.append(_plant_late_reporter(used))
    return log


def _plant_late_reporter(exclude: list[int]) -> str:
    """A contract of a past funded project whose reports came 24 and 15 days late; the NGO
    has applied again since (a new application in this year's open competition if needed)."""
    today = timezone.localdate()
    funded = (
        Application.objects.filter(
            status=ApplicationStatus.FUNDED, lot__competition__programme__year__lt=today.year
        )
        .exclude(ngo_id__in=exclude)
        .filter(Q(contract__isnull=True))
        .select_related("lot__competition", "ngo__organisation")
        .order_by("lot__competition__programme__year", "pk")
    )
    application = funded.first()
    if application is None:
        return "risk (planted): no past funded project for a late reporter"
    contract = _late_contract(application)
    due = contract.reports.get(number=1).due_date
    later = Application.objects.filter(
        ngo=application.ngo,
        status__in=[
            ApplicationStatus.SUBMITTED,
            ApplicationStatus.COMPLIANT,
            ApplicationStatus.FUNDED,
            ApplicationStatus.NOT_FUNDED,
        ],
        submitted_at__date__gt=due + dt.timedelta(days=30),
    ).first()
    if later is None:
        later = _new_application(application.ngo)
    where = f"application {later.pk}" if later else "no new application"
    return (
        f"risk (planted): late reporter «{application.ngo.organisation.name_ru}» "
        f"(contract {contract.number}, reports 1 and 2 late by 24 and 15 days; {where})"
    )


def _late_contract(application: Application) -> Contract:
    published = application.lot.competition.published_at or timezone.now()
    start = timezone.localdate(published) + dt.timedelta(days=14)
    end = start + dt.timedelta(days=180)
    middle = start + dt.timedelta(days=90)
    contract, _created = Contract.objects.get_or_create(
        application=application,
        defaults={
            "number": f"РС-{application.pk}",
            "organiser": application.lot.competition.organiser,
            "ngo": application.ngo,
            "region": application.region,
            "title": application.title,
            "amount": application.requested_amount,
            "start_date": start,
            "end_date": end,
            "signed_on": start,
            "status": ContractStatus.COMPLETED,
        },
    )
    for number, kind, period_end, late in (
        (1, ReportKind.PROGRESS, middle, 24),
        (2, ReportKind.FINAL, end, 15),  # late twice: a pattern, not an accident
    ):
        due = period_end + dt.timedelta(days=10)
        sent = dt.datetime.combine(
            due + dt.timedelta(days=late), dt.time(12), tzinfo=timezone.get_current_timezone()
        )
        report, new = Report.objects.get_or_create(
            contract=contract,
            number=number,
            defaults={
                "kind": kind,
                "period_start": start,
                "period_end": period_end,
                "due_date": due,
                "status": ProjectReportStatus.APPROVED,
                "beneficiaries": 300 * number,
                "narrative": "Занятия проведены, участники получили сертификаты.",
                "submitted_at": sent,
                "reviewed_at": sent + dt.timedelta(days=5),
            },
        )
        if new:
            ReportStatusChange.objects.bulk_create(
                [
                    ReportStatusChange(
                        report=report,
                        from_status=ProjectReportStatus.DRAFT,
                        to_status=ProjectReportStatus.SUBMITTED,
                    ),
                    ReportStatusChange(
                        report=report,
                        from_status=ProjectReportStatus.SUBMITTED,
                        to_status=ProjectReportStatus.APPROVED,
                    ),
                ]
            )
    return contract


def _new_application(ngo: NgoProfile) -> Application | None:
    """The NGO's application to a lot of an open competition, sent a few days ago."""
    lot = (
        Lot.objects.filter(competition__status=CompetitionStatus.ANNOUNCED)
        .exclude(applications__ngo=ngo)
        .order_by("competition_id", "number")
        .first()
    )
    if lot is None:
        return None
    application = Application.objects.create(
        lot=lot,
        ngo=ngo,
        status=ApplicationStatus.SUBMITTED,
        title=f"{lot.title_ru}: новый проект",
        description="Продолжение прошлого проекта в новых сёлах.",
        target_group="Жители области",
        reach=400,
        region=lot.region or ngo.organisation.region or Region.objects.get(code="43"),
        requested_amount=lot.budget_ceiling * 9 // 10 // 1_000 * 1_000,
        submitted_at=timezone.now() - dt.timedelta(days=2),
    )
    half = application.requested_amount // 2
    BudgetLine.objects.bulk_create(
        [
            BudgetLine(application=application, item="Оплата труда команды", amount=half),
            BudgetLine(
                application=application,
                item="Мероприятия и материалы",
                amount=application.requested_amount - half,
            ),
        ]
    )
    ApplicationStatusChange.objects.create(
        application=application,
        from_status=ApplicationStatus.DRAFT,
        to_status=ApplicationStatus.SUBMITTED,
    )
    return application
