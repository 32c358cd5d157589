"""The SLA status of a ticket at an instant: state, deadline, breach instant, time used.

Rules (``DESIGN.md``, "SLA status of a ticket"):

- ``used`` is the business time from the opening (or, with ``restart``, from the last
  priority change) to ``now`` or to the resolution, minus the business time inside pauses.
- ``due_at`` is when ``used`` reaches the target; ``breach_at`` the last instant at which it
  has not passed it (the next business moment after ``due_at``): any instant after
  ``breach_at`` is late. A P0 opened Monday 14:00 is due Monday 18:00 and breached only
  after Tuesday 09:00.
- States: ``met``/``missed`` once resolved (met if ``used <= target``); otherwise
  ``breached`` if ``used > target``, ``paused`` during a pause, ``at_risk`` from the warning
  share on, else ``running``.
- The status at ``now`` only uses what is known at ``now``: pauses, priority changes and a
  resolution after ``now`` are ignored; a pause going on at ``now`` is projected as if it
  ended at ``now``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from ._clock import SlaClock

if TYPE_CHECKING:
    from .policy import SlaPolicy
    from .ticket import PriorityChange, Ticket

__all__ = ["SlaStatus", "State", "TicketClock", "compute_status", "ticket_clock"]

State = Literal["running", "at_risk", "paused", "breached", "met", "missed"]

#: Order in which an open, unpaused ticket moves through the states.
_timedelta = timedelta

STATE_ORDER: dict[State, int] = {"running": 0, "at_risk": 1, "breached": 2}


@dataclass(frozen=True, slots=True)
class SlaStatus:
    """Where a ticket stands against its SLA at an instant.

    Attributes:
        state: ``running``, ``at_risk``, ``paused``, ``breached``, ``met`` or ``missed``.
        priority: the priority code in force.
        target: the business time allowed.
        as_of: the instant of the status (``now``).
        due_at: when ``used`` reaches ``target`` (a projection while paused or running).
        breach_at: the last on-time instant; any instant after it is a breach.
        used: business time used, pauses excluded.
        remaining: ``target - used``; negative when late.
        share_used: ``used / target``.
        escalation_level: how many escalation levels are reached (0: none).
        escalation: the name of the highest level reached, or ``None``.
        paused: whether a pause is going on at ``as_of``.
        resolved_at: the resolution instant when the ticket is resolved at ``as_of``.
    """

    state: State
    priority: str
    target: timedelta
    as_of: datetime
    due_at: datetime
    breach_at: datetime
    used: timedelta
    remaining: timedelta
    share_used: float
    escalation_level: int
    escalation: str | None
    paused: bool
    resolved_at: datetime | None

    @property
    def is_late(self) -> bool:
        """True when the state is ``breached`` or ``missed``."""
        return self.state in ("breached", "missed")

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (ISO 8601 times, seconds as numbers)."""
        return {
            "state": self.state,
            "priority": self.priority,
            "as_of": self.as_of.isoformat(),
            "due_at": self.due_at.isoformat(),
            "breach_at": self.breach_at.isoformat(),
            "target_seconds": self.target.total_seconds(),
            "used_seconds": self.used.total_seconds(),
            "remaining_seconds": self.remaining.total_seconds(),
            "share_used": round(self.share_used, 6),
            "escalation_level": self.escalation_level,
            "escalation": self.escalation,
            "paused": self.paused,
            "resolved_at": self.resolved_at.isoformat() if self.resolved_at else None,
        }


class TicketClock(NamedTuple):
    """The clock of a ticket as of an instant, with its thresholds, in microseconds."""

    clock: SlaClock
    priority: str
    target: int
    warning: int
    thresholds: tuple[int, ...]
    until: int
    resolved: bool


def ticket_clock(policy: SlaPolicy, ticket: Ticket, now_us: int) -> TicketClock:
    """Build the clock of ``ticket`` as known at ``now_us`` (epoch microseconds).

    Raises:
        UnknownPriorityError: the ticket or one of its changes uses a code the policy lacks.
    """
    cal = policy.calendar
    to_us = cal.to_us
    resolved_at = ticket.resolved_at
    resolved = False
    until = now_us
    if resolved_at is not None:
        resolved_us = to_us(resolved_at)
        if resolved_us <= now_us:
            resolved, until = True, resolved_us
    start = to_us(ticket.opened_at)
    rule = policy.clock_rule(ticket.priority)
    if ticket.priority_changes:
        for change in sorted(ticket.priority_changes, key=_change_key):
            new_rule = policy.clock_rule(change.priority)
            at = to_us(change.at)
            if at <= until:
                rule = new_rule
                if policy.priority_change == "restart":
                    start = max(start, at)
    pauses = [(to_us(p.start), None if p.end is None else to_us(p.end)) for p in ticket.pauses]
    clock = SlaClock(cal, start, until, pauses)
    return TicketClock(
        clock, rule.code, rule.target, rule.warning, rule.thresholds, until, resolved
    )


def _change_key(change: PriorityChange) -> datetime:
    return change.at


def state_of(tc: TicketClock, used: int, *, paused: bool) -> State:
    """Return the state for ``used`` business microseconds under the clock's thresholds."""
    if tc.resolved:
        return "met" if used <= tc.target else "missed"
    if used > tc.target:
        return "breached"
    if paused:
        return "paused"
    if used >= tc.warning:
        return "at_risk"
    return "running"


def level_of(tc: TicketClock, used: int) -> int:
    """Return how many escalation thresholds ``used`` has reached."""
    return sum(1 for threshold in tc.thresholds if used >= threshold)


def compute_status(policy: SlaPolicy, ticket: Ticket, now: datetime) -> SlaStatus:
    """Return the :class:`SlaStatus` of ``ticket`` at ``now`` (see :meth:`SlaPolicy.status`).

    >>> from zoneinfo import ZoneInfo
    >>> from sla_clock.policy import SlaPolicy
    >>> from sla_clock.ticket import Ticket
    >>> sp = ZoneInfo("America/Sao_Paulo")
    >>> ticket = Ticket(opened_at=datetime(2026, 11, 23, 14, 0, tzinfo=sp), priority="P0")
    >>> now = datetime(2026, 11, 23, 18, 30, tzinfo=sp)
    >>> status = compute_status(SlaPolicy.default(), ticket, now)
    >>> status.state, status.due_at.strftime("%a %H:%M"), status.breach_at.strftime("%a %H:%M")
    ('at_risk', 'Mon 18:00', 'Tue 09:00')
    """
    cal = policy.calendar
    now_us = cal.to_us(now)
    tc = ticket_clock(policy, ticket, now_us)
    clock = tc.clock
    used = clock.used()
    due = clock.reach(tc.target)
    breach = clock.reach(tc.target + 1) - 1
    level = level_of(tc, used)
    dt = cal.from_us
    return SlaStatus(
        state=state_of(tc, used, paused=clock.paused),
        priority=tc.priority,
        target=_timedelta(0, 0, tc.target),
        as_of=dt(now_us),
        due_at=dt(due),
        breach_at=dt(breach),
        used=_timedelta(0, 0, used),
        remaining=_timedelta(0, 0, tc.target - used),
        share_used=used / tc.target,
        escalation_level=level,
        escalation=policy.escalation[level - 1].name if level else None,
        paused=clock.paused and not tc.resolved,
        resolved_at=dt(tc.until) if tc.resolved else None,
    )
