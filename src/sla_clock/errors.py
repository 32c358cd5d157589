"""The error tree of sla-clock.

Every error raised on purpose by sla-clock is a :class:`SlaClockError`. Each one also
subclasses the fitting built-in, so ``except ValueError`` keeps working::

    SlaClockError (Exception)
    ├── NaiveDatetimeError (ValueError)   a datetime without a timezone
    ├── InvalidHoursError (ValueError)    opening hours that overlap, invert or do not parse
    ├── CalendarConfigError (ValueError)  a bad calendar field or file
    ├── OutOfRangeError (ValueError)      an instant or result the calendar cannot reach
    ├── TimeParseError (ValueError)       a time string that does not parse (CLI, files)
    ├── UnknownPriorityError (ValueError) a priority code the policy does not define
    ├── PolicyConfigError (ValueError)    a bad policy field or file
    ├── DayTargetError (ValueError)       a target in business days asked for as hours
    └── TicketError (ValueError)          an inconsistent ticket (resolved before opened...)

Messages say what was wrong, show the value, and say how to fix it.
"""

from __future__ import annotations

__all__ = [
    "CalendarConfigError",
    "DayTargetError",
    "InvalidHoursError",
    "NaiveDatetimeError",
    "OutOfRangeError",
    "PolicyConfigError",
    "SlaClockError",
    "TicketError",
    "TimeParseError",
    "UnknownPriorityError",
]


class SlaClockError(Exception):
    """Base class of every error sla-clock raises on purpose."""


class NaiveDatetimeError(SlaClockError, ValueError):
    """A datetime has no timezone, so it names no instant."""


class DayTargetError(SlaClockError, ValueError):
    """A target in business days was asked for as a fixed duration (it depends on the opening)."""


class InvalidHoursError(SlaClockError, ValueError):
    """Opening hours do not parse, are inverted, or overlap."""


class CalendarConfigError(SlaClockError, ValueError):
    """A calendar setting (zone, country, subdivision, file field) is invalid."""


class OutOfRangeError(SlaClockError, ValueError):
    """An instant or a result lies where the calendar has no open time to reach it."""


class TimeParseError(SlaClockError, ValueError):
    """A time string is neither ISO 8601, ``dd/mm/yyyy HH:MM`` nor ``now``."""


class UnknownPriorityError(SlaClockError, ValueError):
    """A priority code is not defined by the policy in use."""


class PolicyConfigError(SlaClockError, ValueError):
    """A policy setting or policy file is invalid."""


class TicketError(SlaClockError, ValueError):
    """A ticket is inconsistent: resolved before opened, a pause outside its life, etc."""
