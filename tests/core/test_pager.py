"""The pager of every list keeps the whole query: a filter with several values (two activity
areas ticked in the NGO directory) must still be there on page 2."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from ortaq.reference.models import ActivityArea
from tests.registry.factories import NgoProfileFactory

pytestmark = pytest.mark.django_db


def test_the_next_page_link_keeps_every_ticked_area() -> None:
    youth = ActivityArea.objects.get(code="youth")
    culture = ActivityArea.objects.get(code="culture")
    for n in range(26):
        NgoProfileFactory(areas=[youth if n % 2 else culture])
    NgoProfileFactory(areas=[ActivityArea.objects.get(code="environment")])
    query = "area=youth&area=culture"

    page = Client().get(f"/en/ngos/?{query}")

    assert page.context["page_obj"].paginator.count == 26
    links = re.findall(r'class="page-link" href="\?([^"]*)"', page.content.decode())
    assert links == [f"{query.replace('&', '&amp;')}&amp;page=2"]
    second = Client().get("/en/ngos/?" + links[0].replace("&amp;", "&"))
    assert second.context["page_obj"].paginator.count == 26
    assert len(second.context["ngos"]) == 1
