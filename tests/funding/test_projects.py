"""Public project pages: every funded project with its public parts only (issue #5)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from ortaq.funding.enums import (
    ContractStatus,
    EvaluationCriterion,
    EvaluationStatus,
    FindingSeverity,
    MonitorKind,
    ProjectReportStatus,
    TrancheStatus,
    VisitStatus,
)
from ortaq.funding.models import (
    Contract,
    Evaluation,
    EvaluationScore,
    MonitoringVisit,
    Report,
    ReportEvidence,
    ReportIndicatorValue,
    ReportSpending,
    Tranche,
    VisitFinding,
    VisitPhoto,
)
from tests.access import EVERYONE, Cast, HttpRow, assert_http_matrix

from . import factories as f

pytestmark = pytest.mark.django_db

# Texts that must never reach the public: each is written into an internal part of a project.
SECRETS = {
    "narrative": "NARRATIVE-SECRET",
    "review comment": "REVIEW-COMMENT-SECRET",
    "spending comment": "SPENDING-COMMENT-SECRET",
    "budget line": "Тренинги",
    "evidence": "EVIDENCE-SECRET",
    "submitted report": "SUBMITTED-SUMMARY-SECRET",
    "value comment": "VALUE-COMMENT-SECRET",
    "draft visit": "DRAFT-VISIT-SECRET",
    "draft finding": "DRAFT-FINDING-SECRET",
    "checklist": "CHECKLIST-SECRET",
    "inspector": "official@example.kz",
    "draft evaluation": "DRAFT-EVALUATION-SECRET",
    "score comment": "SCORE-COMMENT-SECRET",
}
# A 1×1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def _approve(report: Report, **fields: Any) -> None:
    now = timezone.now()
    for name, value in fields.items():
        setattr(report, name, value)
    report.status, report.submitted_at, report.reviewed_at = (
        ProjectReportStatus.APPROVED,
        now,
        now,
    )
    report.save()


def _release(tranche: Tranche) -> None:
    tranche.status, tranche.released_at = TrancheStatus.RELEASED, timezone.now()
    tranche.save()


def _visit(contract: Contract, *, status: str, summary: str, **fields: Any) -> MonitoringVisit:
    return MonitoringVisit.objects.create(
        contract=contract,
        monitor_kind=MonitorKind.STATE_BODY,
        organisation=contract.organiser,
        visited_on=contract.start_date + dt.timedelta(days=20),
        summary=summary,
        status=status,
        published_at=timezone.now() if status == VisitStatus.PUBLISHED else None,
        **fields,
    )


def full_project(cast: Cast) -> Contract:
    """A project in force with every part, public and internal: the progress report approved
    (actual 120 of 300), the final report submitted, two tranches paid (1,500,000 + 2,000,000),
    a published and a draft visit, and a draft evaluation."""
    contract = f.contract(cast)
    contract.public_summary = "Youth centre in Kyzylorda."
    contract.save()
    progress, final = contract.reports.order_by("number")
    target = contract.indicators.get()
    ReportIndicatorValue.objects.create(
        report=progress, indicator=target, actual=Decimal(120), comment=SECRETS["value comment"]
    )
    budget_line = contract.application.budget_lines.get()
    ReportSpending.objects.create(
        report=progress, budget_line=budget_line, spent=777_001, comment=SECRETS["spending comment"]
    )
    ReportEvidence.objects.create(
        report=progress,
        file="reports/x.pdf",
        original_name="evidence.pdf",
        content_type="application/pdf",
        size=10,
        caption=SECRETS["evidence"],
    )
    _approve(
        progress,
        beneficiaries=140,
        narrative=SECRETS["narrative"],
        public_summary="PUBLIC-SUMMARY-ONE",
        review_comment=SECRETS["review comment"],
    )
    final.status, final.submitted_at = ProjectReportStatus.SUBMITTED, timezone.now()
    final.public_summary = SECRETS["submitted report"]
    final.save()
    advance, second, _third = contract.tranches.order_by("number")
    _release(advance)
    _release(second)
    published = _visit(
        contract,
        status=VisitStatus.PUBLISHED,
        summary="VISIT-SUMMARY-PUBLIC",
        recommendations="VISIT-RECOMMENDATION-PUBLIC",
        checklist=[{"item": SECRETS["checklist"], "ok": True}],
        inspector=cast.users["official"],
    )
    VisitFinding.objects.create(
        visit=published,
        severity=FindingSeverity.MAJOR,
        text="FINDING-PUBLIC",
        answer="ANSWER-OF-THE-NGO",
        answered_at=timezone.now(),
    )
    draft = _visit(contract, status=VisitStatus.DRAFT, summary=SECRETS["draft visit"])
    VisitFinding.objects.create(visit=draft, text=SECRETS["draft finding"])
    evaluation = Evaluation.objects.create(
        contract=contract, conclusion=SECRETS["draft evaluation"]
    )
    for criterion, value in zip(EvaluationCriterion.values, (5, 4, 4, 3, 2), strict=True):
        EvaluationScore.objects.create(
            evaluation=evaluation,
            criterion=criterion,
            value=value,
            comment=SECRETS["score comment"],
        )
    return contract


def _assert_no_secret(text: str, *, but: tuple[str, ...] = ()) -> None:
    leaked = [name for name, secret in SECRETS.items() if secret in text and name not in but]
    assert leaked == []


def _page(url: str, client: Client | None = None) -> str:
    response = (client or Client()).get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# --- the project page -------------------------------------------------------------------------


def test_project_page_shows_the_public_parts(cast: Cast) -> None:
    contract = full_project(cast)
    html = _page(f"/en/funding/projects/{contract.pk}/")
    assert contract.title in html
    assert "Youth centre in Kyzylorda." in html
    assert "Own NGO" in html
    assert "Kyzylorda department" in html
    assert 'id="project-status">In force</span>' in html
    # Paid so far: the advance and the second tranche.
    assert 'id="project-paid">3\u00a0500\u00a0000\u00a0₸</div>' in html
    # Achievement computed from the approved progress report: 120 of the planned 300.
    assert 'id="project-achievement">40.0%</div>' in html
    assert '<td class="text-end">120</td>' in html
    assert "PUBLIC-SUMMARY-ONE" in html
    assert "140 people reached" in html
    assert "VISIT-SUMMARY-PUBLIC" in html
    assert "FINDING-PUBLIC" in html
    assert "Serious shortcoming" in html
    assert "ANSWER-OF-THE-NGO" in html
    assert "VISIT-RECOMMENDATION-PUBLIC" in html
    assert "The evaluation is not published yet." in html
    assert html.count('data-testid="tranche-row"') == 3
    assert html.count('data-testid="public-report"') == 1
    assert html.count('data-testid="public-visit"') == 1
    _assert_no_secret(html)


def test_published_evaluation_shows_scores_total_and_conclusion(cast: Cast) -> None:
    contract = full_project(cast)
    Evaluation.objects.filter(contract=contract).update(
        status=EvaluationStatus.PUBLISHED, published_at=timezone.now(), conclusion="EFFECTIVE"
    )
    html = _page(f"/en/funding/projects/{contract.pk}/")
    assert 'id="evaluation-total">18 / 25</td>' in html
    assert '<tr><td>Relevance</td><td class="text-end">5 / 5</td></tr>' in html
    assert "EFFECTIVE" in html
    _assert_no_secret(html, but=())


def test_draft_contract_is_not_found_by_anyone(cast: Cast) -> None:
    contract = f.contract(cast, status=ContractStatus.DRAFT)
    assert_http_matrix(
        cast,
        [
            HttpRow(
                "draft",
                "GET",
                lambda c: f"/en/funding/projects/{contract.pk}/",
                frozenset(),
                refused=404,
                anonymous=404,
            ),
        ],
    )


def test_public_project_pages_are_open_to_everyone(cast: Cast) -> None:
    contract = f.contract(cast, status=ContractStatus.COMPLETED)
    assert_http_matrix(
        cast,
        [
            HttpRow("list", "GET", lambda c: "/en/funding/projects/", EVERYONE),
            HttpRow("map", "GET", lambda c: "/en/funding/projects/map/", EVERYONE),
            HttpRow("project", "GET", lambda c: f"/en/funding/projects/{contract.pk}/", EVERYONE),
            HttpRow("csv", "GET", lambda c: "/en/funding/projects/export/csv/", EVERYONE),
            HttpRow("api list", "GET", lambda c: "/api/v1/projects/", EVERYONE),
            HttpRow("api project", "GET", lambda c: f"/api/v1/projects/{contract.pk}/", EVERYONE),
            HttpRow("api map", "GET", lambda c: "/api/v1/projects/map/", EVERYONE),
        ],
    )


def test_unknown_project_is_404() -> None:
    assert Client().get("/en/funding/projects/999999/").status_code == 404


# --- photos of visits -------------------------------------------------------------------------


def _photo(visit: MonitoringVisit) -> VisitPhoto:
    photo = VisitPhoto(
        visit=visit,
        original_name="site.png",
        content_type="image/png",
        size=len(PNG),
        width=1,
        height=1,
        caption="Workshop",
    )
    photo.file.save("site.png", ContentFile(PNG), save=False)
    photo.save()
    return photo


def test_photo_of_a_published_visit_is_shown_in_the_page_and_a_download_on_its_own(
    cast: Cast, settings: Any, tmp_path: Any
) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    contract = full_project(cast)
    published = contract.visits.get(status=VisitStatus.PUBLISHED)
    photo = _photo(published)
    html = _page(f"/en/funding/projects/{contract.pk}/")
    assert f'src="/en/funding/projects/photos/{photo.pk}/"' in html
    assert 'alt="Workshop"' in html
    response = Client().get(f"/en/funding/projects/photos/{photo.pk}/")
    assert response.status_code == 200
    assert response.content == PNG
    assert response["Content-Type"] == "image/png"
    # An <img> shows it all the same; opened on its own it is never rendered by the site.
    assert response["Content-Disposition"] == 'attachment; filename="site.png"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_photo_of_a_draft_visit_or_a_draft_contract_is_404(
    cast: Cast, settings: Any, tmp_path: Any
) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    contract = full_project(cast)
    hidden = _photo(contract.visits.get(status=VisitStatus.DRAFT))
    assert Client().get(f"/en/funding/projects/photos/{hidden.pk}/").status_code == 404
    shown = _photo(contract.visits.get(status=VisitStatus.PUBLISHED))
    Contract.objects.filter(pk=contract.pk).update(status=ContractStatus.DRAFT, signed_on=None)
    assert Client().get(f"/en/funding/projects/photos/{shown.pk}/").status_code == 404
    assert Client().get(f"/en/funding/projects/{contract.pk}/").status_code == 404


# --- the list, its filters and exports --------------------------------------------------------


def _national(contract: Contract) -> Contract:
    Contract.objects.filter(pk=contract.pk).update(region=None)
    contract.refresh_from_db()
    return contract


def test_list_shows_public_projects_only(cast: Cast) -> None:
    shown = full_project(cast)
    draft = f.contract(cast, status=ContractStatus.DRAFT)
    Contract.objects.filter(pk=draft.pk).update(title="DRAFT-CONTRACT-SECRET")
    html = _page("/en/funding/projects/")
    assert html.count('data-testid="project-row"') == 1
    assert f'href="/en/funding/projects/{shown.pk}/"' in html
    assert "3\u00a0500\u00a0000\u00a0₸" in html  # paid so far
    assert "40.0%" in html
    assert "DRAFT-CONTRACT-SECRET" not in html
    _assert_no_secret(html)


def _ids(url: str) -> list[int]:
    html = _page(url)
    return [
        int(part.split("/")[0]) for part in html.split('<td><a href="/en/funding/projects/')[1:]
    ]


def test_filters_by_region_national_status_ngo_and_search(cast: Cast) -> None:
    kyzylorda = f.contract(cast)
    national = _national(f.contract(cast, status=ContractStatus.COMPLETED))
    Contract.objects.filter(pk=national.pk).update(title="Волонтёры страны")
    year = kyzylorda.application.lot.competition.programme.year
    assert _ids("/en/funding/projects/?region=43") == [kyzylorda.pk]
    assert _ids("/en/funding/projects/?region=national") == [national.pk]
    assert _ids("/en/funding/projects/?region=15") == []
    assert _ids("/en/funding/projects/?status=completed") == [national.pk]
    assert sorted(_ids(f"/en/funding/projects/?year={year}")) == [kyzylorda.pk, national.pk]
    assert _ids(f"/en/funding/projects/?year={year - 1}") == []
    assert _ids("/en/funding/projects/?kind=award") == []
    assert sorted(_ids(f"/en/funding/projects/?ngo={kyzylorda.ngo_id}")) == sorted(
        [kyzylorda.pk, national.pk]
    )
    assert _ids(f"/en/funding/projects/?ngo={kyzylorda.ngo_id + 1000}") == []
    # Search in the title (any case, Cyrillic too) and in the NGO's name.
    assert _ids("/en/funding/projects/?q=волонтёры") == [national.pk]
    assert _ids("/en/funding/projects/?q=ВОЛОНТЁРЫ") == [national.pk]
    assert sorted(_ids("/en/funding/projects/?q=own+ngo")) == sorted([kyzylorda.pk, national.pk])
    assert _ids("/en/funding/projects/?q=nothing-like-this") == []


@pytest.mark.parametrize(
    "query",
    [
        "region=99",
        "region=<script>",
        "year=abc",
        "year=99999",
        "kind=lottery",
        "area=nowhere",
        "status=draft",
        "ngo=abc",
        "ngo=-1",
        "page=abc",
        "page=999",
        "q=" + "x" * 500,
    ],
)
def test_bad_filter_values_are_ignored_not_errors(cast: Cast, query: str) -> None:
    """The pages leave a value they do not understand out; the API says 400 (404 for a page
    of results that does not exist), never a server error."""
    contract = f.contract(cast)
    for url in (
        f"/en/funding/projects/?{query}",
        f"/en/funding/projects/map/?{query}",
        f"/en/funding/projects/export/csv/?{query}",
        f"/api/v1/projects/map/?{query}",
    ):
        response = Client().get(url)
        assert response.status_code == 200, url
        if response.streaming:
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
    if not query.startswith(("q=", "page=")):
        assert _ids(f"/en/funding/projects/?{query}") == [contract.pk]
    expected = 200 if query.startswith("q=") else 404 if query.startswith("page=") else 400
    assert Client().get(f"/api/v1/projects/?{query}").status_code == expected


def test_a_bad_filter_value_is_said_and_left_out(cast: Cast) -> None:
    html = _page("/en/funding/projects/?year=abc")
    assert "Enter a whole number. This filter is left out." in html
    html = _page("/en/funding/projects/map/?kind=lottery")
    assert "lottery is not one of the available choices. This filter is left out." in html


def test_csv_and_xlsx_export_the_filtered_list_without_internal_parts(cast: Cast) -> None:
    contract = full_project(cast)
    _national(f.contract(cast))
    draft = f.contract(cast, status=ContractStatus.DRAFT)
    response = Client().get("/en/funding/projects/export/csv/?region=43")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["Contract number", "Project", "NGO"]
    assert [row[0] for row in rows[1:]] == [contract.number]
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Paid so far, ₸"] == "3500000"
    assert row["Amount, ₸"] == "5000000"
    assert row["Indicators achieved, %"] == "40.0"
    assert row["Region"] == "Kyzylorda Region"
    assert draft.number not in text
    _assert_no_secret(text)

    xlsx = Client().get("/en/funding/projects/export/xlsx/?region=national")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[cell.value for cell in line] for line in sheet.iter_rows()]  # type: ignore[union-attr]
    assert len(values) == 2
    assert values[1][5] == "National project"
    assert Client().get("/en/funding/projects/export/pdf/").status_code == 404


# --- links from other pages -------------------------------------------------------------------


def test_results_page_and_ngo_page_link_to_a_public_project(cast: Cast) -> None:
    comp, application = f.published(cast)
    results = f"/en/funding/competitions/{comp.pk}/results/"
    ngo = f"/en/ngos/{application.ngo_id}/"
    contract = f.contract(cast, application=application, status=ContractStatus.DRAFT)
    link = f'href="/en/funding/projects/{contract.pk}/"'
    assert link not in _page(results)
    assert link not in _page(ngo)
    Contract.objects.filter(pk=contract.pk).update(
        status=ContractStatus.ACTIVE, signed_on=contract.start_date
    )
    assert link in _page(results)
    assert link in _page(ngo)


def test_funding_tabs_link_to_the_projects() -> None:
    html = _page("/en/funding/")
    assert 'href="/en/funding/projects/">Funded projects</a>' in html


# --- query counts -----------------------------------------------------------------------------


def _count(url: str) -> int:
    client = Client()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/en/funding/projects/",
        "/en/funding/projects/map/",
        "/en/funding/projects/export/csv/",
        "/api/v1/projects/",
        "/api/v1/projects/map/",
    ],
)
def test_query_count_does_not_grow(cast: Cast, url: str) -> None:
    full_project(cast)
    one = _count(url)
    full_project(cast)
    _national(full_project(cast))
    assert _count(url) == one
