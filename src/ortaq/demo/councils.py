"""Demo councils (a step of runner.STEPS): the public council at the Kyzylorda department of
internal policy, and the 13-member coordination council of the Kyzylorda Civil Alliance
elected at its general meeting (seed 004), with meetings, published protocols and answered
recommendations.

The NGO member (ngo.member@ortaq.kz) is the public council's secretary, the NGO administrator
(ngo.admin@ortaq.kz) a member of both councils, council.chair@ortaq.kz its chair.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from allauth.account.models import EmailAddress
from django.utils import timezone

from ortaq.accounts.enums import Level, OrganisationKind
from ortaq.accounts.models import Organisation, User
from ortaq.councils import services
from ortaq.councils.enums import (
    AgendaKind,
    CompositionStatus,
    CouncilKind,
    MemberCategory,
    Position,
)
from ortaq.councils.models import Council, Election
from ortaq.councils.selectors import election_tally
from ortaq.demo.world import DEMO_PASSWORD, DemoWorld
from ortaq.lib.identifiers import make_bin
from ortaq.reference.models import Region

PUBLIC_RU = "Общественный совет при управлении внутренней политики Кызылординской области"
ALLIANCE_RU = "Координационный совет Гражданского альянса Кызылординской области"
CHAIR_EMAIL = "council.chair@ortaq.kz"

# (kk, ru) names of civil-society members of the public council.
PEOPLE = [
    "Ахметова Сәуле", "Бекова Айжан", "Жаксылыков Марат", "Исаев Қайрат", "Кенжебаева Гүлмира",
    "Мұхамедов Арман", "Нұрланова Әсел", "Оспанов Дәурен", "Сейітова Мәдина", "Тұрсынов Ерлан",
    "Үсенова Жанар", "Шәріпов Бауыржан", "Ыбыраева Динара", "Әлиев Нұрбол", "Қасымова Айгүл",
    "Ғалымов Серік",
]  # fmt: skip
NGO_NAMES = [
    ("«Сыр жастары»", "«Сыр жастары»", "Syr Zhastary"),
    ("«Ана мен бала»", "«Мать и дитя»", "Mother and Child"),
    ("«Жасыл Арал»", "«Зелёный Арал»", "Green Aral"),
    ("«Мейірім»", "«Милосердие»", "Mercy"),
    ("«Ақпарат әлемі»", "«Мир информации»", "World of Information"),
    ("«Денсаулық»", "«Здоровье»", "Health"),
    ("«Құқық қорғау»", "«Защита прав»", "Rights Protection"),
    ("«Ерікті»", "«Волонтёр»", "Volunteer"),
    ("«Мәдени мұра»", "«Культурное наследие»", "Cultural Heritage"),
    ("«Ауыл тынысы»", "«Дыхание аула»", "Village Breath"),
    ("«Білім»", "«Знание»", "Knowledge"),
    ("«Отбасы»", "«Семья»", "Family"),
    ("«Спорт әлемі»", "«Мир спорта»", "World of Sport"),
    ("«Мүмкіндік»", "«Возможность»", "Opportunity"),
    ("«Адал»", "«Честность»", "Integrity"),
    ("«Достық»", "«Дружба»", "Friendship"),
    ("«Тіл»", "«Язык»", "Language"),
    ("«Экожол»", "«Экопуть»", "Eco Path"),
]


def _alliance_ngos(region: Region) -> list[Organisation]:
    """Member NGOs of the alliance (made here, looked up by BIN)."""
    found = []
    for index, (kk, ru, en) in enumerate(NGO_NAMES):
        bin_ = make_bin(2011, 1 + index % 12, 99_000 + index)
        organisation = Organisation.objects.filter(bin=bin_).first()
        if organisation is None:
            organisation = Organisation.objects.create(
                kind=OrganisationKind.NGO,
                level=Level.REGION,
                region=region,
                name_kk=f"{kk} қоғамдық бірлестігі",
                name_ru=f"Общественное объединение {ru}",
                name_en=f"{en} public association",
                bin=bin_,
            )
        found.append(organisation)
    return found


def _chair(world: DemoWorld) -> User:
    user = User.objects.filter(email=CHAIR_EMAIL).first()
    if user is None:
        user = User.objects.create_user(
            CHAIR_EMAIL, DEMO_PASSWORD, full_name="Жұмабекова Раушан", preferred_language="kk"
        )
    EmailAddress.objects.get_or_create(
        user=user, email=CHAIR_EMAIL, defaults={"verified": True, "primary": True}
    )
    world.login("council chair", CHAIR_EMAIL)
    return user


def _public_council(world: DemoWorld, orgs: dict[str, Organisation], ngos: list[Any]) -> Council:
    users = world.objects["users"]
    host = orgs["kyzylorda_dip"]
    council = services.council_create(
        actor=None,
        organisation=host,
        kind=CouncilKind.PUBLIC,
        name_kk="Қызылорда облысының ішкі саясат басқармасы жанындағы қоғамдық кеңес",
        name_ru=PUBLIC_RU,
        name_en="Public council at the Department of Internal Policy of Kyzylorda Region",
        description="Консультативно-совещательный орган (Закон «Об общественных советах», 2015).",
    )
    term_start = dt.date(2024, 2, 1)
    composition = services.composition_create(actor=None, council=council, term_start=term_start)
    chair = _chair(world)

    def seat(name: str, category: str, position: str = Position.MEMBER, **kw: Any) -> None:
        services.member_add(
            actor=None, composition=composition, full_name=name, category=category,
            position=position, appointed_on=term_start, **kw,
        )  # fmt: skip

    seat(chair.full_name, MemberCategory.CIVIL, Position.CHAIR, user=chair, organisation=ngos[0])
    seat(users["NGO member"].full_name, MemberCategory.CIVIL, Position.SECRETARY,
         user=users["NGO member"])  # fmt: skip
    admin = users["NGO administrator"]
    seat(admin.full_name, MemberCategory.CIVIL, user=admin, organisation=orgs["kzo_youth"])
    for index, name in enumerate(PEOPLE[:7]):
        seat(name, MemberCategory.CIVIL, Position.DEPUTY if index == 0 else Position.MEMBER,
             organisation=ngos[index + 1])  # fmt: skip
    for name in ("Каюпов Руслан", "Серікова Дина", "Омаров Талғат"):
        seat(name, MemberCategory.STATE)
    services.composition_approve(actor=None, composition=composition)
    services.composition_take_over(actor=None, composition=composition, today=term_start)
    _meetings(council, users, chair, host)
    return council


def _meetings(council: Council, users: dict[str, User], chair: User, host: Organisation) -> None:
    secretary = users["NGO member"]
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    past = [
        (dt.date(2025, 3, 14), "Молодёжная политика и занятость в сельских районах",
         "Ауылдық аудандардағы жастар саясаты және жұмыспен қамту"),
        (dt.date(2025, 9, 19), "Отчёт руководителя управления о государственном социальном заказе",
         "Басқарма басшысының мемлекеттік әлеуметтік тапсырыс туралы есебі"),
        (today - dt.timedelta(days=30), "Общественный мониторинг ремонта дорог",
         "Жолдарды жөндеуді қоғамдық мониторингтеу"),
    ]  # fmt: skip
    answers = [("accepted", 100), ("partial", 60), (None, 0)]
    for index, (day, topic_ru, topic_kk) in enumerate(past):
        meeting = services.meeting_create(
            actor=secretary, council=council,
            starts_at=dt.datetime.combine(day, dt.time(10, 0), tzinfo=tz),
            place="Қызылорда қ., облыстық әкімдік, 2-зал", title=topic_ru,
        )  # fmt: skip
        item = services.agenda_item_add(
            actor=secretary, meeting=meeting, topic_kk=topic_kk, topic_ru=topic_ru,
            kind=AgendaKind.REPORT_HEARING if index == 1 else AgendaKind.DISCUSSION,
            speaker="Каюпов Р." if index == 1 else "Жұмабекова Р.", vote_mode="by_count",
            documents="https://kyzylorda.gov.kz/reports/2025.pdf",
        )  # fmt: skip
        members = [m.pk for m in meeting.composition.members.all()]
        services.attendance_record(
            actor=secretary, meeting=meeting, present_ids=members[: 9 - index]
        )
        services.votes_record(actor=secretary, item=item, counts=(7 - index, 1, 1))
        services.decision_record(
            actor=secretary, item=item,
            decision_kk="Басқармаға ұсыныс жолдансын.",
            decision_ru="Направить рекомендацию управлению.",
        )  # fmt: skip
        recommendation = services.recommendation_create(
            actor=secretary, item=item, addressee=host, sent_on=day + dt.timedelta(days=3),
            text_kk=f"{topic_kk}: іс-шаралар жоспарын әзірлеу.",
            text_ru=f"{topic_ru}: разработать план мероприятий и представить его совету.",
        )  # fmt: skip
        answer, progress = answers[index]
        if answer:
            recommendation = services.recommendation_answer(
                actor=None, recommendation=recommendation, answer=answer,
                reasons="Учтено в плане работы управления на год.",
                expected_version=recommendation.version,
                today=recommendation.due_on - dt.timedelta(days=2),
            )  # fmt: skip
            services.recommendation_report(
                actor=None, recommendation=recommendation, progress=progress,
                expected_version=recommendation.version,
                text="План мероприятий утверждён, работа ведётся.",
                today=recommendation.due_on + dt.timedelta(days=30),
            )  # fmt: skip
        version = services.protocol_generate(actor=secretary, meeting=meeting)
        services.protocol_approve(actor=secretary, version=version)
        services.protocol_approve(actor=chair, version=version)
        services.protocol_publish(actor=chair, version=version)
    upcoming = services.meeting_create(
        actor=secretary, council=council,
        starts_at=dt.datetime.combine(today + dt.timedelta(days=14), dt.time(15, 0), tzinfo=tz),
        place="Қызылорда қ., облыстық әкімдік, 2-зал",
        online_link="https://meet.example.kz/kzo-council", title="Плановое заседание",
    )  # fmt: skip
    services.agenda_item_add(
        actor=secretary, meeting=upcoming, topic_kk="Жылдық жұмыс жоспары",
        topic_ru="План работы на следующий год", vote_mode="by_name",
    )  # fmt: skip


def _alliance_council(world: DemoWorld, orgs: dict[str, Organisation], ngos: list[Any]) -> None:
    """Elected at the general meeting: one ballot per member NGO, up to 13 choices."""
    users = world.objects["users"]
    council = services.council_create(
        actor=None,
        organisation=orgs["kzo_alliance"],
        kind=CouncilKind.COORDINATION,
        name_kk="Қызылорда облысының Азаматтық альянсының үйлестіру кеңесі",
        name_ru=ALLIANCE_RU,
        name_en="Coordination council of the Civil Alliance of Kyzylorda Region",
        min_members=13,
        max_members=13,
        civil_share_num=1,
        civil_share_den=1,
    )
    electors = [*ngos, orgs["kzo_youth"]]
    candidates: list[tuple[str, Organisation | None]] = [
        (PEOPLE[i], ngos[i]) for i in range(15)
    ] + [(users["NGO administrator"].full_name, orgs["kzo_youth"])]
    election = services.election_create(
        actor=None, council=council, held_on=dt.date(2023, 12, 8), seats=13, max_choices=13,
        term_start=dt.date(2024, 1, 1), electors=electors, candidates=candidates,
    )  # fmt: skip
    services.election_open(actor=None, election=election)
    ids = list(election.candidates.order_by("pk").values_list("pk", flat=True))
    for index, organisation in enumerate(electors):
        # Each NGO leaves out three candidates, in turn: the last ones get fewer votes.
        skip = {ids[(index * 2) % 16], ids[(index * 2 + 1) % 16], ids[13 + index % 3]}
        chosen = [pk for pk in ids if pk not in skip][:13]
        services.ballot_record(
            actor=None, election=election, organisation=organisation, candidate_ids=chosen
        )
    _result, composition = (
        services.election_close(actor=None, election=election, tie_winners=[])
        if not _tied(election)
        else _close_with_lot(election)
    )
    members = list(composition.members.order_by("pk"))
    services.member_set_position(actor=None, member=members[0], position=Position.CHAIR)
    services.member_set_position(actor=None, member=members[1], position=Position.SECRETARY)
    admin_seat = composition.members.filter(organisation=orgs["kzo_youth"]).first()
    if admin_seat is not None:
        admin_seat.user = users["NGO administrator"]
        admin_seat.save(update_fields=["user"])
    services.composition_approve(actor=None, composition=composition)
    services.composition_take_over(actor=None, composition=composition, today=dt.date(2024, 1, 1))


def _tied(election: Election) -> bool:
    return bool(election_tally(election).tied)


def _close_with_lot(election: Election) -> Any:
    result = election_tally(election)
    return services.election_close(
        actor=None, election=election, tie_winners=sorted(result.tied)[: result.tied_seats]
    )


def seed(world: DemoWorld) -> None:
    orgs: dict[str, Organisation] = world.objects.get("organisations", {})
    if "kyzylorda_dip" not in orgs or "users" not in world.objects:
        return
    if Council.objects.filter(name_ru=PUBLIC_RU).exists():
        _chair(world)
        world.log.append("councils: demo councils already there")
        return
    ngos = _alliance_ngos(Region.objects.get(code="43"))
    _public_council(world, orgs, ngos)
    _alliance_council(world, orgs, ngos)
    current = Council.objects.filter(compositions__status=CompositionStatus.CURRENT).count()
    world.log.append(f"councils: {current} councils with a current composition")
