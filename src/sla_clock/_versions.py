"""Dated versions of a calendar: the weekly hours and holidays in force from a local date.

A calendar's own ``hours`` and ``holidays`` are in force until its first version; each
:class:`CalendarVersion` is in force from 00:00 of its local date until the next one. The
per-date overrides (closed dates, partial days, extra open days) are not versioned: they are
dates, whatever the version. Each local date is counted under the version in force on it,
so the compiled timeline is the concatenation of the versions' days, and ``add`` and
``elapsed`` cost the same with ten versions as with none (two bisects, no branch).

>>> from sla_clock.hours import WeeklyHours
>>> early = CalendarVersion(date(2027, 3, 1), WeeklyHours.parse({"mon-fri": "08:00-17:00"}))
>>> rules = Rules(WeeklyHours.parse({"mon-fri": "09:00-18:00"}), HolidaySource(None), (early,))
>>> rules.in_force(date(2027, 2, 26)).hours.days[4], rules.in_force(date(2027, 3, 1)).hours.days[4]
(((32400, 64800),), ((28800, 61200),))
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from .errors import CalendarConfigError
from .holiday_source import HolidaySource
from .hours import DayHours, WeeklyHours

__all__ = ["CalendarVersion", "InForce", "Rules", "check_start", "normalise_versions"]


@dataclass(frozen=True, slots=True)
class CalendarVersion:
    """What changes in a calendar from ``start`` (a local date) on.

    Attributes:
        start: the first local date the version is in force, from its 00:00.
        hours: the whole weekly table from then, or ``None``: the hours in force before.
        holidays: where public holidays come from from then, or ``None``: as before.
    """

    start: date
    hours: WeeklyHours | None = None
    holidays: HolidaySource | None = None


class InForce(NamedTuple):
    """The rules in force from ``start`` (``date.min``: the calendar's own), all resolved."""

    start: date
    hours: WeeklyHours
    holidays: HolidaySource


def check_start(start: object) -> date:
    """``start`` when it is a date (not a datetime).

    Raises:
        CalendarConfigError: anything else.
    """
    if not isinstance(start, date) or isinstance(start, datetime):
        msg = f"a calendar version starts on {start!r}, not a date; use date(2027, 3, 1)"
        raise CalendarConfigError(msg)
    return start


def normalise_versions(items: Iterable[CalendarVersion]) -> tuple[CalendarVersion, ...]:
    """Sort ``items`` by date, refusing a date that is not a date or comes twice.

    Raises:
        CalendarConfigError: a ``start`` that is not a date, or two versions of one date.
    """
    seen: dict[date, CalendarVersion] = {}
    for version in items:
        start = check_start(version.start)
        hours: object = version.hours  # (from untyped callers: a dict, a text)
        holidays: object = version.holidays
        if not isinstance(hours, WeeklyHours | None):
            msg = f"the version from {start}: hours must be WeeklyHours, not {version.hours!r}"
            raise CalendarConfigError(msg)
        if not isinstance(holidays, HolidaySource | None):
            msg = (
                f"the version from {start}: holidays must be a HolidaySource, e.g. "
                f"HolidaySource('BR', subdiv='SP'), not {version.holidays!r}"
            )
            raise CalendarConfigError(msg)
        if start in seen and seen[start] != version:
            msg = f"two calendar versions start on {start.isoformat()}; keep one"
            raise CalendarConfigError(msg)
        seen[start] = version
    return tuple(sorted(seen.values(), key=lambda version: version.start))


class Rules:
    """A calendar's rules through time: its own hours and holidays, then its versions.

    Each version's missing parts are resolved here, in date order, from the one before: a
    calendar's own hours changed later reach every version that did not set its own.
    """

    __slots__ = ("all", "starts")

    def __init__(
        self,
        hours: WeeklyHours,
        holidays: HolidaySource,
        versions: tuple[CalendarVersion, ...] = (),
    ) -> None:
        resolved = [InForce(date.min, hours, holidays)]
        for version in versions:
            before = resolved[-1]
            resolved.append(
                InForce(
                    version.start,
                    before.hours if version.hours is None else version.hours,
                    before.holidays if version.holidays is None else version.holidays,
                )
            )
        #: Every version, resolved, the calendar's own first (in force since date.min).
        self.all: tuple[InForce, ...] = tuple(resolved)
        self.starts = [rules.start for rules in resolved]

    def in_force(self, day: date) -> InForce:
        """The rules in force on the local date ``day``."""
        return self.all[bisect_right(self.starts, day) - 1]

    def hours_for(
        self, first_year: int, last_year: int, overrides: dict[date, DayHours]
    ) -> Callable[[date], DayHours]:
        """The open hours of each date of the years given: the one rule.

        An override if the date has one, else nothing on a holiday of the version in force,
        else that version's hours for the weekday.
        """
        every, starts = self.all, self.starts
        closed = [
            version.holidays.closed_dates(first_year, last_year)
            if self._overlaps(k, first_year, last_year)
            else frozenset()
            for k, version in enumerate(every)
        ]
        weekly = [version.hours.days for version in every]
        single = len(every) == 1

        def hours_on(day: date) -> DayHours:
            special = overrides.get(day)
            if special is not None:
                return special
            k = 0 if single else bisect_right(starts, day) - 1
            if day in closed[k]:
                return ()
            return weekly[k][day.weekday()]

        return hours_on

    def _overlaps(self, k: int, first_year: int, last_year: int) -> bool:
        starts = self.starts
        starts_in = starts[k].year
        ends_in = starts[k + 1].year if k + 1 < len(starts) else last_year
        return starts_in <= last_year and ends_in >= first_year
