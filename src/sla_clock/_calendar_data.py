"""A calendar as a calendar file's data, and a file's versions as calendar versions.

:meth:`BusinessCalendar.to_data <sla_clock.BusinessCalendar.to_data>` and
:meth:`~sla_clock.BusinessCalendar.from_data` are built on these: a calendar's per-date
overrides go back into closed dates, partial days and extra open days (by the hours in force
on each date), and its versions into ``[[versions]]`` entries, each writing what it changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from ._overrides import override_kind
from ._versions import CalendarVersion, InForce
from .config import CalendarFile, CalendarVersionFile, HolidaysFile
from .holiday_source import HolidaySource
from .hours import DayHours, WeeklyHours, format_day_hours

__all__ = ["calendar_data", "closures_of", "versions_of", "without"]


class _Calendar(Protocol):
    """A calendar, as far as its file needs."""

    @property
    def hours(self) -> WeeklyHours: ...
    @property
    def timezone(self) -> str: ...
    @property
    def holidays(self) -> HolidaySource: ...
    @property
    def overrides(self) -> tuple[tuple[date, DayHours], ...]: ...
    @property
    def versions(self) -> tuple[CalendarVersion, ...]: ...
    def version_on(self, day: date) -> InForce: ...


def _holidays(source: HolidaySource) -> dict[str, Any]:
    return {
        "country": source.country,
        "subdiv": source.subdiv,
        "categories": list(source.categories),
    }


def calendar_data(calendar: _Calendar) -> CalendarFile:
    """The calendar file's data of ``calendar`` (``from_data`` builds it back)."""
    names: dict[tuple[int, HolidaySource], dict[date, str]] = {}
    closed: list[date] = []
    partial: dict[date, list[str]] = {}
    extra_open: dict[date, list[str]] = {}
    for day, hours in calendar.overrides:
        source = calendar.version_on(day).holidays
        if (day.year, source) not in names:
            names[day.year, source] = source.names(day.year)
        kind = override_kind(calendar, day, hours, names[day.year, source].get(day))
        if kind == "closed":
            closed.append(day)
        else:
            (partial if kind == "partial" else extra_open)[day] = format_day_hours(hours)
    versions = []
    for version in calendar.versions:
        entry: dict[str, Any] = {"from": version.start}
        if version.hours is not None:
            entry["hours"] = version.hours.to_spec()
        if version.holidays is not None:
            entry["holidays"] = _holidays(version.holidays)
        if version.timezone is not None:
            entry["timezone"] = version.timezone
        versions.append(entry)
    return CalendarFile.model_validate(
        {
            "timezone": calendar.timezone,
            "hours": calendar.hours.to_spec(),
            "holidays": _holidays(calendar.holidays),
            "closed": closed,
            "partial": partial,
            "extra_open": extra_open,
            "versions": versions,
        }
    )


def versions_of(entries: Sequence[CalendarVersionFile]) -> tuple[CalendarVersion, ...]:
    """The calendar versions of a file's ``[[versions]]``, sorted by date.

    What each does not give carries over from the one before when the calendar resolves them.

    Raises:
        InvalidHoursError: bad hours.
    """
    return tuple(
        CalendarVersion(
            entry.start,
            None if entry.hours is None else WeeklyHours.parse(entry.hours),
            None if entry.holidays is None else _source(entry.holidays),
            entry.timezone,
        )
        for entry in sorted(entries, key=lambda entry: entry.start)
    )


def _source(data: HolidaysFile) -> HolidaySource:
    return HolidaySource(data.country, data.subdiv, tuple(data.categories))


def closures_of(calendar: Any, path: Path) -> dict[date, list[str]]:
    """The dates an iCalendar file of closures changes, with their hours left (none: closed).

    All-day events close their dates; a timed event takes its period (in the calendar's
    wall time, split at midnights) out of the hours the date has without it.
    """
    from ._ics_closures import read_closures

    first_year, last_year = (int(year) for year in calendar.year_range)
    closures = read_closures(path, calendar.zone, (first_year, last_year))

    def answered(day: date) -> bool:  # (a closure running past the years answered)
        return first_year <= day.year <= last_year

    changed: dict[date, list[str]] = {day: [] for day in closures.dates if answered(day)}
    cuts: dict[date, list[tuple[int, int]]] = {}
    for start, end in closures.periods:
        first, last = start.astimezone(calendar.zone), end.astimezone(calendar.zone)
        day = first.date()
        while day <= last.date():
            lo = _second(first, ceil=False) if day == first.date() else 0
            hi = _second(last, ceil=True) if day == last.date() else 86_400
            if hi > lo and answered(day):
                cuts.setdefault(day, []).append((lo, hi))
            day += timedelta(days=1)
    hours_of: dict[int, Any] = {}  # each year's hours, looked up once
    for day, taken in sorted(cuts.items()):
        if day in changed:
            continue
        if day.year not in hours_of:
            hours_of[day.year] = calendar._hours_for(day.year, day.year)
        hours = hours_of[day.year](day)
        left = without(hours, taken)
        if left != hours:  # (a closure outside the open hours changes nothing)
            changed[day] = format_day_hours(left)
    return changed


def _second(when: datetime, *, ceil: bool) -> int:
    """The wall-clock second of ``when`` (a closure rounded outwards to whole seconds)."""
    second = when.hour * 3600 + when.minute * 60 + when.second
    return second + (1 if ceil and when.microsecond else 0)


def without(hours: DayHours, taken: Sequence[tuple[int, int]]) -> DayHours:
    """``hours`` (sorted periods in seconds) without the periods ``taken``."""
    left = list(hours)
    for cut_lo, cut_hi in taken:
        kept: list[tuple[int, int]] = []
        for lo, hi in left:
            if cut_hi <= lo or cut_lo >= hi:
                kept.append((lo, hi))
                continue
            if lo < cut_lo:
                kept.append((lo, cut_lo))
            if cut_hi < hi:
                kept.append((cut_hi, hi))
        left = kept
    return tuple(left)
