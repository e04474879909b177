"""The registry's NGO page shows the councils where the NGO sits."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.access import Cast
from tests.registry.factories import NgoProfileFactory

from .conftest import CouncilWorld

pytestmark = pytest.mark.django_db


def test_ngo_page_lists_its_seat_in_the_current_composition(
    cast: Cast, world: CouncilWorld
) -> None:
    ngo = NgoProfileFactory(organisation=cast.objects["own_ngo"])
    html = Client().get(f"/en/ngos/{ngo.pk}/").content.decode()
    assert f'href="/en/councils/{world.council.pk}/"' in html
    assert "has no representative" not in html


def test_ngo_without_a_seat_says_so(cast: Cast, world: CouncilWorld) -> None:
    ngo = NgoProfileFactory(organisation=cast.objects["other_ngo"])
    html = Client().get(f"/en/ngos/{ngo.pk}/").content.decode()
    assert "The NGO has no representative in the current composition of any council." in html
