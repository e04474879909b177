"""The evaluation of effectiveness: who writes and publishes it, when it opens, the scale and
totals, publication rules, the computed achievement next to it, its pages and API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ortaq.core.errors import ConflictError, DomainError
from ortaq.funding.enums import ContractStatus, EvaluationStatus
from ortaq.funding.models import Contract, Evaluation
from ortaq.funding.monitoring import evaluation
from ortaq.funding.monitoring.selectors import evaluation_summary, public_evaluation
from tests.access import EVERYONE, Cast, HttpRow, assert_http_matrix

from . import factories as f
from . import monitoring_factories as m

pytestmark = pytest.mark.django_db

CRITERIA = ("relevance", "plan", "result", "continuity", "impact")


def _ended(cast: Cast, **kwargs: Any) -> Contract:
    """A contract in force whose end date has passed."""
    return f.contract(cast, start=dt.date.today() - dt.timedelta(days=200), months=6, **kwargs)


def _client(cast: Cast, role: str) -> Client:
    client = Client()
    client.force_login(cast.users[role])
    return client


def test_scores_total_and_publication(cast: Cast) -> None:
    contract = _ended(cast)
    official = cast.users["official"]
    saved = evaluation.evaluation_save(
        actor=official,
        contract=contract,
        scores={"relevance": (5, " Needed "), "plan": (4, ""), "result": (None, "")},
        conclusion="",
        expected_version=0,
    )
    assert (saved.status, saved.scale_max, saved.version) == (EvaluationStatus.DRAFT, 5, 2)
    summary = evaluation_summary(saved, scale_max=5)
    assert [(r.criterion, r.value, r.comment) for r in summary.rows] == [
        ("relevance", 5, "Needed"),
        ("plan", 4, ""),
        ("result", None, ""),
        ("continuity", None, ""),
        ("impact", None, ""),
    ]
    assert (summary.total, summary.maximum, summary.complete) == (9, 25, False)
    with pytest.raises(DomainError, match="Score every criterion before publishing"):
        evaluation.evaluation_publish(actor=official, contract=contract, expected_version=2)
    # An expert of the register (the cast's, for the lot's area) completes the scores.
    saved = evaluation.evaluation_save(
        actor=cast.users["expert"],
        contract=contract,
        scores={"result": (3, "Half"), "continuity": (2, ""), "impact": (0, "None seen")},
        conclusion="",
        expected_version=2,
    )
    assert evaluation_summary(saved, scale_max=5).total == 14
    with pytest.raises(DomainError, match="conclusion") as no_conclusion:
        evaluation.evaluation_publish(
            actor=official, contract=contract, expected_version=saved.version
        )
    assert no_conclusion.value.field == "conclusion"
    saved = evaluation.evaluation_save(
        actor=official,
        contract=contract,
        scores={},
        conclusion="Partly effective.",
        expected_version=3,
    )
    # Only the customer's officials publish; the expert and the platform admin may not.
    for role in ("expert", "platform_admin", "ngo_admin"):
        with pytest.raises(DomainError, match="Only the customer's officials publish"):
            evaluation.evaluation_publish(
                actor=cast.users[role], contract=contract, expected_version=saved.version
            )
    with pytest.raises(ConflictError):
        evaluation.evaluation_publish(actor=official, contract=contract, expected_version=1)
    published = evaluation.evaluation_publish(
        actor=official, contract=contract, expected_version=saved.version
    )
    assert (published.status, published.evaluated_by) == (EvaluationStatus.PUBLISHED, official)
    assert public_evaluation(contract) == published
    with pytest.raises(DomainError, match="can no longer be changed"):
        evaluation.evaluation_save(
            actor=official,
            contract=contract,
            scores={},
            conclusion="Changed",
            expected_version=published.version,
        )


def test_score_range_and_refusals(cast: Cast, settings: Any) -> None:
    contract = f.contract(cast)  # in force, end date ahead: not open yet
    official = cast.users["official"]
    with pytest.raises(DomainError, match="opens once the project is completed"):
        evaluation.evaluation_save(
            actor=official, contract=contract, scores={}, conclusion="", expected_version=0
        )
    Contract.objects.filter(pk=contract.pk).update(status=ContractStatus.COMPLETED)
    contract.refresh_from_db()
    settings.FUNDING_EVALUATION_SCALE_MAX = 10
    for value in (11, -1, True, "3"):
        with pytest.raises(DomainError, match="from 0 to 10") as exc:
            evaluation.evaluation_save(
                actor=official,
                contract=contract,
                scores={"plan": (value, "")},  # type: ignore[dict-item]
                conclusion="",
                expected_version=0,
            )
        assert exc.value.field == "score_plan"
    with pytest.raises(DomainError, match="goes with its comment"):
        evaluation.evaluation_save(
            actor=official,
            contract=contract,
            scores={"plan": (None, "x")},
            conclusion="",
            expected_version=0,
        )
    with pytest.raises(DomainError, match="Unknown criterion"):
        evaluation.evaluation_save(
            actor=official,
            contract=contract,
            scores={"beauty": (1, "")},
            conclusion="",
            expected_version=0,
        )
    saved = evaluation.evaluation_save(
        actor=official,
        contract=contract,
        scores={"plan": (10, "")},
        conclusion="",
        expected_version=0,
    )
    assert saved.scale_max == 10
    assert evaluation_summary(saved, scale_max=5).maximum == 50
    # The scale is kept in the evaluation: a later change of the setting does not rescale it.
    settings.FUNDING_EVALUATION_SCALE_MAX = 5
    again = evaluation.evaluation_save(
        actor=official,
        contract=contract,
        scores={"plan": (9, "")},
        conclusion="",
        expected_version=2,
    )
    assert (again.scale_max, again.scores.get().value) == (10, 9)
    with pytest.raises(ConflictError):
        evaluation.evaluation_save(
            actor=official, contract=contract, scores={}, conclusion="x", expected_version=0
        )
    for role in ("ngo_admin", "citizen", "other_regional_admin", "platform_admin"):
        with pytest.raises(DomainError, match="experts of the register evaluate"):
            evaluation.evaluation_save(
                actor=cast.users[role],
                contract=contract,
                scores={},
                conclusion="",
                expected_version=3,
            )


def _published_evaluation(cast: Cast, contract: Contract) -> Evaluation:
    saved = evaluation.evaluation_save(
        actor=cast.users["official"],
        contract=contract,
        scores={c: (4, f"{c} ok") for c in CRITERIA},
        conclusion="Effective project.",
        expected_version=0,
    )
    return evaluation.evaluation_publish(
        actor=cast.users["official"], contract=contract, expected_version=saved.version
    )


def test_the_page_shows_scores_and_the_computed_achievement(cast: Cast) -> None:
    contract = _ended(cast)
    m.approve_final(contract, Decimal(150))  # target 300 from 0: 50%
    _published_evaluation(cast, contract)
    page = Client().get(reverse("funding:evaluation_detail", args=[contract.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="total">20 / 25<' in html
    assert "Effective project." in html
    assert 'data-testid="average-achievement">50.0%<' in html
    assert "<td>Участники</td><td>чел.</td>" in html
    assert ">150.00<" in html


def test_the_form_keeps_what_was_typed_on_a_refusal(cast: Cast) -> None:
    contract = _ended(cast)
    client = _client(cast, "official")
    url = reverse("funding:evaluation_edit", args=[contract.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {f"score_{c}": "3" for c in CRITERIA} | {
        "comment_plan": "Done as planned",
        "score_impact": "",
        "comment_impact": "orphan comment",
        "conclusion": "My conclusion",
        "version": "0",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "goes with its comment" in html
    assert "Done as planned" in html
    assert "My conclusion" in html
    assert not Evaluation.objects.filter(contract=contract).exists()
    data["score_impact"] = "1"
    saved = client.post(url, data)
    assert saved.status_code == 302
    made = Evaluation.objects.get(contract=contract)
    assert evaluation_summary(made, scale_max=5).total == 13
    published = client.post(
        reverse("funding:evaluation_publish", args=[contract.pk]), {"version": made.version}
    )
    assert published.status_code == 302
    made.refresh_from_db()
    assert made.status == EvaluationStatus.PUBLISHED


def test_access_matrix_of_evaluation_pages(cast: Cast) -> None:
    contract = _ended(cast)
    other = m.another_contract(cast, contract, 2, start=contract.start_date, months=6)
    _published_evaluation(cast, other)
    evaluation.evaluation_save(  # scored and concluded: ready to publish
        actor=cast.users["official"],
        contract=contract,
        scores=dict.fromkeys(CRITERIA, (4, "")),
        conclusion="Effective.",
        expected_version=0,
    )
    customer_and_expert = frozenset({"official", "regional_admin", "expert"})
    assert_http_matrix(
        cast,
        [
            HttpRow(
                "draft evaluation page",
                "GET",
                lambda c: reverse("funding:evaluation_detail", args=[contract.pk]),
                customer_and_expert,
            ),
            HttpRow(
                "evaluation form",
                "GET",
                lambda c: reverse("funding:evaluation_edit", args=[contract.pk]),
                customer_and_expert,
            ),
            HttpRow(
                "publish",
                "POST",
                lambda c: reverse("funding:evaluation_publish", args=[contract.pk]),
                frozenset({"official", "regional_admin"}),
                data=lambda c: {"version": Evaluation.objects.get(contract=contract).version},
                reset=lambda c: Evaluation.objects.filter(contract=contract).update(
                    status=EvaluationStatus.DRAFT, published_at=None
                ),
                ok=302,
                done=lambda c, r: (
                    Evaluation.objects.get(contract=contract).status == EvaluationStatus.PUBLISHED
                ),
            ),
            HttpRow(
                "published evaluation page",
                "GET",
                lambda c: reverse("funding:evaluation_detail", args=[other.pk]),
                EVERYONE,
            ),
            HttpRow(
                "published evaluation form",
                "GET",
                lambda c: reverse("funding:evaluation_edit", args=[other.pk]),
                frozenset(),
            ),
        ],
    )


def test_api_lists_published_evaluations_and_drafts_to_their_writers(cast: Cast) -> None:
    contract = _ended(cast)
    m.approve_final(contract, Decimal(300))
    draft = evaluation.evaluation_save(
        actor=cast.users["official"],
        contract=contract,
        scores={"plan": (5, "")},
        conclusion="",
        expected_version=0,
    )
    other = m.another_contract(cast, contract, 2, start=contract.start_date, months=6)
    published = _published_evaluation(cast, other)
    public = Client().get("/api/v1/evaluations/").json()["results"]
    assert [e["id"] for e in public] == [published.pk]
    assert public[0]["total"] == 20
    assert public[0]["maximum"] == 25
    assert public[0]["scores"][0] == {
        "criterion": "relevance",
        "name": "Relevance",
        "value": 4,
        "comment": "relevance ok",
    }
    assert public[0]["achievement"] == [
        {
            "indicator": "Participants",
            "unit": "people",
            "baseline": "0.00",
            "target": "100.00",
            "actual": None,
            "percent": None,
        }
    ]
    mine = _client(cast, "official").get("/api/v1/evaluations/").json()["results"]
    assert [e["id"] for e in mine] == [published.pk, draft.pk]
    assert mine[1]["achievement"][0]["percent"] == "100.0"
    assert mine[1]["average_achievement"] == "100.0"
    assert Client().get(f"/api/v1/evaluations/{draft.pk}/").status_code == 404
    expert = _client(cast, "expert").get(f"/api/v1/evaluations/{draft.pk}/")
    assert expert.json()["status"] == "draft"


def test_api_query_count_does_not_grow(cast: Cast) -> None:
    base = _ended(cast)
    _published_evaluation(cast, base)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = Client().get("/api/v1/evaluations/")
        assert response.status_code == 200
        return len(queries)

    one = count()
    for n in (2, 3):
        _published_evaluation(
            cast, m.another_contract(cast, base, n, start=base.start_date, months=6)
        )
    assert Evaluation.objects.count() == 3
    assert count() == one
