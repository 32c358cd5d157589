"""SLA columns for a Polars DataFrame of tickets (the ``sla-clock[polars]`` extra).

>>> from datetime import datetime
>>> from zoneinfo import ZoneInfo
>>> import polars as pl
>>> sp = ZoneInfo("America/Sao_Paulo")
>>> tickets = pl.DataFrame({"opened": [datetime(2026, 11, 23, 14, tzinfo=sp)], "priority": ["P0"]})
>>> out = add_sla_columns(tickets, now=datetime(2026, 11, 23, 18, 30, tzinfo=sp))
>>> row = out.row(0, named=True)
>>> row["state"], row["due_at"].isoformat(), row["breach_at"].isoformat()
('at_risk', '2026-11-23T18:00:00-03:00', '2026-11-24T09:00:00-03:00')
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

try:
    import polars as pl
except ImportError as exc:  # pragma: no cover - exercised in a test that hides polars
    msg = "sla_clock.adapters.polars needs Polars; install it with: pip install 'sla-clock[polars]'"
    raise ImportError(msg) from exc

import numpy as np

from ..bulk import NAT
from ..errors import NaiveDatetimeError
from ..policy import SlaPolicy
from ._events import events_problem, metric_columns
from ._frame import non_empty, output_names, status_columns

__all__ = ["add_sla_columns", "metric_frame"]


def add_sla_columns(
    df: pl.DataFrame,
    policy: SlaPolicy | None = None,
    *,
    now: datetime,
    opened: str = "opened",
    priority: str = "priority",
    resolved: str | None = "resolved",
    pauses: str | None = None,
    prefix: str = "",
) -> pl.DataFrame:
    """Return ``df`` with each ticket's SLA status at ``now`` as new columns.

    Adds ``due_at`` and ``breach_at`` (``Datetime`` in the calendar's zone), ``used`` and
    ``remaining`` (``Duration`` of business time), ``used_seconds`` (float), ``state``
    (``running``, ``at_risk``, ``paused``, ``breached``, ``met`` or ``missed``) and
    ``escalation_level``, each name preceded by ``prefix``. Row by row the values are those
    of :meth:`SlaPolicy.status`.

    Args:
        df: one ticket per row.
        policy: the SLA policy; :meth:`SlaPolicy.default` when ``None``.
        now: the aware instant of the status.
        opened: the column of opening instants (``Datetime`` with a time zone).
        priority: the column of priority codes.
        resolved: the column of resolution instants (null while open), or ``None``. A
            frame without a column of the default name has no resolved ticket.
        pauses: the column of pauses, or ``None``: per row null or a list of
            ``[start, end]`` lists or ``{"start", "end"}`` structs of aware datetimes,
            ``end`` null while the pause goes on.
        prefix: put before every new column's name, e.g. ``"sla_"``.

    Returns:
        A new DataFrame.

    Raises:
        NaiveDatetimeError: a datetime column without a time zone, or a naive ``now``.
        TypeError: ``opened`` or ``resolved`` is not a datetime column.
        KeyError: a column named here is not in the frame.
        ValueError: a new column would overwrite one of ``df`` (pass a ``prefix``), an
            unknown priority (:class:`UnknownPriorityError`) or an inconsistent ticket
            (:class:`TicketError`).
    """
    policy = SlaPolicy.default() if policy is None else policy
    names = output_names(df.columns, prefix)
    zone = policy.calendar.timezone
    if resolved == "resolved" and resolved not in df.columns:
        resolved = None
    cols = status_columns(
        policy,
        opened=_instants(df, opened, "opened", zone),
        priority=_column(df, priority, "priority").to_numpy(),
        now=now,
        resolved=None if resolved is None else _instants(df, resolved, "resolved", zone),
        pauses=() if pauses is None else _pauses(df, pauses),
        label=str,
    )

    def instants(name: str, us: np.ndarray[Any, Any]) -> pl.Series:
        utc = pl.Series(name, us.view("datetime64[us]")).dt.replace_time_zone("UTC")
        return utc.dt.convert_time_zone(zone)

    return df.with_columns(
        instants(names["due_at"], cols.due),
        instants(names["breach_at"], cols.breach),
        pl.Series(names["used"], cols.used.view("timedelta64[us]")),
        pl.Series(names["used_seconds"], cols.used / 1_000_000, dtype=pl.Float64),
        pl.Series(names["remaining"], cols.remaining.view("timedelta64[us]")),
        pl.Series(names["state"], cols.state, dtype=pl.String),
        pl.Series(names["escalation_level"], cols.escalation_level, dtype=pl.Int64),
    )


def _column(df: pl.DataFrame, name: str, role: str) -> pl.Series:
    if name not in df.columns:
        msg = f"no column {name!r} in the frame; pass {role}= with the name of the {role} column"
        raise KeyError(msg)
    return df.get_column(name)


def _instants(df: pl.DataFrame, name: str, role: str, zone: str) -> np.ndarray[Any, Any]:
    """A ``Datetime`` column with a time zone as epoch microseconds (NaT for null)."""
    column = _column(df, name, role)
    dtype = column.dtype
    if isinstance(dtype, pl.Datetime) and dtype.time_zone is not None:
        # Polars stores UTC instants whatever the zone; casting the unit floors.
        physical = column.dt.cast_time_unit("us").to_physical().fill_null(NAT)
        return physical.to_numpy().astype(np.int64, copy=False)
    if column.null_count() == len(column):
        return np.full(len(column), NAT, dtype=np.int64)
    if isinstance(dtype, pl.Datetime):
        msg = (
            f"column {name!r} holds naive times ({dtype}), which name no instant; give it "
            f"its zone first: df.with_columns(pl.col({name!r}).dt.replace_time_zone({zone!r}))"
        )
        raise NaiveDatetimeError(msg)
    msg = f"column {name!r} must be a Datetime column with a time zone, got {dtype}"
    raise TypeError(msg)


def _pauses(df: pl.DataFrame, name: str) -> Iterable[tuple[int, Any]]:
    """``(row, pauses)`` of the rows with pauses; other rows are skipped without a loop."""
    column = _column(df, name, "pauses")
    if isinstance(column.dtype, pl.List):
        rows = np.flatnonzero(column.list.len().fill_null(0).to_numpy())
        values = column.gather(rows).to_list()
        return ((int(rows[i]), value) for i, value in non_empty(values))
    return non_empty(column.to_list())


def metric_frame(
    events: pl.DataFrame, policy: SlaPolicy | None = None, *, now: datetime
) -> pl.DataFrame:
    """Return the metric rows of ticket histories at ``now``: one per ticket, metric, cycle.

    The rows, their order and their values are those of :func:`sla_clock.metric_statuses`
    on the same events, with the columns of :meth:`MetricStatus.to_dict
    <sla_clock.MetricStatus.to_dict>`: ``ticket``, ``metric``, ``priority``, ``state``
    (``String``), ``cycle``, ``escalation_level`` (``Int64``), ``due_at``, ``breach_at``
    (``Datetime`` in the calendar's zone), ``used_seconds``, ``remaining_seconds`` and
    ``elapsed_seconds`` (``Float64``).

    Args:
        events: one event per row: ``ticket``, ``at`` (``Datetime`` with a time zone),
            ``event`` and ``value`` (or the columns ``priority``, ``status`` and ``by``).
        policy: the SLA policy; :meth:`SlaPolicy.default` when ``None``.
        now: the aware instant of the status; later events are ignored.

    Raises:
        KeyError: a column is missing.
        NaiveDatetimeError: ``at`` or ``now`` has no time zone.
        TypeError: ``at`` is not a datetime column.
        ValueError: an unknown event or one without its value (the message names the row), a
            history that breaks a rule (:class:`TicketError`) or an unknown priority.
    """
    policy = SlaPolicy.default() if policy is None else policy
    problem = events_problem(events.columns, ("ticket", "at", "event"))
    if problem is not None:
        raise KeyError(problem)
    zone = policy.calendar.timezone
    at = _instants(events, "at", "at", zone)

    def get(name: str, lo: int, hi: int) -> list[Any]:
        return events.get_column(name).slice(lo, hi - lo).to_list()

    out = metric_columns(policy, events.columns, events.height, get, at, now)

    def instants(name: str) -> pl.Series:
        us = np.asarray(out[name], dtype=np.int64).view("datetime64[us]")
        return pl.Series(name, us).dt.replace_time_zone("UTC").dt.convert_time_zone(zone)

    return pl.DataFrame(
        [
            pl.Series("ticket", out["ticket"], dtype=pl.String),
            pl.Series("metric", out["metric"], dtype=pl.String),
            pl.Series("cycle", out["cycle"], dtype=pl.Int64),
            pl.Series("priority", out["priority"], dtype=pl.String),
            pl.Series("state", out["state"], dtype=pl.String),
            instants("due_at"),
            instants("breach_at"),
            pl.Series("used_seconds", out["used_seconds"], dtype=pl.Float64),
            pl.Series("remaining_seconds", out["remaining_seconds"], dtype=pl.Float64),
            pl.Series("escalation_level", out["escalation_level"], dtype=pl.Int64),
            pl.Series("elapsed_seconds", out["elapsed_seconds"], dtype=pl.Float64),
        ]
    )
