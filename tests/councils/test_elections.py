"""Elections prepared, held and counted through the pages, and shown on the council's page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from ortaq.core.errors import ConflictError, DomainError
from ortaq.councils import services
from ortaq.councils.models import Election
from tests.access import Cast
from tests.factories import OrganisationFactory

from .conftest import CouncilWorld

pytestmark = pytest.mark.django_db


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_an_election_prepared_voted_and_counted_through_the_pages(
    world: CouncilWorld, cast: Cast
) -> None:
    host = _client(cast.users["official"])
    voters = [OrganisationFactory(name_en=f"Voter {i}") for i in range(3)]
    ngos = [OrganisationFactory(name_en=f"NGO {i}") for i in range(3)]
    response = host.post(
        f"/en/councils/{world.council.pk}/elections/new/",
        {
            "held_on": "2026-12-08",
            "seats": "2",
            "max_choices": "2",
            "term_start": "2027-01-15",
            "elector_bins": "\n".join(o.bin for o in voters),
        },
    )
    election = Election.objects.get()
    assert response["Location"] == f"/en/councils/elections/{election.pk}/"
    assert (election.status, election.seats, election.max_choices) == ("draft", 2, 2)
    assert sorted(election.electors.values_list("pk", flat=True)) == sorted(o.pk for o in voters)

    url = f"/en/councils/elections/{election.pk}/"
    for name, org, category in (
        ("Ana", ngos[0], "civil"),
        ("Bek", ngos[1], "civil"),
        ("Dana", ngos[2], "civil"),
        ("Erlan", None, "state"),
    ):
        host.post(
            url + "candidates/",
            {"full_name": name, "organisation_bin": org.bin if org else "", "category": category},
        )
    refused = host.post(
        url + "candidates/",
        {"full_name": "Second of NGO 0", "organisation_bin": ngos[0].bin, "category": "civil"},
        follow=True,
    )
    assert "NGO 0 already has a candidate: one representative per NGO." in _messages(refused)
    erlan = election.candidates.get(full_name="Erlan")
    assert erlan.category == "state"
    host.post(f"/en/councils/candidates/{erlan.pk}/remove/")
    assert sorted(election.candidates.values_list("full_name", flat=True)) == [
        "Ana",
        "Bek",
        "Dana",
    ]

    host.post(url + "open/")
    election.refresh_from_db()
    assert election.status == "open"
    late = host.post(url + "candidates/", {"full_name": "Late", "category": "civil"}, follow=True)
    assert "Voting has opened: the candidates and the member organisations are fixed." in _messages(
        late
    )
    ids = {c.full_name: c.pk for c in election.candidates.all()}
    for voter, names in zip(voters, (["Ana", "Bek"], ["Ana", "Dana"], ["Ana"]), strict=True):
        host.post(url + "ballot/", {"organisation": voter.pk, "choices": [ids[n] for n in names]})
    page = _client().get(f"/en/councils/{world.council.pk}/").content.decode()
    assert "Leading so far:</strong> Ana</p>" in page
    assert "Tied for the last seat:</strong> Bek, Dana</p>" in page
    voting = host.get(url).content.decode()
    assert ">Leading so far</span>" in voting
    assert ">elected</span>" not in voting  # nobody is elected before the count

    host.post(url + "close/")  # the tie is not settled: refused
    election.refresh_from_db()
    assert election.status == "open"
    response = host.post(url + "close/", {"tie_winners": [ids["Dana"]]})
    election.refresh_from_db()
    assert election.status == "closed"
    assert response["Location"] == f"/en/councils/compositions/{election.composition_id}/"
    assert sorted(
        election.composition.members.values_list("full_name", "category", "organisation_id")
    ) == [("Ana", "civil", ngos[0].pk), ("Dana", "civil", ngos[2].pk)]
    page = _client().get(f"/en/councils/{world.council.pk}/").content.decode()
    assert "Elected:</strong> Ana, Dana</p>" in page
    assert "Bek, Dana (settled at the general meeting)</p>" in page
    detail = _client().get(url).content.decode()
    assert "3 of 3 member organisations voted" in detail
    assert detail.count(">elected</span>") == 2


def test_the_election_form_checks_its_values(world: CouncilWorld, cast: Cast) -> None:
    host = _client(cast.users["official"])
    response = host.post(
        f"/en/councils/{world.council.pk}/elections/new/",
        {
            "held_on": "2026-12-08",
            "seats": "2",
            "max_choices": "3",
            "term_start": "2026-12-01",
            "elector_bins": "123456789012\n" + OrganisationFactory().bin,
        },
    )
    form = response.context["form"]
    assert form.errors == {
        "elector_bins": ["Not a valid BIN: 123456789012."],
        "max_choices": ["A ballot cannot have more choices than there are seats (2)."],
        "term_start": ["The elected composition cannot start before the general meeting."],
    }
    assert not Election.objects.exists()


def test_editing_an_election_before_voting_opens(world: CouncilWorld, cast: Cast) -> None:
    first, second = OrganisationFactory(), OrganisationFactory()
    election = services.election_create(
        actor=None,
        council=world.council,
        held_on=dt.date(2026, 12, 8),
        seats=3,
        max_choices=2,
        term_start=dt.date(2027, 1, 15),
        electors=[first],
    )
    host = _client(cast.users["regional_admin"])
    url = f"/en/councils/elections/{election.pk}/edit/"
    assert host.get(url).context["form"].initial["elector_bins"] == first.bin
    host.post(
        url,
        {
            "held_on": "2026-12-09",
            "seats": "3",
            "max_choices": "3",
            "term_start": "2027-01-15",
            "elector_bins": f"{first.bin}\n{second.bin}",
            "version": "1",
        },
    )
    election.refresh_from_db()
    assert (election.held_on, election.max_choices, election.version) == (
        dt.date(2026, 12, 9),
        3,
        2,
    )
    assert election.electors.count() == 2
    with pytest.raises(ConflictError):
        services.election_update(
            actor=None,
            election=election,
            expected_version=1,
            held_on=dt.date(2026, 12, 9),
            seats=3,
            max_choices=3,
            term_start=dt.date(2027, 1, 15),
            electors=[first],
        )


def test_voting_opens_only_with_voters_and_candidates(world: CouncilWorld) -> None:
    election = services.election_create(
        actor=None,
        council=world.council,
        held_on=dt.date(2026, 12, 8),
        seats=1,
        max_choices=1,
        term_start=dt.date(2027, 1, 15),
    )
    with pytest.raises(DomainError, match="Name the member organisations that vote first"):
        services.election_open(actor=None, election=election)
    voter = OrganisationFactory()
    election.electors.add(voter)
    with pytest.raises(DomainError, match="Add the candidates first"):
        services.election_open(actor=None, election=election)
    candidate = services.election_candidate_add(actor=None, election=election, full_name="Ana")
    with pytest.raises(DomainError, match="Voting has not opened yet"):
        services.ballot_record(
            actor=None, election=election, organisation=voter, candidate_ids=[candidate.pk]
        )
    services.election_open(actor=None, election=election)
    with pytest.raises(DomainError, match="Voting has opened"):
        services.election_candidate_remove(actor=None, candidate=candidate)
    with pytest.raises(DomainError, match="cannot go from"):
        services.election_open(actor=None, election=election)


@pytest.mark.parametrize(
    ("seats", "choices", "start", "message"),
    [
        (0, 1, dt.date(2027, 1, 1), "at least one seat and one choice"),
        (2, 3, dt.date(2027, 1, 1), "more choices than there are seats"),
        (2, 2, dt.date(2026, 12, 7), "cannot start before the general meeting"),
    ],
)
def test_an_election_needs_sensible_numbers(
    world: CouncilWorld, seats: int, choices: int, start: dt.date, message: str
) -> None:
    with pytest.raises(DomainError, match=message):
        services.election_create(
            actor=None,
            council=world.council,
            held_on=dt.date(2026, 12, 8),
            seats=seats,
            max_choices=choices,
            term_start=start,
        )
