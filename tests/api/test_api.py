from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_regions_are_public_with_kato_codes() -> None:
    data = Client().get("/api/v1/regions/").json()
    assert len(data) == 20
    assert data[0] == {
        "id": data[0]["id"],
        "code": "10",
        "kato": "100000000",
        "kind": "oblast",
        "name_kk": "Абай облысы",
        "name_ru": "Абайская область",
        "name_en": "Abai Region",
        "is_active": True,
    }


def test_regions_filter_by_kind() -> None:
    data = Client().get("/api/v1/regions/?kind=city").json()
    assert [r["code"] for r in data] == ["71", "75", "79"]


def test_organisations_list_and_filter() -> None:
    a = OrganisationFactory(name_en="A")
    OrganisationFactory(kind="media", name_en="B")
    data = Client().get("/api/v1/organisations/?kind=ngo").json()
    assert [row["id"] for row in data["results"]] == [a.pk]
    assert data["results"][0]["region"] == "43"


def test_organisations_list_query_count_does_not_grow() -> None:
    client = Client()
    OrganisationFactory()
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/organisations/")
    OrganisationFactory.create_batch(2)
    with CaptureQueriesContext(connection) as three:
        assert len(client.get("/api/v1/organisations/").json()["results"]) == 3
    assert len(one) == len(three)


def test_api_is_read_only_for_anonymous() -> None:
    response = Client().post("/api/v1/regions/", {"code": "99"})
    assert response.status_code in (403, 405)


def test_openapi_schema_is_generated() -> None:
    response = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema = response.json()
    assert schema["info"]["title"] == "Ortaq API"
    assert "/api/v1/regions/" in schema["paths"]


def test_docs_page_loads_swagger_from_the_project() -> None:
    html = Client().get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
