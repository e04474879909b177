"""The reproducible random draw of experts (pure; no database).

Algorithm "sorted-sample-v1", documented so anyone can re-run it:

1. the pool is the ids of the eligible experts, sorted ascending and without duplicates
   (so the order in which they were read does not matter);
2. `random.Random(seed)` (Python's Mersenne Twister seeded with the seed string) draws
   `random.sample(pool, k)` with `k = min(len(pool), main + reserves)`;
3. the first `main` drawn are the commission, the rest are reserves in the order drawn
   (a recused expert is replaced by the first reserve that is free of conflict).

The seed and the result are stored; `verify_draw` repeats steps 1–3 and compares.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

ALGORITHM = "sorted-sample-v1"


@dataclass(frozen=True)
class DrawResult:
    pool: tuple[int, ...]
    main: tuple[int, ...]
    reserves: tuple[int, ...]
    seed: str
    algorithm: str = ALGORITHM


def new_seed() -> str:
    return secrets.token_hex(16)


def draw_experts(pool: Iterable[int], *, seed: str, main: int, reserves: int) -> DrawResult:
    if main < 0 or reserves < 0:
        raise ValueError("main and reserves must not be negative")
    ordered = tuple(sorted(set(pool)))
    k = min(len(ordered), main + reserves)
    drawn = random.Random(seed).sample(ordered, k)
    return DrawResult(
        pool=ordered,
        main=tuple(drawn[:main]),
        reserves=tuple(drawn[main:]),
        seed=seed,
    )


def verify_draw(
    *,
    pool: Iterable[int],
    seed: str,
    main: int,
    reserves: int,
    drawn: Iterable[int],
    drawn_reserves: Iterable[int],
    algorithm: str = ALGORITHM,
) -> bool:
    """True when re-running the draw with the recorded seed gives the recorded result."""
    if algorithm != ALGORITHM:
        return False
    again = draw_experts(pool, seed=seed, main=main, reserves=reserves)
    return again.main == tuple(drawn) and again.reserves == tuple(drawn_reserves)
