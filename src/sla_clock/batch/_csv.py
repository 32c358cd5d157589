"""Tickets files read chunk by chunk: the chunk, and CSV (comma, semicolon or tab).

A :class:`Chunk` holds up to ``size`` rows column by column (the fields ``id``,
``priority``, ``opened``, ``resolved`` and ``pauses``, found under the column names of
:mod:`sla_clock.batch._columns`), with each row's line number, its raw text (which the
writer copies as it is) and its parsed fields. JSON Lines are read into chunks by
:mod:`sla_clock.batch._jsonl`.

A CSV row that cannot be read (a ragged record, a stray quote on one line) is not an error
here: it becomes a :class:`RowError` of the chunk, for the pipeline to report or skip. A
record that would lose rows (an unclosed quote, a quote that closes lines later: see
:mod:`sla_clock.batch._quotes`) raises :class:`BrokenFileError` once the rows before it are
yielded, whatever the pipeline does with bad rows. A bad header (none, a required column
missing, a column twice, a column of ``--columns`` missing) raises at once.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from operator import itemgetter
from typing import Any, Literal, NamedTuple, TextIO, cast

from ..errors import SlaClockError, TicketError
from ._columns import FIELDS, REQUIRED, Columns
from ._quotes import QUOTE_HELP, BrokenFileError, broken_by_error, broken_by_lines

__all__ = [
    "FORMATS",
    "BrokenFileError",
    "Chunk",
    "CsvInput",
    "Format",
    "RowError",
    "detect_delimiter",
    "field_attribute",
]

#: A tickets file format: comma-separated values or JSON Lines (one object per line).
Format = Literal["csv", "jsonl"]
FORMATS: tuple[Format, ...] = ("csv", "jsonl")

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


def field_attribute(name: str) -> str:
    return "ident" if name == "id" else name


# -- reading CSV ---------------------------------------------------------------------------


def detect_delimiter(header: str) -> str:
    """Return the delimiter of a CSV header line: comma, semicolon (Excel pt-BR) or tab."""
    counts = [header.count(d) for d in _DELIMITERS]
    best = max(range(len(_DELIMITERS)), key=lambda i: (counts[i], -i))
    return _DELIMITERS[best] if counts[best] else ","


def _column_map(header: Sequence[str], where: str, columns: Columns) -> dict[str, int]:
    """Return the position of each ticket field's column in ``header``.

    Raises:
        TicketError: a field's column appears twice (under one name or two), a column of
            the mapping is missing, or a required column is missing.
    """
    found: dict[str, int] = {}
    given: dict[str, str] = {}
    for i, name in enumerate(header):
        column = columns.field(name)
        if column is None:
            continue  # another column: kept as it is
        if column in found:
            msg = (
                f"{where}: the header has both {given[column]!r} and {name!r} for the "
                f"{column} column; keep one, or choose it with --columns {column}=NAME"
            )
            raise TicketError(msg)
        found[column], given[column] = i, name
    shown = ", ".join(repr(h) for h in header)
    for column, name in columns.mapped.items():
        if column not in found:
            msg = (
                f"{where}: the header has no column {name!r}, which --columns names for "
                f"{column} (it has {shown}); check the spelling"
            )
            raise TicketError(msg)
    missing = [c for c in REQUIRED if c not in found]
    if missing:
        wanted = " and ".join(f"{c} ({columns.names(c)})" for c in missing)
        msg = (
            f"{where}: the header has no {' or '.join(repr(m) for m in missing)} column "
            f"(it has {shown}); a tickets file needs {wanted}, and may have id, resolved and "
            'pauses; name other columns with --columns, e.g. --columns opened="Data de abertura"'
        )
        raise TicketError(msg)
    return found


def _tap(lines: Iterator[str], buffer: list[str]) -> Iterator[str]:
    """Yield ``lines``, keeping each one in ``buffer`` (the raw text of the records)."""
    keep = buffer.append
    for line in lines:
        keep(line)
        yield line


class _PushBack:
    """The lines of a stream, with lines read ahead that can be given back."""

    def __init__(self, first: str, stream: TextIO) -> None:
        self._stream = stream
        self._pending = [first]

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        if self._pending:
            return self._pending.pop()
        line = self._stream.readline()
        if not line:
            raise StopIteration
        return line

    def take(self, count: int) -> list[str]:
        """The next ``count`` lines (fewer at the end of the stream)."""
        lines = self._pending[::-1][:count]
        del self._pending[len(self._pending) - len(lines) :]
        if len(lines) < count:
            take = getattr(self._stream, "take", None)
            more = count - len(lines)
            lines += take(more) if take else list(islice(iter(self._stream.readline, ""), more))
        return lines

    def push(self, lines: list[str]) -> None:
        """Give ``lines`` back: they are read again, first."""
        self._pending.extend(reversed(lines))


def _one_line_each(lines: list[str], delimiter: str) -> list[list[str]] | None:
    """The records of ``lines`` when each line is one valid record, else ``None``."""
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    try:
        records = list(reader)
    except csv.Error:
        return None
    return records if reader.line_num == len(lines) == len(records) else None


class CsvInput:
    """Reads a CSV file of tickets chunk by chunk, keeping each record's raw text."""

    def __init__(self, stream: TextIO, name: str, columns: Columns | None = None) -> None:
        self.name = name
        first = stream.readline()
        if not first.strip():
            msg = (
                f"{name}: no header line; a CSV of tickets starts with a header such as "
                "id,priority,opened,resolved,pauses"
            )
            raise TicketError(msg)
        if "\x00" in first:
            msg = (
                f"{name} line 1: the header has NUL characters, so the file is probably "
                "UTF-16 text; give its encoding, e.g. --encoding utf-16"
            )
            raise TicketError(msg)
        self.delimiter = detect_delimiter(first)
        self._buffer: list[str] = []
        self._source = _PushBack(first, stream)
        self._reader = csv.reader(
            _tap(self._source, self._buffer), delimiter=self.delimiter, strict=True
        )
        try:
            self.header = next(self._reader)
        except csv.Error as exc:
            msg = f"{name} line 1: the header is not valid CSV ({exc}); {QUOTE_HELP}"
            raise TicketError(msg) from None
        if self._reader.line_num > 1:
            msg = (
                f"{name} line 1: a quote opened in the header runs over "
                f"{self._reader.line_num} lines; {QUOTE_HELP}"
            )
            raise TicketError(msg)
        self.header_raw = "".join(self._buffer).rstrip("\r\n")
        self.columns = _column_map(self.header, f"{name} line 1", columns or Columns())
        self._line = self._reader.line_num  # the last line read
        self._broken: BrokenFileError | None = None

    def chunks(self, size: int) -> Iterator[Chunk]:
        """Yield chunks of up to ``size`` records (blank lines are dropped).

        Raises:
            BrokenFileError: after the rows before it, a record that would lose rows.
        """
        reader, buffer = self._reader, self._buffer
        while self._broken is None:
            first_line = self._line + 1
            buffer.clear()
            lines = self._source.take(size)
            if not lines:
                return
            records = _one_line_each(lines, self.delimiter)
            if records is not None:  # the usual case: read as a block
                buffer.extend(lines)
                self._line += len(lines)
                ends = range(first_line, self._line + 1)
                yield self._chunk(records, ends, first_line, {}, one_line_each=True)
                continue
            self._source.push(lines)  # a record over several lines, or a bad one
            records = []
            failed = False
            before = reader.line_num
            try:
                records.extend(islice(reader, size))
            except csv.Error:
                failed = True  # the chunk ends at the bad record
            if not records and not failed:
                return
            self._line += reader.line_num - before
            if failed or self._line - first_line + 1 != len(records):
                chunk = self._reread(list(buffer), first_line)
            else:
                ends = range(first_line, self._line + 1)
                chunk = self._chunk(records, ends, first_line, {}, one_line_each=True)
            if chunk.lines:
                yield chunk
        raise self._broken

    def _reread(self, lines: list[str], first_line: int) -> Chunk:
        """Read again, record by record, lines with a bad record or one over several lines.

        The chunk ends before a record that breaks the file (:attr:`_broken` says why).
        """
        reader = csv.reader(iter(lines), delimiter=self.delimiter, strict=True)
        records: list[list[str] | None] = []
        ends: list[int] = []
        failures: dict[int, str] = {}
        start = first_line
        while self._broken is None:
            try:
                record = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                end = first_line - 1 + reader.line_num
                raw = "".join(lines[start - first_line : end - first_line + 1])
                self._broken = broken_by_error(self.name, str(exc), raw, start, end, self.delimiter)
                if self._broken is None:
                    failures[len(records)] = f"is not valid CSV ({exc})"
                    records.append(None)
                    ends.append(end)
                start = end + 1
                continue
            end = first_line - 1 + reader.line_num
            if end > start:
                self._broken = broken_by_lines(
                    self.name, record, start, end, self.header, self.columns, self.delimiter
                )
            if self._broken is None:
                records.append(record)
                ends.append(end)
            start = end + 1
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
        for column in FIELDS:
            position = self.columns.get(column)
            data = empty if position is None else list(map(itemgetter(position), values))
            setattr(chunk, field_attribute(column), data)
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
