"""A slow, obviously correct reference for ticket event histories and their SLA metrics.

It replays one ticket's events one by one and follows issue 12 ("Ticket histories in, several
SLA metrics out") literally. The only calendar questions it asks are
``BusinessCalendar.elapsed_us(a, b)`` (the open microseconds between two instants) and
``BusinessCalendar.add_us(t, d)`` (for ``d > 0``, the earliest ``x >= t`` with
``elapsed_us(t, x) == d``); everything else is plain Python on integer epoch microseconds.

How one metric is replayed
--------------------------

Every metric is replayed on its own, with one *clock* per row (``first_response`` has one,
``resolution`` one per cycle). Walking the events in file order (each ticket's events come
ordered by ``at``), before applying the event at ``t`` every clock that is *running* between
the previous instant ``prev`` and ``t`` counts the piece ``[prev, t)``: its business time
``elapsed_us(prev, t)`` and its real time ``t - prev``. A clock is running unless it is
stopped, or its metric says ``pause = true`` and the status in force is one of
``paused_statuses``. Then the event applies:

- ``opened``: the first event; the clocks start here, not paused (no status yet);
- ``status``: the status in force becomes the value (so at one instant the last one wins, and
  a zero-length pause counts nothing, since ``[t, t)`` is empty);
- ``priority``: the ticket's priority becomes the value, and so does the priority of every
  clock not stopped (a stopped clock keeps the priority in force at its stop). With
  ``priority_change = "restart"`` every clock not stopped also forgets its pieces: it starts
  again at ``t`` with zero time. With ``recompute`` nothing else changes: the new target
  applies to the time the clock has used since it (or its cycle) started. A change while
  the ticket is resolved touches no clock (they are all stopped) until a reopen;
- ``reply``: by ``agent``, it stops ``first_response`` if still running; else nothing;
- ``resolved``: stops ``first_response`` (if still running) and the resolution clock;
- ``reopened``: ``first_response`` stays stopped; the resolution clock, with
  ``on_reopen = "continue"``, runs again with its pieces kept (the time between ``resolved``
  and ``reopened`` was never counted, the clock being stopped) and takes the ticket's
  priority; if that changed while resolved under ``priority_change = "restart"``, the clock
  restarted at the change: its pieces (all before it) are forgotten. With ``"restart"``, the
  closed cycle keeps its row and a new clock (the next cycle) starts at ``t`` with zero time
  and the ticket's priority. A reopen does not change the status.

Events after ``now`` are ignored; events at ``now`` count. At the end every running clock
counts its piece up to ``now``.

A row
-----

- ``priority``: the clock's priority; the target is the metric's target for that code (the
  priority's own target when the metric names none); a code without one gives no row.
- ``used``: the sum of the business time of its pieces; ``remaining = target - used``.
- ``state`` (as ``sla_clock._clock.state_of``): a stopped clock is ``met`` when
  ``used <= target``, else ``missed``; otherwise ``breached`` when ``used > target``,
  ``paused`` when the metric pauses and the status at ``now`` is paused, ``at_risk`` when
  ``used >= int(target * warn_at[0])``, else ``running``.
- ``escalation_level`` (as ``sla_clock._clock.level_of``): how many offsets ``o`` have
  ``used > target + o`` (offsets may be negative: a level before the deadline).
- ``due``: the earliest instant at which the clock has counted ``target``; ``breach``: one
  microsecond before the earliest instant at which it has counted ``target + 1 µs`` (the last
  on-time instant). Both walk the pieces in order; past the last one the clock is projected
  to run on, unpaused, from its stop (or from ``now`` when it is not stopped), with
  ``add_us``.
- ``elapsed`` (the wall-clock time on the same clock): the sum of the real time of its pieces,
  that is from the clock's start (the opening, the reopen that started its cycle, or the last
  ``restart`` priority change) to its stop or ``now``, minus the real time of its pauses, and
  with ``continue`` minus the time between each ``resolved`` and the next ``reopened``: the
  wall clock runs exactly when the business clock may count.

A ``priority`` event at the instant of a ``resolved`` or an agent ``reply`` but after it in
the file comes after the stop (the issue: "events at the same instant apply in file order"):
it does not touch the stopped clock.

Out of scope: business-day targets (hours only), per-metric or per-priority calendars.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from sla_clock import BusinessCalendar

__all__ = [
    "FIRST_RESPONSE",
    "RESOLUTION",
    "EventTuple",
    "MetricSpec",
    "PolicySpec",
    "Row",
    "replay",
]

FIRST_RESPONSE = "first_response"
RESOLUTION = "resolution"
KINDS = ("opened", "status", "priority", "reply", "resolved", "reopened")

#: One event of a ticket: ``(at_us, kind, value)``; value is the priority, status or ``by``.
EventTuple = tuple[int, str, str | None]


@dataclass(frozen=True)
class MetricSpec:
    """A metric: its name (what starts and stops it), its targets and whether statuses pause it.

    ``targets`` maps priority codes to target microseconds; ``None`` means the priorities' own
    targets (what ``resolution`` has when the policy names none).
    """

    name: str
    targets: Mapping[str, int] | None
    pause: bool


@dataclass(frozen=True)
class PolicySpec:
    """What the reference needs of a policy, as plain data (durations in microseconds)."""

    calendar: BusinessCalendar
    priorities: Mapping[str, int]
    metrics: Sequence[MetricSpec]
    paused_statuses: frozenset[str] = frozenset({"waiting_on_customer", "pending"})
    on_reopen: str = "continue"
    priority_change: str = "recompute"
    warn_at: Sequence[float] = (0.75,)
    offsets: Sequence[int] = ()


@dataclass(frozen=True)
class Row:
    """One row of the output: instants in epoch microseconds, durations in microseconds."""

    metric: str
    cycle: int
    priority: str
    state: str
    due_us: int
    breach_us: int
    used_us: int
    remaining_us: int
    escalation_level: int
    elapsed_us: int


@dataclass
class _Clock:
    """One row's clock: the pieces it counted, ``(start, end, business microseconds)``."""

    priority: str
    pieces: list[tuple[int, int, int]] = field(default_factory=list)
    stopped_at: int | None = None

    @property
    def stopped(self) -> bool:
        return self.stopped_at is not None

    def count(self, calendar: BusinessCalendar, prev: int, t: int) -> None:
        """Count ``[prev, t)``: its business time and its real time."""
        if t > prev:
            self.pieces.append((prev, t, calendar.elapsed_us(prev, t)))

    def used(self) -> int:
        return sum(business for _, _, business in self.pieces)

    def wall(self) -> int:
        return sum(end - start for start, end, _ in self.pieces)

    def reach(self, calendar: BusinessCalendar, amount: int, end: int) -> int:
        """The earliest instant at which the clock has counted ``amount`` (> 0).

        Past the last piece the clock runs on, unpaused, from ``end`` (its stop, or ``now``).
        """
        counted = 0
        for start, _, business in self.pieces:
            if counted + business >= amount:
                return calendar.add_us(start, amount - counted)
            counted += business
        return calendar.add_us(end, amount - counted)


def _replay_metric(
    policy: PolicySpec, metric: MetricSpec, events: Sequence[EventTuple], now_us: int
) -> tuple[list[_Clock], bool]:
    """Replay one metric: its clocks (one per row, in cycle order) and the status at ``now``."""
    calendar = policy.calendar
    first_response = metric.name == FIRST_RESPONSE
    if not first_response and metric.name != RESOLUTION:
        msg = f"the reference knows first_response and resolution, not {metric.name!r}"
        raise ValueError(msg)
    if not events or events[0][1] != "opened":
        msg = "a ticket's first event is 'opened'"
        raise ValueError(msg)
    clocks: list[_Clock] = []
    status: str | None = None
    priority = ""
    resolved = False
    changed_while_resolved = False
    prev = events[0][0]

    def paused() -> bool:
        return metric.pause and status in policy.paused_statuses

    for at, kind, value in events:
        if at > now_us:
            break  # ignored for the status at now (and every later event is later still)
        if at < prev:
            msg = "a ticket's events are ordered by their instant"
            raise ValueError(msg)
        if kind not in KINDS:
            msg = f"unknown event {kind!r}"
            raise ValueError(msg)
        # 1. The piece [prev, at) under the status in force before this event.
        if not paused():
            for clock in clocks:
                if not clock.stopped:
                    clock.count(calendar, prev, at)
        prev = at
        # 2. The event.
        if kind == "opened":
            if clocks:
                msg = "'opened' twice"
                raise ValueError(msg)
            assert value is not None
            priority = value
            clocks.append(_Clock(priority=priority))
        elif kind == "status":
            status = value
        elif kind == "priority":
            assert value is not None
            priority = value
            changed_while_resolved = changed_while_resolved or resolved
            for clock in clocks:
                if not clock.stopped:
                    clock.priority = priority
                    if policy.priority_change == "restart":
                        clock.pieces.clear()
        elif kind == "reply":
            if first_response and value == "agent" and not clocks[0].stopped:
                clocks[0].stopped_at = at
        elif kind == "resolved":
            if resolved:
                msg = "'resolved' twice without a 'reopened' between"
                raise ValueError(msg)
            resolved = True
            changed_while_resolved = False
            current = clocks[-1]
            if not current.stopped:
                current.stopped_at = at
        elif kind == "reopened":
            if not resolved:
                msg = "'reopened' without a 'resolved' before"
                raise ValueError(msg)
            resolved = False
            if not first_response:
                if policy.on_reopen == "restart":
                    clocks.append(_Clock(priority=priority))
                else:
                    resumed = clocks[-1]
                    resumed.stopped_at = None
                    resumed.priority = priority
                    if changed_while_resolved and policy.priority_change == "restart":
                        resumed.pieces.clear()
    # 3. The last piece, up to now.
    if not paused():
        for clock in clocks:
            if not clock.stopped:
                clock.count(calendar, prev, now_us)
    return clocks, paused()


def _row(
    policy: PolicySpec, metric: MetricSpec, cycle: int, clock: _Clock, *, paused: bool, now_us: int
) -> Row | None:
    targets = policy.priorities if metric.targets is None else metric.targets
    if clock.priority not in targets:
        return None
    target = targets[clock.priority]
    used = clock.used()
    if clock.stopped:
        state = "met" if used <= target else "missed"
    elif used > target:
        state = "breached"
    elif paused:
        state = "paused"
    elif used >= int(target * policy.warn_at[0]):
        state = "at_risk"
    else:
        state = "running"
    end = clock.stopped_at if clock.stopped_at is not None else now_us
    calendar = policy.calendar
    return Row(
        metric=metric.name,
        cycle=cycle,
        priority=clock.priority,
        state=state,
        due_us=clock.reach(calendar, target, end),
        breach_us=clock.reach(calendar, target + 1, end) - 1,
        used_us=used,
        remaining_us=target - used,
        escalation_level=sum(1 for offset in policy.offsets if used > target + offset),
        elapsed_us=clock.wall(),
    )


def replay(policy: PolicySpec, events: Iterable[EventTuple], now_us: int) -> list[Row]:
    """Return one ticket's rows at ``now_us``: metrics in policy order, then cycles in order.

    ``events`` are the ticket's ``(at_us, kind, value)`` in file order, ``opened`` first.
    A ticket opened after ``now_us`` has no rows.
    """
    history = list(events)
    if history and history[0][0] > now_us:
        return []
    rows: list[Row] = []
    for metric in policy.metrics:
        clocks, paused = _replay_metric(policy, metric, history, now_us)
        for cycle, clock in enumerate(clocks, start=1):
            row = _row(policy, metric, cycle, clock, paused=paused, now_us=now_us)
            if row is not None:
                rows.append(row)
    return rows
