"""How a deadline was reached: the business time consumed, day by day.

A support lead showing a customer why a ticket opened on Thursday evening is due on
Monday uses :func:`explain_due`; ``sla-clock due ... --explain`` prints it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from ._versioned_zone import VersionedZone
from ._zone import wall_to_us

if TYPE_CHECKING:
    from .calendar import BusinessCalendar

__all__ = ["DayConsumption", "explain_due"]


@dataclass(frozen=True, slots=True)
class DayConsumption:
    """The business time one local date contributes towards a deadline.

    Attributes:
        day: the local date in the calendar's zone.
        periods: the open periods counted that day, as ``(start, end)`` aware datetimes.
        consumed: the business time counted that day.
        total: the running total up to the end of that day.
    """

    day: date
    periods: tuple[tuple[datetime, datetime], ...]
    consumed: timedelta
    total: timedelta


def explain_due(
    calendar: BusinessCalendar, start: datetime, duration: timedelta
) -> tuple[datetime, list[DayConsumption]]:
    """Return the deadline ``calendar.add(start, duration)`` and the days that make it up.

    Only dates that contribute business time appear; closed days are skipped.

    >>> from zoneinfo import ZoneInfo
    >>> from sla_clock.calendar import BusinessCalendar
    >>> opened = datetime(2026, 11, 19, 17, 0, tzinfo=ZoneInfo("America/Sao_Paulo"))
    >>> due, days = explain_due(BusinessCalendar.default(), opened, timedelta(hours=4))
    >>> [(d.day.isoformat(), str(d.consumed)) for d in days]
    [('2026-11-19', '1:00:00'), ('2026-11-23', '3:00:00')]
    """
    due = calendar.add(start, duration)
    # Work on epoch microseconds: two datetimes sharing a tzinfo compare and subtract as
    # wall times, which is wrong across a DST change.
    to_us, from_us = calendar.to_us, calendar.from_us
    rows: list[tuple[date, list[tuple[int, int]]]] = []
    for opened, closed in calendar.open_intervals(start, due):
        begin, end = to_us(opened), to_us(closed)
        while begin < end:
            day = from_us(begin).date()
            stop = min(end, _day_end(calendar.zone, begin, day))
            if not rows or rows[-1][0] != day:  # (a move west can show a date again)
                rows.append((day, []))
            rows[-1][1].append((begin, stop))
            begin = stop
    days: list[DayConsumption] = []
    total = timedelta(0)
    for day, pieces in rows:
        consumed = timedelta(microseconds=sum(e - b for b, e in pieces))
        total += consumed
        periods = tuple((from_us(b), from_us(e)) for b, e in pieces)
        days.append(DayConsumption(day, periods, consumed, total))
    return due, days


def _day_end(zone: tzinfo, begin: int, day: date) -> int:
    """The end of the local date ``day`` that holds ``begin``.

    The next midnight of the zone in force, or the move to another zone if it comes first.
    """
    if not isinstance(zone, VersionedZone):
        return wall_to_us(day + timedelta(days=1), 0, zone)
    k = zone.index_at(begin)
    midnight = wall_to_us(day + timedelta(days=1), 0, zone.zones[k])
    return midnight if k == len(zone.switches) else min(midnight, zone.switches[k])
