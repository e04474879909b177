"""The public API of the councils: the same data as the pages, never a draft protocol."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ortaq.councils import services
from tests.access import Cast

from .conftest import CouncilWorld

pytestmark = pytest.mark.django_db


def test_api_lists_councils_compositions_meetings_and_recommendations(
    world: CouncilWorld, cast: Cast
) -> None:
    item = services.agenda_item_add(actor=None, meeting=world.meeting, topic_kk="", topic_ru="Т")
    services.attendance_record(
        actor=None,
        meeting=world.meeting,
        present_ids=world.composition.members.values_list("pk", flat=True),
    )
    services.decision_record(actor=None, item=item, decision_kk="", decision_ru="Решено")
    services.recommendation_create(
        actor=None, item=item, addressee=cast.objects["state_body"], text_kk="", text_ru="Р"
    )
    draft = services.protocol_generate(actor=None, meeting=world.meeting)
    client = Client()
    councils: Any = client.get("/api/v1/councils/").json()
    assert [(c["id"], c["members_count"]) for c in councils["results"]] == [(world.council.pk, 12)]
    compositions: Any = client.get(f"/api/v1/compositions/?council={world.council.pk}").json()
    assert len(compositions["results"][0]["members"]) == 12
    meetings: Any = client.get("/api/v1/council-meetings/").json()
    assert meetings["results"][0]["items"][0]["decision_ru"] == "Решено"
    recs: Any = client.get("/api/v1/recommendations/").json()
    assert [r["status"] for r in recs["results"]] == ["sent"]
    assert client.get("/api/v1/protocols/").json()["count"] == 0
    assert client.get(f"/api/v1/protocols/{draft.pk}/").status_code == 404
    assert client.get("/api/v1/schema/").status_code == 200
