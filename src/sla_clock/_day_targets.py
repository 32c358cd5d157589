"""Targets in business days: the deadline a day target names, and the budget it becomes.

A priority may promise "5 dias úteis" instead of 40 business hours. Let ``s`` be the clock's
start if the desk is open then, else the next opening; ``D`` its local date and ``w`` its
wall time. The deadline is

- **same wall time** (the default): wall time ``w`` on ``add_business_days(D, N)``, or that
  day's last close when it closes before ``w``;
- **end of day**: the last close of ``add_business_days(D, N)`` (``N = 0``: the close of the
  day the clock starts; ``N = 1``: "end of next business day").

The target then becomes a business-time **budget**, the business time from ``s`` to that
deadline, and everything else (pauses, priority changes, escalation, warnings) works as for a
target in hours: a paused ticket's deadline moves by the business time it was paused.

>>> from datetime import datetime
>>> from zoneinfo import ZoneInfo
>>> from sla_clock import BusinessCalendar
>>> cal = BusinessCalendar.default()
>>> opened = cal.to_us(datetime(2026, 11, 19, 10, tzinfo=ZoneInfo("America/Sao_Paulo")))
>>> cal.from_us(day_deadline_us(cal, opened, 5, end_of_day=False)).isoformat()
'2026-11-27T10:00:00-03:00'
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, NamedTuple

from ._ops import add_us, elapsed_us, from_us, timeline_for
from ._versioned_zone import day_start_us
from ._zone import wall_to_us

if TYPE_CHECKING:
    from .calendar import BusinessCalendar

__all__ = ["DayTarget", "day_budget_us", "day_deadline_us", "last_close_us"]

_ONE_DAY = timedelta(days=1)
_US_PER_SECOND = 1_000_000


class DayTarget(NamedTuple):
    """A target in business days, with what turns its budget into thresholds."""

    days: int
    end_of_day: bool
    warning_shares: tuple[float, ...]
    offsets: tuple[int, ...]  # the escalation levels' offsets, microseconds of business time


def last_close_us(calendar: BusinessCalendar, day_start: int, day_end: int) -> int:
    """Return the end of the last open period inside the local date ``[day_start, day_end)``.

    A period that runs past the date's end is cut there: a desk open round the clock ends
    its day at midnight.
    """
    tl = timeline_for(calendar, day_start, day_end)
    last = day_start
    for _, end in tl.intervals_between(day_start, day_end):
        last = end
    return last


def day_deadline_us(
    calendar: BusinessCalendar, start_us: int, days: int, *, end_of_day: bool
) -> int:
    """Return the deadline of a target of ``days`` business days for a clock from ``start_us``."""
    s = add_us(calendar, start_us, 1) - 1  # start_us if open then, else the next opening
    local = from_us(calendar, s)
    target = calendar.add_business_days(local.date(), days)
    zone = calendar.zone
    # The date's first instants on the desk's clock: a midnight a move east skips is the move.
    day_start = day_start_us(target, zone)
    close = last_close_us(calendar, day_start, day_start_us(target + _ONE_DAY, zone))
    if end_of_day:
        return close
    wall = local.hour * 3600 + local.minute * 60 + local.second
    same_time = wall_to_us(target, wall, zone) + local.microsecond
    return min(same_time, close)


def day_budget_us(calendar: BusinessCalendar, start_us: int, target: DayTarget) -> int:
    """Return the business microseconds a day target allows a clock that starts at ``start_us``."""
    deadline = day_deadline_us(calendar, start_us, target.days, end_of_day=target.end_of_day)
    return elapsed_us(calendar, start_us, deadline)
