"""sla-clock: when is this ticket due, how much business time has it used, has it breached?

>>> from datetime import datetime, timedelta
>>> from zoneinfo import ZoneInfo
>>> from sla_clock import BusinessCalendar
>>> opened = datetime(2026, 11, 24, 17, 30, tzinfo=ZoneInfo("America/Sao_Paulo"))
>>> BusinessCalendar.default().add(opened, timedelta(hours=12)).isoformat()
'2026-11-26T11:30:00-03:00'
"""

from ._version import __version__
from .calendar import BusinessCalendar
from .errors import (
    CalendarConfigError,
    InvalidHoursError,
    NaiveDatetimeError,
    OutOfRangeError,
    PolicyConfigError,
    SlaClockError,
    TicketError,
    TimeParseError,
    UnknownPriorityError,
)
from .holiday_source import HolidaySource
from .hours import WeeklyHours

__all__ = [
    "BusinessCalendar",
    "CalendarConfigError",
    "HolidaySource",
    "InvalidHoursError",
    "NaiveDatetimeError",
    "OutOfRangeError",
    "PolicyConfigError",
    "SlaClockError",
    "TicketError",
    "TimeParseError",
    "UnknownPriorityError",
    "WeeklyHours",
    "__version__",
]
