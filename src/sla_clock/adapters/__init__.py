"""DataFrame adapters: the SLA status of a whole table of tickets as new columns.

- :func:`sla_clock.adapters.pandas.add_sla_columns` for pandas (``pip install
  'sla-clock[pandas]'``);
- :func:`sla_clock.adapters.polars.add_sla_columns` for Polars (``pip install
  'sla-clock[polars]'``);
- :func:`sla_clock.adapters.dask.add_sla_columns` for Dask, partition by partition over the
  pandas adapter (``pip install 'sla-clock[dask]'``).

All add the same columns, ``due_at``, ``breach_at``, ``used``, ``used_seconds`` (the same
business time as a float, what ``sla-clock batch`` writes), ``remaining``, ``state`` and
``escalation_level``, computed by :func:`sla_clock.bulk_status.status_many_us`: one NumPy
pass for the tickets without pauses, the scalar engine for the few with pauses. Importing
this package imports neither pandas nor Polars; import the submodule you need. The helpers
below are the adapters' shared, NumPy-only core.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..errors import TicketError
from ..policy import SlaPolicy

if TYPE_CHECKING:
    import numpy.typing as npt

    from ..bulk_status import PauseList, StatusColumns

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

    Raises:
        TicketError: a ticket without an opening, resolved before it opened, or a pause
            that ends before it starts.
        NaiveDatetimeError: ``now`` or a pause time has no timezone.
    """
    import numpy as np  # the adapters' libraries bring NumPy; this package does not need it

    from ..bulk import NAT
    from ..bulk_status import status_many_us

    missing = np.flatnonzero(opened == NAT)
    if missing.size:
        msg = (
            f"{missing.size} ticket(s) have no opened time, first row {label(int(missing[0]))}; "
            "drop them or fill the column first"
        )
        raise TicketError(msg)
    if resolved is not None:
        early = np.flatnonzero((resolved != NAT) & (resolved < opened))
        if early.size:
            msg = (
                f"{early.size} ticket(s) are resolved before they opened, first row "
                f"{label(int(early[0]))}; check the two times"
            )
            raise TicketError(msg)
    rows: list[PauseList | None] = [None] * len(opened)
    for row, value in pauses:
        rows[row] = _pause_pairs(policy, value, label(row))
    return status_many_us(
        policy,
        opened,
        priority,
        policy.calendar.to_us(now),
        resolved=resolved,
        pauses=rows,
    )


def _pause_pairs(policy: SlaPolicy, value: Iterable[Any], where: object) -> PauseList:
    to_us = policy.calendar.to_us
    pairs: list[tuple[int, int | None]] = []
    for item in value:
        start, end = (item["start"], item["end"]) if isinstance(item, dict) else item
        if _missing(start):
            msg = f"a pause of row {where} has no start; give every pause a start"
            raise TicketError(msg)
        begin = to_us(start)
        stop = None if _missing(end) else to_us(end)
        if stop is not None and stop < begin:
            msg = f"a pause of row {where} ends ({end}) before it starts ({start})"
            raise TicketError(msg)
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
