"""Ticket clocks as columns, counted on the compiled timeline with ``numpy.searchsorted``.

A block of clocks is a :class:`ClockColumns`: each clock's start, end (``until``), closed
counting windows (flat, ``first`` giving each clock's share) and where counting resumes,
with its target, warning and level thresholds. :func:`count_clocks` does the arithmetic of
``raw_status`` on all of them at once; :func:`windows_columns` is the columnar twin of
:func:`~sla_clock._net_time.windows_of` (a property test keeps the two equal).

>>> import numpy as np
>>> first, ws, we, resume = windows_columns(
...     np.array([0]), np.array([0, 0]), np.array([10, 15]), np.array([20, 30]))
>>> first.tolist(), ws.tolist(), we.tolist(), resume.tolist()
([0, 1], [0], [10], [30])
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from .._clock import AT_RISK, BREACHED, MET, MISSED, PAUSED, RUNNING
from .._ops import timeline_for
from ..calendar import BusinessCalendar
from ._arrays import Arrays, arrays, before

__all__ = ["ClockColumns", "Counted", "count_clocks", "windows_columns"]

Int64Array = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
#: A block of clocks is counted on one timeline only when its instants span at most this.
BLOCK_SPAN_YEARS = 30
_US_PER_YEAR = 366 * 86_400 * 1_000_000


class ClockColumns(NamedTuple):
    """A block of ticket clocks, one element per clock (windows: flat, see ``first``).

    Window ``k`` of clock ``r`` is ``[ws[first[r] + k], we[first[r] + k])``, for ``k`` below
    ``first[r + 1] - first[r]``; after them the clock counts from ``resume`` on.
    """

    start: Int64Array
    until: Int64Array
    resume: Int64Array
    first: Int64Array
    ws: Int64Array
    we: Int64Array
    target: Int64Array
    warning: Int64Array
    thresholds: Int64Array  # (clocks, levels)
    resolved: BoolArray
    paused: BoolArray


class Counted(NamedTuple):
    """What :func:`count_clocks` found; ``past``: a deadline past the compiled years."""

    state: Int64Array
    due: Int64Array
    breach: Int64Array
    used: Int64Array
    level: Int64Array
    wall: Int64Array
    past: BoolArray


def windows_columns(
    start: Int64Array, owner: Int64Array, ps: Int64Array, pe: Int64Array
) -> tuple[Int64Array, Int64Array, Int64Array, Int64Array]:
    """``windows_of`` for many clocks: ``(first, ws, we, resume)``.

    ``owner`` gives each pause's clock; the pauses (``ps < pe``) may come in any order and
    overlap. A pause opens a window from where counting stood if it starts after it.
    """
    n = len(start)
    order = np.lexsort((pe, ps, owner))
    owner, ps, pe = owner[order], ps[order], pe[order]
    counts = np.bincount(owner, minlength=n)
    offsets = np.concatenate(([0], np.cumsum(counts)))
    cur = start.astype(np.int64, copy=True)
    found_row, found_k, found_ws, found_we = [], [], [], []
    rows = np.flatnonzero(counts)
    for k in range(int(counts.max()) if len(owner) else 0):
        rows = rows[counts[rows] > k]  # the clocks with a k-th pause (in order)
        at = offsets[rows] + k
        starts, ends = ps[at], pe[at]
        opens = starts > cur[rows]
        found_row.append(rows[opens])
        found_k.append(np.full(int(opens.sum()), k))
        found_ws.append(cur[rows[opens]])
        found_we.append(starts[opens])
        cur[rows] = np.maximum(cur[rows], ends)
    row = np.concatenate([np.zeros(0, np.int64), *found_row])
    order = np.lexsort((np.concatenate([np.zeros(0, np.int64), *found_k]), row))
    ws = np.concatenate([np.zeros(0, np.int64), *found_ws])[order]
    we = np.concatenate([np.zeros(0, np.int64), *found_we])[order]
    first = np.concatenate(([0], np.cumsum(np.bincount(row, minlength=n)))).astype(np.int64)
    return first, ws, we, cur


def count_clocks(calendar: BusinessCalendar, cols: ClockColumns) -> Counted | None:
    """Count every clock of ``cols``; ``None`` when they span over :data:`BLOCK_SPAN_YEARS`."""
    start, until, resume, first = cols.start, cols.until, cols.resume, cols.first
    lo = int(min(start.min(), until.min()))
    hi = int(max(resume.max(), until.max()))
    if hi - lo > BLOCK_SPAN_YEARS * _US_PER_YEAR:
        return None
    tl = timeline_for(calendar, lo, hi)
    arr = arrays(tl)
    e_ws, e_we = before(arr, cols.ws), before(arr, cols.we)
    cum = np.concatenate(([0], np.cumsum(e_we - e_ws)))  # avail before each window
    base = cum[first[:-1]]
    counted = cum[first[1:]] - base
    e_resume, e_until = before(arr, resume), before(arr, until)
    used = counted + np.where(resume < until, e_until - e_resume, 0)
    reach = _Reach(arr, tl.total, cum, first, base, counted, e_ws, e_resume)
    due, due_past = reach(cols.target)
    breach, breach_past = reach(cols.target + 1)
    breach -= 1
    wall = np.add.reduceat(np.concatenate((cols.we - cols.ws, [0])), first[:-1])
    wall = np.where(first[1:] > first[:-1], wall, 0) + np.maximum(0, until - resume)
    level: Int64Array = (cols.thresholds < used[:, None]).sum(axis=1)
    state = _states(cols, used)
    return Counted(state, due, breach, used, level, wall, due_past | breach_past)


class _Reach:
    """``SlaClock.reach`` for every clock: the earliest instant it counted ``amount``."""

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

    def __call__(self, amount: Int64Array) -> tuple[Int64Array, BoolArray]:
        """The instants, and which clocks lie past the timeline (to be done one by one)."""
        # The first window whose running total reaches the amount (cum[k + 1] is the total
        # through window k), not before the clock's own first window.
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


def _states(cols: ClockColumns, used: Int64Array) -> Int64Array:
    """``state_of`` for every clock."""
    running = np.where(used >= cols.warning, AT_RISK, RUNNING)
    open_state = np.where(used > cols.target, BREACHED, np.where(cols.paused, PAUSED, running))
    state: Int64Array = np.where(
        cols.resolved, np.where(used <= cols.target, MET, MISSED), open_state
    )
    return state
