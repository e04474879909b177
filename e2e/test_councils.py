"""A council meeting through the pages: agenda → attendance → quorum → votes → decision →
recommendation → protocol PDF, approved by the secretary and the chair → the answer of the
addressed state body."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from ortaq.councils.models import Council
from ortaq.demo.councils import CHAIR_EMAIL, PUBLIC_RU
from ortaq.demo.world import DEMO_PASSWORD

from .conftest import Session
from .test_foundation import log_in

pytestmark = pytest.mark.e2e

SECRETARY = "ngo.member@ortaq.kz"
OFFICIAL = "official@ortaq.kz"


def _as(open_session: Callable[..., Session], email: str) -> tuple[Session, Page]:
    session = open_session()
    page = log_in(session, email, DEMO_PASSWORD)
    expect(page.locator(".ortaq-user")).to_be_visible()
    return session, page


def test_a_meeting_from_agenda_to_the_state_bodys_answer(
    open_session: Callable[..., Session], demo_world: None
) -> None:
    council = Council.objects.get(name_ru=PUBLIC_RU)
    session, page = _as(open_session, SECRETARY)

    # The secretary schedules the meeting and sets its agenda.
    page.goto(session.url(f"/en/councils/{council.pk}/"))
    page.get_by_role("link", name="Schedule a meeting").click()
    page.get_by_label("Title").fill("Extraordinary meeting")
    page.get_by_label("Starts").fill("2026-12-02T10:00")
    page.get_by_label("Place").fill("Kyzylorda, akimat, hall 3")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("The meeting is scheduled")
    page.locator("summary", has_text="Add an agenda item").click()
    page.get_by_label("Topic (Kazakh)").fill("Азаматтық бастамаларды қолдау")
    page.get_by_label("Topic (Russian)").fill("Поддержка гражданских инициатив")
    page.get_by_label("Speaker").fill("Head of the department")
    page.get_by_label("Kind").select_option("report")
    page.get_by_label("Vote").select_option("by_count")
    page.get_by_role("button", name="Add to the agenda").click()
    expect(page.locator(".agenda-item")).to_contain_text("Поддержка гражданских инициатив")

    # Attendance: six of thirteen is no quorum, and the page says so.
    page.get_by_role("link", name="Record attendance").click()
    boxes = page.locator('input[name="present"]')
    assert boxes.count() == 13
    for index in range(6):
        boxes.nth(index).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#quorum")).to_have_text(
        "No quorum: 6 of 13 members attend; 7 members are needed."
    )
    page.get_by_role("link", name="Decision").click()
    page.get_by_label("Decision (Russian)").fill("Поддержать")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Decisions can be recorded only when the quorum")).to_be_visible()

    # A seventh member arrives: the quorum is present.
    meeting_url = page.locator("a", has_text="←").first.get_attribute("href")
    assert meeting_url
    page.goto(session.url(meeting_url + "attendance/"))
    page.locator('input[name="present"]').nth(6).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#quorum")).to_have_text(
        "Quorum present: 7 of 13 members attend; 7 members are needed."
    )

    # Votes by count, the decision, a recommendation to the department.
    page.get_by_role("link", name="Votes").click()
    page.locator("#id_votes_for").fill("6")
    page.locator("#id_votes_against").fill("0")
    page.locator("#id_votes_abstained").fill("1")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".votes")).to_contain_text("Voted: for 6, against 0, abstained 1")
    page.get_by_role("link", name="Decision").click()
    page.get_by_label("Decision (Kazakh)").fill("Қолдау көрсетілсін")
    page.get_by_label("Decision (Russian)").fill("Поддержать инициативы")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".decision")).to_contain_text("Поддержать инициативы")
    page.get_by_role("link", name="Recommendation to a state body").click()
    page.get_by_label("Recommendation (Russian)").fill("Увеличить число грантов для сельских НПО")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("The recommendation is sent")

    # The protocol: drafted, approved by the secretary, then the chair, published.
    page.get_by_role("button", name="Generate the protocol").click()
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("alert")).to_have_text("You approved the protocol.")
    chair_session, chair_page = _as(open_session, CHAIR_EMAIL)
    chair_page.goto(chair_session.url(meeting_url))
    chair_page.get_by_role("button", name="Approve").click()
    chair_page.get_by_role("button", name="Publish").click()
    expect(chair_page.get_by_role("alert")).to_have_text("The protocol is published.")
    pdf_link = chair_page.get_by_role("link", name="PDF (KK)")
    pdf = chair_page.request.get(chair_session.url(pdf_link.get_attribute("href") or ""))
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")

    # The state body answers the recommendation.
    official_session, official_page = _as(open_session, OFFICIAL)
    official_page.goto(official_session.url(meeting_url))
    official_page.get_by_role("link", name="Recommendation to").first.click()
    official_page.get_by_role("link", name="Answer", exact=True).click()
    official_page.get_by_label("Partially accepted").check()
    official_page.get_by_label("Reasons").fill("Half of the grants fit next year's budget.")
    official_page.get_by_role("button", name="Save").click()
    expect(official_page.locator("#answer")).to_contain_text("Partially accepted")


def test_an_election_prepared_and_counted_through_the_pages(
    open_session: Callable[..., Session], demo_world: None
) -> None:
    from ortaq.accounts.enums import OrganisationKind
    from ortaq.accounts.models import Organisation

    council = Council.objects.get(name_ru=PUBLIC_RU)
    voters = list(
        Organisation.objects.filter(kind=OrganisationKind.NGO).exclude(bin="").order_by("pk")[:2]
    )
    session, page = _as(open_session, OFFICIAL)

    # The host's official prepares the election of the general meeting.
    page.goto(session.url(f"/en/councils/{council.pk}/"))
    page.get_by_role("link", name="New election").click()
    page.get_by_label("Date of the general meeting").fill("2026-12-08")
    page.get_by_label("Seats").fill("1")
    page.get_by_label("Choices per ballot").fill("1")
    page.get_by_label("The elected composition starts").fill("2027-01-15")
    page.get_by_label("Member organisations that vote").fill("\n".join(v.bin for v in voters))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("now add the candidates")
    for name in ("Aigerim Sadykova", "Nurlan Abenov"):
        page.get_by_label("Candidate's full name").fill(name)
        page.get_by_role("button", name="Add the candidate").click()
        expect(page.locator("#candidates")).to_contain_text(name)
    page.get_by_role("button", name="Open voting").click()
    expect(page.locator("#election-status")).to_have_text("Voting")

    # One ballot per member organisation; the count drafts the elected composition.
    for voter, name in zip(voters, ("Aigerim Sadykova", "Aigerim Sadykova"), strict=True):
        page.get_by_label("Member organisation").select_option(str(voter.pk))
        page.get_by_role("group", name="Candidates").get_by_label(name).check()
        page.get_by_role("button", name="Record the ballot").click()
        expect(page.get_by_role("alert")).to_have_text("The ballot is recorded.")
    page.get_by_role("button", name="Count the ballots and draft the composition").click()
    expect(page.get_by_role("alert")).to_contain_text("the elected composition is drafted")
    page.goto(session.url(f"/en/councils/{council.pk}/"))
    expect(page.locator(".election").first).to_contain_text("Elected: Aigerim Sadykova")
