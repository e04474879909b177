"""National-scale councils for load tests (`seed_demo --scale national`): about 260 councils
with more than 4,000 members (docs/domain.md §6), three years of quarterly meetings with attendance,
decisions, published protocols and recommendations, most of them answered.

Deterministic (random.Random), written with bulk_create, skipped when already there. Why not
the services: tens of thousands of meetings, votes and answers, each with its audit entry and
notifications, would take hours. The rows keep the councils' rules: every council is a
public council hosted by a state body, as councils.enums.COUNCIL_HOST_KINDS asks (the trigger
of migration councils/0003 refuses any other), with one current composition and the past one
before it.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from ortaq.accounts.enums import Level, OrganisationKind
from ortaq.accounts.models import Organisation
from ortaq.councils.enums import (
    AnswerKind,
    CompositionStatus,
    MeetingStatus,
    Position,
    RecommendationStatus,
)
from ortaq.councils.models import (
    AgendaItem,
    Attendance,
    Composition,
    Council,
    CouncilMember,
    Meeting,
    Protocol,
    ProtocolVersion,
    Recommendation,
)
from ortaq.demo.world import DemoWorld
from ortaq.lib.identifiers import make_bin
from ortaq.lib.workdays import add_working_days
from ortaq.reference.models import Region

COUNCILS_PER_REGION = 13
BODIES = [
    ("ішкі саясат басқармасы", "управление внутренней политики", "department of internal policy"),
    ("денсаулық сақтау басқармасы", "управление здравоохранения", "health department"),
    ("білім басқармасы", "управление образования", "education department"),
    ("жолаушылар көлігі басқармасы", "управление пассажирского транспорта", "transport department"),
    ("жастар саясаты басқармасы", "управление молодёжной политики", "youth policy department"),
    ("табиғи ресурстар басқармасы", "управление природных ресурсов", "natural resources"),
    ("жұмыспен қамту басқармасы", "управление занятости", "employment department"),
    ("мәдениет басқармасы", "управление культуры", "culture department"),
    ("құрылыс басқармасы", "управление строительства", "construction department"),
    ("ауыл шаруашылығы басқармасы", "управление сельского хозяйства", "agriculture department"),
    ("қаржы басқармасы", "управление финансов", "finance department"),
    ("дене шынықтыру басқармасы", "управление физкультуры и спорта", "sport department"),
    ("әкімдік", "акимат", "akimat"),
]  # fmt: skip
SURNAMES = ["Ахметов", "Бекова", "Жаксылыков", "Исаева", "Кенжебаев", "Мухамедова"]
SURNAMES += ["Нурланов", "Оспанова", "Сейтов"]
NAMES = ["Айжан", "Марат", "Кайрат", "Гульмира", "Арман", "Асель", "Даурен", "Мадина", "Ерлан"]


def seed(world: DemoWorld) -> None:
    if world.scale != "national":
        return
    if Council.objects.count() >= 200:
        world.log.append("councils: national councils already there")
        return
    rng = random.Random(260)
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    regions = list(Region.objects.filter(is_active=True).order_by("code"))
    ngos_by_region: dict[int | None, list[int]] = {}
    for pk, region_id in Organisation.objects.filter(kind=OrganisationKind.NGO).values_list(
        "pk", "region_id"
    ):
        ngos_by_region.setdefault(region_id, []).append(pk)

    bodies = []
    for r_index, region in enumerate(regions):
        for b_index, (kk, ru, en) in enumerate(BODIES[:COUNCILS_PER_REGION]):
            bin_ = make_bin(2004, 1 + b_index % 12, 97_000 + r_index * 20 + b_index)
            bodies.append(
                Organisation(
                    kind=OrganisationKind.STATE_BODY,
                    level=Level.REGION,
                    region=region,
                    bin=bin_,
                    name_kk=f"{region.name_kk}: {kk}",
                    name_ru=f"{region.name_ru}: {ru}",
                    name_en=f"{region.name_en}: {en}",
                )
            )
    existing = set(
        Organisation.objects.filter(bin__in=[b.bin for b in bodies]).values_list("bin", flat=True)
    )
    Organisation.objects.bulk_create([b for b in bodies if b.bin not in existing], batch_size=500)
    bodies = list(Organisation.objects.filter(bin__in=[b.bin for b in bodies]).order_by("bin"))

    councils = Council.objects.bulk_create(
        Council(
            kind="public",
            organisation=body,
            level=body.level,
            region_id=body.region_id,
            name_kk=f"{body.name_kk} жанындағы қоғамдық кеңес",
            name_ru=f"Общественный совет: {body.name_ru}",
            name_en=f"Public council: {body.name_en}",
            min_members=10,
            max_members=30,
        )
        for body in bodies
    )
    compositions = []
    for council in councils:
        start = dt.date(2024, 1 + rng.randrange(12), 1)
        compositions.append(
            Composition(
                council=council,
                number=1,
                status=CompositionStatus.PAST,
                term_start=start.replace(year=2021),
                term_end=start - dt.timedelta(days=1),
            )
        )
        compositions.append(
            Composition(
                council=council,
                number=2,
                status=CompositionStatus.CURRENT,
                term_start=start,
                term_end=start.replace(year=2027) - dt.timedelta(days=1),
            )
        )
    compositions = Composition.objects.bulk_create(compositions, batch_size=1000)

    members = []
    for composition in compositions:
        size = 12 + rng.randrange(7)  # 12–18: about 4,000 in the current compositions
        pool = ngos_by_region.get(composition.council.region_id, [])
        picked = rng.sample(pool, k=min(len(pool), size))
        for i in range(size):
            civil = i < size - size // 4
            members.append(
                CouncilMember(
                    composition=composition,
                    full_name=f"{rng.choice(SURNAMES)} {rng.choice(NAMES)}",
                    organisation_id=picked[i] if civil and i < len(picked) else None,
                    category="civil" if civil else "state",
                    position=Position.CHAIR
                    if i == 0
                    else Position.SECRETARY
                    if i == 1
                    else Position.MEMBER,
                    appointed_on=composition.term_start,
                )
            )
    CouncilMember.objects.bulk_create(members, batch_size=2000)
    seats: dict[int, list[int]] = {}
    for pk, composition_id in CouncilMember.objects.filter(
        composition__in=compositions
    ).values_list("pk", "composition_id"):
        seats.setdefault(composition_id, []).append(pk)

    meetings = []
    for composition in compositions:
        day = composition.term_start + dt.timedelta(days=20)
        end = min(composition.term_end, today + dt.timedelta(days=60))
        while day < end and day < composition.term_start.replace(
            year=composition.term_start.year + 3
        ):
            if day >= dt.date(2023, 1, 1):
                meetings.append(
                    Meeting(
                        council_id=composition.council_id,
                        composition=composition,
                        starts_at=dt.datetime.combine(day, dt.time(10), tzinfo=tz),
                        place="Akimat, hall 1",
                        status=MeetingStatus.HELD if day < today else MeetingStatus.PLANNED,
                    )
                )
            day += dt.timedelta(days=91)
    meetings = Meeting.objects.bulk_create(meetings, batch_size=2000)
    composition_of = {c.pk: c for c in compositions}
    items, attendance = [], []
    for meeting in meetings:
        items.append(
            AgendaItem(
                meeting=meeting,
                order=1,
                topic_kk="Жоспар",
                topic_ru="План работы",
                vote_mode="by_count",
                votes_for=9,
                votes_against=1,
                votes_abstained=1,
                decision_kk="Ұсыну" if meeting.status == "held" else "",
                decision_ru="Рекомендовать" if meeting.status == "held" else "",
                decided_at=meeting.starts_at if meeting.status == "held" else None,
            )
        )
        if meeting.status == MeetingStatus.HELD:
            ids = seats[meeting.composition_id]
            absent = set(rng.sample(ids, k=rng.randrange(len(ids) // 3)))
            attendance += [
                Attendance(meeting=meeting, member_id=m, present=m not in absent) for m in ids
            ]
    items = AgendaItem.objects.bulk_create(items, batch_size=2000)
    Attendance.objects.bulk_create(attendance, batch_size=5000)

    protocols = Protocol.objects.bulk_create(
        [Protocol(meeting=m) for m in meetings if m.status == MeetingStatus.HELD], batch_size=2000
    )
    now = timezone.now()
    ProtocolVersion.objects.bulk_create(
        [
            ProtocolVersion(
                protocol=p,
                number=1,
                status="published",
                content={"national": True},
                chair_approved_at=now,
                secretary_approved_at=now,
                published_at=now,
            )
            for p in protocols
        ],
        batch_size=2000,
    )
    recommendations = []
    for item, meeting in zip(items, meetings, strict=True):
        if meeting.status != MeetingStatus.HELD:
            continue
        council = composition_of[meeting.composition_id].council
        sent = meeting.starts_at.date() + dt.timedelta(days=3)
        due = add_working_days(sent, 10)
        roll = rng.random()
        answered = roll < 0.85 and due - dt.timedelta(days=5) < today
        answered_on = add_working_days(sent, rng.randrange(3, 16)) if answered else None
        answer = (
            rng.choice([AnswerKind.ACCEPTED] * 3 + [AnswerKind.PARTIAL, AnswerKind.REJECTED])
            if answered
            else ""
        )
        implemented = answered and answer != AnswerKind.REJECTED and rng.random() < 0.5
        recommendations.append(
            Recommendation(
                council=council,
                meeting=meeting,
                item=item,
                addressee_id=council.organisation_id,
                text_kk="Ұсыныс",
                text_ru="Рекомендация совета",
                sent_on=sent,
                due_on=due,
                status=RecommendationStatus.IMPLEMENTED
                if implemented
                else RecommendationStatus.ANSWERED
                if answered
                else RecommendationStatus.SENT,
                answer=answer,
                answer_text="Ответ" if answered else "",
                answered_on=answered_on,
                progress=100 if implemented else (rng.randrange(0, 90) if answered else 0),
                implemented_on=answered_on if implemented else None,
            )
        )
    Recommendation.objects.bulk_create(recommendations, batch_size=2000)
    world.log.append(
        f"councils: national scale: {len(councils)} councils, {len(members)} seats, "
        f"{len(meetings)} meetings, {len(recommendations)} recommendations"
    )
