"""The contracts API (the same visibility, FilterSet and release service as the pages) and the
back office: a tranche is released by neither path before its report is approved."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from ortaq.funding.enums import TrancheStatus
from ortaq.funding.models import Contract, Tranche

from .test_contracts_pages import active_contract, client_of, draft_contract
from .test_contracts_services import approve, plain

pytestmark = pytest.mark.django_db


def _release(client: Client, tranche: Tranche, reference: str = "PP-1") -> Any:
    return client.post(
        f"/api/v1/tranches/{tranche.pk}/release/",
        {"payment_reference": reference},
        content_type="application/json",
    )


def test_api_release_refused_before_the_report_is_approved(cast: Any) -> None:
    contract = active_contract(cast)
    second = contract.tranches.get(number=2)
    official = client_of(cast, "official")
    response = _release(official, second)
    assert response.status_code == 400
    assert response.json() == {"detail": "The tranche is released only after report 1 is approved."}
    second.refresh_from_db()
    assert second.status == TrancheStatus.PLANNED
    approve(second.report)  # type: ignore[arg-type]
    response = _release(official, second, "PP-2")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["payment_reference"], body["report_number"]) == (
        "released",
        "PP-2",
        1,
    )
    assert _release(official, second).json() == {"detail": "Tranche 2 is already released."}


def test_api_release_needs_a_payment_order(cast: Any) -> None:
    contract = active_contract(cast)
    response = _release(client_of(cast, "official"), contract.tranches.get(number=1), " ")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Give the number of the payment order.",
        "field": "payment_reference",
    }


@pytest.mark.parametrize(
    ("role", "status"),
    [("ngo_admin", 403), ("ngo_member", 403), ("platform_admin", 403), ("outsider_ngo_admin", 404)],
)
def test_api_release_only_by_the_customer(cast: Any, role: str, status: int) -> None:
    contract = active_contract(cast)
    advance = contract.tranches.get(number=1)
    response = _release(client_of(cast, role), advance)
    assert response.status_code == status
    advance.refresh_from_db()
    assert advance.status == TrancheStatus.PLANNED


def test_api_lists_with_the_same_filters(cast: Any) -> None:
    active = active_contract(cast)
    draft = draft_contract(cast)
    client = client_of(cast, "official")

    def numbers(query: str) -> list[str]:
        return [c["number"] for c in client.get(f"/api/v1/contracts/?{query}").json()["results"]]

    assert numbers("") == [draft.number, active.number]
    assert numbers("status=draft") == [draft.number]
    assert numbers(f"q={active.number}") == [active.number]
    assert numbers("region=43") == [draft.number, active.number]
    assert numbers("kind=state_grant&year=2000") == []
    detail = client.get(f"/api/v1/contracts/{active.pk}/").json()
    assert (detail["amount"], detail["region"], detail["status"]) == (5_000_000, "43", "active")
    assert [(t["number"], t["amount"], t["report_number"]) for t in detail["tranches"]] == [
        (1, 1_500_000, None),
        (2, 2_000_000, 1),
        (3, 1_500_000, 2),
    ]
    assert [r["kind"] for r in detail["reports"]] == ["progress", "final"]
    assert [i["name"] for i in detail["indicators"]] == ["Участники"]
    assert [(s["from_status"], s["to_status"]) for s in detail["status_changes"]] == [
        ("draft", "active")
    ]
    assert client.get("/api/v1/contracts/?status=nonsense").status_code == 400


def test_openapi_schema_has_the_release_action(cast: Any) -> None:
    schema = Client().get("/api/v1/schema/?format=json").json()
    assert "post" in schema["paths"]["/api/v1/tranches/{id}/release/"]
    assert "/api/v1/contracts/" in schema["paths"]


# --- The back office ------------------------------------------------------------------------


def _staff_official(cast: Any) -> Any:
    """A finance officer of the customer with access to the back office."""
    user = cast.users["official"]
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="funding", codename__in=["view_tranche", "view_contract"]
        )
    )
    return user


def _admin_release(client: Client, tranches: list[Tranche], reference: str = "PP") -> Any:
    data: dict[str, Any] = {
        "action": "release",
        "_selected_action": [t.pk for t in tranches],
        "confirm": "1",
    }
    for t in tranches:
        data[f"payment_{t.pk}"] = f"{reference}-{t.number}"
    return client.post("/en/admin/funding/tranche/", data, follow=True)


def test_admin_action_refuses_release_before_the_report_is_approved(cast: Any) -> None:
    contract = active_contract(cast)
    advance, second, _final = contract.tranches.order_by("number")
    client = Client()
    client.force_login(_staff_official(cast))
    # First the form asking for the payment orders.
    form = client.post(
        "/en/admin/funding/tranche/",
        {"action": "release", "_selected_action": [advance.pk, second.pk]},
    )
    assert form.status_code == 200
    assert f"{contract.number} #2" in form.content.decode()
    assert "report 1: Draft" in form.content.decode()
    response = _admin_release(client, [advance, second])
    assert [plain(m.message) for m in response.context["messages"]] == [
        f"{contract.number} #1: released.",
        f"{contract.number} #2: The tranche is released only after report 1 is approved.",
    ]
    second.refresh_from_db()
    assert second.status == TrancheStatus.PLANNED
    approve(second.report)  # type: ignore[arg-type]
    response = _admin_release(client, [second])
    assert [m.message for m in response.context["messages"]] == [f"{contract.number} #2: released."]
    second.refresh_from_db()
    assert (second.status, second.payment_reference, second.released_by) == (
        "released",
        "PP-2",
        cast.users["official"],
    )


def test_the_platform_admin_releases_no_money_for_a_state_body(cast: Any) -> None:
    contract = active_contract(cast)
    advance = contract.tranches.get(number=1)
    client = client_of(cast, "platform_admin")
    response = _admin_release(client, [advance])
    assert [m.message for m in response.context["messages"]] == [
        f"{contract.number} #1: Only the customer may do this."
    ]
    advance.refresh_from_db()
    assert advance.status == TrancheStatus.PLANNED


def test_admin_pages_show_workflow_fields_read_only(cast: Any) -> None:
    contract = active_contract(cast)
    tranche = contract.tranches.get(number=1)
    client = client_of(cast, "platform_admin")
    for url in (
        "/en/admin/funding/contract/",
        f"/en/admin/funding/contract/{contract.pk}/change/",
        "/en/admin/funding/tranche/",
        f"/en/admin/funding/tranche/{tranche.pk}/change/",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get("/en/admin/funding/contract/add/").status_code == 403
    response = client.post(
        f"/en/admin/funding/tranche/{tranche.pk}/change/",
        {"status": "released", "payment_reference": "X"},
    )
    assert response.status_code == 403
    client.post(
        f"/en/admin/funding/contract/{contract.pk}/change/",
        {
            "public_summary": "A youth centre",
            "amount": 1,
            "status": "completed",
            **_inline_management(),
        },
    )
    contract.refresh_from_db()
    tranche.refresh_from_db()
    assert (contract.public_summary, contract.amount, contract.status) == (
        "A youth centre",
        5_000_000,
        "active",
    )
    assert tranche.status == TrancheStatus.PLANNED
    assert Contract.objects.count() == 1


def _inline_management() -> dict[str, Any]:
    data: dict[str, Any] = {}
    for prefix in ("indicators", "tranches", "amendments", "status_changes"):
        data |= {
            f"{prefix}-TOTAL_FORMS": 0,
            f"{prefix}-INITIAL_FORMS": 0,
            f"{prefix}-MIN_NUM_FORMS": 0,
            f"{prefix}-MAX_NUM_FORMS": 1000,
        }
    return data
