"""The ticket clock: a ticket's business time, thresholds and state, in integer microseconds.

This is the integer engine under :meth:`SlaPolicy.status <sla_clock.SlaPolicy.status>`,
:func:`sla_clock.next_change`, the vectorised ``status_many_us`` and the timeline figure:

- :class:`~sla_clock._net_time.SlaClock`
  counts a calendar's open time from ``start`` to ``until`` except inside
  pauses, which come clipped to the ticket's life by :func:`sla_clock.ticket.clip_pauses`
  (the one copy of the ticket rules); a deadline is one more binary search;
- :func:`clock_us` builds a ticket's clock from its instants under :class:`ClockRules`, what
  it needs of a policy, passed as an argument (the clock never imports the policy);
- :func:`raw_status` evaluates it: state (an integer code, see :data:`STATE_CODES`),
  deadline, breach instant, time used, escalation level.

Everything is answered from the calendar's compiled timeline: ``E(t)``, the open time before
``t``, is computed once per window boundary.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, NamedTuple

from ._day_targets import DayTarget, day_budget_us
from ._net_time import SlaClock
from ._zone import NAT
from .errors import TicketError
from .ticket import clip_pauses, life_problem, pause_problem

if TYPE_CHECKING:
    from datetime import datetime

    from .calendar import BusinessCalendar
    from .priority import Priority
    from .ticket import Ticket

__all__ = [
    "AT_RISK",
    "BREACHED",
    "MET",
    "MISSED",
    "PAUSED",
    "RUNNING",
    "STATE_CODES",
    "ClockInputs",
    "ClockRule",
    "ClockRules",
    "RawStatus",
    "TicketClock",
    "budget_rule",
    "clock_inputs",
    "clock_of",
    "clock_us",
    "level_of",
    "priority_rules",
    "raw_status",
    "rule_from",
    "state_of",
    "ticket_clock",
]

#: The states as integer codes, in the order of :class:`sla_clock.status.State`.
RUNNING, AT_RISK, PAUSED, BREACHED, MET, MISSED = range(6)
STATE_CODES = ("running", "at_risk", "paused", "breached", "met", "missed")


class ClockRule(NamedTuple):
    """A priority's thresholds in integer microseconds of business time.

    A priority with a target in business days has ``day_target`` set, and its thresholds
    depend on when the clock starts: :func:`rule_from` gives them.
    """

    code: str
    target: int
    warning: int
    thresholds: tuple[int, ...]
    day_target: DayTarget | None = None
    #: Every warning threshold (``warn_at``), the first being ``warning``.
    notices: tuple[int, ...] = ()


def budget_rule(
    code: str, target: int, warning_shares: Sequence[float], offsets: Sequence[int]
) -> ClockRule:
    """Return the thresholds of a business-time budget: the one formula of warnings and levels.

    The state is ``at_risk`` from the first warning share; every share is a notice
    (``next_change`` stops there).

    >>> rule = budget_rule("P0", 100, (0.5, 0.75), (0, 50))
    >>> rule.warning, rule.thresholds, rule.notices
    (50, (100, 150), (50, 75))
    """
    notices = tuple(int(target * share) for share in warning_shares)
    thresholds = tuple(target + offset for offset in offsets)
    return ClockRule(code, target, notices[0], thresholds, notices=notices)


def priority_rules(
    priorities: Iterable[Priority], warning_shares: Sequence[float], offsets: Sequence[int]
) -> dict[str, ClockRule]:
    """The thresholds of each priority, by upper-case code: a budget, or a day target's."""
    one_us = timedelta(microseconds=1)
    rules: dict[str, ClockRule] = {}
    for p in priorities:
        if p.target_business_days is None:
            assert p.target is not None  # the priority's validator: one target or the other
            rule = budget_rule(p.code, p.target // one_us, warning_shares, offsets)
        else:
            days = DayTarget(
                p.target_business_days, p.end_of_day, tuple(warning_shares), tuple(offsets)
            )
            rule = ClockRule(p.code, 0, 0, (), day_target=days)
        rules[p.code.upper()] = rule
    return rules


def rule_from(rule: ClockRule, calendar: BusinessCalendar, start_us: int) -> ClockRule:
    """Return ``rule``'s thresholds for a clock starting at ``start_us`` (day targets' budget)."""
    day = rule.day_target
    if day is None:
        return rule
    budget = day_budget_us(calendar, start_us, day)
    return budget_rule(rule.code, budget, day.warning_shares, day.offsets)


class ClockRules(NamedTuple):
    """What the ticket clock needs of a policy, given to it as an argument.

    Attributes:
        calendar: the calendar the targets count on.
        rule_of: the thresholds of a priority code (raises ``UnknownPriorityError``).
        restart: whether a priority change starts a new clock (else the new target applies
            to the time used since the opening).
        level_names: the escalation levels' names, in order.
    """

    calendar: BusinessCalendar
    rule_of: Callable[[str], ClockRule]
    restart: bool
    level_names: tuple[str, ...]


class TicketClock(NamedTuple):
    """The clock of a ticket as of an instant, with its thresholds, in microseconds.

    ``clipped`` counts the pauses that reached outside the ticket's life and were clipped;
    ``notices`` are every warning threshold (``warn_at``), the first being ``warning``.
    """

    clock: SlaClock
    priority: str
    target: int
    warning: int
    thresholds: tuple[int, ...]
    until: int
    resolved: bool
    clipped: int
    notices: tuple[int, ...] = ()


#: Returns how a ticket's times are shown in an error message (``opened``, ``now``...).
ShownTimes = Callable[[], Mapping[str, str]]


def clock_us(
    rules: ClockRules,
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

    The arguments and errors are :func:`clock_inputs`'s.
    """
    inputs = clock_inputs(
        rules,
        opened_us,
        priority,
        now_us,
        resolved_us=resolved_us,
        pauses_us=pauses_us,
        changes_us=changes_us,
        shown=shown,
    )
    return clock_of(inputs)


def clock_of(inputs: ClockInputs) -> TicketClock:
    """Count a clock's inputs on the calendar's timeline."""
    calendar, rule, start, until, pauses, paused, resolved, clipped = inputs
    clock = SlaClock(calendar, start, until, pauses, paused=paused)
    tc = (clock, rule.code, rule.target, rule.warning, rule.thresholds, until, resolved)
    return TicketClock(*tc, clipped, rule.notices or (rule.warning,))


class ClockInputs(NamedTuple):
    """What a ticket clock counts, once the ticket rules are applied.

    ``rule`` is the priority's thresholds in force at ``until`` (a day target's for this
    ``start``); ``start`` is the opening, or the last priority change with ``restart``;
    ``pauses`` are clipped to the ticket's life; ``paused`` tells whether a pause goes on
    at ``until``; ``clipped`` counts the pauses the clipping changed.
    """

    calendar: BusinessCalendar
    rule: ClockRule
    start: int
    until: int
    pauses: list[tuple[int, int]]
    paused: bool
    resolved: bool
    clipped: int


def clock_inputs(
    rules: ClockRules,
    opened_us: int,
    priority: str,
    now_us: int,
    *,
    resolved_us: int | None = None,
    pauses_us: Sequence[tuple[int, int | None]] = (),
    changes_us: Sequence[tuple[int, str]] = (),
    shown: ShownTimes | None = None,
) -> ClockInputs:
    """Apply the ticket rules: what a ticket's clock counts at ``now_us``, in microseconds.

    The ticket rules of :mod:`sla_clock.ticket` apply: the life rules, the pause rule, and
    the clipping of pauses to the ticket's life.

    Args:
        rules: what the clock needs of the policy (thresholds, calendar, restart).
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
        calendar = rules.calendar
        times = shown() if shown else _shown_us(calendar, opened_us, resolved_us, now_us)
        raise TicketError(broken.describe(times))
    for pause in pauses_us:
        problem = pause_problem(*pause)
        if problem is not None:
            raise TicketError(problem.format(pause=_pause_shown(rules.calendar, pause)))
    resolved = resolved_us is not None and resolved_us <= now_us
    until = resolved_us if resolved and resolved_us is not None else now_us
    start = opened_us
    rule = rules.rule_of(priority)
    for at, code in sorted(changes_us, key=_instant):  # stable: same-instant changes keep order
        new_rule = rules.rule_of(code)
        if at <= until:
            rule = new_rule
            if rules.restart:
                start = max(start, at)
    rule = rule_from(rule, rules.calendar, start)
    pauses, paused, clipped = clip_pauses(pauses_us, opened_us, until, resolved=resolved)
    return ClockInputs(rules.calendar, rule, start, until, pauses, paused, resolved, clipped)


def _shown_us(
    calendar: BusinessCalendar, opened_us: int, resolved_us: int | None, now_us: int
) -> dict[str, str]:
    """The ticket's times in ISO 8601 in the calendar's zone, for an error message."""
    iso = calendar.from_us
    return {
        "opened": iso(opened_us).isoformat() if opened_us != NAT else "(none)",
        "resolved": iso(resolved_us).isoformat() if resolved_us not in (None, NAT) else "",
        "now": iso(now_us).isoformat(),
    }


def _pause_shown(calendar: BusinessCalendar, pause: tuple[int, int | None]) -> str:
    iso = calendar.from_us
    start, end = pause
    shown_end = "ongoing" if end is None or end == NAT else iso(end).isoformat()
    return f"{iso(start).isoformat()} .. {shown_end}"


def ticket_clock(
    rules: ClockRules, ticket: Ticket, now_us: int, now: datetime | None = None
) -> TicketClock:
    """Build the clock of ``ticket`` as known at ``now_us`` (epoch microseconds).

    ``now`` is the same instant as given by the caller, to show it in an error message.

    Raises:
        TicketError: ``now`` is before the ticket opened.
        UnknownPriorityError: the ticket or one of its changes uses a code the policy lacks.
    """
    to_us = rules.calendar.to_us

    def shown() -> dict[str, str]:
        when = now if now is not None else rules.calendar.from_us(now_us)
        return {
            "opened": ticket.opened_at.isoformat(),
            "opened_field": "opened_at",
            "resolved": ticket.resolved_at.isoformat() if ticket.resolved_at else "",
            "resolved_field": "resolved_at",
            "now": when.isoformat(),
        }

    return clock_us(
        rules,
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
    """A status in integers (epoch and business microseconds, a state code)."""

    state: int
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


def state_of(tc: TicketClock, used: int, *, paused: bool) -> int:
    """Return the state code for ``used`` business microseconds under the clock's thresholds."""
    if tc.resolved:
        return MET if used <= tc.target else MISSED
    if used > tc.target:
        return BREACHED
    if paused:
        return PAUSED
    if used >= tc.warning:
        return AT_RISK
    return RUNNING


def level_of(tc: TicketClock, used: int) -> int:
    """Return how many escalation thresholds ``used`` has passed (they are ascending).

    A level is reached only once the ticket is late by its offset: ``used > target +
    offset``, strictly, so a ticket that used exactly its target (met) shows none.
    """
    return bisect_left(tc.thresholds, used)
