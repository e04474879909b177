"""Aggregation of expert scores: n/a excluded, mean or median, divergence."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from ortaq.funding.scoring import CriterionSpec, aggregate, expert_total

FIVE = [CriterionSpec(id=i, weight=1, scale_max=5) for i in range(1, 6)]


@st.composite
def panels(draw: st.DrawFn) -> tuple[list[CriterionSpec], list[dict[int, int | None]]]:
    n = draw(st.integers(min_value=1, max_value=6))
    criteria = [
        CriterionSpec(
            id=i,
            weight=draw(st.integers(min_value=1, max_value=5)),
            scale_max=draw(st.integers(min_value=1, max_value=10)),
        )
        for i in range(1, n + 1)
    ]
    experts = [
        {
            c.id: draw(st.one_of(st.none(), st.integers(min_value=0, max_value=c.scale_max)))
            for c in criteria
        }
        for _ in range(draw(st.integers(min_value=0, max_value=5)))
    ]
    return criteria, experts


@given(panel=panels(), method=st.sampled_from(["mean", "median"]))
def test_total_between_lowest_and_highest_expert(
    panel: tuple[list[CriterionSpec], list[dict[int, int | None]]], method: str
) -> None:
    criteria, experts = panel
    result = aggregate(criteria, experts, method=method)
    if not result.expert_totals:
        assert result.total is None
        return
    assert result.total is not None
    assert min(result.expert_totals) <= result.total <= max(result.expert_totals)
    assert Decimal(0) <= result.total <= Decimal(100)


@given(panel=panels())
def test_na_is_excluded_not_zero(
    panel: tuple[list[CriterionSpec], list[dict[int, int | None]]],
) -> None:
    criteria, experts = panel
    for scores in experts:
        scored = [c for c in criteria if scores.get(c.id) is not None]
        assert expert_total(criteria, scores) == expert_total(scored, scores)


@given(panel=panels(), data=st.data())
def test_order_of_experts_does_not_matter(
    panel: tuple[list[CriterionSpec], list[dict[int, int | None]]], data: st.DataObject
) -> None:
    criteria, experts = panel
    shuffled = data.draw(st.permutations(experts))
    one, other = aggregate(criteria, experts), aggregate(criteria, list(shuffled))
    assert (one.total, one.per_criterion, one.divergent, one.spread) == (
        other.total,
        other.per_criterion,
        other.divergent,
        other.spread,
    )
    assert sorted(one.expert_totals) == sorted(other.expert_totals)


def test_full_marks_are_100_and_na_does_not_count_as_zero() -> None:
    assert expert_total(FIVE, dict.fromkeys(range(1, 6), 5)) == 100
    assert expert_total(FIVE, {1: 5, 2: 5, 3: None, 4: 5, 5: 5}) == 100
    assert expert_total(FIVE, {1: 5, 2: 5, 3: 0, 4: 5, 5: 5}) == 80


def test_weighted_mean_median_and_divergence() -> None:
    criteria = [CriterionSpec(1, weight=3, scale_max=5), CriterionSpec(2, weight=1, scale_max=5)]
    experts: list[dict[int, int | None]] = [{1: 5, 2: 0}, {1: 4, 2: 4}, {1: 0, 2: 5}]
    mean = aggregate(criteria, experts, margin=Decimal("50"))
    assert mean.expert_totals == (Decimal("75.00"), Decimal("80.00"), Decimal("25.00"))
    assert mean.total == Decimal("60.00")
    assert mean.spread == Decimal("55.00")
    assert mean.divergent is True
    assert mean.per_criterion == {1: Decimal("3.00"), 2: Decimal("3.00")}
    median = aggregate(criteria, experts, method="median", margin=Decimal("60"))
    assert median.total == Decimal("75.00")
    assert median.divergent is False
