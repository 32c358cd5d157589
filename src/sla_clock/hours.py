"""Opening hours: for each weekday, sorted ``[start, end)`` wall-clock intervals.

A time is held as seconds since the day's midnight; ``24:00`` (86400) is a valid end, so a
desk open around the clock writes ``"00:00-24:00"``. A lunch break is two intervals.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from .errors import InvalidHoursError

#: Only what users need; the rest of this module serves the engine's other rooms.
__all__ = ["WeeklyHours"]

#: The open intervals of one day: sorted, disjoint ``(start_second, end_second)`` pairs.
DayHours = tuple[tuple[int, int], ...]

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")
_SECONDS_PER_DAY = 86_400

HoursSpec = str | Sequence[str] | Sequence[tuple[int, int]]


def _parse_time(text: str, *, context: str) -> int:
    match = _TIME.match(text)
    if match is None:
        msg = f"bad time {text!r} in {context}; write HH:MM or HH:MM:SS, e.g. '09:00'"
        raise InvalidHoursError(msg)
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if minute > 59 or second > 59 or hour > 24 or (hour == 24 and (minute or second)):
        msg = f"bad time {text!r} in {context}; hours run from 00:00 to 24:00"
        raise InvalidHoursError(msg)
    return hour * 3600 + minute * 60 + second


def _format_time(second: int) -> str:
    hour, rest = divmod(second, 3600)
    minute, sec = divmod(rest, 60)
    return f"{hour:02d}:{minute:02d}" + (f":{sec:02d}" if sec else "")


def format_day_hours(day: DayHours) -> list[str]:
    """Return ``day`` as a list of ``"HH:MM-HH:MM"`` strings.

    >>> format_day_hours(((32400, 43200), (46800, 64800)))
    ['09:00-12:00', '13:00-18:00']
    """
    return [f"{_format_time(start)}-{_format_time(end)}" for start, end in day]


def parse_day_hours(spec: HoursSpec, *, context: str = "opening hours") -> DayHours:
    """Parse one day's hours: ``"09:00-18:00"``, a list of such strings, or second pairs.

    An empty string or list means closed all day.

    Raises:
        InvalidHoursError: an interval does not parse, ends before it starts, or overlaps
            another one.

    >>> parse_day_hours(["09:00-12:00", "13:00-18:00"])
    ((32400, 43200), (46800, 64800))
    """
    items: Iterable[str | tuple[int, int]] = (
        [part for part in spec.split(",") if part.strip()] if isinstance(spec, str) else spec
    )
    intervals: list[tuple[int, int]] = []
    for item in items:
        if isinstance(item, str):
            if item.count("-") != 1:
                msg = f"bad interval {item!r} in {context}; write 'HH:MM-HH:MM', e.g. '09:00-18:00'"
                raise InvalidHoursError(msg)
            left, right = item.split("-")
            start = _parse_time(left, context=context)
            end = _parse_time(right, context=context)
        else:
            start, end = int(item[0]), int(item[1])
            if not 0 <= start <= _SECONDS_PER_DAY or not 0 <= end <= _SECONDS_PER_DAY:
                msg = f"interval {item!r} in {context} is outside 00:00-24:00"
                raise InvalidHoursError(msg)
        if start >= end:
            msg = (
                f"interval {_format_time(start)}-{_format_time(end)} in {context} ends before "
                "it starts; an interval cannot cross midnight, split it as '22:00-24:00' and "
                "'00:00-06:00' on the next day"
            )
            raise InvalidHoursError(msg)
        intervals.append((start, end))
    intervals.sort()
    for (s1, e1), (s2, e2) in pairwise(intervals):
        if s2 < e1:
            pair = format_day_hours(((s1, e1), (s2, e2)))
            msg = f"intervals {pair[0]} and {pair[1]} in {context} overlap; merge or split them"
            raise InvalidHoursError(msg)
    return tuple(intervals)


def _expand_days(key: str) -> list[int]:
    name = key.strip().lower()
    if "-" in name:
        first, last = (part.strip() for part in name.split("-", 1))
        if first in DAY_NAMES and last in DAY_NAMES:
            lo, hi = DAY_NAMES.index(first), DAY_NAMES.index(last)
            if lo <= hi:
                return list(range(lo, hi + 1))
    elif name in DAY_NAMES:
        return [DAY_NAMES.index(name)]
    msg = (
        f"bad weekday {key!r} in opening hours; use mon, tue, wed, thu, fri, sat, sun "
        "or a range such as 'mon-fri'"
    )
    raise InvalidHoursError(msg)


@dataclass(frozen=True, slots=True)
class WeeklyHours:
    """Opening hours for each weekday, Monday first.

    Attributes:
        days: seven :data:`DayHours`, Monday to Sunday.

    >>> hours = WeeklyHours.parse({"mon-fri": ["09:00-12:00", "13:00-18:00"]})
    >>> hours.open_seconds_per_week() / 3600
    40.0
    """

    days: tuple[DayHours, DayHours, DayHours, DayHours, DayHours, DayHours, DayHours]

    @classmethod
    def parse(cls, spec: Mapping[str, HoursSpec]) -> WeeklyHours:
        """Build weekly hours from ``{"mon-fri": "09:00-18:00", "sat": "09:00-13:00"}``.

        Days not named are closed. A day named twice (``"mon-fri"`` and ``"fri"``) is an error.

        Raises:
            InvalidHoursError: a bad weekday name, interval, or a day given twice.
        """
        days: list[DayHours | None] = [None] * 7
        for key, value in spec.items():
            parsed = parse_day_hours(value, context=f"hours of {key}")
            for index in _expand_days(key):
                if days[index] is not None:
                    msg = f"{DAY_NAMES[index]} is given twice in opening hours; name it once"
                    raise InvalidHoursError(msg)
                days[index] = parsed
        d = [day or () for day in days]
        return cls((d[0], d[1], d[2], d[3], d[4], d[5], d[6]))

    def to_spec(self) -> dict[str, list[str]]:
        """Return the hours as ``{"mon": ["09:00-18:00"], ...}``, the form :meth:`parse` reads."""
        return {name: format_day_hours(day) for name, day in zip(DAY_NAMES, self.days, strict=True)}

    def open_seconds_per_week(self) -> int:
        """Return the open wall-clock seconds in a week without holidays."""
        return sum(end - start for day in self.days for start, end in day)

    def is_never_open(self) -> bool:
        """Return True when no weekday has any opening interval."""
        return not any(self.days)
