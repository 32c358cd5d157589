"""BusinessCalendar: weekly hours + a time zone + holidays + per-date overrides.

A calendar is an immutable, hashable value. Its open time is compiled lazily into a
:class:`~sla_clock._timeline.Timeline` the first time a question needs it, and only for the
years the question touches; that cache is not part of the value (it is not compared, hashed
or pickled), so a calendar pickles to a few hundred bytes.

A calendar answers the local years of :attr:`BusinessCalendar.year_range` (those its holiday
source covers, within years 2 to 9997), and one question (its instants and its result) must
fit in ``MAX_SPAN_YEARS`` (100) consecutive years; anything else is an
:class:`~sla_clock.errors.OutOfRangeError`.
"""

from __future__ import annotations

import functools
from bisect import bisect_left as _bisect_left
from bisect import bisect_right as _bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from ._timeline import (
    MAX_PERIODS,
    MAX_YEAR,
    MIN_YEAR,
    Timeline,
    TimelineCache,
    YearRange,
    year_of,
)
from ._zone import EPOCH, bad_instant, from_us, load_zone, localize, to_us
from .errors import CalendarConfigError, OutOfRangeError
from .holiday_source import RANGE_FIX, HolidaySource
from .hours import DayHours, HoursSpec, WeeklyHours, format_day_hours, parse_day_hours

__all__ = ["BusinessCalendar"]

_fromtimestamp = datetime.fromtimestamp
_timedelta = timedelta

DEFAULT_TIMEZONE = "America/Sao_Paulo"
DEFAULT_HOURS: Mapping[str, HoursSpec] = {"mon-fri": "09:00-18:00"}

DateHours = tuple[tuple[date, DayHours], ...]

#: ``next_close`` looks this many years ahead before saying a calendar never closes.
_NEVER_CLOSES_YEARS = 50


def _normalise_overrides(items: Iterable[tuple[date, DayHours]]) -> DateHours:
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
    _zone: ZoneInfo = field(init=False, repr=False, compare=False, hash=False)
    _cache: TimelineCache = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        """Validate the zone and overrides, and prepare the (empty) timeline cache."""
        zone = load_zone(self.timezone)
        object.__setattr__(self, "overrides", _normalise_overrides(self.overrides))
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
            self._hours_for,
            zone,
            self._limits(),
            self._answerable_years(),
            periods,
        )
        object.__setattr__(self, "_cache", cache)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle the definition only; the compiled timeline is rebuilt where it is used."""
        return (type(self), (self.hours, self.timezone, self.holidays, self.overrides))

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
        return cls(weekly, timezone, source, _normalise_overrides(overrides))

    @classmethod
    @functools.cache
    def default(cls) -> BusinessCalendar:
        """Return the desk of the contract: Mon-Fri 09:00-18:00, São Paulo, BR public holidays.

        >>> BusinessCalendar.default().timezone
        'America/Sao_Paulo'
        """
        return cls.create()

    @classmethod
    def from_file(cls, path: str) -> BusinessCalendar:
        """Load a calendar from a TOML or JSON file (see ``docs/calendar-files.md``).

        Raises:
            CalendarConfigError: the file is missing, does not parse, or has a bad field;
                the message names the field.
        """
        from .config import load_calendar  # config comes later in the import chain

        return load_calendar(path)

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
    def zone(self) -> ZoneInfo:
        """The calendar's zone as a :class:`~zoneinfo.ZoneInfo`."""
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

    def _range_us(self) -> tuple[int, int]:
        """``[lo, hi)``: the epoch microseconds of :attr:`year_range` (local midnights)."""
        return self._cache.bounds_us

    def _answerable_years(self) -> YearRange:
        covered = self.holidays.year_range
        if covered is None or (covered[0] <= MIN_YEAR and covered[1] >= MAX_YEAR):
            return YearRange(MIN_YEAR, MAX_YEAR, "that sla-clock computes", "check the year")
        first, last = max(covered[0], MIN_YEAR), min(covered[1], MAX_YEAR)
        return YearRange(first, last, self.holidays.describe_range(), RANGE_FIX)

    def _periods_per_year(self) -> int:
        """An upper bound of the open periods one year of this calendar holds."""
        weekly = sum(len(day) for day in self.hours.days)
        per_year: dict[int, int] = {}
        for day, hours in self.overrides:
            per_year[day.year] = per_year.get(day.year, 0) + len(hours)
        return 53 * weekly + max(per_year.values(), default=0)

    def _limits(self) -> tuple[int, int] | None:
        """The years outside which a never-open-weekly calendar has no open time at all."""
        if not self.hours.is_never_open():
            return None
        open_years = [day.year for day, hours in self.overrides if hours]
        if not open_years:
            return (1, 0)
        return (min(open_years), max(open_years))

    def _hours_for(self, first_year: int, last_year: int) -> Callable[[date], DayHours]:
        closed = self.holidays.closed_dates(first_year, last_year)
        overrides = dict(self.overrides)
        weekly = self.hours.days

        def hours_on(day: date) -> DayHours:
            special = overrides.get(day)
            if special is not None:
                return special
            if day in closed:
                return ()
            return weekly[day.weekday()]

        return hours_on

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

    # -- integer microsecond API (used by status and bulk code) ----------------------------

    def _timeline_for(self, lo: int, hi: int) -> Timeline:
        tl = self._cache.current
        if tl.lo <= lo and hi < tl.hi:
            return tl
        return self._cache.cover(lo, hi)

    def _timeline_upto(self, lo: int, hi: int) -> Timeline:
        """A timeline with the open time of ``[lo, hi]`` (``hi`` may end the coverage)."""
        tl = self._cache.current
        if tl.lo <= lo and hi <= tl.hi:
            return tl
        return self._cache.cover(lo, hi, upto=True)

    def elapsed_us(self, start: int, end: int) -> int:
        """Return the open microseconds between two instants given as epoch microseconds."""
        cache = self._cache
        tl = cache.current
        # E(t) needs only the open time before t, so t may be the end of the coverage.
        if start <= end:
            if not (tl.lo <= start and end <= tl.hi):
                tl = cache.cover(start, end, upto=True)
            return tl.before(end) - tl.before(start)
        if not (tl.lo <= end and start <= tl.hi):
            tl = cache.cover(end, start, upto=True)
        return tl.before(end) - tl.before(start)

    def add_us(self, start: int, duration: int) -> int:
        """Return ``add`` on epoch microseconds: see :meth:`add`."""
        cache = self._cache
        tl = cache.current
        if not (tl.lo <= start < tl.hi):
            tl = cache.cover(start, start)
        if duration > 0:
            if duration > cache.span_us:  # more real time than one question may span
                raise cache.span_error(start, after=True)
            target = tl.before(start) + duration
            while target > tl.total:
                if cache.has_limit_after(tl):
                    raise self._no_open_time("after", start)
                tl = cache.extended(tl, start, start, target - tl.total, forward=True)
                target = tl.before(start) + duration
            return tl.at_open_time(target)
        if duration == 0:
            return start
        if duration < -cache.span_us:
            raise cache.span_error(start, after=False)
        target = tl.before(start) + duration
        while target < 0:
            if cache.has_limit_before(tl):
                raise self._no_open_time("before", start)
            tl = cache.extended(tl, start, start, -target, forward=False)
            target = tl.before(start) + duration
        return tl.at_open_time_latest(target)

    def _no_open_time(self, where: str, start: int) -> OutOfRangeError:
        when = self.from_us(start)
        return OutOfRangeError(
            f"the calendar has not enough open time {where} {when.isoformat()} to cover "
            "the duration; it has no weekly hours, so add weekly hours or more open dates"
        )

    # -- the public operations ---------------------------------------------------------

    def to_us(self, value: datetime) -> int:
        """Return an aware datetime as integer microseconds since the Unix epoch.

        Raises:
            NaiveDatetimeError: ``value`` has no timezone.
            TypeError: ``value`` is not a datetime.

        >>> from zoneinfo import ZoneInfo
        >>> BusinessCalendar.default().to_us(datetime(1970, 1, 1, tzinfo=ZoneInfo("UTC")))
        0
        """
        return to_us(value, self._zone)

    def from_us(self, us: int) -> datetime:
        """Return epoch microseconds as an aware datetime in the calendar's zone."""
        return from_us(us, self._zone)

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """Return the instant when ``duration`` of open time has passed since ``start``.

        For ``duration >= 0`` this is the earliest ``x >= start`` with
        ``elapsed(start, x) == duration``: a start outside hours counts from the next
        opening, and a result on a closing time is that closing time. For a negative
        duration it is the latest ``x <= start`` with ``elapsed(x, start) == -duration``,
        which lands on an opening rather than on the previous close.

        Args:
            start: an aware datetime.
            duration: business time to add; may be zero or negative.

        Returns:
            An aware datetime in the calendar's zone.

        Raises:
            NaiveDatetimeError: ``start`` has no timezone.
            TypeError: ``start`` is not a datetime or ``duration`` not a timedelta.
            OutOfRangeError: ``start`` or the result lies outside :attr:`year_range`, the
                result lies more than 100 calendar years from ``start``, or the calendar has
                no open time there.

        >>> from zoneinfo import ZoneInfo
        >>> tue = datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("America/Sao_Paulo"))
        >>> BusinessCalendar.default().add(tue, timedelta(hours=-1)).isoformat()
        '2026-11-23T17:00:00-03:00'
        """
        # The hot path: two conversions, two bisects and arithmetic, with _zone.to_us and
        # _zone.from_us written out inline (a call each costs ~5 % here). Anything unusual
        # (a negative or zero duration, an instant outside the compiled years, a result
        # past them, bad input) goes through the general add_us.
        if duration.__class__ is not _timedelta and not isinstance(duration, _timedelta):
            # e.g. a dateutil relativedelta, whose .days/.seconds would silently drop hours.
            raise self._bad_add_input(start, duration)
        try:
            delta = start - EPOCH
        except TypeError:
            raise self._bad_add_input(start, duration) from None
        us = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
        d = (duration.days * 86_400 + duration.seconds) * 1_000_000 + duration.microseconds
        tl = self._cache.current
        if d > 0 and tl.lo <= us < tl.hi:
            # The timeline's sentinel makes i >= 0 for every covered instant.
            i = _bisect_right(tl.starts, us) - 1
            target = (tl.offset[i] + us if us < tl.ends[i] else tl.cumend[i]) + d
            if target <= tl.total:
                result = target - tl.offset[_bisect_left(tl.cumend, target)]
                seconds, micro = divmod(result, 1_000_000)
                out = _fromtimestamp(seconds, self._zone)
                return out.replace(microsecond=micro) if micro else out
        return self.from_us(self.add_us(us, d))

    def _bad_add_input(self, start: object, duration: object) -> Exception:
        if not isinstance(start, datetime) or start.tzinfo is None:
            return bad_instant(start, self._zone)
        msg = f"duration must be a timedelta, got {type(duration).__name__} {duration!r}"
        return TypeError(msg)

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Return the open time inside ``[start, end]``; negative when ``end < start``.

        >>> from zoneinfo import ZoneInfo
        >>> sp = ZoneInfo("America/Sao_Paulo")
        >>> fri = datetime(2026, 11, 20, 10, 0, tzinfo=sp)  # a national holiday
        >>> BusinessCalendar.default().elapsed(fri, datetime(2026, 11, 23, 10, 0, tzinfo=sp))
        datetime.timedelta(seconds=3600)
        """
        try:
            da = start - EPOCH
            db = end - EPOCH
        except TypeError:
            self.to_us(start)
            raise bad_instant(end, self._zone) from None
        a = (da.days * 86_400 + da.seconds) * 1_000_000 + da.microseconds
        b = (db.days * 86_400 + db.seconds) * 1_000_000 + db.microseconds
        tl = self._cache.current
        # E(t) needs only the open time before t, so t may be the end of the coverage.
        if a <= b:
            if not (tl.lo <= a and b <= tl.hi):
                tl = self._cache.cover(a, b, upto=True)
        elif not (tl.lo <= b and a <= tl.hi):
            tl = self._cache.cover(b, a, upto=True)
        starts, ends, offset, cumend = tl.starts, tl.ends, tl.offset, tl.cumend
        # The timeline's sentinel makes i >= 0 for every covered instant.
        i = _bisect_right(starts, b) - 1
        b = offset[i] + b if b < ends[i] else cumend[i]
        i = _bisect_right(starts, a) - 1
        a = offset[i] + a if a < ends[i] else cumend[i]
        return _timedelta(0, 0, b - a)

    def is_open(self, at: datetime) -> bool:
        """Return True when the desk is open at ``at`` (intervals are ``[open, close)``).

        >>> from zoneinfo import ZoneInfo
        >>> sp = ZoneInfo("America/Sao_Paulo")
        >>> BusinessCalendar.default().is_open(datetime(2026, 11, 24, 18, 0, tzinfo=sp))
        False
        """
        t = self.to_us(at)
        tl = self._timeline_for(t, t)
        i = tl.interval_at_or_after(t)
        return i < len(tl.starts) and tl.starts[i] <= t

    def next_open(self, at: datetime) -> datetime:
        """Return ``at`` if the desk is open then, else the next opening.

        >>> from zoneinfo import ZoneInfo
        >>> sat = datetime(2026, 11, 28, 10, 0, tzinfo=ZoneInfo("America/Sao_Paulo"))
        >>> BusinessCalendar.default().next_open(sat).isoformat()
        '2026-11-30T09:00:00-03:00'
        """
        t = self.to_us(at)
        return self.from_us(self.add_us(t, 1) - 1)

    def next_close(self, at: datetime) -> datetime:
        """Return the end of the open period containing ``at``, or of the next one.

        >>> from zoneinfo import ZoneInfo
        >>> sp = ZoneInfo("America/Sao_Paulo")
        >>> BusinessCalendar.default().next_close(datetime(2026, 11, 24, 18, 0, tzinfo=sp))
        datetime.datetime(2026, 11, 25, 18, 0, tzinfo=zoneinfo.ZoneInfo(key='America/Sao_Paulo'))
        """
        t = self.to_us(at)
        opening = self.add_us(t, 1) - 1
        cache = self._cache
        tl = self._timeline_for(opening, opening)
        i = tl.interval_at_or_after(opening)
        give_up = year_of(opening) + _NEVER_CLOSES_YEARS
        while tl.ends[i] >= tl.hi and not cache.has_limit_after(tl):
            # The open period runs to the end of the compiled years and may go on after.
            if tl.last_year > give_up:
                msg = (
                    f"the calendar is open without a break from {self.from_us(opening)} "
                    f"for more than {_NEVER_CLOSES_YEARS} years, so it has no next closing time"
                )
                raise OutOfRangeError(msg)
            tl = cache.extended(tl, opening, opening, 0, forward=True)
            i = tl.interval_at_or_after(opening)
        return self.from_us(tl.ends[i])

    def open_intervals(self, start: datetime, end: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Yield the open periods inside ``[start, end]`` as ``(open, close)`` pairs, clipped.

        >>> from zoneinfo import ZoneInfo
        >>> sp = ZoneInfo("America/Sao_Paulo")
        >>> a = datetime(2026, 11, 19, 17, 0, tzinfo=sp)
        >>> b = datetime(2026, 11, 23, 10, 0, tzinfo=sp)
        >>> [(o.strftime("%a %H:%M"), c.strftime("%H:%M")) for o, c in
        ...  BusinessCalendar.default().open_intervals(a, b)]
        [('Thu 17:00', '18:00'), ('Mon 09:00', '10:00')]
        """
        a, b = self.to_us(start), self.to_us(end)  # checked now, not when iteration starts
        return self._open_intervals_us(a, b)

    def _open_intervals_us(self, a: int, b: int) -> Iterator[tuple[datetime, datetime]]:
        if b <= a:
            return
        tl = self._timeline_upto(a, b)
        for s, e in tl.intervals_between(a, b):
            yield self.from_us(s), self.from_us(e)
