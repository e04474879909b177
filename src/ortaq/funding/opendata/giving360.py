"""360Giving data (standard 1.4) of the grants and awards made through the platform.

A grant is a funded application of a state grant, non-state grant or award programme (the
state social order is procurement: it is published in OCDS only):

- grants (state and non-state) once their contract is in force (`PUBLIC_CONTRACT_STATUSES`):
  the contract's amount, dates, region, public summary and the tranches released so far
  (`amountDisbursed`, `disbursementTransaction`);
- awards (premiums) once the decision is published, with or without a contract: an award is
  paid on the published decision, so the decision's amount and date stand until a contract
  in force says otherwise.

The grant id is `<GIVING360_PREFIX>-<application id>`, so it stays the same when a contract
follows the decision. Organisations are `KZ-BIN-<bin>` (org-id.guide); places are regions with
their KATO code (`geoCodeType` "KATO"); a national project's beneficiary location is the
country. Nothing internal goes out: no application texts, budget lines, scores, reports or
payment orders.

The official schemas are copied in `schemas/360giving/`; the package schema's `$ref` to the
grant schema is resolved to the local copy, never over the network.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from ortaq.accounts.models import Organisation
from ortaq.reference.models import Region
from ortaq.registry.models import NgoProfile

from ..enums import (
    PUBLIC_CONTRACT_STATUSES,
    ApplicationStatus,
    CompetitionStatus,
    DecisionStatus,
    ProgrammeKind,
    TrancheStatus,
)
from ..models import Application, Contract, Tranche
from . import ocds

SCHEMA_DIR = ocds.SCHEMA_DIR / "360giving"
VERSION = "1.4"
CURRENCY = "KZT"
GRANT_KINDS = (ProgrammeKind.STATE_GRANT, ProgrammeKind.NON_STATE_GRANT, ProgrammeKind.AWARD)
COUNTRY = {"name": "Республика Казахстан", "countryCode": "KZ"}


def grant_id(application: Application) -> str:
    return f"{settings.GIVING360_PREFIX}-{application.pk}"


def organisation_id(organisation: Organisation) -> str:
    """org-id.guide's `KZ-BIN`; an organisation without a BIN gets an id under our prefix."""
    if organisation.bin:
        return f"KZ-BIN-{organisation.bin}"
    return f"{settings.GIVING360_PREFIX}-org-{organisation.pk}"


def grants_for_360giving() -> QuerySet[Application]:
    """Funded applications of grant and award programmes whose results are published, with a
    contract in force (an award may have none)."""
    in_force = Contract.objects.filter(status__in=PUBLIC_CONTRACT_STATUSES).prefetch_related(
        Prefetch(
            "tranches",
            queryset=Tranche.objects.filter(status=TrancheStatus.RELEASED).order_by("number"),
        )
    )
    return (
        Application.objects.filter(
            status=ApplicationStatus.FUNDED,
            lot__competition__programme__kind__in=GRANT_KINDS,
            lot__competition__status=CompetitionStatus.PUBLISHED,
            lot__competition__decision__status=DecisionStatus.PUBLISHED,
        )
        .filter(
            Q(contract__status__in=PUBLIC_CONTRACT_STATUSES)
            | Q(lot__competition__programme__kind=ProgrammeKind.AWARD)
        )
        .defer("description", "team", "target_group")
        .select_related(
            "ngo__organisation__region",
            "region",
            "decision_line",
            "lot__area",
            "lot__competition__programme__owner__region",
        )
        .prefetch_related(Prefetch("contract", queryset=in_force.select_related("region")))
        .order_by("pk")
    )


def _location(region: Region) -> dict[str, Any]:
    return {
        "id": f"KATO-{region.kato}",
        "name": region.name_ru,
        "geoCode": region.kato,
        "geoCodeType": "KATO",
        "countryCode": "KZ",
    }


def _organisation(organisation: Organisation, ngo: NgoProfile | None = None) -> dict[str, Any]:
    """The organisation as its public profile shows it."""
    entry: dict[str, Any] = {
        "id": organisation_id(organisation),
        "name": ocds.organisation_name(organisation),
    }
    if ngo is not None:
        if ngo.address:
            entry["streetAddress"] = ngo.address
        if ngo.district:
            entry["addressLocality"] = ngo.district
        if ngo.website:
            entry["url"] = ngo.website
    if organisation.region is not None:
        entry["addressRegion"] = organisation.region.name_ru
        entry["location"] = [_location(organisation.region)]
    entry["addressCountry"] = "Kazakhstan"
    return entry


def _months(start: dt.date, end: dt.date) -> int:
    return max(1, round(((end - start).days + 1) / 30.4375))


def _day(value: dt.datetime) -> str:
    return timezone.localdate(value).isoformat()


def grant(application: Application, *, site: str) -> dict[str, Any]:
    """One grant of the 360Giving standard."""
    lot = application.lot
    competition = lot.competition
    programme = competition.programme
    contract = ocds.public_contract(application)
    assert competition.published_at is not None
    organisation = application.ngo.organisation
    region = contract.region if contract is not None else application.region
    modified = [competition.published_at]
    with translation.override("ru"):
        results = reverse("funding:competition_results", args=[competition.pk])
    entry: dict[str, Any] = {
        "id": grant_id(application),
        "title": contract.title if contract is not None else application.title,
        "description": (contract.public_summary if contract is not None else "")
        or lot.title_ru
        or lot.title_kk,
        "currency": CURRENCY,
        "amountAwarded": contract.amount
        if contract is not None
        else application.decision_line.amount,
    }
    if application.requested_amount:
        entry["amountAppliedFor"] = application.requested_amount
    if contract is not None:
        released = list(contract.tranches.all())
        entry["amountDisbursed"] = sum(t.amount for t in released)
        entry["awardDate"] = (contract.signed_on or contract.start_date).isoformat()
        entry["plannedDates"] = [
            {
                "startDate": contract.start_date.isoformat(),
                "endDate": contract.end_date.isoformat(),
                "duration": _months(contract.start_date, contract.end_date),
            }
        ]
        if released:
            entry["disbursementTransaction"] = [
                {
                    "id": f"{grant_id(application)}-tranche-{t.number}",
                    "transactionDate": _day(t.released_at),  # type: ignore[arg-type]
                    "currency": CURRENCY,
                    "value": t.amount,
                }
                for t in released
            ]
        modified += [contract.created_at, *(t.released_at for t in released if t.released_at)]
    else:
        entry["awardDate"] = _day(competition.published_at)
    entry.update(
        {
            "recipientOrganization": [_organisation(organisation, application.ngo)],
            "fundingOrganization": [_organisation(programme.owner)],
            "beneficiaryLocation": [_location(region) if region is not None else COUNTRY],
            "grantProgramme": [
                {
                    "code": f"programme-{programme.pk}",
                    "title": programme.title_ru or programme.title_kk,
                }
            ],
            "fromOpenCall": "Yes",
            "classifications": [
                {
                    "vocabulary": "ortaq-activity-area",
                    "code": lot.area.code,
                    "title": lot.area.name_ru,
                }
            ],
            "dataSource": f"{site}{results}",
            "dateModified": ocds.iso_datetime(max(modified)),
        }
    )
    return entry


def _package_meta(*, uri: str, site: str) -> dict[str, Any]:
    now = timezone.now()
    return {
        "version": VERSION,
        "title": "Ortaq: grants and awards to NGOs of Kazakhstan",
        "description": "State grants, non-state grants and awards made through Ortaq.",
        "identifier": f"{settings.GIVING360_PREFIX}-grants",
        "issued": ocds.iso_datetime(now),
        "modified": ocds.iso_datetime(now),
        "publisher": {"name": "Ortaq", "website": site},
        "license": ocds.LICENSE,
        "accessURL": f"{site}/opendata/",
        "downloadURL": uri,
    }


def package(applications: Iterable[Application], *, uri: str, site: str) -> dict[str, Any]:
    grants = [grant(a, site=site) for a in applications]
    return {**_package_meta(uri=uri, site=site), "grants": grants}


def iter_package_json(applications: Iterator[Application], *, uri: str, site: str) -> Iterator[str]:
    """The package as JSON text in pieces, one grant at a time (for exports)."""
    meta = json.dumps(_package_meta(uri=uri, site=site), ensure_ascii=False)
    yield meta[:-1] + ', "grants": ['
    first = True
    for application in applications:
        yield ("" if first else ",") + json.dumps(grant(application, site=site), ensure_ascii=False)
        first = False
    yield "]}"


# --- Validation -------------------------------------------------------------------------------


@cache
def _validator() -> Draft202012Validator:
    package_schema = json.loads(
        (SCHEMA_DIR / "360-giving-package-schema.json").read_text(encoding="utf-8")
    )
    grant_schema = json.loads((SCHEMA_DIR / "360-giving-schema.json").read_text(encoding="utf-8"))
    # The schemas name their dialect "http://json-schema.org/draft/2020-12/schema" (not the
    # https address the libraries know): say which it is.
    grant_resource = DRAFT202012.create_resource(grant_schema)
    # The package names the grant schema by an older address than the grant schema's own $id.
    addresses = {grant_schema["$id"], package_schema["properties"]["grants"]["items"]["$ref"]}
    registry = Registry().with_resources((address, grant_resource) for address in addresses)
    return Draft202012Validator(
        package_schema, registry=registry, format_checker=ocds.format_checker()
    )


def validation_errors(data: dict[str, Any]) -> list[str]:
    """Every error of the package against the official 360Giving schemas, as readable lines."""
    return [
        f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in _validator().iter_errors(data)
    ]
