"""Working-day arithmetic on Kazakhstan's official production calendar.

Statutory deadlines (answers to citizens' appeals, procurement steps) are counted in
working days, so holidays, the days off that replace holidays falling on a weekend and
the government's yearly day-off transfers must all be honoured.

The calendar comes from the ``holidays`` package (``country_holidays("KZ")``), which
already contains:

* public holidays, including the moving Kurban ait date;
* "observed" days off: a secular holiday on a Saturday/Sunday moves to the next working
  day (religious ones - Orthodox Christmas, Kurban ait - do not, as in the Labour Code);
* government transfers, e.g. "Day off (substituted from 04.05.2024)": the weekday becomes
  a day off and the weekend day it was taken from is listed in ``weekend_workdays``,
  which we treat as a working day.

Years the package has no transfer decree for (future years) only get the statutory rules,
and Kurban ait after the last confirmed year (2025 in holidays 0.109) is an estimate.
"""

from __future__ import annotations

import bisect
from datetime import date
from functools import lru_cache
from typing import Final

import holidays

__all__ = ["add_working_days", "is_working_day", "working_days_between"]

_COUNTRY: Final = "KZ"
_SATURDAY: Final = 5


@lru_cache(maxsize=256)
def _calendar(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """Return (days off, weekend days worked) for ``year``, cached for tight loops.

    A transfer decree for one year can move a working day into the previous year
    (2014's 3 January day off was worked on Saturday 28 December 2013), so the next
    year's data is consulted for weekend working days too.
    """
    calendar = holidays.country_holidays(_COUNTRY, years=(year, year + 1))
    days_off = frozenset(d for d in calendar if d.year == year)
    weekend_workdays = frozenset(
        d for d in calendar.weekend_workdays if d.year == year and d not in days_off
    )
    return days_off, weekend_workdays


@lru_cache(maxsize=256)
def _working_ordinals(year: int) -> tuple[int, ...]:
    """Sorted ordinals of the working days of ``year``, for bisect-based counting."""
    first = date(year, 1, 1).toordinal()
    last = date(year, 12, 31).toordinal()
    return tuple(n for n in range(first, last + 1) if is_working_day(date.fromordinal(n)))


def is_working_day(d: date) -> bool:
    """True if ``d`` is a working day under a five-day week and the official calendar."""
    days_off, weekend_workdays = _calendar(d.year)
    if d in days_off:
        return False
    return d.weekday() < _SATURDAY or d in weekend_workdays


def _count_upto(d: date) -> int:
    """Working days in [1 January of d.year, d]."""
    return bisect.bisect_right(_working_ordinals(d.year), d.toordinal())


def working_days_between(a: date, b: date) -> int:
    """Count working days in (a, b]; negative of the reverse count when b < a.

    ``a`` itself is not counted, matching ``add_working_days``: the day of the event
    does not count towards a deadline, the deadline day does.
    """
    if b < a:
        return -working_days_between(b, a)
    total = _count_upto(b) - _count_upto(a)
    for year in range(a.year, b.year):
        total += len(_working_ordinals(year))
    return total


def add_working_days(start: date, days: int) -> date:
    """Return the date ``days`` working days after ``start`` (before it when negative).

    ``start`` is not counted, so for an event on ``start`` a deadline "within 10 working
    days" is ``add_working_days(start, 10)`` and ``working_days_between`` of the two is
    10. With ``days = -n`` the result is the n-th working day strictly before ``start``
    (the round trip through ``working_days_between`` then holds only when ``start`` is
    itself a working day). The result is always a working day for ``days != 0``;
    ``days == 0`` returns ``start`` unchanged even on a day off.
    """
    if days == 0:
        return start
    year = start.year
    ordinals = _working_ordinals(year)
    if days > 0:
        # Index of the last working day <= start; step forward from there.
        index = bisect.bisect_right(ordinals, start.toordinal()) - 1 + days
        while index >= len(ordinals):
            index -= len(ordinals)
            year += 1
            ordinals = _working_ordinals(year)
    else:
        # Index of the first working day >= start; step back from there.
        index = bisect.bisect_left(ordinals, start.toordinal()) + days
        while index < 0:
            year -= 1
            ordinals = _working_ordinals(year)
            index += len(ordinals)
    return date.fromordinal(ordinals[index])
