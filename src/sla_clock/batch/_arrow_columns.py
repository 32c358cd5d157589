"""Columns of an Arrow record batch as ``batch`` reads them: instants, pauses cells.

Shared by the Parquet, Arrow and pyarrow-CSV readers (:mod:`~sla_clock.batch._arrow_files`,
:mod:`~sla_clock.batch._plain_csv`), with :func:`readable`, which turns a file pyarrow cannot
read into one clear error.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from .._zone import NAT
from ..bulk import localize_many_us
from ..errors import TicketError
from ._arrow_arrays import from_numpy, int64_values, non_empty, valid_mask
from ._rows import Context
from ._times import Times, read_times

__all__ = ["instants_of", "pa_module", "pause_cells", "readable"]


def pa_module() -> Any:
    try:
        import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]  # (pyarrow ships no type hints)
    except ImportError:
        msg = (
            "Parquet and Arrow files need pyarrow; install it with: pip install 'sla-clock[arrow]'"
        )
        raise TicketError(msg) from None
    return pa


def readable(batches: Iterator[Any], name: str, file_format: str) -> Iterator[Any]:
    """The batches, a file pyarrow cannot read being one clear error."""
    pa = pa_module()
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
