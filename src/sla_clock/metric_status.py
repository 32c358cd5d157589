"""Several SLA metrics of ticket histories: one row per ticket, metric and cycle.

Each row is one ticket clock (:mod:`sla_clock._clock`) built from the ticket's history
(:mod:`sla_clock.history`), so the thresholds, the projection of deadlines and the states
are those of :meth:`SlaPolicy.status <sla_clock.SlaPolicy.status>`:

- ``resolution`` starts at the opening; with ``pause`` it stops while the status is in
  ``paused_statuses``; it stops at the resolution. With ``on_reopen = "continue"`` the same
  clock resumes at a reopen (the time between is not counted): one row, cycle 1. With
  ``"restart"`` each resolution closes a cycle (met or missed) and a reopen starts the next
  from zero.
- ``first_response`` starts at the opening and stops at the first agent reply or the first
  resolution; it is always one row, cycle 1.
- A row's priority is the one in force at its stop (or at ``now``); a priority without a
  target for the metric has no row; the row counts on the metric's calendar, else that
  priority's, else the policy's.
- ``elapsed`` is the wall-clock time on the same clock: from its start to its stop (or
  ``now``), minus the real time of its pauses.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from ._clock import ClockInputs, ClockRules, TicketClock, clock_inputs, clock_of, raw_status
from ._metric_rules import MetricRules
from ._zone import seconds
from .calendar import BusinessCalendar
from .errors import TicketError
from .history import Event, History, RawEvent, replay
from .metric import Metric
from .policy import SlaPolicy
from .status import STATES, State

#: The columns of a metric row (``MetricStatus.to_dict``, ``batch --events``, metric frames).
METRIC_COLUMNS = (
    "ticket",
    "metric",
    "cycle",
    "priority",
    "state",
    "due_at",
    "breach_at",
    "used_seconds",
    "remaining_seconds",
    "escalation_level",
    "elapsed_seconds",
)

__all__ = [
    "METRIC_COLUMNS",
    "MetricRules",
    "MetricStatus",
    "RawRow",
    "RowClock",
    "RowInputs",
    "histories",
    "metric_statuses",
    "raw_row",
    "raw_rows",
    "row_clocks",
    "row_inputs",
    "ticket_rows",
]


@dataclass(frozen=True, slots=True)
class MetricStatus:
    """Where one metric of one ticket stands at ``now`` (a row of ``batch --events``).

    Attributes:
        ticket: the ticket's id.
        metric: ``resolution`` or ``first_response``.
        cycle: 1, or the resolution cycle with ``on_reopen = "restart"``.
        priority: the priority in force at the clock's stop, or at ``now``.
        state: as :class:`~sla_clock.SlaStatus`'s.
        due_at: when the clock reaches the target (projected while stopped or paused).
        breach_at: the last on-time instant.
        used: business time used; remaining: target minus used.
        escalation_level: how many escalation levels are reached; escalation: the last one's
            name, or ``None``.
        elapsed: wall-clock time on the same clock (start to stop or ``now``, pauses out).
    """

    ticket: str
    metric: str
    cycle: int
    priority: str
    state: State
    due_at: datetime
    breach_at: datetime
    used: timedelta
    remaining: timedelta
    escalation_level: int
    escalation: str | None
    elapsed: timedelta

    def to_dict(self) -> dict[str, Any]:
        """The row as ``batch --events`` writes it (ISO 8601 times, seconds as numbers)."""
        return {
            "ticket": self.ticket,
            "metric": self.metric,
            "cycle": self.cycle,
            "priority": self.priority,
            "state": self.state.value,
            "due_at": self.due_at.isoformat(),
            "breach_at": self.breach_at.isoformat(),
            "used_seconds": seconds(self.used),
            "remaining_seconds": seconds(self.remaining),
            "escalation_level": self.escalation_level,
            "elapsed_seconds": seconds(self.elapsed),
        }


def _raw_events(
    policy: SlaPolicy, events: Iterable[Event | Mapping[str, Any]]
) -> dict[str, list[RawEvent]]:
    """Group events by ticket, in the order tickets first appear, as integer instants."""
    tickets: dict[str, list[RawEvent]] = {}
    to_us = policy.calendar.to_us
    for number, item in enumerate(events, start=1):
        event = item if isinstance(item, Event) else Event.model_validate(item)
        raw = (to_us(event.at), event.event, event.value, f"event {number}")
        tickets.setdefault(event.ticket, []).append(raw)
    return tickets


def histories(
    policy: SlaPolicy, events: Iterable[Event | Mapping[str, Any]], now_us: int
) -> Iterator[History]:
    """Replay the events of each ticket, in the order tickets first appear (opened ones)."""
    for ticket, raw in _raw_events(policy, events).items():
        history = replay(ticket, raw, policy.paused_statuses, now_us)
        if history is not None:
            yield history


def metric_statuses(
    policy: SlaPolicy, events: Iterable[Event | Mapping[str, Any]], now: datetime
) -> list[MetricStatus]:
    """Return every metric row of every ticket in ``events`` at ``now``.

    Rows come in the order tickets first appear, then metrics in policy order, then cycles.

    Raises:
        pydantic.ValidationError: an event is malformed (a dict with a bad field).
        TicketError: a history breaks a rule (an event before ``opened``, ``resolved``
            twice...); the message names the ticket and the event.
        UnknownPriorityError: a priority the policy does not define.
    """
    now_us = policy.calendar.to_us(now)
    rules = MetricRules(policy)
    rows: list[MetricStatus] = []
    for history in histories(policy, events, now_us):
        rows.extend(ticket_rows(policy, history, now_us, rules))
    return rows


class RowClock(NamedTuple):
    """The ticket clock of one metric row, with the rules it counts under."""

    ticket: str
    metric: str
    cycle: int
    clock: TicketClock
    rules: ClockRules


class RawRow(NamedTuple):
    """A metric row in integers: epoch and business microseconds, a state code.

    What :class:`MetricStatus` shows, before any ``datetime`` is built: ``batch --events``
    and the frames write these in bulk. ``calendar`` is the one the row counts on (its zone
    is the zone of ``due`` and ``breach``).
    """

    ticket: str
    metric: str
    cycle: int
    priority: str
    state: int
    due: int
    breach: int
    used: int
    remaining: int
    level: int
    escalation: str | None
    elapsed: int
    calendar: BusinessCalendar

    def to_status(self) -> MetricStatus:
        """The row as a :class:`MetricStatus` (times in its calendar's zone)."""
        dt = self.calendar.from_us
        return MetricStatus(
            ticket=self.ticket,
            metric=self.metric,
            cycle=self.cycle,
            priority=self.priority,
            state=STATES[self.state],
            due_at=dt(self.due),
            breach_at=dt(self.breach),
            used=timedelta(microseconds=self.used),
            remaining=timedelta(microseconds=self.remaining),
            escalation_level=self.level,
            escalation=self.escalation,
            elapsed=timedelta(microseconds=self.elapsed),
        )


def ticket_rows(
    policy: SlaPolicy, history: History, now_us: int, rules: MetricRules | None = None
) -> list[MetricStatus]:
    """Return the metric rows of one replayed history at ``now_us``."""
    return [row.to_status() for row in raw_rows(policy, history, now_us, rules)]


def raw_rows(
    policy: SlaPolicy, history: History, now_us: int, rules: MetricRules | None = None
) -> list[RawRow]:
    """Return the metric rows of one replayed history at ``now_us``, in integers."""
    return [raw_row(row) for row in row_clocks(policy, history, now_us, rules)]


def row_clocks(
    policy: SlaPolicy, history: History, now_us: int, rules: MetricRules | None = None
) -> Iterator[RowClock]:
    """The clock of each metric row of one replayed history at ``now_us``, in row order."""
    for row in row_inputs(policy, history, now_us, rules):
        yield RowClock(row.ticket, row.metric, row.cycle, clock_of(row.inputs), row.rules)


class RowInputs(NamedTuple):
    """What the clock of one metric row counts (:class:`~sla_clock._clock.ClockInputs`)."""

    ticket: str
    metric: str
    cycle: int
    inputs: ClockInputs
    rules: ClockRules


def row_inputs(
    policy: SlaPolicy, history: History, now_us: int, rules: MetricRules | None = None
) -> Iterator[RowInputs]:
    """What each metric row of one replayed history counts at ``now_us``, in row order."""
    rules = (MetricRules(policy) if rules is None else rules).in_force(history.opened, now_us)
    policy = rules.policy  # the version the ticket counts under (the policy if none)
    for index, metric in enumerate(policy.metrics):
        for cycle, clock in enumerate(_clocks(policy, metric, history), 1):
            row = _row(rules, index, history, cycle, clock, now_us)
            if row is not None:
                yield row


#: A clock of a metric: start, stop (``None`` while running), pauses, and the stop's place
#: in the ticket's events (a priority change at the stop's instant counts only before it).
Inputs = tuple[int, int | None, tuple[tuple[int, int | None], ...], int]


def _clocks(policy: SlaPolicy, metric: Metric, h: History) -> Iterator[Inputs]:
    """Each clock of ``metric``: its start, its stop (``None`` while running), its pauses."""
    status_pauses = h.pauses if metric.pause else ()
    ends = [(end, order) for (_, end), order in zip(h.cycles, h.end_order, strict=False)]
    if metric.name == "first_response":
        stops = [s for s in ((h.first_agent_reply, h.reply_order), *ends[:1]) if s[0] is not None]
        stop, order = min(stops) if stops else (None, 0)
        yield h.opened, stop, status_pauses, order
        return
    if policy.on_reopen == "restart":
        for k, (start, end) in enumerate(h.cycles):
            yield start, end, status_pauses, ends[k][1] if end is not None else 0
        return
    gaps = tuple(
        (end, nxt[0]) for (_, end), nxt in zip(h.cycles, h.cycles[1:], strict=False) if end
    )
    last = h.cycles[-1][1]
    yield h.opened, last, (*status_pauses, *gaps), ends[-1][1] if last is not None else 0


def _changes_before(h: History, stop: int | None, order: int) -> tuple[tuple[int, str], ...]:
    """The priority changes a clock that stops at ``stop`` (event ``order``) can see."""
    if stop is None or not h.changes:
        return h.changes
    return tuple(
        change
        for change, place in zip(h.changes, h.change_order, strict=True)
        if change[0] < stop or (change[0] == stop and place < order)
    )


def _code_at(
    rules: MetricRules, changes: tuple[tuple[int, str], ...], first: str, instant: int
) -> str:
    code = first
    for at, new in sorted(changes, key=lambda change: change[0]) if changes else ():
        if at <= instant:
            code = new
    return rules.code(code)


def _row(
    rules: MetricRules, index: int, h: History, cycle: int, clock: Inputs, now_us: int
) -> RowInputs | None:
    start, stop, pauses, order = clock
    end = stop if stop is not None and stop <= now_us else now_us
    seen = _changes_before(h, stop if stop is not None and stop <= now_us else None, order)
    code = _code_at(rules, seen, h.priority, end)
    row_rules = rules.of(index, code)
    if row_rules is None:
        return None
    changes = tuple(change for change in seen if change[0] > start) if seen else ()
    try:
        inputs = clock_inputs(
            row_rules,
            start,
            _code_at(rules, seen, h.priority, start),
            now_us,
            resolved_us=stop,
            pauses_us=pauses,
            changes_us=changes,
        )
    except TicketError as exc:
        msg = f"ticket {h.ticket!r}: {exc}"
        raise TicketError(msg) from None
    return RowInputs(h.ticket, rules.policy.metrics[index].name, cycle, inputs, row_rules)


def raw_row(row: RowClock) -> RawRow:
    """Evaluate one row's clock: its state, deadlines, time used and wall time."""
    ticket, metric, cycle, tc, rules = row
    raw = raw_status(tc)
    clock = tc.clock
    wall = sum(we - ws for ws, we in clock.windows) + max(0, clock.until - clock.resume)
    return RawRow(
        ticket,
        metric,
        cycle,
        raw.priority,
        raw.state,
        raw.due,
        raw.breach,
        raw.used,
        raw.target - raw.used,
        raw.level,
        rules.level_names[raw.level - 1] if raw.level else None,
        wall,
        rules.calendar,
    )
