"""The funding API: public programmes, competitions, lots and results; the applicant's own
applications only; the same rules as the pages; query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.access import Cast, HttpRow, assert_http_matrix

from . import factories as f

pytestmark = pytest.mark.django_db

APPLICANTS = frozenset({"ngo_member", "ngo_admin"})


def _client(cast: Cast, role: str) -> Client:
    client = Client()
    client.force_login(cast.users[role])
    return client


def test_public_lists_show_announced_competitions_with_their_lots(cast: Cast) -> None:
    comp = f.announced(cast, lots=2)
    draft = f.competition(cast)
    data = Client().get("/api/v1/competitions/").json()
    assert [c["id"] for c in data["results"]] == [comp.pk]
    assert [(lot["number"], lot["budget_ceiling"]) for lot in data["results"][0]["lots"]] == [
        (1, 10_000_000),
        (2, 10_000_000),
    ]
    assert data["results"][0]["status"] == "announced"
    assert Client().get(f"/api/v1/competitions/{draft.pk}/").status_code == 404
    lots = Client().get("/api/v1/lots/").json()["results"]
    assert {lot["competition"] for lot in lots} == {comp.pk}
    programmes = Client().get("/api/v1/funding-programmes/").json()["results"]
    assert [p["criteria"][0]["code"] for p in programmes] == ["relevance", "relevance"]


def test_an_ngo_sees_only_its_own_applications(cast: Cast) -> None:
    comp = f.announced(cast)
    own = f.draft(cast, comp)
    ngo, admin = f.ngo_with_admin(cast, "Another NGO")
    other = f.submitted(cast, comp, ngo=ngo, admin=admin)
    mine = _client(cast, "ngo_admin").get("/api/v1/applications/").json()
    assert [a["id"] for a in mine["results"]] == [own.pk]
    assert mine["results"][0]["budget_lines"] == [
        {"item": "Тренинги", "kind": "project", "amount": 5_000_000}
    ]
    theirs = Client()
    theirs.force_login(admin)
    assert [a["id"] for a in theirs.get("/api/v1/applications/").json()["results"]] == [other.pk]
    # The organiser reads sent applications on his pages; this API is the applicant's own.
    assert _client(cast, "official").get("/api/v1/applications/").json()["results"] == []
    assert _client(cast, "ngo_admin").get(f"/api/v1/applications/{other.pk}/").status_code == 404


def test_access_matrix_of_the_api(cast: Cast) -> None:
    comp = f.announced(cast)
    application = f.submitted(cast, comp)
    assert_http_matrix(
        cast,
        [
            HttpRow(
                "own application",
                "GET",
                lambda c: f"/api/v1/applications/{application.pk}/",
                APPLICANTS,
                refused=404,
            ),
            HttpRow(
                "public competition",
                "GET",
                lambda c: f"/api/v1/competitions/{comp.pk}/",
                frozenset(
                    {
                        "anonymous",
                        "citizen",
                        "ngo_member",
                        "ngo_admin",
                        "outsider_ngo_admin",
                        "official",
                        "regional_admin",
                        "other_regional_admin",
                        "expert",
                        "consultant",
                        "platform_admin",
                    }
                ),
            ),
        ],
    )


def test_results_are_published_totals_without_individual_scores(cast: Cast) -> None:
    from .test_ocds_and_pages import _published

    comp, application = _published(cast)
    f.announced(cast)
    data = Client().get("/api/v1/results/").json()["results"]
    assert [(r["competition"], r["application"], r["rank"], r["funded"]) for r in data] == [
        (comp.pk, application.pk, 1, True)
    ]
    assert data[0]["total_score"] == "80.00"
    assert data[0]["amount"] == 5_000_000
    assert "scores" not in data[0]
    assert Client().get(f"/api/v1/results/?competition={comp.pk + 999}").json()["results"] == []


def test_unpublished_decisions_are_not_in_the_results(cast: Cast) -> None:
    from ortaq.funding.competitions import services

    from .test_ocds_and_pages import _published

    comp, _application = _published(cast)
    # A second competition decided but not yet published.
    other = f.announced(cast)
    ngo, admin = f.ngo_with_admin(cast, "NGO 2")
    app2 = f.submitted(cast, other, ngo=ngo, admin=admin)
    f.pass_deadline(other)
    official = cast.users["official"]
    services.competition_close(actor=official, competition=other)
    services.compliance_record(actor=official, application=app2, failures=[])
    services.evaluation_start(actor=official, competition=other)
    for a in app2.assignments.filter(status="assigned"):
        services.assignment_declare(actor=a.expert.user, assignment=a, no_conflict=True)
        services.scores_submit(
            actor=a.expert.user,
            assignment=a,
            values={c.pk: 3 for c in other.programme.criteria.all()},
        )
    services.decision_compute(actor=official, competition=other)
    data = Client().get("/api/v1/results/").json()["results"]
    assert {r["competition"] for r in data} == {comp.pk}


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_api_query_counts_do_not_grow(cast: Cast) -> None:
    client = _client(cast, "ngo_admin")
    f.draft(cast, f.announced(cast))
    urls = [
        "/api/v1/competitions/",
        "/api/v1/lots/",
        "/api/v1/funding-programmes/",
        "/api/v1/applications/",
        "/api/v1/results/",
    ]
    one = [_count(client, url) for url in urls]
    f.draft(cast, f.announced(cast))
    f.draft(cast, f.announced(cast))
    assert [_count(client, url) for url in urls] == one
