from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.access import Cast
from tests.factories import OrganisationFactory, StateBodyFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("ru-RU,ru;q=0.9", "/ru/"),
        ("en-US,en;q=0.8", "/en/"),
        ("kk", "/kk/"),
        ("de-DE", "/kk/"),
        ("", "/kk/"),
    ],
)
def test_root_chooses_the_browser_language_or_kazakh(
    settings: Any, accept: str, expected: str
) -> None:
    settings.LANGUAGE_CODE = "kk"
    response = Client().get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert (response.status_code, response.headers["Location"]) == (302, expected)


@pytest.mark.parametrize(
    ("lang", "title_word"),
    [("en", "partnership"), ("ru", "партн"), ("kk", "серіктест")],
)
def test_home_renders_in_each_language(lang: str, title_word: str) -> None:
    response = Client().get(f"/{lang}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in html
    assert title_word in html.split("<title>", 1)[1].split("</title>", 1)[0].lower()


def test_home_shows_live_counts() -> None:
    OrganisationFactory.create_batch(3)
    StateBodyFactory()
    html = Client().get("/en/").content.decode()
    assert 'data-testid="count-regions">20<' in html
    assert 'data-testid="count-ngos">3<' in html
    assert 'data-testid="count-state-bodies">1<' in html


def test_home_query_count_does_not_grow_with_data() -> None:
    client = Client()
    OrganisationFactory()
    with CaptureQueriesContext(connection) as one:
        client.get("/en/")
    OrganisationFactory.create_batch(2)
    with CaptureQueriesContext(connection) as three:
        client.get("/en/")
    assert len(one) == len(three) == 3


def test_every_page_has_a_strict_content_security_policy() -> None:
    response = Client().get("/en/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "default-src 'self'" in policy
    html = response.content.decode()
    assert "<script>" not in html
    assert " style=" not in html
    assert "cdn" not in html.lower()


def test_header_offers_the_page_in_each_language() -> None:
    html = Client().get("/ru/accounts/login/").content.decode()
    assert 'href="/kk/accounts/login/" hreflang="kk"' in html
    assert 'href="/en/accounts/login/" hreflang="en"' in html


@pytest.mark.parametrize(
    ("lang", "text"),
    [("en", "Page not found"), ("ru", "Страница не найдена"), ("kk", "Бет табылмады")],
)
def test_not_found_page_is_translated(lang: str, text: str) -> None:
    response = Client().get(f"/{lang}/no-such-page/")
    assert response.status_code == 404
    assert text in response.content.decode()


def test_forbidden_page_is_translated(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.users["citizen"])
    response = client.get("/ru/audit/")
    assert response.status_code == 403
    assert "Доступ запрещён" in response.content.decode()


def test_server_error_page_is_translated() -> None:
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("kk"):
        html = render_to_string("500.html")
    assert "Сервер қатесі" in html


def test_healthz_answers_200_when_the_database_answers() -> None:
    response = Client().get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok", "database": "up"})


def test_healthz_answers_503_when_the_database_does_not() -> None:
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_audit_log_page_lists_entries_for_administrators(cast: Cast) -> None:
    from ortaq.accounts import services

    services.organisation_update(
        actor=cast.users["ngo_admin"],
        organisation=cast.objects["own_ngo"],
        expected_version=1,
        name_en="Audited",
    )
    client = Client()
    client.force_login(cast.users["platform_admin"])
    html = client.get("/en/audit/?action=organisation").content.decode()
    assert "organisation.update" in html
    assert "ngo-admin@example.kz" in html


def test_audit_log_query_count_does_not_grow(cast: Cast) -> None:
    from ortaq.accounts import services

    client = Client()
    client.force_login(cast.users["platform_admin"])
    org = cast.objects["own_ngo"]
    services.organisation_update(
        actor=cast.users["ngo_admin"], organisation=org, expected_version=1, name_en="1"
    )
    with CaptureQueriesContext(connection) as one:
        client.get("/en/audit/")
    for version, name in ((2, "2"), (3, "3")):
        services.organisation_update(
            actor=cast.users["ngo_admin"], organisation=org, expected_version=version, name_en=name
        )
    with CaptureQueriesContext(connection) as three:
        assert client.get("/en/audit/").content.decode().count("organisation.update</code>") == 3
    assert len(one) == len(three)
