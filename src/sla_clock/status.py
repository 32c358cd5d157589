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

from bisect import bisect_left
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from ._clock import SlaClock
from ._zone import NAT
from .errors import TicketError
from .ticket import clip_pauses, life_problem, pause_problem

if TYPE_CHECKING:
    from .policy import SlaPolicy
    from .ticket import Ticket

__all__ = [
    "RawStatus",
    "SlaStatus",
    "State",
    "TicketClock",
    "clock_us",
    "compute_status",
    "raw_status",
    "ticket_clock",
]

State = Literal["running", "at_risk", "paused", "breached", "met", "missed"]

#: Order in which an open, unpaused ticket moves through the states.
_timedelta = timedelta

STATE_ORDER: dict[State, int] = {"running": 0, "at_risk": 1, "breached": 2}


def seconds(value: timedelta) -> int | float:
    """Return a duration in seconds: an int when whole, else a float to the microsecond.

    >>> seconds(timedelta(hours=1)), seconds(timedelta(microseconds=-1500))
    (3600, -0.0015)
    """
    us = value.days * 86_400_000_000 + value.seconds * 1_000_000 + value.microseconds
    whole, rest = divmod(us, 1_000_000)
    return whole if rest == 0 else us / 1_000_000


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
            "target_seconds": seconds(self.target),
            "used_seconds": seconds(self.used),
            "remaining_seconds": seconds(self.remaining),
            "share_used": round(self.share_used, 6),
            "escalation_level": self.escalation_level,
            "escalation": self.escalation,
            "paused": self.paused,
            "resolved_at": self.resolved_at.isoformat() if self.resolved_at else None,
        }


class TicketClock(NamedTuple):
    """The clock of a ticket as of an instant, with its thresholds, in microseconds.

    ``clipped`` counts the pauses that reached outside the ticket's life and were clipped.
    """

    clock: SlaClock
    priority: str
    target: int
    warning: int
    thresholds: tuple[int, ...]
    until: int
    resolved: bool
    clipped: int


#: Returns how a ticket's times are shown in an error message (``opened``, ``now``...).
ShownTimes = Callable[[], Mapping[str, str]]


def clock_us(
    policy: SlaPolicy,
    opened_us: int,
    priority: str,
    now_us: int,
    *,
    resolved_us: int | None = None,
    pauses_us: Sequence[tuple[int, int | None]] = (),
    changes_us: Sequence[tuple[int, str]] = (),
    shown: ShownTimes | None = None,
) -> TicketClock:
    """Build a ticket's clock as known at ``now_us``, all instants in epoch microseconds.

    The ticket rules of :mod:`sla_clock.ticket` apply: the life rules, the pause rule, and
    the clipping of pauses to the ticket's life.

    Args:
        policy: the policy (targets, ladder, calendar).
        opened_us: the opening.
        priority: the priority code at the opening.
        now_us: the instant of the status.
        resolved_us: the resolution, or ``None`` while open.
        pauses_us: ``(start, end)`` pairs, ``end`` ``None`` while going on.
        changes_us: ``(instant, code)`` priority changes.
        shown: how to show the ticket's times in an error message; by default they are
            written in ISO 8601 in the calendar's zone.

    Raises:
        TicketError: the ticket breaks a rule (``now`` before the opening, a resolution
            before it, a pause ending before it starts).
        UnknownPriorityError: the priority or one of the changes is a code the policy lacks.
    """
    resolved_or_nat = NAT if resolved_us is None else resolved_us
    broken = life_problem(opened_us, resolved_or_nat, now_us)
    if broken is not None:
        times = shown() if shown is not None else _shown_us(policy, opened_us, resolved_us, now_us)
        raise TicketError(broken.describe(times))
    for pause in pauses_us:
        problem = pause_problem(*pause)
        if problem is not None:
            raise TicketError(problem.format(pause=_pause_shown(policy, pause)))
    resolved = resolved_us is not None and resolved_us <= now_us
    until = resolved_us if resolved and resolved_us is not None else now_us
    start = opened_us
    rule = policy.clock_rule(priority)
    for at, code in sorted(changes_us, key=_instant):  # stable: same-instant changes keep order
        new_rule = policy.clock_rule(code)
        if at <= until:
            rule = new_rule
            if policy.priority_change == "restart":
                start = max(start, at)
    pauses, paused, clipped = clip_pauses(pauses_us, opened_us, until, resolved=resolved)
    clock = SlaClock(policy.calendar, start, until, pauses, paused=paused)
    return TicketClock(
        clock, rule.code, rule.target, rule.warning, rule.thresholds, until, resolved, clipped
    )


def _shown_us(
    policy: SlaPolicy, opened_us: int, resolved_us: int | None, now_us: int
) -> dict[str, str]:
    """The ticket's times in ISO 8601 in the calendar's zone, for an error message."""
    iso = policy.calendar.from_us
    return {
        "opened": iso(opened_us).isoformat() if opened_us != NAT else "(none)",
        "resolved": iso(resolved_us).isoformat() if resolved_us not in (None, NAT) else "",
        "now": iso(now_us).isoformat(),
    }


def _pause_shown(policy: SlaPolicy, pause: tuple[int, int | None]) -> str:
    iso = policy.calendar.from_us
    start, end = pause
    shown_end = "ongoing" if end is None or end == NAT else iso(end).isoformat()
    return f"{iso(start).isoformat()} .. {shown_end}"


def ticket_clock(
    policy: SlaPolicy, ticket: Ticket, now_us: int, now: datetime | None = None
) -> TicketClock:
    """Build the clock of ``ticket`` as known at ``now_us`` (epoch microseconds).

    ``now`` is the same instant as given by the caller, to show it in an error message.

    Raises:
        TicketError: ``now`` is before the ticket opened.
        UnknownPriorityError: the ticket or one of its changes uses a code the policy lacks.
    """
    to_us = policy.calendar.to_us

    def shown() -> dict[str, str]:
        when = now if now is not None else policy.calendar.from_us(now_us)
        return {
            "opened": ticket.opened_at.isoformat(),
            "opened_field": "opened_at",
            "resolved": ticket.resolved_at.isoformat() if ticket.resolved_at else "",
            "resolved_field": "resolved_at",
            "now": when.isoformat(),
        }

    return clock_us(
        policy,
        to_us(ticket.opened_at),
        ticket.priority,
        now_us,
        resolved_us=None if ticket.resolved_at is None else to_us(ticket.resolved_at),
        pauses_us=[
            (to_us(p.start), None if p.end is None else to_us(p.end)) for p in ticket.pauses
        ],
        changes_us=[(to_us(c.at), c.priority) for c in ticket.priority_changes],
        shown=shown,
    )


def _instant(change: tuple[int, str]) -> int:
    return change[0]


class RawStatus(NamedTuple):
    """A status in integers (epoch and business microseconds), before any conversion."""

    state: State
    priority: str
    target: int
    due: int
    breach: int
    used: int
    level: int
    paused: bool


def raw_status(tc: TicketClock) -> RawStatus:
    """Evaluate a ticket clock: state, deadline, breach instant, time used, level."""
    clock = tc.clock
    used = clock.used()
    return RawStatus(
        state=state_of(tc, used, paused=clock.paused),
        priority=tc.priority,
        target=tc.target,
        due=clock.reach(tc.target),
        breach=clock.reach(tc.target + 1) - 1,
        used=used,
        level=level_of(tc, used),
        paused=clock.paused and not tc.resolved,
    )


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
    """Return how many escalation thresholds ``used`` has passed (they are ascending).

    A level is reached only once the ticket is late by its offset: ``used > target +
    offset``, strictly, so a ticket that used exactly its target (met) shows none.
    """
    return bisect_left(tc.thresholds, used)


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
    tc = ticket_clock(policy, ticket, now_us, now)
    raw = raw_status(tc)
    dt = cal.from_us
    return SlaStatus(
        state=raw.state,
        priority=raw.priority,
        target=_timedelta(0, 0, raw.target),
        as_of=now if now.tzinfo is cal.zone else dt(now_us),
        due_at=dt(raw.due),
        breach_at=dt(raw.breach),
        used=_timedelta(0, 0, raw.used),
        remaining=_timedelta(0, 0, raw.target - raw.used),
        share_used=raw.used / raw.target,
        escalation_level=raw.level,
        escalation=policy.escalation[raw.level - 1].name if raw.level else None,
        paused=raw.paused,
        resolved_at=dt(tc.until) if tc.resolved else None,
    )
