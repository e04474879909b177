"""360Giving: grants with a contract in force and awards on their published decision, as a
data package that validates against the official schemas; nothing confidential; the state
social order stays out (it is procurement)."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from ortaq.funding.enums import ContractStatus, ProgrammeKind
from ortaq.funding.models import Contract, Programme
from ortaq.funding.opendata import giving360, ocds
from tests.access import Cast

from . import factories as f
from .test_ocds_contracts import SECRETS, full_cycle, published_with_bids

pytestmark = pytest.mark.django_db


def _package(client: Client) -> dict[str, Any]:
    response = client.get("/opendata/360giving.json")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert giving360.validation_errors(data) == []
    return data


def test_grant_of_a_contract_in_force(cast: Cast, client: Client) -> None:
    contract = full_cycle(cast)
    application = contract.application
    comp = application.lot.competition
    ngo = cast.objects["own_ngo"]
    body = cast.objects["state_body"]
    assert contract.region == ngo.region == body.region
    kyzylorda = {
        "id": f"KATO-{body.region.kato}",
        "name": "Кызылординская область",
        "geoCode": "430000000",
        "geoCodeType": "KATO",
        "countryCode": "KZ",
    }
    data = _package(client)
    assert data["version"] == "1.4"
    assert data["downloadURL"] == "http://testserver/opendata/360giving.json"
    (grant,) = data["grants"]
    advance, second, _final = contract.tranches.order_by("number")
    assert grant["dateModified"] == ocds.iso_datetime(second.released_at)
    assert grant == {
        "id": f"360G-ortaq-{application.pk}",
        "title": contract.title,
        "description": "Молодёжный центр в Кызылорде",
        "currency": "KZT",
        "amountAwarded": 5_000_000,
        "amountAppliedFor": 5_000_000,
        "amountDisbursed": 1_500_000 + 2_000_000,
        "awardDate": contract.signed_on.isoformat(),  # type: ignore[union-attr]
        "plannedDates": [
            {
                "startDate": contract.start_date.isoformat(),
                "endDate": contract.end_date.isoformat(),
                "duration": 6,
            }
        ],
        "disbursementTransaction": [
            {
                "id": f"360G-ortaq-{application.pk}-tranche-{t.number}",
                "transactionDate": timezone.localdate(t.released_at).isoformat(),
                "currency": "KZT",
                "value": t.amount,
            }
            for t in (advance, second)
        ],
        "recipientOrganization": [
            {
                "id": f"KZ-BIN-{ngo.bin}",
                "name": ngo.name_ru,
                "addressRegion": ngo.region.name_ru,
                "location": [kyzylorda],
                "addressCountry": "Kazakhstan",
            }
        ],
        "fundingOrganization": [
            {
                "id": f"KZ-BIN-{body.bin}",
                "name": body.name_ru,
                "addressRegion": body.region.name_ru,
                "location": [kyzylorda],
                "addressCountry": "Kazakhstan",
            }
        ],
        "beneficiaryLocation": [kyzylorda],
        "grantProgramme": [
            {"code": f"programme-{comp.programme_id}", "title": "Гранты"},
        ],
        "fromOpenCall": "Yes",
        "classifications": [
            {
                "vocabulary": "ortaq-activity-area",
                "code": application.lot.area.code,
                "title": application.lot.area.name_ru,
            }
        ],
        "dataSource": f"http://testserver/ru/funding/competitions/{comp.pk}/results/",
        "dateModified": ocds.iso_datetime(second.released_at),
    }
    text = json.dumps(data, ensure_ascii=False)
    for secret in SECRETS:
        assert secret not in text


def test_recipient_as_its_public_profile_shows_it(cast: Cast) -> None:
    contract = full_cycle(cast)
    profile = contract.application.ngo
    profile.address = "ул. Абая, 1"
    profile.district = "Кызылорда"
    profile.website = "https://ngo.example.kz"
    profile.save()
    (grant,) = giving360.package(
        giving360.grants_for_360giving(), uri="https://x/360giving.json", site="https://x"
    )["grants"]
    recipient = grant["recipientOrganization"][0]
    assert {k: recipient[k] for k in ("streetAddress", "addressLocality", "url")} == {
        "streetAddress": "ул. Абая, 1",
        "addressLocality": "Кызылорда",
        "url": "https://ngo.example.kz",
    }
    assert "email" not in recipient
    assert "telephone" not in recipient


def test_award_is_a_grant_on_its_published_decision(cast: Cast, client: Client) -> None:
    comp, apps = published_with_bids(cast, kind=ProgrammeKind.AWARD)
    funded = apps["funded"]
    data = _package(client)
    (grant,) = data["grants"]
    assert grant["id"] == f"360G-ortaq-{funded.pk}"
    assert grant["title"] == funded.title
    assert grant["description"] == funded.lot.title_ru
    assert grant["amountAwarded"] == funded.decision_line.amount
    assert grant["awardDate"] == timezone.localdate(comp.published_at).isoformat()
    assert "amountDisbursed" not in grant
    assert "plannedDates" not in grant
    assert grant["beneficiaryLocation"][0]["geoCode"] == funded.region.kato
    text = json.dumps(data, ensure_ascii=False)
    for secret in SECRETS:
        assert secret not in text


def test_only_grants_in_force_and_never_the_social_order(cast: Cast, client: Client) -> None:
    draft = f.contract(cast, status=ContractStatus.DRAFT)
    _comp, without_contract = f.published(cast)
    social = f.contract(cast)
    Programme.objects.filter(pk=social.application.lot.competition.programme_id).update(
        kind=ProgrammeKind.SOCIAL_ORDER
    )
    closed = f.contract(cast, status=ContractStatus.TERMINATED)
    data = _package(client)
    assert [g["id"] for g in data["grants"]] == [f"360G-ortaq-{closed.application_id}"]
    assert draft.application_id != without_contract.pk


def test_national_project_benefits_the_country(cast: Cast, client: Client) -> None:
    contract = full_cycle(cast)
    Contract.objects.filter(pk=contract.pk).update(region=None)
    (grant,) = _package(client)["grants"]
    assert grant["beneficiaryLocation"] == [{"name": "Республика Казахстан", "countryCode": "KZ"}]


def test_prefix_is_a_setting(cast: Cast, settings: Any) -> None:
    settings.GIVING360_PREFIX = "360G-test"
    contract = full_cycle(cast)
    (grant,) = giving360.package(
        giving360.grants_for_360giving(), uri="https://x/360giving.json", site="https://x"
    )["grants"]
    assert grant["id"] == f"360G-test-{contract.application_id}"


def test_no_grant_yet_gives_an_empty_list(client: Client) -> None:
    data = client.get("/opendata/360giving.json").json()
    assert data["grants"] == []
    # The standard wants at least one grant in a package: an empty one says so.
    assert giving360.validation_errors(data) == ["grants: [] should be non-empty"]


def test_validation_resolves_the_grant_schema_offline_and_checks_it() -> None:
    package = {
        "grants": [
            {
                "id": "360G-ortaq-1",
                "title": "t",
                "description": "d",
                "currency": "KZT",
                "amountAwarded": 1,
                "awardDate": "2025-13-01",
                "recipientOrganization": [{"id": "KZ-BIN-1", "name": "n"}],
                "fundingOrganization": [{"id": "KZ-BIN-2"}],
                "dateModified": "2025-01-01",
            }
        ]
    }
    errors = giving360.validation_errors(package)
    assert errors != []
    assert any("fundingOrganization/0: 'name' is a required property" in e for e in errors)
    assert any(e.startswith("grants/0/awardDate:") for e in errors)
    assert any(e.startswith("grants/0/dateModified:") for e in errors)


def test_export_command_writes_a_valid_package(cast: Cast, tmp_path: Any) -> None:
    full_cycle(cast)
    full_cycle(cast)
    path = tmp_path / "360.json"
    call_command("export_360giving", output=str(path), validate=True, stdout=io.StringIO())
    data = json.loads(path.read_text(encoding="utf-8"))
    assert giving360.validation_errors(data) == []
    assert len(data["grants"]) == 2
    assert data["downloadURL"] == "https://ortaq.kz/opendata/360giving.json"
