r"""Events files read chunk by chunk, as columns: JSON Lines and CSV (``ticket,at,event,value``).

Each reader yields :class:`EventChunk` columns: the line numbers, the raw ``ticket``, ``at``
and ``event`` values, the value ``keys`` (JSON Lines: the ``priority``, ``status`` and ``by``
values; CSV: the ``value`` cell) and, for the lines that are bad by themselves (not JSON, a
missing key, a ragged row...), why. The checks of the values (the time, the event, the
value) are :mod:`sla_clock.batch._events`'s. Lines come through
:class:`~sla_clock.batch._lines.LimitedLines` (no endless line), and CSV quotes that would
lose lines stop the file as in ``batch`` (:mod:`sla_clock.batch._quotes`).

JSON Lines are parsed a chunk at a time: by pyarrow's JSON reader when it is installed and
the chunk is plain (:mod:`sla_clock.batch._events_arrow`), else with the C scanner of
:mod:`json`. A key given twice is refused (as :mod:`sla_clock.batch._jsonl` refuses it) by
one count over the chunk, and only a chunk where that count is off is parsed again line by
line to find the line.

>>> import io
>>> text = "ticket,at,event,value\nT-1,2026-11-23 14:00,opened,P1\n"
>>> chunk = next(csv_chunks(LimitedLines(io.StringIO(text), "e.csv"), "e.csv", 100))
>>> chunk.lines, chunk.tickets, chunk.keys[0], chunk.problems
([2], ['T-1'], [('opened', 'P1')], {})
"""

from __future__ import annotations

import csv
import json
import json.scanner
import re
from collections.abc import Iterator
from itertools import islice
from typing import Any, NamedTuple

import numpy as np

from ..bulk._histories import encode
from ..errors import TicketError
from ._columns import normal_name
from ._csv import _tap, detect_delimiter
from ._events_arrow import Encoded, arrow_columns
from ._jsonl import _UNREADABLE, _loads, _unreadable
from ._lines import LimitedLines
from ._quotes import QUOTE_HELP, BrokenFileError, broken_by_error

__all__ = [
    "CSV_COLUMNS",
    "VALUE_KEYS",
    "EventChunk",
    "csv_chunks",
    "jsonl_chunks",
]

#: The columns of an events CSV file.
CSV_COLUMNS = ("ticket", "at", "event", "value")
#: The keys of a JSON Lines event that may carry its value.
VALUE_KEYS = ("priority", "status", "by")
#: The C scanner of the standard JSON decoder: one JSON value from a position.
_scan = json.scanner.make_scanner(json.JSONDecoder())  # type: ignore[arg-type]  # (typeshed wants a scanner as context; CPython takes the decoder)
#: A key's closing quote, then white space, then the colon (``"a" : 1``).
_SPACED_COLON = re.compile(r'"[ \t\r\n]+:')


class EventChunk(NamedTuple):
    """A chunk of events as columns, one entry per non-blank line.

    ``keys`` is the value part of the events, encoded: the distinct tuples as the format
    gives them (JSON Lines ``(event, priority, status, by)``, CSV ``(event, value)``) and
    per line the index of its own; ``problems`` maps a position to why that line is bad by
    itself. ``ticket_codes``, when the reader has them, are the ticket ids encoded alike.
    """

    lines: list[int]
    tickets: list[Any]
    ats: list[Any]
    keys: Encoded
    problems: dict[int, str]
    ticket_codes: Encoded | None = None


def _missing(chunk: EventChunk) -> None:
    """Add the lines that lack a ticket, a time or an event to the chunk's problems.

    The first missing key of a line is named, in the order ``ticket``, ``at``, ``event``.
    """
    distinct, key_of = chunk.keys
    for name, column in (("ticket", chunk.tickets), ("at", chunk.ats)):
        if None in column:
            for row, value in enumerate(column):
                if value is None:
                    chunk.problems.setdefault(row, f"has no {name!r} key; every event needs one")
    nameless = [k for k, key in enumerate(distinct) if key[0] is None]
    if nameless:
        for row in np.flatnonzero(np.isin(key_of, nameless)).tolist():
            chunk.problems.setdefault(row, "has no 'event' key; every event needs one")


def jsonl_chunks(lines: LimitedLines, size: int) -> Iterator[EventChunk]:
    """Yield the non-blank lines of a JSON Lines events file, ``size`` lines at a time."""
    first = 1
    while raw := lines.take(size):
        texts = [line.strip() for line in raw]
        numbers = list(range(first, first + len(raw)))
        first += len(raw)
        if not all(texts):
            numbers = [n for n, text in zip(numbers, texts, strict=True) if text]
            texts = [text for text in texts if text]
            if not texts:
                continue
        columns = None if arrow_columns is None else arrow_columns(texts)
        if columns is not None:
            tickets, ats, ticket_codes, keys = columns
            chunk = EventChunk(numbers, tickets, ats, keys, {}, ticket_codes)
        else:
            problems: dict[int, str] = {}
            objs = _objects(texts, problems)
            tickets, ats, kinds = ([o.get(k) for o in objs] for k in ("ticket", "at", "event"))
            values = ([o.get(k) for o in objs] for k in VALUE_KEYS)
            keys = encode(list(zip(kinds, *values, strict=True)))
            chunk = EventChunk(numbers, tickets, ats, keys, problems)
        _missing(chunk)
        yield chunk


def _objects(texts: list[str], problems: dict[int, str]) -> list[dict[str, Any]]:
    """Parse one JSON object per text; a bad text is ``{}`` and an entry of ``problems``.

    Fast: the C scanner on every text, and one check that no object names a key twice:
    each key of each object (nested ones too) ends in ``"`` then ``:`` in the text, so when
    the texts hold exactly as many ``":`` (and no ``" :``) as the objects have keys, no key
    came twice. Otherwise, or when a text does not parse, the texts are parsed one by one.
    """
    try:
        found = [_scan(text, 0) for text in texts]
    except (StopIteration, *_UNREADABLE):
        found = None
    if found is not None and [end for _, end in found] == list(map(len, texts)):
        objs = [obj for obj, _ in found]
        if set(map(type, objs)) == {dict}:
            joined = "\n".join(texts)
            keys = sum(map(len, objs))
            if joined.count('":') == keys and not _SPACED_COLON.search(joined):
                return objs
    return [_one_object(row, text, problems) for row, text in enumerate(texts)]


def _one_object(row: int, text: str, problems: dict[int, str]) -> dict[str, Any]:
    try:
        obj = _loads(text)
    except _UNREADABLE as exc:
        problems[row] = _unreadable(exc)
        return {}
    if not isinstance(obj, dict):
        problems[row] = "is not a JSON object"
        return {}
    return obj


def csv_chunks(lines: LimitedLines, name: str, size: int) -> Iterator[EventChunk]:
    """Yield the non-blank records of a CSV events file, ``size`` at a time.

    Raises:
        TicketError: no header, or a column of :data:`CSV_COLUMNS` missing.
        BrokenFileError: a quote that is never closed, or one that runs over lines.
    """
    first = lines.readline()
    if not first.strip():
        msg = (
            f"{name}: no header line; a CSV of events starts with the header ticket,at,event,value"
        )
        raise TicketError(msg)
    delimiter = detect_delimiter(first)
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
    records = _csv_rows(lines, name, delimiter, at, len(header))
    while block := list(islice(records, size)):
        problems = {row: problem for row, (_, problem, _) in enumerate(block) if problem}
        lines_of, tickets, ats, kinds, values = ([] for _ in range(5))
        for line, _, (ticket, when, kind, value) in block:
            lines_of.append(line)
            tickets.append(ticket)
            ats.append(when)
            kinds.append(kind)
            values.append(value or None)
        keys = encode(list(zip(kinds, values, strict=True)))
        yield EventChunk(lines_of, tickets, ats, keys, problems)  # a cell is never missing


_NO_CELLS = (None, None, None, None)


def _csv_rows(
    stream: LimitedLines, name: str, delimiter: str, at: list[int], width: int
) -> Iterator[tuple[int, str | None, tuple[str | None, ...]]]:
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
            yield start, f"is not valid CSV ({exc})", _NO_CELLS
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
            yield start, f"has {len(record)} fields, the header has {width}", _NO_CELLS
            continue
        yield start, None, tuple(record[i] for i in at)
