"""Expected dates are worked out by hand from Kazakhstan's calendar as shipped by `holidays`."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from ortaq.lib.workdays import add_working_days, is_working_day, working_days_between

dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))
day_counts = st.integers(min_value=-400, max_value=400)


def naive_between(a: date, b: date) -> int:
    """Reference count of working days in (a, b], walking day by day."""
    if b < a:
        return -naive_between(b, a)
    return sum(is_working_day(a + timedelta(days=n)) for n in range(1, (b - a).days + 1))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 3, 19), True),  # ordinary Tuesday
        (date(2024, 3, 16), False),  # ordinary Saturday
        (date(2024, 3, 17), False),  # ordinary Sunday
        (date(2024, 1, 1), False),  # New Year
        (date(2024, 1, 2), False),  # New Year, second day
        (date(2024, 1, 8), True),  # Orthodox Christmas fell on Sunday 7 Jan: not carried over
        (date(2024, 3, 8), False),  # International Women's Day
        (date(2024, 3, 21), False),  # Nauryz
        (date(2024, 3, 22), False),  # Nauryz
        (date(2024, 3, 25), False),  # Nauryz 23 March fell on Saturday: Monday off
        (date(2024, 6, 17), True),  # Kurban ait fell on Sunday 16 June: religious, no day off
        (date(2024, 7, 8), False),  # Capital Day 6 July fell on Saturday: Monday off
        (date(2024, 12, 16), False),  # Independence Day
        (date(2024, 12, 17), True),  # 17 December is no longer a holiday since 2022
        (date(2021, 12, 17), False),  # ... but it was until 2021
        (date(2021, 10, 25), True),  # Republic Day was not a holiday 2009-2021
        (date(2024, 10, 25), False),  # ... and is again since 2022
        (date(2025, 6, 6), False),  # Kurban ait 2025, a Friday
    ],
)
def test_is_working_day_follows_the_official_calendar(day: date, expected: bool) -> None:
    assert is_working_day(day) is expected


def test_may_2024_transfer_swaps_saturday_4_may_with_wednesday_8_may() -> None:
    # Decree G24G0000109: 8 May 2024 is a day off "substituted from 04.05.2024", which
    # bridges Defender's Day (Tue 7 May) and Victory Day (Thu 9 May); Saturday 4 May is
    # worked instead.
    assert is_working_day(date(2024, 5, 4)) is True
    assert is_working_day(date(2024, 5, 7)) is False
    assert is_working_day(date(2024, 5, 8)) is False
    assert is_working_day(date(2024, 5, 9)) is False
    # Fri 3 May -> Sat 4 (1), Mon 6 (2), 7-9 off, Fri 10 (3).
    assert add_working_days(date(2024, 5, 3), 1) == date(2024, 5, 4)
    assert add_working_days(date(2024, 5, 3), 3) == date(2024, 5, 10)
    # (30 Apr, 10 May]: 2, 3, 4, 6, 10 May; 1 May is Unity Day.
    assert working_days_between(date(2024, 4, 30), date(2024, 5, 10)) == 5


def test_january_2025_transfer_makes_sunday_5_january_a_working_day() -> None:
    # Decree G24G0000436: Fri 3 January 2025 off, "substituted from 05.01.2025" (Sunday).
    assert is_working_day(date(2025, 1, 3)) is False
    assert is_working_day(date(2025, 1, 5)) is True
    # Tue 31 Dec -> 1, 2 Jan New Year, 3 Jan transferred, Sat 4 off, Sun 5 worked.
    assert add_working_days(date(2024, 12, 31), 1) == date(2025, 1, 5)
    assert add_working_days(date(2024, 12, 31), 2) == date(2025, 1, 6)
    # Tue 7 January is Orthodox Christmas.
    assert add_working_days(date(2024, 12, 31), 3) == date(2025, 1, 8)


def test_transfer_across_new_year_2014_makes_saturday_28_december_2013_working() -> None:
    # The 2014 decree moved the day off of Fri 3 January 2014 from Sat 28 December 2013:
    # a transfer that crosses the year boundary.
    assert is_working_day(date(2013, 12, 28)) is True
    assert is_working_day(date(2014, 1, 3)) is False


def test_deadline_crossing_nauryz_2024() -> None:
    # Tue 19 Mar -> Wed 20 (1); Thu 21, Fri 22 Nauryz; Sat 23 Nauryz, so Mon 25 off;
    # Tue 26 (2), Wed 27 (3), Thu 28 (4), Fri 29 (5).
    assert add_working_days(date(2024, 3, 19), 5) == date(2024, 3, 29)
    assert working_days_between(date(2024, 3, 19), date(2024, 3, 29)) == 5


def test_deadline_crossing_nauryz_2025_with_two_carried_over_days() -> None:
    # 21 Mar 2025 Fri; 22 Sat and 23 Sun carried over to Mon 24 and Tue 25.
    assert add_working_days(date(2025, 3, 20), 1) == date(2025, 3, 26)


def test_new_year_days_are_skipped() -> None:
    # Fri 29 Dec 2023 -> weekend, Mon 1 and Tue 2 January -> Wed 3 January.
    assert add_working_days(date(2023, 12, 29), 1) == date(2024, 1, 3)
    # Wed 31 Dec 2025 -> Thu 1, Fri 2 January, weekend -> Mon 5 January 2026.
    assert add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 5)


def test_independence_day_is_skipped() -> None:
    # Fri 13 Dec 2024 -> weekend, Mon 16 December -> Tue 17 December.
    assert add_working_days(date(2024, 12, 13), 1) == date(2024, 12, 17)
    # Until 2021 both 16 and 17 December were holidays: Wed 15 -> Mon 20 December 2021.
    assert add_working_days(date(2021, 12, 15), 1) == date(2021, 12, 20)


def test_republic_day_on_saturday_gives_monday_off() -> None:
    # Sat 25 October 2025 -> Mon 27 October off, so Fri 24 -> Tue 28.
    assert add_working_days(date(2025, 10, 24), 1) == date(2025, 10, 28)
    # In 2024 it was a Friday: Thu 24 -> Mon 28.
    assert add_working_days(date(2024, 10, 24), 1) == date(2024, 10, 28)


def test_kurban_ait_moves_each_year() -> None:
    # 2023: Wed 28 June; 2025: Fri 6 June.
    assert add_working_days(date(2023, 6, 27), 1) == date(2023, 6, 29)
    assert add_working_days(date(2025, 6, 5), 1) == date(2025, 6, 9)


def test_may_7_and_may_9_2025_leave_only_thursday_8_may() -> None:
    # Wed 7 May Defender's Day, Thu 8 May working, Fri 9 May Victory Day.
    assert add_working_days(date(2025, 5, 6), 1) == date(2025, 5, 8)
    assert add_working_days(date(2025, 5, 6), 2) == date(2025, 5, 12)


def test_zero_days_returns_start_even_on_a_day_off() -> None:
    assert add_working_days(date(2024, 3, 23), 0) == date(2024, 3, 23)


def test_negative_days_count_backwards() -> None:
    assert add_working_days(date(2024, 3, 29), -5) == date(2024, 3, 19)
    # From a day off (Sat 23 March, Nauryz), one working day back is Wed 20 March.
    assert add_working_days(date(2024, 3, 23), -1) == date(2024, 3, 20)
    # Backwards over New Year: Wed 3 January 2024 -> Fri 29 December 2023.
    assert add_working_days(date(2024, 1, 3), -1) == date(2023, 12, 29)


def test_between_excludes_start_includes_end_and_is_antisymmetric() -> None:
    assert working_days_between(date(2024, 3, 19), date(2024, 3, 19)) == 0
    assert working_days_between(date(2024, 3, 19), date(2024, 3, 20)) == 1
    assert working_days_between(date(2024, 3, 20), date(2024, 3, 19)) == -1
    assert working_days_between(date(2024, 3, 21), date(2024, 3, 25)) == 0


def test_working_days_in_2024() -> None:
    # 262 weekdays; 14 of them are days off (1, 2 Jan; 8, 21, 22, 25 Mar; 1, 7, 8, 9 May;
    # 8 Jul; 30 Aug; 25 Oct; 16 Dec); plus Saturday 4 May worked: 262 - 14 + 1 = 249.
    assert working_days_between(date(2023, 12, 31), date(2024, 12, 31)) == 249


def test_is_working_day_agrees_with_the_package_calendar() -> None:
    calendar = holidays.country_holidays("KZ", years=range(1999, 2032))
    day = date(2000, 1, 1)
    while day <= date(2030, 12, 31):
        assert is_working_day(day) is calendar.is_working_day(day), day
        day += timedelta(days=1)


@given(dates, st.integers(min_value=0, max_value=400))
def test_add_then_count_round_trips_forwards(start: date, days: int) -> None:
    assert working_days_between(start, add_working_days(start, days)) == days


@given(dates, st.integers(min_value=-400, max_value=-1))
def test_add_then_count_round_trips_backwards_from_a_working_day(start: date, days: int) -> None:
    assume(is_working_day(start))
    assert working_days_between(start, add_working_days(start, days)) == days


@given(dates, st.integers(min_value=-400, max_value=-1))
def test_backwards_from_a_day_off_the_interval_loses_the_day_off(start: date, days: int) -> None:
    # Going back n days lands on the n-th working day strictly before start; counting
    # (result, start] then misses one, because start itself is not a working day.
    assume(not is_working_day(start))
    assert working_days_between(add_working_days(start, days), start) == -days - 1


@given(dates, day_counts.filter(lambda n: n != 0))
def test_result_is_a_working_day(start: date, days: int) -> None:
    assert is_working_day(add_working_days(start, days)) is True


@given(dates, day_counts, day_counts)
def test_add_working_days_is_strictly_monotonic(start: date, m: int, n: int) -> None:
    if m < n:
        assert add_working_days(start, m) < add_working_days(start, n)


@given(dates, dates)
def test_count_matches_a_day_by_day_walk(a: date, b: date) -> None:
    assert working_days_between(a, b) == naive_between(a, b)


@given(dates, dates, dates)
def test_counts_add_up_over_consecutive_intervals(a: date, b: date, c: date) -> None:
    assert working_days_between(a, c) == working_days_between(a, b) + working_days_between(b, c)
