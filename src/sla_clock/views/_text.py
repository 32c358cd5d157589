"""Human summaries: the text ``sla-clock status`` and ``due --explain`` print for people.

Every word and date format comes from :mod:`sla_clock.views._words`, so a summary is English or
Portuguese by one argument; machine output (JSON) is built here too for ``--explain``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from ..calendar import BusinessCalendar
from ..explain import DayConsumption
from ..policy import Priority, SlaPolicy
from ..status import SlaStatus
from ..ticket import Ticket
from ._formats import (
    format_clock,
    format_date,
    format_datetime,
    format_duration,
    format_share,
    format_target,
    seconds,
)
from ._rules_text import rules_line, since_text, versioned, zones_text
from ._words import WEEKDAYS, Language, escalation_name, priority_name, state_name, text

__all__ = ["day_dict", "explanation_text", "labelled", "status_text"]


def labelled(rows: Sequence[tuple[str, str]]) -> str:
    """Return ``label: value`` lines with the values aligned.

    >>> print(labelled([("state", "running"), ("due", "Mon 18:00")]))
    state: running
    due:   Mon 18:00
    """
    width = max(len(label) for label, _ in rows) + 1
    return "\n".join(f"{label + ':':<{width}} {value}" for label, value in rows)


def rules_text(calendar: BusinessCalendar, day: DayConsumption, lang: Language) -> str:
    """Which calendar rules counted ``day``: the calendar's own, or a version from a date."""
    return since_text(_counted_from(calendar, day), "rules_own", lang)


def _counted_from(calendar: BusinessCalendar, day: DayConsumption) -> date:
    """The start of the calendar version that counted ``day``.

    The version in force at its first open instant (a desk that moves counts by instant).
    """
    if not day.periods:
        return calendar.version_on(day.day).start
    return calendar.version_at(day.periods[0][0]).start


def day_dict(day: DayConsumption, calendar: BusinessCalendar | None = None) -> dict[str, Any]:
    """Return one day of ``due --explain --json``.

    With a versioned ``calendar``, ``rules_from`` names the version that counted the day
    (``null``: the calendar's own).
    """
    found: dict[str, Any] = {
        "date": day.day.isoformat(),
        "periods": [{"start": a.isoformat(), "end": b.isoformat()} for a, b in day.periods],
        "consumed_seconds": seconds(day.consumed),
        "total_seconds": seconds(day.total),
    }
    if calendar is not None and calendar.versions:
        start = _counted_from(calendar, day)
        found["rules_from"] = None if start == date.min else start.isoformat()
    return found


def _period_text(day: DayConsumption, start: datetime, end: datetime) -> str:
    """Return an open period of ``day`` as ``09:00-18:00`` (an end at the next midnight: 24:00)."""
    closes = "24:00" if end.date() > day.day else format_clock(end)
    return f"{format_clock(start)}-{closes}"


def explanation_text(
    priority: Priority,
    opened: datetime,
    due: datetime,
    days: Sequence[DayConsumption],
    calendar: BusinessCalendar,
    lang: Language,
    *,
    versions_line: str | None = None,
) -> str:
    """Return the day-by-day table of ``due --explain`` in ``lang``, ending with the deadline.

    ``versions_line`` (a policy with versions) names the versions counted.
    """
    lines = [
        f"{priority.code} {priority_name(priority, lang)}, "
        f"{text('opened', lang)} {format_datetime(opened, lang)}, "
        f"{text('target', lang)} {format_target(priority, lang)}"
    ]
    if versions_line is not None:
        lines.append(f"{text('rules', lang)}: {versions_line}")
    header = (text("day", lang), text("periods", lang), text("that_day", lang), text("total", lang))
    rows = [
        (
            format_date(day.day, lang),
            ", ".join(_period_text(day, a, b) for a, b in day.periods),
            format_duration(day.consumed),
            format_duration(day.total),
        )
        for day in days
    ]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    rules = [""] + [rules_text(calendar, day, lang) for day in days]
    if not calendar.versions:
        rules = [""] * len(rules)  # (one set of rules: nothing to say)
    elif rules[1:]:
        rules[0] = text("rules", lang)
    for row, used in zip((header, *rows), rules, strict=True):
        left = [cell.ljust(width) for cell, width in zip(row[:2], widths[:2], strict=True)]
        right = [cell.rjust(width) for cell, width in zip(row[2:], widths[2:], strict=True)]
        lines.append("  ".join([*left, *right, used]).rstrip())
    footer = [
        (text("due", lang), format_datetime(due, lang)),
        (text("timezone", lang), zones_text(calendar, [opened, due], lang)),
    ]
    return "\n".join([*lines, labelled(footer)])


def status_text(status: SlaStatus, ticket: Ticket, policy: SlaPolicy, lang: Language) -> str:
    """Return the human summary of ``status`` in ``lang``.

    With dated versions, a ``rules`` line names the policy and calendar versions counted.
    """
    named = versioned(policy)
    until = status.as_of if status.resolved_at is None else min(status.resolved_at, status.as_of)
    rules = rules_line(policy, ticket.opened_at, status.as_of, until, lang)
    policy = policy.in_force(ticket.opened_at, status.as_of)
    priority = policy.priority(status.priority)
    of = text("of", lang)
    rows = [
        (text("state", lang), state_name(status.state, lang)),
        (text("priority", lang), f"{priority.code} {priority_name(priority, lang)}"),
        (text("opened", lang), format_datetime(ticket.opened_at, lang)),
        (text("as_of", lang), format_datetime(status.as_of, lang)),
        (text("due", lang), format_datetime(status.due_at, lang)),
        (text("breach_at", lang), _breach_text(status, policy, lang)),
        (
            text("used", lang),
            f"{format_duration(status.used)} {of} {format_duration(status.target)} "
            f"({format_share(status.share_used, lang)})",
        ),
        (text("remaining", lang), format_duration(status.remaining)),
        (text("escalation", lang), _escalation_text(status, policy, lang)),
        (text("paused", lang), text("yes" if status.paused else "no", lang)),
    ]
    if status.resolved_at is not None:
        rows.append((text("resolved", lang), format_datetime(status.resolved_at, lang)))
    shown = [ticket.opened_at, status.as_of, status.due_at, status.resolved_at]
    rows.append((text("timezone", lang), zones_text(policy.calendar, shown, lang)))
    if named:
        rows.append((text("rules", lang), rules))
    return labelled(rows)


def _breach_text(status: SlaStatus, policy: SlaPolicy, lang: Language) -> str:
    """Return ``breach_at``, with why it comes after ``due_at`` when it does.

    ``breach_at`` is the last instant before ``used`` passes the target. When ``due_at`` is
    at a closing time (or the start of a pause), no business time passes until the desk opens
    again (or the pause ends), so the ticket turns late only then: the note says so, e.g.
    ``(the clock stops from Mon 18:00 until then: the desk is closed)``.
    """
    calendar = policy.calendar
    shown = format_datetime(status.breach_at, lang)
    due_us, breach_us = calendar.to_us(status.due_at), calendar.to_us(status.breach_at)
    if breach_us == due_us:
        return shown
    # Every open instant between them is paused (or the clock would count it): the desk's
    # open time there tells which of the two stops the clock.
    counted = calendar.elapsed(status.due_at, status.breach_at) // timedelta(microseconds=1)
    if counted == 0:
        reason = text("stopped_closed", lang)
    elif counted == breach_us - due_us:
        reason = text("stopped_paused", lang)
    else:
        reason = text("stopped_both", lang)
    due = status.due_at
    stop = f"{WEEKDAYS[lang][due.weekday()]} {format_clock(due)}"
    return f"{shown} {text('clock_stopped', lang).format(stop=stop, reason=reason)}"


def _escalation_text(status: SlaStatus, policy: SlaPolicy, lang: Language) -> str:
    """Return the escalation reached, e.g. ``team leaders (level 1 of 3)``."""
    levels = len(policy.escalation)
    if not levels:
        return text("none", lang)
    level = status.escalation_level
    name = escalation_name(policy.escalation[level - 1], lang) if level else text("none", lang)
    reached = f"{text('level', lang)} {level} {text('of', lang)} {levels}"
    return f"{name} ({reached})"
