"""The only place that converts between wall-clock time, UTC and integer microseconds.

Instants travel inside sla-clock as integers: microseconds since 1970-01-01 UTC. This module
turns aware datetimes into such integers and back, and turns a wall-clock time of a date in a
zone into an instant with the PEP 495 rule the contract fixes: a wall time inside a DST gap
moves forward by the gap, an ambiguous wall time takes its first occurrence (``fold=0``).
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, timedelta, tzinfo
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from .errors import CalendarConfigError, NaiveDatetimeError

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ONE_US = timedelta(microseconds=1)
US_PER_SECOND = 1_000_000
US_PER_DAY = 86_400 * US_PER_SECOND
SECONDS_PER_DAY = 86_400
#: "No instant" (an empty time, a ticket not resolved) in integer microseconds: NumPy's
#: ``NaT`` as an int64, so integer rules work alike on Python ints and NumPy arrays.
NAT = -(2**63)


#: Names a zone database may hold that are no place's zone, with why they are refused.
NOT_PLACES: dict[str, str] = {
    "localtime": "is this machine's own zone, which sla-clock never uses",
    "posixrules": "is a copy of a zone this machine chose, which sla-clock never uses",
    "Factory": "is a placeholder meaning 'local time zone must be set', not a place's zone",
}
_EXAMPLES = "an IANA name such as 'America/Sao_Paulo' or 'America/New_York'"


@functools.cache
def iana_names() -> frozenset[str]:
    """Return the IANA zone names: the ``tzdata`` package's list, the same on every machine.

    ``zoneinfo`` itself reads this list for :func:`zoneinfo.available_timezones`, which adds
    the files of the system's zone folder (``localtime`` among them); without ``tzdata``,
    that function's answer is used.
    """
    try:
        listed = resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8")
    except (ModuleNotFoundError, OSError):
        return frozenset(available_timezones())
    return frozenset(listed.split())


@functools.cache
def _by_folded_name() -> dict[str, str]:
    return {name.casefold(): name for name in iana_names()}


def seconds(value: timedelta) -> int | float:
    """Return a duration in seconds: an int when whole, else a float to the microsecond.

    >>> seconds(timedelta(hours=1)), seconds(timedelta(microseconds=-1500))
    (3600, -0.0015)
    """
    us = value.days * 86_400_000_000 + value.seconds * 1_000_000 + value.microseconds
    whole, rest = divmod(us, 1_000_000)
    return whole if rest == 0 else us / 1_000_000


def load_zone(name: str) -> ZoneInfo:
    """Return the IANA zone called ``name`` or raise a clear error.

    Only the names of the IANA database are accepted, spelt as it spells them: never the
    system's own zone (``localtime``, ``posixrules``), the ``Factory`` placeholder, a path,
    or a name the system's zone folder happens to hold (``posix/...``, ``right/...``), so
    the same input means the same zone on every machine.

    Raises:
        CalendarConfigError: ``name`` is no IANA zone; the message names the fix.

    >>> load_zone("America/Sao_Paulo").key
    'America/Sao_Paulo'
    """
    if not isinstance(name, str):  # config data and untyped callers can pass anything
        msg = f"timezone {name!r} is not a name; use {_EXAMPLES}"  # type: ignore[unreachable]
        raise CalendarConfigError(msg)
    if name in NOT_PLACES:
        msg = f"timezone {name!r} {NOT_PLACES[name]}; name the desk's zone: {_EXAMPLES}"
        raise CalendarConfigError(msg)
    if name not in iana_names():
        spelt = _by_folded_name().get(name.strip().casefold())
        hint = f"; did you mean {spelt!r}?" if spelt is not None else f"; use {_EXAMPLES}"
        msg = f"unknown timezone {name!r}{hint}"
        raise CalendarConfigError(msg)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        msg = f"unknown timezone {name!r}; use {_EXAMPLES}"
        raise CalendarConfigError(msg) from exc


def naive_error(value: object, zone: tzinfo | None = None) -> NaiveDatetimeError:
    """Build the error for a datetime without a timezone, showing the fixed call."""
    key = str(zone) if zone is not None else "America/Sao_Paulo"
    return NaiveDatetimeError(
        f"{value} has no timezone; pass datetime(..., tzinfo=ZoneInfo({key!r})) "
        "or use BusinessCalendar.localize()"
    )


def to_us(value: datetime, zone: tzinfo | None = None) -> int:
    """Return the aware datetime ``value`` as integer microseconds since the Unix epoch.

    ``zone`` only words the error for a bad ``value`` (the zone to suggest).

    Raises:
        NaiveDatetimeError: ``value`` has no timezone.
        TypeError: ``value`` is not a datetime.

    >>> to_us(datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC))
    1000000
    """
    try:
        delta = value - EPOCH
    except TypeError:
        raise bad_instant(value, zone) from None
    # Attribute arithmetic: about twice as fast as ``delta // ONE_US``.
    return (delta.days * 86_400 + delta.seconds) * US_PER_SECOND + delta.microseconds


def bad_instant(value: object, zone: tzinfo | None = None) -> Exception:
    """Build the error for a value that is not an aware datetime (naive, or not one at all)."""
    if isinstance(value, datetime):
        return naive_error(value, zone)
    key = str(zone) if zone is not None else "America/Sao_Paulo"
    return TypeError(
        f"expected an aware datetime, got {type(value).__name__} {value!r}; "
        f"pass datetime(..., tzinfo=ZoneInfo({key!r}))"
    )


def from_us(us: int, zone: tzinfo) -> datetime:
    """Return integer microseconds since the epoch as an aware datetime in ``zone``.

    >>> from_us(0, ZoneInfo("America/Sao_Paulo")).isoformat()
    '1969-12-31T21:00:00-03:00'
    """
    seconds, micro = divmod(us, US_PER_SECOND)
    result = datetime.fromtimestamp(seconds, zone)
    # replace() keeps ``fold``, so an instant in a repeated hour stays that instant.
    return result.replace(microsecond=micro) if micro else result


def wall_to_us(day: date, second_of_day: int, zone: tzinfo) -> int:
    """Return the instant of a wall-clock time on ``day`` in ``zone``, as microseconds.

    ``second_of_day`` may be 86400 (``24:00``), which is the next day's midnight. Gaps move
    forward by their length and ambiguous times take their first occurrence.

    >>> sp = ZoneInfo("America/Sao_Paulo")
    >>> from_us(wall_to_us(date(2026, 11, 24), 9 * 3600, sp), sp).isoformat()
    '2026-11-24T09:00:00-03:00'
    """
    if second_of_day >= SECONDS_PER_DAY:
        day = day + timedelta(days=second_of_day // SECONDS_PER_DAY)
        second_of_day %= SECONDS_PER_DAY
    hour, rest = divmod(second_of_day, 3600)
    minute, second = divmod(rest, 60)
    wall = datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=zone)
    return (wall - EPOCH) // ONE_US


def localize(wall: datetime, zone: tzinfo) -> datetime:
    """Attach ``zone`` to a naive wall time with the fold rule (gap forward, first occurrence).

    The result is normalised, so a wall time inside a gap comes back as the real instant.

    >>> ny = ZoneInfo("America/New_York")
    >>> localize(datetime(2026, 3, 8, 2, 30), ny).isoformat()
    '2026-03-08T03:30:00-04:00'
    """
    if wall.tzinfo is not None:
        return wall.astimezone(zone)
    aware = wall.replace(tzinfo=zone, fold=0)
    return aware.astimezone(UTC).astimezone(zone)


_PROBE_STEP_US = 6 * 3600 * US_PER_SECOND


def _offset_us(us: int, zone: ZoneInfo) -> int:
    offset = from_us(us, zone).utcoffset()
    assert offset is not None
    return offset // ONE_US


def offset_transitions(
    zone: ZoneInfo, first_year: int, last_year: int
) -> tuple[list[int], list[int]]:
    """Return the zone's UTC-offset changes in the given years, for vectorised conversions.

    Returns ``(instants, offsets)``: ``instants[i]`` is the UTC instant (epoch microseconds)
    at which the offset becomes ``offsets[i + 1]``; ``offsets[0]`` is the offset before the
    first one. Found by probing every 6 hours and bisecting to the second, so it works for
    every zone and year ``zoneinfo`` knows, including rules past the last listed transition.

    >>> instants, offsets = offset_transitions(ZoneInfo("America/Sao_Paulo"), 2018, 2018)
    >>> [from_us(t, ZoneInfo("UTC")).isoformat() for t in instants]
    ['2018-02-18T02:00:00+00:00', '2018-11-04T03:00:00+00:00']
    >>> [o // 3_600_000_000 for o in offsets]
    [-2, -3, -2]
    """
    instants: list[int] = []
    offsets: list[int] = []
    for year in range(first_year, last_year + 1):
        year_instants, year_offsets = _year_transitions(zone.key, year)
        if not offsets:
            offsets.append(year_offsets[0])
        instants.extend(year_instants)
        offsets.extend(year_offsets[1:])
    return instants, offsets


@functools.lru_cache(maxsize=4096)
def _year_transitions(key: str, year: int) -> tuple[list[int], list[int]]:
    """The offset changes in ``(Jan 1 00:00 UTC, next Jan 1 00:00 UTC]`` of ``year``."""
    zone = ZoneInfo(key)
    start = (datetime(year, 1, 1, tzinfo=UTC) - EPOCH) // ONE_US
    stop = (datetime(year + 1, 1, 1, tzinfo=UTC) - EPOCH) // ONE_US
    instants: list[int] = []
    offsets = [_offset_us(start, zone)]
    t = start
    while t < stop:
        nxt = min(t + _PROBE_STEP_US, stop)
        off = _offset_us(nxt, zone)
        if off != offsets[-1]:
            lo, hi = t // US_PER_SECOND, nxt // US_PER_SECOND  # offset changes in (lo, hi]
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if _offset_us(mid * US_PER_SECOND, zone) == offsets[-1]:
                    lo = mid
                else:
                    hi = mid
            instants.append(hi * US_PER_SECOND)
            offsets.append(off)
        t = nxt
    return instants, offsets
