"""A slow, obviously correct reference for the business-time engine.

It follows ``/work/shared/DESIGN.md`` literally and shares no code with ``sla_clock``: it reads
only a calendar's public fields (weekly hours, zone name, holiday source, date overrides).

- Each local date has its own hours: an override if the date has one, else nothing if the
  ``holidays`` package lists the date, else the weekday's hours. The weekly hours and the
  holiday source are those of the calendar version in force on the date: the last whose
  start date is on or before it (the calendar's own before the first).
- Each wall-clock interval ``[s, e)`` of a date becomes a real interval by building
  ``datetime(y, m, d, h, mi, s, tzinfo=ZoneInfo(zone))`` (``fold=0``: a gap moves forward, an
  ambiguous time takes its first occurrence); ``24:00`` is the next date's ``00:00``; an
  interval that is empty or inverted in real time is dropped.
- The open set is the union of all those real intervals (overlapping or touching ones merge).

Every question is answered on a window of whole local dates, and an answer is accepted only
if it lies well inside the window (where no date outside the window can reach); otherwise the
window is doubled and the question asked again. Instants are integer microseconds since the
Unix epoch throughout.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import holidays

from sla_clock import BusinessCalendar

__all__ = [
    "EPOCH",
    "US_PER_HOUR",
    "US_PER_SECOND",
    "Reference",
    "from_us",
    "reference_for",
    "to_us",
]

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
US_PER_SECOND = 1_000_000
US_PER_HOUR = 3600 * US_PER_SECOND
SECONDS_PER_DAY = 86_400
ONE_DAY = timedelta(days=1)
#: The widest window, in days, searched before a question is declared to have no answer.
MAX_SPAN_DAYS = 40 * 366

Interval = tuple[int, int]


def to_us(instant: datetime) -> int:
    """Return an aware datetime as microseconds since the Unix epoch."""
    delta = instant - EPOCH
    return (delta.days * SECONDS_PER_DAY + delta.seconds) * US_PER_SECOND + delta.microseconds


def from_us(us: int, zone: tzinfo) -> datetime:
    """Return microseconds since the epoch as an aware datetime in ``zone``."""
    return (EPOCH + timedelta(microseconds=us)).astimezone(zone)


def _utc_midnight_us(day: date) -> int:
    return to_us(datetime(day.year, day.month, day.day, tzinfo=UTC))


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Return the union of half-open intervals as sorted, disjoint, non-touching intervals."""
    merged: list[list[int]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


@dataclass
class Reference:
    """The open time of one calendar, computed date by date from its public definition."""

    weekly: tuple[tuple[tuple[int, int], ...], ...]
    timezone: str
    country: str | None
    subdiv: str | None
    categories: tuple[str, ...]
    overrides: dict[date, tuple[tuple[int, int], ...]]
    #: (start date, weekly or None, (country, subdiv, categories) or None) of each later
    #: version, by date; None: as before it.
    versions: tuple[tuple[date, Any, Any], ...] = ()
    zone: ZoneInfo = field(init=False)
    _holiday_years: dict[tuple[Any, int], frozenset[date]] = field(init=False, default_factory=dict)
    _day_cache: dict[date, tuple[Interval, ...]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.zone = ZoneInfo(self.timezone)

    @classmethod
    def of(cls, calendar: BusinessCalendar) -> Reference:
        """Build the reference of ``calendar`` from its public fields only."""
        return cls(
            weekly=tuple(tuple(day) for day in calendar.hours.days),
            timezone=calendar.timezone,
            country=calendar.holidays.country,
            subdiv=calendar.holidays.subdiv,
            categories=tuple(calendar.holidays.categories),
            overrides={day: tuple(hours) for day, hours in calendar.overrides},
            versions=tuple(
                (
                    v.start,
                    None if v.hours is None else tuple(tuple(day) for day in v.hours.days),
                    None
                    if v.holidays is None
                    else (v.holidays.country, v.holidays.subdiv, tuple(v.holidays.categories)),
                )
                for v in calendar.versions
            ),
        )

    def rules_on(self, day: date) -> tuple[Any, str | None, str | None, tuple[str, ...]]:
        """The weekly hours and holiday source in force on ``day``: a plain walk of them."""
        weekly, source = self.weekly, (self.country, self.subdiv, self.categories)
        for start, hours, given in self.versions:
            if start <= day:  # what a version does not give stays as it was
                weekly = weekly if hours is None else hours
                source = source if given is None else given
        return (weekly, *source)

    # -- one date ------------------------------------------------------------------------

    def is_holiday(self, day: date) -> bool:
        """Return True when the ``holidays`` package lists ``day`` for the version in force."""
        _, country, subdiv, categories = self.rules_on(day)
        if country is None:
            return False
        key = ((country, subdiv, categories), day.year)
        if key not in self._holiday_years:
            found = holidays.country_holidays(
                country, subdiv=subdiv, categories=categories, years=day.year
            )
            self._holiday_years[key] = frozenset(found.keys())
        return day in self._holiday_years[key]

    def wall_hours(self, day: date) -> tuple[tuple[int, int], ...]:
        """Return the wall-clock hours of ``day``: override, else holiday, else weekday."""
        if day in self.overrides:
            return self.overrides[day]
        if self.is_holiday(day):
            return ()
        return self.rules_on(day)[0][day.weekday()]

    def wall_to_us(self, day: date, second: int) -> int:
        """Return the instant of wall time ``second`` on ``day`` (``fold=0``; 86400 is 24:00)."""
        if second == SECONDS_PER_DAY:
            day, second = day + ONE_DAY, 0
        hour, minute, sec = second // 3600, second // 60 % 60, second % 60
        wall = datetime(day.year, day.month, day.day, hour, minute, sec, tzinfo=self.zone)
        assert wall.fold == 0
        return to_us(wall.astimezone(UTC))

    def day_intervals(self, day: date) -> tuple[Interval, ...]:
        """Return the real intervals of ``day``, dropping those empty or inverted in real time."""
        if day not in self._day_cache:
            real = []
            for start, end in self.wall_hours(day):
                s, e = self.wall_to_us(day, start), self.wall_to_us(day, end)
                if e > s:
                    real.append((s, e))
            self._day_cache[day] = tuple(real)
        return self._day_cache[day]

    # -- windows of dates ------------------------------------------------------------------

    def local_date(self, us: int) -> date:
        """Return the date, in the calendar's zone, of the instant ``us``."""
        return from_us(us, self.zone).date()

    def window(self, first: date, last: date) -> tuple[list[Interval], int, int]:
        """Return the merged open intervals of dates ``first..last`` and where they are exact.

        A date's real intervals lie within a day and a half of its UTC date (offsets stay within
        -12 h..+14 h), so dates outside the window cannot touch ``[trusted_lo, trusted_hi]``.
        """
        raw: list[Interval] = []
        day = first
        while day <= last:
            raw.extend(self.day_intervals(day))
            day += ONE_DAY
        trusted_lo = _utc_midnight_us(first + 2 * ONE_DAY)
        trusted_hi = _utc_midnight_us(last - ONE_DAY)
        return merge(raw), trusted_lo, trusted_hi

    def around(self, lo: int, hi: int, *, before: int = 3, after: int = 3) -> list[Interval]:
        """Return the merged open intervals, exact on ``[lo, hi]``."""
        ivs, trusted_lo, trusted_hi = self.window(
            self.local_date(lo) - before * ONE_DAY, self.local_date(hi) + after * ONE_DAY
        )
        assert trusted_lo <= lo <= hi <= trusted_hi
        return ivs

    # -- the questions ---------------------------------------------------------------------

    def elapsed(self, a: int, b: int) -> int:
        """Return the open microseconds in ``[a, b]``, negative when ``b < a``."""
        if b < a:
            return -self.elapsed(b, a)
        return sum(max(0, min(e, b) - max(s, a)) for s, e in self.around(a, b))

    def is_open(self, t: int) -> bool:
        """Return True when some open interval ``[s, e)`` contains ``t``."""
        return any(s <= t < e for s, e in self.around(t, t))

    def open_intervals(self, a: int, b: int) -> list[Interval]:
        """Return the open intervals clipped to ``[a, b]``, empty pieces left out."""
        if b <= a:
            return []
        clipped = [(max(s, a), min(e, b)) for s, e in self.around(a, b)]
        return [(s, e) for s, e in clipped if e > s]

    def next_open(self, t: int) -> int | None:
        """Return ``t`` if open, else the next opening; None if nothing opens for decades."""
        span = 16
        while span <= MAX_SPAN_DAYS:
            start = self.local_date(t)
            ivs, _, trusted_hi = self.window(start - 3 * ONE_DAY, start + span * ONE_DAY)
            for s, e in ivs:
                if e > t:
                    candidate = max(s, t)
                    if candidate < trusted_hi:
                        return candidate
                    break
            span *= 2
        return None

    def next_close(self, t: int) -> int | None:
        """Return the end of the open period containing ``t`` or of the next one (or None)."""
        opening = self.next_open(t)
        if opening is None:
            return None
        span = 16
        while span <= MAX_SPAN_DAYS:
            start = self.local_date(opening)
            ivs, _, trusted_hi = self.window(start - 3 * ONE_DAY, start + span * ONE_DAY)
            end = next(e for s, e in ivs if s <= opening < e)
            if end < trusted_hi:
                return end
            span *= 2
        return None

    def add(self, t: int, d: int) -> int | None:
        """Return ``add(t, d)`` per the contract, or None if no open time reaches it."""
        if d == 0:
            return t
        span = 16
        while span <= MAX_SPAN_DAYS:
            start = self.local_date(t)
            if d > 0:
                ivs, _, trusted_hi = self.window(start - 3 * ONE_DAY, start + span * ONE_DAY)
                x = self._consume_forward(ivs, t, d)
                if x is not None and x < trusted_hi:
                    return x
            else:
                ivs, trusted_lo, _ = self.window(start - span * ONE_DAY, start + 3 * ONE_DAY)
                x = self._consume_backward(ivs, t, -d)
                if x is not None and x > trusted_lo:
                    return x
            span *= 2
        return None

    @staticmethod
    def _consume_forward(ivs: list[Interval], t: int, d: int) -> int | None:
        """Walk forward from ``t``, spending ``d`` of open time; stop at the earliest instant."""
        remaining = d
        for s, e in ivs:
            if e <= t:
                continue
            frm = max(s, t)
            if remaining <= e - frm:
                return frm + remaining
            remaining -= e - frm
        return None

    @staticmethod
    def _consume_backward(ivs: list[Interval], t: int, d: int) -> int | None:
        """Walk backward from ``t``, spending ``d`` of open time; stop at the latest instant."""
        remaining = d
        for s, e in reversed(ivs):
            if s >= t:
                continue
            to = min(e, t)
            if remaining <= to - s:
                return to - remaining
            remaining -= to - s
        return None


_REFERENCES: dict[tuple[object, ...], Reference] = {}


def reference_for(calendar: BusinessCalendar) -> Reference:
    """Return the (memoised) reference of ``calendar``, keyed by its public fields."""
    key = (
        calendar.hours.days,
        calendar.timezone,
        calendar.holidays.country,
        calendar.holidays.subdiv,
        tuple(calendar.holidays.categories),
        tuple(calendar.overrides),
        calendar.versions,
    )
    if key not in _REFERENCES:
        if len(_REFERENCES) > 512:
            _REFERENCES.clear()
        _REFERENCES[key] = Reference.of(calendar)
    return _REFERENCES[key]
