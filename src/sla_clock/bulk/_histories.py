"""Ticket histories in bulk: many tickets' events kept in arrays, replayed ticket by ticket.

``batch --events`` and the DataFrame adapters both read events column by column. An
:class:`EventStore` keeps them compactly (per event: its ticket's number, its instant, a code
for its ``(event, value)`` pair and where it came from) and hands them back grouped by ticket,
tickets in the order they first appear, each ticket's events in their input order, as
:func:`sla_clock.history.replay` takes them. :func:`row_columns` turns metric rows
(:class:`~sla_clock.metric_status.RawRow`) into column arrays, for a writer or a frame.

The rules are not here: a caller checks each event with :func:`~sla_clock.history.event_problem`
before it keeps it, and :func:`~sla_clock.history.replay` checks each ticket's history.

>>> import numpy as np
>>> store = EventStore()
>>> tix = store.numbers(["T-2", "T-1", "T-2"])
>>> codes = [store.pair_code("opened", "P1"), store.pair_code("opened", "P0"),
...          store.pair_code("resolved", None)]
>>> store.add(tix, np.array([5, 7, 9]), codes, [1, 2, 3])
>>> list(store.groups())
[('T-2', [(5, 'opened', 'P1', 1), (9, 'resolved', None, 3)]), ('T-1', [(7, 'opened', 'P0', 2)])]
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from ..calendar import BusinessCalendar
from ..history import RawEvent
from ..metric_status import RawRow

__all__ = ["EventStore", "RowColumns", "encode", "row_columns", "typed"]

Int64Array = npt.NDArray[np.int64]
#: Tickets handed back at a time by :meth:`EventStore.groups` (their events as Python lists).
_BLOCK = 4_096


class EventStore:
    """The events of many tickets, in arrays; tickets numbered in the order first seen."""

    def __init__(self) -> None:
        #: The ticket ids, by number.
        self.names: list[str] = []
        self._numbers: dict[str, int] = {}
        #: The ``(event, value)`` pairs, by code.
        self.pairs: list[tuple[str, str | None]] = []
        self._codes: dict[tuple[str, str | None], int] = {}
        #: Numbers of the tickets left out (a bad event): their events are not handed back.
        self.bad: set[int] = set()
        #: The kept events, a list of array pieces per column: ticket, instant, code, origin.
        self._columns: tuple[list[npt.NDArray[Any]], ...] = ([], [], [], [])

    def numbers(self, tickets: Sequence[str]) -> list[int]:
        """The number of each ticket id, numbering the new ones as they come."""
        numbers, names = self._numbers, self.names
        out = []
        for ticket in tickets:
            number = numbers.get(ticket)
            if number is None:
                number = numbers[ticket] = len(names)
                names.append(ticket)
            out.append(number)
        return out

    def has(self, ticket: str) -> bool:
        """Whether ``ticket`` has a line in the store (kept or left out)."""
        return ticket in self._numbers

    def pair_code(self, kind: str, value: str | None) -> int:
        """The code of an ``(event, value)`` pair."""
        pair = (kind, value)
        code = self._codes.get(pair)
        if code is None:
            code = self._codes[pair] = len(self.pairs)
            self.pairs.append(pair)
        return code

    def add(
        self,
        tickets: npt.ArrayLike,
        instants: npt.ArrayLike,
        codes: npt.ArrayLike,
        wheres: npt.ArrayLike,
    ) -> None:
        """Keep events: per event its ticket's number, instant, pair code and origin."""
        part: tuple[npt.NDArray[Any], ...] = (
            np.asarray(tickets, dtype=np.int32),
            np.asarray(instants, dtype=np.int64),
            np.asarray(codes, dtype=np.int32),
            np.asarray(wheres, dtype=np.int64),
        )
        if part[0].size:
            for pieces, piece in zip(self._columns, part, strict=True):
                pieces.append(piece)

    def events_of(self, numbers: set[int]) -> int:
        """How many events the tickets ``numbers`` have."""
        if not numbers:
            return 0
        wanted = np.fromiter(numbers, dtype=np.int32)
        return sum(int(np.isin(piece, wanted).sum()) for piece in self._columns[0])

    def groups(self) -> Iterator[tuple[str, list[RawEvent]]]:
        """Yield each good ticket and its events, in first-seen order.

        An event's origin is the number it was kept with (a line, a row). The store is
        emptied as it goes: the arrays are sorted once, and only a block of tickets' events
        is a Python list at a time.
        """
        if not self._columns[0]:
            return
        columns = []
        for pieces in self._columns:  # one column at a time: memory stays low
            columns.append(np.concatenate(pieces))
            pieces.clear()
        if self.bad:
            keep = ~np.isin(columns[0], np.fromiter(self.bad, dtype=np.int32))
            columns = [column[keep] for column in columns]
        order = np.argsort(columns[0], kind="stable")
        for k in range(len(columns)):
            columns[k] = columns[k][order]
        del order
        tix, at, code, origin = columns
        counts = np.bincount(tix, minlength=len(self.names))
        del tix, columns
        bounds = np.concatenate(([0], np.cumsum(counts)))
        present = np.flatnonzero(counts)
        del counts
        kinds = np.array([kind for kind, _ in self.pairs] or [""], dtype=object)
        values = np.array([value for _, value in self.pairs] or [None], dtype=object)
        names = self.names
        for first in range(0, len(present), _BLOCK):
            block = present[first : first + _BLOCK].tolist()
            starts = bounds[block].tolist()
            lo, hi = starts[0], int(bounds[block[-1] + 1])
            codes = code[lo:hi]
            cells = (at[lo:hi].tolist(), kinds[codes].tolist(), values[codes].tolist())
            events = list(zip(*cells, origin[lo:hi].tolist(), strict=True))
            ends = [*starts[1:], hi]
            for number, a, b in zip(block, starts, ends, strict=True):
                yield names[number], events[a - lo : b - lo]


def encode(values: list[Any]) -> tuple[list[Any], Int64Array]:
    """The distinct values, first seen first, and each one's index (unhashable: each its own).

    >>> encode(["a", "b", "a"])
    (['a', 'b'], array([0, 1, 0]))
    """
    index: dict[Any, int] = {}
    try:
        codes = [index.setdefault(value, len(index)) for value in values]
    except TypeError:  # a JSON list or object as a value
        return list(values), np.arange(len(values), dtype=np.int64)
    if any(typed(value) != value for value in index):  # 1, 1.0 and True are equal keys
        typed_index: dict[Any, int] = {}
        codes = [typed_index.setdefault(typed(value), len(typed_index)) for value in values]
        firsts: dict[int, Any] = {}
        for value, code in zip(values, codes, strict=True):
            firsts.setdefault(code, value)
        return [firsts[k] for k in range(len(firsts))], np.array(codes, dtype=np.int64)
    return list(index), np.array(codes, dtype=np.int64)


def typed(value: Any) -> Any:
    """``value`` as a key that tells ``1``, ``1.0`` and ``True`` apart (text stays itself).

    >>> typed(("a", 1)) == typed(("a", True)), typed("a")
    (False, 'a')
    """
    if isinstance(value, tuple):
        return tuple(typed(part) for part in value)
    if isinstance(value, (bool, int, float)):
        return (type(value).__name__, value)
    return value


class RowColumns(NamedTuple):
    """Metric rows as columns: instants in epoch microseconds, durations in microseconds.

    ``calendars`` lists each calendar the rows count on with the rows that do (the zone of
    their ``due`` and ``breach``).
    """

    ticket: list[str]
    metric: list[str]
    cycle: Int64Array
    priority: list[str]
    state: npt.NDArray[np.int8]
    due: Int64Array
    breach: Int64Array
    used: Int64Array
    remaining: Int64Array
    level: Int64Array
    elapsed: Int64Array
    calendars: list[tuple[BusinessCalendar, npt.NDArray[np.intp]]]


def row_columns(rows: Sequence[RawRow]) -> RowColumns:
    """Turn metric rows into columns (in the rows' order).

    >>> from sla_clock import BusinessCalendar
    >>> cal = BusinessCalendar.default()
    >>> row = RawRow("T-1", "resolution", 1, "P1", 0, 10, 11, 3, 7, 0, None, 4, cal)
    >>> cols = row_columns([row])
    >>> cols.ticket, cols.due.tolist(), [len(rows) for _, rows in cols.calendars]
    (['T-1'], [10], [1])
    """
    columns: list[Any] = list(zip(*rows, strict=True)) if rows else [()] * len(RawRow._fields)
    (ticket, metric, cycle, priority, state, due, breach, used, remaining, level, _, elapsed) = (
        columns[:12]
    )
    ints = [np.array(c, dtype=np.int64) for c in (cycle, due, breach, used, remaining, level)]
    owner = columns[12]
    first = owner[0] if owner else None
    if all(calendar is first for calendar in owner):
        groups = [] if first is None else [(first, np.arange(len(owner)))]
    else:
        ids = {id(c): c for c in owner}
        keys = np.array([id(c) for c in owner])
        groups = [(c, np.flatnonzero(keys == key)) for key, c in ids.items()]
    return RowColumns(
        list(ticket),
        list(metric),
        ints[0],
        list(priority),
        np.array(state, dtype=np.int8),
        ints[1],
        ints[2],
        ints[3],
        ints[4],
        ints[5],
        np.array(elapsed, dtype=np.int64),
        groups,
    )
