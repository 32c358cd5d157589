"""The business-day questions of a calendar, bound as ``BusinessCalendar`` methods.

Each is one or two binary searches on the calendar's table of business days
(:mod:`sla_clock._business_days`). Dates are local dates of the calendar's zone; a business
day is a date with some open time after holidays and overrides (a partial day counts).
"""

from __future__ import annotations

import operator
from bisect import bisect_right
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

from ._islands import MAX_SPAN_YEARS
from .errors import OutOfRangeError

if TYPE_CHECKING:
    from ._business_days import DayCache

__all__ = [
    "DayQuestions",
    "add_business_days",
    "as_ordinal",
    "business_days_between",
    "day_cache",
    "is_business_day",
    "next_business_day",
    "previous_business_day",
]


#: No question may move more business days than this (every day of 100 years).
_MOST_DAYS = 366 * MAX_SPAN_YEARS


class DayQuestions(Protocol):
    """What the questions need of a calendar: its table of business days."""

    @property
    def _days(self) -> DayCache: ...


def as_ordinal(day: object, what: str = "day") -> int:
    """Return a :class:`~datetime.date` as its ordinal; refuse anything else.

    A :class:`~datetime.datetime` is refused too: its date depends on a zone, so the caller
    says which (``t.astimezone(calendar.zone).date()``).

    >>> as_ordinal(date(1, 1, 2))
    2
    """
    if isinstance(day, datetime) or not isinstance(day, date):
        shown = f"{type(day).__name__} {day!r}"
        msg = (
            f"{what} must be a datetime.date, got {shown}; for an instant, pass its local "
            "date: t.astimezone(calendar.zone).date()"
        )
        raise TypeError(msg)
    return day.toordinal()


def _count(n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        try:
            return operator.index(n)  # type: ignore[arg-type]  # NumPy integers pass here
        except TypeError:
            msg = f"n must be a whole number of business days, got {type(n).__name__} {n!r}"
            raise TypeError(msg) from None
    return n


def day_cache(self: DayQuestions) -> DayCache:
    """Return a calendar's table of business days (for the vectorised code and the tests)."""
    return self._days


def is_business_day(self: DayQuestions, day: date) -> bool:
    """Return True when ``day`` has some open time (a partial day counts).

    >>> from sla_clock import BusinessCalendar
    >>> BusinessCalendar.default().is_business_day(date(2026, 11, 20))  # Consciência Negra
    False
    """
    d = as_ordinal(day)
    days = self._days.table(d, d).days
    i = bisect_right(days, d)
    return i > 0 and days[i - 1] == d


def next_business_day(self: DayQuestions, day: date) -> date:
    """Return the first business day strictly after ``day``.

    >>> from sla_clock import BusinessCalendar
    >>> BusinessCalendar.default().next_business_day(date(2026, 11, 19))
    datetime.date(2026, 11, 23)
    """
    d = as_ordinal(day)
    cache = self._days
    tl = cache.table(d, d)
    while (i := bisect_right(tl.days, d)) >= len(tl.days):
        tl = cache.grown(tl, d, forward=True)
    return date.fromordinal(tl.days[i])


def previous_business_day(self: DayQuestions, day: date) -> date:
    """Return the last business day strictly before ``day``.

    >>> from sla_clock import BusinessCalendar
    >>> BusinessCalendar.default().previous_business_day(date(2026, 11, 23))
    datetime.date(2026, 11, 19)
    """
    d = as_ordinal(day)
    cache = self._days
    tl = cache.table(d, d)
    while (i := tl.index(d) - 1) < 0:
        tl = cache.grown(tl, d, forward=False)
    return date.fromordinal(tl.days[i])


def add_business_days(self: DayQuestions, day: date, n: int) -> date:
    """Return the business day ``n`` business days from ``day`` (``n`` may be 0 or negative).

    As NumPy's ``busday_offset(day, n, roll="forward")``: a ``day`` that is not a business
    day first rolls forward to the next one, then moves ``n`` business days.

    >>> from sla_clock import BusinessCalendar
    >>> cal = BusinessCalendar.default()
    >>> cal.add_business_days(date(2026, 11, 19), 5)  # Nov 20 is a holiday
    datetime.date(2026, 11, 27)
    >>> cal.add_business_days(date(2026, 11, 21), 0)  # a Saturday rolls forward
    datetime.date(2026, 11, 23)
    """
    d, count = as_ordinal(day), _count(n)
    cache = self._days
    tl = cache.table(d, d)
    if abs(count) > _MOST_DAYS:  # more than one question's years can hold: refuse at once
        msg = (
            f"{count:,} business days is more than {MAX_SPAN_YEARS} years hold; sla-clock "
            f"answers one question within {MAX_SPAN_YEARS} consecutive years: check the number"
        )
        raise OutOfRangeError(msg)
    while True:
        i = tl.index(d) + count
        if i >= len(tl.days):
            tl = cache.grown(tl, d, forward=True)
        elif i < 0:
            tl = cache.grown(tl, d, forward=False)
        else:
            return date.fromordinal(tl.days[i])


def business_days_between(self: DayQuestions, start: date, end: date) -> int:
    """Return the business days in ``[start, end)``; negative when ``end`` comes first.

    ``business_days_between(b, a) == -business_days_between(a, b)``, unlike NumPy's
    ``busday_count``, which counts ``(end, start]`` for a reversed pair.

    >>> from sla_clock import BusinessCalendar
    >>> cal = BusinessCalendar.default()
    >>> cal.business_days_between(date(2026, 11, 21), date(2026, 11, 30))
    5
    >>> cal.business_days_between(date(2026, 11, 30), date(2026, 11, 21))
    -5
    """
    a, b = as_ordinal(start, "start"), as_ordinal(end, "end")
    tl = self._days.table(min(a, b), max(a, b))
    return tl.index(b) - tl.index(a)
