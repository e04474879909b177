"""Every route is either on the public allow-list or refuses the anonymous user.

A new view that forgets its login or permission check fails here, and so does an entry of
the allow-list whose route no longer exists.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

# Routes anyone may open. Keep this short and say why when a module adds to it.
PUBLIC: frozenset[str] = frozenset(
    {
        "healthz",
        "core:home",
        "accounts:organisation_detail",
        # Open API: read-only reference data and public facts.
        "api:api-root",
        "api:schema",
        "api:docs",
        "api:region-list",
        "api:region-detail",
        "api:legal-form-list",
        "api:legal-form-detail",
        "api:activity-area-list",
        "api:activity-area-detail",
        "api:organisation-list",
        "api:organisation-detail",
        # NGO registry: the public directory, NGO pages, their exports and API (public facts).
        "registry:directory",
        "registry:export",
        "registry:detail",
        "registry:detail_by_bin",
        "api:ngo-list",
        "api:ngo-detail",
        "api:ngo-by-bin",
        # Regional NGO statistics are open data (registry part 2).
        "registry_reports:ngo_stats",
        # Regional funding statistics: open data of published decisions (issue #5).
        "funding_stats:index",
        "api:funding-stats-list",
        # Councils: public by law (docs/domain.md §6) — councils, compositions, meeting calendar,
        # meetings, published protocols (drafts answer 404 to others), recommendations, tracker.
        "councils:list",
        "councils:detail",
        "councils:composition",
        "councils:calendar",
        "councils:meeting",
        "councils:meeting_ics",
        "councils:protocol_pdf",
        "councils:protocol_docx",
        "councils:recommendations",
        "councils:recommendation",
        "councils:tracker",
        "councils:election",
        "api:council-list",
        "api:council-detail",
        "api:composition-list",
        "api:composition-detail",
        "api:council-meeting-list",
        "api:council-meeting-detail",
        "api:protocol-list",
        "api:protocol-detail",
        "api:recommendation-list",
        "api:recommendation-detail",
        # Funding API: programmes, public competitions and lots, published results (totals
        # only). The applicant's own applications (api:application-*) need a login.
        "api:funding-programme-list",
        "api:funding-programme-detail",
        "api:competition-list",
        "api:competition-detail",
        "api:lot-list",
        "api:lot-detail",
        "api:result-list",
        "api:result-detail",
        # Funding: public competitions, results, topics under consultation, the Atom feed and
        # iCalendar of deadlines, and the OCDS open data (public facts only, no scores).
        "funding:competition_list",
        "funding:competition_detail",
        "funding:competition_results",
        "funding:competition_feed",
        "funding:deadlines_ical",
        "funding:topic_list",
        "funding:topic_detail",
        "opendata:ocds_releases",
        "opendata:ocds_records",
        "opendata:ocds_competition_releases",
        "opendata:ocds_competition_records",
        # Monitoring: published visits (and their photos) and evaluations are public; drafts
        # answer 403 to others.
        "funding:visit_detail",
        "funding:visit_photo",
        "funding:evaluation_detail",
        "api:monitoring-visit-list",
        "api:monitoring-visit-detail",
        "api:evaluation-list",
        "api:evaluation-detail",
        # Funded projects (issue #5): public contracts with their public parts only, the map
        # by region, exports, photos of published visits, and their API (drafts are 404).
        "funding:project_list",
        "funding:project_map",
        "funding:project_export",
        "funding:project_detail",
        "funding:project_photo",
        "api:project-list",
        "api:project-detail",
        "api:project-map",
        "opendata:grants_360giving",
        # Getting in: django-allauth's pages for people who are not logged in yet.
        "account_login",
        "account_logout",
        "account_signup",
        "account_confirm_email",
        "account_email_verification_sent",
        "account_inactive",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key",
        "account_reset_password_from_key_done",
        "mfa_authenticate",
        "admin:login",
        "admin:logout",
    }
)

SAMPLES = {"pk": "1", "id": "1", "format": "json", "uidb36": "abc", "key": "x-y"}


def _sample(name: str, converter: str | None = None) -> str:
    if converter == "uuid":
        return str(uuid.UUID(int=1))
    if converter == "int":
        return "1"
    return SAMPLES.get(name, "1" if name.endswith("_id") else "x")


def _walk(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str | None, Any, str]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else None
            yield name, entry, namespace


def _url_for(name: str | None, entry: URLPattern) -> str | None:
    pattern = entry.pattern
    kwargs: dict[str, str] = {}
    converters = getattr(pattern, "converters", {})
    regex = pattern.regex
    for group in regex.groupindex:
        converter = converters.get(group)
        kwargs[group] = _sample(
            group, type(converter).__name__.replace("Converter", "").lower() if converter else None
        )
    if name is None:
        return None
    with translation.override("en"):
        try:
            return reverse(name, kwargs=kwargs)
        except Exception:  # a format-suffix twin of a named route
            return None


def all_routes() -> list[tuple[str, str]]:
    routes: dict[str, str] = {}
    for name, entry, _ns in _walk(get_resolver().url_patterns):
        url = _url_for(name, entry)
        if name and url and name not in routes:
            routes[name] = url
    return sorted(routes.items())


def _refuses_anonymous(client: Client, url: str) -> tuple[bool, str]:
    outcomes = []
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        status = response.status_code
        location = response.headers.get("Location", "")
        outcomes.append(f"{method.upper()} {status} {location}".strip())
        if status == 405:
            continue
        login = re.search(r"/(accounts|admin)/login/", location)
        if status in (401, 403) or (status in (301, 302) and login):
            continue
        return False, "; ".join(outcomes)
    return True, "; ".join(outcomes)


def find_unprotected(public: frozenset[str]) -> list[str]:
    client = Client()
    unprotected = []
    for name, url in all_routes():
        if name in public:
            continue
        refused, outcome = _refuses_anonymous(client, url)
        if not refused:
            unprotected.append(f"{name} {url}: {outcome}")
    return unprotected


@pytest.mark.django_db
def test_every_route_is_public_or_refuses_anonymous() -> None:
    unprotected = find_unprotected(PUBLIC)
    assert unprotected == [], "Routes open to anonymous users:\n" + "\n".join(unprotected)


@pytest.mark.django_db
def test_an_unprotected_new_route_is_caught(settings: Any) -> None:
    settings.ROOT_URLCONF = "tests.core.unprotected_urls"
    assert find_unprotected(PUBLIC) == ["forgotten /forgotten/: GET 200"]


@pytest.mark.django_db
def test_public_allow_list_names_only_existing_routes() -> None:
    names = {name for name, _url in all_routes()}
    assert sorted(PUBLIC - names) == []


@pytest.mark.django_db
def test_every_route_has_a_name() -> None:
    """Unnamed routes could not be checked above (Django admin's catch-all aside)."""
    unnamed = [
        str(entry.pattern)
        for name, entry, ns in _walk(get_resolver().url_patterns)
        if name is None and ns != "admin:"
    ]
    assert unnamed == []
