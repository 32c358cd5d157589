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
from datetime import date, datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from ._timeline import compile_years
from ._versioned_zone import VersionedZone, day_start_us, zone_transitions
from ._zone import from_us, load_zone, wall_to_us
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
        timezone: the IANA zone from then, or ``None``: as before. A version that moves
            the desk starts at 00:00 of ``start`` in its own (new) zone.
    """

    start: date
    hours: WeeklyHours | None = None
    holidays: HolidaySource | None = None
    timezone: str | None = None


class InForce(NamedTuple):
    """The rules in force from ``start`` (``date.min``: the calendar's own), all resolved."""

    start: date
    hours: WeeklyHours
    holidays: HolidaySource
    timezone: str = "America/Sao_Paulo"


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
        if version.timezone is not None:
            load_zone(version.timezone)  # refuses a name that is no IANA zone, or no name
        if start in seen and seen[start] != version:
            msg = f"two calendar versions start on {start.isoformat()}; keep one"
            raise CalendarConfigError(msg)
        seen[start] = version
    return tuple(sorted(seen.values(), key=lambda version: version.start))


class Rules:
    """A calendar's rules through time: its own hours, holidays and zone, then its versions.

    Each version's missing parts are resolved here, in date order, from the one before: a
    calendar's own hours changed later reach every version that did not set its own.

    Raises:
        CalendarConfigError: a version that moves the desk would start before the one
            before it does (a move east by more than the days between their dates).
    """

    __slots__ = ("all", "moves", "spans", "starts", "zone", "zones")

    def __init__(
        self,
        hours: WeeklyHours,
        holidays: HolidaySource,
        versions: tuple[CalendarVersion, ...] = (),
        timezone: str = "America/Sao_Paulo",
    ) -> None:
        resolved = [InForce(date.min, hours, holidays, timezone)]
        for version in versions:
            before = resolved[-1]
            resolved.append(
                InForce(
                    version.start,
                    before.hours if version.hours is None else version.hours,
                    before.holidays if version.holidays is None else version.holidays,
                    before.timezone if version.timezone is None else version.timezone,
                )
            )
        #: Every version, resolved, the calendar's own first (in force since date.min).
        self.all: tuple[InForce, ...] = tuple(resolved)
        self.starts = [rules.start for rules in resolved]
        #: Whether some version moves the desk to another zone.
        self.moves = any(rules.timezone != timezone for rules in resolved)
        zones, spans = _spans(resolved) if self.moves else ([load_zone(timezone)], [])
        #: Each version's zone and, on a moving desk, the instants ``[lo, hi)`` it is in force.
        self.zones, self.spans = zones, spans
        #: The calendar's clock: its IANA zone, or a versioned zone when the desk moves.
        self.zone: ZoneInfo | VersionedZone = (
            _moving_zone(zones, spans, self.all) if self.moves else zones[0]
        )

    def in_force(self, day: date) -> InForce:
        """The rules in force on the local date ``day``."""
        return self.all[bisect_right(self.starts, day) - 1]

    def at_us(self, us: int) -> InForce:
        """The rules in force at the instant ``us``.

        By its local date; on a desk that moves, by the instants each version is in force.
        """
        if not self.moves:
            return self.in_force(from_us(us, self.zone).date())
        return self.all[bisect_right([lo for lo, _ in self.spans], us) - 1]

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

    def compile_years(
        self,
        first_year: int,
        last_year: int,
        overrides: dict[date, DayHours],
        business_days: list[int] | None = None,
    ) -> list[tuple[int, int]]:
        """The raw open intervals of local years ``first_year..last_year``.

        :func:`~sla_clock._timeline.compile_years` does it for a desk that stays in one zone.
        A desk that moves counts each instant under the version in force at it: each
        version's dates in its own zone, cut to the instants it is in force, and the years
        cut where the clock's local years start.
        """
        if not self.moves:
            hours_on = self.hours_for(first_year, last_year, overrides)
            return compile_years(first_year, last_year, hours_on, self.zone, business_days)
        lo_us = day_start_us(date(first_year, 1, 1), self.zone)
        hi_us = day_start_us(date(last_year + 1, 1, 1), self.zone)
        intervals: list[tuple[int, int]] = []
        days: set[int] = set()
        for k, rules in enumerate(self.all):
            lo, hi = self.spans[k]
            first = max(date(first_year, 1, 1) - _MARGIN, rules.start)
            last = date(last_year, 12, 31) + _MARGIN
            if k + 1 < len(self.all):
                last = min(last, self.all[k + 1].start)  # (its margin: past date.max at 9999)
                last = last + _MARGIN if last <= date.max - _MARGIN else date.max
            zone, closed = self.zones[k], _closed(rules.holidays, first, last)
            weekly, day = rules.hours.days, first
            while day <= last:
                hours = overrides.get(day)
                if hours is None:
                    hours = () if day in closed else weekly[day.weekday()]
                for start, end in hours:
                    s = max(wall_to_us(day, start, zone), lo)
                    e = min(wall_to_us(day, end, zone), hi)
                    if e > s and first_year <= day.year <= last_year:
                        days.add(day.toordinal())
                    s, e = max(s, lo_us), min(e, hi_us)
                    if e > s:
                        intervals.append((s, e))
                day += _ONE_DAY
        if business_days is not None:
            business_days.extend(sorted(days))
        return intervals

    def _overlaps(self, k: int, first_year: int, last_year: int) -> bool:
        starts = self.starts
        starts_in = starts[k].year
        ends_in = starts[k + 1].year if k + 1 < len(starts) else last_year
        return starts_in <= last_year and ends_in >= first_year


_ONE_DAY = timedelta(days=1)
#: The dates either side of a year whose hours may reach into it on a moving desk's clock.
_MARGIN = timedelta(days=2)
_ALWAYS = 2**63


def _closed(source: HolidaySource, first: date, last: date) -> frozenset[date]:
    """The holidays of ``source`` from ``first`` to ``last``, within the years it covers."""
    covered = source.year_range
    lo, hi = first.year, last.year
    if covered is not None:
        lo, hi = max(lo, covered[0]), min(hi, covered[1])
    return source.closed_dates(lo, hi) if lo <= hi else frozenset()


def _spans(resolved: list[InForce]) -> tuple[list[ZoneInfo], list[tuple[int, int]]]:
    """Each version's zone and the instants ``[lo, hi)`` it is in force on a moving desk.

    A version starts at 00:00 of its date in its own zone.

    Raises:
        CalendarConfigError: a version that would start before the one before it.
    """
    zones = [load_zone(rules.timezone) for rules in resolved]
    starts = [-_ALWAYS]
    for before, rules, zone in zip(resolved, resolved[1:], zones[1:], strict=False):
        at = wall_to_us(rules.start, 0, zone)
        if at <= starts[-1]:
            msg = (
                f"the version from {rules.start.isoformat()} moves the desk to "
                f"{rules.timezone!r}, whose 00:00 comes before the version from "
                f"{before.start.isoformat()} starts: put the two versions further apart"
            )
            raise CalendarConfigError(msg)
        starts.append(at)
    return zones, list(zip(starts, [*starts[1:], _ALWAYS], strict=True))


def _moving_zone(
    zones: list[ZoneInfo], spans: list[tuple[int, int]], resolved: tuple[InForce, ...]
) -> VersionedZone:
    """The clock of a moving desk: a zone change at the start of each version that moves."""
    kept, switches, moved = [zones[0]], [], []
    for zone, (lo, _), rules in zip(zones[1:], spans[1:], resolved[1:], strict=True):
        if zone.key != kept[-1].key:
            kept.append(zone)
            switches.append(lo)
            moved.append(rules)
    clock = VersionedZone(kept, switches)
    for at, rules in zip(switches, moved, strict=True):
        _check_apart(clock, at, rules)
    return clock


#: A move and any other change of the desk's clock (a DST change, another move) are at least
#: this far apart, so that no wall time happens three times, and skipped and repeated wall
#: times stay the plain gaps and folds of one change (an offset change is at most 26 h).
_APART_US = 36 * 3_600_000_000


def _check_apart(clock: VersionedZone, at: int, rules: InForce) -> None:
    """Refuse a move within ``_APART_US`` of another change of the clock's UTC offset."""
    year = rules.start.year
    instants, _ = zone_transitions(
        clock, max(2, year - 1), min(9998, year + 1)
    )  # (datetime's years)
    near = [t for t in instants if t != at and abs(t - at) < _APART_US]
    if at in instants and near:
        when = from_us(near[0], clock).isoformat()
        msg = (
            f"the version from {rules.start.isoformat()} moves the desk to "
            f"{rules.timezone!r} within 36 hours of another change of its clock (at {when}: "
            "a DST change or another move), so some wall times would happen more than "
            "twice or be read two ways: start it two days earlier or later"
        )
        raise CalendarConfigError(msg)
