"""Reads of the public project pages (issue #5): every funded project whose contract is in
force, completed or terminated, with its public parts only.

What the public sees of a project: the contract (customer, NGO, amount, dates, status, public
summary), its targets with the achievement computed from approved reports, the tranches and the
sum paid so far, the public summary and beneficiaries of approved reports, published monitoring
visits (summary, findings with the NGO's answers, recommendations, photos) and the published
evaluation. Never: drafts, a report's narrative, spending lines or evidence files, review
comments, budget lines, checklists, people (inspectors, evaluators, experts).

Every public part below is copied into a small dataclass holding only public fields, so that a
template or serializer cannot reach an internal field by mistake.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ortaq.reference.enums import RegionKind
from ortaq.reference.models import Region
from ortaq.reference.selectors import region_list

from ..achievement import TargetResult, average_achievement, contract_results, with_results
from ..enums import (
    PUBLIC_CONTRACT_STATUSES,
    EvaluationCriterion,
    EvaluationStatus,
    ProjectReportStatus,
    TrancheStatus,
    VisitStatus,
)
from ..models import (
    Contract,
    Evaluation,
    MonitoringVisit,
    Tranche,
    VisitFinding,
    VisitPhoto,
)
from .filters import NATIONAL, ProjectFilter

# --- The list ---------------------------------------------------------------------------------


def projects_public() -> QuerySet[Contract]:
    """Contracts the public sees (a draft is the customer's and the NGO's own)."""
    return Contract.objects.filter(status__in=PUBLIC_CONTRACT_STATUSES).select_related(
        "ngo__organisation",
        "organiser",
        "region",
        "application__lot__competition__programme",
        "application__lot__area",
    )


def _paid() -> Coalesce:
    released = (
        Tranche.objects.filter(contract=OuterRef("pk"), status=TrancheStatus.RELEASED)
        .order_by()
        .values("contract")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(released), Value(0))


def project_filterset(params: Mapping[str, Any] | None = None) -> ProjectFilter:
    """The filters of the list for these query parameters (a page renders its form)."""
    return ProjectFilter(data=params or {}, queryset=projects_public())


def project_rows(filterset: ProjectFilter) -> QuerySet[Contract]:
    """The filtered public projects, newest first, each with `paid` (the released tranches)
    and what `contract_results` reads prefetched."""
    return with_results(filterset.qs.annotate(paid=_paid())).order_by("-start_date", "-pk")


def project_list(params: Mapping[str, Any] | None = None) -> QuerySet[Contract]:
    """The public projects for these query parameters (see `ProjectFilter`)."""
    return project_rows(project_filterset(params))


def project_achievement(contract: Contract) -> Decimal | None:
    """The average achievement of a contract from `project_list` (no query)."""
    return average_achievement(contract_results(contract))


def public_project_ids(*, competition_id: int) -> dict[int, int]:
    """Application id → contract id of the competition's projects that the public sees."""
    rows = Contract.objects.filter(
        status__in=PUBLIC_CONTRACT_STATUSES, application__lot__competition_id=competition_id
    ).values_list("application_id", "pk")
    return dict(rows)


# --- The map by region ------------------------------------------------------------------------

# A tile-grid cartogram: each region of Kazakhstan on a cell (column, row) of a 7 × 5 grid,
# roughly where it lies (west to east, north to south). Code = the region's KATO-based code in
# `reference.Region`. The national tile (projects without region) takes a free corner.
GRID_COLUMNS = 7
GRID_ROWS = 5
REGION_GRID: dict[str, tuple[int, int]] = {
    "59": (4, 1),  # North Kazakhstan
    "27": (1, 2),  # West Kazakhstan
    "15": (2, 2),  # Aktobe
    "39": (3, 2),  # Kostanay
    "11": (4, 2),  # Akmola
    "71": (5, 2),  # Astana
    "55": (6, 2),  # Pavlodar
    "23": (1, 3),  # Atyrau
    "62": (3, 3),  # Ulytau
    "35": (4, 3),  # Karaganda
    "10": (6, 3),  # Abai
    "63": (7, 3),  # East Kazakhstan
    "47": (1, 4),  # Mangystau
    "43": (2, 4),  # Kyzylorda
    "61": (3, 4),  # Turkistan
    "31": (4, 4),  # Zhambyl
    "19": (5, 4),  # Almaty Region
    "33": (6, 4),  # Zhetysu
    "79": (3, 5),  # Shymkent
    "75": (5, 5),  # Almaty
}
NATIONAL_CELL = (7, 5)
SHADES = 5  # shades 1..5 by amount; 0 = no project

# The filters the map follows: the region is what the map shows, not a filter of it.
MAP_FILTERS = ("year", "kind", "area", "status")

_NAME_AFFIXES = (" облысы", " қаласы", " область", " Region", "город ")


def short_region_name(region: Region) -> str:
    """The name without "Region" / "облысы" / "область" / "город": fits on a tile."""
    name = region.name
    for affix in _NAME_AFFIXES:
        name = name.replace(affix, "")
    return name.strip()


@dataclass(frozen=True)
class MapTile:
    code: str  # a region code, or NATIONAL
    kato: str
    name: str  # in the active language
    short_name: str
    name_kk: str
    name_ru: str
    name_en: str
    column: int
    row: int
    projects: int
    amount: int
    shade: int


@dataclass(frozen=True)
class ProjectMap:
    tiles: list[MapTile]  # the regions in code order, then the national tile
    projects: int
    amount: int
    shade_limits: list[int] = field(default_factory=list)  # upper amount of shades 1..5


def _shade(amount: int, projects: int, largest: int) -> int:
    if not projects or largest <= 0:
        return 0
    return max(1, math.ceil(amount * SHADES / largest))


def _national_names() -> dict[str, str]:
    names = {}
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            names[f"name_{language}"] = _("National projects")
    return names


def project_map(params: Mapping[str, Any] | None = None) -> ProjectMap:
    """Number and amount of the public projects per region (and national), for the map's
    filters (year, kind, area, status): two queries whatever the number of projects."""
    params = params or {}
    data = {key: params.get(key) for key in MAP_FILTERS if params.get(key)}
    queryset = ProjectFilter(data=data, queryset=Contract.objects.all()).qs.filter(
        status__in=PUBLIC_CONTRACT_STATUSES
    )
    figures = {
        row["region__code"]: (row["projects"], row["amount"] or 0)
        for row in queryset.order_by()
        .values("region__code")
        .annotate(projects=Count("pk"), amount=Sum("amount"))
    }
    largest = max((amount for _n, amount in figures.values()), default=0)
    regions = list(region_list())
    shorts = {region.code: short_region_name(region) for region in regions}
    # Almaty Region and the city of Almaty have the same short name: the region keeps its own.
    clashes = {name for name in shorts.values() if list(shorts.values()).count(name) > 1}
    for region in regions:
        if shorts[region.code] in clashes and region.kind == RegionKind.OBLAST:
            shorts[region.code] = region.name
    tiles = []
    for region in regions:
        # A region added later without a cell here: (0, 0), the grid finds it a free cell.
        column, row = REGION_GRID.get(region.code, (0, 0))
        projects, amount = figures.get(region.code, (0, 0))
        tiles.append(
            MapTile(
                code=region.code,
                kato=region.kato,
                name=region.name,
                short_name=shorts[region.code],
                name_kk=region.name_kk,
                name_ru=region.name_ru,
                name_en=region.name_en,
                column=column,
                row=row,
                projects=projects,
                amount=amount,
                shade=_shade(amount, projects, largest),
            )
        )
    projects, amount = figures.get(None, (0, 0))
    tiles.append(
        MapTile(
            code=NATIONAL,
            kato="",
            name=_("National projects"),
            short_name=_("National"),
            **_national_names(),
            column=NATIONAL_CELL[0],
            row=NATIONAL_CELL[1],
            projects=projects,
            amount=amount,
            shade=_shade(amount, projects, largest),
        )
    )
    return ProjectMap(
        tiles=tiles,
        projects=sum(n for n, _a in figures.values()),
        amount=sum(a for _n, a in figures.values()),
        shade_limits=[math.floor(largest * i / SHADES) for i in range(1, SHADES + 1)],
    )


# --- One project ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicTranche:
    number: int
    amount: int
    due_date: dt.date
    released: bool
    released_on: dt.date | None
    after_report: int | None  # number of the report it waits for


@dataclass(frozen=True)
class PublicReport:
    number: int
    kind: str
    kind_label: str
    period_start: dt.date
    period_end: dt.date
    beneficiaries: int
    public_summary: str
    approved_on: dt.date | None


@dataclass(frozen=True)
class PublicFinding:
    severity: str
    severity_label: str
    text: str
    answer: str
    answered_on: dt.date | None


@dataclass(frozen=True)
class PublicPhoto:
    pk: int
    caption: str
    width: int
    height: int


@dataclass(frozen=True)
class PublicVisit:
    visited_on: dt.date
    monitor_kind: str
    monitor_kind_label: str
    monitor: str  # the organisation or council that visited
    summary: str
    recommendations: str
    findings: list[PublicFinding]
    photos: list[PublicPhoto]


@dataclass(frozen=True)
class PublicScore:
    criterion: str
    label: str
    value: int


@dataclass(frozen=True)
class PublicEvaluation:
    scores: list[PublicScore]
    total: int
    maximum: int
    scale_max: int
    conclusion: str
    published_on: dt.date | None


@dataclass(frozen=True)
class ProjectDetail:
    contract: Contract
    results: list[TargetResult]
    achievement: Decimal | None
    tranches: list[PublicTranche]
    paid: int
    reports: list[PublicReport]
    beneficiaries: int  # of the latest approved report (reports count people cumulatively)
    visits: list[PublicVisit]
    evaluation: PublicEvaluation | None


def _date(value: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(value) if value is not None else None


def _visits_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "visits",
        queryset=MonitoringVisit.objects.filter(status=VisitStatus.PUBLISHED)
        .select_related("organisation", "council")
        .prefetch_related(
            Prefetch("findings", queryset=VisitFinding.objects.order_by("position", "id")),
            Prefetch("photos", queryset=VisitPhoto.objects.order_by("id")),
        )
        .order_by("-visited_on", "-id"),
        to_attr="published_visits",
    )


def project_detail(*, pk: int) -> ProjectDetail:
    """One public project with its public parts; Contract.DoesNotExist for a draft."""
    contract = (
        with_results(projects_public())
        .prefetch_related(
            Prefetch("tranches", queryset=Tranche.objects.order_by("number")), _visits_prefetch()
        )
        .get(pk=pk)
    )
    results = contract_results(contract)
    report_numbers = {r.pk: r.number for r in contract.reports.all()}
    tranches = [
        PublicTranche(
            number=t.number,
            amount=t.amount,
            due_date=t.due_date,
            released=t.status == TrancheStatus.RELEASED,
            released_on=_date(t.released_at),
            after_report=report_numbers.get(t.report_id) if t.report_id else None,
        )
        for t in contract.tranches.all()
    ]
    approved = sorted(
        (r for r in contract.reports.all() if r.status == ProjectReportStatus.APPROVED),
        key=lambda r: (r.period_end, r.number),
    )
    reports = [
        PublicReport(
            number=r.number,
            kind=r.kind,
            kind_label=r.get_kind_display(),
            period_start=r.period_start,
            period_end=r.period_end,
            beneficiaries=r.beneficiaries,
            public_summary=r.public_summary,
            approved_on=_date(r.reviewed_at),
        )
        for r in approved
    ]
    visits = [
        PublicVisit(
            visited_on=v.visited_on,
            monitor_kind=v.monitor_kind,
            monitor_kind_label=v.get_monitor_kind_display(),
            monitor=(
                v.council.name
                if v.council is not None
                else (v.organisation.name if v.organisation is not None else "")
            ),
            summary=v.summary,
            recommendations=v.recommendations,
            findings=[
                PublicFinding(
                    severity=finding.severity,
                    severity_label=finding.get_severity_display(),
                    text=finding.text,
                    answer=finding.answer,
                    answered_on=_date(finding.answered_at),
                )
                for finding in v.findings.all()
            ],
            photos=[
                PublicPhoto(pk=p.pk, caption=p.caption, width=p.width, height=p.height)
                for p in v.photos.all()
            ],
        )
        for v in contract.published_visits  # type: ignore[attr-defined]
    ]
    return ProjectDetail(
        contract=contract,
        results=results,
        achievement=average_achievement(results),
        tranches=tranches,
        paid=sum(t.amount for t in tranches if t.released),
        reports=reports,
        beneficiaries=reports[-1].beneficiaries if reports else 0,
        visits=visits,
        evaluation=published_evaluation(contract),
    )


def published_evaluation(contract: Contract) -> PublicEvaluation | None:
    evaluation = (
        Evaluation.objects.filter(contract=contract, status=EvaluationStatus.PUBLISHED)
        .prefetch_related("scores")
        .first()
    )
    if evaluation is None:
        return None
    given = {s.criterion: s.value for s in evaluation.scores.all()}
    scores = [
        PublicScore(criterion=value, label=str(label), value=given[value])
        for value, label in EvaluationCriterion.choices
        if value in given
    ]
    return PublicEvaluation(
        scores=scores,
        total=sum(s.value for s in scores),
        maximum=evaluation.scale_max * len(EvaluationCriterion.values),
        scale_max=evaluation.scale_max,
        conclusion=evaluation.conclusion,
        published_on=_date(evaluation.published_at),
    )


def public_photo(*, pk: int) -> VisitPhoto:
    """A photo of a published visit of a public project; VisitPhoto.DoesNotExist otherwise."""
    return VisitPhoto.objects.get(
        pk=pk,
        visit__status=VisitStatus.PUBLISHED,
        visit__contract__status__in=PUBLIC_CONTRACT_STATUSES,
    )


def region_label(contract: Contract) -> str:
    return contract.region.name if contract.region is not None else _("National project")
