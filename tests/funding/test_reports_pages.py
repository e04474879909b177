"""Pages of project reports: the access matrix over the cast, the form (targets beside the
actual values, spending beside the line amounts, errors on their fields, typed data kept),
submission and review, late and due flags, the NGO's order, query counts of every list."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ortaq.funding.enums import ProjectReportStatus
from ortaq.funding.models import Report
from ortaq.funding.reports import services
from tests.access import SIGNED_IN, Cast, HttpRow, assert_http_matrix

from . import reports_helpers as h

pytestmark = pytest.mark.django_db

NGO = frozenset({"ngo_member", "ngo_admin"})
CUSTOMER = frozenset({"official", "regional_admin"})


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Any) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path


def _client(cast: Cast, role: str) -> Client:
    client = Client()
    client.force_login(cast.users[role])
    return client


def _reset_submitted(report: Report) -> Any:
    def reset(cast: Cast) -> None:
        Report.objects.filter(pk=report.pk).update(
            status=ProjectReportStatus.SUBMITTED, reviewed_at=None, review_comment=""
        )

    return reset


def test_http_matrix_of_report_pages(cast: Cast) -> None:
    made = h.contract(cast)
    admin = cast.users["ngo_admin"]
    sent = h.first(made)
    sent_file = services.evidence_upload(
        actor=admin, report=sent, upload=h.upload("a.pdf", b"%PDF-1.4\n")
    )
    h.submitted(cast, sent)
    draft = h.final(made)
    draft_file = services.evidence_upload(
        actor=admin, report=draft, upload=h.upload("b.pdf", b"%PDF-1.4\n")
    )
    draft = h.fill(cast, draft)  # complete: the NGO may submit it
    outsider = h.first(h.contract(cast, outsider=True))
    assert_http_matrix(
        cast,
        [
            HttpRow("my reports", "GET", lambda c: "/en/funding/reports/", SIGNED_IN),
            HttpRow(
                "submitted report",
                "GET",
                lambda c: f"/en/funding/reports/{sent.pk}/",
                NGO | CUSTOMER,
                refused=404,
            ),
            HttpRow(
                "draft report",
                "GET",
                lambda c: f"/en/funding/reports/{draft.pk}/",
                NGO,
                refused=404,
            ),
            HttpRow(
                "another NGO's report",
                "GET",
                lambda c: f"/en/funding/reports/{outsider.pk}/",
                frozenset({"outsider_ngo_admin"}),
                refused=404,
            ),
            HttpRow(
                "report form",
                "GET",
                lambda c: f"/en/funding/reports/{draft.pk}/edit/",
                frozenset({"ngo_admin"}),
            ),
            HttpRow(
                "submit",
                "POST",
                lambda c: f"/en/funding/reports/{draft.pk}/submit/",
                frozenset({"ngo_admin"}),
                reset=lambda c: Report.objects.filter(pk=draft.pk).update(
                    status=ProjectReportStatus.DRAFT, submitted_at=None
                ),
                ok=302,
                done=lambda c, r: (
                    Report.objects.get(pk=draft.pk).status == ProjectReportStatus.SUBMITTED
                ),
            ),
            HttpRow(
                "evidence of a submitted report",
                "GET",
                lambda c: f"/en/funding/evidence/{sent_file.pk}/",
                NGO | CUSTOMER,
                refused=404,
            ),
            HttpRow(
                "evidence of a draft",
                "GET",
                lambda c: f"/en/funding/evidence/{draft_file.pk}/",
                NGO,
                refused=404,
            ),
            # Any organiser of funding has a queue (Aktobe's is empty: see below).
            HttpRow(
                "review queue",
                "GET",
                lambda c: "/en/funding/manage/reports/",
                CUSTOMER | {"other_regional_admin"},
            ),
            HttpRow(
                "approve",
                "POST",
                lambda c: f"/en/funding/manage/reports/{sent.pk}/approve/",
                CUSTOMER,
                reset=_reset_submitted(sent),
                ok=302,
                done=lambda c, r: (
                    Report.objects.get(pk=sent.pk).status == ProjectReportStatus.APPROVED
                ),
            ),
            HttpRow(
                "return",
                "POST",
                lambda c: f"/en/funding/manage/reports/{sent.pk}/return/",
                CUSTOMER,
                data=lambda c: {"comment": "Add the lists"},
                reset=_reset_submitted(sent),
                ok=302,
                done=lambda c, r: (
                    Report.objects.get(pk=sent.pk).status == ProjectReportStatus.RETURNED
                ),
            ),
            HttpRow("API list", "GET", lambda c: "/api/v1/reports/", SIGNED_IN),
            HttpRow(
                "API submitted report",
                "GET",
                lambda c: f"/api/v1/reports/{sent.pk}/",
                NGO | CUSTOMER,
                refused=404,
            ),
            HttpRow("API draft", "GET", lambda c: f"/api/v1/reports/{draft.pk}/", NGO, refused=404),
        ],
    )


def test_the_platform_administrator_cannot_file_through_the_pages(cast: Cast) -> None:
    made = h.contract(cast)
    report = h.first(made)
    client = _client(cast, "platform_admin")
    assert client.get(f"/en/funding/reports/{report.pk}/edit/").status_code == 403
    response = client.post(
        f"/en/funding/reports/{report.pk}/edit/", {"version": 1, "beneficiaries": 9}
    )
    assert response.status_code == 403
    assert client.post(f"/en/funding/reports/{report.pk}/submit/").status_code == 403
    assert Report.objects.get(pk=report.pk).version == 1


def test_the_form_shows_targets_and_line_amounts_and_saves(cast: Cast) -> None:
    made = h.contract(cast)
    report = h.first(made)
    target, line = made.indicators.get(), h.line(made)
    client = _client(cast, "ngo_admin")
    html = client.get(f"/en/funding/reports/{report.pk}/edit/").content.decode()
    assert re.search(r'data-testid="target">300[.,]00<', html)
    assert 'data-testid="line-amount">5\u00a0000\u00a0000\u00a0₸<' in html
    assert f'name="actual_{target.pk}"' in html
    assert f'name="spent_{line.pk}"' in html
    response = client.post(
        f"/en/funding/reports/{report.pk}/edit/",
        {
            "version": 1,
            "beneficiaries": 95,
            "narrative": "Проведено 12 тренингов",
            "public_summary": "Обучено 95 человек",
            f"actual_{target.pk}": "95",
            f"note_{target.pk}": "по спискам",
            f"spent_{line.pk}": "1200000",
            f"spent_note_{line.pk}": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/en/funding/reports/{report.pk}/"
    report.refresh_from_db()
    assert (report.beneficiaries, report.public_summary, report.version) == (
        95,
        "Обучено 95 человек",
        2,
    )
    assert [(v.actual, v.comment) for v in report.values.all()] == [(Decimal(95), "по спискам")]
    assert [s.spent for s in report.spending.all()] == [1_200_000]


def test_overspending_is_shown_on_its_line_and_the_typed_data_is_kept(cast: Cast) -> None:
    made = h.contract(cast)
    h.fill(cast, h.first(made), spent=4_000_000)
    report = h.final(made)
    target, line = made.indicators.get(), h.line(made)
    response = _client(cast, "ngo_admin").post(
        f"/en/funding/reports/{report.pk}/edit/",
        {
            "version": 1,
            "beneficiaries": 300,
            "narrative": "Итоги проекта",
            f"actual_{target.pk}": "300",
            f"spent_{line.pk}": "1000001",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {
        f"spent_{line.pk}": [
            "“Тренинги”: 5\u00a0000\u00a0001\u00a0₸ would be spent in all reports, more than "
            "the line's 5\u00a0000\u00a0000\u00a0₸."
        ]
    }
    html = response.content.decode()
    assert "Итоги проекта" in html
    assert 'value="1000001"' in html
    assert 'data-testid="spent-elsewhere">4\u00a0000\u00a0000\u00a0₸<' in html
    assert Report.objects.get(pk=report.pk).version == 1


def test_a_negative_value_is_refused_by_the_form(cast: Cast) -> None:
    made = h.contract(cast)
    report, target = h.first(made), made.indicators.get()
    response = _client(cast, "ngo_admin").post(
        f"/en/funding/reports/{report.pk}/edit/",
        {"version": 1, "beneficiaries": 1, f"actual_{target.pk}": "-3"},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [f"actual_{target.pk}"]
    assert not Report.objects.get(pk=report.pk).values.exists()


def test_a_concurrent_save_keeps_the_typed_data_and_the_next_save_goes_through(
    cast: Cast,
) -> None:
    made = h.contract(cast)
    report, target = h.first(made), made.indicators.get()
    h.fill(cast, report, actual=Decimal(50))  # someone else saved: version 2
    client = _client(cast, "ngo_admin")
    typed = {"version": 1, "beneficiaries": 77, "narrative": "Мой текст"}
    typed[f"actual_{target.pk}"] = "60"
    response = client.post(f"/en/funding/reports/{report.pk}/edit/", typed)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else changed this while you were editing it" in html
    assert "Мой текст" in html
    assert 'value="60"' in html
    assert re.search(r"saved: 50[.,]00", html)
    assert response.context["form"]["version"].value() == "2"
    again = client.post(f"/en/funding/reports/{report.pk}/edit/", {**typed, "version": 2})
    assert again.status_code == 302
    assert Report.objects.get(pk=report.pk).narrative == "Мой текст"


def test_submission_and_review_through_the_pages(cast: Cast) -> None:
    made = h.contract(cast)
    report = h.fill(cast, h.first(made))
    ngo = _client(cast, "ngo_admin")
    assert ngo.post(f"/en/funding/reports/{report.pk}/submit/").status_code == 302
    assert Report.objects.get(pk=report.pk).status == ProjectReportStatus.SUBMITTED
    official = _client(cast, "official")
    page = official.get(f"/en/funding/reports/{report.pk}/").content.decode()
    assert "Approve the report" in page
    assert "Return for changes" in page
    # A return without a comment is refused on the page, which stays.
    response = official.post(f"/en/funding/manage/reports/{report.pk}/return/", {"comment": ""})
    assert response.status_code == 200
    assert list(response.context["return_form"].errors) == ["comment"]
    assert Report.objects.get(pk=report.pk).status == ProjectReportStatus.SUBMITTED
    official.post(
        f"/en/funding/manage/reports/{report.pk}/return/", {"comment": "Приложите списки"}
    )
    seen = ngo.get(f"/en/funding/reports/{report.pk}/").content.decode()
    assert 'data-testid="review-comment"' in seen
    assert "Приложите списки" in seen
    history = seen[seen.index('data-testid="history"') :]
    assert "Returned for changes</strong>" in history
    assert "Приложите списки" in history
    ngo.post(f"/en/funding/reports/{report.pk}/submit/")
    official.post(f"/en/funding/manage/reports/{report.pk}/approve/")
    assert Report.objects.get(pk=report.pk).status == ProjectReportStatus.APPROVED
    done = official.get(f"/en/funding/reports/{report.pk}/").content.decode()
    assert "Approve the report" not in done


def test_a_refused_submission_says_why(cast: Cast) -> None:
    made = h.contract(cast)
    report = h.first(made)
    client = _client(cast, "ngo_admin")
    page = client.get(f"/en/funding/reports/{report.pk}/").content.decode()
    assert "Give the actual value of every target: Участники." in page
    response = client.post(f"/en/funding/reports/{report.pk}/submit/", follow=True)
    assert "Give the actual value of every target: Участники." in response.content.decode()
    assert Report.objects.get(pk=report.pk).status == ProjectReportStatus.DRAFT


def _overdue(report: Report, days: int = 3) -> None:
    Report.objects.filter(pk=report.pk).update(
        due_date=timezone.localdate() - dt.timedelta(days=days)
    )


def test_late_reports_are_flagged_on_every_list(cast: Cast) -> None:
    made = h.contract(cast)
    late, sent_late = h.first(made), h.final(made)
    _overdue(late)
    h.submitted(cast, sent_late)
    _overdue(sent_late)  # submitted today, due three days ago: sent late
    assert Report.objects.get(pk=late.pk).is_late
    mine = _client(cast, "ngo_member").get("/en/funding/reports/").content.decode()
    assert mine.count('data-testid="late"') == 2
    queue = _client(cast, "official").get("/en/funding/manage/reports/").content.decode()
    assert queue.count('data-testid="queue-row"') == 1
    assert queue.count('data-testid="overdue-row"') == 1
    assert queue.count('data-testid="late"') == 2
    api = _client(cast, "ngo_member").get("/api/v1/reports/?late=true").json()
    assert sorted(r["id"] for r in api["results"]) == sorted([late.pk, sent_late.pk])
    assert all(r["is_late"] for r in api["results"])
    on_time = _client(cast, "ngo_member").get("/api/v1/reports/?late=false").json()
    assert on_time["results"] == []


def test_the_ngo_sees_returned_then_due_then_the_rest(cast: Cast) -> None:
    one, two, three = h.contract(cast), h.contract(cast), h.contract(cast)
    returned = h.submitted(cast, h.first(one))
    services.report_return(actor=cast.users["official"], report=returned, comment="Fix")
    due = h.first(two)
    Report.objects.filter(pk=due.pk).update(due_date=timezone.localdate() + dt.timedelta(days=1))
    approved = h.submitted(cast, h.first(three))
    services.report_approve(actor=cast.users["official"], report=approved)
    response = _client(cast, "ngo_admin").get("/en/funding/reports/?kind=progress")
    order = [r.pk for r in response.context["page_obj"]]
    assert order[:2] == [returned.pk, due.pk]
    assert order[-1] == approved.pk
    assert response.content.decode().count('data-testid="due-soon"') == 1


def test_only_organisers_see_the_queue_and_only_their_own_contracts(cast: Cast) -> None:
    made = h.contract(cast)
    sent = h.submitted(cast, h.first(made))
    queue = _client(cast, "regional_admin").get("/en/funding/manage/reports/")
    assert [r.pk for r in queue.context["page_obj"]] == [sent.pk]
    aktobe = _client(cast, "other_regional_admin").get("/en/funding/manage/reports/")
    assert list(aktobe.context["page_obj"]) == []
    assert list(aktobe.context["overdue"]) == []
    # The platform administrator is not a customer: no queue, no approval.
    assert _client(cast, "platform_admin").get("/en/funding/manage/reports/").status_code == 403
    assert (
        _client(cast, "platform_admin")
        .post(f"/en/funding/manage/reports/{sent.pk}/approve/")
        .status_code
        == 403
    )
    assert Report.objects.get(pk=sent.pk).status == ProjectReportStatus.SUBMITTED


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_my_reports_query_count_does_not_grow(cast: Cast) -> None:
    client = _client(cast, "ngo_admin")
    url = "/en/funding/reports/?kind=progress"
    h.contract(cast)
    one = _count(client, url)
    h.contract(cast)
    h.contract(cast)
    assert len(client.get(url).context["page_obj"]) == 3
    assert _count(client, url) == one


def test_review_queue_query_count_does_not_grow(cast: Cast) -> None:
    client = _client(cast, "official")
    url = "/en/funding/manage/reports/"
    h.submitted(cast, h.first(h.contract(cast)))
    _overdue(h.final(h.contract(cast)))
    one = _count(client, url)
    for _ in range(2):
        h.submitted(cast, h.first(h.contract(cast)))
        _overdue(h.final(h.contract(cast)))
    response = client.get(url)
    assert len(response.context["page_obj"]) == 3
    assert len(response.context["overdue"]) == 3
    assert _count(client, url) == one


def test_report_detail_query_count_does_not_grow_with_lines_and_files(cast: Cast) -> None:
    from ortaq.funding.models import BudgetLine

    made = h.contract(cast)
    report = h.fill(cast, h.first(made))
    client = _client(cast, "ngo_admin")
    url = f"/en/funding/reports/{report.pk}/"
    one = _count(client, url)
    for i in range(2):
        BudgetLine.objects.create(application=made.application, item=f"Line {i}", amount=10)
        made.indicators.create(name=f"Target {i}", unit="x", target=Decimal(1), position=i + 1)
        services.evidence_upload(
            actor=cast.users["ngo_admin"],
            report=report,
            upload=h.upload(f"{i}.pdf", b"%PDF-1.4\n"),
        )
    assert _count(client, url) == one


def test_due_and_overdue_selectors_per_ngo_and_per_customer(cast: Cast) -> None:
    from ortaq.funding.reports import selectors

    today = timezone.localdate()
    made = h.contract(cast)
    overdue, due = h.first(made), h.final(made)
    _overdue(overdue)
    Report.objects.filter(pk=due.pk).update(due_date=today)
    other = h.contract(cast, outsider=True)
    _overdue(h.first(other))
    on_time = h.first(h.contract(cast))  # due in about three months

    def pks(qs: Any) -> list[int]:
        return [r.pk for r in qs]

    admin, official = cast.users["ngo_admin"], cast.users["official"]
    assert pks(selectors.ngo_reports_overdue(user=admin)) == [overdue.pk]
    assert pks(selectors.ngo_reports_due(user=admin)) == [due.pk]
    assert pks(selectors.ngo_reports_overdue(user=cast.users["ngo_member"])) == []  # files none
    assert pks(selectors.organiser_reports_overdue(user=official)) == sorted(
        [overdue.pk, h.first(other).pk]
    )
    assert pks(selectors.organiser_reports_due(user=official)) == [due.pk]
    assert pks(selectors.organiser_reports_due(user=cast.users["other_regional_admin"])) == []
    # The late filter both ways: the report due in three months is on time.
    on_time_ids = [
        r["id"]
        for r in _client(cast, "ngo_admin").get("/api/v1/reports/?late=false").json()["results"]
    ]
    assert overdue.pk not in on_time_ids
    assert on_time.pk in on_time_ids
    assert due.pk in on_time_ids


def test_the_back_office_reads_reports_without_changing_them(cast: Cast) -> None:
    made = h.contract(cast)
    report = h.submitted(cast, h.first(made))
    client = _client(cast, "platform_admin")
    assert client.get("/en/admin/funding/report/").status_code == 200
    page = client.get(f"/en/admin/funding/report/{report.pk}/change/")
    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()
    assert client.get("/en/admin/funding/report/add/").status_code == 403
    response = client.post(f"/en/admin/funding/report/{report.pk}/change/", {"status": "approved"})
    assert response.status_code == 403
    assert Report.objects.get(pk=report.pk).status == ProjectReportStatus.SUBMITTED


def test_a_save_that_names_no_version_overwrites_nothing(cast: Cast) -> None:
    """A form posted without its version (an old tab, a hand-made request) used to be taken
    for the current version and overwrote what someone else had saved meanwhile."""
    made = h.contract(cast)
    report, target = h.first(made), made.indicators.get()
    h.fill(cast, report, actual=Decimal(50))  # someone else saved: version 2
    typed = {"beneficiaries": 77, "narrative": "Мой текст", f"actual_{target.pk}": "60"}
    response = _client(cast, "ngo_admin").post(f"/en/funding/reports/{report.pk}/edit/", typed)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else changed this while you were editing it" in html
    assert "Мой текст" in html
    saved = Report.objects.get(pk=report.pk)
    assert (saved.version, saved.narrative, saved.values.get().actual) == (
        2,
        "Тренинги проведены",
        Decimal(50),
    )
