"""Vectorised ``add`` and ``elapsed`` on NumPy arrays (the ``sla-clock[fast]`` extra).

The same compiled timeline as the scalar operations, searched with ``numpy.searchsorted``:
no Python loop per element, and results identical to :meth:`BusinessCalendar.add` and
:meth:`BusinessCalendar.elapsed` to the microsecond.

Inputs:

- NumPy ``datetime64`` arrays are **UTC instants** (NumPy has no time zones); any unit.
- tz-aware pandas ``Series`` or ``DatetimeIndex`` are converted to UTC; results come back
  as a ``Series`` (or index) in the calendar's zone, with the same index.
- Durations are ``timedelta64`` arrays, a scalar ``timedelta`` or ``numpy.timedelta64``.
- ``NaT`` in gives ``NaT`` out.

The ``*_us`` functions take and return ``int64`` epoch microseconds, for pipelines that keep
integers all the way.

>>> import numpy as np
>>> from sla_clock import BusinessCalendar
>>> cal = BusinessCalendar.default()
>>> starts = np.array(["2026-11-19T20:00", "2026-11-28T13:00"], dtype="datetime64[us]")
>>> add_many(cal, starts, np.timedelta64(4, "h"))  # Thu 17:00 and Sat 10:00 São Paulo
array(['2026-11-23T15:00:00.000000', '2026-11-30T16:00:00.000000'],
      dtype='datetime64[us]')
"""

from __future__ import annotations

try:
    import numpy  # noqa: F401 (fail here with the extra to install, not deep inside)
except ImportError as exc:  # pragma: no cover - exercised only without numpy
    msg = "sla_clock.bulk needs NumPy; install it with: pip install 'sla-clock[fast]'"
    raise ImportError(msg) from exc

from ._arrays import NAT
from ._days import add_business_days_many, business_days_between_many
from ._instants import add_many, add_many_us, elapsed_many, elapsed_many_us, to_epoch_us
from ._status import STATES, StatusColumns, status_many_us
from ._wall import localize_many_us, utc_offsets_us

__all__ = [
    "NAT",
    "STATES",
    "StatusColumns",
    "add_business_days_many",
    "add_many",
    "add_many_us",
    "business_days_between_many",
    "elapsed_many",
    "elapsed_many_us",
    "localize_many_us",
    "status_many_us",
    "to_epoch_us",
    "utc_offsets_us",
]
