r"""``sla-clock batch``: the SLA status of every ticket of a CSV or JSON Lines file.

Tickets are read in chunks (``id``, ``priority``, ``opened``, ``resolved``, ``pauses``); each
chunk's statuses, all as of one instant, come from the vectorised engine
(:func:`sla_clock.bulk_status.status_many_us`) and the chunk is written out (every input
column kept, plus :data:`OUTPUT_COLUMNS`) before the next one is read, so memory stays
bounded whatever the file size. ``docs/batch.md`` is the user's guide and records the
decisions.

Times are read exactly as :func:`sla_clock._parsing.parse_instant` reads them. The common
shapes (ISO 8601 with or without an offset, ``dd/mm/yyyy HH:MM``, two-digit fields) are
read in bulk from the characters' code points with NumPy; any other text goes through
``parse_instant`` one by one, which also words the error of a bad time. Output instants are
ISO 8601 in the calendar's zone, formatted in bulk too.

A bad row (a time that does not parse, an unknown priority, a resolution before the
opening, a bad pause...) is reported with its line number and then either stops the run
(``on_error="fail"``, the default: the error is raised) or is left out of the output
(``on_error="skip"``). Nothing is ever silently wrong.

NumPy is needed (the ``sla-clock[fast]`` extra), but only imported when a batch runs, so
declaring the subcommand costs nothing.

>>> import io
>>> from zoneinfo import ZoneInfo
>>> tickets = io.StringIO("id,priority,opened\nT-1,P0,2026-11-23 14:00\n")
>>> out = io.StringIO()
>>> now = datetime(2026, 11, 23, 18, 30, tzinfo=ZoneInfo("America/Sao_Paulo"))
>>> summary = process(tickets, out, SlaPolicy.default(), now, input_format="csv")
>>> print(out.getvalue(), end="")
id,priority,opened,due_at,breach_at,used_seconds,remaining_seconds,state,escalation_level
T-1,P0,2026-11-23 14:00,2026-11-23T18:00:00-03:00,2026-11-24T09:00:00-03:00,14400,0,at_risk,1
>>> summary.rows_in, summary.rows_out, summary.rows_skipped
(1, 1, 0)
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import gc
import io
import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import chain, islice
from json.encoder import encode_basestring
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, TextIO, cast

from ._parsing import parse_instant
from .calendar import BusinessCalendar
from .errors import SlaClockError, TicketError, TimeParseError, UnknownPriorityError
from .policy import SlaPolicy

if TYPE_CHECKING:
    from typing import TypeAlias

    import numpy as np
    import numpy.typing as npt

    Subparsers: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]
    Int64Array: TypeAlias = npt.NDArray[np.int64]
    BoolArray: TypeAlias = npt.NDArray[np.bool_]

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "FORMATS",
    "OUTPUT_COLUMNS",
    "BatchSummary",
    "Format",
    "OnError",
    "add_batch_parser",
    "process",
    "run_batch",
]

#: A tickets file format: comma-separated values or JSON Lines (one object per line).
Format = Literal["csv", "jsonl"]
FORMATS: tuple[Format, ...] = ("csv", "jsonl")
#: What a bad row does: ``fail`` stops the run (exit 2), ``skip`` reports it and goes on.
OnError = Literal["fail", "skip"]
ON_ERROR: tuple[OnError, ...] = ("fail", "skip")
Progress = Literal["auto", "always", "never"]
PROGRESS: tuple[Progress, ...] = ("auto", "always", "never")

#: The columns each output row gets, after the input's own.
OUTPUT_COLUMNS = (
    "due_at",
    "breach_at",
    "used_seconds",
    "remaining_seconds",
    "state",
    "escalation_level",
)
#: Rows read, computed and written at a time: memory is bounded by one chunk.
DEFAULT_CHUNK_SIZE = 50_000
#: Instants outside these years are refused as typos (a year 0226 would also make the
#: engine compile eighteen centuries of holidays).
FIRST_YEAR, LAST_YEAR = 1900, 2199

PROG = "sla-clock"
EXIT_OK = 0
EXIT_BAD_INPUT = 2
#: Exit status when the reader of the output goes away (``| head``): 128 + SIGPIPE.
EXIT_BROKEN_PIPE = 141

#: Input columns, with the other names they may have (the ``Ticket`` field names).
_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id",),
    "priority": ("priority",),
    "opened": ("opened", "opened_at"),
    "resolved": ("resolved", "resolved_at"),
    "pauses": ("pauses",),
}
_REQUIRED = ("priority", "opened")
_EXTENSIONS: dict[str, Format] = {
    ".csv": "csv",
    ".tsv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
_DELIMITERS = (",", ";", "\t")
#: End of a pause still going on, as in ``sla-clock status --pause START open``.
_ONGOING = ("", "open", "-")
_NAT = -(2**63)


# -- results -------------------------------------------------------------------------------


@dataclass(slots=True)
class BatchSummary:
    """What a batch run read and wrote; updated chunk by chunk.

    Attributes:
        rows_in: tickets read (blank lines are not tickets).
        rows_out: tickets written.
        rows_skipped: bad rows left out (``on_error="skip"``).
        stopped_at: the line of the bad row that stopped the run (``on_error="fail"``).
    """

    rows_in: int = 0
    rows_out: int = 0
    rows_skipped: int = 0
    stopped_at: int | None = None


class _RowError(NamedTuple):
    """Why a row is bad, and the error class that says so."""

    kind: type[SlaClockError]
    message: str


@dataclass(slots=True)
class _Chunk:
    """Rows of the input, column by column, with what is needed to write them back.

    ``raw`` is each row's text without its line ending (for CSV: its physical lines);
    ``values`` its parsed fields (a list for CSV, a dict for JSON Lines).
    """

    lines: list[int] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)
    values: list[Any] = field(default_factory=list)
    errors: dict[int, _RowError] = field(default_factory=dict)
    ident: list[Any] = field(default_factory=list)
    priority: list[Any] = field(default_factory=list)
    opened: list[Any] = field(default_factory=list)
    resolved: list[Any] = field(default_factory=list)
    pauses: list[Any] = field(default_factory=list)


class _Context(NamedTuple):
    policy: SlaPolicy
    calendar: BusinessCalendar
    now: datetime
    now_us: int
    name: str


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


class _CsvInput:
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

    def chunks(self, size: int) -> Iterator[_Chunk]:
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

    def _reread(self, lines: list[str], first_line: int) -> _Chunk:
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
    ) -> _Chunk:
        """Build a chunk from records ending on lines ``ends`` (``None``: not valid CSV)."""
        buffer = self._buffer
        width = len(self.header)
        chunk = _Chunk()
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
        chunk: _Chunk,
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
                chunk.errors[row] = _RowError(TicketError, failures[i])
                record = [""] * width
            elif len(record) != width:
                message = (
                    f"has {len(record)} fields, the header has {width}; quote fields that "
                    f"contain {self.delimiter!r}"
                )
                chunk.errors[row] = _RowError(TicketError, message)
                record = (record + [""] * width)[:width]
            values.append(record)
        chunk.values = values
        return values


# -- reading JSON Lines ---------------------------------------------------------------------


_MISSING = object()


def _parse_json(texts: list[str], errors: dict[int, _RowError]) -> list[dict[str, Any]]:
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
                errors[row] = _RowError(TicketError, message)
    if set(map(type, objs)) != {dict}:
        for row, obj in enumerate(objs):
            if not isinstance(obj, dict):
                errors[row] = _RowError(TicketError, "is not a JSON object")
                objs[row] = {}
    return objs


def _jsonl_chunks(stream: TextIO, size: int) -> Iterator[_Chunk]:
    """Yield chunks of up to ``size`` JSON objects, one per non-blank line."""
    first_line = 1
    while True:
        lines = list(islice(stream, size))
        if not lines:
            return
        chunk = _Chunk()
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
                        chunk.errors[row] = _RowError(TicketError, message)
                    values[row] = None if found is _MISSING else found
            setattr(chunk, column if column != "id" else "ident", values)
        yield chunk


# -- times in bulk -------------------------------------------------------------------------

_WIDTH = 32  # longest text read in bulk: 2026-11-23T14:00:00.123456-03:00 is 32
_DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_US_PER_SECOND = 1_000_000


def _days_from_civil(year: Int64Array, month: Int64Array, day: Int64Array) -> Int64Array:
    """Return days since 1970-01-01 of proleptic Gregorian dates (H. Hinnant's algorithm)."""
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    mp = (month + 9) % 12
    doy = (153 * mp + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    days: Int64Array = era * 146_097 + doe - 719_468
    return days


def _bulk_instants(
    texts: Sequence[str], calendar: BusinessCalendar
) -> tuple[Int64Array, BoolArray, BoolArray]:
    """Read the usual shapes of time text from their code points, all rows at once.

    Reads ``YYYY-MM-DD``, ``YYYY-MM-DD[T ]HH:MM[:SS[.f]]`` optionally followed by ``Z`` or
    ``±HH:MM``, and ``DD/MM/YYYY[ HH:MM[:SS[.f]]]``, with valid fields and a year in
    ``FIRST_YEAR..LAST_YEAR``. A wall time without an offset is localized with the fold rule
    (:func:`sla_clock.bulk.localize_many_us`).

    Returns:
        Epoch microseconds, a mask of the rows read, and a mask of the empty texts. The rows
        not read are ``NAT``, left to ``parse_instant``, which accepts more and words the
        errors.
    """
    import numpy as np

    out = np.full(len(texts), _NAT, dtype=np.int64)
    done = np.zeros(len(texts), dtype=bool)
    text = np.array(texts, dtype=str)
    blank = np.char.str_len(text) == 0
    live = np.flatnonzero(~blank)  # e.g. the 60 % of tickets not resolved have no text
    if live.size:
        out[live], done[live] = _read_shapes(text[live], calendar)
    return out, done, blank


def _read_shapes(text: Any, calendar: BusinessCalendar) -> tuple[Int64Array, BoolArray]:
    """Do the work of :func:`_bulk_instants` on an array of non-empty texts."""
    import numpy as np

    from .bulk import localize_many_us

    n = text.shape[0]
    out = np.full(n, _NAT, dtype=np.int64)
    width = text.dtype.itemsize // 4
    # One byte per character: ASCII as is, anything else 255 (it matches no pattern).
    c = np.zeros((n, _WIDTH), dtype=np.uint8)
    if width:
        keep = min(width, _WIDTH)
        codes = text.view(np.uint32).reshape(n, width)[:, :keep]
        c[:, :keep] = np.minimum(codes, 255)
    length = np.char.str_len(text).astype(np.int64)
    d = c - np.uint8(ord("0"))  # wraps around below "0", so digits are exactly d <= 9
    digit = d <= 9
    rows = np.arange(n)

    def char(at: int | Int64Array, chars: str) -> BoolArray:
        """Whether the character at ``at`` (a position, or one per row) is one of ``chars``."""
        column = c[:, at] if isinstance(at, int) else c[rows, at]
        found: BoolArray = column == ord(chars[0])
        for other in chars[1:]:
            found |= column == ord(other)
        return found

    iso = digit[:, [0, 1, 2, 3, 5, 6, 8, 9]].all(axis=1) & char(4, "-") & char(7, "-")
    br = digit[:, [0, 1, 3, 4, 6, 7, 8, 9]].all(axis=1) & char(2, "/") & char(5, "/")
    zulu = iso & char(np.clip(length - 1, 0, _WIDTH - 1), "Zz")
    o = np.clip(length - 6, 0, _WIDTH - 6)
    offset = (
        iso
        & (length >= 22)
        & char(o, "+-")
        & digit[rows, o + 1]
        & digit[rows, o + 2]
        & char(o + 3, ":")
        & digit[rows, o + 4]
        & digit[rows, o + 5]
    )
    core = length - zulu.astype(np.int64) - 6 * offset.astype(np.int64)
    has_time, has_seconds, has_fraction = core >= 16, core >= 19, core >= 21
    time_ok = (
        np.where(iso, char(10, "T "), char(10, " "))
        & digit[:, 11]
        & digit[:, 12]
        & char(13, ":")
        & digit[:, 14]
        & digit[:, 15]
    )
    seconds_ok = char(16, ":") & digit[:, 17] & digit[:, 18]
    fraction_ok = has_fraction
    if has_fraction.any():  # most files have none: skip the work
        fraction_ok = np.where(iso, char(19, "."), char(19, ".,")) & (
            digit[:, 20:26] | (np.arange(20, 26) >= core[:, None])
        ).all(axis=1)
    ok = (
        (iso | br)
        & (length <= _WIDTH)
        & ((core == 10) | (core == 16) | (core == 19) | ((core >= 21) & (core <= 26)))
        & (~has_time | time_ok)
        & (~has_seconds | seconds_ok)
        & (~has_fraction | fraction_ok)
        & (~(zulu | offset) | has_time)
    )
    if not ok.any():
        return out, ok
    # Fields of the rows of a known shape only (garbage elsewhere could overflow).
    sel = np.flatnonzero(ok)
    ds, o, iso, core = d[sel], o[sel], iso[sel], core[sel]
    zulu, offset, has_time, has_seconds = zulu[sel], offset[sel], has_time[sel], has_seconds[sel]
    sub = np.arange(sel.size)

    def number(*at: int | Int64Array) -> Int64Array:
        value = np.zeros(sel.size, dtype=np.int64)
        for position in at:
            value *= 10
            value += ds[:, position] if isinstance(position, int) else ds[sub, position]
        return value

    year = np.where(iso, number(0, 1, 2, 3), number(6, 7, 8, 9))
    month = np.where(iso, number(5, 6), number(3, 4))
    day = np.where(iso, number(8, 9), number(0, 1))
    hour = np.where(has_time, number(11, 12), 0)
    minute = np.where(has_time, number(14, 15), 0)
    second = np.where(has_seconds, number(17, 18), 0)
    fraction = np.zeros(sel.size, dtype=np.int64)
    if (core >= 21).any():
        for k in range(6):
            digit_k = np.where(20 + k < core, ds[:, 20 + k], 0).astype(np.int64)
            fraction += digit_k * 10 ** (5 - k)
    offset_hours = offset_minutes = np.zeros(sel.size, dtype=np.int64)
    if offset.any():
        offset_hours = number(o + 1, o + 2)
        offset_minutes = number(o + 4, o + 5)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_days = np.asarray(_DAYS_IN_MONTH)[np.clip(month, 0, 12)] + (leap & (month == 2))
    valid = (
        (year >= FIRST_YEAR)
        & (year <= LAST_YEAR)
        & (month >= 1)
        & (month <= 12)
        & (day >= 1)
        & (day <= month_days)
        & (hour <= 23)
        & (minute <= 59)
        & (second <= 59)
        & (~offset | ((offset_hours <= 23) & (offset_minutes <= 59)))
    )
    ok[sel] = valid
    days = _days_from_civil(year, month, day)
    wall = (((days * 24 + hour) * 60 + minute) * 60 + second) * _US_PER_SECOND + fraction
    if offset.any():
        sign = np.where(c[sel, o] == ord("-"), -1, 1)
        shift = sign * (offset_hours * 60 + offset_minutes) * 60 * _US_PER_SECOND
        wall -= np.where(offset, shift, 0)
    naive = valid & ~zulu & ~offset
    if naive.any():
        wall[naive] = localize_many_us(calendar, wall[naive])
    out[sel[valid]] = wall[valid]
    return out, ok


class _Times(NamedTuple):
    """A column of times: epoch microseconds (``NAT`` when empty or bad) and the errors."""

    us: Int64Array
    empty: BoolArray
    errors: dict[int, str]


def _read_times(values: Sequence[Any], ctx: _Context) -> _Times:
    """Read a column of time texts (``None`` or blank: empty); see :func:`_bulk_instants`."""
    import numpy as np

    errors: dict[int, str] = {}
    texts: Sequence[str]
    if set(map(type, values)) <= {str}:
        texts = values
    else:  # JSON Lines: null, or a value of another type
        texts = [value if isinstance(value, str) else "" for value in values]
        for i, value in enumerate(values):
            if not isinstance(value, str) and value is not None:
                errors[i] = f"expected a time as text, got {type(value).__name__} {value!r}"
    us, done, empty = _bulk_instants(texts, ctx.calendar)
    if errors:
        empty[list(errors)] = False
    calendar = ctx.calendar
    lo, hi = _bounds_us()
    for i in np.flatnonzero(~done & ~empty).tolist():
        text = texts[i]
        if i in errors:
            continue
        if not text.strip():
            empty[i] = True
            continue
        try:
            value_us = calendar.to_us(parse_instant(text, calendar, ctx.now))
        except TimeParseError as exc:
            errors[i] = str(exc)
            continue
        if not lo <= value_us < hi:
            errors[i] = (
                f"{text!r} lies outside the years {FIRST_YEAR}-{LAST_YEAR} that batch "
                "reads; check the year"
            )
            continue
        us[i] = value_us
    return _Times(us, empty, errors)


def _bounds_us() -> tuple[int, int]:
    """Return the instants of ``FIRST_YEAR``-01-01 and ``LAST_YEAR + 1``-01-01 (UTC)."""
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    lo = datetime(FIRST_YEAR, 1, 1, tzinfo=UTC) - epoch
    hi = datetime(LAST_YEAR + 1, 1, 1, tzinfo=UTC) - epoch
    return (
        (lo.days * 86_400 + lo.seconds) * _US_PER_SECOND,
        (hi.days * 86_400 + hi.seconds) * _US_PER_SECOND,
    )


def _offset_text(offset_us: int) -> str:
    """Write a UTC offset as :meth:`datetime.isoformat` does: ``-03:00``, ``+05:30``."""
    sign = "-" if offset_us < 0 else "+"
    seconds = abs(offset_us) // _US_PER_SECOND
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours:02d}:{minutes:02d}" + (f":{secs:02d}" if secs else "")


def _civil_from_days(days: Int64Array) -> tuple[Int64Array, Int64Array, Int64Array]:
    """Return the year, month and day of days since 1970-01-01 (H. Hinnant's algorithm)."""
    import numpy as np

    z = days + 719_468
    era = z // 146_097
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = np.where(mp < 10, mp + 3, mp - 9)
    year = yoe + era * 400 + (month <= 2)
    return year, month, day


def _iso_chars(local: Int64Array, offsets: Int64Array, *, fraction: bool) -> Any:
    """Return the code points of ``YYYY-MM-DDTHH:MM:SS[.ffffff]±HH:MM``, one row per instant.

    ``local`` is wall-clock epoch microseconds, ``offsets`` the UTC offsets (whole minutes).
    """
    import numpy as np

    n = local.shape[0]
    pairs = np.array([[48 + i // 10, 48 + i % 10] for i in range(100)], dtype=np.uint32)
    seconds, micro = np.divmod(local, _US_PER_SECOND)
    days, second_of_day = np.divmod(seconds, 86_400)
    year, month, day = _civil_from_days(days)
    minutes = np.abs(offsets) // (60 * _US_PER_SECOND)

    def text(chars: str) -> Any:
        return np.broadcast_to(np.array([ord(x) for x in chars], dtype=np.uint32), (n, len(chars)))

    blocks = [
        pairs[year // 100],
        pairs[year % 100],
        text("-"),
        pairs[month],
        text("-"),
        pairs[day],
        text("T"),
        pairs[second_of_day // 3600],
        text(":"),
        pairs[second_of_day // 60 % 60],
        text(":"),
        pairs[second_of_day % 60],
    ]
    if fraction:
        blocks += [text("."), pairs[micro // 10_000], pairs[micro // 100 % 100], pairs[micro % 100]]
    sign = np.where(offsets < 0, ord("-"), ord("+")).astype(np.uint32)[:, None]
    blocks += [sign, pairs[minutes // 60], text(":"), pairs[minutes % 60]]
    return np.concatenate(blocks, axis=1)


def _iso_texts(calendar: BusinessCalendar, instants: Int64Array) -> list[str]:
    """Write epoch microseconds as ISO 8601 in the calendar's zone, as ``isoformat()`` does.

    Built from code points, all rows at once.
    """
    import numpy as np

    from .bulk import utc_offsets_us

    offsets = utc_offsets_us(calendar, instants)
    local = instants + offsets
    chars = _iso_chars(local, offsets, fraction=False)
    texts: list[str] = chars.view(f"<U{chars.shape[1]}").ravel().tolist()
    fine = np.flatnonzero(local % _US_PER_SECOND)
    if fine.size:  # isoformat() shows microseconds only when there are some
        chars = _iso_chars(local[fine], offsets[fine], fraction=True)
        with_fraction = chars.view(f"<U{chars.shape[1]}").ravel().tolist()
        for i, value in zip(fine.tolist(), with_fraction, strict=True):
            texts[i] = value
    for i in np.flatnonzero(offsets % (60 * _US_PER_SECOND)).tolist():
        texts[i] = calendar.from_us(int(instants[i])).isoformat()  # an offset with seconds
    return texts


def _int_texts(values: Int64Array) -> list[str]:
    """Write integers in decimal, all rows at once (as ``str(int)``)."""
    import numpy as np

    n = values.shape[0]
    if n == 0:
        return []
    negative = values < 0
    magnitude = np.abs(values)
    powers = 10 ** np.arange(1, 19, dtype=np.int64)
    digits = np.searchsorted(powers, magnitude, side="right") + 1
    width = digits + negative
    chars = np.zeros((n, int(width.max())), dtype=np.uint32)
    chars[negative, 0] = ord("-")
    rows = np.arange(n)
    for k in range(int(digits.max())):
        has = k < digits
        chars[rows[has], (width - 1 - k)[has]] = ord("0") + magnitude[has] // 10**k % 10
    texts: list[str] = chars.view(f"<U{chars.shape[1]}").ravel().tolist()
    return texts


def _seconds_texts(durations: Int64Array) -> list[str]:
    """Write microseconds as seconds: an integer when whole, else a float (``seconds()``)."""
    import numpy as np

    texts = _int_texts(durations // _US_PER_SECOND)
    for i in np.flatnonzero(durations % _US_PER_SECOND).tolist():
        texts[i] = str(int(durations[i]) / _US_PER_SECOND)
    return texts


# -- pauses ----------------------------------------------------------------------------------

#: ``start/end``, where a ``dd/mm/yyyy`` start keeps its own slashes.
_PAUSE = re.compile(r"(?P<start>\d{1,2}/\d{1,2}/\d{4}[^/]*|[^/]*)/(?P<end>.*)", re.DOTALL)
_BRAZILIAN_ALONE = re.compile(r"\d{1,2}/\d{1,2}/\d{4}[^/]*")
_PAUSE_FORMS = (
    "write pauses as start/end pairs separated by ';', with an empty end for a pause still going on"
)


class _PauseText(NamedTuple):
    """One pause as written: the item of the ``pauses`` value, and its start and end texts."""

    item: Any
    start: str
    end: str | None

    @property
    def shown(self) -> str:
        """The pause as it is quoted in messages."""
        if isinstance(self.item, str):
            return self.item.strip()
        return json.dumps(self.item, ensure_ascii=False)


def _split_pause(text: str) -> _PauseText | str:
    """Split one ``start/end`` pause; return the reason when it is not one."""
    stripped = text.strip()
    match = _PAUSE.fullmatch(stripped)
    if match is None or _BRAZILIAN_ALONE.fullmatch(stripped):
        return f"pause {stripped!r} is not start/end; {_PAUSE_FORMS}"
    return _pause_parts(stripped, match["start"], match["end"])


def _pause_parts(item: Any, start: Any, end: Any) -> _PauseText | str:
    if not isinstance(start, str) or not start.strip():
        return f"pause {_PauseText(item, '', None).shown!r} has no start; {_PAUSE_FORMS}"
    if end is not None and not isinstance(end, str):
        return f"pause {_PauseText(item, '', None).shown!r} has an end that is not text"
    if end is None or end.strip().lower() in _ONGOING:
        return _PauseText(item, start, None)
    return _PauseText(item, start, end)


def _pauses_of(value: Any) -> list[_PauseText] | str:
    """Read a pauses cell: ``start/end;...`` text, or a JSON list of pairs or objects."""
    if value is None:
        return []
    if isinstance(value, str):
        if ";" not in value and value.count("/") == 1:  # the usual case: one ISO pause
            start, _, end = value.partition("/")
            one = _pause_parts(value.strip(), start, end)
            return [one] if isinstance(one, _PauseText) else one
        items: list[Any] = [part for part in value.split(";") if part.strip()]
    elif isinstance(value, list):
        items = value
    else:
        return f"pauses must be text or a list, got {type(value).__name__} {value!r}"
    found: list[_PauseText] = []
    for item in items:
        pause: _PauseText | str
        if isinstance(item, str):
            pause = _split_pause(item)
        elif isinstance(item, list) and len(item) == 2:
            pause = _pause_parts(item, item[0], item[1])
        elif isinstance(item, dict) and "start" in item and set(item) <= {"start", "end"}:
            pause = _pause_parts(item, item["start"], item.get("end"))
        else:
            shown = json.dumps(item, ensure_ascii=False)
            pause = (
                f"pause {shown} is neither 'start/end', [start, end] nor "
                '{"start": ..., "end": ...}'
            )
        if isinstance(pause, str):
            return pause
        found.append(pause)
    return found


PauseUs = list[tuple[int, int | None]]


def _read_pauses(
    values: Sequence[Any], ctx: _Context, errors: dict[int, _RowError]
) -> dict[int, tuple[PauseUs, list[_PauseText]]]:
    """Return, per row with pauses, its pauses in microseconds and their texts.

    Rows already in ``errors`` are left out; new bad rows are added to it.
    """
    owners: list[int] = []
    texts: list[_PauseText] = []
    # Rows with something in their pauses cell ("", None and [] are none; 0 is an error).
    given = [i for i, v in enumerate(values) if v or (v is not None and v != "" and v != [])]
    for row in given:
        if row in errors:
            continue
        pauses = _pauses_of(values[row])
        if isinstance(pauses, str):
            errors[row] = _RowError(TicketError, pauses)
            continue
        for pause in pauses:
            owners.append(row)
            texts.append(pause)
    count = len(texts)
    times = _read_times([p.start for p in texts] + [p.end or "" for p in texts], ctx)
    starts, ends, bad = times.us[:count].tolist(), times.us[count:].tolist(), times.errors
    found: dict[int, tuple[PauseUs, list[_PauseText]]] = {}
    for k, row in enumerate(owners):
        pause = texts[k]
        if bad and (k in bad or count + k in bad):
            message = f"pause {pause.shown!r}: {bad.get(k) or bad[count + k]}"
            _fail(errors, row, TimeParseError, message)
            continue
        end = None if pause.end is None else ends[k]
        entry = found.get(row)
        if entry is None:
            found[row] = ([(starts[k], end)], [pause])
        else:
            entry[0].append((starts[k], end))
            entry[1].append(pause)
    return {row: entry for row, entry in found.items() if row not in errors}


# -- one chunk -----------------------------------------------------------------------------


class _Statuses(NamedTuple):
    """The good rows of a chunk (their positions) and their output columns as text."""

    rows: list[int]
    columns: list[list[str]]


def _fail(errors: dict[int, _RowError], row: int, kind: type[SlaClockError], message: str) -> None:
    if row not in errors:
        errors[row] = _RowError(kind, message)


def _check_priorities(chunk: _Chunk, ctx: _Context, errors: dict[int, _RowError]) -> list[str]:
    """Return the priority codes of ``chunk``, adding its rows with a bad one to ``errors``."""
    values = chunk.priority
    try:
        codes = [value.strip() for value in values]
    except AttributeError:  # JSON Lines: a number, null...
        codes = [value.strip() if isinstance(value, str) else "" for value in values]
        for row, value in enumerate(values):
            if not isinstance(value, str) and value is not None:
                shown = f"{type(value).__name__} {value!r}"
                _fail(errors, row, TicketError, f"priority must be text, got {shown}")
    verdicts: dict[str, str] = {}
    for code in set(codes):
        if not code:
            known = ", ".join(ctx.policy.codes)
            verdicts[code] = f"priority is empty; give one of {known}"
            continue
        try:
            ctx.policy.clock_rule(code)
        except UnknownPriorityError as exc:
            verdicts[code] = str(exc)
    if verdicts:
        for row, code in enumerate(codes):
            if code in verdicts:
                _fail(errors, row, UnknownPriorityError, verdicts[code])
    return codes


def _evaluate(chunk: _Chunk, ctx: _Context) -> tuple[_Statuses, dict[int, _RowError]]:
    """Check every row of ``chunk`` and compute the status of the good ones."""
    import numpy as np

    from .bulk_status import status_many_us

    errors = dict(chunk.errors)
    codes = _check_priorities(chunk, ctx, errors)
    opened = _read_times(chunk.opened, ctx)
    resolved = _read_times(chunk.resolved, ctx)
    for column, times in (("opened", opened), ("resolved", resolved)):
        for row, message in times.errors.items():
            _fail(errors, row, TimeParseError, f"{column}: {message}")
    for row in np.flatnonzero(opened.empty).tolist():
        _fail(errors, row, TicketError, "opened is empty; every ticket needs its opening time")
    late = np.flatnonzero((opened.us > ctx.now_us) & ~opened.empty).tolist()
    for row in late:
        message = (
            f"opened {chunk.opened[row]!r} is after the instant of the statuses "
            f"({ctx.now.isoformat()}); give a later --now"
        )
        _fail(errors, row, TicketError, message)
    early = (resolved.us != _NAT) & (opened.us != _NAT) & (resolved.us < opened.us)
    for row in np.flatnonzero(early).tolist():
        message = (
            f"resolved {chunk.resolved[row]!r} is before opened {chunk.opened[row]!r}; "
            "check the two times"
        )
        _fail(errors, row, TicketError, message)
    pauses = _read_pauses(chunk.pauses, ctx, errors)
    if pauses:
        rows = list(pauses)
        opened_at = opened.us[rows].tolist()
        resolved_at = resolved.us[rows].tolist()
        for row, o, r in zip(rows, opened_at, resolved_at, strict=True):
            if row not in errors:
                _check_pauses(chunk, row, o, r, *pauses[row], errors)

    n = len(chunk.lines)
    good = [row for row in range(n) if row not in errors] if errors else list(range(n))
    if not good:
        return _Statuses([], [[] for _ in OUTPUT_COLUMNS]), errors
    index = np.asarray(good, dtype=np.int64)
    paused: list[PauseUs | None] | None = None
    if pauses:
        paused = [None] * len(good)
        rows = list(pauses)
        for at, row in zip(np.searchsorted(index, rows).tolist(), rows, strict=True):
            paused[at] = pauses[row][0]
    status = status_many_us(
        ctx.policy,
        opened.us[index],
        np.asarray(codes if not errors else [codes[row] for row in good], dtype=object),
        ctx.now_us,
        resolved=resolved.us[index],
        pauses=paused,
    )
    columns = [
        _iso_texts(ctx.calendar, status.due),
        _iso_texts(ctx.calendar, status.breach),
        _seconds_texts(status.used),
        _seconds_texts(status.remaining),
        status.state.tolist(),
        _int_texts(status.escalation_level.astype(np.int64)),
    ]
    return _Statuses(good, columns), errors


def _check_pauses(
    chunk: _Chunk,
    row: int,
    opened_us: int,
    resolved_us: int,
    pauses_us: PauseUs,
    texts: list[_PauseText],
    errors: dict[int, _RowError],
) -> None:
    """Apply the rules of :class:`~sla_clock.Ticket` to the pauses of one row."""
    has_resolved = resolved_us != _NAT
    for (start, end), text in zip(pauses_us, texts, strict=True):
        if end is not None and end < start:
            message = f"pause {text.shown!r} ends before it starts"
        elif start < opened_us or (has_resolved and end is not None and end > resolved_us):
            life = f"opened {chunk.opened[row]!r}" + (
                f", resolved {chunk.resolved[row]!r}" if has_resolved else ""
            )
            message = (
                f"pause {text.shown!r} lies outside the ticket's life ({life}); clip it to "
                "that span"
            )
        elif has_resolved and end is None:
            message = f"pause {text.shown!r} is still open on a resolved ticket; give it an end"
        else:
            continue
        _fail(errors, row, TicketError, message)
        return


# -- writing -------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    """Write a JSON value into a CSV cell: text as is, ``null`` empty, others as JSON."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False)


def _pauses_cell(value: Any) -> str:
    """Write a JSON ``pauses`` value as the CSV ``start/end;...`` text when it is one."""
    pauses = _pauses_of(value)
    if isinstance(pauses, str):
        return _cell(value)
    return ";".join(f"{p.start}/{p.end or ''}" for p in pauses)


class _Writer:
    """Writes the header and the good rows of each chunk in the output format."""

    def __init__(
        self, out: TextIO, output_format: Format, source: _CsvInput | None, report: _Report
    ) -> None:
        self.out = out
        self.format = output_format
        self.source = source
        self.report = report
        self.names: list[str] | None = None  # CSV columns of JSON input, from its 1st chunk
        self.delimiter = source.delimiter if source is not None else ","
        self.keep: list[int] = []
        self.passthrough = False
        self.keys: list[str] = []
        if source is not None:
            header = source.header
            self.keep = [i for i, name in enumerate(header) if name not in OUTPUT_COLUMNS]
            self.passthrough = len(self.keep) == len(header)
            self.keys = [encode_basestring(header[i]) + ": " for i in self.keep]
            names = [header[i] for i in self.keep]
            twice = sorted({name for name in names if names.count(name) > 1})
            if output_format == "jsonl" and twice:
                msg = (
                    f"column {twice[0]!r} appears twice in the header, and a JSON object "
                    "cannot have a key twice; rename one, or write CSV"
                )
                raise TicketError(msg)
            if output_format == "csv":
                self._header([header[i] for i in self.keep], header_raw=source.header_raw)

    def _header(self, names: list[str], header_raw: str | None = None) -> None:
        if header_raw is not None and self.passthrough:
            line = header_raw + self.delimiter + self.delimiter.join(OUTPUT_COLUMNS)
            self.out.write(line + "\n")
            return
        writer = csv.writer(self.out, delimiter=self.delimiter, lineterminator="\n")
        writer.writerow([*names, *OUTPUT_COLUMNS])

    def finish(self) -> None:
        """Write the header of a CSV made from JSON Lines that had no row at all."""
        if self.format == "csv" and self.source is None and self.names is None:
            self.names = []
            self._header(self.names)

    def write(self, chunk: _Chunk, statuses: _Statuses) -> None:
        """Write the good rows of ``chunk`` with their status columns."""
        rows, columns = statuses
        if self.format == "jsonl":
            self._jsonl(chunk, rows, columns)
        elif self.source is not None:
            self._csv_from_csv(chunk, rows, columns)
        else:
            self._csv_from_jsonl(chunk, rows, columns)

    def _csv_from_csv(self, chunk: _Chunk, rows: list[int], columns: list[list[str]]) -> None:
        sep = self.delimiter
        extras = map(sep.join, zip(*columns, strict=True))
        if self.passthrough:
            raw = chunk.raw
            self.out.writelines(
                f"{raw[row]}{sep}{extra}\n" for row, extra in zip(rows, extras, strict=True)
            )
            return
        keep, values = self.keep, chunk.values
        writer = csv.writer(self.out, delimiter=sep, lineterminator="\n")
        writer.writerows(
            [*(values[row][i] for i in keep), *extra]
            for row, extra in zip(rows, zip(*columns, strict=True), strict=True)
        )

    def _csv_from_jsonl(self, chunk: _Chunk, rows: list[int], columns: list[list[str]]) -> None:
        if self.names is None:
            seen: dict[str, None] = {}
            for row in range(len(chunk.values)):
                seen.update(dict.fromkeys(chunk.values[row]))
            self.names = [k for k in seen if k not in OUTPUT_COLUMNS]
            self._header(self.names)
        names = self.names
        known = set(names) | set(OUTPUT_COLUMNS)
        writer = csv.writer(self.out, delimiter=",", lineterminator="\n")
        out_rows = []
        for row, extra in zip(rows, zip(*columns, strict=True), strict=True):
            obj = chunk.values[row]
            if not obj.keys() <= known:
                self.report.dropped_keys(chunk.lines[row], [k for k in obj if k not in known])
            cells = [
                _pauses_cell(obj.get(k)) if k == "pauses" else _cell(obj.get(k)) for k in names
            ]
            out_rows.append([*cells, *extra])
        writer.writerows(out_rows)

    def _jsonl(self, chunk: _Chunk, rows: list[int], columns: list[list[str]]) -> None:
        due, breach, used, remaining, state, level = columns
        suffixes = [
            f'"due_at": "{a}", "breach_at": "{b}", "used_seconds": {u}, '
            f'"remaining_seconds": {r}, "state": "{s}", "escalation_level": {lv}}}\n'
            for a, b, u, r, s, lv in zip(due, breach, used, remaining, state, level, strict=True)
        ]
        lines: list[str] = []
        if self.source is not None:  # CSV in: build each object from the header's keys
            keys, keep = self.keys, self.keep
            for row, suffix in zip(rows, suffixes, strict=True):
                record = chunk.values[row]
                fields = ", ".join(
                    [keys[j] + encode_basestring(record[i]) for j, i in enumerate(keep)]
                )
                lines.append("{" + fields + (", " if fields else "") + suffix)
        elif set().union(*map(dict.keys, chunk.values)).isdisjoint(OUTPUT_COLUMNS):
            # JSON in: splice the status into each line as it was (a good row is never {}).
            raw = chunk.raw
            lines = [
                raw[row][:-1] + ", " + suffix for row, suffix in zip(rows, suffixes, strict=True)
            ]
        else:  # JSON with status keys already (an earlier output): replace them
            for row, suffix in zip(rows, suffixes, strict=True):
                kept = {k: v for k, v in chunk.values[row].items() if k not in OUTPUT_COLUMNS}
                head = json.dumps(kept, ensure_ascii=False)[:-1]
                lines.append(head + (", " if kept else "") + suffix)
        self.out.writelines(lines)


# -- reporting -----------------------------------------------------------------------------


class _Report:
    """Writes bad rows and the progress line on the report stream (stderr in the CLI)."""

    def __init__(
        self, name: str, stream: TextIO | None, progress: TextIO | None, size: int | None
    ) -> None:
        self.name = name
        self.stream = stream
        self.progress = progress
        self.size = size
        self.shown = 0
        self.last = 0.0
        self.warned: set[str] = set()

    def _clear(self) -> None:
        if self.progress is not None and self.shown:
            self.progress.write("\r" + " " * self.shown + "\r")
            self.shown = 0

    def line(self, text: str) -> None:
        """Write one line, clearing the progress line first."""
        if self.stream is not None:
            self._clear()
            self.stream.write(text + "\n")

    def dropped_keys(self, line: int, keys: list[str]) -> None:
        """Warn, once per key, that a key first seen after the first chunk is left out."""
        new = [k for k in keys if k not in self.warned]
        if new:
            self.warned.update(new)
            shown = ", ".join(repr(k) for k in new)
            self.line(
                f"{PROG} batch: {self.name} line {line}: key {shown} is not in the first chunk "
                "of rows, so the CSV output has no column for it; write JSON Lines to keep it"
            )

    def tick(self, rows: int, position: int | None, *, final: bool = False) -> None:
        """Show how many rows are done (and how much of the file), at most 5 times a second."""
        if self.progress is None:
            return
        now = time.monotonic()
        if not final and now - self.last < 0.2:
            return
        self.last = now
        text = f"{PROG} batch: {rows:,} rows"
        if self.size and position is not None:
            text += f" ({min(100, 100 * position // self.size)} %)"
        padding = " " * max(0, self.shown - len(text))
        self.progress.write("\r" + text + padding)
        self.progress.flush()
        self.shown = len(text)

    def done(self) -> None:
        """Remove the progress line."""
        self._clear()
        if self.progress is not None:
            self.progress.flush()


def _where(ctx: _Context, chunk: _Chunk, row: int) -> str:
    ident = chunk.ident[row]
    shown = "" if ident is None or ident == "" else f" (id {' '.join(str(ident).split())})"
    return f"{ctx.name} line {chunk.lines[row]}{shown}"


def _position(stream: TextIO) -> int | None:
    """Return how many bytes of ``stream``'s file were read, when it can tell."""
    buffer = getattr(stream, "buffer", None)
    try:
        return int(buffer.tell()) if buffer is not None else None
    except (OSError, ValueError):
        return None


# -- the pipeline --------------------------------------------------------------------------


def process(
    reader: TextIO,
    writer: TextIO,
    policy: SlaPolicy,
    now: datetime,
    *,
    input_format: Format,
    output_format: Format | None = None,
    on_error: OnError = "fail",
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    name: str = "<input>",
    report: TextIO | None = None,
    progress: TextIO | None = None,
    size: int | None = None,
    summary: BatchSummary | None = None,
) -> BatchSummary:
    r"""Read tickets from ``reader`` and write them with their status as of ``now``.

    Args:
        reader: the tickets, text (for CSV, opened with ``newline=""``).
        writer: where the rows go, each with :data:`OUTPUT_COLUMNS` added.
        policy: targets, warning share, escalation and the calendar.
        now: the instant of every status (an aware datetime).
        input_format: ``csv`` or ``jsonl``.
        output_format: ``csv`` or ``jsonl``; default: ``input_format``.
        on_error: ``fail`` raises at the first bad row; ``skip`` reports it on ``report``
            and leaves it out.
        chunk_size: rows read, computed and written at a time.
        name: the input's name in messages, e.g. ``tickets.csv``.
        report: where skipped rows are reported (one line each), or ``None``.
        progress: where the ``\r`` progress line goes (a terminal), or ``None``.
        size: the input's size in bytes, for the progress line's percentage.
        summary: a summary to update (to read the counts after an error).

    Returns:
        The counts of rows read, written and skipped.

    Raises:
        TicketError: a bad file (no header, a required column missing) or, with ``fail``,
            a bad row; the message starts with ``<name> line <n>``.
        TimeParseError: with ``fail``, a time that does not parse.
        UnknownPriorityError: with ``fail``, a priority the policy does not define.
        NaiveDatetimeError: ``now`` has no timezone.
        ValueError: ``chunk_size`` is less than 1.
    """
    import numpy as np  # noqa: F401 (fail here, before any output, without NumPy)

    if chunk_size < 1:
        msg = f"chunk_size must be at least 1, got {chunk_size}"
        raise ValueError(msg)
    summary = BatchSummary() if summary is None else summary
    calendar = policy.calendar
    now_us = calendar.to_us(now)  # refuses a naive datetime
    ctx = _Context(policy, calendar, now.astimezone(calendar.zone), now_us, name)
    _check_now(ctx)
    status_report = _Report(name, report, progress, size)
    source = _CsvInput(reader, name) if input_format == "csv" else None
    chunks = source.chunks(chunk_size) if source is not None else _jsonl_chunks(reader, chunk_size)
    out = _Writer(writer, output_format or input_format, source, status_report)
    for chunk in chunks:
        summary.rows_in += len(chunk.lines)
        statuses, errors = _evaluate(chunk, ctx)
        if errors and on_error == "fail":
            row = min(errors)
            summary.stopped_at = chunk.lines[row]
            status_report.done()
            kind, message = errors[row]
            raise kind(f"{_where(ctx, chunk, row)}: {message}")
        for row in sorted(errors):
            status_report.line(f"{PROG} batch: skipped {_where(ctx, chunk, row)}: {errors[row][1]}")
        out.write(chunk, statuses)
        summary.rows_out += len(statuses.rows)
        summary.rows_skipped += len(errors)
        status_report.tick(summary.rows_in, _position(reader))
    out.finish()
    status_report.tick(summary.rows_in, size, final=True)
    status_report.done()
    return summary


def _check_now(ctx: _Context) -> None:
    lo, hi = _bounds_us()
    if not lo <= ctx.now_us < hi:
        msg = (
            f"the instant of the statuses, {ctx.now.isoformat()}, lies outside the years "
            f"{FIRST_YEAR}-{LAST_YEAR}; give a --now in them"
        )
        raise TimeParseError(msg)


# -- the command line ----------------------------------------------------------------------


def _positive(text: str) -> int:
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        value = 0
    if value < 1:
        msg = f"expected a positive whole number, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return value


def add_batch_parser(subparsers: Subparsers, parents: Sequence[argparse.ArgumentParser]) -> None:
    """Declare ``batch FILE [--format F] [--output FILE] [--now TIME] [--on-error MODE] ...``.

    The shape of ``sla_clock.cli``'s ``_add_<name>`` functions: ``parents`` are the shared
    parent parsers (calendar options; ``--json`` prints the final summary as JSON).
    """
    parser = subparsers.add_parser(
        "batch",
        parents=list(parents),
        help="compute the SLA status of every ticket of a CSV or JSON Lines file",
        description="Read tickets (columns id, priority, opened, resolved, pauses) from a "
        "CSV or JSON Lines file or stdin, and write each one with due_at, breach_at, "
        "used_seconds, remaining_seconds, state and escalation_level, all as of --now. "
        "Bad rows are reported on stderr with their line number. A summary line ends the "
        "run on stderr (with --json, as a JSON object). Exits with 0 on success, 2 on bad "
        "input. See docs/batch.md.",
    )
    parser.add_argument("input", metavar="FILE", help="tickets file, or '-' for stdin")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        help="input format; default: from the extension (.csv, .tsv, .jsonl, .ndjson); "
        "needed for stdin",
    )
    parser.add_argument(
        "-o", "--output", metavar="FILE", default="-", help="where to write; default: stdout"
    )
    parser.add_argument(
        "--output-format",
        choices=FORMATS,
        help="output format; default: from the --output extension, else the input format",
    )
    parser.add_argument(
        "--now",
        metavar="TIME",
        default="now",
        help="the instant of every status (ISO 8601, dd/mm/yyyy HH:MM or 'now'; without an "
        "offset, the calendar's local time); default: now",
    )
    parser.add_argument(
        "--policy",
        metavar="FILE",
        help="policy file (TOML or JSON); its calendar is used unless --calendar is given; "
        "default: P0 4 h, P1 12 h, P2 40 h, P3 48 h",
    )
    parser.add_argument(
        "--on-error",
        choices=ON_ERROR,
        default="fail",
        help="a bad row stops the run with exit status 2 (fail, the default), or is "
        "reported and left out of the output (skip)",
    )
    parser.add_argument(
        "--encoding",
        default="utf-8",
        help="text encoding of the input, e.g. cp1252 for some spreadsheet exports; "
        "default: utf-8 (a byte order mark is skipped); the output is always UTF-8",
    )
    parser.add_argument(
        "--chunk-size",
        type=_positive,
        metavar="N",
        default=DEFAULT_CHUNK_SIZE,
        help=f"rows read and written at a time (memory use); default: {DEFAULT_CHUNK_SIZE:,}",
    )
    parser.add_argument(
        "--progress",
        choices=PROGRESS,
        default="auto",
        help="show a progress line on stderr: auto (when stderr is a terminal), always, never",
    )
    parser.set_defaults(handler=run_batch)


def _calendar_from_args(args: argparse.Namespace, base: BusinessCalendar) -> BusinessCalendar:
    """Return the calendar of ``--calendar``/``--tz``/``--subdiv`` (as ``sla_clock.cli``)."""
    calendar = base
    if getattr(args, "calendar", None) is not None:
        calendar = BusinessCalendar.from_file(args.calendar)
    if getattr(args, "tz", None) is not None:
        calendar = calendar.with_timezone(args.tz)
    if getattr(args, "subdiv", None) is not None:
        source = calendar.holidays
        calendar = calendar.with_holidays(
            source.country, subdiv=args.subdiv, categories=source.categories
        )
    return calendar


def _format_of(path: str, given: Format | None) -> Format | None:
    """Return ``given``, else the format the extension of ``path`` names (or ``None``)."""
    if given is not None:
        return given
    if path == "-":
        return None
    return _EXTENSIONS.get(Path(path).suffix.lower())


def _error(message: str) -> int:
    print(f"{PROG}: error: {' '.join(message.splitlines())}", file=sys.stderr)
    return EXIT_BAD_INPUT


class _Output:
    """The output stream: stdout, or a file written beside the target and renamed at the end.

    The rename makes a failed run leave no half-written file (a previous one stays).
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.temp: str | None = None
        self.wrapper: io.TextIOWrapper | None = None  # around stdout's bytes, detached at the end
        if path == "-":
            sys.stdout.flush()
            binary = getattr(sys.stdout, "buffer", None)
            if binary is not None:
                self.wrapper = io.TextIOWrapper(binary, encoding="utf-8", newline="")
            self.stream: TextIO = self.wrapper if self.wrapper is not None else sys.stdout
            return
        target = Path(path)
        if target.exists() and not target.is_file():  # /dev/stdout, a FIFO: write as is
            self.stream = target.open("w", encoding="utf-8", newline="")
            return
        fd, self.temp = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
        )
        self.stream = open(fd, "w", encoding="utf-8", newline="")  # noqa: SIM115

    def commit(self) -> None:
        """Flush, and move the finished file into place with the target's permissions."""
        self.stream.flush()
        if self.temp is None:
            return
        self.stream.close()
        target = Path(self.path)
        if target.exists():
            mode = target.stat().st_mode & 0o777
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(self.temp, mode)
        os.replace(self.temp, target)
        self.temp = None

    def close(self) -> None:
        """Release the stream; remove the temporary file of an unfinished run."""
        if self.path == "-":
            with contextlib.suppress(OSError, ValueError):
                self.stream.flush()
            if self.wrapper is not None:
                with contextlib.suppress(ValueError):
                    self.wrapper.detach()  # leave sys.stdout open
            return
        with contextlib.suppress(OSError):
            self.stream.close()
        if self.temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.temp)


def _open_input(path: str, encoding: str) -> tuple[TextIO, int | None]:
    """Open the input as text (``newline=""`` for the csv module) with its size when known."""
    encoding = "utf-8-sig" if encoding.replace("_", "-").lower() in ("utf-8", "utf8") else encoding
    if path == "-":
        binary = getattr(sys.stdin, "buffer", None)
        if binary is None:
            return sys.stdin, None
        return io.TextIOWrapper(binary, encoding=encoding, newline=""), None
    stream = open(path, encoding=encoding, newline="")  # noqa: SIM115 (closed by the caller)
    size = os.fstat(stream.fileno()).st_size
    return stream, size if Path(path).is_file() else None


def _summary_line(
    summary: BatchSummary, now: datetime, *, as_json: bool, output: str, failed: bool
) -> str:
    if as_json:
        return json.dumps(
            {
                "rows_in": summary.rows_in,
                "rows_out": summary.rows_out,
                "rows_skipped": summary.rows_skipped,
                "as_of": now.isoformat(),
                "stopped_at_line": summary.stopped_at,
                "complete": not failed,
            }
        )
    rows = "row" if summary.rows_in == 1 else "rows"
    counts = (
        f"{summary.rows_in:,} {rows} in, {summary.rows_out:,} out, {summary.rows_skipped:,} skipped"
    )
    if not failed:
        return f"{PROG} batch: {counts}; statuses as of {now.isoformat()}"
    where = f"stopped at line {summary.stopped_at}" if summary.stopped_at else "stopped"
    lost = "the output on stdout is incomplete" if output == "-" else f"{output} was not written"
    return f"{PROG} batch: {where}: {counts}; {lost}"


def run_batch(args: argparse.Namespace) -> int:
    """Run ``sla-clock batch`` on parsed options; return the exit status (0 or 2).

    Errors before the first row (a bad policy, calendar or ``--now``) propagate as
    :class:`SlaClockError` for the caller (``sla_clock.cli.main``) to print.
    """
    try:
        import numpy  # noqa: F401
    except ImportError:
        return _error("sla-clock batch needs NumPy; install it with: pip install 'sla-clock[fast]'")
    policy = SlaPolicy.default() if args.policy is None else SlaPolicy.from_file(args.policy)
    policy = policy.with_calendar(_calendar_from_args(args, policy.calendar))
    now = parse_instant(args.now, policy.calendar)
    input_format = _format_of(args.input, args.format)
    if input_format is None:
        shown = "stdin" if args.input == "-" else repr(args.input)
        return _error(
            f"cannot tell the format of {shown} from its name; pass --format csv or --format jsonl"
        )
    output_format = _format_of(args.output, args.output_format) or input_format
    try:
        reader, size = _open_input(args.input, args.encoding)
    except (OSError, LookupError) as exc:
        return _error(f"cannot read {args.input}: {exc}")
    as_json = bool(getattr(args, "json", False))
    want = args.progress
    progress = sys.stderr if want == "always" or (want == "auto" and sys.stderr.isatty()) else None
    summary = BatchSummary()
    failed = True
    output: _Output | None = None
    collecting = gc.isenabled()
    gc.disable()  # rows hold no reference cycles: the collector would only cost time (~10 %)
    try:
        output = _Output(args.output)
        process(
            reader,
            output.stream,
            policy,
            now,
            input_format=input_format,
            output_format=output_format,
            on_error=args.on_error,
            chunk_size=args.chunk_size,
            name="<stdin>" if args.input == "-" else args.input,
            report=sys.stderr,
            progress=progress,
            size=size,
            summary=summary,
        )
        output.commit()
        failed = False
    except SlaClockError as exc:
        _error(str(exc))
    except UnicodeDecodeError as exc:
        _error(
            f"{args.input} is not {args.encoding} text ({exc.reason}); give its encoding, "
            "e.g. --encoding cp1252"
        )
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_BROKEN_PIPE
    except OSError as exc:
        _error(str(exc))
    finally:
        if collecting:
            gc.enable()
        if output is not None:
            output.close()
        if args.input != "-":
            reader.close()
        elif reader is not sys.stdin and isinstance(reader, io.TextIOWrapper):
            with contextlib.suppress(ValueError):
                reader.detach()  # leave sys.stdin open
    print(
        _summary_line(summary, now, as_json=as_json, output=args.output, failed=failed),
        file=sys.stderr,
    )
    return EXIT_BAD_INPUT if failed else EXIT_OK


def _quiet_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the exit flush does not fail."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
