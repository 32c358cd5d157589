"""Scheduling helpers for alerting jobs: when does a ticket's status next change?

An alerting job should not poll. :func:`next_change` tells it the first instant after
``now`` at which the ticket's state or escalation level will differ, assuming nothing else
happens (no new pause, no resolution, no priority change). Every such instant is a business
moment: the clock only moves while the desk is open, so nothing is scheduled at night.

:func:`next_metric_change` asks the same of ticket histories: the first instant at which
any metric row of any ticket changes. Both apply one rule (:func:`_next_us`) to a ticket
clock: the clock stops at each warning share (``warn_at``; the state is ``at_risk`` from the
first), one microsecond past the target (breached) and past each escalation threshold.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ._clock import TicketClock, level_of, state_of, ticket_clock
from .metric_status import histories, row_clocks
from .status import STATES, State

if TYPE_CHECKING:
    from .history import Event
    from .policy import SlaPolicy
    from .ticket import Ticket

__all__ = ["MetricChange", "StateChange", "next_change", "next_metric_change"]


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
    rules = policy.in_force(ticket.opened_at, now).clock_rules
    cal = rules.calendar
    tc = ticket_clock(rules, ticket, cal.to_us(now), now)
    found = _next_us(tc)
    if found is None:
        return None
    at, state, level = found
    return StateChange(
        at=cal.from_us(at),
        state=STATES[state],
        escalation_level=level,
        escalation=rules.level_names[level - 1] if level else None,
    )


def _next_us(tc: TicketClock) -> tuple[int, int, int] | None:
    """The next change of a running clock: its instant, state code and level, or ``None``.

    The one rule of :func:`next_change` and :func:`next_metric_change`: the clock stops at
    every warning notice, one microsecond past the target (breached) and one microsecond
    past each escalation threshold (``used > threshold``).
    """
    clock = tc.clock
    if tc.resolved or clock.paused:
        return None
    used = clock.used()
    notices = tc.notices or (tc.warning,)
    amounts = [*notices, tc.target + 1, *(threshold + 1 for threshold in tc.thresholds)]
    pending = [amount for amount in amounts if amount > used]
    if not pending:
        return None
    amount = min(pending)
    return clock.reach(amount), state_of(tc, amount, paused=False), level_of(tc, amount)


@dataclass(frozen=True, slots=True)
class MetricChange:
    """A future change of one metric row of a ticket history.

    Attributes:
        ticket: the ticket's id.
        metric: the metric's name (``resolution``, ``first_response``).
        cycle: the row's cycle (1, or the resolution cycle with ``on_reopen = "restart"``).
        priority: the row's priority.
        at: the first instant at which the new status holds.
        state: the row's state from ``at`` on.
        escalation_level: the row's escalation level from ``at`` on (0: none).
        escalation: the name of that level, or ``None``.
    """

    ticket: str
    metric: str
    cycle: int
    priority: str
    at: datetime
    state: State
    escalation_level: int
    escalation: str | None


def next_metric_change(
    policy: SlaPolicy, events: Iterable[Event | Mapping[str, Any]], now: datetime
) -> MetricChange | None:
    """Return the earliest change after ``now`` of any metric row of any ticket in ``events``.

    The rows are those of :func:`~sla_clock.metric_statuses` at ``now``; each row changes
    as :func:`next_change` says of a ticket (warning notices, the breach one microsecond
    past ``breach_at``, escalation levels), assuming no further event. Stopped and paused
    rows do not change. On a tie, the first row in row order wins.

    Raises:
        pydantic.ValidationError: an event is malformed.
        TicketError: a history breaks a rule.

    >>> from zoneinfo import ZoneInfo
    >>> from sla_clock.policy import SlaPolicy
    >>> sp = ZoneInfo("America/Sao_Paulo")
    >>> events = [{"ticket": "T-1", "at": datetime(2026, 11, 23, 14, tzinfo=sp),
    ...            "event": "opened", "priority": "P0"}]
    >>> now = datetime(2026, 11, 23, 14, tzinfo=sp)
    >>> change = next_metric_change(SlaPolicy.default(), events, now)
    >>> change.ticket, change.metric, change.at.strftime("%a %H:%M"), change.state
    ('T-1', 'resolution', 'Mon 17:00', 'at_risk')
    """
    now_us = policy.calendar.to_us(now)
    best: tuple[int, MetricChange] | None = None
    for history in histories(policy, events, now_us):
        for row in row_clocks(policy, history, now_us):
            found = _next_us(row.clock)
            if found is None or (best is not None and found[0] >= best[0]):
                continue
            at, state, level = found
            names = row.rules.level_names
            change = MetricChange(
                ticket=row.ticket,
                metric=row.metric,
                cycle=row.cycle,
                priority=row.clock.priority,
                at=row.rules.calendar.from_us(at),
                state=STATES[state],
                escalation_level=level,
                escalation=names[level - 1] if level else None,
            )
            best = (at, change)
    return None if best is None else best[1]
