"""BusinessCalendar: weekly hours + a time zone + holidays + per-date overrides.

A calendar is an immutable, hashable value. Its open time is compiled lazily into a
:class:`~sla_clock._timeline.Timeline` the first time a question needs it, and only for the
years the question touches; that cache is not part of the value (it is not compared, hashed
or pickled), so a calendar pickles to a few hundred bytes.

A calendar answers the years of :attr:`BusinessCalendar.year_range`, and one question must fit
in ``MAX_SPAN_YEARS`` (100) years; anything else is an :class:`~sla_clock.errors.OutOfRangeError`.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from . import _day_ops, _ops, _previous
from ._business_days import DayCache
from ._calendar_data import calendar_data, closures_of, versions_of
from ._islands import MAX_PERIODS, TimelineCache, YearRange
from ._overrides import normalise_overrides
from ._timeline import MAX_YEAR, MIN_YEAR
from ._versioned_zone import VersionedZone
from ._versions import CalendarVersion, InForce, Rules, check_start, normalise_versions
from ._zone import load_zone, localize
from .config import DEFAULT_HOURS, DEFAULT_TIMEZONE, CalendarFile, read_calendar
from .errors import CalendarConfigError, InvalidHoursError
from .holiday_source import RANGE_FIX, HolidaySource
from .hours import DayHours, HoursSpec, WeeklyHours, format_day_hours, parse_day_hours

#: Only what users need; the rest of this module serves the engine's other rooms.
__all__ = ["BusinessCalendar"]

_fromtimestamp = datetime.fromtimestamp
_timedelta = timedelta


DateHours = tuple[tuple[date, DayHours], ...]

#: ``next_close`` looks this many years ahead before saying a calendar never closes.
_NEVER_CLOSES_YEARS = 50


@dataclass(frozen=True, slots=True)
class BusinessCalendar:
    """When a desk is open: weekly hours in a zone, minus holidays, with per-date overrides.

    Build one with :meth:`default`, :meth:`create` or :meth:`from_file`, and derive variants
    with the ``with_*`` methods. All times returned are aware datetimes in :attr:`timezone`.

    Attributes:
        hours: the weekly opening hours (wall-clock, in :attr:`timezone`).
        timezone: an IANA zone name.
        holidays: where public holidays come from.
        overrides: dates with their own hours, sorted; empty hours close the date. An
            override wins over a holiday and over the weekday's hours, so it expresses a
            company's closed dates, partial days (Dec 24 09:00-12:00) and extra open days.
        versions: the weekly hours and holidays in force from later dates, sorted (see
            :meth:`with_version`); ``hours`` and ``holidays`` are in force before the first.

    >>> from zoneinfo import ZoneInfo
    >>> cal = BusinessCalendar.default()
    >>> opened = datetime(2026, 11, 19, 17, 0, tzinfo=ZoneInfo("America/Sao_Paulo"))
    >>> cal.add(opened, timedelta(hours=4)).isoformat()
    '2026-11-23T12:00:00-03:00'
    """

    hours: WeeklyHours
    timezone: str = DEFAULT_TIMEZONE
    holidays: HolidaySource = field(default_factory=HolidaySource)
    overrides: DateHours = ()
    versions: tuple[CalendarVersion, ...] = ()
    _rules: Rules = field(init=False, repr=False, compare=False, hash=False)
    _zone: ZoneInfo | VersionedZone = field(init=False, repr=False, compare=False, hash=False)
    _cache: TimelineCache = field(init=False, repr=False, compare=False, hash=False)
    _days: DayCache = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        """Validate the zone and overrides, and prepare the (empty) timeline cache."""
        load_zone(self.timezone)
        object.__setattr__(self, "overrides", normalise_overrides(self.overrides))
        object.__setattr__(self, "versions", normalise_versions(self.versions))
        rules = Rules(self.hours, self.holidays, self.versions, self.timezone)
        object.__setattr__(self, "_rules", rules)
        zone = rules.zone
        object.__setattr__(self, "_zone", zone)
        periods = self._periods_per_year()
        if periods > MAX_PERIODS:
            msg = (
                f"the calendar has up to {periods:,} open periods a year; sla-clock counts at "
                f"most {MAX_PERIODS:,} (e.g. 96 a day, every day, is about 36,000): merge "
                "adjacent periods, or use fewer and longer ones"
            )
            raise CalendarConfigError(msg)
        cache = TimelineCache(
            self._compile_years,
            zone,
            self._limits(),
            self._answerable_years(),
            periods,
        )
        object.__setattr__(self, "_cache", cache)
        days = DayCache(self._compile_years, self._limits(), cache.year_range)
        object.__setattr__(self, "_days", days)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle the definition only; the compiled timeline is rebuilt where it is used."""
        fields = (self.hours, self.timezone, self.holidays, self.overrides, self.versions)
        return (type(self), fields)

    # -- construction --------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        *,
        hours: Mapping[str, HoursSpec] | WeeklyHours = DEFAULT_HOURS,
        timezone: str = DEFAULT_TIMEZONE,
        country: str | None = "BR",
        subdiv: str | None = None,
        categories: Iterable[str] = ("public",),
        closed_dates: Iterable[date] = (),
        partial_days: Mapping[date, HoursSpec] | None = None,
        extra_open_days: Mapping[date, HoursSpec] | None = None,
    ) -> BusinessCalendar:
        """Build a calendar in one expression.

        Args:
            hours: weekly hours, e.g. ``{"mon-fri": ["09:00-12:00", "13:00-18:00"]}``.
            timezone: IANA zone name of the desk.
            country: ``holidays`` country code, or ``None`` for no public holidays.
            subdiv: a subdivision of the country, e.g. ``"SP"``.
            categories: ``holidays`` categories; add ``"optional"`` for Carnival and others.
            closed_dates: the company's own closed dates.
            partial_days: dates open only part of the day, e.g. ``{date(2026, 12, 24):
                "09:00-12:00"}``; they win over holidays (Ash Wednesday from 14:00).
            extra_open_days: dates open though normally closed (a working Saturday).

        Raises:
            InvalidHoursError: bad hours.
            CalendarConfigError: unknown zone, country, subdivision or category, or a date
                listed twice with different hours.

        >>> cal = BusinessCalendar.create(hours={"mon-fri": "08:00-17:00"}, subdiv="SP")
        >>> cal.holidays.subdiv
        'SP'
        """
        weekly = hours if isinstance(hours, WeeklyHours) else WeeklyHours.parse(hours)
        overrides: list[tuple[date, DayHours]] = [(day, ()) for day in closed_dates]
        for label, mapping in (("partial day", partial_days), ("extra open day", extra_open_days)):
            for day, spec in (mapping or {}).items():
                context = f"{label} {day}"
                overrides.append((day, parse_day_hours(spec, context=context)))
        source = HolidaySource(country, subdiv, tuple(categories))
        return cls(weekly, timezone, source, normalise_overrides(overrides))

    @classmethod
    @functools.cache
    def default(cls) -> BusinessCalendar:
        """Return the desk of the contract: Mon-Fri 09:00-18:00, São Paulo, BR public holidays.

        >>> BusinessCalendar.default().timezone
        'America/Sao_Paulo'
        """
        return cls.create()

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> BusinessCalendar:
        """Load a calendar from a TOML or JSON file (see ``docs/calendar-files.md``).

        Raises:
            CalendarConfigError: the file is missing, does not parse, or has a bad field;
                the message names the file and the field.
        """
        data = read_calendar(path)
        try:
            return cls.from_data(data, Path(path).parent)
        except (InvalidHoursError, CalendarConfigError) as exc:
            msg = f"{path}: {exc}"
            raise CalendarConfigError(msg) from None

    @classmethod
    def from_data(cls, data: CalendarFile, folder: Path | None = None) -> BusinessCalendar:
        """Build the calendar a calendar file's validated data describes.

        ``closures_ics`` is read relative to ``folder`` (the file's), else to the working
        directory.

        Raises:
            InvalidHoursError: bad hours.
            CalendarConfigError: unknown zone, country, subdivision or category.

        >>> BusinessCalendar.from_data(CalendarFile()) == BusinessCalendar.default()
        True
        """
        made = cls.create(
            hours=data.hours,
            timezone=data.timezone,
            country=data.holidays.country,
            subdiv=data.holidays.subdiv,
            categories=data.holidays.categories,
            closed_dates=data.closed,
            partial_days=data.partial,
            extra_open_days=data.extra_open,
        )
        if data.versions:
            found = versions_of(data.versions)
            made = replace(made, versions=found)
        if data.closures_ics is not None:
            made = made.with_day_hours(closures_of(made, (folder or Path()) / data.closures_ics))
        return made

    def to_data(self) -> CalendarFile:
        """Return the calendar as a calendar file's data (``from_data`` builds it back).

        Per-date overrides are sorted into ``closed``, ``partial`` and ``extra_open`` by
        :func:`override_kind`, by the hours in force on each date; versions write what
        they change.

        >>> data = BusinessCalendar.default().to_data()
        >>> data.hours["fri"], data.hours["sat"], data.holidays.country
        (['09:00-18:00'], [], 'BR')
        """
        return calendar_data(self)

    def with_hours(self, hours: Mapping[str, HoursSpec]) -> BusinessCalendar:
        """Return a copy with other weekly hours, e.g. with a 12:00-13:00 lunch break."""
        return replace(self, hours=WeeklyHours.parse(hours))

    def with_timezone(self, timezone: str) -> BusinessCalendar:
        """Return a copy in another zone (the wall-clock hours stay the same)."""
        return replace(self, timezone=timezone)

    def with_holidays(
        self,
        country: str | None = "BR",
        *,
        subdiv: str | None = None,
        categories: Iterable[str] = ("public",),
    ) -> BusinessCalendar:
        """Return a copy with another holiday source."""
        return replace(self, holidays=HolidaySource(country, subdiv, tuple(categories)))

    def with_version(
        self,
        start: date,
        *,
        hours: Mapping[str, HoursSpec] | WeeklyHours | None = None,
        holidays: HolidaySource | None = None,
        timezone: str | None = None,
    ) -> BusinessCalendar:
        """Return a copy whose rules change from the local date ``start`` (from its 00:00).

        What is not given carries over from the rules in force before (whatever order the
        versions are added in); ``hours`` replaces the whole weekly table. A version that
        gives ``timezone`` moves the desk: it starts at 00:00 of ``start`` in the new zone.
        A version of the same date replaces it. See ``docs/versions.md``.

        >>> march = date(2027, 3, 1)
        >>> cal = BusinessCalendar.default().with_version(march, hours={"mon-fri": "08:00-17:00"})
        >>> cal.day_hours(date(2027, 2, 26)), cal.day_hours(date(2027, 3, 1))
        (['09:00-18:00'], ['08:00-17:00'])
        """
        start = check_start(start)
        weekly = WeeklyHours.parse(hours) if isinstance(hours, Mapping) else hours
        kept = [v for v in self.versions if v.start != start]
        version = CalendarVersion(start, weekly, holidays, timezone)
        return replace(self, versions=(*kept, version))

    def with_closed(self, *days: date) -> BusinessCalendar:
        """Return a copy also closed all day on ``days``."""
        return self.with_day_hours(dict.fromkeys(days, ""))

    def with_day_hours(self, days: Mapping[date, HoursSpec]) -> BusinessCalendar:
        """Return a copy where each date of ``days`` has its own hours (partial or extra open)."""
        kept = {day: hours for day, hours in self.overrides}
        for day, spec in days.items():
            kept[day] = parse_day_hours(spec, context=f"hours of {day}")
        return replace(self, overrides=tuple(kept.items()))

    # -- what the calendar is ------------------------------------------------------------

    @property
    def zone(self) -> ZoneInfo | VersionedZone:
        """The calendar's clock: a ZoneInfo, or a ``VersionedZone`` once a version moves it."""
        return self._zone

    @property
    def year_range(self) -> tuple[int, int]:
        """The first and last local years this calendar can answer, both included.

        The years the holiday source covers (``holidays`` 0.109: 1890 to 2100 for Brazil),
        within the engine's years 2 to 9997; a calendar without country holidays answers all
        of those. An instant outside these years, or a result that would land outside them,
        is an :class:`~sla_clock.errors.OutOfRangeError`.

        >>> BusinessCalendar.default().year_range
        (1890, 2100)
        >>> BusinessCalendar.create(country=None).year_range
        (2, 9997)
        """
        r = self._cache.year_range
        return (r.first, r.last)

    def _answerable_years(self) -> YearRange:
        """The years every version's holiday source covers (all, without country holidays)."""
        covered = [
            (v.holidays, r) for v in self._rules.all if (r := v.holidays.year_range) is not None
        ]
        if all(r[0] <= MIN_YEAR and r[1] >= MAX_YEAR for _, r in covered):
            return YearRange(MIN_YEAR, MAX_YEAR, "that sla-clock computes", "check the year")
        first = max(MIN_YEAR, *(r[0] for _, r in covered))
        last = min(MAX_YEAR, *(r[1] for _, r in covered))
        source = min(covered, key=lambda found: found[1][1] - found[1][0])[0]  # the narrowest
        return YearRange(first, last, source.describe_range(), RANGE_FIX)

    def _periods_per_year(self) -> int:
        """An upper bound of the open periods one year of this calendar holds."""
        weekly = max(sum(len(day) for day in v.hours.days) for v in self._rules.all)
        per_year: dict[int, int] = {}
        for day, hours in self.overrides:
            per_year[day.year] = per_year.get(day.year, 0) + len(hours)
        return 53 * weekly + max(per_year.values(), default=0)

    def _limits(self) -> tuple[int, int] | None:
        """The years outside which a never-open-weekly calendar has no open time at all."""
        if not all(version.hours.is_never_open() for version in self._rules.all):
            return None
        open_years = [day.year for day, hours in self.overrides if hours]
        if not open_years:
            return (1, 0)
        return (min(open_years), max(open_years))

    def _hours_for(self, first_year: int, last_year: int) -> Callable[[date], DayHours]:
        return self._rules.hours_for(first_year, last_year, dict(self.overrides))

    def _compile_years(
        self, first_year: int, last_year: int, business_days: list[int] | None
    ) -> list[tuple[int, int]]:
        return self._rules.compile_years(first_year, last_year, dict(self.overrides), business_days)

    def version_on(self, day: date) -> InForce:
        """The weekly hours and holidays in force on the local date ``day``.

        >>> march = date(2027, 3, 1)
        >>> cal = BusinessCalendar.default().with_version(march, hours={"mon-fri": "08:00-17:00"})
        >>> cal.version_on(date(2027, 3, 1)).hours.to_spec()["mon"]
        ['08:00-17:00']
        """
        return self._rules.in_force(day)

    def version_at(self, at: datetime) -> InForce:
        """The rules in force at the instant ``at`` (on a desk that moves, by instant)."""
        return self._rules.at_us(self.to_us(at))

    def day_hours(self, day: date) -> list[str]:
        """Return the opening hours of one date as ``["09:00-18:00"]`` (empty when closed).

        >>> BusinessCalendar.default().day_hours(date(2026, 11, 20))
        []
        """
        return format_day_hours(self._hours_for(day.year, day.year)(day))

    def localize(self, wall: datetime) -> datetime:
        """Read a naive wall-clock time in the calendar's zone (gap forward, first occurrence).

        An aware datetime is converted to the calendar's zone.

        >>> BusinessCalendar.default().localize(datetime(2026, 11, 24, 17, 30)).isoformat()
        '2026-11-24T17:30:00-03:00'
        """
        return localize(wall, self._zone)

    # -- the questions (the hot path lives in sla_clock._ops) ------------------------------

    add = _ops.add
    elapsed = _ops.elapsed
    is_open = _ops.is_open
    next_open = _ops.next_open
    next_close = _ops.next_close
    open_intervals = _ops.open_intervals
    add_us = _ops.add_us
    elapsed_us = _ops.elapsed_us
    to_us = _ops.to_us
    timezone_at = _ops.timezone_at
    from_us = _ops.from_us
    prev_open = _previous.prev_open
    prev_close = _previous.prev_close
    is_business_day = _day_ops.is_business_day
    next_business_day = _day_ops.next_business_day
    previous_business_day = _day_ops.previous_business_day
    add_business_days = _day_ops.add_business_days
    business_days_between = _day_ops.business_days_between
