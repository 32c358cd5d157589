"""Scheduling helpers for alerting jobs: when does a ticket's status next change?

An alerting job should not poll. :func:`next_change` tells it the first instant after
``now`` at which the ticket's state or escalation level will differ, assuming nothing else
happens (no new pause, no resolution, no priority change). Every such instant is a business
moment: the clock only moves while the desk is open, so nothing is scheduled at night.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from ._clock import level_of, state_of, ticket_clock
from .status import STATES, State

if TYPE_CHECKING:
    from .policy import SlaPolicy
    from .ticket import Ticket

__all__ = ["StateChange", "next_change"]


@dataclass(frozen=True, slots=True)
class StateChange:
    """A future change of a ticket's status.

    Attributes:
        at: the first instant at which the new status holds.
        state: the state from ``at`` on.
        escalation_level: the escalation level from ``at`` on (0: none).
        escalation: the name of that level, or ``None``.
    """

    at: datetime
    state: State
    escalation_level: int
    escalation: str | None


def next_change(policy: SlaPolicy, ticket: Ticket, now: datetime) -> StateChange | None:
    """Return the next change of ``ticket``'s state or escalation level after ``now``.

    Returns ``None`` when nothing can change by the passing of time alone: the ticket is
    resolved, paused (the clock is stopped until the pause ends), or has reached its final
    state and last escalation level.

    A breach happens one microsecond after ``breach_at`` (at ``breach_at`` itself the
    ticket has used exactly its target, which is still on time), so the returned ``at`` for
    a breach is ``breach_at + 1 µs``: a job that wakes at ``at`` sees the new state. An
    escalation level is likewise reached one microsecond after the clock has counted the
    target plus the level's offset.

    Raises:
        TicketError: ``now`` is before the ticket opened.

    >>> from zoneinfo import ZoneInfo
    >>> from sla_clock.policy import SlaPolicy
    >>> from sla_clock.ticket import Ticket
    >>> sp = ZoneInfo("America/Sao_Paulo")
    >>> ticket = Ticket(opened_at=datetime(2026, 11, 23, 14, 0, tzinfo=sp), priority="P0")
    >>> change = next_change(SlaPolicy.default(), ticket, datetime(2026, 11, 23, 14, 0, tzinfo=sp))
    >>> change.at.strftime("%a %H:%M"), change.state
    ('Mon 17:00', 'at_risk')
    """
    rules = policy.clock_rules
    cal = rules.calendar
    now_us = cal.to_us(now)
    tc = ticket_clock(rules, ticket, now_us, now)
    clock = tc.clock
    if tc.resolved or clock.paused:
        return None
    used = clock.used()
    # The state turns at_risk on reaching the warning share, breached one microsecond past
    # the target; a level is reached one microsecond past its threshold (used > threshold).
    amounts = [tc.warning, tc.target + 1, *(threshold + 1 for threshold in tc.thresholds)]
    pending = [amount for amount in amounts if amount > used]
    if not pending:
        return None
    amount = min(pending)
    at = clock.reach(amount)
    level = level_of(tc, amount)
    return StateChange(
        at=cal.from_us(at),
        state=STATES[state_of(tc, amount, paused=False)],
        escalation_level=level,
        escalation=rules.level_names[level - 1] if level else None,
    )
