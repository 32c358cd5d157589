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
from ..errors import TicketError
from ._arrow_arrays import from_numpy, texts_array
from ._arrow_columns import batch_chunk, exactly, pa_module, readable
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
    "empty_status_batch",
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
    """Yield the record batches of a Parquet, Arrow or CSV file.

    A file of no rows yields one batch of none: its columns, for an output of no rows.
    """
    pa = pa_module()
    schema, batches = _opened(path, file_format, size)
    empty = True
    for batch in batches:
        empty = False
        yield batch
    if empty:
        yield pa.RecordBatch.from_pylist([], schema=schema)


def _opened(path: str, file_format: str, size: int) -> tuple[Any, Iterator[Any]]:
    """The schema of a Parquet, Arrow or CSV file, and its batches (CSV: every column text)."""
    pa = pa_module()
    if file_format == "parquet":
        import pyarrow.parquet as pq  # type: ignore[import-untyped,unused-ignore]  # (no type hints)

        parquet = pq.ParquetFile(path)
        return parquet.schema_arrow, parquet.iter_batches(batch_size=size)
    if file_format == "arrow":
        try:
            reader = pa.ipc.open_file(path)
            batches = (reader.get_batch(k) for k in range(reader.num_record_batches))
        except pa.ArrowInvalid:
            reader = pa.ipc.open_stream(path)
            batches = iter(reader)
        return reader.schema, batches
    import pyarrow.csv as pa_csv  # type: ignore[import-untyped,unused-ignore]  # (no type hints)

    with Path(path).open(encoding="utf-8-sig", newline="") as text:
        records = csv.reader(text)
        names = next(records, [])
        if next(records, None) is None:  # a header alone (pyarrow: "Empty CSV file")
            return pa.schema([(name, pa.string()) for name in names]), iter(())
    types = {name: pa.string() for name in names}
    options = pa_csv.ConvertOptions(column_types=types, strings_can_be_null=False)
    read = pa_csv.ReadOptions(block_size=1 << 20)
    reader = pa_csv.open_csv(path, read_options=read, convert_options=options)
    return reader.schema, iter(reader)


def _chunk(batch: Any, first_row: int, fields: Columns, ctx: Context) -> tuple[Chunk, Times, Times]:
    """A record batch as a :class:`Chunk` (rows numbered from ``first_row``) and its instants."""
    where = {field: name for name in batch.schema.names if (field := fields.field(name))}
    for required in ("priority", "opened"):
        if required not in where:
            msg = (
                f"{ctx.name}: no {required!r} column (it has {', '.join(batch.schema.names)}); "
                "a tickets file has the columns id, priority, opened, resolved, pauses"
            )
            raise TicketError(msg)
    return batch_chunk(batch, first_row, where, ctx, ids=False)  # a bad row: by its number


def status_batch(batch: Any, good: list[int], status: Any, ctx: Context) -> Any:
    """The good rows of ``batch`` with the status columns added (as typed Arrow arrays)."""
    pa = pa_module()
    every = len(good) == batch.num_rows  # good rows are ascending: all of them, in order
    kept = batch if every else batch.take(from_numpy(np.asarray(good, dtype=np.int64), pa.int64()))
    types = _status_types(ctx)

    def typed(values: np.ndarray, name: str) -> Any:
        return from_numpy(values.astype(np.int64), pa.int64()).cast(types[name])

    added = {
        "due_at": typed(status.due, "due_at"),
        "breach_at": typed(status.breach, "breach_at"),
        "used_seconds": typed(status.used, "used_seconds"),
        "remaining_seconds": typed(status.remaining, "remaining_seconds"),
        "state": pa.DictionaryArray.from_arrays(
            from_numpy(status.state_code.astype(np.int8), pa.int8()), texts_array(STATE_CODES)
        ),
        "escalation_level": from_numpy(status.escalation_level.astype(np.int16), pa.int16()),
    }
    return _with_status(kept, added)


def empty_status_batch(batch: Any, ctx: Context) -> Any:
    """The output of a batch of no rows: its columns and the status columns, typed."""
    pa = pa_module()
    added = {name: pa.array([], kind) for name, kind in _status_types(ctx).items()}
    return _with_status(batch.slice(0, 0), added)


def _status_types(ctx: Context) -> dict[str, Any]:
    """The Arrow type of each status column (:data:`OUTPUT_COLUMNS`)."""
    pa = pa_module()
    zone = ctx.calendar.timezone
    return {
        "due_at": pa.timestamp("us", tz=zone),
        "breach_at": pa.timestamp("us", tz=zone),
        "used_seconds": pa.duration("us"),
        "remaining_seconds": pa.duration("us"),
        "state": pa.dictionary(pa.int8(), pa.string()),
        "escalation_level": pa.int16(),
    }


def _with_status(kept: Any, added: dict[str, Any]) -> Any:
    """``kept``'s columns (but those named as a status column) and then ``added``."""
    pa = pa_module()
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
    for batch in exactly(readable(batches, ctx.name, input_format), chunk_size):
        chunk, opened, resolved = _chunk(batch, first, fields, ctx)  # (its columns checked)
        if not batch.num_rows:  # a file of no rows
            yield empty_status_batch(batch, ctx)
            continue
        first += batch.num_rows
        summary.rows_in += batch.num_rows
        good, status, errors = compute(chunk, ctx, opened, resolved)
        for row in sorted(errors):
            kind, message = errors[row]
            where = f"{ctx.name} row {chunk.lines[row]}"
            if on_error == "fail":
                summary.stopped_at, summary.counted_in = chunk.lines[row], "row"
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
