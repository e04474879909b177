"""Aggregation of expert scores (pure; no database).

An expert's total is his weighted percentage: sum(weight × score / scale) / sum(weight) × 100
over the criteria he scored; a criterion marked n/a (None) is left out of both sums, so it
neither helps nor harms. The application's total is the mean (or the median) of the totals of
the experts who submitted. Experts disagree ("divergent") when their totals are further apart
than the programme's margin. Results are Decimals rounded half-up to 0.01.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from statistics import median

CENT = Decimal("0.01")


@dataclass(frozen=True)
class CriterionSpec:
    id: int
    weight: int
    scale_max: int


@dataclass(frozen=True)
class Aggregate:
    total: Decimal | None  # None: no expert scored anything
    expert_totals: tuple[Decimal, ...]
    per_criterion: dict[int, Decimal | None]  # mean score on the criterion's own scale
    divergent: bool
    spread: Decimal


def _round(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        CENT, rounding=ROUND_HALF_UP
    )


def expert_total(
    criteria: Sequence[CriterionSpec], scores: Mapping[int, int | None]
) -> Fraction | None:
    """The weighted percentage of one expert's scores; None if every criterion is n/a."""
    weighted = Fraction(0)
    weights = 0
    for criterion in criteria:
        value = scores.get(criterion.id)
        if value is None:
            continue
        if not 0 <= value <= criterion.scale_max:
            raise ValueError(f"score {value} outside 0..{criterion.scale_max}")
        weighted += Fraction(criterion.weight * value, criterion.scale_max)
        weights += criterion.weight
    if weights == 0:
        return None
    return weighted / weights * 100


def aggregate(
    criteria: Sequence[CriterionSpec],
    experts: Sequence[Mapping[int, int | None]],
    *,
    method: str = "mean",
    margin: Decimal = Decimal("20"),
) -> Aggregate:
    totals = [t for t in (expert_total(criteria, s) for s in experts) if t is not None]
    if not totals:
        total = None
    elif method == "median":
        total = _round(Fraction(median(totals)))
    elif method == "mean":
        total = _round(sum(totals, Fraction(0)) / len(totals))
    else:
        raise ValueError(f"unknown aggregation {method!r}")
    per_criterion: dict[int, Decimal | None] = {}
    for criterion in criteria:
        values = [s[criterion.id] for s in experts if s.get(criterion.id) is not None]
        per_criterion[criterion.id] = (
            _round(Fraction(sum(v for v in values if v is not None), len(values)))
            if values
            else None
        )
    spread = _round(max(totals) - min(totals)) if totals else Decimal("0.00")
    return Aggregate(
        total=total,
        expert_totals=tuple(_round(t) for t in totals),
        per_criterion=per_criterion,
        divergent=spread > margin,
        spread=spread,
    )
