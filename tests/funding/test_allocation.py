"""The trial allocation: never over budget, each skip explained, order-independent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from ortaq.funding import allocation
from ortaq.funding.allocation import Candidate, allocate

BASE = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


@st.composite
def competitions(draw: st.DrawFn) -> tuple[list[Candidate], dict[int, int]]:
    lots = draw(st.lists(st.integers(min_value=1, max_value=4), min_size=1, unique=True))
    budgets = {lot: draw(st.integers(min_value=0, max_value=10_000)) for lot in lots}
    n = draw(st.integers(min_value=0, max_value=25))
    candidates = [
        Candidate(
            id=i,
            lot_id=draw(st.sampled_from(lots)),
            score=draw(
                st.one_of(
                    st.none(),
                    st.decimals(min_value=0, max_value=100, places=2, allow_nan=False),
                )
            ),
            amount=draw(st.integers(min_value=1, max_value=5_000)),
            submitted_at=BASE + dt.timedelta(minutes=draw(st.integers(0, 50))),
        )
        for i in range(1, n + 1)
    ]
    return candidates, budgets


@given(case=competitions(), pass_score=st.decimals(0, 100, places=2, allow_nan=False))
def test_allocation_invariants(
    case: tuple[list[Candidate], dict[int, int]], pass_score: Decimal
) -> None:
    candidates, budgets = case
    lines = allocate(candidates, budgets, pass_score=pass_score)
    assert sorted(line.candidate.id for line in lines) == [c.id for c in candidates]
    for lot, budget in budgets.items():
        mine = [line for line in lines if line.candidate.lot_id == lot]
        assert sum(line.candidate.amount for line in mine if line.funded) <= budget
        assert [line.rank for line in mine] == list(range(1, len(mine) + 1))
        spent = 0
        for line in mine:  # lines of a lot are in rank order
            assert line.remaining_before == budget - spent
            if line.funded:
                assert line.reason == allocation.FUNDED
                assert line.candidate.score is not None
                assert line.candidate.score >= pass_score
                spent += line.candidate.amount
            elif line.reason == allocation.OVER_BUDGET:
                assert line.candidate.amount > line.remaining_before
            elif line.reason == allocation.BELOW_THRESHOLD:
                assert line.candidate.score is not None
                assert line.candidate.score < pass_score
            else:
                assert line.reason == allocation.NO_SCORE
                assert line.candidate.score is None


@given(case=competitions(), data=st.data())
def test_allocation_does_not_depend_on_input_order(
    case: tuple[list[Candidate], dict[int, int]], data: st.DataObject
) -> None:
    candidates, budgets = case
    shuffled = data.draw(st.permutations(candidates))
    assert allocate(candidates, budgets) == allocate(list(shuffled), budgets)


@given(case=competitions())
def test_higher_score_is_ranked_first(case: tuple[list[Candidate], dict[int, int]]) -> None:
    candidates, budgets = case
    lines = allocate(candidates, budgets)
    for lot in budgets:
        scores = [line.candidate.score for line in lines if line.candidate.lot_id == lot]
        known = [s for s in scores if s is not None]
        assert known == sorted(known, reverse=True)
        assert scores[: len(known)] == known  # unscored ones come last


def test_cheaper_project_further_down_still_fits() -> None:
    lines = allocate(
        [
            Candidate(1, 1, Decimal("90"), 600, BASE),
            Candidate(2, 1, Decimal("80"), 600, BASE),
            Candidate(3, 1, Decimal("70"), 300, BASE),
            Candidate(4, 1, Decimal("70"), 200, BASE),
        ],
        {1: 1000},
    )
    assert [(line.candidate.id, line.funded, line.reason) for line in lines] == [
        (1, True, ""),
        (2, False, "over_budget"),
        (4, True, ""),  # same score as 3, smaller amount first
        (3, False, "over_budget"),
    ]
