"""The compiled timelines of one calendar: a few islands of years, grown and kept within bounds.

A :class:`TimelineCache` owns the compiled timelines (:class:`~sla_clock._timeline.Timeline`)
of one calendar. It keeps a few *islands*, each a timeline of at most ``span_years``
consecutive years (:data:`MAX_SPAN_YEARS`, or fewer for a calendar with many open periods),
and ``current``, the island used last. Readers never lock: they read ``current`` (one
attribute) and keep that snapshot. A question outside it goes to :meth:`TimelineCache.cover`
(another island, or a new one built under the lock) or :meth:`TimelineCache.extended` (a
deadline past the end of the island). The costs are bounded:

- a far date compiles only the years around it (a new island), never the years in between;
- a question may span at most ``span_years`` consecutive local years (its instants and its
  result); one that needs more is an :class:`~sla_clock.errors.OutOfRangeError`, whatever
  was compiled before, so answers do not depend on earlier questions;
- growth is geometric (an island grows by at least half its size, or by an estimate of the
  years a deadline needs), so rebuilding costs amortised linear time;
- all islands together keep at most ``2 * span_years`` compiled years (:data:`KEPT_YEARS`
  for a weekday desk); the island used longest ago goes first;
- the bounds count open periods as well as years: one island never holds more than
  :data:`MAX_PERIODS` open periods.
"""

from __future__ import annotations

import itertools
import math
import threading
from datetime import date, tzinfo
from typing import NamedTuple

from ._timeline import (
    CHUNK_YEARS,
    Intervals,
    Timeline,
    YearsCompiler,
    join,
    merge,
    year_of,
)
from ._versioned_zone import day_start_us
from ._zone import US_PER_DAY, from_us
from .errors import OutOfRangeError

__all__ = [
    "KEPT_YEARS",
    "MAX_PERIODS",
    "MAX_SPAN_YEARS",
    "SPAN_US",
    "TimelineCache",
    "YearRange",
]

#: One question (its instants and its result) must fit in this many consecutive local years;
#: it is also the largest island. 100 years compile in about 0.1 s on the default calendar.
MAX_SPAN_YEARS = 100
#: All islands of one calendar together keep at most this many compiled years.
KEPT_YEARS = 2 * MAX_SPAN_YEARS
#: One island (one question) holds at most about this many open periods: compiling them
#: takes a few tenths of a second and their lists some 20 MB. A weekday desk has about 260
#: a year, so its questions may span the full ``MAX_SPAN_YEARS``; a desk open in 15-minute
#: slots every day has some 35,000 a year, so its questions span at most 2 years; a calendar
#: with more than this many open periods in one year is refused.
MAX_PERIODS = 100_000
#: A duration longer than this much real time cannot end within ``MAX_SPAN_YEARS`` years.
SPAN_US = (MAX_SPAN_YEARS * 366 + 2) * US_PER_DAY


class YearRange(NamedTuple):
    """The local years a calendar can answer, and how to say so when a question leaves them.

    ``label`` completes "outside the years ..." (e.g. ``"that the holidays package 0.109
    covers for BR"``) and ``fix`` says what to do about it.
    """

    first: int
    last: int
    label: str
    fix: str


class TimelineCache:
    """The compiled islands of one calendar, safe to share between threads.

    ``current`` is replaced, never mutated, so a reader that took it keeps a consistent
    snapshot; islands are built under a lock.
    """

    __slots__ = (
        "_bounds",
        "_compile_years",
        "_islands",
        "_lock",
        "_ticks",
        "_year_limits",
        "_zone",
        "current",
        "kept_limit",
        "span_years",
        "year_range",
    )

    def __init__(
        self,
        compile_years: YearsCompiler,
        zone: tzinfo,
        year_limits: tuple[int, int] | None,
        year_range: YearRange,
        periods_per_year: int = 0,
    ) -> None:
        self._compile_years = compile_years
        #: How many consecutive local years one question may span on this calendar: the
        #: full ``MAX_SPAN_YEARS``, or fewer when its years hold many open periods.
        self.span_years = max(1, min(MAX_SPAN_YEARS, MAX_PERIODS // max(periods_per_year, 1)))
        #: How many compiled years the islands keep together.
        self.kept_limit = 2 * self.span_years
        self._zone = zone
        self._year_limits = year_limits
        #: The local years this calendar answers.
        self.year_range = year_range
        #: ``[lo, hi)``: the instants of those years.
        self._bounds = (
            self._year_start(year_range.first),
            self._year_start(year_range.last + 1),
        )
        self._lock = threading.Lock()
        self._ticks = itertools.count(1)
        self._islands: tuple[Timeline, ...] = ()
        self.current = Timeline(0, -1, 0, 0, [], [])

    # -- what is kept ---------------------------------------------------------------------

    @property
    def span_us(self) -> int:
        """The real time of ``span_years`` years: a longer duration cannot fit one question."""
        return (self.span_years * 366 + 2) * US_PER_DAY

    @property
    def bounds_us(self) -> tuple[int, int]:
        """``[lo, hi)``: the first and one past the last instant of the answerable years."""
        return self._bounds

    @property
    def islands(self) -> tuple[Timeline, ...]:
        """The timelines kept now (for tests and diagnostics)."""
        return self._islands

    def kept_years(self) -> int:
        """Return how many compiled years the islands hold together."""
        return sum(island.years for island in self._islands)

    # -- years and messages ---------------------------------------------------------------

    def _year_start(self, year: int) -> int:
        return day_start_us(date(year, 1, 1), self._zone)

    def year_at(self, us: int) -> int:
        """Return the local year of ``us`` as the islands count it (``us`` must be answerable).

        That is the ``y`` with ``start(y) <= us < start(y + 1)``, where ``start(y)`` is the
        instant of Jan 1 00:00 local time (by the fold rule).
        """
        lo, hi = self.year_range.first, self.year_range.last
        year = min(max(year_of(us), lo), hi)
        while year > lo and us < self._year_start(year):
            year -= 1
        while year < hi and us >= self._year_start(year + 1):
            year += 1
        return year

    def _when(self, us: int) -> str:
        try:
            return from_us(us, self._zone).isoformat()
        except (OverflowError, ValueError, OSError):
            return f"an instant in about year {year_of(us)}"

    def _outside(self, us: int) -> OutOfRangeError:
        r = self.year_range
        return OutOfRangeError(
            f"{self._when(us)} is outside the years {r.first}-{r.last} {r.label}; {r.fix}"
        )

    def _result_outside(self, *, after: bool) -> OutOfRangeError:
        r = self.year_range
        where = f"after {r.last}, the last" if after else f"before {r.first}, the first"
        return OutOfRangeError(
            f"the result would land {where} of the years {r.first}-{r.last} {r.label}; {r.fix}"
        )

    def span_error(self, start: int, *, after: bool) -> OutOfRangeError:
        """Build the error for a result more than ``span_years`` years from ``start``."""
        year = self.year_at(start)
        span = self.span_years - 1
        where = f"after {year + span}" if after else f"before {year - span}"
        return OutOfRangeError(
            f"the result would land {where}, more than {self.span_years} calendar years from "
            f"{self._when(start)}; sla-clock answers one question within {self._within()}, "
            "so check the duration and the year"
        )

    def _within(self) -> str:
        """How far one question may reach, said for a message."""
        if self.span_years == MAX_SPAN_YEARS:
            return f"{MAX_SPAN_YEARS} consecutive years"
        return (
            f"{self.span_years} consecutive years on this calendar (its open periods are many: "
            f"one question holds at most {MAX_PERIODS:,} of them)"
        )

    # -- finding or building an island ----------------------------------------------------

    def cover(self, lo_us: int, hi_us: int, *, upto: bool = False) -> Timeline:
        """Return a timeline covering the instants ``lo_us <= hi_us``.

        With ``upto``, the question needs only the open time inside ``[lo_us, hi_us]`` (an
        ``elapsed``), so ``hi_us`` may be the end of a timeline's coverage, even the end of
        the answerable years: the years needed are those of ``[lo_us, hi_us)``.

        Raises:
            OutOfRangeError: an instant lies outside the answerable years, or the two lie
                more than ``span_years`` local years apart.
        """
        tl = self.current
        if tl.lo <= lo_us and (hi_us < tl.hi or (upto and hi_us == tl.hi)):
            return tl
        for island in self._islands:
            if island.lo <= lo_us and (hi_us < island.hi or (upto and hi_us == island.hi)):
                self._switch(island)
                return island
        lo, hi = self._bounds
        if lo_us < lo:
            raise self._outside(lo_us)
        if hi_us > hi or (hi_us == hi and not upto):
            raise self._outside(hi_us)
        if upto:  # the years of [lo_us, hi_us), or of lo_us alone
            first = self.year_at(min(lo_us, hi - 1))
            last = self.year_at(min(max(lo_us, hi_us - 1), hi - 1))
        else:
            first, last = self.year_at(lo_us), self.year_at(hi_us)
        if last - first + 1 > self.span_years:
            msg = (
                f"{self._when(lo_us)} and {self._when(hi_us)} lie in {last - first + 1} "
                f"calendar years; sla-clock answers one question within {self._within()}, "
                "so check the years (a typo?) or split the range"
            )
            raise OutOfRangeError(msg)
        with self._lock:
            for island in self._islands:  # another thread may have built it meanwhile
                if island.lo <= lo_us and (hi_us < island.hi or (upto and hi_us == island.hi)):
                    self._switch(island)
                    return island
            return self._install(*self._plan(first, last))

    def _plan(self, first: int, last: int) -> tuple[int, int, Timeline | None]:
        """Choose the years of the island for local years ``first..last`` (held by the lock).

        An island that reaches within a chunk of them grows to include them, by at least half
        its size (geometric growth) while it stays within ``span_years``; otherwise a new
        island covers their chunks.
        """
        span = self.span_years
        r = self.year_range
        best: Timeline | None = None
        for island in self._islands:
            gap = max(first - island.last_year, island.first_year - last, 0)
            union = max(last, island.last_year) - min(first, island.first_year) + 1
            if gap <= CHUNK_YEARS and union <= span and (best is None or island is self.current):
                best = island
        if best is None:
            new_first = max(first - first % CHUNK_YEARS, r.first)
            new_last = min(last - last % CHUNK_YEARS + CHUNK_YEARS - 1, r.last)
            # Trim the chunk rounding, never the years asked for, to stay within the span.
            new_first = max(new_first, min(first, new_last - span + 1))
            new_last = min(new_last, new_first + span - 1)
            return new_first, new_last, None
        slack = max(CHUNK_YEARS, best.years // 2)
        new_first, new_last = min(first, best.first_year), max(last, best.last_year)
        if new_last > best.last_year:
            new_last = min(max(new_last, best.last_year + slack), r.last)
            new_last = min(new_last, new_first + span - 1)
        if new_first < best.first_year:
            new_first = max(min(new_first, best.first_year - slack), r.first)
            new_first = max(new_first, new_last - span + 1)
        return new_first, new_last, best

    def extended(
        self, tl: Timeline, keep_lo: int, keep_hi: int, missing: int, *, forward: bool
    ) -> Timeline:
        """Return a timeline covering ``[keep_lo, keep_hi]`` that reaches further than ``tl``.

        ``tl`` covers both instants and has ``missing`` open microseconds too few after its
        end (``forward``) or before its start. The new island grows by an estimate of the
        years that holds them, and by at least half of ``tl``'s size; it reaches at most
        ``span_years`` local years from ``keep_lo`` (forward) or ``keep_hi`` (backward).

        Raises:
            OutOfRangeError: ``tl`` already reaches the end of the answerable years, or
                ``span_years`` years from the kept instant.
        """
        r = self.year_range
        # Whichever limit comes first is the reason, so the message does not depend on what
        # was compiled before.
        if forward:
            anchor = self.year_at(keep_lo)
            reach = anchor + self.span_years - 1
            if tl.last_year >= min(reach, r.last):
                if r.last <= reach:
                    raise self._result_outside(after=True)
                raise self.span_error(keep_lo, after=True)
        else:
            anchor = self.year_at(keep_hi)
            reach = anchor - self.span_years + 1
            if tl.first_year <= max(reach, r.first):
                if r.first >= reach:
                    raise self._result_outside(after=False)
                raise self.span_error(keep_hi, after=False)
        grow = max(self._years_for(tl, missing), CHUNK_YEARS, tl.years // 2)
        with self._lock:
            if forward:
                new_last = min(tl.last_year + grow, r.last, reach)
                new_first = min(max(tl.first_year, new_last - self.span_years + 1), anchor)
            else:
                new_first = max(tl.first_year - grow, r.first, reach)
                new_last = max(min(tl.last_year, new_first + self.span_years - 1), anchor)
            for island in self._islands:  # another thread may have built it meanwhile
                if island.first_year <= new_first and new_last <= island.last_year:
                    self._switch(island)
                    return island
            return self._install(new_first, new_last, tl)

    def _years_for(self, tl: Timeline, missing: int) -> int:
        """Estimate how many more years hold ``missing`` open microseconds, with a margin."""
        if tl.total <= 0 or tl.years <= 0:
            return tl.years
        per_year = tl.total / tl.years
        return min(math.ceil(missing * 1.25 / per_year) + 1, self.span_years)

    def _install(self, first: int, last: int, base: Timeline | None) -> Timeline:
        """Build the island ``first..last`` (reusing ``base``), make it current, evict."""
        new = self._assemble(first, last, base)
        kept = [island for island in self._islands if island is not base]
        total = new.years + sum(island.years for island in kept)
        while kept and total > self.kept_limit:
            oldest = min(kept, key=_used)
            kept.remove(oldest)
            total -= oldest.years
        self._islands = (new, *kept)
        self._switch(new)
        return new

    def _switch(self, island: Timeline) -> None:
        """Make ``island`` current (no lock: a reader may briefly keep an evicted one)."""
        old = self.current
        old.used = next(self._ticks)
        island.used = next(self._ticks)
        self.current = island

    def _assemble(self, first: int, last: int, base: Timeline | None) -> Timeline:
        """Build the timeline of years ``first..last``, reusing ``base``'s overlapping years."""
        lo, hi = self._year_start(first), self._year_start(last + 1)
        parts: list[Intervals] = []
        if base is None or base.last_year < first or base.first_year > last:
            parts.append(self._compile(first, last))
        else:
            if first < base.first_year:
                parts.append(self._compile(first, base.first_year - 1))
            keep_lo, keep_hi = max(lo, base.lo), min(hi, base.hi)
            parts.append(base.clipped(keep_lo, keep_hi))
            if last > base.last_year:
                parts.append(self._compile(base.last_year + 1, last))
        starts, ends = join(parts)
        return Timeline(first, last, lo, hi, starts, ends)

    def _compile(self, first: int, last: int) -> Intervals:
        """Compile the merged open intervals of local years ``first..last``."""
        if self._year_limits is not None:
            first = max(first, self._year_limits[0])
            last = min(last, self._year_limits[1])
        if first > last:
            return [], []
        return merge(self._compile_years(first, last, None))

    def has_limit_after(self, tl: Timeline) -> bool:
        """Return True when no open time can exist after ``tl``'s coverage."""
        return self._year_limits is not None and tl.last_year >= self._year_limits[1]

    def has_limit_before(self, tl: Timeline) -> bool:
        """Return True when no open time can exist before ``tl``'s coverage."""
        return self._year_limits is not None and tl.first_year <= self._year_limits[0]


def _used(island: Timeline) -> int:
    used: int = island.used
    return used
