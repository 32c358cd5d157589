"""The rows a report counts: from tickets (or a ``batch`` output), or from ticket histories.

A tickets file, and a ``batch`` output (a tickets file with status columns), go through
``batch``'s own pipeline at ``now`` (:func:`sla_clock.batch._pipeline.process`, every row
checked as ``batch`` checks it) into a temporary CSV file, which :func:`batch_rows` reads
back a chunk at a time. An events file goes through ``batch --events``'s
(:func:`sla_clock.batch._events.read_events`), each ticket's metric rows with its opening.
Either way :class:`~sla_clock.reports._aggregate.Rows` come out, a chunk at a time, already
windowed by opening (``--from`` inclusive, ``--to`` exclusive).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping, Sequence
from itertools import chain, islice
from typing import TextIO, TypeVar

import numpy as np

from .._clock import STATE_CODES
from .._metric_rules import MetricRules
from ..batch._columns import Columns, normal_name
from ..batch._csv import Format, detect_delimiter
from ..batch._events import read_events, ticket_rows_of
from ..batch._pipeline import BatchSummary, process
from ..batch._rows import Context
from ..batch._times import read_times
from ..errors import TicketError
from ..metric_status import RawRow
from ._aggregate import BY_TIME, Rows, cell_text

__all__ = ["Window", "arrow_rows", "batch_rows", "event_rows", "tickets_to_batch"]

_CHUNK = 50_000
_Where = TypeVar("_Where", int, str)
_US = 1_000_000
#: The keys every row has; any other ``--by`` key is a column of the input.
_OWN_KEYS = ("priority", "metric", *BY_TIME)


class Window:
    """Openings from ``lo`` (inclusive) to ``hi`` (exclusive), epoch microseconds or open."""

    def __init__(self, lo: int | None, hi: int | None) -> None:
        self.lo, self.hi = lo, hi

    def keep(self, opened: np.ndarray) -> np.ndarray:
        """Which openings lie in the window."""
        inside = np.ones(opened.shape, dtype=bool)
        if self.lo is not None:
            inside &= opened >= self.lo
        if self.hi is not None:
            inside &= opened < self.hi
        return inside


def tickets_to_batch(
    reader: TextIO,
    out: TextIO,
    ctx: Context,
    input_format: Format,
    columns: Mapping[str, str] | None,
    summary: BatchSummary,
) -> None:
    """Compute every ticket of ``reader`` at ``ctx.now`` into ``out``, as ``batch`` writes CSV."""
    process(
        reader,
        out,
        ctx.policy,
        ctx.now,
        input_format=input_format,
        output_format="csv",
        name=ctx.name,
        summary=summary,
        columns=columns,
    )


def batch_rows(
    stream: TextIO,
    ctx: Context,
    by: Sequence[str],
    columns: Mapping[str, str] | None,
    window: Window,
) -> Iterator[Rows]:
    """Read a ``batch`` CSV output back into rows, a chunk at a time.

    Raises:
        TicketError: a ``--by`` key that is no column of the input.
    """
    first = stream.readline()
    if not first:
        return
    delimiter = detect_delimiter(first)  # a batch output keeps its input's delimiter
    reader = csv.reader(chain([first], stream), delimiter=delimiter)
    header = next(reader)
    fields = Columns(columns)
    where = {fields.field(name): k for k, name in enumerate(header) if fields.field(name)}
    at = {normal_name(name): k for k, name in enumerate(header)}
    extra = _extra_columns(by, at, header, ctx.name)
    state, used, left, level = (
        at[c] for c in ("state", "used_seconds", "remaining_seconds", "escalation_level")
    )
    code = MetricRules(ctx.policy).code
    while block := list(islice(reader, _CHUNK)):
        opened_at, priority_at = where["opened"], where["priority"]  # batch checked both
        opened = read_times([r[opened_at] for r in block], ctx.calendar, ctx.now).us
        inside = window.keep(opened)
        rows = [r for r, keep in zip(block, inside.tolist(), strict=True) if keep]
        used_us = _micros([r[used] for r in rows])
        yield Rows(
            metric=["resolution"] * len(rows),
            priority=[code(r[priority_at]) for r in rows],
            opened=opened[inside],
            state=[r[state] for r in rows],
            used=used_us,
            target=used_us + _micros([r[left] for r in rows]),
            level=np.array([int(r[level]) for r in rows], dtype=np.int64),
            extra={key: [r[k] for r in rows] for key, k in extra.items()},
        )


def event_rows(
    reader: TextIO, ctx: Context, input_format: Format, by: Sequence[str], window: Window
) -> Iterator[Rows]:
    """Read an events file into metric rows, a chunk at a time.

    Raises:
        TicketError: a bad line or history, or a ``--by`` key that is no key of a metric row.
    """
    unknown = [key for key in by if key not in _OWN_KEYS]
    if unknown:
        msg = (
            f"cannot group the rows of {ctx.name} by {', '.join(map(repr, unknown))}: an "
            f"events file gives {', '.join(_OWN_KEYS)}"
        )
        raise TicketError(msg)
    summary = BatchSummary(events=True)
    store = read_events(reader, ctx, input_format=input_format, summary=summary)
    opened: dict[str, int] = {}
    rows = ticket_rows_of(store, ctx, "fail", summary, None, opened)
    while block := list(islice(rows, _CHUNK)):
        yield _metric_rows(block, opened, window)


def arrow_rows(
    path: str,
    input_format: str,
    ctx: Context,
    by: Sequence[str],
    columns: Mapping[str, str] | None,
    window: Window,
    summary: BatchSummary,
) -> Iterator[Rows]:
    """The tickets of a Parquet, Arrow or CSV file computed by pyarrow's path, as rows."""
    from ..batch._arrow_columns import instants_of
    from ..batch._arrow_files import arrow_statuses

    fields = Columns(columns)
    statuses = arrow_statuses(
        path,
        input_format,
        ctx,
        on_error="fail",
        chunk_size=_CHUNK,
        summary=summary,
        columns=columns,
    )
    code = MetricRules(ctx.policy).code
    names: dict[str, str] = {}
    extra: dict[str, str] = {}
    for batch in statuses:
        if not names:  # every batch has the first one's schema
            header = batch.schema.names
            names = {f: n for n in header if (f := fields.field(n))}
            at = {normal_name(n): n for n in header}
            extra = _extra_columns(by, at, header, ctx.name)
        opened = instants_of(batch.column(names["opened"]), ctx)[0].us
        inside = window.keep(opened)
        kept = batch.filter(inside)
        used = kept.column("used_seconds").cast("int64").to_numpy()
        left = kept.column("remaining_seconds").cast("int64").to_numpy()
        yield Rows(
            metric=["resolution"] * kept.num_rows,
            priority=[code(str(p)) for p in kept.column(names["priority"]).to_pylist()],
            opened=opened[inside],
            state=kept.column("state").cast("string").to_pylist(),
            used=used.astype(np.int64),
            target=(used + left).astype(np.int64),
            level=kept.column("escalation_level").to_numpy().astype(np.int64),
            extra={
                key: [cell_text(v) for v in kept.column(column).to_pylist()]
                for key, column in extra.items()
            },
        )


def _metric_rows(block: list[RawRow], opened: dict[str, int], window: Window) -> Rows:
    starts = np.array([opened[row.ticket] for row in block], dtype=np.int64)
    inside = window.keep(starts)
    kept = [row for row, keep in zip(block, inside.tolist(), strict=True) if keep]
    used = np.array([row.used for row in kept], dtype=np.int64)
    return Rows(
        metric=[row.metric for row in kept],
        priority=[row.priority for row in kept],
        opened=starts[inside],
        state=[STATE_CODES[row.state] for row in kept],
        used=used,
        target=used + np.array([row.remaining for row in kept], dtype=np.int64),
        level=np.array([row.level for row in kept], dtype=np.int64),
        extra={},
    )


def _extra_columns(
    by: Sequence[str], at: Mapping[str, _Where], header: Sequence[str], name: str
) -> dict[str, _Where]:
    """Where each ``--by`` key that is an input column is (its index, or its Arrow name)."""
    extra: dict[str, _Where] = {}
    for key in by:
        if key in _OWN_KEYS:
            continue
        k = at.get(normal_name(key))
        if k is None:
            shown = ", ".join(repr(h) for h in header)
            msg = (
                f"cannot group by {key!r}: {name} has no such column (it has {shown}); --by "
                f"takes {', '.join(_OWN_KEYS)} or a column of the input"
            )
            raise TicketError(msg)
        extra[key] = k
    return extra


def _micros(texts: Sequence[str]) -> np.ndarray:
    """Seconds as ``batch`` writes them (``14400``, ``1.5``) to whole microseconds."""
    if not texts:
        return np.zeros(0, dtype=np.int64)
    return np.rint(np.array(texts, dtype=np.float64) * _US).astype(np.int64)
