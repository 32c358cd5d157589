"""Columns of an Arrow record batch as ``batch`` reads them: instants, pauses cells.

Shared by the Parquet, Arrow and pyarrow-CSV readers (:mod:`~sla_clock.batch._arrow_files`,
:mod:`~sla_clock.batch._plain_csv`), with :func:`readable`, which turns a file pyarrow cannot
read into one clear error.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

from .._zone import NAT
from ..bulk import localize_many_us
from ..errors import SlaClockError, TicketError
from ._arrow_arrays import from_numpy, int64_values, non_empty, valid_mask
from ._csv import Chunk
from ._rows import Context
from ._times import Times, read_times

__all__ = [
    "batch_chunk",
    "exactly",
    "instants_of",
    "pa_module",
    "pause_cells",
    "readable",
    "system_memory",
]


def pa_module() -> Any:
    try:
        import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]  # (pyarrow ships no type hints)
    except ImportError:
        msg = (
            "Parquet and Arrow files need pyarrow; install it with: pip install 'sla-clock[arrow]'"
        )
        raise TicketError(msg) from None
    return pa


@contextlib.contextmanager
def system_memory() -> Iterator[None]:
    """Make pyarrow's default memory pool the system allocator while the block lasts.

    pyarrow's default pool (mimalloc) keeps what a batch freed for the next ones: a plain
    CSV run on a million tickets peaked some 15 MB higher with it.
    """
    pa = pa_module()
    previous = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(previous)


def readable(batches: Iterator[Any], name: str, file_format: str) -> Iterator[Any]:
    """The batches, a file pyarrow cannot read being one clear error."""
    pa = pa_module()
    try:
        yield from batches
    except SlaClockError:
        raise  # (already worded: a file changed while it was read)
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
    pa = pa_module()
    kind = column.type
    if pa.types.is_timestamp(kind):
        values = int64_values(column.cast(pa.timestamp("us", tz=kind.tz)).cast(pa.int64()), NAT)
        empty = values == NAT
        if kind.tz is None:  # wall-clock times: the calendar's local time, as text would be
            values = np.where(empty, NAT, localize_many_us(ctx.calendar, values))
        return Times(values, empty, {}), _Shown(ctx, values)
    texts = (
        column.cast(pa.string()).to_pylist() if not pa.types.is_string(kind) else column.to_pylist()
    )
    return read_times(texts, ctx.calendar, ctx.now), texts


def pause_cells(column: Any) -> list[Any]:
    """The pauses cells as Python values, only the rows that have some read (most have none)."""
    pa = pa_module()
    n = len(column)
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        given = non_empty(column)
    else:
        given = valid_mask(column)
    rows = np.flatnonzero(given)
    cells: list[Any] = [None] * n
    taken = column.take(from_numpy(rows.astype(np.int64), pa.int64())).to_pylist()
    for row, value in zip(rows.tolist(), taken, strict=True):
        cells[row] = value
    return cells


def batch_chunk(
    batch: Any, first: int, where: Mapping[str, Any], ctx: Context, *, ids: bool = True
) -> tuple[Chunk, Times, Times]:
    """A record batch as a :class:`~._csv.Chunk` (rows numbered from ``first``), its instants.

    ``where`` names (or numbers) the column of each ticket field the batch has; without
    ``ids`` a bad row is named by its number alone.
    """
    n = batch.num_rows
    chunk = Chunk(lines=list(range(first, first + n)))

    def column(field: str) -> Any:
        return batch.column(where[field]) if field in where else None

    chunk.priority = column("priority").to_pylist()
    ident = column("id") if ids else None
    chunk.ident = [None] * n if ident is None else ident.to_pylist()
    pauses = column("pauses")
    chunk.pauses = [None] * n if pauses is None else pause_cells(pauses)
    opened, chunk.opened = instants_of(column("opened"), ctx)
    if "resolved" in where:
        resolved, chunk.resolved = instants_of(column("resolved"), ctx)
    else:
        resolved = Times(np.full(n, NAT, dtype=np.int64), np.ones(n, dtype=bool), {})
        chunk.resolved = [""] * n
    return chunk, opened, resolved


def exactly(batches: Iterator[Any], size: int, pool: Any = None) -> Iterator[Any]:
    """The rows of ``batches`` again, ``size`` rows a batch (the last one fewer).

    The chunks of a run are then the same whichever reader cut the file into batches, so a
    bad row stops a ``fail`` run after the same rows. A stream of no rows at all gives its
    first batch of none (the file's columns).

    >>> import pyarrow as pa
    >>> parts = [pa.record_batch({"x": list(range(k))}) for k in (3, 1, 5)]
    >>> [batch.num_rows for batch in exactly(iter(parts), 4)]
    [4, 4, 1]
    """
    pa = pa_module()
    pieces: list[Any] = []
    held = 0
    empty: Any = None  # the first batch of no rows
    rows = False  # whether any batch had rows
    for batch in batches:
        if not batch.num_rows:
            empty = batch if empty is None else empty
            continue
        rows = True
        start = 0
        while start < batch.num_rows:
            piece = batch.slice(start, size - held)
            pieces.append(piece)
            held += piece.num_rows
            start += piece.num_rows
            if held == size:
                yield _joined(pieces, pa, pool)
                pieces, held = [], 0
    if held:
        yield _joined(pieces, pa, pool)
    elif not rows and empty is not None:
        yield empty


def _joined(pieces: list[Any], pa: Any, pool: Any) -> Any:
    if len(pieces) == 1:
        return pieces[0]
    return pa.Table.from_batches(pieces).combine_chunks(memory_pool=pool).to_batches()[0]
