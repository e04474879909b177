"""A lot without a region is national: open to the NGOs of every region, announced to all of
them, found under every region's filter; the applicant says where the project will be."""

from __future__ import annotations

import pytest
from django.test import Client

from ortaq.accounts.enums import Level, Role
from ortaq.core.errors import DomainError
from ortaq.funding.competitions import selectors, services
from ortaq.funding.opendata import ocds
from ortaq.notifications.models import Notification
from ortaq.reference.models import Region
from tests.access import Cast
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.funding.factories import read_json

from . import factories as f

pytestmark = pytest.mark.django_db


def _other_region(cast: Cast) -> Region:
    return cast.objects["other_state_body"].region


def test_national_lot_is_announced_to_ngos_of_every_region(cast: Cast) -> None:
    comp = f.competition(cast, national=True)
    lot = f.first_lot(comp)
    assert lot.region is None
    far_org = OrganisationFactory(region=_other_region(cast))
    f.ngo_in_database(far_org).activity_areas.set([f.area()])
    far_admin = MembershipFactory(organisation=far_org, role=Role.ADMIN, user=UserFactory()).user
    assert far_admin in set(selectors.ngo_admins_concerned_by([lot]))
    services.competition_announce(actor=cast.users["official"], competition=comp)
    topic = "funding.competition.announced"
    assert Notification.objects.filter(topic=topic, recipient=far_admin).count() == 1


def test_region_filter_finds_competitions_with_a_national_lot(cast: Cast) -> None:
    national = f.announced(cast, national=True)
    regional = f.announced(cast)
    kyzylorda = cast.objects["state_body"].region
    assert list(selectors.competitions_public({"region": kyzylorda})) == [regional, national]
    assert list(selectors.competitions_public({"region": _other_region(cast)})) == [national]


def test_application_to_a_national_lot_is_where_the_applicant_says(cast: Cast) -> None:
    comp = f.announced(cast, national=True)
    lot = f.first_lot(comp)
    ngo = f.ngo_in_database(cast.objects["own_ngo"])
    admin = cast.users["ngo_admin"]
    application = services.application_create(actor=admin, lot=lot, ngo=ngo, title="A")
    assert application.region == cast.objects["own_ngo"].region  # the NGO's own by default
    other = f.ngo_in_database(OrganisationFactory(level=Level.NATIONAL, region=None))
    boss = MembershipFactory(organisation=other.organisation, role=Role.ADMIN).user
    with pytest.raises(DomainError) as refused:
        services.application_create(actor=boss, lot=lot, ngo=other, title="B")
    assert refused.value.field == "region"
    chosen = services.application_create(
        actor=boss, lot=lot, ngo=other, title="B", region=_other_region(cast)
    )
    assert chosen.region == _other_region(cast)


def test_start_page_of_a_national_lot_asks_for_the_region_and_keeps_what_was_typed(
    cast: Cast, client: Client
) -> None:
    comp = f.announced(cast, national=True)
    lot = f.first_lot(comp)
    f.ngo_in_database(cast.objects["own_ngo"])
    client.force_login(cast.users["ngo_admin"])
    page = client.get(f"/en/funding/lots/{lot.pk}/apply/").content.decode()
    assert 'name="region"' in page
    assert "Whole country" in page
    answer = client.post(
        f"/en/funding/lots/{lot.pk}/apply/", {"ngo": "999999", "title": "Typed title"}
    )
    text = answer.content.decode()
    assert "Choose the NGO you apply for." in text
    assert 'value="Typed title"' in text


def test_competition_page_and_ocds_of_a_national_lot(cast: Cast, client: Client) -> None:
    comp = f.announced(cast, national=True)
    page = client.get(f"/en/funding/competitions/{comp.pk}/").content.decode()
    assert "Whole country" in page
    releases = read_json(client.get("/opendata/ocds/releases.json"))
    assert ocds.validation_errors(releases) == []


def test_lot_form_adds_a_national_lot_and_keeps_what_was_typed_on_error(
    cast: Cast, client: Client
) -> None:
    comp = f.competition(cast, lots=0)
    client.force_login(cast.users["official"])
    url = f"/en/funding/manage/competitions/{comp.pk}/lots/"
    typed = {
        "title_kk": "Ұлттық лот",
        "title_ru": "Национальный лот",
        "region": "",
        "area": str(f.area().pk),
        "budget_ceiling": "0",
    }
    answer = client.post(url, typed)
    assert answer.status_code == 200
    text = answer.content.decode()
    assert 'value="Национальный лот"' in text
    assert "Check the lot" in text
    assert not comp.lots.exists()
    answer = client.post(url, {**typed, "budget_ceiling": "50000000"})
    assert answer.status_code == 302
    lot = comp.lots.get()
    assert (lot.region, lot.budget_ceiling) == (None, 50_000_000)
