"""Many ticket clocks evaluated at once: the arithmetic of ``raw_status``, in NumPy.

The rules stay in the scalar code: :func:`~sla_clock._clock.clock_inputs` picks each clock's
start, thresholds and clipped pauses, :func:`~sla_clock._net_time.windows_of` turns the
pauses into counting windows. What is left is arithmetic on the compiled timeline, done
here for a block of clocks with ``numpy.searchsorted``: ``E(t)`` at every window boundary,
the time used, the two deadlines (:meth:`SlaClock.reach <sla_clock._net_time.SlaClock.reach>`
for the target and one microsecond more), the state, the level and the wall time
(:func:`~sla_clock.bulk._clock_columns.count_clocks`). A clock whose deadline lies past the
compiled years, or a block spanning more than
:data:`~sla_clock.bulk._clock_columns.BLOCK_SPAN_YEARS`, goes through the scalar clock
instead; a property test keeps the two equal.

>>> from datetime import datetime
>>> from sla_clock import SlaPolicy
>>> from sla_clock.history import replay
>>> from sla_clock.metric_status import raw_rows, row_inputs
>>> policy = SlaPolicy.default()
>>> opened = policy.calendar.to_us(datetime(2026, 11, 23, 14, tzinfo=policy.calendar.zone))
>>> now = opened + 3_600_000_000
>>> history = replay("T-1", [(opened, "opened", "P1", "event 1")], (), now)
>>> evaluate(list(row_inputs(policy, history, now))) == raw_rows(policy, history, now)
True
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from .._clock import clock_of
from .._net_time import windows_of
from ..metric_status import RawRow, RowClock, RowInputs, raw_row
from ._clock_columns import ClockColumns, count_clocks

__all__ = ["evaluate"]

Int64Array = npt.NDArray[np.int64]


def evaluate(rows: Sequence[RowInputs]) -> list[RawRow]:
    """Return the :class:`~sla_clock.metric_status.RawRow` of each row, as ``raw_row`` does."""
    out: list[RawRow | None] = [None] * len(rows)
    groups: dict[int, list[int]] = {}
    for k, row in enumerate(rows):
        groups.setdefault(id(row.inputs.calendar), []).append(k)
    for members in groups.values():
        for k, raw in zip(members, _one_calendar([rows[k] for k in members]), strict=True):
            out[k] = raw
    return [raw for raw in out if raw is not None]


def _scalar(row: RowInputs) -> RawRow:
    return raw_row(RowClock(row.ticket, row.metric, row.cycle, clock_of(row.inputs), row.rules))


def _one_calendar(rows: list[RowInputs]) -> list[RawRow]:
    """Evaluate rows that share one calendar."""
    n = len(rows)
    cut = [windows_of(r.inputs.start, r.inputs.pauses) for r in rows]
    sizes = {len(r.inputs.rule.thresholds) for r in rows}
    if len(sizes) != 1:  # pragma: no cover - every rule of a policy has one per level
        return [_scalar(row) for row in rows]
    flat = [edge for windows, _ in cut for window in windows for edge in window]
    ws_we = np.array(flat, dtype=np.int64).reshape(-1, 2)
    counts = np.fromiter((len(c[0]) for c in cut), dtype=np.int64, count=n)
    levels = sizes.pop()
    thresholds = [t for r in rows for t in r.inputs.rule.thresholds]
    cols = ClockColumns(
        start=np.fromiter((r.inputs.start for r in rows), dtype=np.int64, count=n),
        until=np.fromiter((r.inputs.until for r in rows), dtype=np.int64, count=n),
        resume=np.fromiter((c[1] for c in cut), dtype=np.int64, count=n),
        first=np.concatenate(([0], np.cumsum(counts))).astype(np.int64),
        ws=ws_we[:, 0],
        we=ws_we[:, 1],
        target=np.fromiter((r.inputs.rule.target for r in rows), dtype=np.int64, count=n),
        warning=np.fromiter((r.inputs.rule.warning for r in rows), dtype=np.int64, count=n),
        thresholds=np.array(thresholds, dtype=np.int64).reshape(n, levels),
        resolved=np.fromiter((r.inputs.resolved for r in rows), dtype=bool, count=n),
        paused=np.fromiter((r.inputs.paused for r in rows), dtype=bool, count=n),
    )
    found = count_clocks(rows[0].inputs.calendar, cols)
    if found is None:
        return [_scalar(row) for row in rows]
    state, due, breach, used, level, wall, past = found
    out = _raw_rows(rows, state, due, breach, used, cols.target, level, wall)
    for k in np.flatnonzero(past).tolist():
        out[k] = _scalar(rows[k])  # a deadline past the compiled years: the scalar clock
    return out


def _raw_rows(
    rows: list[RowInputs],
    state: Int64Array,
    due: Int64Array,
    breach: Int64Array,
    used: Int64Array,
    target: Int64Array,
    level: Int64Array,
    wall: Int64Array,
) -> list[RawRow]:
    columns = zip(
        rows,
        state.tolist(),
        due.tolist(),
        breach.tolist(),
        used.tolist(),
        (target - used).tolist(),
        level.tolist(),
        wall.tolist(),
        strict=True,
    )
    return [
        RawRow(
            r.ticket,
            r.metric,
            r.cycle,
            r.inputs.rule.code,
            st,
            d,
            b,
            u,
            left,
            lv,
            r.rules.level_names[lv - 1] if lv else None,
            w,
            r.inputs.calendar,
        )
        for r, st, d, b, u, left, lv, w in columns
    ]
