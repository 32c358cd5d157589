"""Business days: the local dates with some open time, as a sorted table of date ordinals.

A business day is a local date of the calendar's zone with some open time after holidays and
overrides (the rule lives in :func:`~sla_clock._timeline.compile_years`, which compiles the
open intervals too). A :class:`DayCache` keeps one :class:`DayTable` per calendar: the
ordinals (:meth:`date.toordinal`) of the business days of consecutive local years, sorted, so
that every question is one or two ``bisect`` calls:

- the business days in ``[a, b)`` are ``bisect_left(days, b) - bisect_left(days, a)``;
- ``add_business_days(d, n)`` is ``days[bisect_left(days, d) + n]`` (a date that is not a
  business day rolls forward, as NumPy's ``busday_offset(roll="forward")`` does).

The table grows geometrically when a question walks off it and never spans more than
:data:`~sla_clock._islands.MAX_SPAN_YEARS` years; a far date starts a new table around it.

>>> table = DayTable(2026, 2026, [date(2026, 11, 19).toordinal(), date(2026, 11, 23).toordinal()])
>>> date.fromordinal(table.days[table.index(date(2026, 11, 20).toordinal()) + 0]).isoformat()
'2026-11-23'
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from datetime import date

from ._islands import MAX_SPAN_YEARS, YearRange
from ._timeline import CHUNK_YEARS, YearsCompiler
from .errors import OutOfRangeError

__all__ = ["DayCache", "DayTable"]

#: How many tables one calendar keeps (each of at most 100 years: some 26,000 dates).
_KEPT_TABLES = 4


class DayTable:
    """The business days of local years ``first_year..last_year``, as sorted date ordinals.

    ``lo`` and ``hi`` are the ordinals of Jan 1 of ``first_year`` and of the year after
    ``last_year``: the table answers dates ``lo <= d < hi``.
    """

    __slots__ = ("arrays", "days", "first_year", "hi", "last_year", "lo")

    def __init__(self, first_year: int, last_year: int, days: list[int]) -> None:
        self.first_year = first_year
        self.last_year = last_year
        self.lo = date(first_year, 1, 1).toordinal() if last_year >= first_year else 0
        self.hi = date(last_year + 1, 1, 1).toordinal() if last_year >= first_year else 0
        self.days = days
        #: Vectorised copies (a per-day prefix count), filled on first use by sla_clock.bulk.
        self.arrays: object = None

    @property
    def years(self) -> int:
        """How many years the table holds."""
        return self.last_year - self.first_year + 1

    def covers(self, lo: int, hi: int) -> bool:
        """Return True when the dates ``lo <= hi`` (ordinals) both lie in the table."""
        return self.lo <= lo and hi < self.hi

    def index(self, day: int) -> int:
        """Return how many of the table's business days come before the date ``day``."""
        return bisect_left(self.days, day)


class DayCache:
    """The business-day table of one calendar, safe to share between threads.

    ``current`` is replaced, never mutated; tables are built under a lock.
    """

    __slots__ = ("_compile_years", "_limits", "_lock", "_tables", "current", "year_range")

    def __init__(
        self,
        compile_years: YearsCompiler,
        year_limits: tuple[int, int] | None,
        year_range: YearRange,
    ) -> None:
        self._compile_years = compile_years
        self._limits = year_limits
        self.year_range = year_range
        self._lock = threading.Lock()
        self.current = DayTable(0, -1, [])
        #: The tables kept, most recently used first (questions that jump between far years
        #: find theirs again instead of rebuilding it).
        self._tables: tuple[DayTable, ...] = ()

    # -- messages ---------------------------------------------------------------------------

    def _outside(self, day: int) -> OutOfRangeError:
        r = self.year_range
        when = date.fromordinal(day).isoformat()
        return OutOfRangeError(f"{when} is outside the years {r.first}-{r.last} {r.label}; {r.fix}")

    def _none(self, anchor: int, *, after: bool) -> OutOfRangeError:
        """The error for a business day that would lie beyond what one question may use."""
        r, when = self.year_range, date.fromordinal(anchor).isoformat()
        where = "after" if after else "before"
        limits, reach = self._limits, self._reach(anchor, after=after)
        if limits is not None and (limits[1] < reach if after else limits[0] > reach):
            msg = (
                f"the calendar has no business day {where} {when} (it has no weekly hours): "
                "add weekly hours or more open dates"
            )
        elif reach == (r.last if after else r.first):
            edge = f"after {r.last}, the last" if after else f"before {r.first}, the first"
            msg = f"the result would land {edge} of the years {r.first}-{r.last} {r.label}; {r.fix}"
        else:
            msg = (
                f"the result would land more than {MAX_SPAN_YEARS} calendar years {where} {when}; "
                f"sla-clock answers one question within {MAX_SPAN_YEARS} consecutive years, so "
                "check the number of days and the year"
            )
        return OutOfRangeError(msg)

    def _reach(self, anchor: int, *, after: bool) -> int:
        """The last (``after``) or first year one question from ``anchor`` may use."""
        year, r = date.fromordinal(anchor).year, self.year_range
        if after:
            return min(year + MAX_SPAN_YEARS - 1, r.last)
        return max(year - MAX_SPAN_YEARS + 1, r.first)

    # -- finding, building and growing the table --------------------------------------------

    def table(self, lo: int, hi: int) -> DayTable:
        """Return a table covering the dates (ordinals) ``lo <= hi``.

        Raises:
            OutOfRangeError: a date lies outside the answerable years, or the two lie more
                than ``MAX_SPAN_YEARS`` local years apart.
        """
        tl = self.current
        if tl.lo <= lo and hi < tl.hi:
            return tl
        for kept in self._tables:
            if kept.lo <= lo and hi < kept.hi:
                self.current = kept
                return kept
        r = self.year_range
        if lo < 1 or lo < date(r.first, 1, 1).toordinal():
            raise self._outside(lo)
        if hi >= date(r.last, 12, 31).toordinal() + 1:
            raise self._outside(hi)
        first, last = date.fromordinal(lo).year, date.fromordinal(hi).year
        if last - first + 1 > MAX_SPAN_YEARS:
            msg = (
                f"{date.fromordinal(lo)} and {date.fromordinal(hi)} lie in {last - first + 1} "
                f"calendar years; sla-clock answers one question within {MAX_SPAN_YEARS} "
                "consecutive years, so check the years (a typo?) or split the range"
            )
            raise OutOfRangeError(msg)
        with self._lock:
            tl = self.current
            if tl.lo <= lo and hi < tl.hi:
                return tl
            gap = max(first - tl.last_year, tl.first_year - last)
            union = max(last, tl.last_year) - min(first, tl.first_year) + 1
            if tl.years > 0 and gap <= CHUNK_YEARS and union <= MAX_SPAN_YEARS:
                slack = max(CHUNK_YEARS, tl.years // 2)
                if last > tl.last_year:
                    last = max(last, tl.last_year + slack)
                if first < tl.first_year:
                    first = min(first, tl.first_year - slack)
                first, last = min(first, tl.first_year), max(last, tl.last_year)
            else:
                first -= first % CHUNK_YEARS
                last += CHUNK_YEARS - 1 - last % CHUNK_YEARS
            first, last = self._clamp(first, last, date.fromordinal(lo).year)
            return self._install(first, last, tl)

    def grown(self, tl: DayTable, anchor: int, *, forward: bool) -> DayTable:
        """Return a table reaching further than ``tl`` after (``forward``) or before it.

        The table keeps the date ``anchor`` and reaches at most ``MAX_SPAN_YEARS`` years
        from it.

        Raises:
            OutOfRangeError: no more business days can exist in that direction within the
                years one question may use.
        """
        reach = self._reach(anchor, after=forward)
        limits = self._limits
        if forward:
            stop = reach if limits is None else min(reach, limits[1])
            if tl.last_year >= stop:
                raise self._none(anchor, after=True)
        else:
            stop = reach if limits is None else max(reach, limits[0])
            if tl.first_year <= stop:
                raise self._none(anchor, after=False)
        grow = max(CHUNK_YEARS, tl.years // 2)
        with self._lock:
            year = date.fromordinal(anchor).year
            if forward:
                last = min(tl.last_year + grow, reach)
                first = max(min(tl.first_year, year), last - MAX_SPAN_YEARS + 1)
            else:
                first = max(tl.first_year - grow, reach)
                last = min(max(tl.last_year, year), first + MAX_SPAN_YEARS - 1)
            return self._install(first, last, tl)

    def _clamp(self, first: int, last: int, keep: int) -> tuple[int, int]:
        """Trim years ``first..last`` to the answerable years and the span, keeping ``keep``."""
        r = self.year_range
        first, last = max(first, r.first), min(last, r.last)
        if last - first + 1 > MAX_SPAN_YEARS:
            first = max(first, min(keep, last - MAX_SPAN_YEARS + 1))
            last = first + MAX_SPAN_YEARS - 1
        return first, last

    def _install(self, first: int, last: int, base: DayTable) -> DayTable:
        """Build the table of years ``first..last`` (reusing ``base``'s years) and keep it."""
        merged = not (base.years <= 0 or base.last_year < first or base.first_year > last)
        if not merged:
            days = self._compile(first, last)
        else:
            lo = date(max(first, base.first_year), 1, 1).toordinal()
            hi = date(min(last, base.last_year) + 1, 1, 1).toordinal()
            kept = base.days[base.index(lo) : base.index(hi)]
            before = self._compile(first, base.first_year - 1)
            after = self._compile(base.last_year + 1, last)
            days = [*before, *kept, *after]
        new = DayTable(first, last, days)
        others = tuple(kept for kept in self._tables if not (merged and kept is base))
        self._tables = (new, *others)[:_KEPT_TABLES]
        self.current = new
        return new

    def _compile(self, first: int, last: int) -> list[int]:
        """The business days of local years ``first..last``, one year at a time."""
        if self._limits is not None:
            first, last = max(first, self._limits[0]), min(last, self._limits[1])
        days: list[int] = []
        for year in range(first, last + 1):  # a year at a time: a dense calendar's intervals
            self._compile_years(year, year, days)
        return days
