"""Open Contracting Data Standard 1.1 releases and records of the competitions.

One contracting process (ocid `<OCDS_PREFIX>-c<id>`) per competition:

- a `tender` release at the announcement: the buyer, `planning` (programme and budget),
  the lots as `tender.items` (the core schema has no lots; each lot's ceiling is its unit
  value) and the application period;
- a `tenderCancellation` release when the competition is cancelled;
- an `award` release when the results are published: one award per funded application, the
  applicants as `tender.tenderers` with `numberOfTenderers` (the bid extension is not part of
  the core schema, so bids are summarised this way).

Only public facts go out: no drafts, no individual scores, no budget lines, no attachments,
no team members. Applicants are named only once results are published, so a blind review is
not undone by the open data. Contracts are added by the contracts module.

Schemas live in `schemas/` (copied from the official 1.1.5 release); validation resolves
their `$ref`s locally, never over the network.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from ortaq.accounts.models import Organisation

from .enums import ApplicationStatus, CompetitionStatus, DecisionStatus, ProgrammeKind
from .models import Application, Competition, Lot

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
VERSION = "1.1"
CURRENCY = "KZT"
PUBLISHER = {"name": "Ortaq", "scheme": "KZ-BIN", "uri": "https://ortaq.kz"}
LICENSE = "https://creativecommons.org/licenses/by/4.0/"

TENDER_STATUS = {
    CompetitionStatus.ANNOUNCED: "active",
    CompetitionStatus.COMPLIANCE: "active",
    CompetitionStatus.EVALUATION: "active",
    CompetitionStatus.DECISION: "active",
    CompetitionStatus.PUBLISHED: "complete",
    CompetitionStatus.CANCELLED: "cancelled",
}
CATEGORY = {
    ProgrammeKind.SOCIAL_ORDER: "services",
    ProgrammeKind.STATE_GRANT: "services",
    ProgrammeKind.NON_STATE_GRANT: "services",
    ProgrammeKind.AWARD: "services",
}


def ocid(competition: Competition) -> str:
    return f"{settings.OCDS_PREFIX}-c{competition.pk}"


def _date(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def party_id(organisation: Organisation) -> str:
    return f"KZ-BIN-{organisation.bin}" if organisation.bin else f"ortaq-org-{organisation.pk}"


def _party(organisation: Organisation, roles: list[str]) -> dict[str, Any]:
    party: dict[str, Any] = {
        "id": party_id(organisation),
        "name": organisation.name_ru or organisation.name_kk,
        "roles": roles,
    }
    if organisation.bin:
        party["identifier"] = {
            "scheme": "KZ-BIN",
            "id": organisation.bin,
            "legalName": organisation.name_ru or organisation.name_kk,
        }
    if organisation.region is not None:
        party["address"] = {"region": organisation.region.name_ru, "countryName": "Kazakhstan"}
    return party


def _ref(organisation: Organisation) -> dict[str, str]:
    return {"id": party_id(organisation), "name": organisation.name_ru or organisation.name_kk}


def _value(amount: int) -> dict[str, Any]:
    return {"amount": amount, "currency": CURRENCY}


def _item(lot: Lot) -> dict[str, Any]:
    return {
        "id": f"lot-{lot.number}",
        "description": lot.title_ru or lot.title_kk,
        "classification": {
            "scheme": "ortaq-activity-area",
            "id": lot.area.code,
            "description": lot.area.name_ru,
        },
        "quantity": 1,
        "unit": {
            "name": lot.region.name_ru if lot.region else "Республика Казахстан",
            "value": _value(lot.budget_ceiling),
        },
    }


def competitions_for_ocds() -> QuerySet[Competition]:
    """Every competition that has been announced, with what the releases need."""
    return (
        Competition.objects.filter(announced_at__isnull=False)
        .select_related("programme", "organiser__region", "decision")
        .prefetch_related(
            Prefetch("lots", queryset=Lot.objects.select_related("area", "region")),
            Prefetch(
                "lots__applications",
                queryset=Application.objects.filter(
                    status__in=[ApplicationStatus.FUNDED, ApplicationStatus.NOT_FUNDED]
                ).select_related("ngo__organisation__region", "decision_line"),
                to_attr="decided",
            ),
        )
        .order_by("pk")
    )


def _base(competition: Competition, *, tag: str, date: dt.datetime | None) -> dict[str, Any]:
    return {
        "ocid": ocid(competition),
        "id": f"{ocid(competition)}-{tag}",
        "date": _date(date),
        "tag": [tag],
        "initiationType": "tender",
        "language": "ru",
    }


def _tender(competition: Competition, lots: list[Lot], *, status: str) -> dict[str, Any]:
    programme = competition.programme
    tender: dict[str, Any] = {
        "id": f"competition-{competition.pk}",
        "title": competition.title_ru or competition.title_kk,
        "description": competition.description_ru or competition.description_kk,
        "status": status,
        "procuringEntity": _ref(competition.organiser),
        "items": [_item(lot) for lot in lots],
        "value": _value(sum(lot.budget_ceiling for lot in lots)),
        "procurementMethod": "open",
        "procurementMethodDetails": programme.get_kind_display(),
        "mainProcurementCategory": CATEGORY[ProgrammeKind(programme.kind)],
        "awardCriteria": "ratedCriteria",
        "submissionMethod": ["electronicSubmission"],
        "tenderPeriod": {
            "startDate": _date(competition.announced_at),
            "endDate": _date(competition.application_deadline),
        },
    }
    return tender


def _planning(competition: Competition) -> dict[str, Any]:
    programme = competition.programme
    return {
        "rationale": programme.title_ru or programme.title_kk,
        "budget": {
            "id": f"programme-{programme.pk}",
            "description": f"{programme.get_kind_display()} {programme.year}",
            "amount": _value(programme.budget),
        },
    }


def releases_of(competition: Competition) -> list[dict[str, Any]]:
    """The releases of one competition, oldest first."""
    lots = list(competition.lots.all())
    buyer = _party(competition.organiser, ["buyer", "procuringEntity"])
    tender_release = _base(competition, tag="tender", date=competition.announced_at)
    tender_release.update(
        {
            "parties": [buyer],
            "buyer": _ref(competition.organiser),
            "planning": _planning(competition),
            "tender": _tender(competition, lots, status="active"),
        }
    )
    releases = [tender_release]
    if competition.status == CompetitionStatus.CANCELLED:
        last = competition.status_changes.order_by("-created_at").first()
        cancelled = _base(
            competition,
            tag="tenderCancellation",
            date=last.created_at if last else competition.announced_at,
        )
        cancelled.update(
            {
                "parties": [buyer],
                "buyer": _ref(competition.organiser),
                "tender": _tender(competition, lots, status="cancelled"),
            }
        )
        releases.append(cancelled)
    decision = getattr(competition, "decision", None)
    if (
        competition.status == CompetitionStatus.PUBLISHED
        and decision is not None
        and decision.status == DecisionStatus.PUBLISHED
    ):
        releases.append(_award_release(competition, lots, buyer))
    return releases


def _award_release(
    competition: Competition, lots: list[Lot], buyer: dict[str, Any]
) -> dict[str, Any]:
    parties = {buyer["id"]: buyer}
    tenderers: dict[str, dict[str, str]] = {}
    awards = []
    for lot in lots:
        for application in getattr(lot, "decided", []):
            organisation = application.ngo.organisation
            pid = party_id(organisation)
            tenderers[pid] = _ref(organisation)
            roles = ["tenderer"]
            if application.status == ApplicationStatus.FUNDED:
                roles.append("supplier")
                line = application.decision_line
                awards.append(
                    {
                        "id": f"award-{application.pk}",
                        "title": application.title,
                        "status": "active",
                        "date": _date(competition.published_at),
                        "value": _value(line.amount),
                        "suppliers": [_ref(organisation)],
                        "items": [_item(lot)],
                    }
                )
            existing = parties.get(pid)
            if existing:
                existing["roles"] = sorted(set(existing["roles"]) | set(roles))
            else:
                parties[pid] = _party(organisation, roles)
    tender = _tender(competition, lots, status="complete")
    tender["numberOfTenderers"] = len(tenderers)
    tender["tenderers"] = sorted(tenderers.values(), key=lambda r: r["id"])
    tender["awardPeriod"] = {"endDate": _date(competition.published_at)}
    release = _base(competition, tag="award", date=competition.published_at)
    release.update(
        {
            "parties": sorted(parties.values(), key=lambda p: p["id"]),
            "buyer": _ref(competition.organiser),
            "tender": tender,
            "awards": awards,
        }
    )
    return release


def compiled_release(releases: list[dict[str, Any]]) -> dict[str, Any]:
    """The current state: each later release carries the full state of what it describes."""
    compiled: dict[str, Any] = {}
    for release in releases:
        for key, value in release.items():
            if key == "tag":
                continue
            compiled[key] = value
    compiled["id"] = f"{releases[-1]['ocid']}-compiled"
    compiled["tag"] = ["compiled"]
    return compiled


def _package_meta(uri: str) -> dict[str, Any]:
    return {
        "uri": uri,
        "version": VERSION,
        "publishedDate": _date(timezone.now()),
        "publisher": PUBLISHER,
        "license": LICENSE,
        "publicationPolicy": "https://ortaq.kz/opendata/",
    }


def release_package(competitions: Iterable[Competition], *, uri: str) -> dict[str, Any]:
    releases = [r for c in competitions for r in releases_of(c)]
    return {**_package_meta(uri), "releases": releases}


def record_package(competitions: Iterable[Competition], *, uri: str) -> dict[str, Any]:
    records = []
    for competition in competitions:
        releases = releases_of(competition)
        records.append(
            {
                "ocid": ocid(competition),
                "releases": [
                    {"url": f"{uri}#{r['id']}", "date": r["date"], "tag": r["tag"]}
                    for r in releases
                ],
                "compiledRelease": compiled_release(releases),
            }
        )
    return {**_package_meta(uri), "records": records}


def iter_release_package_json(competitions: Iterator[Competition], *, uri: str) -> Iterator[str]:
    """The release package as JSON text in pieces, one competition at a time (for exports)."""
    meta = json.dumps(_package_meta(uri), ensure_ascii=False)
    yield meta[:-1] + ', "releases": ['
    first = True
    for competition in competitions:
        for release in releases_of(competition):
            yield ("" if first else ",") + json.dumps(release, ensure_ascii=False)
            first = False
    yield "]}"


# --- Validation -------------------------------------------------------------------------------


@cache
def _registry() -> Registry:
    resources = []
    for path in SCHEMA_DIR.glob("*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append(
            (schema["id"], Resource.from_contents(schema, default_specification=DRAFT4))
        )
    return Registry().with_resources(resources)


@cache
def _validator(name: str) -> Draft4Validator:
    schema = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    return Draft4Validator(schema, registry=_registry())


def validation_errors(package: dict[str, Any], *, kind: str = "release") -> list[str]:
    """Every error of the package against the official schema, as readable lines."""
    validator = _validator(f"{kind}-package-schema.json")
    return [
        f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in validator.iter_errors(package)
    ]
