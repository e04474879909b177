"""Indicators achieved: computed from the reports, never typed (issue #5).

The achievement of one target is the share of the planned change that was reached:
(actual − baseline) / (target − baseline), in per cent. Over-achievement is kept (it shows as
more than 100%); a fall below the baseline is 0%. A target equal to its baseline (keep a level)
is reached when the actual value is at least the target: 100% or 0%.

The actual value of a target is the one in the latest approved report of the contract (the
final report once it is approved); submitted, returned and draft reports do not count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch, QuerySet

from .enums import ProjectReportStatus
from .models import Contract, ContractIndicator, Report, ReportIndicatorValue

HUNDRED = Decimal(100)


def achievement_percent(*, baseline: Decimal, target: Decimal, actual: Decimal) -> Decimal:
    if target == baseline:
        return HUNDRED if actual >= target else Decimal(0)
    share = (actual - baseline) / (target - baseline) * HUNDRED
    return max(share, Decimal(0)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class TargetResult:
    indicator: ContractIndicator
    actual: Decimal | None  # None: no approved report has a value for it yet
    percent: Decimal | None


def _latest_approved(contract: Contract) -> Report | None:
    approved = [r for r in contract.reports.all() if r.status == ProjectReportStatus.APPROVED]
    return max(approved, key=lambda r: (r.period_end, r.number), default=None)


def contract_results(contract: Contract) -> list[TargetResult]:
    """Each target with its actual value and achievement. Works from prefetched data when the
    contract came from `with_results` (no query per contract)."""
    report = _latest_approved(contract)
    values = {v.indicator_id: v.actual for v in report.values.all()} if report else {}
    results = []
    for indicator in contract.indicators.all():
        actual = values.get(indicator.pk)
        percent = (
            None
            if actual is None
            else achievement_percent(
                baseline=indicator.baseline, target=indicator.target, actual=actual
            )
        )
        results.append(TargetResult(indicator, actual, percent))
    return results


def average_achievement(results: Iterable[TargetResult]) -> Decimal | None:
    """The mean achievement of the targets that have a value, each capped at 100% so that
    one over-achieved target does not hide a missed one."""
    shares = [min(r.percent, HUNDRED) for r in results if r.percent is not None]
    if not shares:
        return None
    return (sum(shares, Decimal(0)) / len(shares)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def with_results(queryset: QuerySet[Contract]) -> QuerySet[Contract]:
    """Prefetch what `contract_results` reads: targets, reports and their values."""
    return queryset.prefetch_related(
        Prefetch("indicators", queryset=ContractIndicator.objects.order_by("position", "id")),
        Prefetch(
            "reports",
            queryset=Report.objects.prefetch_related(
                Prefetch("values", queryset=ReportIndicatorValue.objects.all())
            ),
        ),
    )
