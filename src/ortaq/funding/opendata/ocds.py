"""Open Contracting Data Standard 1.1 releases and records of the competitions.

One contracting process (ocid `<OCDS_PREFIX>-c<id>`) per competition, one release per event,
oldest first:

- `tender` at the announcement: the buyer, `planning` (programme and budget), the lots as
  `tender.items` (the core schema has no lots; each lot's ceiling is its unit value) and the
  application period;
- `tenderCancellation` when the competition is cancelled;
- `award` when the results are published: one award per funded application and, by the bid
  extension (`ocds_bid_extension` v1.1.5), every sent application as a bid with its status
  (`BID_STATUS`), date, applicant and requested amount, plus summary statistics;
- for each contract in force (`PUBLIC_CONTRACT_STATUSES`) whose award was published:
  `contract` when it is signed (period, value, the reports and tranches as scheduled
  implementation milestones), `implementation` when a report is approved (milestone met), when
  a report is overdue (milestone not met) and when a tranche is released (a transaction and its
  payment milestone met), and `contractTermination` when it is completed or terminated.

Reports are *implementation* milestones (`contracts[].implementation.milestones`): the core
schema keeps `contracts[].milestones` for the finalisation of the contract itself.

Only public facts go out: no drafts, no individual scores, no budget lines, no compliance
reasons, no report texts or review comments, no attachments, no team members, no payment
orders. Applicants are named only once results are published, so a blind review is not undone
by the open data.

A compiled release merges the releases as the OCDS merge routine does: objects field by field,
arrays of objects by `id`, anything else replaced. A party's roles only grow from one release
to the next, so the compiled release keeps all of them.

Schemas live in `schemas/` (copied from the official 1.1.5 release, and the bid extension's
patch in `schemas/extensions/bids/`); validation resolves their `$ref`s locally and applies the
extension as a JSON Merge Patch (RFC 7386), never over the network.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import zoneinfo
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from ortaq.accounts.models import Organisation

from ..enums import (
    PUBLIC_CONTRACT_STATUSES,
    ApplicationStatus,
    CompetitionStatus,
    ContractStatus,
    DecisionStatus,
    ProgrammeKind,
    ProjectReportStatus,
    TrancheStatus,
)
from ..models import (
    Application,
    Competition,
    CompetitionStatusChange,
    Contract,
    ContractStatusChange,
    Lot,
    Report,
    Tranche,
)

# The schemas stay in funding/schemas/ (package data of the app), one level up from opendata/.
SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
VERSION = "1.1"
CURRENCY = "KZT"
PUBLISHER = {"name": "Ortaq", "scheme": "KZ-BIN", "uri": "https://ortaq.kz"}
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
BIDS_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/"
    "ocds_bid_extension/v1.1.5/extension.json"
)
# Declared extensions and the directory holding each one's copy of its release-schema patch.
EXTENSIONS = {BIDS_EXTENSION: SCHEMA_DIR / "extensions" / "bids"}

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
# An application as a bid (the extension's closed bidStatus codelist). Drafts are never bids;
# the reasons of a failed compliance check stay internal: "disqualified" is all that is said.
BID_STATUS = {
    ApplicationStatus.SUBMITTED: "pending",
    ApplicationStatus.WITHDRAWN: "withdrawn",
    ApplicationStatus.COMPLIANT: "valid",
    ApplicationStatus.NON_COMPLIANT: "disqualified",
    ApplicationStatus.FUNDED: "valid",
    ApplicationStatus.NOT_FUNDED: "valid",
}
BID_STATUSES = frozenset(BID_STATUS)
# Completion and early termination both close a contract: the codelist has only "terminated".
CONTRACT_STATUS = {
    ContractStatus.ACTIVE: "active",
    ContractStatus.COMPLETED: "terminated",
    ContractStatus.TERMINATED: "terminated",
}


def ocid(competition: Competition) -> str:
    return f"{settings.OCDS_PREFIX}-c{competition.pk}"


def iso_datetime(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _day_start(day: dt.date, zone: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=zoneinfo.ZoneInfo(zone))


def _day_end(day: dt.date, zone: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=zoneinfo.ZoneInfo(zone))


def party_id(organisation: Organisation) -> str:
    return f"KZ-BIN-{organisation.bin}" if organisation.bin else f"ortaq-org-{organisation.pk}"


def organisation_name(organisation: Organisation) -> str:
    return organisation.name_ru or organisation.name_kk


def _party(organisation: Organisation, roles: list[str]) -> dict[str, Any]:
    party: dict[str, Any] = {
        "id": party_id(organisation),
        "name": organisation_name(organisation),
        "roles": roles,
    }
    if organisation.bin:
        party["identifier"] = {
            "scheme": "KZ-BIN",
            "id": organisation.bin,
            "legalName": organisation_name(organisation),
        }
    if organisation.region is not None:
        party["address"] = {"region": organisation.region.name_ru, "countryName": "Kazakhstan"}
    return party


def _ref(organisation: Organisation) -> dict[str, str]:
    return {"id": party_id(organisation), "name": organisation_name(organisation)}


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


def public_contracts() -> QuerySet[Contract]:
    """Contracts in force or closed, with their tranches, reports (dates and status only) and
    status changes."""
    return (
        Contract.objects.filter(status__in=PUBLIC_CONTRACT_STATUSES)
        .select_related("organiser__region")
        .prefetch_related(
            Prefetch("tranches", queryset=Tranche.objects.order_by("number")),
            Prefetch(
                "reports",
                queryset=Report.objects.only(
                    "id", "contract_id", "number", "kind", "due_date", "status", "reviewed_at"
                ).order_by("number"),
            ),
            Prefetch(
                "status_changes", queryset=ContractStatusChange.objects.order_by("created_at", "id")
            ),
        )
    )


APPLICATION_FIELDS = (
    "lot",
    "status",
    "title",
    "requested_amount",
    "submitted_at",
    "ngo__organisation__bin",
    "ngo__organisation__name_ru",
    "ngo__organisation__name_kk",
    "ngo__organisation__region__name_ru",
    "decision_line__amount",
)


def public_contract(application: Application) -> Contract | None:
    """The application's contract if the public may see it (prefetched by the querysets
    below; an application without one, or with a draft, has none)."""
    contract: Contract | None = getattr(application, "contract", None)
    if contract is None or contract.status not in PUBLIC_CONTRACT_STATUSES:
        return None
    return contract


def competitions_for_ocds() -> QuerySet[Competition]:
    """Every competition that has been announced, with what the releases need."""
    return (
        Competition.objects.filter(announced_at__isnull=False)
        .select_related("programme", "organiser__region", "decision")
        .prefetch_related(
            Prefetch(
                "status_changes",
                queryset=CompetitionStatusChange.objects.filter(
                    to_status=CompetitionStatus.CANCELLED
                ).order_by("created_at", "id"),
                to_attr="cancellations",
            ),
            Prefetch("lots", queryset=Lot.objects.select_related("area", "region")),
            Prefetch(
                "lots__applications",
                queryset=Application.objects.filter(status__in=BID_STATUSES)
                .select_related("ngo__organisation__region", "decision_line")
                # A national competition holds thousands of applications: only what goes out.
                .only(*APPLICATION_FIELDS)
                .prefetch_related(
                    # Not a to_attr: Django would then fetch each contract again to reach
                    # its own prefetched tranches and reports.
                    Prefetch("contract", queryset=public_contracts())
                )
                .order_by("pk"),
                to_attr="sent",
            ),
        )
        .order_by("pk")
    )


class _Parties:
    """The parties of one contracting process. A party's roles only grow from one release to
    the next, so the last release naming a party carries all its roles."""

    def __init__(self) -> None:
        self._roles: dict[str, set[str]] = {}

    def of(self, entries: Iterable[tuple[Organisation, Iterable[str]]]) -> list[dict[str, Any]]:
        named: dict[str, Organisation] = {}
        for organisation, roles in entries:
            pid = party_id(organisation)
            self._roles.setdefault(pid, set()).update(roles)
            named[pid] = organisation
        return [_party(named[pid], sorted(self._roles[pid])) for pid in sorted(named)]


def _base(
    competition: Competition, *, tag: str, date: dt.datetime | None, key: str | None = None
) -> dict[str, Any]:
    return {
        "ocid": ocid(competition),
        "id": f"{ocid(competition)}-{key or tag}",
        "date": iso_datetime(date),
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
            "startDate": iso_datetime(competition.announced_at),
            "endDate": iso_datetime(competition.application_deadline),
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


def _results_published(competition: Competition) -> bool:
    decision = getattr(competition, "decision", None)
    return (
        competition.status == CompetitionStatus.PUBLISHED
        and decision is not None
        and decision.status == DecisionStatus.PUBLISHED
    )


def releases_of(
    competition: Competition, *, now: dt.datetime | None = None
) -> list[dict[str, Any]]:
    """The releases of one competition, oldest first."""
    now = now or timezone.now()
    lots = list(competition.lots.all())
    buyer_roles = ["buyer", "procuringEntity"]
    tender_release = _base(competition, tag="tender", date=competition.announced_at)
    tender_release.update(
        {
            "parties": [(competition.organiser, buyer_roles)],
            "buyer": _ref(competition.organiser),
            "planning": _planning(competition),
            "tender": _tender(competition, lots, status="active"),
        }
    )
    releases = [tender_release]
    if competition.status == CompetitionStatus.CANCELLED:
        cancellations = getattr(competition, "cancellations", [])
        cancelled = _base(
            competition,
            tag="tenderCancellation",
            date=cancellations[-1].created_at if cancellations else competition.announced_at,
        )
        cancelled.update(
            {
                "parties": [(competition.organiser, buyer_roles)],
                "buyer": _ref(competition.organiser),
                "tender": _tender(competition, lots, status="cancelled"),
            }
        )
        releases.append(cancelled)
    if _results_published(competition):
        releases.append(_award_release(competition, lots))
        for lot in lots:
            for application in getattr(lot, "sent", []):
                contract = public_contract(application)
                if application.status == ApplicationStatus.FUNDED and contract is not None:
                    releases.extend(_contract_releases(competition, application, contract, now=now))
    # Each release names its parties with the roles it gives them; in date order, a party's
    # roles accumulate, so the last release naming it (the one the compiled release keeps)
    # carries all of them.
    releases.sort(key=_when)
    parties = _Parties()
    for release in releases:
        release["parties"] = parties.of(release["parties"])
    return releases


def _when(release: dict[str, Any]) -> dt.datetime:
    """A release's date as a moment (the text does not sort: microseconds may be left out)."""
    date = release["date"]
    return dt.datetime.fromisoformat(date) if date else dt.datetime.min.replace(tzinfo=dt.UTC)


def bid_status(status: str) -> str:
    """The bid extension's status of an application sent to the organiser."""
    return BID_STATUS[ApplicationStatus(status)]


def _bid(application: Application) -> dict[str, Any]:
    bid: dict[str, Any] = {
        "id": f"bid-{application.pk}",
        "date": iso_datetime(application.submitted_at),
        "status": bid_status(application.status),
        "tenderers": [_ref(application.ngo.organisation)],
    }
    if application.requested_amount:
        bid["value"] = _value(application.requested_amount)
    return bid


def _bid_statistics(details: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Counts over the bids that were not withdrawn (the codelist's "bids received")."""
    kept = [bid for bid in details if bid["status"] != "withdrawn"]
    counts = {
        "bids": len(kept),
        "validBids": sum(1 for bid in kept if bid["status"] == "valid"),
        "disqualifiedBids": sum(1 for bid in kept if bid["status"] == "disqualified"),
        "bidders": len({bid["tenderers"][0]["id"] for bid in kept}),
    }
    return [{"id": measure, "measure": measure, "value": n} for measure, n in counts.items()]


def _award_release(competition: Competition, lots: list[Lot]) -> dict[str, Any]:
    entries: list[tuple[Organisation, list[str]]] = [
        (competition.organiser, ["buyer", "procuringEntity"])
    ]
    tenderers: dict[str, dict[str, str]] = {}
    awards = []
    details = []
    for lot in lots:
        for application in getattr(lot, "sent", []):
            organisation = application.ngo.organisation
            details.append(_bid(application))
            roles = ["tenderer"]
            if application.status != ApplicationStatus.WITHDRAWN:
                tenderers[party_id(organisation)] = _ref(organisation)
            if application.status == ApplicationStatus.FUNDED:
                roles.append("supplier")
                awards.append(
                    {
                        "id": award_id(application),
                        "title": application.title,
                        "status": "active",
                        "date": iso_datetime(competition.published_at),
                        "value": _value(application.decision_line.amount),
                        "suppliers": [_ref(organisation)],
                        "items": [_item(lot)],
                        "relatedBid": f"bid-{application.pk}",
                    }
                )
            entries.append((organisation, roles))
    tender = _tender(competition, lots, status="complete")
    tender["numberOfTenderers"] = len(tenderers)
    tender["tenderers"] = sorted(tenderers.values(), key=lambda r: r["id"])
    tender["awardPeriod"] = {"endDate": iso_datetime(competition.published_at)}
    release = _base(competition, tag="award", date=competition.published_at)
    release.update(
        {
            "parties": entries,
            "buyer": _ref(competition.organiser),
            "tender": tender,
            "awards": awards,
        }
    )
    if details:
        release["bids"] = {"statistics": _bid_statistics(details), "details": details}
    return release


def award_id(application: Application) -> str:
    return f"award-{application.pk}"


def contract_id(contract: Contract) -> str:
    return f"contract-{contract.pk}"


@dataclass(frozen=True)
class _Event:
    """Something that happened to a contract: one release."""

    date: dt.datetime
    key: str
    change: dict[str, Any]
    payment: bool = False
    tag: str = "implementation"


def _signed_at(competition: Competition, contract: Contract) -> dt.datetime:
    """When the contract came into force here: its activation, else the start of the day it
    was signed; never before the results it rests on."""
    activation = next(
        (c.created_at for c in contract.status_changes.all() if c.to_status == "active"), None
    )
    day = contract.signed_on or contract.start_date
    signed = activation or _day_start(day, competition.time_zone)
    published = competition.published_at
    return max(signed, published) if published else signed


def _milestones(contract: Contract, zone: str) -> list[dict[str, Any]]:
    """The reports (reporting) and tranches (payment) as scheduled at the signature; titles in
    the language of the releases."""
    with translation.override("ru"):
        milestones = [
            {
                "id": f"report-{report.pk}",
                "title": _("{kind} no. {number}").format(
                    kind=report.get_kind_display(), number=report.number
                ),
                "type": "reporting",
                "code": report.kind,
                "dueDate": iso_datetime(_day_end(report.due_date, zone)),
                "status": "scheduled",
            }
            for report in contract.reports.all()
        ]
        milestones += [
            {
                "id": f"tranche-{tranche.pk}",
                "title": _("Tranche no. {number}").format(number=tranche.number),
                "type": "payment",
                "dueDate": iso_datetime(_day_end(tranche.due_date, zone)),
                "status": "scheduled",
            }
            for tranche in contract.tranches.all()
        ]
    return milestones


def _report_events(report: Report, zone: str, now: dt.datetime) -> list[_Event]:
    """A report's milestone is not met from the day after it was due until it is approved."""
    mid = f"report-{report.pk}"
    approved_at = report.reviewed_at if report.status == ProjectReportStatus.APPROVED else None
    late_at = _day_start(report.due_date + dt.timedelta(days=1), zone)
    events = []
    if late_at <= now and (approved_at is None or approved_at > late_at):
        milestone = {"id": mid, "status": "notMet", "dateModified": iso_datetime(late_at)}
        events.append(_Event(late_at, f"{mid}-late", {"milestones": [milestone]}))
    if approved_at is not None:
        when = iso_datetime(approved_at)
        milestone = {"id": mid, "status": "met", "dateMet": when, "dateModified": when}
        events.append(_Event(approved_at, f"{mid}-met", {"milestones": [milestone]}))
    return events


def _tranche_event(tranche: Tranche, payer: Organisation, payee: Organisation) -> _Event:
    assert tranche.released_at is not None
    when = iso_datetime(tranche.released_at)
    tid = f"tranche-{tranche.pk}"
    transaction = {
        "id": tid,
        "date": when,
        "value": _value(tranche.amount),
        "payer": _ref(payer),
        "payee": _ref(payee),
    }
    milestone = {"id": tid, "status": "met", "dateMet": when, "dateModified": when}
    change = {"transactions": [transaction], "milestones": [milestone]}
    return _Event(tranche.released_at, tid, change, payment=True)


def _contract_events(
    competition: Competition,
    contract: Contract,
    payee: Organisation,
    *,
    start: dt.datetime,
    now: dt.datetime,
) -> list[_Event]:
    """What happened to a contract after its signature, oldest first; nothing is dated before
    the signature, and the end comes last."""
    zone = competition.time_zone
    events = [e for r in contract.reports.all() for e in _report_events(r, zone, now)]
    events += [
        _tranche_event(t, contract.organiser, payee)
        for t in contract.tranches.all()
        if t.status == TrancheStatus.RELEASED and t.released_at is not None
    ]
    events = sorted(
        (replace(e, date=max(e.date, start)) for e in events),
        key=lambda e: e.date,
    )
    if contract.status in (ContractStatus.COMPLETED, ContractStatus.TERMINATED):
        closings = [
            c.created_at for c in contract.status_changes.all() if c.to_status == contract.status
        ]
        closed = (
            closings[-1] if closings else _day_start(contract.end_date + dt.timedelta(days=1), zone)
        )
        closed = max([closed, start, *(e.date for e in events)])
        events.append(_Event(closed, f"{contract_id(contract)}-end", {}, tag="contractTermination"))
    return events


def _contract_releases(
    competition: Competition,
    application: Application,
    contract: Contract,
    *,
    now: dt.datetime,
) -> list[dict[str, Any]]:
    zone = competition.time_zone
    buyer, payee = competition.organiser, application.ngo.organisation
    start = _signed_at(competition, contract)
    signed: dict[str, Any] = {
        "id": contract_id(contract),
        "awardID": award_id(application),
        "title": contract.title,
        "status": "active",
        "period": {
            "startDate": iso_datetime(_day_start(contract.start_date, zone)),
            "endDate": iso_datetime(_day_end(contract.end_date, zone)),
        },
        "value": _value(contract.amount),
        "dateSigned": iso_datetime(_day_start(contract.signed_on or contract.start_date, zone)),
        "implementation": {"milestones": _milestones(contract, zone)},
    }
    if contract.public_summary:
        signed["description"] = contract.public_summary
    named: list[tuple[Organisation, list[str]]] = [
        (buyer, ["buyer", "procuringEntity"]),
        (payee, ["tenderer", "supplier"]),
    ]
    release = _base(competition, tag="contract", date=start, key=contract_id(contract))
    release.update({"parties": named, "buyer": _ref(buyer), "contracts": [signed]})
    releases = [release]
    for event in _contract_events(competition, contract, payee, start=start, now=now):
        entry: dict[str, Any] = {"id": contract_id(contract), "awardID": award_id(application)}
        if event.tag == "contractTermination":
            entry["status"] = CONTRACT_STATUS[ContractStatus(contract.status)]
        else:
            entry["implementation"] = event.change
        paid = [(contract.organiser, ["payer"]), (payee, ["payee"])] if event.payment else []
        release = _base(competition, tag=event.tag, date=event.date, key=event.key)
        release.update(
            {
                "parties": [*named, *paid],
                "buyer": _ref(buyer),
                "contracts": [entry],
            }
        )
        releases.append(release)
    return releases


# --- Records ----------------------------------------------------------------------------------


def _merge(target: dict[str, Any], update: dict[str, Any]) -> None:
    """OCDS merge of one release into the compiled state: objects field by field, arrays of
    objects with an `id` by that id (new ones appended), anything else replaced; null
    removes."""
    for key, value in update.items():
        current = target.get(key)
        if value is None:
            target.pop(key, None)
        elif isinstance(value, dict) and isinstance(current, dict):
            _merge(current, value)
        elif (
            isinstance(value, list)
            and isinstance(current, list)
            and value
            and all(isinstance(v, dict) and "id" in v for v in value)
            and all(isinstance(c, dict) and "id" in c for c in current)
        ):
            by_id = {c["id"]: c for c in current}
            for item in value:
                if item["id"] in by_id:
                    _merge(by_id[item["id"]], item)
                else:
                    fresh = copy.deepcopy(item)
                    current.append(fresh)
                    by_id[item["id"]] = fresh
        else:
            target[key] = copy.deepcopy(value)


def compiled_release(releases: list[dict[str, Any]]) -> dict[str, Any]:
    """The current state of the process: its releases merged in date order."""
    compiled: dict[str, Any] = {}
    for release in sorted(releases, key=_when):
        _merge(compiled, {k: v for k, v in release.items() if k not in ("id", "tag")})
    compiled["id"] = f"{releases[-1]['ocid']}-compiled"
    compiled["tag"] = ["compiled"]
    return compiled


def _package_meta(uri: str) -> dict[str, Any]:
    return {
        "uri": uri,
        "version": VERSION,
        "extensions": list(EXTENSIONS),
        "publishedDate": iso_datetime(timezone.now()),
        "publisher": PUBLISHER,
        "license": LICENSE,
        "publicationPolicy": "https://ortaq.kz/opendata/",
    }


def release_package(competitions: Iterable[Competition], *, uri: str) -> dict[str, Any]:
    now = timezone.now()
    releases = [r for c in competitions for r in releases_of(c, now=now)]
    return {**_package_meta(uri), "releases": releases}


def record_package(competitions: Iterable[Competition], *, uri: str) -> dict[str, Any]:
    now = timezone.now()
    records = []
    for competition in competitions:
        releases = releases_of(competition, now=now)
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
    now = timezone.now()
    meta = json.dumps(_package_meta(uri), ensure_ascii=False)
    yield meta[:-1] + ', "releases": ['
    first = True
    for competition in competitions:
        for release in releases_of(competition, now=now):
            yield ("" if first else ",") + json.dumps(release, ensure_ascii=False)
            first = False
    yield "]}"


def iter_record_package_json(competitions: Iterator[Competition], *, uri: str) -> Iterator[str]:
    """The record package as JSON text in pieces, one competition at a time."""
    now = timezone.now()
    meta = json.dumps(_package_meta(uri), ensure_ascii=False)
    yield meta[:-1] + ', "records": ['
    first = True
    for competition in competitions:
        releases = releases_of(competition, now=now)
        record = {
            "ocid": ocid(competition),
            "releases": [
                {"url": f"{uri}#{r['id']}", "date": r["date"], "tag": r["tag"]} for r in releases
            ],
            "compiledRelease": compiled_release(releases),
        }
        yield ("" if first else ",") + json.dumps(record, ensure_ascii=False)
        first = False
    yield "]}"


# --- Validation -------------------------------------------------------------------------------


def merge_patch(target: Any, patch: Any) -> Any:
    """JSON Merge Patch (RFC 7386): how an OCDS extension changes the release schema."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def _is_date_time(value: object) -> bool:
    """RFC 3339 date-time (jsonschema checks it only with an optional package)."""
    if not isinstance(value, str):
        return True
    if not _DATE_TIME.match(value):
        return False
    try:
        dt.datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _is_uri(value: object) -> bool:
    """An absolute URI: a scheme, no spaces (jsonschema checks it only with an optional
    package)."""
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme) and bool(parts.netloc or parts.path) and not re.search(r"\s", value)


def format_checker() -> FormatChecker:
    checker = FormatChecker()
    checker.checks("date-time")(_is_date_time)
    checker.checks("uri")(_is_uri)
    return checker


@cache
def _registry() -> Registry:
    resources = []
    for path in SCHEMA_DIR.glob("*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        if path.name == "release-schema.json":
            for directory in EXTENSIONS.values():
                patch = json.loads((directory / "release-schema.json").read_text(encoding="utf-8"))
                schema = merge_patch(schema, patch)
        resources.append(
            (schema["id"], Resource.from_contents(schema, default_specification=DRAFT4))
        )
    return Registry().with_resources(resources)


@cache
def _validator(name: str) -> Draft4Validator:
    schema = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    return Draft4Validator(schema, registry=_registry(), format_checker=format_checker())


def validation_errors(package: dict[str, Any], *, kind: str = "release") -> list[str]:
    """Every error of the package against the official schema and the declared extensions, as
    readable lines."""
    validator = _validator(f"{kind}-package-schema.json")
    return [
        f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in validator.iter_errors(package)
    ]


def release_package_errors(package: dict[str, Any], *, batch: int = 500) -> list[str]:
    """`validation_errors` of a large release package, in batches of releases: the schema's
    `uniqueItems` on `releases` compares every pair (hours for a national export), while
    unique release ids (checked here) say the same in one pass."""
    validator = _validator("release-package-schema.json")
    releases = package.get("releases") or []
    errors = []
    for start in range(0, max(len(releases), 1), batch):
        part = {**package, "releases": releases[start : start + batch]}
        for error in validator.iter_errors(part):
            path = list(error.absolute_path)
            if path[:1] == ["releases"] and len(path) > 1:
                path[1] = int(path[1]) + start
            elif start and path[:1] != ["releases"]:
                continue  # the package's own fields: reported with the first batch
            errors.append(f"{'/'.join(str(p) for p in path)}: {error.message}")
    seen: set[tuple[str, str]] = set()
    for index, release in enumerate(releases):
        key = (str(release.get("ocid")), str(release.get("id")))
        if key in seen:
            errors.append(f"releases/{index}: release id {key[1]} of {key[0]} is repeated")
        seen.add(key)
    return errors
