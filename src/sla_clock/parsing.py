"""Times, dates and durations as text: what the CLI (and files of tickets) read and print.

A time is read as one of:

- ISO 8601, with or without an offset, ``T`` or a space between date and time, seconds and
  fractions optional, ``Z`` for UTC: ``2026-11-24T17:30``, ``2026-11-24 17:30:00.250-03:00``,
  ``2026-11-24T20:30Z``, ``2026-11-24`` (midnight);
- the Brazilian ``dd/mm/yyyy HH:MM`` (also ``dd/mm/yyyy HH:MM:SS`` and ``dd/mm/yyyy`` alone,
  which is midnight), with an offset or ``Z`` after the time as in ISO 8601:
  ``24/11/2026 17:30``, ``24/11/2026 17:30-03:00``, ``24/11/2026 20:30:00Z``;
- ``now``, the current instant.

A time without an offset is the calendar's local wall time, read with the fold rule of
:meth:`BusinessCalendar.localize` (a wall time in a DST gap moves forward by the gap, an
ambiguous one takes its first occurrence). The system time zone is never used.

A date (:func:`parse_date`: a day of the calendar, with no time and no zone) is read as
ISO 8601 (``2026-11-19``; also the basic ``20261119`` and the week date ``2026-W47-4``) or
the Brazilian ``dd/mm/yyyy`` (``19/11/2026``): exactly the forms that name a midnight for
:func:`parse_instant`, and nothing else (no time, no offset, no ``today``).

A duration is printed as total hours, ``H:MM:SS`` (``49:00:00``, never ``2 days, ...``), with
``.ffffff`` only when there are microseconds and a leading ``-`` when negative.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from ._zone import naive_error
from .calendar import BusinessCalendar
from .errors import TimeParseError

__all__ = ["ACCEPTED_FORMS", "DATE_FORMS", "parse_date", "parse_instant"]

#: How a time may be written; quoted by every :class:`TimeParseError`.
ACCEPTED_FORMS = (
    "ISO 8601 (2026-11-24T17:30, 2026-11-24 17:30:00-03:00, 2026-11-24T20:30Z), "
    "dd/mm/yyyy HH:MM[:SS] with an optional offset (24/11/2026 17:30, 24/11/2026 17:30-03:00), "
    "dd/mm/yyyy (midnight) or 'now'"
)

#: How a date may be written; quoted by every :class:`TimeParseError` of :func:`parse_date`.
DATE_FORMS = "ISO 8601 (2026-11-19) or dd/mm/yyyy (19/11/2026)"

_BRAZILIAN = re.compile(
    r"""
    (?P<day>\d{1,2}) / (?P<month>\d{1,2}) / (?P<year>\d{4})
    (?: \s+ (?P<hour>\d{1,2}) : (?P<minute>\d{2})
        (?: : (?P<second>\d{2}) (?: [.,] (?P<fraction>\d{1,6}) )? )?
        (?P<offset> \x20? (?: [Zz] | [+-] \d{2}
            (?: :? \d{2} (?: :? \d{2} (?: [.,] \d{1,6} )? )? )? ) )?
    )?
    """,
    re.VERBOSE,
)
#: The date part of an ISO 8601 string (extended, basic or week date) and what follows it.
_ISO_DATE = re.compile(r"[0-9W-]+(?P<rest>.*)", re.DOTALL)


#: A Brazilian date alone; ASCII digits only.
_BRAZILIAN_DATE = re.compile(r"(?P<day>[0-9]{1,2})/(?P<month>[0-9]{1,2})/(?P<year>[0-9]{4})")
#: The characters of an ISO 8601 date alone (extended, basic or week date).
_ISO_DATE_ONLY = re.compile(r"[0-9W-]+")
#: A date is at most 10 characters: a longer text is refused unread, and shown cut to this.
_LONGEST_DATE = 40


def _error(text: str, reason: str = "") -> TimeParseError:
    why = f" ({reason})" if reason else ""
    return TimeParseError(f"cannot read the time {text!r}{why}; write {ACCEPTED_FORMS}")


def _read_brazilian(match: re.Match[str]) -> datetime:
    """Build the datetime of a ``dd/mm/yyyy [HH:MM[:SS[.ffffff]][offset]]`` match.

    Without an offset the result is naive (a wall time the caller localizes). The offset is
    read by :meth:`datetime.fromisoformat`, so it means what it means in ISO 8601.

    Raises:
        ValueError: a field is out of range (the message says which).
    """
    fraction = match["fraction"] or ""
    wall = datetime(  # noqa: DTZ001 (a naive wall time, localized by the caller)
        int(match["year"]),
        int(match["month"]),
        int(match["day"]),
        int(match["hour"] or 0),
        int(match["minute"] or 0),
        int(match["second"] or 0),
        int(fraction.ljust(6, "0")) if fraction else 0,
    )
    offset = match["offset"]
    if not offset:
        return wall
    offset = offset.strip()
    zone = datetime.fromisoformat("2000-01-01T00:00" + ("Z" if offset in "Zz" else offset))
    return wall.replace(tzinfo=zone.tzinfo)


def _read_iso(text: str) -> datetime:
    """Read ISO 8601 with :meth:`datetime.fromisoformat`, only ``T`` or a space as separator.

    Raises:
        ValueError: ``text`` is not ISO 8601.
    """
    shape = _ISO_DATE.fullmatch(text)
    if shape is None or (shape["rest"] and shape["rest"][0] not in "Tt "):
        msg = "not a date followed by 'T' or a space and a time"
        raise ValueError(msg)
    if text.endswith("z"):
        text = text[:-1] + "Z"
    return datetime.fromisoformat(text)


def parse_instant(text: str, calendar: BusinessCalendar, now: datetime | None = None) -> datetime:
    """Read a time written as ISO 8601, ``dd/mm/yyyy HH:MM`` or ``now``.

    A time without an offset is wall time in the calendar's zone (a time in a DST gap moves
    forward by the gap, an ambiguous one takes its first occurrence); a time with an offset
    or ``Z`` names its instant directly. Fractions finer than a microsecond are truncated.

    Args:
        text: the time as written by a person or another program.
        calendar: whose zone a time without an offset is read in.
        now: the instant ``now`` stands for (an aware datetime); the current instant when
            omitted. Pass it to make a call deterministic.

    Returns:
        An aware datetime in the calendar's zone.

    Raises:
        TimeParseError: ``text`` is none of the accepted forms, or names no valid date.
        NaiveDatetimeError: ``now`` is a naive datetime.

    >>> cal = BusinessCalendar.default()
    >>> parse_instant("2026-11-24 17:30", cal).isoformat()
    '2026-11-24T17:30:00-03:00'
    >>> parse_instant("24/11/2026 17:30", cal).isoformat()
    '2026-11-24T17:30:00-03:00'
    >>> parse_instant("24/11/2026 20:30Z", cal).isoformat()
    '2026-11-24T17:30:00-03:00'
    >>> parse_instant("2026-11-24T20:30:00.25Z", cal).isoformat()
    '2026-11-24T17:30:00.250000-03:00'
    """
    if not isinstance(text, str):  # untyped callers (a column of numbers) can pass anything
        msg = f"expected the time as a str, got {type(text).__name__} {text!r}"  # type: ignore[unreachable]
        raise TypeError(msg)
    stripped = text.strip()
    if stripped.lower() == "now":
        current = datetime.now(UTC) if now is None else now
        if current.utcoffset() is None:
            raise naive_error(current, calendar.zone)
        return current.astimezone(calendar.zone)
    if not stripped:
        raise _error(text, "it is empty")
    brazilian = _BRAZILIAN.fullmatch(stripped)
    try:
        value = _read_brazilian(brazilian) if brazilian else _read_iso(stripped)
    except ValueError as exc:
        reason = str(exc) if brazilian else ""
        raise _error(text, reason) from None
    try:
        return calendar.localize(value)
    except OverflowError:
        raise _error(text, "it lies outside the years the calendar can represent") from None


def _date_error(text: object, reason: str = "") -> TimeParseError:
    shown = repr(text)
    if len(shown) > _LONGEST_DATE:
        shown = f"{shown[:_LONGEST_DATE]}..."
    why = f" ({reason})" if reason else ""
    return TimeParseError(f"cannot read the date {shown}{why}; write {DATE_FORMS}")


def _read_date(text: str) -> date:
    """Read a date alone, ISO 8601 or ``dd/mm/yyyy``.

    Raises:
        ValueError: ``text`` is neither; the message says why when a field is out of range,
            else it is empty.
    """
    brazilian = _BRAZILIAN_DATE.fullmatch(text)
    if brazilian:
        return date(int(brazilian["year"]), int(brazilian["month"]), int(brazilian["day"]))
    if not _ISO_DATE_ONLY.fullmatch(text):
        raise ValueError("")
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        reason = str(exc)  # fromisoformat's "Invalid isoformat string" only repeats the text
        raise ValueError("" if reason.startswith("Invalid isoformat") else reason) from None


def _why_not_a_date(text: str) -> str:
    """Say why ``text``, which is not a date alone, is refused (empty: it is just not one)."""
    if text.lower() == "today":
        return "'today' depends on the clock and a zone, so it is not read: write the date itself"
    if text.lower() == "now":
        return "'now' is an instant, not a date: write the date itself"
    head = re.split(r"[Tt ]", text, maxsplit=1)[0]
    try:
        _read_date(head)
    except ValueError:
        return ""
    return f"it has a time after the date; write the date alone, e.g. {head}"


def parse_date(text: str) -> date:
    """Read a date written as ISO 8601 (``2026-11-19``) or ``dd/mm/yyyy`` (``19/11/2026``).

    A date is a day of the calendar: it has no time and no zone, so none may be written.
    The forms are those that :func:`parse_instant` reads as a midnight, and mean the same
    date: ISO 8601 as :meth:`datetime.date.fromisoformat` reads it (so also the basic
    ``20261119`` and the week date ``2026-W47-4``), and ``d/m/yyyy`` with one or two digits of
    day and month. Spaces around the date are ignored. ``today`` is not accepted: the date it
    names depends on the clock and on a zone, and a date read from text never does (pass
    ``datetime.now(calendar.zone).date()`` instead).

    Args:
        text: the date as written by a person or another program.

    Returns:
        The date.

    Raises:
        TimeParseError: ``text`` is not a str, is empty, holds a time, or is none of the
            accepted forms, or names no valid date; the message says which and shows the
            accepted forms.

    >>> parse_date("2026-11-19")
    datetime.date(2026, 11, 19)
    >>> parse_date("19/11/2026")
    datetime.date(2026, 11, 19)
    """
    if not isinstance(text, str):  # untyped callers (a column of numbers) can pass anything
        reason = f"expected a str, got {type(text).__name__}"  # type: ignore[unreachable]  # see above
        raise _date_error(text, reason)
    stripped = text.strip()
    if not stripped:
        raise _date_error(text, "it is empty")
    if len(stripped) > _LONGEST_DATE:
        raise _date_error(text, f"it is {len(stripped):,} characters long")
    try:
        return _read_date(stripped)
    except ValueError as exc:
        raise _date_error(text, str(exc) or _why_not_a_date(stripped)) from None
