"""A year of a calendar as an iCalendar file: ``sla-clock calendar YEAR --ics``.

The team subscribes to it in Outlook or Google Calendar. Closures are busy events (what
``closures_ics`` reads back): an all-day event for each closed date (a holiday, by its name,
or a company closed date) and a timed event for the closed part of each partial day (the
weekday's hours that the date does not open). Opening hours, extra open days included, are
events shown as free (``TRANSP:TRANSPARENT``), which ``closures_ics`` skips. Times are in
UTC, so every program reads the same instants; the bytes are the same for the same
calendar (identifiers and stamps come from the dates).

>>> from sla_clock import BusinessCalendar
>>> text = calendar_ics(BusinessCalendar.default(), 2026).decode()
>>> text.count("TRANSP:OPAQUE"), "Christmas Day" in text
(10, True)
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from .._calendar_data import without
from .._ics_closures import ics_modules
from ..calendar import BusinessCalendar
from ..hours import DayHours, parse_day_hours
from ._calendar_year import calendar_year

__all__ = ["calendar_ics"]

_WORDS = {
    "en": {"company": "Closed", "partial": "Closed (partial day)", "open": "Open"},
    "pt": {"company": "Fechado", "partial": "Fechado (dia parcial)", "open": "Aberto"},
}


def calendar_ics(calendar: BusinessCalendar, year: int, lang: str = "en") -> bytes:
    """The iCalendar file of ``year``: its closures (busy) and opening hours (free)."""
    icalendar, _ = ics_modules()
    words = _WORDS.get(lang, _WORDS["en"])
    listing = calendar_year(calendar, year, lang=lang)
    ics = icalendar.Calendar()
    ics.add("prodid", "-//sla-clock//calendar//EN")
    ics.add("version", "2.0")
    ics.add("x-wr-calname", f"sla-clock {year}")
    stamp = datetime(year, 1, 1, tzinfo=UTC)

    def event(uid: str, summary: str, start: Any, end: Any, *, busy: bool) -> None:
        item = icalendar.Event()
        item.add("uid", f"{uid}@sla-clock")
        item.add("dtstamp", stamp)
        item.add("summary", summary)
        item.add("dtstart", start)
        item.add("dtend", end)
        item.add("transp", "OPAQUE" if busy else "TRANSPARENT")
        ics.add_component(item)

    for closed in listing.closed:
        name = closed.name or words["company"]
        day = closed.day
        event(f"closed-{day}", name, day, day + timedelta(days=1), busy=True)
    for special in listing.partial:
        day = special.day
        usual = calendar.version_on(day).hours.days[day.weekday()]
        shut = without(usual, parse_day_hours(list(special.hours), context=str(day)))
        for k, (lo, hi) in enumerate(shut):
            start, end = _instant(calendar, day, lo), _instant(calendar, day, hi)
            event(f"partial-{day}-{k}", words["partial"], start, end, busy=True)
    day = date(year, 1, 1)
    while day.year == year:
        for k, (lo, hi) in enumerate(_open_hours(calendar, day)):
            start, end = _instant(calendar, day, lo), _instant(calendar, day, hi)
            event(f"open-{day}-{k}", words["open"], start, end, busy=False)
        day += timedelta(days=1)
    return bytes(ics.to_ical())


def _open_hours(calendar: BusinessCalendar, day: date) -> DayHours:
    return parse_day_hours(calendar.day_hours(day), context=str(day))


def _instant(calendar: BusinessCalendar, day: date, second: int) -> datetime:
    """The UTC instant of wall second ``second`` of ``day`` (86400: the next midnight)."""
    wall = datetime.combine(day, datetime.min.time()) + timedelta(seconds=second)
    return calendar.localize(wall).astimezone(UTC)
