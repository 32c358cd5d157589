"""What the adapters share for ticket histories: events columns in, metric rows out.

Each adapter reads its frame's columns as plain arrays (instants as ``int64`` epoch
microseconds); :func:`metric_columns` groups them by ticket, checks the events, and runs
:func:`~sla_clock.history.replay` and :func:`~sla_clock.metric_status.ticket_rows` (the one
code path of :func:`sla_clock.metric_statuses`); the adapter builds its frame from the result.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import datetime
from typing import Any, cast

import numpy as np

from .._clock import STATE_CODES
from ..bulk import NAT
from ..bulk._clocks import evaluate
from ..bulk._histories import EventStore, encode, row_columns
from ..history import VALUE_FIELD, event_problem, replay
from ..metric_status import METRIC_COLUMNS, MetricRules, RawRow, RowInputs, row_inputs
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
    columns: Collection[str],
    size: int,
    get: Callable[[str, int, int], list[Any]],
    at_us: np.ndarray[Any, Any],
    now: datetime,
    label: Callable[[int], object] = str,
) -> dict[str, Any]:
    """Return the metric rows of an events frame as columns (instants as epoch microseconds).

    ``get(name, lo, hi)`` returns rows ``lo`` to ``hi`` of a column as a list: the frame is
    read a slice at a time, so that memory holds one slice's Python values, not the frame's.
    Rows come in the order tickets first appear, then metrics in policy order, then cycles.
    The events are kept in an :class:`~sla_clock.bulk._histories.EventStore`, each ticket is
    replayed, and its rows are evaluated in blocks (:func:`sla_clock.bulk._clocks.evaluate`),
    as ``batch --events`` does.

    Raises:
        ValueError: an unknown event, an event without its value, a missing ticket or time.
        TicketError: a history breaks a rule; the message names the ticket and the row.
        UnknownPriorityError: a priority the policy does not define.
    """
    store = EventStore()
    checks = _Checks(store)
    at = np.asarray(at_us, dtype=np.int64)
    for lo in range(0, size, _SLICE):
        hi = min(size, lo + _SLICE)
        idents = _texts(get("ticket", lo, hi))
        values = event_values(columns, get, lo, hi)
        kinds = _texts(get("event", lo, hi))
        distinct, pair_of = encode(list(zip(kinds, _texts(values), strict=True)))
        checked = checks.all(distinct)
        codes = np.array([-1 if isinstance(c, str) else c for c in checked], dtype=np.int64)
        when = at[lo:hi]
        bad = (codes[pair_of] < 0) | (when == NAT) | np.array([not t for t in idents], dtype=bool)
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            error = _row_error(idents[k], int(when[k]), checked[pair_of[k]])
            raise ValueError(f"row {label(lo + k)}: {error}")
        numbers = store.numbers(cast("list[str]", idents))
        store.add(numbers, when, codes[pair_of], np.arange(lo, hi))
    now_us = policy.calendar.to_us(now)
    rules = MetricRules(policy)
    rows: list[RowInputs] = []
    done: list[RawRow] = []

    def where(origin: object) -> str:
        return f"row {label(cast('int', origin))}"

    for ticket, raw in store.groups():
        history = replay(ticket, raw, policy.paused_statuses, now_us, where)
        if history is not None:
            rows += row_inputs(policy, history, now_us, rules)
        if len(rows) >= _BLOCK:
            done += evaluate(rows)
            rows = []
    cols = row_columns(done + evaluate(rows))
    return {
        "ticket": cols.ticket,
        "metric": cols.metric,
        "cycle": cols.cycle,
        "priority": cols.priority,
        "state": [STATE_CODES[code] for code in cols.state.tolist()],
        "due_at": cols.due,
        "breach_at": cols.breach,
        "used_seconds": cols.used / _US,
        "remaining_seconds": cols.remaining / _US,
        "escalation_level": cols.level,
        "elapsed_seconds": cols.elapsed / _US,
    }


class _Checks:
    """The check of each distinct ``(event, value)`` of a frame: a pair code, or why it is bad."""

    def __init__(self, store: EventStore) -> None:
        self.store = store
        self._done: dict[tuple[str | None, str | None], int | str] = {}

    def all(self, pairs: list[tuple[str | None, str | None]]) -> list[int | str]:
        out = []
        for pair in pairs:
            check = self._done.get(pair)
            if check is None:
                found = _event(*pair)
                check = found if isinstance(found, str) else self.store.pair_code(*found)
                self._done[pair] = check
            out.append(check)
        return out


_US = 1_000_000.0
#: Metric rows evaluated at a time.
_BLOCK = 8_192
#: Frame rows read into Python values at a time.
_SLICE = 50_000


def _texts(cells: Sequence[Any]) -> list[str | None]:
    """Each cell as text (:func:`_text`), quickly when they already are."""
    if set(map(type, cells)) <= {str, type(None)}:
        return list(cells)
    return [_text(cell) for cell in cells]


def _event(kind: str | None, value: str | None) -> tuple[str, str | None] | str:
    """The kind and value of one event as :class:`~sla_clock.Event` checks them, or its fault."""
    # A frame may merge priority, status and by into one value: a kind without a value
    # ignores the one it was given.
    text = value if kind in VALUE_FIELD and VALUE_FIELD[kind] is not None else None
    problem = event_problem(kind, text)
    if problem is not None:
        return problem
    assert kind is not None  # event_problem refuses a missing kind
    return kind, text


def _row_error(ticket: str | None, at: int, checked: int | str) -> str:
    """Why a row is bad: no ticket, no time, or its event."""
    if not ticket:
        return "the event has no ticket"
    if at == NAT:
        return "the event has no time ('at' is missing)"
    return str(checked)


def event_values(
    columns: Collection[str], get: Callable[[str, int, int], list[Any]], lo: int, hi: int
) -> list[Any]:
    """The value of rows ``lo`` to ``hi``: ``value``, or the first of priority, status, by."""
    if "value" in columns:
        return get("value", lo, hi)
    present = [get(name, lo, hi) for name in VALUE_COLUMNS if name in columns]
    if not present:
        return [None] * (hi - lo)
    if len(present) == 1:
        return present[0]
    if all(set(map(type, cells)) <= {str, type(None)} for cells in present):  # quick: text
        first, *rest = present
        out = list(first)
        for cells in rest:
            out = [v if v is not None else w for v, w in zip(out, cells, strict=True)]
        return out
    rows = zip(*present, strict=True)
    return [next((v for v in cells if _text(v) is not None), None) for cells in rows]
