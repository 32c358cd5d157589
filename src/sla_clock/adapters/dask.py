"""SLA columns for a Dask DataFrame of tickets (the ``sla-clock[dask]`` extra).

:func:`add_sla_columns` is the pandas adapter,
:func:`sla_clock.adapters.pandas.add_sla_columns`, mapped over the partitions with
``map_partitions``: the same arguments, the same new columns, the same values row for row.

Nothing is computed when it is called: the output's ``meta`` is declared, so Dask never
runs the function on made-up rows to guess it. The meta is the pandas adapter's answer on
the frame's zero-row ``_meta`` (so the dtypes are the pandas adapter's by construction),
and the frame's schema is checked on the way: a missing column, times that are naive or
not datetimes, a column clash or a naive ``now`` are refused at once, before any work
reaches a cluster.

Errors that depend on the rows (an unknown priority, a ticket resolved before it opened, a
naive pause) are those of the pandas adapter and are raised when a partition is computed.
A pauses column must hold lists (object dtype), as read from a Parquet
``list<struct<start, end>>`` column. Dask's ``from_pandas`` turns an object column into text
unless its ``dataframe.convert-string`` option is off, and the text of a list is no list of
pauses: such a column is refused.

The policy goes into the graph once, as a single task that every partition depends on: a
distributed worker receives it once and its partitions share one copy, so the calendar's
timeline is compiled once per worker, not once per partition. (A policy pickles small: a
calendar pickles its definition only, never its compiled timeline.) ``docs/dask.md`` shows
the same call against a remote scheduler, and the PySpark equivalent.

>>> from datetime import datetime
>>> from zoneinfo import ZoneInfo
>>> import dask.dataframe as dd
>>> import pandas as pd
>>> sp = ZoneInfo("America/Sao_Paulo")
>>> tickets = pd.DataFrame(
...     {
...         "id": ["T-1", "T-2"],
...         "priority": ["P0", "P1"],
...         "opened": pd.to_datetime(["2026-11-23 14:00", "2026-11-23 17:00"]).tz_localize(sp),
...     }
... )
>>> now = datetime(2026, 11, 23, 18, 30, tzinfo=sp)
>>> out = add_sla_columns(dd.from_pandas(tickets, npartitions=2), now=now)
>>> out.npartitions, list(out.columns[3:])
(2, ['due_at', 'breach_at', 'used', 'used_seconds', 'remaining', 'state', 'escalation_level'])
>>> out.compute()[["id", "state", "breach_at"]].astype(str).to_numpy().tolist()
[['T-1', 'at_risk', '2026-11-24 09:00:00-03:00'], ['T-2', 'running', '2026-11-25 11:00:00-03:00']]
"""

from __future__ import annotations

from datetime import datetime

try:
    import dask.dataframe as dd

    # As in sla_clock.adapters.pandas: without pandas-stubs mypy reads pandas as Any.
    import pandas as pd  # type: ignore[import-untyped,unused-ignore]
    from dask.delayed import delayed
except ImportError as exc:  # pragma: no cover - exercised in a test that hides dask
    msg = "sla_clock.adapters.dask needs Dask; install it with: pip install 'sla-clock[dask]'"
    raise ImportError(msg) from exc

from ..errors import NaiveDatetimeError
from ..policy import SlaPolicy
from . import pandas as _pandas

__all__ = ["add_sla_columns", "metric_frame"]

#: The column that carries each event's position through the shuffle (ties keep row order).
_SEQ = "__sla_clock_row"


def _require_dask_frame(df: object) -> None:
    if not isinstance(df, dd.DataFrame):
        msg = (
            f"expected a Dask DataFrame, got {type(df).__module__}.{type(df).__name__}; for "
            "a pandas frame use sla_clock.adapters.pandas.add_sla_columns, or wrap it with "
            "dask.dataframe.from_pandas(frame, npartitions=...)"
        )
        raise TypeError(msg)


def add_sla_columns(
    df: dd.DataFrame,
    policy: SlaPolicy | None = None,
    *,
    now: datetime,
    opened: str = "opened",
    priority: str = "priority",
    resolved: str | None = "resolved",
    pauses: str | None = None,
    prefix: str = "",
) -> dd.DataFrame:
    """Return a lazy copy of ``df`` with each ticket's SLA status at ``now`` as new columns.

    Each partition becomes :func:`sla_clock.adapters.pandas.add_sla_columns` of that
    partition, with the arguments given here: ``due_at``, ``breach_at``, ``used``,
    ``remaining``, ``state`` and ``escalation_level`` (each preceded by ``prefix``), with
    the pandas adapter's dtypes. Partitions, divisions and index are kept. Nothing is
    computed until the result is (``.compute()``, ``.to_parquet(...)``, ``.persist()``).

    Args:
        df: a Dask DataFrame, one ticket per row.
        policy: the SLA policy; :meth:`SlaPolicy.default` when ``None``.
        now: the aware instant of the status, the same for every partition.
        opened: the column of opening instants (tz-aware datetimes).
        priority: the column of priority codes.
        resolved: the column of resolution instants (tz-aware, ``NaT`` while open), or
            ``None``. A frame without a column of the default name has no resolved ticket.
        pauses: the column of pauses, or ``None``: per row ``None`` or a list of
            ``(start, end)`` pairs or ``{"start": ..., "end": ...}`` mappings of aware
            datetimes (the shape a Parquet ``list<struct<start, end>>`` column reads back
            as), ``end`` missing while the pause goes on.
        prefix: put before every new column's name, e.g. ``"sla_"``.

    Returns:
        A new Dask DataFrame; ``df`` is not modified.

    Raises:
        TypeError: ``df`` is not a Dask DataFrame, ``opened`` or ``resolved`` is not a
            datetime column, or ``pauses`` is a column of text (see below).
        NaiveDatetimeError: a datetime column or ``now`` has no timezone.
        KeyError: a column named here is not in the frame.
        ValueError: a new column would overwrite one of ``df`` (pass a ``prefix``).

    These are raised here, from the frame's schema; errors that depend on the rows are the
    pandas adapter's, raised when a partition is computed (see the module's docstring, also
    for a pauses column, which must hold lists).
    """
    _require_dask_frame(df)
    policy = SlaPolicy.default() if policy is None else policy
    # The zero-row _meta is not a partition: this computes nothing, it only types the output.
    meta = _pandas.add_sla_columns(
        df._meta,
        policy,
        now=now,
        opened=opened,
        priority=priority,
        resolved=resolved,
        pauses=pauses,
        prefix=prefix,
    )
    _check_schema(df._meta, policy.calendar.timezone, opened, resolved, pauses)
    # One task holding the policy: each worker unpickles it once, and its partitions share
    # that copy and so the calendar's compiled timeline.
    shared = delayed(policy, pure=True)
    # map_partitions is not annotated in Dask (its arguments pass through to the function).
    result: dd.DataFrame = df.map_partitions(  # type: ignore[no-untyped-call]
        _pandas.add_sla_columns,
        shared,
        now=now,
        opened=opened,
        priority=priority,
        resolved=resolved,
        pauses=pauses,
        prefix=prefix,
        meta=meta,
        token="sla-columns",
    )
    return result


def _check_schema(
    meta: pd.DataFrame, zone: str, opened: str, resolved: str | None, pauses: str | None
) -> None:
    """Check the dtypes of the frame's columns, which the zero-row meta cannot show.

    On zero rows the pandas adapter cannot tell a column of naive times or of text from an
    empty one (it accepts a resolved column that is all missing).
    """
    _check_instants(meta[opened].dtype, opened, zone, required=True)
    if resolved is not None and resolved in meta.columns:
        _check_instants(meta[resolved].dtype, resolved, zone, required=False)
    if pauses is not None:
        _check_pauses(meta[pauses].dtype, pauses)


def _check_instants(dtype: object, name: str, zone: str, *, required: bool) -> None:
    """Refuse naive times, and (``required``) anything but tz-aware datetimes.

    A resolved column of another dtype is left to the pandas adapter, which accepts it
    when every value is missing (no ticket resolved yet).
    """
    if isinstance(dtype, pd.DatetimeTZDtype):
        return
    if pd.api.types.is_datetime64_dtype(dtype):
        msg = (
            f"column {name!r} holds naive times (dtype {dtype}), which name no instant; "
            f"localize it first: df[{name!r}] = df[{name!r}].dt.tz_localize({zone!r})"
        )
        raise NaiveDatetimeError(msg)
    if required:
        msg = (
            f"column {name!r} must hold tz-aware datetimes, got dtype {dtype}; convert it "
            f"first, e.g. df[{name!r}] = dd.to_datetime(df[{name!r}], utc=True) for times "
            "with an offset"
        )
        raise TypeError(msg)


def _check_pauses(dtype: object, name: str) -> None:
    """Refuse a pauses column of text: Dask's string conversion has flattened its lists."""
    types = pd.api.types
    if not types.is_object_dtype(dtype) and types.is_string_dtype(dtype):
        msg = (
            f"column {name!r} holds text (dtype {dtype}), not lists of (start, end) pauses: "
            "Dask's from_pandas turns object columns into strings; build the frame inside "
            "dask.config.set({'dataframe.convert-string': False}), or store the pauses as a "
            "Parquet list<struct<start, end>> column"
        )
        raise TypeError(msg)


def metric_frame(
    events: dd.DataFrame, policy: SlaPolicy | None = None, *, now: datetime
) -> dd.DataFrame:
    """Return a lazy frame of the metric rows of ticket histories at ``now``.

    The events are shuffled on ``ticket``, so each ticket's events land in one partition,
    and each partition becomes :func:`sla_clock.adapters.pandas.metric_frame` of it, with
    its columns and dtypes. Within a partition tickets come in the order they first appear
    and same-instant events keep their row order; across partitions the order is Dask's.

    Args:
        events: a Dask DataFrame of events, with the pandas adapter's columns.
        policy: the SLA policy; :meth:`SlaPolicy.default` when ``None``.
        now: the aware instant of the status.

    Raises:
        TypeError: ``events`` is not a Dask DataFrame, or ``at`` is not tz-aware datetimes.
        KeyError: a column is missing.
        NaiveDatetimeError: ``at`` or ``now`` has naive times.

    These come from the frame's schema at once; errors that depend on the rows (an unknown
    event, a broken history) are the pandas adapter's, raised when a partition is computed.
    """
    _require_dask_frame(events)
    policy = SlaPolicy.default() if policy is None else policy
    meta = _pandas.metric_frame(events._meta, policy, now=now)
    _check_instants(events._meta["at"].dtype, "at", policy.calendar.timezone, required=True)
    numbered = events.assign(**{_SEQ: 1})
    numbered = numbered.assign(**{_SEQ: numbered[_SEQ].cumsum()})
    shuffled = numbered.shuffle(on="ticket")
    shared = delayed(policy, pure=True)
    result: dd.DataFrame = shuffled.map_partitions(
        _metric_partition, shared, now=now, meta=meta, token="sla-metrics"
    )
    return result


def _metric_partition(part: pd.DataFrame, policy: SlaPolicy, *, now: datetime) -> pd.DataFrame:
    """One partition's metric rows, its events first put back in their row order."""
    ordered = part.sort_values(_SEQ, kind="stable").drop(columns=_SEQ)
    return _pandas.metric_frame(ordered, policy, now=now)
