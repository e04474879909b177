"""Regional funding statistics (issue #5): funded projects and money per region, year, activity
area and body, with the share of NGOs funded, the average score, indicators achieved and the
evaluations of effectiveness. Public facts only (published decisions, contracts in force).

Definitions (the page says the same in its note):
- a funded project is an application with status *funded* in a competition whose decision is
  published; its amount is the decision line's, its year the programme's, its region the
  application's (a national lot has none; the application always has one), its area the lot's,
  its body the competition's organiser, its kind the programme's;
- share of NGOs funded: of the active NGOs registered in the region now (the registry's NGO
  group, as its statistics count them), the share that has a funded project among those
  selected (over the years selected, wherever the project is); the filters narrow the
  projects, not the NGOs registered. Never above 100%: an NGO of another region funded here,
  or one liquidated since, counts among the NGOs funded of the row but not in its share;
- average score: the mean total score (decision line) of the funded projects that have one;
- indicators achieved: the mean, over contracts whose latest approved report has values, of
  `achievement.average_achievement` (each target capped at 100%);
- evaluation: the mean total of the published evaluations (sum of the five criteria) out of the
  mean highest total (scale × five criteria, 25), and how many there are.

A constant number of queries whatever the number of regions, projects or contracts: one GROUP
BY of the projects by every breakdown's key and NGO (added up here), one for the NGOs
registered, one for the values of the latest approved reports, one for the evaluations, and
the names of what was grouped.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import get_language

from ortaq.accounts.models import Organisation
from ortaq.reference.enums import LegalFormGroup
from ortaq.reference.models import ActivityArea, Region
from ortaq.reference.selectors import activity_area_list, region_list
from ortaq.registry.enums import NgoStatus
from ortaq.registry.models import NgoProfile

from ..achievement import TargetResult, achievement_percent, average_achievement
from ..enums import (
    PUBLIC_CONTRACT_STATUSES,
    ApplicationStatus,
    DecisionStatus,
    EvaluationCriterion,
    EvaluationStatus,
    ProjectReportStatus,
)
from ..models import (
    Application,
    Competition,
    ContractIndicator,
    Evaluation,
    Programme,
    Report,
    ReportIndicatorValue,
)

HUNDRED = Decimal(100)

# Where each breakdown's key lives, seen from an application.
REGION = "region_id"
YEAR = "lot__competition__programme__year"
AREA = "lot__area_id"
BODY = "lot__competition__organiser_id"
KIND = "lot__competition__programme__kind"
DIMENSIONS = {"region": REGION, "year": YEAR, "area": AREA, "body": BODY}


def _ratio(part: Decimal | int, whole: Decimal | int, places: str = "0.1") -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal(places), ROUND_HALF_UP)


@dataclass(frozen=True)
class FundingFilters:
    year: int | None = None
    region: Region | None = None
    area: ActivityArea | None = None
    body: Organisation | None = None
    kind: str = ""

    def cache_key(self) -> str:
        parts = [
            self.year or "",
            self.region.pk if self.region else "",
            self.area.pk if self.area else "",
            self.body.pk if self.body else "",
            self.kind,
        ]
        return ":".join(str(p) for p in parts)

    def query(self) -> dict[str, str]:
        """The filters as a query string's parameters (links to exports and the API)."""
        values = {
            "year": self.year,
            "region": self.region.pk if self.region else None,
            "area": self.area.pk if self.area else None,
            "body": self.body.pk if self.body else None,
            "kind": self.kind,
        }
        return {k: str(v) for k, v in values.items() if v}

    def scope(self, prefix: str = "") -> Q:
        """Funded projects matching the filters; `prefix` leads from the model queried to its
        application (e.g. "contract__application__")."""
        scope = Q(
            **{
                f"{prefix}status": ApplicationStatus.FUNDED,
                f"{prefix}decision_line__decision__status": DecisionStatus.PUBLISHED,
            }
        )
        for path, value in (
            (YEAR, self.year),
            (REGION, self.region.pk if self.region else None),
            (AREA, self.area.pk if self.area else None),
            (BODY, self.body.pk if self.body else None),
            (KIND, self.kind or None),
        ):
            if value is not None:
                scope &= Q(**{f"{prefix}{path}": value})
        return scope


@dataclass
class FundingFigures:
    """The figures of one row: a region, a year, an area, a body, or the total (key None)."""

    key: Any  # Region | int (a year) | ActivityArea | Organisation | None
    projects: int = 0
    amount: int = 0
    ngos: int = 0  # distinct NGOs funded for projects of the row
    active_ngos: int | None = None  # active NGOs registered (regions and the total only)
    active_funded: int = 0  # of them, those with a funded project selected
    score_sum: Decimal = Decimal(0)
    scored: int = 0
    achievement_sum: Decimal = Decimal(0)
    achieved: int = 0  # contracts with values in an approved report
    evaluation_sum: int = 0
    evaluation_max_sum: int = 0
    evaluated: int = 0

    @property
    def ngo_share(self) -> Decimal | None:
        """Per cent of the active NGOs registered that were funded."""
        return _ratio(self.active_funded * HUNDRED, self.active_ngos or 0)

    @property
    def average_score(self) -> Decimal | None:
        return _ratio(self.score_sum, self.scored, "0.01")

    @property
    def achievement(self) -> Decimal | None:
        return _ratio(self.achievement_sum, self.achieved)

    @property
    def evaluation_mean(self) -> Decimal | None:
        return _ratio(self.evaluation_sum, self.evaluated)

    @property
    def evaluation_out_of(self) -> Decimal | None:
        return _ratio(self.evaluation_max_sum, self.evaluated)

    @property
    def evaluation_percent(self) -> Decimal | None:
        return _ratio(self.evaluation_sum * HUNDRED, self.evaluation_max_sum)


@dataclass
class FundingStatistics:
    filters: FundingFilters
    regions: list[FundingFigures]
    years: list[FundingFigures]
    areas: list[FundingFigures]
    bodies: list[FundingFigures]
    total: FundingFigures

    @property
    def breakdowns(self) -> dict[str, list[FundingFigures]]:
        return {"region": self.regions, "year": self.years, "area": self.areas, "body": self.bodies}


def funded_applications(filters: FundingFilters) -> QuerySet[Application]:
    return Application.objects.filter(filters.scope()).order_by()


# An active NGO as the registry's statistics count them (seen from an application).
_ACTIVE_NGO = Q(ngo__status=NgoStatus.ACTIVE, ngo__legal_form__group=LegalFormGroup.NGO)

Keys = tuple[int, int, int, int]  # a funded project's region, year, area and body


def _paths(prefix: str) -> list[str]:
    return [f"{prefix}{path}" for path in DIMENSIONS.values()]


def _project_rows(filters: FundingFilters) -> list[tuple[Any, ...]]:
    """One GROUP BY over the funded projects, by the keys of every breakdown and the NGO:
    (*keys, NGO, NGO's region, NGO is active, projects, amount, score sum, scored). Python adds
    them up per breakdown and counts distinct NGOs: one scan of the projects instead of one
    per breakdown."""
    keys = [*_paths(""), "ngo_id", "ngo__organisation__region_id"]
    return list(
        funded_applications(filters)
        .values(*keys)
        .annotate(
            ngo_active=Count("ngo_id", filter=_ACTIVE_NGO),
            projects=Count("pk"),
            amount=Sum("decision_line__amount"),
            score_sum=Sum("decision_line__total_score"),
            scored=Count("decision_line__total_score"),
        )
        .values_list(*keys, "ngo_active", "projects", "amount", "score_sum", "scored")
    )


def contract_achievements(filters: FundingFilters) -> list[tuple[Keys, Decimal]]:
    """Each contract's average achievement from the values of its latest approved report (as
    `achievement.contract_results` picks it), in two plain joins: the approved reports, to
    know each contract's latest, and their values, read as tuples. No correlated subquery
    (PostgreSQL ran one per report: seconds at national scale), no model instances."""
    approved = Q(contract__status__in=PUBLIC_CONTRACT_STATUSES, status=ProjectReportStatus.APPROVED)
    latest: dict[int, tuple[Any, int, int]] = {}  # contract → (period end, number, report)
    for contract_id, period_end, number, report_id in (
        Report.objects.filter(filters.scope("contract__application__") & approved)
        .order_by()
        .values_list("contract_id", "period_end", "number", "pk")
    ):
        mark = (period_end, number, report_id)
        if contract_id not in latest or mark > latest[contract_id]:
            latest[contract_id] = mark
    chosen = {report_id for _end, _number, report_id in latest.values()}
    values = (
        ReportIndicatorValue.objects.filter(
            filters.scope("report__contract__application__"),
            report__contract__status__in=PUBLIC_CONTRACT_STATUSES,
            report__status=ProjectReportStatus.APPROVED,
        )
        .order_by()
        .values_list(
            "report_id",
            "report__contract_id",
            "actual",
            "indicator__baseline",
            "indicator__target",
            *_paths("report__contract__application__"),
        )
    )
    # average_achievement reads each result's percent only: one unsaved target stands for all.
    target = ContractIndicator()
    per_contract: dict[int, tuple[Keys, list[TargetResult]]] = {}
    for report_id, contract_id, actual, baseline, target_value, *keys in values:
        if report_id not in chosen:
            continue
        percent = achievement_percent(baseline=baseline, target=target_value, actual=actual)
        entry = per_contract.setdefault(contract_id, (tuple(keys), []))
        entry[1].append(TargetResult(target, actual, percent))
    result = []
    for keys, results in per_contract.values():
        average = average_achievement(results)
        if average is not None:
            result.append((keys, average))
    return result


def published_evaluations(filters: FundingFilters) -> list[tuple[Keys, int, int]]:
    """(keys, total, highest total) of each published evaluation that has scores."""
    criteria = len(EvaluationCriterion.values)
    rows = (
        Evaluation.objects.filter(
            filters.scope("contract__application__"),
            status=EvaluationStatus.PUBLISHED,
            contract__status__in=PUBLIC_CONTRACT_STATUSES,
        )
        .order_by()
        .values("pk", "scale_max", *_paths("contract__application__"))
        .annotate(total=Sum("scores__value"))
        .values_list("total", "scale_max", *_paths("contract__application__"))
    )
    return [
        (tuple(keys), total, scale_max * criteria)
        for total, scale_max, *keys in rows
        if total is not None
    ]


def _active_ngos() -> dict[int, int]:
    return dict(
        NgoProfile.objects.filter(status=NgoStatus.ACTIVE, legal_form__group=LegalFormGroup.NGO)
        .order_by()
        .values("organisation__region_id")
        .annotate(n=Count("pk"))
        .values_list("organisation__region_id", "n")
    )


def funding_statistics(*, filters: FundingFilters | None = None) -> FundingStatistics:
    """The figures for the filters, per region, year, area and body, and in total."""
    filters = filters or FundingFilters()
    regions = [filters.region] if filters.region else list(region_list())
    tables: dict[str, dict[Any, FundingFigures]] = {name: {} for name in DIMENSIONS}
    tables["region"] = {r.pk: FundingFigures(r) for r in regions}
    total = FundingFigures(None)

    rows: dict[Keys, list[FundingFigures]] = {}

    def rows_of(keys: Keys) -> list[FundingFigures]:
        """The total and the row of each breakdown a project with these keys falls in; the
        year, area and body rows are made on the way (regions are all there already)."""
        found = rows.get(keys)
        if found is None:
            found = [total]
            for (name, table), key in zip(tables.items(), keys, strict=True):
                if name != "region" and key not in table:
                    table[key] = FundingFigures(key)
                if key in table:
                    found.append(table[key])
            rows[keys] = found
        return found

    funded_ngos: dict[int, set[int]] = defaultdict(set)  # id() of a row → its NGOs
    active_funded: dict[int, set[int]] = defaultdict(set)  # NGO's region → active NGOs funded
    for (
        *project_keys,
        ngo,
        ngo_region,
        ngo_active,
        projects,
        amount,
        score_sum,
        scored,
    ) in _project_rows(filters):
        if ngo_active:
            active_funded[ngo_region].add(ngo)
        for figures in rows_of(tuple(project_keys)):
            figures.projects += projects
            figures.amount += amount or 0
            figures.score_sum += score_sum or 0
            figures.scored += scored
            funded_ngos[id(figures)].add(ngo)
    for figures in [total, *(f for table in tables.values() for f in table.values())]:
        figures.ngos = len(funded_ngos[id(figures)])

    active = _active_ngos()
    for pk, figures in tables["region"].items():
        figures.active_ngos = active.get(pk, 0)
        figures.active_funded = len(active_funded[pk])
    total.active_ngos = sum(f.active_ngos or 0 for f in tables["region"].values())
    total.active_funded = sum(f.active_funded for f in tables["region"].values())

    for keys, average in contract_achievements(filters):
        for figures in rows_of(keys):
            figures.achievement_sum += average
            figures.achieved += 1
    for keys, score, highest in published_evaluations(filters):
        for figures in rows_of(keys):
            figures.evaluation_sum += score
            figures.evaluation_max_sum += highest
            figures.evaluated += 1

    areas = {a.pk: a for a in activity_area_list().filter(pk__in=list(tables["area"]))}
    bodies = {o.pk: o for o in Organisation.objects.filter(pk__in=list(tables["body"]))}
    for pk, figures in tables["area"].items():
        figures.key = areas.get(pk)
    for pk, figures in tables["body"].items():
        figures.key = bodies.get(pk)
    area_order = {pk: n for n, pk in enumerate(areas)}
    return FundingStatistics(
        filters=filters,
        regions=list(tables["region"].values()),
        years=sorted(tables["year"].values(), key=lambda f: f.key),
        areas=sorted(
            (f for f in tables["area"].values() if f.key is not None),
            key=lambda f: area_order[f.key.pk],
        ),
        bodies=sorted(
            (f for f in tables["body"].values() if f.key is not None),
            key=lambda f: (-f.amount, f.key.name),
        ),
        total=total,
    )


CACHE_SECONDS = 300


def funding_statistics_cached(*, filters: FundingFilters) -> FundingStatistics:
    """The statistics, kept for five minutes like the NGO statistics (registry.stats): read far
    more often than decisions are published, and open data a few minutes old is fine. The key
    holds every filter and the language (names are read in it when the page is drawn)."""
    key = f"funding:stats:{get_language() or ''}:{filters.cache_key()}"
    return cache.get_or_set(  # type: ignore[return-value]
        key, lambda: funding_statistics(filters=filters), CACHE_SECONDS
    )


def years_funded() -> list[int]:
    """Programme years with a published decision (the choices of the year filter)."""
    return list(
        Programme.objects.filter(competitions__decision__status=DecisionStatus.PUBLISHED)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def bodies_funding() -> QuerySet[Organisation]:
    """Organisers of competitions with a published decision (the choices of the body filter)."""
    return Organisation.objects.filter(
        pk__in=Competition.objects.filter(decision__status=DecisionStatus.PUBLISHED).values(
            "organiser_id"
        )
    ).order_by("name_ru")
