"""Which rules a count used: the policy version and the calendar versions, for people and JSON.

Only a policy or calendar with dated versions has anything to say; ``status``, ``due
--explain`` and their ``--json`` add these lines and keys then (see ``docs/versions.md``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from ..calendar import BusinessCalendar
from ..policy import SlaPolicy
from ._formats import format_date
from ._words import Language, TextKey, text

__all__ = ["calendar_starts", "rules_dict", "rules_line", "since_text", "versioned", "zones_text"]


def versioned(policy: SlaPolicy) -> bool:
    """Whether the policy or its calendar has dated versions (then the rules are named)."""
    return bool(policy.versions or policy.calendar.versions)


def calendar_starts(calendar: BusinessCalendar, first: date, last: date) -> list[date | None]:
    """The starts of the calendar versions in force from ``first`` to ``last`` (None: own).

    >>> saturdays = {"sat": "09:00-12:00"}
    >>> cal = BusinessCalendar.default().with_version(date(2027, 3, 1), hours=saturdays)
    >>> calendar_starts(cal, date(2027, 2, 26), date(2027, 3, 2))
    [None, datetime.date(2027, 3, 1)]
    """
    opening = calendar.version_on(first).start
    found: list[date | None] = [None if opening == date.min else opening]
    found += sorted(v.start for v in calendar.versions if first < v.start <= last)
    return found


def zones_text(calendar: BusinessCalendar, times: Sequence[datetime | None], lang: Language) -> str:
    """The zone of the ``times`` shown, in order: on a desk a version moves, each in force.

    >>> moved = BusinessCalendar.default().with_version(date(2027, 3, 1), timezone="Europe/Lisbon")
    >>> times = [moved.localize(datetime(2027, m, d, 12)) for m, d in ((2, 26), (3, 2))]
    >>> zones_text(moved, times, "pt"), zones_text(moved, times[:1], "en")
    ('America/Sao_Paulo depois Europe/Lisbon', 'America/Sao_Paulo')
    """
    shown = sorted((t for t in times if t is not None), key=calendar.to_us)  # (instants, not walls)
    found = [calendar.timezone_at(t) for t in shown]
    return f" {text('then', lang)} ".join(dict.fromkeys(found) or [calendar.timezone])


def since_text(start: date | None, own: TextKey, lang: Language) -> str:
    """The words for rules in force from ``start``, or ``own`` (``None``, ``date.min``).

    >>> since_text(date(2027, 3, 1), "rules_own", "pt"), since_text(None, "policy_own", "en")
    ('a partir de seg 01/03/2027', "the policy's own")
    """
    if start is None or start == date.min:
        return text(own, lang)
    return f"{text('rules_from', lang)} {format_date(start, lang)}"


def _starts(
    policy: SlaPolicy, opened: datetime, now: datetime, until: datetime
) -> tuple[date | None, list[date | None]]:
    """The policy version's start, and the calendar versions' from ``opened`` to ``until``."""
    zone = policy.calendar.zone
    first, last = opened.astimezone(zone).date(), until.astimezone(zone).date()
    return policy.version_since(opened, now), calendar_starts(policy.calendar, first, last)


def rules_line(
    policy: SlaPolicy, opened: datetime, now: datetime, until: datetime, lang: Language
) -> str:
    """``policy: from 01/01/2027; calendar: the calendar's own, from 01/03/2027``.

    The policy version the ticket counts under, and the calendar versions of the dates from
    its opening to ``until`` (its resolution, or ``now``).
    """
    since, days = _starts(policy, opened, now, until)
    calendar = ", ".join(since_text(d, "rules_own", lang) for d in days)
    return (
        f"{text('policy', lang)}: {since_text(since, 'policy_own', lang)}; "
        f"{text('calendar', lang)}: {calendar}"
    )


def rules_dict(
    policy: SlaPolicy, opened: datetime, now: datetime, until: datetime
) -> dict[str, Any]:
    """The ``rules`` key of ``--json``: ``{"policy_from": ..., "calendar_from": [...]}``.

    A date is ISO 8601; ``null`` is the policy's or calendar's own rules.
    """
    since, days = _starts(policy, opened, now, until)
    return {
        "policy_from": None if since is None else since.isoformat(),
        "calendar_from": [None if d is None else d.isoformat() for d in days],
    }
