"""sla-clock: when is this ticket due, how much business time has it used, has it breached?

>>> from datetime import datetime, timedelta
>>> from zoneinfo import ZoneInfo
>>> from sla_clock import BusinessCalendar
>>> opened = datetime(2026, 11, 24, 17, 30, tzinfo=ZoneInfo("America/Sao_Paulo"))
>>> BusinessCalendar.default().add(opened, timedelta(hours=12)).isoformat()
'2026-11-26T11:30:00-03:00'
"""

from ._version import __version__
from ._versioned_zone import VersionedZone
from ._versions import CalendarVersion
from .calendar import BusinessCalendar
from .errors import (
    CalendarConfigError,
    DayTargetError,
    InvalidHoursError,
    NaiveDatetimeError,
    OutOfRangeError,
    PolicyConfigError,
    SlaClockError,
    TicketError,
    TimeParseError,
    UnknownPriorityError,
)
from .explain import DayConsumption, explain_due
from .history import Event
from .holiday_source import HolidaySource
from .hours import WeeklyHours
from .metric import DaysTarget, Metric
from .metric_status import MetricStatus, metric_statuses
from .policy import (
    EscalationLevel,
    PolicyVersion,
    PolicyVersionMode,
    Priority,
    PriorityChangeMode,
    SlaPolicy,
)
from .schedule import MetricChange, StateChange, next_change, next_metric_change
from .status import SlaStatus, State
from .ticket import Pause, PriorityChange, Ticket

__all__ = [
    "BusinessCalendar",
    "CalendarConfigError",
    "CalendarVersion",
    "DayConsumption",
    "DayTargetError",
    "DaysTarget",
    "EscalationLevel",
    "Event",
    "HolidaySource",
    "InvalidHoursError",
    "Metric",
    "MetricChange",
    "MetricStatus",
    "NaiveDatetimeError",
    "OutOfRangeError",
    "Pause",
    "PolicyConfigError",
    "PolicyVersion",
    "PolicyVersionMode",
    "Priority",
    "PriorityChange",
    "PriorityChangeMode",
    "SlaClockError",
    "SlaPolicy",
    "SlaStatus",
    "State",
    "StateChange",
    "Ticket",
    "TicketError",
    "TimeParseError",
    "UnknownPriorityError",
    "VersionedZone",
    "WeeklyHours",
    "__version__",
    "explain_due",
    "metric_statuses",
    "next_change",
    "next_metric_change",
]
