"""A whole funding cycle through the pages, each role in its own browser: a topic proposed,
consulted on, answered and approved → a programme needing a second approver, a competition
with a lot from the topic, announced → the NGO's application filled and submitted → after the
deadline the compliance check → the draw of experts, their declarations and scores → the
decision computed, confirmed, approved by a second person, published → the public results
with the total score and the competition in the OCDS release package."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from ortaq.demo.world import DEMO_PASSWORD
from ortaq.funding.enums import AssignmentStatus
from ortaq.funding.models import Assignment, Competition
from ortaq.registry.enums import NgoStatus, ReportStatus, Verification
from ortaq.registry.models import AnnualReport, NgoProfile

from .conftest import Session
from .test_foundation import log_in

pytestmark = pytest.mark.e2e

OFFICIAL = "official@ortaq.kz"  # Kyzylorda's Department of Internal Policy: the organiser
SECOND_APPROVER = "regional.admin@ortaq.kz"  # the same department, another person
NGO_ADMIN = "ngo.admin@ortaq.kz"
CITIZEN = "citizen@ortaq.kz"
NGO_NAME = "Bolashak Zhastary public association"

TOPIC_EN = "Digital literacy for rural teenagers"
PROGRAMME_EN = "Social order with two signatures"
COMPETITION_EN = "Digital skills competition"
PROJECT = "Code clubs in Zhalagash district"
AREA = "Youth policy and children's initiatives"


def _as(open_session: Callable[..., Session], email: str) -> tuple[Session, Page]:
    session = open_session()
    page = log_in(session, email, DEMO_PASSWORD)
    expect(page.locator(".ortaq-user")).to_be_visible()
    return session, page


def _alert(page: Page) -> object:
    return expect(page.get_by_role("alert").first)


def _make_ngo_eligible() -> None:
    """The demo leaves «Болашак жастары» without last year's NGO-database report (so the demo
    compliance check has something to show); a submission needs it, and a verified, active
    NGO. The report is the registry's business, not this cycle's: set it up directly."""
    ngo = NgoProfile.objects.get(organisation__name_en=NGO_NAME)
    NgoProfile.objects.filter(pk=ngo.pk).update(
        verification=Verification.VERIFIED, status=NgoStatus.ACTIVE
    )
    year = timezone.localdate().year - 1
    AnnualReport.objects.update_or_create(
        ngo=ngo,
        year=year,
        defaults={"status": ReportStatus.SUBMITTED, "submitted_at": timezone.now()},
    )


def test_a_whole_funding_cycle_through_the_pages(
    open_session: Callable[..., Session], demo_world: None
) -> None:
    next_year = timezone.localdate().year + 1

    # 1. The official proposes a topic for next year and opens the consultation.
    official, o_page = _as(open_session, OFFICIAL)
    o_page.goto(official.url("/en/funding/topics/"))
    o_page.get_by_role("link", name="Propose a topic").click()
    o_page.get_by_label("Year of funding").fill(str(next_year))
    o_page.get_by_label("Title (Kazakh)").fill("Ауыл жасөспірімдерінің цифрлық сауаттылығы")
    o_page.get_by_label("Title (Russian)").fill("Цифровая грамотность сельских подростков")
    o_page.get_by_label("Title (English)").fill(TOPIC_EN)
    o_page.get_by_label("Activity area").select_option(label=AREA)
    o_page.get_by_label("Region").select_option(label="Kyzylorda Region")
    o_page.get_by_label("Problem").fill("Rural schools have no computer clubs.")
    o_page.get_by_label("Expected results").fill("12 clubs, 600 teenagers trained.")
    o_page.get_by_label("Budget estimate, ₸").fill("20000000")
    o_page.get_by_label("Expected indicators").fill("Clubs; pcs; 12")
    o_page.get_by_role("button", name="Save").click()
    expect(o_page.get_by_role("heading", name=TOPIC_EN)).to_be_visible()
    expect(o_page.get_by_text("Draft", exact=True)).to_be_visible()
    until = timezone.localdate() + dt.timedelta(days=10)
    o_page.locator('input[name="until"]').fill(until.isoformat())
    o_page.get_by_role("button", name="Open the consultation").click()
    _alert(o_page).to_contain_text("The consultation is open.")
    topic_url = o_page.url

    # 2. A citizen comments and supports it during the consultation.
    _citizen, c_page = _as(open_session, CITIZEN)
    c_page.goto(topic_url)
    c_page.get_by_label("Comment").fill("Please include the villages along the Syr Darya.")
    c_page.get_by_label("I support this topic").check()
    c_page.get_by_role("button", name="Send").click()
    _alert(c_page).to_contain_text("Thank you: your comment is recorded.")
    comment = c_page.get_by_test_id("topic-comment").filter(has_text="Syr Darya")
    expect(comment).to_contain_text("supports")

    # 3. The department answers the comment and approves the topic.
    o_page.goto(topic_url)
    answer_form = o_page.get_by_test_id("topic-comment").filter(has_text="Syr Darya")
    answer_form.locator('textarea[name="answer"]').fill("Agreed: three villages are added.")
    answer_form.get_by_role("button", name="Answer").click()
    _alert(o_page).to_contain_text("The answer is recorded.")
    expect(o_page.get_by_test_id("topic-comment").first).to_contain_text(
        "Answer of the state body: Agreed: three villages are added."
    )
    o_page.get_by_role("button", name="Approve the topic").click()
    _alert(o_page).to_contain_text("The decision on the topic is recorded.")
    expect(o_page.locator("h1 + p .badge")).to_have_text("Approved")
    # The citizen sees the answer to his comment.
    c_page.reload()
    expect(c_page.get_by_test_id("topic-comment").first).to_contain_text("three villages")

    # 4. A programme whose decisions need a second approver, and a competition in it with one
    # lot made from the approved topic; then the announcement.
    o_page.goto(official.url("/en/funding/manage/"))
    o_page.get_by_role("link", name="New programme").click()
    o_page.get_by_label("Kind").select_option("social_order")
    o_page.get_by_label("Year").fill(str(next_year))
    o_page.get_by_label("Title (Kazakh)").fill("Екі қолтаңбалы әлеуметтік тапсырыс")
    o_page.get_by_label("Title (Russian)").fill("Соцзаказ с двумя подписями")
    o_page.get_by_label("Title (English)").fill(PROGRAMME_EN)
    o_page.get_by_label("Budget, ₸").fill("50000000")
    o_page.get_by_label(AREA).check()
    o_page.get_by_label("Decision needs a second approver").check()
    o_page.get_by_role("button", name="Save").click()
    _alert(o_page).to_contain_text("The programme is created.")
    o_page.get_by_role("link", name="New competition").click()
    o_page.get_by_label("Programme").select_option(label=PROGRAMME_EN)
    o_page.get_by_label("Title (Kazakh)").fill("Цифрлық дағдылар конкурсы")
    o_page.get_by_label("Title (Russian)").fill("Конкурс цифровых навыков")
    o_page.get_by_label("Title (English)").fill(COMPETITION_EN)
    o_page.get_by_label("Description (Russian)").fill("Один лот по утверждённой теме.")
    o_page.get_by_role("button", name="Save").click()
    expect(o_page.get_by_role("heading", name=COMPETITION_EN)).to_be_visible()
    o_page.get_by_label("Title (Kazakh)").fill("Цифрлық сауаттылық")
    o_page.get_by_label("Title (Russian)").fill("Цифровая грамотность")
    o_page.get_by_label("Title (English)").fill("Digital literacy")
    o_page.get_by_label("Region").select_option(label="Kyzylorda Region")
    o_page.get_by_label("Activity area").select_option(label=AREA)
    o_page.get_by_label("Budget ceiling, ₸").fill("20000000")
    o_page.get_by_label("Approved topic").select_option(label=TOPIC_EN)
    o_page.get_by_role("button", name="Add the lot").click()
    _alert(o_page).to_contain_text("The lot is added.")
    expect(o_page.get_by_role("cell", name="Digital literacy", exact=True)).to_be_visible()
    o_page.get_by_role("button", name="Announce").click()
    _alert(o_page).to_contain_text("The competition is announced.")
    expect(o_page.get_by_test_id("competition-status")).to_have_text("Accepting applications")
    competition = Competition.objects.get(title_en=COMPETITION_EN)
    assert competition.lots.get().topic is not None

    # 5. The NGO fills its application and submits it.
    _make_ngo_eligible()
    ngo, n_page = _as(open_session, NGO_ADMIN)
    n_page.goto(ngo.url("/en/funding/"))
    n_page.get_by_role("link", name=COMPETITION_EN).click()
    n_page.get_by_role("link", name="Apply").click()
    n_page.get_by_label("NGO").select_option(label=NGO_NAME)
    n_page.get_by_label("Project title").fill(PROJECT)
    n_page.get_by_role("button", name="Create the draft").click()
    n_page.get_by_label("Project description").fill(
        "Weekly code clubs in six village schools, mentors from Kyzylorda."
    )
    n_page.get_by_label("Target group").fill("Teenagers 12–17")
    n_page.get_by_label("People reached").fill("300")
    n_page.get_by_label("Region").select_option(label="Kyzylorda Region")
    n_page.get_by_label("Team").fill("Project lead\nTwo mentors")
    n_page.locator('input[name="budget-0-item"]').fill("Mentors' fees")
    n_page.locator('input[name="budget-0-amount"]').fill("9000000")
    n_page.locator('input[name="budget-1-item"]').fill("Laptops")
    n_page.locator('input[name="budget-1-amount"]').fill("6000000")
    n_page.locator('input[name="ind-0-name"]').fill("Teenagers trained")
    n_page.locator('input[name="ind-0-unit"]').fill("people")
    n_page.locator('input[name="ind-0-baseline"]').fill("0")
    n_page.locator('input[name="ind-0-target"]').fill("300")
    n_page.get_by_role("button", name="Save the draft").click()
    expect(n_page.get_by_role("heading", name=PROJECT)).to_be_visible()
    expect(n_page.get_by_test_id("requested-total")).to_contain_text("15\u00a0000\u00a0000")
    n_page.get_by_role("button", name="Submit the application").click()
    _alert(n_page).to_contain_text("The application is submitted.")
    expect(n_page.get_by_test_id("application-status")).to_have_text("Submitted")
    application_url = n_page.url

    # 6. The deadline passes: twenty working days cannot pass in a test, so the deadline the
    # announcement set is moved into the past in the database.
    Competition.objects.filter(pk=competition.pk).update(
        application_deadline=timezone.now() - dt.timedelta(minutes=1)
    )

    # 7. The organiser closes the window and checks the application: it complies.
    manage_url = official.url(f"/en/funding/manage/competitions/{competition.pk}/")
    o_page.goto(manage_url)
    o_page.get_by_role("button", name="Start the compliance check").click()
    _alert(o_page).to_contain_text("The compliance check has started.")
    o_page.get_by_role("link", name="Applications (1)").click()
    o_page.get_by_role("link", name="Check").click()
    expect(o_page.get_by_text("The NGO is verified and in the NGO database")).to_be_visible()
    o_page.get_by_role("button", name="Record the check").click()
    _alert(o_page).to_contain_text("The compliance check is recorded.")
    expect(o_page.get_by_role("row").filter(has_text=PROJECT)).to_contain_text(
        "Passed the compliance check"
    )
    n_page.goto(application_url)
    expect(n_page.get_by_test_id("application-status")).to_have_text("Passed the compliance check")

    # 8. The draw of experts; the evaluation starts.
    o_page.goto(manage_url)
    o_page.get_by_role("button", name="Draw the experts and start the evaluation").click()
    _alert(o_page).to_contain_text("The experts are drawn and the evaluation has started.")
    o_page.get_by_role("link", name="Youth policy").click()
    expect(o_page.get_by_test_id("draw-verifies")).to_be_visible()

    # 9. Each drawn expert declares no conflict and scores. The draw is random (its seed is
    # recorded), so who was drawn is read from the database.
    assignments = list(
        Assignment.objects.filter(
            application__lot__competition=competition, status=AssignmentStatus.ASSIGNED
        )
        .select_related("expert__user")
        .order_by("pk")
    )
    assert len(assignments) == 3
    for index, assignment in enumerate(assignments):
        score = str(5 - index)  # 5, 4, 3 on every criterion: totals 100, 80 and 60
        expert, e_page = _as(open_session, assignment.expert.user.email)
        e_page.goto(expert.url("/en/funding/assignments/"))
        e_page.get_by_role("link", name=COMPETITION_EN).click()
        expect(e_page.get_by_text(PROJECT)).to_have_count(0)  # not before the declaration
        e_page.get_by_label("I declare that I have no conflict of interest").check()
        e_page.get_by_role("button", name="Record my declaration").click()
        _alert(e_page).to_contain_text("Your declaration is recorded.")
        expect(e_page.get_by_role("heading", name=PROJECT)).to_be_visible()
        selects = e_page.locator('select[name^="score_"]')
        assert selects.count() == 5
        for i in range(selects.count()):
            selects.nth(i).select_option(score)
        e_page.get_by_label("Overall comment").fill("Realistic plan.")
        e_page.get_by_role("button", name="Submit my scores").click()
        _alert(e_page).to_contain_text("Your scores are submitted.")
        expect(e_page.get_by_test_id("assignment-status")).to_have_text("Scores submitted")

    # 10. The decision: computed, confirmed by the official, approved by a second person,
    # published.
    o_page.goto(manage_url)
    o_page.get_by_role("button", name="Compute the trial allocation").click()
    _alert(o_page).to_contain_text("The trial allocation is computed.")
    line = o_page.get_by_test_id("allocation-line").filter(has_text=PROJECT)
    expect(line).to_contain_text("80.00")
    expect(line).to_contain_text("Funded")
    o_page.get_by_role("button", name="Confirm the allocation").click()
    _alert(o_page).to_contain_text("The decision is confirmed.")
    expect(o_page.get_by_role("button", name="Publish the results")).to_have_count(0)
    _approver, a_page = _as(open_session, SECOND_APPROVER)
    a_page.goto(manage_url)
    a_page.get_by_role("button", name="Approve as the second approver").click()
    _alert(a_page).to_contain_text("The decision is approved.")
    a_page.get_by_role("button", name="Publish the results").click()
    _alert(a_page).to_contain_text("The results are published.")
    expect(a_page.get_by_test_id("competition-status")).to_have_text("Results published")
    n_page.goto(application_url)
    expect(n_page.get_by_test_id("application-status")).to_have_text("Funded")

    # 11. Anybody sees the results with the total score, and the competition in open data.
    public = open_session()
    p_page = public.page
    p_page.goto(public.url(f"/en/funding/competitions/{competition.pk}/"))
    p_page.get_by_role("link", name="Results").click()
    row = p_page.get_by_test_id("result-row").filter(has_text=PROJECT)
    expect(row).to_contain_text(NGO_NAME)
    expect(row).to_contain_text("80.00")
    expect(row).to_contain_text("15\u00a0000\u00a0000")
    expect(p_page.get_by_text("1 projects funded for")).to_be_visible()
    response = p_page.request.get(public.url("/opendata/ocds/releases.json"))
    assert response.ok
    ocids = {release["ocid"] for release in json.loads(response.body())["releases"]}
    assert f"{settings.OCDS_PREFIX}-c{competition.pk}" in ocids
