"""Tickets with pauses, many at once: the ticket rules on columns, then the clocks counted.

The pauses of a block of tickets are one :class:`PauseColumns` (a row per pause). Each pause
is checked by :data:`~sla_clock.ticket.PAUSE_RULES` and clipped to its ticket's life by
:func:`~sla_clock.ticket.clip_rule`, the very expressions the scalar path evaluates, here on
whole columns; the clocks are then counted by
:func:`~sla_clock.bulk._clock_columns.count_clocks`. A clock the columns cannot count (a
deadline past the compiled years, a block spanning decades) goes through the scalar clock.

>>> pauses = PauseColumns.of([None, [(5, 9), (20, None)]])
>>> pauses.owner.tolist(), pauses.end.tolist()[0]
([1, 1], 9)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from .._clock import ClockRules, clock_inputs
from ..ticket import PAUSE_RULES, clip_rule
from ._arrays import NAT
from ._clock_columns import ClockColumns, count_clocks, windows_columns

__all__ = ["PauseColumns", "PausedFound", "PausedRows", "paused_status"]

Int64Array = npt.NDArray[np.int64]
#: Per-row pauses: ``(start_us, end_us)`` pairs, ``end_us`` ``None`` while going on.
PauseList = Sequence[tuple[int | None, int | None]]


class PauseColumns(NamedTuple):
    """Pauses as columns, one element per pause; ``end`` is ``NAT`` while going on."""

    owner: Int64Array  # the row of the pause's ticket, ascending
    start: Int64Array
    end: Int64Array

    @classmethod
    def of(cls, pauses: Sequence[PauseList | None]) -> PauseColumns:
        """The pauses of each row (``None`` or empty: none), as columns."""
        owner = [row for row, given in enumerate(pauses) for _ in given or ()]
        flat = [edge for given in pauses for pause in given or () for edge in pause]
        pairs = np.array([NAT if e is None else e for e in flat], dtype=np.int64).reshape(-1, 2)
        return cls(np.array(owner, dtype=np.int64), pairs[:, 0], pairs[:, 1])

    def take(self, rows: Sequence[int] | Int64Array, n: int) -> PauseColumns:
        """The pauses of ``rows`` (of ``n``), renumbered as positions in ``rows``."""
        position = np.full(n, -1, dtype=np.int64)
        position[np.asarray(rows, dtype=np.int64)] = np.arange(len(rows))
        new = position[self.owner]
        keep = new >= 0
        order = np.argsort(new[keep], kind="stable")
        return PauseColumns(new[keep][order], self.start[keep][order], self.end[keep][order])

    def problems(self) -> dict[int, tuple[int, int, str]]:
        """Per row with a bad pause, its first: index in the row, index here, rule message."""
        broken = np.zeros(len(self.owner), dtype=np.int64) - 1
        for k, rule in reversed(list(enumerate(PAUSE_RULES))):  # the first rule wins
            broken[np.asarray(rule.test(self.start, self.end), dtype=bool)] = k
        found: dict[int, tuple[int, int, str]] = {}
        bad = np.flatnonzero(broken >= 0)
        if len(bad):
            firsts = np.searchsorted(self.owner, self.owner[bad], side="left")
            for at, first in zip(bad.tolist(), firsts.tolist(), strict=True):
                row = int(self.owner[at])
                if row not in found:
                    found[row] = (at - first, at, PAUSE_RULES[int(broken[at])].message)
        return found


class PausedRows(NamedTuple):
    """The tickets of a block: their columns, and their rules' thresholds."""

    opened: Int64Array
    now: Int64Array
    resolved: Int64Array  # NAT: open
    codes: npt.NDArray[Any]
    target: Int64Array
    warning: Int64Array
    thresholds: Int64Array


def paused_status(
    rules: ClockRules, rows: Int64Array, given: PausedRows, pauses: PauseColumns
) -> tuple[PausedFound, Int64Array]:
    """Count the clocks of ``rows`` (with their ``pauses``, owners as positions in ``rows``).

    Returns what was found (one entry per row, from the scalar clock where the columns could
    not count) and the pauses clipped per row.
    """
    opened, now, resolved = given.opened[rows], given.now[rows], given.resolved[rows]
    is_resolved = (resolved != NAT) & (resolved <= now)
    until = np.where(is_resolved, resolved, now)
    of = pauses.owner
    begin, stop, paused, clipped = clip_rule(
        pauses.start, pauses.end, opened[of], until[of], is_resolved[of], np
    )
    n = len(rows)
    keep = begin < stop
    first, ws, we, resume = windows_columns(opened, of[keep], begin[keep], stop[keep])
    cols = ClockColumns(
        start=opened,
        until=until,
        resume=resume,
        first=first,
        ws=ws,
        we=we,
        target=given.target[rows],
        warning=given.warning[rows],
        thresholds=given.thresholds[rows],
        resolved=is_resolved,
        paused=np.bincount(of, weights=paused, minlength=n) > 0,
    )
    counted = count_clocks(rules.calendar, cols)
    past = np.ones(n, dtype=bool) if counted is None else counted.past
    found = PausedFound.of(counted, n)
    scalar = np.flatnonzero(past)
    if len(scalar):
        _by_scalar(rules, rows[scalar], scalar, given, pauses, found)
    return found, np.bincount(of, weights=clipped, minlength=n).astype(np.int64)


class PausedFound(NamedTuple):
    """The state code, deadlines, time used and level of each clock."""

    state: Int64Array
    due: Int64Array
    breach: Int64Array
    used: Int64Array
    level: Int64Array

    @classmethod
    def of(cls, counted: Any, n: int) -> PausedFound:
        """What :func:`count_clocks` found, or zeros to be filled one by one."""
        if counted is None:
            return cls(*(np.zeros(n, dtype=np.int64) for _ in range(5)))
        return cls(counted.state, counted.due, counted.breach, counted.used, counted.level)


def _by_scalar(
    rules: ClockRules,
    rows: Int64Array,
    at: Int64Array,
    given: PausedRows,
    pauses: PauseColumns,
    found: PausedFound,
) -> None:
    """Count some clocks one by one (through the vectorised evaluation and its fallbacks)."""
    from ..metric_status import RowInputs
    from ._clocks import evaluate

    inputs = []
    for row, k in zip(rows.tolist(), at.tolist(), strict=True):
        lo, hi = np.searchsorted(pauses.owner, [k, k + 1]).tolist()
        pairs = zip(pauses.start[lo:hi].tolist(), pauses.end[lo:hi].tolist(), strict=True)
        resolved = int(given.resolved[row])
        clock = clock_inputs(
            rules,
            int(given.opened[row]),
            str(given.codes[row]),
            int(given.now[row]),
            resolved_us=None if resolved == NAT else resolved,
            pauses_us=[(s, None if e == NAT else e) for s, e in pairs],
        )
        inputs.append(RowInputs("", "", 1, clock, rules))
    for k, raw in zip(at.tolist(), evaluate(inputs), strict=True):
        found.state[k], found.due[k], found.breach[k] = raw.state, raw.due, raw.breach
        found.used[k], found.level[k] = raw.used, raw.level
