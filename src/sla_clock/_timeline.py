"""The compiled form of a calendar: open intervals as UTC microseconds, with prefix sums.

A :class:`Timeline` is an immutable snapshot covering whole years ``[lo, hi)``: sorted,
disjoint open intervals ``starts[i] <= t < ends[i]`` and ``cum[i]``, the open microseconds
before interval ``i``. Every question is one or two ``bisect`` calls on these lists:

- ``E(t)``, the open time before ``t``: ``cum[i] + min(t, ends[i]) - starts[i]`` for the last
  interval starting at or before ``t``;
- ``elapsed(a, b) = E(b) - E(a)``;
- ``add(t, d)``: the interval whose cumulative end first reaches ``E(t) + d``.

A :class:`TimelineCache` owns the current snapshot of one calendar and grows it by whole
chunks of years when a query falls outside; readers never lock, they read one attribute.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from ._zone import US_PER_DAY, wall_to_us
from .errors import OutOfRangeError
from .hours import DayHours

__all__ = ["CHUNK_YEARS", "Timeline", "TimelineCache", "compile_years"]

CHUNK_YEARS = 8
MIN_YEAR = 2
MAX_YEAR = 9997
_US_PER_YEAR = 365.2425 * US_PER_DAY
_EPOCH_YEAR = 1970

#: ``hours_for(first_year, last_year)`` returns a function giving each date's open hours.
HoursForYears = Callable[[int, int], Callable[[date], DayHours]]


def compile_years(
    first_year: int, last_year: int, hours_on: Callable[[date], DayHours], zone: ZoneInfo
) -> list[tuple[int, int]]:
    """Return the raw open intervals (UTC microseconds) of every date of the years given.

    Intervals of one day keep their order; empty ones (a wall-clock interval swallowed by a
    DST gap) are dropped. The result is not merged yet.
    """
    intervals: list[tuple[int, int]] = []
    day = date(first_year, 1, 1)
    stop = date(last_year + 1, 1, 1)
    one_day = timedelta(days=1)
    while day < stop:
        for start, end in hours_on(day):
            s = wall_to_us(day, start, zone)
            e = wall_to_us(day, end, zone)
            if e > s:
                intervals.append((s, e))
        day += one_day
    return intervals


def _merge(raw: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
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


def year_of(us: int) -> int:
    """Return the (approximate, within a day) UTC year of the instant ``us``."""
    return _EPOCH_YEAR + int(us // _US_PER_YEAR)


class Timeline:
    """An immutable table of open intervals with prefix sums, covering ``[lo, hi)``."""

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
    )

    def __init__(
        self,
        first_year: int,
        last_year: int,
        lo: int,
        hi: int,
        raw: list[tuple[int, int]],
    ) -> None:
        self.first_year = first_year
        self.last_year = last_year
        self.lo = lo
        self.hi = hi
        starts, ends = _merge(raw)
        # A zero-length sentinel at the start of the coverage: every covered instant has an
        # interval starting at or before it, so lookups need no "before the first" branch.
        edge = min(lo, starts[0]) if starts else lo
        self.starts, self.ends = [edge, *starts], [edge, *ends]
        cum: list[int] = []
        cumend: list[int] = []
        acc = 0
        for s, e in zip(self.starts, self.ends, strict=True):
            cum.append(acc)
            acc += e - s
            cumend.append(acc)
        self.cum = cum
        self.cumend = cumend
        #: ``offset[i] = cum[i] - starts[i]``: inside interval ``i``, ``E(t) = offset[i] + t``.
        self.offset = [c - s for c, s in zip(cum, self.starts, strict=True)]
        self.total = acc
        #: Vectorised copies of the lists, filled on first use by :mod:`sla_clock.bulk`.
        self.arrays: object = None

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


class TimelineCache:
    """The growing compiled timeline of one calendar, safe to share between threads.

    ``current`` is replaced, never mutated, so a reader that took it keeps a consistent
    snapshot; growth happens under a lock.
    """

    __slots__ = ("_chunks", "_hours_for", "_lock", "_year_limits", "_zone", "current")

    def __init__(
        self, hours_for: HoursForYears, zone: ZoneInfo, year_limits: tuple[int, int] | None
    ) -> None:
        self._hours_for = hours_for
        self._zone = zone
        self._year_limits = year_limits
        self._lock = threading.Lock()
        self._chunks: dict[int, list[tuple[int, int]]] = {}
        self.current = Timeline(0, -1, 0, 0, [])

    def _chunk_of(self, year: int) -> int:
        return year - year % CHUNK_YEARS

    def _compile_chunk(self, first: int) -> list[tuple[int, int]]:
        last = first + CHUNK_YEARS - 1
        if self._year_limits is not None:
            lo_limit, hi_limit = self._year_limits
            if last < lo_limit or first > hi_limit:
                return []
        first_y, last_y = max(first, MIN_YEAR), min(last, MAX_YEAR)
        return compile_years(first_y, last_y, self._hours_for(first_y, last_y), self._zone)

    def cover(self, lo_us: int, hi_us: int) -> Timeline:
        """Return a timeline whose coverage includes ``[lo_us, hi_us]``."""
        tl = self.current
        if tl.lo <= lo_us and hi_us < tl.hi:
            return tl
        first, last = year_of(lo_us), year_of(hi_us)
        if first < MIN_YEAR or last > MAX_YEAR:
            return self._grow(first, last)  # raises the OutOfRangeError
        # A year of margin on each side (the UTC year of an instant may not be its local one).
        return self._grow(max(first - 1, MIN_YEAR), min(last + 1, MAX_YEAR))

    def grow_forward(self) -> Timeline:
        """Return a timeline extended by one chunk of years after the current one."""
        return self._grow(self.current.first_year, self.current.last_year + CHUNK_YEARS)

    def grow_backward(self) -> Timeline:
        """Return a timeline extended by one chunk of years before the current one."""
        return self._grow(self.current.first_year - CHUNK_YEARS, self.current.last_year)

    def _grow(self, first_year: int, last_year: int) -> Timeline:
        if first_year < MIN_YEAR or last_year > MAX_YEAR:
            msg = (
                f"the calendar cannot reach years {first_year}..{last_year}; sla-clock "
                f"computes business time between years {MIN_YEAR} and {MAX_YEAR}"
            )
            raise OutOfRangeError(msg)
        with self._lock:
            tl = self.current
            if tl.first_year <= tl.last_year:
                first_year = min(first_year, tl.first_year)
                last_year = max(last_year, tl.last_year)
            first_chunk = self._chunk_of(first_year)
            last_chunk = self._chunk_of(last_year)
            raw: list[tuple[int, int]] = []
            for chunk in range(first_chunk, last_chunk + 1, CHUNK_YEARS):
                if chunk not in self._chunks:
                    self._chunks[chunk] = self._compile_chunk(chunk)
                raw.extend(self._chunks[chunk])
            first = max(first_chunk, MIN_YEAR)
            last = min(last_chunk + CHUNK_YEARS - 1, MAX_YEAR)
            lo = wall_to_us(date(first, 1, 1), 0, self._zone)
            hi = wall_to_us(date(last, 12, 31), 86_400, self._zone)
            new = Timeline(first, last, lo, hi, raw)
            self.current = new
            return new

    def has_limit_after(self, tl: Timeline) -> bool:
        """Return True when no open time can exist after ``tl``'s coverage."""
        return self._year_limits is not None and tl.last_year >= self._year_limits[1]

    def has_limit_before(self, tl: Timeline) -> bool:
        """Return True when no open time can exist before ``tl``'s coverage."""
        return self._year_limits is not None and tl.first_year <= self._year_limits[0]
