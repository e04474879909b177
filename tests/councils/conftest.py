"""A council around the cast: attached to the cast's state body, which its recommendations
address; the NGO administrator chairs it, the NGO member is its secretary, the consultant is
an ordinary member."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from ortaq.councils.enums import CompositionStatus, MemberCategory, Position
from ortaq.councils.models import Composition, Council, CouncilMember, Meeting
from tests.access import Cast
from tests.factories import OrganisationFactory

TERM_START = dt.date(2024, 1, 15)


def make_council(host: Any, **rules: Any) -> Council:
    values = {"min_members": 10, "max_members": 15, **rules}
    return Council.objects.create(
        kind="public",
        organisation=host,
        level=host.level,
        region=host.region,
        name_kk="Қоғамдық кеңес",
        name_ru="Общественный совет",
        name_en=f"Public council of {host.name_en}",
        **values,
    )


def make_composition(
    council: Council,
    *,
    status: str = CompositionStatus.CURRENT,
    seated: dict[str, tuple[Any, Any]] | None = None,
    extra_civil: int = 7,
    state: int = 2,
    start: dt.date = TERM_START,
) -> Composition:
    """`seated`: position → (user or None, organisation or None); the rest are filler seats."""
    number = council.compositions.count() + 1
    composition = Composition.objects.create(
        council=council,
        number=number,
        status=status,
        term_start=start,
        term_end=start.replace(year=start.year + 3) - dt.timedelta(days=1),
    )
    for position, (user, org) in (seated or {}).items():
        CouncilMember.objects.create(
            composition=composition,
            user=user,
            full_name=user.full_name if user else position.title(),
            organisation=org,
            category=MemberCategory.CIVIL,
            position=position.split(":")[0],
            appointed_on=start,
        )
    for i in range(extra_civil):
        CouncilMember.objects.create(
            composition=composition,
            full_name=f"Civil member {i}",
            organisation=OrganisationFactory(),
            category=MemberCategory.CIVIL,
            appointed_on=start,
        )
    for i in range(state):
        CouncilMember.objects.create(
            composition=composition,
            full_name=f"Official {i}",
            category=MemberCategory.STATE,
            appointed_on=start,
        )
    return composition


@dataclass
class CouncilWorld:
    council: Council
    composition: Composition
    meeting: Meeting


@pytest.fixture
def world(cast: Cast) -> CouncilWorld:
    users = cast.users
    council = make_council(cast.objects["state_body"])
    composition = make_composition(
        council,
        seated={
            Position.CHAIR: (users["ngo_admin"], cast.objects["own_ngo"]),
            Position.SECRETARY: (users["ngo_member"], None),
            "member:consultant": (users["consultant"], None),
        },
    )
    meeting = Meeting.objects.create(
        council=council,
        composition=composition,
        starts_at=timezone.make_aware(dt.datetime(2024, 3, 15, 10, 0)),
        place="Kyzylorda, akimat, hall 2",
    )
    cast.objects.update(council=council, composition=composition, meeting=meeting)
    return CouncilWorld(council, composition, meeting)
