r"""``sla-clock batch``: the SLA status of every ticket of a CSV or JSON Lines file.

Tickets are read in chunks (``id``, ``priority``, ``opened``, ``resolved``, ``pauses``); each
chunk's statuses, all as of one instant, come from the vectorised engine
(:func:`sla_clock.bulk._status.status_many_us`) and the chunk is written out (every input
column kept, plus :data:`OUTPUT_COLUMNS`) before the next one is read, so memory stays
bounded whatever the file size. ``docs/batch.md`` is the user's guide and records the
decisions.

This module is the pipeline, :func:`process`. Each step has its own module:

- :mod:`sla_clock.batch._csv` reads a CSV file chunk by chunk (refusing the quotes that
  would lose rows: :mod:`sla_clock.batch._quotes`), :mod:`sla_clock.batch._jsonl` a JSON
  Lines file, both finding the ticket fields by :mod:`sla_clock.batch._columns`;
- :mod:`sla_clock.batch._rows` checks each row and computes the good rows' statuses,
  reading times with :mod:`sla_clock.batch._times` and pauses with
  :mod:`sla_clock.batch._pauses`;
- :mod:`sla_clock.batch._writer` writes the rows back with their statuses;
- :mod:`sla_clock.batch._progress` reports skipped rows and progress;
- :mod:`sla_clock.cli._batch` is the command line around it (``add_batch_parser``,
  ``run_batch``), with :mod:`sla_clock.cli._input`, :mod:`sla_clock.cli._output` and
  :mod:`sla_clock.cli._signals`.

Times are read exactly as :func:`sla_clock.parsing.parse_instant` reads them. The common
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
T-1,P0,2026-11-23 14:00,2026-11-23T18:00:00-03:00,2026-11-24T09:00:00-03:00,14400,0,at_risk,0
>>> summary.rows_in, summary.rows_out, summary.rows_skipped
(1, 1, 0)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal, TextIO, cast

from .._ops import range_us
from .._version import PROG
from ..errors import OutOfRangeError
from ..policy import SlaPolicy
from ._columns import Columns
from ._csv import FORMATS, BrokenFileError, Chunk, CsvInput, Format, RowError
from ._jsonl import JsonlInput
from ._lines import LimitedLines
from ._progress import Report
from ._rows import OUTPUT_COLUMNS, Context, compute, evaluate
from ._writer import Writer

if TYPE_CHECKING:
    from ._plain_csv import Plain

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "FORMATS",
    "OUTPUT_COLUMNS",
    "BatchSummary",
    "Format",
    "OnError",
    "process",
]

#: What a bad row does: ``fail`` stops the run (exit 2), ``skip`` reports it and goes on.
OnError = Literal["fail", "skip"]
ON_ERROR: tuple[OnError, ...] = ("fail", "skip")
#: Rows read, computed and written at a time: memory is bounded by one chunk.
DEFAULT_CHUNK_SIZE = 50_000


@dataclass(slots=True)
class BatchSummary:
    """What a batch run read and wrote; updated chunk by chunk.

    Attributes:
        rows_in: tickets read (blank lines are not tickets).
        rows_out: tickets written.
        rows_skipped: bad rows left out (``on_error="skip"``).
        stopped_at: the line of the bad row that stopped the run (``on_error="fail"``), or
            its row (``counted_in="row"``).
        counted_in: what ``stopped_at`` counts: the file's lines, or its data rows from 1
            (Parquet and Arrow runs, whose CSV input pyarrow reads).
        pauses_clipped: pauses of the written rows that reached outside their ticket's life
            (before the opening, after the resolution or after ``now``) and were clipped.
        events: a run of ``batch --events`` (``rows_in`` counts events, ``rows_skipped``
            the events left out).
        tickets_skipped: with ``--events``, the tickets left out for a bad line or history.
    """

    rows_in: int = 0
    rows_out: int = 0
    rows_skipped: int = 0
    stopped_at: int | None = None
    counted_in: Literal["line", "row"] = "line"
    pauses_clipped: int = 0
    events: bool = False
    tickets_skipped: int = 0


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
    columns: Mapping[str, str] | None = None,
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
        columns: the column of each ticket field not named as usual, e.g.
            ``{"opened": "Data de abertura"}`` (``--columns``).

    Returns:
        The counts of rows read, written and skipped.

    Raises:
        TicketError: a bad file (no header, a required column missing, a quote that is
            never closed), a bad ``columns`` mapping or, with ``fail``, a bad row; the
            message starts with ``<name> line <n>``.
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
    ctx = Context(policy, calendar, now.astimezone(calendar.zone), now_us, name)
    _check_now(ctx)
    status_report = Report(name, report, progress, size)
    fields = Columns(columns)
    from_start = _position(reader) == 0  # (a file read elsewhere before is read as it goes)
    lines = cast("TextIO", LimitedLines(reader, name))  # a text stream with a bounded readline
    source = CsvInput(lines, name, fields) if input_format == "csv" else JsonlInput(lines, fields)
    out = Writer(writer, output_format or input_format, source)
    plain = _plain(reader, source, out, writer) if from_start else None
    if plain is not None:  # one record a line: read and written by pyarrow
        _process_plain(plain, source, writer, ctx, summary, status_report, chunk_size, on_error)
    else:
        for chunk in _stop_at_broken(source.chunks(chunk_size), summary, status_report):
            _one_chunk(chunk, ctx, out, summary, status_report, on_error=on_error)
            status_report.tick(summary.rows_in, _position(lines))
    status_report.tick(summary.rows_in, size, final=True)
    status_report.done()
    return summary


def _one_chunk(
    chunk: Chunk,
    ctx: Context,
    out: Writer,
    summary: BatchSummary,
    report: Report,
    *,
    on_error: OnError,
) -> None:
    """Check, compute and write one chunk; report (or, with ``fail``, raise) its bad rows."""
    summary.rows_in += len(chunk.lines)
    statuses, errors, clipped = evaluate(chunk, ctx)
    _account(chunk, errors, ctx, summary, report, on_error=on_error)
    out.write(chunk, statuses)
    summary.rows_out += len(statuses.rows)
    summary.pauses_clipped += clipped


def _account(
    chunk: Chunk,
    errors: dict[int, RowError],
    ctx: Context,
    summary: BatchSummary,
    report: Report,
    *,
    on_error: OnError,
) -> None:
    """Raise the first bad row of ``chunk`` (``fail``), or report each one (``skip``)."""
    if errors and on_error == "fail":
        row = min(errors)
        summary.stopped_at = chunk.lines[row]
        report.done()
        kind, message = errors[row]
        raise kind(f"{_where(ctx, chunk, row)}: {message}")
    for row in sorted(errors):
        report.line(f"{PROG} batch: skipped {_where(ctx, chunk, row)}: {errors[row][1]}")
    summary.rows_skipped += len(errors)


def _process_plain(
    plain: Plain,
    source: CsvInput | JsonlInput,
    writer: TextIO,
    ctx: Context,
    summary: BatchSummary,
    report: Report,
    chunk_size: int,
    on_error: OnError,
) -> None:
    """Check, compute and write the rows of a plain CSV file, read and written by pyarrow.

    See :mod:`~sla_clock.batch._plain_csv`; the rows are checked and computed as any rows.
    """
    from ._arrow_columns import system_memory
    from ._plain_csv import PlainWriter, plain_chunks

    assert isinstance(source, CsvInput)
    with system_memory():  # pyarrow's memory back to the system as the batches go
        out = PlainWriter(writer, source.delimiter, ctx)
        try:
            for chunk, opened, resolved, batch in plain_chunks(plain, source, ctx, chunk_size):
                summary.rows_in += len(chunk.lines)
                good, status, errors = compute(chunk, ctx, opened, resolved)
                _account(chunk, errors, ctx, summary, report, on_error=on_error)
                if status is not None:
                    out.write(batch, good, status)
                    summary.rows_out += len(good)
                    summary.pauses_clipped += int(status.pauses_clipped.sum())
                report.tick(summary.rows_in, min(summary.rows_in * plain.mean, plain.size))
        except Exception:
            out.close()  # the rows before a bad row are written, as the csv way writes them
            raise
        except BaseException:
            out.close(finish=False)  # Ctrl-C or a stop signal: stop at the rows being written
            raise
        out.close()


def _plain(
    reader: TextIO, source: CsvInput | JsonlInput, out: Writer, writer: TextIO
) -> Plain | None:
    """A plain CSV file (see :mod:`~sla_clock.batch._plain_csv`) written as CSV."""
    if not isinstance(source, CsvInput) or out.format != "csv" or not out.passthrough:
        return None
    from ._plain_csv import plain_path

    return plain_path(reader, source, writer)


def _stop_at_broken(
    chunks: Iterator[Chunk], summary: BatchSummary, report: Report
) -> Iterator[Chunk]:
    """Yield ``chunks``; a file that breaks records the line where it stopped."""
    try:
        yield from chunks
    except BrokenFileError as exc:
        summary.stopped_at = exc.line
        report.done()
        raise


def _check_now(ctx: Context) -> None:
    """Refuse, before any row, an instant of the statuses the calendar cannot answer."""
    lo, hi = range_us(ctx.calendar)
    if not lo <= ctx.now_us < hi:
        first, last = ctx.calendar.year_range
        msg = (
            f"the instant of the statuses, {ctx.now.isoformat()}, lies outside the years "
            f"{first}-{last} that this calendar can answer; give a --now in them"
        )
        raise OutOfRangeError(msg)


def _where(ctx: Context, chunk: Chunk, row: int) -> str:
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
