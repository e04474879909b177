"""The pure measures of the risk signals (funding/risk_measures.py): properties and exact
examples."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ortaq.funding import risk_measures

WORDS = (
    "жастар",
    "жастарға",
    "молодёжь",
    "молодёжи",
    "проект",
    "занятия",
    "форум",
    "село",
    "сёл",
    "school",
    "schools",
    "2024",
    "және",
    "и",
)
texts = st.lists(st.sampled_from(WORDS), max_size=30).map(" ".join)
non_empty_texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=30).map(
    lambda words: ", ".join(words) + "."
)
lines = st.lists(
    st.builds(
        risk_measures.Line,
        st.sampled_from(("Аренда", "аренда.", "Оплата труда", "Транспорт", "Печать")),
        st.integers(min_value=1, max_value=10_000_000),
    ),
    max_size=6,
)
days = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2030, 12, 31))
periods = st.tuples(days, days).map(lambda p: (min(p), max(p)))


@given(texts, texts)
def test_text_similarity_is_symmetric_and_bounded(a: str, b: str) -> None:
    value = risk_measures.text_similarity(a, b)
    assert value == risk_measures.text_similarity(b, a)
    assert 0.0 <= value <= 1.0


@given(non_empty_texts)
def test_identical_texts_are_fully_similar(a: str) -> None:
    assert risk_measures.text_similarity(a, a) == 1.0
    assert risk_measures.text_similarity(a, a.upper()) == 1.0


@given(texts, texts)
def test_highlight_gives_the_text_back_and_marks_only_shared_phrases(a: str, b: str) -> None:
    pieces = risk_measures.highlight(a, b)
    assert "".join(piece for piece, _shared in pieces) == a
    assert [piece for piece, shared in pieces if shared] == risk_measures.shared_phrases(a, b)


def test_copied_text_with_changed_endings_and_a_changed_word() -> None:
    original = (
        "Проект обучает пожилых жителей отдалённых сёл пользоваться смартфоном и электронным "
        "правительством; волонтёры проводят восемь занятий в библиотеках"
    )
    copy = (
        "Проект обучает пожилого жителя отдалённого села пользоваться смартфоном и электронным "
        "правительством; студенты проводят восемь занятий в библиотеках"
    )
    other = "Экологический патруль школьников обследует берег реки и отмечает свалки"
    assert risk_measures.text_similarity(original, copy) == pytest.approx(
        12 / 18
    )  # 3 shingles each differ
    assert risk_measures.text_similarity(original, other) == 0.0
    assert risk_measures.shared_phrases(copy, original) == [
        "Проект обучает пожилого жителя отдалённого села пользоваться смартфоном и "
        "электронным правительством",
        "проводят восемь занятий в библиотеках",
    ]


def test_words_of_the_name_are_left_out() -> None:
    name = risk_measures.stems("Болашак жастары")
    a = "«Болашак жастары» проводит занятия для подростков"
    b = "«Болашак жастары» проводит форум"
    assert risk_measures.text_similarity(a, b) > 0
    assert risk_measures.text_similarity(a, b, ignore=name) == 0.0
    assert risk_measures.word_count(a, ignore=name) == 4


@given(lines, lines)
def test_budget_similarity_is_symmetric_and_bounded(
    a: list[risk_measures.Line], b: list[risk_measures.Line]
) -> None:
    ab = risk_measures.budget_similarity(a, b, tolerance=0.05)
    ba = risk_measures.budget_similarity(b, a, tolerance=0.05)
    assert ab.similarity == pytest.approx(ba.similarity)
    assert len(ab.shared) == len(ba.shared)
    assert 0.0 <= ab.similarity <= 1.0


@given(lines.filter(bool))
def test_identical_budgets_share_every_line(a: list[risk_measures.Line]) -> None:
    match = risk_measures.budget_similarity(a, list(a), tolerance=0.0)
    assert match.similarity == pytest.approx(1.0)
    assert len(match.shared) == len(a)


def test_budget_lines_pair_by_item_and_close_amount() -> None:
    a = [
        risk_measures.Line("Аренда зала", 1_000_000),
        risk_measures.Line("Оплата труда", 3_000_000),
    ]
    b = [
        risk_measures.Line("аренда зала.", 1_040_000),  # same item, 4% more: paired
        risk_measures.Line("Оплата труда", 2_000_000),  # same item, a third less: not paired
        risk_measures.Line("Транспорт", 500_000),
    ]
    match = risk_measures.budget_similarity(a, b, tolerance=0.05)
    assert match.shared == (risk_measures.SharedLine("Аренда зала", 1_000_000, 1_040_000),)
    assert match.similarity == pytest.approx(2 * 1_000_000 / 7_540_000)
    assert risk_measures.budget_similarity([], b).similarity == 0.0


@given(periods, periods)
def test_overlap_is_symmetric_and_never_negative(
    a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date]
) -> None:
    assert risk_measures.overlap_days(a, b) == risk_measures.overlap_days(b, a) >= 0
    assert risk_measures.overlap_days(a, a) == (a[1] - a[0]).days + 1


def test_overlap_examples() -> None:
    year = risk_measures.year_period(2024)
    assert risk_measures.overlap_days(year, (dt.date(2024, 12, 1), dt.date(2025, 5, 1))) == 31
    assert risk_measures.overlap_days(year, risk_measures.year_period(2025)) == 0
    assert risk_measures.overlap_days(year, year) == 366


wins = st.lists(
    st.builds(
        risk_measures.Win,
        st.one_of(st.none(), st.integers(min_value=1, max_value=20)),
        st.integers(min_value=1, max_value=10_000_000),
        st.integers(min_value=1, max_value=10_000_000),
    ),
    max_size=12,
)


@given(wins, st.integers(min_value=1, max_value=10), st.floats(min_value=0.1, max_value=1.0))
def test_wholesaler_flagged_exactly_when_many_regions_and_low_prices(
    found: list[risk_measures.Win], regions: int, ratio: float
) -> None:
    score = risk_measures.wholesaler_score(found, min_regions=regions, max_ratio=ratio)
    distinct = len({w.region for w in found if w.region is not None})
    assert score.regions == distinct
    assert score.flagged == (bool(found) and distinct >= regions and score.mean_ratio <= ratio)
    assert 0.0 <= score.strength <= 1.0


def test_wholesaler_example() -> None:
    cheap = [risk_measures.Win(region, 5_500_000, 10_000_000) for region in range(1, 7)]
    score = risk_measures.wholesaler_score(cheap, min_regions=5, max_ratio=0.75)
    assert (score.regions, score.mean_ratio, score.flagged) == (6, pytest.approx(0.55), True)
    ordinary = [risk_measures.Win(region, 9_000_000, 10_000_000) for region in range(1, 7)]
    assert not risk_measures.wholesaler_score(ordinary, min_regions=5, max_ratio=0.75).flagged
    one_region = [risk_measures.Win(3, 5_000_000, 10_000_000)] * 6
    assert not risk_measures.wholesaler_score(one_region, min_regions=5, max_ratio=0.75).flagged


amounts = st.dictionaries(
    st.integers(min_value=1, max_value=30), st.integers(min_value=0, max_value=10**9), max_size=12
)


@given(amounts)
def test_shares_and_herfindahl(found: dict[int, int]) -> None:
    shares = risk_measures.shares(found)
    total = sum(found.values())
    if total:
        assert sum(shares.values()) == pytest.approx(1.0)
        positive = sum(1 for v in found.values() if v > 0)
        assert 1 / positive - 1e-9 <= risk_measures.herfindahl(found) <= 1.0 + 1e-9
        _key, share = risk_measures.top_share(found)  # type: ignore[misc]
        assert share == max(shares.values())
    else:
        assert risk_measures.herfindahl(found) == 0.0


def test_region_concentration_compares_funds_with_ngos() -> None:
    funds = {"astana": 600, "kyzylorda": 100, "aktobe": 300}
    ngos = {"astana": 100, "kyzylorda": 100, "aktobe": 300}
    found = risk_measures.region_concentration(funds, ngos, min_share=0.15, min_ratio=2.5)
    assert [(f.region, f.fund_share, f.ngo_share, f.ratio) for f in found] == [
        ("astana", 0.6, 0.2, pytest.approx(3.0))
    ]
    assert risk_measures.region_concentration(funds, ngos, min_share=0.7, min_ratio=2.5) == []


def test_days_late() -> None:
    due = dt.date(2024, 6, 10)
    today = dt.date(2024, 7, 1)
    assert risk_measures.days_late(due=due, submitted_on=dt.date(2024, 6, 10), today=today) == 0
    assert risk_measures.days_late(due=due, submitted_on=dt.date(2024, 6, 30), today=today) == 20
    assert risk_measures.days_late(due=due, submitted_on=None, today=today) == 21
    assert risk_measures.days_late(due=due, submitted_on=None, today=dt.date(2024, 6, 1)) == 0
