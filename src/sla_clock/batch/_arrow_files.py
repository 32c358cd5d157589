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
from ..bulk import localize_many_us
from ..errors import TicketError
from ._columns import Columns
from ._csv import Chunk
from ._pipeline import BatchSummary, OnError
from ._rows import OUTPUT_COLUMNS, Context, compute
from ._times import Times, read_times

__all__ = [
    "ARROW_FORMATS",
    "ArrowWriter",
    "arrow_batches",
    "arrow_statuses",
    "instants_of",
    "process_arrow",
    "status_batch",
]

#: The formats of this module, by extension.
ARROW_FORMATS = {".parquet": "parquet", ".arrow": "arrow", ".feather": "arrow", ".ipc": "arrow"}


def _pa() -> Any:
    try:
        import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]  # (pyarrow ships no type hints)
    except ImportError:
        msg = (
            "Parquet and Arrow files need pyarrow; install it with: pip install 'sla-clock[arrow]'"
        )
        raise TicketError(msg) from None
    return pa


def arrow_batches(path: str, file_format: str, size: int) -> Iterator[Any]:
    """Yield the record batches of a Parquet, Arrow or CSV file, ``size`` rows at most."""
    pa = _pa()
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
        read = pa_csv.ReadOptions(block_size=1 << 22)
        yield from pa_csv.open_csv(path, read_options=read, convert_options=options)


def _readable(batches: Iterator[Any], name: str, file_format: str) -> Iterator[Any]:
    """The batches, a file pyarrow cannot read being one clear error."""
    pa = _pa()
    try:
        yield from batches
    except (pa.ArrowException, ValueError) as exc:
        kind = {"parquet": "Parquet", "arrow": "Arrow IPC"}.get(file_format, "CSV")
        msg = f"{name}: not a {kind} file sla-clock can read ({exc}); check the file and --format"
        raise TicketError(msg) from None


class _Shown:
    """The instants of a typed column, written only when a message shows one."""

    def __init__(self, ctx: Context, us: np.ndarray) -> None:
        self.ctx, self.us = ctx, us

    def __len__(self) -> int:
        return len(self.us)

    def __getitem__(self, row: int) -> str:
        value = int(self.us[row])
        return "" if value == NAT else self.ctx.calendar.from_us(value).isoformat()


def instants_of(column: Any, ctx: Context) -> tuple[Times, Any]:
    """A column's instants, and what a message shows of them."""
    pa = _pa()
    kind = column.type
    if pa.types.is_timestamp(kind):
        us = column.cast(pa.timestamp("us", tz=kind.tz)).cast(pa.int64()).fill_null(NAT)
        values = np.asarray(us.to_numpy(zero_copy_only=False), dtype=np.int64)
        empty = values == NAT
        if kind.tz is None:  # wall-clock times: the calendar's local time, as text would be
            values = np.where(empty, NAT, localize_many_us(ctx.calendar, values))
        return Times(values, empty, {}), _Shown(ctx, values)
    texts = (
        column.cast(pa.string()).to_pylist() if not pa.types.is_string(kind) else column.to_pylist()
    )
    return read_times(texts, ctx.calendar, ctx.now), texts


def _pauses(column: Any) -> list[Any]:
    """The pauses cells as Python values, only the rows that have some read (most have none)."""
    pa = _pa()
    import pyarrow.compute as pc  # type: ignore[import-untyped,unused-ignore]  # (no type hints)

    n = len(column)
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        given = pc.fill_null(pc.not_equal(column, ""), fill_value=False)
    else:
        given = column.is_valid()
    rows = np.flatnonzero(np.asarray(given.to_numpy(zero_copy_only=False), dtype=bool))
    cells: list[Any] = [None] * n
    for row, value in zip(rows.tolist(), column.take(pa.array(rows)).to_pylist(), strict=True):
        cells[row] = value
    return cells


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
    chunk.pauses = _pauses(batch.column(where["pauses"])) if "pauses" in where else [None] * n
    opened, chunk.opened = instants_of(batch.column(where["opened"]), ctx)
    if "resolved" in where:
        resolved, chunk.resolved = instants_of(batch.column(where["resolved"]), ctx)
    else:
        resolved = Times(np.full(n, NAT, dtype=np.int64), np.ones(n, dtype=bool), {})
        chunk.resolved = [""] * n
    return chunk, opened, resolved


def status_batch(batch: Any, good: list[int], status: Any, ctx: Context) -> Any:
    """The good rows of ``batch`` with the status columns added (as typed Arrow arrays)."""
    pa = _pa()
    kept = batch.take(pa.array(good, type=pa.int64()))
    zone = ctx.calendar.timezone
    added = {
        "due_at": pa.array(status.due, type=pa.int64()).cast(pa.timestamp("us", tz=zone)),
        "breach_at": pa.array(status.breach, type=pa.int64()).cast(pa.timestamp("us", tz=zone)),
        "used_seconds": pa.array(status.used, type=pa.int64()).cast(pa.duration("us")),
        "remaining_seconds": pa.array(status.remaining, type=pa.int64()).cast(pa.duration("us")),
        "state": pa.DictionaryArray.from_arrays(
            pa.array(status.state_code, type=pa.int8()), pa.array(list(STATE_CODES))
        ),
        "escalation_level": pa.array(status.escalation_level, type=pa.int16()),
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
    for batch in _readable(arrow_batches(path, input_format, chunk_size), ctx.name, input_format):
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


class ArrowWriter:
    """Writes record batches to a binary stream as Parquet or Arrow IPC (a file)."""

    def __init__(self, sink: Any, file_format: str) -> None:
        self.sink, self.format = sink, file_format
        self._writer: Any = None

    def __enter__(self) -> ArrowWriter:
        return self

    def write(self, batch: Any) -> None:
        """Write one batch (the first one sets the file's schema)."""
        pa = _pa()
        if self._writer is None:
            if self.format == "parquet":
                import pyarrow.parquet as pq  # type: ignore[import-untyped,unused-ignore]  # (no type hints)

                self._writer = pq.ParquetWriter(self.sink, batch.schema)
            else:
                self._writer = pa.ipc.new_file(self.sink, batch.schema)
        self._writer.write_batch(batch)

    def __exit__(self, *exc: object) -> None:
        if self._writer is not None:
            self._writer.close()
