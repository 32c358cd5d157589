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
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from .._clock import ClockRule, rule_from
from .._policy_versions import version_key
from ..errors import OutOfRangeError, TicketError
from ..policy import SlaPolicy
from ..status import STATES
from ..ticket import LIFE_RULES, LifeRule
from ._arrays import NAT
from ._instants import deadlines_many_us, elapsed_many_us
from ._paused import PauseColumns, PausedRows, paused_status

__all__ = ["STATES", "StatusColumns", "life_problems_us", "pause_problems_us", "status_many_us"]

Int64Array = npt.NDArray[np.int64]
#: The states, in the order of their integer codes in :attr:`StatusColumns.state_code`.
_CODE = {state.value: code for code, state in enumerate(STATES)}

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
    pauses_clipped: npt.NDArray[np.int32]


def life_problems_us(
    opened: npt.ArrayLike, resolved: npt.ArrayLike | None, now: int | npt.ArrayLike
) -> dict[int, LifeRule]:
    """Return, per row that breaks one, the first rule of :data:`~sla_clock.ticket.LIFE_RULES`.

    The rules' own expressions are evaluated on whole columns: the same rules, in the same
    order, as the scalar path (:func:`sla_clock.ticket.life_problem`).

    >>> life_problems_us(np.array([5, 10]), None, 8)[1].name
    'opened_after_now'
    """
    opened_us = np.asarray(opened, dtype=np.int64)
    resolved_us = (
        np.full(opened_us.shape, NAT, dtype=np.int64)
        if resolved is None
        else np.asarray(resolved, dtype=np.int64)
    )
    now_us = np.broadcast_to(np.asarray(now, dtype=np.int64), opened_us.shape)
    found: dict[int, LifeRule] = {}
    for rule in LIFE_RULES:
        for row in np.flatnonzero(rule.test(opened_us, resolved_us, now_us)).tolist():
            found.setdefault(row, rule)
    return found


def pause_problems_us(pauses: Sequence[PauseList | None]) -> dict[int, tuple[int, str]]:
    """Return, per row with a bad pause, the first one's index and what is wrong with it.

    The message marks where to show the pause with ``{pause}`` (see
    :func:`sla_clock.ticket.pause_problem`).
    """
    found = PauseColumns.of(pauses).problems()
    return {row: (k, message) for row, (k, _, message) in found.items()}


def status_many_us(
    policy: SlaPolicy,
    opened: npt.ArrayLike,
    priority: npt.ArrayLike,
    now: int | npt.ArrayLike,
    *,
    resolved: npt.ArrayLike | None = None,
    pauses: Sequence[PauseList | None] | PauseColumns | None = None,
) -> StatusColumns:
    """Return the status of many tickets at ``now``, as :meth:`SlaPolicy.status` would.

    Args:
        policy: the SLA policy (targets, warning share, ladder, calendar).
        opened: opening instants, ``int64`` epoch microseconds.
        priority: priority codes (strings, case-insensitive).
        now: the instant of the status, one for all or one per ticket.
        resolved: resolution instants (``NAT`` for open tickets), or ``None``.
        pauses: per ticket, its pauses or ``None``; or all of them as one
            :class:`~sla_clock.bulk._paused.PauseColumns`.

    Every row is checked by the ticket rules of :mod:`sla_clock.ticket` (callers that
    report bad rows one by one find them first with :func:`life_problems_us` and
    :func:`pause_problems_us`), and pauses are clipped to each ticket's life;
    :attr:`StatusColumns.pauses_clipped` counts them per row.

    Raises:
        UnknownPriorityError: a code the policy does not define.
        TicketError: a row breaks a ticket rule (no opening, resolved before it opened,
            ``now`` before the opening, a pause ending before it starts); the message names
            the first such row.
    """
    opened_us = np.asarray(opened, dtype=np.int64)
    n = opened_us.shape[0]
    codes_in = np.asarray(priority, dtype=object)
    now_us = np.broadcast_to(np.asarray(now, dtype=np.int64), (n,))
    resolved_us = (
        np.full(n, NAT, dtype=np.int64) if resolved is None else np.asarray(resolved, np.int64)
    )

    pause_columns = (
        pauses if pauses is None or isinstance(pauses, PauseColumns) else PauseColumns.of(pauses)
    )
    _refuse_broken_rules(opened_us, resolved_us, now_us, pause_columns)
    given = _Given(opened_us, codes_in, now_us, resolved_us, pause_columns)
    if policy.versions:
        return _by_version(policy, given)
    try:
        return _computed(policy, given)
    except OutOfRangeError:
        if n < 2:
            raise
        # Tickets years apart may not fit one question's years together, though each fits
        # alone: count each half of them (in time order) on its own, down to a row that
        # fails alone, whose error this is.
        order = np.argsort(opened_us, kind="stable")
        return _scattered(policy, given, (order[: n // 2], order[n // 2 :]))


class _Given(NamedTuple):
    """The rows of a status call, checked: opened, codes, now, resolved, pauses."""

    opened: Int64Array
    codes: npt.NDArray[np.object_]
    now: Int64Array
    resolved: Int64Array
    pauses: PauseColumns | None


def _scattered(policy: SlaPolicy, given: _Given, groups: Sequence[Int64Array]) -> StatusColumns:
    """Each group of rows counted by its own call under ``policy``, put back in row order.

    ``policy`` may be a versioned one: each group then counts under the version of its first
    row (:func:`_by_version` groups them so).
    """
    n = len(given.opened)
    out: dict[str, npt.NDArray[np.generic]] = {}
    for rows in groups:
        first = int(rows[0])
        version = policy.in_force_us(int(given.opened[first]), int(given.now[first]))
        part = status_many_us(
            version,
            given.opened[rows],
            given.codes[rows],
            given.now[rows],
            resolved=given.resolved[rows],
            pauses=None if given.pauses is None else given.pauses.take(rows, n),
        )
        for name, column in part._asdict().items():
            if name not in out:
                out[name] = np.empty(n, dtype=object if name == "state" else column.dtype)
            out[name][rows] = column
    out["state"] = np.asarray([s.value for s in STATES], dtype=str)[out["state_code"]]
    return StatusColumns(**out)  # type: ignore[arg-type]  # (the columns of each part)


def _computed(policy: SlaPolicy, given: _Given) -> StatusColumns:
    """The statuses of rows under a policy without versions, vectorised."""
    opened_us, codes_in, now_us, resolved_us, pause_columns = given
    n = len(opened_us)
    uniques, inverse = np.unique(codes_in.astype(str), return_inverse=True)
    table = _RuleTable.of(policy, [str(code) for code in uniques])
    target, warning, thresholds = _thresholds(policy, table, inverse, opened_us)
    is_resolved = (resolved_us != NAT) & (resolved_us <= now_us)
    until = np.where(is_resolved, resolved_us, now_us)
    used = elapsed_many_us(policy.calendar, opened_us, until)
    due, breach = deadlines_many_us(policy.calendar, opened_us, target)
    state = _state_codes(used, target, warning, is_resolved)
    # A level is reached once used > target + offset, strictly (see status.level_of).
    level = (used[:, None] > thresholds).sum(axis=1).astype(np.int16)
    codes_out = table.code[inverse]
    clipped = np.zeros(n, dtype=np.int32)

    if pause_columns is not None and len(pause_columns.owner):
        rows = np.unique(pause_columns.owner)
        paused = PausedRows(opened_us, now_us, resolved_us, codes_in, target, warning, thresholds)
        found, clipped[rows] = paused_status(
            policy.clock_rules, rows, paused, pause_columns.take(rows, n)
        )
        state[rows], due[rows], breach[rows] = found.state, found.due, found.breach
        used[rows], level[rows] = found.used, found.level
    return StatusColumns(
        state=np.asarray([s.value for s in STATES], dtype=str)[state],
        state_code=state,
        priority=codes_out,
        target=target,
        due=due,
        breach=breach,
        used=used,
        remaining=target - used,
        escalation_level=level,
        pauses_clipped=clipped,
    )


def _by_version(policy: SlaPolicy, given: _Given) -> StatusColumns:
    """Each ticket counted under the policy version it counts under (``in_force_us``).

    The rows of a version are counted together; a version is chosen by the one rule of
    :meth:`SlaPolicy.in_force_us` (``searchsorted`` is its ``bisect``, property-tested).
    """
    keys = version_key(policy.policy_version, given.opened, given.now)
    starts = np.asarray(policy.version_starts_us, dtype=np.int64)
    index = np.searchsorted(starts, keys, side="right")
    groups = [np.flatnonzero(index == i) for i in np.unique(index).tolist()]
    return _scattered(policy, given, groups)


def _state_codes(
    used: Int64Array, target: Int64Array, warning: Int64Array, resolved: npt.NDArray[np.bool_]
) -> npt.NDArray[np.int8]:
    """The state codes of tickets from their time used (as ``_clock.state_of``, vectorised)."""
    state = np.where(
        used > target,
        _CODE["breached"],
        np.where(used >= warning, _CODE["at_risk"], _CODE["running"]),
    )
    codes: npt.NDArray[np.int8] = np.where(
        resolved, np.where(used <= target, _CODE["met"], _CODE["missed"]), state
    ).astype(np.int8)
    return codes


def _refuse_broken_rules(
    opened_us: Int64Array,
    resolved_us: Int64Array,
    now_us: Int64Array,
    pauses: PauseColumns | None,
) -> None:
    """Raise a TicketError naming the first row that breaks a ticket rule, if any."""
    problems = life_problems_us(opened_us, resolved_us, now_us)
    if problems:
        row = min(problems)
        times = {"opened": str(opened_us[row]), "resolved": str(resolved_us[row])}
        times["now"] = str(now_us[row])
        msg = f"row {row} (epoch microseconds): {problems[row].describe(times)}"
        raise TicketError(msg)
    if pauses is not None:
        bad = pauses.problems()
        if bad:
            row = min(bad)
            k, _, problem = bad[row]
            msg = f"row {row}: " + problem.format(pause=f"#{k + 1} of the row's pauses")
            raise TicketError(msg)


class _RuleTable(NamedTuple):
    """The thresholds of some priority codes, as arrays indexed like the codes.

    A code with a target in business days has zeros there and ``in_days`` set: its
    thresholds depend on each ticket's opening (:func:`_thresholds`).
    """

    target: Int64Array
    warning: Int64Array
    thresholds: Int64Array  # (codes, levels)
    code: npt.NDArray[np.object_]
    in_days: npt.NDArray[np.bool_]
    rules: tuple[ClockRule, ...]

    @classmethod
    def of(cls, policy: SlaPolicy, codes: Sequence[str]) -> _RuleTable:
        """Return the table of ``codes`` under ``policy`` (raises UnknownPriorityError)."""
        rules = [policy.clock_rule(code) for code in codes]
        levels = len(policy.escalation)
        return cls(
            np.array([r.target for r in rules], dtype=np.int64),
            np.array([r.warning for r in rules], dtype=np.int64),
            np.array([r.thresholds or (0,) * levels for r in rules], dtype=np.int64).reshape(
                len(rules), levels
            ),
            np.array([r.code for r in rules], dtype=object),
            np.array([r.day_target is not None for r in rules], dtype=bool),
            tuple(rules),
        )


def _thresholds(
    policy: SlaPolicy, table: _RuleTable, inverse: npt.NDArray[np.intp], opened_us: Int64Array
) -> tuple[Int64Array, Int64Array, Int64Array]:
    """Each row's target, warning and level thresholds; a day target's are the row's own.

    Rows with a target in business days take their budget from the scalar rule
    (:func:`~sla_clock._clock.rule_from`), one by one: a Python call per such row.
    """
    target = table.target[inverse]
    warning = table.warning[inverse]
    thresholds = table.thresholds[inverse]
    for row in np.flatnonzero(table.in_days[inverse]):
        rule = rule_from(table.rules[inverse[row]], policy.calendar, int(opened_us[row]))
        target[row], warning[row] = rule.target, rule.warning
        thresholds[row] = rule.thresholds
    return target, warning, thresholds
