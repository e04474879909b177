"""The report pages as people meet them: who may open what, the form, review, compliance."""

from __future__ import annotations

import csv
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from ortaq.registry.models import AnnualReport
from ortaq.registry.report_selectors import closed_year, due_year
from tests.access import SIGNED_IN, Cast, HttpRow, assert_http_matrix
from tests.factories import OrganisationFactory, region

from .factories import AnnualReportFactory, NgoProfileFactory
from .test_reports import COMPLETE

pytestmark = pytest.mark.django_db

REVIEWERS = frozenset({"regional_admin", "platform_admin"})
COMPLIANCE = frozenset({"regional_admin", "other_regional_admin", "platform_admin"})


@pytest.fixture
def own(cast: Cast) -> Any:
    ngo = NgoProfileFactory(organisation=cast.objects["own_ngo"], registration_year=2015)
    cast.objects["own_profile"] = ngo
    return ngo


def _form_data(**values: Any) -> dict[str, Any]:
    data = dict.fromkeys(("founders_and_members", "property_description"), "")
    data.update({k: str(v) for k, v in COMPLETE.items()})
    for name in AnnualReport.INCOME_FIELDS + AnnualReport.SPENDING_FIELDS:
        data.setdefault(name, "0")
    for name in ("staff_count", "volunteers_count"):
        data.setdefault(name, "0")
    data.update(values)
    return data


def test_report_pages_access(cast: Cast, own: Any) -> None:
    year = due_year()
    submitted = AnnualReportFactory(
        ngo=own, year=year - 1, status="submitted", submitted_at=timezone.now(), **COMPLETE
    )

    def reset(c: Cast) -> None:
        AnnualReport.objects.filter(pk=submitted.pk).update(status="submitted")

    assert_http_matrix(
        cast,
        [
            HttpRow("my reports", "GET", lambda c: "/en/ngos/reports/", SIGNED_IN),
            HttpRow(
                "fill",
                "GET",
                lambda c: f"/en/ngos/reports/ngo-{own.pk}/{year}/",
                frozenset({"ngo_admin"}),
            ),
            HttpRow(
                "view",
                "GET",
                lambda c: f"/en/ngos/reports/{submitted.pk}/",
                frozenset({"ngo_admin"}) | REVIEWERS,
            ),
            HttpRow(
                "review",
                "POST",
                lambda c: f"/en/ngos/reports/{submitted.pk}/review/",
                REVIEWERS,
                data=lambda c: {"decision": "accept"},
                reset=reset,
                ok=302,
            ),
            HttpRow("compliance", "GET", lambda c: "/en/ngos/reports/compliance/", COMPLIANCE),
        ],
    )


def test_ngo_admin_sees_deadline_and_fills_and_submits(
    cast: Cast, own: Any, client: Client
) -> None:
    client.force_login(cast.users["ngo_admin"])
    year = due_year()
    listing = client.get("/en/ngos/reports/").content.decode()
    assert f"The report on {year} is due by 31.03.{year + 1}." in listing
    assert f"/en/ngos/reports/ngo-{own.pk}/{year}/" in listing
    url = f"/en/ngos/reports/ngo-{own.pk}/{year}/"
    page = client.get(url).content.decode()
    assert "days left" in page or "deadline passed" in page or "due today" in page
    response = client.post(url, _form_data(action="save", members_count="7"))
    assert response.status_code == 302
    report = AnnualReport.objects.get(ngo=own, year=year)
    assert (report.status, report.members_count, report.version) == ("draft", 7, 1)
    response = client.post(url, _form_data(action="submit", version="1"))
    report.refresh_from_db()
    assert response["Location"] == f"/en/ngos/reports/{report.pk}/"
    assert report.status == "submitted"


def test_submit_with_wrong_totals_keeps_the_draft_and_marks_the_field(
    cast: Cast, own: Any, client: Client
) -> None:
    client.force_login(cast.users["ngo_admin"])
    url = f"/en/ngos/reports/ngo-{own.pk}/{due_year()}/"
    response = client.post(url, _form_data(action="submit", income_total_declared="1"))
    assert response.status_code == 200
    assert "The total income must equal the sum of the sources" in response.content.decode()
    assert AnnualReport.objects.get().status == "draft"


def test_conflict_keeps_the_typed_text(cast: Cast, own: Any, client: Client) -> None:
    client.force_login(cast.users["ngo_admin"])
    year = due_year()
    report = AnnualReportFactory(ngo=own, year=year, version=3, founders_and_members="Saved")
    url = f"/en/ngos/reports/ngo-{own.pk}/{year}/"
    response = client.post(
        url, _form_data(action="save", version="2", founders_and_members="My new text")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this while you were editing it" in html
    assert "My new text" in html
    assert 'name="version" value="3"' in html
    report.refresh_from_db()
    assert report.founders_and_members == "Saved"


def test_regional_admin_returns_with_comment(cast: Cast, own: Any, client: Client) -> None:
    report = AnnualReportFactory(
        ngo=own, year=due_year(), status="submitted", submitted_at=timezone.now()
    )
    client.force_login(cast.users["regional_admin"])
    url = f"/en/ngos/reports/{report.pk}/review/"
    client.post(url, {"decision": "return", "comment": ""})
    report.refresh_from_db()
    assert report.status == "submitted"
    client.post(url, {"decision": "return", "comment": "Attach the grant contract."})
    report.refresh_from_db()
    assert (report.status, report.review_comment) == ("returned", "Attach the grant contract.")
    ngo_page = Client()
    ngo_page.force_login(cast.users["ngo_admin"])
    html = ngo_page.get(f"/en/ngos/reports/ngo-{own.pk}/{report.year}/").content.decode()
    assert "Attach the grant contract." in html


def _compliance_world(cast: Cast, n: int) -> None:
    year = closed_year()
    states = ["on_time", "late", "returned", "draft", "none"]
    for i in range(n):
        ngo = NgoProfileFactory(
            organisation=OrganisationFactory(region=region("43")), registration_year=2015
        )
        state = states[i % len(states)]
        if state == "none":
            continue
        AnnualReportFactory(
            ngo=ngo,
            year=year,
            status={"on_time": "accepted", "late": "submitted"}.get(state, state),
            submitted_at=None if state == "draft" else timezone.now(),
            submitted_late=state == "late",
        )


def test_compliance_counts_and_csv(cast: Cast, client: Client) -> None:
    _compliance_world(cast, 5)
    NgoProfileFactory(organisation=OrganisationFactory(region=region("15")))  # Aktobe
    client.force_login(cast.users["regional_admin"])
    response = client.get("/en/ngos/reports/compliance/")
    assert response.context["total"] == 5  # Kyzylorda only
    assert [(key, n) for key, _label, n in response.context["counts"]] == [
        ("on_time", 1),
        ("late", 1),
        ("returned", 1),
        ("draft", 1),
        ("not_filed", 1),
    ]
    late = client.get("/en/ngos/reports/compliance/?state=late")
    assert [row["state"] for row in late.context["rows"]] == ["late"]
    csv_rows = list(
        csv.reader(
            client.get("/en/ngos/reports/compliance/?format=csv")
            .content.decode("utf-8-sig")
            .splitlines()
        )
    )
    assert csv_rows[0] == ["BIN", "NGO", "Region", "State", "Submitted"]
    assert sorted(r[3] for r in csv_rows[1:]) == [
        "Draft, not submitted",
        "Filed late",
        "Filed on time",
        "Not filed",
        "Returned for corrections",
    ]
    admin = Client()
    admin.force_login(cast.users["platform_admin"])
    assert admin.get("/en/ngos/reports/compliance/").context["total"] == 6


@pytest.mark.parametrize("n", [1, 3])
def test_compliance_queries_do_not_grow(
    cast: Cast, client: Client, django_assert_max_num_queries: Any, n: int
) -> None:
    _compliance_world(cast, n)
    client.force_login(cast.users["regional_admin"])
    client.get("/en/ngos/reports/compliance/")
    with django_assert_max_num_queries(12):
        response = client.get("/en/ngos/reports/compliance/")
    assert len(response.context["rows"]) == n


@pytest.mark.parametrize("n", [1, 3])
def test_my_reports_queries_do_not_grow(
    cast: Cast, own: Any, client: Client, django_assert_max_num_queries: Any, n: int
) -> None:
    for i in range(n):
        AnnualReportFactory(ngo=own, year=due_year() - i)
    client.force_login(cast.users["ngo_admin"])
    client.get("/en/ngos/reports/")
    with django_assert_max_num_queries(10):
        client.get("/en/ngos/reports/")
