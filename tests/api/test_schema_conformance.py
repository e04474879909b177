"""Real responses of the API match the OpenAPI schema drf-spectacular generates.

Every list endpoint an anonymous client may read, and the detail of its first row, is fetched
with data in it (funded projects, national and regional, with and without achievement, the
funding statistics) and validated with jsonschema against the schema's response for 200:
`$ref`s resolve to the components, OpenAPI's `nullable` becomes JSON Schema's null type, and
an object may not carry a field the schema does not declare. (openapi-core would do the same
with a new dependency; jsonschema is installed.)
"""

from __future__ import annotations

import re
from typing import Any

import jsonschema
import pytest
from django.test import Client

from tests.access import Cast
from tests.funding import stats_factories as sf
from tests.funding.test_projects import full_project

pytestmark = pytest.mark.django_db

SCHEMA_URL = "/api/v1/schema/"


def _json_schema(node: Any) -> Any:
    """OpenAPI 3.0 schema → JSON Schema: `nullable`, closed objects."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _json_schema(value) for key, value in node.items()}
    # drf-spectacular writes a blank-able e-mail or URL as oneOf [empty string, format];
    # formats are not checked, so "" matches both: anyOf says what the schema means.
    if "oneOf" in node:
        node["anyOf"] = node.pop("oneOf")
    for bound, exclusive in (("maximum", "exclusiveMaximum"), ("minimum", "exclusiveMinimum")):
        # OpenAPI 3.0: a flag on the bound; JSON Schema: the bound itself.
        if isinstance(node.get(exclusive), bool) and node.pop(exclusive):
            node[exclusive] = node.pop(bound)
    if "properties" in node and "additionalProperties" not in node:
        node["additionalProperties"] = False
    if node.pop("nullable", False):
        if "enum" in node:
            node["enum"] = [*node["enum"], None]
        if isinstance(node.get("type"), str):
            node["type"] = [node["type"], "null"]
        else:
            node = {"anyOf": [node, {"type": "null"}]}
    return node


@pytest.fixture
def openapi() -> dict[str, Any]:
    response = Client().get(SCHEMA_URL, HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema: dict[str, Any] = response.json()
    return schema


def _validate(openapi: dict[str, Any], template: str, body: Any) -> list[str]:
    response_schema = openapi["paths"][template]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]
    root = {
        **_json_schema(response_schema),
        "components": _json_schema(openapi["components"]),
    }
    validator = jsonschema.Draft7Validator(root)
    return [
        f"{template} {'/'.join(map(str, error.absolute_path))}: {error.message[:200]}"
        for error in validator.iter_errors(body)
    ]


def test_every_public_list_and_detail_matches_the_schema(
    cast: Cast, openapi: dict[str, Any]
) -> None:
    full_project(cast)  # a regional project with achievement, reports, tranches, visits
    sf.world(cast)  # funded projects across regions and years, evaluations
    client = Client()
    errors: list[str] = []
    checked: list[str] = []
    for template, item in sorted(openapi["paths"].items()):
        if "get" not in item or "{" in template or template == SCHEMA_URL:
            continue
        response = client.get(template)
        if response.status_code != 200:
            continue  # signed-in only
        body = response.json()
        errors += _validate(openapi, template, body)
        checked.append(template)
        rows = body.get("results", body) if isinstance(body, dict) else body
        detail = re.sub(r"/$", "/{id}/", template)
        if rows and isinstance(rows, list) and detail in openapi["paths"]:
            for row in rows[:3]:
                one = client.get(f"{template}{row['id']}/")
                assert one.status_code == 200, template
                errors += _validate(openapi, detail, one.json())
                checked.append(detail)
    assert {"/api/v1/projects/", "/api/v1/projects/{id}/", "/api/v1/stats/funding/"} <= set(checked)
    assert not errors, "\n".join(errors)
