"""The council pages: what they show, the meeting recorded through the pages, query counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ortaq.councils import services
from ortaq.councils.models import Meeting, ProtocolVersion, Recommendation
from tests.access import Cast
from tests.factories import StateBodyFactory

from .conftest import CouncilWorld, make_composition, make_council

pytestmark = pytest.mark.django_db


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_a_meeting_recorded_through_the_pages(world: CouncilWorld, cast: Cast) -> None:
    secretary, chair = _client(cast.users["ngo_member"]), _client(cast.users["ngo_admin"])
    url = f"/en/councils/meetings/{world.meeting.pk}/"
    secretary.post(
        url + "agenda/",
        {
            "topic_kk": "Тақырып",
            "topic_ru": "Тема",
            "kind": "report",
            "vote_mode": "by_name",
            "speaker": "Akim",
        },
    )
    item = world.meeting.items.get()
    members = list(world.composition.members.order_by("pk"))
    secretary.post(url + "attendance/", {"present": [m.pk for m in members[:6]]})
    page = secretary.get(url).content.decode()
    assert "No quorum: 6 of 12 members attend; 7 members are needed." in page
    response = secretary.post(
        f"/en/councils/items/{item.pk}/decision/", {"decision_kk": "", "decision_ru": "Решено"}
    )
    assert "Decisions can be recorded only when the quorum is present." in response.content.decode()
    secretary.post(url + "attendance/", {"present": [m.pk for m in members[:7]]})
    votes = {f"m{m.pk}": "for" for m in members[:5]} | {f"m{members[5].pk}": "against"}
    secretary.post(f"/en/councils/items/{item.pk}/votes/", votes)
    secretary.post(
        f"/en/councils/items/{item.pk}/decision/", {"decision_kk": "Шешім", "decision_ru": "Решено"}
    )
    secretary.post(
        f"/en/councils/items/{item.pk}/recommend/",
        {
            "addressee": cast.objects["state_body"].pk,
            "text_kk": "",
            "text_ru": "Провести слушания",
            "sent_on": "2024-03-15",
        },
    )
    secretary.post(url + "protocol/")
    version = ProtocolVersion.objects.get()
    secretary.post(f"/en/councils/protocols/{version.pk}/approve/")
    chair.post(f"/en/councils/protocols/{version.pk}/approve/")
    chair.post(f"/en/councils/protocols/{version.pk}/publish/")
    page = _client().get(url).content.decode()
    assert "Quorum present: 7 of 12 members attend; 7 members are needed." in page
    assert "Voted: for 5, against 1, abstained 0" in page
    pdf = _client().get(f"/en/councils/protocols/{version.pk}/kk.pdf")
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    recommendation = Recommendation.objects.get()
    assert recommendation.due_on == dt.date(2024, 4, 3)
    official = _client(cast.users["official"])
    official.post(
        f"/en/councils/recommendations/{recommendation.pk}/answer/",
        {"answer": "accepted", "reasons": "We agree", "version": 1},
    )
    recommendation.refresh_from_db()
    assert (recommendation.status, recommendation.answer) == ("answered", "accepted")


def test_a_composition_page_shows_what_is_wrong(world: CouncilWorld, cast: Cast) -> None:
    services.member_remove(
        actor=None,
        member=world.composition.members.filter(category="civil")
        .exclude(position="chair")
        .exclude(position="secretary")
        .first(),
    )
    # A current composition: the seat is ceased, 11 members remain, still valid.
    page = _client().get(f"/en/councils/compositions/{world.composition.pk}/").content.decode()
    assert "The composition meets every rule of the council." in page
    draft = make_composition(
        world.council, status="draft", extra_civil=3, state=3, start=dt.date(2027, 1, 15)
    )
    page = _client(cast.users["official"]).get(f"/en/councils/compositions/{draft.pk}/")
    text = page.content.decode()
    assert "Too few members: 6; the rules require at least 10." in text
    assert "Civil society holds 3 of 6 seats" in text
    assert "The composition has no chair." in text


# --- query counts: every list at 1 and at 3 rows --------------------------------------------


def _councils(n: int) -> None:
    for _ in range(n):
        body = StateBodyFactory()
        council = make_council(body)
        composition = make_composition(council, extra_civil=2, state=1)
        meeting = Meeting.objects.create(
            council=council,
            composition=composition,
            place="Hall",
            starts_at=timezone.now() + dt.timedelta(days=3),
        )
        item = services.agenda_item_add(actor=None, meeting=meeting, topic_kk="Т", topic_ru="Т")
        services.attendance_record(
            actor=None,
            meeting=meeting,
            present_ids=composition.members.values_list("pk", flat=True),
        )
        services.decision_record(actor=None, item=item, decision_kk="Ш", decision_ru="Р")
        services.recommendation_create(
            actor=None, item=item, addressee=body, text_kk="Ұ", text_ru="Р"
        )


def _last() -> Meeting:
    return Meeting.objects.order_by("pk").last()  # type: ignore[return-value]


def _count(url: Callable[[], str], client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url())
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        lambda: "/en/councils/",
        lambda: "/en/councils/calendar/",
        lambda: "/en/councils/recommendations/",
        lambda: "/en/councils/tracker/",
        lambda: f"/en/councils/{_last().council_id}/",
        lambda: f"/en/councils/meetings/{_last().pk}/",
        lambda: f"/en/councils/compositions/{_last().composition_id}/",
    ],
    ids=["list", "calendar", "recommendations", "tracker", "council", "meeting", "composition"],
)
def test_list_queries_do_not_grow(db: Any, url: Callable[[], str]) -> None:
    client = _client()
    _councils(1)
    one = _count(url, client)
    _councils(2)
    assert _count(url, client) == one


def _count_all(url: str, client: Client) -> int:
    """Queries of a page or a download, streamed content included."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "/en/councils/recommendations/?export=csv",
        "/en/councils/recommendations/?export=xlsx",
        "/en/councils/tracker/?export=csv",
        "/en/councils/tracker/?export=xlsx",
    ],
    ids=["recommendations-csv", "recommendations-xlsx", "tracker-csv", "tracker-xlsx"],
)
def test_export_queries_do_not_grow(db: Any, url: str) -> None:
    client = _client()
    _councils(1)
    one = _count_all(url, client)
    _councils(2)
    assert _count_all(url, client) == one


def _elections(council: Any, n: int) -> Any:
    """n more elections of the council, each with n more candidates and ballots, counted."""
    from ortaq.councils.models import Election
    from tests.factories import OrganisationFactory

    election = None
    for _ in range(n):
        voters = [OrganisationFactory() for _ in range(3)]
        election = services.election_create(
            actor=None,
            council=council,
            held_on=dt.date(2026, 12, 8),
            seats=3,
            max_choices=2,
            term_start=dt.date(2027, 1, 15),
            electors=voters,
            candidates=[(f"Candidate {i}", OrganisationFactory()) for i in range(3)],
        )
        services.election_open(actor=None, election=election)
        ids = list(election.candidates.values_list("pk", flat=True))
        for voter in voters:
            services.ballot_record(
                actor=None, election=election, organisation=voter, candidate_ids=ids[:2]
            )
    assert election is not None
    return Election.objects.get(pk=election.pk)


def test_council_page_queries_do_not_grow_with_elections(world: CouncilWorld) -> None:
    client = _client()
    url = f"/en/councils/{world.council.pk}/"
    _elections(world.council, 1)
    one = _count_all(url, client)
    _elections(world.council, 2)
    page = client.get(url).content.decode()
    assert page.count('class="card mb-2 election"') == 3
    assert _count_all(url, client) == one


def test_election_page_queries_do_not_grow(world: CouncilWorld, cast: Cast) -> None:
    from ortaq.councils.models import ElectionCandidate
    from tests.factories import OrganisationFactory

    client = _client(cast.users["official"])
    election = _elections(world.council, 1)
    url = f"/en/councils/elections/{election.pk}/"
    one = _count_all(url, client)
    from ortaq.councils.models import Ballot, Election

    Election.objects.filter(pk=election.pk).update(status="draft")
    for i in range(2):
        ElectionCandidate.objects.create(election=election, full_name=f"More {i}")
        election.electors.add(OrganisationFactory())
    Election.objects.filter(pk=election.pk).update(status="open")
    for voter in election.electors.exclude(ballot__election=election):
        Ballot.objects.create(election=election, organisation=voter)
    assert _count_all(url, client) == one
