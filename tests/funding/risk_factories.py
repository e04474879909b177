"""Builders for the risk tests: an ordinary funding world written straight into the tables
(six regions, six NGOs each, a regional body per region and a national grant operator, two
years of published competitions, prices at 80–100% of the ceilings, every project its own
text and budget) and the patterns planted into it."""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ortaq.accounts.enums import Level, OrganisationKind
from ortaq.accounts.models import Organisation
from ortaq.funding.enums import (
    ApplicationStatus,
    CompetitionStatus,
    ContractStatus,
    DecisionStatus,
    ProgrammeKind,
    ProjectReportStatus,
    ReportKind,
)
from ortaq.funding.models import (
    Application,
    BudgetLine,
    Competition,
    Contract,
    Decision,
    DecisionLine,
    Lot,
    Programme,
    Report,
)
from ortaq.reference.models import ActivityArea, Region
from ortaq.registry.models import NgoProfile
from tests.factories import OrganisationFactory, StateBodyFactory
from tests.registry.factories import NgoProfileFactory

REGIONS = ("43", "15", "71", "75", "35", "63")
YEARS = (2023, 2024)
TZ = zoneinfo.ZoneInfo("Asia/Almaty")

# Eight projects on different subjects, written independently: they share words, not phrases.
TOPICS = (
    "Летний лагерь дневного пребывания для подростков из малообеспеченных семей: спортивные "
    "секции, кружки робототехники и походы выходного дня, которые ведут тренеры местной "
    "детско-юношеской школы вместе со студентами педагогического колледжа.",
    "Горячая линия психологической помощи женщинам, пострадавшим от бытового насилия, "
    "работает круглосуточно; юристы сопровождают обращения в полицию и суд, а временный "
    "кризисный центр принимает матерей с детьми на срок до трёх месяцев.",
    "Возрождение ремесла войлочного ковра сырмак: мастерицы из аулов обучают городскую "
    "молодёжь орнаментам, изделия продаются на ярмарках, а выручка возвращается мастерским "
    "на покупку шерсти и красителей из местных растений.",
    "Волонтёрский штаб помогает одиноким пожилым людям зимой: доставка продуктов и лекарств, "
    "колка дров, мелкий ремонт жилья и еженедельные телефонные звонки, чтобы никто из "
    "подопечных не остался без внимания в морозы.",
    "Курсы финансовой грамотности для владельцев малого бизнеса в моногородах: бухгалтерский "
    "учёт, налоговые режимы, кредитование и онлайн-продажи, с индивидуальными консультациями "
    "и разбором реальных бизнес-планов слушателей.",
    "Сортировка бытовых отходов в многоквартирных домах: жильцы получают контейнеры для "
    "пластика и бумаги, школьники проводят поквартирные обходы, а управляющие компании "
    "заключают договоры с переработчиками вторичного сырья.",
    "Инклюзивный театр, в котором играют вместе актёры с нарушениями слуха и слышащие; "
    "спектакли сопровождаются сурдопереводом и бегущей строкой, гастроли проходят по "
    "районным домам культуры в течение всего сезона.",
    "Медиаклуб для старшеклассников учит проверять факты, распознавать фейковые новости и "
    "делать собственные репортажи о жизни района; лучшие материалы публикуют местная газета "
    "и страница акимата в социальных сетях.",
)
ITEMS = (
    "Оплата труда команды",
    "Мероприятия и материалы",
    "Аренда помещения",
    "Транспорт",
    "Информационная кампания",
)
DUPLICATE = (
    (
        "Проект обучает пожилых жителей отдалённых сёл пользоваться смартфоном, электронным "
        "правительством и онлайн-банкингом. В каждом из двенадцати сельских округов "
        "волонтёры из числа старшеклассников проводят по восемь занятий в библиотеках и домах "
        "культуры, а слушатели получают памятку на казахском и русском языках."
    ),
    (
        "Проект обучает пожилых жителей отдалённых сёл пользоваться смартфоном, электронным "
        "правительством и онлайн-банкингом. В каждом из двенадцати сельских округов "
        "волонтёры из числа студентов колледжа проводят по восемь занятий в библиотеках и "
        "домах культуры, а слушатели получают памятку на казахском и русском языках."
    ),
)
DUPLICATE_LINES = (
    ("Оплата труда тренеров", 2_400_000),
    ("Планшеты для учебных классов", 1_800_000),
    ("Транспорт до сельских округов", 950_000),
    ("Печать памяток на двух языках", 420_000),
    ("Информационная кампания в районных СМИ", 630_000),
)


@dataclass
class World:
    bodies: dict[str, Organisation]
    operator: Organisation
    ngos: dict[str, list[NgoProfile]]
    rng: random.Random
    competitions: dict[tuple[int, int], Competition] = field(default_factory=dict)
    projects: dict[int, int] = field(default_factory=dict)  # NGO → projects so far

    def region(self, code: str) -> Region:
        return Region.objects.get(code=code)


def _area() -> ActivityArea:
    return ActivityArea.objects.filter(is_active=True).order_by("position").first()  # type: ignore[return-value]


def competition(world: World, organiser: Organisation, year: int) -> Competition:
    key = (organiser.pk, year)
    if key not in world.competitions:
        programme = Programme.objects.create(
            kind=(
                ProgrammeKind.SOCIAL_ORDER
                if organiser.kind == OrganisationKind.STATE_BODY
                else ProgrammeKind.STATE_GRANT
            ),
            owner=organiser,
            year=year,
            title_kk=f"Бағдарлама {year}",
            title_ru=f"Программа {organiser.name_ru} {year}",
            budget=2_000_000_000,
        )
        made = Competition.objects.create(
            programme=programme,
            organiser=organiser,
            title_kk=f"Байқау {year}",
            title_ru=f"Конкурс {year}",
            status=CompetitionStatus.PUBLISHED,
            announced_at=dt.datetime(year, 3, 1, 10, tzinfo=TZ),
            application_deadline=dt.datetime(year, 3, 31, 18, tzinfo=TZ),
            published_at=dt.datetime(year, 5, 15, 11, tzinfo=TZ),
        )
        Decision.objects.create(
            competition=made,
            status=DecisionStatus.PUBLISHED,
            computed_at=dt.datetime(year, 5, 10, tzinfo=TZ),
        )
        world.competitions[key] = made
    return world.competitions[key]


def funded(
    world: World,
    organiser: Organisation,
    *,
    year: int,
    ngo: NgoProfile,
    region: Region,
    ceiling: int,
    price: int,
    title: str,
    text: str,
    lines: list[tuple[str, int]],
) -> Application:
    comp = competition(world, organiser, year)
    number = comp.lots.count() + 1
    lot = Lot.objects.create(
        competition=comp,
        number=number,
        title_kk=title[:100],
        title_ru=title[:100],
        region=region,
        area=_area(),
        budget_ceiling=ceiling,
    )
    application = Application.objects.create(
        lot=lot,
        ngo=ngo,
        status=ApplicationStatus.FUNDED,
        title=title,
        description=text,
        region=region,
        requested_amount=price,
        submitted_at=dt.datetime(year, 3, 20, 12, tzinfo=TZ),
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(application=application, item=item, amount=amount) for item, amount in lines
    )
    DecisionLine.objects.create(
        decision=comp.decision,
        application=application,
        rank=1,
        total_score=Decimal("85.00"),
        funded=True,
        amount=price,
        remaining_before=ceiling,
    )
    return application


def _budget(rng: random.Random, price: int) -> list[tuple[str, int]]:
    """Five lines in proportions of the project's own (no two budgets alike)."""
    weights = [rng.uniform(0.2, 3.0) for _ in ITEMS]
    amounts = [int(price * w / sum(weights)) for w in weights[:-1]]
    return [*zip(ITEMS, [*amounts, price - sum(amounts)], strict=True)]


def ordinary(world: World, ngo: NgoProfile, organiser: Organisation, year: int) -> Application:
    """A project of the NGO on a subject of its own (never the same twice for one NGO)."""
    rng = world.rng
    k = world.projects.get(ngo.pk, 0)
    world.projects[ngo.pk] = k + 1
    topic = TOPICS[(ngo.pk + k) % len(TOPICS)]
    ceiling = rng.randrange(6_000_000, 12_000_000, 1_000)
    price = int(ceiling * rng.uniform(0.8, 1.0)) // 1_000 * 1_000
    region = ngo.organisation.region
    assert region is not None
    return funded(
        world,
        organiser,
        year=year,
        ngo=ngo,
        region=region,
        ceiling=ceiling,
        price=price,
        title=f"{topic.split(':')[0].split(',')[0][:80]} ({region.name_ru})",
        text=topic,
        lines=_budget(rng, price),
    )


def ordinary_world(seed: int = 5) -> World:
    """Six regions × six NGOs; each regional body funds two projects of each of its NGOs a
    year, the national operator one project per region a year."""
    bodies = {code: StateBodyFactory(region=Region.objects.get(code=code)) for code in REGIONS}
    operator = OrganisationFactory(
        kind=OrganisationKind.GRANT_OPERATOR, level=Level.NATIONAL, region=None
    )
    ngos = {
        code: [
            NgoProfileFactory(organisation=OrganisationFactory(region=bodies[code].region))
            for _ in range(6)
        ]
        for code in REGIONS
    }
    world = World(bodies=bodies, operator=operator, ngos=ngos, rng=random.Random(seed))
    for year in YEARS:
        for i, code in enumerate(REGIONS):
            for ngo in ngos[code]:
                ordinary(world, ngo, bodies[code], year)
                ordinary(world, ngo, bodies[code], year)
            ordinary(world, ngos[code][(i + year) % 6], operator, year)
    # Two NGOs of one region with the same text: copying between NGOs is not double funding.
    a, b = ngos["43"][0], ngos["43"][1]
    for ngo in (a, b):
        funded(
            world,
            operator,
            year=2024,
            ngo=ngo,
            region=bodies["43"].region,  # type: ignore[arg-type]
            ceiling=8_000_000,
            price=7_500_000,
            title="Общий проект",
            text=DUPLICATE[0],
            lines=list(DUPLICATE_LINES),
        )
    return world


def plant_duplicate(world: World, *, year: int = 2024) -> tuple[Application, Application]:
    """An NGO of Kyzylorda funded by its region's body and by the national operator in the
    same year for one project, the copy with a few words changed and 2% more per line."""
    ngo = NgoProfileFactory(
        organisation=OrganisationFactory(
            region=world.bodies["43"].region, name_ru="Общественное объединение «Дубль»"
        )
    )
    region = world.region("43")
    first_lines = list(DUPLICATE_LINES)
    second_lines = [(item, amount * 102 // 100) for item, amount in DUPLICATE_LINES]
    first = funded(
        world,
        world.bodies["43"],
        year=year,
        ngo=ngo,
        region=region,
        ceiling=6_500_000,
        price=sum(a for _i, a in first_lines),
        title="Цифровая грамотность для пожилых жителей сёл",
        text=DUPLICATE[0],
        lines=first_lines,
    )
    second = funded(
        world,
        world.operator,
        year=year,
        ngo=ngo,
        region=region,
        ceiling=6_500_000,
        price=sum(a for _i, a in second_lines),
        title="Цифровая грамотность для пожилых жителей сельских округов",
        text=DUPLICATE[1],
        lines=second_lines,
    )
    return first, second


def plant_wholesaler(world: World, *, year: int = 2024) -> tuple[NgoProfile, list[Application]]:
    """An NGO of Astana winning a lot of each of the six regional bodies at 50–60%."""
    ngo = NgoProfileFactory(
        organisation=OrganisationFactory(
            region=world.bodies["71"].region, name_ru="ТОО-подобное объединение «Опт»"
        )
    )
    won = []
    for i, code in enumerate(REGIONS):
        ceiling = 10_000_000
        price = ceiling * (50 + 2 * i) // 100
        won.append(
            funded(
                world,
                world.bodies[code],
                year=year,
                ngo=ngo,
                region=world.region(code),
                ceiling=ceiling,
                price=price,
                title="Социальное сопровождение семей",
                text=TOPICS[3],
                lines=[("Оплата труда", price // 2), ("Расходы", price - price // 2)],
            )
        )
    return ngo, won


def late_report(
    application: Application, *, late_days: int = 20, status: str = ProjectReportStatus.APPROVED
) -> Report:
    """A contract of the application with a progress report sent `late_days` after its due
    date (returned or approved)."""
    start = dt.date(application.lot.competition.programme.year, 6, 1)
    contract = Contract.objects.create(
        application=application,
        number=f"C-{application.pk}",
        organiser_id=application.lot.competition.organiser_id,
        ngo=application.ngo,
        region=application.region,
        title=application.title,
        amount=application.requested_amount,
        start_date=start,
        end_date=start + dt.timedelta(days=180),
        signed_on=start,
        status=ContractStatus.ACTIVE,
    )
    due = start + dt.timedelta(days=100)
    sent = dt.datetime.combine(due + dt.timedelta(days=late_days), dt.time(12), tzinfo=TZ)
    return Report.objects.create(
        contract=contract,
        number=1,
        kind=ReportKind.PROGRESS,
        period_start=start,
        period_end=start + dt.timedelta(days=90),
        due_date=due,
        status=status,
        submitted_at=sent,
        reviewed_at=sent + dt.timedelta(days=3),
    )


def sent_application(ngo: NgoProfile, organiser: Organisation, world: World, **kw: Any) -> Any:
    """An application of the NGO sent on `when` (not funded yet)."""
    when: dt.datetime = kw["when"]
    comp = competition(world, organiser, when.year)
    lot = Lot.objects.create(
        competition=comp,
        number=comp.lots.count() + 1,
        title_kk="Жаңа лот",
        title_ru="Новый лот",
        region=organiser.region or ngo.organisation.region,
        area=_area(),
        budget_ceiling=5_000_000,
    )
    return Application.objects.create(
        lot=lot,
        ngo=ngo,
        status=ApplicationStatus.SUBMITTED,
        title="Новый проект",
        region=lot.region,
        requested_amount=4_000_000,
        submitted_at=when,
    )
