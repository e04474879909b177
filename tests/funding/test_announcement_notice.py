"""When a competition is announced, the administrators of the verified active NGOs that work in
a lot's region on that lot's area hear of it (inbox and e-mail after the commit)."""

from __future__ import annotations

import zoneinfo
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ortaq.accounts.enums import Level, Role
from ortaq.funding.competitions import services
from ortaq.notifications.models import Notification
from ortaq.reference.models import ActivityArea, Region
from ortaq.registry.enums import NgoStatus, Verification
from tests.access import Cast
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.registry.factories import NgoProfileFactory

from . import factories as f

pytestmark = pytest.mark.django_db

TOPIC = "funding.competition.announced"


def _second_area() -> ActivityArea:
    return ActivityArea.objects.filter(is_active=True).order_by("position")[1]


def _ngo_admin(
    region: Region | None, areas: list[ActivityArea], role: str = Role.ADMIN, **profile: Any
) -> Any:
    if region is None:
        org = OrganisationFactory(level=Level.NATIONAL, region=None)
    else:
        org = OrganisationFactory(region=region)
    NgoProfileFactory(organisation=org, areas=areas, **profile)
    return MembershipFactory(organisation=org, role=role, user=UserFactory()).user


def _announce(cast: Cast, comp: Any) -> Any:
    return services.competition_announce(actor=cast.users["official"], competition=comp)


def _notified() -> list[Any]:
    return sorted(
        (n.recipient for n in Notification.objects.filter(topic=TOPIC)), key=lambda u: u.pk
    )


def test_announcement_reaches_the_admins_of_ngos_of_the_lots_regions_and_areas(
    cast: Cast,
) -> None:
    kyzylorda = cast.objects["state_body"].region
    aktobe = cast.objects["other_state_body"].region
    youth, other = f.area(), _second_area()
    comp = f.competition(cast)  # lot 1: Kyzylorda, first area
    services.lot_add(
        actor=cast.users["official"],
        competition=comp,
        title_kk="Лот 2",
        title_ru="Лот 2",
        region=aktobe,
        area=other,
        budget_ceiling=1_000_000,
    )
    NgoProfileFactory(organisation=cast.objects["own_ngo"], areas=[youth, other])
    here = _ngo_admin(kyzylorda, [youth])
    there = _ngo_admin(aktobe, [other])
    national = _ngo_admin(None, [other])
    not_reached = [
        _ngo_admin(aktobe, [youth]),  # the area of a lot, but of the lot in another region
        _ngo_admin(kyzylorda, [other]),  # the same: region and area of different lots
        _ngo_admin(None, [ActivityArea.objects.filter(is_active=True).order_by("position")[2]]),
        _ngo_admin(kyzylorda, [youth], verification=Verification.UNVERIFIED),
        _ngo_admin(kyzylorda, [youth], status=NgoStatus.SUSPENDED),
        _ngo_admin(kyzylorda, [youth], role=Role.MEMBER),
    ]
    gone = _ngo_admin(kyzylorda, [youth])
    gone.is_active = False
    gone.save(update_fields=["is_active"])

    _announce(cast, comp)

    expected = sorted([cast.users["ngo_admin"], here, there, national], key=lambda u: u.pk)
    assert _notified() == expected
    assert not set(_notified()) & {*not_reached, gone, cast.users["ngo_member"]}
    notice = Notification.objects.get(topic=TOPIC, recipient=here)
    # The link is in the recipient's language (Kazakh), not the official's.
    assert notice.url == f"/kk/funding/competitions/{comp.pk}/"
    assert notice.emailed


def test_announcement_notice_is_in_each_recipients_language(cast: Cast) -> None:
    comp = f.competition(cast)
    admin = _ngo_admin(cast.objects["state_body"].region, [f.area()])
    admin.preferred_language = "ru"
    admin.save(update_fields=["preferred_language"])
    _announce(cast, comp)
    comp.refresh_from_db()
    notice = Notification.objects.get(topic=TOPIC, recipient=admin)
    assert "Конкурс" in notice.subject
    assert comp.application_deadline is not None
    local = comp.application_deadline.astimezone(zoneinfo.ZoneInfo("Asia/Almaty"))
    assert local.strftime("%d.%m.%Y %H:%M") + " (Asia/Almaty)" in notice.body


def test_announcement_e_mails_go_after_the_commit(
    cast: Cast, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    comp = f.competition(cast)
    admin = _ngo_admin(cast.objects["state_body"].region, [f.area()])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _announce(cast, comp)
    assert mailoutbox == []
    for callback in callbacks:
        callback()
    assert [m.to for m in mailoutbox] == [[admin.email]]


def _announce_queries(cast: Cast, admins: int, reached: int) -> int:
    """Announce with `admins` more concerned NGO admins; `reached` of them in all."""
    comp = f.competition(cast)
    for _ in range(admins):
        _ngo_admin(cast.objects["state_body"].region, [f.area()])
    with CaptureQueriesContext(connection) as ctx:
        _announce(cast, comp)
    inserts = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith('INSERT INTO "notif')]
    assert len(inserts) == 1
    assert Notification.objects.filter(topic=TOPIC).count() == reached
    Notification.objects.all().delete()
    return len(ctx.captured_queries)


def test_announcement_query_count_does_not_grow_with_recipients(cast: Cast) -> None:
    assert _announce_queries(cast, 1, reached=1) == _announce_queries(cast, 2, reached=3)
