"""A slow, obviously correct reference for the business-time engine.

It follows ``/work/shared/DESIGN.md`` literally and shares no code with ``sla_clock``: it reads
only a calendar's public fields (weekly hours, zone name, holiday source, date overrides).

- Each local date has its own hours: an override if the date has one, else nothing if the
  ``holidays`` package lists the date, else the weekday's hours. The weekly hours and the
  holiday source are those of the calendar version in force: the last whose start is on or
  before the instant (the calendar's own before the first).
- A version starts at 00:00 of its date in its own zone (a version that gives no zone keeps
  the one before). Each version counts its own dates, in its own zone, with its own rules,
  cut to the instants from its start to the next version's start. A desk that stays in one
  zone thus counts each date under the version in force on the date.
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
    #: (start date, weekly or None, (country, subdiv, categories) or None, zone name or
    #: None) of each later version, by date; None: as before it.
    versions: tuple[tuple[date, Any, Any, str | None], ...] = ()
    zone: ZoneInfo = field(init=False)
    #: Each version's rules, the calendar's own first: (first instant or None, zone, weekly,
    #: (country, subdiv, categories)).
    eras: list[tuple[int | None, ZoneInfo, Any, Any]] = field(init=False)
    _holiday_years: dict[tuple[Any, int], frozenset[date]] = field(init=False, default_factory=dict)
    _day_cache: dict[tuple[int, date], tuple[Interval, ...]] = field(
        init=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        self.zone = ZoneInfo(self.timezone)
        weekly, source, zone = self.weekly, (self.country, self.subdiv, self.categories), self.zone
        self.eras = [(None, zone, weekly, source)]
        for start, hours, given, name in self.versions:  # what a version does not give stays
            weekly = weekly if hours is None else hours
            source = source if given is None else given
            zone = zone if name is None else ZoneInfo(name)
            first = to_us(datetime(start.year, start.month, start.day, tzinfo=zone))
            self.eras.append((first, zone, weekly, source))

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
                    v.timezone,
                )
                for v in calendar.versions
            ),
        )

    def era_at(self, us: int) -> int:
        """The index of the version in force at the instant ``us``: a plain walk of them."""
        found = 0
        for k, (first, *_) in enumerate(self.eras):
            if first is not None and first <= us:
                found = k
        return found

    def zone_at(self, us: int) -> ZoneInfo:
        """The zone in force at the instant ``us``."""
        return self.eras[self.era_at(us)][1]

    # -- one date ------------------------------------------------------------------------

    def is_holiday(self, k: int, day: date) -> bool:
        """Return True when the ``holidays`` package lists ``day`` for version ``k``."""
        country, subdiv, categories = self.eras[k][3]
        if country is None:
            return False
        key = ((country, subdiv, categories), day.year)
        if key not in self._holiday_years:
            found = holidays.country_holidays(
                country, subdiv=subdiv, categories=categories, years=day.year
            )
            self._holiday_years[key] = frozenset(found.keys())
        return day in self._holiday_years[key]

    def wall_hours(self, k: int, day: date) -> tuple[tuple[int, int], ...]:
        """Return the wall-clock hours of ``day`` under version ``k``: override, else
        holiday, else weekday."""
        if day in self.overrides:
            return self.overrides[day]
        if self.is_holiday(k, day):
            return ()
        return self.eras[k][2][day.weekday()]

    @staticmethod
    def zone_wall_to_us(zone: ZoneInfo, day: date, second: int) -> int:
        """Return the instant of wall time ``second`` on ``day`` (``fold=0``; 86400 is 24:00)."""
        if second == SECONDS_PER_DAY:
            day, second = day + ONE_DAY, 0
        hour, minute, sec = second // 3600, second // 60 % 60, second % 60
        wall = datetime(day.year, day.month, day.day, hour, minute, sec, tzinfo=zone)
        assert wall.fold == 0
        return to_us(wall.astimezone(UTC))

    def era_intervals(self, k: int, day: date) -> tuple[Interval, ...]:
        """Return the real intervals of ``day`` under version ``k``, in its zone, cut to the
        instants it is in force, dropping those empty or inverted in real time."""
        if (k, day) not in self._day_cache:
            first, zone = self.eras[k][:2]
            last = self.eras[k + 1][0] if k + 1 < len(self.eras) else None
            real = []
            for start, end in self.wall_hours(k, day):
                s = self.zone_wall_to_us(zone, day, start)
                e = self.zone_wall_to_us(zone, day, end)
                s = s if first is None else max(s, first)
                e = e if last is None else min(e, last)
                if e > s:
                    real.append((s, e))
            self._day_cache[k, day] = tuple(real)
        return self._day_cache[k, day]

    def day_intervals(self, day: date) -> tuple[Interval, ...]:
        """Return the real intervals of ``day`` under every version that counts some of it."""
        return tuple(merge(iv for k in range(len(self.eras)) for iv in self.era_intervals(k, day)))

    def wall_to_us(self, day: date, second: int) -> int:
        """Return the instant of wall time ``second`` on ``day`` on the desk's clock.

        The first instant whose wall time (in the zone in force at it) it is; a wall time the
        clock skips (a DST gap, a move east) is read with the offset in force just before
        the skip, found by walking the day around it a minute at a time.
        """
        wall = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(seconds=second)
        w = to_us(wall)
        found = []
        for k, (_, zone, *_) in enumerate(self.eras):
            for fold in (0, 1):
                u = to_us(wall.replace(tzinfo=zone, fold=fold))
                if self.era_at(u) == k and self.wall_us(u) == w:
                    found.append(u)
        if found:
            return min(found)
        minute = 60 * US_PER_SECOND
        m = (w - 16 * US_PER_HOUR) // minute * minute
        while m < w + 16 * US_PER_HOUR:
            if self.wall_us(m) > w > self.wall_us(m - minute) and (
                self.wall_us(m) - self.wall_us(m - minute) > minute
            ):
                return w - (self.wall_us(m - 1) - (m - 1))
            m += minute
        raise AssertionError(f"no instant reads {wall}")

    def wall_us(self, us: int) -> int:
        """The desk's wall time at the instant ``us``, as microseconds of a naive clock."""
        return to_us(from_us(us, self.zone_at(us)).replace(tzinfo=UTC))

    # -- windows of dates ------------------------------------------------------------------

    def local_date(self, us: int) -> date:
        """Return the date of the instant ``us`` in the zone in force at it."""
        return from_us(us, self.eras[self.era_at(us)][1]).date()

    def window(self, first: date, last: date) -> tuple[list[Interval], int, int]:
        """Return the merged open intervals of dates ``first..last`` and where they are exact.

        A date's real intervals lie within a day and a half of its UTC date (offsets stay within
        -12 h..+14 h), so dates outside the window cannot touch ``[trusted_lo, trusted_hi]``.
        """
        raw: list[Interval] = []
        for k in range(len(self.eras)):
            day = first
            while day <= last:
                raw.extend(self.era_intervals(k, day))
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
