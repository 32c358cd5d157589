"""What the DataFrame adapters share: output columns, ticket checks, status computation.

NumPy only: each adapter converts its own frame's columns to epoch microseconds first.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..errors import TicketError
from ..policy import SlaPolicy
from ..ticket import pause_problem

if TYPE_CHECKING:
    import numpy.typing as npt

    from ..bulk._status import PauseList, StatusColumns

__all__ = ["OUTPUT_COLUMNS"]

#: The columns both adapters add, before the prefix.
OUTPUT_COLUMNS = (
    "due_at",
    "breach_at",
    "used",
    "used_seconds",
    "remaining",
    "state",
    "escalation_level",
)


def output_names(existing: Collection[str], prefix: str) -> dict[str, str]:
    """Return ``{column: prefix + column}``; refuse names the frame already has.

    Raises:
        ValueError: an output column would overwrite a column of the frame.
    """
    names = {column: f"{prefix}{column}" for column in OUTPUT_COLUMNS}
    clash = [name for name in names.values() if name in existing]
    if clash:
        msg = (
            f"the frame already has column(s) {clash}; pass a prefix, e.g. prefix='sla_', "
            "or drop them first"
        )
        raise ValueError(msg)
    return names


def status_columns(
    policy: SlaPolicy,
    *,
    opened: npt.NDArray[Any],
    priority: npt.ArrayLike,
    now: datetime,
    resolved: npt.NDArray[Any] | None,
    pauses: Iterable[tuple[int, Any]],
    label: Callable[[int], object],
) -> StatusColumns:
    """Check the tickets and compute their status columns.

    Args:
        policy: the SLA policy.
        opened: opening instants, ``int64`` epoch microseconds (``NaT`` refused).
        priority: priority codes.
        now: the aware instant of the status.
        resolved: resolution instants (``NaT`` while open), or ``None``.
        pauses: ``(row, pauses)`` for the rows that have pauses: an iterable of
            ``(start, end)`` pairs or ``{"start": ..., "end": ...}`` mappings of aware
            datetimes, ``end`` missing while the pause goes on.
        label: how to name row ``i`` in an error message.

    Every ticket is checked by the ticket rules of :mod:`sla_clock.ticket`, as
    :meth:`SlaPolicy.status` checks one; pauses reaching outside a ticket's life are clipped.

    Raises:
        TicketError: a ticket without an opening, resolved before it opened, opened after
            ``now``, or with a pause that ends before it starts (or has no start).
        NaiveDatetimeError: ``now`` or a pause time has no timezone.
    """
    from ..bulk._status import life_problems_us, status_many_us

    now_us = policy.calendar.to_us(now)
    broken = life_problems_us(opened, resolved, now_us)
    if broken:
        row = min(broken)
        shown = {
            "opened": _shown(opened[row], policy),
            "resolved": _shown(resolved[row], policy) if resolved is not None else "",
            "now": now.isoformat(),
        }
        msg = f"{len(broken)} ticket(s) break a rule, first row {label(row)}: "
        raise TicketError(msg + broken[row].describe(shown))
    rows: list[PauseList | None] = [None] * len(opened)
    for row, value in pauses:
        rows[row] = _pause_pairs(policy, value, label(row))
    return status_many_us(policy, opened, priority, now_us, resolved=resolved, pauses=rows)


def _shown(us: Any, policy: SlaPolicy) -> str:
    """An instant of a column (epoch microseconds) as ISO 8601, or "(none)" when missing."""
    from ..bulk import NAT

    value = int(us)
    return "(none)" if value == NAT else policy.calendar.from_us(value).isoformat()


def _pause_pairs(policy: SlaPolicy, value: Iterable[Any], where: object) -> PauseList:
    """Read one row's pauses as epoch microseconds, checked by the ticket rules."""
    to_us = policy.calendar.to_us
    pairs: list[tuple[int, int | None]] = []
    for item in value:
        start, end = (item["start"], item["end"]) if isinstance(item, dict) else item
        begin = None if _missing(start) else to_us(start)
        stop = None if _missing(end) else to_us(end)
        problem = pause_problem(begin, stop)
        if problem is not None:
            shown = f"{start} .. {'ongoing' if stop is None else end}"
            msg = f"row {where}: " + problem.format(pause=shown)
            raise TicketError(msg)
        assert begin is not None
        pairs.append((begin, stop))
    return pairs


def _missing(value: object) -> bool:
    """``None``, ``NaN`` or ``NaT`` (``NaN`` and ``NaT`` are the values unequal to themselves)."""
    return value is None or (isinstance(value, float | datetime) and value != value)


def non_empty(values: Iterable[Any]) -> Iterable[tuple[int, Any]]:
    """Yield ``(position, value)`` for the values that are neither missing nor empty."""
    for position, value in enumerate(values):
        if not _missing(value) and len(value):
            yield position, value
