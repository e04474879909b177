"""Pure measures behind the risk signals (no ORM, no settings): text and budget similarity of
two applications, overlap of periods, the "wholesaler" score, concentration of funds and
lateness of reports. `risk/services.py` feeds them with rows and turns their results into
`RiskSignal` rows; the thresholds come from settings (FUNDING_RISK_*, see `Thresholds`).

Texts are compared as sets of word shingles (three consecutive word stems) with the Jaccard
index: word order matters, so two projects on the same topic written independently share
little, while a copied text with a few words changed shares most. Words are stemmed as the NGO
search stems them (`registry/search.py`: Russian Snowball, a Kazakh suffix stripper), so a
copy whose endings were changed (жастарға → жастардың, молодёжи → молодёжь) still matches.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from ortaq.registry.search import word_stems

SHINGLE = 3
K = TypeVar("K", bound=Hashable)

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Thresholds:
    """When a measure becomes a signal. Defaults are those of the settings (README)."""

    text_similarity: float = 0.5  # Jaccard of the shingles of two applications' texts
    text_min_words: int = 25  # shorter texts are form boilerplate: not compared
    budget_similarity: float = 0.9  # share of the two budgets in the same lines and amounts
    budget_min_lines: int = 4  # the budget alone raises a signal only with this many lines
    budget_tolerance: float = 0.05  # two amounts within 5% of the larger are "the same"
    wholesaler_regions: int = 5  # lots won in this many regions in one year...
    wholesaler_ratio: float = 0.75  # ...at a mean price of at most this share of the ceilings
    report_grace_days: int = 10  # a report sent more than this many days after its due date
    # An NGO applying again is a signal when one of its reports is still outstanding (returned
    # and not sent again, or overdue) or when it sent this many reports late: one late report
    # in an otherwise clean record is the ordinary life of a project, not a pattern.
    report_min_late: int = 2
    report_late_share: float = 0.3  # ...and at least this share of the reports it owed
    region_share: float = 0.15  # a region's share of the year's funds at least this...
    region_ratio: float = 2.5  # ...and this many times its share of the NGOs
    ngo_share: float = 0.33  # one NGO's share of a body's or region's funds in a year
    min_projects: int = 10  # a year, body or region with fewer funded projects: not measured


# --- Texts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    start: int
    end: int
    stem: str


def _words(text: str, ignore: frozenset[str] = frozenset()) -> list[Word]:
    """The words of `text` with their places and stems; words whose stem is in `ignore` (the
    NGO's own name, shared by all its applications and so no evidence) are left out."""
    lowered = (text or "").lower().replace("ё", "е")  # same length: places stay valid
    found = []
    for match in _TOKEN.finditer(lowered):
        stem = word_stems(match.group())[0]
        if stem not in ignore:
            found.append(Word(match.start(), match.end(), stem))
    return found


def stems(text: str, *, ignore: Iterable[str] = ()) -> list[str]:
    """The stem of each word of `text`, in order (one per word, for comparing texts)."""
    return [w.stem for w in _words(text, frozenset(ignore))]


def word_count(text: str, *, ignore: Iterable[str] = ()) -> int:
    return len(_words(text, frozenset(ignore)))


def shingles(words: Sequence[str], k: int = SHINGLE) -> set[tuple[str, ...]]:
    """Every run of `k` consecutive words; a text shorter than `k` is one shingle."""
    if not words:
        return set()
    if len(words) < k:
        return {tuple(words)}
    return {tuple(words[i : i + k]) for i in range(len(words) - k + 1)}


def jaccard(a: set[tuple[str, ...]], b: set[tuple[str, ...]]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def text_similarity(a: str, b: str, *, ignore: Iterable[str] = (), k: int = SHINGLE) -> float:
    """Jaccard index of the two texts' word shingles: 1 for the same words in the same order,
    0 when they share no run of `k` words (or one of them has no words)."""
    skip = frozenset(ignore)
    return jaccard(shingles(stems(a, ignore=skip), k), shingles(stems(b, ignore=skip), k))


def _covered(words: Sequence[Word], other: set[tuple[str, ...]], k: int) -> list[bool]:
    """Which words of a text belong to a shingle the other text has too."""
    marks = [False] * len(words)
    if len(words) < k:
        if words and tuple(w.stem for w in words) in other:
            marks = [True] * len(words)
        return marks
    for i in range(len(words) - k + 1):
        if tuple(w.stem for w in words[i : i + k]) in other:
            for j in range(i, i + k):
                marks[j] = True
    return marks


def _runs(words: Sequence[Word], marks: Sequence[bool]) -> list[tuple[int, int]]:
    """(start, end) places in the text of each run of consecutive marked words."""
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        if not marks[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(words) and marks[j + 1]:
            j += 1
        runs.append((words[i].start, words[j].end))
        i = j + 1
    return runs


def shared_phrases(a: str, b: str, *, ignore: Iterable[str] = (), k: int = SHINGLE) -> list[str]:
    """The phrases of `a` (as written in `a`) made of shingles that `b` has too, in order."""
    skip = frozenset(ignore)
    words = _words(a, skip)
    other = shingles([w.stem for w in _words(b, skip)], k)
    return [a[start:end] for start, end in _runs(words, _covered(words, other, k))]


def highlight(
    text: str, other: str, *, ignore: Iterable[str] = (), k: int = SHINGLE
) -> list[tuple[str, bool]]:
    """`text` cut into pieces, each marked True when it is a phrase `other` has too; joined
    together the pieces give `text` back."""
    skip = frozenset(ignore)
    words = _words(text, skip)
    runs = _runs(words, _covered(words, shingles([w.stem for w in _words(other, skip)], k), k))
    pieces: list[tuple[str, bool]] = []
    at = 0
    for start, end in runs:
        if start > at:
            pieces.append((text[at:start], False))
        pieces.append((text[start:end], True))
        at = end
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces


# --- Budgets ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    item: str
    amount: int


@dataclass(frozen=True)
class SharedLine:
    item: str
    amount_a: int
    amount_b: int


@dataclass(frozen=True)
class BudgetMatch:
    similarity: float  # share of the two budgets in lines they share (same item, close amount)
    shared: tuple[SharedLine, ...]


def item_key(item: str) -> str:
    """A budget item's name reduced to its stems: «Аренда зала» and «аренда зала.» meet."""
    return " ".join(stems(item))


def same_amount(a: int, b: int, tolerance: float) -> bool:
    return abs(a - b) <= tolerance * max(abs(a), abs(b))


def budget_similarity(
    a: Sequence[Line], b: Sequence[Line], *, tolerance: float = 0.05
) -> BudgetMatch:
    """Lines of the two budgets with the same item and amounts within `tolerance` of the larger
    are paired (closest amounts first); similarity = twice the paired money (the smaller amount
    of each pair) over both budgets' totals: 1 for the same budget, 0 when nothing is shared."""
    total = sum(max(line.amount, 0) for line in a) + sum(max(line.amount, 0) for line in b)
    if total <= 0:
        return BudgetMatch(0.0, ())
    by_key_a: dict[str, list[Line]] = {}
    by_key_b: dict[str, list[Line]] = {}
    for line in a:
        by_key_a.setdefault(item_key(line.item), []).append(line)
    for line in b:
        by_key_b.setdefault(item_key(line.item), []).append(line)
    shared: list[SharedLine] = []
    paired = 0
    for key in sorted(set(by_key_a) & set(by_key_b)):
        pairs = sorted(
            (
                (abs(x.amount - y.amount), min(x.amount, y.amount), max(x.amount, y.amount), i, j)
                for i, x in enumerate(by_key_a[key])
                for j, y in enumerate(by_key_b[key])
                if same_amount(x.amount, y.amount, tolerance)
            ),
            key=lambda p: p[:3],
        )
        used_a: set[int] = set()
        used_b: set[int] = set()
        for _diff, low, _high, i, j in pairs:
            if i in used_a or j in used_b:
                continue
            used_a.add(i)
            used_b.add(j)
            paired += max(low, 0)
            x, y = by_key_a[key][i], by_key_b[key][j]
            shared.append(SharedLine(x.item, x.amount, y.amount))
    return BudgetMatch(min(1.0, 2 * paired / total), tuple(shared))


# --- Periods ----------------------------------------------------------------------------------


def overlap_days(a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date]) -> int:
    """Days both periods cover (first and last day included); 0 when they do not meet."""
    start = max(a[0], b[0])
    end = min(a[1], b[1])
    return max(0, (end - start).days + 1)


def year_period(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


# --- Wholesaler -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Win:
    region: int | None  # None: a national lot
    price: int
    ceiling: int

    @property
    def ratio(self) -> float:
        return self.price / self.ceiling if self.ceiling > 0 else 1.0


@dataclass(frozen=True)
class WholesalerScore:
    regions: int  # distinct regions of the won lots (national lots not counted)
    mean_ratio: float  # mean price / ceiling of the won lots
    flagged: bool
    strength: float  # 1 - mean ratio: how far below the ceilings


def wholesaler_score(
    wins: Sequence[Win], *, min_regions: int = 5, max_ratio: float = 0.75
) -> WholesalerScore:
    """An NGO winning lots in many regions at prices far below the ceilings (docs/domain.md §5:
    dumping-price "wholesalers")."""
    if not wins:
        return WholesalerScore(0, 1.0, False, 0.0)
    regions = len({w.region for w in wins if w.region is not None})
    mean = sum(w.ratio for w in wins) / len(wins)
    flagged = regions >= min_regions and mean <= max_ratio
    return WholesalerScore(regions, mean, flagged, max(0.0, min(1.0, 1.0 - mean)))


# --- Concentration ----------------------------------------------------------------------------


def shares(amounts: Mapping[K, int | float]) -> dict[K, float]:
    """Each key's share of the total (0 for all when the total is 0)."""
    total = sum(v for v in amounts.values() if v > 0)
    return {k: (max(v, 0) / total if total > 0 else 0.0) for k, v in amounts.items()}


def herfindahl(amounts: Mapping[K, int | float]) -> float:
    """Herfindahl–Hirschman index: the sum of squared shares, from 1/n (equal) to 1 (one)."""
    return sum(s * s for s in shares(amounts).values())


def top_share(amounts: Mapping[K, int | float]) -> tuple[K, float] | None:
    """The key with the largest share (the smallest key among equals) and its share."""
    if not amounts:
        return None
    found = shares(amounts)
    key = min(found, key=lambda k: (-found[k], str(k)))
    return key, found[key]


@dataclass(frozen=True)
class RegionShare:
    region: Hashable
    fund_share: float
    ngo_share: float
    ratio: float  # fund share / NGO share


def region_concentration(
    funds: Mapping[K, int], ngos: Mapping[K, int], *, min_share: float, min_ratio: float
) -> list[RegionShare]:
    """Regions receiving a large share of the funds, far above their share of the NGOs
    (docs/domain.md §5: money concentrated in Astana and Almaty)."""
    fund_shares = shares(funds)
    ngo_shares = shares(ngos)
    found = []
    for region in sorted(fund_shares, key=str):
        fund, ngo = fund_shares[region], ngo_shares.get(region, 0.0)
        ratio = fund / ngo if ngo > 0 else float("inf")
        if fund >= min_share and ratio >= min_ratio:
            found.append(RegionShare(region, fund, ngo, ratio))
    return found


# --- Reports ----------------------------------------------------------------------------------


def days_late(*, due: dt.date, submitted_on: dt.date | None, today: dt.date) -> int:
    """Days a report was sent after its due date, or has been waited for since; 0 if on time."""
    until = submitted_on if submitted_on is not None else today
    return max(0, (until - due).days)
