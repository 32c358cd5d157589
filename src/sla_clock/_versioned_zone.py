"""A zone that changes at instants: the zone of a calendar whose versions move the desk.

A calendar version may change the zone (``timezone = "Europe/Lisbon"`` from 2027-03-01). The
version is in force from 00:00 of its date in its own zone, so the calendar's wall clock
follows one IANA zone up to that instant and the next one from it: a moving desk's clock.
:class:`VersionedZone` is that clock as a :class:`~datetime.tzinfo`, so datetimes, parsing and
``fromtimestamp`` use it like any zone.

A move east skips wall time, like a DST gap; a move west repeats it, like a DST fold. Wall
times are read as zoneinfo reads them (PEP 495): a skipped time moves forward by the gap
(``fold=0`` takes the offset before it), a repeated one takes its first occurrence.

>>> from zoneinfo import ZoneInfo
>>> sp, lisbon = ZoneInfo("America/Sao_Paulo"), ZoneInfo("Europe/Lisbon")
>>> move = wall_to_us(date(2027, 3, 1), 0, lisbon)
>>> zone = VersionedZone((sp, lisbon), (move,))
>>> from_us(move - 1, zone).isoformat(), from_us(move, zone).isoformat()
('2027-02-28T20:59:59.999999-03:00', '2027-03-01T00:00:00+00:00')
>>> datetime(2027, 2, 28, 22, 0, tzinfo=zone).isoformat()  # skipped: forward by the gap
'2027-02-28T22:00:00-03:00'
>>> from_us(to_us(datetime(2027, 2, 28, 22, 0, tzinfo=zone)), zone).isoformat()
'2027-03-01T01:00:00+00:00'
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from ._zone import EPOCH, ONE_US, US_PER_DAY, from_us, offset_transitions, to_us, wall_to_us

__all__ = ["VersionedZone", "day_start_us", "zone_transitions"]

#: Wall times and instants of one moment lie within this of each other (offsets: -12..+14 h).
_NEAR_US = 2 * US_PER_DAY


def _naive_us(wall: datetime) -> int:
    """The wall time ``wall`` (its own zone ignored) as microseconds of a naive clock."""
    return to_us(wall.replace(tzinfo=UTC))


class VersionedZone(tzinfo):
    """The zones of a moving desk: ``zones[0]`` first, ``zones[k]`` from ``switches[k - 1]``.

    A calendar builds it for a version that gives ``timezone``; it is ``calendar.zone``.

    Args:
        zones: the IANA zones in the order the desk used them.
        switches: the instants (epoch microseconds, increasing) each later zone starts.

    >>> from sla_clock import BusinessCalendar
    >>> moved = BusinessCalendar.default().with_version(date(2027, 3, 1), timezone="Asia/Tokyo")
    >>> zone = moved.zone
    >>> zone.key, [z.key for z in zone.zones], zone.zone_at(zone.switches[0]).key
    ('America/Sao_Paulo', ['America/Sao_Paulo', 'Asia/Tokyo'], 'Asia/Tokyo')
    """

    __slots__ = ("key", "switches", "zones")

    def __init__(self, zones: Sequence[ZoneInfo], switches: Sequence[int]) -> None:
        if len(zones) != len(switches) + 1 or list(switches) != sorted(set(switches)):
            msg = "a versioned zone needs one zone more than its increasing switch instants"
            raise ValueError(msg)
        self.zones = tuple(zones)
        self.switches = tuple(switches)
        #: The zone the desk started in, named in messages ("pass tzinfo=ZoneInfo(...)").
        self.key = self.zones[0].key

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle the zones by name and the switch instants."""
        return (_rebuild, (tuple(zone.key for zone in self.zones), self.switches))

    def __repr__(self) -> str:
        """``VersionedZone('America/Sao_Paulo' -> 'Europe/Lisbon' at ...)``."""
        moves = " ".join(
            f"-> {zone.key!r} at {from_us(at, zone).isoformat()}"
            for zone, at in zip(self.zones[1:], self.switches, strict=True)
        )
        return f"VersionedZone({self.zones[0].key!r} {moves})"

    def __str__(self) -> str:
        """The zone the desk started in (the calendar's own ``timezone``)."""
        return self.key

    def __eq__(self, other: object) -> bool:
        """Two versioned zones are equal when they move between the same zones at once."""
        if not isinstance(other, VersionedZone):
            return NotImplemented
        return (self.zones, self.switches) == (other.zones, other.switches)

    def __hash__(self) -> int:
        """Hash of the zones and switch instants."""
        return hash((self.zones, self.switches))

    # -- which zone -----------------------------------------------------------------------

    def index_at(self, us: int) -> int:
        """The index of the zone in force at the instant ``us``."""
        return bisect_right(self.switches, us)

    def zone_at(self, us: int) -> ZoneInfo:
        """The IANA zone in force at the instant ``us``."""
        return self.zones[bisect_right(self.switches, us)]

    def span(self, k: int) -> tuple[int | None, int | None]:
        """``[lo, hi)``: the instants zone ``k`` is in force (``None``: no bound)."""
        lo = self.switches[k - 1] if k > 0 else None
        hi = self.switches[k] if k < len(self.switches) else None
        return lo, hi

    def _inside(self, k: int, us: int) -> bool:
        lo, hi = self.span(k)
        return (lo is None or us >= lo) and (hi is None or us < hi)

    def _near(self, wall_us: int) -> range:
        first = bisect_right(self.switches, wall_us - _NEAR_US)
        return range(first, bisect_right(self.switches, wall_us + _NEAR_US) + 1)

    def wall_us_to_us(self, wall: datetime, fold: int) -> int:
        """The instant of the naive wall time ``wall`` on this clock, by PEP 495's rule.

        Where the wall time happens, ``fold=0`` takes the first time, ``fold=1`` the last;
        where it is skipped (a move east, or a DST gap), ``fold=0`` reads it with the offset
        before the gap and ``fold=1`` with the offset after it.
        """
        wall = wall.replace(tzinfo=None, fold=0)
        near = self._near(_naive_us(wall))
        if len(near) == 1:  # no move within two days: the one zone's own reading
            return to_us(wall.replace(tzinfo=self.zones[near[0]], fold=fold))
        real = sorted(
            {
                u
                for k in near
                for f in (0, 1)
                if self._inside(k, u := to_us(wall.replace(tzinfo=self.zones[k], fold=f)))
                and from_us(u, self.zones[k]).replace(tzinfo=None) == wall
            }
        )
        if real:
            return real[0] if fold == 0 else real[-1]
        for k in near:  # a DST gap inside one zone's time: zoneinfo's own reading
            u = to_us(wall.replace(tzinfo=self.zones[k], fold=fold))
            if self._inside(k, u):
                return u
        for k in near:  # skipped by a move east: the offset before the move, or after it
            if k == 0:
                continue
            before = to_us(wall.replace(tzinfo=self.zones[k - 1]))
            after = to_us(wall.replace(tzinfo=self.zones[k], fold=1))
            if before >= self.switches[k - 1] > after:
                return before if fold == 0 else after
        return to_us(wall.replace(tzinfo=self.zones[near[0]], fold=fold))  # (not reached)

    # -- the tzinfo protocol --------------------------------------------------------------

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        """The UTC offset of the wall time ``dt`` on this clock."""
        if dt is None:
            return None
        return timedelta(microseconds=_naive_us(dt) - self.wall_us_to_us(dt, dt.fold))

    def dst(self, dt: datetime | None) -> timedelta | None:
        """The DST part of the offset, as the zone in force says."""
        if dt is None:
            return None
        us = self.wall_us_to_us(dt, dt.fold)
        return from_us(us, self.zone_at(us)).dst()

    def tzname(self, dt: datetime | None) -> str | None:
        """The abbreviation the zone in force gives (``-03``, ``WET``)."""
        if dt is None:
            return self.key
        us = self.wall_us_to_us(dt, dt.fold)
        return from_us(us, self.zone_at(us)).tzname()

    def fromutc(self, dt: datetime) -> datetime:
        """The wall time on this clock of the UTC time ``dt`` (``dt.tzinfo`` is this zone)."""
        us = _naive_us(dt)
        k = bisect_right(self.switches, us)
        local = self.zones[k].fromutc(dt.replace(tzinfo=self.zones[k]))
        if len(self._near(us)) == 1:  # no move within two days: the zone's own fold
            return local.replace(tzinfo=self)
        local = local.replace(tzinfo=None, fold=0)
        fold = 1 if self.wall_us_to_us(local, 0) != us else 0
        return local.replace(tzinfo=self, fold=fold)


def _rebuild(keys: tuple[str, ...], switches: tuple[int, ...]) -> VersionedZone:
    return VersionedZone(tuple(ZoneInfo(key) for key in keys), switches)


def day_start_us(day: date, zone: tzinfo) -> int:
    """The first instant of the local date ``day``: 00:00 read by the fold rule.

    On a moving desk's clock, the first instant whose local date (in the zone in force) is
    ``day`` or later, so that every instant lies in exactly one local year.

    >>> day_start_us(date(1970, 1, 2), ZoneInfo("UTC"))
    86400000000
    """
    if not isinstance(zone, VersionedZone):
        return (datetime(day.year, day.month, day.day, tzinfo=zone) - EPOCH) // ONE_US
    found = []
    for k, one in enumerate(zone.zones):
        lo, hi = zone.span(k)
        at = wall_to_us(day, 0, one)  # the first instant of ``day`` in this zone...
        if lo is not None:
            at = max(at, lo)  # ...or, on a later date, the zone's first instant
        if hi is None or at < hi:
            found.append(at)
    return min(found)


def zone_transitions(zone: tzinfo, first_year: int, last_year: int) -> tuple[list[int], list[int]]:
    """The UTC-offset changes of ``zone`` in the years given, as ``(instants, offsets)``.

    :func:`~sla_clock._zone.offset_transitions` for one IANA zone; on a moving desk's clock,
    each zone's changes while it is in force, and each move as a change.
    """
    if not isinstance(zone, VersionedZone):
        assert isinstance(zone, ZoneInfo)
        return offset_transitions(zone, first_year, last_year)
    lo_us = to_us(datetime(first_year, 1, 1, tzinfo=UTC))
    hi_us = to_us(datetime(last_year + 1, 1, 1, tzinfo=UTC))
    instants: list[int] = []
    offsets: list[int] = [_offset_us(lo_us, zone)]
    for k, one in enumerate(zone.zones):
        lo, hi = zone.span(k)
        if lo is not None and lo_us < lo <= hi_us:  # the move itself
            instants.append(lo)
            offsets.append(_offset_us(lo, zone))
        own_instants, own_offsets = offset_transitions(one, first_year, last_year)
        for at, offset in zip(own_instants, own_offsets[1:], strict=True):
            if (lo is None or at > lo) and (hi is None or at < hi) and at > lo_us:
                instants.append(at)
                offsets.append(offset)
    kept_instants: list[int] = []
    kept_offsets = [offsets[0]]
    for at, offset in zip(instants, offsets[1:], strict=True):
        if offset != kept_offsets[-1]:  # a move between zones of one offset changes none
            kept_instants.append(at)
            kept_offsets.append(offset)
    return kept_instants, kept_offsets


def _offset_us(us: int, zone: tzinfo) -> int:
    offset = from_us(us, zone).utcoffset()
    assert offset is not None
    return offset // ONE_US
