"""The foundation in a browser: languages, logging in, the organisation switch, figures."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from ortaq.accounts.enums import Level, OrganisationKind
from ortaq.accounts.models import Organisation, User
from ortaq.demo.world import DEMO_PASSWORD
from ortaq.reference.models import Region

from .conftest import Session

pytestmark = pytest.mark.e2e

LANGUAGES = ["kk", "ru", "en"]
HOME_TITLE = "Ortaq — partnership of the state and NGOs"
HOME_HEADING = "Ortaq: the state, NGOs and citizens working together"

# The NGO administrator of the demo world also sits, as a member, in a regional alliance.
NGO_ADMIN = "ngo.admin@ortaq.kz"
NGO_ADMIN_NAME = "Гүлнар Әбенова"
NGO_ADMIN_SHORT_NAME = "Гүлнар"
OWN_NGO = "Bolashak Zhastary public association"
ALLIANCE = "Civil Alliance of Kyzylorda Region"
OWN_NGO_OPTION = f"{OWN_NGO} — Administrator"
ALLIANCE_OPTION = f"{ALLIANCE} — Member"
WRONG_LOGIN = "The email address and/or password you specified are not correct."


def translated(message: str, language: str) -> str:
    """The app's own catalogue decides what the text must be in each language."""
    with translation.override(language):
        return gettext(message)


def log_in(session: Session, email: str, password: str) -> Page:
    page = session.page
    page.goto(session.url("/en/accounts/login/"))
    page.locator('input[name="login"]').fill(email)
    page.locator('input[name="password"]').fill(password)
    page.get_by_role("button", name="Sign In").click()
    return page


def assert_logged_in_as_ngo_admin(session: Session) -> Page:
    page = session.page
    expect(page).to_have_url(session.url("/en/"))
    expect(page.get_by_role("alert")).to_have_text(f"Successfully signed in as {NGO_ADMIN_NAME}.")
    expect(page.locator(".ortaq-user")).to_have_text(NGO_ADMIN_SHORT_NAME)
    expect(page.get_by_role("link", name="Log in", exact=True)).to_have_count(0)
    return page


def assert_styles_loaded(page: Page) -> None:
    """Bootstrap, the Ortaq touches and the icon font all reached the page."""
    page.evaluate("document.fonts.ready.then(() => true)")
    styles = page.evaluate(
        """() => ({
          bsBlue: getComputedStyle(document.documentElement).getPropertyValue("--bs-blue").trim(),
          navbar: getComputedStyle(document.querySelector(".ortaq-navbar")).backgroundColor,
          sheets: document.styleSheets.length,
          icons: document.fonts.check("1em bootstrap-icons"),
        })"""
    )
    assert styles == {
        "bsBlue": "#0d6efd",
        "navbar": "rgb(0, 96, 156)",
        "sheets": 3,
        "icons": True,
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_page_in_each_language(session: Session, language: str, shots_dir: Path) -> None:
    page = session.page
    response = page.goto(session.url(f"/{language}/"))
    assert response is not None
    assert response.status == 200
    # The policy is really in force, so that "no violation" below means something.
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")

    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page).to_have_title(translated(HOME_TITLE, language))
    expect(page.get_by_role("heading", level=1)).to_have_text(translated(HOME_HEADING, language))

    switch = page.get_by_role("group", name=translated("Language", language))
    links = switch.get_by_role("link")
    expect(links).to_have_text(["KK", "RU", "EN"])
    for code in LANGUAGES:
        link = switch.locator(f'a[hreflang="{code}"]')
        expect(link).to_have_attribute("href", f"/{code}/")
        expect(link).to_have_attribute("lang", code)
        if code == language:
            expect(link).to_have_attribute("aria-current", "true")
        else:
            expect(link).not_to_have_attribute("aria-current", "true")

    assert_styles_loaded(page)
    page.screenshot(path=str(shots_dir / f"home-{language}.png"), full_page=True)
    session.problems.assert_clean()


def test_language_switch_leads_to_the_same_page(session: Session) -> None:
    page = session.page
    page.goto(session.url("/en/"))
    page.get_by_role("link", name="RU", exact=True).click()
    expect(page).to_have_url(session.url("/ru/"))
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator('a[hreflang="ru"]')).to_have_attribute("aria-current", "true")

    # Any page, not only the home page: the login page keeps its path in the other language.
    page.goto(session.url("/en/accounts/login/"))
    expect(page.locator('a[hreflang="kk"]')).to_have_attribute("href", "/kk/accounts/login/")
    page.get_by_role("link", name="KK", exact=True).click()
    expect(page).to_have_url(session.url("/kk/accounts/login/"))
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    session.problems.assert_clean()


def test_log_in_and_switch_organisation(session: Session, shots_dir: Path) -> None:
    log_in(session, NGO_ADMIN, DEMO_PASSWORD)
    page = assert_logged_in_as_ngo_admin(session)

    select = page.locator("select#acting-for")
    expect(select.locator("option")).to_have_text([OWN_NGO_OPTION, ALLIANCE_OPTION])
    expect(select.locator("option:checked")).to_have_text(OWN_NGO_OPTION)
    page.screenshot(path=str(shots_dir / "home-en-logged-in.png"))

    # Choosing is enough: ortaq.js submits the form on change.
    select.select_option(label=ALLIANCE_OPTION)
    expect(page.get_by_role("alert")).to_have_text(f"You now act for {ALLIANCE}.")
    expect(page).to_have_url(session.url("/en/"))
    expect(select.locator("option:checked")).to_have_text(ALLIANCE_OPTION)

    page.reload()
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(select.locator("option:checked")).to_have_text(ALLIANCE_OPTION)


def test_switch_organisation_without_javascript(
    open_session: Callable[..., Session], demo_world: None
) -> None:
    session = open_session(java_script_enabled=False)
    log_in(session, NGO_ADMIN, DEMO_PASSWORD)
    page = assert_logged_in_as_ngo_admin(session)

    select = page.locator("select#acting-for")
    expect(select.locator("option:checked")).to_have_text(OWN_NGO_OPTION)
    select.select_option(label=ALLIANCE_OPTION)
    # Without JavaScript choosing sends nothing: still the page of the login, until "Switch".
    expect(page.get_by_role("alert")).to_have_text(f"Successfully signed in as {NGO_ADMIN_NAME}.")
    page.get_by_role("button", name="Switch", exact=True).click()

    expect(page.get_by_role("alert")).to_have_text(f"You now act for {ALLIANCE}.")
    expect(page).to_have_url(session.url("/en/"))
    expect(select.locator("option:checked")).to_have_text(ALLIANCE_OPTION)
    page.reload()
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(select.locator("option:checked")).to_have_text(ALLIANCE_OPTION)


def test_wrong_password_is_refused_and_keeps_the_email(session: Session, shots_dir: Path) -> None:
    page = log_in(session, NGO_ADMIN, "not-the-password")

    expect(page).to_have_url(session.url("/en/accounts/login/"))
    expect(page.get_by_text(WRONG_LOGIN, exact=True)).to_be_visible()
    expect(page.locator('input[name="login"]')).to_have_value(NGO_ADMIN)
    expect(page.locator('input[name="password"]')).to_have_value("")
    expect(page.locator(".ortaq-user")).to_have_count(0)
    expect(page.locator("select#acting-for")).to_have_count(0)
    page.screenshot(path=str(shots_dir / "login-en-wrong-password.png"), full_page=True)


def test_home_page_counts_reflect_the_database(session: Session) -> None:
    def active(kind: str) -> int:
        return Organisation.objects.filter(kind=kind, is_active=True).count()

    page = session.page
    page.goto(session.url("/en/"))
    ngos = active(OrganisationKind.NGO)
    expected = {
        "count-regions": Region.objects.filter(is_active=True).count(),
        "count-ngos": ngos,
        "count-state-bodies": active(OrganisationKind.STATE_BODY),
        "count-other": Organisation.objects.filter(is_active=True)
        .exclude(kind__in=[OrganisationKind.NGO, OrganisationKind.STATE_BODY])
        .count(),
        "count-people": User.objects.filter(is_active=True).count(),
    }
    assert expected["count-regions"] == 20  # 17 regions and the 3 cities of national status
    for testid, number in expected.items():
        expect(page.get_by_test_id(testid)).to_have_text(str(number))

    # The figures are live: a new NGO shows on the next visit.
    Organisation.objects.create(
        kind=OrganisationKind.NGO, level=Level.NATIONAL, name_kk="Жаңа", name_ru="Новая"
    )
    page.reload()
    expect(page.get_by_test_id("count-ngos")).to_have_text(str(ngos + 1))
