"""Human summaries: the text ``sla-clock status`` and ``due --explain`` print for people.

Every word and date format comes from :mod:`sla_clock.i18n`, so a summary is English or
Portuguese by one argument; machine output (JSON) is built here too for ``--explain``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ._parsing import format_duration
from .calendar import BusinessCalendar
from .explain import DayConsumption
from .i18n import (
    Language,
    escalation_name,
    format_clock,
    format_date,
    format_datetime,
    format_share,
    priority_name,
    state_name,
    text,
)
from .policy import Priority, SlaPolicy
from .status import SlaStatus, seconds
from .ticket import Ticket

__all__ = ["day_dict", "explanation_text", "labelled", "status_text"]


def labelled(rows: Sequence[tuple[str, str]]) -> str:
    """Return ``label: value`` lines with the values aligned.

    >>> print(labelled([("state", "running"), ("due", "Mon 18:00")]))
    state: running
    due:   Mon 18:00
    """
    width = max(len(label) for label, _ in rows) + 1
    return "\n".join(f"{label + ':':<{width}} {value}" for label, value in rows)


def day_dict(day: DayConsumption) -> dict[str, Any]:
    """Return one day of ``due --explain --json``."""
    return {
        "date": day.day.isoformat(),
        "periods": [{"start": a.isoformat(), "end": b.isoformat()} for a, b in day.periods],
        "consumed_seconds": seconds(day.consumed),
        "total_seconds": seconds(day.total),
    }


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
) -> str:
    """Return the day-by-day table of ``due --explain`` in ``lang``, ending with the deadline."""
    lines = [
        f"{priority.code} {priority_name(priority, lang)}, "
        f"{text('opened', lang)} {format_datetime(opened, lang)}, "
        f"{text('target', lang)} {format_duration(priority.target)}"
    ]
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
    for row in (header, *rows):
        left = [cell.ljust(width) for cell, width in zip(row[:2], widths[:2], strict=True)]
        right = [cell.rjust(width) for cell, width in zip(row[2:], widths[2:], strict=True)]
        lines.append("  ".join([*left, *right]).rstrip())
    footer = [
        (text("due", lang), format_datetime(due, lang)),
        (text("timezone", lang), calendar.timezone),
    ]
    return "\n".join([*lines, labelled(footer)])


def status_text(status: SlaStatus, ticket: Ticket, policy: SlaPolicy, lang: Language) -> str:
    """Return the human summary of ``status`` in ``lang``."""
    priority = policy.priority(status.priority)
    of = text("of", lang)
    rows = [
        (text("state", lang), state_name(status.state, lang)),
        (text("priority", lang), f"{priority.code} {priority_name(priority, lang)}"),
        (text("opened", lang), format_datetime(ticket.opened_at, lang)),
        (text("as_of", lang), format_datetime(status.as_of, lang)),
        (text("due", lang), format_datetime(status.due_at, lang)),
        (text("breach_at", lang), format_datetime(status.breach_at, lang)),
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
    rows.append((text("timezone", lang), policy.calendar.timezone))
    return labelled(rows)


def _escalation_text(status: SlaStatus, policy: SlaPolicy, lang: Language) -> str:
    """Return the escalation reached, e.g. ``team leaders (level 1 of 3)``."""
    levels = len(policy.escalation)
    if not levels:
        return text("none", lang)
    level = status.escalation_level
    name = escalation_name(policy.escalation[level - 1], lang) if level else text("none", lang)
    reached = f"{text('level', lang)} {level} {text('of', lang)} {levels}"
    return f"{name} ({reached})"
