"""How people read numbers and times, in English and Portuguese.

A time is written with its weekday and in the reader's order (``Mon 2026-11-23 18:00``,
``seg 23/11/2026 18:00``), a share with the language's decimal mark, a duration as total
hours (``49:00:00``, never ``2 days, 1:00:00``). Seconds, then microseconds, are written
only when they are not zero: a time is never rounded. :func:`seconds` is the number JSON
output carries.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from .._zone import ONE_US, US_PER_SECOND, seconds
from ._words import WEEKDAYS, Language, text

if TYPE_CHECKING:
    from ..policy import Priority

__all__ = [
    "format_clock",
    "format_date",
    "format_datetime",
    "format_duration",
    "format_share",
    "format_target",
    "seconds",
]


def format_clock(value: time | datetime) -> str:
    """Return a wall-clock time as ``HH:MM``, with ``:SS`` and ``.ffffff`` only when not zero.

    >>> format_clock(time(9, 0)), format_clock(time(9, 0, 5)), format_clock(time(9, 0, 0, 250))
    ('09:00', '09:00:05', '09:00:00.000250')
    """
    out = f"{value.hour:02d}:{value.minute:02d}"
    if value.second or value.microsecond:
        out += f":{value.second:02d}"
    if value.microsecond:
        out += f".{value.microsecond:06d}"
    return out


def format_date(day: date, lang: Language) -> str:
    """Return a date with its weekday: ``Mon 2026-11-23`` or ``seg 23/11/2026``.

    >>> format_date(date(2026, 11, 28), "pt")
    'sáb 28/11/2026'
    """
    weekday = WEEKDAYS[lang][day.weekday()]
    if lang == "pt":
        return f"{weekday} {day.day:02d}/{day.month:02d}/{day.year:04d}"
    return f"{weekday} {day.isoformat()}"


def format_datetime(value: datetime, lang: Language) -> str:
    """Return a time as its weekday, date and wall-clock time, in its own zone.

    Args:
        value: the time; its wall-clock reading is written (convert it to the calendar's
            zone first).
        lang: ``en`` writes ``Mon 2026-11-23 18:00``, ``pt`` writes ``seg 23/11/2026 18:00``.

    >>> from zoneinfo import ZoneInfo
    >>> due = datetime(2026, 11, 23, 18, 0, tzinfo=ZoneInfo("America/Sao_Paulo"))
    >>> format_datetime(due, "en"), format_datetime(due, "pt")
    ('Mon 2026-11-23 18:00', 'seg 23/11/2026 18:00')
    """
    return f"{format_date(value.date(), lang)} {format_clock(value)}"


def format_share(share: float, lang: Language) -> str:
    """Return a share as a percentage with one decimal, a comma for the decimal in Portuguese.

    >>> format_share(0.875, "en"), format_share(1.125, "pt")
    ('87.5 %', '112,5 %')
    """
    out = f"{share * 100:.1f} %"
    return out.replace(".", ",") if lang == "pt" else out


def format_duration(value: timedelta) -> str:
    """Write a duration as total hours, ``H:MM:SS``, with ``.ffffff`` only when non-zero.

    Args:
        value: the duration; negative durations get a leading ``-``.

    Returns:
        The text, e.g. ``"49:00:00"`` for 49 hours (never ``"2 days, 1:00:00"``).

    >>> format_duration(timedelta(hours=49))
    '49:00:00'
    >>> format_duration(timedelta(minutes=-90, microseconds=-5))
    '-1:30:00.000005'
    """
    us = value // ONE_US
    sign = "-" if us < 0 else ""
    seconds, micro = divmod(abs(us), US_PER_SECOND)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    fraction = f".{micro:06d}" if micro else ""
    return f"{sign}{hours}:{minutes:02d}:{secs:02d}{fraction}"


def format_target(priority: Priority, lang: Language) -> str:
    """Return a priority's target as people write it: ``4:00:00`` or ``5 dias úteis``.

    >>> from sla_clock import Priority
    >>> p = Priority(code="P2", target_business_days=5, end_of_day=True, name_en="M", name_pt="M")
    >>> format_target(p, "en"), format_target(p, "pt")
    ('5 business days (end of day)', '5 dias úteis (fim do dia)')
    """
    days = priority.target_business_days
    if days is None:
        assert priority.target is not None  # a priority has one target or the other
        return format_duration(priority.target)
    shown = f"{days} {text('business_day' if days == 1 else 'business_days', lang)}"
    return f"{shown} ({text('end_of_day', lang)})" if priority.end_of_day else shown
