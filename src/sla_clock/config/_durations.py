"""Durations in policy files: business hours only, finite, and within the bound.

``target`` and ``offset`` are ISO 8601 hours, minutes and seconds (``"PT4H"``) or a number
of seconds; ``target_hours`` and ``offset_hours`` a number of hours. Text with days, weeks,
months or years (``"P5D"``) is refused: a day of 24 hours is not a business day.
"""

from __future__ import annotations

import math
import re
from datetime import timedelta

from pydantic import TypeAdapter, ValidationError

from .._durations import MAX_BUSINESS_HOURS, check_business_time

__all__ = ["bounded_hours", "bounded_time", "hours_number", "hours_text"]

_ISO_DATE_PART = re.compile(r"^[+-]?P(?P<date>[^T]*)")
_DAYS_WORD = re.compile(r"\d\s*d", re.IGNORECASE)
_TIMEDELTA = TypeAdapter(timedelta)


def hours_text(value: object, field: str) -> object:
    """Refuse what a file may write for an hour duration but should not mean hours.

    Text with day, week, month or year components (``"P5D"``, ``"P1W"``, ``"1 day, 2:00:00"``)
    would be read as days of 24 hours; booleans and non-finite numbers are no durations.
    Everything else goes on to pydantic (integer seconds, ``"PT4H"``, ``"04:00:00"``).
    """
    example = (
        'target = "PT40H" or target_hours = 40'
        if field == "target"
        else ('offset = "PT4H" or offset_hours = 4')
    )
    if isinstance(value, bool):
        msg = f"{field} = {str(value).lower()} is not a duration; write e.g. {example}"
        raise ValueError(msg)
    if isinstance(value, float) and not math.isfinite(value):
        why = " (TOML and JSON read a number as large as 1e400 as inf)" if value > 0 else ""
        msg = f"{field} = {value} is not a finite number of seconds{why}; write e.g. {example}"
        raise ValueError(msg)
    if not isinstance(value, str):
        return value
    iso = _ISO_DATE_PART.match(value.strip())
    if (iso is not None and iso["date"]) or (iso is None and _DAYS_WORD.search(value)):
        try:
            meant = _TIMEDELTA.validate_python(value) / timedelta(hours=1)
        except ValidationError:
            meaning = ""
        else:
            meaning = (
                f": it would mean {meant:g} business hours, about {meant / 9:.0f} working "
                "days of 9 hours"
            )
        msg = (
            f"{field} {value!r} counts days of 24 hours (or weeks, months, years){meaning}; "
            f"write business hours instead, e.g. {example}"
        )
        if field.startswith("target"):
            msg += (
                '; for a target in business days such as "5 dias úteis", write '
                "target_business_days = 5 instead of target"
            )
        raise ValueError(msg)
    return value


def hours_number(value: object, field: str) -> object:
    """Refuse booleans and non-finite numbers of hours (TOML reads ``1e400`` as ``inf``)."""
    if isinstance(value, bool) or (isinstance(value, float) and not math.isfinite(value)):
        shown = str(value).lower()
        why = " (TOML and JSON read a number as large as 1e400 as inf)" if shown == "inf" else ""
        msg = (
            f"{field} = {shown} is not a finite number of hours{why}; write e.g. "
            f"{field} = 40 (at most {MAX_BUSINESS_HOURS:,})"
        )
        raise ValueError(msg)
    return value


def bounded_hours(value: float | None, field: str) -> float | None:
    if value is not None and abs(value) > MAX_BUSINESS_HOURS:
        msg = (
            f"{field} = {value:g} is more than the {MAX_BUSINESS_HOURS:,} business hours that "
            "sla-clock accepts (about 44 years of a 9-hour weekday desk); check the value"
        )
        raise ValueError(msg)
    return value


def bounded_time(value: timedelta | None, field: str) -> timedelta | None:
    return None if value is None else check_business_time(value, field)
