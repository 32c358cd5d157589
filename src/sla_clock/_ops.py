"""The scalar operations of a calendar: the hot path, bound as ``BusinessCalendar`` methods.

Every question a calendar answers is one or two binary searches on its compiled timeline
(:mod:`sla_clock._timeline`), found in its islands (:mod:`sla_clock._islands`). The functions
here take the calendar as their first argument and :class:`~sla_clock.BusinessCalendar`
binds them as its methods (``add = _ops.add``), so a call costs what a method costs and the
value (:mod:`sla_clock.calendar`) stays apart from the questions. :func:`timeline_for` and
:func:`timeline_upto` are how the rest of the engine (the ticket clock, the vectorised
functions) reaches a calendar's compiled timeline, instead of reading its private fields.
"""

from __future__ import annotations

from bisect import bisect_left as _bisect_left
from bisect import bisect_right as _bisect_right
from collections.abc import Iterator
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Protocol

from ._timeline import Timeline, year_of
from ._versioned_zone import VersionedZone
from ._zone import EPOCH, bad_instant
from ._zone import from_us as _from_us
from ._zone import to_us as _to_us
from .errors import OutOfRangeError

if TYPE_CHECKING:
    from ._islands import TimelineCache

__all__ = [
    "NEVER_CLOSES_YEARS",
    "Compiled",
    "add",
    "add_us",
    "elapsed",
    "elapsed_us",
    "from_us",
    "is_open",
    "islands",
    "next_close",
    "next_open",
    "no_open_time",
    "open_intervals",
    "range_us",
    "timeline_for",
    "timeline_upto",
    "to_us",
]

_fromtimestamp = datetime.fromtimestamp
_timedelta = timedelta

#: ``next_close`` looks this many years ahead before saying a calendar never closes.
NEVER_CLOSES_YEARS = 50


class Compiled(Protocol):
    """What the operations need of a calendar: its zone and its compiled islands."""

    @property
    def _zone(self) -> tzinfo: ...

    @property
    def _cache(self) -> TimelineCache: ...


# -- the compiled timeline of a calendar --------------------------------------------------


def islands(self: Compiled) -> TimelineCache:
    """Return the compiled islands of a calendar (for the vectorised code and the tests)."""
    return self._cache


def range_us(self: Compiled) -> tuple[int, int]:
    """Return ``[lo, hi)``: the epoch microseconds of the years the calendar can answer."""
    return self._cache.bounds_us


def timeline_for(self: Compiled, lo: int, hi: int) -> Timeline:
    """Return a compiled timeline of ``calendar`` covering the instants ``lo <= hi``."""
    tl = self._cache.current
    if tl.lo <= lo and hi < tl.hi:
        return tl
    return self._cache.cover(lo, hi)


def timeline_upto(self: Compiled, lo: int, hi: int) -> Timeline:
    """A timeline with the open time of ``[lo, hi]`` (``hi`` may end the coverage)."""
    tl = self._cache.current
    if tl.lo <= lo and hi <= tl.hi:
        return tl
    return self._cache.cover(lo, hi, upto=True)


# -- the integer microsecond API (used by the ticket clock and the bulk code) -------------


def elapsed_us(self: Compiled, start: int, end: int) -> int:
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


def add_us(self: Compiled, start: int, duration: int) -> int:
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
                raise no_open_time(self, "after", start)
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
            raise no_open_time(self, "before", start)
        tl = cache.extended(tl, start, start, -target, forward=False)
        target = tl.before(start) + duration
    return tl.at_open_time_latest(target)


def no_open_time(self: Compiled, where: str, start: int) -> OutOfRangeError:
    when = _from_us(start, self._zone)
    return OutOfRangeError(
        f"the calendar has not enough open time {where} {when.isoformat()} to cover "
        "the duration; it has no weekly hours, so add weekly hours or more open dates"
    )


# -- the operations on aware datetimes -------------------------------------------------


def to_us(self: Compiled, value: datetime) -> int:
    """Return an aware datetime as integer microseconds since the Unix epoch.

    Raises:
        NaiveDatetimeError: ``value`` has no timezone.
        TypeError: ``value`` is not a datetime.

    >>> from sla_clock import BusinessCalendar
    >>> from zoneinfo import ZoneInfo
    >>> BusinessCalendar.default().to_us(datetime(1970, 1, 1, tzinfo=ZoneInfo("UTC")))
    0
    """
    return _to_us(value, self._zone)


def from_us(self: Compiled, us: int) -> datetime:
    """Return epoch microseconds as an aware datetime in the calendar's zone."""
    return _from_us(us, self._zone)


def timezone_at(self: Compiled, at: datetime) -> str:
    """Return the IANA zone in force at ``at``: the calendar's own, unless a version moved it.

    >>> from datetime import date
    >>> from sla_clock import BusinessCalendar
    >>> moved = BusinessCalendar.default().with_version(date(2027, 3, 1), timezone="Europe/Lisbon")
    >>> [moved.timezone_at(moved.localize(datetime(2027, m, d))) for m, d in ((2, 28), (3, 1))]
    ['America/Sao_Paulo', 'Europe/Lisbon']
    """
    zone = self._zone
    if isinstance(zone, VersionedZone):
        return zone.zone_at(_to_us(at, zone)).key
    return str(zone)


def add(self: Compiled, start: datetime, duration: timedelta) -> datetime:
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

    >>> from sla_clock import BusinessCalendar
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
        raise _bad_add_input(self, start, duration)
    try:
        delta = start - EPOCH
    except TypeError:
        raise _bad_add_input(self, start, duration) from None
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
    return _from_us(add_us(self, us, d), self._zone)


def _bad_add_input(self: Compiled, start: object, duration: object) -> Exception:
    if not isinstance(start, datetime) or start.tzinfo is None:
        return bad_instant(start, self._zone)
    msg = f"duration must be a timedelta, got {type(duration).__name__} {duration!r}"
    return TypeError(msg)


def elapsed(self: Compiled, start: datetime, end: datetime) -> timedelta:
    """Return the open time inside ``[start, end]``; negative when ``end < start``.

    >>> from sla_clock import BusinessCalendar
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
        _to_us(start, self._zone)
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


def is_open(self: Compiled, at: datetime) -> bool:
    """Return True when the desk is open at ``at`` (intervals are ``[open, close)``).

    >>> from sla_clock import BusinessCalendar
    >>> from zoneinfo import ZoneInfo
    >>> sp = ZoneInfo("America/Sao_Paulo")
    >>> BusinessCalendar.default().is_open(datetime(2026, 11, 24, 18, 0, tzinfo=sp))
    False
    """
    t = _to_us(at, self._zone)
    tl = timeline_for(self, t, t)
    i = tl.interval_at_or_after(t)
    return i < len(tl.starts) and tl.starts[i] <= t


def next_open(self: Compiled, at: datetime) -> datetime:
    """Return ``at`` if the desk is open then, else the next opening.

    >>> from sla_clock import BusinessCalendar
    >>> from zoneinfo import ZoneInfo
    >>> sat = datetime(2026, 11, 28, 10, 0, tzinfo=ZoneInfo("America/Sao_Paulo"))
    >>> BusinessCalendar.default().next_open(sat).isoformat()
    '2026-11-30T09:00:00-03:00'
    """
    t = _to_us(at, self._zone)
    return _from_us(add_us(self, t, 1) - 1, self._zone)


def next_close(self: Compiled, at: datetime) -> datetime:
    """Return the end of the open period containing ``at``, or of the next one.

    >>> from sla_clock import BusinessCalendar
    >>> from zoneinfo import ZoneInfo
    >>> sp = ZoneInfo("America/Sao_Paulo")
    >>> BusinessCalendar.default().next_close(datetime(2026, 11, 24, 18, 0, tzinfo=sp))
    datetime.datetime(2026, 11, 25, 18, 0, tzinfo=zoneinfo.ZoneInfo(key='America/Sao_Paulo'))
    """
    t = _to_us(at, self._zone)
    opening = add_us(self, t, 1) - 1
    cache = self._cache
    tl = timeline_for(self, opening, opening)
    i = tl.interval_at_or_after(opening)
    give_up = year_of(opening) + NEVER_CLOSES_YEARS
    while tl.ends[i] >= tl.hi and not cache.has_limit_after(tl):
        # The open period runs to the end of the compiled years and may go on after.
        if tl.last_year > give_up:
            msg = (
                f"the calendar is open without a break from {_from_us(opening, self._zone)} "
                f"for more than {NEVER_CLOSES_YEARS} years, so it has no next closing time"
            )
            raise OutOfRangeError(msg)
        tl = cache.extended(tl, opening, opening, 0, forward=True)
        i = tl.interval_at_or_after(opening)
    return _from_us(tl.ends[i], self._zone)


def open_intervals(
    self: Compiled, start: datetime, end: datetime
) -> Iterator[tuple[datetime, datetime]]:
    """Yield the open periods inside ``[start, end]`` as ``(open, close)`` pairs, clipped.

    >>> from sla_clock import BusinessCalendar
    >>> from zoneinfo import ZoneInfo
    >>> sp = ZoneInfo("America/Sao_Paulo")
    >>> a = datetime(2026, 11, 19, 17, 0, tzinfo=sp)
    >>> b = datetime(2026, 11, 23, 10, 0, tzinfo=sp)
    >>> [(o.strftime("%a %H:%M"), c.strftime("%H:%M")) for o, c in
    ...  BusinessCalendar.default().open_intervals(a, b)]
    [('Thu 17:00', '18:00'), ('Mon 09:00', '10:00')]
    """
    # Checked now, not when the iteration starts.
    a, b = _to_us(start, self._zone), _to_us(end, self._zone)
    return _open_intervals_us(self, a, b)


def _open_intervals_us(self: Compiled, a: int, b: int) -> Iterator[tuple[datetime, datetime]]:
    if b <= a:
        return
    tl = timeline_upto(self, a, b)
    for s, e in tl.intervals_between(a, b):
        yield _from_us(s, self._zone), _from_us(e, self._zone)
