"""SLA columns for a pandas DataFrame of tickets (the ``sla-clock[pandas]`` extra).

>>> from datetime import datetime
>>> from zoneinfo import ZoneInfo
>>> import pandas as pd
>>> sp = ZoneInfo("America/Sao_Paulo")
>>> tickets = pd.DataFrame(
...     {"opened": pd.to_datetime(["2026-11-23 14:00"]).tz_localize(sp), "priority": ["P0"]}
... )
>>> out = add_sla_columns(tickets, now=datetime(2026, 11, 23, 18, 30, tzinfo=sp))
>>> out.loc[0, ["state", "due_at", "breach_at"]].astype(str).tolist()
['at_risk', '2026-11-23 18:00:00-03:00', '2026-11-24 09:00:00-03:00']
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

try:
    # pandas ships no type information (pandas-stubs is separate); without the stubs mypy
    # reads pandas as Any, with them the ignore is unused: both codes keep --strict quiet.
    import pandas as pd  # type: ignore[import-untyped,unused-ignore]
except ImportError as exc:  # pragma: no cover - exercised in a test that hides pandas
    msg = "sla_clock.adapters.pandas needs pandas; install it with: pip install 'sla-clock[pandas]'"
    raise ImportError(msg) from exc

import numpy as np

from ..bulk import NAT, to_epoch_us
from ..errors import NaiveDatetimeError
from ..policy import SlaPolicy
from ._events import events_problem, metric_columns
from ._frame import non_empty, output_names, status_columns

__all__ = ["add_sla_columns", "metric_frame"]


def add_sla_columns(
    df: pd.DataFrame,
    policy: SlaPolicy | None = None,
    *,
    now: datetime,
    opened: str = "opened",
    priority: str = "priority",
    resolved: str | None = "resolved",
    pauses: str | None = None,
    prefix: str = "",
) -> pd.DataFrame:
    """Return a copy of ``df`` with each ticket's SLA status at ``now`` as new columns.

    Adds ``due_at`` and ``breach_at`` (tz-aware, in the calendar's zone), ``used`` and
    ``remaining`` (timedeltas of business time), ``used_seconds`` (float), ``state``
    (``running``, ``at_risk``, ``paused``, ``breached``, ``met`` or ``missed``) and
    ``escalation_level`` (int), each name preceded by ``prefix``. Row by row the values are those of
    :meth:`SlaPolicy.status`; the index is kept.

    Args:
        df: one ticket per row.
        policy: the SLA policy; :meth:`SlaPolicy.default` when ``None``.
        now: the aware instant of the status.
        opened: the column of opening instants (tz-aware datetimes).
        priority: the column of priority codes.
        resolved: the column of resolution instants (tz-aware, ``NaT`` while open), or
            ``None``. A frame without a column of the default name has no resolved ticket.
        pauses: the column of pauses, or ``None``: per row ``None`` or a list of
            ``(start, end)`` aware datetimes, ``end`` ``None`` while the pause goes on.
        prefix: put before every new column's name, e.g. ``"sla_"``.

    Returns:
        A new DataFrame; ``df`` is not modified.

    Raises:
        NaiveDatetimeError: a datetime column, ``now`` or a pause has no timezone.
        TypeError: ``opened`` or ``resolved`` is not a datetime column.
        KeyError: a column named here is not in the frame.
        ValueError: a new column would overwrite one of ``df`` (pass a ``prefix``), an
            unknown priority (:class:`UnknownPriorityError`) or an inconsistent ticket
            (:class:`TicketError`).
    """
    policy = SlaPolicy.default() if policy is None else policy
    names = output_names(list(df.columns), prefix)
    zone = policy.calendar.timezone
    if resolved == "resolved" and resolved not in df.columns:
        resolved = None
    cols = status_columns(
        policy,
        opened=_instants(df, opened, "opened", zone),
        priority=_column(df, priority, "priority").to_numpy(dtype=object),
        now=now,
        resolved=None if resolved is None else _instants(df, resolved, "resolved", zone),
        pauses=() if pauses is None else _pauses(df, pauses),
        label=lambda row: df.index[row],
    )

    def instants(us: np.ndarray[Any, Any]) -> Any:
        return pd.DatetimeIndex(us.view("datetime64[us]")).tz_localize("UTC").tz_convert(zone)

    return df.assign(
        **{
            names["due_at"]: instants(cols.due).array,
            names["breach_at"]: instants(cols.breach).array,
            names["used"]: cols.used.view("timedelta64[us]"),
            names["used_seconds"]: cols.used / 1_000_000,
            names["remaining"]: cols.remaining.view("timedelta64[us]"),
            names["state"]: cols.state,
            names["escalation_level"]: cols.escalation_level.astype(np.int64),
        }
    )


def _column(df: pd.DataFrame, name: str, role: str) -> Any:
    if name not in df.columns:
        msg = f"no column {name!r} in the frame; pass {role}= with the name of the {role} column"
        raise KeyError(msg)
    return df[name]


def _instants(df: pd.DataFrame, name: str, role: str, zone: str) -> np.ndarray[Any, Any]:
    """A tz-aware datetime column as epoch microseconds (NaT for missing)."""
    column = _column(df, name, role)
    if isinstance(column.dtype, pd.DatetimeTZDtype):
        return to_epoch_us(column)
    if column.isna().all():
        return np.full(len(column), NAT, dtype=np.int64)
    if pd.api.types.is_datetime64_dtype(column.dtype):
        msg = (
            f"column {name!r} holds naive times (dtype {column.dtype}), which name no instant; "
            f"localize it first: df[{name!r}] = df[{name!r}].dt.tz_localize({zone!r})"
        )
        raise NaiveDatetimeError(msg)
    msg = (
        f"column {name!r} must hold tz-aware datetimes, got dtype {column.dtype}; convert it "
        f"first, e.g. df[{name!r}] = pd.to_datetime(df[{name!r}], utc=True) for times with "
        "an offset"
    )
    raise TypeError(msg)


def _pauses(df: pd.DataFrame, name: str) -> Iterable[tuple[int, Any]]:
    """``(position, pauses)`` of the rows with pauses; null rows are skipped without a loop."""
    column = _column(df, name, "pauses")
    present = np.flatnonzero(column.notna().to_numpy())
    values = column.to_numpy(dtype=object)[present]
    return ((int(present[i]), value) for i, value in non_empty(values))


def metric_frame(
    events: pd.DataFrame, policy: SlaPolicy | None = None, *, now: datetime
) -> pd.DataFrame:
    """Return the metric rows of ticket histories at ``now``: one per ticket, metric, cycle.

    The rows, their order and their values are those of :func:`sla_clock.metric_statuses`
    on the same events; the columns are those of :meth:`MetricStatus.to_dict
    <sla_clock.MetricStatus.to_dict>`: ``ticket``, ``metric``, ``priority`` and ``state``
    (text), ``cycle`` and ``escalation_level`` (int64), ``due_at`` and ``breach_at``
    (tz-aware, in the calendar's zone), ``used_seconds``, ``remaining_seconds`` and
    ``elapsed_seconds`` (float64).

    Args:
        events: one event per row, with the columns ``ticket``, ``at`` (tz-aware),
            ``event`` and ``value`` (the priority, status or ``by``; or instead the columns
            ``priority``, ``status`` and ``by``). Tickets may interleave; within a ticket,
            events are taken in time order, ties in row order.
        policy: the SLA policy; :meth:`SlaPolicy.default` when ``None``.
        now: the aware instant of the status; later events are ignored.

    Raises:
        KeyError: a column is missing.
        NaiveDatetimeError: ``at`` or ``now`` has no time zone.
        TypeError: ``at`` is not a datetime column.
        ValueError: an unknown event or one without its value (the message names the row), a
            history that breaks a rule (:class:`TicketError`) or an unknown priority
            (:class:`UnknownPriorityError`).
    """
    policy = SlaPolicy.default() if policy is None else policy
    columns = list(events.columns)
    problem = events_problem(columns, ("ticket", "at", "event"))
    if problem is not None:
        raise KeyError(problem)
    zone = policy.calendar.timezone
    at = _instants(events, "at", "at", zone)

    def get(name: str, lo: int, hi: int) -> list[Any]:
        return list(events[name].iloc[lo:hi].to_numpy(dtype=object))

    index = events.index
    out = metric_columns(policy, columns, len(events), get, at, now, label=lambda row: index[row])

    def instants(us: list[int]) -> Any:
        utc = pd.DatetimeIndex(np.asarray(us, dtype=np.int64).view("datetime64[us]"))
        return utc.tz_localize("UTC").tz_convert(zone).array

    return pd.DataFrame(
        {
            "ticket": out["ticket"],
            "metric": out["metric"],
            "cycle": np.asarray(out["cycle"], dtype=np.int64),
            "priority": out["priority"],
            "state": out["state"],
            "due_at": instants(out["due_at"]),
            "breach_at": instants(out["breach_at"]),
            "used_seconds": np.asarray(out["used_seconds"], dtype=np.float64),
            "remaining_seconds": np.asarray(out["remaining_seconds"], dtype=np.float64),
            "escalation_level": np.asarray(out["escalation_level"], dtype=np.int64),
            "elapsed_seconds": np.asarray(out["elapsed_seconds"], dtype=np.float64),
        }
    )
