"""Vectorised SLA status for many tickets at once (the ``sla-clock[fast]`` extra).

:func:`status_many_us` gives, for arrays of tickets, the same answers as
:meth:`SlaPolicy.status` row by row: tickets without pauses or priority changes are computed
with NumPy over the compiled timeline (two vectorised ``add`` and one ``elapsed``); the rest
go through the scalar engine one by one.

>>> import numpy as np
>>> from sla_clock import SlaPolicy
>>> from sla_clock.bulk import to_epoch_us
>>> opened = to_epoch_us(np.array(["2026-11-23T17:00"], dtype="datetime64[us]"))  # Mon 14:00
>>> now = int(to_epoch_us(np.array(["2026-11-23T21:30"], dtype="datetime64[us]"))[0])
>>> cols = status_many_us(SlaPolicy.default(), opened, np.array(["P0"]), now)
>>> cols.state.tolist(), cols.used.tolist()
(['at_risk'], [14400000000])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from .bulk import NAT, add_many_us, elapsed_many_us
from .policy import SlaPolicy
from .status import State, clock_us, raw_status

__all__ = ["STATES", "StatusColumns", "status_many_us"]

Int64Array = npt.NDArray[np.int64]
#: The states, in the order of their integer codes in :attr:`StatusColumns.state_code`.
STATES: tuple[State, ...] = ("running", "at_risk", "paused", "breached", "met", "missed")
_CODE = {state: code for code, state in enumerate(STATES)}

#: Per-row pauses: ``(start_us, end_us)`` pairs, ``end_us`` ``None`` while going on.
PauseList = Sequence[tuple[int, int | None]]


class StatusColumns(NamedTuple):
    """Column arrays of ticket statuses (instants and durations in microseconds).

    Instants are epoch microseconds (``int64``); ``used``, ``remaining`` and ``target`` are
    business microseconds.
    """

    state: npt.NDArray[np.str_]
    state_code: npt.NDArray[np.int8]
    priority: npt.NDArray[np.object_]
    target: Int64Array
    due: Int64Array
    breach: Int64Array
    used: Int64Array
    remaining: Int64Array
    escalation_level: npt.NDArray[np.int16]


def status_many_us(
    policy: SlaPolicy,
    opened: npt.ArrayLike,
    priority: npt.ArrayLike,
    now: int | npt.ArrayLike,
    *,
    resolved: npt.ArrayLike | None = None,
    pauses: Sequence[PauseList | None] | None = None,
) -> StatusColumns:
    """Return the status of many tickets at ``now``, as :meth:`SlaPolicy.status` would.

    Args:
        policy: the SLA policy (targets, warning share, ladder, calendar).
        opened: opening instants, ``int64`` epoch microseconds.
        priority: priority codes (strings, case-insensitive).
        now: the instant of the status, one for all or one per ticket.
        resolved: resolution instants (``NAT`` for open tickets), or ``None``.
        pauses: per ticket, its pauses or ``None``.

    A row whose ``opened`` (or ``now``) is ``NAT`` has ``NAT`` deadlines, ``used`` and
    ``remaining``; its state is not meaningful.

    Raises:
        UnknownPriorityError: a code the policy does not define.
    """
    opened_us = np.asarray(opened, dtype=np.int64)
    n = opened_us.shape[0]
    codes_in = np.asarray(priority, dtype=object)
    now_us = np.broadcast_to(np.asarray(now, dtype=np.int64), (n,))
    resolved_us = (
        np.full(n, NAT, dtype=np.int64) if resolved is None else np.asarray(resolved, np.int64)
    )

    uniques, inverse = np.unique(codes_in.astype(str), return_inverse=True)
    rules = [policy.clock_rule(str(code)) for code in uniques]
    levels = len(policy.escalation)
    table_target = np.array([r.target for r in rules], dtype=np.int64)
    table_warning = np.array([r.warning for r in rules], dtype=np.int64)
    table_thresholds = np.array([r.thresholds for r in rules], dtype=np.int64).reshape(
        len(rules), levels
    )
    table_code = np.array([r.code for r in rules], dtype=object)

    target = table_target[inverse]
    is_resolved = (resolved_us != NAT) & (resolved_us <= now_us)
    until = np.where(is_resolved, resolved_us, now_us)
    used = np.maximum(elapsed_many_us(policy.calendar, opened_us, until), 0)
    due = add_many_us(policy.calendar, opened_us, target)
    breach = add_many_us(policy.calendar, opened_us, target + 1)
    missing = (opened_us == NAT) | (now_us == NAT)
    breach[~missing] -= 1  # NaT stays NaT (NaT - 1 would wrap to the far future)
    used[missing] = NAT
    state = np.where(
        used > target,
        _CODE["breached"],
        np.where(used >= table_warning[inverse], _CODE["at_risk"], _CODE["running"]),
    )
    state = np.where(
        is_resolved, np.where(used <= target, _CODE["met"], _CODE["missed"]), state
    ).astype(np.int8)
    level = (used[:, None] >= table_thresholds[inverse]).sum(axis=1).astype(np.int16)
    codes_out = table_code[inverse]

    if pauses is not None:
        for row, row_pauses in enumerate(pauses):
            if row_pauses:
                _scalar_row(
                    policy,
                    row,
                    row_pauses,
                    opened_us,
                    codes_in,
                    now_us,
                    resolved_us,
                    (state, codes_out, target, due, breach, used, level),
                )
    return StatusColumns(
        state=np.asarray(STATES, dtype=str)[state],
        state_code=state,
        priority=codes_out,
        target=target,
        due=due,
        breach=breach,
        used=used,
        remaining=np.where(missing, NAT, target - used),
        escalation_level=level,
    )


def _scalar_row(
    policy: SlaPolicy,
    row: int,
    row_pauses: PauseList,
    opened_us: Int64Array,
    codes_in: npt.NDArray[Any],
    now_us: Int64Array,
    resolved_us: Int64Array,
    columns: tuple[npt.NDArray[Any], ...],
) -> None:
    """Compute one ticket with pauses through the scalar engine, writing into ``columns``."""
    resolved = int(resolved_us[row])
    tc = clock_us(
        policy,
        int(opened_us[row]),
        str(codes_in[row]),
        int(now_us[row]),
        resolved_us=None if resolved == NAT else resolved,
        pauses_us=row_pauses,
    )
    raw = raw_status(tc)
    state, codes_out, target, due, breach, used, level = columns
    state[row] = _CODE[raw.state]
    codes_out[row] = raw.priority
    target[row] = raw.target
    due[row] = raw.due
    breach[row] = raw.breach
    used[row] = raw.used
    level[row] = raw.level
