"""What the adapters share for ticket histories: events columns in, metric rows out.

Each adapter reads its frame's columns as plain arrays (instants as ``int64`` epoch
microseconds); :func:`metric_columns` groups them by ticket, checks the events, and runs
:func:`~sla_clock.history.replay` and :func:`~sla_clock.metric_status.ticket_rows` (the one
code path of :func:`sla_clock.metric_statuses`); the adapter builds its frame from the result.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import datetime
from typing import Any

import numpy as np

from ..history import VALUE_FIELD, RawEvent, event_problem, replay
from ..metric_status import METRIC_COLUMNS, MetricStatus, ticket_rows
from ..policy import SlaPolicy

__all__ = [
    "METRIC_COLUMNS",
    "VALUE_COLUMNS",
    "event_values",
    "events_problem",
    "metric_columns",
]

#: Where an event's value may come from: one ``value`` column, or one column per field.
VALUE_COLUMNS = ("priority", "status", "by")


def events_problem(columns: Collection[str], names: Sequence[str]) -> str | None:
    """Return why a frame with ``columns`` is no events frame, or ``None`` if it is one."""
    missing = [name for name in names if name not in columns]
    if missing:
        return (
            f"the events frame has no column(s) {missing}; it needs 'ticket', 'at', 'event' "
            "and either 'value' or the columns 'priority', 'status' and 'by'"
        )
    if "value" not in columns and not any(name in columns for name in VALUE_COLUMNS):
        return (
            "the events frame has no 'value' column and none of 'priority', 'status', 'by': "
            "the 'opened', 'status', 'priority' and 'reply' events need their value"
        )
    return None


def _text(value: object) -> str | None:
    """A cell as text; ``None``, ``NaN``, ``NaT`` and ``pd.NA`` are missing."""
    if value is None:
        return None
    try:
        if value != value:  # NaN and NaT are unequal to themselves
            return None
    except TypeError:  # pd.NA refuses to be a bool
        return None
    return str(value)


def metric_columns(
    policy: SlaPolicy,
    tickets: Sequence[Any],
    at_us: np.ndarray[Any, Any],
    kinds: Sequence[Any],
    values: Sequence[Any],
    now: datetime,
    label: Callable[[int], object] = str,
) -> dict[str, list[Any]]:
    """Return the metric rows of the events as columns (instants as epoch microseconds).

    Rows come in the order tickets first appear, then metrics in policy order, then cycles.

    Raises:
        ValueError: an unknown event, an event without its value, a missing ticket or time.
        TicketError: a history breaks a rule; the message names the ticket and the row.
        UnknownPriorityError: a priority the policy does not define.
    """
    grouped: dict[str, list[RawEvent]] = {}
    for row, (ticket, at, kind, value) in enumerate(
        zip(tickets, at_us, kinds, values, strict=True)
    ):
        grouped.setdefault(_ticket(ticket, row, label), []).append(
            (_instant(int(at), row, label), *_event(kind, value, row, label), f"row {label(row)}")
        )
    now_us = policy.calendar.to_us(now)
    out: dict[str, list[Any]] = {name: [] for name in METRIC_COLUMNS}
    to_us = policy.calendar.to_us
    for ticket, raw in grouped.items():
        history = replay(ticket, raw, policy.paused_statuses, now_us)
        if history is None:
            continue
        for status in ticket_rows(policy, history, now_us):
            _append(out, status, to_us)
    return out


def _append(
    out: dict[str, list[Any]], status: MetricStatus, to_us: Callable[[datetime], int]
) -> None:
    out["ticket"].append(status.ticket)
    out["metric"].append(status.metric)
    out["cycle"].append(status.cycle)
    out["priority"].append(status.priority)
    out["state"].append(status.state.value)
    out["due_at"].append(to_us(status.due_at))
    out["breach_at"].append(to_us(status.breach_at))
    out["used_seconds"].append(status.used.total_seconds())
    out["remaining_seconds"].append(status.remaining.total_seconds())
    out["escalation_level"].append(status.escalation_level)
    out["elapsed_seconds"].append(status.elapsed.total_seconds())


def _ticket(value: object, row: int, label: Callable[[int], object]) -> str:
    text = _text(value)
    if not text:
        msg = f"row {label(row)}: the event has no ticket"
        raise ValueError(msg)
    return text


def _instant(us: int, row: int, label: Callable[[int], object]) -> int:
    if us == np.iinfo(np.int64).min:
        msg = f"row {label(row)}: the event has no time ('at' is missing)"
        raise ValueError(msg)
    return us


def _event(
    kind: object, value: object, row: int, label: Callable[[int], object]
) -> tuple[str, str | None]:
    """The kind and value of one event, checked as :class:`~sla_clock.Event` checks them."""
    name = _text(kind)
    # A frame may merge priority, status and by into one value: a kind without a value
    # ignores the one it was given.
    text = _text(value) if name in VALUE_FIELD and VALUE_FIELD[name] is not None else None
    problem = event_problem(name, text)
    if problem is not None:
        msg = f"row {label(row)}: {problem}"
        raise ValueError(msg)
    assert name is not None  # event_problem refuses a missing kind
    return name, text


def event_values(columns: Collection[str], get: Callable[[str], list[Any]], size: int) -> list[Any]:
    """The value of each row: the ``value`` column, or the first of priority, status, by."""
    if "value" in columns:
        return get("value")
    present = [get(name) for name in VALUE_COLUMNS if name in columns]
    if not present:
        return [None] * size
    rows = zip(*present, strict=True)
    return [next((v for v in cells if _text(v) is not None), None) for cells in rows]
