"""SLA functions in DuckDB SQL (the ``sla-clock[duckdb]`` extra): vectorised, through Arrow.

:func:`register` adds to a connection, on one policy and its calendar:

- ``sla_due(priority, opened)``: the deadline (``TIMESTAMPTZ``);
- ``sla_breach_at(priority, opened)``: the last on-time instant;
- ``sla_add(start, interval)``: ``start`` plus business time;
- ``sla_elapsed(a, b)``: the business time between two instants (``INTERVAL``);
- ``sla_state(priority, opened, resolved, now)``: ``running``, ``at_risk``, ``breached``,
  ``met`` or ``missed`` (a ticket without pauses; ``resolved`` may be ``NULL``).

Each call gets whole Arrow columns and answers with the vectorised engine
(:mod:`sla_clock.bulk`), so the answers are those of the pandas adapter row for row. A
``NULL`` instant gives ``NULL``; a bad priority, a ticket whose ``now`` is before its opening,
or an interval with months (not a fixed length) is an error naming what is wrong.

>>> import duckdb
>>> con = duckdb.connect()
>>> register(con)
>>> con.execute("SELECT sla_due('P1', TIMESTAMPTZ '2026-11-24 17:30:00-03')::VARCHAR").fetchone()[0]
'2026-11-26 14:30:00+00'
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..bulk import NAT, add_many_us, elapsed_many_us, status_many_us
from ..errors import SlaClockError
from ..policy import SlaPolicy

try:
    import duckdb
    import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]  # (no type hints)
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    msg = "sla_clock.adapters.duckdb needs duckdb and pyarrow: pip install 'sla-clock[duckdb]'"
    raise ImportError(msg) from exc

__all__ = ["register"]

_US_PER_DAY = 86_400_000_000


def _us(column: Any) -> np.ndarray:
    """Epoch microseconds of a timestamp column (``NAT`` for ``NULL``)."""
    ints = column.cast(pa.timestamp("us", tz="UTC")).cast(pa.int64()).fill_null(NAT)
    return np.asarray(ints.to_numpy(), dtype=np.int64)


def _stamps(us: np.ndarray) -> Any:
    return pa.array(us, type=pa.int64(), mask=us == NAT).cast(pa.timestamp("us", tz="UTC"))


def _durations(column: Any) -> np.ndarray:
    """Microseconds of an ``INTERVAL`` column (days count 24 h; months are refused)."""
    out = np.full(len(column), NAT, dtype=np.int64)
    for row, value in enumerate(column.to_pylist()):
        if value is None:
            continue
        months, days, nanos = value.months, value.days, value.nanoseconds
        if months:
            msg = (
                f"sla_add: an interval of {months} month(s) has no fixed length; give it in "
                "days, hours or minutes (INTERVAL 40 HOUR)"
            )
            raise SlaClockError(msg)
        out[row] = days * _US_PER_DAY + nanos // 1000
    return out


def register(con: duckdb.DuckDBPyConnection, policy: SlaPolicy | None = None) -> None:
    """Register the ``sla_*`` SQL functions of ``policy`` (the default one) on ``con``."""
    policy = SlaPolicy.default() if policy is None else policy
    calendar = policy.calendar
    stamp, text = duckdb.sqltype("TIMESTAMPTZ"), duckdb.sqltype("VARCHAR")

    def deadline(priority: Any, opened: Any, *, breach: bool) -> Any:
        if policy.versions and policy.policy_version == "current":
            msg = (
                'sla_due and sla_breach_at have no "now", and this policy applies the version '
                'in force at the question (policy_version = "current"): use sla_state with a '
                "now, or a policy whose versions apply from the opening"
            )
            raise SlaClockError(msg)
        start = _us(opened)
        codes = np.asarray(priority.to_pylist(), dtype=object)
        valid = (start != NAT) & np.array([c is not None for c in codes], dtype=bool)
        out = np.full(len(start), NAT, dtype=np.int64)
        if valid.any():
            cols = status_many_us(policy, start[valid], codes[valid], start[valid])
            out[valid] = cols.breach if breach else cols.due
        return _stamps(out)

    def state(priority: Any, opened: Any, resolved: Any, now: Any) -> Any:
        start, end, at = _us(opened), _us(resolved), _us(now)
        codes = np.asarray(priority.to_pylist(), dtype=object)
        valid = (start != NAT) & (at != NAT) & np.array([c is not None for c in codes], bool)
        out = np.full(len(start), None, dtype=object)
        if valid.any():
            cols = status_many_us(
                policy, start[valid], codes[valid], at[valid], resolved=end[valid]
            )
            out[valid] = cols.state
        return pa.array(out.tolist(), type=pa.string())

    def add(start: Any, interval: Any) -> Any:
        return _stamps(add_many_us(calendar, _us(start), _durations(interval)))

    def elapsed(a: Any, b: Any) -> Any:
        us = elapsed_many_us(calendar, _us(a), _us(b))
        return pa.array(us, type=pa.int64(), mask=us == NAT).cast(pa.duration("us"))

    functions = [
        ("sla_due", lambda p, o: deadline(p, o, breach=False), [text, stamp], stamp),
        ("sla_breach_at", lambda p, o: deadline(p, o, breach=True), [text, stamp], stamp),
        ("sla_add", add, [stamp, duckdb.sqltype("INTERVAL")], stamp),
        ("sla_elapsed", elapsed, [stamp, stamp], duckdb.sqltype("INTERVAL")),
        ("sla_state", state, [text, stamp, stamp, stamp], text),
    ]
    for name, function, params, returns in functions:
        con.create_function(  # type: ignore[call-overload,unused-ignore]  # (its stubs want enums; every version takes these words)
            name, function, params, returns, type="arrow", null_handling="special"
        )
