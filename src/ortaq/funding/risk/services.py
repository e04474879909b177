"""Risk signals: the nightly scan that finds them and the reviewer's verdict.

`risk_scan` reads funded applications (with their decision lines and contracts), project
reports and the registry's NGO counts, measures them with the pure functions of `risk_measures.py`
and upserts one `RiskSignal` per finding, keyed by a stable fingerprint:

- double funding: `double_funding:<application>:<application>` — one NGO funded by two
  programmes in overlapping periods, in the same region, for a very similar text or the same
  budget lines (one project replicated in other regions is the wholesaler's pattern instead);
- wholesaler: `wholesaler:<ngo>:<year>` — lots won in many regions far below the ceilings;
- reporting: `reporting:<ngo>:<year>` — applications sent that year after a returned or late
  report of the same NGO;
- region concentration: `region_concentration:<region>:<year>`;
- NGO concentration: `ngo_concentration:body:<organisation>:<year>:<ngo>` and
  `ngo_concentration:region:<region>:<year>:<ngo>`.

A finding seen again keeps its row, its status and the reviewer's note; only its evidence,
strength and `last_seen_at` are refreshed. A signal no longer found stays as it was, with the
`last_seen_at` of the last scan that saw it. Candidates are blocked, never compared all with
all: texts are compared only between two funded applications of the same NGO.

The scan has no acting person, so it writes no audit entries (the signals carry their
`detected_at` and `last_seen_at`); a reviewer's verdict is audited.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar, cast

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from ortaq.accounts.models import Organisation, User
from ortaq.audit.services import audit_record
from ortaq.core.errors import ConflictError, DomainError
from ortaq.reference.models import Region
from ortaq.registry.enums import NgoStatus
from ortaq.registry.models import NgoProfile

from .. import risk_measures
from ..enums import SENT_STATUSES, ApplicationStatus, ProjectReportStatus, RiskKind, RiskStatus
from ..models import Application, BudgetLine, Report, RiskSignal
from .selectors import risk_signals_visible_to

logger = logging.getLogger(__name__)
T = TypeVar("T")
CHUNK = 500
TEXT_LIMIT = 6_000  # characters of each application's text kept in the evidence
TOP = 5  # largest NGOs listed in a concentration's evidence


def thresholds() -> risk_measures.Thresholds:
    """The thresholds of the settings (FUNDING_RISK_*; percentages become shares)."""
    return risk_measures.Thresholds(
        text_similarity=settings.FUNDING_RISK_TEXT_SIMILARITY / 100,
        text_min_words=settings.FUNDING_RISK_TEXT_MIN_WORDS,
        budget_similarity=settings.FUNDING_RISK_BUDGET_SIMILARITY / 100,
        budget_min_lines=settings.FUNDING_RISK_BUDGET_MIN_LINES,
        budget_tolerance=settings.FUNDING_RISK_BUDGET_TOLERANCE / 100,
        wholesaler_regions=settings.FUNDING_RISK_WHOLESALER_REGIONS,
        wholesaler_ratio=settings.FUNDING_RISK_WHOLESALER_RATIO / 100,
        report_grace_days=settings.FUNDING_RISK_REPORT_GRACE_DAYS,
        report_min_late=settings.FUNDING_RISK_REPORT_MIN_LATE,
        report_late_share=settings.FUNDING_RISK_REPORT_LATE_SHARE / 100,
        region_share=settings.FUNDING_RISK_REGION_SHARE / 100,
        region_ratio=settings.FUNDING_RISK_REGION_RATIO / 100,
        ngo_share=settings.FUNDING_RISK_NGO_SHARE / 100,
        min_projects=settings.FUNDING_RISK_MIN_PROJECTS,
    )


def _chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _strength(value: float) -> Decimal:
    return Decimal(str(round(value, 3))).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def _share(value: float) -> float:
    return round(value, 4)


@dataclass
class Finding:
    kind: str
    fingerprint: str
    strength: float
    evidence: dict[str, Any]
    ngo_id: int | None = None
    region_id: int | None = None
    year: int | None = None
    organiser_ids: set[int] = field(default_factory=set)
    region_ids: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class ScanSummary:
    found: dict[str, int]  # kind → signals found by this scan
    created: int
    updated: int
    not_seen: int  # signals of earlier scans this one did not find (kept as they were)
    seconds: float

    @property
    def total(self) -> int:
        return sum(self.found.values())


# --- What the scan reads ----------------------------------------------------------------------


@dataclass(frozen=True)
class Funded:
    """A funded application with what the measures need (texts are read later, for pairs)."""

    id: int
    ngo_id: int
    ngo_region_id: int | None
    title: str
    lot_id: int
    lot_number: int
    lot_region_id: int | None
    region_id: int  # where the project is carried out
    ceiling: int
    price: int
    competition_id: int
    organiser_id: int
    organiser_name: str
    programme_id: int
    programme_title: str
    year: int
    period: tuple[dt.date, dt.date]
    from_contract: bool

    @property
    def funds_region_id(self) -> int:
        return self.lot_region_id or self.region_id


def _funded() -> list[Funded]:
    rows = (
        Application.objects.filter(status=ApplicationStatus.FUNDED)
        .order_by("pk")
        .values_list(
            "pk",
            "ngo_id",
            "ngo__organisation__region_id",
            "title",
            "lot_id",
            "lot__number",
            "lot__region_id",
            "region_id",
            "lot__budget_ceiling",
            "requested_amount",
            "decision_line__amount",
            "lot__competition_id",
            "lot__competition__organiser_id",
            "lot__competition__organiser__name_ru",
            "lot__competition__programme_id",
            "lot__competition__programme__title_ru",
            "lot__competition__programme__year",
            "contract__start_date",
            "contract__end_date",
            "contract__amount",
        )
    )
    found = []
    for (
        pk,
        ngo_id,
        ngo_region_id,
        title,
        lot_id,
        lot_number,
        lot_region_id,
        region_id,
        ceiling,
        requested,
        awarded,
        competition_id,
        organiser_id,
        organiser_name,
        programme_id,
        programme_title,
        year,
        start,
        end,
        contracted,
    ) in rows:
        from_contract = start is not None and end is not None
        found.append(
            Funded(
                id=pk,
                ngo_id=ngo_id,
                ngo_region_id=ngo_region_id,
                title=title,
                lot_id=lot_id,
                lot_number=lot_number,
                lot_region_id=lot_region_id,
                region_id=region_id,
                ceiling=ceiling,
                price=contracted or awarded or requested,
                competition_id=competition_id,
                organiser_id=organiser_id,
                organiser_name=organiser_name,
                programme_id=programme_id,
                programme_title=programme_title,
                year=year,
                period=(start, end) if from_contract else risk_measures.year_period(year),
                from_contract=from_contract,
            )
        )
    return found


def _region_names(ids: Iterable[int | None]) -> dict[int, str]:
    wanted = sorted({i for i in ids if i is not None})
    return dict(Region.objects.filter(pk__in=wanted).values_list("pk", "name_ru"))


def _name_stems(ngo_ids: Iterable[int]) -> dict[int, frozenset[str]]:
    """The stems of each NGO's names: shared by all its applications, so no evidence."""
    found: dict[int, frozenset[str]] = {}
    ids = sorted(set(ngo_ids))
    for chunk in _chunks(ids):
        rows = NgoProfile.objects.filter(pk__in=chunk).values_list(
            "pk", "organisation__name_kk", "organisation__name_ru", "organisation__name_en"
        )
        for pk, *names in rows:
            found[pk] = frozenset(risk_measures.stems(" ".join(n for n in names if n)))
    return found


def _ngo_names(ngo_ids: Iterable[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    ids = sorted(set(ngo_ids))
    for chunk in _chunks(ids):
        found.update(
            NgoProfile.objects.filter(pk__in=chunk).values_list("pk", "organisation__name_ru")
        )
    return found


# --- Double funding ---------------------------------------------------------------------------


def _pairs(funded: list[Funded]) -> list[tuple[Funded, Funded, int]]:
    """Pairs of one NGO's funded applications of different programmes, carried out in the
    same region (or one of them nationally), whose periods overlap. Blocked by NGO: an NGO
    has a handful of funded projects, so this stays small at national scale."""
    by_ngo: dict[int, list[Funded]] = defaultdict(list)
    for row in funded:
        by_ngo[row.ngo_id].append(row)
    pairs = []
    for rows in by_ngo.values():
        for i, a in enumerate(rows):
            for b in rows[i + 1 :]:
                if a.programme_id == b.programme_id:
                    continue
                if a.lot_region_id and b.lot_region_id and a.lot_region_id != b.lot_region_id:
                    continue  # one project carried out in two regions is no double funding
                days = risk_measures.overlap_days(a.period, b.period)
                if days > 0:
                    pairs.append((a, b, days))
    return pairs


def _texts(ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    found: dict[int, tuple[str, str]] = {}
    for chunk in _chunks(ids):
        for pk, title, description in Application.objects.filter(pk__in=chunk).values_list(
            "pk", "title", "description"
        ):
            found[pk] = (title, description)
    return found


def _budgets(ids: Sequence[int]) -> dict[int, list[risk_measures.Line]]:
    found: dict[int, list[risk_measures.Line]] = defaultdict(list)
    for chunk in _chunks(ids):
        for application_id, item, amount in (
            BudgetLine.objects.filter(application_id__in=chunk)
            .order_by("application_id", "pk")
            .values_list("application_id", "item", "amount")
        ):
            found[application_id].append(risk_measures.Line(item, amount))
    return found


def _application_evidence(row: Funded, texts: tuple[str, str]) -> dict[str, Any]:
    return {
        "id": row.id,
        "title": texts[0],
        "description": texts[1][:TEXT_LIMIT],
        "programme": {"id": row.programme_id, "title": row.programme_title},
        "organiser": {"id": row.organiser_id, "name": row.organiser_name},
        "competition": row.competition_id,
        "lot": {"id": row.lot_id, "number": row.lot_number},
        "region": row.lot_region_id,
        "year": row.year,
        "period": [row.period[0].isoformat(), row.period[1].isoformat()],
        "period_from": "contract" if row.from_contract else "programme_year",
        "amount": row.price,
    }


def _double_funding(funded: list[Funded], limits: risk_measures.Thresholds) -> list[Finding]:
    pairs = _pairs(funded)
    ids = sorted({r.id for a, b, _d in pairs for r in (a, b)})
    texts = _texts(ids)
    budgets = _budgets(ids)
    names = _name_stems(a.ngo_id for a, _b, _d in pairs)
    findings = []
    for x, y, days in pairs:
        a, b = (x, y) if x.id < y.id else (y, x)
        ignore = names.get(a.ngo_id, frozenset())
        text_a, text_b = "\n".join(texts[a.id]), "\n".join(texts[b.id])
        comparable = (
            risk_measures.word_count(text_a, ignore=ignore) >= limits.text_min_words
            and risk_measures.word_count(text_b, ignore=ignore) >= limits.text_min_words
        )
        text = risk_measures.text_similarity(text_a, text_b, ignore=ignore) if comparable else 0.0
        budget = risk_measures.budget_similarity(
            budgets.get(a.id, []), budgets.get(b.id, []), tolerance=limits.budget_tolerance
        )
        by_text = comparable and text >= limits.text_similarity
        by_budget = (
            len(budget.shared) >= limits.budget_min_lines
            and budget.similarity >= limits.budget_similarity
        )
        if not (by_text or by_budget):
            continue
        findings.append(
            Finding(
                kind=RiskKind.DOUBLE_FUNDING,
                fingerprint=f"double_funding:{a.id}:{b.id}",
                strength=max(text, budget.similarity),
                ngo_id=a.ngo_id,
                region_id=a.ngo_region_id,
                year=min(a.year, b.year),
                organiser_ids={a.organiser_id, b.organiser_id},
                region_ids={r for r in (a.lot_region_id, b.lot_region_id, a.ngo_region_id) if r},
                evidence={
                    "applications": [
                        _application_evidence(a, texts[a.id]),
                        _application_evidence(b, texts[b.id]),
                    ],
                    "overlap_days": days,
                    "text_similarity": _share(text),
                    "texts_compared": comparable,
                    "budget_similarity": _share(budget.similarity),
                    "shared_phrases": (
                        risk_measures.shared_phrases(text_a, text_b, ignore=ignore)
                        if comparable
                        else []
                    ),
                    "shared_lines": [
                        {"item": line.item, "amount_a": line.amount_a, "amount_b": line.amount_b}
                        for line in budget.shared
                    ],
                    "ignored_words": sorted(ignore),
                },
            )
        )
    return findings


# --- Wholesaler -------------------------------------------------------------------------------


def _wholesalers(funded: list[Funded], limits: risk_measures.Thresholds) -> list[Finding]:
    by_ngo_year: dict[tuple[int, int], list[Funded]] = defaultdict(list)
    for row in funded:
        by_ngo_year[(row.ngo_id, row.year)].append(row)
    flagged = []
    for (ngo_id, year), rows in sorted(by_ngo_year.items()):
        if len({r.lot_region_id for r in rows if r.lot_region_id}) < limits.wholesaler_regions:
            continue  # cheap test first: most NGOs win in one region
        score = risk_measures.wholesaler_score(
            [risk_measures.Win(r.lot_region_id, r.price, r.ceiling) for r in rows],
            min_regions=limits.wholesaler_regions,
            max_ratio=limits.wholesaler_ratio,
        )
        if score.flagged:
            flagged.append((ngo_id, year, rows, score))
    regions = _region_names(r.lot_region_id for _n, _y, rows, _s in flagged for r in rows)
    findings = []
    for ngo_id, year, rows, score in flagged:
        lots = [
            {
                "application": r.id,
                "title": r.title,
                "competition": r.competition_id,
                "lot": {"id": r.lot_id, "number": r.lot_number},
                "organiser": {"id": r.organiser_id, "name": r.organiser_name},
                "region": {"id": r.lot_region_id, "name": regions.get(r.lot_region_id or 0, "")},
                "ceiling": r.ceiling,
                "price": r.price,
                "ratio": _share(r.price / r.ceiling if r.ceiling else 1.0),
            }
            for r in sorted(rows, key=lambda r: (r.price / r.ceiling if r.ceiling else 1.0, r.id))
        ]
        findings.append(
            Finding(
                kind=RiskKind.WHOLESALER,
                fingerprint=f"wholesaler:{ngo_id}:{year}",
                strength=score.strength,
                ngo_id=ngo_id,
                region_id=rows[0].ngo_region_id,
                year=year,
                organiser_ids={r.organiser_id for r in rows},
                region_ids={r.lot_region_id for r in rows if r.lot_region_id}
                | ({rows[0].ngo_region_id} if rows[0].ngo_region_id else set()),
                evidence={
                    "year": year,
                    "regions": score.regions,
                    "lots_won": len(rows),
                    "mean_ratio": _share(score.mean_ratio),
                    "total_price": sum(r.price for r in rows),
                    "total_ceiling": sum(r.ceiling for r in rows),
                    "lots": lots,
                },
            )
        )
    return findings


# --- Reporting --------------------------------------------------------------------------------


@dataclass(frozen=True)
class BadReport:
    id: int
    ngo_id: int
    contract_id: int
    contract_number: str
    organiser_id: int
    region_id: int | None
    number: int
    kind: str
    status: str
    due_date: dt.date
    submitted_on: dt.date | None
    days_late: int
    since: dt.date  # from this day on the report counts against the NGO


def _bad_reports(today: dt.date, limits: risk_measures.Thresholds) -> list[BadReport]:
    rows = Report.objects.order_by("pk").values_list(
        "pk",
        "contract__ngo_id",
        "contract_id",
        "contract__number",
        "contract__organiser_id",
        "contract__region_id",
        "number",
        "kind",
        "status",
        "due_date",
        "submitted_at",
        "reviewed_at",
    )
    found = []
    for (
        pk,
        ngo_id,
        contract_id,
        number_c,
        organiser_id,
        region_id,
        number,
        kind,
        status,
        due,
        submitted_at,
        reviewed_at,
    ) in rows:
        submitted_on = timezone.localdate(submitted_at) if submitted_at else None
        late = risk_measures.days_late(due=due, submitted_on=submitted_on, today=today)
        is_late = late > limits.report_grace_days
        returned = status == ProjectReportStatus.RETURNED
        if not (is_late or returned):
            continue
        since_late = due + dt.timedelta(days=limits.report_grace_days + 1)
        since_returned = timezone.localdate(reviewed_at) if reviewed_at else since_late
        since = min(d for d, on in ((since_late, is_late), (since_returned, returned)) if on)
        found.append(
            BadReport(
                pk,
                ngo_id,
                contract_id,
                number_c,
                organiser_id,
                region_id,
                number,
                kind,
                status,
                due,
                submitted_on,
                late,
                since,
            )
        )
    return found


def _reporting(today: dt.date, limits: risk_measures.Thresholds) -> list[Finding]:
    bad = _bad_reports(today, limits)
    by_ngo: dict[int, list[BadReport]] = defaultdict(list)
    for report in bad:
        by_ngo[report.ngo_id].append(report)
    ngo_ids = sorted(by_ngo)
    applied: list[tuple[Any, ...]] = []
    due_dates: dict[int, list[dt.date]] = defaultdict(list)  # every report of these NGOs
    for chunk in _chunks(ngo_ids):
        for ngo_id, due in Report.objects.filter(contract__ngo_id__in=chunk).values_list(
            "contract__ngo_id", "due_date"
        ):
            due_dates[ngo_id].append(due)
        applied += (
            Application.objects.filter(
                ngo_id__in=chunk, status__in=SENT_STATUSES, submitted_at__isnull=False
            )
            .order_by("pk")
            .values_list(
                "pk",
                "ngo_id",
                "title",
                "submitted_at",
                "lot__competition_id",
                "lot__competition__organiser_id",
                "lot__competition__organiser__name_ru",
                "lot__region_id",
                "ngo__organisation__region_id",
            )
        )
    groups: dict[tuple[int, int], list[tuple[tuple[Any, ...], list[BadReport]]]] = defaultdict(list)
    for row in applied:
        sent_on = timezone.localdate(row[3])
        before = [r for r in by_ngo[row[1]] if r.since < sent_on]
        if before:
            groups[(row[1], sent_on.year)].append((row, before))
    findings = []
    for (ngo_id, year), items in sorted(groups.items()):
        reports = {r.id: r for _row, before in items for r in before}
        outstanding = any(
            r.status == ProjectReportStatus.RETURNED or r.submitted_on is None
            for r in reports.values()
        )
        if not outstanding:
            # A habit, not an accident: enough late reports, and a large enough share of all
            # the reports the NGO owed by then.
            last = max(timezone.localdate(row[3]) for row, _b in items)
            owed = sum(1 for due in due_dates[ngo_id] if due < last)
            if len(reports) < limits.report_min_late or (
                len(reports) < limits.report_late_share * owed
            ):
                continue
        ngo_region = items[0][0][8]
        findings.append(
            Finding(
                kind=RiskKind.REPORTING,
                fingerprint=f"reporting:{ngo_id}:{year}",
                strength=1 - 0.5 ** len(reports),
                ngo_id=ngo_id,
                region_id=ngo_region,
                year=year,
                organiser_ids={r.organiser_id for r in reports.values()}
                | {row[5] for row, _b in items},
                region_ids={r.region_id for r in reports.values() if r.region_id}
                | {row[7] for row, _b in items if row[7]}
                | ({ngo_region} if ngo_region else set()),
                evidence={
                    "reports": [
                        {
                            "id": r.id,
                            "contract": {"id": r.contract_id, "number": r.contract_number},
                            "number": r.number,
                            "kind": r.kind,
                            "status": r.status,
                            "due_date": r.due_date.isoformat(),
                            "submitted_on": r.submitted_on.isoformat() if r.submitted_on else None,
                            "days_late": r.days_late,
                            "returned": r.status == ProjectReportStatus.RETURNED,
                        }
                        for r in sorted(reports.values(), key=lambda r: (r.due_date, r.id))
                    ],
                    "applications": [
                        {
                            "id": row[0],
                            "title": row[2],
                            "submitted_at": row[3].isoformat(),
                            "competition": row[4],
                            "organiser": {"id": row[5], "name": row[6]},
                        }
                        for row, _b in sorted(items, key=lambda item: item[0][3])
                    ],
                },
            )
        )
    return findings


# --- Concentration ----------------------------------------------------------------------------


def _top(amounts: dict[int, int], names: dict[int, str]) -> list[dict[str, Any]]:
    found = risk_measures.shares(amounts)
    ranked = sorted(amounts, key=lambda k: (-amounts[k], k))[:TOP]
    return [
        {"ngo": k, "name": names.get(k, ""), "amount": amounts[k], "share": _share(found[k])}
        for k in ranked
    ]


def _sums(rows: Iterable[Funded], key: Any) -> dict[int, int]:
    sums: dict[int, int] = defaultdict(int)
    for r in rows:
        sums[key(r)] += r.price
    return dict(sums)


@dataclass(frozen=True)
class _Flag:
    """One NGO's large share of a body's or a region's funds in a year."""

    scope: str  # "body" or "region"
    scope_id: int
    year: int
    ngo_id: int
    members: list[Funded]


def _concentration(funded: list[Funded], limits: risk_measures.Thresholds) -> list[Finding]:
    ngos_by_region: dict[int, int] = {
        region: n
        for region, n in NgoProfile.objects.filter(status=NgoStatus.ACTIVE)
        .values("organisation__region_id")
        .annotate(n=Count("pk"))
        .values_list("organisation__region_id", "n")
        if region is not None
    }
    by_year: dict[int, list[Funded]] = defaultdict(list)
    for row in funded:
        by_year[row.year].append(row)
    regional: list[tuple[int, risk_measures.RegionShare, dict[int, int], list[Funded]]] = []
    flags: list[_Flag] = []
    for year, rows in sorted(by_year.items()):
        if len(rows) < limits.min_projects:
            continue
        funds = _sums(rows, lambda r: r.funds_region_id)
        if len(funds) > 1:  # a year funded in one region only has nothing to compare with
            for found in risk_measures.region_concentration(
                funds, ngos_by_region, min_share=limits.region_share, min_ratio=limits.region_ratio
            ):
                members = [r for r in rows if r.funds_region_id == found.region]
                regional.append((year, found, funds, members))
        scopes: dict[tuple[str, int], list[Funded]] = defaultdict(list)
        for r in rows:
            scopes[("body", r.organiser_id)].append(r)
            scopes[("region", r.funds_region_id)].append(r)
        for (scope, scope_id), members in sorted(scopes.items()):
            if len(members) < limits.min_projects:
                continue
            top = risk_measures.top_share(_sums(members, lambda r: r.ngo_id))
            if top is not None and top[1] >= limits.ngo_share:
                flags.append(_Flag(scope, scope_id, year, top[0], members))

    names = _ngo_names(
        [r.ngo_id for flag in flags for r in flag.members]
        + [r.ngo_id for *_x, members in regional for r in members]
    )
    regions = _region_names(
        [f.scope_id for f in flags if f.scope == "region"]
        + [cast(int, found.region) for _y, found, _f, _m in regional]
    )
    bodies = {
        pk: (name, region)
        for pk, name, region in Organisation.objects.filter(
            pk__in={f.scope_id for f in flags if f.scope == "body"}
        ).values_list("pk", "name_ru", "region_id")
    }
    total_ngos = sum(ngos_by_region.values())
    findings = []
    for year, found, funds, members in regional:
        region_id = cast(int, found.region)
        findings.append(
            Finding(
                kind=RiskKind.REGION_CONCENTRATION,
                fingerprint=f"region_concentration:{region_id}:{year}",
                strength=max(0.0, min(1.0, found.fund_share - found.ngo_share)),
                region_id=region_id,
                year=year,
                organiser_ids={r.organiser_id for r in members},
                region_ids={region_id},
                evidence={
                    "year": year,
                    "region": {"id": region_id, "name": regions.get(region_id, "")},
                    "amount": funds[region_id],
                    "total": sum(funds.values()),
                    "fund_share": _share(found.fund_share),
                    "projects": len(members),
                    "ngos": ngos_by_region.get(region_id, 0),
                    "ngos_total": total_ngos,
                    "ngo_share": _share(found.ngo_share),
                    "ratio": _share(found.ratio) if found.ngo_share > 0 else None,
                    "top": _top(_sums(members, lambda r: r.ngo_id), names),
                },
            )
        )
    for flag in flags:
        amounts = _sums(flag.members, lambda r: r.ngo_id)
        share = risk_measures.shares(amounts)[flag.ngo_id]
        own = [r for r in flag.members if r.ngo_id == flag.ngo_id]
        if flag.scope == "body":
            scope_name, scope_region = bodies.get(flag.scope_id, ("", None))
        else:
            scope_name, scope_region = regions.get(flag.scope_id, ""), flag.scope_id
        findings.append(
            Finding(
                kind=RiskKind.NGO_CONCENTRATION,
                fingerprint=(
                    f"ngo_concentration:{flag.scope}:{flag.scope_id}:{flag.year}:{flag.ngo_id}"
                ),
                strength=share,
                ngo_id=flag.ngo_id,
                region_id=scope_region,
                year=flag.year,
                organiser_ids={r.organiser_id for r in own}
                | ({flag.scope_id} if flag.scope == "body" else set()),
                region_ids={r.funds_region_id for r in own}
                | ({scope_region} if scope_region else set()),
                evidence={
                    "year": flag.year,
                    "scope": flag.scope,
                    "scope_id": flag.scope_id,
                    "scope_name": scope_name,
                    "amount": amounts[flag.ngo_id],
                    "total": sum(amounts.values()),
                    "share": _share(share),
                    "projects": len(flag.members),
                    "ngo_projects": len(own),
                    "ngos": len(amounts),
                    "herfindahl": _share(risk_measures.herfindahl(amounts)),
                    "top": _top(amounts, names),
                },
            )
        )
    return findings


# --- Saving -----------------------------------------------------------------------------------


def _save(findings: list[Finding], now: dt.datetime) -> tuple[int, int]:
    """Upsert by fingerprint: new findings are created; known ones get fresh evidence and
    `last_seen_at` but keep their status, note and reviewer."""
    by_fp = {f.fingerprint: f for f in findings}
    known: dict[str, int] = {}
    fingerprints = sorted(by_fp)
    for chunk in _chunks(fingerprints):
        known.update(
            RiskSignal.objects.filter(fingerprint__in=chunk).values_list("fingerprint", "pk")
        )

    def row(f: Finding, pk: int | None = None) -> RiskSignal:
        return RiskSignal(
            pk=pk,
            kind=f.kind,
            fingerprint=f.fingerprint,
            ngo_id=f.ngo_id,
            region_id=f.region_id,
            year=f.year,
            strength=_strength(f.strength),
            evidence=f.evidence,
            last_seen_at=now,
        )

    new = [row(by_fp[fp]) for fp in fingerprints if fp not in known]
    created = RiskSignal.objects.bulk_create(new, batch_size=CHUNK)
    ids = {s.fingerprint: s.pk for s in created}
    if len(ids) != len(created) or any(pk is None for pk in ids.values()):
        # A backend that does not return the new keys: read them back.
        for chunk in _chunks([s.fingerprint for s in created]):
            ids.update(
                RiskSignal.objects.filter(fingerprint__in=chunk).values_list("fingerprint", "pk")
            )
    old = [row(by_fp[fp], pk) for fp, pk in known.items()]
    RiskSignal.objects.bulk_update(
        old,
        ["kind", "ngo", "region", "year", "strength", "evidence", "last_seen_at"],
        batch_size=CHUNK,
    )
    ids.update(known)
    organisers = RiskSignal.organisers.through
    regions = RiskSignal.regions.through
    all_ids = sorted(ids.values())
    for id_chunk in _chunks(all_ids):
        organisers.objects.filter(risksignal_id__in=id_chunk).delete()
        regions.objects.filter(risksignal_id__in=id_chunk).delete()
    organisers.objects.bulk_create(
        [
            organisers(risksignal_id=ids[f.fingerprint], organisation_id=org)
            for f in findings
            for org in sorted(f.organiser_ids)
        ],
        batch_size=CHUNK,
    )
    regions.objects.bulk_create(
        [
            regions(risksignal_id=ids[f.fingerprint], region_id=region)
            for f in findings
            for region in sorted(f.region_ids)
        ],
        batch_size=CHUNK,
    )
    return len(created), len(old)


@transaction.atomic
def risk_scan(*, now: dt.datetime | None = None) -> ScanSummary:
    """Find every risk signal in the funding data and upsert it (see the module's docstring)."""
    started = time.monotonic()
    now = now or timezone.now()
    today = timezone.localdate(now)
    limits = thresholds()
    funded = _funded()
    findings = (
        _double_funding(funded, limits)
        + _wholesalers(funded, limits)
        + _reporting(today, limits)
        + _concentration(funded, limits)
    )
    created, updated = _save(findings, now)
    not_seen = RiskSignal.objects.filter(last_seen_at__lt=now).count()
    found = Counter(f.kind for f in findings)
    summary = ScanSummary(
        found={kind: found.get(kind, 0) for kind in RiskKind.values},
        created=created,
        updated=updated,
        not_seen=not_seen,
        seconds=round(time.monotonic() - started, 2),
    )
    logger.info("risk scan: %s", summary)
    return summary


# --- Review -----------------------------------------------------------------------------------


def _seen(value: dt.datetime | None) -> str:
    return value.isoformat() if value else ""


@transaction.atomic
def risk_review(
    *,
    actor: User,
    signal: RiskSignal,
    status: str,
    note: str,
    seen_reviewed_at: str | None = None,
) -> RiskSignal:
    """The reviewer's verdict: confirmed, dismissed (a note saying why is required) or open
    again. `seen_reviewed_at` is the review time the reviewer saw (empty when none): when
    someone reviewed the signal since, nothing is overwritten."""
    locked = RiskSignal.objects.select_for_update().get(pk=signal.pk)
    if not risk_signals_visible_to(user=actor).filter(pk=locked.pk).exists():
        raise DomainError(
            _("Only the organisers and regional administrators concerned may do this.")
        )
    if seen_reviewed_at is not None and seen_reviewed_at != _seen(locked.reviewed_at):
        raise ConflictError(
            _(
                "Someone else reviewed this signal while you were reading it. "
                "Your note is kept below: read the current verdict and save again."
            )
        )
    if status not in RiskStatus.values:
        raise DomainError(_("Choose a verdict."), field="status")
    note = note.strip()
    if status == RiskStatus.DISMISSED and not note:
        raise DomainError(_("Say why the signal is dismissed."), field="note")
    before = {"status": locked.status, "note": locked.note}
    locked.status = status
    locked.note = note
    locked.reviewed_by = actor
    locked.reviewed_at = timezone.now()
    locked.save(update_fields=["status", "note", "reviewed_by", "reviewed_at"])
    audit_record(
        actor=actor,
        action="funding.risk.review",
        obj=locked,
        changes={
            key: [before[key], getattr(locked, key)]
            for key in ("status", "note")
            if before[key] != getattr(locked, key)
        },
    )
    return locked
