"""What kind of per-date override a date's own hours are, as a calendar file names it.

A file lists closed dates, partial days and extra open days; a calendar keeps them all as
dates with their own hours. :func:`override_kind` turns one back into its kind.
"""

from __future__ import annotations

from datetime import date
from typing import Literal, Protocol

from ._versions import CalendarVersion
from .hours import DayHours

__all__ = ["OverrideKind", "WithHours", "override_kind"]


class WithHours(Protocol):
    """A calendar, as far as its weekly hours in force on a date."""

    def version_on(self, day: date) -> CalendarVersion: ...


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
