"""The contract pages: who opens what (every route × the cast), releasing a tranche from the
page (never before its report is approved), the draft schedule form keeping what was typed,
amendments, the list's filters and exports, and query counts of the lists."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ortaq.funding.contracts import services as sc
from ortaq.funding.enums import ContractStatus, TrancheStatus
from ortaq.funding.models import Application, Contract, Tranche
from tests.access import SIGNED_IN, Cast, HttpRow, assert_http_matrix

from . import factories as f
from .test_contracts_services import END, START, approve, plain

pytestmark = pytest.mark.django_db

ORGANISERS = frozenset({"official", "regional_admin"})
# Who reads a contract in full: the customer, the NGO's people, the platform administrator
# (the regional administrator of the cast is the customer's too).
INTERNAL = frozenset({"official", "regional_admin", "ngo_member", "ngo_admin", "platform_admin"})
DESK = frozenset({"official", "regional_admin", "other_regional_admin", "platform_admin"})


def funded(cast: Cast) -> Application:
    return f.published(cast)[1]


def draft_contract(cast: Cast) -> Contract:
    return sc.contract_create(
        actor=cast.users["official"], application=funded(cast), start_date=START, end_date=END
    )


def active_contract(cast: Cast) -> Contract:
    contract = draft_contract(cast)
    return sc.contract_sign(
        actor=cast.users["official"], contract=contract, signed_on=START, expected_version=1
    )


def client_of(cast: Cast, role: str) -> Client:
    client = Client()
    client.force_login(cast.users[role])
    return client


def messages_of(response: Any) -> list[str]:
    return [plain(m.message) for m in response.context["messages"]]


# --- Access ---------------------------------------------------------------------------------


def _fresh(contract: Contract) -> Contract:
    return Contract.objects.get(pk=contract.pk)


def _set_status(contract: Contract, status: str) -> None:
    Contract.objects.filter(pk=contract.pk).update(status=status)


def _unrelease(tranche: Tranche) -> None:
    Tranche.objects.filter(pk=tranche.pk).update(
        status=TrancheStatus.PLANNED, released_at=None, payment_reference=""
    )


def _released(tranche: Tranche) -> bool:
    return Tranche.objects.get(pk=tranche.pk).status == TrancheStatus.RELEASED


def _completable(cast: Cast) -> Contract:
    """A contract in force with every report approved and every tranche released."""
    contract = active_contract(cast)
    for report in contract.reports.all():
        approve(report)
    for number, tranche in enumerate(contract.tranches.order_by("number"), start=1):
        sc.tranche_release(
            actor=cast.users["official"], tranche=tranche, payment_reference=f"P{number}"
        )
    return contract


def test_http_matrix_of_contract_pages_and_api(cast: Cast) -> None:
    active = active_contract(cast)
    draft = draft_contract(cast)
    waiting = funded(cast)
    tranche = active.tranches.get(number=1)
    finished = _completable(cast)
    assert_http_matrix(
        cast,
        [
            HttpRow("my contracts", "GET", lambda c: "/en/funding/contracts/", SIGNED_IN),
            HttpRow("contract list", "GET", lambda c: "/en/funding/manage/contracts/", DESK),
            HttpRow(
                "contract export",
                "GET",
                lambda c: "/en/funding/manage/contracts/?export=csv",
                DESK,
            ),
            HttpRow(
                "contract in force",
                "GET",
                lambda c: f"/en/funding/contracts/{active.pk}/",
                INTERNAL,
            ),
            HttpRow(
                "contract being prepared",
                "GET",
                lambda c: f"/en/funding/contracts/{draft.pk}/",
                INTERNAL,
            ),
            HttpRow(
                "prepare a contract",
                "GET",
                lambda c: f"/en/funding/manage/applications/{waiting.pk}/contract/",
                ORGANISERS,
            ),
            HttpRow(
                "draft schedule",
                "GET",
                lambda c: f"/en/funding/manage/contracts/{draft.pk}/schedule/",
                ORGANISERS,
            ),
            HttpRow(
                "amend",
                "GET",
                lambda c: f"/en/funding/manage/contracts/{active.pk}/amend/",
                ORGANISERS,
            ),
            # Each write succeeds for the customer (the reset undoes it before the next role).
            HttpRow(
                "sign",
                "POST",
                lambda c: f"/en/funding/manage/contracts/{draft.pk}/sign/",
                ORGANISERS,
                data=lambda c: {"version": _fresh(draft).version, "signed_on": "2025-03-03"},
                reset=lambda c: _set_status(draft, ContractStatus.DRAFT),
                ok=302,
                done=lambda c, r: _fresh(draft).status == ContractStatus.ACTIVE,
            ),
            HttpRow(
                "complete",
                "POST",
                lambda c: f"/en/funding/manage/contracts/{finished.pk}/complete/",
                ORGANISERS,
                data=lambda c: {"version": _fresh(finished).version},
                reset=lambda c: _set_status(finished, ContractStatus.ACTIVE),
                ok=302,
                done=lambda c, r: _fresh(finished).status == ContractStatus.COMPLETED,
            ),
            HttpRow(
                "terminate",
                "POST",
                lambda c: f"/en/funding/manage/contracts/{active.pk}/terminate/",
                ORGANISERS,
                data=lambda c: {"version": _fresh(active).version, "reason": "Not carried out"},
                reset=lambda c: _set_status(active, ContractStatus.ACTIVE),
                ok=302,
                done=lambda c, r: _fresh(active).status == ContractStatus.TERMINATED,
            ),
            HttpRow(
                "release",
                "POST",
                lambda c: f"/en/funding/manage/tranches/{tranche.pk}/release/",
                ORGANISERS,
                data=lambda c: {"payment_reference": "PP-1"},
                reset=lambda c: _unrelease(tranche),
                ok=302,
                done=lambda c, r: _released(tranche),
            ),
            HttpRow("api contracts", "GET", lambda c: "/api/v1/contracts/", SIGNED_IN),
            HttpRow(
                "api contract",
                "GET",
                lambda c: f"/api/v1/contracts/{active.pk}/",
                INTERNAL,
                refused=404,
            ),
            HttpRow("api tranches", "GET", lambda c: "/api/v1/tranches/", SIGNED_IN),
            HttpRow(
                "api tranche",
                "GET",
                lambda c: f"/api/v1/tranches/{tranche.pk}/",
                INTERNAL,
                refused=404,
            ),
            HttpRow(
                "api release",
                "POST",
                lambda c: f"/api/v1/tranches/{tranche.pk}/release/",
                ORGANISERS,
                data=lambda c: {"payment_reference": "PP-1"},
                reset=lambda c: _unrelease(tranche),
                done=lambda c, r: _released(tranche) and r.json()["status"] == "released",
                refused=404,
                # Those who read the tranche learn that only the customer releases it.
                status_of={"ngo_member": 403, "ngo_admin": 403, "platform_admin": 403},
            ),
        ],
    )
    active.refresh_from_db()
    tranche.refresh_from_db()
    assert (active.status, tranche.status) == ("active", "planned")


def test_an_ngo_sees_its_own_contracts_and_never_another_ngos(cast: Cast) -> None:
    own = active_contract(cast)
    ngo, admin = f.ngo_with_admin(cast, "Third NGO")
    comp = f.announced(cast)
    other_application = f.submitted(cast, comp, ngo=ngo, admin=admin)
    other = f.contract(cast, application=other_application)
    mine = client_of(cast, "ngo_member").get("/en/funding/contracts/")
    assert [c.pk for c in mine.context["page_obj"]] == [own.pk]
    outsider = client_of(cast, "outsider_ngo_admin")
    assert list(outsider.get("/en/funding/contracts/").context["page_obj"]) == []
    assert outsider.get(f"/en/funding/contracts/{own.pk}/").status_code == 403
    third = Client()
    third.force_login(admin)
    assert [c.pk for c in third.get("/en/funding/contracts/").context["page_obj"]] == [other.pk]
    assert third.get(f"/en/funding/contracts/{own.pk}/").status_code == 403
    assert third.get(f"/api/v1/contracts/{own.pk}/").status_code == 404
    assert [c["id"] for c in third.get("/api/v1/contracts/").json()["results"]] == [other.pk]


# --- The contract page and releasing a tranche ------------------------------------------------


def test_the_page_offers_release_only_when_allowed(cast: Cast) -> None:
    contract = active_contract(cast)
    html = client_of(cast, "official").get(f"/en/funding/contracts/{contract.pk}/").content
    page = html.decode()
    assert page.count('data-testid="release-form"') == 1  # the advance only
    assert page.count("The tranche is released only after report 1 is approved.") == 1
    assert page.count("The tranche is released only after report 2 is approved.") == 1
    for role in ("ngo_admin", "ngo_member", "platform_admin"):
        page = client_of(cast, role).get(f"/en/funding/contracts/{contract.pk}/").content.decode()
        assert 'data-testid="release-form"' not in page, role
        assert "Terminate" not in page, role
        assert "/manage/contracts/" not in page, role
        assert contract.number in page


def test_the_page_refuses_release_before_the_report_is_approved(cast: Cast) -> None:
    contract = active_contract(cast)
    second = contract.tranches.get(number=2)
    client = client_of(cast, "official")
    url = f"/en/funding/manage/tranches/{second.pk}/release/"
    response = client.post(url, {"payment_reference": "PP-2"}, follow=True)
    assert messages_of(response) == ["The tranche is released only after report 1 is approved."]
    second.refresh_from_db()
    assert second.status == TrancheStatus.PLANNED
    approve(second.report)  # type: ignore[arg-type]
    response = client.post(url, {"payment_reference": "PP-2"}, follow=True)
    assert messages_of(response) == ["Tranche 2 is released."]
    second.refresh_from_db()
    assert (second.status, second.payment_reference) == ("released", "PP-2")


def test_the_ngo_admin_cannot_release(cast: Cast) -> None:
    contract = active_contract(cast)
    advance = contract.tranches.get(number=1)
    response = client_of(cast, "ngo_admin").post(
        f"/en/funding/manage/tranches/{advance.pk}/release/", {"payment_reference": "PP-1"}
    )
    assert response.status_code == 403
    advance.refresh_from_db()
    assert advance.status == TrancheStatus.PLANNED


# --- Making, scheduling, signing, amending ----------------------------------------------------


def test_prepare_a_contract_from_the_list_and_sign_it(cast: Cast) -> None:
    application = funded(cast)
    client = client_of(cast, "official")
    listing = client.get("/en/funding/manage/contracts/")
    assert [a.pk for a in listing.context["to_prepare"]] == [application.pk]
    url = f"/en/funding/manage/applications/{application.pk}/contract/"
    bad = client.post(url, {"start_date": "2025-11-28", "end_date": "2025-03-03"})
    assert bad.status_code == 200
    assert bad.context["form"].errors == {"end_date": ["The end cannot be before the start."]}
    assert 'value="2025-11-28"' in bad.content.decode()
    response = client.post(url, {"start_date": "2025-03-03", "end_date": "2025-11-28"})
    contract = Contract.objects.get(application=application)
    assert response.headers["Location"] == f"/en/funding/contracts/{contract.pk}/"
    assert list(client.get("/en/funding/manage/contracts/").context["to_prepare"]) == []
    again = client.get(url, follow=True)
    assert again.redirect_chain == [(f"/en/funding/contracts/{contract.pk}/", 302)]
    assert messages_of(again) == ["This application already has a contract."]
    response = client.post(
        f"/en/funding/manage/contracts/{contract.pk}/sign/",
        {"version": contract.version, "signed_on": "2025-03-03"},
        follow=True,
    )
    assert messages_of(response) == ["The contract is signed and in force."]
    contract.refresh_from_db()
    assert (contract.status, contract.signed_on) == ("active", dt.date(2025, 3, 3))


def _schedule_post(contract: Contract, **overrides: Any) -> dict[str, Any]:
    reports = contract.reports.order_by("number")
    tranches = contract.tranches.select_related("report").order_by("number")
    data: dict[str, Any] = {
        "version": contract.version,
        "reports-TOTAL_FORMS": len(reports) + 1,
        "reports-INITIAL_FORMS": len(reports),
        "reports-MIN_NUM_FORMS": 0,
        "reports-MAX_NUM_FORMS": 1000,
        "tranches-TOTAL_FORMS": len(tranches) + 1,
        "tranches-INITIAL_FORMS": len(tranches),
        "tranches-MIN_NUM_FORMS": 0,
        "tranches-MAX_NUM_FORMS": 1000,
    }
    for i, r in enumerate(reports):
        data |= {
            f"reports-{i}-number": r.number,
            f"reports-{i}-kind": r.kind,
            f"reports-{i}-period_start": r.period_start.isoformat(),
            f"reports-{i}-period_end": r.period_end.isoformat(),
            f"reports-{i}-due_date": r.due_date.isoformat(),
        }
    for i, t in enumerate(tranches):
        data |= {
            f"tranches-{i}-number": t.number,
            f"tranches-{i}-amount": t.amount,
            f"tranches-{i}-due_date": t.due_date.isoformat(),
            f"tranches-{i}-report": t.report.number if t.report else "",
        }
    return data | overrides


def _tranche_amounts(contract: Contract) -> list[int]:
    return list(contract.tranches.order_by("number").values_list("amount", flat=True))


def test_a_bad_schedule_keeps_what_was_typed(cast: Cast) -> None:
    contract = draft_contract(cast)
    client = client_of(cast, "official")
    url = f"/en/funding/manage/contracts/{contract.pk}/schedule/"
    response = client.post(url, _schedule_post(contract, **{"tranches-2-amount": 1_234_567}))
    assert response.status_code == 200
    page = plain(response.content.decode())
    assert "The tranches add up to 4 734 567 ₸, but the contract&#x27;s amount is" in page
    assert 'value="1234567"' in page
    assert response.context["tranches"].non_form_errors() == [
        "The tranches add up to 4\u00a0734\u00a0567\u00a0₸, but the contract's amount is "
        "5\u00a0000\u00a0000\u00a0₸."
    ]
    response = client.post(
        url, _schedule_post(contract, **{"reports-2-number": 3, "reports-2-kind": "progress"})
    )
    assert response.status_code == 200
    assert response.context["reports"].forms[2].non_field_errors() == [
        "Fill in every column of the report, or none."
    ]
    assert 'name="reports-2-number" value="3"' in response.content.decode()
    assert _tranche_amounts(contract) == [1_500_000, 2_000_000, 1_500_000]
    good = _schedule_post(
        contract, **{"tranches-0-amount": 1_000_000, "tranches-2-amount": 2_000_000}
    )
    response = client.post(url, good)
    assert response.headers["Location"] == f"/en/funding/contracts/{contract.pk}/"
    assert _tranche_amounts(contract) == [1_000_000, 2_000_000, 2_000_000]


def test_a_stale_schedule_form_overwrites_nothing(cast: Cast) -> None:
    contract = draft_contract(cast)
    client = client_of(cast, "official")
    url = f"/en/funding/manage/contracts/{contract.pk}/schedule/"
    stale = _schedule_post(
        contract, **{"tranches-0-amount": 1_000_000, "tranches-2-amount": 2_000_000}
    )
    # Someone else saves first.
    sc.contract_set_schedule(
        actor=cast.users["regional_admin"],
        contract=contract,
        reports=sc.current_plans(contract)[0],
        tranches=sc.current_plans(contract)[1],
        expected_version=1,
    )
    response = client.post(url, stale)
    assert response.status_code == 200
    assert "Someone else changed this while you were editing it" in response.content.decode()
    assert 'value="1000000"' in response.content.decode()
    assert _tranche_amounts(contract) == [1_500_000, 2_000_000, 1_500_000]
    # The page now carries the current version: saving again, after comparing, goes through.
    assert response.context["version_form"]["version"].value() == 2
    response = client.post(url, stale | {"version": 2})
    assert response.status_code == 302
    assert _tranche_amounts(contract) == [1_000_000, 2_000_000, 2_000_000]


def test_amend_from_the_page_and_read_the_history(cast: Cast) -> None:
    contract = active_contract(cast)
    client = client_of(cast, "official")
    url = f"/en/funding/manage/contracts/{contract.pk}/amend/"
    third = contract.tranches.get(number=3)
    base = {
        "version": contract.version,
        "reason": "More participants",
        "amount": 5_500_000,
        "end_date": "",
    }
    for t in contract.tranches.all():
        base[f"tranche_{t.number}_amount"] = t.amount
        base[f"tranche_{t.number}_due_date"] = t.due_date.isoformat()
    response = client.post(url, base)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "The tranches add up to 5\u00a0000\u00a0000\u00a0₸, but the contract's amount is "
        "5\u00a0500\u00a0000\u00a0₸."
    ]
    assert 'value="5500000"' in response.content.decode()
    response = client.post(url, base | {f"tranche_{third.number}_amount": 2_000_000})
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.amount == 5_500_000
    page = plain(
        client_of(cast, "ngo_member").get(f"/en/funding/contracts/{contract.pk}/").content.decode()
    )
    assert "Amendment 1 of" in page
    assert "More participants" in page
    assert "Tranche 3: amount" in page
    assert page.count('data-testid="amendment"') == 1


def test_terminate_and_complete_from_the_page(cast: Cast) -> None:
    contract = active_contract(cast)
    client = client_of(cast, "official")
    response = client.post(
        f"/en/funding/manage/contracts/{contract.pk}/complete/",
        {"version": contract.version},
        follow=True,
    )
    assert messages_of(response) == ["Some tranches are not released yet."]
    response = client.post(
        f"/en/funding/manage/contracts/{contract.pk}/terminate/",
        {"version": contract.version, "reason": "The NGO stopped"},
        follow=True,
    )
    assert messages_of(response) == ["The contract is terminated."]
    contract.refresh_from_db()
    assert contract.status == ContractStatus.TERMINATED
    assert "The NGO stopped" in response.content.decode()


# --- The list: filters, exports, query counts -------------------------------------------------


def test_filters_and_exports_use_the_same_list(cast: Cast) -> None:
    active = active_contract(cast)
    draft = draft_contract(cast)
    client = client_of(cast, "official")

    def numbers(query: str) -> list[str]:
        page = client.get(f"/en/funding/manage/contracts/?{query}").context["page_obj"]
        return [c.number for c in page]

    assert numbers("") == [draft.number, active.number]
    assert numbers("status=active") == [active.number]
    assert numbers(f"q={draft.number}") == [draft.number]
    assert numbers("q=Own+NGO") == [draft.number, active.number]
    assert numbers("region=15") == []
    assert numbers("kind=social_order") == []
    assert numbers("year=abc") == [draft.number, active.number]  # ignored, shown on the form
    response = client.get("/en/funding/manage/contracts/?status=active&export=csv")
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["Number", "Project", "NGO"]
    assert [r[0] for r in rows[1:]] == [active.number]
    assert rows[1][8] == "5000000"
    assert rows[1][12] == "In force"
    response = client.get("/en/funding/manage/contracts/?export=xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        draft.number,
        active.number,
    ]
    assert client.get("/en/funding/manage/contracts/?export=pdf").status_code == 404


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("official", "/en/funding/manage/contracts/"),
        ("ngo_admin", "/en/funding/contracts/"),
        ("platform_admin", "/en/funding/manage/contracts/"),
        ("official", "/api/v1/contracts/"),
        ("ngo_member", "/api/v1/tranches/"),
    ],
)
def test_list_query_counts_do_not_grow(cast: Cast, role: str, url: str) -> None:
    f.contract(cast, application=funded(cast))
    client = client_of(cast, role)
    one = _count(client, url)
    for _ in range(2):
        f.contract(cast, application=funded(cast))
    assert Contract.objects.count() == 3
    assert _count(client, url) == one


def test_contracts_to_prepare_query_count_does_not_grow(cast: Cast) -> None:
    funded(cast)
    client = client_of(cast, "official")
    url = "/en/funding/manage/contracts/"
    one = _count(client, url)
    funded(cast)
    funded(cast)
    assert len(client.get(url).context["to_prepare"]) == 3
    assert _count(client, url) == one


def test_the_contract_page_query_count_does_not_grow_with_tranches(cast: Cast) -> None:
    contract = active_contract(cast)
    client = client_of(cast, "official")
    url = f"/en/funding/contracts/{contract.pk}/"
    before = _count(client, url)
    Tranche.objects.filter(contract=contract, number=3).update(amount=500_000)
    for number in (4, 5):
        Tranche.objects.create(
            contract=contract,
            number=number,
            amount=500_000,
            due_date=END,
            report=contract.reports.get(number=2),
        )
    assert _count(client, url) == before
