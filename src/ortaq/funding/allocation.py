"""The trial allocation of a competition's money (pure; no database).

Per lot, candidates are ranked by total score, highest first; ties are broken by the smaller
requested amount (more money left for others), then the earlier submission, then the smaller
id, so the ranking never depends on the order of the input. Going down the ranking, a
candidate is funded when his score reaches the pass mark and his amount fits into what is left
of the lot's budget; otherwise he is skipped with the reason and the amount that was left, and
the next one is tried (a cheaper project further down may still fit).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

FUNDED = ""
BELOW_THRESHOLD = "below_threshold"
NO_SCORE = "no_score"
OVER_BUDGET = "over_budget"


@dataclass(frozen=True)
class Candidate:
    id: int
    lot_id: int
    score: Decimal | None
    amount: int
    submitted_at: dt.datetime


@dataclass(frozen=True)
class Line:
    candidate: Candidate
    rank: int
    funded: bool
    reason: str
    remaining_before: int


def rank_key(candidate: Candidate) -> tuple[int, Decimal, int, dt.datetime, int]:
    has_score = 0 if candidate.score is not None else 1
    return (
        has_score,
        -(candidate.score or Decimal(0)),
        candidate.amount,
        candidate.submitted_at,
        candidate.id,
    )


def allocate(
    candidates: Iterable[Candidate],
    budgets: Mapping[int, int],
    *,
    pass_score: Decimal = Decimal(0),
) -> list[Line]:
    by_lot: dict[int, list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        by_lot[candidate.lot_id].append(candidate)
    lines: list[Line] = []
    for lot_id in sorted(by_lot):
        remaining = budgets[lot_id]
        for rank, candidate in enumerate(sorted(by_lot[lot_id], key=rank_key), start=1):
            before = remaining
            if candidate.score is None:
                reason = NO_SCORE
            elif candidate.score < pass_score:
                reason = BELOW_THRESHOLD
            elif candidate.amount > remaining:
                reason = OVER_BUDGET
            else:
                reason = FUNDED
                remaining -= candidate.amount
            lines.append(
                Line(
                    candidate=candidate,
                    rank=rank,
                    funded=reason == FUNDED,
                    reason=reason,
                    remaining_before=before,
                )
            )
    return lines
