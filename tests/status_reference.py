"""A slow, obviously correct reference for the SLA status of a ticket.

It follows ``/work/shared/DESIGN.md`` ("SLA status of a ticket") literally and uses only the
public calendar API (``BusinessCalendar.elapsed``) plus a plain merge of pauses:

- Only what is known at ``now`` counts: a resolution, a pause or a priority change after
  ``now`` is ignored. ``until`` is ``min(now, resolved_at)``.
- The priority in force is the one of the latest change at or before ``until``. With the
  ``restart`` rule the clock starts at that change, else at the opening.
- Pauses that started at or before ``until`` are clipped to end at ``until`` at the latest
  (an ongoing pause is projected as if it ended now), then merged.
- ``used(x)`` is ``elapsed(start, x)`` minus the business time of the merged pauses clipped
  to ``[start, x]``. It never decreases as ``x`` grows, so the first instant at which it
  reaches an amount is found by bisection on integer microseconds.
- ``due_at`` is the first instant with ``used >= target``; ``breach_at`` is one microsecond
  before the first instant with ``used >= target + 1 µs`` (the last on-time instant).

Nothing here reuses the engine's ``SlaClock``, ``add`` or timeline code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sla_clock import BusinessCalendar, SlaPolicy, Ticket

__all__ = [
    "RefStatus",
    "first_reach",
    "from_us",
    "merge_pauses",
    "reference_status",
    "to_us",
    "used_at",
]

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ONE_US = timedelta(microseconds=1)
#: Give up looking for a deadline this far (in microseconds, ~20 years) after the start.
MAX_SEARCH_US = 20 * 366 * 86_400 * 1_000_000

Interval = tuple[int, int]


def to_us(instant: datetime) -> int:
    """Return an aware datetime as microseconds since the Unix epoch."""
    return (instant - EPOCH) // ONE_US


def from_us(us: int) -> datetime:
    """Return microseconds since the epoch as an aware UTC datetime."""
    return EPOCH + timedelta(microseconds=us)


def merge_pauses(pauses: list[Interval]) -> list[Interval]:
    """Return the union of ``[start, end)`` pauses as sorted, disjoint intervals."""
    merged: list[Interval] = []
    for start, end in sorted(pauses):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _elapsed_us(calendar: BusinessCalendar, a: int, b: int) -> int:
    return to_us(from_us(0) + calendar.elapsed(from_us(a), from_us(b)))


def used_at(calendar: BusinessCalendar, start: int, pauses: list[Interval], x: int) -> int:
    """Return the business microseconds in ``[start, x]`` outside the (merged) ``pauses``."""
    if x <= start:
        return 0
    total = _elapsed_us(calendar, start, x)
    for ps, pe in merge_pauses(pauses):
        lo, hi = max(ps, start), min(pe, x)
        if lo < hi:
            total -= _elapsed_us(calendar, lo, hi)
    return total


def first_reach(calendar: BusinessCalendar, start: int, pauses: list[Interval], amount: int) -> int:
    """Return the earliest instant ``x >= start`` with ``used_at(x) >= amount`` (``amount > 0``)."""
    lo, span = start, 1_000_000
    while used_at(calendar, start, pauses, start + span) < amount:
        lo = start + span  # used(lo) < amount
        span *= 2
        if span > MAX_SEARCH_US:
            msg = f"no instant reaches {amount} µs of business time"
            raise AssertionError(msg)
    hi = start + span  # used(hi) >= amount; used(lo) < amount or lo == start
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if used_at(calendar, start, pauses, mid) >= amount:
            hi = mid
        else:
            lo = mid
    # used(start) == 0 < amount, so the answer is never ``start`` itself.
    return hi


@dataclass(frozen=True)
class RefStatus:
    """The reference's answer; instants are epoch microseconds, durations microseconds."""

    state: str
    priority: str
    target: int
    used: int
    due_at: int
    breach_at: int
    escalation_level: int
    paused: bool
    resolved: bool
    start: int
    pauses: tuple[Interval, ...]


def reference_status(policy: SlaPolicy, ticket: Ticket, now: datetime) -> RefStatus:
    """Return the status of ``ticket`` at ``now`` by the rules of ``DESIGN.md``."""
    calendar = policy.calendar
    now_us = to_us(now)
    opened = to_us(ticket.opened_at)
    resolved = ticket.resolved_at is not None and to_us(ticket.resolved_at) <= now_us
    until = to_us(ticket.resolved_at) if resolved and ticket.resolved_at else now_us

    priority = policy.priority(ticket.priority)
    start = opened
    known_changes = [c for c in ticket.priority_changes if to_us(c.at) <= until]
    if known_changes:
        last = sorted(known_changes, key=lambda c: to_us(c.at))[-1]
        priority = policy.priority(last.priority)
        if policy.priority_change == "restart":
            start = to_us(last.at)

    pauses: list[Interval] = []
    paused = False
    for pause in ticket.pauses:
        ps = to_us(pause.start)
        pe = None if pause.end is None else to_us(pause.end)
        if ps > until:
            continue
        if pe is None or pe > until:
            paused = True
            pe = until
        pauses.append((ps, pe))

    target = priority.target // ONE_US
    warning = int(target * policy.warning_share)
    used = used_at(calendar, start, pauses, until)
    thresholds = [target + level.offset // ONE_US for level in policy.escalation]
    if resolved:
        state = "met" if used <= target else "missed"
    elif used > target:
        state = "breached"
    elif paused:
        state = "paused"
    elif used >= warning:
        state = "at_risk"
    else:
        state = "running"
    return RefStatus(
        state=state,
        priority=priority.code,
        target=target,
        used=used,
        due_at=first_reach(calendar, start, pauses, target),
        breach_at=first_reach(calendar, start, pauses, target + 1) - 1,
        escalation_level=sum(1 for threshold in thresholds if used > threshold),
        paused=paused and not resolved,
        resolved=resolved,
        start=start,
        pauses=tuple(merge_pauses(pauses)),
    )
