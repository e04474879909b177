"""The pure rules: composition checks, quorum, the election tally and answer due dates."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ortaq.councils.checks import (
    CouncilRules,
    Seat,
    civil_seats_needed,
    composition_problems,
    quorum,
    quorum_needed,
    tally,
)
from ortaq.councils.models import Council
from ortaq.councils.selectors import answer_due

RULES = CouncilRules(min_members=10, max_members=15)


def seats(civil: int, state: int, *, chair: bool = True, secretary: bool = True) -> list[Seat]:
    """`civil` members from distinct NGOs, then `state` officials; the first is the chair,
    the second the secretary."""
    out = [Seat("civil", organisation_id=i, organisation_name=f"NGO {i}") for i in range(civil)]
    out += [Seat("state", organisation_id=1000 + i) for i in range(state)]
    positions = (["chair"] if chair else []) + (["secretary"] if secretary else [])
    for index, position in enumerate(positions):
        s = out[index]
        out[index] = Seat(s.category, position, s.organisation_id, s.organisation_name)
    return out


# --- composition ----------------------------------------------------------------------------


def test_a_valid_composition_has_no_problems() -> None:
    assert composition_problems(seats(8, 4), RULES) == []


def test_exactly_two_thirds_civil_is_enough() -> None:
    # 10 of 15 is exactly 2/3: allowed (at least two thirds).
    assert composition_problems(seats(10, 5), RULES) == []


def test_one_seat_below_two_thirds_is_refused() -> None:
    # 9 of 14 = 64.3% < 66.7%; 10 are needed.
    assert composition_problems(seats(9, 5), RULES) == [
        "Civil society holds 9 of 14 seats; the rules require at least 2/3, that is 10 seats."
    ]


def test_civil_seats_needed_rounds_up() -> None:
    assert [civil_seats_needed(n, RULES) for n in (1, 2, 3, 10, 13, 14, 15, 30)] == [
        1,
        2,
        2,
        7,
        9,
        10,
        10,
        20,
    ]


def test_too_few_and_too_many_members() -> None:
    assert composition_problems(seats(7, 2), RULES) == [
        "Too few members: 9; the rules require at least 10."
    ]
    assert composition_problems(seats(12, 4), RULES) == [
        "Too many members: 16; the rules allow at most 15."
    ]


def test_size_limits_are_inclusive() -> None:
    assert composition_problems(seats(7, 3), RULES) == []
    assert composition_problems(seats(10, 5), RULES) == []


def test_two_members_of_one_ngo_are_refused_and_named() -> None:
    members = seats(10, 2)
    members[5] = Seat("civil", organisation_id=3, organisation_name="NGO 3")
    assert composition_problems(members, RULES) == [
        "NGO 3 has 2 representatives; one representative per NGO is allowed."
    ]


def test_one_per_ngo_can_be_switched_off_and_ignores_state_members() -> None:
    members = seats(10, 2)
    members[5] = Seat("civil", organisation_id=3, organisation_name="NGO 3")
    lenient = CouncilRules(min_members=10, max_members=15, one_per_organisation=False)
    assert composition_problems(members, lenient) == []
    two_officials = [
        *seats(10, 0),
        Seat("state", organisation_id=7),
        Seat("state", organisation_id=7),
    ]
    assert composition_problems(two_officials, RULES) == []


def test_missing_chair_and_secretary() -> None:
    assert composition_problems(seats(10, 2, chair=False, secretary=False), RULES) == [
        "The composition has no chair.",
        "The composition has no secretary.",
    ]


def test_every_problem_at_once_in_order() -> None:
    members = [Seat("state"), Seat("civil", "member", 1, "A"), Seat("civil", "member", 1, "A")]
    # 2 of 3 civil is exactly two thirds: no share problem.
    assert composition_problems(members, RULES) == [
        "Too few members: 3; the rules require at least 10.",
        "A has 2 representatives; one representative per NGO is allowed.",
        "The composition has no chair.",
        "The composition has no secretary.",
    ]


def test_an_empty_composition() -> None:
    assert composition_problems([], RULES) == [
        "Too few members: 0; the rules require at least 10.",
        "The composition has no chair.",
        "The composition has no secretary.",
    ]


@settings(max_examples=150, deadline=None)
@given(civil=st.integers(0, 40), state=st.integers(0, 40))
def test_civil_share_problem_iff_below_two_thirds(civil: int, state: int) -> None:
    total = civil + state
    problems = composition_problems(
        seats(civil, state, chair=total > 0, secretary=total > 1),
        CouncilRules(min_members=1, max_members=100),
    )
    share_problem = any(p.startswith("Civil society") for p in problems)
    assert share_problem == (total > 0 and 3 * civil < 2 * total)


# --- quorum ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attending", "total", "present", "needed"),
    [
        (7, 13, True, 7),  # more than half of 13 is 7
        (6, 13, False, 7),
        (7, 12, True, 7),  # exactly half (6 of 12) is not more than half
        (6, 12, False, 7),
        (1, 1, True, 1),
        (0, 1, False, 1),
        (2, 2, True, 2),
        (1, 2, False, 2),
        (0, 0, False, 1),  # no members: never a quorum
    ],
)
def test_quorum_is_more_than_half(attending: int, total: int, present: bool, needed: int) -> None:
    result = quorum(attending, total, CouncilRules())
    assert (result.present, result.needed) == (present, needed)


def test_quorum_explanation() -> None:
    assert quorum(6, 12, CouncilRules()).explanation == (
        "No quorum: 6 of 12 members attend; 7 members are needed."
    )
    assert quorum(1, 1, CouncilRules()).explanation == (
        "Quorum present: 1 of 1 members attend; 1 member is needed."
    )


def test_a_council_may_require_two_thirds_or_at_least_half() -> None:
    two_thirds = CouncilRules(quorum_num=2, quorum_den=3, quorum_strict=False)
    assert [quorum_needed(n, two_thirds) for n in (3, 12, 13, 15)] == [2, 8, 9, 10]
    at_least_half = CouncilRules(quorum_strict=False)
    assert quorum(6, 12, at_least_half).present is True


@settings(max_examples=150, deadline=None)
@given(total=st.integers(1, 200), data=st.data())
def test_quorum_matches_the_definition(total: int, data: st.DataObject) -> None:
    attending = data.draw(st.integers(0, total))
    assert quorum(attending, total, CouncilRules()).present == (2 * attending > total)


# --- election tally -------------------------------------------------------------------------


def test_tally_elects_the_most_voted() -> None:
    ballots = [[1, 2], [1, 3], [1, 2], [4]]
    result = tally(ballots, [1, 2, 3, 4], seats=2, max_choices=2)
    assert result.counts == [(1, 3), (2, 2), (3, 1), (4, 1)]
    assert (result.elected, result.tied, result.tied_seats) == ([1, 2], [], 0)


def test_tally_reports_a_tie_for_the_last_seat() -> None:
    ballots = [[1, 2], [1, 3], [1, 4]]
    result = tally(ballots, [1, 2, 3, 4], seats=2, max_choices=2)
    assert (result.elected, result.tied, result.tied_seats) == ([1], [2, 3, 4], 1)


def test_a_tie_that_fits_the_seats_is_no_tie() -> None:
    result = tally([[1, 2], [3]], [1, 2, 3, 4], seats=3, max_choices=2)
    assert (result.elected, result.tied) == ([1, 2, 3], [])


def test_invalid_ballots_are_not_counted() -> None:
    ballots = [[1, 2, 3], [1, 1], [9], [2]]
    result = tally(ballots, [1, 2, 3], seats=1, max_choices=2)
    assert result.invalid_ballots == 3
    assert (result.counts, result.elected) == ([(2, 1), (1, 0), (3, 0)], [2])


def test_fewer_candidates_than_seats_elects_them_all() -> None:
    result = tally([[1]], [1, 2], seats=13, max_choices=13)
    assert (result.elected, result.tied) == ([1, 2], [])


@settings(max_examples=150, deadline=None)
@given(
    candidates=st.integers(1, 20),
    seats=st.integers(1, 15),
    data=st.data(),
)
def test_tally_properties(candidates: int, seats: int, data: st.DataObject) -> None:
    ids = list(range(1, candidates + 1))
    max_choices = data.draw(st.integers(1, max(1, seats)))
    ballots = data.draw(
        st.lists(st.lists(st.sampled_from(ids), max_size=max_choices, unique=True), max_size=40)
    )
    result = tally(ballots, ids, seats, max_choices)
    votes = dict(result.counts)
    assert sum(votes.values()) == sum(len(b) for b in ballots)
    assert len(result.elected) + result.tied_seats == min(seats, candidates)
    assert not set(result.elected) & set(result.tied)
    if result.tied:
        assert len(result.tied) > result.tied_seats >= 1
        assert len({votes[c] for c in result.tied}) == 1
    # Everyone elected has more votes than anyone not elected and not tied.
    rest = set(ids) - set(result.elected) - set(result.tied)
    for winner in result.elected:
        assert all(votes[winner] > votes[loser] or result.tied == [] for loser in rest)
        assert all(votes[winner] >= votes[loser] for loser in rest)


# --- due dates in working days over Kazakh holidays -----------------------------------------


def _council(days: int = 10) -> Council:
    return Council(answer_days=days)


@pytest.mark.parametrize(
    ("sent", "due"),
    [
        # An ordinary fortnight: two weeks later.
        (dt.date(2024, 10, 1), dt.date(2024, 10, 15)),
        # Nauryz 21–23 March 2024, the Saturday one observed on Monday 25th.
        (dt.date(2024, 3, 15), dt.date(2024, 4, 3)),
        # Sent on a holiday (Saturday 23 March 2024): that day does not count.
        (dt.date(2024, 3, 23), dt.date(2024, 4, 8)),
        # Saturday 4 May 2024 is worked (transferred to Wednesday 8 May); 7 and 9 May are
        # holidays.
        (dt.date(2024, 5, 3), dt.date(2024, 5, 21)),
        # New Year 2025: 1–2 January, 3 January off, Sunday 5 January worked, 7 January
        # Orthodox Christmas.
        (dt.date(2024, 12, 27), dt.date(2025, 1, 15)),
        # Independence Day, Tuesday 16 December 2025.
        (dt.date(2025, 12, 12), dt.date(2025, 12, 29)),
    ],
)
def test_answer_due_in_ten_working_days(sent: dt.date, due: dt.date) -> None:
    assert answer_due(sent, _council()) == due


def test_answer_days_are_configurable() -> None:
    assert answer_due(dt.date(2024, 3, 15), _council(3)) == dt.date(2024, 3, 20)
    assert answer_due(dt.date(2024, 3, 20), _council(1)) == dt.date(2024, 3, 26)
