"""What a ticket's timeline figure draws, computed once: its status, counted time and marks.

:func:`timeline_facts` computes, in one pass over the ticket's clock, everything
:mod:`sla_clock.views.figure` draws: the status (``due_at``, ``breach_at``...), the open
periods the clock counted, and the instant of each escalation level. The figure draws these
facts and computes nothing itself; ``sla-clock status --plot`` prints the same status it
draws. No matplotlib here, so the command line can use it before it knows whether it can
draw.

>>> from datetime import datetime
>>> from zoneinfo import ZoneInfo
>>> from sla_clock import SlaPolicy, Ticket
>>> sp = ZoneInfo("America/Sao_Paulo")
>>> ticket = Ticket(opened_at=datetime(2026, 11, 23, 14, 0, tzinfo=sp), priority="P0")
>>> facts = timeline_facts(SlaPolicy.default(), ticket, datetime(2026, 11, 24, 15, 0, tzinfo=sp))
>>> facts.status.state, [f"{a:%a %H:%M}-{b:%H:%M}" for a, b in facts.counted]
('breached', ['Mon 14:00-18:00', 'Tue 09:00-15:00'])
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from ..status import status_and_clock
from ._formats import format_clock
from ._words import WEEKDAYS, Language, escalation_name, text

if TYPE_CHECKING:
    from ..policy import SlaPolicy
    from ..status import SlaStatus
    from ..ticket import Ticket

__all__ = ["Mark", "TimelineFacts", "marks_of", "timeline_facts"]

Period = tuple[datetime, datetime]


@dataclass(frozen=True, slots=True)
class TimelineFacts:
    """Everything a timeline figure of one ticket draws, computed once.

    Attributes:
        policy: the policy (and its calendar) the ticket runs on.
        ticket: the ticket.
        status: its status at the instant of the figure.
        counted: the open periods its clock counted up to then (or to its resolution).
        escalations: for each escalation level, the last instant before it is reached
            (like ``breach_at``: the level is reached just after it).
    """

    policy: SlaPolicy
    ticket: Ticket
    status: SlaStatus
    counted: tuple[Period, ...]
    escalations: tuple[datetime, ...]


def timeline_facts(policy: SlaPolicy, ticket: Ticket, now: datetime) -> TimelineFacts:
    """Return what a figure of ``ticket`` at ``now`` draws: one status, one clock.

    Raises:
        NaiveDatetimeError: ``now`` has no timezone.
        TicketError: the ticket breaks a ticket rule (``now`` before its opening...).
        UnknownPriorityError: the ticket's priority is not in the policy.
    """
    policy = policy.in_force(ticket.opened_at, now)
    status, tc = status_and_clock(policy.clock_rules, ticket, now)
    calendar = policy.calendar
    clock = tc.clock
    windows = [*clock.windows]
    if clock.resume < clock.until:
        windows.append((clock.resume, clock.until))
    counted: list[Period] = []
    for start, end in windows:
        counted.extend(calendar.open_intervals(calendar.from_us(start), calendar.from_us(end)))
    escalations = tuple(
        calendar.from_us(clock.reach(threshold + 1) - 1) for threshold in tc.thresholds
    )
    return TimelineFacts(policy, ticket, status, tuple(counted), escalations)


@dataclass(frozen=True, slots=True)
class Mark:
    """An instant drawn as a vertical line on the timeline.

    Attributes:
        kind: ``opened``, ``now``, ``resolved``, ``due``, ``breach`` or ``escalation``.
        at: the instant, in the calendar's zone.
        label: the text drawn next to the line, e.g. ``due Mon 18:00``.
    """

    kind: str
    at: datetime
    label: str


def _short(at: datetime, lang: Language) -> str:
    return f"{WEEKDAYS[lang][at.weekday()]} {format_clock(at)}"


def marks_of(facts: TimelineFacts, *, lang: Language = "en") -> list[Mark]:
    """Return the instants a figure of ``facts`` marks, in time order.

    ``due_at`` and ``breach_at`` are the status's; escalation level ``k`` is marked at the
    last instant before the ticket's clock counts more than the target plus the level's
    offset (like ``breach_at``). On an open ticket every level is shown (a projection for
    those not reached yet); on a resolved one, only those reached before the resolution.
    """
    status, ticket, calendar = facts.status, facts.ticket, facts.policy.calendar
    marks = [
        Mark(
            "opened", ticket.opened_at, f"{text('opened', lang)} {_short(ticket.opened_at, lang)}"
        ),
        Mark("due", status.due_at, f"{text('due', lang)} {_short(status.due_at, lang)}"),
        Mark(
            "breach",
            status.breach_at,
            f"{text('breach_at', lang)} {_short(status.breach_at, lang)}",
        ),
    ]
    for level, at in zip(facts.policy.escalation, facts.escalations, strict=True):
        if status.resolved_at is None or calendar.to_us(at) <= calendar.to_us(status.resolved_at):
            name = escalation_name(level, lang)
            marks.append(Mark("escalation", at, f"{name} {_short(at, lang)}"))
    if status.resolved_at is not None:
        resolved = status.resolved_at
        marks.append(
            Mark("resolved", resolved, f"{text('resolved', lang)} {_short(resolved, lang)}")
        )
    else:  # a resolved ticket's status no longer changes: its "now" is not worth an axis
        marks.append(
            Mark("now", status.as_of, f"{text('as_of', lang)} {_short(status.as_of, lang)}")
        )
    order = {kind: i for i, kind in enumerate(("opened", "due", "escalation", "breach"))}
    return sorted(marks, key=lambda m: (calendar.to_us(m.at), order.get(m.kind, len(order))))
