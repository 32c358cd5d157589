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
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from ._clock import STATE_CODES, ClockRules, TicketClock, raw_status, ticket_clock
from ._zone import seconds

if TYPE_CHECKING:
    from .ticket import Ticket

#: Only what users need; the rest of this module serves the engine's other rooms.
__all__ = ["SlaStatus", "State"]

_timedelta = timedelta


class State(StrEnum):
    """Where a ticket stands against its SLA: running, at risk, paused, breached, met, missed.

    A string enumeration: a state equals its value (``status.state == "met"``), and prints,
    serialises and reads back as it (``repr`` too, so ``('met', ...)`` shows as it reads).

    >>> State("at_risk") is State.AT_RISK, State.MET == "met", repr(State.MISSED)
    (True, True, "'missed'")
    """

    RUNNING = "running"
    AT_RISK = "at_risk"
    PAUSED = "paused"
    BREACHED = "breached"
    MET = "met"
    MISSED = "missed"

    def __repr__(self) -> str:
        return repr(self.value)


#: The states in the order of their integer codes (``sla_clock._clock.STATE_CODES``).
STATES: tuple[State, ...] = tuple(State(code) for code in STATE_CODES)


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
        return self.state in (State.BREACHED, State.MISSED)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (ISO 8601 times, seconds as numbers)."""
        return {
            "state": self.state.value,
            "priority": self.priority,
            "as_of": self.as_of.isoformat(),
            "due_at": self.due_at.isoformat(),
            "breach_at": self.breach_at.isoformat(),
            "target_seconds": seconds(self.target),
            "used_seconds": seconds(self.used),
            "remaining_seconds": seconds(self.remaining),
            "share_used": round(self.share_used, 6),
            "escalation_level": self.escalation_level,
            "escalation": self.escalation,
            "paused": self.paused,
            "resolved_at": self.resolved_at.isoformat() if self.resolved_at else None,
        }


def status_and_clock(
    rules: ClockRules, ticket: Ticket, now: datetime
) -> tuple[SlaStatus, TicketClock]:
    """Return the status of ``ticket`` at ``now`` and the clock it was read from.

    A view that draws a ticket (its counted periods, its escalation instants) takes both,
    so nothing is computed twice.

    Raises:
        NaiveDatetimeError: ``now`` has no timezone.
        TicketError: the ticket breaks a ticket rule (``now`` before its opening...).
        UnknownPriorityError: the ticket uses a priority the rules do not know.
    """
    cal = rules.calendar
    now_us = cal.to_us(now)
    tc = ticket_clock(rules, ticket, now_us, now)
    raw = raw_status(tc)
    dt = cal.from_us
    status = SlaStatus(
        state=STATES[raw.state],
        priority=raw.priority,
        target=_timedelta(0, 0, raw.target),
        as_of=now if now.tzinfo is cal.zone else dt(now_us),
        due_at=dt(raw.due),
        breach_at=dt(raw.breach),
        used=_timedelta(0, 0, raw.used),
        remaining=_timedelta(0, 0, raw.target - raw.used),
        share_used=raw.used / raw.target,
        escalation_level=raw.level,
        escalation=rules.level_names[raw.level - 1] if raw.level else None,
        paused=raw.paused,
        resolved_at=dt(tc.until) if tc.resolved else None,
    )
    return status, tc


def status_of(rules: ClockRules, ticket: Ticket, now: datetime) -> SlaStatus:
    """Return the :class:`SlaStatus` of ``ticket`` at ``now`` (see :meth:`SlaPolicy.status`).

    ``rules`` is what the status needs of a policy (:attr:`SlaPolicy.clock_rules`).

    >>> from zoneinfo import ZoneInfo
    >>> from sla_clock import SlaPolicy, Ticket
    >>> sp = ZoneInfo("America/Sao_Paulo")
    >>> ticket = Ticket(opened_at=datetime(2026, 11, 23, 14, 0, tzinfo=sp), priority="P0")
    >>> now = datetime(2026, 11, 23, 18, 30, tzinfo=sp)
    >>> status = status_of(SlaPolicy.default().clock_rules, ticket, now)
    >>> status.state, status.due_at.strftime("%a %H:%M"), status.breach_at.strftime("%a %H:%M")
    ('at_risk', 'Mon 18:00', 'Tue 09:00')
    """
    return status_and_clock(rules, ticket, now)[0]
