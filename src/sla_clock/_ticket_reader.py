"""Tickets files read chunk by chunk: CSV (comma, semicolon or tab) and JSON Lines.

A :class:`Chunk` holds up to ``size`` rows column by column (``id``, ``priority``,
``opened``, ``resolved``, ``pauses``, also under their ``Ticket`` field names such as
``opened_at``), with each row's line number, its raw text (which the writer copies as it
is) and its parsed fields. A row that cannot be read (not valid CSV or JSON, a ragged CSV
record, a JSON value that is not an object, a required key missing) is not an error here:
it becomes a :class:`RowError` of the chunk, for the pipeline to report or skip. Only a bad
header (none, a required column missing, a column twice) raises at once.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from operator import itemgetter
from typing import Any, Literal, NamedTuple, TextIO, cast

from .errors import SlaClockError, TicketError

__all__ = ["FORMATS", "Chunk", "CsvInput", "Format", "RowError", "jsonl_chunks"]

#: A tickets file format: comma-separated values or JSON Lines (one object per line).
Format = Literal["csv", "jsonl"]
FORMATS: tuple[Format, ...] = ("csv", "jsonl")

#: Input columns, with the other names they may have (the ``Ticket`` field names).
_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id",),
    "priority": ("priority",),
    "opened": ("opened", "opened_at"),
    "resolved": ("resolved", "resolved_at"),
    "pauses": ("pauses",),
}
_REQUIRED = ("priority", "opened")
_DELIMITERS = (",", ";", "\t")


class RowError(NamedTuple):
    """Why a row is bad, and the error class that says so."""

    kind: type[SlaClockError]
    message: str


@dataclass(slots=True)
class Chunk:
    """Rows of the input, column by column, with what is needed to write them back.

    ``raw`` is each row's text without its line ending (for CSV: its physical lines);
    ``values`` its parsed fields (a list for CSV, a dict for JSON Lines).
    """

    lines: list[int] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)
    values: list[Any] = field(default_factory=list)
    errors: dict[int, RowError] = field(default_factory=dict)
    ident: list[Any] = field(default_factory=list)
    priority: list[Any] = field(default_factory=list)
    opened: list[Any] = field(default_factory=list)
    resolved: list[Any] = field(default_factory=list)
    pauses: list[Any] = field(default_factory=list)


# -- reading CSV ---------------------------------------------------------------------------


def _detect_delimiter(header: str) -> str:
    """Return the delimiter of a CSV header line: comma, semicolon (Excel pt-BR) or tab."""
    counts = [header.count(d) for d in _DELIMITERS]
    best = max(range(len(_DELIMITERS)), key=lambda i: (counts[i], -i))
    return _DELIMITERS[best] if counts[best] else ","


def _column_map(header: Sequence[str], where: str) -> dict[str, int]:
    """Return the position of each known column of ``header`` (case-insensitive).

    Raises:
        TicketError: a known column appears twice (under one name or two), or a required
            column is missing.
    """
    known = {name: column for column, names in _COLUMNS.items() for name in names}
    found: dict[str, int] = {}
    given: dict[str, str] = {}
    for i, name in enumerate(header):
        column = known.get(name.strip().lstrip("\ufeff").lower())
        if column is None:
            continue  # another column: kept as it is
        if column in found:
            msg = (
                f"{where}: the header has both {given[column]!r} and {name!r} for the "
                f"{column} column; keep one"
            )
            raise TicketError(msg)
        found[column], given[column] = i, name
    missing = [c for c in _REQUIRED if c not in found]
    if missing:
        msg = (
            f"{where}: the header has no {' or '.join(repr(m) for m in missing)} column "
            f"(it has {', '.join(repr(h) for h in header)}); a tickets file needs "
            "priority and opened, and may have id, resolved and pauses"
        )
        raise TicketError(msg)
    return found


def _tap(lines: Iterator[str], buffer: list[str]) -> Iterator[str]:
    """Yield ``lines``, keeping each one in ``buffer`` (the raw text of the records)."""
    keep = buffer.append
    for line in lines:
        keep(line)
        yield line


class CsvInput:
    """Reads a CSV file of tickets chunk by chunk, keeping each record's raw text."""

    def __init__(self, stream: TextIO, name: str) -> None:
        first = stream.readline()
        if not first.strip():
            msg = (
                f"{name}: no header line; a CSV of tickets starts with a header such as "
                "id,priority,opened,resolved,pauses"
            )
            raise TicketError(msg)
        self.delimiter = _detect_delimiter(first)
        self._buffer: list[str] = []
        self._reader = csv.reader(
            _tap(chain([first], stream), self._buffer), delimiter=self.delimiter, strict=True
        )
        try:
            self.header = next(self._reader)
        except csv.Error as exc:
            msg = f"{name} line 1: the header is not valid CSV ({exc})"
            raise TicketError(msg) from None
        self.header_raw = "".join(self._buffer).rstrip("\r\n")
        self.columns = _column_map(self.header, f"{name} line 1")
        self._line = self._reader.line_num  # the last line read

    def chunks(self, size: int) -> Iterator[Chunk]:
        """Yield chunks of up to ``size`` records (blank lines are dropped)."""
        reader, buffer = self._reader, self._buffer
        while True:
            first_line = self._line + 1
            buffer.clear()
            records: list[list[str]] = []
            failed = False
            try:
                records.extend(islice(reader, size))
            except csv.Error:
                failed = True  # the chunk ends at the bad record
            if not records and not failed:
                return
            self._line = reader.line_num
            if failed or self._line - first_line + 1 != len(records):
                yield self._reread(list(buffer), first_line)
            else:
                ends = range(first_line, self._line + 1)
                yield self._chunk(records, ends, first_line, {}, one_line_each=True)

    def _reread(self, lines: list[str], first_line: int) -> Chunk:
        """Read again, record by record, lines with a bad record or one over several lines."""
        reader = csv.reader(iter(lines), delimiter=self.delimiter, strict=True)
        records: list[list[str] | None] = []
        ends: list[int] = []
        failures: dict[int, str] = {}
        while True:
            try:
                for record in reader:
                    records.append(record)
                    ends.append(first_line - 1 + reader.line_num)
                break
            except csv.Error as exc:
                failures[len(records)] = f"is not valid CSV ({exc})"
                records.append(None)
                ends.append(first_line - 1 + reader.line_num)
        return self._chunk(records, ends, first_line, failures, one_line_each=False)

    def _chunk(
        self,
        records: Sequence[list[str] | None],
        ends: Sequence[int],
        first_line: int,
        failures: dict[int, str],
        *,
        one_line_each: bool,
    ) -> Chunk:
        """Build a chunk from records ending on lines ``ends`` (``None``: not valid CSV)."""
        buffer = self._buffer
        width = len(self.header)
        chunk = Chunk()
        regular = cast("list[list[str]]", records) if one_line_each and not failures else []
        if regular and len(set(map(len, regular))) == 1 and len(regular[0]) == width:
            # The usual case: one line per record, no blank line, every field there.
            chunk.lines = list(ends)
            chunk.raw = [line.rstrip("\r\n") for line in buffer]
            chunk.values = values = regular
        else:
            values = self._irregular(chunk, records, ends, first_line, failures)
        empty = [""] * len(values)
        for column in _COLUMNS:
            position = self.columns.get(column)
            data = empty if position is None else list(map(itemgetter(position), values))
            setattr(chunk, column if column != "id" else "ident", data)
        return chunk

    def _irregular(
        self,
        chunk: Chunk,
        records: Sequence[list[str] | None],
        ends: Sequence[int],
        first_line: int,
        failures: dict[int, str],
    ) -> list[list[str]]:
        """Fill ``chunk`` record by record: drop blank lines, flag bad and ragged records."""
        buffer = self._buffer
        width = len(self.header)
        values: list[list[str]] = []
        start = first_line
        for i, record in enumerate(records):
            end = ends[i]
            raw = "".join(buffer[start - first_line : end - first_line + 1])
            line, start = start, end + 1
            if record is not None and (not record or (len(record) == 1 and not record[0].strip())):
                continue  # a blank line
            row = len(chunk.lines)
            chunk.lines.append(line)
            chunk.raw.append(raw.rstrip("\r\n"))
            if record is None:
                chunk.errors[row] = RowError(TicketError, failures[i])
                record = [""] * width
            elif len(record) != width:
                message = (
                    f"has {len(record)} fields, the header has {width}; quote fields that "
                    f"contain {self.delimiter!r}"
                )
                chunk.errors[row] = RowError(TicketError, message)
                record = (record + [""] * width)[:width]
            values.append(record)
        chunk.values = values
        return values


# -- reading JSON Lines ---------------------------------------------------------------------


_MISSING = object()


def _parse_json(texts: list[str], errors: dict[int, RowError]) -> list[dict[str, Any]]:
    """Parse JSON objects, one per text; a bad one becomes ``{}`` and an entry of ``errors``."""
    try:
        objs: list[Any] = list(map(json.loads, texts))
    except json.JSONDecodeError:
        objs = []
        for row, text in enumerate(texts):
            try:
                objs.append(json.loads(text))
            except json.JSONDecodeError as exc:
                objs.append({})
                message = f"is not valid JSON ({exc.msg} at column {exc.colno})"
                errors[row] = RowError(TicketError, message)
    if set(map(type, objs)) != {dict}:
        for row, obj in enumerate(objs):
            if not isinstance(obj, dict):
                errors[row] = RowError(TicketError, "is not a JSON object")
                objs[row] = {}
    return objs


def jsonl_chunks(stream: TextIO, size: int) -> Iterator[Chunk]:
    """Yield chunks of up to ``size`` JSON objects, one per non-blank line."""
    first_line = 1
    while True:
        lines = list(islice(stream, size))
        if not lines:
            return
        chunk = Chunk()
        texts = [line.strip() for line in lines]
        if all(texts):
            chunk.lines = list(range(first_line, first_line + len(texts)))
        else:  # drop blank lines
            chunk.lines = [first_line + i for i, text in enumerate(texts) if text]
            texts = [text for text in texts if text]
        first_line += len(lines)
        chunk.raw = texts
        chunk.values = objs = _parse_json(texts, chunk.errors)
        for column, names in _COLUMNS.items():
            values = [obj.get(names[0], _MISSING) for obj in objs]
            if values.count(_MISSING):
                for row, value in enumerate(values):
                    if value is not _MISSING:
                        continue
                    obj = objs[row]
                    found = next((obj[n] for n in names[1:] if n in obj), _MISSING)
                    if found is _MISSING and column in _REQUIRED and row not in chunk.errors:
                        message = f"has no {column!r} key; every ticket needs {column}"
                        chunk.errors[row] = RowError(TicketError, message)
                    values[row] = None if found is _MISSING else found
            setattr(chunk, column if column != "id" else "ident", values)
        yield chunk
