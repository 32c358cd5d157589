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
from dataclasses import dataclass, field
from datetime import date, datetime

from .errors import CalendarConfigError
from .holiday_source import HolidaySource
from .hours import DayHours, WeeklyHours

__all__ = ["CalendarVersion", "Rules", "check_start", "normalise_versions"]


@dataclass(frozen=True, slots=True)
class CalendarVersion:
    """The weekly hours and holidays of a calendar from ``start`` (a local date) on.

    Attributes:
        start: the first local date the version is in force, from its 00:00.
        hours: the whole weekly table (a version's hours replace those before).
        holidays: where public holidays come from.
    """

    start: date
    hours: WeeklyHours
    holidays: HolidaySource = field(default_factory=HolidaySource)


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
        if start in seen and seen[start] != version:
            msg = f"two calendar versions start on {start.isoformat()}; keep one"
            raise CalendarConfigError(msg)
        seen[start] = version
    return tuple(sorted(seen.values(), key=lambda version: version.start))


@dataclass(frozen=True, slots=True)
class Rules:
    """A calendar's rules through time: its own hours and holidays, then its versions."""

    hours: WeeklyHours
    holidays: HolidaySource
    versions: tuple[CalendarVersion, ...] = ()

    @property
    def all(self) -> tuple[CalendarVersion, ...]:
        """Every version, the calendar's own first (in force since the start of time)."""
        return (CalendarVersion(date.min, self.hours, self.holidays), *self.versions)

    def in_force(self, day: date) -> CalendarVersion:
        """The version in force on the local date ``day``."""
        every = self.all
        return every[bisect_right([v.start for v in every], day) - 1]

    def hours_for(
        self, first_year: int, last_year: int, overrides: dict[date, DayHours]
    ) -> Callable[[date], DayHours]:
        """The open hours of each date of the years given: the one rule.

        An override if the date has one, else nothing on a holiday of the version in force,
        else that version's hours for the weekday.
        """
        every = self.all
        starts = [version.start for version in every]
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
        every = self.all
        starts_in = every[k].start.year
        ends_in = every[k + 1].start.year if k + 1 < len(every) else last_year
        return starts_in <= last_year and ends_in >= first_year
