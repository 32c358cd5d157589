"""The compiled form of a calendar: open intervals as UTC microseconds, with prefix sums.

A :class:`Timeline` is an immutable table covering whole local years ``[lo, hi)``: sorted,
disjoint open intervals ``starts[i] <= t < ends[i]`` and ``cum[i]``, the open microseconds
before interval ``i``. Every question is one or two ``bisect`` calls on these lists:

- ``E(t)``, the open time before ``t``: ``cum[i] + min(t, ends[i]) - starts[i]`` for the last
  interval starting at or before ``t``;
- ``elapsed(a, b) = E(b) - E(a)``;
- ``add(t, d)``: the interval whose cumulative end first reaches ``E(t) + d``.

This module is the table and how a calendar's dates become one (:func:`compile_years`); which
years are compiled, kept and grown is :mod:`sla_clock._islands`.

>>> tl = Timeline(2026, 2026, 0, 100, [10, 50], [20, 60])
>>> tl.before(15), tl.before(55), tl.at_open_time(15)
(5, 15, 55)
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from datetime import date, timedelta, tzinfo
from itertools import accumulate
from operator import sub

from ._zone import US_PER_DAY, wall_to_us
from .hours import DayHours

__all__ = [
    "CHUNK_YEARS",
    "MAX_YEAR",
    "MIN_YEAR",
    "HoursForYears",
    "Intervals",
    "Timeline",
    "YearsCompiler",
    "compile_years",
    "join",
    "merge",
    "year_of",
]

#: New islands start and end on multiples of this many years (a little room either side).
CHUNK_YEARS = 8
#: The engine's own limits: local years outside them are never compiled.
MIN_YEAR = 2
MAX_YEAR = 9997
_US_PER_YEAR = 365.2425 * US_PER_DAY
_EPOCH_YEAR = 1970

#: ``hours_for(first_year, last_year)`` returns a function giving each date's open hours.
HoursForYears = Callable[[int, int], Callable[[date], DayHours]]

Intervals = tuple[list[int], list[int]]

#: ``compile(first_year, last_year, business_days)``: the raw open intervals of those local
#: years, as :func:`compile_years` gives them (appending business days when given a list).
YearsCompiler = Callable[[int, int, list[int] | None], list[tuple[int, int]]]


def compile_years(
    first_year: int,
    last_year: int,
    hours_on: Callable[[date], DayHours],
    zone: tzinfo,
    business_days: list[int] | None = None,
) -> list[tuple[int, int]]:
    """Return the raw open intervals (UTC microseconds) of every date of the years given.

    Intervals of one day keep their order; empty ones (a wall-clock interval swallowed by a
    DST gap) are dropped. The result is not merged yet. With ``business_days``, the ordinal
    (:meth:`date.toordinal`) of every date with some open time is appended to it: this is
    the one rule of what a business day is.
    """
    intervals: list[tuple[int, int]] = []
    day = date(first_year, 1, 1)
    stop = date(last_year + 1, 1, 1)
    one_day = timedelta(days=1)
    while day < stop:
        found = len(intervals)
        for start, end in hours_on(day):
            s = wall_to_us(day, start, zone)
            e = wall_to_us(day, end, zone)
            if e > s:
                intervals.append((s, e))
        if business_days is not None and len(intervals) > found:
            business_days.append(day.toordinal())
        day += one_day
    return intervals


def merge(raw: list[tuple[int, int]]) -> Intervals:
    """Sort and merge overlapping or touching intervals into disjoint ones."""
    starts: list[int] = []
    ends: list[int] = []
    for s, e in sorted(raw):
        if ends and s <= ends[-1]:
            if e > ends[-1]:
                ends[-1] = e
        else:
            starts.append(s)
            ends.append(e)
    return starts, ends


def join(parts: list[Intervals]) -> Intervals:
    """Concatenate runs of disjoint intervals given in time order, merging where they touch."""
    starts: list[int] = []
    ends: list[int] = []
    for part_starts, part_ends in parts:
        if not part_starts:
            continue
        if ends and part_starts[0] <= ends[-1]:
            ends[-1] = max(ends[-1], part_ends[0])
            starts.extend(part_starts[1:])
            ends.extend(part_ends[1:])
        else:
            starts.extend(part_starts)
            ends.extend(part_ends)
    return starts, ends


def year_of(us: int) -> int:
    """Return the UTC year of ``us``, approximately.

    Near a new year the estimate can be off by up to about a day and a quarter;
    ``TimelineCache.year_at`` corrects it.
    """
    return _EPOCH_YEAR + int(us // _US_PER_YEAR)


class Timeline:
    """An immutable table of open intervals with prefix sums, covering local years ``[lo, hi)``.

    ``starts``/``ends`` must be sorted, disjoint and not touching, inside ``[lo, hi]``.
    """

    __slots__ = (
        "arrays",
        "cum",
        "cumend",
        "ends",
        "first_year",
        "hi",
        "last_year",
        "lo",
        "offset",
        "starts",
        "total",
        "used",
    )

    def __init__(
        self,
        first_year: int,
        last_year: int,
        lo: int,
        hi: int,
        starts: list[int],
        ends: list[int],
    ) -> None:
        self.first_year = first_year
        self.last_year = last_year
        self.lo = lo
        self.hi = hi
        # A zero-length sentinel at the start of the coverage: every covered instant has an
        # interval starting at or before it, so lookups need no "before the first" branch.
        edge = min(lo, starts[0]) if starts else lo
        self.starts = [edge, *starts]
        self.ends = [edge, *ends]
        cumend: list[int] = list(accumulate(map(sub, self.ends, self.starts)))
        cum = [0, *cumend[:-1]]
        self.cum = cum
        self.cumend = cumend
        #: ``offset[i] = cum[i] - starts[i]``: inside interval ``i``, ``E(t) = offset[i] + t``.
        self.offset: list[int] = list(map(sub, cum, self.starts))
        self.total = cumend[-1]
        #: Vectorised copies of the lists, filled on first use by :mod:`sla_clock.bulk`.
        self.arrays: object = None
        #: When the island was last made current (for eviction; a hint, not locked).
        self.used = 0

    @property
    def years(self) -> int:
        """The number of local years covered."""
        return self.last_year - self.first_year + 1

    def covers(self, lo: int, hi: int) -> bool:
        """Return True when the instants ``lo <= hi`` are both covered."""
        return self.lo <= lo and hi < self.hi

    def before(self, t: int) -> int:
        """Return ``E(t)``: the open microseconds from the start of the table to ``t``."""
        i = bisect_right(self.starts, t) - 1
        if i < 0:  # before the coverage: nothing is open there as far as the table knows
            return 0
        return self.offset[i] + t if t < self.ends[i] else self.cumend[i]

    def at_open_time(self, target: int) -> int:
        """Return the earliest instant ``x`` with ``E(x) == target`` (``0 < target <= total``)."""
        return target - self.offset[bisect_left(self.cumend, target)]

    def at_open_time_latest(self, target: int) -> int:
        """Return the latest instant ``x`` with ``E(x) == target`` (``0 <= target < total``)."""
        return target - self.offset[bisect_right(self.cum, target) - 1]

    def interval_at_or_after(self, t: int) -> int:
        """Return the index of the interval containing ``t`` or, if none, of the next one."""
        i = bisect_right(self.starts, t) - 1
        if i >= 0 and t < self.ends[i]:
            return i
        return i + 1

    def intervals_between(self, a: int, b: int) -> Iterator[tuple[int, int]]:
        """Yield the open intervals clipped to ``[a, b]``, skipping empty pieces."""
        i = self.interval_at_or_after(a)
        starts, ends = self.starts, self.ends
        while i < len(starts) and starts[i] < b:
            s, e = max(starts[i], a), min(ends[i], b)
            if e > s:
                yield s, e
            i += 1

    def clipped(self, lo: int, hi: int) -> Intervals:
        """Return the open intervals inside ``[lo, hi)``, cut at both ends."""
        i = self.interval_at_or_after(lo)
        j = bisect_left(self.starts, hi)
        starts, ends = self.starts[i:j], self.ends[i:j]
        if starts and starts[0] < lo:
            starts[0] = lo
        if ends and ends[-1] > hi:
            ends[-1] = hi
        return starts, ends
