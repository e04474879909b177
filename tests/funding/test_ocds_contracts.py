"""OCDS of the whole cycle: applications as bids (bid extension), contracts, released tranches as
transactions, reports as milestones; the releases and compiled records validate against the
official schema with the extension; nothing confidential goes out; the query count of the
endpoints does not grow with the number of competitions and contracts."""

from __future__ import annotations

import datetime as dt
import io
import json
import zoneinfo
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ortaq.funding.competitions import services
from ortaq.funding.enums import (
    ApplicationStatus,
    AssignmentStatus,
    ContractStatus,
    ProgrammeKind,
    ProjectReportStatus,
    TrancheStatus,
)
from ortaq.funding.models import (
    Application,
    Competition,
    Contract,
    ContractStatusChange,
    Criterion,
    Lot,
    Report,
    Tranche,
)
from ortaq.funding.opendata import ocds
from tests.access import Cast
from tests.funding.factories import read_json

from . import factories as f

pytestmark = pytest.mark.django_db

SECRETS = (
    "Тренинги",  # a budget line
    "Проект для молодёжи",  # the application's description
    "score",
    "SECRET-NARRATIVE",
    "SECRET-REVIEW",
    "SECRET-DRAFT-SUMMARY",
    "SECRET-PAYMENT-ORDER",
    "SECRET-COMPLIANCE",
    "SECRET-WITHDRAWAL",
    "SECRET-DRAFT-CONTRACT",
    "SECRET-DRAFT-APPLICATION",
)


def published_with_bids(
    cast: Cast, *, kind: str = ProgrammeKind.STATE_GRANT
) -> tuple[Competition, dict[str, Application]]:
    """A cycle through the services with four applicants: the cast's NGO is funded, one NGO
    fails the compliance check, one withdraws, one never sends its draft."""
    comp = f.announced(cast, kind=kind)
    funded = f.submitted(cast, comp)
    ngo, admin = f.ngo_with_admin(cast, "Refused NGO")
    refused = f.submitted(cast, comp, ngo=ngo, admin=admin)
    ngo, admin = f.ngo_with_admin(cast, "Withdrawn NGO")
    withdrawn = f.submitted(cast, comp, ngo=ngo, admin=admin)
    withdrawn = services.application_withdraw(
        actor=admin, application=withdrawn, reason="SECRET-WITHDRAWAL"
    )
    ngo, admin = f.ngo_with_admin(cast, "Draft NGO")
    draft = f.draft(cast, comp, ngo=ngo, admin=admin)
    Application.objects.filter(pk=draft.pk).update(title="SECRET-DRAFT-APPLICATION")
    f.pass_deadline(comp)
    official = cast.users["official"]
    services.competition_close(actor=official, competition=comp)
    services.compliance_record(actor=official, application=funded, failures=[])
    services.compliance_record(
        actor=official, application=refused, failures=[("documents", "SECRET-COMPLIANCE")]
    )
    f.experts(5)
    f.register_cast_expert(cast)
    services.evaluation_start(actor=official, competition=comp)
    criteria = list(Criterion.objects.filter(programme=comp.programme))
    for a in funded.assignments.exclude(status=AssignmentStatus.RECUSED):
        services.assignment_declare(actor=a.expert.user, assignment=a, no_conflict=True)
        services.scores_submit(
            actor=a.expert.user, assignment=a, values={c.pk: 4 for c in criteria}
        )
    decision = services.decision_compute(actor=official, competition=comp)
    services.decision_confirm(actor=official, decision=decision)
    services.decision_publish(actor=official, decision=decision)
    comp.refresh_from_db()
    apps = {"funded": funded, "refused": refused, "withdrawn": withdrawn, "draft": draft}
    return comp, {k: Application.objects.get(pk=a.pk) for k, a in apps.items()}


def release(tranche: Tranche, at: dt.datetime, *, reference: str = "") -> None:
    Tranche.objects.filter(pk=tranche.pk).update(
        status=TrancheStatus.RELEASED, released_at=at, payment_reference=reference
    )


def approve(report: Report, at: dt.datetime) -> None:
    Report.objects.filter(pk=report.pk).update(
        status=ProjectReportStatus.APPROVED,
        submitted_at=at,
        reviewed_at=at,
        narrative="SECRET-NARRATIVE",
        review_comment="SECRET-REVIEW",
        public_summary="Отчёт принят",
    )


def full_cycle(cast: Cast, application: Application | None = None) -> Contract:
    """A contract in force: the advance paid, the progress report approved and the second
    tranche paid after it; the final report is still a draft."""
    contract = f.contract(cast, application=application)
    Contract.objects.filter(pk=contract.pk).update(public_summary="Молодёжный центр в Кызылорде")
    contract.refresh_from_db()
    advance, second, _final = contract.tranches.order_by("number")
    progress, final = contract.reports.order_by("number")
    now = timezone.now()
    release(advance, now + dt.timedelta(minutes=1), reference="SECRET-PAYMENT-ORDER")
    approve(progress, now + dt.timedelta(minutes=2))
    release(second, now + dt.timedelta(minutes=3), reference="SECRET-PAYMENT-ORDER")
    Report.objects.filter(pk=final.pk).update(
        narrative="SECRET-NARRATIVE", public_summary="SECRET-DRAFT-SUMMARY"
    )
    return contract


def _packages(client: Client) -> tuple[dict[str, Any], dict[str, Any]]:
    releases = read_json(client.get("/opendata/ocds/releases.json"))
    records = read_json(client.get("/opendata/ocds/records.json"))
    assert ocds.validation_errors(releases) == []
    assert ocds.validation_errors(records, kind="record") == []
    return releases, records


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (ApplicationStatus.SUBMITTED, "pending"),
        (ApplicationStatus.WITHDRAWN, "withdrawn"),
        (ApplicationStatus.COMPLIANT, "valid"),
        (ApplicationStatus.NON_COMPLIANT, "disqualified"),
        (ApplicationStatus.FUNDED, "valid"),
        (ApplicationStatus.NOT_FUNDED, "valid"),
    ],
)
def test_bid_status_of_each_application_status(status: str, expected: str) -> None:
    assert ocds.bid_status(status) == expected


def test_a_draft_is_never_a_bid() -> None:
    assert ApplicationStatus.DRAFT not in ocds.BID_STATUSES
    with pytest.raises(KeyError):
        ocds.bid_status(ApplicationStatus.DRAFT)


def test_applications_are_bids_of_the_award_release(cast: Cast, client: Client) -> None:
    _comp, apps = published_with_bids(cast)
    releases, records = _packages(client)
    assert releases["extensions"] == [ocds.BIDS_EXTENSION]
    assert [r["tag"] for r in releases["releases"]] == [["tender"], ["award"]]
    award = releases["releases"][1]
    details = {d["id"]: d for d in award["bids"]["details"]}
    funded, refused, withdrawn = apps["funded"], apps["refused"], apps["withdrawn"]
    assert sorted(details) == sorted(f"bid-{a.pk}" for a in (funded, refused, withdrawn))
    assert details[f"bid-{funded.pk}"] == {
        "id": f"bid-{funded.pk}",
        "date": ocds.iso_datetime(funded.submitted_at),
        "status": "valid",
        "tenderers": [
            {"id": ocds.party_id(cast.objects["own_ngo"]), "name": cast.objects["own_ngo"].name_ru}
        ],
        "value": {"amount": 5_000_000, "currency": "KZT"},
    }
    assert details[f"bid-{refused.pk}"]["status"] == "disqualified"
    assert details[f"bid-{withdrawn.pk}"]["status"] == "withdrawn"
    assert award["bids"]["statistics"] == [
        {"id": "bids", "measure": "bids", "value": 2},
        {"id": "validBids", "measure": "validBids", "value": 1},
        {"id": "disqualifiedBids", "measure": "disqualifiedBids", "value": 1},
        {"id": "bidders", "measure": "bidders", "value": 2},
    ]
    assert award["tender"]["numberOfTenderers"] == 2
    assert award["awards"][0]["relatedBid"] == f"bid-{funded.pk}"
    # Every organisation a bid names is a party, as a tenderer.
    parties = {p["id"]: p["roles"] for p in award["parties"]}
    for bid in details.values():
        assert "tenderer" in parties[bid["tenderers"][0]["id"]]
    compiled = records["records"][0]["compiledRelease"]
    assert compiled["bids"] == award["bids"]
    text = json.dumps([releases, records], ensure_ascii=False)
    for secret in SECRETS:
        assert secret not in text


def test_open_competition_publishes_no_bid(cast: Cast) -> None:
    comp = f.announced(cast)
    f.submitted(cast, comp)
    package = ocds.release_package(ocds.competitions_for_ocds(), uri="https://x")
    assert ocds.validation_errors(package) == []
    assert ["bids" in r for r in package["releases"]] == [False]


def test_contract_tranches_and_reports_validate_and_merge(cast: Cast, client: Client) -> None:
    contract = full_cycle(cast)
    advance, second, final_tranche = contract.tranches.order_by("number")
    progress, final = contract.reports.order_by("number")
    application = contract.application
    releases, records = _packages(client)
    tags = [r["tag"] for r in releases["releases"]]
    assert tags == [
        ["tender"],
        ["award"],
        ["contract"],
        ["implementation"],
        ["implementation"],
        ["implementation"],
    ]
    signed = releases["releases"][2]["contracts"][0]
    assert signed["id"] == f"contract-{contract.pk}"
    assert signed["awardID"] == f"award-{application.pk}"
    assert signed["awardID"] in [a["id"] for a in releases["releases"][1]["awards"]]
    assert signed["status"] == "active"
    assert signed["value"] == {"amount": 5_000_000, "currency": "KZT"}
    assert signed["description"] == "Молодёжный центр в Кызылорде"
    almaty = zoneinfo.ZoneInfo("Asia/Almaty")
    assert signed["dateSigned"] == ocds.iso_datetime(
        dt.datetime.combine(contract.signed_on, dt.time.min, tzinfo=almaty)  # type: ignore[arg-type]
    )
    assert [m["status"] for m in signed["implementation"]["milestones"]] == ["scheduled"] * 5

    record = records["records"][0]
    assert [r["tag"] for r in record["releases"]] == tags
    compiled = record["compiledRelease"]
    assert compiled["tag"] == ["compiled"]
    assert compiled["awards"][0]["id"] == f"award-{application.pk}"
    (merged,) = compiled["contracts"]
    assert merged["status"] == "active"
    assert merged["title"] == contract.title
    payer = {
        "id": ocds.party_id(cast.objects["state_body"]),
        "name": cast.objects["state_body"].name_ru,
    }
    payee = {"id": ocds.party_id(cast.objects["own_ngo"]), "name": cast.objects["own_ngo"].name_ru}
    advance.refresh_from_db()
    second.refresh_from_db()
    assert merged["implementation"]["transactions"] == [
        {
            "id": f"tranche-{t.pk}",
            "date": ocds.iso_datetime(t.released_at),
            "value": {"amount": t.amount, "currency": "KZT"},
            "payer": payer,
            "payee": payee,
        }
        for t in (advance, second)
    ]
    progress.refresh_from_db()
    milestones = {m["id"]: m for m in merged["implementation"]["milestones"]}
    assert milestones[f"report-{progress.pk}"] == {
        "id": f"report-{progress.pk}",
        "title": milestones[f"report-{progress.pk}"]["title"],
        "type": "reporting",
        "code": "progress",
        "dueDate": milestones[f"report-{progress.pk}"]["dueDate"],
        "status": "met",
        "dateMet": ocds.iso_datetime(progress.reviewed_at),
        "dateModified": ocds.iso_datetime(progress.reviewed_at),
    }
    assert milestones[f"report-{final.pk}"]["status"] == "scheduled"
    assert "dateMet" not in milestones[f"report-{final.pk}"]
    assert {k: m["status"] for k, m in milestones.items() if m["type"] == "payment"} == {
        f"tranche-{advance.pk}": "met",
        f"tranche-{second.pk}": "met",
        f"tranche-{final_tranche.pk}": "scheduled",
    }
    roles = {p["id"]: p["roles"] for p in compiled["parties"]}
    assert roles == {
        payer["id"]: ["buyer", "payer", "procuringEntity"],
        payee["id"]: ["payee", "supplier", "tenderer"],
    }
    text = json.dumps([releases, records], ensure_ascii=False)
    for secret in SECRETS:
        assert secret not in text


def test_overdue_reports_are_not_met_and_a_closed_contract_is_terminated(cast: Cast) -> None:
    start = timezone.localdate() - dt.timedelta(days=400)
    contract = f.contract(cast, start=start, status=ContractStatus.COMPLETED)
    progress, final = contract.reports.order_by("number")
    late_approval = timezone.now() - dt.timedelta(days=1)
    approve(progress, late_approval)
    ContractStatusChange.objects.create(
        contract=contract, from_status="active", to_status="completed"
    )
    package = ocds.record_package(ocds.competitions_for_ocds(), uri="https://x")
    assert ocds.validation_errors(package, kind="record") == []
    (record,) = package["records"]
    tags = [r["tag"][0] for r in record["releases"]]
    # Both reports were late; the first was approved after all; then the contract closed.
    assert tags == [
        "tender",
        "award",
        "contract",
        "implementation",
        "implementation",
        "implementation",
        "contractTermination",
    ]
    (merged,) = record["compiledRelease"]["contracts"]
    assert merged["status"] == "terminated"
    statuses = {m["id"]: m["status"] for m in merged["implementation"]["milestones"]}
    assert statuses[f"report-{progress.pk}"] == "met"
    assert statuses[f"report-{final.pk}"] == "notMet"


def test_draft_contract_and_unpublished_results_stay_out(cast: Cast) -> None:
    contract = f.contract(cast, status=ContractStatus.DRAFT)
    Contract.objects.filter(pk=contract.pk).update(title="SECRET-DRAFT-CONTRACT")
    package = ocds.release_package(ocds.competitions_for_ocds(), uri="https://x")
    assert ocds.validation_errors(package) == []
    assert all("contracts" not in r for r in package["releases"])
    assert "SECRET-DRAFT-CONTRACT" not in json.dumps(package, ensure_ascii=False)


def test_national_lot_and_project_serialise(cast: Cast) -> None:
    contract = full_cycle(cast)
    Lot.objects.filter(competition=contract.application.lot.competition).update(region=None)
    Contract.objects.filter(pk=contract.pk).update(region=None)
    package = ocds.record_package(ocds.competitions_for_ocds(), uri="https://x")
    assert ocds.validation_errors(package, kind="record") == []
    compiled = package["records"][0]["compiledRelease"]
    assert compiled["tender"]["items"][0]["unit"]["name"] == "Республика Казахстан"
    assert compiled["contracts"][0]["id"] == f"contract-{contract.pk}"


def test_export_command_streams_contracts(cast: Cast, tmp_path: Any) -> None:
    full_cycle(cast)
    path = tmp_path / "ocds.json"
    call_command("export_ocds", output=str(path), validate=True, stdout=io.StringIO())
    package = json.loads(path.read_text(encoding="utf-8"))
    assert ocds.validation_errors(package) == []
    assert [r["tag"][0] for r in package["releases"]] == [
        "tender",
        "award",
        "contract",
        "implementation",
        "implementation",
        "implementation",
    ]


def test_merge_follows_the_ocds_rules() -> None:
    scheduled = {"id": "m", "status": "scheduled", "dueDate": "d"}
    signed = {"id": "c", "awardID": "x", "status": "active"}
    paid = {"transactions": [{"id": "t"}], "milestones": [{"id": "m", "status": "met"}]}
    releases = [
        {
            "ocid": "o",
            "id": "1",
            "date": "2025-01-01T00:00:00Z",
            "tag": ["contract"],
            "parties": [{"id": "a", "roles": ["buyer"]}],
            "contracts": [{**signed, "implementation": {"milestones": [scheduled]}}],
        },
        {
            "ocid": "o",
            "id": "2",
            "date": "2025-02-01T00:00:00Z",
            "tag": ["implementation"],
            "parties": [{"id": "a", "roles": ["buyer", "payer"]}, {"id": "b", "roles": ["payee"]}],
            "contracts": [{"id": "c", "awardID": "x", "implementation": paid}],
        },
    ]
    compiled = ocds.compiled_release(releases)
    assert compiled == {
        "ocid": "o",
        "date": "2025-02-01T00:00:00Z",
        "parties": [{"id": "a", "roles": ["buyer", "payer"]}, {"id": "b", "roles": ["payee"]}],
        "contracts": [
            {
                "id": "c",
                "awardID": "x",
                "status": "active",
                "implementation": {
                    "milestones": [{"id": "m", "status": "met", "dueDate": "d"}],
                    "transactions": [{"id": "t"}],
                },
            }
        ],
        "id": "o-compiled",
        "tag": ["compiled"],
    }
    # The releases themselves are left as they were.
    assert releases[0]["contracts"][0]["implementation"]["milestones"][0]["status"] == "scheduled"


def test_merge_patch_follows_rfc_7386() -> None:
    target = {"a": "b", "c": {"d": "e", "f": "g"}, "l": [1]}
    patch = {"a": "z", "c": {"f": None}, "l": [2], "n": {"x": 1}}
    assert ocds.merge_patch(target, patch) == {
        "a": "z",
        "c": {"d": "e"},
        "l": [2],
        "n": {"x": 1},
    }
    assert target == {"a": "b", "c": {"d": "e", "f": "g"}, "l": [1]}


def test_validation_knows_the_bid_extension_and_checks_formats() -> None:
    package = ocds.release_package([], uri="https://x")
    bad = {
        "ocid": "ocds-ortaq0-c1",
        "id": "r",
        "date": "yesterday",
        "tag": ["award"],
        "initiationType": "tender",
        "bids": {"details": [{"id": "b", "status": "accepted"}]},
    }
    errors = ocds.validation_errors({**package, "releases": [bad]})
    assert sorted(errors) == [
        "releases/0/bids/details/0/status: 'accepted' is not one of "
        "['invited', 'pending', 'valid', 'disqualified', 'withdrawn', None]",
        "releases/0/date: 'yesterday' is not a 'date-time'",
    ]


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        read_json(client.get(url))  # a streamed package runs its queries while it is read
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    ["/opendata/ocds/releases.json", "/opendata/ocds/records.json", "/opendata/360giving.json"],
)
def test_open_data_query_count_does_not_grow(cast: Cast, url: str) -> None:
    client = Client()
    full_cycle(cast)
    one = _count(client, url)
    full_cycle(cast)
    full_cycle(cast)
    assert Contract.objects.count() == 3
    assert _count(client, url) == one


def test_compiled_release_merges_in_date_order_not_text_order() -> None:
    """ "…:00Z" sorts after "…:00.5Z" as text, but it is the earlier moment."""
    later = {"ocid": "o", "id": "2", "date": "2025-01-01T00:00:00.500000Z", "tag": ["award"]}
    earlier = {"ocid": "o", "id": "1", "date": "2025-01-01T00:00:00Z", "tag": ["tender"]}
    compiled = ocds.compiled_release([{**later, "title": "after"}, {**earlier, "title": "before"}])
    assert compiled["title"] == "after"
    assert compiled["date"] == later["date"]


def test_large_packages_are_validated_in_batches_with_unique_ids(cast: Cast) -> None:
    full_cycle(cast)
    package = ocds.release_package(ocds.competitions_for_ocds(), uri="https://x")
    assert ocds.release_package_errors(package, batch=2) == []
    releases = package["releases"]
    bad = {**releases[4], "date": "soon"}
    broken = {**package, "releases": [*releases[:4], bad, releases[0]], "uri": "not a uri"}
    assert ocds.release_package_errors(broken, batch=2) == [
        "uri: 'not a uri' is not a 'uri'",
        "releases/4/date: 'soon' is not a 'date-time'",
        f"releases/5: release id {releases[0]['id']} of {releases[0]['ocid']} is repeated",
    ]
