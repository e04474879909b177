"""Project reports in the API: the pages' visibility, values and spending in the detail, the
actions through the services (400 with the service's message, 403 without the right, 404 for
a report one may not see), query counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ortaq.funding.enums import ProjectReportStatus
from ortaq.funding.models import Report
from tests.access import Cast

from . import reports_helpers as h

pytestmark = pytest.mark.django_db


def _client(cast: Cast, role: str) -> Client:
    client = Client()
    client.force_login(cast.users[role])
    return client


def test_detail_carries_values_spending_and_history(cast: Cast) -> None:
    made = h.contract(cast)
    report = h.submitted(cast, h.first(made), actual=Decimal("120.5"), spent=700_000)
    target, line = made.indicators.get(), h.line(made)
    data = _client(cast, "official").get(f"/api/v1/reports/{report.pk}/").json()
    assert data["status"] == "submitted"
    assert data["kind"] == "progress"
    assert data["is_late"] is False
    assert data["contract_number"] == made.number
    assert data["values"] == [
        {
            "indicator": target.pk,
            "name": "Участники",
            "unit": "чел.",
            "baseline": "0.00",
            "target": "300.00",
            "actual": "120.50",
            "comment": "",
        }
    ]
    assert data["spending"] == [
        {
            "budget_line": line.pk,
            "item": "Тренинги",
            "amount": 5_000_000,
            "spent": 700_000,
            "comment": "",
        }
    ]
    assert [(c["from_status"], c["to_status"]) for c in data["status_changes"]] == [
        ("draft", "submitted")
    ]


def test_an_ngo_never_sees_another_ngo_s_reports(cast: Cast) -> None:
    own = h.contract(cast)
    other = h.contract(cast, outsider=True)
    mine = _client(cast, "ngo_member").get("/api/v1/reports/").json()
    assert sorted(r["id"] for r in mine["results"]) == sorted(
        own.reports.values_list("pk", flat=True)
    )
    theirs = _client(cast, "outsider_ngo_admin").get("/api/v1/reports/").json()
    assert sorted(r["id"] for r in theirs["results"]) == sorted(
        other.reports.values_list("pk", flat=True)
    )
    assert (
        _client(cast, "outsider_ngo_admin").get(f"/api/v1/reports/{h.first(own).pk}/").status_code
        == 404
    )
    # Drafts stay the NGO's; the platform administrator reads no report here.
    assert _client(cast, "official").get("/api/v1/reports/").json()["results"] == []
    assert _client(cast, "platform_admin").get("/api/v1/reports/").json()["results"] == []
    assert Client().get("/api/v1/reports/").status_code == 403


def test_actions_go_through_the_services(cast: Cast) -> None:
    made = h.contract(cast)
    report = h.first(made)
    url = f"/api/v1/reports/{report.pk}"
    ngo = _client(cast, "ngo_admin")
    refused = ngo.post(f"{url}/submit/")
    assert refused.status_code == 400
    assert refused.json() == {
        "detail": "Give the actual value of every target: Участники.",
        "field": None,
    }
    assert _client(cast, "ngo_member").post(f"{url}/submit/").status_code == 403
    h.fill(cast, report)
    sent = ngo.post(f"{url}/submit/")
    assert sent.status_code == 200
    assert sent.json()["status"] == "submitted"
    official = _client(cast, "official")
    assert ngo.post(f"{url}/approve/").status_code == 403
    no_comment = official.post(f"{url}/return/", {"comment": ""}, content_type="application/json")
    assert no_comment.status_code == 400
    assert no_comment.json() == {"detail": "Say what the NGO should change.", "field": "comment"}
    returned = official.post(
        f"{url}/return/", {"comment": "Add the lists"}, content_type="application/json"
    )
    assert returned.json()["status"] == "returned"
    assert returned.json()["review_comment"] == "Add the lists"
    assert ngo.post(f"{url}/submit/").status_code == 200
    approved = official.post(f"{url}/approve/")
    assert approved.status_code == 200
    assert Report.objects.get(pk=report.pk).status == ProjectReportStatus.APPROVED
    again = official.post(f"{url}/approve/")
    assert again.status_code == 400
    assert again.json()["detail"] == "A project report cannot go from “Approved” to “Approved”."


def test_the_platform_administrator_cannot_act_for_anyone(cast: Cast) -> None:
    made = h.contract(cast)
    sent = h.submitted(cast, h.first(made))
    admin = _client(cast, "platform_admin")
    # He does not see the reports, so they are not there for him.
    assert admin.post(f"/api/v1/reports/{sent.pk}/approve/").status_code == 404
    assert admin.post(f"/api/v1/reports/{h.final(made).pk}/submit/").status_code == 404
    assert Report.objects.get(pk=sent.pk).status == ProjectReportStatus.SUBMITTED


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_query_count_does_not_grow(cast: Cast) -> None:
    client = _client(cast, "ngo_admin")
    url = "/api/v1/reports/?kind=progress"
    h.fill(cast, h.first(h.contract(cast)))
    one = _count(client, url)
    h.fill(cast, h.first(h.contract(cast)))
    h.fill(cast, h.first(h.contract(cast)))
    assert client.get(url).json()["count"] == 3
    assert _count(client, url) == one
