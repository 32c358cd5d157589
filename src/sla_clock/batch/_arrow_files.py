"""``batch`` on Parquet and Arrow files (the ``arrow`` extra): typed columns in and out.

Tickets are read a record batch at a time from a Parquet file, an Arrow IPC file or stream
(``.arrow``, ``.feather``, ``.ipc``), or a CSV file through pyarrow's CSV reader (every
column as text). The ticket fields are found by their usual names (:mod:`._columns`); times
may be ``timestamp`` columns (with a zone: the instant; without: the calendar's local time)
or text, read as ``batch`` reads text. Every row is checked and computed by
:func:`sla_clock.batch._rows.compute`, the rules of every other ``batch``; a bad row is
``<name> row <n>: ...`` (``n`` counts data rows from 1).

The output keeps every input column and adds ``due_at`` and ``breach_at``
(``timestamp[us, <zone>]``), ``used_seconds`` and ``remaining_seconds`` (``duration[us]``:
the names are those of every other format, the values exact microseconds), ``state``
(dictionary-encoded) and ``escalation_level`` (``int16``), as Parquet or Arrow IPC.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from .._clock import STATE_CODES
from .._zone import NAT
from ..errors import TicketError
from ._arrow_arrays import from_numpy, texts_array
from ._arrow_columns import instants_of, pa_module, pause_cells, readable
from ._columns import Columns
from ._csv import Chunk
from ._pipeline import BatchSummary, OnError
from ._prefetch import prefetched
from ._rows import OUTPUT_COLUMNS, Context, compute
from ._times import Times

__all__ = [
    "ARROW_FORMATS",
    "arrow_batches",
    "arrow_statuses",
    "give_memory_back",
    "process_arrow",
    "status_batch",
]

#: The formats of this module, by extension.
ARROW_FORMATS = {".parquet": "parquet", ".arrow": "arrow", ".feather": "arrow", ".ipc": "arrow"}


def give_memory_back() -> None:
    """Make this process's Arrow memory come from the system allocator, which gives it back.

    pyarrow's default pool (mimalloc) keeps what a batch freed for the next ones: on a
    million tickets a ``batch`` run peaked at 290 MB with it and 200 MB without. Only the
    command line calls this: the process is its own.
    """
    pa = pa_module()
    pa.set_memory_pool(pa.system_memory_pool())


def arrow_batches(path: str, file_format: str, size: int) -> Iterator[Any]:
    """Yield the record batches of a Parquet, Arrow or CSV file, ``size`` rows at most."""
    pa = pa_module()
    if file_format == "parquet":
        import pyarrow.parquet as pq  # type: ignore[import-untyped,unused-ignore]  # (no type hints)

        yield from pq.ParquetFile(path).iter_batches(batch_size=size)
    elif file_format == "arrow":
        try:
            reader = pa.ipc.open_file(path)
            batches = (reader.get_batch(k) for k in range(reader.num_record_batches))
        except pa.ArrowInvalid:
            batches = iter(pa.ipc.open_stream(path))
        for batch in batches:
            yield from (batch.slice(k, size) for k in range(0, batch.num_rows, size))
    else:
        import pyarrow.csv as pa_csv  # type: ignore[import-untyped,unused-ignore]  # (no type hints)

        with Path(path).open(encoding="utf-8-sig", newline="") as text:
            names = next(csv.reader(text), [])
        types = {name: pa.string() for name in names}
        options = pa_csv.ConvertOptions(column_types=types, strings_can_be_null=False)
        read = pa_csv.ReadOptions(block_size=1 << 20)
        for batch in pa_csv.open_csv(path, read_options=read, convert_options=options):
            yield from (batch.slice(k, size) for k in range(0, batch.num_rows, size))


def _chunk(batch: Any, first_row: int, fields: Columns, ctx: Context) -> tuple[Chunk, Times, Times]:
    """A record batch as a :class:`Chunk` (rows numbered from ``first_row``) and its instants."""
    where = {fields.field(name): name for name in batch.schema.names if fields.field(name)}
    for required in ("priority", "opened"):
        if required not in where:
            msg = (
                f"{ctx.name}: no {required!r} column (it has {', '.join(batch.schema.names)}); "
                "a tickets file has the columns id, priority, opened, resolved, pauses"
            )
            raise TicketError(msg)
    n = batch.num_rows
    chunk = Chunk(lines=list(range(first_row, first_row + n)))
    chunk.priority = batch.column(where["priority"]).to_pylist()
    chunk.ident = [None] * n  # a bad row is named by its number
    chunk.pauses = pause_cells(batch.column(where["pauses"])) if "pauses" in where else [None] * n
    opened, chunk.opened = instants_of(batch.column(where["opened"]), ctx)
    if "resolved" in where:
        resolved, chunk.resolved = instants_of(batch.column(where["resolved"]), ctx)
    else:
        resolved = Times(np.full(n, NAT, dtype=np.int64), np.ones(n, dtype=bool), {})
        chunk.resolved = [""] * n
    return chunk, opened, resolved


def status_batch(batch: Any, good: list[int], status: Any, ctx: Context) -> Any:
    """The good rows of ``batch`` with the status columns added (as typed Arrow arrays)."""
    pa = pa_module()
    every = len(good) == batch.num_rows  # good rows are ascending: all of them, in order
    kept = batch if every else batch.take(from_numpy(np.asarray(good, dtype=np.int64), pa.int64()))
    zone = ctx.calendar.timezone

    def typed(values: np.ndarray, kind: Any) -> Any:
        return from_numpy(values.astype(np.int64), pa.int64()).cast(kind)

    added = {
        "due_at": typed(status.due, pa.timestamp("us", tz=zone)),
        "breach_at": typed(status.breach, pa.timestamp("us", tz=zone)),
        "used_seconds": typed(status.used, pa.duration("us")),
        "remaining_seconds": typed(status.remaining, pa.duration("us")),
        "state": pa.DictionaryArray.from_arrays(
            from_numpy(status.state_code.astype(np.int8), pa.int8()), texts_array(STATE_CODES)
        ),
        "escalation_level": from_numpy(status.escalation_level.astype(np.int16), pa.int16()),
    }
    names = [name for name in kept.schema.names if name not in added]
    arrays = [kept.column(name) for name in names] + [added[name] for name in OUTPUT_COLUMNS]
    return pa.RecordBatch.from_arrays(arrays, names=[*names, *OUTPUT_COLUMNS])


def arrow_statuses(
    path: str,
    input_format: str,
    ctx: Context,
    *,
    on_error: OnError,
    chunk_size: int,
    summary: BatchSummary,
    columns: Mapping[str, str] | None = None,
    report: Callable[[str], None] | None = None,
) -> Iterator[Any]:
    """Compute every ticket of ``path``; yield the output record batches.

    Raises:
        TicketError: a file without the required columns or, with ``fail``, a bad row.
    """
    fields, first = Columns(columns), 1
    batches = prefetched(arrow_batches(path, input_format, chunk_size))
    for batch in readable(batches, ctx.name, input_format):
        chunk, opened, resolved = _chunk(batch, first, fields, ctx)
        first += batch.num_rows
        summary.rows_in += batch.num_rows
        good, status, errors = compute(chunk, ctx, opened, resolved)
        for row in sorted(errors):
            kind, message = errors[row]
            where = f"{ctx.name} row {chunk.lines[row]}"
            if on_error == "fail":
                summary.stopped_at = chunk.lines[row]
                raise kind(f"{where}: {message}")
            if report is not None:
                report(f"skipped {where}: {message}")
        summary.rows_skipped += len(errors)
        if status is not None:
            summary.pauses_clipped += int(status.pauses_clipped.sum())
            summary.rows_out += len(good)
            yield status_batch(batch, good, status, ctx)


def process_arrow(
    path: str,
    input_format: str,
    ctx: Context,
    write: Callable[[Any], None],
    **options: Any,
) -> None:
    """Compute every ticket of ``path``; hand each output batch to ``write``.

    The options are :func:`arrow_statuses`'s.
    """
    for batch in arrow_statuses(path, input_format, ctx, **options):
        write(batch)
