"""A desk's closures from an iCalendar file (Outlook, Google Calendar), read by ``icalendar``.

Every event of the file is a closure, except one shown as free time (``TRANSP:TRANSPARENT``,
as ``sla-clock calendar --ics`` writes opening hours) and a cancelled one
(``STATUS:CANCELLED``, an event or one occurrence): an all-day event closes its dates,
a timed event closes its period. Recurrence rules (``RRULE``, ``RDATE``, ``EXDATE``) are
expanded by ``recurring-ical-events`` over the years the calendar answers; a rule without
end that would go on past them is refused, as it would stop closing silently. Times with a
zone are that instant; times without one (floating) are the calendar's wall time.

The ``ics`` extra installs both packages: ``pip install 'sla-clock[ics]'``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from .errors import CalendarConfigError

__all__ = ["IcsClosures", "ics_modules", "read_closures"]


@dataclass(frozen=True, slots=True)
class IcsClosures:
    """The closures of an iCalendar file: whole dates, and periods of aware datetimes."""

    dates: tuple[date, ...]
    periods: tuple[tuple[datetime, datetime], ...]


def ics_modules() -> tuple[Any, Any]:
    try:
        import icalendar  # type: ignore[import-not-found,unused-ignore]  # (optional extra)
        import recurring_ical_events  # type: ignore[import-not-found,import-untyped,unused-ignore]  # (optional extra)
    except ImportError:
        msg = (
            "closures_ics needs icalendar and recurring-ical-events; install them with: "
            "pip install 'sla-clock[ics]'"
        )
        raise CalendarConfigError(msg) from None
    return icalendar, recurring_ical_events


def read_closures(path: Path, zone: tzinfo, years: tuple[int, int]) -> IcsClosures:
    """The closures of the iCalendar file ``path`` within the local ``years`` (both included).

    Raises:
        CalendarConfigError: the file cannot be read, is no iCalendar file, or has a rule
            that repeats without end past ``years``; the message names the file.
    """
    icalendar, recurring = ics_modules()
    try:
        if path.exists() and not path.is_file():  # (a FIFO would block, a folder fail later)
            msg = f"{path}: not a regular file; closures_ics names an .ics file"
            raise CalendarConfigError(msg)
        data = path.read_bytes()
    except OSError as exc:
        msg = f"{path}: cannot read it ({exc.strerror or exc}); check closures_ics"
        raise CalendarConfigError(msg) from None
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except (ValueError, IndexError, KeyError, UnicodeDecodeError) as exc:
        msg = f"{path}: not an iCalendar file ({exc}); export the calendar as .ics again"
        raise CalendarConfigError(msg) from None
    _refuse_endless(path, calendar, years)
    start = datetime(years[0], 1, 1)  # noqa: DTZ001 (recurring-ical-events: wall dates)
    end = datetime(years[1] + 1, 1, 1)  # noqa: DTZ001 (recurring-ical-events: wall dates)
    try:
        events = recurring.of(calendar).between(start, end)
    except Exception as exc:
        msg = f"{path}: its recurrences cannot be expanded ({exc}); check the file"
        raise CalendarConfigError(msg) from None
    dates: set[date] = set()
    periods: list[tuple[datetime, datetime]] = []
    for event in events:
        if str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
            continue  # free time (opening hours): closes nothing
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue  # a cancelled event (or occurrence) closes nothing
        first, last = _span(path, event, zone)
        if isinstance(first, datetime) and isinstance(last, datetime):
            periods.append((first, last))
        else:
            day = first
            while day < last:
                dates.add(day)
                day += timedelta(days=1)
    return IcsClosures(tuple(sorted(dates)), tuple(sorted(periods)))


def _span(path: Path, event: Any, zone: tzinfo) -> tuple[date, date]:
    """An event's start and (exclusive) end: dates, or aware datetimes in ``zone``."""
    if event.get("DTSTART") is None:
        msg = f"{path}: an event without DTSTART ({event.get('SUMMARY', '')!s}); fix the file"
        raise CalendarConfigError(msg)
    first = event["DTSTART"].dt
    last = event["DTEND"].dt if event.get("DTEND") is not None else None
    if last is None and event.get("DURATION") is not None:
        last = first + event["DURATION"].dt
    if not isinstance(first, datetime):
        return first, last if isinstance(last, date) else first + timedelta(days=1)
    if last is None:
        last = first
    first, last = _aware(first, zone), _aware(last, zone)
    if last < first:
        msg = f"{path}: the event {event.get('SUMMARY', '')!s} ends before it starts; fix it"
        raise CalendarConfigError(msg)
    return first, last


def _aware(when: datetime, zone: tzinfo) -> datetime:
    """``when`` with a zone: a floating time is the calendar's wall time."""
    return when.replace(tzinfo=zone) if when.tzinfo is None else when


def _refuse_endless(path: Path, calendar: Any, years: tuple[int, int]) -> None:
    """Refuse a rule that repeats without end past the years it can be expanded over.

    A calendar without country holidays answers years to 9997.
    """
    if years[1] <= 2100:
        return
    for event in calendar.walk("VEVENT"):
        rule = event.get("RRULE")
        if rule is not None and "UNTIL" not in rule and "COUNT" not in rule:
            msg = (
                f"{path}: the event {event.get('SUMMARY', '')!s} repeats without end, and this "
                f"calendar answers years to {years[1]}; give the rule an end (UNTIL or COUNT)"
            )
            raise CalendarConfigError(msg)
