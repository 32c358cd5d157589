"""What kind of per-date override a date's own hours are, as a calendar file names it.

A file lists closed dates, partial days and extra open days; a calendar keeps them all as
dates with their own hours. :func:`override_kind` turns one back into its kind.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Literal, Protocol

from ._versions import InForce
from .errors import CalendarConfigError
from .hours import DayHours

__all__ = ["OverrideKind", "WithHours", "normalise_overrides", "override_kind"]


class WithHours(Protocol):
    """A calendar, as far as its weekly hours in force on a date."""

    def version_on(self, day: date) -> InForce: ...


#: The kind of a per-date override, as a calendar file names it.
OverrideKind = Literal["closed", "partial", "extra_open"]


def _open_seconds(hours: DayHours) -> int:
    return sum(end - start for start, end in hours)


def override_kind(
    calendar: WithHours, day: date, hours: DayHours, holiday: str | None
) -> OverrideKind:
    """Return what a date with its own ``hours`` is, as a calendar file would list it.

    Args:
        calendar: the calendar the override belongs to (its hours in force on ``day``).
        day: the date.
        hours: the date's own hours (empty: closed).
        holiday: the name of the public holiday on ``day``, or ``None``.

    >>> from sla_clock import BusinessCalendar
    >>> cal = BusinessCalendar.default()
    >>> override_kind(cal, date(2026, 11, 28), ((32400, 46800),), None)  # a Saturday
    'extra_open'
    >>> override_kind(cal, date(2026, 12, 24), ((32400, 43200),), None)
    'partial'
    """
    if not hours:
        return "closed"
    usual = calendar.version_on(day).hours.days[day.weekday()]
    would_close = holiday is not None or not usual
    if would_close and _open_seconds(hours) >= _open_seconds(usual):
        return "extra_open"
    return "partial"


def normalise_overrides(
    items: Iterable[tuple[date, DayHours]],
) -> tuple[tuple[date, DayHours], ...]:
    """Sort per-date overrides, refusing a key that is no date or a date given twice."""
    seen: dict[date, DayHours] = {}
    for day, hours in items:
        if not isinstance(day, date) or isinstance(day, datetime):
            msg = f"override key {day!r} is not a date; use datetime.date(2026, 12, 24)"
            raise CalendarConfigError(msg)
        if day in seen and seen[day] != hours:
            msg = f"{day.isoformat()} is given twice with different hours; keep one entry"
            raise CalendarConfigError(msg)
        seen[day] = hours
    return tuple(sorted(seen.items()))
