"""Demo projects of the small demo: the contracts of the demo's funded applications with their
targets, tranches, reports, monitoring visits and evaluations of effectiveness (a step of
runner.STEPS, after funding_competitions).

Every funded application gets a contract, except one left for the customer to prepare.
Projects of past years are completed (final report approved, every tranche released, most
evaluated); a grant of last year still runs. This year Kyzylorda's department of internal
policy published one more competition ("Social projects: priority areas") three months ago, and
its projects are where the demo logins find work:

- official@ortaq.kz: a progress report to review, a tranche to release (its report is
  approved), a draft contract to sign, a funded application with no contract yet, a draft
  monitoring visit;
- ngo.admin@ortaq.kz («Болашак жастары» won two lots): a progress report due in a few days
  (a draft), one returned with a comment, a finding of a published visit to answer;
- council.chair@ortaq.kz: a published visit of the public council, with photos;
- expert@ortaq.kz: a completed project to evaluate (a draft); published evaluations elsewhere.

Built through the services, with the demo's people as the actors, so the demo can never
disagree with the rules: `contracts.services` (contract_create, contract_set_schedule,
contract_sign, tranche_release, contract_complete, contract_terminate), `reports.services`
(report_save, report_submit, report_return, report_approve), `monitoring.services`
(visit_create, visit_update, visit_photo_add, visit_publish, finding_answer) and
`monitoring.evaluation` (evaluation_save, evaluation_publish). The plan below says what
happens and on which day; the services decide whether it may, and a refusal stops the seed.

The services stamp what they do with "now", but the demo tells a past. So after each call
`_on(day)` dates what that call wrote, and only that: the history rows and notifications it
added (those older than two weeks are marked read) and the timestamps it set
(`submitted_at`, `reviewed_at`, `released_at`, `published_at`, `answered_at`,
`uploaded_at`, `created_at`). The audit log is append-only: its entries keep the day the demo
was made.

People who act in this history but are no demo login (the staff of other customers, the
administrators of other NGOs) get an account without a usable password,
`demo.<role>.<BIN>@ortaq.kz`: nobody can log in as them.

The planner (`Row`, `ReportPlan`, `Draft`, `plan`, …) is shared with the national generator
(national/funding_projects.py), which writes its far larger history in bulk.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import zoneinfo
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from ortaq.accounts.enums import Role
from ortaq.accounts.models import Membership, Organisation, User
from ortaq.councils.models import Council
from ortaq.demo import funding_competitions as demo
from ortaq.demo import funding_risk
from ortaq.demo.councils import CHAIR_EMAIL, PUBLIC_RU
from ortaq.demo.national import funding as demo_national
from ortaq.demo.world import DemoWorld
from ortaq.funding.competitions.services import deadline_after
from ortaq.funding.contracts import services as contract_services
from ortaq.funding.enums import (
    ApplicationStatus,
    CompetitionStatus,
    ContractStatus,
    EvaluationCriterion,
    FindingSeverity,
    MonitorKind,
    ProgrammeKind,
    ProjectReportStatus,
    ReportKind,
    TrancheStatus,
)
from ortaq.funding.models import (
    Application,
    Competition,
    CompetitionStatusChange,
    Contract,
    ContractStatusChange,
    Evaluation,
    Lot,
    MonitoringVisit,
    Report,
    ReportStatusChange,
    Score,
    Tranche,
    VisitPhoto,
)
from ortaq.funding.monitoring import evaluation as evaluation_services
from ortaq.funding.monitoring import services as monitoring_services
from ortaq.funding.reports import services as report_services
from ortaq.funding.rules import ORGANISER_ROLES, is_council_expert
from ortaq.lib.workdays import add_working_days
from ortaq.notifications.models import Notification
from ortaq.reference.models import ActivityArea, Region
from ortaq.registry.models import NgoProfile

TIME_ZONE = "Asia/Almaty"
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
READ_AFTER_DAYS = 14  # a notification of the demo's past older than this is marked read


# --- Plans: what happens to a contract, and when ----------------------------------------------


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
class Draft:
    """A contract as planned at signing; what has happened by today is what gets written."""

    row: Row
    signed: dt.date | None
    start: dt.date
    end: dt.date
    reports: list[ReportPlan]
    shares: list[int]  # per cent: the advance, then one tranche after each report
    terminated: tuple[dt.date, str] | None = None


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def at(day: dt.date, hour: int = 11) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=zoneinfo.ZoneInfo(TIME_ZONE))


def split(amount: int, shares: Sequence[int]) -> list[int]:
    parts = [amount * share // 100 for share in shares[:-1]]
    return [*parts, amount - sum(parts)]


def rows_of(applications: QuerySet[Application]) -> list[Row]:
    return [Row(*values) for values in applications.order_by("pk").values_list(*ROW_FIELDS)]


def _review(
    rng: random.Random, due: dt.date, *, late_rate: float, return_rate: float
) -> list[Step]:
    """The report sent on time (or late), perhaps returned once, then approved."""
    late = rng.random() < late_rate
    sent = due + days(rng.randint(3, 40)) if late else due - days(rng.randint(0, 8))
    steps = [Step(sent, SUBMITTED)]
    if rng.random() < return_rate:
        back = sent + days(rng.randint(3, 10))
        steps.append(Step(back, RETURNED, rng.choice(RETURN_COMMENTS)))
        sent = back + days(rng.randint(4, 14))
        steps.append(Step(sent, SUBMITTED))
    steps.append(Step(sent + days(rng.randint(3, 12)), APPROVED))
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
    signed = published + days(rng.randint(7, 25))
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
        end = start + days(60)
        report = ReportPlan(ReportKind.FINAL, start, end, end + days(15))
        report.steps = _review(rng, report.due, late_rate=late_rate, return_rate=return_rate)
        report.reached, report.spent = quality, rng.uniform(0.95, 1.0)
        return Draft(row, signed, start, end, [report], [100])
    if row.kind == ProgrammeKind.SOCIAL_ORDER:
        length = max((dt.date(row.year, 12, 15) - start).days, 150)
    elif row.kind == ProgrammeKind.STATE_GRANT:
        length = 540 if long else rng.choice((180, 270, 365, 365, 540))
    else:
        length = rng.choice((180, 270, 365))
    end = start + days(length)
    parts = 3 if length > 400 else 2
    bounds = [start + days(length * i // parts) for i in range(parts + 1)]
    reports = []
    for i in range(parts):
        final = i == parts - 1
        period_start = bounds[i] if i == 0 else bounds[i] + days(1)
        report = ReportPlan(
            ReportKind.FINAL if final else ReportKind.PROGRESS,
            period_start,
            bounds[i + 1],
            bounds[i + 1] + days(15 if final else 10),
        )
        report.steps = _review(rng, report.due, late_rate=late_rate, return_rate=return_rate)
        report.reached = quality * (i + 1) / parts * (1 if final else rng.uniform(0.85, 1.05))
        report.spent = rng.uniform(0.9, 1.0) / parts
        reports.append(report)
    shares = [30, 40, 30] if parts == 2 else [30, 30, 20, 20]
    draft = Draft(row, signed, start, end, reports, shares)
    if terminate if terminate is not None else rng.random() < 0.012:
        first = reports[0]
        sent = first.due + days(rng.randint(5, 20))
        back = sent + days(rng.randint(3, 8))
        first.steps = [Step(sent, SUBMITTED), Step(back, RETURNED, rng.choice(RETURN_COMMENTS))]
        for later in reports[1:]:
            later.steps = []
        draft.terminated = (back + days(rng.randint(20, 50)), rng.choice(TERMINATION_REASONS))
    return draft


def evaluation_values(reached: float, rng: random.Random) -> tuple[dict[str, int], str]:
    """The five criteria scored from how far the project reached its targets, and the
    conclusion that goes with them."""
    base = 5 if reached >= 0.95 else 4 if reached >= 0.8 else 3 if reached >= 0.6 else 2
    values = {str(c): max(0, min(5, base + rng.choice((-1, 0, 0, 1)))) for c in EvaluationCriterion}
    level = "high" if base >= 5 else "mid" if base >= 4 else "low"
    return values, CONCLUSIONS[level]


def narrative(kind: str, status: str, beneficiaries: int) -> tuple[str, str]:
    """The report's text and its public summary (shown once the report is approved)."""
    if kind == ReportKind.FINAL:
        text = f"Проект завершён. Проведены занятия и итоговый форум; участников — {beneficiaries}."
    else:
        text = f"Проведены занятия и встречи по плану-графику; участников — {beneficiaries}."
    return text, text if status == APPROVED else ""


def checklist(findings: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
    """The checklist of a visit: each item, whether it holds, and a note where it does not
    (a shortcoming found shows on the item about the record of participants)."""
    shortcomings = [
        text
        for severity, text in findings
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
    announced_on = today - days(170)
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
        if published.date() <= today - days(95):
            break
        announced_on -= days(7)
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
                    submitted_at=deadline - days(rng.randint(1, 15)),
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


# --- Dating what a service did -----------------------------------------------------------------


@contextmanager
def _on(day: dt.date, hour: int = 12) -> Iterator[None]:
    """Date the history rows and notifications written inside the block on `day` (the
    services write them "now"); notifications older than READ_AFTER_DAYS are marked read."""
    models_dated: tuple[type[models.Model], ...] = (
        ContractStatusChange,
        ReportStatusChange,
        Notification,
    )
    marks = {
        m: m._default_manager.aggregate(top=models.Max("pk"))["top"] or 0 for m in models_dated
    }
    yield
    when = at(day, hour)
    for model, mark in marks.items():
        model._default_manager.filter(pk__gt=mark).update(created_at=when)
    if day < timezone.localdate() - days(READ_AFTER_DAYS):
        Notification.objects.filter(pk__gt=marks[Notification]).update(read_at=when)


def _stamp(obj: models.Model, when: dt.datetime, *names: str) -> None:
    """Put the day of the story on the timestamps a service has just set to "now"."""
    type(obj)._default_manager.filter(pk=obj.pk).update(**dict.fromkeys(names, when))


# --- The people who act ----------------------------------------------------------------------


def _person(organisation: Organisation, roles: Sequence[str]) -> User:
    """The first active member of the organisation in the first of `roles` someone holds;
    without one, a demo account that cannot log in (see the module's docstring)."""
    for role in roles:
        found = (
            User.objects.filter(
                is_active=True,
                memberships__organisation=organisation,
                memberships__role=role,
                memberships__is_active=True,
            )
            .order_by("pk")
            .first()
        )
        if found is not None:
            return found
    role = roles[0]
    email = f"demo.{role}.{organisation.bin or organisation.pk}@ortaq.kz"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(  # no password: nobody logs in as this person
            email, None, full_name=f"{organisation.name_ru[:150]} ({role})", preferred_language="ru"
        )
    Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    return User.objects.get(pk=user.pk)  # fresh: the rules cache a person's memberships


@dataclass
class Actors:
    """Who acts for each organisation in the demo's history (looked up once)."""

    found: dict[tuple[int, str], User] = field(default_factory=dict)

    def _get(self, organisation_id: int, roles: Sequence[str]) -> User:
        key = (organisation_id, roles[0])
        if key not in self.found:
            self.found[key] = _person(Organisation.objects.get(pk=organisation_id), roles)
        return self.found[key]

    def customer(self, organisation_id: int) -> User:
        """An official of the customer (state body or grant operator)."""
        return self._get(organisation_id, [Role.OFFICIAL, *ORGANISER_ROLES])

    def ngo_admin(self, organisation_id: int) -> User:
        return self._get(organisation_id, [Role.ADMIN])


# --- A contract's story, told through the services --------------------------------------------


@dataclass
class Built:
    contract: Contract
    completed_on: dt.date | None = None
    final_reached: float = 0.0


def _schedule(
    draft: Draft, amount: int
) -> tuple[list[contract_services.ReportPlan], list[contract_services.TranchePlan]]:
    """The draft's reports, an advance on the start and one tranche after each report."""
    reports = [
        contract_services.ReportPlan(n, r.kind, r.period_start, r.period_end, r.due)
        for n, r in enumerate(draft.reports, start=1)
    ]
    tranches = []
    for k, part in enumerate(split(amount, draft.shares), start=1):
        linked = k - 1 if 1 < k <= len(draft.reports) + 1 else None
        due = draft.start if linked is None else draft.reports[linked - 1].due + days(20)
        tranches.append(contract_services.TranchePlan(k, part, due, linked))
    return reports, tranches


def _release(customer: User, tranche: Tranche, day: dt.date, application_id: int) -> None:
    with _on(day, 15):
        contract_services.tranche_release(
            actor=customer,
            tranche=tranche,
            payment_reference=f"ПП-{day:%Y}-{application_id:06d}-{tranche.number}",
        )
    _stamp(tranche, at(day, 15), "released_at")


def _file(filer: User, report: Report, plan: ReportPlan, row: Row) -> Report:
    """The NGO fills the report in: each target's actual value from the share of the planned
    change reached, each budget line's spending, the people reached and the narrative."""
    people = round(row.reach * plan.reached)
    text, public = narrative(plan.kind, plan.status, people)
    values = {}
    for target in report.contract.indicators.all():
        planned = float(target.target - target.baseline)
        values[target.pk] = (Decimal(round(float(target.baseline) + planned * plan.reached)), "")
    spending = {
        line.pk: (int(line.amount * plan.spent), "")
        for line in report.contract.application.budget_lines.all()
    }
    return report_services.report_save(
        actor=filer,
        report=report,
        beneficiaries=people,
        narrative=text,
        public_summary=public,
        values=values,
        spending=spending,
        expected_version=report.version,
    )


def build(
    draft: Draft,
    *,
    application: Application,
    actors: Actors,
    today: dt.date,
    rng: random.Random,
    hold: bool = False,
) -> Built:
    """The contract of `draft` as its customer and NGO would have made it, up to `today`:
    prepared and signed; the advance released a few days after signing; each report filled,
    sent, perhaps returned and sent again, approved; the tranche after it released a few days
    later (none when `hold`); completed once everything is approved and paid, or terminated.
    Nothing happens after the termination."""
    row = draft.row
    customer = actors.customer(row.organiser_id)
    filer = actors.ngo_admin(application.ngo.organisation_id)
    prepared = min(draft.signed or today, today) - days(3)
    contract = contract_services.contract_create(
        actor=customer, application=application, start_date=draft.start, end_date=draft.end
    )
    reports, tranches = _schedule(draft, contract.amount)
    contract = contract_services.contract_set_schedule(
        actor=customer, contract=contract, reports=reports, tranches=tranches,
        expected_version=contract.version,
    )  # fmt: skip
    # Prepared a few days before signing, not on the day the demo was made.
    _stamp(contract, at(prepared, 10), "created_at")
    Report.objects.filter(contract=contract).update(created_at=at(prepared, 10))
    built = Built(contract)
    if draft.signed is None or draft.signed > today:
        return built
    with _on(draft.signed):
        contract_services.contract_sign(
            actor=customer,
            contract=contract,
            signed_on=draft.signed,
            expected_version=contract.version,
        )
    ended, why = draft.terminated if draft.terminated else (None, "")
    if ended is not None and ended > today:
        ended = None  # terminated later than today: not yet
    cut = ended or today
    by_number = {t.number: t for t in Tranche.objects.filter(contract=contract)}
    released: list[dt.date] = []
    advance = draft.signed + days(rng.randint(2, 9))
    if advance <= cut:
        _release(customer, by_number[1], advance, row.pk)
        released.append(advance)
    for number, plan_ in enumerate(draft.reports, start=1):
        report = Report.objects.select_related("contract__application").get(
            contract=contract, number=number
        )
        steps = [s for s in plan_.steps if s.day <= cut]
        if plan_.filled or steps:
            report = _file(filer, report, plan_, row)
        for step in steps:
            with _on(step.day, 16 if step.to == SUBMITTED else 12):
                if step.to == SUBMITTED:
                    first = report.submitted_at is None
                    report = report_services.report_submit(actor=filer, report=report)
                elif step.to == RETURNED:
                    report = report_services.report_return(
                        actor=customer, report=report, comment=step.reason
                    )
                else:
                    report = report_services.report_approve(actor=customer, report=report)
            if step.to == SUBMITTED:
                if first:  # report_submit sets submitted_at on the first sending only
                    _stamp(report, at(step.day, 16), "submitted_at")
            else:
                _stamp(report, at(step.day, 12), "reviewed_at")
        if report.status == APPROVED:
            built.final_reached = plan_.reached
            after = by_number.get(number + 1)
            day = steps[-1].day + days(rng.randint(2, 9))
            if after is not None and not hold and day <= cut:
                _release(customer, after, day, row.pk)
                released.append(day)
    contract.refresh_from_db()
    if ended is not None:
        with _on(ended):
            contract_services.contract_terminate(
                actor=customer, contract=contract, reason=why, expected_version=contract.version
            )
        return built
    approved = [r.day_of(APPROVED) for r in draft.reports]
    if len(released) == len(by_number) and all(d is not None and d <= cut for d in approved):
        done = max([*released, *(d for d in approved if d is not None)]) + days(1)
        if done <= today:
            with _on(done):
                contract_services.contract_complete(
                    actor=customer, contract=contract, expected_version=contract.version
                )
            built.completed_on = done
    return built


# --- The small demo --------------------------------------------------------------------------


def _fresh_draft(row: Row, scenario: Scenario, today: dt.date, rng: random.Random) -> Draft:
    """Five months: a progress report on the first two, the final one at the end."""
    start = today + days(scenario.start)
    end = start + days(150)
    middle = start + days(59)
    progress = ReportPlan(
        ReportKind.PROGRESS,
        start,
        middle,
        middle + days(10),
        steps=[Step(today + days(d), to, reason) for d, to, reason in scenario.steps],
        reached=rng.uniform(0.45, 0.6),
        spent=rng.uniform(0.4, 0.5),
        filled=scenario.filled,
    )
    final = ReportPlan(
        ReportKind.FINAL,
        middle + days(1),
        end,
        end + days(10),
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
        .exclude(lot__competition__in=demo_national.national_competitions())
        .exclude(funding_risk.planted())  # the risk module's plants keep their own story
    )
    rows = rows_of(applications)
    objects = applications.select_related("ngo__organisation").in_bulk([r.pk for r in rows])
    lot_of = dict(applications.filter(lot__competition=fresh).values_list("pk", "lot__number"))
    competition_of = dict(applications.values_list("pk", "lot__competition_id"))
    siblings: dict[int, list[int]] = {}
    for row in rows:
        siblings.setdefault(competition_of[row.pk], []).append(row.pk)
    actors = Actors()
    built: list[Built] = []
    by_lot: dict[int, Contract] = {}
    running_grants: list[Contract] = []
    for row in rows:
        rng = random.Random(f"demo:{row.pk}")
        if row.pk in lot_of:
            scenario = SCENARIOS.get(lot_of[row.pk])
            if scenario is None:
                continue  # funded, waiting for the customer to prepare its contract
            draft = _fresh_draft(row, scenario, today, rng)
            made = build(
                draft, application=objects[row.pk], actors=actors, today=today, rng=rng,
                hold=scenario.hold,
            )  # fmt: skip
            by_lot[lot_of[row.pk]] = made.contract
            built.append(made)
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
            second.steps = [] if index == 1 else [Step(second.due + days(40), SUBMITTED)]
            for later in draft.reports[2:]:
                later.steps = []
        made = build(draft, application=objects[row.pk], actors=actors, today=today, rng=rng)
        if running and made.contract.status != ContractStatus.DRAFT:
            running_grants.append(made.contract)
        built.append(made)
    # Visits before evaluations: once a project's evaluation is published, the NGO's answers
    # to its findings are closed (monitoring.services.answers_closed).
    _small_visits(
        world,
        actors=actors,
        today=today,
        kzo=kzo,
        cisc=cisc,
        by_lot=by_lot,
        past=[b.contract for b in built if b.completed_on is not None],
        grants=running_grants,
    )
    _small_evaluations(built, actors=actors, kzo=kzo, today=today)
    return [b.contract for b in built]


def _small_evaluations(
    built: list[Built], *, actors: Actors, kzo: Organisation, today: dt.date
) -> None:
    """The department's completed projects: the latest the demo expert may evaluate is a
    draft of expert@ortaq.kz with two criteria scored; the others but the oldest are scored
    and published by the department."""
    done = sorted(
        (b for b in built if b.completed_on and b.contract.organiser_id == kzo.pk),
        key=lambda b: (b.completed_on, b.contract.pk),
        reverse=True,
    )
    if not done:
        return
    rng = random.Random("demo-evaluations")
    expert = _user(demo.DEMO_EXPERT)
    official = actors.customer(kzo.pk)
    mine = next(
        (b for b in done if expert is not None and is_council_expert(expert, b.contract)), None
    )
    if expert is not None and mine is not None:
        values, _conclusion = evaluation_values(mine.final_reached, rng)
        day = min((mine.completed_on or today) + days(20), today)
        evaluation = evaluation_services.evaluation_save(
            actor=expert,
            contract=mine.contract,
            scores={c: (v, "") for c, v in values.items() if c in ("relevance", "plan")},
            conclusion="",
            expected_version=0,
        )
        _stamp(evaluation, at(day, 10), "created_at")
    for b in done[:-1]:
        if b is mine:
            continue
        values, conclusion = evaluation_values(b.final_reached, rng)
        completed = b.completed_on or today  # every one of `done` is completed
        created = min(completed + days(20), today)
        published = min(completed + days(rng.randint(40, 90)), today)
        evaluation = evaluation_services.evaluation_save(
            actor=official,
            contract=b.contract,
            scores={c: (v, "") for c, v in values.items()},
            conclusion=conclusion,
            expected_version=0,
        )
        with _on(published):
            evaluation = evaluation_services.evaluation_publish(
                actor=official, contract=b.contract, expected_version=evaluation.version
            )
        _stamp(evaluation, at(created, 10), "created_at")
        _stamp(evaluation, at(published, 12), "published_at")


# severity, text, the NGO's answer and the day it was given ("" and None: not answered)
Finding = tuple[str, str, str, dt.date | None]


def _visit(
    contract: Contract,
    *,
    inspector: User,
    answerer: User,
    kind: str,
    visited: dt.date,
    published: dt.date | None,
    findings: Sequence[Finding],
    captions: Sequence[str] = (),
    council: Council | None = None,
) -> MonitoringVisit:
    """A visit as its inspector records it: the draft, its checklist and findings, the
    photos; published on `published`; the NGO's answers after it."""
    visit = monitoring_services.visit_create(
        actor=inspector, contract=contract, monitor_kind=kind, visited_on=visited, council=council
    )
    visit = monitoring_services.visit_update(
        actor=inspector,
        visit=visit,
        checklist=checklist([(f[0], f[1]) for f in findings]),
        summary="Проект реализуется; замечания — в выводах." if findings else "",
        recommendations="Вести учёт участников на каждом занятии." if findings else "",
        findings=[(f[0], f[1]) for f in findings],
        expected_version=visit.version,
    )
    for scene, caption in enumerate(captions):
        made = _picture(f"Ortaq demo - {contract.number} - {visited:%Y-%m-%d}", scene)
        if made is not None:
            upload = SimpleUploadedFile(
                f"visit-{visited:%Y%m%d}-{scene + 1}.jpg", made[0], content_type="image/jpeg"
            )
            photo = monitoring_services.visit_photo_add(
                actor=inspector, visit=visit, upload=upload, caption=caption
            )
            _stamp(photo, at(visited, 18), "uploaded_at")
    _stamp(visit, at(visited, 18), "created_at")
    if published is None:
        return visit
    with _on(published, 17):
        visit = monitoring_services.visit_publish(
            actor=inspector, visit=visit, expected_version=visit.version
        )
    _stamp(visit, at(published, 17), "published_at")
    for finding, (_severity, _text, answer, answered) in zip(
        visit.findings.order_by("position", "pk"), findings, strict=True
    ):
        if answer and answered is not None:
            with _on(answered):
                monitoring_services.finding_answer(actor=answerer, finding=finding, answer=answer)
            _stamp(finding, at(answered, 12), "answered_at")
    return visit


def _small_visits(
    world: DemoWorld,
    *,
    actors: Actors,
    today: dt.date,
    kzo: Organisation,
    cisc: Organisation,
    by_lot: dict[int, Contract],
    past: list[Contract],
    grants: list[Contract],
) -> None:
    users: dict[str, User] = world.objects.get("users", {})
    official = users.get("state official") or actors.customer(kzo.pk)
    chair = _user(CHAIR_EMAIL)
    council = Council.objects.filter(name_ru=PUBLIC_RU).first()
    note, minor = FINDINGS[0], FINDINGS[2]

    def on(day: int) -> dt.date:
        return today + days(day)

    def answerer(contract: Contract) -> User:
        return actors.ngo_admin(contract.ngo.organisation_id)

    if 1 in by_lot:  # the demo NGO: one finding answered, one to answer
        _visit(
            by_lot[1], inspector=official, answerer=answerer(by_lot[1]),
            kind=MonitorKind.STATE_BODY, visited=on(-12), published=on(-10),
            findings=[(*note, ANSWERS[2], on(-7)), (*minor, "", None)],
            captions=["Занятие медиалаборатории", "Участники проекта"],
        )  # fmt: skip
    if 3 in by_lot:  # the official's draft
        _visit(
            by_lot[3], inspector=official, answerer=answerer(by_lot[3]),
            kind=MonitorKind.STATE_BODY, visited=on(-2), published=None,
            findings=[(*minor, "", None)], captions=["Консультация для молодой семьи"],
        )  # fmt: skip
    if 4 in by_lot and council is not None and chair is not None:  # the public council's visit
        _visit(
            by_lot[4], inspector=chair, answerer=answerer(by_lot[4]),
            kind=MonitorKind.COUNCIL, visited=on(-22), published=on(-20),
            findings=[(*note, ANSWERS[0], on(-15))], council=council,
            captions=["Инклюзивный кружок", "Встреча с родителями"],
        )  # fmt: skip
    if past:
        oldest = min(past, key=lambda c: (c.start_date, c.pk))
        visited = oldest.start_date + days(60)
        _visit(
            oldest, inspector=actors.customer(oldest.organiser_id), answerer=answerer(oldest),
            kind=MonitorKind.STATE_BODY, visited=visited, published=visited + days(3),
            findings=[(*minor, ANSWERS[0], visited + days(10))],
            captions=["Итоговое мероприятие проекта"],
        )  # fmt: skip
    if grants:
        visited = grants[0].start_date + days(120)
        if visited + days(5) <= today:
            _visit(
                grants[0], inspector=actors.customer(cisc.pk), answerer=answerer(grants[0]),
                kind=MonitorKind.OPERATOR, visited=visited, published=visited + days(5),
                findings=[(*note, ANSWERS[1], visited + days(12))],
            )  # fmt: skip


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


# --- Steps -------------------------------------------------------------------------------------


def seed(world: DemoWorld) -> None:
    made = seed_small(world)
    if made:
        world.log.append(f"funding (projects): {len(made)} contracts of the demo")


def summarise(world: DemoWorld) -> None:
    world.log.append(summary())
