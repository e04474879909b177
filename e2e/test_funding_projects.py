"""The life of a funded project through the pages, each role in its own browser, on the small
demo (see ortaq/demo/funding_projects.py): the NGO fills and submits the progress report due in a
few days (bad input keeps what was typed) → the department approves it → it releases the
tranche that waited for that report, and sees why the next one cannot be released yet →
anybody sees the payment and the report's public summary on the project's public page, never
the internal narrative → the public council's chair opens its published visit and its photo
loads. Then the public funding statistics, where the branch has them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from playwright.sync_api import LocatorAssertions, Page, expect

from ortaq.demo.world import DEMO_PASSWORD
from ortaq.funding.enums import TrancheStatus
from ortaq.funding.models import Contract, Report
from ortaq.lib.money import format_tenge

from .conftest import Session
from .test_foundation import log_in

pytestmark = pytest.mark.e2e

NGO_ADMIN = "ngo.admin@ortaq.kz"  # «Болашак жастары»: won lots 1 and 2 of this year
OFFICIAL = "official@ortaq.kz"  # Kyzylorda's Department of Internal Policy: the customer
COUNCIL_CHAIR = "council.chair@ortaq.kz"  # the public council that visited lot 4's project
COMPETITION_EN = "Social projects: priority areas"  # this year's competition of the demo

NARRATIVE = "Internal: two sessions moved because the hall was being repaired."
PUBLIC_SUMMARY = "Twelve media workshops held; the first short films are online."
BENEFICIARIES = 520
PAYMENT_ORDER = "PO-2026-0417"
STATS_PATH = "/en/stats/funding/"


def _as(open_session: Callable[..., Session], email: str) -> tuple[Session, Page]:
    session = open_session()
    page = log_in(session, email, DEMO_PASSWORD)
    expect(page.locator(".ortaq-user")).to_be_visible()
    return session, page


def _alert(page: Page) -> LocatorAssertions:
    return expect(page.get_by_role("alert").first)


def _lot_contract(number: int) -> Contract:
    return Contract.objects.select_related("application").get(
        application__lot__competition__title_en__startswith=COMPETITION_EN,
        application__lot__number=number,
    )


def _route_exists(path: str) -> bool:
    """Whether the site has a page at `path` (the language prefix matches the active one)."""
    try:
        with translation.override(path.split("/")[1]):
            resolve(path)
    except Resolver404:
        return False
    return True


def test_the_life_of_a_funded_project_through_the_pages(
    open_session: Callable[..., Session], demo_world: None
) -> None:
    # What the demo holds for the NGO: lot 1's contract, its progress report a draft due in a
    # few days, tranche 1 (the advance) paid, tranche 2 after report 1, tranche 3 after report 2.
    contract = _lot_contract(1)
    report = Report.objects.get(contract=contract, number=1)
    targets = list(contract.indicators.order_by("position", "pk"))
    lines = list(contract.application.budget_lines.order_by("pk"))
    tranches = {t.number: t for t in contract.tranches.all()}
    assert report.status == "draft"
    assert [t.status for t in tranches.values()] == [
        TrancheStatus.RELEASED,
        TrancheStatus.PLANNED,
        TrancheStatus.PLANNED,
    ]
    assert tranches[2].report_id == report.pk
    actuals = {t.pk: str(int(t.target) * 2 // 3) for t in targets}
    spent = {line.pk: str(line.amount // 3) for line in lines}
    today = timezone.localdate().strftime("%d.%m.%Y")

    # 1. The NGO's administrator finds the draft in "My reports" and fills it in.
    _ngo, n_page = _as(open_session, NGO_ADMIN)
    n_page.goto(_ngo.url("/en/funding/"))
    n_page.get_by_role("link", name="My reports").click()
    row = (
        n_page.get_by_test_id("report-row")
        .filter(has_text=contract.number)
        .filter(has=n_page.get_by_test_id("due-soon"))
    )
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Draft")
    row.get_by_role("link", name="Report 1").click()
    expect(n_page.get_by_role("heading", name="Report 1")).to_be_visible()
    n_page.get_by_role("link", name="Fill in the report").click()

    # Bad input first: a negative actual value is refused next to its field, and everything
    # typed stays in the form.
    first = targets[0]
    for target in targets:
        n_page.get_by_label(target.name, exact=True).fill(actuals[target.pk])
    n_page.get_by_label(first.name, exact=True).fill("-5")
    n_page.get_by_label("Beneficiaries reached").fill(str(BENEFICIARIES))
    n_page.get_by_label("What was done").fill(NARRATIVE)
    n_page.get_by_label("Public summary").fill(PUBLIC_SUMMARY)
    for line in lines:
        n_page.get_by_label(line.item, exact=True).fill(spent[line.pk])
    n_page.get_by_role("button", name="Save the report").click()
    actual_field = n_page.get_by_label(first.name, exact=True)
    expect(n_page.locator("td", has=actual_field).locator(".invalid-feedback")).to_have_text(
        "Ensure this value is greater than or equal to 0."
    )
    expect(actual_field).to_have_value("-5")
    for target in targets[1:]:
        expect(n_page.get_by_label(target.name, exact=True)).to_have_value(actuals[target.pk])
    expect(n_page.get_by_label("Beneficiaries reached")).to_have_value(str(BENEFICIARIES))
    expect(n_page.get_by_label("What was done")).to_have_value(NARRATIVE)
    expect(n_page.get_by_label("Public summary")).to_have_value(PUBLIC_SUMMARY)
    for line in lines:
        expect(n_page.get_by_label(line.item, exact=True)).to_have_value(spent[line.pk])
    report.refresh_from_db()
    assert report.narrative != NARRATIVE  # nothing was saved

    # Corrected, saved and submitted.
    actual_field.fill(actuals[first.pk])
    n_page.get_by_role("button", name="Save the report").click()
    _alert(n_page).to_contain_text("The report is saved.")
    for cell, target in zip(n_page.get_by_test_id("actual").all(), targets, strict=True):
        expect(cell).to_have_text(f"{actuals[target.pk]}.00")
    n_page.get_by_role("button", name="Submit to the customer").click()
    _alert(n_page).to_contain_text("The report is submitted to the customer.")
    expect(n_page.get_by_test_id("report-status").locator(".badge").first).to_have_text("Submitted")
    report_url = n_page.url

    # 2. The department finds it among the reports to review and approves it.
    official, o_page = _as(open_session, OFFICIAL)
    o_page.goto(official.url("/en/funding/"))
    o_page.get_by_role("link", name="Organiser's desk").click()
    o_page.get_by_role("link", name="Reports to review").click()
    queued = o_page.get_by_test_id("queue-row").filter(has_text=contract.number)
    expect(queued).to_have_count(1)
    queued.get_by_role("link", name="Report 1").click()
    expect(o_page).to_have_url(report_url)
    expect(o_page.get_by_text(NARRATIVE)).to_be_visible()  # the customer reads the narrative
    o_page.get_by_role("button", name="Approve the report").click()
    _alert(o_page).to_contain_text("The report is approved.")
    expect(o_page.get_by_test_id("report-status").locator(".badge").first).to_have_text("Approved")

    # 3. On the contract, the tranche that waited for the report can now be released; the
    # last one still waits for the final report and says so instead of offering a form.
    o_page.goto(official.url("/en/funding/manage/"))
    o_page.get_by_role("link", name="Contracts", exact=True).click()
    o_page.get_by_role("link", name=contract.number, exact=True).click()
    expect(o_page.get_by_role("heading", name=f"Contract {contract.number}")).to_be_visible()
    rows = o_page.get_by_test_id("tranche-row")
    expect(rows).to_have_count(3)
    second, last = rows.nth(1), rows.nth(2)
    expect(second).to_contain_text("after report 1 is approved")
    expect(second.get_by_role("button", name="Release")).to_be_visible()
    expect(last.get_by_test_id("release-form")).to_have_count(0)
    expect(last).to_contain_text("The tranche is released only after report 2 is approved.")
    second.get_by_label("Payment order №").fill(PAYMENT_ORDER)
    second.get_by_role("button", name="Release").click()
    _alert(o_page).to_contain_text("Tranche 2 is released.")
    second = o_page.get_by_test_id("tranche-row").nth(1)
    expect(second).to_contain_text(f"Released {today}, payment order {PAYMENT_ORDER}")
    expect(second.get_by_test_id("release-form")).to_have_count(0)
    paid = format_tenge(tranches[1].amount + tranches[2].amount)
    expect(o_page.get_by_test_id("contract-amount")).to_contain_text(f"paid so far: {paid}")
    last = o_page.get_by_test_id("tranche-row").nth(2)
    expect(last).to_contain_text("The tranche is released only after report 2 is approved.")
    expect(last.get_by_test_id("release-form")).to_have_count(0)
    released = contract.tranches.get(number=2)
    assert (released.status, released.payment_reference) == (TrancheStatus.RELEASED, PAYMENT_ORDER)

    # 4. Anybody finds the project among the funded projects: the money paid so far and the
    # approved report's public summary, not what the NGO wrote for the customer only.
    public = open_session()
    p_page = public.page
    p_page.goto(public.url("/en/funding/"))
    p_page.get_by_role("link", name="Funded projects").click()
    p_page.get_by_label("Search").fill(
        contract.title.split(":")[0]
    )  # "Молодёжная медиалаборатория"
    p_page.get_by_role("button", name="Show").click()
    found = p_page.get_by_test_id("project-row").filter(has_text=contract.number)
    expect(found).to_have_count(1)
    expect(found).to_contain_text(paid)  # the list's "paid so far" column
    found.get_by_role("link", name=contract.title).click()
    expect(p_page.get_by_role("heading", name=contract.title)).to_be_visible()
    expect(p_page.locator("#project-paid")).to_have_text(paid)
    public_tranches = p_page.get_by_test_id("tranche-row")
    expect(public_tranches.nth(1)).to_contain_text(f"paid on {today}")
    expect(public_tranches.nth(2)).to_contain_text("planned for")
    summary = p_page.get_by_test_id("public-report").filter(has_text="Report 1")
    expect(summary).to_contain_text(PUBLIC_SUMMARY)
    expect(summary).to_contain_text(f"approved on {today}")
    expect(summary).to_contain_text(f"{BENEFICIARIES} people reached")
    expect(p_page.get_by_text(NARRATIVE)).to_have_count(0)
    assert NARRATIVE not in p_page.content()

    # 5. The public council's chair opens its published visit; its photos really load.
    visited = _lot_contract(4)
    _chair, c_page = _as(open_session, COUNCIL_CHAIR)
    c_page.goto(_chair.url("/en/funding/"))
    c_page.get_by_role("link", name="Monitoring").click()
    visit_row = c_page.get_by_test_id("visits").get_by_role("row").filter(has_text=visited.number)
    expect(visit_row).to_contain_text("Published")
    visit_row.get_by_role("link").first.click()
    expect(c_page.get_by_role("heading", name="Photos")).to_be_visible()
    photos = c_page.locator("figure img")
    expect(photos).to_have_count(2)
    for index in range(photos.count()):
        photo = photos.nth(index)
        photo.scroll_into_view_if_needed()
        natural = c_page.evaluate(
            """img => img.complete && img.naturalWidth > 0
                 ? img.naturalWidth
                 : new Promise((resolve, reject) => {
                     img.addEventListener("load", () => resolve(img.naturalWidth));
                     img.addEventListener("error", () => reject(new Error("not loaded")));
                   })""",
            photo.element_handle(),
        )
        assert natural > 0


@pytest.mark.skipif(
    not _route_exists(STATS_PATH), reason="no funding statistics page in this branch"
)
def test_public_funding_statistics(open_session: Callable[..., Session], demo_world: None) -> None:
    public = open_session()
    page = public.page
    response = page.goto(public.url(STATS_PATH))
    assert response is not None
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Funding of NGOs: regional statistics"
    )
    canvas = page.locator("canvas").first
    expect(canvas).to_be_visible()
    # The chart is drawn from the page's JSON block by the static script.
    page.wait_for_function(
        "c => window.Chart !== undefined && window.Chart.getChart(c) !== undefined",
        arg=canvas.element_handle(),
    )
    table = page.get_by_role("table").first
    expect(table).to_be_visible()
    expect(table.get_by_role("row").filter(has_text="Kyzylorda Region").first).to_be_visible()
