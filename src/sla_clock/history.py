"""Ticket histories: the events a ticketing back end stores, and the rules they obey.

A history is a list of events of one ticket: ``opened`` (with a priority) first, then
``status`` changes, ``priority`` changes, ``reply`` (by ``agent`` or ``customer``),
``resolved`` and ``reopened``. :func:`replay` turns one ticket's events into what the metric
clocks need (:mod:`sla_clock.metric_status`), in epoch microseconds:

- events are taken in time order, ties in the order given; events after ``now`` are ignored;
- a status in the policy's ``paused_statuses`` pauses from its instant until a status that
  is not; a ticket is not paused at its opening unless a status event says so;
- ``resolved`` closes a cycle and ``reopened`` starts the next.

The rules are checked here, once, for every path (Python, ``batch --events``, the adapters):
the first event is ``opened`` and there is only one; ``resolved`` needs an open ticket and
``reopened`` a resolved one.

>>> from datetime import datetime
>>> from zoneinfo import ZoneInfo
>>> e = Event(ticket="T-1", at=datetime(2026, 11, 23, 14, tzinfo=ZoneInfo("America/Sao_Paulo")),
...           event="opened", priority="P1")
>>> e.event, e.value
('opened', 'P1')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .errors import TicketError

__all__ = [
    "EVENT_KINDS",
    "VALUE_FIELD",
    "Event",
    "EventKind",
    "History",
    "RawEvent",
    "event_problem",
    "replay",
]

EventKind = Literal["opened", "status", "priority", "reply", "resolved", "reopened"]
EVENT_KINDS: tuple[EventKind, ...] = (
    "opened",
    "status",
    "priority",
    "reply",
    "resolved",
    "reopened",
)
#: Which field carries each kind's value (CSV's ``value`` column).
VALUE_FIELD: dict[str, str | None] = {
    "opened": "priority",
    "status": "status",
    "priority": "priority",
    "reply": "by",
    "resolved": None,
    "reopened": None,
}


def event_problem(kind: object, value: str | None) -> str | None:
    """Return why an event of ``kind`` with ``value`` is bad, or ``None``.

    The one rule of events, for :class:`Event`, ``batch --events`` and the DataFrame
    adapters. ``value`` is the priority, status or ``by`` (CSV's ``value`` column).

    >>> event_problem("reply", "robot")
    "a 'reply' event is by 'agent' or 'customer', not 'robot'"
    >>> event_problem("opened", "P1") is None
    True
    """
    if not isinstance(kind, str) or kind not in VALUE_FIELD:
        return f"unknown event {kind!r}; the events are {', '.join(EVENT_KINDS)}"
    field = VALUE_FIELD[kind]
    if field is None:
        return None if value is None else f"a {kind!r} event takes no value, got {value!r}"
    if value is None or not value.strip():
        return f"a {kind!r} event needs its {field} (CSV: the value column)"
    if field == "by" and value not in ("agent", "customer"):
        return f"a 'reply' event is by 'agent' or 'customer', not {value!r}"
    return None


class Event(BaseModel):
    """One event of a ticket's history.

    Attributes:
        ticket: the ticket's id.
        at: when it happened (aware).
        event: ``opened``, ``status``, ``priority``, ``reply``, ``resolved`` or ``reopened``.
        priority: the priority of ``opened`` and ``priority`` events.
        status: the status of a ``status`` event (free text, e.g. ``waiting_on_customer``).
        by: who replied, ``agent`` or ``customer``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    ticket: str = Field(min_length=1)
    at: datetime
    event: EventKind
    priority: str | None = None
    status: str | None = None
    by: Literal["agent", "customer"] | None = None

    @field_validator("at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None or value.utcoffset() is None:
            msg = f"at {value.isoformat()} has no time zone; give an aware datetime"
            raise ValueError(msg)
        return value

    @model_validator(mode="after")
    def _value_fits_kind(self) -> Event:
        wanted = VALUE_FIELD[self.event]
        for name in ("priority", "status", "by"):
            if name != wanted and getattr(self, name) is not None:
                msg = f"a {self.event!r} event takes no {name}"
                raise ValueError(msg)
        problem = event_problem(self.event, self.value)
        if problem is not None:
            raise ValueError(problem)
        return self

    @property
    def value(self) -> str | None:
        """The priority, status or ``by`` of the event (CSV's ``value``), or ``None``."""
        wanted = VALUE_FIELD[self.event]
        return None if wanted is None else getattr(self, wanted)


class History(NamedTuple):
    """What the metric clocks need of one ticket's history, in epoch microseconds.

    ``changes`` are ``(instant, code)`` priority changes; ``pauses`` the intervals spent in a
    paused status (``end`` ``None`` while going on at ``now``); ``cycles`` ``(start, end)``
    from the opening or a reopen to the resolution (``end`` ``None`` while open). The
    ``*_order`` fields are the events' places in the ticket's order, so that a change at the
    instant of a stop is before or after it as the events say.
    """

    ticket: str
    opened: int
    priority: str
    changes: tuple[tuple[int, str], ...]
    pauses: tuple[tuple[int, int | None], ...]
    first_agent_reply: int | None
    cycles: tuple[tuple[int, int | None], ...]
    change_order: tuple[int, ...] = ()
    reply_order: int = 0
    end_order: tuple[int, ...] = ()


#: One event as :func:`replay` takes it: instant, kind, value, and where it came from (for
#: messages: ``"event 3"``, or a line number that :func:`replay`'s ``label`` writes).
RawEvent = tuple[int, str, str | None, object]


def _first(event: RawEvent) -> int:
    return event[0]


def replay(
    ticket: str,
    events: Iterable[RawEvent],
    paused_statuses: Sequence[str],
    now: int,
    label: Callable[[object], str] = str,
) -> History | None:
    """Return the history of ``ticket`` as known at ``now``, or ``None`` if not yet opened.

    ``label`` writes where an event came from in a message (``str`` by default).

    Raises:
        TicketError: the events break a history rule; the message names the event.
    """
    ordered = sorted(events, key=_first)  # stable: same-instant events keep order
    if not ordered:
        return None
    first = ordered[0]
    if first[1] != "opened":
        opened = next((e for e in ordered if e[1] == "opened"), None)
        if opened is None:
            msg = f"ticket {ticket!r}: {label(first[3])}: the history has no 'opened' event"
        else:
            msg = (
                f"ticket {ticket!r}: {label(first[3])}: a {first[1]!r} event comes before the "
                f"ticket opened ({label(opened[3])}); the first event of a ticket is 'opened'"
            )
        raise TicketError(msg)
    return _walk(ticket, ordered, frozenset(paused_statuses), now, label)


def _walk(
    ticket: str,
    ordered: list[RawEvent],
    paused_statuses: frozenset[str],
    now: int,
    label: Callable[[object], str],
) -> History | None:
    opened, _, priority, _ = ordered[0]
    if opened > now:
        return None
    changes: list[tuple[int, str]] = []
    pauses: list[tuple[int, int | None]] = []
    cycles: list[tuple[int, int | None]] = []
    cycle_start: int | None = opened
    pause_start: int | None = None
    reply: int | None = None
    change_order: list[int] = []
    end_order: list[int] = []
    reply_order = 0
    is_open = True  # for the rules, which hold for the whole history, even after now
    for order, (at, kind, value, origin) in enumerate(ordered[1:], start=1):
        if kind == "opened":
            where = label(origin)
            msg = f"ticket {ticket!r}: {where}: a second 'opened' event; a ticket opens once"
            raise TicketError(msg)
        if kind == "resolved":
            if not is_open:
                where = label(origin)
                msg = f"ticket {ticket!r}: {where}: 'resolved' twice without a 'reopened' between"
                raise TicketError(msg)
            is_open = False
        elif kind == "reopened":
            if is_open:
                where = label(origin)
                msg = f"ticket {ticket!r}: {where}: 'reopened' on a ticket that is not resolved"
                raise TicketError(msg)
            is_open = True
        if at > now:
            continue  # known only later
        if kind == "status":
            paused = value in paused_statuses
            if paused and pause_start is None:
                pause_start = at
            elif not paused and pause_start is not None:
                if at > pause_start:
                    pauses.append((pause_start, at))
                pause_start = None
        elif kind == "priority" and value is not None:
            changes.append((at, value))
            change_order.append(order)
        elif kind == "reply" and value == "agent" and reply is None:
            reply, reply_order = at, order
        elif kind == "resolved":
            assert cycle_start is not None  # checked above
            cycles.append((cycle_start, at))
            end_order.append(order)
            cycle_start = None
        elif kind == "reopened":
            cycle_start = at
    if pause_start is not None:
        pauses.append((pause_start, None))
    if cycle_start is not None:
        cycles.append((cycle_start, None))
    assert priority is not None  # an opened event carries its priority
    return History(
        ticket,
        opened,
        priority,
        tuple(changes),
        tuple(pauses),
        reply,
        tuple(cycles),
        tuple(change_order),
        reply_order,
        tuple(end_order),
    )
