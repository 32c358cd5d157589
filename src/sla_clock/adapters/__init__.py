"""DataFrame adapters: the SLA status of a whole table of tickets as new columns.

- :func:`sla_clock.adapters.pandas.add_sla_columns` for pandas (``pip install
  'sla-clock[pandas]'``);
- :func:`sla_clock.adapters.polars.add_sla_columns` for Polars (``pip install
  'sla-clock[polars]'``);
- :func:`sla_clock.adapters.dask.add_sla_columns` for Dask, partition by partition over the
  pandas adapter (``pip install 'sla-clock[dask]'``);
- :func:`sla_clock.adapters.duckdb.register`: ``sla_due``, ``sla_state``... as SQL functions
  of a DuckDB connection (``pip install 'sla-clock[duckdb]'``).

All add the same :data:`OUTPUT_COLUMNS` (``due_at``, ``breach_at``, ``used``,
``used_seconds``, ``remaining``, ``state``, ``escalation_level``), computed by the one
vectorised engine, :func:`sla_clock.bulk.status_many_us`, under the one set of ticket rules
(:mod:`sla_clock.ticket`). Importing this package imports neither pandas nor Polars; import
the submodule you need.

Each module also has ``metric_frame``: an events frame (``ticket, at, event, value``) in, the
rows of :func:`sla_clock.metric_statuses` out, with the columns of ``batch --events``; the
three share one code path (the events are replayed and counted as ``metric_statuses`` does),
and the Dask one shuffles the events on ``ticket`` first.
"""

from __future__ import annotations

from ._frame import OUTPUT_COLUMNS

__all__ = ["OUTPUT_COLUMNS"]
