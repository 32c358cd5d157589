"""Many ticket clocks evaluated at once: the arithmetic of ``raw_status``, in NumPy.

The rules stay in the scalar code: :func:`~sla_clock._clock.clock_inputs` picks each clock's
start, thresholds and clipped pauses, :func:`~sla_clock._net_time.windows_of` turns the
pauses into counting windows. What is left is arithmetic on the compiled timeline, done
here for a block of clocks with ``numpy.searchsorted``: ``E(t)`` at every window boundary,
the time used, the two deadlines (:meth:`SlaClock.reach <sla_clock._net_time.SlaClock.reach>`
for the target and one microsecond more), the state, the level and the wall time. A clock
whose deadline lies past the compiled years, or a block spanning more than
:data:`_MAX_SPAN_YEARS`, goes through the scalar clock instead; a property test keeps the
two equal.

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

from .._clock import AT_RISK, BREACHED, MET, MISSED, PAUSED, RUNNING, clock_of, raw_status
from .._net_time import windows_of
from .._ops import timeline_for
from ..metric_status import RawRow, RowClock, RowInputs, raw_row
from ._arrays import Arrays, arrays, before

__all__ = ["evaluate"]

Int64Array = npt.NDArray[np.int64]
#: A block of clocks is evaluated on one timeline only when its instants span at most this.
_MAX_SPAN_YEARS = 30
_US_PER_YEAR = 366 * 86_400 * 1_000_000


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
    start = np.fromiter((r.inputs.start for r in rows), dtype=np.int64, count=n)
    until = np.fromiter((r.inputs.until for r in rows), dtype=np.int64, count=n)
    cut = [windows_of(r.inputs.start, r.inputs.pauses) for r in rows]
    resume = np.fromiter((c[1] for c in cut), dtype=np.int64, count=n)
    counts = np.fromiter((len(c[0]) for c in cut), dtype=np.int64, count=n)
    flat = [edge for windows, _ in cut for window in windows for edge in window]
    ws_we = np.array(flat, dtype=np.int64).reshape(-1, 2)
    lo = int(min(start.min(), until.min()))
    hi = int(max(resume.max(), until.max()))
    if hi - lo > _MAX_SPAN_YEARS * _US_PER_YEAR:
        return [_scalar(row) for row in rows]
    calendar = rows[0].inputs.calendar
    tl = timeline_for(calendar, lo, hi)
    arr = arrays(tl)
    first = np.concatenate(([0], np.cumsum(counts)))  # window k of row r is first[r] + k
    e_ws, e_we = before(arr, ws_we[:, 0]), before(arr, ws_we[:, 1])
    cum = np.concatenate(([0], np.cumsum(e_we - e_ws)))  # avail before each window
    base = cum[first[:-1]]
    counted = cum[first[1:]] - base
    e_resume, e_until = before(arr, resume), before(arr, until)
    used = counted + np.where(resume < until, e_until - e_resume, 0)
    target = np.fromiter((r.inputs.rule.target for r in rows), dtype=np.int64, count=n)
    reach = _Reach(arr, tl.total, cum, first, base, counted, e_ws, e_resume)
    due, due_past = reach(target)
    breach, breach_past = reach(target + 1)
    breach -= 1
    state = _states(rows, used, target)
    level = _levels(rows, used)
    wall = np.fromiter((sum(we - ws for ws, we in c[0]) for c in cut), dtype=np.int64, count=n)
    wall += np.maximum(0, until - resume)
    out = _raw_rows(rows, state, due, breach, used, target, level, wall)
    for k in np.flatnonzero(due_past | breach_past).tolist():
        out[k] = _scalar(rows[k])  # a deadline past the compiled years: the scalar clock
    return out


class _Reach:
    """``SlaClock.reach`` for every row: the earliest instant the clock counted ``amount``."""

    def __init__(
        self,
        arr: Arrays,
        total: int,
        cum: Int64Array,
        first: Int64Array,
        base: Int64Array,
        counted: Int64Array,
        e_ws: Int64Array,
        e_resume: Int64Array,
    ) -> None:
        self.arr, self.total, self.cum, self.first = arr, total, cum, first
        self.base, self.counted, self.e_ws, self.e_resume = base, counted, e_ws, e_resume

    def __call__(self, amount: Int64Array) -> tuple[Int64Array, npt.NDArray[np.bool_]]:
        """The instants, and which rows lie past the timeline (to be done one by one)."""
        # The first window whose running total reaches the amount (cum[k + 1] is the total
        # through window k), not before the row's own first window.
        k = np.searchsorted(self.cum[1:], self.base + amount, side="left")
        k = np.maximum(k, self.first[:-1])
        inside = k < self.first[1:]
        kk = np.minimum(k, max(len(self.e_ws) - 1, 0))
        in_window = (
            self.e_ws[kk] + amount - (self.cum[kk] - self.base)
            if len(self.e_ws)
            else np.zeros_like(amount)
        )
        target = np.where(inside, in_window, self.e_resume + amount - self.counted)
        past = target > self.total
        safe = np.where(past, self.total, target)
        offset = self.arr.offset[np.searchsorted(self.arr.cumend, safe, side="left")]
        return safe - offset, past


def _states(rows: list[RowInputs], used: Int64Array, target: Int64Array) -> Int64Array:
    """``state_of`` for every row."""
    n = len(rows)
    warning = np.fromiter((r.inputs.rule.warning for r in rows), dtype=np.int64, count=n)
    resolved = np.fromiter((r.inputs.resolved for r in rows), dtype=bool, count=n)
    paused = np.fromiter((r.inputs.paused for r in rows), dtype=bool, count=n)
    running = np.where(used >= warning, AT_RISK, RUNNING)
    open_state = np.where(used > target, BREACHED, np.where(paused, PAUSED, running))
    state: Int64Array = np.where(resolved, np.where(used <= target, MET, MISSED), open_state)
    return state


def _levels(rows: list[RowInputs], used: Int64Array) -> Int64Array:
    """``level_of`` for every row: how many thresholds lie below the time used."""
    sizes = {len(r.inputs.rule.thresholds) for r in rows}
    if len(sizes) == 1:
        (size,) = sizes
        if size == 0:
            return np.zeros(len(rows), dtype=np.int64)
        flat = [t for r in rows for t in r.inputs.rule.thresholds]
        table = np.array(flat, dtype=np.int64).reshape(len(rows), size)
        levels: Int64Array = (table < used[:, None]).sum(axis=1)
        return levels
    return np.array(
        [raw_status(clock_of(r.inputs)).level for r in rows], dtype=np.int64
    )  # pragma: no cover - every rule of a policy has one threshold per level


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
