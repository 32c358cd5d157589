r"""Events files read line by line: JSON Lines and CSV (``ticket,at,event,value``).

Each reader yields :data:`Record` tuples ``(line, ticket, at, event, value, error)``:
the raw values of one event and, when the line itself is bad (not JSON, a missing
column...), why. The checks of the values (the time, the event, the value) are
:mod:`sla_clock.batch._events`'s. Lines come through
:class:`~sla_clock.batch._lines.LimitedLines` (no endless line), and CSV quotes that would
lose lines stop the file as in ``batch`` (:mod:`sla_clock.batch._quotes`).

>>> import io
>>> text = "ticket,at,event,value\nT-1,2026-11-23 14:00,opened,P1\n"
>>> list(csv_records(io.StringIO(text), "e.csv"))
[(2, 'T-1', '2026-11-23 14:00', 'opened', 'P1', None)]
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any, TextIO

from ..errors import TicketError
from ..history import EVENT_KINDS, VALUE_FIELD
from ._columns import normal_name
from ._csv import _detect_delimiter, _tap
from ._jsonl import _UNREADABLE, _loads, _unreadable
from ._quotes import QUOTE_HELP, BrokenFileError, broken_by_error

__all__ = ["CSV_COLUMNS", "Record", "csv_records", "jsonl_records"]

#: The columns of an events CSV file.
CSV_COLUMNS = ("ticket", "at", "event", "value")
#: One event as read: line, ticket, at, event, value, and why the line is bad (or ``None``).
Record = tuple[int, Any, Any, Any, Any, str | None]
_VALUE_KEYS = ("priority", "status", "by")


def jsonl_records(stream: TextIO) -> Iterator[Record]:
    """Yield one record per non-blank line of a JSON Lines events file."""
    for number, line in enumerate(stream, start=1):
        text = line.strip()
        if not text:
            continue
        try:
            obj = _loads(text)
        except _UNREADABLE as exc:
            yield number, None, None, None, None, _unreadable(exc)
            continue
        if not isinstance(obj, dict):
            yield number, None, None, None, None, "is not a JSON object"
            continue
        yield _json_record(number, obj)


def _json_record(number: int, obj: dict[str, Any]) -> Record:
    ticket, at, kind = obj.get("ticket"), obj.get("at"), obj.get("event")
    for key in ("ticket", "at", "event"):
        if obj.get(key) is None:
            return number, ticket, at, kind, None, f"has no {key!r} key; every event needs one"
    wanted = VALUE_FIELD.get(kind) if isinstance(kind, str) else None
    for key in _VALUE_KEYS:
        if key != wanted and obj.get(key) is not None and kind in EVENT_KINDS:
            return number, ticket, at, kind, None, f"a {kind!r} event takes no {key!r}"
    value = obj.get(wanted) if wanted is not None else None
    return number, ticket, at, kind, value, None


def csv_records(stream: TextIO, name: str) -> Iterator[Record]:
    """Yield one record per non-blank record of a CSV events file.

    Raises:
        TicketError: no header, or a column of :data:`CSV_COLUMNS` missing.
        BrokenFileError: a quote that is never closed, or one that runs over lines.
    """
    first = stream.readline()
    if not first.strip():
        msg = (
            f"{name}: no header line; a CSV of events starts with the header ticket,at,event,value"
        )
        raise TicketError(msg)
    delimiter = _detect_delimiter(first)
    header = next(csv.reader([first], delimiter=delimiter))
    names = [normal_name(h) for h in header]
    missing = [c for c in CSV_COLUMNS if c not in names]
    if missing:
        shown = ", ".join(repr(h) for h in header)
        msg = (
            f"{name} line 1: the header has no {' or '.join(map(repr, missing))} column (it "
            f"has {shown}); a CSV of events has the columns ticket,at,event,value"
        )
        raise TicketError(msg)
    at = [names.index(c) for c in CSV_COLUMNS]
    yield from _csv_rows(stream, name, delimiter, at, len(header))


def _csv_rows(
    stream: TextIO, name: str, delimiter: str, at: list[int], width: int
) -> Iterator[Record]:
    buffer: list[str] = []
    reader = csv.reader(_tap(stream, buffer), delimiter=delimiter, strict=True)
    last = 1  # the last line read
    while True:
        start = last + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            end = last = reader.line_num + 1
            broken = broken_by_error(name, str(exc), "".join(buffer), start, end, delimiter)
            buffer.clear()
            if broken is not None:
                raise broken from None
            yield start, None, None, None, None, f"is not valid CSV ({exc})"
            continue
        buffer.clear()
        last = reader.line_num + 1
        if last > start:
            msg = (
                f"{name} line {start}: a quote opened on line {start} runs to line {last}; an "
                f"event is one line; {QUOTE_HELP}"
            )
            raise BrokenFileError(msg, start)
        if not record or (len(record) == 1 and not record[0].strip()):
            continue
        if len(record) != width:
            message = f"has {len(record)} fields, the header has {width}"
            yield start, None, None, None, None, message
            continue
        ticket, when, kind, value = (record[i] for i in at)
        yield start, ticket, when, kind, value or None, None
