"""A slow, obviously correct reference for business days, ``prev_open`` and ``prev_close``.

It is built on :mod:`reference` (each local date's real open intervals, from the calendar's
public fields only) and shares no code with ``sla_clock``. Every answer walks dates one at a
time:

- A **business day** is a local date whose own hours (override, else holiday, else weekday)
  keep some real open time: ``Reference.day_intervals(day)`` is not empty. A partial day
  counts; a closed date, and a date whose only hours vanish in a DST gap, do not.
- ``next_business_day`` / ``previous_business_day`` step one date at a time, strictly after
  or before the given date.
- ``add_business_days`` is NumPy's ``busday_offset(day, n, roll="forward")``: a non-business
  day first rolls forward to the next business day, then ``n`` business-day steps are taken
  one at a time (backward when ``n < 0``).
- ``business_days_between(start, end)`` counts the business days of ``[start, end)`` one
  date at a time, and is antisymmetric: ``between(b, a) == -between(a, b)``.
- ``prev_open(t)`` / ``prev_close(t)`` are the latest start / end of a merged open period at
  or before ``t``, read from the merged intervals of a window of whole dates that is doubled
  until the answer lies where no date outside the window can reach (as
  :meth:`Reference.next_open` does forward).

Answers that need more than ``MAX_SPAN_DAYS`` dates are ``None``; the reference knows
nothing of ``year_range`` (the tests ask it only about 2015-2035).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from reference import MAX_SPAN_DAYS, Reference, reference_for
from sla_clock import BusinessCalendar

__all__ = ["DayReference", "day_reference_for"]

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class DayReference:
    """The business days and the openings and closings of one calendar, walked date by date."""

    ref: Reference

    # -- dates -----------------------------------------------------------------------------

    def is_business_day(self, day: date) -> bool:
        """Return True when ``day`` keeps some real open time of its own."""
        return bool(self.ref.day_intervals(day))

    def _step(self, day: date, direction: int) -> date | None:
        """Return the first business day strictly after (+1) or before (-1) ``day``."""
        for _ in range(MAX_SPAN_DAYS):
            day += direction * ONE_DAY
            if self.is_business_day(day):
                return day
        return None

    def next_business_day(self, day: date) -> date | None:
        """Return the first business day strictly after ``day``."""
        return self._step(day, +1)

    def previous_business_day(self, day: date) -> date | None:
        """Return the last business day strictly before ``day``."""
        return self._step(day, -1)

    def add_business_days(self, day: date, n: int) -> date | None:
        """Return ``numpy.busday_offset(day, n, roll="forward")`` on this calendar."""
        current: date | None = day
        if not self.is_business_day(day):
            current = self.next_business_day(day)
        direction = 1 if n > 0 else -1
        for _ in range(abs(n)):
            if current is None:
                return None
            current = self._step(current, direction)
        return current

    def business_days_between(self, start: date, end: date) -> int:
        """Return the business days in ``[start, end)``, or minus those of ``[end, start)``."""
        if end < start:
            return -self.business_days_between(end, start)
        count = 0
        day = start
        while day < end:
            count += self.is_business_day(day)
            day += ONE_DAY
        return count

    # -- instants (epoch microseconds) ---------------------------------------------------------

    def prev_open(self, t: int) -> int | None:
        """Return the latest opening (start of a merged open period) at or before ``t``."""
        return self._latest(t, ends=False)

    def prev_close(self, t: int) -> int | None:
        """Return the latest closing (end of a merged open period) at or before ``t``."""
        return self._latest(t, ends=True)

    def _latest(self, t: int, *, ends: bool) -> int | None:
        """The latest period start (or end) ``<= t``, from a window of dates grown backward.

        A date's intervals lie within about a day of its UTC date, so a period edge after the
        window's ``trusted_lo`` cannot be moved by a date before the window, and none after
        ``t``'s date plus three can reach ``t``.
        """
        span = 16
        while span <= MAX_SPAN_DAYS:
            day = self.ref.local_date(t)
            ivs, trusted_lo, trusted_hi = self.ref.window(day - span * ONE_DAY, day + 3 * ONE_DAY)
            assert t <= trusted_hi
            edges = [e if ends else s for s, e in ivs]
            found = [edge for edge in edges if edge <= t]
            if found and found[-1] > trusted_lo:
                return found[-1]
            span *= 2
        return None


def day_reference_for(calendar: BusinessCalendar) -> DayReference:
    """Return the day reference of ``calendar`` (its date reference is memoised)."""
    return DayReference(reference_for(calendar))
