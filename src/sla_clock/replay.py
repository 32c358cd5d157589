"""Replay: every ticket under the rules as they stood on one date (``--rules-as-of``).

:func:`rules_as_of` returns the policy version in force on a date (its targets, warning
share and ladder), whose calendars (the policy's, each priority's and each metric's) keep
only the calendar version in force on that date, for every instant before and after it;
the other versions are ignored. A rules change can then be previewed on last month's
tickets ("what if P1 becomes 8 h from January?"), or last month recomputed under the rules
of its own time, and compared row by row with ``sla-clock report``.

>>> from datetime import date
>>> from sla_clock import SlaPolicy
>>> march = date(2027, 3, 1)
>>> desk = SlaPolicy.default().calendar.with_version(march, hours={"mon-fri": "08:00-17:00"})
>>> policy = SlaPolicy.default().with_calendar(desk)
>>> rules_as_of(policy, date(2027, 3, 1)).calendar.day_hours(date(2026, 11, 24))
['08:00-17:00']
>>> rules_as_of(policy, date(2027, 2, 1)).calendar.versions
()
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from .calendar import BusinessCalendar
from .policy import SlaPolicy

__all__ = ["calendar_as_of", "rules_as_of"]


def calendar_as_of(calendar: BusinessCalendar, day: date) -> BusinessCalendar:
    """``calendar`` with the version in force on ``day`` as its only rules (no versions).

    >>> march = date(2027, 3, 1)
    >>> cal = BusinessCalendar.default().with_version(march, hours={"sat": "09:00-13:00"})
    >>> calendar_as_of(cal, date(2027, 3, 1)).day_hours(date(2026, 11, 28))
    ['09:00-13:00']
    """
    if not calendar.versions:
        return calendar
    rules = calendar.version_on(day)
    return replace(
        calendar,
        hours=rules.hours,
        holidays=rules.holidays,
        timezone=rules.timezone,
        versions=(),
    )


def rules_as_of(policy: SlaPolicy, day: date) -> SlaPolicy:
    """The policy version in force on ``day``, every calendar as of ``day`` (no versions).

    >>> from datetime import timedelta
    >>> p1 = {"P1": timedelta(hours=8)}
    >>> eight = SlaPolicy.default().with_version(date(2027, 1, 1), targets=p1)
    >>> [rules_as_of(eight, date(y, 1, 1)).target("P1").seconds // 3600 for y in (2026, 2027)]
    [12, 8]
    """
    policy = policy.version_on(day)
    priorities = tuple(
        p.model_copy(update={"calendar": calendar_as_of(p.calendar, day)}) if p.calendar else p
        for p in policy.priorities
    )
    metrics = tuple(
        m.model_copy(update={"calendar": calendar_as_of(m.calendar, day)}) if m.calendar else m
        for m in policy.metrics
    )
    return policy.model_copy(
        update={
            "calendar": calendar_as_of(policy.calendar, day),
            "priorities": priorities,
            "metrics": metrics,
        }
    )
