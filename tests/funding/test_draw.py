"""The expert draw: reproducible, disjoint, drawn from the pool only."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ortaq.funding.draw import draw_experts, verify_draw

pools = st.lists(st.integers(min_value=1, max_value=10_000), max_size=40)
seeds = st.text(min_size=1, max_size=32)
counts = st.integers(min_value=0, max_value=6)


@given(pool=pools, seed=seeds, main=counts, reserves=counts)
def test_draw_invariants(pool: list[int], seed: str, main: int, reserves: int) -> None:
    result = draw_experts(pool, seed=seed, main=main, reserves=reserves)
    drawn = result.main + result.reserves
    assert len(set(drawn)) == len(drawn)
    assert set(drawn) <= set(pool)
    assert len(drawn) == min(len(set(pool)), main + reserves)
    assert len(result.main) == min(main, len(set(pool)))


@given(pool=pools, seed=seeds, main=counts, reserves=counts, data=st.data())
def test_draw_does_not_depend_on_pool_order(
    pool: list[int], seed: str, main: int, reserves: int, data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(pool))
    assert draw_experts(pool, seed=seed, main=main, reserves=reserves) == draw_experts(
        shuffled, seed=seed, main=main, reserves=reserves
    )


@given(pool=pools, seed=seeds, main=counts, reserves=counts)
def test_recorded_draw_verifies(pool: list[int], seed: str, main: int, reserves: int) -> None:
    result = draw_experts(pool, seed=seed, main=main, reserves=reserves)
    assert verify_draw(
        pool=pool,
        seed=seed,
        main=main,
        reserves=reserves,
        drawn=result.main,
        drawn_reserves=result.reserves,
    )


def test_tampered_draw_does_not_verify() -> None:
    pool = list(range(1, 21))
    result = draw_experts(pool, seed="abc", main=3, reserves=3)
    assert result == draw_experts(pool, seed="abc", main=3, reserves=3)
    swapped = (result.reserves[0], *result.main[1:])
    assert not verify_draw(
        pool=pool, seed="abc", main=3, reserves=3, drawn=swapped, drawn_reserves=result.reserves
    )
    assert not verify_draw(
        pool=pool,
        seed="abd",
        main=3,
        reserves=3,
        drawn=result.main,
        drawn_reserves=result.reserves,
    )
