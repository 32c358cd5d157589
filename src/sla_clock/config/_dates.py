"""Dates in calendar files: ISO ``yyyy-mm-dd`` or the Brazilian ``dd/mm/yyyy``."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

__all__ = ["FileDate", "file_date", "one_entry_per_date"]

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_BRAZILIAN_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_SHORT_YEAR = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2}")
_DATE_FORMS = "write yyyy-mm-dd (2026-12-24) or dd/mm/yyyy (24/12/2026)"


def file_date(value: object) -> date:
    """Read a date of a calendar file: a date, ``yyyy-mm-dd`` or ``dd/mm/yyyy`` text.

    Raises:
        ValueError: anything else (pydantic names the field): a date and time, a two-digit
            year, a month after 12 (``12/25/2026`` is month/day), a day the month lacks.

    >>> file_date("24/12/2026"), file_date("2026-12-24")
    (datetime.date(2026, 12, 24), datetime.date(2026, 12, 24))
    """
    if isinstance(value, datetime):
        msg = f"{value.isoformat()} is a date and time; give the date alone: {_DATE_FORMS}"
        raise ValueError(msg)
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        msg = f"expected a date as text, got {type(value).__name__} {value!r}; {_DATE_FORMS}"
        raise ValueError(msg)
    text = value.strip()
    if found := _ISO_DATE.fullmatch(text):
        year, month, day = map(int, found.groups())
    elif found := _BRAZILIAN_DATE.fullmatch(text):
        day, month, year = map(int, found.groups())
        if month > 12 >= day:
            msg = (
                f"{value!r} has month {month}: dates with slashes are dd/mm/yyyy, so write "
                f"{day:02d}/{month:02d}/{year} as {month:02d}/{day:02d}/{year}, or "
                f"{year}-{day:02d}-{month:02d}"
            )
            raise ValueError(msg)
    elif _SHORT_YEAR.fullmatch(text):
        msg = f"{value!r} has a two-digit year, which is ambiguous; {_DATE_FORMS}"
        raise ValueError(msg)
    else:
        msg = f"{value!r} is not a date; {_DATE_FORMS}"
        raise ValueError(msg)
    try:
        return date(year, month, day)
    except ValueError as exc:
        msg = f"{value!r} is not a date ({exc}); {_DATE_FORMS}"
        raise ValueError(msg) from None


#: A date of a calendar file: ``yyyy-mm-dd`` or ``dd/mm/yyyy``.
FileDate = Annotated[
    date,
    BeforeValidator(file_date),
    WithJsonSchema({"type": "string", "description": "yyyy-mm-dd or dd/mm/yyyy"}),
]


def one_entry_per_date(value: Any) -> Any:
    """Refuse a table with one date under two spellings (``2026-12-24``, ``24/12/2026``)."""
    if not isinstance(value, dict):
        return value  # pydantic says what is wrong
    seen: dict[date, Any] = {}
    for key in value:
        try:
            day = file_date(key)
        except ValueError:
            continue  # pydantic reports the key
        if day in seen:
            msg = f"{day.isoformat()} is given twice ({seen[day]!r} and {key!r}); keep one"
            raise ValueError(msg)
        seen[day] = key
    return value
