"""The API of funded projects (/api/v1/projects/): the same public parts as the pages."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.utils import timezone

from ortaq.funding.enums import ContractStatus, EvaluationStatus, VisitStatus
from ortaq.funding.models import Contract, Evaluation
from tests.access import Cast

from . import factories as f
from .test_projects import SECRETS, _photo, full_project

pytestmark = pytest.mark.django_db


def _no_secret(text: str) -> None:
    assert [name for name, secret in SECRETS.items() if secret in text] == []


def test_list_has_public_projects_with_paid_and_achievement(cast: Cast) -> None:
    contract = full_project(cast)
    f.contract(cast, status=ContractStatus.DRAFT)
    response = Client().get("/api/v1/projects/")
    data = response.json()
    assert data["count"] == 1
    [row] = data["results"]
    assert row["id"] == contract.pk
    assert row["number"] == contract.number
    assert row["status"] == "active"
    assert row["region"] == "43"
    assert row["amount"] == 5_000_000
    assert row["paid"] == 3_500_000
    assert row["achievement"] == "40.0"
    assert row["ngo_name_en"] == "Own NGO"
    assert row["programme_kind"] == "state_grant"
    _no_secret(response.content.decode())


def test_detail_has_the_public_parts_only(cast: Cast, settings: object, tmp_path: object) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    contract = full_project(cast)
    photo = _photo(contract.visits.get(status=VisitStatus.PUBLISHED))
    response = Client().get(f"/api/v1/projects/{contract.pk}/")
    data = response.json()
    assert data["id"] == contract.pk
    assert data["paid"] == 3_500_000
    assert data["targets"] == [
        {
            "name": "Участники",
            "unit": "чел.",
            "baseline": "0.00",
            "target": "300.00",
            "actual": "120.00",
            "percent": "40.0",
        }
    ]
    assert [(t["number"], t["released"], t["after_report"]) for t in data["tranches"]] == [
        (1, True, None),
        (2, True, 1),
        (3, False, 2),
    ]
    assert [(r["number"], r["public_summary"], r["beneficiaries"]) for r in data["reports"]] == [
        (1, "PUBLIC-SUMMARY-ONE", 140)
    ]
    [visit] = data["visits"]
    assert visit["summary"] == "VISIT-SUMMARY-PUBLIC"
    assert visit["findings"][0]["severity"] == "major"
    assert visit["findings"][0]["answer"] == "ANSWER-OF-THE-NGO"
    assert visit["photos"][0]["url"] == f"http://testserver/en/funding/projects/photos/{photo.pk}/"
    assert data["evaluation"] is None  # a draft
    _no_secret(response.content.decode())

    Evaluation.objects.filter(contract=contract).update(
        status=EvaluationStatus.PUBLISHED, published_at=timezone.now()
    )
    evaluation = Client().get(f"/api/v1/projects/{contract.pk}/").json()["evaluation"]
    assert [s["criterion"] for s in evaluation["scores"]] == [
        "relevance",
        "plan",
        "result",
        "continuity",
        "impact",
    ]
    assert (evaluation["total"], evaluation["maximum"]) == (18, 25)
    assert SECRETS["score comment"] not in json.dumps(evaluation)


def test_draft_or_unknown_project_is_404(cast: Cast) -> None:
    draft = f.contract(cast, status=ContractStatus.DRAFT)
    assert Client().get(f"/api/v1/projects/{draft.pk}/").status_code == 404
    assert Client().get("/api/v1/projects/999999/").status_code == 404
    assert Client().get("/api/v1/projects/abc/").status_code == 404


def test_list_filters_like_the_page(cast: Cast) -> None:
    regional = f.contract(cast)
    national = f.contract(cast, status=ContractStatus.TERMINATED)
    Contract.objects.filter(pk=national.pk).update(region=None)

    def ids(query: str) -> list[int]:
        response = Client().get(f"/api/v1/projects/?{query}")
        assert response.status_code == 200
        return sorted(row["id"] for row in response.json()["results"])

    assert ids("region=national") == [national.pk]
    assert ids("region=43") == [regional.pk]
    assert ids("status=terminated") == [national.pk]
    assert ids(f"ngo={regional.ngo_id}") == sorted([regional.pk, national.pk])
    assert ids("q=жастар") == sorted([regional.pk, national.pk])


@pytest.mark.parametrize(
    "query", ["region=99", "year=abc", "kind=lottery", "area=nowhere", "status=draft", "ngo=x"]
)
def test_list_refuses_a_bad_filter_value_with_400(cast: Cast, query: str) -> None:
    f.contract(cast)
    response = Client().get(f"/api/v1/projects/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


def test_schema_documents_the_project_routes() -> None:
    response = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    paths = response.json()["paths"]
    assert {"/api/v1/projects/", "/api/v1/projects/{id}/", "/api/v1/projects/map/"} <= set(paths)
