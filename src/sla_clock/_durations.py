"""Business durations: the bound every target and escalation offset obeys.

Policies (:mod:`sla_clock.policy`) and policy files (:mod:`sla_clock.config`) check their
durations with :func:`check_business_time`, so the bound is one rule in one place.
"""

from __future__ import annotations

from datetime import timedelta

__all__ = ["MAX_BUSINESS_DAYS", "MAX_BUSINESS_HOURS", "check_business_time", "check_day_target"]

#: The largest target or escalation offset, in business hours: about 44 years of a
#: 9-hour weekday desk, far beyond any real SLA, yet small enough that every deadline is
#: computed in well under a second (see ``docs/design.md``).
MAX_BUSINESS_HOURS = 100_000
_MAX_BUSINESS_TIME = timedelta(hours=MAX_BUSINESS_HOURS)


def check_business_time(value: timedelta, what: str) -> timedelta:
    """Return ``value`` if it is at most :data:`MAX_BUSINESS_HOURS` long either way.

    Raises:
        ValueError: it is longer; the message names ``what`` and the bound.

    >>> check_business_time(timedelta(hours=40), "target")
    datetime.timedelta(days=1, seconds=57600)
    """
    if abs(value) > _MAX_BUSINESS_TIME:
        hours = abs(value) / timedelta(hours=1)
        msg = (
            f"{what} {value} is {hours:,.0f} business hours, more than the "
            f"{MAX_BUSINESS_HOURS:,} that sla-clock accepts (about 44 years of a 9-hour "
            f"weekday desk); check the value, e.g. {what} = 'PT40H' for 40 business hours"
        )
        raise ValueError(msg)
    return value


#: The largest target in business days: about 40 years of a weekday desk.
MAX_BUSINESS_DAYS = 10_000


def check_day_target(code: str, days: int | None, *, end_of_day: bool) -> None:
    """Refuse a day target that cannot mean anything.

    That is ``end_of_day`` without days, or 0 days at the same wall time (a deadline at the
    clock's start).

    Raises:
        ValueError: the message says what to write instead.

    >>> check_day_target("P2", 5, end_of_day=False)
    """
    if days is None and end_of_day:
        msg = (
            f"priority {code!r}: end_of_day applies to a target in business days; give "
            "target_business_days too, or remove end_of_day"
        )
        raise ValueError(msg)
    if days == 0 and not end_of_day:
        msg = (
            f"priority {code!r}: target_business_days = 0 at the same wall time is a deadline "
            "at the clock's start; write end_of_day = true for 'by the end of the day', or a "
            "positive number of days"
        )
        raise ValueError(msg)
