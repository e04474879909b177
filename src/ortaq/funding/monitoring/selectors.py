"""Reads of monitoring visits and evaluations of effectiveness, from what the user may see.

- A draft visit is its side's own (`rules.is_visit_side`): the inspector, the officials of the
  organisation he visited for, the members of the council he visited for.
- A published visit is public; `public_visits(contract)` and `public_evaluation(contract)` are
  what the public project page shows (photos and findings prefetched).
- The indicators achieved next to an evaluation are computed (`achievement.py`), never typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ortaq.accounts.rules import regions_administered, user_roles

from ..achievement import TargetResult, average_achievement, contract_results, with_results
from ..enums import ContractStatus, EvaluationCriterion, EvaluationStatus, VisitStatus
from ..models import (
    Contract,
    Evaluation,
    EvaluationScore,
    MonitoringVisit,
    VisitFinding,
    VisitPhoto,
)
from ..rules import (
    GRANT_KINDS,
    MONITOR_CONTRACT_STATUSES,
    ORGANISER_ROLES,
    evaluator_areas,
    operator_org_ids,
    organiser_org_ids,
    public_council_seats,
)

# --- The checklist of a visit -----------------------------------------------------------------

# The default checklist: stored by code, shown in each reader's language. Items the monitor adds
# are stored as he typed them.
DEFAULT_CHECKLIST: tuple[tuple[str, Promise], ...] = (
    ("activities", _("Activities carried out as planned")),
    ("beneficiaries", _("Beneficiaries met")),
    ("materials", _("Materials and equipment present")),
    ("visibility", _("Visibility of the funding")),
    ("documents", _("Documents kept")),
)
CHECKLIST_LABELS: dict[str, Promise] = dict(DEFAULT_CHECKLIST)


def default_checklist() -> list[dict[str, Any]]:
    return [{"item": code, "ok": None, "note": ""} for code, _label in DEFAULT_CHECKLIST]


def checklist_label(item: str) -> str:
    return str(CHECKLIST_LABELS.get(item, item))


@dataclass(frozen=True)
class ChecklistRow:
    item: str
    label: str
    ok: bool | None
    note: str


def checklist_rows(visit: MonitoringVisit) -> list[ChecklistRow]:
    return [
        ChecklistRow(
            str(row.get("item", "")),
            checklist_label(str(row.get("item", ""))),
            row.get("ok"),
            str(row.get("note", "")),
        )
        for row in visit.checklist or []
    ]


# --- Visits -----------------------------------------------------------------------------------


def _visits() -> QuerySet[MonitoringVisit]:
    return MonitoringVisit.objects.select_related(
        "contract__ngo__organisation",
        "contract__region",
        "contract__organiser",
        "organisation",
        "council",
        "inspector",
    )


def _with_parts(qs: QuerySet[MonitoringVisit]) -> QuerySet[MonitoringVisit]:
    return qs.prefetch_related(
        Prefetch("findings", queryset=VisitFinding.objects.order_by("position", "id")),
        Prefetch("photos", queryset=VisitPhoto.objects.order_by("id")),
    )


def visit_side_q(user: Any) -> Q:
    """Visits whose side the user is on (see `rules.is_visit_side`), as a filter."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    organisations = {org for org, role, _r, _k in user_roles(user) if role in ORGANISER_ROLES}
    councils = {council for council, _region in public_council_seats(user)}
    return Q(inspector=user) | Q(organisation_id__in=organisations) | Q(council_id__in=councils)


def _filter_visits(
    qs: QuerySet[MonitoringVisit], params: Mapping[str, Any] | None
) -> QuerySet[MonitoringVisit]:
    params = params or {}
    if params.get("region"):
        qs = qs.filter(contract__region=params["region"])
    if params.get("status"):
        qs = qs.filter(status=params["status"])
    if params.get("contract"):
        qs = qs.filter(contract=params["contract"])
    return qs


def visits_visible_to(
    *, user: Any, params: Mapping[str, Any] | None = None
) -> QuerySet[MonitoringVisit]:
    """Published visits (public) and the drafts of the user's side, newest first."""
    qs = _visits().filter(Q(status=VisitStatus.PUBLISHED) | visit_side_q(user))
    return _with_parts(_filter_visits(qs, params)).order_by("-visited_on", "-id")


def visits_of_monitor(
    *, user: Any, params: Mapping[str, Any] | None = None
) -> QuerySet[MonitoringVisit]:
    """The visits of the user's side (his and his colleagues'), drafts included."""
    qs = _visits().filter(visit_side_q(user)).annotate(finding_count=Count("findings"))
    return _filter_visits(qs, params).order_by("-visited_on", "-id")


def visit_detail(*, pk: int) -> MonitoringVisit:
    return _with_parts(_visits()).get(pk=pk)


def public_visits(contract: Contract) -> QuerySet[MonitoringVisit]:
    """The published visits of a project with their findings (and the NGO's answers) and
    photos; what anyone may read. The checklist is not for the public page."""
    return _with_parts(_visits().filter(contract=contract, status=VisitStatus.PUBLISHED)).order_by(
        "-visited_on", "-id"
    )


def contracts_to_visit(*, user: Any, params: Mapping[str, Any] | None = None) -> QuerySet[Contract]:
    """Projects in force or completed that the user may visit (`rules.monitor_kinds`), with
    the number of published visits and the date of the last one."""
    params = params or {}
    if not getattr(user, "is_authenticated", False):
        return Contract.objects.none()
    where = Q(organiser_id__in=organiser_org_ids(user)) | Q(
        region_id__in=regions_administered(user)
    )
    if operator_org_ids(user):
        where |= Q(application__lot__competition__programme__kind__in=GRANT_KINDS)
    seats = public_council_seats(user)
    if any(region is None for _c, region in seats):
        where |= Q(pk__isnull=False)  # a national council visits every project
    else:
        where |= Q(region_id__in={region for _c, region in seats})
    own = {org for org, *_rest in user_roles(user)}
    qs = (
        Contract.objects.filter(where, status__in=MONITOR_CONTRACT_STATUSES)
        .exclude(ngo__organisation_id__in=own)
        .select_related("ngo__organisation", "region", "organiser")
        .annotate(
            published_visits=Count("visits", filter=Q(visits__status=VisitStatus.PUBLISHED)),
            last_visit=Max("visits__visited_on", filter=Q(visits__status=VisitStatus.PUBLISHED)),
        )
    )
    if params.get("region"):
        qs = qs.filter(region=params["region"])
    return qs.order_by("-start_date", "-id")


# --- Evaluations ------------------------------------------------------------------------------


def _evaluations() -> QuerySet[Evaluation]:
    return Evaluation.objects.select_related(
        "contract__ngo__organisation", "contract__region", "evaluated_by"
    ).prefetch_related(Prefetch("scores", queryset=EvaluationScore.objects.order_by("id")))


def evaluations_visible_to(*, user: Any) -> QuerySet[Evaluation]:
    """Published evaluations (public) and the drafts the user may work on."""
    where = Q(status=EvaluationStatus.PUBLISHED)
    if getattr(user, "is_authenticated", False):
        where |= Q(contract__organiser_id__in=organiser_org_ids(user))
        areas = evaluator_areas(user)
        if areas:
            own = {org for org, *_rest in user_roles(user)}
            where |= Q(contract__application__lot__area_id__in=areas) & ~Q(
                contract__ngo__organisation_id__in=own
            )
    return _evaluations().filter(where).order_by("-id")


def contracts_to_evaluate(*, user: Any) -> QuerySet[Contract]:
    """Projects whose evaluation is open and not yet published, for the customer's officials
    and the experts of the project's area (`rules.is_council_expert`)."""
    if not getattr(user, "is_authenticated", False):
        return Contract.objects.none()
    where = Q(organiser_id__in=organiser_org_ids(user))
    areas = evaluator_areas(user)
    if areas:
        own = {org for org, *_rest in user_roles(user)}
        where |= Q(application__lot__area_id__in=areas) & ~Q(ngo__organisation_id__in=own)
    today = timezone.localdate()
    return (
        Contract.objects.filter(where)
        .filter(
            Q(status=ContractStatus.COMPLETED) | Q(status=ContractStatus.ACTIVE, end_date__lt=today)
        )
        .exclude(evaluation__status=EvaluationStatus.PUBLISHED)
        .select_related("ngo__organisation", "region", "evaluation")
        .order_by("end_date", "id")
    )


def evaluation_of(contract: Contract) -> Evaluation | None:
    return _evaluations().filter(contract=contract).first()


def public_evaluation(contract: Contract) -> Evaluation | None:
    """The published evaluation of a project (scores prefetched), or None."""
    return _evaluations().filter(contract=contract, status=EvaluationStatus.PUBLISHED).first()


@dataclass(frozen=True)
class ScoreRow:
    criterion: str
    label: str
    value: int | None
    comment: str


@dataclass(frozen=True)
class EvaluationSummary:
    rows: list[ScoreRow]
    total: int
    maximum: int
    complete: bool


def evaluation_summary(evaluation: Evaluation | None, *, scale_max: int) -> EvaluationSummary:
    """The five criteria in their order with the scores given so far, the total out of
    five times the scale."""
    scores = {s.criterion: s for s in evaluation.scores.all()} if evaluation else {}
    scale = evaluation.scale_max if evaluation else scale_max
    rows = [
        ScoreRow(
            value,
            str(label),
            scores[value].value if value in scores else None,
            scores[value].comment if value in scores else "",
        )
        for value, label in EvaluationCriterion.choices
    ]
    return EvaluationSummary(
        rows=rows,
        total=sum(r.value for r in rows if r.value is not None),
        maximum=scale * len(rows),
        complete=all(r.value is not None for r in rows),
    )


def contract_for_evaluation(*, pk: int) -> Contract:
    """A contract with what the rules and the achievement table read (one query each)."""
    return with_results(
        Contract.objects.select_related(
            "application__lot__competition__programme",
            "ngo__organisation",
            "organiser",
            "region",
        )
    ).get(pk=pk)


@dataclass(frozen=True)
class Achievement:
    results: list[TargetResult]
    average: Decimal | None


def contract_achievement(contract: Contract) -> Achievement:
    """Indicators achieved, computed from the latest approved report (`achievement.py`)."""
    results = contract_results(contract)
    return Achievement(results, average_achievement(results))
